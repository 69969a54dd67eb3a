//! Partitions added to a live topic, as Kafka allows (`kafka-topics.sh --alter --partitions N`,
//! `Admin.createPartitions`): never removed; records already written stay where they are; keys
//! remap by the producer client's partitioner; the group rebalances and reads the new
//! partitions; a key's order is not kept across the change.

use eda_lab::sim::command_log::CommandLog;
use eda_lab::sim::config::choices::{Assignor, AutoOffsetReset};
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ids::PartitionId;
use eda_lab::sim::partitioner::{Client, Profile, RdPartitioner};
use eda_lab::sim::report::Report;
use eda_lab::sim::scenario::ScheduledCommand;
use eda_lab::sim::{Command, Scenario, SimTime, Simulation};

const JAVA: Profile = Profile { client: Client::Java, partitioner: RdPartitioner::ConsistentRandom };
const CONSISTENT_RANDOM: Profile = Profile { client: Client::Librdkafka, partitioner: RdPartitioner::ConsistentRandom };
const MURMUR2_RANDOM: Profile = Profile { client: Client::Librdkafka, partitioner: RdPartitioner::Murmur2Random };

/// Three partitions, 200 keys, steady traffic, no random faults, everything kept.
fn topic(profile: Profile) -> Scenario {
    let mut s = Scenario::default();
    s.producer.client = profile.client;
    s.producer.partitioner = profile.partitioner;
    s.producer.keys.count = 200;
    s.producer.rate_per_sec = 40.0;
    s.processing.service.mean_ms = 10.0;
    s.consumers.crash.probability = 0.0;
    s.processing.failure_probability = 0.0;
    s.metrics.journal = 100_000;
    s.metrics.recent_messages = 100_000;
    s
}

fn at(sim: &mut Simulation, ms: u64) {
    sim.run_until(SimTime::from_ms(ms), u64::MAX);
}

/// The partition `eda-lab partition --client ... --partitions n KEY` prints for key index `k`.
fn partition_of(profile: Profile, k: u32, n: u32) -> u32 {
    profile.key_partition(Some(Simulation::key_name(k).as_bytes()), n).unwrap()
}

fn added(sim: &Simulation) -> Vec<(u32, u32, u32, u32)> {
    sim.journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::PartitionsAdded { from, to, keys_remapped, keys } => Some((from, to, keys_remapped, keys)),
            _ => None,
        })
        .collect()
}

#[test]
fn keys_remap_as_the_clients_partitioner_says_and_written_records_stay() {
    for profile in [JAVA, CONSISTENT_RANDOM, MURMUR2_RANDOM] {
        let mut sim = Simulation::new(&topic(profile)).unwrap();
        at(&mut sim, 5_000);
        let before: Vec<_> =
            sim.partitions().iter().map(|p| p.tail(1_000).map(|(o, r)| (o, r.msg)).collect::<Vec<_>>()).collect();
        let boundary = sim.ledger().produced() as u32;
        sim.handle(Command::AddPartitions { count: 5 }).unwrap();
        at(&mut sim, 20_000);
        let moved = (0..200).filter(|&k| partition_of(profile, k, 3) != partition_of(profile, k, 5)).count() as u32;
        assert_eq!(added(&sim), vec![(3, 5, moved, 200)], "{profile:?}");
        assert!(moved > 50, "{profile:?}: {moved} of 200 keys moved");
        assert_eq!(sim.partitions().len(), 5);
        assert_eq!(sim.scenario().topic.partitions, 5);
        // Every record's partition is its key's under the count when it was produced.
        let mut checked = [0, 0];
        for e in sim.journal().iter() {
            if let JournalKind::Appended { msg, partition, .. } = e.kind {
                let key = sim.ledger().get(msg).expect("every record is kept").key;
                let n = if msg.0 < boundary { 3 } else { 5 };
                assert_eq!(partition.0, partition_of(profile, key, n), "{profile:?} {msg} of key {key}");
                checked[usize::from(n == 5)] += 1;
            }
        }
        assert!(checked[0] > 100 && checked[1] > 300, "{checked:?}");
        // Records already written stay at their offsets.
        for (p, records) in before.iter().enumerate() {
            for &(offset, msg) in records {
                if let Some(r) = sim.partitions()[p].get(offset) {
                    assert_eq!(r.msg, msg, "partition {p} offset {offset}");
                }
            }
        }
        sim.ledger().audit().unwrap();
    }
}

