//! The engine on the queue broker (`broker: "queue"`): the producer publishes to one queue,
//! competing consumers take deliveries within their prefetch window, and the same consumer
//! pipeline, faults and ledger apply. The guarantees are properties over random scenarios and
//! live commands, as for the log (`properties.rs`), audited after every event.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::JournalKind;
use eda_lab::sim::journey::JourneyPolicy;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, ConsumerId, JourneyView, LossReason, SimTime, Simulation};
use proptest::prelude::*;

#[path = "props/scenarios.rs"]
mod scenarios;
use scenarios::*;
#[path = "props/runs.rs"]
mod runs;
use runs::*;

/// The largest prefetch a run's consumers were ever allowed: the scenario's, or one set live
/// (lowering `basic.qos` takes nothing back from a consumer, as in RabbitMQ).
fn widest_prefetch(s: &Scenario, commands: &[(u64, Command)]) -> usize {
    let set = commands.iter().filter_map(|(_, c)| match c {
        Command::Set { setting, value } if setting == "queue.prefetch" => value.as_u64(),
        _ => None,
    });
    set.chain([u64::from(s.queue.prefetch)]).max().unwrap() as usize
}

/// Times of broker restarts (none to three within the first 20 s).
fn restarts() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..20_000, 0..3)
}

/// `commands` with a broker restart at each of `at`, in time order.
fn with_restarts(mut commands: Vec<(u64, Command)>, at: &[u64]) -> Vec<(u64, Command)> {
    commands.extend(at.iter().map(|&t| (t, Command::RestartBroker)));
    commands.sort_by_key(|(t, _)| *t);
    commands
}

/// The queue's TTL and length limit, which let it drop messages (lost, or dead-lettered).
const QUEUE_LIMITS: &[&str] = &[
    "queue.message_ttl_ms",
    "queue.expiration_ms",
    "queue.max_length",
    "queue.dead_letter_exchange",
    "queue.delivery_limit",
];

