//! The consumer pipeline, where every delivery guarantee is decided:
//!
//! ```text
//! receive → [ack, if before] → dedup check → process → effect (+ mark, if atomic)
//!         → [dedup mark, if check-then-act] → [ack, if after] → next delivery
//! ```
//!
//! A crash can strike after any step (armed by a command, or at random at the scenario's crash
//! point); under auto-commit, "after the commit" is after a commit the timer or a revoke makes. What the crash costs depends only on which steps already happened: an effect without an
//! acknowledgement is redelivered and applied again (duplicate) unless the dedup mark is already
//! there; an acknowledgement without an effect is never redelivered (lost). The pipeline works on
//! deliveries from any source behind the delivery seam; with the Kafka-like log, acknowledging is
//! committing the offset.

use crate::sim::broker::delivery::{DeliverySource, FetchError, Membership};
use crate::sim::client::breaker::BreakerGuard;
use crate::sim::client::consumer::{Consumer, ConsumerStatus};
use crate::sim::client::failures::FailureLog;
use crate::sim::client::order::KeyOrder;
use crate::sim::client::retry::RetrySchedule;
use crate::sim::client::stats::ConsumerStats;
use crate::sim::client::transactions::Transactions;
use crate::sim::config::choices::{Client, CommitStrategy, CrashPoint, IdempotencyMode};
use crate::sim::ctx::Ctx;
use crate::sim::downstream::Downstream;
use crate::sim::event::{ConsumerEvent, Event, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::kernel::rng::{Probability, Rng, Stream};
use crate::sim::kernel::time::SimDuration;
use crate::sim::patterns::dlq::DeadLetterQueue;
use crate::sim::policy::dedup::DedupStore;
use crate::sim::policy::versions::{VersionCheck, VersionStore};

/// The consumers and what they share: the dedup store, the dead-letter queue, their random
/// streams and counters.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub(super) consumers: Vec<Consumer>,
    pub(super) dedup: DedupStore,
    /// Each key's version, with idempotency `versioning`.
    pub(super) versions: VersionStore,
    pub(super) dlq: DeadLetterQueue,
    /// The failures of messages failing now, for their dead letters (`dead_letter.rs`).
    pub(super) failing: FailureLog,
    pub(super) service: Rng,
    pub(super) failures: Rng,
    pub(super) faults: Rng,
    /// The waits before retries (the backoff schedule and its jitter).
    pub(super) retry: RetrySchedule,
    /// The payments API the attempts call, and the circuit breaker in front of it (`call.rs`).
    pub(super) downstream: Downstream,
    pub(super) breaker: BreakerGuard,
    pub(super) stats: ConsumerStats,
    /// Retires the auto-commit timers of an earlier commit setting.
    pub(super) autocommit_token: u32,
    /// Per-key order across partition changes (`order.rs`).
    pub(super) key_order: KeyOrder,
    /// Competing consumers: where the search for an idle one to wake starts (round robin).
    next_wake: usize,
    /// Which subscriber of each message these consumers are (publish-subscribe: one pipeline per
    /// subscriber, each with its own consumers, dedup store, dead-letter queue and breaker).
    pub(super) subscriber: u8,
    /// The subscriber's own handler: mean attempt time (µs) and failure probability, where it
    /// sets them instead of the scenario (`Subscriber`).
    pub(super) own_service_mean_us: Option<f64>,
    pub(super) own_fail_p: Option<Probability>,
    /// Effects this subscriber applied, and how many of them repeated one it had applied before.
    effects: (u64, u64),
    /// The consumers' transactions, when the stage runs exactly-once (`transactions.rs`).
    pub(super) txns: Transactions,
    /// The subscriber's consumers are running. One that starts later
    /// (`subscribers[i].starts_at_ms`) takes no work until then.
    started: bool,
}

/// A source the pipeline can consume from: deliveries plus membership.
pub trait Source: DeliverySource + Membership {}
impl<T: DeliverySource + Membership> Source for T {}

impl Pipeline {
    pub fn new(consumers: u32, seed: u64) -> Self {
        Pipeline::for_subscriber(0, consumers, seed)
    }