#[test]
fn the_new_partitions_get_owners_after_the_rebalance_and_are_consumed() {
    for assignor in [Assignor::Range, Assignor::RoundRobin, Assignor::CooperativeSticky] {
        let mut s = topic(JAVA);
        s.consumers.assignor = assignor;
        // A new partition has no committed offset: with `earliest` its first reader starts at 0.
        s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
        let mut sim = Simulation::new(&s).unwrap();
        at(&mut sim, 3_000);
        let rebalances = sim.stats().group.rebalances;
        sim.handle(Command::AddPartitions { count: 6 }).unwrap();
        assert!(sim.group().owner[3..].iter().all(Option::is_none), "no owner before the rebalance");
        at(&mut sim, 20_000);
        assert!(sim.stats().group.rebalances > rebalances, "{assignor:?}");
        for p in 3..6 {
            assert!(sim.group().owner[p].is_some(), "{assignor:?}: partition {p} has no owner");
            assert!(sim.group().committed[p] > 0, "{assignor:?}: partition {p} was never consumed");
            assert!(sim.lag(PartitionId(p as u32)) < 10, "{assignor:?}: partition {p} lags");
        }
        sim.ledger().audit().unwrap();
        let c = sim.ledger().counts();
        assert_eq!((c.duplicated, c.lost), (0, 0), "{assignor:?}");
    }
}

