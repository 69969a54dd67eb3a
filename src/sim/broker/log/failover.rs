//! The log broker's side of replication (`replication.rs` keeps the cluster's state): writes a
//! missing leader or too few in-sync replicas refuse, followers' fetches and the high watermark,
//! broker crashes and starts, leader elections, and the records a new leader did not have, which
//! leave the log and are settled in the ledger (lost, unless some subscriber already applied them).

use super::partition::Partition;
use super::replication::{Pending, ReplicaSet, Replication};
use super::{AckState, LogBroker, Received};
use crate::sim::config::replication::ReplicationConfig;
use crate::sim::config::scenario::Acks;
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, LogEvent};
use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::time::SimDuration;
use crate::sim::ledger::LossReason;

/// Which consumers may have work after a replication event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Woken {
    Nothing,
    /// Partition's high watermark moved: its owners.
    Partition(PartitionId),
    /// Leaders changed: everyone.
    All,
}

/// No idempotent producer's sequence on a pending record.
const NO_SEQ: u32 = u32::MAX;

impl LogBroker {
    /// A cluster of more than one broker replicates its partitions; one broker keeps the log as
    /// it was (every append committed at once).
    pub fn replicate(&mut self, cfg: &ReplicationConfig) {
        if cfg.is_clustered() {
            self.replication = Some(Replication::new(cfg, self.partitions.len() as u32));
            self.partitions.iter_mut().for_each(|p| p.set_high_watermark(0));
        }
    }

    /// The cluster, when there is more than one broker.
    pub fn replication(&self) -> Option<&Replication> {
        self.replication.as_ref()
    }

    /// Why the leader of partition `p` refuses a write now, if it does: there is no live leader,
    /// or with acks=all fewer in-sync replicas than `min.insync.replicas`
    /// (`Partition.appendRecordsToLeader`).
    pub(super) fn write_refusal(&mut self, msg: MessageId, p: usize, ctx: &mut Ctx) -> Option<Received> {
        let r = self.replication.as_mut()?;
        let partition = PartitionId(p as u32);
        if !r.leader_up(p) {
            r.stats.no_leader += 1;
            ctx.note(JournalKind::NoLeader { msg, partition });
            return Some(Received::NoLeader);
        }
        let min = ctx.settings.replication.min_insync_replicas;
        if ctx.settings.producer.acks == Acks::All && r.sets[p].isr_count() < min {
            r.stats.not_enough_replicas += 1;
            ctx.note(JournalKind::NotEnoughReplicas { msg, partition, after_append: false });
            return Some(Received::NotEnoughReplicas);
        }
        None
    }

    /// Whether the producer's write of in-flight `msg` is answered yet (acks=all): committed (the
    /// high watermark passed it, with enough replicas in sync), not yet, or failed.
    pub fn ack_state(&mut self, msg: MessageId, ctx: &mut Ctx) -> AckState {
        let Some(r) = self.replication.as_mut() else { return AckState::Committed };
        let record = ctx.ledger.live(msg);
        let (p, appended) = (record.route as usize, record.appended);
        if !r.leader_up(p) {
            return AckState::Failed;
        }
        let set = &r.sets[p];
        if let Some(e) = set.pending.iter().find(|e| e.msg == msg) {
            // The leader that took it is gone: its answer never comes.
            return if e.epoch == set.epoch { AckState::NotYet } else { AckState::Failed };
        }
        if !appended {
            return AckState::Failed; // a new leader did not have it
        }
        if set.isr_count() < ctx.settings.replication.min_insync_replicas {
            r.stats.not_enough_replicas += 1;
            let partition = PartitionId(p as u32);
            ctx.note(JournalKind::NotEnoughReplicas { msg, partition, after_append: true });
            return AckState::Failed;
        }
        AckState::Committed
    }

    /// Broker `b` crashes: the partitions it leads go offline for clients at once; the
    /// controller notices after `replication.detection_ms`.
    pub fn crash_broker(&mut self, b: u8, ctx: &mut Ctx) {
        let Some(r) = self.replication.as_mut() else { return };
        r.down |= 1 << b;
        r.unnoticed |= 1 << b;
        r.incarnation[b as usize] += 1;
        for (set, partition) in r.sets.iter_mut().zip(&mut self.partitions) {
            if set.leader == Some(b) {
                partition.set_online(false);
                let i = set.index_of(b).expect("a leader is a replica");
                set.leo[i] = partition.log_end(); // its disk keeps what it had
            }
        }
        ctx.note(JournalKind::BrokerCrashed { broker: b });
        let incarnation = r.incarnation[b as usize];
        let delay = SimDuration::from_ms(ctx.settings.replication.detection_ms);
        ctx.after(delay, Event::Log(LogEvent::BrokerNoticed { broker: b, incarnation }));
    }

