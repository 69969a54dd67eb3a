//! The Kafka-like log broker: partitions (append-only logs with offsets), the producer clients'
//! partitioners (which the producer applies), the consumer group (committed offsets, positions, assignment, rebalancing) and
//! retention. It serves the consumer pipeline through the delivery seam: a delivery's tag is a
//! partition and an offset, and acknowledging it commits the offset after it.
//!
//! "When is an offset committed?" is answered in the pipeline (which step acknowledges); "what does
//! a commit do?" is answered here (`commit`).

pub mod assignor;
pub mod events;
mod failover;
pub mod group;
mod offset_reset;
pub mod partition;
pub mod partitioner;
mod rebalance;
pub mod replication;
mod retention;
pub mod segment;
pub mod sequence;
pub mod stats;

use crate::sim::broker::delivery::{Delivery, DeliverySource, DeliveryTag, FetchError, Redelivery};
use crate::sim::config::choices::Assignor;
use crate::sim::ctx::Ctx;
use crate::sim::event::{AppendKind, JournalKind, ResetCause};
use crate::sim::ids::{ConsumerId, MessageId, PartitionId};
pub use failover::Woken;
use group::{CommitKind, ConsumerGroup};
use partition::{LogRecord, Partition};
use replication::Replication;
use segment::RollPolicy;
pub use sequence::Sequence;
use sequence::{ProducerState, Verdict};
use stats::{GroupStats, LogStats};

/// What the broker did with a produce request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// Appended for the first time.
    Appended,
    /// Appended again: the producer resent a message the log already had.
    AppendedAgain,
    /// The idempotent producer's resend of a message the log already has: dropped.
    DroppedDuplicate,
    /// The idempotent producer's record out of sequence (an earlier one is missing): refused.
    Refused,
    /// The queue broker's full queue refused it (`x-overflow` reject-publish): a publisher that
    /// waits for confirms gets a `basic.nack` and may publish it again. With a fanout, the other
    /// queues took their copies.
    Rejected,
    /// The partition has no live leader (`NOT_LEADER_OR_FOLLOWER`, or no connection): retriable.
    NoLeader,
    /// acks=all with fewer in-sync replicas than `min.insync.replicas`: retriable.
    NotEnoughReplicas,
}

/// Whether an acks=all write is answered yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckState {
    /// The high watermark passed it, with enough replicas in sync: acknowledged.
    Committed,
    /// Appended, waiting for the followers.
    NotYet,
    /// It will never be acknowledged: its leader is gone, a new one did not have it, or the
    /// in-sync replicas shrank below the minimum meanwhile. The producer resends it.
    Failed,
}

#[derive(Clone, Debug)]
pub struct LogBroker {
    pub(super) partitions: Vec<Partition>,
    /// The consumer groups reading the topic: one, or one per subscriber (publish-subscribe), by
    /// subscriber.
    pub(super) groups: Vec<ConsumerGroup>,
    pub(super) log_stats: LogStats,
    /// The live chain of retention checks; older chains' events are ignored.
    pub(super) retention_token: u32,
    pub(super) retention_started: bool,
    /// The idempotent producer's sequence numbers.
    producer_state: ProducerState,
    /// The cluster's brokers and each partition's replicas, with more than one broker.
    replication: Option<Replication>,
}

/// One consumer group reading the topic: what the delivery seam serves that group's pipeline. It
/// borrows the topic's partitions and the group's own state for one call; the other groups are
/// out of its reach.
pub struct TopicReader<'a> {
    pub(super) partitions: &'a mut [Partition],
    pub(super) group: &'a mut ConsumerGroup,
    pub(super) log_stats: &'a mut LogStats,
    /// How many groups read the topic. With several, a partition keeps what the slowest of them
    /// still holds, so this group's commits do not trim it (`LogBroker::trim`).
    pub(super) groups: u32,
    /// The cluster, which copies what is appended (with more than one broker).
    pub(super) replication: Option<&'a mut Replication>,
}

