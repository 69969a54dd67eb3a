//! Publish-subscribe on the queue broker: a fanout exchange gives every subscriber's queue a copy
//! of each message, each subscriber's consumers apply their own effect, and the ledger counts a
//! message exactly once only when every subscriber applied it once. The properties over random
//! subscribers are in `queue_engine.rs` (its scenarios include subscribers); these are the
//! examples a learner meets.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::broker::amqp::headers::{FieldTable, FieldValue};
use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::journey::JourneyPolicy;
use eda_lab::sim::report::{JourneyReport, Report};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, CommandError, ConsumerId, JourneyView, Outcome, SimTime, Simulation};

fn sub(name: &str, consumers: u32) -> Subscriber {
    Subscriber { name: name.into(), consumers: Some(consumers), ..Subscriber::default() }
}

/// Three subscribers on the queue broker, 40 messages, no faults unless a test adds them.
fn fanout() -> Scenario {
    let mut s = Scenario { broker: BrokerKind::Queue, ..Scenario::default() };
    s.producer.max_messages = Some(40);
    s.producer.rate_per_sec = 10.0;
    s.processing.service.mean_ms = 50.0;
    s.subscribers = vec![sub("email", 1), sub("sms", 2), sub("push", 3)];
    s
}

/// How many of the first `n` messages are of event type `t`.
fn of_type(sim: &Simulation, s: &Scenario, n: u32, t: &str) -> u64 {
    let types = &s.producer.event_types;
    (0..n).filter(|&i| types[sim.ledger().get(eda_lab::sim::MessageId(i)).unwrap().event_type as usize] == t).count()
        as u64
}

fn run(s: &Scenario, secs: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    sim.record_journeys(JourneyPolicy::All);
    sim.run_until(SimTime::from_secs(secs), u64::MAX);
    sim.audit().unwrap();
    sim
}

#[test]
fn every_subscriber_gets_a_copy_and_applies_it_once() {
    let sim = run(&fanout(), 60);
    let (produced, c) = (sim.ledger().produced(), sim.ledger().counts());
    assert_eq!((produced, c.exactly_once, c.in_flight), (40, 40, 0), "{c:?}");
    assert_eq!(sim.ledger().effects_total(), 3 * 40, "one effect per subscriber");
    let per_subscriber: Vec<_> = sim.pipelines().iter().map(|p| (p.consumers().len(), p.effects())).collect();
    assert_eq!(per_subscriber, [(1, (40, 0)), (2, (40, 0)), (3, (40, 0))]);
    let enqueued = |k: u8| {
        sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::Enqueued { queue, .. } if queue == k)).count()
    };
    assert_eq!([enqueued(0), enqueued(1), enqueued(2)], [40, 40, 40], "the fanout exchange copies to every queue");
    // Each subscriber's consumers took deliveries from their own queue only.
    for e in sim.journal().iter() {
        if let JournalKind::Delivered { consumer, .. } = e.kind {
            assert!(consumer.index() < sim.pipelines()[consumer.subscriber() as usize].consumers().len());
        }
    }
}

#[test]
fn a_subscriber_that_has_not_applied_it_keeps_the_message_in_flight() {
    let mut s = fanout();
    s.processing.service.distribution = ServiceDistribution::Constant;
    s.subscribers[2].mean_ms = Some(2_000.0); // push is slow
    let sim = run(&s, 1);
    let m = sim.ledger().get(eda_lab::sim::MessageId(0)).unwrap();
    assert_eq!((m.applied, m.outcome), (0b011, Outcome::InFlight), "email and sms applied it, push not yet: {m:?}");
}

