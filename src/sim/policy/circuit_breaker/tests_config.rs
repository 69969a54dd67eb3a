//! resilience4j's `CircuitBreakerConfigTest` (the settings this port has) and the exponential
//! cases of `IntervalFunctionTest`, case by case.

use super::metrics::StateMetrics;
use super::tests_state_machine::START;
use super::*;

fn refused(change: impl FnOnce(&mut CircuitBreakerConfig)) -> &'static str {
    let mut config = CircuitBreakerConfig::default();
    change(&mut config);
    config.validate().expect_err("the builder refuses this").field
}

#[test]
fn zero_failure_rate_threshold_should_fail() {
    assert_eq!(refused(|c| c.failure_rate_threshold = 0.0), "failure_rate_threshold");
}

#[test]
fn failure_rate_threshold_above_hundred_should_fail() {
    assert_eq!(refused(|c| c.failure_rate_threshold = 101.0), "failure_rate_threshold");
}

#[test]
fn zero_slow_call_rate_threshold_should_fail() {
    assert_eq!(refused(|c| c.slow_call_rate_threshold = 0.0), "slow_call_rate_threshold");
}

#[test]
fn slow_call_rate_threshold_above_hundred_should_fail() {
    assert_eq!(refused(|c| c.slow_call_rate_threshold = 101.0), "slow_call_rate_threshold");
}

#[test]
fn zero_wait_interval_should_fail() {
    assert_eq!(refused(|c| c.wait_duration_in_open_state_ms = 0), "wait_duration_in_open_state_ms");
}

#[test]
fn zero_slow_call_duration_threshold_should_fail() {
    assert_eq!(refused(|c| c.slow_call_duration_threshold_ms = 0), "slow_call_duration_threshold_ms");
}

#[test]
fn zero_permitted_number_of_calls_in_half_open_state_should_fail() {
    let field = refused(|c| c.permitted_number_of_calls_in_half_open_state = 0);
    assert_eq!(field, "permitted_number_of_calls_in_half_open_state");
}

#[test]
fn zero_sliding_window_size_should_fail() {
    assert_eq!(refused(|c| c.sliding_window_size = 0), "sliding_window_size");
}

#[test]
fn zero_minimum_number_of_calls_should_fail() {
    assert_eq!(refused(|c| c.minimum_number_of_calls = 0), "minimum_number_of_calls");
}

#[test]
fn transition_to_state_after_wait_duration_half_open_should_fail() {
    let err = CircuitBreakerConfig::from_json(r#"{"transition_to_state_after_wait_duration": "half_open"}"#);
    assert!(err.unwrap_err().starts_with("transition_to_state_after_wait_duration"));
}

#[test]
fn max_wait_duration_in_half_open_state_equal_zero_should_pass() {
    let config = CircuitBreakerConfig { max_wait_duration_in_half_open_state_ms: 0, ..Default::default() };
    assert!(config.validate().is_ok());
}

#[test]
fn should_set_low_failure_rate_threshold() {
    let config = CircuitBreakerConfig::from_json(r#"{"failure_rate_threshold": 0.001}"#).unwrap();
    assert_eq!(config.failure_rate_threshold, 0.001f32);
}

#[test]
fn should_set_default_settings() {
    let c = CircuitBreakerConfig::from_json("{}").unwrap();
    assert_eq!(c, CircuitBreakerConfig::default());
    assert_eq!((c.failure_rate_threshold, c.slow_call_rate_threshold), (50.0, 100.0));
    assert_eq!((c.permitted_number_of_calls_in_half_open_state, c.sliding_window_size), (10, 100));
    assert_eq!((c.sliding_window_type, c.minimum_number_of_calls), (SlidingWindowType::CountBased, 100));
    assert_eq!(c.wait_in_open_state_ms(1), 60_000);
    assert_eq!(c.slow_call_duration_threshold_ms, 60_000);
    assert_eq!(c.transition_to_state_after_wait_duration, AfterHalfOpenWait::Open);
    assert_eq!((c.max_wait_duration_in_half_open_state_ms, c.initial_state), (0, State::Closed));
    assert!(!c.automatic_transition_from_open_to_half_open_enabled);
}

#[test]
fn should_set_wait_interval() {
    let config = CircuitBreakerConfig { wait_duration_in_open_state_ms: 1_000, ..Default::default() };
    assert_eq!(config.wait_in_open_state_ms(1), 1_000);
}

#[test]
fn should_reduce_minimum_number_of_calls_to_sliding_window_size() {
    // resilience4j's combined `slidingWindow(5, 6, COUNT_BASED)` caps in the builder; the
    // separate setters (and this config) cap where the window measures, to the same effect.
    let config = CircuitBreakerConfig { sliding_window_size: 5, minimum_number_of_calls: 6, ..Default::default() };
    assert_eq!(StateMetrics::for_closed(&config, START).minimum_calls(), 5);
}

#[test]
fn should_allow_high_minimum_number_of_calls_when_sliding_window_is_time_based() {
    let config = CircuitBreakerConfig {
        sliding_window_size: 10,
        minimum_number_of_calls: 100,
        sliding_window_type: SlidingWindowType::TimeBased,
        ..Default::default()
    };
    assert_eq!(StateMetrics::for_closed(&config, START).minimum_calls(), 100);
}

#[test]
fn unknown_fields_are_refused_by_name() {
    let err = CircuitBreakerConfig::from_json(r#"{"failure_rate": 10}"#).unwrap_err();
    assert!(err.contains("failure_rate"), "{err}");
    let err = CircuitBreakerConfig::from_json(r#"{"sliding_window_size": 0}"#).unwrap_err();
    assert_eq!(err, "sliding_window_size: must be greater than 0");
}

fn backoff(wait_ms: u64, multiplier: f64, max_ms: Option<u64>) -> CircuitBreakerConfig {
    CircuitBreakerConfig {
        wait_duration_in_open_state_ms: wait_ms,
        open_wait_multiplier: Some(multiplier),
        open_wait_max_ms: max_ms,
        ..Default::default()
    }
}

#[test]
fn generates_exponential_intervals() {
    let config = backoff(100, 1.5, None);
    for attempt in 2..50 {
        assert!(config.wait_in_open_state_ms(attempt) > config.wait_in_open_state_ms(attempt - 1));
    }
    // Truncated at each step: 100, 150, 225, 337, 505 (not 506.25).
    let waits: Vec<u64> = (1..=5).map(|a| config.wait_in_open_state_ms(a)).collect();
    assert_eq!(waits, [100, 150, 225, 337, 505]);
}

#[test]
fn generates_capped_exponential_intervals() {
    let config = backoff(100, 2.0, Some(100_000));
    for attempt in 2..12 {
        assert!(config.wait_in_open_state_ms(attempt) > config.wait_in_open_state_ms(attempt - 1));
    }
    assert_eq!(config.wait_in_open_state_ms(12), 100_000);
    assert_eq!(config.wait_in_open_state_ms(13), 100_000);
    // 100 * 2^10 = 102400 is capped already: from the 11th opening on, every wait is the cap.
    assert!(config.wait_is_constant_from(11));
    assert!(!config.wait_is_constant_from(10));
}
