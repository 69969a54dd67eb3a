//! One processing attempt is one call to the payments API (`sim::downstream`), through the
//! circuit breaker when there is one (`breaker.rs`). This file starts an attempt (asking the
//! breaker, then the API), ends it (telling the breaker how it went) and decides what follows a
//! failure: a retry, the dead-letter queue, or, with no dead-letter queue, trying again.
//!
//! A refused call never recurses into the next delivery: it is an attempt of no time, ended by
//! its own `ServiceDone` event, so a long backlog failing fast costs events, not stack.

use super::breaker::CallResult;
use super::consumer::{Call, ConsumerStatus};
use super::pipeline::{Pipeline, Source};
use crate::sim::broker::delivery::Delivery;
use crate::sim::config::downstream::WhenOpen;
use crate::sim::config::scenario::{RetryMode, ServiceDistribution};
use crate::sim::ctx::Ctx;
use crate::sim::downstream::CallError;
use crate::sim::event::{AfterFailure, ConsumerEvent, Event, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimDuration;
use crate::sim::patterns::dlq::DeadLetterReason;

impl Pipeline {
    /// Starts an attempt at the delivery in `c`'s hand: the breaker's permission, then the call.
    /// Refused by the breaker, the consumer pauses or the attempt fails at once (`breaker.when_open`).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn start_attempt(&mut self, c: ConsumerId, ctx: &mut Ctx) {
        let (call, duration) = if self.undecodable(c, ctx) {
            (Call { started: ctx.now, permitted: false, error: Some(CallError::Undecodable) }, 0)
        } else if self.breaker.acquire(ctx) {
            self.start_call(c, ctx)
        } else if ctx.settings.breaker.when_open == WhenOpen::Pause {
            return self.pause_on_breaker(c, ctx);
        } else {
            self.stats.calls_not_permitted += 1;
            (Call { started: ctx.now, permitted: false, error: Some(CallError::NotPermitted) }, 0)
        };
        let consumer = &mut self.consumers[c.index()];
        consumer.call = call;
        consumer.status = ConsumerStatus::Processing;
        let epoch = consumer.epoch;
        ctx.after(SimDuration::from_us(duration), Event::Consumer(ConsumerEvent::ServiceDone { consumer: c, epoch }));
    }

    /// Whether the delivery in `c`'s hand fails to decode: written with a schema version the
    /// consumers' reader version cannot read (schema registry only).
    fn undecodable(&mut self, c: ConsumerId, ctx: &mut Ctx) -> bool {
        let Some(hand) = self.consumers[c.index()].in_hand.filter(|_| ctx.settings.schema.enabled) else {
            return false;
        };
        ctx.schemas.undecodable(hand.msg, ctx.settings.schema.reader_version)
    }

    /// The call itself: how the API will answer and how long it takes.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn start_call(&mut self, c: ConsumerId, ctx: &mut Ctx) -> (Call, u64) {
        let mean = self.own_service_mean_us.unwrap_or(ctx.knobs.service_mean_us);
        let drawn = match ctx.settings.processing.service.distribution {
            ServiceDistribution::Exponential => self.service.exponential_us(mean),
            ServiceDistribution::Constant => (mean + 0.5) as u64,
            ServiceDistribution::Uniform => self.service.uniform_us(0, (2.0 * mean + 0.5) as u64),
        };
        let msg = self.consumers[c.index()].in_hand.expect("an attempt needs a delivery").msg;
        let poison = self.downstream.is_poison(msg, ctx.knobs.poison_p);
        let plan = self.downstream.start_call(ctx.now, &ctx.settings.downstream, poison);
        let call = Call { started: ctx.now, permitted: self.breaker.enabled(), error: plan.error };
        let slow = plan.slow_factor as u64 * self.consumers[c.index()].slow_factor as u64;
        (call, drawn.saturating_mul(slow))
    }

    fn pause_on_breaker(&mut self, c: ConsumerId, ctx: &mut Ctx) {
        let consumer = &mut self.consumers[c.index()];
        let msg = consumer.in_hand.expect("an attempt needs a delivery").msg;
        if consumer.status != ConsumerStatus::BreakerWait {
            consumer.status = ConsumerStatus::BreakerWait;
            self.stats.breaker_pauses += 1;
            ctx.note(JournalKind::BreakerPaused { msg, consumer: c });
        }
        self.breaker.pause(c);
    }

    /// The attempt of `c` ended now: its error, if any (the API's, or a transient one when
    /// `transient` was drawn), after telling the breaker how a permitted call went.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn end_call(&mut self, c: ConsumerId, transient: bool, ctx: &mut Ctx) -> Option<CallError> {
        let call = self.consumers[c.index()].call;
        let error = call.error.or(if transient { Some(CallError::Transient) } else { None });
        if call.permitted {
            let result = match error {
                None => CallResult::Success,
                Some(CallError::Invalid) if ctx.settings.processing.classify_poison => CallResult::Ignored,
                Some(_) => CallResult::Failure,
            };
            if self.breaker.record(result, ctx.now.elapsed_since(call.started), ctx) {
                self.wake_paused(ctx);
            }
        }
        error
    }

    /// A call the breaker permitted will never end (its consumer crashed): the permission goes
    /// back (resilience4j's `releasePermission`), so a half-open breaker is not left waiting for
    /// a test call that never reports; the paused consumers ask again.
    pub(super) fn abandon_call(&mut self, ctx: &mut Ctx) {
        self.breaker.release();
        self.wake_paused(ctx);
    }

    /// The consumers paused on the breaker ask it again.
    fn wake_paused(&mut self, ctx: &mut Ctx) {
        for c in self.breaker.take_waiting() {
            if self.consumers[c.index()].status == ConsumerStatus::BreakerWait {
                self.start_attempt(c, ctx);
            }
        }
    }

    /// The breaker's wait is over (or its settings changed): paused consumers ask again.
    pub(super) fn on_breaker_wake(&mut self, token: u32, ctx: &mut Ctx) {
        if self.breaker.on_wake(token, ctx) {
            self.wake_paused(ctx);
        }
    }

    /// Builds the breaker the live settings describe, replacing the old one.
    pub fn configure_breaker(&mut self, ctx: &mut Ctx) {
        let settings = ctx.settings.breaker.clone();
        for c in self.breaker.configure(&settings, ctx) {
            self.breaker.pause(c);
        }
        self.wake_paused(ctx);
    }

    /// The attempt at `hand` failed with `error`: retry it, park it, or (no dead-letter queue)
    /// try again after the schedule's last wait.
    pub(super) fn on_attempt_failed(
        &mut self,
        c: ConsumerId,
        hand: Delivery,
        error: CallError,
        src: &mut impl Source,
        ctx: &mut Ctx,
    ) {
        self.stats.processing_failures += 1;
        let (policy, msg, retry) = (ctx.settings.processing.retry, hand.msg, hand.retry + 1);
        self.note_failure(msg, ctx);
        // A message that cannot be decoded never will be; a 400 is final when poison is classified.
        let non_retryable =
            error == CallError::Undecodable || (error == CallError::Invalid && ctx.settings.processing.classify_poison);
        let delay = if non_retryable { None } else { self.retry.delay(&policy, msg, retry) };
        let (delay, then) = match delay {
            Some(delay) => (Some(delay), AfterFailure::Retry),
            None if non_retryable || ctx.settings.processing.dead_letter_queue => (None, AfterFailure::DeadLetter),
            None => (Some(self.retry.delay_past_schedule(&policy, msg)), AfterFailure::TryAgain),
        };
        // Requeueing has no backoff: the queue takes the message back at once.
        let then = if delay.is_some() && policy.mode == RetryMode::Requeue { AfterFailure::Requeue } else { then };
        ctx.note(JournalKind::ProcessingFailed { msg, consumer: c, retry, max_retries: policy.retries(), error, then });
        let Some(delay) = delay else {
            self.retry.forget(msg);
            let reason =
                if non_retryable { DeadLetterReason::NonRetryable } else { DeadLetterReason::RetriesExhausted };
            return self.dead_letter(c, hand, reason, src, ctx);
        };
        self.stats.retries += 1;
        match policy.mode {
            RetryMode::InPlace => {
                let consumer = &mut self.consumers[c.index()];
                consumer.in_hand = Some(Delivery { retry, ..hand });
                consumer.status = ConsumerStatus::RetryWait;
                let epoch = consumer.epoch;
                ctx.after(delay, Event::Consumer(ConsumerEvent::RetryDue { consumer: c, epoch }));
            }
            RetryMode::Requeue => {
                // basic.nack with requeue: the queue takes it back, and this consumer or another
                // takes it again (the rules keep the delivery unacknowledged until here).
                let consumer = &mut self.consumers[c.index()];
                consumer.in_hand = None;
                src.nack_requeue(c, &hand, ctx);
                ctx.release(msg, None); // the consumer's hold
                if self.after_delivery(c, src, ctx) {
                    self.pump(c, src, ctx);
                }
                self.wake(None, src, ctx);
            }
            RetryMode::Reappend => {
                ctx.ledger.hold(msg); // the pending retry
                ctx.after(delay, Event::Consumer(ConsumerEvent::Reappend { msg, retry, subscriber: self.subscriber }));
                if self.finish_delivery(c, src, ctx) {
                    self.pump(c, src, ctx);
                }
            }
        }
    }
}
