//! Confluent Schema Registry modes over a version history, as
//! `io.confluent.kafka.schemaregistry.CompatibilityChecker` defines them.

use eda_lab::sim::patterns::schema::{
    check_against, parse, verdict, Direction, IncompatibilityKind as K, Mode, Schema, Subject,
};

fn s(text: &str) -> Schema {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn rec(fields: &str) -> Schema {
    s(&format!(r#"{{"type":"record","name":"Event","namespace":"lab","fields":[{fields}]}}"#))
}

#[test]
fn modes_parse_from_confluent_spellings() {
    let cases = [
        ("BACKWARD", Mode::Backward),
        ("backward_transitive", Mode::BackwardTransitive),
        ("Forward", Mode::Forward),
        ("FORWARD_TRANSITIVE", Mode::ForwardTransitive),
        (" full ", Mode::Full),
        ("full-transitive", Mode::FullTransitive),
        ("NONE", Mode::None),
    ];
    for (text, mode) in cases {
        assert_eq!(text.parse::<Mode>(), Ok(mode), "{text}");
        assert_eq!(mode.as_str().parse::<Mode>(), Ok(mode));
        assert_eq!(mode.to_string(), mode.as_str());
    }
    let e = "sideways".parse::<Mode>().unwrap_err();
    assert!(e.to_string().starts_with("unknown compatibility mode \"sideways\""), "{e}");
}

#[test]
fn backward_means_new_reader_reads_latest_writer() {
    let history = [rec(r#"{"name":"a","type":"int"}"#)];
    // Adding a field without a default: the new reader cannot fill it.
    let new = rec(r#"{"name":"a","type":"int"},{"name":"b","type":"int"}"#);
    let checks = check_against(Mode::Backward, &history, &new);
    assert_eq!(checks.len(), 1);
    let (index, direction, result) = &checks[0];
    assert_eq!((*index, *direction), (0, Direction::Backward));
    assert_eq!(result.incompatibilities[0].kind, K::ReaderFieldMissingDefaultValue);
    // The same change is FORWARD compatible: the old reader ignores `b`.
    assert!(verdict(Mode::Forward, &history, &new).allowed);
    assert!(!verdict(Mode::Full, &history, &new).allowed);
}

#[test]
fn forward_means_latest_reader_reads_new_writer() {
    let history = [rec(r#"{"name":"a","type":"int"},{"name":"b","type":"int"}"#)];
    // Removing a field without a default: the old reader cannot fill it.
    let new = rec(r#"{"name":"a","type":"int"}"#);
    let checks = check_against(Mode::Forward, &history, &new);
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].1, Direction::Forward);
    assert!(!checks[0].2.compatible);
    assert!(verdict(Mode::Backward, &history, &new).allowed);
}

#[test]
fn full_checks_forward_then_backward() {
    let history = [rec(r#"{"name":"a","type":"int"}"#)];
    let new = rec(r#"{"name":"a","type":"int"},{"name":"b","type":"int","default":0}"#);
    let checks = check_against(Mode::Full, &history, &new);
    let dirs: Vec<Direction> = checks.iter().map(|c| c.1).collect();
    assert_eq!(dirs, [Direction::Forward, Direction::Backward]);
    assert!(checks.iter().all(|c| c.2.compatible));
}

#[test]
fn backward_transitive_checks_every_version_newest_first() {
    let history = [rec(r#"{"name":"a","type":"string"}"#), rec("")];
    let new = rec(r#"{"name":"a","type":"int","default":0}"#);
    assert!(verdict(Mode::Backward, &history, &new).allowed);
    let v = verdict(Mode::BackwardTransitive, &history, &new);
    assert!(!v.allowed);
    let order: Vec<(usize, bool)> = v.checks.iter().map(|c| (c.0, c.2.compatible)).collect();
    assert_eq!(order, [(1, true), (0, false)]);
    assert_eq!(v.checks[1].2.incompatibilities[0].message, "reader type: INT not compatible with writer type: STRING");
}

#[test]
fn forward_transitive_checks_every_version() {
    let history = [rec(r#"{"name":"x","type":"int"}"#), rec(r#"{"name":"x","type":"int","default":1}"#)];
    let new = rec("");
    assert!(verdict(Mode::Forward, &history, &new).allowed);
    assert!(!verdict(Mode::ForwardTransitive, &history, &new).allowed);
    assert!(!verdict(Mode::FullTransitive, &history, &new).allowed);
    assert_eq!(check_against(Mode::FullTransitive, &history, &new).len(), 4);
}

#[test]
fn none_and_empty_history_allow_anything() {
    let history = [s(r#""int""#)];
    let new = s(r#""string""#);
    let v = verdict(Mode::None, &history, &new);
    assert!(v.allowed && v.checks.is_empty());
    for mode in Mode::ALL {
        let v = verdict(mode, &[], &new);
        assert!(v.allowed && v.checks.is_empty(), "{mode}");
    }
}

#[test]
fn subject_registers_versions_and_refuses_incompatible_ones() {
    let mut subject = Subject::new("orders-value", Mode::Backward);
    assert_eq!(subject.register(rec(r#"{"name":"id","type":"string"}"#)), Ok(1));
    let v2 = rec(r#"{"name":"id","type":"string"},{"name":"qty","type":"int","default":1}"#);
    assert_eq!(subject.register(v2.clone()), Ok(2));
    let refusal =
        subject.register(rec(r#"{"name":"id","type":"string"},{"name":"note","type":"string"}"#)).unwrap_err();
    assert_eq!(refusal.failures.len(), 1);
    assert_eq!(refusal.failures[0].0, 1);
    let text = refusal.to_string();
    assert!(
        text.starts_with(
            "Schema being registered is incompatible with an earlier schema for subject \"orders-value\" (BACKWARD)"
        ),
        "{text}"
    );
    assert!(text.contains("version 2 BACKWARD: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: note"), "{text}");
    assert_eq!(subject.versions.len(), 2);
    assert_eq!(subject.latest(), Some(&v2));
}

#[test]
fn registering_an_identical_schema_returns_its_version() {
    let mut subject = Subject::new("s", Mode::FullTransitive);
    let v1 = r#"{"type":"record","name":"E","fields":[{"name":"a","type":"int"}]}"#;
    assert_eq!(subject.register(s(v1)), Ok(1));
    assert_eq!(
        subject.register(s(r#"{"type":"record","name":"E","fields":[{"name":"a","type":"int","default":0}]}"#)),
        Ok(2)
    );
    // Same parsed form (spacing, key order, primitive spelling): version 1,
    // even though it is not the latest.
    let same = r#"{ "fields": [ {"type": {"type": "int"}, "name": "a"} ], "name": "E", "type": "record" }"#;
    assert_eq!(subject.register(s(same)), Ok(1));
    assert_eq!(subject.versions.len(), 2);
    // A different doc is a different schema (Confluent compares the text).
    let documented = r#"{"type":"record","name":"E","doc":"v3","fields":[{"name":"a","type":"int","default":0}]}"#;
    assert_eq!(subject.register(s(documented)), Ok(3));
}

#[test]
fn an_identical_schema_is_found_even_when_it_would_now_be_refused() {
    let mut subject = Subject::new("s", Mode::None);
    assert_eq!(subject.register(s(r#""int""#)), Ok(1));
    assert_eq!(subject.register(s(r#""string""#)), Ok(2));
    subject.mode = Mode::Backward;
    assert_eq!(subject.register(s(r#""int""#)), Ok(1));
    assert!(subject.register(s(r#""boolean""#)).is_err());
}
