//! Exactly-once as Kafka does it: the consumers are a consume → process → produce stage (Kafka
//! Streams' `processing.guarantee=exactly_once_v2`). Each consumer has a transactional producer:
//! the output record each input produces goes to an output topic inside a transaction, and the
//! input offsets are committed in the same transaction (`sendOffsetsToTransaction`), so both
//! become real together or not at all. Readers of the output topic with `isolation.level =
//! read_committed` never see an aborted transaction's records.
//!
//! What counts as the effect of a message: without an external effect, its output record as the
//! output topic's reader sees it; with one (`external_effect`), the card charge the stage makes
//! while processing, which no Kafka transaction can roll back.

use serde::{Deserialize, Serialize};

/// What a reader of the output topic sees (`isolation.level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// Only records of committed transactions, and nothing past the first transaction still open
    /// (the last stable offset). Kafka Streams sets it under exactly-once.
    ReadCommitted,
    /// Every record as soon as it is written, aborted ones too: the consumer client's default.
    ReadUncommitted,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TransactionConfig {
    /// The stage runs its work in transactions (offsets committed inside them). The consumers'
    /// commit strategy must then be after processing: the transaction is that commit.
    pub enabled: bool,
    /// How often each consumer commits its transaction (Kafka Streams' `commit.interval.ms`: 100 ms
    /// under exactly-once).
    pub commit_interval_ms: u64,
    /// `transaction.timeout.ms`: the coordinator aborts a transaction open this long (Kafka
    /// Streams sets 10 s under exactly-once; the producer's own default is 60 s).
    pub timeout_ms: u64,
    /// What the output topic's reader sees.
    pub isolation: Isolation,
    /// The stage also charges a card while processing: an effect outside the transaction.
    pub external_effect: bool,
}

impl Default for TransactionConfig {
    fn default() -> Self {
        TransactionConfig {
            enabled: false,
            commit_interval_ms: 100,
            timeout_ms: 10_000,
            isolation: Isolation::ReadCommitted,
            external_effect: false,
        }
    }
}

impl TransactionConfig {
    /// Whether it is left as it is by default (off): then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == TransactionConfig::default()
    }
}

/// What else a transactional stage needs, as facts about the scenario.
pub struct Needs {
    pub on_queue: bool,
    pub clustered: bool,
    pub commit_after: bool,
    pub idempotency_none: bool,
    pub reappend: bool,
    pub dead_letter_queue: bool,
}

/// Why the transactions cannot run with the rest of the scenario: the field named, and why.
pub fn refusal(t: &TransactionConfig, n: &Needs) -> Option<(&'static str, String)> {
    if !t.enabled {
        return None;
    }
    let (field, why) = if n.on_queue {
        (
            "transactions.enabled",
            "transactions are Kafka's (the log broker); the queue broker has none that span a consume and a publish",
        )
    } else if !n.commit_after {
        (
            "consumers.commit",
            "with transactions the offsets are committed inside each transaction: set after_processing",
        )
    } else if t.commit_interval_ms >= t.timeout_ms {
        (
            "transactions.commit_interval_ms",
            "must be below transactions.timeout_ms, or every transaction would time out before its commit",
        )
    } else if !n.idempotency_none && !t.external_effect {
        ("idempotency.mode", "guards an effect outside the transaction, and there is none (transactions.external_effect is off): the transaction alone makes the output exactly once")
    } else if n.clustered {
        (
            "transactions.enabled",
            "transactions on a cluster of brokers (replication.brokers above 1) are not modelled yet: use one broker",
        )
    } else if n.reappend {
        ("processing.retry.mode", "a retry re-appended to the topic would have to join the transaction, which is not modelled: retry in place")
    } else if n.dead_letter_queue {
        (
            "processing.dead_letter_queue",
            "a dead letter would have to join the transaction, which is not modelled: turn the dead-letter queue off",
        )
    } else {
        return None;
    };
    Some((field, why.into()))
}
