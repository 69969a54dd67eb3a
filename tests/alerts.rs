//! Threshold alerts (`metrics/alerts.rs`): each rule fires once its condition has held long
//! enough, not before, and clears when it stops; a healthy run fires none; alerts are part of
//! the deterministic run and change none of its events.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::JournalKind;
use eda_lab::sim::metrics::alerts::AlertRule;
use eda_lab::sim::{Command, Scenario, SimTime, Simulation};

fn builtin(name: &str) -> Scenario {
    let mut s = eda_lab::sim::builtins::builtin(name).unwrap();
    s.metrics.history = 1_000;
    s.metrics.journal = 100_000;
    s
}

fn run(s: &Scenario, secs: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_secs(secs), u64::MAX);
    sim
}

/// (time µs, fired?) of each journal entry about `rule`.
fn changes(sim: &Simulation, rule: AlertRule) -> Vec<(u64, bool)> {
    sim.journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::AlertFired { rule: r, .. } if r == rule => Some((e.time.as_us(), true)),
            JournalKind::AlertCleared { rule: r, .. } if r == rule => Some((e.time.as_us(), false)),
            _ => None,
        })
        .collect()
}

fn firing(sim: &Simulation, t_us: u64, rule: AlertRule) -> bool {
    sim.history().iter().find(|s| s.time_us == t_us).unwrap().alerts & rule.bit() != 0
}

/// The lag rule fires at the first sample at which the lag has been above the threshold at every
/// sample for `lag_for_ms`, and not one sample earlier; it clears at the first sample below.
#[test]
fn lag_fires_after_holding_for_its_time_and_clears_below() {
    let mut s = builtin("retries-dlq");
    s.alerts.lag_above = Some(20);
    s.alerts.lag_for_ms = 2_000;
    let sim = run(&s, 60);
    let h: Vec<_> = sim.history().iter().copied().collect();
    let fired = changes(&sim, AlertRule::Lag);
    assert!(!fired.is_empty(), "the lag grows past 20 in this lesson");
    for (t, on) in &fired {
        let i = h.iter().position(|x| x.time_us == *t).unwrap();
        if *on {
            // Above at every sample of the last 2 s, and the run of samples above is 2 s long.
            let start = h[..=i].iter().rposition(|x| x.lag_total <= 20).map_or(0, |j| j + 1);
            assert!(h[start..=i].iter().all(|x| x.lag_total > 20));
            assert!(t - h[start].time_us >= 2_000_000, "fired at {t} after {}", t - h[start].time_us);
            assert!(t - h[start].time_us < 2_000_000 + 250_000, "fired one sample late at {t}");
            assert!(!firing(&sim, h[i - 1].time_us, AlertRule::Lag));
        } else {
            assert!(h[i].lag_total <= 20 && firing(&sim, h[i - 1].time_us, AlertRule::Lag));
        }
    }
    assert_eq!(sim.stats().alerts.alerts_lag, fired.iter().filter(|c| c.1).count() as u64);
}

/// The error rate over the last 5 s: fires when it passes the threshold, clears below it.
#[test]
fn error_rate_fires_above_its_threshold_and_clears() {
    let mut s = builtin("retries-dlq");
    s.alerts.error_rate_above = Some(30);
    let sim = run(&s, 60);
    let h: Vec<_> = sim.history().iter().copied().collect();
    let c = changes(&sim, AlertRule::ErrorRate);
    assert!(c.iter().any(|x| x.1) && c.iter().any(|x| !x.1), "{c:?}");
    for (t, on) in c {
        let now = h.iter().find(|x| x.time_us == t).unwrap();
        let base = h.iter().rev().find(|x| x.time_us + 5_000_000 <= t).unwrap_or(&h[0]);
        let rate = (now.failures - base.failures) * 100 / (now.attempts - base.attempts);
        assert_eq!(on, (now.failures - base.failures) * 100 > 30 * (now.attempts - base.attempts), "at {t}: {rate}%");
    }
    // Nothing fails: never.
    let mut healthy = builtin("retries-dlq");
    healthy.processing.failure_probability = 0.0;
    healthy.alerts.error_rate_above = Some(0);
    assert!(changes(&run(&healthy, 60), AlertRule::ErrorRate).is_empty());
}

