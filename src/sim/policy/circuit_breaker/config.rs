//! The breaker's settings, with resilience4j's defaults (`CircuitBreakerConfig`) and the checks
//! of its `CircuitBreakerConfig.Builder`, each refusal naming the field.
//!
//! The fields are those of resilience4j's Spring Boot properties
//! (`CommonCircuitBreakerConfigurationProperties`), in snake_case and with durations in
//! milliseconds. Like those properties, the settings go through the builder's separate setters
//! (`slidingWindowSize`, `minimumNumberOfCalls`, `slidingWindowType`), so the configured minimum
//! is kept as written: a count-based window caps it at the window's size when it measures
//! (`CircuitBreakerMetrics`), a time-based one never does.

use super::State;
use serde::{Deserialize, Serialize};

/// How the CLOSED state's window is measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlidingWindowType {
    /// The last `sliding_window_size` calls.
    #[default]
    CountBased,
    /// The calls of the last `sliding_window_size` seconds.
    TimeBased,
}

/// Where HALF_OPEN goes when `max_wait_duration_in_half_open_state_ms` runs out
/// (resilience4j's `transitionToStateAfterWaitDuration`: OPEN or CLOSED only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterHalfOpenWait {
    #[default]
    Open,
    Closed,
}

/// The breaker's settings. Every field defaults to resilience4j's default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircuitBreakerConfig {
    /// Percent of failed calls at or above which the breaker opens: in (0, 100]. Default 50.
    pub failure_rate_threshold: f32,
    /// Percent of slow calls at or above which the breaker opens: in (0, 100]. Default 100.
    pub slow_call_rate_threshold: f32,
    /// A call longer than this is slow: at least 1. Default 60000.
    pub slow_call_duration_threshold_ms: u64,
    /// Count-based (default) or time-based.
    pub sliding_window_type: SlidingWindowType,
    /// Calls (count-based) or seconds (time-based) in the window: at least 1. Default 100.
    pub sliding_window_size: u32,
    /// Calls the window needs before a rate is computed: at least 1. Default 100.
    pub minimum_number_of_calls: u32,
    /// How long OPEN refuses calls (the first opening's wait with a multiplier): at least 1.
    /// Default 60000.
    pub wait_duration_in_open_state_ms: u64,
    /// Grows the wait of each consecutive opening: `IntervalFunction.ofExponentialBackoff(wait,
    /// multiplier)`, attempt n waiting `wait` multiplied n - 1 times, truncated to whole
    /// milliseconds at each step. None (default): the same wait every time.
    pub open_wait_multiplier: Option<f64>,
    /// With a multiplier, the longest wait (`exponentialMaxWaitDurationInOpenState`).
    pub open_wait_max_ms: Option<u64>,
    /// Calls HALF_OPEN lets through to test the service: at least 1. Default 10.
    pub permitted_number_of_calls_in_half_open_state: u32,
    /// How long HALF_OPEN waits for its calls before it goes to
    /// `transition_to_state_after_wait_duration`; 0 (default) waits for ever.
    pub max_wait_duration_in_half_open_state_ms: u64,
    /// Where HALF_OPEN goes when its maximum wait runs out: open (default) or closed.
    pub transition_to_state_after_wait_duration: AfterHalfOpenWait,
    /// Whether OPEN becomes HALF_OPEN by itself when the wait is over (default false: on the
    /// first permission asked after it).
    pub automatic_transition_from_open_to_half_open_enabled: bool,
    /// The state a new breaker starts in (default closed).
    pub initial_state: State,
}

impl Default for CircuitBreakerConfig {
    fn default() -> Self {
        CircuitBreakerConfig {
            failure_rate_threshold: 50.0,
            slow_call_rate_threshold: 100.0,
            slow_call_duration_threshold_ms: 60_000,
            sliding_window_type: SlidingWindowType::CountBased,
            sliding_window_size: 100,
            minimum_number_of_calls: 100,
            wait_duration_in_open_state_ms: 60_000,
            open_wait_multiplier: None,
            open_wait_max_ms: None,
            permitted_number_of_calls_in_half_open_state: 10,
            max_wait_duration_in_half_open_state_ms: 0,
            transition_to_state_after_wait_duration: AfterHalfOpenWait::Open,
            automatic_transition_from_open_to_half_open_enabled: false,
            initial_state: State::Closed,
        }
    }
}

