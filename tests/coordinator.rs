//! The group coordinator as Kafka's classic protocol runs it (`GroupCoordinator` /
//! `GroupMetadata`): a crashed member keeps its partitions until its session times out, a
//! rebalance waits for every known member, static members come back without a rebalance, and a
//! consumer that holds a record past `max.poll.interval.ms` is put out and its commit fails.

use eda_lab::sim::config::choices::{Assignor, Client, CommitStrategy};
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ids::{ConsumerId, PartitionId};
use eda_lab::sim::{Command, Scenario, SimTime, Simulation};

/// Three consumers on three partitions, steady traffic, no random faults; session 6 s.
fn group() -> Scenario {
    let mut s = Scenario::default();
    s.consumers.crash.restart_delay_ms = None;
    s.consumers.session_timeout_ms = 6_000;
    s.producer.rate_per_sec = 20.0;
    s.processing.service.mean_ms = 20.0;
    s.metrics.journal = 100_000;
    s
}

fn at(sim: &mut Simulation, ms: u64) {
    sim.run_until(SimTime::from_ms(ms), u64::MAX);
}

/// When each journal entry matching `pick` happened, in ms.
fn times(sim: &Simulation, pick: impl Fn(&JournalKind) -> bool) -> Vec<u64> {
    sim.journal().iter().filter(|e| pick(&e.kind)).map(|e| e.time.as_us() / 1_000).collect()
}

fn rebalances_done(sim: &Simulation) -> Vec<u64> {
    times(sim, |k| matches!(k, JournalKind::RebalanceDone { .. }))
}

#[test]
fn a_crashed_member_keeps_its_partitions_until_its_session_times_out() {
    let mut sim = Simulation::new(&group()).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    at(&mut sim, 6_900);
    // Nobody took partition 1 over: no rebalance began, and its lag grows.
    assert!(rebalances_done(&sim).is_empty());
    assert_eq!(sim.stats().group.rebalances, 0);
    assert_eq!(sim.group().owner[1], Some(ConsumerId(1)));
    assert!(sim.lag(PartitionId(1)) > 20, "lag {}", sim.lag(PartitionId(1)));
    at(&mut sim, 20_000);
    // The session ran out at 7 s: one rebalance, done after the 300 ms sync.
    assert_eq!(rebalances_done(&sim), vec![7_300]);
    assert_eq!(sim.stats().group.rebalances, 1);
    assert!(sim.group().owner.iter().all(|o| o.is_some() && *o != Some(ConsumerId(1))));
}

#[test]
fn a_restart_joins_at_once_but_the_group_waits_for_the_old_session_in_one_rebalance() {
    let mut sim = Simulation::new(&group()).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    at(&mut sim, 2_000);
    sim.handle(Command::RestartConsumer { consumer: ConsumerId(1) }).unwrap();
    at(&mut sim, 20_000);
    let started = times(&sim, |k| matches!(k, JournalKind::RebalanceStarted { .. }));
    // The restarted process joins as a new member at 2 s; the coordinator still counts the dead
    // one until 7 s, so the whole group waits: one rebalance from 2 s to 7.3 s.
    assert_eq!(started, vec![2_000]);
    assert_eq!(rebalances_done(&sim), vec![7_300]);
    let received = times(&sim, |k| matches!(k, JournalKind::Received { .. }));
    assert!(!received.iter().any(|&t| (2_001..7_300).contains(&t)), "nobody fetches while the group waits");
}

#[test]
fn an_added_consumer_waits_for_the_crashed_members_session_in_the_same_rebalance() {
    let mut sim = Simulation::new(&group()).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    at(&mut sim, 3_000);
    sim.handle(Command::AddConsumer).unwrap();
    at(&mut sim, 20_000);
    assert_eq!(sim.stats().group.rebalances, 1);
    assert_eq!(rebalances_done(&sim), vec![7_300]);
    let owners: Vec<_> = sim.group().owner.iter().map(|o| o.unwrap().0).collect();
    assert_eq!(owners, vec![0, 2, 3], "range over the members left: 0, 2 and the new 3");
}

