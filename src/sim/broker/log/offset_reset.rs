//! Where a consumer starts reading a partition: the fetch position and `auto.offset.reset`.
//!
//! A partition's new owner (after a rebalance, or a static member back in its place) has no
//! position of its own. At its first fetch it takes the group's committed offset, as the Java
//! client's `updateFetchPositions` does at the start of `poll()` (`initWithCommittedOffsetsIfNeeded`).
//! When the group has no committed offset for the partition, or the offset to read from is below
//! the log start (retention deleted the records there; the broker answers `OFFSET_OUT_OF_RANGE`),
//! the consumer applies `auto.offset.reset` (`consumers.auto_offset_reset`):
//!
//! - `earliest`: the log start offset, the oldest record still kept.
//! - `latest` (both clients' default): the log end offset at that moment. The records in between
//!   are never read by the group: the log lets go of them at once, as retention does of the
//!   records it deletes, and each one nobody processed is lost ("offset reset to latest"); one a
//!   consumer already processed (its effect applied, not committed) is not.
//! - `none`: the consumer cannot start. The Java client's `poll()` throws
//!   `NoOffsetForPartitionException` (`SubscriptionState.resetInitializingPositions`), or
//!   `OffsetOutOfRangeException` when out of range (`FetchCollector`); the consumer stops
//!   (`Pipeline::fail`) and nothing it was given is lost or read meanwhile. librdkafka has no
//!   `none`: its `error` reports `ERR__AUTO_OFFSET_RESET` and stops fetching only that partition,
//!   which is not modelled.
//!
//! The simulated consumers fetch as soon as they are free: at the start, when a rebalance
//! completes, after each record. So a new group at time 0 starts at offset 0 under `earliest` and
//! `latest` (the log is still empty; under `none` it stops at once, having no committed offset),
//! and a partition that gets an owner only later, with nothing committed (its first owner crashed
//! before committing, say), starts at the log end under `latest`: what was produced before is
//! skipped. That is Kafka's behaviour too.
//!
//! Simplifications: the committed offset stays what Kafka would keep (absent, or out of range), so
//! the next owner resets again, as in Kafka; but records a reset to the log end passed over are
//! settled for good, so should the policy become `earliest` before anyone commits, the next reset
//! starts after them where Kafka would read them again.

use super::TopicReader;
use crate::sim::broker::delivery::FetchError;
use crate::sim::config::choices::AutoOffsetReset;
use crate::sim::ctx::Ctx;
use crate::sim::event::{JournalKind, ResetCause};
use crate::sim::ids::{ConsumerId, PartitionId};
use crate::sim::kernel::time::SimTime;
use crate::sim::ledger::LossReason;

