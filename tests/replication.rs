//! Replication against broker crashes: what each acks setting keeps and loses, proven over random
//! crash schedules (Kafka's guarantees as its documentation states them: with acks=all,
//! `min.insync.replicas` 2 and 3 copies, an acknowledged write survives any single broker's
//! failure; acks=1 can lose what the leader acknowledged before a follower copied it; consumers
//! only ever see what every in-sync replica has).
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ledger::LossReason;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, MessageId, SimTime, Simulation};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Three brokers, three copies, two in sync required: the cluster the guarantees are about.
fn cluster(seed: u64, acks: Acks, fetch_ms: u64, detection_ms: u64, idempotent: bool, unclean: bool) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.producer.rate_per_sec = 200.0;
    s.producer.max_messages = Some(2_000);
    s.producer.acks = acks;
    s.producer.idempotent = Some(idempotent && acks == Acks::All);
    s.processing.service.mean_ms = 2.0;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.replication = ReplicationConfig {
        brokers: 3,
        factor: 3,
        min_insync_replicas: 2,
        unclean_leader_election: unclean,
        fetch_ms,
        detection_ms,
    };
    s
}

/// Crashes of one broker at a time: (crash at, down for, broker), each after the last came back.
fn single_crashes() -> impl Strategy<Value = Vec<(u64, Command)>> {
    prop::collection::vec((0u64..3_000, 1u64..4_000, 0u32..3), 1..5).prop_map(|v| {
        let mut t = 0;
        let mut out = Vec::new();
        for (gap, down, broker) in v {
            t += gap;
            out.push((t, Command::CrashBroker { broker }));
            t += down;
            out.push((t, Command::StartBroker { broker }));
            t += 1;
        }
        out
    })
}

/// Any crashes and starts, several brokers down at once included (a command that does not apply
/// then, such as starting a running broker, is refused and changes nothing).
fn any_crashes() -> impl Strategy<Value = Vec<(u64, Command)>> {
    prop::collection::vec((0u64..12_000, 0u32..3, any::<bool>()), 1..10).prop_map(|mut v| {
        v.sort_by_key(|c| c.0);
        v.into_iter()
            .map(|(t, broker, crash)| {
                (t, if crash { Command::CrashBroker { broker } } else { Command::StartBroker { broker } })
            })
            .collect()
    })
}

/// Runs `s` with `commands` (at their times, in ms) until `until_ms`, auditing the ledger after
/// every event; returns the run and its journal.
fn run(s: &Scenario, commands: &[(u64, Command)], until_ms: u64) -> Result<(Simulation, Vec<JournalKind>), String> {
    let mut sim = Simulation::new(s).map_err(|e| e.to_string())?;
    sim.tap_journal();
    let mut journal = Vec::new();
    for (t, c) in commands.iter().chain([&(until_ms, Command::AddConsumer)]) {
        let at = SimTime::from_ms((*t).min(until_ms));
        while sim.next_event_time().is_some_and(|e| e <= at) {
            sim.step();
            sim.audit().map_err(|e| format!("after event {} at {}: {e}", sim.events_processed(), sim.now()))?;
        }
        sim.run_until(at, 0);
        journal.extend(sim.take_tapped().into_iter().map(|e| e.kind));
        if *t >= until_ms {
            break;
        }
        let _ = sim.handle(c.clone());
        sim.audit().map_err(|e| format!("after {c:?}: {e}"))?;
    }
    journal.extend(sim.take_tapped().into_iter().map(|e| e.kind));
    Ok((sim, journal))
}

