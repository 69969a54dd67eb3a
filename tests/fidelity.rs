//! Bugs a new user found by trying the product, each kept as a regression test: one set of limits
//! for every input path, loss reasons that follow who committed, runs that cannot advance time,
//! the crash after the commit under auto-commit, crash points that could never strike, and faults
//! aimed at consumers the group does not have.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::config::choices::{CommitStrategy, CrashPoint, IdempotencyMode};
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::scenario::{ScheduledCommand, ServiceDistribution};
use eda_lab::sim::{
    Command, CommandError, ConsumerId, LossReason, ReplayError, RunStatus, Scenario, SimTime, Simulation,
    StampedCommand,
};
use serde_json::{json, Value};

fn run_to(sim: &mut Simulation, ms: u64) {
    assert_eq!(sim.run_until(SimTime::from_ms(ms), u64::MAX), RunStatus::Reached);
}

/// Refuses `command` and checks that nothing changed; returns the error.
fn refused(sim: &mut Simulation, command: Command) -> CommandError {
    let before = (sim.trace_hash(), sim.commands().len(), sim.scenario().clone());
    let e = sim.handle(command.clone()).expect_err(&format!("{command:?} was accepted"));
    assert_eq!((sim.trace_hash(), sim.commands().len(), sim.scenario().clone()), before, "{command:?} changed the run");
    e
}

fn field(e: &CommandError) -> &'static str {
    match e {
        CommandError::Invalid { field, .. } => field,
        other => panic!("not a field error: {other}"),
    }
}

// ----- 1. one set of limits, from every input path -----

const HUGE_TTL: u64 = u64::MAX - 1_000;

#[test]
fn a_dedup_ttl_beyond_the_limit_is_refused_by_command_fault_and_command_log() {
    let ttl = Command::SetIdempotency { mode: IdempotencyMode::DedupAtomic, dedup_ttl_ms: Some(HUGE_TTL) };
    // A live command, typed or by path.
    let mut sim = Simulation::new(&Scenario::default()).unwrap();
    let e = refused(&mut sim, ttl.clone());
    assert_eq!(field(&e), "idempotency.dedup_ttl_ms", "{e}");
    assert!(e.to_string().starts_with("idempotency.dedup_ttl_ms must be between 1 and "), "{e}");
    let by_path = Command::Set { setting: "idempotency.dedup_ttl_ms".into(), value: Value::from(HUGE_TTL) };
    assert_eq!(refused(&mut sim, by_path), e);
    // A scheduled fault, when the scenario loads.
    let scenario = json!({"faults": [{"at_ms": 100, "command": ttl}]}).to_string();
    let e = Scenario::from_json(&scenario).unwrap_err().to_string();
    assert!(e.starts_with("faults[0].command: idempotency.dedup_ttl_ms must be between 1 and "), "{e}");
    // A replayed command log.
    let log = [StampedCommand { at_us: 0, after_events: 0, command: ttl }];
    match Simulation::replay(&Scenario::default(), &log, SimTime::from_secs(1)) {
        Err(ReplayError::Command { index: 0, error }) => assert_eq!(field(&error), "idempotency.dedup_ttl_ms"),
        other => panic!("replayed {other:?}"),
    }
}

#[test]
fn typed_commands_are_checked_by_the_settings_they_write() {
    let mut sim = Simulation::new(&Scenario::default()).unwrap();
    let cases = [
        (Command::SetServiceMean { mean_ms: 1e12 }, "processing.service.mean_ms"),
        (Command::SetFailureProbability { probability: 1.5 }, "processing.failure_probability"),
        (Command::SetCrash { point: CrashPoint::AfterEffect, probability: -0.1 }, "consumers.crash.probability"),
        (Command::SetNetworkLoss { request_loss: 0.1, ack_loss: 1.0 }, "network.ack_loss"),
        (Command::SetProducerRate { rate_per_sec: f64::NAN }, "producer.rate_per_sec"),
        (
            Command::SetIdempotency { mode: IdempotencyMode::DedupAtomic, dedup_ttl_ms: Some(0) },
            "idempotency.dedup_ttl_ms",
        ),
        (
            Command::SetCommitStrategy { commit: CommitStrategy::Auto { interval_ms: u64::MAX } },
            "consumers.commit.interval_ms",
        ),
    ];
    for (command, path) in cases {
        let e = refused(&mut sim, command);
        assert_eq!(field(&e), path, "{e}");
        assert!(e.to_string().starts_with(path), "{e}");
    }
}