fn no_queue_limits(s: &mut Scenario) {
    (s.queue.message_ttl_ms, s.queue.expiration_ms, s.queue.max_length) = (None, None, None);
    // A delivery limit lets a quorum queue drop (or dead-letter) what keeps coming back; a
    // breaker failing fast needs one under requeue, so such a run retries in place instead.
    s.queue.delivery_limit = None;
    let at_once =
        (s.breaker.enabled && s.breaker.when_open == WhenOpen::FailFast) || s.downstream.capacity_per_sec.is_some();
    if s.processing.retry.mode == RetryMode::Requeue && at_once {
        s.processing.retry.mode = RetryMode::InPlace;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The ledger balances after every event on the queue broker too, whatever the faults; no
    /// consumer ever holds more unacknowledged deliveries than its prefetch allows; the same
    /// inputs replay to the same trace hash.
    #[test]
    fn queue_ledger_balances_and_prefetch_bounds_unacked(mut s in queue_scenario(), commands in schedule(20_000), until_ms in 1_000u64..25_000,
        restarts in restarts(), (durable, persistent) in (any::<bool>(), any::<bool>())) {
        (s.queue.durable, s.queue.persistent) = (durable || s.queue.quorum(), persistent);
        let commands = with_restarts(commands, &restarts);
        let sim = run_audited(&s, &commands, until_ms).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(sim.queues().len(), s.subscriber_count(), "a queue per subscriber");
        for queue in sim.queues() {
            prop_assert!(queue.most_unacked() <= widest_prefetch(&s, &commands), "{} unacked\n{}", queue.most_unacked(), describe(&s, &commands));
        }
        let replayed = Simulation::replay(&s, sim.commands(), sim.now()).unwrap();
        prop_assert_eq!(replayed.trace_hash(), sim.trace_hash());
    }

    /// Auto-ack (the queue counts a delivery acknowledged as it hands it over) with a producer that
    /// cannot publish twice never applies an effect twice, whatever crashes.
    #[test]
    fn auto_ack_never_duplicates(mut s in queue_scenario(), commands in schedule(20_000), no_resend in any::<bool>()) {
        s.consumers.commit = CommitStrategy::BeforeProcessing;
        if s.processing.retry.mode == RetryMode::Requeue {
            s.processing.retry.mode = RetryMode::InPlace; // a nack needs an unacknowledged delivery
        }
        if no_resend { s.producer.acks = Acks::Zero } else { s.producer.retries = 0 }
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !sets(c, &["consumers.commit", "producer.acks", "producer.retries"])).collect();
        let sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(sim.ledger().counts().duplicated, 0, "{}", describe(&s, &commands));
    }

    /// Manual acknowledgement after processing, with a publisher that waits for confirms and
    /// resends: a crashed consumer's unacknowledged deliveries go back to the queue, so nothing is
    /// lost (no TTL or length limit applies here); after healing all settles.
    #[test]
    fn manual_ack_never_loses(mut s in queue_scenario(), commands in schedule(20_000), acks_all in any::<bool>(), restarts in restarts()) {
        make_at_least_once(&mut s, acks_all);
        no_queue_limits(&mut s);
        subscribers_fail_as_the_scenario_does(&mut s);
        // Broker restarts too: a durable queue keeps persistent messages.
        (s.queue.durable, s.queue.persistent) = (true, true);
        let commands = with_restarts(commands, &restarts);
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c, Command::SetCommitStrategy { .. })
            && !leaves_at_least_once(c) && !sets(c, QUEUE_LIMITS) && !sets(c, &["queue.persistent"])).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        prop_assert_eq!(lost_but_unroutable(&sim), 0, "{}", describe(&s, &commands));
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        prop_assert_eq!(lost_but_unroutable(&sim), 0, "{}", describe(&s, &commands));
        // Every message has settled, but a copy of one (a publisher's resend, a redelivery) may
        // still be on its way through: once the copies are done, the queue is empty.
        sim.run_until(SimTime(sim.now().as_us() + 600_000_000), u64::MAX);
        for queue in sim.queues() {
            prop_assert_eq!(queue.depth(), (0, 0), "{}", describe(&s, &commands));
        }
    }

    /// Manual ack plus a dedup store marked atomically with the effect: neither duplicates nor
    /// losses, even with a publisher whose resends queue copies.
    #[test]
    fn queue_with_atomic_dedup_is_effectively_exactly_once(mut s in queue_scenario(), commands in schedule(20_000), acks_all in any::<bool>()) {
        make_at_least_once(&mut s, acks_all);
        no_queue_limits(&mut s);
        subscribers_fail_as_the_scenario_does(&mut s);
        s.idempotency = IdempotencyConfig { mode: IdempotencyMode::DedupAtomic, dedup_ttl_ms: None };
        let commands: Vec<_> = commands.into_iter().filter(|(_, c)| !matches!(c,
            Command::SetCommitStrategy { .. } | Command::SetIdempotency { .. })
            && !leaves_at_least_once(c) && !sets(c, QUEUE_LIMITS)
            && !sets(c, &["idempotency.mode", "idempotency.dedup_ttl_ms"])).collect();
        let mut sim = run_audited(&s, &commands, 20_000).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&s, &commands))))?;
        let healed = heal_and_drain(&mut sim);
        prop_assert!(healed.is_ok(), "{}\n{}", healed.unwrap_err(), describe(&s, &commands));
        let c = sim.ledger().counts();
        prop_assert_eq!((c.duplicated, lost_but_unroutable(&sim), c.in_flight), (0, 0, 0), "{}", describe(&s, &commands));
    }
}

/// Messages lost for any reason but that no binding matched them (a topic or direct exchange
/// drops those whatever the consumers do).
fn lost_but_unroutable(sim: &Simulation) -> u64 {
    let unroutable = |r: &LossReason| matches!(r, LossReason::Unroutable | LossReason::ReturnedUnroutable);
    sim.ledger().lost_by_reason().filter(|(r, _)| !unroutable(r)).map(|(_, n)| n).sum()
}

