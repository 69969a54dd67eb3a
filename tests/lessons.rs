//! Every lesson replayed: its untouched start fails the goal, its reference solution passes
//! within par with the golden trace hash, every counterexample fails; every control and metric
//! it names exists. The catalogue covers every track and mode; a locked control, commands out of
//! order and a metric the report lacks are named errors, never a panic.

use eda_lab::sim::command::Command;
use eda_lab::sim::config::scenario::ScheduledCommand;
use eda_lab::sim::config::settings;
use eda_lab::sim::lessons::catalogue::{self, FILES};
use eda_lab::sim::lessons::check::{attempt, start, AttemptError};
use eda_lab::sim::lessons::lesson::{Check, Lesson, Mode, Op, Track, When};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeSet;

fn lessons() -> Vec<Lesson> {
    catalogue::all().unwrap()
}

#[test]
fn every_file_in_lessons_is_in_the_catalogue_under_its_id() {
    let on_disk: BTreeSet<String> = std::fs::read_dir("lessons")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    let listed: BTreeSet<String> = FILES.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(on_disk, listed, "lessons/ and catalogue.rs's FILES differ");
    for (id, l) in FILES.iter().zip(lessons()).map(|((id, _), l)| (id, l)) {
        assert_eq!(*id, l.id, "lessons/{id}.json has id {}", l.id);
    }
}

#[test]
fn the_catalogue_covers_every_track_and_mode() {
    let all = lessons();
    assert!(all.len() >= 15, "{} lessons", all.len());
    for track in Track::ALL {
        assert!(all.iter().any(|l| l.track == track), "no lesson in track {}", track.id());
    }
    for mode in [Mode::Fix, Mode::Break, Mode::Observe, Mode::Detective] {
        assert!(all.iter().any(|l| l.mode == mode), "no {} lesson", mode.as_str());
    }
    let ids: BTreeSet<&str> = all.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "ids are unique");
}

/// What a lesson names exists: its scenario and overrides, the settings it unlocks, the actions
/// it offers, the metrics of its checks (in the start's report), and it has words to show.
#[test]
fn every_control_and_metric_a_lesson_names_exists() {
    let actions: BTreeSet<&str> = [
        "crash_consumer",
        "slow_consumer",
        "restart_consumer",
        "add_consumer",
        "remove_consumer",
        "add_partitions",
        "redrive",
        "rebuild_projection",
        "deploy_schema",
        "restart_broker",
        "crash_broker",
        "start_broker",
    ]
    .into();
    for l in lessons() {
        start(&l).unwrap_or_else(|e| panic!("{}: {e}", l.id));
        for path in &l.allowed {
            assert!(settings::find(path).is_some(), "{}: allowed `{path}` is not a setting", l.id);
        }
        for a in &l.actions {
            assert!(actions.contains(a.as_str()), "{}: `{a}` is not an action", l.id);
        }
        assert!(!l.intro.is_empty() && !l.hints.is_empty() && !l.success.is_empty() && !l.goal.is_empty(), "{}", l.id);
        assert!(l.until_ms > 0 && l.until_ms <= 120_000, "{}: until_ms {}", l.id, l.until_ms);
    }
}

#[test]
fn every_start_fails_every_solution_passes_within_par_every_counterexample_fails() {
    for l in lessons() {
        let begin = attempt(&l, &[]).unwrap_or_else(|e| panic!("{} start: {e}", l.id));
        assert!(!begin.passed, "{}: the untouched start passes: {:?}", l.id, begin.checks);
        let solved = attempt(&l, &l.solution).unwrap_or_else(|e| panic!("{} solution: {e}", l.id));
        assert!(solved.passed, "{}: the solution fails: {:?}", l.id, solved.checks);
        assert!(l.solution.len() <= l.par, "{}: the solution takes {} commands, par {}", l.id, l.solution.len(), l.par);
        assert_eq!(solved.trace_hash, l.golden_hash, "{}: golden hash", l.id);
        for c in &l.counterexamples {
            let o = attempt(&l, &c.commands).unwrap_or_else(|e| panic!("{} counterexample `{}`: {e}", l.id, c.name));
            assert!(!o.passed, "{}: counterexample `{}` passes", l.id, c.name);
        }
    }
}

fn lesson() -> Lesson {
    catalogue::find("duplicate-charge").unwrap()
}

fn at(at_ms: u64, command: Command) -> ScheduledCommand {
    ScheduledCommand { at_ms, command }
}

#[test]
fn locked_controls_are_refused_by_name() {
    let set = Command::Set { setting: "idempotency.mode".into(), value: json!("dedup_atomic") };
    let e = attempt(&lesson(), &[at(0, set)]).unwrap_err();
    assert_eq!(e, AttemptError::Locked { index: 0, what: "the setting `idempotency.mode`".into() });
    assert!(e.to_string().starts_with("commands[0]: the setting `idempotency.mode` is locked"), "{e}");
    let e = attempt(&lesson(), &[at(10, Command::AddConsumer)]).unwrap_err();
    assert_eq!(e, AttemptError::Locked { index: 0, what: "the action `add_consumer`".into() });
}

#[test]
fn commands_out_of_order_and_missing_metrics_are_named() {
    let crash = |ms| at(ms, Command::CrashConsumer { consumer: eda_lab::sim::ConsumerId(0), at: None });
    let e = attempt(&lesson(), &[crash(2_000), crash(1_000)]).unwrap_err();
    assert_eq!(e, AttemptError::OutOfOrder { index: 1 });
    let mut l = lesson();
    l.goal.push(Check { name: "nowhere".into(), metric: "/no/such".into(), op: Op::Eq, value: 0.0, when: When::End });
    let e = attempt(&l, &[]).unwrap_err();
    assert!(matches!(e, AttemptError::Metric { .. }), "{e}");
    let mut l = lesson();
    l.scenario = "no-such-scenario".into();
    assert!(attempt(&l, &[]).unwrap_err().to_string().contains("scenario: no built-in scenario"));
}

/// An `always` check fails at the first second it does not hold, and stays failed.
#[test]
fn an_always_check_names_when_it_first_failed() {
    let mut l = lesson();
    l.guards.push(Check {
        name: "No duplicate, ever".into(),
        metric: "/outcomes/duplicated".into(),
        op: Op::Eq,
        value: 0.0,
        when: When::Always,
    });
    let o = attempt(&l, &l.solution.clone()).unwrap();
    let g = o.checks.iter().find(|c| c.name == "No duplicate, ever").unwrap();
    assert!(!g.holds && !o.passed);
    let t = g.failed_at_ms.unwrap();
    assert!(t > l.solution[0].at_ms && t <= l.until_ms, "{t}");
}

#[test]
fn the_same_attempt_gives_the_same_outcome() {
    let l = lesson();
    assert_eq!(attempt(&l, &l.solution).unwrap(), attempt(&l, &l.solution).unwrap());
}

proptest! {
    /// Arbitrary text is a lesson or a named error, never a panic; so is an arbitrary command
    /// list (locked, refused, or judged).
    #[test]
    fn arbitrary_input_never_panics(text in ".{0,200}", ms in prop::collection::vec(0u64..30_000, 0..4)) {
        let _ = serde_json::from_str::<Lesson>(&text);
        let commands: Vec<ScheduledCommand> = ms
            .into_iter()
            .map(|t| at(t, Command::CrashConsumer { consumer: eda_lab::sim::ConsumerId((t % 5) as u32), at: None }))
            .collect();
        let _ = attempt(&lesson(), &commands);
    }
}
