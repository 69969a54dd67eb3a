//! The schema registry in a run: the producer deploys schema versions through the registry,
//! which refuses what the subject's compatibility mode forbids; the consumers decode with their
//! reader version, and a message they cannot read fails on every attempt and is dead-lettered,
//! never charged, never retried.

#[path = "common/audited.rs"]
mod audited;

use audited::run_audited;
use eda_lab::sim::builtins::builtin;
use eda_lab::sim::config::scenario::{Mode, Scenario};
use eda_lab::sim::patterns::dlq::DeadLetterReason;
use eda_lab::sim::{Command, CommandError, Simulation};
use proptest::prelude::*;
use serde_json::json;

fn lesson() -> Scenario {
    builtin("schema-evolution").expect("built in")
}

fn run(s: &Scenario, ms: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    run_audited(&mut sim, ms);
    sim
}

#[test]
fn under_none_the_breaking_version_is_registered_and_its_messages_are_dead_lettered() {
    let sim = run(&lesson(), 30_000);
    let reg = sim.schemas();
    assert_eq!(reg.writer(), 2);
    assert_eq!(reg.registered(), vec![1, 2]);
    assert!(reg.deploys()[0].refused.is_empty());
    let dlq = sim.dlq();
    assert!(dlq.len() > 20, "the queue grows: {}", dlq.len());
    for d in dlq.iter() {
        assert_eq!(reg.writer_of(d.msg), 2, "only what v2 wrote");
        assert_eq!(d.reason, DeadLetterReason::NonRetryable);
        assert_eq!(d.attempts, 1, "a message that cannot be decoded is not retried");
    }
    assert_eq!(sim.ledger().counts().duplicated, 0);
    let why = reg.compatibility(1, 2).unwrap();
    assert!(!why.compatible);
    assert_eq!(why.incompatibilities[0].to_string(), "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: amount");
}

#[test]
fn under_backward_the_registry_refuses_it_and_nothing_breaks() {
    let mut s = lesson();
    s.schema.mode = Mode::Backward;
    let sim = run(&s, 30_000);
    let reg = sim.schemas();
    assert_eq!(reg.writer(), 1, "the producer keeps v1");
    assert_eq!(reg.registered(), vec![1]);
    let refused = &reg.deploys()[0].refused;
    assert_eq!(refused, &["BACKWARD against v1: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: amount_cents"]);
    assert_eq!(sim.dlq().len(), 0);
    assert_eq!(reg.undecodable, 0);
}

#[test]
fn a_compatible_version_deploys_under_full_transitive_and_is_read() {
    let mut s = lesson();
    s.schema.mode = Mode::FullTransitive;
    s.faults[0].command = Command::DeploySchema { version: 3 };
    let sim = run(&s, 30_000);
    assert_eq!(sim.schemas().writer(), 3);
    assert_eq!(sim.dlq().len(), 0, "v1 readers skip v3's new field");
}

#[test]
fn switching_the_reader_to_v2_breaks_on_what_v1_wrote() {
    let mut sim = run(&lesson(), 12_000);
    sim.handle(Command::Set { setting: "schema.reader_version".into(), value: json!(2) }).unwrap();
    run_audited(&mut sim, 40_000);
    let reg = sim.schemas();
    // From the switch on, v1's messages still in the log fail instead: v2 cannot read them either.
    assert!(!reg.compatibility(2, 1).unwrap().compatible);
    assert!(reg.compatibility(2, 2).unwrap().compatible);
    let e = sim.handle(Command::Set { setting: "schema.reader_version".into(), value: json!(4) }).unwrap_err();
    assert!(matches!(e, CommandError::Invalid { field: "schema.reader_version", .. }), "{e}");
}

#[test]
fn deploys_and_settings_name_what_is_wrong() {
    let mut sim = Simulation::new(&lesson()).unwrap();
    let e = sim.handle(Command::DeploySchema { version: 9 }).unwrap_err();
    assert!(matches!(e, CommandError::Invalid { field: "version", .. }), "{e}");
    let mut plain = Simulation::new(&Scenario::default()).unwrap();
    let e = plain.handle(Command::DeploySchema { version: 1 }).unwrap_err().to_string();
    assert!(e.contains("the schema registry is off"), "{e}");
    let mut s = lesson();
    s.schema.versions[1] = json!({"type": "recrd"});
    let e = Simulation::new(&s).err().unwrap().to_string();
    assert!(e.starts_with("schema.versions: version 2 is not a valid Avro schema"), "{e}");
    let mut s = lesson();
    s.schema.reader_version = 0;
    assert!(Simulation::new(&s).err().unwrap().to_string().starts_with("schema.reader_version:"));
    let text = serde_json::to_string(&lesson()).unwrap();
    let back = Scenario::from_json(&text).unwrap();
    assert_eq!(back.schema, lesson().schema, "the section round-trips");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Deploys and reader changes at random times, under any mode: the ledger balances at every
    /// step, every dead letter is a message its reader could not decode, and no message the
    /// reader can read is dead-lettered.
    #[test]
    fn the_ledger_balances_under_any_deploys(
        seed in 1u64..1_000_000,
        mode in prop::sample::select(Mode::ALL.to_vec()),
        steps in prop::collection::vec((1u32..4, any::<bool>()), 1..6),
    ) {
        let mut s = lesson();
        s.seed = seed;
        s.schema.mode = mode;
        s.faults.clear();
        let mut sim = Simulation::new(&s).unwrap();
        let mut t = 0;
        for (version, reader) in steps {
            t += 4_000;
            run_audited(&mut sim, t);
            let command = if reader {
                Command::Set { setting: "schema.reader_version".into(), value: json!(version) }
            } else {
                Command::DeploySchema { version }
            };
            sim.handle(command).unwrap();
        }
        run_audited(&mut sim, t + 10_000);
        prop_assert!(sim.schemas().registered().windows(2).all(|w| w[0] != w[1]));
        for d in sim.dlq().iter() {
            prop_assert_eq!(d.reason, DeadLetterReason::NonRetryable);
        }
        if sim.schemas().undecodable == 0 {
            prop_assert_eq!(sim.dlq().len(), 0);
        }
    }
}

/// The panel's sample event of each lesson version encodes in all three formats; a default is
/// the value written, and Avro is the smallest, JSON the largest.
#[test]
fn each_version_has_a_sample_event_in_three_formats() {
    use eda_lab::sim::patterns::encoding::{compare, Value};
    use eda_lab::sim::patterns::schema::{parse_value, sample::sample};
    for (i, v) in lesson().schema.versions.iter().enumerate() {
        let value = sample(&parse_value(v).unwrap()).expect("a sample");
        let Value::Record { fields, .. } = &value else { panic!("a record") };
        assert_eq!(fields.iter().map(|f| f.number).collect::<Vec<_>>(), (1..=fields.len() as u32).collect::<Vec<_>>());
        if i == 2 {
            assert_eq!(fields[3].value, Value::Str("EUR".into()), "the default");
        }
        let e = compare(&value);
        let size = |f: &str| e.iter().find(|x| x.format == f).unwrap().bytes.len();
        assert_eq!(size("avro+confluent"), size("avro") + 5);
        assert!(size("avro") < size("json") && size("protobuf") < size("json"), "v{}", i + 1);
    }
    let fixed = parse_value(&json!({"type": "fixed", "name": "F", "size": 4})).unwrap();
    assert!(sample(&fixed).is_none(), "no fixed encoding to show");
}