    /// Broker `b` starts again (noticed as down first, if the controller had not yet): its
    /// replicas drop what their leaders do not have and fetch the rest; a partition with no
    /// leader gets one if `b` may lead it.
    pub fn start_broker(&mut self, b: u8, ctx: &mut Ctx) -> Woken {
        let Some(r) = self.replication.as_mut() else { return Woken::Nothing };
        if r.unnoticed & (1 << b) != 0 {
            let incarnation = r.incarnation[b as usize];
            self.broker_noticed(b, incarnation, ctx);
        }
        let r = self.replication.as_mut().expect("replicated");
        r.down &= !(1 << b);
        ctx.note(JournalKind::BrokerStarted { broker: b });
        for p in 0..self.partitions.len() {
            let set = &mut self.replication.as_mut().expect("replicated").sets[p];
            let Some(i) = set.index_of(b) else { continue };
            set.leo[i] = set.leo[i].min(self.partitions[p].log_end());
            if set.leader.is_none() {
                self.elect(p, ctx);
            } else {
                self.fetch_soon(p, ctx);
            }
        }
        Woken::All
    }

    /// The controller notices that broker `b` is down: it leaves each in-sync set it is in (but
    /// never empties one), and each partition it led gets a new leader.
    pub(super) fn broker_noticed(&mut self, b: u8, incarnation: u32, ctx: &mut Ctx) -> Woken {
        let Some(r) = self.replication.as_mut() else { return Woken::Nothing };
        if r.incarnation[b as usize] != incarnation || r.unnoticed & (1 << b) == 0 {
            return Woken::Nothing;
        }
        r.unnoticed &= !(1 << b);
        for p in 0..self.partitions.len() {
            let r = self.replication.as_mut().expect("replicated");
            let set = &mut r.sets[p];
            if set.index_of(b).is_none() {
                continue;
            }
            if set.in_sync(b) && set.isr_count() > 1 {
                set.isr &= !(1 << b);
                r.stats.isr_shrinks += 1;
                let isr = set.isr_count() as u8;
                ctx.note(JournalKind::IsrShrunk { partition: PartitionId(p as u32), broker: b, isr });
            }
            if set.leader == Some(b) {
                self.elect(p, ctx);
            } else if let Some(r) = self.replication.as_mut() {
                update_high_watermark(r, &mut self.partitions[p], p);
            }
        }
        Woken::All
    }

    /// Elects partition `p`'s leader: the first replica in assignment order that is alive and in
    /// sync, or with unclean election on the first alive one; with neither, it stays offline.
    fn elect(&mut self, p: usize, ctx: &mut Ctx) {
        let r = self.replication.as_mut().expect("replicated");
        let partition = PartitionId(p as u32);
        let set = &r.sets[p];
        let alive = |b: u8| r.down & (1 << b) == 0;
        let clean = set.replicas.iter().copied().find(|&b| alive(b) && set.in_sync(b));
        let unclean = ctx.settings.replication.unclean_leader_election;
        let chosen = clean.or_else(|| set.replicas.iter().copied().find(|&b| unclean && alive(b)));
        let Some(leader) = chosen else {
            r.sets[p].leader = None;
            self.partitions[p].set_online(false);
            ctx.note(JournalKind::PartitionOffline { partition });
            return;
        };
        let is_unclean = clean.is_none();
        r.stats.leader_elections += 1;
        r.stats.unclean_elections += u64::from(is_unclean);
        let set = &mut r.sets[p];
        let i = set.index_of(leader).expect("a leader is a replica");
        let end = set.leo[i];
        set.leader = Some(leader);
        set.epoch += 1;
        set.fetch_token = set.fetch_token.wrapping_add(1);
        set.fetch_pending = false;
        if is_unclean {
            set.isr = 1 << leader;
        }
        set.leo.iter_mut().for_each(|l| *l = (*l).min(end));
        let old_hw = self.partitions[p].high_watermark();
        let truncated = self.truncate(p, end, old_hw, ctx);
        let set = &mut self.replication.as_mut().expect("replicated").sets[p];
        let hw = set.high_watermark(self.partitions[p].log_end());
        self.partitions[p].set_high_watermark(hw);
        self.partitions[p].set_online(true);
        while set.pending.front().is_some_and(|e| e.offset < hw) {
            set.pending.pop_front();
        }
        let epoch = set.epoch;
        ctx.note(JournalKind::LeaderElected { partition, leader, epoch, unclean: is_unclean, truncated });
        self.fetch_soon(p, ctx);
    }

