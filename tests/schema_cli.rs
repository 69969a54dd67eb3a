//! `eda-lab schema` as a user runs it: `compatible` exits 0, 1 or 2 and prints the verdict and
//! the reasons; `check --mode` applies a Schema Registry subject's mode to a history.

#[path = "common/cli.rs"]
mod cli;

use cli::eda_lab;

const V1: &str = r#"{"type":"record","name":"Deposited","namespace":"bank","fields":[
    {"name":"account_id","type":"string"},{"name":"amount","type":"int"}]}"#;
/// Adds a field without a default and widens int to long.
const V2: &str = r#"{"type":"record","name":"Deposited","namespace":"bank","fields":[
    {"name":"account_id","type":"string"},{"name":"amount","type":"long"},{"name":"currency","type":"string"}]}"#;
/// The same with a default for the new field.
const V3: &str = r#"{"type":"record","name":"Deposited","namespace":"bank","fields":[
    {"name":"account_id","type":"string"},{"name":"amount","type":"long"},
    {"name":"currency","type":"string","default":"EUR"}]}"#;

fn files(schemas: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eda-lab-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in schemas {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

#[test]
fn compatible_prints_the_verdict_and_exits_by_it() {
    let d = files(&[("v1.avsc", V1), ("v2.avsc", V2), ("v3.avsc", V3), ("bad.avsc", r#"{"type":"recrd"}"#)]);
    let p = |n: &str| d.join(n).to_string_lossy().into_owned();
    let (code, out, _) = eda_lab(&["schema", "compatible", "--reader", &p("v2.avsc"), "--writer", &p("v1.avsc")]);
    assert_eq!(code, 1);
    assert_eq!(out, "incompatible\n  READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: currency\n");
    let (code, out, _) = eda_lab(&["schema", "compatible", "--reader", &p("v3.avsc"), "--writer", &p("v1.avsc")]);
    assert_eq!((code, out.as_str()), (0, "compatible\n"), "int promotes to long; the new field has a default");
    let (code, out, _) = eda_lab(&["schema", "compatible", "--reader", &p("v1.avsc"), "--writer", &p("v3.avsc")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("TYPE_MISMATCH at /fields/1/type: reader type: INT not compatible with writer type: LONG"),
        "{out}"
    );
    let (code, _, err) = eda_lab(&["schema", "compatible", "--reader", &p("bad.avsc"), "--writer", &p("v1.avsc")]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.avsc: unknown type \"recrd\""), "{err}");
}

#[test]
fn check_applies_the_subjects_mode() {
    let d = files(&[("v1.avsc", V1), ("v2.avsc", V2), ("v3.avsc", V3)]);
    let p = |n: &str| d.join(n).to_string_lossy().into_owned();
    let run = |mode: &str, names: &[&str]| {
        let mut args = vec!["schema".to_string(), "check".into(), "--mode".into(), mode.into()];
        args.extend(names.iter().map(|n| p(n)));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        eda_lab(&args)
    };
    assert_eq!(run("BACKWARD", &["v1.avsc", "v3.avsc"]).0, 0);
    let (code, out, _) = run("BACKWARD", &["v1.avsc", "v2.avsc"]);
    assert_eq!(code, 1);
    assert!(out.contains("BACKWARD against version 1"), "{out}");
    assert_eq!(run("NONE", &["v1.avsc", "v2.avsc"]).0, 0);
    // FORWARD: the old reader cannot read a long.
    assert_eq!(run("forward", &["v1.avsc", "v3.avsc"]).0, 1);
    // Only the latest counts without _TRANSITIVE: v2 → v3 is backward compatible, v1 → v3 too,
    // and FULL fails on v1 (int cannot read long) but not on v2 alone.
    assert_eq!(run("FULL", &["v1.avsc", "v2.avsc", "v3.avsc"]).0, 0);
    assert_eq!(run("FULL_TRANSITIVE", &["v1.avsc", "v2.avsc", "v3.avsc"]).0, 1);
    let (code, _, err) = run("SIDEWAYS", &["v1.avsc"]);
    assert_eq!(code, 2);
    assert!(err.contains("--mode: unknown compatibility mode"), "{err}");
}