impl TopicReader<'_> {
    /// Partition `p`'s next reader starts from the committed offset, at its first fetch. Until
    /// then it has no position, and nothing of `p` to commit.
    pub(super) fn read_from_committed(&mut self, p: usize) {
        self.group.position[p] = self.group.committed[p];
        self.group.position_known[p] = false;
    }

    /// Gives a position to every partition `consumer` owns that has none: the committed offset,
    /// or where `auto.offset.reset` says. An error (after noting every such partition) when the
    /// policy is none and some partition has no valid committed offset.
    #[cold]
    #[inline(never)]
    pub(super) fn resolve_positions(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<(), FetchError> {
        let c = consumer.index();
        self.group.members[c].check_positions = false;
        let mut result = Ok(());
        for k in 0..self.group.members[c].assigned.len() {
            let p = self.group.members[c].assigned[k];
            let i = p.index();
            if self.group.position_known[i] {
                continue;
            }
            let (committed, log_start) = (self.group.committed[i], self.partitions[i].log_start());
            let seek = ctx.settings.seek_to_time_ms(self.group.subscriber);
            let reset = if let (false, Some(t)) = (self.group.has_commit[i], seek) {
                Ok(self.seek(p, consumer, SimTime::from_ms(t), ctx))
            } else if !self.group.has_commit[i] {
                self.reset(p, consumer, ResetCause::NoCommittedOffset, 0, ctx)
            } else if committed < log_start {
                self.reset(p, consumer, ResetCause::OutOfRange, committed, ctx)
            } else {
                // Not below what an earlier reset passed over: those records are settled.
                let offset = committed.max(self.group.skipped_to[i]);
                self.set_position(i, offset);
                Ok(offset)
            };
            if let Err(e) = reset {
                result = Err(e);
            }
        }
        result
    }

    fn set_position(&mut self, p: usize, offset: u64) {
        self.group.position[p] = offset;
        self.group.position_known[p] = true;
    }

    /// `consumer` has no valid offset to read partition `p` from (`cause`; `from` is the offset
    /// out of range, 0 when nothing was committed): applies `auto.offset.reset`. Returns the new
    /// position, or the error the policy none raises.
    #[cold]
    #[inline(never)]
    pub(super) fn reset(
        &mut self,
        p: PartitionId,
        consumer: ConsumerId,
        cause: ResetCause,
        from: u64,
        ctx: &mut Ctx,
    ) -> Result<u64, FetchError> {
        let i = p.index();
        let (log_start, log_end) = (self.partitions[i].log_start(), self.partitions[i].log_end());
        let policy = ctx.settings.consumers.auto_offset_reset;
        let to = match policy {
            AutoOffsetReset::Earliest => log_start.max(self.group.skipped_to[i]),
            AutoOffsetReset::Latest => log_end,
            AutoOffsetReset::None => {
                ctx.note(JournalKind::ResetFailed { consumer, partition: p, cause, from, log_start });
                return Err(FetchError::NoPosition);
            }
        };
        // What the log still holds for the group below `to`: the records passed over.
        let held_from = self.group.committed[i].max(self.group.skipped_to[i]).max(log_start);
        let skipped = to.saturating_sub(held_from);
        self.group.stats.offset_resets += 1;
        self.log_stats.reset_skipped += skipped;
        let skipped = u32::try_from(skipped).unwrap_or(u32::MAX);
        ctx.note(JournalKind::OffsetReset { consumer, partition: p, cause, policy, from, to, skipped });
        if to > held_from {
            self.skip(p, held_from, to, ctx);
        }
        self.set_position(i, to);
        Ok(to)
    }

    /// `consumer` got partition `p` with no committed offset, and its group seeks to time `t`:
    /// Kafka's `offsetsForTimes` gives the earliest offset whose record's timestamp (CreateTime,
    /// the producer's) is at or after `t`, or none (then the app seeks to the end). Returns the
    /// new position.
    #[cold]
    #[inline(never)]
    fn seek(&mut self, p: PartitionId, consumer: ConsumerId, t: SimTime, ctx: &mut Ctx) -> u64 {
        let i = p.index();
        let held_from = self.group.committed[i].max(self.group.skipped_to[i]).max(self.partitions[i].log_start());
        let part = &self.partitions[i];
        let produced_at = |offset: u64| {
            let msg = part.get(offset).expect("records the group holds are in memory").msg;
            ctx.ledger.get(msg).map_or(SimTime::ZERO, |m| m.produced_at)
        };
        let to = (held_from..part.log_end()).find(|&o| produced_at(o) >= t).unwrap_or(part.log_end());
        let skipped = u32::try_from(to - held_from).unwrap_or(u32::MAX);
        ctx.note(JournalKind::Seeked { consumer, partition: p, to, skipped });
        if to > held_from {
            self.skip_for(p, held_from, to, true, ctx);
        }
        self.set_position(i, to);
        to
    }

    /// The group passes over offsets `[from, to)` of partition `p`: the log stops holding their
    /// messages for it, and each one nobody processed is lost to the reset.
    fn skip(&mut self, p: PartitionId, from: u64, to: u64, ctx: &mut Ctx) {
        self.skip_for(p, from, to, false, ctx);
    }

    /// [`TopicReader::skip`], for a reset or a seek (`seek`).
    fn skip_for(&mut self, p: PartitionId, from: u64, to: u64, seek: bool, ctx: &mut Ctx) {
        let i = p.index();
        let reason = if seek { LossReason::SkippedBySeek } else { LossReason::OffsetResetLatest };
        for offset in from..to {
            let msg = self.partitions[i].get(offset).expect("records the group holds are in memory").msg;
            ctx.step(msg, JournalKind::SkippedByReset { msg, partition: p, offset, seek });
            // The reason counts only if the message ends lost: nobody processed it.
            ctx.release(msg, Some(reason));
        }
        self.group.skipped_to[i] = to;
        self.group.note_skip(i, from);
        if self.groups == 1 {
            self.partitions[i].trim_consumed(to);
        }
    }
}
