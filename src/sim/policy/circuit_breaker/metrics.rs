//! One state's measurements (resilience4j's `CircuitBreakerMetrics`): a sliding window, the
//! thresholds it is judged against, its minimum number of calls, and the calls it refused.
//! Each state builds its own when the breaker enters it (CLOSED and METRICS_ONLY the configured
//! window, HALF_OPEN a count window of its permitted calls, DISABLED and FORCED_OPEN an empty
//! one); OPEN keeps the window of the state it came from.

use super::aggregation::{Outcome, Snapshot};
use super::config::{CircuitBreakerConfig, SlidingWindowType};
use super::count_window::CountWindow;
use super::time_window::TimeWindow;
use crate::sim::kernel::time::SimTime;

/// What a recorded call says about the thresholds (`CircuitBreakerMetrics.Result`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Enough calls, both rates below their thresholds.
    BelowThresholds,
    /// The failure rate is at or above its threshold, the slow-call rate below.
    FailureRateAboveThreshold,
    /// The slow-call rate is at or above its threshold, the failure rate below.
    SlowCallRateAboveThreshold,
    /// Both rates at or above their thresholds.
    AboveThresholds,
    /// Too few calls to judge.
    BelowMinimumCallsThreshold,
}

impl Verdict {
    /// Whether either rate reached its threshold (`Result.hasExceededThresholds`).
    pub fn exceeded(self) -> bool {
        !matches!(self, Verdict::BelowThresholds | Verdict::BelowMinimumCallsThreshold)
    }
}

#[derive(Clone, Debug)]
enum Window {
    Count(CountWindow),
    Time(TimeWindow),
}

/// A state's window and counters.
#[derive(Clone, Debug)]
pub struct StateMetrics {
    window: Window,
    minimum_calls: u32,
    failure_rate_threshold: f32,
    slow_call_rate_threshold: f32,
    slow_call_threshold_us: u64,
    not_permitted: u64,
}

impl StateMetrics {
    /// A window of `size` of the given type. A count window caps the minimum number of calls at
    /// its size (so HALF_OPEN judges after min(minimum, permitted calls)); a time window does not.
    fn new(size: u32, kind: SlidingWindowType, config: &CircuitBreakerConfig, now: SimTime) -> Self {
        let (window, minimum_calls) = match kind {
            SlidingWindowType::CountBased => {
                (Window::Count(CountWindow::new(size)), config.minimum_number_of_calls.min(size))
            }
            SlidingWindowType::TimeBased => (Window::Time(TimeWindow::new(size, now)), config.minimum_number_of_calls),
        };
        StateMetrics {
            window,
            minimum_calls,
            failure_rate_threshold: config.failure_rate_threshold,
            slow_call_rate_threshold: config.slow_call_rate_threshold,
            slow_call_threshold_us: config.slow_call_duration_threshold_ms.saturating_mul(1_000),
            not_permitted: 0,
        }
    }

    /// CLOSED's (and METRICS_ONLY's) window, as configured (`forClosed`).
    pub fn for_closed(config: &CircuitBreakerConfig, now: SimTime) -> Self {
        Self::new(config.sliding_window_size, config.sliding_window_type, config, now)
    }

    /// HALF_OPEN's: a count window of the permitted calls (`forHalfOpen`).
    pub fn for_half_open(config: &CircuitBreakerConfig, now: SimTime) -> Self {
        let permitted = config.permitted_number_of_calls_in_half_open_state;
        Self::new(permitted, SlidingWindowType::CountBased, config, now)
    }

    /// DISABLED's and FORCED_OPEN's: an empty count window (`forDisabled`, `forForcedOpen`).
    pub fn empty(config: &CircuitBreakerConfig, now: SimTime) -> Self {
        Self::new(0, SlidingWindowType::CountBased, config, now)
    }

    /// Counts one refused call.
    pub fn on_call_not_permitted(&mut self) {
        self.not_permitted += 1;
    }

    /// Records a successful call; slow when longer than the threshold (strictly).
    pub fn on_success(&mut self, duration_us: u64, now: SimTime) -> Verdict {
        let slow = duration_us > self.slow_call_threshold_us;
        self.record(duration_us, if slow { Outcome::SlowSuccess } else { Outcome::Success }, now)
    }

    /// Records a failed call; slow when longer than the threshold (strictly).
    pub fn on_error(&mut self, duration_us: u64, now: SimTime) -> Verdict {
        let slow = duration_us > self.slow_call_threshold_us;
        self.record(duration_us, if slow { Outcome::SlowError } else { Outcome::Error }, now)
    }

    fn record(&mut self, duration_us: u64, outcome: Outcome, now: SimTime) -> Verdict {
        let snapshot = match &mut self.window {
            Window::Count(w) => w.record(duration_us, outcome),
            Window::Time(w) => w.record(duration_us, outcome, now),
        };
        self.verdict(&snapshot)
    }

    /// `checkIfThresholdsExceeded`: a rate at or above its threshold exceeds it.
    fn verdict(&self, snapshot: &Snapshot) -> Verdict {
        let failure = self.failure_rate_of(snapshot);
        let slow = self.slow_call_rate_of(snapshot);
        if failure == -1.0 || slow == -1.0 {
            return Verdict::BelowMinimumCallsThreshold;
        }
        match (failure >= self.failure_rate_threshold, slow >= self.slow_call_rate_threshold) {
            (true, true) => Verdict::AboveThresholds,
            (true, false) => Verdict::FailureRateAboveThreshold,
            (false, true) => Verdict::SlowCallRateAboveThreshold,
            (false, false) => Verdict::BelowThresholds,
        }
    }

    fn enough_calls(&self, snapshot: &Snapshot) -> bool {
        let calls = snapshot.total_calls();
        calls != 0 && calls >= self.minimum_calls
    }

    fn failure_rate_of(&self, snapshot: &Snapshot) -> f32 {
        if self.enough_calls(snapshot) {
            snapshot.failure_rate()
        } else {
            -1.0
        }
    }

    fn slow_call_rate_of(&self, snapshot: &Snapshot) -> f32 {
        if self.enough_calls(snapshot) {
            snapshot.slow_call_rate()
        } else {
            -1.0
        }
    }

    /// What the window holds at `now` (a time window drops the seconds that have passed).
    pub fn snapshot(&self, now: SimTime) -> Snapshot {
        match &self.window {
            Window::Count(w) => w.snapshot(),
            Window::Time(w) => w.snapshot_at(now),
        }
    }

    /// The failure rate in percent at `now`, -1 while the window has fewer than the minimum
    /// number of calls (or none).
    pub fn failure_rate(&self, now: SimTime) -> f32 {
        self.failure_rate_of(&self.snapshot(now))
    }

    /// The slow-call rate in percent at `now`, -1 like the failure rate.
    pub fn slow_call_rate(&self, now: SimTime) -> f32 {
        self.slow_call_rate_of(&self.snapshot(now))
    }

    /// Calls refused while this state's metrics were current.
    pub fn not_permitted(&self) -> u64 {
        self.not_permitted
    }

    /// The minimum number of calls this window judges with.
    pub fn minimum_calls(&self) -> u32 {
        self.minimum_calls
    }
}
