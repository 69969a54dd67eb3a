//! The report's publish-subscribe part: each subscriber's queue (or consumer group), consumers,
//! effects and dead letters, so a run with several subscribers says which one a duplicate or a
//! dead letter belongs to.

use super::{QueueReport, Report};
use crate::sim::broker::amqp::headers::table_text;
use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::engine::Simulation;
use crate::sim::ids::{ConsumerId, PartitionId};
use serde::Serialize;
use std::fmt::Write;

/// One consumer group of the log at the end of a run (publish-subscribe on the log broker).
#[derive(Clone, Debug, Serialize)]
pub struct GroupReport {
    /// Records of the topic it has not committed past, over every partition.
    pub lag: u64,
    pub rebalances: u64,
    pub offset_resets: u64,
    pub partitions: Vec<GroupPartitionReport>,
}

/// Where one group stands on one partition.
#[derive(Clone, Debug, Serialize)]
pub struct GroupPartitionReport {
    pub partition: PartitionId,
    pub committed_offset: u64,
    pub lag: u64,
    pub owner: Option<ConsumerId>,
}

/// One subscriber at the end of a run.
#[derive(Clone, Debug, Serialize)]
pub struct SubscriberReport {
    pub name: String,
    /// Its queue's binding key or pattern (a direct or topic exchange).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_key: Option<String>,
    /// Its queue's binding arguments (a headers exchange), as `name=value` pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_arguments: Option<String>,
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
    /// Its queue, on the queue broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueReport>,
    /// Its consumer group, on the log broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupReport>,
}

/// Group `k` of the log, as it stands.
fn group_report(sim: &Simulation, k: u8) -> GroupReport {
    let group = &sim.groups()[k as usize];
    let partitions: Vec<GroupPartitionReport> = sim
        .partitions()
        .iter()
        .map(|part| {
            let p = part.id();
            GroupPartitionReport {
                partition: p,
                committed_offset: group.committed[p.index()],
                lag: sim.lag_of(k, p),
                owner: group.owner[p.index()],
            }
        })
        .collect();
    GroupReport {
        lag: partitions.iter().map(|p| p.lag).sum(),
        rebalances: group.stats.rebalances,
        offset_resets: group.stats.offset_resets,
        partitions,
    }
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
        .map(|(s, p)| {
            let k = p.subscriber();
            let stats = p.stats();
            let (effects_applied, extra_effects_from_duplicates) = p.effects();
            SubscriberReport {
                name: s.name.clone(),
                binding_key: s.binding_key.clone().filter(|_| !sim.queues().is_empty()),
                binding_arguments: s.binding_arguments.as_ref().map(table_text).filter(|_| !sim.queues().is_empty()),
                consumers: p.consumers().len(),
                effects_applied,
                extra_effects_from_duplicates,
                processing_failures: stats.processing_failures,
                crashes: stats.crashes,
                dedup_skips: stats.dedup_skips,
                dead_letter_queue: p.dlq().len() as u64,
                queue: sim.queue_of(k).map(QueueReport::of),
                group: sim.queue_of(k).is_none().then(|| group_report(sim, k)),
            }
        })
        .collect()
}

/// One line per subscriber in the text report.
pub fn write_subscribers(subs: &[SubscriberReport], out: &mut String) {
    for s in subs {
        let where_ = match (&s.queue, &s.group) {
            (Some(q), _) => {
                format!("queue {} ready, {} unacknowledged, {} redelivered", q.ready, q.unacked, q.redelivered)
            }
            (None, Some(g)) => {
                format!("group lag {}, {} rebalances, {} offset resets", g.lag, g.rebalances, g.offset_resets)
            }
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "subscriber      {}: {} consumer{}, {} effects ({} repeated), {} failures, {} crashes, DLQ {}; {where_}",
            s.name,
            s.consumers,
            if s.consumers == 1 { "" } else { "s" },
            s.effects_applied,
            s.extra_effects_from_duplicates,
            s.processing_failures,
            s.crashes,
            s.dead_letter_queue,
        );
    }
}

/// The partition table's rows of the groups after the first (publish-subscribe on the log).
pub fn write_group_partitions(subs: &[SubscriberReport], out: &mut String) {
    for s in subs.iter().skip(1) {
        for p in s.group.iter().flat_map(|g| &g.partitions) {
            let owner = p.owner.map_or("-".to_string(), |c| format!("c{c}"));
            let _ = writeln!(
                out,
                "                {:>9} {:>8} {:>10} {:>4}  {owner:<5} {}",
                p.partition, "", p.committed_offset, p.lag, s.name
            );
        }
    }
}

impl Report {
    /// The run has queues and no log readers (the queue broker).
    pub(super) fn queue_only(&self) -> bool {
        self.queue.is_some() && self.subscribers.iter().all(|s| s.queue.is_some())
    }

    pub(super) fn write_broker(&self, out: &mut String) {
        let named = |on_queue: bool| -> Vec<&SubscriberReport> {
            self.subscribers.iter().filter(|s| s.queue.is_some() == on_queue).collect()
        };
        let (groups, queues) = (named(false), named(true));
        if !groups.is_empty() {
            let names: Vec<&str> = groups.iter().map(|s| s.name.as_str()).collect();
            let _ = writeln!(
                out,
                "broker          log (Kafka-like): one topic read by {} consumer groups ({}), each reading every record at its own pace",
                names.len(),
                names.join(", ")
            );
        }
        if !queues.is_empty() {
            // Each queue with its binding, where the exchange routes by key.
            let bound: Vec<String> = queues
                .iter()
                .map(|s| match (&s.binding_key, &s.binding_arguments) {
                    (Some(b), _) => format!("{} {b}", s.name),
                    (None, Some(args)) => format!("{} [{args}]", s.name),
                    (None, None) => s.name.clone(),
                })
                .collect();
            let _ = writeln!(
                out,
                "broker          queue (RabbitMQ-like): a {} exchange to {} queues ({}), competing consumers on each",
                self.exchange.unwrap_or("fanout"),
                queues.len(),
                bound.join(", ")
            );
        } else if self.queue.is_some() {
            let _ = writeln!(out, "broker          queue (RabbitMQ-like): one queue, competing consumers");
        }
        if self.queue.is_none() || !groups.is_empty() {
            let _ = writeln!(
                out,
                "client          {}, partitioner {}: {}",
                self.client, self.partitioner, self.partitioning
            );
        }
    }
}
