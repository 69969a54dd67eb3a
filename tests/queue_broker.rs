//! The queue broker's queues as RabbitMQ 3.10 runs them: TTL expiry at the head, length limits
//! that count ready messages only with each overflow behaviour, requeue positions (classic: the
//! original place; quorum: the tail), the quorum soft limit, the quorum delivery limit, dead-lettering
//! with x-death, the dead-letter routing key, and automatic cycles dropped.

use eda_lab::sim::broker::amqp::dead_letter::DeathReason;
use eda_lab::sim::broker::amqp::script::{Observation, Script};

fn run(json: &str) -> Vec<Observation> {
    Script::from_json(json).unwrap_or_else(|e| panic!("{e}")).run().unwrap_or_else(|e| panic!("{e}"))
}

/// (queue, id, redelivered, [(death queue, reason, count)]) of every get that returned a message.
type Got = (String, String, bool, Vec<(String, DeathReason, u64)>);

fn gets(obs: &[Observation]) -> Vec<Got> {
    obs.iter()
        .filter_map(|o| match o {
            Observation::Get { queue, id: Some(id), redelivered, x_death, .. } => Some((
                queue.clone(),
                id.clone(),
                *redelivered,
                x_death.iter().map(|d| (d.queue.clone(), d.reason, d.count)).collect(),
            )),
            _ => None,
        })
        .collect()
}

fn ids(obs: &[Observation]) -> Vec<String> {
    gets(obs).into_iter().map(|(q, id, ..)| format!("{q}:{id}")).collect()
}

fn confirms(obs: &[Observation]) -> Vec<&'static str> {
    obs.iter()
        .filter_map(|o| match o {
            Observation::Publish { confirm, .. } => Some(*confirm),
            _ => None,
        })
        .collect()
}

const DLX: &str = r#"{"name": "dlx", "type": "fanout"}"#;

fn topology(queue: &str, steps: &str) -> String {
    format!(
        r#"{{"exchanges": [{DLX}], "queues": [{queue}, {{"name": "dlq"}}],
            "bindings": [{{"source": "dlx", "queue": "dlq"}}], "steps": [{steps}]}}"#
    )
}

