//! resilience4j's `CircuitBreakerMetricsTest` and the cases of its `CircuitBreakerTest` that
//! are about what the breaker counts (the decorators' plumbing aside), case by case.

use super::metrics::StateMetrics;
use super::tests_state_machine::{Harness, START};
use super::*;

#[test]
fn test_circuit_breaker_metrics() {
    let config = CircuitBreakerConfig { sliding_window_size: 10, minimum_number_of_calls: 10, ..Default::default() };
    let mut m = StateMetrics::for_closed(&config, START);
    let counts = |m: &StateMetrics| {
        let s = m.snapshot(START);
        (s.total_calls(), s.failed_calls(), s.successful_calls())
    };
    m.on_success(0, START);
    m.on_success(0, START);
    m.on_error(0, START);
    let verdict = m.on_error(0, START);
    m.on_call_not_permitted();
    m.on_call_not_permitted();
    assert_eq!(counts(&m), (4, 2, 2));
    assert_eq!(m.not_permitted(), 2);
    assert_eq!(m.failure_rate(START), -1.0); // fewer calls than the minimum of 10
    assert_eq!(verdict, Verdict::BelowMinimumCallsThreshold);
    for _ in 0..4 {
        m.on_error(0, START);
    }
    let mut verdict = Verdict::BelowThresholds;
    for _ in 0..4 {
        verdict = m.on_success(0, START);
    }
    // 12 calls recorded, the last 10 kept: 4 successes, 6 failures.
    assert_eq!(counts(&m), (10, 6, 4));
    assert_eq!(m.failure_rate(START), 60.0);
    assert!(verdict.exceeded());
    m.on_success(0, START);
    m.on_success(0, START);
    let verdict = m.on_success(0, START);
    assert_eq!(verdict, Verdict::BelowThresholds);
    assert_eq!(m.failure_rate(START), 30.0);
}

/// `CircuitBreaker.ofDefaults`, driven as a decorated call does: acquire, then the outcome.
fn defaults() -> Harness {
    Harness::with(CircuitBreakerConfig::default())
}

fn counts(h: &Harness) -> (u32, u32, u32) {
    let m = h.cb.metrics(h.now);
    (m.buffered, m.failed, m.successful)
}

#[test]
fn should_decorate_supplier_and_return_with_success() {
    let mut h = defaults();
    assert_eq!(counts(&h), (0, 0, 0));
    assert!(h.acquire());
    h.ok(0);
    assert_eq!(counts(&h), (1, 0, 1));
}

#[test]
fn should_decorate_supplier_and_return_with_exception() {
    let mut h = defaults();
    assert!(h.acquire());
    h.fail(0);
    assert_eq!(counts(&h), (1, 1, 0));
}

#[test]
fn should_return_failure_with_runtime_exception() {
    let mut h = defaults();
    assert_eq!(h.state(), State::Closed);
    assert!(h.acquire());
    h.fail(0);
    assert_eq!(counts(&h), (1, 1, 0));
}

/// `slidingWindowSize(2)` with the default minimum of 100: a count window judges after
/// min(100, 2) calls.
fn window_of_two() -> Harness {
    Harness::with(CircuitBreakerConfig {
        sliding_window_size: 2,
        permitted_number_of_calls_in_half_open_state: 2,
        wait_duration_in_open_state_ms: 1_000,
        ..CircuitBreakerConfig::default()
    })
}

#[test]
fn should_return_failure_with_circuit_breaker_open_exception() {
    let mut h = window_of_two();
    h.fail(0);
    h.fail(0);
    assert_eq!(h.state(), State::Open);
    assert_eq!(counts(&h), (2, 2, 0));
    assert!(!h.acquire()); // CallNotPermittedException
}

#[test]
fn should_throw_circuit_breaker_open_exception() {
    let mut h = window_of_two();
    h.fail(0);
    assert_eq!(h.state(), State::Closed); // one failure is allowed
    h.fail(0);
    assert_eq!(h.state(), State::Open); // 100 % >= 50 %
    assert!(!h.acquire());
    assert_eq!(counts(&h), (2, 2, 0));
}

#[test]
fn should_not_record_io_exception_as_a_failure() {
    let mut h = window_of_two();
    h.fail(0);
    assert_eq!(h.state(), State::Closed);
    assert!(h.acquire());
    h.ignored(); // the ignored IOException
    assert_eq!(h.state(), State::Closed);
    assert_eq!(counts(&h), (1, 1, 0));
}

#[test]
fn a_call_that_ends_after_the_breaker_opened_is_recorded_in_the_window_open_kept() {
    // CircuitBreakerStateMachine.OpenState.onError/onSuccess: "the onError event should still
    // be recorded, even if it happened after the state transition".
    let mut h = window_of_two();
    assert!(h.acquire());
    h.fail(0);
    h.fail(0);
    assert_eq!(h.state(), State::Open);
    h.ok(0); // the call acquired in CLOSED finishes now
    assert_eq!(h.state(), State::Open);
    assert_eq!(counts(&h), (2, 1, 1));
    assert_eq!(h.cb.metrics(h.now).failure_rate, 50.0);
}

#[test]
fn half_open_judges_after_the_smaller_of_the_minimum_and_the_permitted_calls() {
    // forHalfOpen: a count window of the permitted calls, so min(minimum, permitted).
    let mut h = Harness::with(CircuitBreakerConfig {
        minimum_number_of_calls: 2,
        permitted_number_of_calls_in_half_open_state: 10,
        ..CircuitBreakerConfig::default()
    });
    h.to(State::Open);
    h.to(State::HalfOpen);
    h.ok(0);
    assert_eq!(h.state(), State::HalfOpen);
    h.ok(0);
    assert_eq!(h.state(), State::Closed);
}

// `CircuitBreakerExceptionHandlingTest`: the predicates are the caller's here. An exception the
// record predicate rejects is recorded as a success (`on_success`), an ignored one releases
// its permission (`on_ignored_error`).

fn window_of_five() -> Harness {
    Harness::with(CircuitBreakerConfig { sliding_window_size: 5, ..CircuitBreakerConfig::default() })
}

#[test]
fn should_record_runtime_exception_as_failure_and_business_exception_as_success() {
    let mut h = window_of_five();
    assert!(h.acquire());
    h.fail(0); // RuntimeException: recorded as a failure
    assert!(h.acquire());
    h.ok(0); // BusinessException: not recorded as a failure, so as a success
    assert_eq!(counts(&h), (2, 1, 1));
}

#[test]
fn should_ignore_number_format_exception() {
    let mut h = window_of_five();
    assert!(h.acquire());
    h.fail(0);
    assert!(h.acquire());
    h.ignored(); // NumberFormatException
    assert_eq!(counts(&h), (1, 1, 0));
}
