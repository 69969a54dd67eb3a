//! Publish-subscribe on the log broker: one consumer group per subscriber on one topic. Each group
//! reads every record at its own pace and commits its own offsets; what happens in one group
//! (a crash, a rebalance, falling behind) changes nothing in another; retention deletes by age,
//! whoever has read the record. The properties over random groups are in `properties.rs` (its
//! scenarios include subscribers); these are the cases a learner meets.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::{JournalEntry, JournalKind};
use eda_lab::sim::report::Report;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, CommandError, ConsumerId, Outcome, PartitionId, SimTime, Simulation};

fn sub(name: &str, consumers: u32) -> Subscriber {
    Subscriber { name: name.into(), consumers: Some(consumers), ..Subscriber::default() }
}

/// Three consumer groups on a topic of four partitions, 40 messages, no faults unless a test adds
/// them.
fn groups() -> Scenario {
    let mut s = Scenario::default();
    s.topic.partitions = 4;
    s.producer.max_messages = Some(40);
    s.producer.rate_per_sec = 10.0;
    s.processing.service.mean_ms = 50.0;
    s.subscribers = vec![sub("billing", 2), sub("shipping", 1), sub("analytics", 3)];
    s
}

fn run(s: &Scenario, secs: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_secs(secs), u64::MAX);
    sim.audit().unwrap();
    sim
}

#[test]
fn every_group_reads_every_record_once() {
    let sim = run(&groups(), 60);
    let c = sim.ledger().counts();
    assert_eq!((sim.ledger().produced(), c.exactly_once, c.in_flight), (40, 40, 0), "{c:?}");
    assert_eq!(sim.ledger().effects_total(), 3 * 40, "one effect per group");
    let effects: Vec<_> = sim.pipelines().iter().map(|p| p.effects()).collect();
    assert_eq!(effects, [(40, 0); 3]);
    // Appended once: the groups share the topic's records and each commits to the log end.
    let appended = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::Appended { .. })).count();
    assert!(appended <= 40, "the journal keeps at most what was appended: {appended}");
    let log_end: u64 = sim.partitions().iter().map(|p| p.log_end()).sum();
    assert_eq!(log_end, 40, "each record is in the log once");
    for (k, g) in sim.groups().iter().enumerate() {
        assert_eq!(g.committed.iter().sum::<u64>(), 40, "group {k} committed everything");
        let members = sim.pipelines()[k].consumers().len();
        for owner in g.owner.iter().flatten() {
            assert_eq!(owner.subscriber() as usize, k, "a group's partitions go to its own members");
            assert!(owner.index() < members);
        }
    }
    let report = Report::of(&sim);
    assert!(report.to_text().contains("one topic read by 3 consumer groups (billing, shipping, analytics)"));
    assert_eq!(report.subscribers[1].group.as_ref().unwrap().lag, 0);
}

/// What group `k` did, step by step (its members' entries), without the message's counts over
/// every group (how many deliveries and effects it has had in all).
fn steps_of(sim: &Simulation, k: u8) -> Vec<JournalEntry> {
    let own = |mut e: JournalEntry| {
        match &mut e.kind {
            JournalKind::Received { delivery, .. } => *delivery = 0,
            JournalKind::EffectApplied { effects, .. } => *effects = 0,
            _ => {}
        }
        e
    };
    sim.journal().iter().filter(|e| e.kind.subscriber() == Some(k)).cloned().map(own).collect()
}

/// A shipping consumer crashes after its effect, before its commit: shipping reads the record
/// again and applies it twice; billing and analytics do exactly what they did without the crash.
#[test]
fn a_crash_in_one_group_changes_nothing_in_the_others() {
    let mut s = groups();
    s.metrics.journal = 100_000;
    let calm = run(&s, 60);
    s.faults.push(ScheduledCommand {
        at_ms: 1_000,
        command: Command::CrashConsumer { consumer: ConsumerId::of(1, 0), at: Some(CrashPoint::AfterEffect) },
    });
    let crashed = run(&s, 60);
    let repeated: Vec<u64> = crashed.pipelines().iter().map(|p| p.effects().1).collect();
    assert_eq!(repeated[0] + repeated[2], 0);
    assert!(repeated[1] >= 1, "shipping read its uncommitted record again: {repeated:?}");
    assert!(crashed.ledger().counts().duplicated >= 1);
    assert!(crashed.groups()[1].stats.rebalances >= 1, "the crash rebalanced shipping");
    for k in [0, 2] {
        assert_eq!(steps_of(&calm, k), steps_of(&crashed, k), "group {k} did the same");
        assert_eq!(crashed.groups()[k as usize].stats.rebalances, 0, "group {k} never rebalanced");
    }
}

