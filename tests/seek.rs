//! A consumer group that seeks to a time (`subscribers[i].seek_to_time_ms`): on each partition it
//! gets with no committed offset it starts at the first record produced at or after that time, as
//! an app does with `offsetsForTimes` and `seek` in `onPartitionsAssigned`. Streaming's replay
//! from any point: the log keeps what it delivered, a queue cannot.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::JournalKind;
use eda_lab::sim::report::Report;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{LossReason, SimTime, Simulation};

/// Billing reads from the start; audit starts at 20 s and seeks to 10 s.
fn seeking() -> Scenario {
    let mut s = Scenario::default();
    s.topic.partitions = 3;
    s.producer.rate_per_sec = 10.0;
    s.producer.max_messages = Some(300);
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.metrics.journal = 100_000;
    s.metrics.recent_messages = 100_000;
    let audit = Subscriber {
        name: "audit".into(),
        consumers: Some(1),
        starts_at_ms: Some(20_000),
        seek_to_time_ms: Some(10_000),
        ..Subscriber::default()
    };
    s.subscribers = vec![Subscriber { name: "billing".into(), ..Subscriber::default() }, audit];
    s
}

#[test]
fn a_group_that_seeks_reads_exactly_what_was_produced_from_that_time() {
    let s = seeking();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(120), u64::MAX);
    sim.audit().unwrap();
    let produced = sim.ledger().produced();
    assert_eq!((produced, sim.ledger().counts().in_flight), (300, 0));
    let ten = SimTime::from_secs(10);
    let before: Vec<u32> = (0..produced as u32)
        .filter(|&m| sim.ledger().get(eda_lab::sim::MessageId(m)).unwrap().produced_at < ten)
        .collect();
    assert!(before.len() > 50 && before.len() < 150, "{}", before.len());
    // Audit applied every message produced from 10 s on, and none before.
    for m in 0..produced as u32 {
        let r = sim.ledger().get(eda_lab::sim::MessageId(m)).unwrap();
        assert_eq!(r.applied & 0b10 != 0, r.produced_at >= ten, "evt {m} at {:?}", r.produced_at);
    }
    assert_eq!(sim.pipelines()[1].effects().0, produced - before.len() as u64);
    // Those before are lost to audit, with the seek as the reason; billing read everything.
    let c = sim.ledger().counts();
    assert_eq!(c.lost, before.len() as u64, "{c:?}");
    let lost = Report::of(&sim).lost_by_reason;
    assert_eq!(lost.get("skipped_by_seek"), Some(&c.lost), "{lost:?}");
    assert_eq!(sim.pipelines()[0].effects().0, produced);
    let seeks: Vec<_> = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::Seeked { .. })).collect();
    assert_eq!(seeks.len(), 3, "one seek per partition");
    assert!(seeks.iter().all(|e| e.time >= SimTime::from_secs(20)));
    let words = eda_lab::sim::narrate::describe(&seeks[0].kind, &sim);
    assert!(words.contains("the first record produced at or after 10.0 s (offsetsForTimes"), "{words}");
    assert!(sim.ledger().lost_by_reason().any(|(r, n)| r == LossReason::SkippedBySeek && n > 0));
}

#[test]
fn a_committed_offset_wins_over_the_seek_and_a_queue_cannot_seek() {
    // The seek applies only where the group has no committed offset: a restarted member resumes
    // from its commit, reading nothing twice and skipping nothing more.
    let mut s = seeking();
    let audit = eda_lab::sim::ConsumerId::of(1, 0);
    s.faults.push(ScheduledCommand {
        at_ms: 25_000,
        command: eda_lab::sim::Command::CrashConsumer { consumer: audit, at: None },
    });
    s.consumers.crash.restart_delay_ms = Some(500);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(90), u64::MAX);
    sim.audit().unwrap();
    let seeks = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::Seeked { .. })).count();
    assert_eq!(seeks, 3, "no seek again after the restart: the partitions have commits by then");
    let lost = Report::of(&sim).lost_by_reason;
    let skipped = *lost.get("skipped_by_seek").unwrap();
    assert_eq!(sim.ledger().counts().lost, skipped, "{lost:?}");
    // A queue reader cannot seek.
    let mut s = seeking();
    s.subscribers[1].broker = Some(BrokerKind::Queue);
    match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => {
            assert_eq!(field, "subscribers[1].seek_to_time_ms");
            assert!(message.contains("a queue cannot seek"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
