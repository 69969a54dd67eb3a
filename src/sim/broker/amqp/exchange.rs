//! Exchanges and bindings, and routing as RabbitMQ's `rabbit_exchange:route` does it: the
//! exchange's type picks the matching bindings; a binding to another exchange routes the message
//! on through that exchange with the same routing key and headers (each exchange once, so cycles
//! end); an exchange whose own bindings match nothing hands the message to its alternate
//! exchange, if it has one. The default exchange (named "") routes to the queue named by the
//! routing key and cannot be bound.

use super::headers::{headers_match, FieldTable};
use super::topic::{matches_words, words};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How an exchange picks the bindings a message follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeType {
    /// The binding key equals the routing key.
    #[default]
    Direct,
    /// Every binding.
    Fanout,
    /// The binding key is a pattern of words: `*` one word, `#` zero or more.
    Topic,
    /// The binding's arguments against the message's headers (`x-match`).
    Headers,
}

impl ExchangeType {
    pub fn name(self) -> &'static str {
        match self {
            ExchangeType::Direct => "direct",
            ExchangeType::Fanout => "fanout",
            ExchangeType::Topic => "topic",
            ExchangeType::Headers => "headers",
        }
    }
}

/// Where a binding leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Destination {
    Queue(usize),
    Exchange(usize),
}

/// A binding from an exchange to a queue or an exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub destination: Destination,
    pub key: String,
    pub arguments: FieldTable,
}

impl Binding {
    /// Whether a message with this routing key and these headers follows the binding.
    pub fn matches(&self, kind: ExchangeType, routing_key: &str, key_words: &[&str], headers: &FieldTable) -> bool {
        match kind {
            ExchangeType::Direct => self.key == routing_key,
            ExchangeType::Fanout => true,
            ExchangeType::Topic => matches_words(&words(&self.key), key_words),
            ExchangeType::Headers => headers_match(&self.arguments, headers),
        }
    }
}

/// An exchange: its type, its alternate exchange and its bindings (in the order they were made;
/// the same binding twice is one binding, as in RabbitMQ).
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    pub name: String,
    pub kind: ExchangeType,
    /// The `alternate-exchange` argument: a name, looked up when a message needs it (an
    /// alternate exchange that does not exist is no alternate).
    pub alternate: Option<String>,
    pub bindings: Vec<Binding>,
}

impl Exchange {
    /// Adds a binding unless the same one (destination, key and arguments) exists.
    pub fn bind(&mut self, binding: Binding) {
        if !self.bindings.contains(&binding) {
            self.bindings.push(binding);
        }
    }

    /// Removes a binding; false when there was none.
    pub fn unbind(&mut self, binding: &Binding) -> bool {
        let before = self.bindings.len();
        self.bindings.retain(|b| b != binding);
        self.bindings.len() != before
    }
}

/// Routes a message published to `start` through the exchanges (`names`: name to index): the
/// queues it reaches, each once, sorted by index.
pub fn route(
    exchanges: &[Exchange],
    names: &BTreeMap<String, usize>,
    start: usize,
    routing_key: &str,
    headers: &FieldTable,
) -> Vec<usize> {
    let key_words = words(routing_key);
    let mut queues = BTreeSet::new();
    let mut seen = BTreeSet::from([start]);
    let mut work = vec![start];
    while let Some(x) = work.pop() {
        let exchange = &exchanges[x];
        let mut matched = false;
        for b in &exchange.bindings {
            if !b.matches(exchange.kind, routing_key, &key_words, headers) {
                continue;
            }
            matched = true;
            match b.destination {
                Destination::Queue(q) => {
                    queues.insert(q);
                }
                Destination::Exchange(next) => {
                    if seen.insert(next) {
                        work.push(next);
                    }
                }
            }
        }
        // The alternate exchange takes what this exchange's own bindings did not match at all
        // (a match that leads only to an exchange routing nowhere is still a match).
        if let (false, Some(&alt)) = (matched, exchange.alternate.as_ref().and_then(|a| names.get(a))) {
            if seen.insert(alt) {
                work.push(alt);
            }
        }
    }
    queues.into_iter().collect()
}