/// An SMS consumer crashes after its effect, before its ack: only the SMS subscriber applies it
/// twice; the message is duplicated, and the journey says whose duplicate it was and why.
#[test]
fn a_crash_duplicates_for_its_own_subscriber_only() {
    let mut s = fanout();
    let sms0 = ConsumerId::of(1, 0);
    s.faults.push(ScheduledCommand {
        at_ms: 1_000,
        command: Command::CrashConsumer { consumer: sms0, at: Some(CrashPoint::AfterEffect) },
    });
    let sim = run(&s, 60);
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.exactly_once, c.in_flight), (1, 39, 0), "{c:?}");
    let repeated: Vec<u64> = sim.pipelines().iter().map(|p| p.effects().1).collect();
    assert_eq!(repeated, [0, 1, 0], "the sms subscriber, and it alone, applied one twice");
    let dup = sim.ledger().examples(Outcome::Duplicated)[0];
    let JourneyView::Kept(j) = sim.journey(dup) else { panic!("journeys are recorded") };
    let again: Vec<ConsumerId> = j
        .steps
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::EffectApplied { consumer, again: true, .. } => Some(consumer),
            _ => None,
        })
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].subscriber(), 1);
    let report = JourneyReport::of(&sim, dup);
    let why = report.duplicate_cause.clone().unwrap();
    assert!(why.starts_with("consumer 0 applied its effect, then crashed before its acknowledgement"), "{why}");
    assert!(!why.contains("charged"), "{why}");
    let text = report.to_text();
    assert!(text.contains("applied again by a subscriber because"), "{text}");
    assert!(text.contains("sms: consumer 0 crashed after the effect"), "each step names its subscriber: {text}");
}

/// Every subscriber's handler fails at first: each parks its own copy in its own dead-letter
/// queue. Once the bug is fixed, one redrive of a message takes it out of every queue that holds
/// it, and each subscriber applies it once.
#[test]
fn each_subscriber_parks_its_own_copy_and_a_redrive_takes_them_all() {
    let mut s = fanout();
    s.processing.failure_probability = 1.0;
    s.processing.retry.max_retries = 0;
    let mut sim = run(&s, 60);
    let c = sim.ledger().counts();
    assert_eq!((c.dead_lettered, c.in_flight), (40, 0), "{c:?}");
    let parked: Vec<usize> = sim.pipelines().iter().map(|p| p.dlq().len()).collect();
    assert_eq!(parked, [40, 40, 40]);
    assert_eq!(sim.ledger().parked(), 120, "one parked copy per subscriber");
    sim.handle(Command::SetFailureProbability { probability: 0.0 }).unwrap();
    let first = eda_lab::sim::MessageId(0);
    sim.handle(Command::Redrive { msg: Some(first) }).unwrap();
    sim.run_until(SimTime::from_secs(70), u64::MAX);
    sim.audit().unwrap();
    assert_eq!(sim.ledger().get(first).unwrap().outcome, Outcome::ExactlyOnce);
    assert_eq!(sim.ledger().parked(), 117);
    sim.handle(Command::Redrive { msg: None }).unwrap();
    sim.run_until(SimTime::from_secs(90), u64::MAX);
    sim.audit().unwrap();
    assert_eq!(sim.ledger().counts().exactly_once, 40);
    assert_eq!(Report::of(&sim).dead_letters_redriven, 120);
}

/// A subscriber's own failure probability: only its copies fail and park.
#[test]
fn a_failing_subscriber_parks_in_its_own_queue() {
    let mut s = fanout();
    s.subscribers[2].failure_probability = Some(1.0);
    s.processing.retry.max_retries = 1;
    let sim = run(&s, 60);
    let parked: Vec<usize> = sim.pipelines().iter().map(|p| p.dlq().len()).collect();
    assert_eq!(parked, [0, 0, 40]);
    let applied: Vec<u64> = sim.pipelines().iter().map(|p| p.effects().0).collect();
    assert_eq!(applied, [40, 40, 0]);
    assert_eq!(sim.ledger().counts().dead_lettered, 40);
    let report = Report::of(&sim);
    assert_eq!(report.dead_letter_queue, 40);
    let text = report.to_text();
    assert!(text.contains("a fanout exchange to 3 queues (email, sms, push)"), "{text}");
    assert!(text.contains("subscriber      push: 3 consumers, 0 effects (0 repeated), 80 failures"), "{text}");
}

#[test]
fn the_built_in_fanout_replays_to_the_bit() {
    let s = builtin("pubsub-fanout").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(5), u64::MAX);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId::of(2, 1), at: None }).unwrap();
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    sim.audit().unwrap();
    let replayed = Simulation::replay(&s, sim.commands(), sim.now()).unwrap();
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
    let json = Report::of(&sim).to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = v["subscribers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["email", "sms", "push"]);
    assert_eq!(v["subscribers"][2]["crashes"], 1);
}

