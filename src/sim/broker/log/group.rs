//! The consumer group: who owns which partition, the committed offsets, and rebalancing.
//!
//! Rebalancing follows Kafka's classic group protocol with eager assignors (the coordinator's
//! `GroupCoordinator` / `GroupMetadata`): when membership changes, every member finishes the
//! record in hand, stops fetching and rejoins. The join phase ends only when every member the
//! coordinator knows has rejoined (`hasAllMembersJoined`): a crashed member is known until its
//! session times out, so the whole group waits for it; or when the rebalance timeout
//! (`max.poll.interval.ms`) runs out, and dynamic members that have not rejoined are dropped. Then,
//! after the sync delay, partitions are reassigned and every owner resumes from the committed
//! offset (or, without a valid one, where `auto.offset.reset` says: `offset_reset.rs`). A
//! membership change during the join phase joins the same rebalance.

use crate::sim::ids::{ConsumerId, PartitionId};
use crate::sim::kernel::sort;

use super::stats::GroupStats;
use crate::sim::broker::delivery::Redelivery;

use super::assignor::range_split;

/// Kafka's `RangeAssignor` for one topic (`assignor::range_split`): members sorted by id,
/// partitions in order; each member gets `partitions / members`, and the first
/// `partitions % members` members get one more. Returns the owner of each partition.
pub fn range_assign(partitions: u32, members: &[ConsumerId]) -> Vec<Option<ConsumerId>> {
    let mut owners = vec![None; partitions as usize];
    let mut sorted = members.to_vec();
    sort::sort_by(&mut sorted, Ord::cmp);
    let n = sorted.len() as u32;
    for (i, &m) in (0u32..).zip(&sorted) {
        for p in range_split(partitions, n, i) {
            owners[p as usize] = Some(m);
        }
    }
    owners
}

/// A consumer as the group coordinator sees it.
#[derive(Clone, Debug, Default)]
pub struct Member {
    /// A member of the group (a crashed consumer stays one until its session times out).
    pub in_group: bool,
    /// The registered incarnation of this consumer; session timers carry it. A restarted process
    /// is a new incarnation.
    pub session: u32,
    /// Earlier incarnations that crashed and were replaced by a restart under a new member id
    /// (dynamic membership): the coordinator still counts them, and waits for them to rejoin,
    /// until their sessions time out.
    pub stale: Vec<u32>,
    /// Joined since the last assignment as a new process: it owns nothing in its subscription and
    /// reads from the committed offsets.
    pub fresh: bool,
    /// Partitions assigned at the last completed rebalance (cleared when the process dies: a
    /// restarted consumer owns nothing until the next assignment).
    pub assigned: Vec<PartitionId>,
    /// Round-robin cursor over the assigned partitions.
    pub cursor: u32,
    /// Some assigned partition may have no position yet: the next fetch gives them one (the Java
    /// client's `updateFetchPositions`, at the start of `poll()`).
    pub check_positions: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupState {
    Stable,
    /// Waiting for members to rejoin; nobody fetches.
    PreparingRebalance,
}

/// What moved a partition's committed offset: a commit of one record's offset (the pipeline's
/// acknowledgement of a delivery, e.g. a commit before processing) or of the consumer's position,
/// everything handed to it so far (auto-commit, on its timer or when partitions are revoked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitKind {
    Record,
    Position,
    /// Not a commit: an offset reset (or a seek) passed over the offsets from here on, and
    /// commits after it start at the reset's target. A delivery in that range that a consumer
    /// still held was skipped, whatever was committed past it later.
    Skipped,
}