#[test]
fn a_static_member_back_within_its_session_causes_no_rebalance() {
    let mut s = group();
    s.consumers.static_membership = true;
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    at(&mut sim, 3_000);
    sim.handle(Command::RestartConsumer { consumer: ConsumerId(1) }).unwrap();
    at(&mut sim, 30_000);
    assert_eq!(sim.stats().group.rebalances, 0);
    assert_eq!(sim.group().owner[1], Some(ConsumerId(1)));
    assert_eq!(times(&sim, |k| matches!(k, JournalKind::StaticRejoined { .. })), vec![3_000]);
    assert_eq!(sim.ledger().counts().lost, 0);
    // Back too late, it is a new member: the session had run out at 7 s.
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    at(&mut sim, 9_000);
    sim.handle(Command::RestartConsumer { consumer: ConsumerId(1) }).unwrap();
    at(&mut sim, 30_000);
    assert_eq!(sim.stats().group.rebalances, 2);
}

#[test]
fn a_record_held_past_the_poll_interval_is_processed_twice() {
    let mut s = group();
    s.consumers.count = 2;
    s.topic.partitions = 2;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.consumers.max_poll_interval_ms = 5_000;
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 2_000);
    // Processing slows to 8 s a record: longer than the poll interval.
    sim.handle(Command::SetServiceMean { mean_ms: 8_000.0 }).unwrap();
    at(&mut sim, 60_000);
    let stats = sim.stats().consumer;
    assert!(stats.poll_timeouts > 0 && stats.commits_failed > 0, "{stats:?}");
    assert!(sim.ledger().counts().duplicated > 0, "the record's new owner processed it again");
    let timeouts = times(&sim, |k| matches!(k, JournalKind::PollTimeout { .. }));
    let failures = times(&sim, |k| matches!(k, JournalKind::CommitFailed { .. }));
    assert!(timeouts[0] < failures[0]);
    sim.ledger().audit().unwrap();
}

#[test]
fn a_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped() {
    let mut s = group();
    s.consumers.max_poll_interval_ms = 4_000;
    s.consumers.session_timeout_ms = 30_000;
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 1_000);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(2), at: None }).unwrap();
    sim.handle(Command::AddConsumer).unwrap();
    at(&mut sim, 20_000);
    // The crashed member's session (30 s) outlasts the rebalance timeout (4 s): dropped at 5 s.
    assert_eq!(times(&sim, |k| matches!(k, JournalKind::RebalanceTimedOut { dropped: 1, .. })), vec![5_000]);
    assert_eq!(rebalances_done(&sim), vec![5_300]);
    assert!(!sim.in_group(ConsumerId(2)));
}

#[test]
fn a_static_member_busy_through_a_rebalance_does_not_read_again_what_it_committed() {
    // Found by the property tests: the join phase times out while static member 0 still holds a
    // record; the rebalance completes without it and every owner's fetch position goes back to the
    // committed offset. Member 0 then commits its record, and its next fetch must start after it.
    let mut s = group();
    s.consumers.static_membership = true;
    s.consumers.count = 2;
    s.topic.partitions = 2;
    s.processing.service.distribution = eda_lab::sim::scenario::ServiceDistribution::Constant;
    s.processing.service.mean_ms = 3_000.0;
    let mut sim = Simulation::new(&s).unwrap();
    at(&mut sim, 500);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: None }).unwrap();
    // A rebalance timeout shorter than the record in hand (the poll timer armed earlier is not).
    sim.handle(Command::Set { setting: "consumers.max_poll_interval_ms".into(), value: 1.into() }).unwrap();
    for _ in 0..200_000 {
        if !sim.step() {
            break;
        }
        sim.ledger().audit().unwrap_or_else(|e| panic!("at {}: {e}", sim.now()));
        if sim.now() > SimTime::from_ms(12_000) {
            break;
        }
    }
    assert!(!rebalances_done(&sim).is_empty(), "the rebalance completed while member 0 was busy");
}

#[test]
fn round_robin_deals_partitions_out_in_turn() {
    let mut s = group();
    s.topic.partitions = 5;
    s.consumers.count = 2;
    s.consumers.assignor = Assignor::RoundRobin;
    let sim = Simulation::new(&s).unwrap();
    let owners: Vec<_> = sim.group().owner.iter().map(|o| o.unwrap().0).collect();
    assert_eq!(owners, vec![0, 1, 0, 1, 0]);
    s.consumers.assignor = Assignor::Range;
    let sim = Simulation::new(&s).unwrap();
    let owners: Vec<_> = sim.group().owner.iter().map(|o| o.unwrap().0).collect();
    assert_eq!(owners, vec![0, 0, 0, 1, 1]);
}

