//! The one description of every setting, as its users meet it: `run --help` lists each one, a
//! running simulation changes each live one through `Command::Set`, refuses the others by name and
//! changes nothing when it refuses.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::config::settings::{Kind, SETTINGS};
use eda_lab::sim::{Command, CommandError, ConsumerId, Scenario, SimTime, Simulation};
use serde_json::Value;

#[test]
fn run_help_lists_every_setting_with_its_help() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eda-lab")).args(["run", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for s in SETTINGS {
        assert!(help.contains(s.path), "{} missing from run --help", s.path);
        assert!(help.contains(s.help), "{}'s help missing from run --help", s.path);
    }
}

/// A value of `kind` other than the default, when there is one, that `accepts` takes: the least,
/// else halfway, else the most (a setting may also be bound by another: the backoff cap may not
/// be below the base, nor the delivery timeout below the request timeout).
fn another(kind: Kind, default: &Value, accepts: impl Fn(&Value) -> bool) -> Option<Value> {
    let candidates: Vec<Value> = match kind {
        Kind::Number { min, max, integer } => [min, (min + max) / 2.0, max]
            .into_iter()
            .filter(|v| default.as_f64() != Some(*v))
            .map(|v| if integer { Value::from(v as u64) } else { Value::from(v) })
            .collect(),
        Kind::Optional { min, max, .. } if default.is_null() => {
            [min, (min + max) / 2.0, max].into_iter().map(|v| Value::from(v as u64)).collect()
        }
        Kind::Optional { .. } => vec![Value::Null],
        Kind::Flag => vec![Value::from(!default.as_bool().unwrap())],
        Kind::Choice(cs) => {
            cs.iter().map(|c| serde_json::from_str(c.json).unwrap()).filter(|v: &Value| v != default).collect()
        }
    };
    candidates.into_iter().find(|v| accepts(v))
}

#[test]
fn every_live_setting_changes_a_running_simulation() {
    let mut scenario = Scenario::default();
    scenario.consumers.commit = eda_lab::sim::scenario::CommitStrategy::Auto { interval_ms: 1_000 };
    // A cluster, so that min.insync.replicas has room to change (the least, halfway or the most).
    scenario.replication.brokers = 5;
    scenario.replication.factor = 5;
    for s in SETTINGS.iter().filter(|s| s.live) {
        let mut sim = Simulation::new(&scenario).unwrap();
        sim.run_until(SimTime::from_secs(2), u64::MAX);
        let before = sim.scenario().setting(s).unwrap();
        let takes = |v: &Value| sim.scenario().with_setting(s, v).is_ok();
        let value = another(s.kind, &before, takes).unwrap_or_else(|| panic!("{} takes no other value", s.path));
        sim.handle(Command::Set { setting: s.path.into(), value: value.clone() })
            .unwrap_or_else(|e| panic!("{} = {value}: {e}", s.path));
        assert_eq!(sim.scenario().setting(s).unwrap(), value, "{} took the new value", s.path);
        sim.run_until(SimTime::from_secs(10), u64::MAX);
        sim.ledger().audit().unwrap();
    }
}

#[test]
fn refused_settings_name_the_reason_and_change_nothing() {
    let scenario = builtin("at-least-once").unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_until(SimTime::from_secs(3), u64::MAX);
    let before = (sim.trace_hash(), sim.commands().len());
    let refuse = |sim: &mut Simulation, setting: &str, value: Value| match sim
        .handle(Command::Set { setting: setting.into(), value })
    {
        Err(e) => e.to_string(),
        Ok(()) => panic!("{setting} was accepted"),
    };
    assert_eq!(
        refuse(&mut sim, "topic.partitions", Value::from(5)),
        "topic.partitions can only change in a new run (restart with it)"
    );
    assert!(refuse(&mut sim, "topic.partishuns", Value::from(5)).contains("`topic.partishuns` is not a setting"));
    assert_eq!(
        refuse(&mut sim, "producer.rate_per_sec", Value::from(-1)),
        "producer.rate_per_sec must be between 0 and 1000000 (got -1)"
    );
    assert!(refuse(&mut sim, "producer.acks", Value::from("2")).starts_with("producer.acks must be one of"));
    let e = sim
        .handle(Command::Set { setting: "consumers.commit.interval_ms".into(), value: Value::from(500) })
        .unwrap_err();
    assert!(matches!(e, CommandError::Invalid { field: "consumers.commit.interval_ms", .. }), "{e}");
    assert_eq!((sim.trace_hash(), sim.commands().len()), before, "refused commands leave no trace");
}

