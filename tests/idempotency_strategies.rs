//! The guide's idempotency strategies beyond the dedup store: versioning (each key's state keeps
//! the version of the last event applied; an event no newer is ignored) and a unique constraint
//! on insert (a second insert of a message id rolls back). The properties (never a duplicate;
//! versioning loses only what it ignored as stale) are in `properties.rs`; these are the
//! examples a learner meets.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::narrate::describe;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{LossReason, SimTime, Simulation};

/// One consumer on one partition, two keys, an API failing 30% of attempts, retried up to 10
/// times in `mode`; 200 messages.
fn failing(mode: RetryMode, idempotency: IdempotencyMode) -> Simulation {
    let mut s = Scenario::default();
    s.topic.partitions = 1;
    s.consumers.count = 1;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.producer.rate_per_sec = 10.0;
    s.producer.max_messages = Some(200);
    s.producer.keys = KeySpace { count: 2, hot_key_share: 0.0 };
    s.processing.service.mean_ms = 20.0;
    s.processing.failure_probability = 0.3;
    s.processing.retry = RetryPolicy { max_retries: 10, backoff_ms: 200, mode, ..RetryPolicy::default() };
    s.idempotency.mode = idempotency;
    s.metrics.journal = 100_000;
    s.metrics.recent_messages = 1_000;
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(120), u64::MAX);
    sim.audit().unwrap();
    sim
}

fn stale(sim: &Simulation) -> u64 {
    sim.ledger().lost_by_reason().find(|&(r, _)| r == LossReason::StaleVersion).map_or(0, |(_, n)| n)
}

/// A retry topic sends a failed event behind the later events of its key: versioning then finds
/// its key already at a newer version and ignores it, so its update is never applied. Retried in
/// place, the events of a key stay in order and nothing is ignored.
#[test]
fn versioning_ignores_an_event_a_retry_topic_moved_behind_a_newer_one() {
    let reordered = failing(RetryMode::Reappend, IdempotencyMode::Versioning);
    let c = reordered.ledger().counts();
    assert!(stale(&reordered) > 0, "{c:?}");
    assert_eq!((c.duplicated, c.in_flight, c.lost), (0, 0, stale(&reordered)), "{c:?}");
    let told = reordered
        .journal()
        .iter()
        .find(|e| matches!(e.kind, JournalKind::VersionIgnored { stale: true, .. }))
        .expect("the journal tells the ignored event");
    let JournalKind::VersionIgnored { msg, current, .. } = told.kind else { unreachable!() };
    assert!(current > msg);
    let key = |m| reordered.ledger().get(m).map(|r| r.key);
    assert!(key(msg).is_some());
    assert_eq!(key(msg), key(current), "ignored behind a newer event of its own key");
    let text = describe(&told.kind, &reordered);
    assert!(text.contains(&format!("its key is already at the newer version {current}")), "{text}");

    let in_order = failing(RetryMode::InPlace, IdempotencyMode::Versioning);
    let c = in_order.ledger().counts();
    assert_eq!((c.exactly_once, c.lost, c.duplicated), (200, 0, 0), "{c:?}");

    // Without versioning the retried event is applied late, over the newer state.
    let unguarded = failing(RetryMode::Reappend, IdempotencyMode::None);
    assert_eq!(unguarded.ledger().counts().lost, 0);
}

/// A dedup store with a TTL forgets an id, and a redelivery after that is applied again; a
/// unique constraint on the inserted id never forgets.
#[test]
fn a_unique_constraint_stops_the_late_duplicate_a_dedup_ttl_lets_through() {
    let mut s = builtin("dedup-atomic").unwrap();
    s.idempotency.dedup_ttl_ms = Some(1_000);
    s.metrics.journal = 100_000;
    let run = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(SimTime::from_secs(60), u64::MAX);
        sim.audit().unwrap();
        sim
    };
    let ttl = run(&s);
    assert!(ttl.ledger().counts().duplicated > 0, "the redelivery came after the 1 s TTL");
    s.idempotency = IdempotencyConfig { mode: IdempotencyMode::UniqueConstraint, dedup_ttl_ms: None };
    let unique = run(&s);
    let c = unique.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (0, 0), "{c:?}");
    let rejected = unique.journal().iter().find(|e| matches!(e.kind, JournalKind::InsertRejected { .. }));
    let text = describe(&rejected.expect("a redelivery's insert was rejected").kind, &unique);
    assert!(text.contains("violated the unique constraint"), "{text}");
}

#[test]
fn versioning_needs_keys() {
    let mut s = Scenario::default();
    s.idempotency.mode = IdempotencyMode::Versioning;
    s.producer.keys.count = 0;
    match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => {
            assert_eq!(field, "idempotency.mode");
            assert!(message.contains("producer.keys.count"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    s.producer.keys.count = 1;
    assert!(s.validate().is_ok());
}