fn publish(id: &str) -> String {
    format!(r#"{{"op": "publish", "id": "{id}", "routing_key": "q"}}"#)
}

#[test]
fn a_short_ttl_behind_a_long_one_expires_only_at_the_head() {
    let steps = [
        r#"{"op": "publish", "id": "long", "routing_key": "q", "expiration_ms": 5000}"#.to_string(),
        r#"{"op": "publish", "id": "short", "routing_key": "q", "expiration_ms": 100}"#.to_string(),
        r#"{"op": "wait", "ms": 1000}"#.to_string(),
        r#"{"op": "get", "queue": "dlq", "then": "ack"}"#.to_string(),
        r#"{"op": "get", "queue": "q", "then": "ack"}"#.to_string(),
    ]
    .join(",");
    let obs = run(&topology(r#"{"name": "q", "dead_letter_exchange": "dlx"}"#, &steps));
    // Nothing in the DLQ yet; taking "long" brings "short" to the head, where it is expired.
    assert_eq!(ids(&obs), ["q:long", "dlq:short"]);
    assert_eq!(gets(&obs)[1].3, [("q".to_string(), DeathReason::Expired, 1)]);
}

#[test]
fn max_length_counts_ready_messages_and_each_overflow_behaves() {
    let steps = [
        publish("m1"),
        r#"{"op": "get", "queue": "q", "then": "keep"}"#.to_string(),
        publish("m2"),
        publish("m3"),
        publish("m4"),
    ]
    .join(",");
    let q = |overflow: &str| {
        format!(r#"{{"name": "q", "max_length": 2, "overflow": "{overflow}", "dead_letter_exchange": "dlx"}}"#)
    };
    // drop-head: m1 is unacknowledged, so m2 and m3 fill the queue and m4 pushes m2 out; m1,
    // requeued at the end to its place at the head of a full queue, is pushed out in turn.
    let obs = run(&topology(&q("drop-head"), &steps));
    assert_eq!(confirms(&obs), ["ack"; 4]);
    assert_eq!(ids(&obs), ["q:m1", "q:m3", "q:m4", "dlq:m2", "dlq:m1"]);
    // reject-publish: m4 is refused (nack) and dropped.
    let obs = run(&topology(&q("reject-publish"), &steps));
    assert_eq!(confirms(&obs), ["ack", "ack", "ack", "nack"]);
    assert_eq!(ids(&obs), ["q:m1", "q:m1", "q:m2", "q:m3"]);
    // reject-publish-dlx: refused and dead-lettered.
    let obs = run(&topology(&q("reject-publish-dlx"), &steps));
    assert_eq!(confirms(&obs), ["ack", "ack", "ack", "nack"]);
    assert_eq!(ids(&obs), ["q:m1", "q:m1", "q:m2", "q:m3", "dlq:m4"]);
    assert_eq!(gets(&obs)[4].3, [("q".to_string(), DeathReason::Maxlen, 1)]);
}

#[test]
fn requeued_classic_messages_go_back_to_their_place_quorum_ones_to_the_tail() {
    let steps = [
        publish("m1"),
        publish("m2"),
        publish("m3"),
        r#"{"op": "get", "queue": "q", "then": "keep"}"#.to_string(),
        r#"{"op": "get", "queue": "q", "then": "nack_requeue"}"#.to_string(),
        r#"{"op": "get", "queue": "q", "then": "ack"}"#.to_string(),
    ]
    .join(",");
    let obs = run(&topology(r#"{"name": "q"}"#, &steps));
    // m2 requeued goes back ahead of m3; m1 (kept) returns at the end to its place, first.
    assert_eq!(ids(&obs), ["q:m1", "q:m2", "q:m2", "q:m1", "q:m3"]);
    assert_eq!(gets(&obs).iter().map(|g| g.2).collect::<Vec<_>>(), [false, false, true, true, false]);
    // A 3.10 quorum queue puts both at the tail, in the order they came back...
    let obs = run(&topology(r#"{"name": "q", "type": "quorum"}"#, &steps));
    assert_eq!(ids(&obs), ["q:m1", "q:m2", "q:m3", "q:m2", "q:m1"]);
    // ...unless it has a delivery limit: then returned messages come first (m1, kept and
    // requeued at the end, before m3).
    let obs = run(&topology(r#"{"name": "q", "type": "quorum", "delivery_limit": 9}"#, &steps));
    assert_eq!(ids(&obs), ["q:m1", "q:m2", "q:m2", "q:m1", "q:m3"]);
}

/// SQS's redrive policy as a preset: maxReceiveCount 3 is a quorum queue with delivery limit 2
/// dead-lettering straight to the named queue; a conflicting argument is refused by name.
#[test]
fn the_sqs_redrive_preset() {
    let json = r#"{"queues": [{"name": "q", "redrive_policy": {"max_receive_count": 3, "dead_letter_queue": "dlq"}},
                              {"name": "dlq"}],
      "steps": [{"op": "publish", "id": "m1", "routing_key": "q"},
                {"op": "get", "queue": "q", "then": "nack_requeue"}, {"op": "get", "queue": "q", "then": "nack_requeue"},
                {"op": "get", "queue": "q", "then": "nack_requeue"}]}"#;
    let obs = run(json);
    assert_eq!(ids(&obs), ["q:m1", "q:m1", "q:m1", "dlq:m1"]);
    assert_eq!(gets(&obs)[3].3, [("q".to_string(), DeathReason::DeliveryLimit, 1)]);
    let bad = r#"{"queues": [{"name": "q", "delivery_limit": 1, "redrive_policy": {"max_receive_count": 3, "dead_letter_queue": "d"}}]}"#;
    let err = Script::from_json(bad).and_then(|s| s.run()).unwrap_err();
    assert!(err.contains("queues[0].redrive_policy"), "{err}");
    let zero = r#"{"queues": [{"name": "q", "redrive_policy": {"max_receive_count": 0, "dead_letter_queue": "d"}}]}"#;
    assert!(Script::from_json(zero).and_then(|s| s.run()).unwrap_err().contains("max_receive_count"));
}

/// A quorum queue with reject-publish takes the publish that goes over the limit, then refuses
/// every publish until it is back at 80% of the limit; reject-publish-dlx, unsupported by 3.10's
/// quorum queues, drops the head.
#[test]
fn the_quorum_length_limit_is_soft() {
    let mut steps: Vec<String> = (1..=7).map(|i| publish(&format!("m{i}"))).collect();
    let get = r#"{"op": "get", "queue": "q", "then": "ack"}"#.to_string();
    steps.extend([get.clone(), publish("m8"), get, publish("m9")]);
    let q = r#"{"name": "q", "type": "quorum", "max_length": 5, "overflow": "reject-publish"}"#;
    let obs = run(&topology(q, &steps.join(",")));
    // m6 makes 6 (over 5) and is taken; m7 refused; at 5 still refused (m8); at 4 taken (m9).
    assert_eq!(confirms(&obs), ["ack", "ack", "ack", "ack", "ack", "ack", "nack", "nack", "ack"]);
    let q = r#"{"name": "q", "type": "quorum", "max_length": 2, "overflow": "reject-publish-dlx", "dead_letter_exchange": "dlx"}"#;
    let obs = run(&topology(q, &[publish("m1"), publish("m2"), publish("m3")].join(",")));
    assert_eq!(confirms(&obs), ["ack"; 3]);
    assert_eq!(ids(&obs), ["q:m2", "q:m3", "dlq:m1"]);
}

#[test]
fn the_quorum_delivery_limit_dead_letters_after_that_many_returns() {
    let get_requeue = r#"{"op": "get", "queue": "q", "then": "nack_requeue"}"#.to_string();
    let steps = [publish("m1"), get_requeue.clone(), get_requeue.clone(), get_requeue.clone(), get_requeue].join(",");
    let q = r#"{"name": "q", "type": "quorum", "delivery_limit": 2, "dead_letter_exchange": "dlx"}"#;
    let obs = run(&topology(q, &steps));
    // Delivered three times; the third return exceeds the limit of 2.
    assert_eq!(ids(&obs), ["q:m1", "q:m1", "q:m1", "dlq:m1"]);
    assert_eq!(gets(&obs)[3].3, [("q".to_string(), DeathReason::DeliveryLimit, 1)]);
}

#[test]
fn rejections_record_x_death_and_the_routing_key_can_be_replaced() {
    let json = r#"{"exchanges": [{"name": "dlx", "type": "direct"}],
      "queues": [{"name": "q", "dead_letter_exchange": "dlx", "dead_letter_routing_key": "parked"},
                 {"name": "dlq"}],
      "bindings": [{"source": "dlx", "queue": "dlq", "key": "parked"}],
      "steps": [{"op": "publish", "id": "m1", "routing_key": "q"},
                {"op": "get", "queue": "q", "then": "reject"}]}"#;
    let obs = run(json);
    assert_eq!(ids(&obs), ["q:m1", "dlq:m1"]);
    let Observation::Get { x_death, .. } = &obs[2] else { panic!("{obs:?}") };
    assert_eq!(x_death.len(), 1);
    assert_eq!((x_death[0].exchange.as_str(), x_death[0].routing_keys.clone()), ("", vec!["q".to_string()]));
}

#[test]
fn an_automatic_dead_letter_cycle_is_dropped_a_rejected_one_goes_round() {
    // Expired messages dead-letter back into their own queue: dropped the first time.
    let json = r#"{"queues": [{"name": "q", "message_ttl_ms": 100, "dead_letter_exchange": ""}],
      "steps": [{"op": "publish", "id": "m1", "routing_key": "q"}, {"op": "wait", "ms": 1000},
                {"op": "get", "queue": "q", "then": "ack"}]}"#;
    assert!(ids(&run(json)).is_empty());
    // Rejections may cycle: the message comes back, its count going up.
    let json = r#"{"queues": [{"name": "q", "dead_letter_exchange": ""}],
      "steps": [{"op": "publish", "id": "m1", "routing_key": "q"},
                {"op": "get", "queue": "q", "then": "reject"}, {"op": "get", "queue": "q", "then": "reject"},
                {"op": "get", "queue": "q", "then": "ack"}]}"#;
    let g = gets(&run(json));
    assert_eq!(g.len(), 3);
    assert_eq!(g[2].3, [("q".to_string(), DeathReason::Rejected, 2)]);
}

#[test]
fn bad_scripts_name_what_is_wrong() {
    let err = |json: &str| Script::from_json(json).and_then(|s| s.run()).unwrap_err();
    assert!(err(r#"{"queues": [{"name": "q", "max_len": 3}]}"#).contains("max_len"));
    assert!(err(r#"{"bindings": [{"source": "nope", "queue": "q"}]}"#).contains("bindings[0]"));
    assert!(err(r#"{"steps": [{"op": "get", "queue": "q", "then": "ack"}]}"#).contains("steps[0]"));
    assert!(err(r#"{"queues": [{"name": "q", "delivery_limit": 3}]}"#).contains("quorum"));
    let headers = r#"{"exchanges": [{"name": "h", "type": "headers"}], "queues": [{"name": "q"}],
        "bindings": [{"source": "h", "queue": "q", "arguments": {"x-match": "some"}}]}"#;
    assert!(err(headers).contains("x-match"));
}
