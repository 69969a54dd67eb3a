//! One slow consumer (`Command::SlowConsumer`): a fault of the schedule that slows one instance,
//! as a long garbage-collection pause does. Its partitions fall behind while the others keep up,
//! and it takes its own pace back when the factor returns to 1.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, ConsumerId, PartitionId, SimTime, Simulation};

fn three(faults: Vec<ScheduledCommand>) -> Scenario {
    let mut s = Scenario { seed: 5, ..Scenario::default() };
    s.producer.rate_per_sec = 30.0;
    s.producer.keys.count = 0; // keyless: spread over the partitions
    s.processing.service.mean_ms = 20.0;
    s.consumers.crash.probability = 0.0;
    s.faults = faults;
    s
}

#[test]
fn a_slow_consumer_falls_behind_alone_and_catches_up() {
    let slow = |factor| ScheduledCommand {
        at_ms: if factor > 1 { 5_000 } else { 25_000 },
        command: Command::SlowConsumer { consumer: ConsumerId(1), factor },
    };
    let mut sim = Simulation::new(&three(vec![slow(10), slow(1)])).unwrap();
    sim.run_until(SimTime::from_secs(24), u64::MAX);
    let owned = |sim: &Simulation, c: u32| -> Vec<PartitionId> {
        sim.partitions()
            .iter()
            .map(|p| p.id())
            .filter(|&p| sim.group().owner[p.index()] == Some(ConsumerId(c)))
            .collect()
    };
    let lag = |sim: &Simulation, c: u32| owned(sim, c).iter().map(|&p| sim.lag(p)).sum::<u64>();
    assert!(lag(&sim, 1) > 50, "the slow consumer's partition falls behind: {}", lag(&sim, 1));
    assert!(lag(&sim, 0) < 10 && lag(&sim, 2) < 10, "the others keep up: {} {}", lag(&sim, 0), lag(&sim, 2));
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert!(lag(&sim, 1) < 10, "at its own pace again it catches up: {}", lag(&sim, 1));
    sim.audit().unwrap();
}

#[test]
fn a_slow_consumer_command_names_what_is_wrong() {
    let c: Command = serde_json::from_str(r#"{"type":"slow_consumer","consumer":1,"factor":5}"#).unwrap();
    assert_eq!(c, Command::SlowConsumer { consumer: ConsumerId(1), factor: 5 });
    let e = Command::SlowConsumer { consumer: ConsumerId(1), factor: 0 }.validate().unwrap_err();
    assert!(e.to_string().contains("factor"), "{e}");
    let bad = ScheduledCommand { at_ms: 1_000, command: Command::SlowConsumer { consumer: ConsumerId(7), factor: 2 } };
    match three(vec![bad]).validate() {
        Err(ScenarioError::Invalid { field, .. }) => assert_eq!(field, "faults[0].command.consumer"),
        other => panic!("{other:?}"),
    }
}
