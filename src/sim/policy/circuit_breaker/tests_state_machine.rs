//! resilience4j's `CircuitBreakerStateMachineTest`, case by case: permissions, opening on the
//! failure and slow-call rates, the wait in OPEN and HALF_OPEN's judgement. The forced
//! transitions and the timers are in `tests_transitions.rs`.

use super::*;

/// The test's `MockClock.at(2019, 1, 1, 12, 0, 0, UTC)`.
pub(super) const START: SimTime = SimTime::from_secs(1_546_344_000);

/// A breaker and the mock clock the Java test drives it with.
pub(super) struct Harness {
    pub(super) cb: CircuitBreaker,
    pub(super) now: SimTime,
}

/// The test's `@Before`: failure and slow-call thresholds 50 %, 4 calls in HALF_OPEN, slow
/// after 4 s, at most 1 s in HALF_OPEN, a 20-second window judged from 5 calls, 5 s in OPEN.
pub(super) fn setup_config() -> CircuitBreakerConfig {
    CircuitBreakerConfig {
        failure_rate_threshold: 50.0,
        permitted_number_of_calls_in_half_open_state: 4,
        slow_call_duration_threshold_ms: 4_000,
        slow_call_rate_threshold: 50.0,
        max_wait_duration_in_half_open_state_ms: 1_000,
        sliding_window_size: 20,
        minimum_number_of_calls: 5,
        sliding_window_type: SlidingWindowType::TimeBased,
        wait_duration_in_open_state_ms: 5_000,
        ..CircuitBreakerConfig::default()
    }
}

impl Harness {
    pub(super) fn with(config: CircuitBreakerConfig) -> Self {
        Harness { cb: CircuitBreaker::new(config, START).expect("valid config"), now: START }
    }

    pub(super) fn setup() -> Self {
        Self::with(setup_config())
    }

    pub(super) fn acquire(&mut self) -> bool {
        self.cb.try_acquire_permission(self.now)
    }

    /// `onSuccess(duration)`, in milliseconds.
    pub(super) fn ok(&mut self, duration_ms: u64) {
        self.cb.on_success(duration_ms * 1_000, self.now);
    }

    /// `onError(duration, new RuntimeException())`, in milliseconds.
    pub(super) fn fail(&mut self, duration_ms: u64) {
        self.cb.on_error(duration_ms * 1_000, self.now);
    }

    /// `onError(0, new NumberFormatException())`: the ignored exception.
    pub(super) fn ignored(&mut self) {
        self.cb.on_ignored_error();
    }

    pub(super) fn advance_ms(&mut self, ms: u64) {
        self.now = self.now.plus_ms(ms);
    }

    pub(super) fn state(&mut self) -> State {
        self.cb.state_at(self.now)
    }

    pub(super) fn to(&mut self, state: State) {
        self.cb.transition_to(state, self.now).expect("legal transition");
    }

    /// `assertCircuitBreakerMetricsEqualTo(failureRate, successful, buffered, failed, notPermitted)`.
    pub(super) fn assert_metrics(&self, failure_rate: f32, successful: u32, buffered: u32, failed: u32, np: u64) {
        let m = self.cb.metrics(self.now);
        assert_eq!(
            (m.failure_rate, m.successful, m.buffered, m.failed, m.not_permitted),
            (failure_rate, successful, buffered, failed, np)
        );
    }

    /// `assertThatMetricsAreReset`.
    pub(super) fn assert_reset(&self) {
        self.assert_metrics(-1.0, 0, 0, 0, 0);
    }

    fn open_then_half_open(&mut self) {
        self.to(State::Open);
        self.to(State::HalfOpen);
        assert_eq!(self.state(), State::HalfOpen);
    }
}

#[test]
fn should_throw_call_not_permitted_exception_when_state_is_open() {
    let mut h = Harness::setup();
    h.to(State::Open);
    assert!(!h.acquire());
    assert_eq!(h.cb.metrics(h.now).not_permitted, 1);
}

#[test]
fn should_throw_call_not_permitted_exception_when_state_is_forced_open() {
    let mut h = Harness::setup();
    h.to(State::ForcedOpen);
    assert!(!h.acquire());
    assert_eq!(h.cb.metrics(h.now).not_permitted, 1);
}

#[test]
fn should_increase_counter_on_release_permission() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    let got: Vec<bool> = (0..6).map(|_| h.acquire()).collect();
    assert_eq!(got, [true, true, true, true, false, false]);
    h.cb.release_permission();
    assert!(h.acquire());
}

