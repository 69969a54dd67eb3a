//! The run's subscribers as the engine builds and serves them: one pipeline each, started with
//! the run or later, and what each one's queue dead-letters parked in that subscriber's
//! dead-letter queue.

use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::broker::brokers::{Brokers, Subscribed};
use crate::sim::broker::log::LogBroker;
use crate::sim::broker::routes::Routes;
use crate::sim::client::pipeline::Pipeline;
use crate::sim::config::scenario::Scenario;
use crate::sim::ctx::Ctx;
use crate::sim::event::ConsumerEvent;
use crate::sim::event::DropCause;
use crate::sim::patterns::dlq::{DeadLetter, DeadLetterReason};

/// The subscribers of a run: 0, 1… (one without publish-subscribe).
pub(super) fn subscribers(s: &Scenario) -> impl Iterator<Item = u8> {
    0..s.subscriber_count() as u8
}

/// The log, with a consumer group for each subscriber that reads it (all on the log broker; also
/// all on the queue broker, unused, so every group view has a group per subscriber), and a queue
/// for each subscriber that reads one.
pub(super) fn brokers_of(s: &Scenario) -> Brokers {
    let first_queue = s.first_queue();
    let groups = if s.both_brokers() { first_queue } else { s.subscriber_count() };
    let consumers: Vec<u32> = subscribers(s).take(groups).map(|k| s.consumers_of(k)).collect();
    let mut log = LogBroker::new(s.topic.partitions, &consumers, s.consumers.assignor, s.consumers.static_membership);
    log.replicate(&s.replication);
    let queues = subscribers(s)
        .skip(first_queue)
        .map(|k| WorkQueue::new(s.consumers_of(k), s.queue.prefetch).for_subscriber(k))
        .collect();
    let routes = if first_queue == 0 { Routes::of(s, s.subscribers.len()) } else { Routes::default() };
    Brokers::new(log, queues, first_queue, routes)
}

/// Subscriber `k`'s pipeline: its consumers, and its handler's own pace and reliability.
pub(super) fn pipeline_of(s: &Scenario, k: u8) -> Pipeline {
    let own = s.subscribers.get(k as usize);
    let pipeline = Pipeline::for_subscriber(k, s.consumers_of(k), s.seed)
        .with_handler(own.and_then(|o| o.mean_ms), own.and_then(|o| o.failure_probability));
    if s.starts_at_ms(k).is_some() {
        pipeline.starting_later()
    } else {
        pipeline
    }
}

/// Parks what queue `q` dead-lettered (expired, or dropped from a full queue) in its subscriber's
/// dead-letter queue.
pub(super) fn park_dead_letters(q: &mut WorkQueue, pipeline: &mut Pipeline) {
    let lane = u32::from(q.index());
    for d in q.take_dead_letters() {
        let reason = match d.cause {
            DropCause::Expired => DeadLetterReason::Expired,
            DropCause::MaxLength => DeadLetterReason::MaxLength,
            DropCause::Rejected => DeadLetterReason::Rejected,
            DropCause::DeliveryLimit => DeadLetterReason::DeliveryLimit,
        };
        let at = d.at;
        pipeline.park(DeadLetter {
            msg: d.msg,
            at,
            lane,
            reason,
            attempts: 0,
            first_failed_at: at,
            last_failed_at: at,
        });
    }
}

/// Subscriber `k` starts later (`subscribers[i].starts_at_ms`): its pipeline waits for the `Start`
/// event, and then, if the topic grew meanwhile, its new group learns of the new partitions.
pub(super) fn start_later(p: &mut Pipeline, e: ConsumerEvent, src: &mut Subscribed, grew: bool, ctx: &mut Ctx) {
    p.on_event(e, src, ctx);
    if grew {
        p.topic_changed(src, ctx);
    }
}