/// Retention deletes by age, whoever has read the record: a slow group loses what it had not read
/// while a fast one read it all. The message is lost (not every subscriber applied it), by
/// retention.
#[test]
fn retention_takes_what_the_slow_group_had_not_read() {
    let mut s = groups();
    s.subscribers = vec![sub("billing", 2), Subscriber { mean_ms: Some(1_500.0), ..sub("analytics", 1) }];
    s.topic.retention_ms = Some(2_000);
    s.topic.segment_ms = 500;
    s.topic.retention_check_ms = 250;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    let sim = run(&s, 120);
    let c = sim.ledger().counts();
    assert_eq!(c.in_flight, 0, "{c:?}");
    assert!(c.lost > 0, "{c:?}");
    assert_eq!(sim.pipelines()[0].effects(), (40, 0), "billing kept up and applied everything");
    let analytics = sim.pipelines()[1].effects().0;
    assert_eq!(analytics + c.lost, 40, "each message analytics missed is lost, and only those");
    let lost = Report::of(&sim).lost_by_reason;
    assert_eq!(lost.get("retention"), Some(&c.lost), "{lost:?}");
    for msg in sim.ledger().examples(Outcome::Lost) {
        assert_eq!(sim.ledger().get(*msg).unwrap().applied, 0b01, "billing applied the lost {msg}");
    }
}

/// The topic grows: every group's leader sees it and each group rebalances to read the new
/// partitions.
#[test]
fn new_partitions_reach_every_group() {
    let mut s = groups();
    s.producer.max_messages = None;
    s.faults.push(ScheduledCommand { at_ms: 2_000, command: Command::AddPartitions { count: 6 } });
    let sim = run(&s, 30);
    for (k, g) in sim.groups().iter().enumerate() {
        assert_eq!(g.owner.len(), 6);
        assert!(g.owner.iter().all(Option::is_some), "group {k} owns every partition: {:?}", g.owner);
        assert!(g.stats.rebalances >= 1, "group {k} rebalanced");
        assert!(sim.lag_of(k as u8, PartitionId(5)) < 10);
    }
}

