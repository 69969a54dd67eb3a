//! Memory is bounded by what is in flight: however many messages a run produces, the ledger keeps
//! the records of those in flight, the newest `metrics.recent_messages` settled ones, the newest
//! 1,024 notable ones and those parked in the dead-letter queue, and nothing else. (RSS figures
//! are in the README; this checks the rule.)
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::ledger::KEEP_NOTABLE;
use eda_lab::sim::scenario::{CrashPoint, IdempotencyMode};
use eda_lab::sim::{Scenario, SimTime, Simulation};

/// Runs `s` for `until_s` seconds, checking the bound every simulated second; returns the most
/// records kept at once and the number produced.
fn check_bounded(mut s: Scenario, until_s: u64) -> (usize, u64) {
    s.metrics.journal = 0;
    let keep = s.metrics.recent_messages;
    let mut sim = Simulation::new(&s).unwrap();
    let mut most = 0;
    for t in 1..=until_s {
        sim.run_until(SimTime::from_secs(t), u64::MAX);
        let in_flight = sim.ledger().counts().in_flight + sim.ledger().counts().duplicated;
        let kept = sim.ledger().records_kept();
        most = most.max(kept);
        // The window holds at most keep + 2 × live + 1 records, plus the notable ones kept aside
        // and the parked ones (a dead-lettered message is kept while it may be redriven).
        let parked = sim.ledger().parked();
        assert!(
            kept as u64 <= keep as u64 + 2 * in_flight + 1 + KEEP_NOTABLE as u64 + parked,
            "at {t}s: {kept} records kept with {in_flight} in flight"
        );
    }
    (most, sim.ledger().produced())
}

#[test]
fn a_long_fast_run_keeps_only_what_is_in_flight() {
    let mut s = Scenario::default();
    s.producer.rate_per_sec = 50_000.0;
    s.processing.service.mean_ms = 0.01;
    let (most, produced) = check_bounded(s, 20);
    assert!(produced > 150 * most as u64, "{produced} produced, up to {most} records kept");
}

#[test]
fn crashes_duplicates_and_retries_stay_bounded_too() {
    let mut s = Scenario::default();
    s.producer.rate_per_sec = 20_000.0;
    s.processing.service.mean_ms = 0.02;
    s.processing.failure_probability = 0.01;
    s.consumers.crash.point = CrashPoint::AfterEffect;
    s.consumers.crash.probability = 0.000_05;
    s.consumers.crash.restart_delay_ms = Some(200);
    s.consumers.session_timeout_ms = 6_000;
    s.idempotency.mode = IdempotencyMode::DedupCheckThenAct;
    s.metrics.recent_messages = 256;
    // Crashes keep the group rebalancing, so much is in flight; the bound must hold all the same.
    check_bounded(s, 20);
}