#[test]
fn a_command_is_refused_when_the_settings_it_leaves_cannot_run_together() {
    let mut s = Scenario::default();
    s.consumers.static_membership = true;
    s.consumers.crash.restart_delay_ms = Some(0);
    let mut sim = Simulation::new(&s).unwrap();
    let always = Command::SetCrash { point: CrashPoint::AfterReceive, probability: 1.0 };
    let e = refused(&mut sim, always.clone());
    assert_eq!(field(&e), "consumers.crash.restart_delay_ms", "{e}");
    let by_path = Command::Set { setting: "consumers.crash.probability".into(), value: Value::from(1.0) };
    sim.handle(Command::SetCrash { point: CrashPoint::AfterReceive, probability: 0.5 }).unwrap();
    assert_eq!(field(&refused(&mut sim, by_path)), "consumers.crash.restart_delay_ms");
    // With a restart delay the same crashes are fine.
    sim.handle(Command::Set { setting: "consumers.crash.restart_delay_ms".into(), value: Value::from(1) }).unwrap();
    sim.handle(always).unwrap();
}

// ----- 2. the loss reason follows who committed -----

/// One consumer on one partition, one message, processing that takes 5 s; librdkafka's client,
/// whose auto-commit commits what was handed to the app.
fn one_slow_message(commit: CommitStrategy) -> Simulation {
    let mut s = Scenario::default();
    s.producer.client = eda_lab::sim::scenario::Client::Librdkafka;
    (s.topic.partitions, s.consumers.count) = (1, 1);
    s.producer.max_messages = Some(1);
    s.consumers.commit = commit;
    s.processing.service.distribution = ServiceDistribution::Constant;
    s.processing.service.mean_ms = 5_000.0;
    let mut sim = Simulation::new(&s).unwrap();
    while sim.consumers()[0].in_hand.is_none() {
        assert!(sim.step(), "the message reaches the consumer");
    }
    let later = sim.now().as_us() / 1_000 + 1_500;
    run_to(&mut sim, later); // auto-commit (every 100 ms) has run
    sim
}

fn loss_reasons(sim: &Simulation) -> Vec<LossReason> {
    sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).map(|(r, _)| r).collect()
}

#[test]
fn a_commit_before_processing_stays_the_reason_after_a_switch_to_auto_commit() {
    let mut sim = one_slow_message(CommitStrategy::BeforeProcessing);
    sim.handle(Command::SetCommitStrategy { commit: CommitStrategy::Auto { interval_ms: 100 } }).unwrap();
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: None }).unwrap();
    assert_eq!(loss_reasons(&sim), [LossReason::CommittedBeforeProcessing]);
    assert_eq!(
        LossReason::CommittedBeforeProcessing.to_string(),
        "offset committed before processing, then the consumer crashed"
    );
}

#[test]
fn an_auto_commit_stays_the_reason_after_a_switch_to_commit_before_processing() {
    let mut sim = one_slow_message(CommitStrategy::Auto { interval_ms: 100 });
    sim.handle(Command::SetCommitStrategy { commit: CommitStrategy::BeforeProcessing }).unwrap();
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: None }).unwrap();
    assert_eq!(loss_reasons(&sim), [LossReason::AutoCommittedBeforeProcessing]);
}

// ----- 3. runs that cannot advance time -----

