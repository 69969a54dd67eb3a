//! Property tests: the guarantees of the model, checked over random scenarios, seeds and live
//! commands rather than hand-picked examples. A failing case prints the scenario JSON (with its
//! seed) and the commands that reproduce it; proptest also stores it under proptest-regressions/.
//!
//! Each run has a phase with faults on, then (for the liveness properties) a healing phase with
//! production, crashes and failures off, after which everything in flight must have settled.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::JournalKind;
use eda_lab::sim::journey::JourneyPolicy;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, JourneyView, LossReason, MessageId, Outcome, SimTime, Simulation};
use proptest::prelude::*;

#[path = "props/scenarios.rs"]
mod scenarios;
use scenarios::*;
#[path = "props/runs.rs"]
mod runs;
use runs::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// produced = in flight + exactly once + duplicated + dead-lettered + lost after every event,
    /// and the counters agree with a recount of every message. Also: no valid scenario panics.
    #[test]
    fn ledger_balances_after_every_event(s in scenario(), commands in schedule(20_000), until_ms in 1_000u64..25_000) {
        let result = run_audited(&s, &commands, until_ms);
        prop_assert!(result.is_ok(), "{}\n{}", result.as_ref().unwrap_err(), describe(&s, &commands));
        // A partition change grows every per-partition list with the topic.
        let sim = result.unwrap();
        let n = sim.scenario().topic.partitions as usize;
        prop_assert!(n >= s.topic.partitions as usize);
        let g = sim.group();
        prop_assert_eq!((sim.partitions().len(), g.owner.len(), g.committed.len(), g.position.len()), (n, n, n, n));
    }

    /// A journey never contradicts the ledger: every kept journey shows as many effects and
    /// deliveries as the message's record, begins with its production and, once the message
    /// settled, ends with how it settled. Recording journeys changes nothing in the run.
    #[test]
    fn journeys_agree_with_the_ledger(s in scenario(), commands in schedule(10_000)) {
        let plain = run_audited(&s, &commands, 12_000).unwrap();
        let mut sim = Simulation::new(&s).unwrap();
        sim.record_journeys(JourneyPolicy::All);
        sim.run_commands(plain.commands(), SimTime::from_ms(12_000)).unwrap();
        prop_assert_eq!(sim.trace_hash(), plain.trace_hash());
        for msg in (0..sim.ledger().produced() as u32).map(MessageId) {
            let (Some(m), JourneyView::Kept(j)) = (sim.ledger().get(msg), sim.journey(msg)) else { continue };
            if j.dropped > 0 { continue; }
            let count = |f: fn(&JournalKind) -> bool| j.steps.iter().filter(|e| f(&e.kind)).count() as u32;
            prop_assert_eq!(count(|k| matches!(k, JournalKind::EffectApplied { .. })), m.effects, "{} {:?}", msg, j);
            prop_assert_eq!(count(|k| matches!(k, JournalKind::Received { .. } | JournalKind::Delivered { .. })), m.deliveries, "{} {:?}", msg, j);
            prop_assert!(matches!(j.steps[0].kind, JournalKind::Produced { .. }), "{} {:?}", msg, j);
            let last = &j.steps.last().unwrap().kind;
            if m.outcome != Outcome::InFlight && m.outcome != Outcome::Duplicated {
                let settled = matches!(last, JournalKind::Settled { outcome, .. } if *outcome == m.outcome) || matches!(last, JournalKind::Lost { .. });
                prop_assert!(settled, "{} ended {:?} but the journey ends {:?}", msg, m.outcome, last);
            }
        }
    }

    /// The same (scenario, seed, commands) gives the same trace hash, and replaying the recorded
    /// command log reproduces it.
    #[test]
    fn same_inputs_same_trace_hash(s in scenario(), commands in schedule(10_000)) {
        let a = run_audited(&s, &commands, 12_000).unwrap();
        let b = run_audited(&s, &commands, 12_000).unwrap();
        prop_assert_eq!(a.trace_hash(), b.trace_hash(), "{}", describe(&s, &commands));
        let replayed = Simulation::replay(&s, a.commands(), a.now()).unwrap();
        prop_assert_eq!(replayed.trace_hash(), a.trace_hash(), "replay differs\n{}", describe(&s, &commands));
        prop_assert_eq!(replayed.ledger().counts(), a.ledger().counts());
    }

    /// Two scenarios that differ in any setting never share a trace hash, from the start: the
    /// hash covers the scenario as well as every event (two runs whose outcomes differ after the
    /// same events once did share one).
    #[test]
    fn a_different_setting_gives_a_different_trace_hash(s in scenario(), change in live_setting(), steps in 0u64..200) {
        let Command::Set { setting, value } = change else { unreachable!("live_setting makes Set commands") };
        let setting = eda_lab::sim::config::settings::find(&setting).unwrap();
        let Ok(changed) = s.with_setting(setting, &value) else { return Ok(()) };
        prop_assume!(changed != s);
        let mut a = Simulation::new(&s).unwrap();
        let mut b = Simulation::new(&changed).unwrap();
        for _ in 0..steps {
            a.step();
            b.step();
        }
        prop_assert_ne!(a.trace_hash(), b.trace_hash(), "{} = {}", setting.path, value);
    }

    /// At-most-once: commit before processing, and a producer that cannot append twice (acks=0, no
    /// retries, or idempotent). Whatever crashes, nothing is ever applied twice.
    #[test]
    fn at_most_once_never_duplicates(mut s in scenario(), commands in schedule(20_000), no_dup_producer in 0u8..3) {
        s.consumers.commit = CommitStrategy::BeforeProcessing;
        match no_dup_producer {
            0 => (s.producer.acks, s.producer.idempotent) = (Acks::Zero, Some(false)),
            1 => (s.producer.retries, s.producer.idempotent) = (0, Some(false)),
            _ => make_idempotent(&mut s.producer),
        }
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c,
            Command::SetCommitStrategy { .. } | Command::SetProducerIdempotent { .. })
            && !sets(c, &["consumers.commit", "producer.idempotent", "producer.acks", "producer.retries"])).collect();
        let sim = run_audited(&s, &commands, 20_000);
        prop_assert!(sim.is_ok(), "{}\n{}", sim.as_ref().unwrap_err(), describe(&s, &commands));
        let sim = sim.unwrap();
        prop_assert_eq!(sim.ledger().counts().duplicated, 0, "{}", describe(&s, &commands));
    }

    /// At-least-once: commit after processing, acks >= 1, a producer that keeps retrying, retention
    /// unlimited, and a consumer that starts at the earliest offset when its group has no committed
    /// one. Whatever crashes, nothing is lost, and after healing everything settles.
    #[test]
    fn at_least_once_never_loses(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !leaves_at_least_once(c)).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(sim.ledger().counts().lost, 0, "{}", describe(&s, &commands));
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        prop_assert_eq!(sim.ledger().counts().lost, 0, "{}", describe(&s, &commands));
    }

    /// At-least-once plus a guard in the effect's own transaction: a dedup store marked with the
    /// effect (and no expiry), or a unique constraint on the inserted id: neither duplicates nor
    /// losses, whatever crashes, even with a producer that appends duplicates.
    #[test]
    fn atomic_dedup_is_effectively_exactly_once(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>(),
        unique in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        let mode = if unique { IdempotencyMode::UniqueConstraint } else { IdempotencyMode::DedupAtomic };
        s.idempotency = IdempotencyConfig { mode, dedup_ttl_ms: None };
        no_dedup_mark_crash(&mut s);
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c,
            Command::SetCommitStrategy { .. } | Command::SetIdempotency { .. })
            && !leaves_at_least_once(c) && !sets(c, &["idempotency.mode", "idempotency.dedup_ttl_ms"])).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        let c = sim.ledger().counts();
        prop_assert_eq!((c.duplicated, c.lost, c.in_flight), (0, 0, 0), "{}", describe(&s, &commands));
        prop_assert_eq!(c.exactly_once + c.dead_lettered, sim.ledger().produced());
    }

    /// At-least-once plus versioning (each key's version written with the effect): never a
    /// duplicate, whatever crashes; what it loses is only what it ignored as older than its key's
    /// version, each one behind a newer event of its key that was applied first.
    #[test]
    fn versioning_never_duplicates_and_loses_only_stale_events(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        s.producer.keys.count = s.producer.keys.count.max(1);
        s.idempotency = IdempotencyConfig { mode: IdempotencyMode::Versioning, dedup_ttl_ms: None };
        no_dedup_mark_crash(&mut s);
        s.metrics.journal = 100_000;
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c,
            Command::SetCommitStrategy { .. } | Command::SetIdempotency { .. })
            && !leaves_at_least_once(c) && !sets(c, &["idempotency.mode", "producer.keys.count"])).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        let c = sim.ledger().counts();
        prop_assert_eq!((c.duplicated, c.in_flight), (0, 0), "{}", describe(&s, &commands));
        let other: Vec<_> = sim.ledger().lost_by_reason().filter(|&(r, n)| n > 0 && r != LossReason::StaleVersion).collect();
        prop_assert!(other.is_empty(), "lost to {:?}\n{}", other, describe(&s, &commands));
        // Each ignored as stale (of those the journal still holds) was behind a newer event.
        for e in sim.journal().iter() {
            if let JournalKind::VersionIgnored { msg, current, stale: true, .. } = e.kind {
                prop_assert!(current > msg, "{msg} ignored behind {current}");
            }
        }
    }

    /// At-least-once but with the clients' default, latest: a partition whose group has no
    /// committed offset (its first owner crashed before committing) starts at the log end when it
    /// moves, so messages can be lost, but only to that reset; and everything still settles.
    #[test]
    fn under_latest_at_least_once_loses_only_to_offset_resets(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        s.consumers.auto_offset_reset = AutoOffsetReset::Latest;
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !leaves_at_least_once(c)).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        let other: Vec<_> = sim.ledger().lost_by_reason().filter(|&(r, n)| n > 0 && r != LossReason::OffsetResetLatest).collect();
        prop_assert!(other.is_empty(), "lost to {:?}\n{}", other, describe(&s, &commands));
        prop_assert_eq!(sim.stats().log.reset_skipped >= sim.ledger().counts().lost, true);
    }

    /// At-least-once with auto.offset.reset=none: a consumer with nowhere to start stops with the
    /// error instead of skipping anything, so nothing is lost (records wait, in flight).
    #[test]
    fn under_none_at_least_once_never_loses(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        s.consumers.auto_offset_reset = AutoOffsetReset::None;
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !leaves_at_least_once(c)).collect();
        let sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(sim.ledger().counts().lost, 0, "{}", describe(&s, &commands));
        prop_assert_eq!(sim.stats().group.offset_resets, 0);
        // A new group has no committed offsets: every consumer given a partition stopped at once.
        prop_assert!(sim.stats().consumer.failed > 0, "{}", describe(&s, &commands));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A key's records reach its partition in the order they were produced when the producer is
    /// idempotent (the broker refuses a record out of sequence and it is resent in order) or keeps
    /// one request in flight (nothing is sent while a request is unanswered, and a retry holds back
    /// its partition): no order violation, whatever the network loses.
    #[test]
    fn order_holds_with_idempotence_or_one_request_in_flight(mut s in scenario(), idempotent in any::<bool>()) {
        s.producer.keys.count = s.producer.keys.count.max(1);
        if idempotent {
            make_idempotent(&mut s.producer);
        } else {
            s.producer.max_in_flight = 1;
        }
        let sim = run_audited(&s, &[], 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &[]))))?;
        prop_assert_eq!(sim.stats().producer.order_violations, 0, "{}", describe(&s, &[]));
    }
}

