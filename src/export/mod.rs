//! Code export: the current scenario as the client configuration and handler skeleton a real
//! service would run, in five client libraries: kafka-python and confluent-kafka (Python) and
//! rdkafka (Rust) for the log, pika (Python) and lapin (Rust) for the queue. Every line a setting
//! decides records which setting it comes from ([`Used`]), so the page can link the line to the
//! setting's control, and a comment beside it says why.
//!
//! **Architecture Invariant:** the export is pure text from a [`Scenario`]: it knows nothing of
//! the page, reads no clock, touches no file or network, and runs no simulation. The versions and
//! APIs it writes are the libraries' own (checked against their sources; `tests/export.rs`
//! byte-compiles the Python and type-checks the Rust against the named crate versions).
//!
//! - `code.rs`: the line writer that numbers lines and records the settings used.
//! - `python.rs`, `rust.rs`: the handler both targets of a language share (retries, backoff,
//!   dead letters, the circuit breaker, the dedup store and the other idempotency guards).
//! - one file per target for its client configuration and its consume loop.

mod code;
mod confluent;
mod kafka_python;
mod lapin;
mod pika;
mod python;
mod rdkafka;
mod rust;

use crate::sim::config::choices::IdempotencyMode;
use crate::sim::config::queue::BrokerKind;
use crate::sim::config::scenario::{BackoffPolicy, CommitStrategy, RetryMode, Scenario};
pub(crate) use code::Code;

/// A client library the scenario can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    KafkaPython,
    ConfluentKafka,
    Pika,
    Rdkafka,
    Lapin,
}

impl Target {
    pub const ALL: [Target; 5] =
        [Target::KafkaPython, Target::ConfluentKafka, Target::Pika, Target::Rdkafka, Target::Lapin];

    /// The name the command line and the page's picker use (`kafka-python`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Target::KafkaPython => "kafka-python",
            Target::ConfluentKafka => "confluent-kafka",
            Target::Pika => "pika",
            Target::Rdkafka => "rdkafka",
            Target::Lapin => "lapin",
        }
    }

    /// The library and the version the code is written for, as the picker shows it.
    pub fn label(self) -> &'static str {
        match self {
            Target::KafkaPython => "kafka-python 2.0.2 (Python, Kafka)",
            Target::ConfluentKafka => "confluent-kafka 2.x (Python, Kafka)",
            Target::Pika => "pika 1.3 (Python, RabbitMQ)",
            Target::Rdkafka => "rdkafka 0.36 (Rust, Kafka)",
            Target::Lapin => "lapin 2.5 (Rust, RabbitMQ)",
        }
    }

    /// The target called `name`, if there is one.
    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Whether the code is Python (else Rust): the tests compile each its own way.
    pub fn is_python(self) -> bool {
        matches!(self, Target::KafkaPython | Target::ConfluentKafka | Target::Pika)
    }

    /// The broker the library talks to: Kafka's log or RabbitMQ's queues.
    pub fn broker(self) -> BrokerKind {
        match self {
            Target::Pika | Target::Lapin => BrokerKind::Queue,
            _ => BrokerKind::Log,
        }
    }
}

/// One line of the exported code that a setting decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Used {
    /// The setting's path, as in [`SETTINGS`](crate::sim::config::settings::SETTINGS): the page's
    /// control for it has `data-setting` = this path.
    pub path: &'static str,
    /// The line of the code (from 1) it decided.
    pub line: usize,
    /// The setting and its value in words, as the settings panel describes it.
    pub what: String,
}

/// The exported code and the settings that decided its lines, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub code: String,
    pub settings: Vec<Used>,
}

/// The scenario as `target`'s client configuration and handler skeleton.
pub fn export(scenario: &Scenario, target: Target) -> Export {
    match target {
        Target::KafkaPython => kafka_python::export(scenario),
        Target::ConfluentKafka => confluent::export(scenario),
        Target::Pika => pika::export(scenario),
        Target::Rdkafka => rdkafka::export(scenario),
        Target::Lapin => lapin::export(scenario),
    }
}