#[test]
fn bad_subscribers_name_the_field() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let mut s = fanout();
    s.subscribers[1].name = "email".into();
    assert_eq!(field(&s).0, "subscribers[1].name");
    s.subscribers[1].name = "SMS!".into();
    assert_eq!(field(&s).0, "subscribers[1].name");
    let mut s = fanout();
    s.subscribers[0].consumers = Some(0);
    assert_eq!(field(&s).0, "subscribers[0].consumers");
    let mut s = fanout();
    s.subscribers[2].failure_probability = Some(1.5);
    assert_eq!(field(&s).0, "subscribers[2].failure_probability");
    let mut s = fanout();
    s.subscribers = (0..9).map(|i| sub(&format!("s{i}"), 1)).collect();
    assert!(field(&s).1.contains("at most 8"));
    let mut s = fanout();
    s.faults.push(ScheduledCommand {
        at_ms: 5,
        command: Command::CrashConsumer { consumer: ConsumerId::of(1, 2), at: None },
    });
    let (f, m) = field(&s);
    assert_eq!(f, "faults[0].command.consumer");
    assert!(m.contains("subscriber sms has 2"), "{m}");
    // Unknown fields are refused too (serde).
    assert!(serde_json::from_str::<Scenario>(r#"{"broker":"queue","subscribers":[{"name":"a","speed":2}]}"#).is_err());
}

#[test]
fn a_command_for_a_consumer_no_subscriber_has_is_refused() {
    let mut sim = Simulation::new(&fanout()).unwrap();
    let e = sim.handle(Command::CrashConsumer { consumer: ConsumerId::of(5, 0), at: None }).unwrap_err();
    assert!(matches!(e, CommandError::NoSuchConsumer { .. }), "{e:?}");
    let e = sim.handle(Command::RestartConsumer { consumer: ConsumerId::of(0, 1) }).unwrap_err();
    assert!(matches!(e, CommandError::NoSuchConsumer { consumers: 1, .. }), "{e:?}");
    assert!(sim.handle(Command::CrashConsumer { consumer: ConsumerId::of(2, 2), at: None }).is_ok());
    assert!(sim.commands().len() == 1, "refused commands are not recorded");
}

/// A topic exchange routes by the routing key (the event type): each queue gets what its pattern
/// matches, a message expects one effect per queue it reached, and one no binding matches is lost
/// as unroutable.
#[test]
fn a_topic_exchange_routes_by_pattern_and_drops_the_unroutable() {
    let mut s = builtin("topic-routing").unwrap();
    s.producer.max_messages = Some(80);
    s.metrics.recent_messages = 1_000;
    let sim = run(&s, 120);
    let of_type = |t: &str| of_type(&sim, &s, 80, t);
    let (placed, cancelled, refunded, updated) =
        (of_type("order.placed"), of_type("order.cancelled"), of_type("payment.refunded"), of_type("customer.updated"));
    assert!(placed > 0 && cancelled > 0 && refunded > 0 && updated > 0);
    let effects: Vec<u64> = sim.pipelines().iter().map(|p| p.effects().0).collect();
    assert_eq!(
        effects,
        [placed + cancelled, placed, refunded],
        "email order.*, shipping order.placed, refunds payment.#"
    );
    let c = sim.ledger().counts();
    assert_eq!((c.lost, c.exactly_once, c.in_flight), (updated, 80 - updated, 0), "{c:?}");
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost, [(eda_lab::sim::LossReason::Unroutable, updated)]);
    // A placed order reached two queues and expects two effects.
    let placed_msg = (0..80u32)
        .map(eda_lab::sim::MessageId)
        .find(|&m| s.producer.event_types[sim.ledger().get(m).unwrap().event_type as usize] == "order.placed");
    let m = sim.ledger().get(placed_msg.unwrap()).unwrap();
    assert_eq!((m.expected, m.effects, m.applied), (2, 2, 0b011));
    let report = Report::of(&sim).to_text();
    assert!(
        report.contains("a topic exchange to 3 queues (email order.*, shipping order.placed, refunds payment.#)"),
        "{report}"
    );
}

/// A direct exchange takes a queue only when its binding key equals the routing key.
#[test]
fn a_direct_exchange_matches_the_key_exactly() {
    let mut s = builtin("topic-routing").unwrap();
    s.producer.max_messages = Some(60);
    s.queue.exchange = ExchangeKind::Direct;
    s.subscribers[0].binding_key = Some("order.*".into()); // a pattern means nothing to direct
    let sim = run(&s, 120);
    let effects: Vec<u64> = sim.pipelines().iter().map(|p| p.effects().0).collect();
    assert_eq!(effects[0], 0, "no routing key is literally order.*");
    assert!(effects[1] > 0 && effects[2] == 0, "{effects:?}: payment.# is no key either");
    assert_eq!(sim.ledger().counts().exactly_once, effects[1]);
}

