//! Chaos mode (`config/chaos.rs`): faults drawn from the seed join the fault schedule. The same
//! seed draws the same faults, so a comparison's lanes meet the same chaos; every window closes;
//! and whatever the draws, the ledger balances after every event.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::compare::{preset, Comparison};
use eda_lab::sim::config::chaos;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, SimTime, Simulation};
use proptest::prelude::*;

fn chaotic(name: &str, seed: u64) -> Scenario {
    let mut s = builtin(name).unwrap();
    s.seed = seed;
    s.chaos = ChaosConfig { enabled: true, mean_gap_ms: 3_000, until_ms: 60_000 };
    s
}

#[test]
fn the_same_seed_draws_the_same_chaos_and_every_window_closes() {
    let mut s = chaotic("acks-all-min-isr", 7);
    s.faults.clear(); // its own broker crashes would keep chaos off the brokers
    let a = chaos::faults(&s);
    assert_eq!(a, chaos::faults(&s));
    assert!(a.len() >= 10, "{a:?}");
    assert_ne!(a, chaos::faults(&Scenario { seed: 8, ..s.clone() }));
    assert!(a.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "in time order");
    let mut down = None;
    for f in &a {
        match &f.command {
            Command::CrashBroker { broker } => {
                assert_eq!(down, None, "one broker down at a time");
                down = Some(*broker);
            }
            Command::StartBroker { broker } => assert_eq!(down.take(), Some(*broker)),
            _ => {}
        }
    }
    assert_eq!(down, None, "every crashed broker starts again");
    // Each setting a window changes goes back to what the scenario had.
    for setting in ["network.request_loss", "downstream.outage", "downstream.slow_factor"] {
        let last = a.iter().rev().find_map(|f| match &f.command {
            Command::Set { setting: s, value } if s == setting => Some(value.clone()),
            _ => None,
        });
        if let Some(v) = last {
            assert_eq!(Some(v), s.setting(eda_lab::sim::config::settings::find(setting).unwrap()), "{setting}");
        }
    }
    // Off: nothing drawn, and left out of the JSON.
    assert!(chaos::faults(&builtin("acks-all-min-isr").unwrap()).is_empty());
    assert!(a.iter().any(|f| matches!(f.command, Command::CrashBroker { .. })), "a cluster draws broker crashes");
    assert!(!builtin("at-least-once").unwrap().to_json().contains("chaos"));
}

/// Lanes of a comparison on one seed meet the same chaos (their settings differ, not their
/// shape), and the run lists the drawn faults in its schedule.
#[test]
fn lanes_on_one_seed_meet_the_same_chaos() {
    let base = chaotic("at-least-once", 3);
    let lanes = preset("guarantees", &base).unwrap();
    let mut c = Comparison::new(&lanes).unwrap();
    assert!(c.run_until(SimTime::from_secs(60), u64::MAX).is_empty());
    let schedules: Vec<Vec<ScheduledCommand>> = c.lanes().map(|(_, sim)| sim.scenario().faults.clone()).collect();
    assert!(schedules.windows(2).all(|w| w[0] == w[1]));
    assert!(schedules[0].len() > base.faults.len() + 10, "the drawn faults are in the run's schedule");
    for (_, sim) in c.lanes() {
        sim.audit().unwrap();
        assert!(!sim.scenario().chaos.enabled, "drawn once");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever chaos draws, on the log (one broker or three) and on the queue, the schedule
    /// runs and the ledger balances after every event.
    #[test]
    fn the_ledger_balances_under_any_chaos(
        seed in any::<u64>(),
        name in prop_oneof![Just("at-least-once"), Just("acks-all-min-isr"), Just("work-queue"), Just("exactly-once-pipeline")],
        gap in 200u64..5_000,
    ) {
        let mut s = chaotic(name, seed);
        s.chaos.mean_gap_ms = gap;
        let mut sim = Simulation::new(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let until = SimTime::from_secs(30);
        while sim.next_event_time().is_some_and(|t| t <= until) {
            sim.step();
            sim.audit().map_err(|e| TestCaseError::fail(format!("at {}: {e}", sim.now())))?;
        }
    }
}
