//! The timers resilience4j runs on its scheduler thread, fired here when the caller's time
//! passes their instant: OPEN's automatic move to HALF_OPEN at the end of its wait (with
//! `automatic_transition_from_open_to_half_open_enabled`) and HALF_OPEN's give-up after
//! `max_wait_duration_in_half_open_state_ms`. Each fires at the instant it was due, so the state
//! it starts (and that state's own timer) dates from then, not from the caller's `now`.

use super::metrics::StateMetrics;
use super::{AfterHalfOpenWait, CircuitBreaker, Phase};
use crate::sim::kernel::time::SimTime;

/// A bound on the timers fired one by one in a single catch-up. Whole OPEN ⇄ HALF_OPEN cycles
/// of constant length are skipped at once, so only a backoff still growing step by step (a
/// multiplier barely above 1 and a very long jump of time) could come near it.
const MAX_TIMER_STEPS: u32 = 1_000_000;

impl CircuitBreaker {
    /// Moves the breaker's clock to `now` (an earlier `now` counts as the latest seen) and
    /// fires, in order, every timer due by then.
    pub fn advance(&mut self, now: SimTime) {
        let now = now.max(self.now);
        self.now = now;
        let automatic = self.config.automatic_transition_from_open_to_half_open_enabled;
        for _ in 0..MAX_TIMER_STEPS {
            match self.phase {
                Phase::Open { attempts, retry_after } if automatic && now >= retry_after => {
                    self.enter_half_open(attempts, retry_after);
                }
                Phase::HalfOpen { attempts, gives_up_at: Some(at), .. } if now >= at => {
                    match self.config.transition_to_state_after_wait_duration {
                        AfterHalfOpenWait::Open => {
                            self.open_after(attempts, at);
                            self.skip_constant_cycles(at, now);
                        }
                        AfterHalfOpenWait::Closed => self.enter_closed(at),
                    }
                }
                _ => return,
            }
        }
    }

    /// Just opened at `at` by HALF_OPEN giving up: with the automatic move on, the breaker now
    /// cycles OPEN (its wait) → HALF_OPEN (its maximum wait) → OPEN until a call comes. While
    /// the wait stays the same, every cycle is alike, so the whole ones before `now` are skipped
    /// at once: the attempts they count are added and OPEN holds the empty window of the last
    /// HALF_OPEN, as stepping through them would leave it.
    fn skip_constant_cycles(&mut self, at: SimTime, now: SimTime) {
        let Phase::Open { attempts, retry_after } = self.phase else { return };
        if !self.config.automatic_transition_from_open_to_half_open_enabled
            || !self.config.wait_is_constant_from(attempts)
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