#[test]
fn bindings_name_their_field() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let mut s = builtin("topic-routing").unwrap();
    s.subscribers[1].binding_key = None;
    let (f, m) = field(&s);
    assert_eq!(f, "subscribers[1].binding_key");
    assert!(m.contains("topic exchange"), "{m}");
    let mut s = builtin("pubsub-fanout").unwrap();
    s.subscribers[0].binding_key = Some("order.*".into());
    let (f, m) = field(&s);
    assert_eq!(f, "subscribers[0].binding_key");
    assert!(m.contains("a fanout ignores keys"), "{m}");
    s.subscribers[0].binding_key = Some("x".repeat(256));
    s.queue.exchange = ExchangeKind::Topic;
    s.subscribers.iter_mut().skip(1).for_each(|sub| sub.binding_key = Some("#".into()));
    assert!(field(&s).1.contains("at most 255 bytes"));
}

/// An alternate exchange catches what no binding matches: the queue bound to it gets exactly the
/// messages that would have been unroutable, and nothing is lost.
#[test]
fn an_alternate_exchange_takes_what_no_binding_matches() {
    let mut s = builtin("topic-routing").unwrap();
    s.producer.max_messages = Some(80);
    s.metrics.recent_messages = 1_000;
    s.metrics.journal = 100_000;
    s.subscribers.push(Subscriber { name: "unrouted".into(), alternate: true, ..sub("unrouted", 1) });
    let sim = run(&s, 120);
    let updated = of_type(&sim, &s, 80, "customer.updated");
    assert!(updated > 0);
    assert_eq!(sim.pipelines()[3].effects().0, updated, "the alternate queue got the customer.updated messages only");
    let c = sim.ledger().counts();
    assert_eq!((c.lost, c.exactly_once), (0, 80), "{c:?}");
    let told = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::ToAlternate { .. })).count() as u64;
    assert_eq!(told, updated);
    // Only where an exchange routes by key.
    let mut fanout = builtin("pubsub-fanout").unwrap();
    fanout.subscribers[0].alternate = true;
    assert!(
        matches!(fanout.validate(), Err(ScenarioError::Invalid { field, .. }) if field == "subscribers[0].alternate")
    );
}

/// Published with mandatory, an unroutable message comes back to the publisher (basic.return): it
/// is still lost, but for a reason the publisher knows.
#[test]
fn a_mandatory_publish_is_returned_when_unroutable() {
    let mut s = builtin("topic-routing").unwrap();
    s.producer.max_messages = Some(40);
    s.queue.mandatory = true;
    let sim = run(&s, 60);
    let c = sim.ledger().counts();
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert!(c.lost > 0);
    assert_eq!(lost, [(eda_lab::sim::LossReason::ReturnedUnroutable, c.lost)]);
    let told = sim.journal().iter().find(|e| matches!(e.kind, JournalKind::Unroutable { returned: true, .. })).unwrap();
    let text = eda_lab::sim::narrate::describe(&told.kind, &sim);
    assert!(text.contains("returns it to the publisher (mandatory, basic.return)"), "{text}");
}

