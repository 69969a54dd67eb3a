//! Property tests: the guarantees of the model, checked over random scenarios, seeds and live
//! commands rather than hand-picked examples. A failing case prints the scenario JSON (with its
//! seed) and the commands that reproduce it; proptest also stores it under proptest-regressions/.
//!
//! Each run has a phase with faults on, then (for the liveness properties) a healing phase with
//! production, crashes and failures off, after which everything in flight must have settled.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::config::settings::{Kind, Setting, SETTINGS};
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::journey::JourneyPolicy;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, ConsumerId, JourneyView, LossReason, MessageId, Outcome, SimTime, Simulation};
use proptest::prelude::*;
use serde_json::Value;

#[path = "props/scenarios.rs"]
mod scenarios;
use scenarios::*;

/// Live commands a user could issue, any of them.
fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        4 => (0u32..5, prop::option::of(crash_point())).prop_map(|(c, at)| Command::CrashConsumer { consumer: ConsumerId(c), at }),
        2 => (0u32..5).prop_map(|c| Command::RestartConsumer { consumer: ConsumerId(c) }),
        1 => Just(Command::AddConsumer),
        1 => Just(Command::RemoveConsumer),
        // The new total: refused (changing nothing) when it is not above the topic's count.
        1 => (1u32..12).prop_map(|count| Command::AddPartitions { count }),
        1 => prop::option::of(0u32..60).prop_map(|m| Command::Redrive { msg: m.map(MessageId) }), // all, or one by id
        1 => prop_oneof![
            Just(CommitStrategy::BeforeProcessing),
            Just(CommitStrategy::AfterProcessing),
            (50u64..2_000).prop_map(|interval_ms| CommitStrategy::Auto { interval_ms })
        ]
        .prop_map(|commit| Command::SetCommitStrategy { commit }),
        1 => (idempotency_mode(), prop::option::of(100u64..10_000))
            .prop_map(|(mode, dedup_ttl_ms)| Command::SetIdempotency { mode, dedup_ttl_ms }),
        1 => (0.0f64..40.0).prop_map(|rate_per_sec| Command::SetProducerRate { rate_per_sec }),
        1 => any::<bool>().prop_map(|enabled| Command::SetProducerIdempotent { enabled }),
        1 => (0.0f64..0.3, 0.0f64..0.3).prop_map(|(request_loss, ack_loss)| Command::SetNetworkLoss { request_loss, ack_loss }),
        1 => (0.0f64..0.5).prop_map(|probability| Command::SetFailureProbability { probability }),
        1 => (crash_point(), 0.0f64..0.3).prop_map(|(point, probability)| Command::SetCrash { point, probability }),
        1 => (0.0f64..300.0).prop_map(|mean_ms| Command::SetServiceMean { mean_ms }),
        4 => live_setting(),
    ]
}

/// Any setting a running simulation can change, read from the settings' one description, with a
/// value it takes. Numbers are drawn within the setting's range, capped by a budget per unit so a
/// run stays small enough to audit after every event.
fn live_setting() -> impl Strategy<Value = Command> {
    let live: Vec<&'static Setting> = SETTINGS.iter().filter(|s| s.live).collect();
    (prop::sample::select(live), 0.0f64..1.0, any::<bool>()).prop_map(|(setting, u, none)| {
        let budget = match setting.unit {
            "msg/s" => 40.0,
            "ms" => 300.0,
            "resends" | "retries" => 5.0,
            "requests" => 8.0,
            _ => f64::INFINITY,
        };
        let number = |min: f64, max: f64| min + (max.min(min + budget) - min) * u;
        let value = match setting.kind {
            Kind::Number { min, max, integer: false } => Value::from(number(min, max)),
            Kind::Number { min, max, integer: true } => Value::from(number(min, max) as u64),
            Kind::Optional { .. } if none => Value::Null,
            Kind::Optional { min, max, .. } => Value::from(number(min, max) as u64),
            Kind::Flag => Value::from(none),
            Kind::Choice(choices) => {
                serde_json::from_str(choices[(u * choices.len() as f64) as usize].json).expect("choices are JSON")
            }
        };
        Command::Set { setting: setting.path.to_string(), value }
    })
}