impl LogBroker {
    /// A topic of `partitions` partitions, read by one consumer group per entry of `consumers`
    /// (that many members each), assigned by `assignor`.
    pub fn new(partitions: u32, consumers: &[u32], assignor: Assignor, static_members: bool) -> Self {
        let groups = (0u8..)
            .zip(consumers)
            .map(|(k, &n)| {
                let ids: Vec<ConsumerId> = (0..n).map(|i| ConsumerId::of(k, i)).collect();
                let owner = match assignor {
                    Assignor::Range => group::range_assign(partitions, &ids),
                    _ => rebalance::assignment(assignor, static_members, partitions, &ids, |_| (Vec::new(), -1)).0,
                };
                ConsumerGroup::new(k, n, owner, assignor.cooperative())
            })
            .collect();
        LogBroker {
            partitions: (0..partitions).map(|p| Partition::new(PartitionId(p))).collect(),
            groups,
            log_stats: LogStats::default(),
            retention_token: 0,
            retention_started: false,
            producer_state: ProducerState::new(partitions),
            replication: None,
        }
    }

    /// Group `k`'s reader of the topic, for its pipeline.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn reader(&mut self, k: u8) -> TopicReader<'_> {
        let groups = self.groups.len() as u32;
        TopicReader {
            partitions: &mut self.partitions,
            group: &mut self.groups[k as usize],
            log_stats: &mut self.log_stats,
            groups,
            replication: self.replication.as_mut(),
        }
    }

    /// A produce request for `msg` reaches the broker: append it to its partition, or, for the
    /// idempotent producer (`seq`), drop a resend the log already has and refuse a record out of
    /// sequence (`sequence.rs`). Returns what happened and the partition it was appended to, whose
    /// owner in each group may have work now.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> (Received, Option<PartitionId>) {
        let record = ctx.ledger.live(msg);
        let (partition, appended) = (PartitionId(record.route), record.appended);
        if self.replication.is_some() {
            if let Some(refused) = self.write_refusal(msg, partition.index(), ctx) {
                return (refused, None);
            }
        }
        if let Some(s) = seq {
            match self.producer_state.check(partition.index(), s, appended) {
                Verdict::Append => {}
                Verdict::Duplicate => {
                    ctx.note(JournalKind::DuplicateAppendDropped { msg, partition });
                    return (Received::DroppedDuplicate, None);
                }
                Verdict::OutOfSequence => {
                    ctx.note(JournalKind::OutOfSequence { msg, partition });
                    return (Received::Refused, None);
                }
            }
        }
        ctx.ledger.mark_appended(msg);
        let append = if appended { AppendKind::ProducerDuplicate } else { AppendKind::First };
        if self.groups.len() > 1 {
            self.trim(partition.index());
        }
        self.reader(0).append(msg, partition, (0, seq.map(|s| s.seq)), append, ctx);
        let received = if appended { Received::AppendedAgain } else { Received::Appended };
        (received, Some(partition))
    }

    /// The owner of `partition` in group `k`.
    #[inline]
    pub fn owner(&self, k: u8, partition: PartitionId) -> Option<ConsumerId> {
        self.groups[k as usize].owner[partition.index()]
    }

    /// With several groups, partition `p` lets go of what every group has committed past (or an
    /// offset reset passed over): its memory stays bounded by what the slowest group holds.
    fn trim(&mut self, p: usize) {
        let floor = self.groups.iter().map(|g| g.held_from(p)).min().unwrap_or(0);
        self.partitions[p].trim_consumed(floor);
    }

    /// The topic grew to `partitions` (`Command::AddPartitions`): empty logs at offset 0 for the
    /// new ones, with no committed offset, no owner until the next rebalance, and the idempotent
    /// producer's sequence starting at 0. The existing partitions and their records are untouched.
    pub fn add_partitions(&mut self, partitions: u32) {
        let from = self.partitions.len() as u32;
        self.partitions.extend((from..partitions).map(|p| Partition::new(PartitionId(p))));
        self.groups.iter_mut().for_each(|g| g.grow(partitions));
        self.producer_state.grow(partitions);
        if let Some(r) = self.replication.as_mut() {
            r.grow(partitions);
            self.partitions[from as usize..].iter_mut().for_each(|p| p.set_high_watermark(0));
        }
    }

    /// Group 0's state (the only group without publish-subscribe).
    pub fn group(&self) -> &ConsumerGroup {
        &self.groups[0]
    }
    /// Every group reading the topic, by subscriber.
    pub fn groups(&self) -> &[ConsumerGroup] {
        &self.groups
    }
    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }
    /// Partitions assigned to `consumer` at its group's last completed rebalance (none while
    /// crashed).
    pub fn assigned(&self, consumer: ConsumerId) -> &[PartitionId] {
        let group = self.groups.get(consumer.subscriber() as usize);
        group.and_then(|g| g.members.get(consumer.index())).map_or(&[], |m| &m.assigned)
    }
    /// What the groups' coordinator did, over every group.
    pub fn group_stats(&self) -> GroupStats {
        self.groups.iter().fold(GroupStats::default(), |a, g| GroupStats {
            rebalances: a.rebalances + g.stats.rebalances,
            offset_resets: a.offset_resets + g.stats.offset_resets,
        })
    }
    pub fn log_stats(&self) -> LogStats {
        self.log_stats
    }
    /// Log end offset minus group `k`'s committed offset: how far it is behind on partition `p`.
    pub fn lag(&self, k: u8, p: PartitionId) -> u64 {
        self.partitions[p.index()].log_end().saturating_sub(self.groups[k as usize].committed[p.index()])
    }
    /// Whether `consumer` is a member of its group.
    pub fn is_member(&self, consumer: ConsumerId) -> bool {
        let group = self.groups.get(consumer.subscriber() as usize);
        group.and_then(|g| g.members.get(consumer.index())).is_some_and(|m| m.in_group)
    }
}

