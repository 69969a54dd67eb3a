//! The timers resilience4j runs on its scheduler thread, fired here when the caller's time
//! passes their instant: OPEN's automatic move to HALF_OPEN at the end of its wait (with
//! `automatic_transition_from_open_to_half_open_enabled`) and HALF_OPEN's give-up after
//! `max_wait_duration_in_half_open_state_ms`. Each fires at the instant it was due, so the state
//! it starts (and that state's own timer) dates from then, not from the caller's `now`.

use super::metrics::StateMetrics;
use super::{AfterHalfOpenWait, CircuitBreaker, Phase, State};
use crate::sim::kernel::time::SimTime;

/// A bound on the timers fired one by one in a single catch-up. Whole OPEN ⇄ HALF_OPEN cycles
/// of constant length are skipped at once, so only a backoff still growing step by step (a
/// multiplier barely above 1 and a very long jump of time) could come near it.
const MAX_TIMER_STEPS: u32 = 1_000_000;

impl CircuitBreaker {
    /// Moves the breaker's clock to `now` (an earlier `now` counts as the latest seen) and
    /// fires, in order of their instants, every timer due by then: the current state's and any
    /// `reset` left armed (those first at equal instants: they were scheduled earlier, and a
    /// scheduled executor runs equal delays in the order given).
    pub fn advance(&mut self, now: SimTime) {
        let now = now.max(self.now);
        self.now = now;
        for _ in 0..MAX_TIMER_STEPS {
            let live = self.live_timer().filter(|&(at, _)| at <= now);
            let orphan = (0..self.orphans.len()).min_by_key(|&i| self.orphans[i].0);
            match (orphan, live) {
                (Some(i), _) if self.orphans[i].0 <= now && live.is_none_or(|(at, _)| self.orphans[i].0 <= at) => {
                    let (at, to) = self.orphans.remove(i);
                    // Java throws IllegalStateTransitionException on the scheduler thread.
                    if self.state().may_go_to(to) {
                        self.enter(to, at);
                    }
                }
                (_, Some((at, to))) => {
                    self.enter(to, at);
                    if to == State::Open {
                        self.skip_constant_cycles(at, now);
                    }
                }
                _ => return,
            }
        }
    }

    /// The current state's timer: when it fires and where it moves the breaker.
    pub(super) fn live_timer(&self) -> Option<(SimTime, State)> {
        match self.phase {
            Phase::Open { retry_after, .. } if self.config.automatic_transition_from_open_to_half_open_enabled => {
                Some((retry_after, State::HalfOpen))
            }
            Phase::HalfOpen { gives_up_at: Some(at), .. } => {
                let to = match self.config.transition_to_state_after_wait_duration {
                    AfterHalfOpenWait::Open => State::Open,
                    AfterHalfOpenWait::Closed => State::Closed,
                };
                Some((at, to))
            }
            _ => None,
        }
    }

    /// Just opened at `at` by HALF_OPEN giving up: with the automatic move on, the breaker now
    /// cycles OPEN (its wait) → HALF_OPEN (its maximum wait) → OPEN until a call comes. While
    /// the wait stays the same, every cycle is alike, so the whole ones before `now` are skipped
    /// at once: the attempts they count are added and OPEN holds the empty window of the last
    /// HALF_OPEN, as stepping through them would leave it. Not while a timer `reset` left
    /// could interrupt the cycles.
    fn skip_constant_cycles(&mut self, at: SimTime, now: SimTime) {
        let Phase::Open { attempts, retry_after } = self.phase else { return };
        if !self.config.automatic_transition_from_open_to_half_open_enabled
            || !self.config.wait_is_constant_from(attempts)
            || !self.orphans.is_empty()
        {
            return;
        }
        let max_wait_us = self.config.max_wait_duration_in_half_open_state_ms.saturating_mul(1_000);
        let cycle_us = retry_after.since(at).saturating_add(max_wait_us);
        let cycles = now.since(at) / cycle_us.max(1);
        if cycles == 0 {
            return;
        }
        let skipped_us = cycles.saturating_mul(cycle_us);
        self.phase = Phase::Open {
            attempts: attempts.saturating_add(u32::try_from(cycles).unwrap_or(u32::MAX)),
            retry_after: retry_after.plus_us(skipped_us),
        };
        self.metrics = StateMetrics::for_half_open(&self.config, at.plus_us(skipped_us));
    }
}