fn lost(sim: &Simulation, reason: LossReason) -> u64 {
    sim.ledger().lost_by_reason().find(|(r, _)| *r == reason).map_or(0, |(_, n)| n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// acks=all with min.insync.replicas 2 and 3 copies: whichever single broker crashes, and
    /// whenever, nothing is lost and everything settles (the producer resends what the leader
    /// could not answer; without idempotence some resends are duplicates).
    #[test]
    fn acks_all_min_isr_two_loses_nothing_under_any_single_broker_crash(
        seed in any::<u64>(),
        fetch_ms in 1u64..200,
        detection_ms in 0u64..3_000,
        idempotent in any::<bool>(),
        crashes in single_crashes(),
    ) {
        let s = cluster(seed, Acks::All, fetch_ms, detection_ms, idempotent, false);
        let (sim, _) = run(&s, &crashes, 60_000).map_err(TestCaseError::fail)?;
        let c = sim.ledger().counts();
        prop_assert_eq!(c.lost, 0, "{:?}", sim.ledger().lost_by_reason().filter(|r| r.1 > 0).collect::<Vec<_>>());
        prop_assert_eq!(c.in_flight, 0);
        if idempotent {
            prop_assert_eq!(c.duplicated, 0);
        }
    }

    /// Consumers only read what every in-sync replica has: with unclean election off, no record a
    /// consumer received ever leaves the log, however many brokers crash; and the ledger balances
    /// after every event, under any acks and either election rule.
    #[test]
    fn consumers_never_see_what_a_failover_takes_back(
        seed in any::<u64>(),
        acks in prop_oneof![Just(Acks::Zero), Just(Acks::Leader), Just(Acks::All)],
        fetch_ms in 1u64..300,
        detection_ms in 0u64..3_000,
        unclean in any::<bool>(),
        crashes in any_crashes(),
    ) {
        let s = cluster(seed, acks, fetch_ms, detection_ms, true, unclean);
        let (_, journal) = run(&s, &crashes, 20_000).map_err(TestCaseError::fail)?;
        let mut received: BTreeSet<MessageId> = BTreeSet::new();
        for k in &journal {
            match *k {
                JournalKind::Received { msg, .. } => { received.insert(msg); }
                JournalKind::Truncated { msg, .. } if !unclean => {
                    prop_assert!(!received.contains(&msg), "{msg} was read, then truncated");
                }
                JournalKind::LeaderElected { unclean: u, .. } => prop_assert!(unclean || !u),
                _ => {}
            }
        }
    }

    /// acks=1: everything lost is lost to a leader failover (acknowledged by a leader that died
    /// before a follower copied it), and only where a leader crashed.
    #[test]
    fn acks_one_loses_only_to_leader_failover(
        seed in any::<u64>(),
        fetch_ms in 1u64..300,
        crashes in single_crashes(),
    ) {
        let s = cluster(seed, Acks::Leader, fetch_ms, 500, false, false);
        let (sim, journal) = run(&s, &crashes, 60_000).map_err(TestCaseError::fail)?;
        let c = sim.ledger().counts();
        prop_assert_eq!(c.lost, lost(&sim, LossReason::LeaderFailover));
        prop_assert_eq!(c.in_flight, 0);
        let elections = journal.iter().filter(|k| matches!(k, JournalKind::LeaderElected { .. })).count();
        prop_assert!(c.lost == 0 || elections > 0);
    }
}

/// The built-in acks=1 scenario, at its seed, loses acknowledged writes to a leader failover; the
/// same run with acks=all and the idempotent producer loses nothing and duplicates nothing.
#[test]
fn acks_one_loses_on_failover_where_acks_all_does_not() {
    let s = builtin("acks-1-failover").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(60_000), u64::MAX);
    assert!(lost(&sim, LossReason::LeaderFailover) > 0, "{:?}", sim.ledger().counts());
    let mut all = s.clone();
    all.producer.acks = Acks::All;
    all.producer.idempotent = Some(true);
    let mut sim = Simulation::new(&all).unwrap();
    sim.run_until(SimTime::from_ms(60_000), u64::MAX);
    let c = sim.ledger().counts();
    assert_eq!((c.lost, c.duplicated), (0, 0), "{c:?}");
}

/// acks=0 loses what it sends while a crashed leader is not replaced yet, and never knows.
#[test]
fn acks_zero_loses_writes_to_a_partition_without_a_leader() {
    let s = builtin("acks-0").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(60_000), u64::MAX);
    assert!(lost(&sim, LossReason::AcksZeroNoLeader) > 0, "{:?}", sim.ledger().counts());
}

/// With two of three brokers down, acks=all writes are refused (NotEnoughReplicas) rather than
/// accepted on one copy; once a broker is back and caught up, they go through, and nothing is lost.
#[test]
fn too_few_in_sync_replicas_refuse_acks_all_writes_until_one_is_back() {
    let s = builtin("acks-all-min-isr").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(90_000), u64::MAX);
    let stats = sim.replication().unwrap().stats;
    assert!(stats.not_enough_replicas > 0, "{stats:?}");
    let c = sim.ledger().counts();
    assert_eq!(c.lost, 0, "{c:?}");
}

/// Broker commands name what is wrong: a broker the cluster does not have, one already down, one
/// running, and a scenario without a cluster.
#[test]
fn broker_commands_are_refused_with_the_reason() {
    let s = builtin("acks-1-failover").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    let err = sim.handle(Command::CrashBroker { broker: 7 }).unwrap_err().to_string();
    assert!(err.contains("there is no broker 7"), "{err}");
    let err = sim.handle(Command::StartBroker { broker: 1 }).unwrap_err().to_string();
    assert!(err.contains("broker 1 is running"), "{err}");
    sim.handle(Command::CrashBroker { broker: 1 }).unwrap();
    let err = sim.handle(Command::CrashBroker { broker: 1 }).unwrap_err().to_string();
    assert!(err.contains("down already"), "{err}");
    let mut one = Simulation::new(&Scenario::default()).unwrap();
    let err = one.handle(Command::CrashBroker { broker: 0 }).unwrap_err().to_string();
    assert!(err.contains("one broker here"), "{err}");
    // A scenario whose settings cannot run names the field.
    let mut bad = Scenario::default();
    bad.replication.factor = 2;
    let err = bad.validate().unwrap_err().to_string();
    assert!(err.contains("replication.factor"), "{err}");
}
