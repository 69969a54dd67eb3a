//! The circuit breaker in front of the payments API, as the consumers use it: one resilience4j
//! breaker (`policy::circuit_breaker`) shared by every consumer, the consumers paused on it, and
//! what it did (each change of state is journaled; openings are counted).
//!
//! resilience4j runs no timer of its own for OPEN (unless the automatic transition is on): OPEN
//! becomes HALF_OPEN when a permission is asked after the wait. A paused consumer asks when the
//! wait is over (a `BreakerWake` event 1 µs after it, as OPEN lets calls through only strictly
//! after), and whenever the state changes (a half-open test call closing it, say).
//!
//! A breaker's settings cannot change while it runs (resilience4j makes a new instance from a
//! new config), so a changed breaker setting replaces it with a new one, closed; the token retires
//! the old one's wake-ups.

use crate::sim::config::downstream::BreakerSettings;
use crate::sim::ctx::Ctx;
use crate::sim::event::{ConsumerEvent, Event, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::policy::circuit_breaker::{CircuitBreaker, Metrics, State};

/// How a permitted call ended, for the breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallResult {
    Success,
    Failure,
    /// An error the breaker ignores (a classified poison message's 400).
    Ignored,
}

#[derive(Clone, Debug, Default)]
pub struct BreakerGuard {
    breaker: Option<CircuitBreaker>,
    /// The state last journaled.
    seen: Option<State>,
    /// Times the breaker opened (from CLOSED or HALF_OPEN), over every instance.
    openings: u64,
    /// Consumers paused until a call is let through, in the order they paused.
    waiting: Vec<ConsumerId>,
    /// Names the current instance; wake-ups of an earlier one are ignored.
    token: u32,
    /// The instant a wake-up is scheduled for, so one is not scheduled twice.
    wake_at: Option<SimTime>,
    /// The subscriber whose pipeline it guards (its wake-ups go there).
    pub(super) subscriber: u8,
}

impl BreakerGuard {
    /// The guard of subscriber `k`'s pipeline, with no breaker until `configure`.
    pub fn for_subscriber(k: u8) -> Self {
        BreakerGuard { subscriber: k, ..BreakerGuard::default() }
    }

    /// Builds the breaker the settings describe (none when disabled), replacing any earlier one,
    /// and returns the consumers that were paused on the old one, to ask again.
    pub fn configure(&mut self, settings: &BreakerSettings, ctx: &mut Ctx) -> Vec<ConsumerId> {
        self.token = self.token.wrapping_add(1);
        self.wake_at = None;
        // The scenario was validated, so the config is one resilience4j accepts.
        self.breaker = if settings.enabled { CircuitBreaker::new(settings.config.clone(), ctx.now).ok() } else { None };
        self.observe(ctx);
        std::mem::take(&mut self.waiting)
    }

    #[inline]
    pub fn enabled(&self) -> bool {
        self.breaker.is_some()
    }

    /// Asks to call the API at `now`: always yes without a breaker.
    #[inline]
    pub fn acquire(&mut self, ctx: &mut Ctx) -> bool {
        let Some(b) = self.breaker.as_mut() else { return true };
        let permitted = b.try_acquire_permission(ctx.now);
        self.observe(ctx);
        permitted
    }

    /// A permitted call that started `duration` ago ended now. True when the breaker changed
    /// state: the paused consumers should ask again.
    pub fn record(&mut self, result: CallResult, duration: SimDuration, ctx: &mut Ctx) -> bool {
        let Some(b) = self.breaker.as_mut() else { return false };
        match result {
            CallResult::Success => b.on_success(duration.as_us(), ctx.now),
            CallResult::Failure => b.on_error(duration.as_us(), ctx.now),
            CallResult::Ignored => b.on_ignored_error(),
        }
        self.observe(ctx)
    }

    /// A permission taken for a call that will not end is given back.
    pub fn release(&mut self) {
        if let Some(b) = self.breaker.as_mut() {
            b.release_permission();
        }
    }

    /// Consumer `c` waits for the breaker.
    pub fn pause(&mut self, c: ConsumerId) {
        if !self.waiting.contains(&c) {
            self.waiting.push(c);
        }
    }

    /// The consumers paused on the breaker, taken out of the waiting list to ask again.
    pub fn take_waiting(&mut self) -> Vec<ConsumerId> {
        std::mem::take(&mut self.waiting)
    }

    /// A `BreakerWake` fired: whether it is the current instance's (its timers catch up first).
    pub fn on_wake(&mut self, token: u32, ctx: &mut Ctx) -> bool {
        if token != self.token {
            return false;
        }
        self.wake_at = None;
        if let Some(b) = self.breaker.as_mut() {
            b.advance(ctx.now);
        }
        self.observe(ctx);
        true
    }

    /// Journals a change of state since the last look, counts an opening, and schedules the
    /// wake-up the new state needs. True when the state changed.
    fn observe(&mut self, ctx: &mut Ctx) -> bool {
        let state = self.breaker.as_ref().map(CircuitBreaker::state);
        if state == self.seen {
            // The breaker may have left the state and come back within one call (OPEN past its
            // wait goes HALF_OPEN, and a call that started earlier fails there: OPEN again, with
            // a new wait), so its wake-up may be new too. (HALF_OPEN's deadline counts from when
            // it was entered: its wake-up stands.)
            if state == Some(State::Open) {
                self.schedule_wake(ctx);
            }
            return false;
        }
        let from = self.seen.unwrap_or(State::Disabled);
        self.seen = state;
        let to = state.unwrap_or(State::Disabled);
        if to == State::Open {
            self.openings += 1;
        }
        // The rate in hundredths of a percent (-100: not computable yet), so the entry stays `Eq`.
        let rate = self.metrics(ctx.now).map_or(-1.0, |m| m.failure_rate);
        let failure_rate_bp = (rate * 100.0).round() as i32;
        ctx.note(JournalKind::BreakerChanged { from, to, failure_rate_bp });
        self.schedule_wake(ctx);
        true
    }

    fn schedule_wake(&mut self, ctx: &mut Ctx) {
        let Some(b) = self.breaker.as_ref() else { return };
        let at = match b.state() {
            State::Open => b.retry_after().map(|t| t.plus_us(1)),
            State::HalfOpen => {
                let ms = b.config().max_wait_duration_in_half_open_state_ms;
                (ms >= 1).then(|| ctx.now.plus_ms(ms))
            }
            _ => None,
        };
        // Only ahead: OPEN past its wait without the automatic transition stays OPEN until a call
        // asks, and a wake-up now would find it the same, and ask for another.
        if let Some(at) = at.filter(|&at| at > ctx.now) {
            if self.wake_at != Some(at) {
                self.wake_at = Some(at);
                let token = self.token;
                ctx.after(
                    SimDuration::from_us(at.since(ctx.now)),
                    Event::Consumer(ConsumerEvent::BreakerWake { token, subscriber: self.subscriber }),
                );
            }
        }
    }

    /// The breaker's state (none when disabled).
    pub fn state(&self) -> Option<State> {
        self.breaker.as_ref().map(CircuitBreaker::state)
    }

    /// Its current state's window at `now` (none when disabled).
    pub fn metrics(&self, now: SimTime) -> Option<Metrics> {
        self.breaker.as_ref().map(|b| b.metrics(now))
    }

    pub fn openings(&self) -> u64 {
        self.openings
    }

    /// Consumers paused on it now.
    pub fn paused(&self) -> usize {
        self.waiting.len()
    }

    /// The breaker itself, for the page's drawing of its window.
    pub fn breaker(&self) -> Option<&CircuitBreaker> {
        self.breaker.as_ref()
    }
}
