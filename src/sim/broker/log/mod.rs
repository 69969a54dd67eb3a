//! The Kafka-like log broker: partitions (append-only logs with offsets), the producer clients'
//! partitioners (which the producer applies), the consumer group (committed offsets, positions, assignment, rebalancing) and
//! retention. It serves the consumer pipeline through the delivery seam: a delivery's tag is a
//! partition and an offset, and acknowledging it commits the offset after it.
//!
//! "When is an offset committed?" is answered in the pipeline (which step acknowledges); "what does
//! a commit do?" is answered here (`commit`).

pub mod assignor;
pub mod events;
pub mod group;
mod offset_reset;
pub mod partition;
pub mod partitioner;
mod rebalance;
mod retention;
pub mod segment;
pub mod sequence;
pub mod stats;

use crate::sim::broker::delivery::{Delivery, DeliverySource, DeliveryTag, FetchError, Redelivery};
use crate::sim::config::choices::Assignor;
use crate::sim::ctx::Ctx;
use crate::sim::event::{AppendKind, JournalKind, ResetCause};
use crate::sim::ids::{ConsumerId, MessageId, PartitionId};
use group::{CommitKind, ConsumerGroup, Member};
use partition::{LogRecord, Partition};
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
}

#[derive(Clone, Debug)]
pub struct LogBroker {
    pub(super) partitions: Vec<Partition>,
    pub(super) group: ConsumerGroup,
    /// The coordinator's view of each consumer, by consumer id.
    pub(super) members: Vec<Member>,
    pub(super) group_stats: GroupStats,
    pub(super) log_stats: LogStats,
    /// The live chain of retention checks; older chains' events are ignored.
    pub(super) retention_token: u32,
    pub(super) retention_started: bool,
    /// The group's assignor rebalances cooperatively: members keep what they own meanwhile.
    pub(super) cooperative: bool,
    /// The idempotent producer's sequence numbers.
    producer_state: ProducerState,
}

impl LogBroker {
    /// A topic of `partitions` partitions, consumed by a group of `consumers` members, assigned
    /// by `assignor`.
    pub fn new(partitions: u32, consumers: u32, assignor: Assignor, static_members: bool) -> Self {
        let ids: Vec<ConsumerId> = (0..consumers).map(ConsumerId).collect();
        let mut group = ConsumerGroup::new(partitions, &ids);
        if assignor != Assignor::Range {
            group.owner = rebalance::assignment(assignor, static_members, partitions, &ids, |_| (Vec::new(), -1)).0;
        }
        let members = ids
            .iter()
            .map(|&c| Member {
                in_group: true,
                assigned: group.assigned_to(c).collect(),
                check_positions: true,
                ..Member::default()
            })
            .collect();
        LogBroker {
            partitions: (0..partitions).map(|p| Partition::new(PartitionId(p))).collect(),
            group,
            members,
            group_stats: GroupStats::default(),
            log_stats: LogStats::default(),
            retention_token: 0,
            retention_started: false,
            cooperative: assignor.cooperative(),
            producer_state: ProducerState::new(partitions),
        }
    }

    /// A produce request for `msg` reaches the broker: append it to its partition, or, for the
    /// idempotent producer (`seq`), drop a resend the log already has and refuse a record out of
    /// sequence (`sequence.rs`). Returns what happened and the owner of the partition, who may have
    /// work now.
    pub fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> (Received, Option<ConsumerId>) {
        let record = ctx.ledger.live(msg);
        let (partition, appended) = (PartitionId(record.route), record.appended);
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
        self.append(msg, partition, 0, append, ctx);
        let received = if appended { Received::AppendedAgain } else { Received::Appended };
        (received, self.group.owner[partition.index()])
    }

    /// The topic grew to `partitions` (`Command::AddPartitions`): empty logs at offset 0 for the
    /// new ones, with no committed offset, no owner until the next rebalance, and the idempotent
    /// producer's sequence starting at 0. The existing partitions and their records are untouched.
    pub fn add_partitions(&mut self, partitions: u32) {
        let from = self.partitions.len() as u32;
        self.partitions.extend((from..partitions).map(|p| Partition::new(PartitionId(p))));
        self.group.grow(partitions);
        self.producer_state.grow(partitions);
    }