#[test]
fn a_replayed_command_log_gives_the_same_trace_hash() {
    let s = topic(CONSISTENT_RANDOM);
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 2_000);
    sim.handle(Command::AddPartitions { count: 4 }).unwrap();
    at(&mut sim, 4_500);
    sim.handle(Command::AddConsumer).unwrap();
    sim.handle(Command::AddPartitions { count: 7 }).unwrap();
    at(&mut sim, 9_000);
    let log = CommandLog::parse(&CommandLog::new(sim.commands().to_vec()).to_json()).unwrap();
    assert!(log.to_json().contains(r#""type":"add_partitions""#), "{}", log.to_json());
    let replayed = Simulation::replay(&s, &log.commands, sim.now()).unwrap();
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
    assert_eq!(replayed.partitions().len(), 7);
    assert_eq!(replayed.scenario().fingerprint(), sim.scenario().fingerprint());
}

#[test]
fn refusals_name_the_field_and_change_nothing() {
    let mut sim = Simulation::new(&topic(JAVA)).unwrap();
    at(&mut sim, 2_000);
    let hash = sim.trace_hash();
    for (count, said) in [
        (3, "count must be more than the 3 partitions the topic has now (got 3): Kafka adds partitions to a topic, never removes them"),
        (2, "count must be more than the 3 partitions the topic has now (got 2)"),
        (0, "count must be between 1 and 64 (got 0)"),
        (65, "count must be between 1 and 64 (got 65)"),
    ] {
        let e = sim.handle(Command::AddPartitions { count }).unwrap_err().to_string();
        assert!(e.starts_with(said), "{e}");
    }
    assert_eq!(sim.trace_hash(), hash);
    assert!(sim.commands().is_empty());
    assert_eq!(sim.partitions().len(), 3);
    assert_eq!(sim.scenario().topic.partitions, 3);
    sim.handle(Command::AddPartitions { count: 64 }).unwrap();
    let e = sim.handle(Command::AddPartitions { count: 64 }).unwrap_err().to_string();
    assert!(e.starts_with("count must be more than the 64 partitions"), "{e}");
}

#[test]
fn a_fault_schedule_counts_the_partitions_at_each_time() {
    let at = |at_ms, count| ScheduledCommand { at_ms, command: Command::AddPartitions { count } };
    let mut s = topic(JAVA);
    s.faults = vec![at(3_000, 5), at(1_000, 4)];
    s.validate().unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    at_ms(&mut sim, 10_000);
    assert_eq!(added(&sim).iter().map(|a| (a.0, a.1)).collect::<Vec<_>>(), vec![(3, 4), (4, 5)]);
    assert_eq!(Report::of(&sim).topic_partitions, 5);
    assert!(Report::of(&sim).to_text().contains("topic           5 partitions"));
    // At 3 s the topic has 5 already: a fault growing it to 5 again is refused.
    s.faults.push(at(4_000, 5));
    let e = s.validate().unwrap_err().to_string();
    assert_eq!(
        e,
        "faults[2].command.count: must be more than the 5 partitions the topic has at that time (got 5): Kafka adds partitions to a topic, never removes them"
    );
    s.faults[2] = at(4_000, 65);
    assert!(s.validate().unwrap_err().to_string().starts_with("faults[2].command: count must be between 1 and 64"));
}

fn at_ms(sim: &mut Simulation, ms: u64) {
    at(sim, ms);
}

/// A backlog on the old partitions, none on the new: a moved key's newer records are applied
/// before its older ones. Counted, and journaled; never without a change or without keys.
#[test]
fn order_per_key_breaks_across_the_change_and_is_counted() {
    let mut s = topic(JAVA);
    s.producer.keys.count = 12;
    s.producer.rate_per_sec = 60.0;
    s.processing.service.mean_ms = 40.0;
    let run = |s: &Scenario, grow: bool| {
        let mut sim = Simulation::new(s).unwrap();
        at(&mut sim, 5_000);
        if grow {
            sim.handle(Command::AddPartitions { count: 6 }).unwrap();
        }
        at(&mut sim, 30_000);
        sim.ledger().audit().unwrap();
        sim
    };
    let sim = run(&s, true);
    let broken = sim.stats().consumer.key_order_broken;
    assert!(broken > 0, "no key applied out of order");
    let journaled = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::KeyOrderBroken { .. })).count();
    assert_eq!(journaled as u64, broken);
    for e in sim.journal().iter() {
        if let JournalKind::KeyOrderBroken { msg, after, .. } = e.kind {
            assert!(msg < after);
            assert_eq!(sim.ledger().get(msg).unwrap().key, sim.ledger().get(after).unwrap().key);
            assert_ne!(sim.ledger().get(msg).unwrap().route, sim.ledger().get(after).unwrap().route);
        }
    }
    assert!(Report::of(&sim).to_text().contains(&format!("{broken} applied after a later record of their key")));
    assert_eq!(run(&s, false).stats().consumer.key_order_broken, 0);
    s.producer.keys.count = 0;
    assert_eq!(run(&s, true).stats().consumer.key_order_broken, 0);
}

/// Both clients' default, `auto.offset.reset=latest`: a new partition has no committed offset, so
/// its first reader starts at the log end, and what the producer wrote to it before that first
/// fetch is never read (a known surprise of adding partitions in Kafka).
#[test]
fn with_latest_the_records_written_to_a_new_partition_before_its_first_fetch_are_lost() {
    let s = topic(JAVA);
    assert_eq!(s.consumers.auto_offset_reset, AutoOffsetReset::Latest);
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 3_000);
    sim.handle(Command::AddPartitions { count: 6 }).unwrap();
    at(&mut sim, 20_000);
    sim.ledger().audit().unwrap();
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0].0, eda_lab::sim::LossReason::OffsetResetLatest);
    assert!(lost[0].1 > 0);
}