#[test]
fn should_throw_call_not_permitted_exception_when_not_further_test_calls_are_permitted() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    assert!((0..4).all(|_| h.acquire()));
    assert!(!h.acquire());
    assert_eq!(h.cb.metrics(h.now).not_permitted, 1);
}

#[test]
fn should_only_permit_four_calls_in_half_open_state() {
    let mut h = Harness::setup();
    h.assert_reset();
    for _ in 0..2 {
        h.open_then_half_open();
        let got: Vec<bool> = (0..6).map(|_| h.acquire()).collect();
        assert_eq!(got, [true, true, true, true, false, false]);
    }
}

#[test]
fn should_open_after_failure_rate_threshold_exceeded2() {
    let mut h = Harness::setup();
    for failed in [false, false, false, true] {
        if failed {
            h.fail(0);
        } else {
            h.ok(0);
        }
        h.advance_ms(1_000);
    }
    h.fail(0);
    assert_eq!(h.state(), State::Closed); // 2 of 5 failed: 40 %
    h.advance_ms(1_000);
    assert_eq!(h.state(), State::Closed);
    h.fail(0);
    assert_eq!(h.state(), State::Open); // 3 of 6 failed: 50 %, at the threshold
}

#[test]
fn should_open_after_failure_rate_threshold_exceeded() {
    let mut h = Harness::setup();
    assert!(h.acquire());
    assert_eq!(h.state(), State::Closed);
    h.assert_reset();
    for (i, failed) in [true, true, true, false].into_iter().enumerate() {
        assert!(h.acquire());
        if failed {
            h.fail(0);
        } else {
            h.ok(0);
        }
        assert_eq!(h.state(), State::Closed);
        let failures = 3.min(i as u32 + 1);
        h.assert_metrics(-1.0, i as u32 + 1 - failures, i as u32 + 1, failures, 0);
    }
    h.ok(0);
    assert_eq!(h.state(), State::Open);
    h.assert_metrics(60.0, 2, 5, 3, 0);
    assert!(!h.acquire()); // a refusal counts as not permitted
    h.assert_metrics(60.0, 2, 5, 3, 1);
}

#[test]
fn should_open_after_slow_call_rate_threshold_exceeded() {
    let mut h = Harness::setup();
    assert_eq!(h.state(), State::Closed);
    h.assert_reset();
    assert!(h.acquire());
    h.fail(5_000); // slow
    assert!(h.acquire());
    h.ok(5_000); // slow
    assert!(h.acquire());
    h.fail(100);
    assert!(h.acquire());
    h.ok(100);
    assert_eq!(h.state(), State::Closed);
    h.ok(5_000); // slow
    assert_eq!(h.state(), State::Open);
    let m = h.cb.metrics(h.now);
    assert_eq!((m.buffered, m.slow, m.slow_call_rate), (5, 3, 60.0));
}

#[test]
fn should_open_after_slow_call_rate_threshold_exceeded_using_mock_clock() {
    let mut h = Harness::setup();
    h.assert_reset();
    // `decorateConsumer(mockClock::advanceBySeconds)`: each call takes that long on the clock.
    for (i, seconds) in [5, 5, 1, 1].into_iter().enumerate() {
        assert!(h.acquire());
        h.advance_ms(seconds * 1_000);
        h.ok(seconds * 1_000);
        let m = h.cb.metrics(h.now);
        assert_eq!((m.buffered, m.slow), (i as u32 + 1, 2.min(i as u32 + 1)));
        assert_eq!(h.state(), State::Closed);
    }
    assert!(h.acquire());
    h.advance_ms(5_000);
    h.ok(5_000);
    assert_eq!(h.state(), State::Open);
    let m = h.cb.metrics(h.now);
    assert_eq!((m.buffered, m.slow, m.slow_call_rate), (5, 3, 60.0));
}

#[test]
fn should_transition_to_half_open_after_wait_duration() {
    let mut h = Harness::setup();
    h.to(State::Open);
    h.assert_reset();
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.advance_ms(3_000);
    assert_eq!(h.state(), State::Open); // 5 s not yet elapsed
    assert!(!h.acquire());
    h.assert_metrics(-1.0, 0, 0, 0, 2);
    h.advance_ms(3_000);
    assert!(h.acquire());
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_reset(); // HALF_OPEN's own metrics
}

