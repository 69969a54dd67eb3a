//! The report's publish-subscribe part: each subscriber's queue, consumers, effects and dead
//! letters, so a run with a fanout says which subscriber a duplicate or a dead letter belongs to.

use super::QueueReport;
use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::engine::Simulation;
use serde::Serialize;
use std::fmt::Write;

/// One subscriber at the end of a run.
#[derive(Clone, Debug, Serialize)]
pub struct SubscriberReport {
    pub name: String,
    /// Its consumers now (alive or not).
    pub consumers: usize,
    /// Effects its consumers applied, and how many of them repeated one applied before.
    pub effects_applied: u64,
    pub extra_effects_from_duplicates: u64,
    pub processing_failures: u64,
    pub crashes: u64,
    pub dedup_skips: u64,
    /// Messages in its own dead-letter queue.
    pub dead_letter_queue: u64,
    pub queue: QueueReport,
}

impl QueueReport {
    /// What `q` holds and did.
    pub fn of(q: &WorkQueue) -> QueueReport {
        let (ready, unacked) = q.depth();
        let (redelivered, most_unacked, prefetch) = (q.redelivered(), q.most_unacked(), q.prefetch());
        let (expired, dropped) = q.expired_and_dropped();
        QueueReport { prefetch, ready, unacked, redelivered, most_unacked, expired, dropped, rejected: q.rejected() }
    }

    /// Several queues together: counts summed, the largest window.
    pub fn total(queues: &[WorkQueue]) -> Option<QueueReport> {
        let mut all = queues.iter().map(QueueReport::of);
        let first = all.next()?;
        Some(all.fold(first, |t, q| QueueReport {
            prefetch: t.prefetch.max(q.prefetch),
            ready: t.ready + q.ready,
            unacked: t.unacked + q.unacked,
            redelivered: t.redelivered + q.redelivered,
            most_unacked: t.most_unacked.max(q.most_unacked),
            expired: t.expired + q.expired,
            dropped: t.dropped + q.dropped,
            rejected: t.rejected + q.rejected,
        }))
    }
}

/// Each subscriber of a run with publish-subscribe (none without).
pub fn subscriber_reports(sim: &Simulation) -> Vec<SubscriberReport> {
    let names = &sim.scenario().subscribers;
    names
        .iter()
        .zip(sim.pipelines())
        .zip(sim.queues())
        .map(|((s, p), q)| {
            let stats = p.stats();
            let (effects_applied, extra_effects_from_duplicates) = p.effects();
            SubscriberReport {
                name: s.name.clone(),
                consumers: p.consumers().len(),
                effects_applied,
                extra_effects_from_duplicates,
                processing_failures: stats.processing_failures,
                crashes: stats.crashes,
                dedup_skips: stats.dedup_skips,
                dead_letter_queue: p.dlq().len() as u64,
                queue: QueueReport::of(q),
            }
        })
        .collect()
}

/// One line per subscriber in the text report.
pub fn write_subscribers(subs: &[SubscriberReport], out: &mut String) {
    for s in subs {
        let q = &s.queue;
        let _ = writeln!(
            out,
            "subscriber      {}: {} consumers, {} effects ({} repeated), {} failures, {} crashes, DLQ {}; queue {} ready, {} unacknowledged, {} redelivered",
            s.name,
            s.consumers,
            s.effects_applied,
            s.extra_effects_from_duplicates,
            s.processing_failures,
            s.crashes,
            s.dead_letter_queue,
            q.ready,
            q.unacked,
            q.redelivered
        );
    }
}
