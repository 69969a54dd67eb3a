//! The rest of resilience4j's `CircuitBreakerStateMachineTest` (forced transitions, resets,
//! DISABLED, FORCED_OPEN, METRICS_ONLY, HALF_OPEN's maximum wait, initial states) and its
//! `CircuitBreakerAutoTransitionStateMachineTest`, case by case.

use super::tests_state_machine::Harness;
use super::*;

#[test]
fn should_reset_metrics() {
    let mut h = Harness::setup();
    assert_eq!(h.state(), State::Closed);
    h.assert_reset();
    h.ok(0);
    h.fail(0);
    h.assert_metrics(-1.0, 1, 2, 1, 0);
    h.cb.reset(h.now);
    h.assert_reset();
}

#[test]
fn should_disable_circuit_breaker() {
    let mut h = Harness::setup();
    h.to(State::Disabled);
    assert_eq!(h.state(), State::Disabled);
    h.assert_reset();
    assert!(h.acquire());
    h.ok(0);
    for _ in 0..4 {
        assert!(h.acquire());
        h.fail(0);
    }
    h.assert_reset(); // DISABLED records nothing
}

#[test]
fn should_force_open_circuit_breaker() {
    let mut h = Harness::setup();
    h.to(State::ForcedOpen);
    assert_eq!(h.state(), State::ForcedOpen);
    assert!(!h.acquire());
    h.advance_ms(6_000);
    assert!(!h.acquire()); // no wait ends FORCED_OPEN
    assert_eq!(h.state(), State::ForcedOpen);
    h.assert_metrics(-1.0, 0, 0, 0, 2);
}