impl TopicReader<'_> {
    /// Appends `msg` to `partition`; the record holds the message until the group commits past it
    /// (every group, on a shared log).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn append(
        &mut self,
        msg: MessageId,
        partition: PartitionId,
        (retry, seq): (u32, Option<u32>),
        append: AppendKind,
        ctx: &mut Ctx,
    ) {
        let topic = &ctx.settings.topic;
        let roll = RollPolicy { segment_bytes: topic.segment_bytes, segment_ms: topic.segment_ms };
        let record = LogRecord { msg, retry, appended_at: ctx.now };
        let offset = self.partitions[partition.index()].append(record, ctx.settings.producer.record_bytes, roll);
        // Every group holds a record of a shared log until it commits past it. (Retries and
        // redrives, which re-append for one group, are refused with several: `rules.rs`.)
        for _ in 0..self.groups {
            ctx.ledger.hold(msg);
        }
        ctx.note(JournalKind::Appended { msg, partition, offset, append });
        if let Some(r) = self.replication.as_deref_mut() {
            failover::replicate_append(r, &mut self.partitions[partition.index()], (offset, msg, seq), ctx);
        }
    }

    /// Commits offset `offset` (the next one to read) of `partition` for the group, by a commit
    /// of `kind`. Records the commit passes stop holding their messages: the group will not
    /// deliver them again. True when the committed offset moved.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn commit(
        &mut self,
        consumer: ConsumerId,
        partition: PartitionId,
        offset: u64,
        kind: CommitKind,
        ctx: &mut Ctx,
    ) -> bool {
        let p = partition.index();
        let old = self.group.committed[p];
        if offset <= old {
            return false;
        }
        self.group.note_commit(p, old, kind);
        self.group.has_commit[p] = true;
        let auto = kind == CommitKind::Position;
        // Below the log start retention let go of the records; below `skipped_to` a reset did.
        let from = old.max(self.partitions[p].log_start()).max(self.group.skipped_to[p]);
        for o in from..offset {
            let msg = self.partitions[p].get(o).expect("uncommitted records are in memory").msg;
            ctx.step(msg, JournalKind::Committed { consumer, partition, offset, auto });
            ctx.release(msg, None);
        }
        self.group.committed[p] = offset;
        if self.groups == 1 {
            self.partitions[p].trim_consumed(offset);
        }
        ctx.note(JournalKind::Committed { consumer, partition, offset, auto });
        true
    }
}

