//! The delivery seam holds a queue, not only a log: the queue broker's `WorkQueue` (competing
//! consumers, unacknowledged deliveries per consumer within a prefetch limit, ack, a dead
//! consumer's deliveries back to the queue, re-publish for retry) drives the very same consumer
//! pipeline, and the ledger still balances and audits after every event. Nothing here touches
//! partitions or offsets.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::broker::amqp::work_queue::WorkQueue;
use eda_lab::sim::client::pipeline::Pipeline;
use eda_lab::sim::config::knobs::Knobs;
use eda_lab::sim::ctx::Ctx;
use eda_lab::sim::event::{Event, GroupEvent};
use eda_lab::sim::journal::Journal;
use eda_lab::sim::kernel::scheduler::Scheduler;
use eda_lab::sim::ledger::{Ledger, LossReason};
use eda_lab::sim::patterns::schema::deployment::Deployment;
use eda_lab::sim::patterns::shop::service::ShopService;
use eda_lab::sim::patterns::sourcing::service::BankService;
use eda_lab::sim::scenario::{CommitStrategy, CrashPoint, Scenario};
use eda_lab::sim::{ConsumerId, SimTime};

/// Publishes `n` messages to a queue consumed by 3 consumers, crashes consumer 0 at `point` on
/// its first delivery (restarting after a second), runs to the end auditing after every event.
fn run(commit: CommitStrategy, point: CrashPoint, n: u32, prefetch: u32) -> (Ledger, WorkQueue) {
    let mut settings = Scenario::default();
    settings.consumers.commit = commit;
    settings.processing.service.mean_ms = 10.0;
    let knobs = Knobs::from(&settings);
    let (mut scheduler, mut ledger, mut journal) = (Scheduler::default(), Ledger::new(8), Journal::new(64));
    let mut queue = WorkQueue::new(3, prefetch);
    let mut pipeline = Pipeline::new(3, 7);
    let mut now = SimTime::ZERO;
    let mut sourcing = BankService::default();
    let mut shop = ShopService::default();
    let mut schemas = Deployment::default();
    macro_rules! ctx {
        () => {
            &mut Ctx {
                now,
                scheduler: &mut scheduler,
                ledger: &mut ledger,
                journal: &mut journal,
                settings: &settings,
                knobs: &knobs,
                sourcing: &mut sourcing,
                shop: &mut shop,
                schemas: &mut schemas,
            }
        };
    }
    for _ in 0..n {
        let ctx = ctx!();
        let msg = ctx.ledger.create(now, 0, 0, 0, 1);
        let _ = queue.publish(msg, ctx);
        ctx.release(msg, None); // the publisher's hold: confirmed
    }
    pipeline.start_autocommit_timers(ctx!());
    pipeline.arm(ConsumerId(0), point);
    for c in 0..3 {
        pipeline.wake(Some(ConsumerId(c)), &mut queue, ctx!());
    }
    let mut restarted = false;
    // Timers (auto-commit) go on for ever: stop long after the last message could have settled.
    while let Some((t, event)) = scheduler.pop() {
        if t > SimTime::from_secs(600) {
            break;
        }
        now = t;
        match event {
            Event::Consumer(e) => pipeline.on_event(e, &mut queue, ctx!()),
            Event::Group(GroupEvent::RebalanceDone { generation, .. }) => {
                pipeline.on_rebalance_done(generation, &mut queue, ctx!())
            }
            other => panic!("the work queue schedules no {other:?}"),
        }
        if !restarted && pipeline.consumers()[0].crashes > 0 {
            restarted = true;
            pipeline.restart(ConsumerId(0), &mut queue, ctx!());
        }
        ledger.audit().unwrap_or_else(|e| panic!("at {now}: {e}"));
    }
    (ledger, queue)
}

#[test]
fn ack_after_processing_redelivers_what_a_crash_dropped() {
    let (ledger, queue) = run(CommitStrategy::AfterProcessing, CrashPoint::AfterEffect, 40, 1);
    let c = ledger.counts();
    assert_eq!(c.in_flight, 0, "everything settles");
    assert_eq!(c.lost, 0, "acknowledging after processing loses nothing");
    assert_eq!(c.duplicated, 1, "the effect before the crash is applied again on redelivery");
    assert_eq!(c.exactly_once, 39);
    assert_eq!(queue.redelivered(), 1, "the dead consumer's unacknowledged delivery went back to the queue");
    assert!(queue.most_unacked() <= queue.prefetch(), "prefetch bounds unacknowledged deliveries");
}

#[test]
fn ack_before_processing_loses_what_a_crash_dropped() {
    let (ledger, queue) = run(CommitStrategy::BeforeProcessing, CrashPoint::AfterCommit, 40, 1);
    let c = ledger.counts();
    assert_eq!((c.in_flight, c.duplicated), (0, 0));
    assert_eq!(c.lost, 1, "auto-ack then crash: nothing will deliver it again");
    assert_eq!(ledger.lost_by_reason().find(|(r, _)| *r == LossReason::AckedBeforeProcessing).unwrap().1, 1);
    assert_eq!(queue.redelivered(), 0);
}

/// Acknowledging on a timer (`basic.ack` multiple, as auto-commit does) lets a consumer take more
/// deliveries before the earlier ones are acknowledged: never more than the prefetch, and
/// everything still settles.
#[test]
fn prefetch_bounds_what_a_timer_acked_consumer_holds() {
    let (ledger, queue) = run(CommitStrategy::Auto { interval_ms: 1_000 }, CrashPoint::AfterEffect, 60, 2);
    let c = ledger.counts();
    assert_eq!(c.in_flight, 0, "everything settles: {c:?}");
    assert_eq!(queue.most_unacked(), 2, "consumers fill their prefetch window, and no more");
    assert_eq!(queue.depth(), (0, 0));
}
