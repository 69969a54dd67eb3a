//! The delivery seam holds a queue, not only a log: a RabbitMQ-like test double (ready queue,
//! unacknowledged deliveries per consumer with a prefetch limit, ack, requeue on a consumer's
//! death, requeue for retry) drives the very same consumer pipeline, and the ledger still balances
//! and audits after every event. Nothing here touches partitions or offsets.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::broker::delivery::{
    Delivery, DeliverySource, DeliveryTag, FetchError, Joined, Membership, Redelivery,
};
use eda_lab::sim::client::pipeline::Pipeline;
use eda_lab::sim::config::knobs::Knobs;
use eda_lab::sim::ctx::Ctx;
use eda_lab::sim::event::{Event, GroupEvent};
use eda_lab::sim::journal::Journal;
use eda_lab::sim::kernel::scheduler::Scheduler;
use eda_lab::sim::ledger::{Ledger, LossReason};
use eda_lab::sim::scenario::{CommitStrategy, CrashPoint, Scenario};
use eda_lab::sim::{ConsumerId, MessageId, SimTime};
use std::collections::{BTreeMap, VecDeque};

/// A queue with competing consumers: deliveries go to whoever asks, at most `prefetch`
/// unacknowledged per consumer; a consumer's death puts its unacknowledged deliveries back at the
/// head of the queue, marked redelivered.
struct QueueDouble {
    ready: VecDeque<(MessageId, u32)>,
    unacked: BTreeMap<u64, (ConsumerId, MessageId)>,
    /// How each acknowledged delivery was acknowledged.
    acked: BTreeMap<u64, Redelivery>,
    next_tag: u64,
    prefetch: usize,
    redelivered: u64,
    most_unacked: usize,
}

impl QueueDouble {
    fn unacked_of(&self, consumer: ConsumerId) -> usize {
        self.unacked.values().filter(|(c, _)| *c == consumer).count()
    }
    /// The queue holds `msg` until a consumer acknowledges it.
    fn publish(&mut self, msg: MessageId, ctx: &mut Ctx) {
        ctx.ledger.hold(msg);
        self.ready.push_back((msg, 0));
    }
}

impl DeliverySource for QueueDouble {
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        if self.unacked_of(consumer) >= self.prefetch {
            return Ok(None);
        }
        let Some((msg, retry)) = self.ready.pop_front() else { return Ok(None) };
        let tag = self.next_tag;
        self.next_tag += 1;
        self.unacked.insert(tag, (consumer, msg));
        self.most_unacked = self.most_unacked.max(self.unacked_of(consumer));
        ctx.ledger.note_delivery(msg);
        Ok(Some(Delivery { msg, retry, tag: DeliveryTag { lane: 0, position: tag } }))
    }
    fn ack(&mut self, _consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        if let Some((_, msg)) = self.unacked.remove(&delivery.tag.position) {
            self.acked.insert(delivery.tag.position, Redelivery::Acked);
            ctx.release(msg, None);
        }
    }
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool {
        let tags: Vec<u64> = self.unacked.iter().filter(|(_, (c, _))| *c == consumer).map(|(t, _)| *t).collect();
        for &t in &tags {
            let (_, msg) = self.unacked.remove(&t).unwrap();
            self.acked.insert(t, Redelivery::AckedWithDelivered);
            ctx.release(msg, None);
        }
        !tags.is_empty()
    }
    fn redelivery(&self, delivery: &Delivery) -> Redelivery {
        let tag = delivery.tag.position;
        if self.unacked.contains_key(&tag) {
            Redelivery::Again
        } else {
            self.acked.get(&tag).copied().unwrap_or(Redelivery::Again)
        }
    }
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        ctx.ledger.hold(msg);
        self.ready.push_back((msg, retry));
        None
    }
}