    /// The pipeline of subscriber `k`: its consumers' ids name it, and its random streams are its
    /// own (the first subscriber's are the run's, so a run without publish-subscribe is the same).
    pub fn for_subscriber(k: u8, consumers: u32, seed: u64) -> Self {
        let seed = if k == 0 { seed } else { seed ^ (u64::from(k)).wrapping_mul(0x9E37_79B9_7F4A_7C15) };
        Pipeline {
            consumers: (0..consumers).map(|c| Consumer::new(ConsumerId::of(k, c))).collect(),
            dedup: DedupStore::default(),
            versions: VersionStore::default(),
            dlq: DeadLetterQueue::default(),
            failing: FailureLog::default(),
            service: Rng::for_stream(seed, Stream::Service),
            failures: Rng::for_stream(seed, Stream::Failures),
            faults: Rng::for_stream(seed, Stream::Faults),
            retry: RetrySchedule::new(seed),
            downstream: Downstream::new(seed),
            breaker: BreakerGuard::for_subscriber(k),
            stats: ConsumerStats::default(),
            autocommit_token: 0,
            key_order: KeyOrder::default(),
            next_wake: 0,
            subscriber: k,
            own_service_mean_us: None,
            own_fail_p: None,
            effects: (0, 0),
            txns: Transactions::default(),
            started: true,
        }
    }

    /// The subscriber's handler works at its own pace and reliability (unset: the scenario's).
    pub fn with_handler(mut self, mean_ms: Option<f64>, failure_probability: Option<f64>) -> Self {
        self.own_service_mean_us = mean_ms.map(|ms| ms * 1_000.0);
        self.own_fail_p = failure_probability.map(Probability::from_f64);
        self
    }

    /// Effects this subscriber's consumers applied, and how many repeated an effect they had
    /// applied before (its duplicates).
    pub fn effects(&self) -> (u64, u64) {
        self.effects
    }

    /// Which subscriber this pipeline consumes for.
    pub fn subscriber(&self) -> u8 {
        self.subscriber
    }

    /// The source now routes `keys` (of `key_count`) elsewhere: from now on the pipeline counts the
    /// records of a moved key applied after a later one (`order.rs`).
    pub fn watch_key_order(&mut self, keys: &[u32], key_count: u32, ctx: &Ctx) {
        let next = MessageId(ctx.ledger.produced() as u32);
        self.key_order.keys_moved(keys, key_count, next);
    }

    /// `msg`'s effect was just applied for the first time, after a partition change.
    #[inline(never)]
    fn check_key_order(&mut self, msg: MessageId, c: ConsumerId, ctx: &mut Ctx) {
        let key = ctx.ledger.live(msg).key;
        if let Some(after) = self.key_order.applied(key, msg) {
            self.stats.key_order_broken += 1;
            ctx.note(JournalKind::KeyOrderBroken { msg, after, consumer: c });
        }
    }

    pub fn on_event(&mut self, event: ConsumerEvent, src: &mut impl Source, ctx: &mut Ctx) {
        match event {
            ConsumerEvent::ServiceDone { consumer, epoch } => self.on_service_done(consumer, epoch, src, ctx),
            ConsumerEvent::RetryDue { consumer, epoch } => self.on_retry_due(consumer, epoch, ctx),
            ConsumerEvent::Reappend { msg, retry, .. } => self.on_reappend(msg, retry, src, ctx),
            ConsumerEvent::Restart { consumer, epoch } => {
                if self.consumers[consumer.index()].epoch == epoch {
                    self.restart(consumer, src, ctx);
                }
            }
            ConsumerEvent::AutoCommit { consumer, epoch, token } => {
                self.on_autocommit(consumer, epoch, token, src, ctx)
            }
            ConsumerEvent::PollTimeout { consumer, epoch } => self.on_poll_timeout(consumer, epoch, src, ctx),
            ConsumerEvent::BreakerWake { token, .. } => self.on_breaker_wake(token, ctx),
            ConsumerEvent::TxnCommit { consumer, txn } => self.on_txn_commit_due(consumer, txn, src, ctx),
            ConsumerEvent::TxnTimeout { consumer, txn } => self.on_txn_timeout(consumer, txn, src, ctx),
            ConsumerEvent::Start { subscriber } => {
                self.started = true;
                ctx.note(JournalKind::SubscriberStarted { subscriber });
                self.start(src, ctx);
            }
        }
    }

