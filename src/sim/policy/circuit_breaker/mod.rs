//! A circuit breaker with resilience4j's `CircuitBreaker` semantics, ported from its
//! `CircuitBreakerStateMachine`, `CircuitBreakerMetrics`, `CircuitBreakerConfig` and
//! resilience4j-core's `FixedSizeSlidingWindowMetrics` and `SlidingTimeWindowMetrics`
//! (resilience4j v2.4.0-16-gaf9e7c979, commit af9e7c979f17804f23cc1b76dd7cf268fb58b5c7), and
//! tested with their own test cases (`tests_*.rs`, each test named after the Java one).
//!
//! The states: CLOSED lets every call through and measures them in a sliding window; when,
//! after a call, the window holds at least the minimum number of calls and the failure rate or
//! the slow-call rate is at or above its threshold, it opens. OPEN refuses calls (counting each
//! refusal) until its wait is over, then the next permission asked moves it to HALF_OPEN, which
//! lets exactly `permitted_number_of_calls_in_half_open_state` calls through and judges them in
//! a window of their own (minimum: min(minimum, permitted)): back to OPEN when a rate is at or
//! above its threshold, to CLOSED when both are below. DISABLED lets everything through and
//! measures nothing; FORCED_OPEN refuses everything; METRICS_ONLY measures and never changes
//! state. Entering a state builds its metrics afresh, except OPEN, which keeps the window of the
//! state it came from (so its rates still show why it opened).
//!
//! Time is the caller's: every method that takes `now` (simulated time, integer microseconds)
//! first catches up with the timers resilience4j runs on a scheduler thread, at the instants
//! they would have fired: OPEN's automatic move to HALF_OPEN when
//! `automatic_transition_from_open_to_half_open_enabled` is on (a state read at or after the end
//! of the wait sees HALF_OPEN), and HALF_OPEN's `max_wait_duration_in_half_open_state_ms`. Time
//! never goes back: an earlier `now` counts as the latest seen. Without the automatic move, OPEN
//! lets a call through only strictly after the wait (`Instant.isAfter`).
//!
//! Calls that finish after a change of state are recorded by the state they finish in, as in
//! resilience4j: a success or failure reported to OPEN lands in the window OPEN kept, and one
//! reported without a permission (resilience4j's `onSuccess`/`onError` called directly) is
//! recorded all the same. The consecutive openings (resilience4j's `attempts`) count up through
//! OPEN and HALF_OPEN and start again from CLOSED; a multiplier grows the wait with them.
//!
//! `reset` keeps a quirk of resilience4j's: it replaces the state without cancelling its timer
//! (it skips `preTransitionHook`; resilience4j issue #1039), so a HALF_OPEN maximum wait or an
//! automatic OPEN → HALF_OPEN still fires later, from whatever state is current then, when that
//! transition is legal from it.
//!
//! Not modelled: the exception and result predicates (the caller says which calls failed, which
//! to ignore), `transitionOnResult`, events, the lock-free window strategy (same counts), and
//! the real thread races resilience4j guards against with its atomic flags.

mod aggregation;
pub mod config;
mod count_window;
pub mod metrics;
mod time_window;
mod timers;
mod transitions;

pub use aggregation::Snapshot;
pub use config::{AfterHalfOpenWait, CircuitBreakerConfig, ConfigError, SlidingWindowType};
pub use metrics::Verdict;

use crate::sim::kernel::time::SimTime;
use metrics::StateMetrics;
use serde::{Deserialize, Serialize};

/// The breaker's states (resilience4j's `CircuitBreaker.State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Closed,
    Open,
    HalfOpen,
    Disabled,
    ForcedOpen,
    MetricsOnly,
}

impl State {
    /// Every state, in the order of resilience4j's enum.
    pub const ALL: [State; 6] =
        [State::Disabled, State::MetricsOnly, State::Closed, State::Open, State::ForcedOpen, State::HalfOpen];

    /// The state's name in lower snake_case (`half_open`).
    pub fn name(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
            State::HalfOpen => "half_open",
            State::Disabled => "disabled",
            State::ForcedOpen => "forced_open",
            State::MetricsOnly => "metrics_only",
        }
    }

    /// The state named `name` (lower snake_case), if any.
    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether resilience4j's `StateTransition` table has `self` → `to`: every pair but three,
    /// CLOSED → HALF_OPEN and METRICS_ONLY → OPEN or HALF_OPEN (a state may go to itself).
    pub fn may_go_to(self, to: State) -> bool {
        !matches!(
            (self, to),
            (State::Closed, State::HalfOpen)
                | (State::MetricsOnly, State::Open)
                | (State::MetricsOnly, State::HalfOpen)
        )
    }
}

/// A forced transition resilience4j refuses (`IllegalStateTransitionException`); the breaker
/// is left as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IllegalStateTransition {
    pub from: State,
    pub to: State,
}

impl std::fmt::Display for IllegalStateTransition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "illegal state transition from {} to {}", self.from.name(), self.to.name())
    }
}