/// One consumer group reading the topic: its members, its committed offsets and its rebalances.
/// Groups are independent (Kafka's `group.id`): each reads every record at its own pace, and what
/// one commits says nothing to another.
#[derive(Clone, Debug)]
pub struct ConsumerGroup {
    /// Which subscriber the group is: 0, or its place in the scenario's `subscribers`. Its members'
    /// ids carry it (`ConsumerId::of`).
    pub subscriber: u8,
    /// The coordinator's view of each member, by consumer index.
    pub members: Vec<Member>,
    pub stats: GroupStats,
    /// The group's assignor rebalances cooperatively: members keep what they own meanwhile.
    pub cooperative: bool,
    pub generation: u32,
    pub state: GroupState,
    /// Next offset to read, per partition, as committed by the group (0 while it has none).
    pub committed: Vec<u64>,
    /// Whether the group has committed an offset for the partition (a new group has none).
    pub has_commit: Vec<bool>,
    /// Per partition, which kind of commit committed the offsets from where on: `(from, kind)`,
    /// a new entry only when the kind changes (when the commit strategy changed), so it stays
    /// short. Says why a record will not be read again.
    pub commit_kinds: Vec<Vec<(u64, CommitKind)>>,
    /// Next offset the current owner will fetch, per partition, once `position_known`.
    pub position: Vec<u64>,
    /// Whether the current owner has a position. A new owner has none: it takes the committed
    /// offset at its first fetch, or applies `auto.offset.reset` (`offset_reset.rs`).
    pub position_known: Vec<bool>,
    /// Offsets below this were passed over by an offset reset to the log end: the log no longer
    /// holds them for the group, and nobody in it reads them (the committed offset may be lower,
    /// or absent, as in Kafka).
    pub skipped_to: Vec<u64>,
    /// Owner of each partition, by partition index.
    pub owner: Vec<Option<ConsumerId>>,
    /// Generation whose completion is already scheduled.
    pub completion_scheduled: Option<u32>,
    /// A cooperative rebalance revoked partitions: a second one follows at once.
    pub follow_up: bool,
}

impl ConsumerGroup {
    /// Group `subscriber` of `members` members, owning the partitions as `owner` says.
    pub fn new(subscriber: u8, members: u32, owner: Vec<Option<ConsumerId>>, cooperative: bool) -> Self {
        let partitions = owner.len();
        let mut group = ConsumerGroup {
            subscriber,
            members: Vec::new(),
            stats: GroupStats::default(),
            cooperative,
            generation: 1,
            state: GroupState::Stable,
            committed: vec![0; partitions],
            has_commit: vec![false; partitions],
            commit_kinds: vec![Vec::new(); partitions],
            position: vec![0; partitions],
            position_known: vec![false; partitions],
            skipped_to: vec![0; partitions],
            owner,
            completion_scheduled: None,
            follow_up: false,
        };
        group.members = (0..members)
            .map(|c| Member {
                in_group: true,
                assigned: group.assigned_to(ConsumerId::of(subscriber, c)).collect(),
                check_positions: true,
                ..Member::default()
            })
            .collect();
        group
    }

    /// The id of member `c` (by index) of this group.
    pub fn member_id(&self, c: usize) -> ConsumerId {
        ConsumerId::of(self.subscriber, c as u32)
    }

    /// Where the group still holds partition `p`'s records from: past its commits and what an
    /// offset reset passed over.
    pub fn held_from(&self, p: usize) -> u64 {
        self.committed[p].max(self.skipped_to[p])
    }

    /// The topic grew to `partitions`: each new one has no committed offset (its first reader
    /// starts at offset 0, the partition's start: nothing was produced to it before it existed)
    /// and no owner until the next rebalance assigns it.
    pub fn grow(&mut self, partitions: u32) {
        let n = partitions as usize;
        self.committed.resize(n, 0);
        // A new partition has no committed offset: its first reader applies auto.offset.reset
        // (with `latest`, records produced to it before that first fetch are skipped, as in Kafka).
        self.has_commit.resize(n, false);
        self.commit_kinds.resize_with(n, Vec::new);
        self.position.resize(n, 0);
        self.position_known.resize(n, false);
        self.skipped_to.resize(n, 0);
        self.owner.resize(n, None);
    }

    pub fn is_stable(&self) -> bool {
        self.state == GroupState::Stable
    }