/// A small queue run: 3 consumers, manual ack after the effect, consumer 0 crashing after the
/// effect of its first delivery and coming back after a second.
fn crash_after_effect() -> Simulation {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.topic.partitions = 1;
    s.producer.max_messages = Some(30);
    s.producer.rate_per_sec = 20.0;
    s.consumers.count = 3;
    s.consumers.crash.restart_delay_ms = Some(1_000);
    let mut sim = Simulation::new(&s).unwrap();
    sim.record_journeys(JourneyPolicy::All);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterEffect) }).unwrap();
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    sim
}

/// The duplicate charge of a queue: the consumer charged the card and died before its ack; its
/// connection closed, the delivery went back to the queue flagged redelivered, and another
/// consumer charged again. The journal says so in the queue's words.
#[test]
fn a_crash_before_the_ack_redelivers_flagged() {
    let sim = crash_after_effect();
    let c = sim.ledger().counts();
    assert_eq!((sim.ledger().produced(), c.duplicated, c.lost, c.in_flight), (30, 1, 0, 0), "{c:?}");
    let queue = sim.queue().unwrap();
    assert_eq!(queue.redelivered(), 1);
    assert_eq!(queue.depth(), (0, 0), "every acknowledged message is gone from the queue");
    let dup = sim.ledger().examples(eda_lab::sim::Outcome::Duplicated)[0];
    let JourneyView::Kept(j) = sim.journey(dup) else { panic!("journeys are recorded") };
    let flags: Vec<bool> = j
        .steps
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::Delivered { redelivered, .. } => Some(redelivered),
            _ => None,
        })
        .collect();
    assert_eq!(flags, [false, true], "delivered, then redelivered with the flag: {j:?}");
    let why = eda_lab::sim::explain::why_duplicated(&j.steps).unwrap();
    assert!(why.starts_with("consumer 0 charged the card, then crashed before its acknowledgement"), "{why}");
    assert!(!why.contains("offset") && !why.contains("partition"), "{why}");
    assert!(sim
        .journal()
        .iter()
        .any(|e| matches!(e.kind, JournalKind::Requeued { consumer: ConsumerId(0), count: 1 })));
}

/// Auto-ack loses what a crash drops: the queue deleted it on delivery.
#[test]
fn auto_ack_loses_what_a_crash_drops() {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.topic.partitions = 1;
    s.producer.max_messages = Some(30);
    s.consumers.commit = CommitStrategy::BeforeProcessing;
    let mut sim = Simulation::new(&s).unwrap();
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterCommit) }).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost, [(LossReason::AckedBeforeProcessing, 1)]);
    assert_eq!(sim.queue().unwrap().redelivered(), 0);
}

/// The queue broker refuses what only a log has, naming the setting; the topic's settings it
/// leaves unused.
#[test]
fn log_only_settings_are_refused_on_the_queue() {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.idempotent = Some(true);
    let e = Simulation::new(&s).unwrap_err().to_string();
    assert!(e.contains("producer.idempotent") && e.contains("RabbitMQ has no idempotent publisher"), "{e}");
    s.producer.idempotent = None;
    let mut sim = Simulation::new(&s).unwrap();
    assert!(!sim.scenario().idempotent_producer(), "the Java client's default does not apply to a queue");
    let e = sim.handle(Command::AddPartitions { count: 2 }).unwrap_err().to_string();
    assert!(e.contains("no partitions"), "{e}");
}

