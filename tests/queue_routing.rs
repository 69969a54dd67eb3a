//! The queue broker's routing against RabbitMQ's own tests and rules: the topic cases of
//! rabbitmq-server's `routing_SUITE` (bindings t1..t27, then some removed), the headers
//! exchange's x-match rules, exchange-to-exchange bindings with a cycle, alternate exchanges and
//! the default exchange.

use eda_lab::sim::broker::amqp::exchange::{route, Binding, Destination, Exchange, ExchangeType};
use eda_lab::sim::broker::amqp::headers::{FieldTable, FieldValue};
use eda_lab::sim::broker::amqp::script::{Observation, Script};
use std::collections::BTreeMap;

fn topic_exchange(bindings: &[(&str, &str, &str)]) -> Exchange {
    let mut x = Exchange {
        name: "topic_matching-exchange".into(),
        kind: ExchangeType::Topic,
        alternate: None,
        bindings: vec![],
    };
    for (key, queue, arg) in bindings {
        let q: usize = queue[1..].parse().unwrap();
        let mut arguments = FieldTable::new();
        if !arg.is_empty() {
            arguments.insert("foo".into(), FieldValue::Str(arg.to_string()));
        }
        x.bind(Binding { destination: Destination::Queue(q), key: key.to_string(), arguments });
    }
    x
}

fn expect(x: &Exchange, cases: &[(&str, &[u32])]) {
    let names = BTreeMap::from([(x.name.clone(), 0usize)]);
    for (key, expected) in cases {
        let got = route(std::slice::from_ref(x), &names, 0, key, &FieldTable::new());
        let want: Vec<usize> = expected.iter().map(|&t| t as usize).collect();
        assert_eq!(got, want, "routing key {key:?}");
    }
}

const BINDINGS: [(&str, &str, &str); 28] = [
    ("a.b.c", "t1", ""),
    ("a.*.c", "t2", ""),
    ("a.#.b", "t3", ""),
    ("a.b.b.c", "t4", ""),
    ("#", "t5", ""),
    ("#.#", "t6", ""),
    ("#.b", "t7", ""),
    ("*.*", "t8", ""),
    ("a.*", "t9", ""),
    ("*.b.c", "t10", ""),
    ("a.#", "t11", ""),
    ("a.#.#", "t12", ""),
    ("b.b.c", "t13", ""),
    ("a.b.b", "t14", ""),
    ("a.b", "t15", ""),
    ("b.c", "t16", ""),
    ("", "t17", ""),
    ("*.*.*", "t18", ""),
    ("vodka.martini", "t19", ""),
    ("a.b.c", "t20", ""),
    ("*.#", "t21", ""),
    ("#.*.#", "t22", ""),
    ("*.#.#", "t23", ""),
    ("#.#.#", "t24", ""),
    ("*", "t25", ""),
    ("#.b.#", "t26", ""),
    ("args-test", "t27", "bar"),
    ("args-test", "t27", "baz"),
];

/// rabbitmq-server deps/rabbit/test/routing_SUITE.erl, `topic1`.
#[test]
fn rabbitmq_routing_suite_topic_cases() {
    let mut x = topic_exchange(&BINDINGS);
    expect(
        &x,
        &[
            ("a.b.c", &[1, 2, 5, 6, 10, 11, 12, 18, 20, 21, 22, 23, 24, 26]),
            ("a.b", &[3, 5, 6, 7, 8, 9, 11, 12, 15, 21, 22, 23, 24, 26]),
            ("a.b.b", &[3, 5, 6, 7, 11, 12, 14, 18, 21, 22, 23, 24, 26]),
            ("", &[5, 6, 17, 24]),
            ("b.c.c", &[5, 6, 18, 21, 22, 23, 24, 26]),
            ("a.a.a.a.a", &[5, 6, 11, 12, 21, 22, 23, 24]),
            ("vodka.gin", &[5, 6, 8, 21, 22, 23, 24]),
            ("vodka.martini", &[5, 6, 8, 19, 21, 22, 23, 24]),
            ("b.b.c", &[5, 6, 10, 13, 18, 21, 22, 23, 24, 26]),
            ("nothing.here.at.all", &[5, 6, 21, 22, 23, 24]),
            ("oneword", &[5, 6, 21, 22, 23, 24, 25]),
            ("args-test", &[5, 6, 21, 22, 23, 24, 25, 27]),
        ],
    );
    // Bindings 1, 5, 11, 19, 21 and 28 removed (28: one of t27's two, told apart by arguments).
    for n in [1, 5, 11, 19, 21, 28] {
        let (key, queue, arg) = BINDINGS[n - 1];
        let gone = topic_exchange(&[(key, queue, arg)]).bindings.remove(0);
        assert!(x.unbind(&gone), "binding {n} existed");
    }
    expect(
        &x,
        &[
            ("a.b.c", &[2, 6, 10, 12, 18, 20, 22, 23, 24, 26]),
            ("a.b", &[3, 6, 7, 8, 9, 12, 15, 22, 23, 24, 26]),
            ("a.b.b", &[3, 6, 7, 12, 14, 18, 22, 23, 24, 26]),
            ("", &[6, 17, 24]),
            ("b.c.c", &[6, 18, 22, 23, 24, 26]),
            ("a.a.a.a.a", &[6, 12, 22, 23, 24]),
            ("vodka.gin", &[6, 8, 22, 23, 24]),
            ("vodka.martini", &[6, 8, 22, 23, 24]),
            ("b.b.c", &[6, 10, 13, 18, 22, 23, 24, 26]),
            ("nothing.here.at.all", &[6, 22, 23, 24]),
            ("oneword", &[6, 22, 23, 24, 25]),
            ("args-test", &[6, 22, 23, 24, 25, 27]),
        ],
    );
}