/// Static members that crash on every record and restart at once. Reading from the earliest
/// offset: nothing is ever committed, so under latest the member back in its place would start at
/// the log end and skip the record instead of reading it again.
fn crash_loop(point: &str, probability: f64) -> Value {
    json!({"consumers": {"static_membership": true, "auto_offset_reset": "earliest",
        "crash": {"point": point, "probability": probability, "restart_delay_ms": 0}}})
}

#[test]
fn settings_that_loop_at_one_instant_are_refused_at_load() {
    let e = Scenario::from_json(&crash_loop("after_receive", 1.0).to_string()).unwrap_err().to_string();
    assert!(e.starts_with("consumers.crash.restart_delay_ms: 0 with static membership and crash probability 1"), "{e}");
    // After the effect, it loops only when processing takes no time.
    let mut effect = crash_loop("after_effect", 1.0);
    Scenario::from_json(&effect.to_string()).unwrap();
    effect["processing"] = json!({"service": {"distribution": "constant", "mean_ms": 0}});
    let e = Scenario::from_json(&effect.to_string()).unwrap_err().to_string();
    assert!(e.contains("after the effect"), "{e}");
    // A dynamic member's restart waits for its old session: time advances.
    let mut dynamic = crash_loop("after_receive", 1.0);
    dynamic["consumers"]["static_membership"] = json!(false);
    Scenario::from_json(&dynamic.to_string()).unwrap();
    // And a fault may not lead there either.
    let mut faulty = crash_loop("after_receive", 0.5);
    faulty["faults"] =
        json!([{"at_ms": 10, "command": {"type": "set_crash", "point": "after_receive", "probability": 1.0}}]);
    let e = Scenario::from_json(&faulty.to_string()).unwrap_err().to_string();
    assert!(e.starts_with("faults[0].command: consumers.crash.restart_delay_ms 0 with static membership"), "{e}");
}

#[test]
fn the_engine_stops_a_run_stuck_at_one_instant_and_names_the_likely_cause() {
    // Not certain to crash, so valid, but practically a loop at one instant.
    let s = Scenario::from_json(&crash_loop("after_receive", 0.999_999_9).to_string()).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.set_instant_limit(100_000);
    assert_eq!(sim.run_until(SimTime::from_secs(5), u64::MAX), RunStatus::Stuck);
    let stuck = sim.stuck().expect("stuck");
    assert_eq!(stuck.events, 100_000);
    assert!(stuck.to_string().contains("consumers.crash.restart_delay_ms 0"), "{stuck}");
    // It stays stopped: no more work at that instant, whoever asks.
    let events = sim.events_processed();
    assert!(!sim.step());
    assert_eq!(sim.run_until(SimTime::from_secs(5), u64::MAX), RunStatus::Stuck);
    assert_eq!(sim.events_processed(), events);
    // A replay stops with the same error instead of spinning.
    let mut again = Simulation::new(&s).unwrap();
    again.set_instant_limit(100_000);
    match again.run_commands(&[], SimTime::from_secs(5)) {
        Err(ReplayError::Stuck(e)) => assert_eq!(e, stuck),
        other => panic!("{other:?}"),
    }
}

// ----- 4. the crash after the commit under auto-commit; crash points that never strike -----

fn crashes_after_commit(sim: &Simulation) -> Vec<u64> {
    let after_commit = |k: &JournalKind| matches!(k, JournalKind::Crashed { point: Some(CrashPoint::AfterCommit), .. });
    sim.journal().iter().filter(|e| after_commit(&e.kind)).map(|e| e.time.as_us() / 1_000).collect()
}