/// The p99 rule reads the interval's percentiles: setting it makes the run keep them, headless.
#[test]
fn p99_fires_on_slow_intervals_even_headless() {
    let mut s = builtin("retries-dlq");
    s.alerts.p99_above_ms = Some(10_000);
    let sim = run(&s, 60);
    let c = changes(&sim, AlertRule::P99);
    assert!(c.first().is_some_and(|x| x.1), "{c:?}");
    for (t, on) in c {
        let p99 = sim.history().iter().find(|x| x.time_us == t).unwrap().latency_p99_us;
        assert_eq!(on, p99 > 10_000_000, "at {t}: p99 {p99}");
    }
}

/// The DLQ rule fires only when the queue grew over each of the last two 5 s spans.
#[test]
fn dlq_growing_fires_on_a_filling_queue_only() {
    let mut s = builtin("retries-dlq");
    s.alerts.dlq_growing = true;
    let sim = run(&s, 60);
    let h: Vec<_> = sim.history().iter().copied().collect();
    let c = changes(&sim, AlertRule::DlqGrowing);
    assert!(c.iter().any(|x| x.1), "{c:?}");
    let at = |t: u64| h.iter().rev().find(|x| x.time_us <= t).unwrap_or(&h[0]).dlq_size;
    for (t, on) in c {
        let grew = at(t) > at(t.saturating_sub(5_000_000))
            && at(t.saturating_sub(5_000_000)) > at(t.saturating_sub(10_000_000));
        assert_eq!(on, grew, "at {t}");
    }
}

/// Healthy lessons with sensible rules on stay quiet; and the rules never change a run's events
/// (the trace hash differs only because it covers every setting of the scenario).
#[test]
fn healthy_runs_stay_quiet_and_alerts_change_no_event() {
    for name in ["at-least-once", "dedup-atomic", "natural-idempotency"] {
        let mut s = builtin(name);
        let plain = run(&s, 60);
        s.alerts.lag_above = Some(100);
        s.alerts.error_rate_above = Some(10);
        s.alerts.p99_above_ms = Some(30_000);
        s.alerts.dlq_growing = true;
        let watched = run(&s, 60);
        assert_eq!(watched.stats().alerts, Default::default(), "{name}");
        assert!(watched.history().iter().all(|x| x.alerts == 0), "{name}");
        assert_eq!(watched.events_processed(), plain.events_processed(), "{name}");
        assert_ne!(watched.trace_hash(), plain.trace_hash(), "{name}: the hash covers the settings");
        assert_eq!(watched.ledger().counts(), plain.ledger().counts(), "{name}");
    }
}

/// Same inputs, same alerts; switching a rule off live clears it, and says so.
#[test]
fn alerts_are_deterministic_and_clear_when_switched_off() {
    let mut s = builtin("retries-dlq");
    s.alerts.lag_above = Some(5);
    s.alerts.lag_for_ms = 0;
    let (a, b) = (run(&s, 30), run(&s, 30));
    let bits = |sim: &Simulation| sim.history().iter().map(|x| x.alerts).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(changes(&a, AlertRule::Lag), changes(&b, AlertRule::Lag));
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert!(sim.alerts().firing() & AlertRule::Lag.bit() != 0, "lag above 5 at 60 s");
    sim.handle(Command::Set { setting: "alerts.lag_above".into(), value: serde_json::Value::Null }).unwrap();
    sim.run_until(SimTime::from_secs(61), u64::MAX);
    assert_eq!(sim.alerts().firing(), 0);
    let last = sim.journal().iter().rev().find(|e| matches!(e.kind, JournalKind::AlertCleared { .. })).unwrap();
    assert!(matches!(last.kind, JournalKind::AlertCleared { off: true, .. }));
    assert!(eda_lab::sim::narrate::describe(&last.kind, &sim).contains("rule switched off"));
}

/// Scenario files written before the alerts still parse, with every rule off.
#[test]
fn old_scenarios_parse_with_alerts_off() {
    let s = Scenario::from_json(r#"{"name":"old","producer":{"rate_per_sec":5}}"#).unwrap();
    assert_eq!(s.alerts, Default::default());
    let set = Scenario::from_json(r#"{"alerts":{"lag_above":10}}"#).unwrap();
    assert_eq!((set.alerts.lag_above, set.alerts.lag_for_ms), (Some(10), 5_000));
}
