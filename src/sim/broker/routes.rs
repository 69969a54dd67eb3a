//! Where the exchange in front of the subscribers' queues sends each event type. A message's
//! routing key is its event type and its headers are its event type's (`producer.headers`), so
//! which bindings match depends on the event type alone: it is worked out once per run, through
//! the queue broker's own exchange (`amqp/exchange.rs`, the rules the differential test checks
//! against a real RabbitMQ), and each publish looks it up instead of matching again.

use crate::sim::broker::amqp::exchange::{route, Binding, Destination, Exchange, ExchangeType};
use crate::sim::broker::amqp::headers::FieldTable;
use crate::sim::config::queue::ExchangeKind;
use crate::sim::config::scenario::Scenario;
use std::collections::BTreeMap;

/// The exchange's routing of each event type to the subscribers' queues (bit `k` for the queue of
/// subscriber `k`).
#[derive(Clone, Debug, Default)]
pub struct Routes {
    /// Per event type, the queues whose binding matches its messages.
    matched: Vec<u64>,
    /// The queues bound to the alternate exchange (a fanout): they take what no binding matched.
    alternates: u64,
}

/// Where one message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// To these queues, whose bindings matched.
    Bound(u64),
    /// No binding matched: to these queues of the alternate exchange (none: unroutable).
    Alternate(u64),
}

impl Routes {
    /// The routing of scenario `s`'s exchange to its first `queues` subscribers' queues, each
    /// bound with its key or arguments (every one of them, behind a fanout).
    pub fn of(s: &Scenario, queues: usize) -> Routes {
        let kind = match s.queue.exchange {
            ExchangeKind::Fanout => ExchangeType::Fanout,
            ExchangeKind::Direct => ExchangeType::Direct,
            ExchangeKind::Topic => ExchangeType::Topic,
            ExchangeKind::Headers => ExchangeType::Headers,
        };
        let mut exchange = Exchange { name: "orders".into(), kind, alternate: None, bindings: Vec::new() };
        let mut alternates = 0;
        for k in 0..queues.min(64) {
            let sub = k as u8;
            let (key, arguments) = (s.binding_key(sub), s.binding_arguments(sub));
            if kind == ExchangeType::Fanout || key.is_some() || arguments.is_some() {
                let (key, arguments) = (key.unwrap_or("").to_string(), arguments.cloned().unwrap_or_default());
                exchange.bind(Binding { destination: Destination::Queue(k), key, arguments });
            }
            if s.alternate(sub) {
                alternates |= 1 << k;
            }
        }
        let names = BTreeMap::from([(exchange.name.clone(), 0)]);
        let exchanges = std::slice::from_ref(&exchange);
        let matched = (0..s.producer.event_types.len())
            .map(|t| {
                let (key, headers): (&str, &FieldTable) = (&s.producer.event_types[t], s.producer.headers_of(t));
                route(exchanges, &names, 0, key, headers).into_iter().fold(0, |mask, q| mask | 1 << q)
            })
            .collect();
        Routes { matched, alternates }
    }

    /// Where a message of `event_type` goes, among the queues `declared` (bound by then).
    #[inline]
    pub fn of_message(&self, event_type: u8, declared: u64) -> Route {
        match self.matched.get(event_type as usize).map_or(0, |m| m & declared) {
            0 => Route::Alternate(self.alternates & declared),
            matched => Route::Bound(matched),
        }
    }
}