/// Publisher confirms: a publisher that waits for each confirm and resends when one is lost queues
/// the message twice (RabbitMQ keeps no publisher sequence), and each copy is charged; the story
/// says so. Without resends (no confirms awaited) nothing is duplicated, and lost publishes are
/// lost.
#[test]
fn a_lost_confirm_and_a_resend_queue_a_duplicate() {
    let s = eda_lab::sim::builtins::builtin("publisher-confirms").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.record_journeys(JourneyPolicy::All);
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    let c = sim.ledger().counts();
    assert!(c.duplicated > 0 && c.lost == 0, "{c:?}");
    assert!(sim.stats().producer.duplicate_appends > 0);
    let dup = sim.ledger().examples(eda_lab::sim::Outcome::Duplicated)[0];
    let JourneyView::Kept(j) = sim.journey(dup) else { panic!("journeys are recorded") };
    let why = eda_lab::sim::explain::why_duplicated(&j.steps).unwrap();
    assert!(why.starts_with("the publisher resent it after a confirm was lost"), "{why}");
    let mut fire_and_forget = s.clone();
    fire_and_forget.producer.acks = Acks::Zero;
    let mut sim = Simulation::new(&fire_and_forget).unwrap();
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    let c = sim.ledger().counts();
    assert!(c.duplicated == 0 && c.lost > 0, "{c:?}");
}

/// The queue-dlx lesson: a queue fed faster than it drains, with a TTL, a length limit and a
/// dead-letter exchange. Messages expire at the head, are dropped from the head, and are given up
/// on by consumers; each reaches the dead-letter queue with its own reason, the ledger audits after
/// every event, and nothing is lost. Without the dead-letter exchange the same drops are losses,
/// with their reasons, and only the consumers' own dead letters are parked.
#[test]
fn ttl_and_max_length_dead_letter_with_their_reasons() {
    use eda_lab::sim::dlq::DeadLetterReason;
    let s = eda_lab::sim::builtins::builtin("queue-dlx").unwrap();
    let run = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        while sim.now() < SimTime::from_secs(40) && sim.step() {
            sim.audit().unwrap_or_else(|e| panic!("at {}: {e}", sim.now()));
        }
        sim
    };
    let sim = run(&s);
    let (expired, dropped) = sim.queue().unwrap().expired_and_dropped();
    assert!(expired > 10 && dropped > 10, "expired {expired}, dropped {dropped}");
    let count = |r: DeadLetterReason| sim.dlq().iter().filter(|d| d.reason == r).count() as u64;
    assert_eq!((count(DeadLetterReason::Expired), count(DeadLetterReason::MaxLength)), (expired, dropped));
    assert!(count(DeadLetterReason::RetriesExhausted) > 0);
    assert_eq!(sim.ledger().counts().lost, 0);
    assert_eq!(sim.ledger().counts().dead_lettered, sim.dlq().len() as u64);
    let mut off = s.clone();
    off.queue.dead_letter_exchange = false;
    let sim = run(&off);
    let (expired, dropped) = sim.queue().unwrap().expired_and_dropped();
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost, [(LossReason::Expired, expired), (LossReason::MaxLength, dropped)]);
    assert!(sim.dlq().iter().all(|d| d.reason == DeadLetterReason::RetriesExhausted));
}

/// TTL counts from the publish: a delivery being processed does not expire, but when its consumer
/// dies it goes back to the queue with its old publish time and, its TTL long gone, expires at
/// the head at once. A length limit counts only messages waiting.
#[test]
fn a_returned_delivery_keeps_its_publish_time() {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.max_messages = Some(1);
    s.consumers.count = 1;
    s.processing.service = ServiceTime { distribution: ServiceDistribution::Constant, mean_ms: 5_000.0 };
    s.queue.message_ttl_ms = Some(1_000);
    s.queue.max_length = Some(1);
    let mut sim = Simulation::new(&s).unwrap();
    sim.record_journeys(JourneyPolicy::All);
    sim.run_until(SimTime::from_secs(3), u64::MAX);
    assert_eq!(sim.queue().unwrap().depth(), (0, 1), "delivered, held past its TTL, not expired");
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: None }).unwrap();
    sim.run_until(SimTime::from_secs(3), u64::MAX);
    let c = sim.ledger().counts();
    assert_eq!((c.dead_lettered, c.in_flight), (1, 0), "{c:?}");
    assert_eq!(sim.queue().unwrap().expired_and_dropped(), (1, 0));
    let entry = sim.dlq().iter().next().unwrap();
    assert_eq!(entry.reason, eda_lab::sim::dlq::DeadLetterReason::Expired);
    assert_eq!(entry.at, SimTime::from_secs(3), "expired as it came back, 3 s after it was published");
}

