//! CQRS on the engine: the event-sourced bank's write side appends an event per accepted
//! command and publishes it; each subscriber of the log is a projection. Projections meet the
//! consumers' crashes and redeliveries like any effect, so the ledger and the views agree: a view
//! is wrong exactly when the ledger saw its subscriber apply an event twice. Once the writes stop,
//! idempotent projections converge on the store's replay, whatever crashed.

#[path = "common/audited.rs"]
mod audited;

use audited::run_audited;
use eda_lab::sim::builtins::builtin;
use eda_lab::sim::config::scenario::{CommitStrategy, CrashPoint, IdempotencyMode, Scenario};
use eda_lab::sim::patterns::sourcing::event::AccountEvent;
use eda_lab::sim::{Command, CommandError, ConsumerId, SimTime, Simulation};
use proptest::prelude::*;
use serde_json::json;

fn bank() -> Scenario {
    builtin("event-sourced-bank").expect("built in")
}

fn set(sim: &mut Simulation, setting: &str, value: serde_json::Value) {
    sim.handle(Command::Set { setting: setting.into(), value }).unwrap();
}

/// Runs `s` with writes until `write_ms`, then stops the producer and runs until everything
/// settled (or `settle_ms` more), auditing the ledger every 250 ms.
fn run(s: &Scenario, write_ms: u64, settle_ms: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    run_audited(&mut sim, write_ms);
    set(&mut sim, "producer.rate_per_sec", json!(0.0));
    let end = write_ms + settle_ms;
    while sim.ledger().counts().in_flight > 0 && sim.now().as_ms() < end {
        let t = sim.now().as_ms() + 1_000;
        run_audited(&mut sim, t.min(end));
    }
    sim
}

