//! Per-message TTL on the queue broker (`queue.expiration_ms`: the publisher's `expiration`
//! property) next to the queue's own TTL: RabbitMQ expires a message only at the head of the
//! queue, so one with a short TTL of its own waits behind messages that expire later, past its
//! expiry; with both TTLs the lower applies.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::{DropCause, JournalKind};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, LossReason, SimTime, Simulation};

/// One slow consumer on a queue fed faster than it takes: a backlog builds up.
fn backlog() -> Scenario {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.topic.partitions = 1;
    s.consumers.count = 1;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.producer.rate_per_sec = 10.0;
    s.processing.service = ServiceTime { distribution: ServiceDistribution::Constant, mean_ms: 400.0 };
    s.queue.dead_letter_exchange = false;
    s.metrics.journal = 100_000;
    s
}

fn expired(sim: &Simulation) -> Vec<(SimTime, eda_lab::sim::MessageId)> {
    sim.journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::QueueDropped { msg, cause: DropCause::Expired, .. } => Some((e.time, msg)),
            _ => None,
        })
        .collect()
}

fn set_expiration(sim: &mut Simulation, ms: u64) {
    sim.handle(Command::Set { setting: "queue.expiration_ms".into(), value: ms.into() }).unwrap();
}

#[test]
fn a_short_expiry_behind_a_long_one_waits_for_the_head() {
    let mut s = backlog();
    s.queue.expiration_ms = Some(60_000);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(2), u64::MAX);
    let waiting = sim.queue().unwrap().depth().0;
    assert!(waiting >= 8, "a backlog of long-lived messages: {waiting}");
    // From now on each message expires 100 ms after it is queued, but it waits behind the
    // backlog, which lives for a minute.
    set_expiration(&mut sim, 100);
    let first_short = sim.ledger().produced();
    sim.run_until(SimTime::from_secs(4), u64::MAX);
    sim.audit().unwrap();
    assert!(expired(&sim).is_empty(), "nothing expires while a long-lived message is at the head");
    assert!(sim.queue().unwrap().depth().0 > waiting, "the short-lived ones wait, past their expiry");
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    sim.audit().unwrap();
    let gone = expired(&sim);
    assert!(!gone.is_empty());
    // Each expired once the backlog ahead of it had gone to the consumer, long after its 100 ms.
    let backlog_done = SimTime::from_ms(2_000 + 400 * (waiting as u64 - 1));
    assert!(gone.iter().all(|&(t, msg)| msg.0 as u64 >= first_short && t >= backlog_done), "{gone:?}");
    let lost = sim.ledger().lost_by_reason().find(|&(r, _)| r == LossReason::Expired).map_or(0, |(_, n)| n);
    assert_eq!(lost, gone.len() as u64, "lost without a dead-letter exchange, as expired");
}

#[test]
fn with_a_queue_ttl_too_the_lower_applies() {
    let mut s = backlog();
    s.queue.message_ttl_ms = Some(1_000);
    s.queue.expiration_ms = Some(60_000);
    let long_own = Simulation::new(&s).map(|mut sim| {
        sim.run_until(SimTime::from_secs(10), u64::MAX);
        expired(&sim).len()
    });
    s.queue.expiration_ms = Some(300);
    let short_own = Simulation::new(&s).map(|mut sim| {
        sim.run_until(SimTime::from_secs(10), u64::MAX);
        sim.audit().unwrap();
        expired(&sim)
    });
    let (long_own, short_own) = (long_own.unwrap(), short_own.unwrap());
    s.queue.expiration_ms = None;
    let queue_only = Simulation::new(&s).map(|mut sim| {
        sim.run_until(SimTime::from_secs(10), u64::MAX);
        expired(&sim).len()
    });
    assert_eq!(
        long_own,
        queue_only.unwrap(),
        "a longer expiration of its own changes nothing: the queue's 1 s applies"
    );
    assert!(short_own.len() > long_own, "300 ms of its own expires more than the queue's 1 s");
}

#[test]
fn the_setting_is_checked_and_left_out_of_the_json_when_unset() {
    let json = serde_json::to_string(&backlog()).unwrap();
    assert!(!json.contains("expiration_ms"), "{json}");
    let mut s = backlog();
    s.queue.expiration_ms = Some(5);
    assert!(serde_json::to_string(&s).unwrap().contains(r#""expiration_ms":5"#));
    let mut sim = Simulation::new(&backlog()).unwrap();
    let bad = Command::Set { setting: "queue.expiration_ms".into(), value: (-1).into() };
    match sim.handle(bad) {
        Err(e) => assert!(e.to_string().contains("queue.expiration_ms"), "{e}"),
        Ok(_) => panic!("a negative expiration was accepted"),
    }
}

/// Turning the publisher's expiration off changes only what it publishes from then on: the
/// messages already stamped still expire at the head (the queue checked no TTL once both were
/// unset, and its expiry check came back at the same instant for ever).
#[test]
fn messages_stamped_before_expiration_is_turned_off_still_expire() {
    let mut s = backlog();
    s.queue.expiration_ms = Some(300);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(2), u64::MAX);
    sim.handle(Command::Set { setting: "queue.expiration_ms".into(), value: serde_json::Value::Null }).unwrap();
    let stamped = sim.ledger().produced();
    let before = expired(&sim).len();
    let status = sim.run_until(SimTime::from_secs(20), u64::MAX);
    assert_eq!(status, eda_lab::sim::RunStatus::Reached, "the run went on");
    sim.audit().unwrap();
    let gone = expired(&sim);
    assert!(gone.len() > before, "a stamped message at the head expired after the change");
    assert!(gone.iter().all(|&(_, msg)| (msg.0 as u64) < stamped), "none published after it expires: {gone:?}");
}
