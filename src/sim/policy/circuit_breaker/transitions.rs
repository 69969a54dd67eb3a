//! Forced transitions (`transitionToClosedState` and the others, `reset`): what an operator or
//! the application does to the breaker by hand. Each builds the new state as resilience4j's
//! does: fresh metrics, except OPEN, which keeps the current ones; OPEN and FORCED_OPEN count one
//! more consecutive opening, HALF_OPEN keeps the count, the others start it again.

use super::{CircuitBreaker, IllegalStateTransition, Phase, State};
use crate::sim::kernel::time::SimTime;

impl CircuitBreaker {
    /// Moves to `to` at `now` (after the timers due by then), or refuses a transition that
    /// resilience4j's table lacks and changes nothing. A state may be entered again from
    /// itself, which rebuilds it.
    pub fn transition_to(&mut self, to: State, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.advance(now);
        let (from, now) = (self.state(), self.now);
        if !from.may_go_to(to) {
            return Err(IllegalStateTransition { from, to });
        }
        self.enter(to, now);
        Ok(())
    }

    /// Enters `to` at `now` as resilience4j's `transitionTo...State` builds it (the check of
    /// the table done).
    pub(super) fn enter(&mut self, to: State, now: SimTime) {
        let attempts = self.attempts();
        match to {
            State::Closed => self.enter_closed(now),
            State::Open => self.open_after(attempts, now),
            State::HalfOpen => self.enter_half_open(attempts, now),
            State::Disabled => self.enter_disabled(now),
            State::ForcedOpen => self.enter_forced_open(attempts.saturating_add(1), now),
            State::MetricsOnly => self.enter_metrics_only(now),
        }
    }

    /// `transitionToClosedState`.
    pub fn transition_to_closed_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::Closed, now)
    }

    /// `transitionToOpenState`: the wait of the next consecutive opening.
    pub fn transition_to_open_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::Open, now)
    }

    /// `transitionToHalfOpenState`.
    pub fn transition_to_half_open_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::HalfOpen, now)
    }

    /// `transitionToDisabledState`.
    pub fn transition_to_disabled_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::Disabled, now)
    }

    /// `transitionToForcedOpenState`.
    pub fn transition_to_forced_open_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::ForcedOpen, now)
    }

    /// `transitionToMetricsOnlyState`.
    pub fn transition_to_metrics_only_state(&mut self, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.transition_to(State::MetricsOnly, now)
    }

    /// `transitionToOpenStateFor(wait)`: OPEN for `wait_ms` from `now`, without counting an
    /// opening (resilience4j keeps `attempts` here).
    pub fn transition_to_open_state_for(&mut self, wait_ms: u64, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.open_until(|now| now.plus_ms(wait_ms), now)
    }

    /// `transitionToOpenStateUntil(until)`: OPEN until `until`, without counting an opening.
    pub fn transition_to_open_state_until(
        &mut self,
        until: SimTime,
        now: SimTime,
    ) -> Result<(), IllegalStateTransition> {
        self.open_until(|_| until, now)
    }

    fn open_until(&mut self, until: impl Fn(SimTime) -> SimTime, now: SimTime) -> Result<(), IllegalStateTransition> {
        self.advance(now);
        let (from, now) = (self.state(), self.now);
        if !from.may_go_to(State::Open) {
            return Err(IllegalStateTransition { from, to: State::Open });
        }
        // OPEN keeps the current metrics; only the instant it lets calls through again is new.
        self.phase = Phase::Open { attempts: self.attempts(), retry_after: until(now) };
        Ok(())
    }

    /// `reset`: back to a fresh CLOSED from any state (never refused). Like resilience4j's, it
    /// leaves the replaced state's timer armed (see the module's doc).
    pub fn reset(&mut self, now: SimTime) {
        self.advance(now);
        let now = self.now;
        if let Some(timer) = self.live_timer() {
            self.orphans.push(timer);
        }
        self.enter_closed(now);
    }
}