/// A headers exchange ignores the routing key and matches each queue's binding arguments against
/// the headers the publisher set (here one table per event type): `all` needs every argument,
/// `any` one; what no binding matches goes to the alternate exchange's queue.
#[test]
fn a_headers_exchange_routes_by_the_publishers_headers() {
    let mut s = builtin("headers-routing").unwrap();
    s.producer.max_messages = Some(80);
    s.metrics.recent_messages = 1_000;
    s.metrics.journal = 100_000;
    let sim = run(&s, 120);
    let of_type = |t: &str| of_type(&sim, &s, 80, t);
    let (placed, shipped, invoice, refund) =
        (of_type("OrderPlaced"), of_type("OrderShipped"), of_type("InvoiceIssued"), of_type("RefundIssued"));
    assert!(placed > 0 && shipped > 0 && invoice > 0 && refund > 0);
    let effects: Vec<u64> = sim.pipelines().iter().map(|p| p.effects().0).collect();
    assert_eq!(
        effects,
        [placed + invoice, placed, placed + invoice + refund, shipped],
        "eu-office all region=eu; eu-urgent all of region=eu, priority=high; pdf-or-urgent any; audit the alternate"
    );
    let c = sim.ledger().counts();
    assert_eq!((c.lost, c.exactly_once, c.in_flight), (0, 80, 0), "{c:?}");
    let told = sim.journal().iter().filter(|e| matches!(e.kind, JournalKind::ToAlternate { .. })).count() as u64;
    assert_eq!(told, shipped);
    let report = Report::of(&sim).to_text();
    assert!(
        report.contains(
            "a headers exchange to 4 queues (eu-office [region=eu, x-match=all], eu-urgent [priority=high, \
             region=eu, x-match=all], pdf-or-urgent [format=pdf, priority=high, x-match=any], audit)"
        ),
        "{report}"
    );
    // Without the alternate exchange, OrderShipped is unroutable; published with any of its
    // headers asked for presence only, it would match again.
    s.subscribers.pop();
    let sim = run(&s, 120);
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost, [(eda_lab::sim::LossReason::Unroutable, shipped)]);
    let told = sim.journal().iter().find(|e| matches!(e.kind, JournalKind::Unroutable { .. })).unwrap();
    let text = eda_lab::sim::narrate::describe(&told.kind, &sim);
    assert!(text.contains("no queue's binding matches its headers, so the headers exchange drops it"), "{text}");
    s.subscribers[1].binding_arguments.as_mut().unwrap().insert("region".into(), FieldValue::Void);
    s.subscribers[1].binding_arguments.as_mut().unwrap().remove("priority");
    let sim = run(&s, 120);
    assert_eq!(sim.pipelines()[1].effects().0, placed + shipped + invoice, "region present, whatever its value");
}

/// Headers and binding arguments are checked, each error naming its field.
#[test]
fn headers_and_arguments_name_their_field() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let lesson = builtin("headers-routing").unwrap();
    let mut s = lesson.clone();
    s.subscribers[0].binding_key = Some("OrderPlaced".into());
    let (f, m) = field(&s);
    assert_eq!(f, "subscribers[0].binding_key");
    assert!(m.contains("headers exchange ignores routing keys"), "{m}");
    let mut s = lesson.clone();
    s.subscribers[2].binding_arguments = None;
    assert_eq!(field(&s).0, "subscribers[2].binding_arguments");
    let mut s = lesson.clone();
    s.subscribers[1].binding_arguments.as_mut().unwrap().insert("x-match".into(), FieldValue::Str("some".into()));
    let (f, m) = field(&s);
    assert_eq!(f, "subscribers[1].binding_arguments");
    assert!(m.contains("x-match"), "{m}");
    let mut s = builtin("topic-routing").unwrap();
    s.subscribers[0].binding_arguments = Some(FieldTable::new());
    assert_eq!(field(&s).0, "subscribers[0].binding_arguments");
    let mut s = lesson.clone();
    s.producer.headers.push(FieldTable::new());
    let (f, m) = field(&s);
    assert_eq!(f, "producer.headers");
    assert!(m.contains("5 tables for 4 event types"), "{m}");
    let mut s = lesson.clone();
    s.producer.headers[1].insert("region".into(), FieldValue::Str("x".repeat(256)));
    assert_eq!(field(&s).0, "producer.headers[1]");
    // From JSON: numbers keep their kind (1 an integer, 1.0 a float), null is void.
    let json = r#"{"broker": "queue", "queue": {"exchange": "headers"},
        "producer": {"event_types": ["A"], "headers": [{"n": 1, "f": 1.0, "p": null, "s": "eu"}]},
        "subscribers": [{"name": "a", "binding_arguments": {"x-match": "any", "n": 1.0}}]}"#;
    let s = Scenario::from_json(json).unwrap();
    let h = &s.producer.headers[0];
    assert_eq!(
        (&h["n"], &h["f"], &h["p"], &h["s"]),
        (&FieldValue::Int(1), &FieldValue::Float(1.0), &FieldValue::Void, &FieldValue::Str("eu".into()))
    );
    let sim = run(&Scenario { producer: ProducerConfig { max_messages: Some(10), ..s.producer.clone() }, ..s }, 30);
    assert_eq!(sim.pipelines()[0].effects().0, 10, "1.0 matches 1, as Erlang's == compares them");
}
