//! `eda-lab breaker` as a user runs it: scripts that replay resilience4j's own test cases
//! (`CircuitBreakerStateMachineTest`, `CircuitBreakerTest`,
//! `CircuitBreakerAutoTransitionStateMachineTest`) end to end, and bad input refused by name.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;

#[path = "common/cli.rs"]
mod cli_common;
use cli_common::eda_lab;

/// Writes `json` to a config file of this test's own (`name`) and returns its path.
fn config_file(name: &str, json: &str) -> String {
    let path = std::env::temp_dir().join(format!("eda-lab-breaker-{}-{name}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs a script with `--json` and returns one object per op.
fn run(config: Option<&str>, ops: &[&str]) -> Vec<Value> {
    let mut args = vec!["breaker", "--json"];
    if let Some(path) = config {
        args.extend(["--config", path]);
    }
    args.extend(ops);
    let (code, out, err) = eda_lab(&args);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), ops.len(), "one line per op:\n{out}");
    lines
}

/// (state, failure_rate, successful, buffered, failed, not_permitted): the Java tests'
/// `assertCircuitBreakerMetricsEqualTo` plus the state.
fn summary(line: &Value) -> (String, f64, u64, u64, u64, u64) {
    let n = |k: &str| line[k].as_u64().unwrap();
    (
        line["state"].as_str().unwrap().to_string(),
        line["failure_rate"].as_f64().unwrap(),
        n("successful"),
        n("buffered"),
        n("failed"),
        n("not_permitted"),
    )
}

/// `CircuitBreakerStateMachineTest`'s `@Before`.
const SETUP: &str = r#"{"failure_rate_threshold": 50, "permitted_number_of_calls_in_half_open_state": 4,
  "slow_call_duration_threshold_ms": 4000, "slow_call_rate_threshold": 50,
  "max_wait_duration_in_half_open_state_ms": 1000, "sliding_window_type": "time_based",
  "sliding_window_size": 20, "minimum_number_of_calls": 5, "wait_duration_in_open_state_ms": 5000}"#;

#[test]
fn should_open_after_failure_rate_threshold_exceeded() {
    let setup = config_file("failure-rate", SETUP);
    let ops = ["acquire", "fail", "acquire", "fail", "acquire", "fail", "acquire", "ok", "ok", "acquire"];
    let lines = run(Some(&setup), &ops);
    assert_eq!(summary(&lines[7]), ("closed".into(), -1.0, 1, 4, 3, 0));
    assert_eq!(summary(&lines[8]), ("open".into(), 60.0, 2, 5, 3, 0));
    assert_eq!(lines[9]["permitted"], false);
    assert_eq!(summary(&lines[9]), ("open".into(), 60.0, 2, 5, 3, 1));
    assert_eq!(lines[8]["permitted"], Value::Null);
}

#[test]
fn should_open_after_slow_call_rate_threshold_exceeded() {
    let setup = config_file("slow-rate", SETUP);
    let lines = run(Some(&setup), &["fail:5000", "ok:5000", "fail:100", "ok:100", "ok:5000"]);
    assert_eq!(lines[3]["state"], "closed");
    let last = &lines[4];
    assert_eq!(
        (last["state"].as_str(), last["slow"].as_u64(), last["slow_call_rate"].as_f64()),
        (Some("open"), Some(3), Some(60.0))
    );
}

#[test]
fn should_transition_to_half_open_after_wait_duration() {
    let setup = config_file("half-open-after-wait", SETUP);
    let lines = run(Some(&setup), &["to:open", "acquire", "wait:3000", "acquire", "wait:3000", "acquire"]);
    assert_eq!(summary(&lines[3]), ("open".into(), -1.0, 0, 0, 0, 2));
    assert_eq!(lines[5]["permitted"], true);
    assert_eq!(summary(&lines[5]), ("half_open".into(), -1.0, 0, 0, 0, 0));
}

#[test]
fn open_lets_a_call_through_only_after_the_wait() {
    // `Instant.isAfter(retryAfterWaitDuration)`: at the end of the wait itself, still refused.
    let setup = config_file("strictly-after", SETUP);
    let lines = run(Some(&setup), &["to:open", "wait:5000", "acquire", "wait:0.001", "acquire"]);
    assert_eq!((lines[2]["state"].as_str(), &lines[2]["permitted"]), (Some("open"), &Value::Bool(false)));
    assert_eq!((lines[4]["state"].as_str(), &lines[4]["permitted"]), (Some("half_open"), &Value::Bool(true)));
}

