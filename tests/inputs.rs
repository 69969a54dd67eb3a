//! Bad input gets a clear error naming the field: scenarios and command logs, at every depth.

use eda_lab::sim::command_log::CommandLog;
use eda_lab::sim::Scenario;
use serde_json::Value;

fn scenario_error(text: &str) -> String {
    Scenario::from_json(text).expect_err("refused").to_string()
}

#[test]
fn a_wrong_type_names_the_field_and_says_what_was_expected() {
    assert_eq!(
        scenario_error(r#"{"consumers": {"count": "3"}}"#),
        r#"consumers.count: expected an integer from 0 to 4294967295, got the string "3""#
    );
    assert_eq!(
        scenario_error(r#"{"producer": {"idempotent": 1}}"#),
        "producer.idempotent: expected true or false, got the integer 1"
    );
    assert_eq!(
        scenario_error(r#"{"seed": 1.5}"#),
        "seed: expected an integer from 0 to 18446744073709551615, got the number 1.5"
    );
    assert_eq!(scenario_error(r#"{"topic": []}"#), "topic: expected an object, got a list");
    let fault = scenario_error(r#"{"faults": [{"at_ms": 5, "command": {"type": "crash_consumer", "consumer": "0"}}]}"#);
    assert!(fault.starts_with("faults[0].command: expected an integer"), "{fault}");
    assert_eq!(scenario_error(r#"{"faults": [[5, {}]]}"#), "faults[0]: expected an object, got a list");
    assert_eq!(scenario_error(r#"{"consumers": {"crash": []}}"#), "consumers.crash: expected an object, got a list");
}

#[test]
fn only_an_object_is_a_scenario() {
    for text in [r#"["x","y",5]"#, "5", r#""name""#, "null", "true"] {
        let e = scenario_error(text);
        assert!(e.starts_with("a scenario is a JSON object"), "{text}: {e}");
    }
    assert!(scenario_error("{").starts_with("not valid JSON"));
}

/// Every object in a full scenario refuses a field it does not know, naming where it is.
#[test]
fn unknown_fields_are_refused_at_every_depth() {
    let mut scenario: Scenario = Scenario::default();
    scenario
        .faults
        .push(serde_json::from_str(r#"{"at_ms": 5, "command": {"type": "crash_consumer", "consumer": 0}}"#).unwrap());
    let full: Value = serde_json::from_str(&scenario.to_json()).unwrap();
    let mut paths = Vec::new();
    objects(&full, String::new(), &mut paths);
    assert!(paths.len() > 8, "the walk found the nested objects: {paths:?}");
    for path in paths {
        let mut v = full.clone();
        let target = if path.is_empty() { &mut v } else { v.pointer_mut(&path).unwrap() };
        target.as_object_mut().unwrap().insert("surprise".into(), Value::from(1));
        let e = Scenario::from_json(&v.to_string()).map(|_| "accepted".to_string()).unwrap_or_else(|e| e.to_string());
        assert!(e.contains("unknown field `surprise`"), "{path}: {e}");
    }
}

fn objects(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            out.push(at.clone());
            for (k, child) in o {
                objects(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                objects(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_command_log_names_the_command_that_is_wrong() {
    let e = CommandLog::parse(
        r#"{"v":1,"commands":[{"at_us":1,"after_events":0,"command":{"type":"crash_consumer","consumer":-1}}]}"#,
    )
    .expect_err("refused")
    .to_string();
    // Commands are tagged by "type": serde reports the command, not the field inside it.
    assert!(e.contains("commands[0].command: expected an integer from 0 to 4294967295, got the integer -1"), "{e}");
    let e = CommandLog::parse(r#"[{"at_us":1,"after_events":0,"command":{"type":"add_consumer","surprise":1}}]"#)
        .expect_err("refused")
        .to_string();
    assert!(e.contains("[0].command.surprise: unknown field `surprise`"), "{e}");
    let e = CommandLog::parse("5").expect_err("refused").to_string();
    assert!(e.contains("expected an object"), "{e}");
}

#[test]
fn a_file_that_is_not_utf8_says_so() {
    let e = eda_lab::sim::config::json_input::utf8(vec![b'{', 0xff, b'}']).expect_err("refused");
    assert!(e.contains("not UTF-8") && e.contains("byte 1"), "{e}");
}
