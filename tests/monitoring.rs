//! What the monitoring charts read from each chart sample: time-in-system percentiles of the
//! sample's interval, and the failure and retry counters whose growth is the error and retry rate.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::{Scenario, SimTime, Simulation};

fn retries_dlq() -> Scenario {
    let mut s = eda_lab::sim::builtins::builtin("retries-dlq").unwrap();
    s.metrics.history = 1_000;
    s
}

/// Each interval's p50 ≤ p95 ≤ p99 lie within the times in system of that interval's settled
/// messages, which are at least the processing time and at most the run so far; and over the
/// whole run they are the run's own percentiles' neighbours (each sample's p99 is at most the
/// run's longest time in system).
#[test]
fn samples_carry_the_latency_percentiles_of_their_interval() {
    let mut sim = Simulation::new(&retries_dlq()).unwrap();
    sim.track_latency_percentiles();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    let max = sim.ledger().latency().max_us().unwrap();
    let mut with_values = 0;
    for s in sim.history().iter() {
        let (p50, p95, p99) = (s.latency_p50_us, s.latency_p95_us, s.latency_p99_us);
        assert!(p50 <= p95 && p95 <= p99, "{s:?}");
        assert!(p99 <= max + max / 256, "{s:?} vs longest {max}");
        assert!(p99 <= s.time_us, "{s:?}: nothing waited longer than the run");
        with_values += usize::from(p99 > 0);
    }
    assert!(with_values > 50, "{with_values} samples with settlements");
    // Failures and retries only grow, and retries never outnumber failures.
    let h: Vec<_> = sim.history().iter().collect();
    assert!(h.windows(2).all(|w| w[0].failures <= w[1].failures && w[0].retries <= w[1].retries));
    let last = h.last().unwrap();
    assert!(last.failures > 0 && last.retries <= last.failures, "{last:?}");
}

/// A headless run does not pay for them: its samples' percentiles stay 0, and nothing else in
/// the run changes (same trace hash, same outcomes).
#[test]
fn headless_runs_leave_them_out_and_run_the_same() {
    let mut tracked = Simulation::new(&retries_dlq()).unwrap();
    tracked.track_latency_percentiles();
    let mut plain = Simulation::new(&retries_dlq()).unwrap();
    for sim in [&mut tracked, &mut plain] {
        sim.run_until(SimTime::from_secs(30), u64::MAX);
    }
    assert!(plain.history().iter().all(|s| s.latency_p99_us == 0));
    assert!(tracked.history().iter().any(|s| s.latency_p99_us > 0));
    assert_eq!(tracked.trace_hash(), plain.trace_hash());
    assert_eq!(tracked.ledger().counts(), plain.ledger().counts());
}
