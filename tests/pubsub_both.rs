//! Both brokers in one scenario: consumer groups read the topic and, after them, subscribers read
//! queues of their own bound to a fanout exchange; the producer's one write reaches both. The
//! lesson is streaming against queuing: a group that starts late can replay the topic, a queue
//! declared late gets only what is produced from then on.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::report::Report;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{ConsumerId, SimTime, Simulation};

fn sub(name: &str, broker: BrokerKind) -> Subscriber {
    Subscriber {
        name: name.into(),
        consumers: Some(1),
        mean_ms: Some(20.0),
        broker: Some(broker),
        ..Subscriber::default()
    }
}

/// Two groups and two queues, 60 messages, no faults unless a test adds them.
fn both() -> Scenario {
    let mut s = Scenario::default();
    s.topic.partitions = 2;
    s.producer.max_messages = Some(60);
    s.producer.rate_per_sec = 10.0;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.subscribers = vec![
        sub("billing", BrokerKind::Log),
        sub("audit", BrokerKind::Log),
        sub("email", BrokerKind::Queue),
        sub("push", BrokerKind::Queue),
    ];
    s
}

fn run(s: &Scenario, secs: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_secs(secs), u64::MAX);
    sim.audit().unwrap();
    sim
}

#[test]
fn every_group_and_every_queue_gets_every_message_once() {
    let sim = run(&both(), 30);
    let c = sim.ledger().counts();
    assert_eq!((sim.ledger().produced(), c.exactly_once), (60, 60), "{c:?}");
    let effects: Vec<_> = sim.pipelines().iter().map(|p| p.effects()).collect();
    assert_eq!(effects, [(60, 0); 4]);
    assert_eq!(sim.groups().len(), 2, "a consumer group for each subscriber of the log, none for the queues");
    assert_eq!(sim.queues().len(), 2);
    assert!(sim.queue().is_none(), "the first subscriber reads the log");
    assert_eq!(sim.queue_of(2).map(|q| q.index()), Some(2));
    assert_eq!(sim.partitions().iter().map(|p| p.log_end()).sum::<u64>(), 60, "each message in the log once");
    // The queues delete what was acknowledged; the log keeps every record.
    assert!(sim.queues().iter().all(|q| q.depth() == (0, 0)));
    let text = Report::of(&sim).to_text();
    assert!(text.contains("one topic read by 2 consumer groups (billing, audit)"), "{text}");
    assert!(text.contains("a fanout exchange to 2 queues (email, push)"), "{text}");
    assert!(text.contains("subscriber      email: 1 consumer, 60 effects"), "{text}");
    assert!(text.contains("partitions      partition"), "the log's table stays: {text}");
}

#[test]
fn a_late_group_replays_while_a_late_queue_gets_only_what_comes_after() {
    let mut s = both();
    s.producer.max_messages = None;
    s.subscribers[1].starts_at_ms = Some(5_000);
    s.subscribers[3].starts_at_ms = Some(5_000);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_us(4_999_999), u64::MAX);
    let before = sim.ledger().produced();
    assert!(before > 20, "{before}");
    sim.run_until(SimTime::from_secs(12), u64::MAX);
    sim.audit().unwrap();
    let produced = sim.ledger().produced();
    let applied = |k: usize| sim.pipelines()[k].effects().0;
    // Stop counting at the end of the run: messages still in flight are not applied yet.
    let in_flight = sim.ledger().counts().in_flight;
    assert!(applied(1) + in_flight >= produced, "the late group replays the topic from its first record");
    assert!(applied(1) > before);
    assert!(applied(3) <= produced - before, "the late queue never sees what came before it was declared");
    assert!(applied(3) + in_flight >= produced - before);
    let c = sim.ledger().counts();
    assert_eq!(c.lost, 0, "a queue declared later was never a subscriber of the earlier messages: {c:?}");
    assert!(sim.pipelines()[3].started());
}

#[test]
fn a_crash_in_a_queue_reader_duplicates_there_only() {
    let mut s = both();
    let email = ConsumerId::of(2, 0);
    let command = eda_lab::sim::Command::CrashConsumer { consumer: email, at: Some(CrashPoint::AfterEffect) };
    s.faults.push(ScheduledCommand { at_ms: 1_000, command });
    s.consumers.crash.restart_delay_ms = Some(100);
    let sim = run(&s, 30);
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (1, 0), "{c:?}");
    let effects: Vec<_> = sim.pipelines().iter().map(|p| p.effects()).collect();
    assert_eq!(effects[2], (61, 1), "email charged once more, after its redelivery");
    assert_eq!([effects[0], effects[1], effects[3]], [(60, 0); 3], "the groups and push never notice");
    assert!(sim.queues()[0].redelivered() >= 1);
}

#[test]
fn the_order_and_the_exchange_are_checked() {
    let invalid = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let mut s = both();
    s.subscribers.swap(0, 2);
    let (field, message) = invalid(&s);
    assert_eq!(field, "subscribers[0].broker");
    assert!(message.contains("list the consumer groups first"), "{message}");
    let mut s = both();
    s.subscribers.swap(1, 2);
    let (field, message) = invalid(&s);
    assert_eq!(field, "subscribers[2].broker");
    assert!(message.contains("come after every consumer group"), "{message}");
    let mut s = both();
    s.broker = BrokerKind::Queue;
    assert_eq!(invalid(&s).0, "subscribers[0].broker");
    let mut s = both();
    s.queue.exchange = ExchangeKind::Topic;
    assert_eq!(invalid(&s).0, "queue.exchange");
    // A full queue refusing a publish would fail the one write to both: refused, live too.
    let mut s = both();
    s.queue.overflow = Overflow::RejectPublish;
    assert_eq!(invalid(&s).0, "queue.overflow");
    let mut sim = Simulation::new(&both()).unwrap();
    let reject = eda_lab::sim::Command::Set { setting: "queue.overflow".into(), value: "reject_publish".into() };
    match sim.handle(reject) {
        Err(e) => assert!(e.to_string().contains("queue.overflow"), "{e}"),
        Ok(_) => panic!("reject-publish accepted while both brokers run"),
    }
    // A late queue on the queue broker alone is fine too: it gets what comes after.
    let mut s = both();
    s.broker = BrokerKind::Queue;
    s.subscribers.iter_mut().for_each(|sub| sub.broker = None);
    s.subscribers[1].starts_at_ms = Some(1_000);
    assert!(s.validate().is_ok());
    // The JSON names it, and leaves it out when unset.
    let json = serde_json::to_string(&both()).unwrap();
    assert!(json.contains(r#""broker":"queue""#), "{json}");
    let plain = serde_json::to_string(&Scenario::default()).unwrap();
    assert!(!plain.contains(r#""subscribers":[{"#));
}

#[test]
fn the_lesson_shows_the_difference() {
    let s = eda_lab::sim::builtins::builtin("stream-vs-queue").unwrap();
    let sim = run(&s, 40);
    let applied = |k: usize| sim.pipelines()[k].effects().0;
    let produced = sim.ledger().produced();
    let c = sim.ledger().counts();
    assert_eq!(c.lost, 0, "{c:?}");
    assert_eq!(applied(0), applied(1), "stream-analytics caught up from the first record");
    assert!(applied(3) * 10 < produced * 6, "queue-analytics got only the second half: {} of {produced}", applied(3));
    let text = Report::of(&sim).to_text();
    assert!(text.contains("subscriber      queue-analytics"), "{text}");
}