/// The settings the page hides on the queue broker (`LOG_ONLY`) change nothing there: any other
/// value they take leaves a queue run's events and outcomes as they were.
#[test]
fn log_only_settings_change_nothing_on_the_queue() {
    use eda_lab::sim::config::queue::LOG_ONLY;
    use eda_lab::sim::config::settings::{find, Kind};
    use serde_json::Value;
    let base = eda_lab::sim::builtins::builtin("work-queue").unwrap();
    let run = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(SimTime::from_secs(30), u64::MAX);
        (sim.events_processed(), sim.ledger().counts(), sim.queue().unwrap().redelivered())
    };
    let want = run(&base);
    for path in LOG_ONLY {
        let setting = find(path).unwrap_or_else(|| panic!("{path} is no setting"));
        let now = base.setting(setting).unwrap();
        let candidates: Vec<Value> = match setting.kind {
            Kind::Number { min, max, integer: true } => vec![Value::from(min as u64), Value::from(max as u64)],
            Kind::Number { min, max, .. } => vec![Value::from(min), Value::from(max)],
            Kind::Optional { min, .. } => vec![Value::Null, Value::from(min as u64)],
            Kind::Choice(choices) => choices.iter().map(|c| serde_json::from_str(c.json).unwrap()).collect(),
            Kind::Flag => vec![Value::from(true), Value::from(false)],
        };
        let mut tried = 0;
        for v in candidates.into_iter().filter(|v| *v != now) {
            let Ok(changed) = base.with_setting(setting, &v) else { continue };
            tried += 1;
            assert_eq!(run(&changed), want, "{path} = {v} changed a queue run");
        }
        assert!(tried > 0, "{path}: no other value to try");
    }
}

/// A broker restart closes every connection: unacknowledged deliveries go back to the queue
/// flagged redelivered. A durable queue keeps its persistent messages; transient ones, or every
/// message of a non-durable queue, are lost with that reason. The log broker has no restart.
#[test]
fn a_broker_restart_keeps_only_persistent_messages_of_a_durable_queue() {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.max_messages = Some(40);
    s.producer.rate_per_sec = 20.0;
    s.consumers.count = 2;
    s.processing.service = ServiceTime { distribution: ServiceDistribution::Constant, mean_ms: 500.0 };
    let restart_at = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(SimTime::from_secs(2), u64::MAX);
        let (ready, unacked) = sim.queue().unwrap().depth();
        assert!(ready > 10 && unacked == 2, "a backlog and two deliveries in hand: {ready} ready, {unacked} unacked");
        sim.handle(Command::RestartBroker).unwrap();
        let after = sim.queue().unwrap().depth();
        sim.run_until(SimTime::from_secs(60), u64::MAX);
        sim.audit().unwrap();
        (ready, unacked, after, sim)
    };
    let (ready, unacked, after, sim) = restart_at(&s);
    assert_eq!(after.0 + after.1, ready + unacked, "durable and persistent: nothing lost");
    assert_eq!(sim.queue().unwrap().redelivered(), unacked as u64);
    let c = sim.ledger().counts();
    assert_eq!((c.lost, c.in_flight), (0, 0), "{c:?}");
    assert!(c.duplicated >= 1, "a delivery charged before the restart is charged again: {c:?}");
    for (durable, persistent, reason) in
        [(true, false, LossReason::TransientMessage), (false, true, LossReason::QueueNotDurable)]
    {
        let mut t = s.clone();
        (t.queue.durable, t.queue.persistent) = (durable, persistent);
        let (ready, unacked, after, sim) = restart_at(&t);
        assert_eq!(after.0 + after.1, 0, "everything in the queue went with the restart");
        let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
        // The two in hand were charged before their copy was lost: they are not lost.
        assert_eq!(lost, [(reason, (ready + unacked - 2) as u64)], "durable {durable}, persistent {persistent}");
    }
    let mut log = Simulation::new(&Scenario::default()).unwrap();
    let e = log.handle(Command::RestartBroker).unwrap_err().to_string();
    assert!(e.contains("queue broker only"), "{e}");
}