impl std::error::Error for IllegalStateTransition {}

/// What a state holds beyond its metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Closed,
    /// Refuses calls until `retry_after`.
    Open {
        attempts: u32,
        retry_after: SimTime,
    },
    /// `permits` calls may still start; gives up waiting for them at `gives_up_at`.
    HalfOpen {
        attempts: u32,
        permits: u32,
        gives_up_at: Option<SimTime>,
    },
    Disabled,
    ForcedOpen {
        attempts: u32,
    },
    MetricsOnly,
}

/// A snapshot of the current state's metrics (resilience4j's `CircuitBreaker.Metrics`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Failed calls in percent of the window, -1 while it holds fewer than the minimum.
    pub failure_rate: f32,
    /// Slow calls in percent of the window, -1 while it holds fewer than the minimum.
    pub slow_call_rate: f32,
    /// Calls in the window.
    pub buffered: u32,
    pub failed: u32,
    pub successful: u32,
    /// Slow calls, failed or not.
    pub slow: u32,
    pub slow_successful: u32,
    pub slow_failed: u32,
    /// Calls refused since the current metrics were built.
    pub not_permitted: u64,
}

/// The circuit breaker: its settings, its state and that state's metrics.
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: CircuitBreakerConfig,
    phase: Phase,
    metrics: StateMetrics,
    /// The latest time seen.
    now: SimTime,
    /// Timers of states `reset` replaced, still armed: when each fires and the state it moves
    /// to (see `timers.rs`).
    orphans: Vec<(SimTime, State)>,
}

impl CircuitBreaker {
    /// A breaker made at `now` in `config.initial_state`, or the first setting the builder
    /// would refuse.
    pub fn new(config: CircuitBreakerConfig, now: SimTime) -> Result<Self, ConfigError> {
        config.validate()?;
        let metrics = StateMetrics::for_closed(&config, now);
        let mut breaker = CircuitBreaker { config, phase: Phase::Closed, metrics, now, orphans: Vec::new() };
        // resilience4j starts OPEN, HALF_OPEN and FORCED_OPEN at attempt 1; OPEN keeps a
        // CLOSED window, as here.
        match breaker.config.initial_state {
            State::Closed => {}
            State::Open => breaker.enter_open(1, breaker.config.wait_in_open_state_ms(1), now),
            State::HalfOpen => breaker.enter_half_open(1, now),
            State::Disabled => breaker.enter_disabled(now),
            State::ForcedOpen => breaker.enter_forced_open(1, now),
            State::MetricsOnly => breaker.enter_metrics_only(now),
        }
        Ok(breaker)
    }

    /// The settings.
    pub fn config(&self) -> &CircuitBreakerConfig {
        &self.config
    }

    /// The state as of the latest time seen.
    pub fn state(&self) -> State {
        match self.phase {
            Phase::Closed => State::Closed,
            Phase::Open { .. } => State::Open,
            Phase::HalfOpen { .. } => State::HalfOpen,
            Phase::Disabled => State::Disabled,
            Phase::ForcedOpen { .. } => State::ForcedOpen,
            Phase::MetricsOnly => State::MetricsOnly,
        }
    }

    /// The state at `now`, after the timers due by then.
    pub fn state_at(&mut self, now: SimTime) -> State {
        self.advance(now);
        self.state()
    }

    /// Consecutive openings so far (resilience4j's `attempts()`: 0 in CLOSED, DISABLED and
    /// METRICS_ONLY).
    pub fn attempts(&self) -> u32 {
        match self.phase {
            Phase::Open { attempts, .. } | Phase::HalfOpen { attempts, .. } | Phase::ForcedOpen { attempts } => {
                attempts
            }
            Phase::Closed | Phase::Disabled | Phase::MetricsOnly => 0,
        }
    }

    /// In OPEN, the instant after which a call is let through again.
    pub fn retry_after(&self) -> Option<SimTime> {
        match self.phase {
            Phase::Open { retry_after, .. } => Some(retry_after),
            _ => None,
        }
    }

    /// Asks to start a call at `now`: whether it may. A refusal is counted in the current
    /// metrics' not-permitted calls. OPEN past its wait moves to HALF_OPEN and asks again there.
    pub fn try_acquire_permission(&mut self, now: SimTime) -> bool {
        self.advance(now);
        let now = self.now;
        match &mut self.phase {
            Phase::Closed | Phase::Disabled | Phase::MetricsOnly => true,
            Phase::Open { attempts, retry_after } => {
                if now > *retry_after {
                    let attempts = *attempts;
                    self.enter_half_open(attempts, now);
                    return self.try_acquire_permission(now);
                }
                self.metrics.on_call_not_permitted();
                false
            }
            Phase::HalfOpen { permits, .. } => {
                if *permits > 0 {
                    *permits -= 1;
                    return true;
                }
                self.metrics.on_call_not_permitted();
                false
            }
            Phase::ForcedOpen { .. } => {
                self.metrics.on_call_not_permitted();
                false
            }
        }
    }

