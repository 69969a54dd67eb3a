//! The consumers' side of membership: crashes, restarts, joins and leaves, and what a consumer does
//! while its source reassigns work (finish the delivery in hand, then wait). The source's
//! coordinator decides when the pause ends and who gets what (`Membership`).

use super::consumer::{Consumer, ConsumerStatus};
use super::pipeline::{Pipeline, Source};
use crate::sim::config::choices::{CommitStrategy, CrashPoint};
use crate::sim::ctx::Ctx;
use crate::sim::event::{ConsumerEvent, Event, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimDuration;
use crate::sim::ledger::LossReason;

impl Pipeline {
    /// The consumer process dies. The delivery in hand is dropped; whether it comes back depends on
    /// whether the source already had it acknowledged.
    pub fn crash(&mut self, c: ConsumerId, point: Option<CrashPoint>, src: &mut impl Source, ctx: &mut Ctx) {
        let auto = matches!(ctx.settings.consumers.commit, CommitStrategy::Auto { .. });
        let consumer = &mut self.consumers[c.index()];
        if !consumer.is_alive() {
            return;
        }
        consumer.status = ConsumerStatus::Crashed;
        consumer.epoch += 1;
        consumer.crashes += 1;
        consumer.armed = None;
        consumer.leaving = false;
        let epoch = consumer.epoch;
        let hand = consumer.in_hand.take();
        self.stats.crashes += 1;
        ctx.note(JournalKind::Crashed { consumer: c, point, msg: hand.map(|h| h.msg) });
        if let Some(h) = hand {
            let reason = (!src.will_redeliver(&h)).then_some(if auto {
                LossReason::AutoCommittedBeforeProcessing
            } else {
                LossReason::CommittedBeforeProcessing
            });
            ctx.release(h.msg, reason);
        }
        // The process's memory is gone: it owns nothing until the source assigns it work again.
        src.crashed(c, epoch, ctx);
        if let Some(delay) = ctx.settings.consumers.crash.restart_delay_ms {
            ctx.after(SimDuration::from_ms(delay), Event::Consumer(ConsumerEvent::Restart { consumer: c, epoch }));
        }
        self.check_ready(src, ctx);
    }

    /// The coordinator's session timeout for a crash of epoch `epoch` ran out.
    pub fn on_session_timeout(&mut self, c: ConsumerId, epoch: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &self.consumers[c.index()];
        if consumer.epoch != epoch || consumer.status != ConsumerStatus::Crashed || !src.is_member(c) {
            return;
        }
        src.expire(c, ctx);
        self.begin_rebalance(src, ctx);
    }

    /// A crashed consumer starts again and rejoins.
    pub fn restart(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        if consumer.status != ConsumerStatus::Crashed {
            return;
        }
        consumer.epoch += 1;
        consumer.status = ConsumerStatus::Rebalancing;
        src.join(c);
        ctx.note(JournalKind::Restarted { consumer: c });
        if let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit {
            self.schedule_autocommit(c, interval_ms, ctx);
        }
        self.begin_rebalance(src, ctx);
    }

    /// A new consumer joins.
    pub fn add_consumer(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let id = ConsumerId(self.consumers.len() as u32);
        let mut consumer = Consumer::new(id);
        consumer.status = ConsumerStatus::Rebalancing;
        self.consumers.push(consumer);
        src.join(id);
        ctx.note(JournalKind::Joined { consumer: id });
        if let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit {
            self.schedule_autocommit(id, interval_ms, ctx);
        }
        self.begin_rebalance(src, ctx);
    }

    /// The newest live member leaves cleanly: now if idle, else after its current delivery.
    pub fn remove_consumer(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let newest = self.consumers.iter().rev().find(|c| c.is_alive() && src.is_member(c.id) && !c.leaving);
        let Some(c) = newest.map(|c| c.id) else { return };
        if self.consumers[c.index()].in_hand.is_some() {
            self.consumers[c.index()].leaving = true;
        } else {
            self.leave(c, src, ctx);
        }
    }

    fn leave(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        if matches!(ctx.settings.consumers.commit, CommitStrategy::Auto { .. }) {
            src.ack_delivered(c, ctx); // a clean close commits what it consumed
        }
        src.leave(c);
        let consumer = &mut self.consumers[c.index()];
        consumer.leaving = false;
        consumer.status = ConsumerStatus::Stopped;
        consumer.epoch += 1;
        ctx.note(JournalKind::Left { consumer: c });
        self.begin_rebalance(src, ctx);
    }

    /// After a delivery: leave, wait for the source's pause to end, or go idle. True when idle.
    pub(super) fn after_delivery(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        if self.consumers[c.index()].leaving {
            self.leave(c, src, ctx);
            return false;
        }
        if src.paused() {
            self.enter_rebalancing(c, src, ctx);
            self.check_ready(src, ctx);
            return false;
        }
        self.consumers[c.index()].status = ConsumerStatus::Idle;
        true
    }

    fn enter_rebalancing(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        if matches!(ctx.settings.consumers.commit, CommitStrategy::Auto { .. }) {
            src.ack_delivered(c, ctx); // on revoke, auto-commit commits what was consumed
        }
        self.consumers[c.index()].status = ConsumerStatus::Rebalancing;
    }

    /// Membership changed: every live consumer stops taking work and rejoins once its hands are
    /// free.
    fn begin_rebalance(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        src.begin_rebalance(ctx);
        for i in 0..self.consumers.len() {
            let consumer = &self.consumers[i];
            if consumer.is_alive() && consumer.in_hand.is_none() && consumer.status != ConsumerStatus::Rebalancing {
                self.enter_rebalancing(consumer.id, src, ctx);
            }
        }
        self.check_ready(src, ctx);
    }

    /// Tells the source which consumers still have work in hand.
    fn check_ready(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let consumers = &self.consumers;
        src.try_complete(&|c| consumers[c.index()].is_alive() && consumers[c.index()].in_hand.is_some(), ctx);
    }

    /// The source's pause of `generation` is over: waiting consumers go idle and members start.
    pub fn on_rebalance_done(&mut self, generation: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let members: Vec<ConsumerId> =
            self.consumers.iter().filter(|c| c.is_alive() && src.is_member(c.id)).map(|c| c.id).collect();
        if !src.complete(generation, &members, ctx) {
            return;
        }
        for consumer in &mut self.consumers {
            if consumer.status == ConsumerStatus::Rebalancing {
                consumer.status = ConsumerStatus::Idle;
            }
        }
        for &c in &members {
            self.pump(c, src, ctx);
        }
    }
}