#[test]
fn under_auto_commit_an_armed_crash_after_the_commit_strikes_at_the_timer_even_when_idle() {
    let mut s = Scenario::default();
    (s.topic.partitions, s.consumers.count) = (1, 1);
    s.producer.max_messages = Some(1);
    s.consumers.commit = CommitStrategy::Auto { interval_ms: 1_000 };
    s.processing.service.mean_ms = 10.0;
    s.faults.push(ScheduledCommand {
        at_ms: 0,
        command: Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterCommit) },
    });
    let mut sim = Simulation::new(&s).unwrap();
    run_to(&mut sim, 3_000);
    // The message was processed long before the timer; the crash follows the timer's commit.
    assert_eq!(crashes_after_commit(&sim), [1_000]);
    assert_eq!((sim.ledger().counts().exactly_once, sim.ledger().counts().lost), (1, 0));
}

#[test]
fn under_auto_commit_random_crashes_after_the_commit_strike() {
    let mut s = Scenario::default();
    s.consumers.commit = CommitStrategy::Auto { interval_ms: 500 };
    s.consumers.crash.point = CrashPoint::AfterCommit;
    s.consumers.crash.probability = 1.0;
    let mut sim = Simulation::new(&s).unwrap();
    run_to(&mut sim, 10_000);
    assert!(!crashes_after_commit(&sim).is_empty());
}

#[test]
fn under_auto_commit_the_commit_on_revoke_is_a_commit_to_crash_after() {
    let mut s = Scenario::default();
    s.consumers.count = 1;
    s.consumers.commit = CommitStrategy::Auto { interval_ms: 60_000 };
    s.processing.service.mean_ms = 10.0;
    let mut sim = Simulation::new(&s).unwrap();
    run_to(&mut sim, 2_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterCommit) }).unwrap();
    sim.handle(Command::AddConsumer).unwrap(); // a rebalance: consumer 0's partitions are revoked
    run_to(&mut sim, 2_100);
    assert_eq!(crashes_after_commit(&sim), [2_000]);
}

#[test]
fn a_crash_after_the_dedup_mark_needs_a_dedup_store() {
    for mode in [IdempotencyMode::None, IdempotencyMode::Natural] {
        let mut s = Scenario::default();
        s.idempotency.mode = mode;
        let mut sim = Simulation::new(&s).unwrap();
        let armed = Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterDedupMark) };
        let e = refused(&mut sim, armed.clone());
        assert!(e.to_string().contains("after_dedup_mark never strikes"), "{e}");
        // Random crashes there, and a fault arming one, are refused when the scenario loads.
        let mut random = s.clone();
        random.consumers.crash = eda_lab::sim::scenario::CrashConfig {
            point: CrashPoint::AfterDedupMark,
            probability: 0.1,
            restart_delay_ms: Some(1_000),
        };
        let e = random.validate().unwrap_err().to_string();
        assert!(e.starts_with("consumers.crash.point: after_dedup_mark never strikes"), "{e}");
        let mut fault = s.clone();
        fault.faults.push(ScheduledCommand { at_ms: 10, command: armed });
        let e = fault.validate().unwrap_err().to_string();
        assert!(e.starts_with("faults[0].command.at: after_dedup_mark never strikes"), "{e}");
    }
    // With a store it strikes.
    let mut s = Scenario::default();
    s.idempotency.mode = IdempotencyMode::DedupCheckThenAct;
    let mut sim = Simulation::new(&s).unwrap();
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterDedupMark) }).unwrap();
    run_to(&mut sim, 10_000);
    assert_eq!(sim.consumers()[0].crashes, 1);
}

// ----- 5. faults aimed at consumers the group does not have -----