/// What the targets read of a scenario beyond single settings: decisions several settings make
/// together, worked out once so that every target agrees on them.
pub(crate) struct Plan<'a> {
    pub s: &'a Scenario,
    /// Retries after the first attempt (none under the `none` policy).
    pub retries: u32,
    /// Where a retry happens.
    pub retry_mode: RetryMode,
    /// The consumers keep a dedup store (check-then-act or atomic).
    pub dedup_store: bool,
    /// The stage runs Kafka transactions (consume, process, produce).
    pub transactions: bool,
}

impl<'a> Plan<'a> {
    pub fn of(s: &'a Scenario) -> Plan<'a> {
        Plan {
            s,
            retries: s.processing.retry.retries(),
            retry_mode: s.processing.retry.mode,
            dedup_store: s.idempotency.mode.has_dedup_store(),
            transactions: s.transactions.enabled && s.broker == BrokerKind::Log,
        }
    }

    /// The commit (on the queue: the acknowledgement) strategy.
    pub fn commit(&self) -> CommitStrategy {
        self.s.consumers.commit
    }

    /// A failed attempt is retried where it failed (the consumer waits), rather than handed back.
    pub fn in_place(&self) -> bool {
        self.retry_mode == RetryMode::InPlace
    }

    /// A failed attempt goes back (a retry topic, a wait queue or a requeue) to be retried later.
    pub fn hands_back(&self) -> bool {
        !self.in_place() && self.retries > 0
    }

    /// Whether the handler waits before retries (an in-place retry, or none left to give up on).
    pub fn backs_off(&self) -> bool {
        self.s.processing.retry.policy != BackoffPolicy::None || !self.s.processing.dead_letter_queue
    }

    /// Whether the consumers guard the effect with something of their own (not the transaction).
    pub fn idempotency(&self) -> IdempotencyMode {
        self.s.idempotency.mode
    }

    /// The dedup store's time to live in whole seconds (rounded up), or `None` for ever.
    pub fn dedup_ttl_s(&self) -> Option<u64> {
        self.s.idempotency.dedup_ttl_ms.map(|ms| ms.div_ceil(1_000).max(1))
    }

    /// The consumer group's name (the first subscriber's, with publish-subscribe), or the queue's.
    pub fn group(&self) -> &str {
        self.s.subscribers.first().map_or("payments", |sub| sub.name.as_str())
    }

    /// The sentence that says which broker the scenario runs on when the target uses the other.
    pub fn mismatch(&self, target: Target) -> Option<&'static str> {
        match (self.s.broker, target.broker()) {
            (BrokerKind::Queue, BrokerKind::Log) => Some(
                "This scenario runs on the queue broker (RabbitMQ-like). Here its queue is a Kafka topic, its competing consumers one consumer group and each acknowledgement an offset commit; its queue settings (prefetch, TTL, length limit, dead-letter exchange) have no Kafka counterpart and are left out.",
            ),
            (BrokerKind::Log, BrokerKind::Queue) => Some(
                "This scenario runs on the log broker (Kafka-like). Here its topic is a RabbitMQ queue and each offset commit an acknowledgement; its consumer-group and topic settings (partitions, auto.offset.reset, session timeout, retention) have no RabbitMQ counterpart and are left out, and the queue settings are the scenario's, which its log broker leaves unused.",
            ),
            _ => None,
        }
    }
}

/// Milliseconds as seconds in a literal both languages read (`0.5`, `3.0`).
pub(crate) fn seconds(ms: u64) -> String {
    let fraction = format!("{:03}", ms % 1_000);
    let fraction = fraction.trim_end_matches('0');
    format!("{}.{}", ms / 1_000, if fraction.is_empty() { "0" } else { fraction })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_read_as_literals() {
        assert_eq!(seconds(500), "0.5");
        assert_eq!(seconds(3_000), "3.0");
        assert_eq!(seconds(1_250), "1.25");
        assert_eq!(seconds(0), "0.0");
    }

    #[test]
    fn targets_round_trip_their_names() {
        for t in Target::ALL {
            assert_eq!(Target::parse(t.name()), Some(t));
        }
        assert_eq!(Target::parse("java"), None);
    }
}