    /// Gives back a permission that was not used for a call: HALF_OPEN may let one more call
    /// through (with no upper bound, as resilience4j's counter has none); other states ignore it.
    pub fn release_permission(&mut self) {
        if let Phase::HalfOpen { permits, .. } = &mut self.phase {
            *permits = permits.saturating_add(1);
        }
    }

    /// A call ended with an error the breaker ignores: its permission is released and nothing
    /// is recorded (resilience4j's ignore-exception predicate).
    pub fn on_ignored_error(&mut self) {
        self.release_permission();
    }

    /// A call that took `duration_us` succeeded at `now`.
    pub fn on_success(&mut self, duration_us: u64, now: SimTime) {
        self.on_result(duration_us, now, false);
    }

    /// A call that took `duration_us` failed at `now`.
    pub fn on_error(&mut self, duration_us: u64, now: SimTime) {
        self.on_result(duration_us, now, true);
    }

    fn on_result(&mut self, duration_us: u64, now: SimTime, failed: bool) {
        self.advance(now);
        let now = self.now;
        if matches!(self.phase, Phase::Disabled | Phase::ForcedOpen { .. }) {
            return; // these states record nothing
        }
        let verdict =
            if failed { self.metrics.on_error(duration_us, now) } else { self.metrics.on_success(duration_us, now) };
        match self.phase {
            Phase::Closed if verdict.exceeded() => self.open_after(0, now),
            Phase::HalfOpen { attempts, .. } if verdict.exceeded() => self.open_after(attempts, now),
            Phase::HalfOpen { .. } if verdict == Verdict::BelowThresholds => self.enter_closed(now),
            _ => {}
        }
    }

    /// The current state's metrics at `now` (a time-based window leaves out the seconds that
    /// have passed by then).
    pub fn metrics(&self, now: SimTime) -> Metrics {
        let now = now.max(self.now);
        let s = self.metrics.snapshot(now);
        Metrics {
            failure_rate: self.metrics.failure_rate(now),
            slow_call_rate: self.metrics.slow_call_rate(now),
            buffered: s.total_calls(),
            failed: s.failed_calls(),
            successful: s.successful_calls(),
            slow: s.slow_calls(),
            slow_successful: s.slow_successful_calls(),
            slow_failed: s.slow_failed_calls(),
            not_permitted: self.metrics.not_permitted(),
        }
    }

    /// The current state's raw window at `now`.
    pub fn snapshot(&self, now: SimTime) -> Snapshot {
        self.metrics.snapshot(now.max(self.now))
    }
}

/// Entering states: what resilience4j's state constructors do.
impl CircuitBreaker {
    /// OPEN after `attempts` consecutive openings: one more, with that opening's wait.
    fn open_after(&mut self, attempts: u32, now: SimTime) {
        let attempt = attempts.saturating_add(1);
        self.enter_open(attempt, self.config.wait_in_open_state_ms(attempt), now);
    }

    /// OPEN for `wait_ms` from `now`, keeping the current metrics.
    fn enter_open(&mut self, attempts: u32, wait_ms: u64, now: SimTime) {
        let retry_after = now.plus_us(wait_ms.saturating_mul(1_000));
        self.phase = Phase::Open { attempts, retry_after };
    }

    fn enter_half_open(&mut self, attempts: u32, now: SimTime) {
        let max_wait_ms = self.config.max_wait_duration_in_half_open_state_ms;
        let gives_up_at = (max_wait_ms >= 1).then(|| now.plus_ms(max_wait_ms));
        let permits = self.config.permitted_number_of_calls_in_half_open_state;
        self.phase = Phase::HalfOpen { attempts, permits, gives_up_at };
        self.metrics = StateMetrics::for_half_open(&self.config, now);
    }

    fn enter_closed(&mut self, now: SimTime) {
        self.phase = Phase::Closed;
        self.metrics = StateMetrics::for_closed(&self.config, now);
    }

    fn enter_disabled(&mut self, now: SimTime) {
        self.phase = Phase::Disabled;
        self.metrics = StateMetrics::empty(&self.config, now);
    }

    fn enter_forced_open(&mut self, attempts: u32, now: SimTime) {
        self.phase = Phase::ForcedOpen { attempts };
        self.metrics = StateMetrics::empty(&self.config, now);
    }

    fn enter_metrics_only(&mut self, now: SimTime) {
        self.phase = Phase::MetricsOnly;
        self.metrics = StateMetrics::for_closed(&self.config, now);
    }
}

// The ported tests, last in the file: tidy reads a file's code up to its first `#[cfg(test)]`.
#[cfg(test)]
mod tests_config;
#[cfg(test)]
mod tests_metrics;
#[cfg(test)]
mod tests_state_machine;
#[cfg(test)]
mod tests_transitions;
#[cfg(test)]
mod tests_windows;