impl Membership for QueueDouble {
    fn paused(&self) -> bool {
        false
    }
    fn rebalancing(&self) -> bool {
        false
    }
    fn is_member(&self, _consumer: ConsumerId) -> bool {
        true
    }
    /// A queue has no assignment to redo: a consumer that (re)joins takes work at once.
    fn join(&mut self, _consumer: ConsumerId, _static_member: bool, _ctx: &mut Ctx) -> Joined {
        Joined::TookOldPlace
    }
    fn leave(&mut self, _consumer: ConsumerId) {}
    /// A consumer whose connection dies returns its unacknowledged deliveries to the queue.
    fn silent(&mut self, consumer: ConsumerId, _died: bool, _ctx: &mut Ctx) {
        let tags: Vec<u64> = self.unacked.iter().filter(|(_, (c, _))| *c == consumer).map(|(t, _)| *t).rev().collect();
        for t in tags {
            let (_, msg) = self.unacked.remove(&t).unwrap();
            self.ready.push_front((msg, 0));
            self.redelivered += 1;
        }
    }
    fn session_expired(&mut self, _consumer: ConsumerId, _session: u32, _ctx: &mut Ctx) -> bool {
        false
    }
    fn begin_rebalance(&mut self, _ctx: &mut Ctx) -> bool {
        false
    }
    fn try_complete(&mut self, _rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        ctx.after(Default::default(), Event::Group(GroupEvent::RebalanceDone { generation: 0 }));
    }
    fn rebalance_timed_out(
        &mut self,
        _generation: u32,
        _rejoined: &dyn Fn(ConsumerId) -> bool,
        _static_members: bool,
        _ctx: &mut Ctx,
    ) -> Vec<ConsumerId> {
        Vec::new()
    }
    fn complete(&mut self, _generation: u32, _ctx: &mut Ctx) -> bool {
        true
    }
    fn follow_up(&mut self) -> bool {
        false
    }
}

/// Publishes `n` messages to a queue consumed by 3 consumers, crashes consumer 0 at `point` on
/// its first delivery (restarting after a second), runs to the end auditing after every event.
fn run(commit: CommitStrategy, point: CrashPoint, n: u32) -> (Ledger, QueueDouble) {
    let mut settings = Scenario::default();
    settings.consumers.commit = commit;
    settings.processing.service.mean_ms = 10.0;
    let knobs = Knobs::from(&settings);
    let (mut scheduler, mut ledger, mut journal) = (Scheduler::default(), Ledger::new(8), Journal::new(64));
    let mut queue = QueueDouble {
        ready: VecDeque::new(),
        unacked: BTreeMap::new(),
        acked: BTreeMap::new(),
        next_tag: 1,
        prefetch: 1,
        redelivered: 0,
        most_unacked: 0,
    };
    let mut pipeline = Pipeline::new(3, 7);
    let mut now = SimTime::ZERO;
    macro_rules! ctx {
        () => {
            &mut Ctx {
                now,
                scheduler: &mut scheduler,
                ledger: &mut ledger,
                journal: &mut journal,
                settings: &settings,
                knobs: &knobs,
            }
        };
    }
    for _ in 0..n {
        let ctx = ctx!();
        let msg = ctx.ledger.create(now, 0, 0, 0, 1);
        queue.publish(msg, ctx);
        ctx.release(msg, None); // the publisher's hold: confirmed
    }
    pipeline.arm(ConsumerId(0), point);
    for c in 0..3 {
        pipeline.wake(Some(ConsumerId(c)), &mut queue, ctx!());
    }
    let mut restarted = false;
    while let Some((t, event)) = scheduler.pop() {
        now = t;
        match event {
            Event::Consumer(e) => pipeline.on_event(e, &mut queue, ctx!()),
            Event::Group(GroupEvent::RebalanceDone { generation }) => {
                pipeline.on_rebalance_done(generation, &mut queue, ctx!())
            }
            other => panic!("the queue double schedules no {other:?}"),
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
    let (ledger, queue) = run(CommitStrategy::AfterProcessing, CrashPoint::AfterEffect, 40);
    let c = ledger.counts();
    assert_eq!(c.in_flight, 0, "everything settles");
    assert_eq!(c.lost, 0, "acknowledging after processing loses nothing");
    assert_eq!(c.duplicated, 1, "the effect before the crash is applied again on redelivery");
    assert_eq!(c.exactly_once, 39);
    assert_eq!(queue.redelivered, 1, "the dead consumer's unacknowledged delivery went back to the queue");
    assert!(queue.most_unacked <= queue.prefetch, "prefetch bounds unacknowledged deliveries");
}

#[test]
fn ack_before_processing_loses_what_a_crash_dropped() {
    let (ledger, queue) = run(CommitStrategy::BeforeProcessing, CrashPoint::AfterCommit, 40);
    let c = ledger.counts();
    assert_eq!((c.in_flight, c.duplicated), (0, 0));
    assert_eq!(c.lost, 1, "auto-ack then crash: nothing will deliver it again");
    assert_eq!(ledger.lost_by_reason().find(|(r, _)| *r == LossReason::CommittedBeforeProcessing).unwrap().1, 1);
    assert_eq!(queue.redelivered, 0);
}