/// Every view matches the store at the version it reached, and has reached every account's
/// current version.
fn converged(sim: &Simulation) -> Result<(), String> {
    let es = sim.sourcing();
    let truth = es.store().replay_all();
    for (k, model) in es.views().iter().enumerate() {
        for (id, account) in &truth {
            if model.view.version(*id) != account.version || model.view.balance(*id) != account.balance_cents {
                return Err(format!("view {k} account {id}: {:?} vs {:?}", model.view.accounts.get(id), account));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Under random consumer crashes (after the effect, before the commit, and elsewhere), with
    /// an idempotent consumer the projections converge on the replay once the writes stop; with
    /// none, a view applies an event twice exactly when the ledger counts a duplicate, and only
    /// that makes a view wrong.
    #[test]
    fn projections_converge_once_writes_stop(
        seed in 1u64..1_000_000,
        crash_p in 0.0f64..0.08,
        point in prop::sample::select(vec![CrashPoint::AfterEffect, CrashPoint::AfterReceive, CrashPoint::AfterCommit]),
        idempotent in any::<bool>(),
        snapshot_every in 0u32..12,
    ) {
        let mut s = bank();
        s.seed = seed;
        s.sourcing.snapshot_every = snapshot_every;
        s.consumers.crash.probability = crash_p;
        s.consumers.crash.point = point;
        s.consumers.crash.restart_delay_ms = Some(300);
        s.idempotency.mode = if idempotent { IdempotencyMode::DedupAtomic } else { IdempotencyMode::None };
        let sim = run(&s, 8_000, 300_000);
        prop_assert_eq!(sim.ledger().counts().in_flight, 0, "settled");
        let es = sim.sourcing();
        prop_assert!(es.store().head() > 50);
        let views = es.views();
        prop_assert_eq!(views.len(), 2);
        let mut twice_total = 0;
        for (k, model) in views.iter().enumerate() {
            let twice = model.applied_twice();
            twice_total += twice;
            let wrong = es.wrong_accounts(k);
            // Only an event applied twice makes a view wrong (one that moves no money, as
            // Opened, leaves it right).
            prop_assert!(wrong.is_empty() || twice > 0, "view {} applied {} twice, wrong {:?}", k, twice, wrong);
            prop_assert_eq!(model.staleness.count(), model.view.accounts.values().map(|a| u64::from(a.applied)).sum::<u64>());
        }
        // The views applied an event twice exactly when the ledger saw an effect applied twice.
        prop_assert_eq!(twice_total > 0, sim.ledger().counts().duplicated > 0);
        if idempotent {
            prop_assert_eq!(sim.ledger().counts().duplicated, 0);
            prop_assert!(converged(&sim).is_ok(), "{:?}", converged(&sim));
        }
    }
}

#[test]
fn the_lesson_double_applies_and_dedup_keeps_the_views_right() {
    let sim = run(&bank(), 20_000, 20_000);
    let es = sim.sourcing();
    assert!(es.stats().rejected > 0, "some commands are refused: {:?}", es.stats());
    assert!(es.store().events().iter().any(|r| r.stored.schema_version() == 1), "v1 deposits before 5 s");
    assert!(!es.wrong_accounts(0).is_empty(), "the crash after the effect applied an event twice");
    assert!(es.wrong_accounts(1).is_empty(), "the statement view never crashed");
    let mut fixed = bank();
    fixed.idempotency.mode = IdempotencyMode::DedupAtomic;
    let sim = run(&fixed, 20_000, 20_000);
    converged(&sim).unwrap();
}

#[test]
fn a_fixed_projection_bug_is_undone_by_a_rebuild() {
    let mut s = bank();
    s.faults.clear();
    s.sourcing.projection_bug = true;
    let mut sim = run(&s, 15_000, 10_000);
    assert!(!sim.sourcing().wrong_accounts(0).is_empty(), "received transfers taken as sent");
    assert!(sim.sourcing().wrong_accounts(1).is_empty(), "only the balance view has the bug");
    set(&mut sim, "sourcing.projection_bug", json!(false));
    assert!(!sim.sourcing().wrong_accounts(0).is_empty(), "fixing the code does not fix the view");
    sim.handle(Command::RebuildProjection { subscriber: 0 }).unwrap();
    assert_eq!(sim.sourcing().views()[0].rebuilds, 1);
    converged(&sim).unwrap();
    // The rebuilt view goes on consuming.
    set(&mut sim, "producer.rate_per_sec", json!(20.0));
    run_audited(&mut sim, 40_000);
    set(&mut sim, "producer.rate_per_sec", json!(0.0));
    run_audited(&mut sim, 60_000);
    converged(&sim).unwrap();
}

#[test]
fn a_rebuild_counts_each_event_once() {
    let sim = run(&bank(), 20_000, 20_000);
    assert!(sim.sourcing().views()[0].applied_twice() > 0);
    let mut sim = sim;
    sim.handle(Command::RebuildProjection { subscriber: 0 }).unwrap();
    assert_eq!(sim.sourcing().views()[0].applied_twice(), 0);
    converged(&sim).unwrap();
}

#[test]
fn same_seed_same_store_and_trace() {
    let a = run(&bank(), 10_000, 2_000);
    let b = run(&bank(), 10_000, 2_000);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.sourcing().store().events(), b.sourcing().store().events());
    let mut other = bank();
    other.seed = 2;
    assert_ne!(run(&other, 10_000, 2_000).sourcing().store().events(), a.sourcing().store().events());
}

#[test]
fn refusals_name_the_field() {
    let mut s = bank();
    s.broker = eda_lab::sim::config::scenario::BrokerKind::Queue;
    let e = Simulation::new(&s).err().unwrap().to_string();
    assert!(e.starts_with("broker: event sourcing publishes"), "{e}");
    let mut s = bank();
    s.producer.keys.count = 1;
    let e = Simulation::new(&s).err().unwrap().to_string();
    assert!(e.starts_with("producer.keys.count:"), "{e}");
    let mut sim = Simulation::new(&bank()).unwrap();
    let e = sim.handle(Command::RebuildProjection { subscriber: 5 }).unwrap_err();
    assert!(matches!(e, CommandError::Invalid { field: "subscriber", .. }), "{e}");
    let mut plain = Simulation::new(&Scenario::default()).unwrap();
    let e = plain.handle(Command::RebuildProjection { subscriber: 0 }).unwrap_err().to_string();
    assert!(e.contains("event sourcing is off"), "{e}");
    let _ = (CommitStrategy::AfterProcessing, ConsumerId(0), SimTime::ZERO);
}

/// Clients resend commands under the same id: each is handled once, so no command appends
/// twice (a transfer's second step shares its command's id, and only it).
#[test]
fn resent_commands_append_nothing() {
    use std::collections::BTreeMap;
    let mut s = bank();
    s.sourcing.resend_probability = 0.3;
    s.idempotency.mode = IdempotencyMode::DedupAtomic;
    let sim = run(&s, 20_000, 20_000);
    let es = sim.sourcing();
    assert!(es.stats().repeated > 20, "{:?}", es.stats());
    let mut by_command: BTreeMap<u64, Vec<AccountEvent>> = BTreeMap::new();
    for r in es.store().events() {
        by_command.entry(r.command).or_default().push(r.event());
    }
    for (id, events) in by_command {
        match events.as_slice() {
            [_] => {}
            [AccountEvent::TransferSent { .. }, AccountEvent::TransferReceived { .. } | AccountEvent::TransferRefunded { .. }] =>
                {}
            other => panic!("command {id} appended {other:?}"),
        }
    }
    converged(&sim).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Commands handled over time overlap on an account: with the version check, a stale append
    /// is refused and retried on a fresh read, so nothing is decided on a stale state and no
    /// account ever ends past its overdraft; without it, stale decisions go in (lost updates).
    #[test]
    fn optimistic_concurrency_lets_no_stale_decision_in(
        seed in 1u64..1_000_000,
        handle_ms in 50u64..600,
        check in any::<bool>(),
    ) {
        let mut s = bank();
        s.seed = seed;
        s.sourcing.handle_ms = handle_ms;
        s.sourcing.version_check = check;
        let mut sim = Simulation::new(&s).unwrap();
        for t in (1_000..=15_000).step_by(1_000) {
            run_audited(&mut sim, t);
            if check {
                // No withdrawal or transfer ever took an account past its overdraft (a
                // correction may: it reverses a deposit whatever was spent since).
                let store = sim.sourcing().store();
                for id in store.stream_ids() {
                    let mut a = eda_lab::sim::patterns::sourcing::account::Account::empty(id);
                    for r in store.stream(id) {
                        a.apply(&r.event());
                        let spends = matches!(r.event(), AccountEvent::Withdrawn { .. } | AccountEvent::TransferSent { .. });
                        prop_assert!(!spends || a.balance_cents >= -a.overdraft_cents, "account {} at v{}: {:?}", id, r.version, a);
                    }
                }
            }
        }
        let b = sim.sourcing().stats();
        prop_assert!(b.conflicts + b.lost_updates > 0, "handlers overlapped: {:?}", b);
        if check {
            prop_assert_eq!((b.lost_updates, b.would_refuse), (0, 0));
        } else {
            prop_assert_eq!(b.conflicts, 0);
            prop_assert!(b.lost_updates > 0);
        }
        // Every command was answered once, conflicts or not.
        prop_assert_eq!(b.commands, b.appended + b.rejected);
    }
}

/// Without a handling time nothing overlaps: the run is the one recorded before handlers took
/// time (its trace hash is in the fixture), and nothing conflicts.
#[test]
fn instant_handlers_never_conflict() {
    let sim = run(&bank(), 10_000, 0);
    let b = sim.sourcing().stats();
    assert_eq!((b.conflicts, b.lost_updates), (0, 0));
}
