//! `eda-lab lessons` and `eda-lab lesson check` as a user runs them: the list, the checklist, and
//! the exit codes (0 the goal holds, 1 it does not, 2 the attempt cannot be judged, the field or
//! command named).

#[path = "common/cli.rs"]
mod cli;

use cli::eda_lab;

fn file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("eda-lab-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn lessons_lists_every_lesson() {
    let (code, out, _) = eda_lab(&["lessons"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("id "), "{out}");
    let line = out.lines().find(|l| l.starts_with("duplicate-charge ")).expect("listed");
    assert!(line.contains("delivery-guarantees") && line.contains("break"), "{line}");
    assert_eq!(out.lines().count() - 1, eda_lab::sim::lessons::catalogue::FILES.len());
}

#[test]
fn check_prints_the_checklist_and_exits_by_the_goal() {
    let (code, out, _) = eda_lab(&["lesson", "check", "duplicate-charge", "--start"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ goal  A card was charged twice: /outcomes/duplicated = 0 (wanted ≥ 1)"), "{out}");
    assert!(out.contains("goal not met: 0 commands (par 1)"), "{out}");
    let (code, out, _) = eda_lab(&["lesson", "check", "duplicate-charge", "--solution"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("goal met: 1 commands (par 1)"), "{out}");
    let (code, out, _) = eda_lab(&["lesson", "check", "duplicate-charge", "--counterexample", "0", "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(v["checks"][0]["metric"], "/outcomes/duplicated");
}

#[test]
fn the_learners_commands_are_replayed_in_either_format() {
    let list = file(
        "list.json",
        r#"[{"at_ms": 2000, "command": {"type": "crash_consumer", "consumer": 0, "at": "after_effect"}}]"#,
    );
    let (code, out, _) = eda_lab(&["lesson", "check", "duplicate-charge", "--commands", &list]);
    assert_eq!(code, 0, "{out}");
    let log = file(
        "log.json",
        r#"{"v": 1, "commands": [{"at_us": 2000000, "after_events": 0, "command": {"type": "crash_consumer", "consumer": 0, "at": "after_effect"}}]}"#,
    );
    let (code, out2, _) = eda_lab(&["lesson", "check", "duplicate-charge", "--commands", &log]);
    assert_eq!((code, out2), (0, out), "a command log at the same time is the same attempt");
}

#[test]
fn what_cannot_be_judged_exits_2_and_names_why() {
    let (code, _, err) = eda_lab(&["lesson", "check", "no-such-lesson", "--start"]);
    assert_eq!(code, 2);
    assert!(err.contains("no lesson `no-such-lesson`"), "{err}");
    let locked = file(
        "locked.json",
        r#"[{"at_ms": 0, "command": {"type": "set", "setting": "idempotency.mode", "value": "dedup_atomic"}}]"#,
    );
    let (code, _, err) = eda_lab(&["lesson", "check", "duplicate-charge", "--commands", &locked]);
    assert_eq!(code, 2);
    assert!(err.contains("commands[0]: the setting `idempotency.mode` is locked in this lesson"), "{err}");
    let bad = file("bad.json", r#"[{"at_ms": 0, "command": {"type": "crash_consumer", "consumr": 0}}]"#);
    let (code, _, err) = eda_lab(&["lesson", "check", "duplicate-charge", "--commands", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("not a command log"), "{err}");
    let (code, _, err) = eda_lab(&["lesson", "check", "duplicate-charge", "--counterexample", "9"]);
    assert_eq!(code, 2);
    assert!(err.contains("--counterexample: the lesson has 2 counterexamples"), "{err}");
    let draft = file("draft.json", r#"{"id": "x", "track": "nowhere"}"#);
    let (code, _, err) = eda_lab(&["lesson", "check", "x", "--file", &draft, "--start"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown variant `nowhere`"), "{err}");
}