    /// A subscriber that starts later: no work until its `Start` event.
    pub fn starting_later(mut self) -> Self {
        self.started = false;
        self
    }

    /// Whether the subscriber's consumers are running (see [`Pipeline::starting_later`]).
    #[inline]
    pub fn started(&self) -> bool {
        self.started
    }

    /// Every consumer's first poll, at the start: its source settles where the work it was given
    /// starts (with the Kafka-like log: offset 0, the log being empty; or, under
    /// `auto.offset.reset=none`, nowhere, for a new group has no committed offsets: the consumer
    /// stops, as the Java client does).
    pub fn start(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        self.configure_breaker(ctx);
        for c in 0..self.consumers.len() {
            self.pump(self.consumers[c].id, src, ctx);
        }
    }

    /// The source has new work for `consumer`: it starts on it if it was idle.
    #[inline]
    pub fn wake(&mut self, consumer: Option<ConsumerId>, src: &mut impl Source, ctx: &mut Ctx) {
        if !self.started {
            return;
        }
        if src.any_consumer() {
            return self.wake_idle(src, ctx);
        }
        if let Some(c) = consumer {
            if self.consumers[c.index()].status == ConsumerStatus::Idle {
                self.pump(c, src, ctx);
            }
        }
    }

    /// Every idle consumer looks for work: the source may give more now (a wider prefetch window).
    pub fn wake_all(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        if !self.started {
            return;
        }
        for c in 0..self.consumers.len() {
            if self.consumers[c].status == ConsumerStatus::Idle {
                self.pump(self.consumers[c].id, src, ctx);
            }
        }
    }

    /// Competing consumers: idle consumers, round robin from the one after the last that took
    /// work, look for work until one takes some (one whose prefetch window is full takes none).
    fn wake_idle(&mut self, src: &mut impl Source, ctx: &mut Ctx) {
        let n = self.consumers.len();
        for i in 0..n {
            let mut c = self.next_wake + i;
            if c >= n {
                c -= n;
            }
            if self.consumers[c].status != ConsumerStatus::Idle {
                continue;
            }
            self.pump(self.consumers[c].id, src, ctx);
            if self.consumers[c].status != ConsumerStatus::Idle {
                self.next_wake = if c + 1 == n { 0 } else { c + 1 };
                return;
            }
        }
    }

    /// Takes and starts deliveries until the consumer is busy, or has nothing to take.
    pub(super) fn pump(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        loop {
            if self.consumers[c.index()].status != ConsumerStatus::Idle || src.paused() {
                return;
            }
            let delivery = match src.next_delivery(c, ctx) {
                Ok(Some(delivery)) => delivery,
                Ok(None) => return,
                Err(FetchError::NoPosition) => return self.fail(c, src, ctx),
            };
            let msg = delivery.msg;
            ctx.ledger.hold(msg); // the consumer's hold while it works on the delivery
            let consumer = &mut self.consumers[c.index()];
            consumer.in_hand = Some(delivery);
            consumer.polled_at = ctx.now;
            if !consumer.poll_timer && src.polls() {
                self.arm_poll_timer(c, ctx);
            }
            let consumer = &mut self.consumers[c.index()];
            consumer.status = ConsumerStatus::Processing;
            if self.crash_at(c, CrashPoint::AfterReceive, src, ctx) {
                return;
            }
            if ctx.settings.consumers.commit == CommitStrategy::BeforeProcessing {
                src.ack(c, &delivery, ctx);
                if self.crash_at(c, CrashPoint::AfterCommit, src, ctx) {
                    return;
                }
            }
            if ctx.settings.idempotency.mode.has_dedup_store() && self.dedup.contains(msg, ctx.now, ctx.knobs.dedup_ttl)
            {
                self.stats.dedup_skips += 1;
                ctx.note(JournalKind::DedupSkipped { msg, consumer: c });
                self.finish_delivery(c, src, ctx);
                continue;
            }
            self.start_attempt(c, ctx);
            return;
        }
    }

