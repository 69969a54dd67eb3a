//! Properties of the queue broker over random scripts: with manual acknowledgement and requeue,
//! and no TTL, length limit or restart, no message is ever lost or acknowledged twice; and every
//! copy a queue takes ends in exactly one place (acknowledged, dead-lettered into another queue
//! or discarded) however TTLs, limits and rejections combine.

use eda_lab::sim::broker::amqp::script::{Observation, Script, Step, StepRef, Then};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// How a get settles; `discard` adds nack and reject without requeue.
fn then(discard: bool) -> BoxedStrategy<Then> {
    let keep_all = prop_oneof![Just(Then::Ack), Just(Then::NackRequeue), Just(Then::RejectRequeue), Just(Then::Keep)];
    if discard {
        prop_oneof![4 => keep_all, 1 => Just(Then::Nack), 1 => Just(Then::Reject)].boxed()
    } else {
        keep_all.boxed()
    }
}

/// Publishes to a fanout exchange feeding two queues, gets with random settlements, settles of
/// kept deliveries, waits.
fn steps(discard: bool) -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        3 => Just(None),
        3 => (0..2usize, then(discard)).prop_map(|(q, t)| Some((q, t, false))),
        1 => (0..2usize, then(discard)).prop_map(|(q, t)| Some((q, t, true))),
    ];
    prop::collection::vec(step, 1..60).prop_map(|raw| {
        let mut next_id = 0;
        raw.into_iter()
            .map(|s| match s {
                None => {
                    next_id += 1;
                    Step::Publish {
                        id: format!("m{next_id}"),
                        exchange: "fan".into(),
                        routing_key: String::new(),
                        headers: Default::default(),
                        mandatory: false,
                        expiration_ms: None,
                        body_bytes: 10,
                    }
                }
                Some((q, then, false)) => Step::Get { queue: format!("q{q}"), then },
                Some((_, _, true)) => Step::Wait { ms: 100 },
            })
            .collect()
    })
}

fn script(steps: Vec<Step>, queue_args: &str) -> Script {
    let json = format!(
        r#"{{"exchanges": [{{"name": "fan", "type": "fanout"}}, {{"name": "dlx", "type": "fanout"}}],
            "queues": [{{"name": "q0" {queue_args}}}, {{"name": "q1", "type": "quorum" {queue_args}}}, {{"name": "dlq"}}],
            "bindings": [{{"source": "fan", "queue": "q0"}}, {{"source": "fan", "queue": "q1"}},
                         {{"source": "dlx", "queue": "dlq"}}]}}"#
    );
    Script { steps, ..Script::from_json(&json).unwrap() }
}

/// Acknowledgements per (queue, message): gets whose step acks, and the final drain.
fn acks(s: &Script, obs: &[Observation]) -> BTreeMap<(String, String), u32> {
    let mut n = BTreeMap::new();
    for o in obs {
        if let Observation::Get { step, queue, id: Some(id), .. } = o {
            let acked = match step {
                StepRef::Index(i) => matches!(s.steps[*i], Step::Get { then: Then::Ack, .. }),
                StepRef::End(_) => true,
            };
            if acked {
                *n.entry((queue.clone(), id.clone())).or_default() += 1;
            }
        }
    }
    n
}

fn published(s: &Script) -> Vec<String> {
    s.steps
        .iter()
        .filter_map(|st| match st {
            Step::Publish { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Requeue never loses: every message is acknowledged exactly once in each queue.
    #[test]
    fn manual_ack_with_requeue_loses_nothing_and_acks_once(steps in steps(false)) {
        let s = script(steps, "");
        let obs = s.run().unwrap();
        let acks = acks(&s, &obs);
        for id in published(&s) {
            for q in ["q0", "q1"] {
                prop_assert_eq!(acks.get(&(q.to_string(), id.clone())).copied(), Some(1), "{} in {}", id, q);
            }
        }
        prop_assert_eq!(acks.len(), published(&s).len() * 2);
    }

    /// With TTLs, a length limit, a delivery limit, rejections and a dead-letter queue, each
    /// message still ends once per queue: acknowledged there, or dead-lettered from there (then acknowledged
    /// in the DLQ, where nothing expires).
    #[test]
    fn every_copy_ends_once(steps in steps(true)) {
        let args = r#", "message_ttl_ms": 150, "max_length": 3, "dead_letter_exchange": "dlx""#;
        let mut s = script(steps, args);
        s.queues[1].delivery_limit = Some(1);
        let obs = s.run().unwrap();
        let acks = acks(&s, &obs);
        for id in published(&s) {
            for q in ["q0", "q1"] {
                let here = acks.get(&(q.to_string(), id.clone())).copied().unwrap_or(0);
                let dead = obs.iter().filter(|o| matches!(o, Observation::Get { queue, id: Some(i), x_death, step: StepRef::End(_), .. }
                    if queue == "dlq" && *i == id && x_death.first().is_some_and(|d| d.queue == q))).count() as u32;
                prop_assert_eq!(here + dead, 1, "{} from {}: {} acked, {} dead-lettered", id, q, here, dead);
            }
        }
    }
}

/// Keys and patterns over a small alphabet with empty words, stars and hashes.
fn topic_key(wild: bool) -> impl Strategy<Value = String> {
    let word = if wild {
        prop_oneof![Just("a"), Just("b"), Just(""), Just("*"), Just("#")].boxed()
    } else {
        prop_oneof![Just("a"), Just("b"), Just("")].boxed()
    };
    prop::collection::vec(word, 0..6).prop_map(|w| w.join("."))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The routing explainer's verdict is the exchange's, and on a match the words it says each
    /// binding word took are the key's words, in order.
    #[test]
    fn the_explainer_agrees_with_the_matcher(pattern in topic_key(true), key in topic_key(false)) {
        use eda_lab::sim::broker::amqp::exchange::ExchangeType;
        use eda_lab::sim::broker::amqp::explain::explain;
        use eda_lab::sim::broker::amqp::headers::FieldTable;
        use eda_lab::sim::broker::amqp::topic::topic_matches;
        let e = explain(ExchangeType::Topic, &pattern, &FieldTable::new(), &key, &FieldTable::new());
        prop_assert_eq!(e.matched, topic_matches(&pattern, &key));
        prop_assert_eq!(e.why.len(), 2);
        if e.matched && !pattern.is_empty() {
            let taken: Vec<String> = e.why[1]
                .trim_end_matches('.')
                .split(", ")
                .flat_map(|part| {
                    let (_, words) = part.split_once(" took ").unwrap();
                    if words == "no words" { vec![] } else { words.split(' ').map(|w| w.trim_matches('"').to_string()).collect() }
                })
                .collect();
            let expected: Vec<String> = if key.is_empty() { vec![] } else { key.split('.').map(str::to_string).collect() };
            prop_assert_eq!(taken, expected);
        }
    }
}