/// A setting the builder refuses: which field, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The field, as the config file names it.
    pub field: &'static str,
    /// What it must be.
    pub reason: &'static str,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

fn check(ok: bool, field: &'static str, reason: &'static str) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError { field, reason })
    }
}

impl CircuitBreakerConfig {
    /// Checks every field as resilience4j's builder does; the first refusal names its field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        const RATE: &str = "must be greater than 0 and at most 100";
        let rate_ok = |r: f32| r > 0.0 && r <= 100.0; // also refuses NaN
        check(rate_ok(self.failure_rate_threshold), "failure_rate_threshold", RATE)?;
        check(rate_ok(self.slow_call_rate_threshold), "slow_call_rate_threshold", RATE)?;
        check(self.slow_call_duration_threshold_ms >= 1, "slow_call_duration_threshold_ms", "must be at least 1")?;
        check(self.sliding_window_size >= 1, "sliding_window_size", "must be greater than 0")?;
        check(self.minimum_number_of_calls >= 1, "minimum_number_of_calls", "must be greater than 0")?;
        check(self.wait_duration_in_open_state_ms >= 1, "wait_duration_in_open_state_ms", "must be at least 1")?;
        // IntervalFunction checks no multiplier; a negative or non-finite one would make a
        // negative wait, which Java's Instant arithmetic takes and ours cannot.
        let multiplier_ok = self.open_wait_multiplier.is_none_or(|m| m.is_finite() && m > 0.0);
        check(multiplier_ok, "open_wait_multiplier", "must be a finite number greater than 0")?;
        check(self.open_wait_max_ms.is_none_or(|m| m >= 1), "open_wait_max_ms", "must be at least 1")?;
        // Spring reads the maximum only beside a multiplier; refuse it alone rather than ignore it.
        let max_ok = self.open_wait_max_ms.is_none() || self.open_wait_multiplier.is_some();
        check(max_ok, "open_wait_max_ms", "needs open_wait_multiplier")?;
        check(
            self.permitted_number_of_calls_in_half_open_state >= 1,
            "permitted_number_of_calls_in_half_open_state",
            "must be greater than 0",
        )
    }

    /// Reads a config from JSON (every field optional) and checks it. The error names the
    /// field: `failure_rate_threshold: must be greater than 0 and at most 100`.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let shape = serde_json::to_value(CircuitBreakerConfig::default()).map_err(|e| e.to_string())?;
        let config: CircuitBreakerConfig =
            crate::sim::config::json_input::parse_object(text, "a breaker config", &shape)?;
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }

    /// The wait of the `attempt`th consecutive opening (1 for the first) in milliseconds:
    /// `waitIntervalFunctionInOpenState.apply(attempt)`.
    pub fn wait_in_open_state_ms(&self, attempt: u32) -> u64 {
        let wait = self.uncapped_wait_ms(attempt);
        self.open_wait_max_ms.map_or(wait, |max| wait.min(max))
    }

    /// Whether every opening from the `attempt`th on waits as long as it does: always without a
    /// multiplier; with one, once a step of the backoff changes nothing or, growing, has
    /// reached the maximum.
    pub fn wait_is_constant_from(&self, attempt: u32) -> bool {
        let Some(multiplier) = self.open_wait_multiplier else {
            return true;
        };
        let wait = self.uncapped_wait_ms(attempt);
        wait == self.uncapped_wait_ms(attempt.saturating_add(1))
            || (multiplier >= 1.0 && self.open_wait_max_ms.is_some_and(|max| wait >= max))
    }

    /// `IntervalFunction.ofExponentialBackoff(wait, multiplier)` without the maximum:
    /// `LongStream.iterate(wait, x -> (long) (x * multiplier)).skip(attempt - 1)`, truncated at
    /// each step (a Java long cast saturates like Rust's `as`). Once a step changes nothing no
    /// later one does, so the loop stops there.
    fn uncapped_wait_ms(&self, attempt: u32) -> u64 {
        let first = self.wait_duration_in_open_state_ms;
        let Some(multiplier) = self.open_wait_multiplier else {
            return first; // IntervalFunction.of(wait): the same every attempt
        };
        let mut wait = first.min(i64::MAX as u64) as i64;
        for _ in 1..attempt.max(1) {
            let next = (wait as f64 * multiplier) as i64;
            if next == wait {
                break;
            }
            wait = next;
        }
        wait.max(0) as u64
    }
}