    fn on_retry_due(&mut self, c: ConsumerId, epoch: u32, ctx: &mut Ctx) {
        let consumer = &self.consumers[c.index()];
        if consumer.epoch == epoch && consumer.status == ConsumerStatus::RetryWait {
            self.start_attempt(c, ctx);
        }
    }

    fn on_service_done(&mut self, c: ConsumerId, epoch: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let consumer = &self.consumers[c.index()];
        if consumer.epoch != epoch || consumer.status != ConsumerStatus::Processing {
            return;
        }
        self.stats.attempts += 1;
        let hand = consumer.in_hand.expect("a processing consumer holds a delivery");
        let msg = hand.msg;
        // Drawn for every attempt, whatever else fails it, so the draws stay in step.
        let transient = self.failures.chance(self.own_fail_p.unwrap_or(ctx.knobs.fail_p));
        if let Some(error) = self.end_call(c, transient, ctx) {
            self.on_attempt_failed(c, hand, error, src, ctx);
            return;
        }
        if hand.retry > 0 {
            self.retry.forget(msg);
        }
        let mode = ctx.settings.idempotency.mode;
        let txn = &ctx.settings.transactions;
        let (in_txn, external) = (txn.enabled, txn.external_effect);
        if in_txn && !external {
            // The effect is the output record, written inside the transaction.
        } else if self.effect_refused(c, msg, mode, ctx) {
            // Nothing changed: the effect's own guard turned it away (`effect_refused`).
        } else if mode == IdempotencyMode::DedupAtomic && self.dedup.contains(msg, ctx.now, ctx.knobs.dedup_ttl) {
            // The effect's transaction inserts the id too, so a copy processed concurrently
            // elsewhere (a consumer the group already replaced) finds it there and does nothing.
            self.stats.dedup_skips += 1;
            ctx.note(JournalKind::DedupSkipped { msg, consumer: c });
        } else {
            self.apply_effect(msg, c, ctx);
        }
        if in_txn {
            self.txn_output(c, msg, ctx);
        }
        if mode == IdempotencyMode::DedupAtomic {
            self.mark_processed(msg, ctx); // in the same transaction as the effect
        }
        if self.crash_at(c, CrashPoint::AfterEffect, src, ctx) {
            return;
        }
        if mode == IdempotencyMode::DedupCheckThenAct {
            self.mark_processed(msg, ctx);
        }
        // Without a dedup store there is no mark to crash after.
        if mode.has_dedup_store() && self.crash_at(c, CrashPoint::AfterDedupMark, src, ctx) {
            return;
        }
        if self.finish_delivery(c, src, ctx) {
            self.pump(c, src, ctx);
        }
    }

    /// `msg`'s effect is applied (by consumer `c`): the ledger counts it, a second one is a
    /// duplicate.
    pub(super) fn apply_effect(&mut self, msg: MessageId, c: ConsumerId, ctx: &mut Ctx) {
        let (effects, again) = ctx.ledger.apply_effect(msg, self.subscriber);
        if ctx.settings.sourcing.enabled {
            // A projection's effect: the event applied to this subscriber's read model.
            let bug = ctx.settings.sourcing.projection_bug;
            ctx.sourcing.project(usize::from(self.subscriber), msg, ctx.now.as_us(), bug);
        } else if ctx.settings.shop.enabled {
            ctx.shop.project(usize::from(self.subscriber), msg, ctx.now.as_us());
        }
        self.effects.0 += 1;
        self.effects.1 += u64::from(again);
        ctx.note(JournalKind::EffectApplied { msg, consumer: c, effects, again });
        if effects == 1 && self.key_order.watching() {
            self.check_key_order(msg, c, ctx);
        }
    }

