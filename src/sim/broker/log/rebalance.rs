//! The group coordinator's side of membership: joins, leaves, crashes noticed by the session
//! timeout, and the eager rebalance (see `group.rs` for the protocol). The consumers' side (who is
//! alive, whose hands are full) is the pipeline's; the two meet through the `Membership` seam.

use super::group::{range_assign, GroupState, Member};
use super::LogBroker;
use crate::sim::broker::delivery::Membership;
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, GroupEvent, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimDuration;

impl Membership for LogBroker {
    fn paused(&self) -> bool {
        !self.group.is_stable()
    }

    fn is_member(&self, consumer: ConsumerId) -> bool {
        self.members.get(consumer.index()).is_some_and(|m| m.in_group)
    }

    fn join(&mut self, consumer: ConsumerId) {
        let c = consumer.index();
        if self.members.len() <= c {
            self.members.resize_with(c + 1, Member::default);
        }
        self.members[c].in_group = true;
    }

    fn leave(&mut self, consumer: ConsumerId) {
        self.members[consumer.index()].in_group = false;
    }

    fn crashed(&mut self, consumer: ConsumerId, epoch: u32, ctx: &mut Ctx) {
        self.members[consumer.index()].assigned.clear();
        let session = SimDuration::from_ms(ctx.settings.consumers.session_timeout_ms);
        ctx.after(session, Event::Group(GroupEvent::SessionTimeout { consumer, epoch }));
    }

    fn expire(&mut self, consumer: ConsumerId, ctx: &mut Ctx) {
        self.members[consumer.index()].in_group = false;
        ctx.note(JournalKind::SessionExpired { consumer });
    }

    fn begin_rebalance(&mut self, ctx: &mut Ctx) {
        self.group.generation += 1;
        self.group.state = GroupState::PreparingRebalance;
        self.group.completion_scheduled = None;
        self.group_stats.rebalances += 1;
        ctx.note(JournalKind::RebalanceStarted { generation: self.group.generation });
    }

    fn try_complete(&mut self, busy: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        let generation = self.group.generation;
        if self.group.is_stable() || self.group.completion_scheduled == Some(generation) {
            return;
        }
        if self.members.iter().enumerate().any(|(c, m)| m.in_group && busy(ConsumerId(c as u32))) {
            return;
        }
        self.group.completion_scheduled = Some(generation);
        let delay = SimDuration::from_ms(ctx.settings.consumers.rebalance_ms);
        ctx.after(delay, Event::Group(GroupEvent::RebalanceDone { generation }));
    }

    fn complete(&mut self, generation: u32, members: &[ConsumerId], ctx: &mut Ctx) -> bool {
        if generation != self.group.generation || self.group.is_stable() {
            return false;
        }
        self.group.owner = range_assign(self.partitions.len() as u32, members);
        for p in 0..self.partitions.len() {
            // Every new owner resumes from the committed offset.
            self.group.position[p] = self.group.committed[p].max(self.partitions[p].log_start());
        }
        self.group.state = GroupState::Stable;
        for c in 0..self.members.len() {
            let assigned = self.group.assigned_to(ConsumerId(c as u32)).collect();
            let member = &mut self.members[c];
            member.assigned = assigned;
            member.cursor = 0;
        }
        ctx.note(JournalKind::RebalanceDone { generation });
        true
    }
}
