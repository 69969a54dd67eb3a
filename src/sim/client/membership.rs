//! The consumers' side of membership: crashes, restarts, joins and leaves, and what a consumer does
//! while its source reassigns work (finish the delivery in hand, then wait). The source's
//! coordinator decides when the pause ends and who gets what (`Membership`).

use super::consumer::{Consumer, ConsumerStatus};
use super::pipeline::{Pipeline, Source};
use crate::sim::broker::delivery::{Delivery, Joined};
use crate::sim::config::choices::{CommitStrategy, CrashPoint};
use crate::sim::ctx::Ctx;
use crate::sim::event::{AbortCause, ConsumerEvent, Event, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimDuration;

impl Pipeline {
    /// The consumer process dies. The delivery in hand is dropped; whether it comes back depends on
    /// whether the source already had it acknowledged.
    pub fn crash(&mut self, c: ConsumerId, point: Option<CrashPoint>, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        if !consumer.is_alive() {
            return;
        }
        let abandoned_call = consumer.status == ConsumerStatus::Processing && consumer.call.permitted;
        consumer.status = ConsumerStatus::Crashed;
        consumer.epoch += 1;
        consumer.crashes += 1;
        consumer.armed = None;
        consumer.leaving = false;
        consumer.evicted = false;
        consumer.poll_timer = false;
        consumer.commit_due = false;
        let epoch = consumer.epoch;
        let hand = consumer.in_hand.take();
        // Its open transaction stays open on the coordinator: it ends when its producer starts
        // again, or at the transaction timeout.
        self.txns.crashed(c);
        self.stats.crashes += 1;
        if abandoned_call {
            self.abandon_call(ctx);
        }
        ctx.note(JournalKind::Crashed { consumer: c, point, msg: hand.map(|h| h.msg) });
        if let Some(h) = hand {
            // Who acknowledged it, not the commit strategy of the moment, says why it is gone.
            let reason = src.loss_reason(src.redelivery(&h));
            ctx.release(h.msg, reason);
        }
        // The process's memory is gone: it owns nothing until the source assigns it work again,
        // and its heartbeats stop: the coordinator notices when its session times out.
        src.silent(c, true, ctx);
        if let Some(delay) = ctx.settings.consumers.crash.restart_delay_ms {
            ctx.after(SimDuration::from_ms(delay), Event::Consumer(ConsumerEvent::Restart { consumer: c, epoch }));
        }
        self.check_ready(src, ctx);
    }

    /// `c` cannot read on: its source has no place to start work it was given, and
    /// `auto.offset.reset=none` (the Java client's `poll()` throws `NoOffsetForPartitionException`
    /// or `OffsetOutOfRangeException`; the source journals which partition). An application that
    /// lets the exception end its process (the usual poll loop) stops like a crash, holding no
    /// record: no LeaveGroup, so the coordinator keeps its partitions, unread, until its session
    /// times out, and nothing is lost. Unlike a crash, nothing restarts it by itself (a supervisor
    /// would only see it fail again while the policy stays none); a restart command does.
    pub(super) fn fail(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        debug_assert!(consumer.in_hand.is_none(), "a consumer fetches with free hands");
        consumer.status = ConsumerStatus::Failed;
        consumer.epoch += 1;
        consumer.armed = None;
        consumer.leaving = false;
        consumer.evicted = false;
        consumer.poll_timer = false;
        self.stats.failed += 1;
        src.silent(c, true, ctx);
        self.check_ready(src, ctx);
    }

    /// A session timer of `c`'s incarnation `session` ran out.
    pub fn on_session_timeout(&mut self, c: ConsumerId, session: u32, src: &mut impl Source, ctx: &mut Ctx) {
        if src.session_expired(c, session, ctx) {
            self.begin_rebalance(src, ctx);
        }
    }

    /// A crashed (or failed) consumer starts again and rejoins.
    pub fn restart(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        if !matches!(consumer.status, ConsumerStatus::Crashed | ConsumerStatus::Failed) {
            return;
        }
        consumer.epoch += 1;
        ctx.note(JournalKind::Restarted { consumer: c });
        // Its producer's initTransactions, under the same transactional.id, aborts the
        // transaction it left open and fences the old producer epoch.
        self.txn_abort(c, AbortCause::Restarted, ctx);
        if let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit {
            self.schedule_autocommit(c, interval_ms, ctx);
        }
        if self.rejoin(c, src, ctx) {
            self.pump(c, src, ctx);
        }
    }

    /// `c` (re)joins the group. True when it may take work at once (a static member back in a
    /// stable group).
    fn rejoin(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        self.consumers[c.index()].status = ConsumerStatus::Rebalancing;
        match src.join(c, ctx.settings.consumers.static_membership, ctx) {
            Joined::TookOldPlace if !src.rebalancing() => {
                self.consumers[c.index()].status = ConsumerStatus::Idle;
                true
            }
            Joined::TookOldPlace => {
                self.check_ready(src, ctx);
                false
            }
            Joined::NeedsRebalance => {
                self.begin_rebalance(src, ctx);
                false
            }
        }
    }

    /// The record in hand of an evicted consumer is done, but its commit fails: the group moved
    /// on without it (`CommitFailedException`), so the record's new owner reads it again. Then
    /// it rejoins. True when it may take work at once.
    pub(super) fn commit_failed(
        &mut self,
        c: ConsumerId,
        hand: Delivery,
        src: &mut impl Source,
        ctx: &mut Ctx,
    ) -> bool {
        self.consumers[c.index()].evicted = false;
        if self.txns.is_open(c) {
            self.txns.fenced(c);
            self.txn_abort(c, AbortCause::Fenced, ctx); // its producer is fenced too
        }
        self.stats.commits_failed += 1;
        ctx.note(JournalKind::CommitFailed { consumer: c, msg: hand.msg });
        ctx.release(hand.msg, None);
        self.rejoin(c, src, ctx)
    }

    /// Starts the client's poll-interval check for `c`.
    pub(super) fn arm_poll_timer(&mut self, c: ConsumerId, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        consumer.poll_timer = true;
        let at = consumer.polled_at + SimDuration::from_ms(ctx.settings.consumers.max_poll_interval_ms);
        let epoch = consumer.epoch;
        ctx.scheduler.schedule(at.max(ctx.now), Event::Consumer(ConsumerEvent::PollTimeout { consumer: c, epoch }));
    }

    /// The poll-interval check: a consumer still holding the record it took more than
    /// `max.poll.interval.ms` ago is out of the group (a dynamic member's client sends LeaveGroup; a
    /// static member's stops heartbeating and its session runs out). One timer per consumer,
    /// re-armed lazily for the record in hand, so the hot path schedules nothing.
    pub(super) fn on_poll_timeout(&mut self, c: ConsumerId, epoch: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        if consumer.epoch != epoch || !consumer.poll_timer {
            return;
        }
        consumer.poll_timer = false;
        let Some(hand) = consumer.in_hand else { return };
        if !consumer.is_alive() || consumer.evicted {
            return;
        }
        if consumer.status == ConsumerStatus::BreakerWait {
            // Paused on the breaker, the client goes on polling (returning nothing): it stays.
            consumer.polled_at = ctx.now;
            self.arm_poll_timer(c, ctx);
            return;
        }
        let deadline = consumer.polled_at + SimDuration::from_ms(ctx.settings.consumers.max_poll_interval_ms);
        if ctx.now < deadline {
            self.arm_poll_timer(c, ctx);
            return;
        }
        consumer.evicted = true;
        self.stats.poll_timeouts += 1;
        ctx.note(JournalKind::PollTimeout { consumer: c, msg: hand.msg });
        if ctx.settings.consumers.static_membership {
            src.silent(c, false, ctx);
        } else if src.is_member(c) {
            src.leave(c);
            self.begin_rebalance(src, ctx);
        }
    }

    /// The rebalance timeout of `generation` ran out: members that had not rejoined are out.
    pub fn on_rebalance_timeout(&mut self, generation: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let consumers = &self.consumers;
        let rejoined = |c: ConsumerId| Self::has_rejoined(consumers, c);
        let late = src.rebalance_timed_out(generation, &rejoined, ctx.settings.consumers.static_membership, ctx);
        for c in late {
            let consumer = &mut self.consumers[c.index()];
            if consumer.is_alive() && consumer.in_hand.is_some() {
                consumer.evicted = true; // it learns at its next commit
            }
        }
    }

    /// A new consumer joins.
    pub fn add_consumer(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let id = ConsumerId::of(self.subscriber, self.consumers.len() as u32);
        let mut consumer = Consumer::new(id);
        consumer.status = ConsumerStatus::Rebalancing;
        self.consumers.push(consumer);
        ctx.note(JournalKind::Joined { consumer: id });
        if let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit {
            self.schedule_autocommit(id, interval_ms, ctx);
        }
        // A queue takes a new consumer at once; a log's group rebalances first.
        if self.rejoin(id, src, ctx) {
            self.pump(id, src, ctx);
        }
    }

    /// The topic the group reads grew. In Kafka the group's leader notices at its next metadata
    /// refresh (`metadata.max.age.ms`) that the partitions it assigned are no longer all there are
    /// (`ConsumerCoordinator.rejoinNeededOrPending`: the metadata snapshot differs from the
    /// assignment's) and rejoins; here the group rebalances at once, under its assignor (the
    /// cooperative protocol keeps members on what they own meanwhile).
    pub fn topic_changed(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
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
        self.txn_commit(c, src, ctx); // a clean close commits its transaction
        if matches!(ctx.settings.consumers.commit, CommitStrategy::Auto { .. }) {
            src.ack_delivered(c, ctx); // a clean close commits what it consumed
        }
        src.leave(c);
        let consumer = &mut self.consumers[c.index()];
        consumer.leaving = false;
        consumer.status = ConsumerStatus::Stopped;
        consumer.epoch += 1;
        consumer.poll_timer = false;
        ctx.note(JournalKind::Left { consumer: c });
        self.begin_rebalance(src, ctx);
    }

    /// After a delivery: leave, wait for the source's pause to end, or go idle. True when idle.
    pub(super) fn after_delivery(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        if src.paused() || src.rebalancing() {
            // Partitions may move: what was processed is committed before they do.
            self.txn_commit(c, src, ctx);
        }
        if self.consumers[c.index()].leaving {
            self.leave(c, src, ctx);
            return false;
        }
        if src.paused() {
            if self.enter_rebalancing(c, src, ctx) {
                self.check_ready(src, ctx);
            }
            return false;
        }
        if src.rebalancing() && !self.consumers[c.index()].rejoined {
            self.consumers[c.index()].rejoined = true; // its next poll rejoins the cooperative rebalance
            self.check_ready(src, ctx);
        }
        self.consumers[c.index()].status = ConsumerStatus::Idle;
        true
    }

    /// `c` stops taking work until the rebalance is over. False if it crashed on the way (after
    /// the auto-commit on revoke).
    fn enter_rebalancing(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        if matches!(ctx.settings.consumers.commit, CommitStrategy::Auto { .. })
            && src.is_member(c)
            && src.ack_delivered(c, ctx) // on revoke, auto-commit commits what was consumed
            && self.crash_at(c, CrashPoint::AfterCommit, src, ctx)
        {
            return false;
        }
        self.txn_commit(c, src, ctx); // on revoke, the transaction commits what was processed
        self.consumers[c.index()].status = ConsumerStatus::Rebalancing;
        true
    }

    /// Membership changed. Under a pausing (eager) rebalance every live consumer stops taking work
    /// and rejoins once its hands are free; under a cooperative one it keeps working and rejoins
    /// at its next poll: at once if idle, else after the record in hand.
    pub(super) fn begin_rebalance(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let new = src.begin_rebalance(ctx);
        for c in 0..self.consumers.len() {
            let consumer = &self.consumers[c];
            if consumer.is_alive() && consumer.in_hand.is_none() && !consumer.evicted {
                self.txn_commit(consumer.id, src, ctx); // before it rejoins
            }
        }
        let paused = src.paused();
        for c in 0..self.consumers.len() {
            let consumer = &mut self.consumers[c];
            let free = consumer.is_alive() && consumer.in_hand.is_none();
            if !paused {
                consumer.rejoined = free || (consumer.rejoined && !new);
            } else if free && consumer.status != ConsumerStatus::Rebalancing {
                self.enter_rebalancing(self.consumers[c].id, src, ctx);
            }
        }
        self.check_ready(src, ctx);
    }

    /// A consumer has rejoined when it is alive, waiting for the rebalance, and still in the group.
    fn has_rejoined(consumers: &[Consumer], c: ConsumerId) -> bool {
        consumers
            .get(c.index())
            .is_some_and(|k| k.is_alive() && !k.evicted && (k.status == ConsumerStatus::Rebalancing || k.rejoined))
    }

    /// Tells the source which consumers have rejoined.
    fn check_ready(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let consumers = &self.consumers;
        src.try_complete(&|c| Self::has_rejoined(consumers, c), ctx);
    }

    /// The source's pause of `generation` is over: waiting consumers go idle and members start.
    pub fn on_rebalance_done(&mut self, generation: u32, src: &mut impl Source, ctx: &mut Ctx) {
        if !src.complete(generation, ctx) {
            return;
        }
        for consumer in &mut self.consumers {
            consumer.rejoined = false;
            if consumer.status == ConsumerStatus::Rebalancing {
                consumer.status = ConsumerStatus::Idle;
            }
        }
        if src.follow_up() {
            self.begin_rebalance(src, ctx); // members that revoked partitions rejoin at once
        }
        for c in 0..self.consumers.len() {
            let c = self.consumers[c].id;
            if src.is_member(c) {
                self.pump(c, src, ctx);
            }
        }
    }
}