#[test]
fn should_not_allow_transition_from_closed_to_half_open() {
    let mut h = Harness::setup();
    let refused = h.cb.transition_to_half_open_state(h.now);
    assert_eq!(refused, Err(IllegalStateTransition { from: State::Closed, to: State::HalfOpen }));
    assert_eq!(refused.unwrap_err().to_string(), "illegal state transition from closed to half_open");
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn should_reset_to_closed_state() {
    let mut h = Harness::setup();
    h.to(State::Open);
    h.cb.reset(h.now);
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn should_reset_closed_state() {
    let mut h = Harness::setup();
    h.ok(0);
    h.ok(0);
    assert_eq!(h.cb.metrics(h.now).successful, 2);
    h.cb.reset(h.now);
    assert_eq!(h.state(), State::Closed);
    assert_eq!(h.cb.metrics(h.now).successful, 0);
}

#[test]
fn should_reset_metrics_after_metrics_only_state_transition() {
    let mut h = Harness::setup();
    h.ok(0);
    h.ok(0);
    assert_eq!(h.cb.metrics(h.now).successful, 2);
    h.to(State::MetricsOnly);
    assert_eq!(h.state(), State::MetricsOnly);
    assert_eq!(h.cb.metrics(h.now).successful, 0);
}

#[test]
fn should_record_metrics_in_metrics_only_state() {
    let mut h = Harness::setup();
    h.to(State::MetricsOnly);
    assert!(h.acquire());
    assert_eq!(h.state(), State::MetricsOnly);
    h.assert_reset();
    let expected = [(0, 1, 1), (0, 2, 2), (0, 3, 3), (1, 4, 3)];
    for (failed, (successful, buffered, failures)) in [true, true, true, false].into_iter().zip(expected) {
        assert!(h.acquire());
        if failed {
            h.fail(0);
        } else {
            h.ok(0);
        }
        assert_eq!(h.state(), State::MetricsOnly);
        h.assert_metrics(-1.0, successful, buffered, failures, 0);
    }
    h.ok(0);
    assert_eq!(h.state(), State::MetricsOnly); // measures, never opens
    h.assert_metrics(60.0, 2, 5, 3, 0);
    h.fail(0);
    assert_eq!(h.state(), State::MetricsOnly);
}

#[test]
fn should_publish_each_event_once_in_metric_only_state() {
    // Events are not modelled; what is left is that METRICS_ONLY stays put over both thresholds.
    let mut h = Harness::setup();
    h.to(State::MetricsOnly);
    for _ in 0..5 {
        h.fail(5_000);
    }
    assert_eq!(h.state(), State::MetricsOnly);
    let m = h.cb.metrics(h.now);
    assert_eq!((m.failure_rate, m.slow_call_rate), (100.0, 100.0));
}

#[test]
fn all_circuit_breaker_states_allow_transition_to_metrics_only_mode() {
    assert!(State::ALL.iter().all(|s| s.may_go_to(State::MetricsOnly)));
}

#[test]
fn all_circuit_breaker_states_allow_transition_to_its_own_state() {
    assert!(State::ALL.iter().all(|s| s.may_go_to(*s)));
}

#[test]
fn circuit_breaker_does_not_publish_state_transition_events_for_internal_transitions() {
    // No events here; the same walk of forced transitions, each twice, is legal throughout.
    let mut h = Harness::setup();
    for state in [State::Open, State::HalfOpen, State::Disabled, State::MetricsOnly, State::Closed] {
        for _ in 0..2 {
            h.to(state);
            assert_eq!(h.state(), state);
        }
    }
}

#[test]
fn circuit_breaker_transitions_to_open_after_wait_duration_in_half_open_state() {
    let mut h = Harness::setup();
    h.to(State::Open);
    h.to(State::HalfOpen);
    assert_eq!(h.state(), State::HalfOpen);
    h.advance_ms(999);
    assert_eq!(h.state(), State::HalfOpen);
    h.advance_ms(1_001); // the test sleeps 2 s against a maximum wait of 1 s
    assert_eq!(h.state(), State::Open);
}

#[test]
fn circuit_breaker_transitions_to_closed_after_wait_duration_in_half_open_state() {
    let mut h = Harness::with(CircuitBreakerConfig {
        max_wait_duration_in_half_open_state_ms: 1_000,
        transition_to_state_after_wait_duration: AfterHalfOpenWait::Closed,
        ..CircuitBreakerConfig::default()
    });
    h.to(State::Open);
    h.to(State::HalfOpen);
    assert_eq!(h.state(), State::HalfOpen);
    h.advance_ms(2_000);
    assert_eq!(h.state(), State::Closed);
}

fn interval_config(initial_state: State) -> CircuitBreakerConfig {
    CircuitBreakerConfig {
        initial_state,
        failure_rate_threshold: 50.0,
        sliding_window_size: 5,
        permitted_number_of_calls_in_half_open_state: 4,
        wait_duration_in_open_state_ms: 5_000,
        open_wait_multiplier: Some(1.5),
        ..CircuitBreakerConfig::default()
    }
}

#[test]
fn circuit_breaker_initialize_in_closed_state() {
    let mut h = Harness::with(interval_config(State::Closed));
    assert_eq!(h.state(), State::Closed);
    h.to(State::Open);
    assert_eq!(h.state(), State::Open);
}

#[test]
fn circuit_breaker_initialize_in_open_state() {
    let mut h = Harness::with(CircuitBreakerConfig {
        initial_state: State::Open,
        sliding_window_size: 1,
        sliding_window_type: SlidingWindowType::TimeBased,
        permitted_number_of_calls_in_half_open_state: 4,
        wait_duration_in_open_state_ms: 2_000,
        automatic_transition_from_open_to_half_open_enabled: true,
        ..CircuitBreakerConfig::default()
    });
    assert_eq!(h.state(), State::Open);
    assert_eq!(h.cb.attempts(), 1);
    h.to(State::HalfOpen);
    assert_eq!(h.state(), State::HalfOpen);
}

#[test]
fn circuit_breaker_initialize_in_metric_only_state() {
    let mut h = Harness::with(interval_config(State::MetricsOnly));
    assert_eq!(h.state(), State::MetricsOnly);
}

/// `CircuitBreakerAutoTransitionStateMachineTest`'s `@Before`.
fn auto_transition_config() -> CircuitBreakerConfig {
    CircuitBreakerConfig {
        failure_rate_threshold: 50.0,
        sliding_window_size: 5,
        minimum_number_of_calls: 5,
        permitted_number_of_calls_in_half_open_state: 3,
        automatic_transition_from_open_to_half_open_enabled: true,
        wait_duration_in_open_state_ms: 2_000,
        ..CircuitBreakerConfig::default()
    }
}

#[test]
fn test_auto_transition() {
    let mut h = Harness::with(auto_transition_config());
    h.to(State::Open);
    // The Java test checks that the move is scheduled 2000 ms ahead, then runs it.
    assert_eq!(h.cb.retry_after(), Some(h.now.plus_ms(2_000)));
    h.advance_ms(1_999);
    assert_eq!(h.state(), State::Open);
    h.advance_ms(1);
    assert_eq!(h.state(), State::HalfOpen);
}

#[test]
fn should_cancel_auto_transition() {
    let mut h = Harness::with(auto_transition_config());
    h.to(State::Open);
    h.to(State::ForcedOpen); // cancels the scheduled move
    h.advance_ms(2_000);
    assert_eq!(h.state(), State::ForcedOpen);
}

#[test]
fn not_cancel_auto_transition_future_if_already_done() {
    let mut h = Harness::with(auto_transition_config());
    h.to(State::Open);
    h.advance_ms(2_000); // the move is done
    assert_eq!(h.state(), State::HalfOpen);
    h.to(State::ForcedOpen);
    assert_eq!(h.state(), State::ForcedOpen);
}

/// Not in resilience4j's tests, but in its scheduler: with both timers, OPEN and HALF_OPEN
/// alternate while no call comes, each opening counted, and a long jump of time lands exactly
/// where stepping through every cycle would.
#[test]
fn open_and_half_open_alternate_on_their_timers() {
    let config = CircuitBreakerConfig { max_wait_duration_in_half_open_state_ms: 1_000, ..auto_transition_config() };
    let mut stepped = Harness::with(config.clone());
    let mut jumped = Harness::with(config);
    stepped.to(State::Open);
    jumped.to(State::Open);
    for _ in 0..3_000 {
        stepped.advance_ms(1_000);
        stepped.state();
    }
    jumped.advance_ms(3_000_000);
    assert_eq!(jumped.state(), stepped.state());
    assert_eq!(jumped.cb.attempts(), stepped.cb.attempts());
    assert_eq!(jumped.cb.retry_after(), stepped.cb.retry_after());
    assert_eq!(stepped.cb.attempts(), 1 + 1_000); // one opening per 3-second cycle
}

#[test]
fn timers_fire_at_their_own_instants() {
    // HALF_OPEN entered by the automatic move at the end of OPEN's wait gives up a maximum wait
    // after that instant, not after the moment the caller next looked.
    let config = CircuitBreakerConfig { max_wait_duration_in_half_open_state_ms: 1_000, ..auto_transition_config() };
    let mut h = Harness::with(config);
    h.to(State::Open);
    h.advance_ms(2_500);
    assert_eq!(h.state(), State::HalfOpen);
    h.advance_ms(500);
    assert_eq!(h.state(), State::Open);
    assert_eq!(h.cb.attempts(), 2);
}

/// resilience4j's `reset` skips `preTransitionHook` (issue #1039): the replaced HALF_OPEN's
/// maximum wait still fires and opens the reset breaker (CLOSED → OPEN is legal).
#[test]
fn reset_leaves_the_half_open_maximum_wait_armed() {
    let mut h = Harness::setup();
    h.to(State::Open);
    h.to(State::HalfOpen);
    h.cb.reset(h.now);
    h.fail(0);
    assert_eq!(h.state(), State::Closed);
    h.advance_ms(1_000);
    assert_eq!(h.state(), State::Open);
    assert_eq!(h.cb.attempts(), 1);
    h.assert_metrics(-1.0, 0, 1, 1, 0); // OPEN keeps the CLOSED window it came from
}

/// The replaced OPEN's automatic move fires too, but CLOSED → HALF_OPEN is illegal (Java
/// throws on the scheduler thread and nothing changes); from DISABLED it is legal.
#[test]
fn reset_leaves_the_automatic_move_armed() {
    let mut h = Harness::with(auto_transition_config());
    h.to(State::Open);
    h.cb.reset(h.now);
    h.advance_ms(2_000);
    assert_eq!(h.state(), State::Closed);
    h.to(State::Open);
    h.cb.reset(h.now);
    h.to(State::Disabled);
    h.advance_ms(2_000);
    assert_eq!(h.state(), State::HalfOpen);
}

/// OPEN entered from FORCED_OPEN keeps its empty window (size 0, minimum min(100, 0) = 0):
/// resilience4j counts a call reported then in the total before it divides by zero, so the
/// rates show from the first call.
#[test]
fn open_after_forced_open_counts_calls_in_the_empty_window_it_kept() {
    let mut h = Harness::setup();
    h.to(State::ForcedOpen);
    assert!(!h.acquire());
    h.to(State::Open);
    h.assert_metrics(-1.0, 0, 0, 0, 1); // FORCED_OPEN's refusal is still counted
    h.fail(0);
    h.assert_metrics(100.0, 0, 1, 1, 1);
    assert_eq!(h.state(), State::Open);
}

/// The same as stepping millisecond by millisecond, with a wait that grows to a cap, one that
/// shrinks, and one that stays.
#[test]
fn a_jump_of_time_fires_the_timers_a_walk_would() {
    for (multiplier, max_ms) in [(Some(2.0), Some(1_000)), (Some(0.5), None), (None, None)] {
        let config = CircuitBreakerConfig {
            wait_duration_in_open_state_ms: 100,
            open_wait_multiplier: multiplier,
            open_wait_max_ms: max_ms,
            max_wait_duration_in_half_open_state_ms: 50,
            ..auto_transition_config()
        };
        let mut walked = Harness::with(config.clone());
        let mut jumped = Harness::with(config);
        walked.to(State::Open);
        jumped.to(State::Open);
        for _ in 0..20_000 {
            walked.advance_ms(1);
            walked.state();
        }
        jumped.advance_ms(20_000);
        let at = |h: &mut Harness| (h.state(), h.cb.attempts(), h.cb.retry_after());
        assert_eq!(at(&mut jumped), at(&mut walked), "multiplier {multiplier:?}, max {max_ms:?}");
    }
}
