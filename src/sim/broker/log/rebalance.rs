//! The group coordinator's side of membership: joins, leaves, silent members noticed by the
//! session timeout, static members taking their place back, and the rebalance with its timeout
//! (see `group.rs` for the protocol). The consumers' side (who is alive, whose hands are full) is
//! the pipeline's; the two meet through the `Membership` seam.

use super::assignor::{revoked, MemberSubscription};
use super::group::{range_assign, GroupState, Member};
use super::TopicReader;
use crate::sim::broker::delivery::{Joined, Membership};
use crate::sim::config::choices::Assignor;
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, GroupEvent, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimDuration;

impl TopicReader<'_> {
    fn member(&mut self, consumer: ConsumerId) -> &mut Member {
        let c = consumer.index();
        if self.group.members.len() <= c {
            self.group.members.resize_with(c + 1, Member::default);
        }
        &mut self.group.members[c]
    }

    /// A static member came back: it owns what it owned, fetched from the committed offsets (the
    /// new process has no positions of its own).
    fn resume_static(&mut self, consumer: ConsumerId, ctx: &mut Ctx) {
        let assigned: Vec<_> = self.group.assigned_to(consumer).collect();
        for p in &assigned {
            self.read_from_committed(p.index());
        }
        let member = self.member(consumer);
        member.assigned = assigned;
        member.cursor = 0;
        member.check_positions = true;
        ctx.note(JournalKind::StaticRejoined { consumer });
    }

    /// Whether every member the coordinator knows has rejoined (`hasAllMembersJoined`).
    fn all_rejoined(&self, rejoined: &dyn Fn(ConsumerId) -> bool) -> bool {
        self.group.members.iter().enumerate().all(|(c, m)| {
            !m.in_group || (m.stale.is_empty() && rejoined(ConsumerId::of(self.group.subscriber, c as u32)))
        })
    }

    /// The owner of each partition after this rebalance, by the group's assignor.
    fn assign(&mut self, members: &[ConsumerId], ctx: &Ctx) -> Vec<Option<ConsumerId>> {
        let n = self.partitions.len() as u32;
        let c = &ctx.settings.consumers;
        let (group, member) = (&self.group, &self.group.members);
        let (owners, follow_up) = assignment(c.assignor, c.static_membership, n, members, |m| {
            let owned = if member[m.index()].fresh { Vec::new() } else { group.assigned_to(m).map(|p| p.0).collect() };
            (owned, group.generation as i32 - 1)
        });
        self.group.follow_up = follow_up;
        owners
    }

    fn schedule_completion(&mut self, ctx: &mut Ctx) {
        let generation = self.group.generation;
        self.group.completion_scheduled = Some(generation);
        let delay = SimDuration::from_ms(ctx.settings.consumers.rebalance_ms);
        let group = self.group.subscriber;
        ctx.after(delay, Event::Group(GroupEvent::RebalanceDone { generation, group }));
    }
}

