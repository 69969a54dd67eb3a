//! Group membership: crashes noticed by the session timeout, restarts, joins and leaves, and the
//! eager rebalance that follows each of them (see `group.rs` for the protocol).

use crate::sim::broker::log::group::{range_assign, GroupState};
use crate::sim::client::consumer::{Consumer, ConsumerStatus};
use crate::sim::config::scenario::CommitStrategy;
use crate::sim::engine::Simulation;
use crate::sim::event::{Event, GroupEvent, JournalKind};

impl Simulation {
    pub(in crate::sim) fn on_group_event(&mut self, event: GroupEvent) {
        match event {
            GroupEvent::SessionTimeout { consumer, epoch } => self.on_session_timeout(consumer, epoch),
            GroupEvent::RebalanceDone { generation } => self.on_rebalance_done(generation),
        }
    }

    pub(in crate::sim) fn on_session_timeout(&mut self, c: u32, epoch: u32) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.epoch != epoch || consumer.status != ConsumerStatus::Crashed || !consumer.in_group {
            return;
        }
        consumer.in_group = false;
        self.note(JournalKind::SessionExpired { consumer: c });
        self.begin_rebalance();
    }

    /// A crashed consumer starts again and rejoins the group.
    pub(in crate::sim) fn restart(&mut self, c: u32) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.status != ConsumerStatus::Crashed {
            return;
        }
        consumer.epoch += 1;
        consumer.status = ConsumerStatus::Rebalancing;
        consumer.in_group = true;
        self.note(JournalKind::Restarted { consumer: c });
        if let CommitStrategy::Auto { interval_ms } = self.scenario.consumers.commit {
            self.schedule_autocommit(c, interval_ms);
        }
        self.begin_rebalance();
    }

    pub(in crate::sim) fn add_consumer(&mut self) {
        let id = self.consumers.len() as u32;
        let mut consumer = Consumer::new(id);
        consumer.status = ConsumerStatus::Rebalancing;
        self.consumers.push(consumer);
        self.note(JournalKind::Joined { consumer: id });
        if let CommitStrategy::Auto { interval_ms } = self.scenario.consumers.commit {
            self.schedule_autocommit(id, interval_ms);
        }
        self.begin_rebalance();
    }

    /// The newest live member leaves cleanly: now if idle, else after its current record.
    pub(in crate::sim) fn remove_consumer(&mut self) {
        let Some(c) = self.consumers.iter().rev().find(|c| c.is_alive() && c.in_group && !c.leaving).map(|c| c.id)
        else {
            return;
        };
        if self.consumers[c as usize].in_hand.is_some() {
            self.consumers[c as usize].leaving = true;
        } else {
            self.leave(c);
        }
    }

    fn leave(&mut self, c: u32) {
        if matches!(self.scenario.consumers.commit, CommitStrategy::Auto { .. }) {
            self.commit_positions(c); // a clean close commits what it consumed
        }
        let consumer = &mut self.consumers[c as usize];
        consumer.in_group = false;
        consumer.leaving = false;
        consumer.status = ConsumerStatus::Stopped;
        consumer.epoch += 1;
        self.note(JournalKind::Left { consumer: c });
        self.begin_rebalance();
    }

    /// After a record: leave, wait for the rebalance, or go idle. True when idle.
    pub(in crate::sim) fn after_record(&mut self, c: u32) -> bool {
        if self.consumers[c as usize].leaving {
            self.leave(c);
            return false;
        }
        if !self.group.is_stable() {
            self.enter_rebalancing(c);
            self.check_rebalance_ready();
            return false;
        }
        self.consumers[c as usize].status = ConsumerStatus::Idle;
        true
    }

    fn enter_rebalancing(&mut self, c: u32) {
        if matches!(self.scenario.consumers.commit, CommitStrategy::Auto { .. }) {
            self.commit_positions(c); // on revoke, auto-commit commits what was consumed
        }
        self.consumers[c as usize].status = ConsumerStatus::Rebalancing;
    }

    /// Membership changed: every live member stops fetching and rejoins once its hands are free.
    pub(in crate::sim) fn begin_rebalance(&mut self) {
        self.group.generation += 1;
        self.group.state = GroupState::PreparingRebalance;
        self.group.completion_scheduled = None;
        self.stats.group.rebalances += 1;
        self.note(JournalKind::RebalanceStarted { generation: self.group.generation });
        for c in 0..self.consumers.len() {
            let consumer = &self.consumers[c];
            if consumer.is_alive() && consumer.in_hand.is_none() && consumer.status != ConsumerStatus::Rebalancing {
                self.enter_rebalancing(c as u32);
            }
        }
        self.check_rebalance_ready();
    }

    /// Schedules the end of the rebalance once every live member has rejoined.
    pub(in crate::sim) fn check_rebalance_ready(&mut self) {
        let generation = self.group.generation;
        if self.group.is_stable() || self.group.completion_scheduled == Some(generation) {
            return;
        }
        if self.consumers.iter().any(|c| c.is_alive() && c.in_group && c.in_hand.is_some()) {
            return;
        }
        self.group.completion_scheduled = Some(generation);
        let at = self.now.plus_ms(self.scenario.consumers.rebalance_ms);
        self.scheduler.schedule(at, Event::Group(GroupEvent::RebalanceDone { generation }));
    }

    pub(in crate::sim) fn on_rebalance_done(&mut self, generation: u32) {
        if generation != self.group.generation || self.group.is_stable() {
            return;
        }
        let members: Vec<u32> = self.consumers.iter().filter(|c| c.is_alive() && c.in_group).map(|c| c.id).collect();
        self.group.owner = range_assign(self.partitions.len() as u32, &members);
        for p in 0..self.partitions.len() {
            // Every new owner resumes from the committed offset.
            self.group.position[p] = self.group.committed[p].max(self.partitions[p].log_start());
        }
        self.group.state = GroupState::Stable;
        for c in 0..self.consumers.len() {
            let assigned: Vec<u32> = self.group.assigned_to(c as u32).collect();
            let consumer = &mut self.consumers[c];
            consumer.assigned = assigned;
            consumer.cursor = 0;
            if consumer.status == ConsumerStatus::Rebalancing {
                consumer.status = ConsumerStatus::Idle;
            }
        }
        self.note(JournalKind::RebalanceDone { generation });
        for &c in &members {
            self.pump(c);
        }
    }
}