fn run(json: &str) -> Vec<Observation> {
    Script::from_json(json).unwrap().run().unwrap()
}

fn got(obs: &[Observation]) -> Vec<(String, Option<String>)> {
    obs.iter()
        .filter_map(|o| match o {
            Observation::Get { queue, id, .. } => Some((queue.clone(), id.clone())),
            _ => None,
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    list.iter().map(|(q, m)| (q.to_string(), Some(m.to_string()))).collect()
}

/// Exchange-to-exchange bindings route on (a cycle ends), the alternate exchange takes only what
/// an exchange's own bindings did not match at all, the default exchange routes by queue name,
/// and a mandatory message that reaches no queue is returned.
#[test]
fn exchange_to_exchange_alternates_and_the_default_exchange() {
    let obs = run(r#"{
      "exchanges": [{"name": "a", "type": "direct", "alternate_exchange": "ae"},
                    {"name": "b", "type": "fanout"}, {"name": "ae", "type": "fanout"},
                    {"name": "void", "type": "direct"}],
      "queues": [{"name": "qb"}, {"name": "qae"}],
      "bindings": [{"source": "a", "exchange": "b", "key": "to-b"}, {"source": "b", "exchange": "a"},
                   {"source": "b", "queue": "qb"}, {"source": "ae", "queue": "qae"},
                   {"source": "a", "exchange": "void", "key": "to-void"}],
      "steps": [{"op": "publish", "id": "m1", "exchange": "a", "routing_key": "to-b"},
                {"op": "publish", "id": "m2", "exchange": "a", "routing_key": "other"},
                {"op": "publish", "id": "m3", "exchange": "a", "routing_key": "to-void", "mandatory": true},
                {"op": "publish", "id": "m4", "routing_key": "qb"},
                {"op": "publish", "id": "m5", "routing_key": "missing", "mandatory": true}]
    }"#);
    let returned: Vec<bool> = obs
        .iter()
        .filter_map(|o| match o {
            Observation::Publish { returned, .. } => Some(*returned),
            _ => None,
        })
        .collect();
    assert_eq!(returned, [false, false, true, false, true]);
    assert_eq!(got(&obs), pairs(&[("qb", "m1"), ("qb", "m4"), ("qae", "m2")]));
}

/// Headers bindings with every x-match and a presence argument, through the script.
#[test]
fn headers_exchange_routes_by_x_match() {
    let obs = run(r#"{
      "exchanges": [{"name": "h", "type": "headers"}],
      "queues": [{"name": "all"}, {"name": "any"}, {"name": "allx"}, {"name": "present"}],
      "bindings": [
        {"source": "h", "queue": "all", "arguments": {"x-match": "all", "format": "pdf", "size": 1}},
        {"source": "h", "queue": "any", "arguments": {"x-match": "any", "format": "pdf", "size": 1}},
        {"source": "h", "queue": "allx", "arguments": {"x-match": "all-with-x", "x-t": "a"}},
        {"source": "h", "queue": "present", "arguments": {"region": null}}],
      "steps": [{"op": "publish", "id": "m1", "exchange": "h", "headers": {"format": "pdf", "size": 1.0}},
                {"op": "publish", "id": "m2", "exchange": "h", "headers": {"format": "pdf", "x-t": "a", "region": 3}},
                {"op": "publish", "id": "m3", "exchange": "h", "headers": {"size": "1"}}]
    }"#);
    assert_eq!(got(&obs), pairs(&[("all", "m1"), ("any", "m1"), ("any", "m2"), ("allx", "m2"), ("present", "m2")]));
}