#[test]
fn a_fault_aimed_at_a_consumer_the_group_does_not_have_is_refused_at_load() {
    let crash = |c: u32| json!({"type": "crash_consumer", "consumer": c});
    let faults = |f: Value| json!({"consumers": {"count": 3}, "faults": f}).to_string();
    let e = Scenario::from_json(&faults(json!([
        {"at_ms": 100, "command": crash(0)},
        {"at_ms": 200, "command": {"type": "add_consumer"}},
        {"at_ms": 300, "command": crash(7)},
    ])))
    .unwrap_err();
    assert_eq!(e.to_string(), "faults[2].command.consumer: there is no consumer 7 (the group has 4 at that time)");
    // Consumers added by earlier faults count; later ones do not.
    Scenario::from_json(&faults(
        json!([{"at_ms": 200, "command": {"type": "add_consumer"}}, {"at_ms": 300, "command": crash(3)}]),
    ))
    .unwrap();
    let e = Scenario::from_json(&faults(json!([{"at_ms": 200, "command": {"type": "add_consumer"}}, {"at_ms": 100, "command": {"type": "restart_consumer", "consumer": 3}}])))
        .unwrap_err();
    assert_eq!(e.to_string(), "faults[1].command.consumer: there is no consumer 3 (the group has 3 at that time)");
}

// ----- causes that show -----

/// Auto-commit's timer is visible in the log: each tick either auto-commits the consumer's
/// position (said so, unlike a commit of one record) or says it had nothing new to commit. A
/// commit after processing is a commit of one record.
#[test]
fn auto_commit_ticks_are_in_the_journal() {
    let kinds = |commit: CommitStrategy| {
        let mut s = Scenario::default();
        s.consumers.commit = commit;
        s.producer.rate_per_sec = 2.0;
        s.processing.service.mean_ms = 50.0;
        let mut sim = Simulation::new(&s).unwrap();
        sim.tap_journal();
        run_to(&mut sim, 20_000);
        sim.take_tapped().into_iter().map(|e| e.kind).collect::<Vec<_>>()
    };
    let auto = kinds(CommitStrategy::Auto { interval_ms: 1_000 });
    let auto_commits = auto.iter().filter(|k| matches!(k, JournalKind::Committed { auto: true, .. })).count();
    let idle = auto.iter().filter(|k| matches!(k, JournalKind::AutoCommitIdle { .. })).count();
    assert!(auto_commits > 5, "{auto_commits} auto-commits");
    assert!(idle > 5, "{idle} idle ticks (3 consumers, 1 s timer, 2 records a second)");
    assert!(!auto.iter().any(|k| matches!(k, JournalKind::Committed { auto: false, .. })));
    // Ticks a second apart per consumer: about 20 each over 20 s, committing or not.
    let ticks = |c: u32| {
        auto.iter()
            .filter(|k| match k {
                JournalKind::AutoCommitIdle { consumer } => consumer.0 == c,
                JournalKind::Committed { consumer, auto: true, .. } => consumer.0 == c,
                _ => false,
            })
            .count()
    };
    assert!((19..=25).contains(&ticks(0)), "{} ticks", ticks(0));
    let manual = kinds(CommitStrategy::AfterProcessing);
    assert!(manual.iter().any(|k| matches!(k, JournalKind::Committed { auto: false, .. })));
    assert!(!manual
        .iter()
        .any(|k| matches!(k, JournalKind::Committed { auto: true, .. } | JournalKind::AutoCommitIdle { .. })));
}