    /// The new leader of partition `p` has the log up to `end` only: the records from there on
    /// leave it. Each group that still held one lets go of it (lost, unless a subscriber applied
    /// it: above the old high watermark `old_hw` to a failover, below it to an unclean election);
    /// a group's offsets past the new end come back to it; the idempotent producer's next
    /// sequence on `p` goes back to the first record removed. Returns how many records left.
    fn truncate(&mut self, p: usize, end: u64, old_hw: u64, ctx: &mut Ctx) -> u64 {
        let (partitions, groups) = (&mut self.partitions, &mut self.groups);
        let bytes = ctx.settings.producer.record_bytes;
        let partition = PartitionId(p as u32);
        let mut removed = 0;
        partitions[p].truncate(end, bytes, |offset, rec| {
            removed += 1;
            let reason = if offset < old_hw { LossReason::UncleanElection } else { LossReason::LeaderFailover };
            if ctx.ledger.is_in_flight(rec.msg) {
                ctx.ledger.unmark_appended(rec.msg);
                ctx.step(rec.msg, JournalKind::Truncated { msg: rec.msg, partition, offset });
            }
            for _ in groups.iter().filter(|g| offset >= g.held_from(p)) {
                ctx.release(rec.msg, Some(reason));
            }
        });
        for g in groups.iter_mut() {
            g.committed[p] = g.committed[p].min(end);
            g.position[p] = g.position[p].min(end);
            g.skipped_to[p] = g.skipped_to[p].min(end);
        }
        let r = self.replication.as_mut().expect("replicated");
        r.stats.records_truncated += removed;
        let set = &mut r.sets[p];
        let mut rollback = None;
        while set.pending.back().is_some_and(|e| e.offset >= end) {
            let e = set.pending.pop_back().expect("not empty");
            if e.seq != NO_SEQ {
                rollback = Some(e.seq);
            }
        }
        if let Some(seq) = rollback {
            self.producer_state.roll_back(p, seq);
        }
        removed
    }

    fn fetch_soon(&mut self, p: usize, ctx: &mut Ctx) {
        if let Some(r) = self.replication.as_mut() {
            schedule_fetch(r, &self.partitions[p], p, ctx);
        }
    }

    /// The followers of partition `p` copied everything up to `upto`: each live one's log end
    /// moves there, one that reached the high watermark is in sync again, and the high watermark
    /// follows. True if it moved (consumers may read more).
    pub(super) fn on_fetch(&mut self, p: usize, token: u32, upto: u64, ctx: &mut Ctx) -> Woken {
        let Some(r) = self.replication.as_mut() else { return Woken::Nothing };
        let set = &mut r.sets[p];
        if token != set.fetch_token {
            return Woken::Nothing;
        }
        set.fetch_pending = false;
        let partition = &self.partitions[p];
        let upto = upto.min(partition.log_end());
        let hw = partition.high_watermark();
        for i in 0..set.replicas.len() {
            let b = set.replicas[i];
            if Some(b) == set.leader || r.down & (1 << b) != 0 {
                continue;
            }
            set.leo[i] = set.leo[i].max(upto);
            if !set.in_sync(b) && set.leo[i] >= hw {
                set.isr |= 1 << b;
                r.stats.isr_expands += 1;
                let (partition, isr) = (PartitionId(p as u32), set.isr_count() as u8);
                ctx.note(JournalKind::IsrExpanded { partition, broker: b, isr });
            }
        }
        let moved = update_high_watermark(r, &mut self.partitions[p], p);
        schedule_fetch(r, &self.partitions[p], p, ctx);
        if moved {
            Woken::Partition(PartitionId(p as u32))
        } else {
            Woken::Nothing
        }
    }
}

/// A record was appended to partition `p` at `offset`: it waits above the high watermark for the
/// followers (committed at once without any).
pub(super) fn replicate_append(
    r: &mut Replication,
    partition: &mut Partition,
    (offset, msg, seq): (u64, MessageId, Option<u32>),
    ctx: &mut Ctx,
) {
    let p = partition.id().index();
    let set = &mut r.sets[p];
    if set.replicas.len() > 1 {
        set.pending.push_back(Pending { offset, msg, seq: seq.unwrap_or(NO_SEQ), epoch: set.epoch });
    }
    update_high_watermark(r, partition, p);
    schedule_fetch(r, partition, p, ctx);
}

/// Moves partition `p`'s high watermark to what its in-sync replicas allow; true if it moved.
fn update_high_watermark(r: &mut Replication, partition: &mut Partition, p: usize) -> bool {
    let set = &mut r.sets[p];
    if set.leader.is_none() {
        return false;
    }
    let hw = set.high_watermark(partition.log_end());
    if hw <= partition.high_watermark() {
        return false;
    }
    partition.set_high_watermark(hw);
    while set.pending.front().is_some_and(|e| e.offset < hw) {
        set.pending.pop_front();
    }
    true
}

/// Schedules the followers' next fetch of partition `p`, unless one is on its way, its leader is
/// down, or every live follower has everything.
fn schedule_fetch(r: &mut Replication, partition: &Partition, p: usize, ctx: &mut Ctx) {
    if !r.leader_up(p) || r.sets[p].fetch_pending {
        return;
    }
    let (down, end) = (r.down, partition.log_end());
    let set = &mut r.sets[p];
    if !behind(set, down, end) {
        return;
    }
    set.fetch_pending = true;
    let (partition, token) = (p as u32, set.fetch_token);
    let delay = SimDuration::from_ms(ctx.settings.replication.fetch_ms);
    ctx.after(delay, Event::Log(LogEvent::Fetch { partition, token, upto: end }));
}

/// Whether a live follower of `set` lacks records of a log ending at `end`, or is out of sync:
/// its next fetch brings it back in (a follower fetches all the time, new records or not).
fn behind(set: &ReplicaSet, down: u32, end: u64) -> bool {
    (0..set.replicas.len()).any(|i| {
        let b = set.replicas[i];
        Some(b) != set.leader && down & (1 << b) == 0 && (set.leo[i] < end || !set.in_sync(b))
    })
}