/// `x-overflow` reject-publish: a full queue refuses the newest message instead of dropping the
/// oldest. A publisher waiting for confirms gets a nack and publishes it again (nothing lost); one
/// that does not wait loses it, with that reason; under reject-publish-dlx the refused message is
/// dead-lettered (x-death reason maxlen). The queue never holds more than its limit.
#[test]
fn a_full_queue_refuses_under_reject_publish() {
    use eda_lab::sim::dlq::DeadLetterReason;
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.rate_per_sec = 20.0;
    s.producer.max_messages = Some(200);
    s.producer.retry_backoff_ms = 200;
    s.consumers.count = 1;
    s.processing.service.mean_ms = 100.0;
    s.queue.max_length = Some(5);
    s.queue.overflow = Overflow::RejectPublish;
    let run = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        while sim.now() < SimTime::from_secs(120) && sim.step() {
            sim.audit().unwrap_or_else(|e| panic!("at {}: {e}", sim.now()));
            assert!(sim.queue().unwrap().depth().0 <= 5, "over the limit at {}", sim.now());
        }
        sim
    };
    let confirmed = run(&s);
    let rejected = confirmed.stats().producer.publishes_rejected;
    assert!(rejected > 20, "{rejected} rejected");
    assert_eq!(confirmed.queue().unwrap().rejected(), rejected);
    let c = confirmed.ledger().counts();
    assert_eq!((c.lost, c.dead_lettered, c.exactly_once), (0, 0, 200), "the publisher resends what was nacked: {c:?}");
    assert!(confirmed
        .journal()
        .iter()
        .any(|e| matches!(e.kind, JournalKind::QueueDropped { dead_lettered: false, .. })));

    let mut unconfirmed = s.clone();
    unconfirmed.producer.acks = Acks::Zero;
    let sim = run(&unconfirmed);
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].0, LossReason::RejectedByFullQueue);
    assert_eq!(lost[0].1, sim.queue().unwrap().rejected(), "each refused publish is lost");

    let mut dlx = unconfirmed.clone();
    dlx.queue.overflow = Overflow::RejectPublishDlx;
    let sim = run(&dlx);
    let refused = sim.queue().unwrap().rejected();
    assert!(refused > 20);
    assert!(sim.dlq().iter().all(|d| d.reason == DeadLetterReason::Rejected));
    assert_eq!((sim.dlq().len() as u64, sim.ledger().counts().lost), (refused, 0));
}

