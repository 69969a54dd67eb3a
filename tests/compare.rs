//! Comparisons (`sim::compare`): lanes of one base scenario on the same seed and the same
//! scheduled crashes, side by side. Each guarantee breaks where the guide says it does, and only
//! there; and `eda-lab compare` prints the table.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::compare::{preset, variants, Comparison, Lane, LaneOutcome};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{LossReason, SimTime};

#[path = "common/cli.rs"]
mod cli_common;
use cli_common::eda_lab;

fn outcomes(preset_name: &str, base: &str, secs: u64) -> Vec<LaneOutcome> {
    let lanes = preset(preset_name, &builtin(base).unwrap()).unwrap();
    let mut c = Comparison::new(&lanes).unwrap();
    assert!(c.run_until(SimTime::from_secs(secs), u64::MAX).is_empty());
    for (_, sim) in c.lanes() {
        sim.audit().unwrap();
    }
    c.outcomes()
}

fn reasons(o: &LaneOutcome) -> Vec<LossReason> {
    o.lost_by_reason.iter().map(|&(r, _)| r).collect()
}

/// On the same crashes, at-most-once loses (a crash after its commit, before the effect) and
/// never duplicates, at-least-once duplicates (a crash after the effect, before the commit) and
/// never loses, and an atomic dedup store does neither.
#[test]
fn the_three_guarantees_break_where_the_guide_says() {
    for base in ["work-queue", "at-least-once"] {
        let o = outcomes("three-guarantees", base, 90);
        let labels: Vec<&str> = o.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels[..3], ["at-most-once", "at-least-once", "at-least-once + atomic dedup"]);
        // Kafka's own exactly-once joins on the log: nothing duplicated, nothing lost.
        if base == "at-least-once" {
            assert_eq!(labels[3..], ["exactly-once (transactions)"]);
            assert_eq!((o[3].counts.duplicated, o[3].counts.lost), (0, 0), "{:?}", o[3].counts);
        } else {
            assert_eq!(labels.len(), 3, "a queue has no transactions");
        }
        assert!(o.iter().all(|l| l.produced == o[0].produced), "the same arrivals in every lane");
        let (most, least, dedup) = (&o[0].counts, &o[1].counts, &o[2].counts);
        assert!(most.lost > 0 && most.duplicated == 0, "{base}: {most:?}");
        assert!(
            reasons(&o[0])
                .iter()
                .all(|r| matches!(r, LossReason::AckedBeforeProcessing | LossReason::CommittedBeforeProcessing)),
            "{base}: {:?}",
            o[0].lost_by_reason
        );
        assert!(least.duplicated > 0 && least.lost == 0, "{base}: {least:?}");
        assert_eq!((dedup.duplicated, dedup.lost), (0, 0), "{base}: {dedup:?}");
    }
}

/// Check-then-act leaves a window between the effect and the mark; the guards in the effect's own
/// transaction do not, and versioning loses only what it ignored as stale.
#[test]
fn the_idempotency_strategies_differ_only_where_their_windows_do() {
    let o = outcomes("idempotency-strategies", "work-queue", 90);
    let labels: Vec<&str> = o.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["dedup, check then act", "dedup, atomic", "unique constraint", "versioning"]);
    assert!(o[0].counts.duplicated > 0, "{:?}", o[0].counts);
    for l in &o[1..] {
        assert_eq!(l.counts.duplicated, 0, "{}: {:?}", l.label, l.counts);
    }
    assert!(o[..3].iter().all(|l| l.counts.lost == 0));
    assert!(reasons(&o[3]).iter().all(|&r| r == LossReason::StaleVersion), "{:?}", o[3].lost_by_reason);
}

#[test]
fn a_bad_lane_names_itself_and_its_field() {
    let base = builtin("work-queue").unwrap();
    let one = [Lane { label: "only".into(), scenario: base.clone() }];
    let e = Comparison::new(&one).err().expect("one lane is no comparison");
    assert!(matches!(&e.error, ScenarioError::Invalid { field, .. } if field == "lanes"), "{e:?}");
    let mut bad = base.clone();
    bad.consumers.count = 0;
    let lanes = [Lane { label: "a".into(), scenario: base }, Lane { label: "b".into(), scenario: bad }];
    let e = Comparison::new(&lanes).err().expect("lane 1 is invalid");
    assert_eq!(e.lane, 1);
    assert!(matches!(&e.error, ScenarioError::Invalid { field, .. } if field == "consumers.count"), "{e:?}");
}