    /// Whether the effect itself turns `msg` away, in its own transaction, under `mode`: a SET
    /// run again (natural), an insert of an id already there (unique constraint), a write no
    /// newer than its key's version (versioning). An older event versioning ignores was never
    /// applied: this subscriber will not apply it, so it is lost (`stale_version`).
    fn effect_refused(&mut self, c: ConsumerId, msg: MessageId, mode: IdempotencyMode, ctx: &mut Ctx) -> bool {
        let note = match mode {
            IdempotencyMode::Natural | IdempotencyMode::UniqueConstraint
                if ctx.ledger.has_applied(msg, self.subscriber) =>
            {
                if mode == IdempotencyMode::Natural {
                    JournalKind::EffectAbsorbed { msg, consumer: c }
                } else {
                    JournalKind::InsertRejected { msg, consumer: c }
                }
            }
            IdempotencyMode::Versioning => {
                let key = ctx.ledger.live(msg).key;
                let VersionCheck::NotNewer { current } = self.versions.write(key, msg) else { return false };
                let stale = !ctx.ledger.has_applied(msg, self.subscriber);
                if stale {
                    // A hold that ends at once, to give the reason: the delivery's own release
                    // follows when it is acknowledged. Not absorbed: never applied at all.
                    ctx.lose_as_stale(msg);
                    ctx.note(JournalKind::VersionIgnored { msg, consumer: c, current, stale });
                    return true;
                }
                JournalKind::VersionIgnored { msg, consumer: c, current, stale }
            }
            _ => return false,
        };
        self.stats.effects_absorbed += 1;
        ctx.note(note);
        true
    }

    fn mark_processed(&mut self, msg: MessageId, ctx: &mut Ctx) {
        let ledger = &*ctx.ledger;
        self.dedup.mark(msg, ctx.now, |id| ledger.is_in_flight(id));
    }

    /// A failed message goes back to its source for retry number `retry`.
    fn on_reappend(&mut self, msg: MessageId, retry: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let wake = src.requeue(msg, retry, ctx);
        ctx.release(msg, None); // the pending retry's hold
        self.wake(wake, src, ctx);
    }