/// Retry mode requeue (`basic.nack`, `requeue=true`): a failed delivery goes straight back to the
/// queue, flagged redelivered. On a classic queue a poison message comes back for ever (the
/// consumer's own retry budget is what parks it); a quorum queue's `x-delivery-limit` parks it
/// itself once it came back more times than the limit (x-death reason delivery_limit), carrying
/// the failures its consumers saw. A consumer that dies holding it counts as a return too.
#[test]
fn requeue_returns_at_once_and_a_quorum_delivery_limit_ends_a_poison_loop() {
    use eda_lab::sim::dlq::DeadLetterReason;
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.rate_per_sec = 5.0;
    s.producer.max_messages = Some(40);
    s.consumers.count = 2;
    s.processing.service.mean_ms = 50.0;
    s.processing.failure_probability = 1.0;
    s.processing.retry = RetryPolicy { mode: RetryMode::Requeue, max_retries: 1_000, ..RetryPolicy::default() };
    s.queue.delivery_limit = Some(2);
    let run = |s: &Scenario, secs: u64| {
        let mut sim = Simulation::new(s).unwrap();
        sim.record_journeys(JourneyPolicy::All);
        while sim.now() < SimTime::from_secs(secs) && sim.step() {
            sim.audit().unwrap_or_else(|e| panic!("at {}: {e}", sim.now()));
        }
        sim
    };
    let sim = run(&s, 60);
    let q = sim.queue().unwrap();
    assert_eq!(q.over_delivery_limit(), 40, "every message came back 3 times, one more than the limit");
    assert!(
        sim.dlq().iter().all(|d| d.reason == DeadLetterReason::DeliveryLimit && d.attempts == 3),
        "{:?}",
        sim.dlq().iter().next()
    );
    assert_eq!(sim.ledger().counts().dead_lettered, 40);
    let JourneyView::Kept(j) = sim.journey(eda_lab::sim::MessageId(0)) else { panic!("kept") };
    let returns: Vec<u32> = j
        .steps
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::Returned { returns, .. } => Some(returns),
            _ => None,
        })
        .collect();
    assert_eq!(returns, [1, 2, 3]);
    let flags: Vec<bool> = j
        .steps
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::Delivered { redelivered, .. } => Some(redelivered),
            _ => None,
        })
        .collect();
    assert_eq!(flags, [false, true, true]);

    // Without the dead-letter exchange the delivery limit drops them, with that reason.
    let mut dropped = s.clone();
    dropped.queue.dead_letter_exchange = false;
    let sim = run(&dropped, 60);
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost, [(LossReason::DeliveryLimit, 40)]);

    // A classic queue (no limit) never gives up on them: the consumer's own budget parks each.
    let mut classic = s.clone();
    classic.queue.delivery_limit = None;
    classic.processing.retry.max_retries = 4;
    let sim = run(&classic, 60);
    assert_eq!(sim.queue().unwrap().over_delivery_limit(), 0);
    assert!(sim.dlq().iter().all(|d| d.reason == DeadLetterReason::RetriesExhausted && d.attempts == 5));
    assert_eq!(sim.ledger().counts().dead_lettered, 40);

    // Crashes return deliveries too: a consumer that dies on a message, again and again, uses up
    // a quorum queue's delivery limit with no failure at all.
    let mut crashing = s.clone();
    crashing.processing.failure_probability = 0.0;
    crashing.consumers.crash =
        CrashConfig { point: CrashPoint::AfterReceive, probability: 1.0, restart_delay_ms: Some(100) };
    let sim = run(&crashing, 60);
    assert!(sim.queue().unwrap().over_delivery_limit() > 0);
    assert!(sim.dlq().iter().all(|d| d.reason == DeadLetterReason::DeliveryLimit));
}

#[test]
fn requeue_and_quorum_rules_name_their_field() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let mut log = Scenario::default();
    log.processing.retry.mode = RetryMode::Requeue;
    assert_eq!(field(&log), "processing.retry.mode");
    let mut q = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    q.processing.retry.mode = RetryMode::Requeue;
    assert!(q.validate().is_ok());
    q.consumers.commit = CommitStrategy::BeforeProcessing;
    assert_eq!(field(&q), "processing.retry.mode");
    q.consumers.commit = CommitStrategy::AfterProcessing;
    q.breaker.enabled = true;
    q.breaker.when_open = WhenOpen::FailFast;
    assert_eq!(field(&q), "processing.retry.mode", "a refused call comes straight back: a loop at one instant");
    q.queue.delivery_limit = Some(5);
    assert!(q.validate().is_ok(), "a delivery limit ends the loop");
    q.queue.durable = false;
    assert_eq!(field(&q), "queue.durable");
    q.queue.durable = true;
    q.queue.overflow = Overflow::RejectPublishDlx;
    assert_eq!(field(&q), "queue.overflow");
}