#[test]
fn should_transition_to_half_open_after_passed_wait_duration() {
    let mut h = Harness::setup();
    h.cb.transition_to_open_state_for(2 * 3_600_000, h.now).unwrap();
    h.assert_reset();
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.advance_ms(3_600_000);
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.assert_metrics(-1.0, 0, 0, 0, 2);
    h.advance_ms(3_600_000 + 1_000);
    assert!(h.acquire());
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_reset();
}

#[test]
fn should_transition_to_half_open_after_passed_wait_until() {
    let mut h = Harness::setup();
    let wait_until = h.now.plus_ms(30 * 60_000);
    h.cb.transition_to_open_state_until(wait_until, h.now).unwrap();
    h.assert_reset();
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.advance_ms(15 * 60_000);
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.assert_metrics(-1.0, 0, 0, 0, 2);
    h.now = wait_until.plus_ms(1_000);
    assert!(h.acquire());
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_reset();
}

#[test]
fn should_transition_to_half_open_after_wait_interval() {
    // `waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(5000L))`: 5 s,
    // then 7.5 s (the default multiplier, 1.5).
    let mut h = Harness::with(CircuitBreakerConfig {
        failure_rate_threshold: 50.0,
        sliding_window_size: 5,
        permitted_number_of_calls_in_half_open_state: 4,
        wait_duration_in_open_state_ms: 5_000,
        open_wait_multiplier: Some(1.5),
        ..CircuitBreakerConfig::default()
    });
    h.to(State::Open);
    h.assert_reset();
    assert!(!h.acquire());
    h.advance_ms(3_000);
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.assert_metrics(-1.0, 0, 0, 0, 2);
    h.advance_ms(3_000);
    assert!(h.acquire());
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_reset();
    h.to(State::Open); // the second opening waits 7.5 s
    h.advance_ms(6_000);
    assert_eq!(h.state(), State::Open);
    assert!(!h.acquire());
    h.advance_ms(5_000);
    assert!(h.acquire());
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_reset();
}

#[test]
fn should_transition_back_to_open_state_when_failure_rate_is_above_threshold() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    h.assert_reset();
    for failed in [true, true, false, true] {
        assert!(h.acquire());
        if failed {
            h.fail(0);
        } else {
            h.ok(0);
        }
    }
    assert_eq!(h.state(), State::Open);
    h.assert_metrics(75.0, 1, 4, 3, 0); // OPEN keeps HALF_OPEN's window
}

#[test]
fn should_transition_back_to_open_state_when_slow_call_rate_is_above_threshold() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    for ms in [5_000, 5_000, 5_000, 1_000] {
        assert!(h.acquire());
        h.ok(ms);
    }
    assert_eq!(h.state(), State::Open);
    let m = h.cb.metrics(h.now);
    assert_eq!((m.slow, m.slow_call_rate, m.failure_rate), (3, 75.0, 0.0));
}

#[test]
fn should_transition_back_to_closed_state_when_failure_is_below_threshold() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    h.assert_reset();
    for failed in [true, false, false, false] {
        assert!(h.acquire());
        if failed {
            h.fail(0);
        } else {
            h.ok(0);
        }
    }
    assert!(h.acquire());
    assert_eq!(h.state(), State::Closed); // 1 of 4 failed, judged at min(5, 4) calls
    h.assert_reset();
    assert!(h.acquire());
    h.ok(0);
    h.assert_metrics(-1.0, 1, 1, 0, 0);
}

#[test]
fn should_release_permission_when_exception_ignored() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    for n in 1..=3 {
        assert!(h.acquire());
        h.ok(0);
        assert_eq!(h.state(), State::HalfOpen);
        h.assert_metrics(-1.0, n, n, 0, 0);
    }
    assert!(h.acquire());
    h.ignored();
    assert_eq!(h.state(), State::HalfOpen);
    h.assert_metrics(-1.0, 3, 3, 0, 0);
    assert!(h.acquire());
    h.fail(0);
    assert_eq!(h.state(), State::Closed);
    h.assert_reset();
}

#[test]
fn should_ignore_exceptions_and_then_transition_to_closed() {
    let mut h = Harness::setup();
    h.open_then_half_open();
    for _ in 0..4 {
        assert!(h.acquire());
        h.ignored();
        assert_eq!(h.state(), State::HalfOpen);
    }
    h.assert_reset();
    for _ in 0..3 {
        assert!(h.acquire());
        h.ok(0);
        assert_eq!(h.state(), State::HalfOpen);
    }
    h.assert_metrics(-1.0, 3, 3, 0, 0);
    assert!(h.acquire());
    h.ok(0);
    assert_eq!(h.state(), State::Closed);
    h.assert_reset();
}