/// Whether `c` changes one of `settings` (through `Command::Set`).
fn sets(c: &Command, settings: &[&str]) -> bool {
    matches!(c, Command::Set { setting, .. } if settings.contains(&setting.as_str()))
}

/// Commands at increasing sim times (milliseconds) within the first `span_ms`.
fn schedule(span_ms: u64) -> impl Strategy<Value = Vec<(u64, Command)>> {
    prop::collection::vec((0..span_ms, command()), 0..8).prop_map(|mut v| {
        v.sort_by_key(|(t, _)| *t);
        v
    })
}

/// Runs `scenario` for `until_ms`, applying `commands` at their times, auditing the ledger after
/// every single event. Returns the simulation, or the first audit failure.
fn run_audited(scenario: &Scenario, commands: &[(u64, Command)], until_ms: u64) -> Result<Simulation, String> {
    let mut sim = Simulation::new(scenario).map_err(|e| e.to_string())?;
    let mut next = 0;
    let until = SimTime::from_ms(until_ms);
    loop {
        let due = commands.get(next).map(|(t, _)| SimTime::from_ms(*t));
        let horizon = due.unwrap_or(until).min(until);
        while sim.next_event_time().is_some_and(|t| t <= horizon) {
            sim.step();
            sim.audit().map_err(|e| format!("after event {} at {}: {e}", sim.events_processed(), sim.now()))?;
        }
        sim.run_until(horizon, 0);
        match due {
            Some(t) if t <= until => {
                // Commands a user could not issue right now (no such consumer) are refused and change nothing.
                let _ = sim.handle(commands[next].1.clone());
                sim.audit().map_err(|e| format!("after command {next}: {e}"))?;
                next += 1;
            }
            _ => return Ok(sim),
        }
    }
}

/// The healing phase: no new messages, crashes or processing failures, dead letters redriven; crashed
/// consumers come back; a group left empty gets a consumer. Then all must settle, nothing parked.
fn heal_and_drain(sim: &mut Simulation) -> Result<(), String> {
    for c in [
        Command::SetProducerRate { rate_per_sec: 0.0 },
        Command::SetCrash { point: CrashPoint::AfterReceive, probability: 0.0 },
        Command::SetFailureProbability { probability: 0.0 },
        // The payload bug is fixed, the API back, fast and big enough.
        Command::Set { setting: "processing.poison_probability".into(), value: 0.0.into() },
        Command::Set { setting: "downstream.outage".into(), value: false.into() },
        Command::Set { setting: "downstream.slow_factor".into(), value: 1.into() },
        Command::Set { setting: "downstream.capacity_per_sec".into(), value: Value::Null },
        // The breaker stays on, but no call counts as slow any more (a threshold below the
        // processing time would keep it open for good): a new breaker, closed, and the consumers
        // paused on the old one must resume.
        Command::Set { setting: "breaker.config.slow_call_duration_threshold_ms".into(), value: 3_600_000.into() },
        // Nor may half-open give up sooner than a test call takes (resilience4j goes back to open
        // when maxWaitDurationInHalfOpenState runs out, calls in flight or not): 0 waits for them.
        Command::Set { setting: "breaker.config.max_wait_duration_in_half_open_state_ms".into(), value: 0.into() },
        Command::Redrive { msg: None }, // the bug is fixed: its dead letters go again
        Command::SetNetworkLoss { request_loss: 0.0, ack_loss: 0.0 },
        // Processing slower than the poll interval is a livelock in Kafka too: evicted, rejoin,
        // read again, evicted again.
        Command::Set { setting: "consumers.max_poll_interval_ms".into(), value: 300_000.into() },
    ] {
        sim.handle(c).map_err(|e| e.to_string())?;
    }
    for _ in 0..400 {
        if sim.ledger().counts().in_flight == 0 && sim.dlq().is_empty() {
            return Ok(());
        }
        for i in 0..sim.consumers().len() {
            let c = &sim.consumers()[i];
            if c.status == eda_lab::sim::consumer::ConsumerStatus::Crashed {
                sim.handle(Command::RestartConsumer { consumer: c.id }).map_err(|e| e.to_string())?;
            }
        }
        if !sim.consumers().iter().any(|c| c.is_alive()) {
            sim.handle(Command::AddConsumer).map_err(|e| e.to_string())?;
        }
        // A call that started before the fix ends as it started: its message may park after the
        // first redrive.
        if !sim.dlq().is_empty() {
            sim.handle(Command::Redrive { msg: None }).map_err(|e| e.to_string())?;
        }
        let next = SimTime(sim.now().as_us() + 5_000_000);
        sim.run_until(next, u64::MAX);
        sim.audit()?;
    }
    Err(format!("{} messages in flight, {} parked after healing", sim.ledger().counts().in_flight, sim.dlq().len()))
}