#[test]
fn the_command_line_prints_the_lanes_side_by_side() {
    let (code, out, err) = eda_lab(&["compare", "work-queue", "--preset", "three-guarantees", "--until", "60s"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].starts_with("compare         three-guarantees on work-queue (seed 1), 60.000s"), "{out}");
    assert!(rows[1].starts_with("lane") && rows[1].contains("duplicated"), "{out}");
    for (row, label) in rows[2..5].iter().zip(["at-most-once", "at-least-once", "at-least-once + atomic dedup"]) {
        assert!(row.starts_with(label), "{out}");
    }
    assert!(out.contains("lost            at-most-once: acked_before_processing"), "{out}");
    assert_eq!(out, eda_lab(&["compare", "work-queue", "--preset", "three-guarantees", "--until", "60s"]).1);
    let (code, _, err) = eda_lab(&["compare", "work-queue", "--preset", "everything"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "--preset: unknown comparison \"everything\" (one of guarantees, idempotency, three-guarantees, idempotency-strategies)"
        ),
        "{err}"
    );
    // The short names, and the default base.
    let (code, short, err) = eda_lab(&["compare", "--preset", "guarantees", "--until", "20s"]);
    assert_eq!(code, 0, "{err}");
    assert!(short.starts_with("compare         guarantees on at-least-once (seed 1), 20.000s"), "{short}");
    let (_, long, _) = eda_lab(&["compare", "at-least-once", "--preset", "three-guarantees", "--until", "20s"]);
    assert_eq!(short.lines().skip(1).collect::<Vec<_>>(), long.lines().skip(1).collect::<Vec<_>>());
}

/// Lanes named one by one, built-ins or files, share the first lane's seed (or `--seed`), and
/// `--json` prints each lane's run report under its name.
#[test]
fn the_command_line_compares_named_lanes() {
    let (code, out, err) = eda_lab(&["compare", "acks-0", "acks-1-failover", "acks-all-min-isr", "--until", "40s"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("compare         acks-0 vs acks-1-failover vs acks-all-min-isr (seed 1)"), "{out}");
    let (code, out, err) =
        eda_lab(&["compare", "acks-0", "acks-all-min-isr", "--until", "40s", "--seed", "7", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let lanes = v["lanes"].as_array().expect("lanes");
    assert_eq!(lanes.len(), 2);
    assert_eq!(lanes[0]["name"], "acks-0");
    assert_eq!(lanes[1]["name"], "acks-all-min-isr");
    for lane in lanes {
        assert_eq!(lane["seed"], 7);
        assert_eq!(lane["sim_time_us"], 40_000_000);
    }
    // The same run as `run --json` reports.
    let (_, run, _) = eda_lab(&["run", "acks-0", "--until", "40s", "--seed", "7", "--json"]);
    let run: serde_json::Value = serde_json::from_str(&run).unwrap();
    assert_eq!(lanes[0]["trace_hash"], run["trace_hash"]);
    assert_eq!(lanes[0]["outcomes"], run["outcomes"]);
    assert!(lanes[0]["lost_by_reason"]["acks0_no_leader"].as_u64().unwrap() > 0, "{}", lanes[0]);
    assert_eq!(lanes[1]["outcomes"]["lost"], 0, "{}", lanes[1]);
    let (code, _, err) = eda_lab(&["compare", "acks-0"]);
    assert_eq!(code, 1);
    assert!(err.contains("lanes: a comparison has 2 to 4 lanes (got 1)"), "{err}");
    let (code, _, err) = eda_lab(&["compare", "acks-0", "no-such-lesson"]);
    assert_eq!(code, 1);
    assert!(err.contains("`no-such-lesson` is neither a built-in scenario"), "{err}");
}

/// The compare view changes one lane while the others stay: the lane starts again from time zero
/// as its new configuration and, run up to the others, is exactly a fresh lane of it; the others
/// are untouched.
#[test]
fn a_lane_changed_alone_runs_again_while_the_others_stay() {
    let base = builtin("at-least-once").unwrap();
    let lanes = preset("guarantees", &base).unwrap();
    let mut c = Comparison::new(&lanes).unwrap();
    assert!(c.run_until(SimTime::from_secs(30), u64::MAX).is_empty());
    let before = c.outcomes();
    let all = variants(&base);
    let labels: Vec<&str> = all.iter().map(|l| l.label.as_str()).collect();
    for wanted in
        ["at-most-once", "exactly-once (transactions)", "dedup, check then act", "unique constraint", "versioning"]
    {
        assert_eq!(labels.iter().filter(|l| **l == wanted).count(), 1, "{labels:?}");
    }
    let check = all.iter().find(|l| l.label == "dedup, check then act").unwrap();
    c.replace(0, check).unwrap();
    assert_eq!(c.lanes().next().unwrap().1.now(), SimTime::ZERO);
    assert!(c.run_until(SimTime::from_secs(30), u64::MAX).is_empty());
    let after = c.outcomes();
    assert_eq!(after[1..], before[1..]);
    assert_eq!(after[0].label, "dedup, check then act");
    let mut fresh = Comparison::new(&[check.clone(), lanes[1].clone()]).unwrap();
    assert!(fresh.run_until(SimTime::from_secs(30), u64::MAX).is_empty());
    assert_eq!(after[0], fresh.outcomes()[0]);
    // An invalid configuration changes nothing.
    let mut bad = check.clone();
    bad.scenario.consumers.count = 0;
    assert!(c.replace(0, &bad).is_err());
    assert_eq!(c.outcomes(), after);
}