/// A retry or a redrive appends to the topic again, so every group would read it again: with
/// several groups the rules refuse both, naming what to change.
#[test]
fn appending_again_for_one_group_is_refused() {
    let mut s = groups();
    s.processing.retry.mode = RetryMode::Reappend;
    match Simulation::new(&s) {
        Err(ScenarioError::Invalid { field, message }) => {
            assert_eq!(field, "processing.retry.mode");
            assert!(message.contains("every group"), "{message}");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    s.processing.retry.mode = RetryMode::InPlace;
    let mut sim = Simulation::new(&s).unwrap();
    match sim.handle(Command::Redrive { msg: None }) {
        Err(CommandError::Invalid { message, .. }) => assert!(message.contains("several consumer groups"), "{message}"),
        other => panic!("{other:?}"),
    }
    s.faults.push(ScheduledCommand { at_ms: 1_000, command: Command::Redrive { msg: None } });
    match Simulation::new(&s) {
        Err(ScenarioError::Invalid { field, .. }) => assert_eq!(field, "faults[0].command"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    // One subscriber on the log is one group: a redrive goes.
    s.faults.clear();
    s.subscribers.truncate(1);
    assert!(Simulation::new(&s).unwrap().handle(Command::Redrive { msg: None }).is_ok());
}

/// The log keeps what it delivered: a group that starts at 20 s with earliest replays the topic
/// from its first record and catches up; with latest it starts at the log end, and every message
/// produced before is lost to it (by the offset reset).
#[test]
fn a_group_started_later_replays_the_log_or_skips_it() {
    let mut s = eda_lab::sim::builtins::builtin("stream-replay").unwrap();
    s.metrics.journal = 100_000;
    assert_eq!(s.subscribers[1].starts_at_ms, Some(20_000));
    let sim = run(&s, 40);
    let analytics: Vec<_> = sim
        .journal()
        .iter()
        .filter(|e| matches!(e.kind, JournalKind::Received { consumer, .. } if consumer.subscriber() == 1))
        .map(|e| e.time)
        .collect();
    assert!(analytics.iter().all(|&t| t >= SimTime::from_secs(20)), "nothing read before it started");
    let produced = sim.ledger().produced();
    assert_eq!(sim.pipelines()[1].effects(), (produced, 0), "analytics replayed everything");
    assert_eq!(sim.ledger().counts().lost, 0);
    let started = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::SubscriberStarted { subscriber: 1 }));
    assert_eq!(started.count(), 1);

    let mut latest = s.clone();
    latest.consumers.auto_offset_reset = AutoOffsetReset::Latest;
    let sim = run(&latest, 40);
    let c = sim.ledger().counts();
    let before: u64 = sim.partitions().iter().map(|p| p.log_end()).sum::<u64>() - sim.pipelines()[1].effects().0;
    assert!(c.lost > 50, "the first 20 s are never read by analytics: {c:?}");
    assert_eq!(c.lost, before, "lost: exactly what analytics never read");
    let lost = Report::of(&sim).lost_by_reason;
    assert_eq!(lost.get("offset_reset_latest"), Some(&c.lost), "{lost:?}");
    assert_eq!(sim.pipelines()[0].effects().0, sim.ledger().produced(), "billing read everything");
}

/// A later start is never the first subscriber's (a queue may start later too: it gets only what
/// is produced after, `pubsub_both.rs`); and nothing acts on a subscriber's consumers before they
/// start.
#[test]
fn a_later_start_is_checked() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let mut s = groups();
    s.subscribers[0].starts_at_ms = Some(5_000);
    assert_eq!(field(&s).0, "subscribers[0].starts_at_ms");
    s.subscribers[0].starts_at_ms = None;
    s.subscribers[2].starts_at_ms = Some(5_000);
    s.broker = BrokerKind::Queue;
    assert!(s.validate().is_ok());
    s.broker = BrokerKind::Log;
    let crash = Command::CrashConsumer { consumer: ConsumerId::of(2, 0), at: None };
    s.faults.push(ScheduledCommand { at_ms: 4_000, command: crash.clone() });
    let (f, message) = field(&s);
    assert_eq!(f, "faults[0].command.consumer");
    assert!(message.contains("starts at 5000 ms"), "{message}");
    s.faults[0].at_ms = 6_000;
    let mut sim = Simulation::new(&s).unwrap();
    match sim.handle(crash.clone()) {
        Err(CommandError::Invalid { field, .. }) => assert_eq!(field, "consumer"),
        other => panic!("{other:?}"),
    }
    sim.run_until(SimTime::from_secs(7), u64::MAX);
    sim.audit().unwrap();
    assert_eq!(sim.pipelines()[2].stats().crashes, 1, "the scheduled crash came after the start");
    assert!(sim.handle(Command::RestartConsumer { consumer: ConsumerId::of(2, 0) }).is_ok());
}

/// A partition added before a group starts: the group learns of it when it starts.
#[test]
fn a_group_started_later_reads_partitions_added_before() {
    let mut s = groups();
    s.metrics.journal = 100_000;
    s.producer.max_messages = None;
    s.subscribers[2].starts_at_ms = Some(5_000);
    s.faults.push(ScheduledCommand { at_ms: 2_000, command: Command::AddPartitions { count: 6 } });
    let sim = run(&s, 30);
    let g = &sim.groups()[2];
    assert!(g.owner.iter().all(Option::is_some), "{:?}", g.owner);
    let read_new = sim.journal().iter().any(|e| {
        matches!(e.kind, JournalKind::Received { consumer, partition, .. } if consumer.subscriber() == 2 && partition.0 >= 4)
    });
    assert!(read_new, "analytics read the partitions added before it started");
    assert!(sim.lag_of(2, PartitionId(5)) < 10);
}