fn describe(s: &Scenario, commands: &[(u64, Command)]) -> String {
    format!("SIM_SEED={}\nscenario: {}\ncommands: {:?}", s.seed, serde_json::to_string(s).unwrap(), commands)
}

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
            prop_assert_eq!(count(|k| matches!(k, JournalKind::Received { .. })), m.deliveries, "{} {:?}", msg, j);
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
            && !sets(c, AT_LEAST_ONCE_SETTINGS)).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(sim.ledger().counts().lost, 0, "{}", describe(&s, &commands));
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        prop_assert_eq!(sim.ledger().counts().lost, 0, "{}", describe(&s, &commands));
    }

    /// At-least-once plus a dedup store marked atomically with the effect (and no expiry): neither
    /// duplicates nor losses, whatever crashes, even with a producer that appends duplicates.
    #[test]
    fn atomic_dedup_is_effectively_exactly_once(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        s.idempotency = IdempotencyConfig { mode: IdempotencyMode::DedupAtomic, dedup_ttl_ms: None };
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c,
            Command::SetCommitStrategy { .. } | Command::SetIdempotency { .. })
            && !sets(c, AT_LEAST_ONCE_SETTINGS) && !sets(c, &["idempotency.mode", "idempotency.dedup_ttl_ms"])).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        let c = sim.ledger().counts();
        prop_assert_eq!((c.duplicated, c.lost, c.in_flight), (0, 0, 0), "{}", describe(&s, &commands));
        prop_assert_eq!(c.exactly_once + c.dead_lettered, sim.ledger().produced());
    }

    /// At-least-once but with the clients' default, latest: a partition whose group has no
    /// committed offset (its first owner crashed before committing) starts at the log end when it
    /// moves, so messages can be lost, but only to that reset; and everything still settles.
    #[test]
    fn under_latest_at_least_once_loses_only_to_offset_resets(mut s in scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        s.consumers.auto_offset_reset = AutoOffsetReset::Latest;
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !sets(c, AT_LEAST_ONCE_SETTINGS)).collect();
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
            && !sets(c, AT_LEAST_ONCE_SETTINGS)).collect();
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

/// The settings `make_at_least_once` fixes: live changes to them leave at-least-once.
const AT_LEAST_ONCE_SETTINGS: &[&str] = &[
    "consumers.commit",
    "producer.acks",
    "producer.retries",
    "producer.request_timeout_ms",
    "producer.delivery_timeout_ms",
    "network.latency_ms",
    "topic.retention_ms",
    "topic.retention_bytes",
    "consumers.auto_offset_reset",
];

fn make_at_least_once(s: &mut Scenario, acks_all: bool) {
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.producer.acks = if acks_all { Acks::All } else { Acks::Leader };
    // The idempotent producer needs acks=all (`config/rules.rs`).
    if !acks_all && s.producer.idempotent == Some(true) {
        s.producer.idempotent = None; // the Java client's default gives way; librdkafka's is off
    }
    // Retrying (almost) forever is what at-least-once asks of a producer: with at most 30% loss,
    // giving up after 1,000 resends has probability below 1e-500.
    s.producer.retries = limits::MAX_RETRIES;
    // Nor may the delivery timeout end the retries: a day is longer than any run here.
    s.producer.delivery_timeout_ms = Some(limits::MAX_DELAY_MS);
    // An acknowledgement slower than the request timeout makes every send look failed: the producer
    // resends a thousand times and floods the log (correctly, but nothing drains). Real producers
    // wait far longer than a round trip (request.timeout.ms defaults to 30 s).
    s.producer.request_timeout_ms = s.producer.request_timeout_ms.max(2 * s.network.latency_ms + 1);
    s.topic.retention_ms = None;
    s.topic.retention_bytes = None;
    // With latest, a partition that moves before its first commit starts at the log end.
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
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
