//! The clients' partitioners as the engine applies them: keyed records go where the client's hash
//! says, keyless ones stick to a partition for as long as the client's rule says (the Java client:
//! `batch.size` bytes; librdkafka: `sticky.partitioning.linger.ms`).
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::partitioner::{crc32, murmur2_partition};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{SimTime, Simulation};

/// 2,000 messages, one every millisecond, to 4 partitions (the ledger keeps all their records).
fn scenario(client: Client, keys: u32) -> Scenario {
    let mut s = Scenario::default();
    s.producer.client = client;
    s.producer.keys.count = keys;
    s.producer.rate_per_sec = 1_000.0;
    s.producer.arrivals = Arrivals::Constant;
    s.producer.max_messages = Some(2_000);
    s.topic.partitions = 4;
    s
}

/// (key, partition) of every produced message, in order.
fn produced(s: &Scenario) -> Vec<(u32, u32)> {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_secs(3), u64::MAX);
    assert_eq!(sim.ledger().produced(), 2_000);
    (0..2_000).map(|m| sim.ledger().get(eda_lab::sim::MessageId(m)).map(|r| (r.key, r.route)).expect("kept")).collect()
}

/// Lengths of the runs of consecutive messages on one partition.
fn runs(placed: &[(u32, u32)]) -> Vec<usize> {
    let mut runs = vec![1];
    for w in placed.windows(2) {
        if w[0].1 == w[1].1 {
            *runs.last_mut().unwrap() += 1;
        } else {
            runs.push(1);
        }
    }
    runs
}

#[test]
fn java_sticks_for_batch_size_bytes() {
    let mut s = scenario(Client::Java, 0);
    s.producer.record_bytes = 1_000;
    s.producer.batch_size = 10_000;
    let placed = produced(&s);
    let runs = runs(&placed);
    // A run is one or more stints of ten records (the next draw may pick the same partition).
    assert!(runs[..runs.len() - 1].iter().all(|r| r % 10 == 0), "{runs:?}");
    assert!(runs.len() > 100, "{} runs", runs.len());
    assert!((0..4).all(|p| placed.iter().any(|&(_, q)| q == p)), "every partition gets its turns");
}

#[test]
fn librdkafka_sticks_for_the_linger() {
    let mut s = scenario(Client::Librdkafka, 0);
    s.producer.sticky_linger_ms = 10;
    let runs = runs(&produced(&s));
    // Drawn at t, kept through t + 10 ms: eleven messages a millisecond apart.
    assert!(runs[..runs.len() - 1].iter().all(|r| r % 11 == 0), "{runs:?}");
    assert!(runs.len() > 100, "{} runs", runs.len());
}

#[test]
fn librdkafka_without_linger_draws_for_every_message() {
    let mut s = scenario(Client::Librdkafka, 0);
    s.producer.sticky_linger_ms = 0;
    // Three draws in four change the partition.
    let changes = runs(&produced(&s)).len() - 1;
    assert!((1_400..1_600).contains(&changes), "{changes} changes in 2000 messages");
}

#[test]
fn keyed_messages_go_where_the_clients_hash_says() {
    let name = |key: u32| format!("user_{key}");
    for (client, partitioner) in [
        (Client::Java, RdPartitioner::ConsistentRandom),
        (Client::Librdkafka, RdPartitioner::ConsistentRandom),
        (Client::Librdkafka, RdPartitioner::Murmur2Random),
    ] {
        let mut s = scenario(client, 50);
        s.producer.partitioner = partitioner;
        for (key, partition) in produced(&s) {
            let k = name(key);
            let want = match (client, partitioner) {
                (Client::Librdkafka, RdPartitioner::ConsistentRandom) => crc32(k.as_bytes()) % 4,
                _ => murmur2_partition(k.as_bytes(), 4),
            };
            assert_eq!(partition, want, "{client:?} {partitioner:?} {k}");
        }
    }
}