/// Consumer 2 joins a group of two at 2 s; who fetches while the group rebalances?
fn fetching_during_a_join(assignor: Assignor) -> (Simulation, Vec<u64>) {
    let mut s = group();
    s.topic.partitions = 6;
    s.consumers.count = 2;
    s.consumers.assignor = assignor;
    s.consumers.rebalance_ms = 2_000;
    let mut sim = Simulation::new(&s).unwrap();
    let before: Vec<_> = sim.group().owner.clone();
    at(&mut sim, 2_000);
    sim.handle(Command::AddConsumer).unwrap();
    at(&mut sim, 20_000);
    let kept = sim.group().owner.iter().zip(&before).filter(|(a, b)| a == b).count();
    assert!(assignor != Assignor::CooperativeSticky || kept == 4, "sticky keeps 4 of 6 in place: {before:?}");
    let done = rebalances_done(&sim);
    let received = times(&sim, |k| matches!(k, JournalKind::Received { .. }));
    let during: Vec<u64> = received.into_iter().filter(|&t| (2_001..done[0]).contains(&t)).collect();
    (sim, during)
}

#[test]
fn an_eager_rebalance_stops_everyone_a_cooperative_one_only_what_moves() {
    let (sim, during) = fetching_during_a_join(Assignor::Range);
    assert!(during.is_empty(), "eager: nobody fetches while the group rebalances");
    assert_eq!(rebalances_done(&sim).len(), 1);
    let (sim, during) = fetching_during_a_join(Assignor::CooperativeSticky);
    assert!(!during.is_empty(), "cooperative: members keep reading what they own");
    // Two rounds: the first revokes what moves, the second hands it to the new member.
    let done = rebalances_done(&sim);
    assert_eq!(done.len(), 2, "{done:?}");
    let owners: Vec<_> = sim.group().owner.iter().map(|o| o.unwrap().0).collect();
    let mut counts = [0; 3];
    for o in &owners {
        counts[*o as usize] += 1;
    }
    assert_eq!(counts, [2, 2, 2], "balanced: {owners:?}");
    assert_eq!(sim.ledger().counts().lost, 0);
    sim.ledger().audit().unwrap();
}

/// A consumer that closes cleanly under auto-commit commits what it consumed first (the Java
/// client's `ConsumerCoordinator.close` → `maybeAutoCommitOffsetsSync`; librdkafka commits its
/// stored offsets when `rd_kafka_consumer_close` unassigns), so whoever takes its partitions over
/// reads on from there and nothing is processed twice, though the timer (a minute) never fired.
#[test]
fn a_clean_close_under_auto_commit_commits_what_it_consumed() {
    for client in [Client::Java, Client::Librdkafka] {
        let mut s = group();
        s.producer.client = client;
        s.consumers.commit = CommitStrategy::Auto { interval_ms: 60_000 };
        let mut sim = Simulation::new(&s).unwrap();
        at(&mut sim, 5_000);
        sim.handle(Command::RemoveConsumer).unwrap();
        at(&mut sim, 5_001);
        let left = times(&sim, |k| matches!(k, JournalKind::Left { consumer: ConsumerId(2) }));
        assert_eq!(left.len(), 1, "{client:?}: consumer 2 left");
        let commits: Vec<_> = sim
            .journal()
            .iter()
            .filter_map(|e| match e.kind {
                JournalKind::Committed { consumer: ConsumerId(2), partition, offset, auto: true } => {
                    Some((e.time.as_us() / 1_000, partition, offset))
                }
                _ => None,
            })
            .collect();
        assert_eq!(commits.len(), 1, "{client:?}: one commit on close: {commits:?}");
        let (when, partition, offset) = commits[0];
        assert_eq!(when, left[0], "{client:?}: committed as it left");
        assert!(offset > 20, "{client:?}: it committed what it consumed ({offset})");
        assert_eq!(sim.group().committed[partition.index()], offset);
        at(&mut sim, 15_000);
        // (Without the commit on close, the next owner would start again from offset 0.)
        assert_eq!(sim.ledger().counts().duplicated, 0, "{client:?}: the next owner read on from the commit");
    }
}