    /// Whether the members stop fetching: eager assignors stop everyone for a rebalance; the
    /// cooperative protocol keeps members on what they own while it runs.
    pub fn paused(&self) -> bool {
        !self.is_stable() && !self.cooperative
    }

    /// Whether `consumer` is a member (a crashed one stays one until its session times out).
    pub fn is_member(&self, consumer: ConsumerId) -> bool {
        self.members.get(consumer.index()).is_some_and(|m| m.in_group)
    }

    /// Whether the group reads the record at `offset` of partition `p` again: not once it
    /// committed past it (which commit did says why not) or an offset reset passed over it.
    pub fn redelivery(&self, p: usize, offset: u64) -> Redelivery {
        match self.committed_by(p, offset) {
            None if offset < self.skipped_to[p] => Redelivery::Skipped,
            None => Redelivery::Again,
            Some(CommitKind::Record) => Redelivery::Acked,
            Some(CommitKind::Position) => Redelivery::AckedWithDelivered,
            Some(CommitKind::Skipped) => Redelivery::Skipped,
        }
    }

    /// Records that a commit of `kind` moved partition `p`'s committed offset from `old` on.
    pub fn note_commit(&mut self, p: usize, old: u64, kind: CommitKind) {
        // What a reset passed over stays skipped: a commit covers only what comes after it.
        let old = old.max(self.skipped_to[p]);
        let kinds = &mut self.commit_kinds[p];
        if kinds.last().map(|k| k.1) != Some(kind) {
            kinds.push((old, kind));
        }
    }

    /// A reset (or a seek) passed over partition `p`'s offsets `[from, to)` (`skipped_to` is
    /// `to` by now).
    pub fn note_skip(&mut self, p: usize, from: u64) {
        let kinds = &mut self.commit_kinds[p];
        // Kept in offset order: an earlier entry at or after `from` covered offsets that are
        // skipped now.
        while kinds.last().is_some_and(|k| k.0 >= from) {
            kinds.pop();
        }
        if kinds.last().map(|k| k.1) != Some(CommitKind::Skipped) {
            kinds.push((from, CommitKind::Skipped));
        }
    }

    /// Which kind of commit committed `offset` of partition `p`; `None` while it is not committed.
    pub fn committed_by(&self, p: usize, offset: u64) -> Option<CommitKind> {
        if offset >= self.committed[p] {
            return None;
        }
        let kinds = &self.commit_kinds[p];
        kinds[..kinds.partition_point(|k| k.0 <= offset)].last().map(|k| k.1)
    }

    /// Partitions owned by `member`, in order.
    pub fn assigned_to(&self, member: ConsumerId) -> impl Iterator<Item = PartitionId> + '_ {
        self.owner.iter().enumerate().filter(move |(_, o)| **o == Some(member)).map(|(p, _)| PartitionId(p as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `range_assign` over bare numbers, for short tables.
    fn assign(partitions: u32, members: &[u32]) -> Vec<Option<u32>> {
        let members: Vec<ConsumerId> = members.iter().map(|&m| ConsumerId(m)).collect();
        range_assign(partitions, &members).into_iter().map(|o| o.map(|c| c.0)).collect()
    }

    #[test]
    fn range_assignor_matches_kafka() {
        // Kafka's RangeAssignor javadoc: 2 consumers, 3 partitions: C0 gets p0, p1; C1 gets p2.
        assert_eq!(assign(3, &[0, 1]), vec![Some(0), Some(0), Some(1)]);
        assert_eq!(assign(4, &[1, 0]), vec![Some(0), Some(0), Some(1), Some(1)]);
        // More members than partitions: the last members get nothing.
        assert_eq!(assign(2, &[0, 1, 2]), vec![Some(0), Some(1)]);
        assert_eq!(assign(7, &[0, 2, 5]), vec![Some(0), Some(0), Some(0), Some(2), Some(2), Some(5), Some(5)]);
        assert_eq!(assign(2, &[]), vec![None, None]);
    }
}