#[test]
fn should_transition_back_to_closed_state_when_failure_is_below_threshold() {
    let setup = config_file("back-to-closed", SETUP);
    let ops = [
        "to:open",
        "to:half_open",
        "acquire",
        "fail",
        "acquire",
        "ok",
        "acquire",
        "ok",
        "acquire",
        "ok",
        "acquire",
        "ok",
    ];
    let lines = run(Some(&setup), &ops);
    assert_eq!(summary(&lines[8]), ("half_open".into(), -1.0, 2, 3, 1, 0));
    assert_eq!(summary(&lines[9]), ("closed".into(), -1.0, 0, 0, 0, 0)); // 25 % of min(5, 4) calls
    assert_eq!(summary(&lines[11]), ("closed".into(), -1.0, 1, 1, 0, 0));
}

#[test]
fn should_release_permission_when_exception_ignored() {
    let setup = config_file("ignored", SETUP);
    let mut ops = vec!["to:open", "to:half_open"];
    ops.extend(["acquire", "ok"].repeat(3));
    ops.extend(["acquire", "ignored", "acquire", "fail"]);
    let lines = run(Some(&setup), &ops);
    assert_eq!(summary(&lines[9]), ("half_open".into(), -1.0, 3, 3, 0, 0));
    assert_eq!(summary(&lines[11]), ("closed".into(), -1.0, 0, 0, 0, 0));
}

#[test]
fn circuit_breaker_transitions_to_open_after_wait_duration_in_half_open_state() {
    let setup = config_file("half-open-max-wait", SETUP);
    let lines = run(Some(&setup), &["to:open", "to:half_open", "wait:999", "wait:1001"]);
    assert_eq!(lines[2]["state"], "half_open");
    assert_eq!(lines[3]["state"], "open");
}

#[test]
fn should_throw_circuit_breaker_open_exception() {
    // `CircuitBreakerTest`: a window of 2 calls judges after min(100, 2) of them.
    let two = config_file("window-of-two", r#"{"sliding_window_size": 2, "wait_duration_in_open_state_ms": 1000}"#);
    let lines = run(Some(&two), &["fail", "fail", "acquire"]);
    assert_eq!(lines[0]["state"], "closed");
    assert_eq!(summary(&lines[2]), ("open".into(), 100.0, 0, 2, 2, 1));
}

#[test]
fn test_auto_transition() {
    // `CircuitBreakerAutoTransitionStateMachineTest`: OPEN becomes HALF_OPEN by itself.
    let auto = config_file(
        "auto",
        r#"{"sliding_window_size": 5, "minimum_number_of_calls": 5, "permitted_number_of_calls_in_half_open_state": 3,
            "automatic_transition_from_open_to_half_open_enabled": true, "wait_duration_in_open_state_ms": 2000}"#,
    );
    let lines = run(Some(&auto), &["to:open", "wait:1999", "wait:1", "to:forced_open", "wait:5000"]);
    let states: Vec<&str> = lines.iter().map(|l| l["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["open", "open", "half_open", "forced_open", "forced_open"]);
}

#[test]
fn text_output_names_every_count() {
    let (code, out, err) = eda_lab(&["breaker", "acquire", "ok:61000"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("state=closed permitted=true failure_rate=-1 slow_call_rate=-1 buffered=0"), "{out}");
    assert!(lines[1].contains("buffered=1 failed=0 successful=1 slow=1 not_permitted=0"), "{out}");
    assert!(!lines[1].contains(" permitted="), "{out}");
}

#[test]
fn bad_ops_and_configs_are_refused_by_name() {
    let cases: [(&[&str], &str); 5] = [
        (&["breaker", "acquire", "jump"], "error: op 2 `jump`: unknown op"),
        (&["breaker", "wait:soon"], "error: op 1 `wait:soon`"),
        (&["breaker", "to:ajar"], "error: op 1 `to:ajar`: unknown state"),
        (
            &["breaker", "ok", "to:half_open"],
            "error: op 2 `to:half_open`: illegal state transition from closed to half_open",
        ),
        (&["breaker", "--config", "/nonexistent/breaker.json", "ok"], "error: --config /nonexistent/breaker.json"),
    ];
    for (args, expected) in cases {
        let (code, out, err) = eda_lab(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.starts_with(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.is_empty() || args.contains(&"to:half_open"), "{out}");
    }
    for (name, json, expected) in [
        ("threshold", r#"{"failure_rate_threshold": 0}"#, "error: failure_rate_threshold: must be greater than 0"),
        ("unknown", r#"{"failure_rate": 50}"#, "error: failure_rate: unknown field"),
        ("type", r#"{"sliding_window_type": "sliding"}"#, "error: sliding_window_type:"),
        ("negative", r#"{"minimum_number_of_calls": -1}"#, "error: minimum_number_of_calls:"),
    ] {
        let path = config_file(name, json);
        let (code, _, err) = eda_lab(&["breaker", "--config", &path, "ok"]);
        assert_ne!(code, 0, "{json}");
        assert!(err.starts_with(expected), "{json}: {err}");
    }
}