    /// Appends `msg` to `partition`; the record holds the message until the group commits past it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn append(&mut self, msg: MessageId, partition: PartitionId, retry: u32, append: AppendKind, ctx: &mut Ctx) {
        let topic = &ctx.settings.topic;
        let roll = RollPolicy { segment_bytes: topic.segment_bytes, segment_ms: topic.segment_ms };
        let record = LogRecord { msg, retry, appended_at: ctx.now };
        let offset = self.partitions[partition.index()].append(record, ctx.settings.producer.record_bytes, roll);
        ctx.ledger.hold(msg);
        ctx.note(JournalKind::Appended { msg, partition, offset, append });
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
        self.partitions[p].trim_consumed(offset);
        ctx.note(JournalKind::Committed { consumer, partition, offset, auto });
        true
    }

    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }
    pub fn group(&self) -> &ConsumerGroup {
        &self.group
    }
    /// Partitions assigned to `consumer` at the last completed rebalance (none while crashed).
    pub fn assigned(&self, consumer: ConsumerId) -> &[PartitionId] {
        self.members.get(consumer.index()).map_or(&[], |m| &m.assigned)
    }
    pub fn group_stats(&self) -> GroupStats {
        self.group_stats
    }
    pub fn log_stats(&self) -> LogStats {
        self.log_stats
    }
    /// Log end offset minus committed offset: how far the group is behind on partition `p`.
    pub fn lag(&self, p: PartitionId) -> u64 {
        self.partitions[p.index()].log_end().saturating_sub(self.group.committed[p.index()])
    }
}

impl DeliverySource for LogBroker {
    /// The next record for `consumer`, round-robin over its partitions; moves its position. A
    /// partition it was just given gets its position first (`offset_reset.rs`); one that retention
    /// moved past is reset. An error when `auto.offset.reset=none` leaves it nowhere to start.
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        let c = consumer.index();
        if self.members[c].check_positions {
            self.resolve_positions(consumer, ctx)?;
        }
        let n = self.members[c].assigned.len();
        for i in 0..n {
            // Wrap without a division: the cursor is at most n.
            let mut idx = self.members[c].cursor as usize + i;
            while idx >= n {
                idx -= n;
            }
            let p = self.members[c].assigned[idx];
            // An owner fetches from the committed offset at the latest: a static member busy
            // through a rebalance may commit past the position the rebalance reset.
            let mut partition = &self.partitions[p.index()];
            let mut offset = self.group.position[p.index()].max(self.group.committed[p.index()]);
            if offset < partition.log_start() {
                offset = self.reset(p, consumer, ResetCause::OutOfRange, offset, ctx)?;
                partition = &self.partitions[p.index()];
            }
            if offset < partition.log_end() {
                let record = *partition.get(offset).expect("offsets between log start and end exist");
                self.group.position[p.index()] = offset + 1;
                self.members[c].cursor = (idx + 1) as u32;
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
        for i in 0..self.members[c].assigned.len() {
            let p = self.members[c].assigned[i];
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
        let (p, offset) = (delivery.tag.lane as usize, delivery.tag.position);
        match self.group.committed_by(p, offset) {
            None if offset < self.group.skipped_to[p] => Redelivery::Skipped,
            None => Redelivery::Again,
            Some(CommitKind::Record) => Redelivery::Acked,
            Some(CommitKind::Position) => Redelivery::AckedWithDelivered,
        }
    }

    /// The failed record comes back to the end of its partition.
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        let partition = PartitionId(ctx.ledger.live(msg).route);
        self.append(msg, partition, retry, AppendKind::Retry(retry), ctx);
        self.group.owner[partition.index()]
    }

    /// A redrive appends the message again, as a new record of `route`, its key's partition now.
    fn redrive(&mut self, msg: MessageId, route: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        let partition = PartitionId(route);
        self.append(msg, partition, 0, AppendKind::Redrive, ctx);
        self.group.owner[partition.index()]
    }
}