    /// Ends work on the delivery in hand: acknowledge (if after processing), let go of it, and
    /// move to the next state. Returns true when the consumer is idle and may take more.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn finish_delivery(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        let consumer = &mut self.consumers[c.index()];
        let hand = consumer.in_hand.take().expect("finishing requires a delivery in hand");
        consumer.processed += 1;
        // The Java client's auto-commit that fell due meanwhile runs at this poll.
        let due = std::mem::take(&mut consumer.commit_due);
        let interval = match ctx.settings.consumers.commit {
            CommitStrategy::Auto { interval_ms } if due => Some(interval_ms),
            _ => None,
        };
        if consumer.evicted {
            if let Some(ms) = interval {
                self.auto_commit(c, ms, src, ctx); // outside the group: only the next interval starts
            }
            return self.commit_failed(c, hand, src, ctx);
        }
        let ack_after = ctx.settings.consumers.commit == CommitStrategy::AfterProcessing;
        if ctx.settings.transactions.enabled {
            // The acknowledgement joins the transaction.
            self.txn_ack(c, hand, ctx);
            ctx.release(hand.msg, None);
            if self.txn_due(c) {
                self.txn_commit(c, src, ctx);
                if self.crash_at(c, CrashPoint::AfterCommit, src, ctx) {
                    return false;
                }
            }
            return self.after_delivery(c, src, ctx);
        }
        if ack_after {
            src.ack(c, &hand, ctx);
        }
        ctx.release(hand.msg, None);
        if ack_after && self.crash_at(c, CrashPoint::AfterCommit, src, ctx) {
            return false;
        }
        if let Some(ms) = interval {
            if self.auto_commit(c, ms, src, ctx) {
                return false;
            }
        }
        self.after_delivery(c, src, ctx)
    }

    fn on_autocommit(&mut self, c: ConsumerId, epoch: u32, token: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit else { return };
        let consumer = &mut self.consumers[c.index()];
        if token != self.autocommit_token || consumer.epoch != epoch || !consumer.is_alive() {
            return;
        }
        // The Java client commits inside poll() (`ConsumerCoordinator.maybeAutoCommitOffsetsAsync`):
        // the records the earlier polls returned, which the app has processed by the time it polls
        // again. A consumer busy with a record commits when it is done; an idle one sits in poll()
        // and commits now. librdkafka's timer thread commits whatever was handed to the app
        // (`enable.auto.offset.store`), processed or not. A queue pushes deliveries, so there is no
        // poll to wait for: its timer acknowledges everything delivered (basic.ack multiple).
        if ctx.settings.producer.client == Client::Java && src.polls() && consumer.in_hand.is_some() {
            consumer.commit_due = true;
            return;
        }
        self.auto_commit(c, interval_ms, src, ctx);
    }

    /// Commits the consumer's position as auto-commit does and starts the next interval. True
    /// when the consumer crashed right after (a crash after the commit).
    fn auto_commit(&mut self, c: ConsumerId, interval_ms: u64, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        let consumer = &self.consumers[c.index()];
        // A client outside the group cannot commit. A crash after the commit needs a restart,
        // which starts a new timer.
        if !consumer.evicted && src.is_member(c) {
            if !src.ack_delivered(c, ctx) {
                ctx.note(JournalKind::AutoCommitIdle { consumer: c });
            } else if self.crash_at(c, CrashPoint::AfterCommit, src, ctx) {
                return true;
            }
        }
        self.schedule_autocommit(c, interval_ms, ctx);
        // A queue may have held deliveries back while this consumer's prefetch window was full of
        // unacknowledged ones; now they are acknowledged, an idle consumer asks again. (A log
        // has woken an idle owner already: it finds nothing.)
        self.pump(c, src, ctx);
        false
    }

    /// Starts one auto-commit timer per live consumer when the strategy is auto-commit; the
    /// token retires the timers of any earlier setting.
    pub fn start_autocommit_timers(&mut self, ctx: &mut Ctx) {
        self.autocommit_token += 1;
        if let CommitStrategy::Auto { interval_ms } = ctx.settings.consumers.commit {
            for i in 0..self.consumers.len() {
                let consumer = &self.consumers[i];
                if consumer.is_alive() {
                    self.schedule_autocommit(consumer.id, interval_ms, ctx);
                }
            }
        }
    }

    pub(super) fn schedule_autocommit(&mut self, consumer: ConsumerId, interval_ms: u64, ctx: &mut Ctx) {
        let epoch = self.consumers[consumer.index()].epoch;
        let token = self.autocommit_token;
        ctx.after(
            SimDuration::from_ms(interval_ms),
            Event::Consumer(ConsumerEvent::AutoCommit { consumer, epoch, token }),
        );
    }

    /// Crashes consumer `c` if a crash is armed for `point` or the random crash strikes there.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn crash_at(&mut self, c: ConsumerId, point: CrashPoint, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        let armed = self.consumers[c.index()].armed == Some(point);
        let random = !armed && point == ctx.settings.consumers.crash.point && self.faults.chance(ctx.knobs.crash_p);
        if armed || random {
            self.crash(c, Some(point), src, ctx);
        }
        armed || random
    }

    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }
    pub fn dlq(&self) -> &DeadLetterQueue {
        &self.dlq
    }
    /// The circuit breaker in front of the payments API.
    pub fn breaker(&self) -> &BreakerGuard {
        &self.breaker
    }
    pub fn downstream(&self) -> &Downstream {
        &self.downstream
    }
    /// The consumers' transactions (exactly-once).
    pub fn transactions(&self) -> &Transactions {
        &self.txns
    }
    pub fn stats_ref(&self) -> &ConsumerStats {
        &self.stats
    }
    pub fn stats(&self) -> ConsumerStats {
        self.stats
    }
    /// Consumer `c` processes `factor` times as slowly from its next attempt on.
    pub fn slow(&mut self, c: ConsumerId, factor: u32) {
        self.consumers[c.index()].slow_factor = factor;
    }
    /// Arms consumer `c` to crash the next time a delivery passes `point`.
    pub fn arm(&mut self, c: ConsumerId, point: CrashPoint) {
        let consumer = &mut self.consumers[c.index()];
        if consumer.is_alive() {
            consumer.armed = Some(point);
        }
    }
}