/// A duplicated message's journey says why it was charged again, naming the cause the run shows:
/// a crash between the charge and the commit, a commit that failed after an eviction by
/// max.poll.interval.ms, or a producer resend that left two copies in the log.
#[test]
fn a_duplicate_says_why_it_was_charged_again() {
    use eda_lab::sim::journey::JourneyPolicy;
    use eda_lab::sim::report::JourneyReport;
    let causes = |s: &Scenario, slow_at_ms: Option<u64>| {
        let mut sim = Simulation::new(s).unwrap();
        sim.record_journeys(JourneyPolicy::All);
        if let Some(ms) = slow_at_ms {
            run_to(&mut sim, ms);
            sim.handle(Command::SetServiceMean { mean_ms: 8_000.0 }).unwrap();
        }
        run_to(&mut sim, 60_000);
        let dups = sim.ledger().examples(eda_lab::sim::Outcome::Duplicated).to_vec();
        assert!(!dups.is_empty(), "{} has duplicates", s.name);
        dups.into_iter()
            .map(|m| JourneyReport::of(&sim, m).duplicate_cause.unwrap_or_else(|| panic!("{m}: no cause")))
            .collect::<Vec<_>>()
    };
    for why in causes(&eda_lab::sim::builtins::builtin("at-least-once").unwrap(), None) {
        assert!(why.starts_with("consumer ") && why.contains("crashed before a commit covered it"), "{why}");
        assert!(why.contains("had not passed offset"), "{why}");
    }
    for why in causes(&eda_lab::sim::builtins::builtin("producer-retries").unwrap(), None) {
        assert!(why.starts_with("the producer resent it") && why.contains("two copies"), "{why}");
    }
    let mut s = Scenario::default();
    (s.consumers.count, s.topic.partitions, s.consumers.max_poll_interval_ms) = (2, 2, 5_000);
    s.consumers.commit = CommitStrategy::AfterProcessing;
    let evicted = causes(&s, Some(2_000));
    assert!(
        evicted.iter().any(|why| why.contains("max.poll.interval.ms") && why.contains("its commit failed")),
        "{evicted:?}"
    );
    // Charged once: nothing to explain.
    let mut sim = Simulation::new(&Scenario::default()).unwrap();
    sim.record_journeys(JourneyPolicy::All);
    run_to(&mut sim, 5_000);
    assert_eq!(JourneyReport::of(&sim, eda_lab::sim::MessageId(0)).duplicate_cause, None);
}

/// Auto-commit as each client does it. The Java client commits inside poll() what earlier polls
/// returned: a crash in the middle of processing loses nothing, a crash after the effect
/// duplicates. librdkafka's timer commits what was handed to the app, processed or not: a crash
/// in the middle of processing loses the record.
#[test]
fn auto_commit_is_each_clients_own() {
    use eda_lab::sim::scenario::{Client, CrashConfig};
    let run = |client: Client, point: CrashPoint, seed: u64| {
        let mut s = Scenario { seed, ..Scenario::default() };
        s.producer.client = client;
        s.consumers.commit = CommitStrategy::Auto { interval_ms: 300 };
        s.processing.service.mean_ms = 400.0;
        s.consumers.crash = CrashConfig { point, probability: 0.02, restart_delay_ms: Some(500) };
        (s.consumers.session_timeout_ms, s.consumers.static_membership) = (6_000, true);
        // A crash before a partition's first commit would, under latest, start its next reader at
        // the log end (tests/offset_reset.rs): a loss that is not auto-commit's.
        s.consumers.auto_offset_reset = eda_lab::sim::scenario::AutoOffsetReset::Earliest;
        // Crashes at times of their own too, mostly in the middle of processing.
        s.faults = (0..40u64)
            .map(|k| ScheduledCommand {
                at_ms: 1_300 + k * 2_900,
                command: Command::CrashConsumer { consumer: ConsumerId((k % 3) as u32), at: None },
            })
            .collect();
        let mut sim = Simulation::new(&s).unwrap();
        run_to(&mut sim, 120_000);
        sim.ledger().audit().unwrap();
        let c = sim.ledger().counts();
        (c.lost, c.duplicated, c.exactly_once)
    };
    let (mut java_dups, mut rd_lost) = (0, 0);
    for seed in 1..=4 {
        for point in [CrashPoint::AfterReceive, CrashPoint::AfterEffect] {
            let (lost, dups, once) = run(Client::Java, point, seed);
            assert_eq!(lost, 0, "seed {seed}, {point:?}: the Java client's auto-commit lost {lost}");
            assert!(once > 0, "seed {seed}: messages settle, so it commits");
            java_dups += dups;
        }
        rd_lost += run(Client::Librdkafka, CrashPoint::AfterReceive, seed).0;
    }
    assert!(java_dups > 0, "crashes after the effect duplicate under the Java client");
    assert!(rd_lost > 0, "librdkafka's timer commits records still being processed");
}