impl DeliverySource for TopicReader<'_> {
    /// The next record for `consumer`, round-robin over its partitions; moves its position. A
    /// partition it was just given gets its position first (`offset_reset.rs`); one that retention
    /// moved past is reset. An error when `auto.offset.reset=none` leaves it nowhere to start.
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        let c = consumer.index();
        if self.group.members[c].check_positions {
            self.resolve_positions(consumer, ctx)?;
        }
        let n = self.group.members[c].assigned.len();
        for i in 0..n {
            // Wrap without a division: the cursor is at most n.
            let mut idx = self.group.members[c].cursor as usize + i;
            while idx >= n {
                idx -= n;
            }
            let p = self.group.members[c].assigned[idx];
            // An owner fetches from the committed offset at the latest: a static member busy
            // through a rebalance may commit past the position the rebalance reset.
            let mut partition = &self.partitions[p.index()];
            let mut offset = self.group.position[p.index()].max(self.group.committed[p.index()]);
            if offset < partition.log_start() {
                offset = self.reset(p, consumer, ResetCause::OutOfRange, offset, ctx)?;
                partition = &self.partitions[p.index()];
            }
            if offset < partition.readable_end() {
                let record = *partition.get(offset).expect("offsets between log start and end exist");
                self.group.position[p.index()] = offset + 1;
                self.group.members[c].cursor = (idx + 1) as u32;
                let msg = record.msg;
                let delivery = ctx.ledger.note_delivery(msg);
                ctx.note(JournalKind::Received { msg, consumer, partition: p, offset, delivery });
                let tag = DeliveryTag { lane: p.0, position: offset };
                return Ok(Some(Delivery { msg, retry: record.retry, tag }));
            }
        }
        Ok(None)
    }

    fn ack(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        let partition = PartitionId(delivery.tag.lane);
        self.commit(consumer, partition, delivery.tag.position + 1, CommitKind::Record, ctx);
    }

    /// Commits the position (the offset after the last record handed to the application) of every
    /// partition the consumer owns: what auto-commit does on its timer and when partitions are
    /// revoked.
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool {
        let c = consumer.index();
        let mut moved = false;
        for i in 0..self.group.members[c].assigned.len() {
            let p = self.group.members[c].assigned[i];
            // A partition without a position yet has nothing consumed to commit.
            if self.group.owner[p.index()] == Some(consumer) && self.group.position_known[p.index()] {
                let position = self.group.position[p.index()];
                moved |= self.commit(consumer, p, position, CommitKind::Position, ctx);
            }
        }
        moved
    }

    /// A record is read again unless the group committed past it (which commit did says why not)
    /// or an offset reset passed over it.
    fn redelivery(&self, delivery: &Delivery) -> Redelivery {
        self.group.redelivery(delivery.tag.lane as usize, delivery.tag.position)
    }

    /// The failed record comes back to the end of its partition.
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        let partition = PartitionId(ctx.ledger.live(msg).route);
        self.append(msg, partition, (retry, None), AppendKind::Retry(retry), ctx);
        self.group.owner[partition.index()]
    }

    /// A redrive appends the message again, as a new record of `route`, its key's partition now.
    fn redrive(&mut self, msg: MessageId, route: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        let partition = PartitionId(route);
        self.append(msg, partition, (0, None), AppendKind::Redrive, ctx);
        self.group.owner[partition.index()]
    }
}