impl Membership for TopicReader<'_> {
    fn paused(&self) -> bool {
        self.group.paused()
    }

    fn rebalancing(&self) -> bool {
        !self.group.is_stable()
    }

    fn is_member(&self, consumer: ConsumerId) -> bool {
        self.group.is_member(consumer)
    }

    fn join(&mut self, consumer: ConsumerId, static_member: bool, ctx: &mut Ctx) -> Joined {
        let stable = self.group.is_stable();
        let member = self.member(consumer);
        if member.in_group && static_member {
            // KIP-345: the same group.instance.id replaces its old member; its session timer
            // no longer applies.
            member.session += 1;
            if stable {
                self.resume_static(consumer, ctx);
            } else {
                member.fresh = true; // a new process: it owns nothing yet, reads from the commits
            }
            return Joined::TookOldPlace;
        }
        if member.in_group {
            // A restarted process joins under a new member id; the old one is still counted
            // until its session times out.
            let old = member.session;
            member.stale.push(old);
        }
        member.session += 1;
        member.in_group = true;
        member.fresh = true;
        Joined::NeedsRebalance
    }

    fn leave(&mut self, consumer: ConsumerId) {
        let member = self.member(consumer);
        member.in_group = false;
        member.assigned.clear();
    }

    fn silent(&mut self, consumer: ConsumerId, died: bool, ctx: &mut Ctx) {
        let member = self.member(consumer);
        if died {
            // The process is gone with its positions: whoever reads its partitions next starts
            // from the committed offsets.
            member.assigned.clear();
            member.fresh = true;
        }
        let session = member.session;
        let timeout = SimDuration::from_ms(ctx.settings.consumers.session_timeout_ms);
        ctx.after(timeout, Event::Group(GroupEvent::SessionTimeout { consumer, session }));
    }

    fn session_expired(&mut self, consumer: ConsumerId, session: u32, ctx: &mut Ctx) -> bool {
        let member = self.member(consumer);
        if let Some(i) = member.stale.iter().position(|&s| s == session) {
            member.stale.remove(i);
        } else if member.in_group && member.session == session {
            member.in_group = false;
            member.assigned.clear();
        } else {
            return false; // the member heartbeats again (a static member took its place back)
        }
        ctx.note(JournalKind::SessionExpired { consumer });
        true
    }

    fn begin_rebalance(&mut self, ctx: &mut Ctx) -> bool {
        if !self.group.is_stable() {
            return false; // the rebalance in progress takes the change in
        }
        self.group.generation += 1;
        self.group.state = GroupState::PreparingRebalance;
        self.group.completion_scheduled = None;
        self.group.stats.rebalances += 1;
        let generation = self.group.generation;
        ctx.note(JournalKind::RebalanceStarted { group: self.group.subscriber, generation });
        let timeout = SimDuration::from_ms(ctx.settings.consumers.max_poll_interval_ms);
        let group = self.group.subscriber;
        ctx.after(timeout, Event::Group(GroupEvent::RebalanceTimeout { generation, group }));
        true
    }

    fn try_complete(&mut self, rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        let generation = self.group.generation;
        if self.group.is_stable() || self.group.completion_scheduled == Some(generation) {
            return;
        }
        if self.all_rejoined(rejoined) {
            self.schedule_completion(ctx);
        }
    }

    fn rebalance_timed_out(
        &mut self,
        generation: u32,
        rejoined: &dyn Fn(ConsumerId) -> bool,
        static_members: bool,
        ctx: &mut Ctx,
    ) -> Vec<ConsumerId> {
        if generation != self.group.generation
            || self.group.is_stable()
            || self.group.completion_scheduled == Some(generation)
        {
            return Vec::new();
        }
        // `onCompleteJoin`: dynamic members that have not rejoined are removed; static ones stay,
        // but with the old generation: their next commit fails too.
        let mut late = Vec::new();
        let mut dropped = 0;
        let k = self.group.subscriber;
        for (c, m) in self.group.members.iter_mut().enumerate() {
            let id = ConsumerId::of(k, c as u32);
            m.stale.clear();
            if m.in_group && !rejoined(id) {
                late.push(id);
                if !static_members {
                    m.in_group = false;
                    m.assigned.clear();
                    dropped += 1;
                }
            }
        }
        ctx.note(JournalKind::RebalanceTimedOut { group: self.group.subscriber, generation, dropped });
        self.schedule_completion(ctx);
        late
    }

    fn complete(&mut self, generation: u32, ctx: &mut Ctx) -> bool {
        if generation != self.group.generation || self.group.is_stable() {
            return false;
        }
        let members: Vec<ConsumerId> = self
            .group
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.in_group)
            .map(|(c, _)| self.group.member_id(c))
            .collect();
        let owners = self.assign(&members, ctx);
        for (p, &owner) in owners.iter().enumerate() {
            // A new owner (or a new process) starts from the committed offset, or where
            // auto.offset.reset says without a valid one; an owner that keeps a partition
            // (cooperative) keeps its position.
            let fresh = owner.is_some_and(|c| self.group.members[c.index()].fresh);
            if owner != self.group.owner[p] || fresh || !self.group.cooperative {
                self.read_from_committed(p);
            }
        }
        self.group.owner = owners;
        self.group.state = GroupState::Stable;
        self.group.members.iter_mut().for_each(|m| m.fresh = false);
        for c in 0..self.group.members.len() {
            let assigned: Vec<_> = self.group.assigned_to(self.group.member_id(c)).collect();
            let member = &mut self.group.members[c];
            member.assigned = assigned;
            member.cursor = 0;
            member.check_positions = true;
        }
        let group = self.group.subscriber;
        ctx.journal.tap_assignment(group, generation, &self.group.owner);
        ctx.note(JournalKind::RebalanceDone { group, generation });
        true
    }

    fn follow_up(&mut self) -> bool {
        std::mem::take(&mut self.group.follow_up)
    }
}

/// The owner of each partition when `assignor` shares `n` partitions among `members`, each owning
/// what `owned` says (and since which generation); and whether a follow-up rebalance is needed.
/// Under the cooperative protocol a partition that changes owner is withheld (owned by nobody)
/// until the follow-up, after its old owner revoked it.
pub(super) fn assignment(
    assignor: Assignor,
    static_members: bool,
    n: u32,
    members: &[ConsumerId],
    owned: impl Fn(ConsumerId) -> (Vec<u32>, i32),
) -> (Vec<Option<ConsumerId>>, bool) {
    if assignor == Assignor::Range {
        return (range_assign(n, members), false);
    }
    // Named by index: every group assigns as the first one would.
    let name = |c: ConsumerId| format!("consumer-{:04}", c.index());
    let subscriptions: Vec<MemberSubscription> = members
        .iter()
        .map(|&c| {
            let (owned, generation) = owned(c);
            let instance_id = static_members.then(|| format!("instance-{:04}", c.index()));
            MemberSubscription { id: name(c), instance_id, owned, generation: Some(generation) }
        })
        .collect();
    let assignment = assignor.assign(n, &subscriptions);
    let given = |id: &str| assignment.get(id).map_or(&[][..], Vec::as_slice);
    let mut owners = vec![None; n as usize];
    for &c in members {
        for &p in given(&name(c)) {
            owners[p as usize] = Some(c);
        }
    }
    // Cooperative: a member that gave something up rejoins at once for the second round.
    let follow_up = assignor.cooperative() && subscriptions.iter().any(|m| !revoked(&m.owned, given(&m.id)).is_empty());
    (owners, follow_up)
}