/// Check-then-act dedup leaves a window between the effect and the mark: a crash there duplicates.
/// This fixed seed shows it (a regression case for the window, not a random search).
#[test]
fn check_then_act_dedup_can_duplicate() {
    let s = eda_lab::sim::builtins::builtin("dedup-check-then-act").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert!(sim.ledger().counts().duplicated > 0, "SIM_SEED={} shows no duplicate", s.seed);
    // The same crashes with the mark inside the effect's transaction duplicate nothing.
    let mut atomic = s.clone();
    atomic.idempotency.mode = IdempotencyMode::DedupAtomic;
    let mut sim = Simulation::new(&atomic).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert_eq!(sim.ledger().counts().duplicated, 0);
    assert!(sim.stats().consumer.dedup_skips > 0, "the store did catch redeliveries");
}

/// A duplicate that arrives after the dedup entry expired slips through, and is counted.
#[test]
fn late_duplicates_slip_past_the_ttl() {
    let mut s = eda_lab::sim::builtins::builtin("dedup-atomic").unwrap();
    // Crashes after the effect, with the redelivery arriving long after a 50 ms TTL.
    s.idempotency.dedup_ttl_ms = Some(50);
    s.consumers.session_timeout_ms = 6_000;
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert!(sim.ledger().counts().duplicated > 0, "expired entries should let redeliveries through");
    let mut forever = s.clone();
    forever.idempotency.dedup_ttl_ms = None;
    let mut sim = Simulation::new(&forever).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert_eq!(sim.ledger().counts().duplicated, 0);
}

/// Natural idempotency absorbs redeliveries: effects are applied once, the rest counted as absorbed.
#[test]
fn natural_idempotency_absorbs_redeliveries() {
    let s = eda_lab::sim::builtins::builtin("natural-idempotency").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert_eq!(sim.ledger().counts().duplicated, 0);
    assert!(sim.stats().consumer.effects_absorbed > 0);
}

/// Without a dedup store there is no mark to crash after: crash after the effect instead.
fn no_dedup_mark_crash(s: &mut Scenario) {
    if !s.idempotency.mode.has_dedup_store() && s.consumers.crash.point == CrashPoint::AfterDedupMark {
        s.consumers.crash.point = CrashPoint::AfterEffect;
    }
}