#[test]
fn retention_switched_on_live_deletes_unread_records() {
    // A slow consumer group falls behind; turning retention on mid-run deletes what it has not read.
    let mut scenario = builtin("at-least-once").unwrap();
    scenario.faults.clear();
    scenario.consumers.crash.probability = 0.0;
    scenario.producer.rate_per_sec = 50.0;
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_until(SimTime::from_secs(5), u64::MAX);
    assert_eq!(sim.ledger().counts().lost, 0);
    // Kafka deletes whole closed segments: with its 1 GiB segments nothing would go. Short
    // segments and checks make it visible.
    for (setting, value) in
        [("topic.segment_ms", 1_000), ("topic.retention_check_ms", 500), ("topic.retention_ms", 2_000)]
    {
        sim.handle(Command::Set { setting: setting.into(), value: Value::from(value) }).unwrap();
    }
    sim.run_until(SimTime::from_secs(15), u64::MAX);
    let lost = sim.ledger().counts().lost;
    let reasons: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    // Every loss is retention's (a deleted record a consumer already holds is not lost).
    assert!(lost > 0 && lost <= sim.stats().log.retention_deleted, "{lost} lost, {reasons:?}");
    assert_eq!(reasons, vec![(eda_lab::sim::LossReason::Retention, lost)]);
    // And off again: nothing more is deleted.
    sim.handle(Command::Set { setting: "topic.retention_ms".into(), value: Value::Null }).unwrap();
    sim.run_until(SimTime::from_secs(16), u64::MAX);
    let deleted = sim.stats().log.retention_deleted;
    sim.run_until(SimTime::from_secs(40), u64::MAX);
    assert_eq!(sim.stats().log.retention_deleted, deleted);
}

#[test]
fn every_setting_writes_its_own_field_and_nothing_else() {
    let mut base = Scenario::default();
    base.consumers.commit = eda_lab::sim::scenario::CommitStrategy::Auto { interval_ms: 1_000 };
    // One partition, so that the queue broker (one queue) is another value `broker` takes; a
    // cluster with room for each replication setting to take another value.
    base.topic.partitions = 1;
    base.replication.brokers = 5;
    base.replication.factor = 5;
    // Schema versions to turn the registry on with (off, they are not checked).
    base.schema.versions = vec![serde_json::json!("string"), serde_json::json!("bytes")];
    // Transactions run on one broker, committing after processing, with no dead-letter queue.
    let mut txn_base = base.clone();
    txn_base.consumers.commit = eda_lab::sim::scenario::CommitStrategy::AfterProcessing;
    txn_base.replication = Default::default();
    txn_base.processing.dead_letter_queue = false;
    for s in SETTINGS {
        let base = if s.path == "transactions.enabled" { &txn_base } else { &base };
        let before = base.setting(s).unwrap();
        let value = another(s.kind, &before, |v| base.with_setting(s, v).is_ok())
            .unwrap_or_else(|| panic!("{} takes no other value", s.path));
        let changed = base.with_setting(s, &value).unwrap_or_else(|e| panic!("{} = {value}: {e}", s.path));
        assert_eq!(changed.setting(s).unwrap(), value, "{} took the new value", s.path);
        // (The auto-commit interval lives inside the commit strategy: one contains the other.)
        for other in SETTINGS.iter().filter(|o| !o.path.starts_with(s.path) && !s.path.starts_with(o.path)) {
            assert_eq!(changed.setting(other), base.setting(other), "setting {} changed {}", s.path, other.path);
        }
    }
}

#[test]
fn a_choice_cannot_smuggle_a_value_out_of_range() {
    let mut sim = Simulation::new(&Scenario::default()).unwrap();
    let bad = serde_json::json!({"mode": "auto", "interval_ms": 0});
    let e = sim.handle(Command::Set { setting: "consumers.commit".into(), value: bad }).unwrap_err();
    assert!(e.to_string().starts_with("consumers.commit.interval_ms must be between 1"), "{e}");
    let good = serde_json::json!({"mode": "auto", "interval_ms": 250});
    sim.handle(Command::Set { setting: "consumers.commit".into(), value: good }).unwrap();
    assert_eq!(sim.scenario().consumers.commit, eda_lab::sim::scenario::CommitStrategy::Auto { interval_ms: 250 });
}

/// Each fault of the schedule is checked against the group as it is by then.
#[test]
fn a_fault_must_aim_at_a_consumer_the_group_has() {
    let at = |at_ms, command| eda_lab::sim::config::scenario::ScheduledCommand { at_ms, command };
    let mut s = Scenario {
        faults: vec![
            at(100, Command::AddConsumer),
            at(200, Command::CrashConsumer { consumer: ConsumerId(3), at: None }),
            at(50, Command::CrashConsumer { consumer: ConsumerId(7), at: None }),
        ],
        ..Scenario::default()
    };
    let e = s.validate().unwrap_err().to_string();
    assert_eq!(e, "faults[2].command.consumer: there is no consumer 7 (the group has 3 at that time)");
    // Consumer 3 exists once the earlier fault added it; at 50 ms it does not yet.
    s.faults.pop();
    s.validate().unwrap();
    s.faults[1].at_ms = 50;
    let e = s.validate().unwrap_err().to_string();
    assert_eq!(e, "faults[1].command.consumer: there is no consumer 3 (the group has 3 at that time)");
}
