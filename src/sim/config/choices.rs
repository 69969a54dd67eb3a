//! The closed choices a setting can take (commit strategy, crash point, idempotency mode, client,
//! librdkafka partitioner). Both scenarios and commands use them; they depend on neither.

use serde::{Deserialize, Serialize};

/// When the consumer commits its offset relative to processing: the single choice that separates
/// at-most-once from at-least-once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum CommitStrategy {
    /// Commit, then process: a crash mid-processing loses the message (at-most-once).
    BeforeProcessing,
    /// Process, then commit: a crash before the commit redelivers it (at-least-once).
    AfterProcessing,
    /// A background timer commits the offset after the last message handed to the application, as
    /// librdkafka does with `enable.auto.commit` and `enable.auto.offset.store` (both on by
    /// default): it can lose (committed but not yet processed) or duplicate (processed but not yet
    /// committed), depending on when the crash lands. The Java client differs: it auto-commits
    /// inside `poll()` what earlier polls returned (`ConsumerCoordinator.maybeAutoCommitOffsetsAsync`),
    /// and on rebalance and close.
    Auto { interval_ms: u64 },
}

/// A step of the consumer's pipeline, in order: receive → [commit] → process → effect → dedup mark
/// → [commit]. A crash "after X" stops the consumer right after step X, before the next one. Under
/// auto-commit the commit is the one the timer (or a revoke) makes, whatever the consumer is doing
/// then; without a dedup store there is no mark to crash after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashPoint {
    AfterReceive,
    AfterCommit,
    AfterEffect,
    AfterDedupMark,
}

impl CrashPoint {
    pub const ALL: [CrashPoint; 4] =
        [CrashPoint::AfterReceive, CrashPoint::AfterCommit, CrashPoint::AfterEffect, CrashPoint::AfterDedupMark];

    /// Plain words for logs and labels.
    pub fn describe(self) -> &'static str {
        match self {
            CrashPoint::AfterReceive => "after receiving, before processing",
            CrashPoint::AfterCommit => "after the offset commit",
            CrashPoint::AfterEffect => "after the effect",
            CrashPoint::AfterDedupMark => "after the dedup mark",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdempotencyMode {
    /// Every delivery applies the effect again.
    None,
    /// Check the store, apply the effect, then mark the id: a crash between effect and mark
    /// lets the redelivery apply the effect twice.
    DedupCheckThenAct,
    /// The mark and the effect commit together (one local database transaction): no window for a
    /// duplicate. A remote effect (a payments API) cannot join such a transaction; there the
    /// provider's idempotency key plays this part.
    DedupAtomic,
    /// The effect is a SET, not an ADD: applying it again changes nothing.
    Natural,
    /// Each key's state keeps the version of the last event applied, and the effect writes only
    /// a newer one (in the same transaction): a redelivery changes nothing, and an older event
    /// arriving after a newer one (reordered by a retry) is ignored, its update never applied.
    Versioning,
    /// The effect inserts a row keyed by the message id: a second insert violates the unique
    /// constraint and rolls back, so a redelivery changes nothing, however late it comes.
    UniqueConstraint,
}

impl IdempotencyMode {
    /// Whether the consumer keeps a dedup store (checks it, and marks the ids it processed).
    pub fn has_dedup_store(self) -> bool {
        matches!(self, IdempotencyMode::DedupCheckThenAct | IdempotencyMode::DedupAtomic)
    }
}

/// Whose producer client the simulated producer is: its partitioner decides where each record goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    /// Apache Kafka's Java client, 3.3 or later (`KafkaProducer` with no `partitioner.class`).
    Java,
    /// librdkafka (and the clients built on it: confluent-kafka-python, -go, -dotnet, rdkafka-ruby).
    Librdkafka,
}

/// librdkafka's `partitioner` topic setting: the two that spread keyless messages at random.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RdPartitioner {
    /// librdkafka's default: CRC-32 of the key; an empty or NULL key goes to a random partition.
    ConsistentRandom,
    /// The Java client's murmur2 of the key (an empty key hashes too); a NULL key goes to a random
    /// partition.
    Murmur2Random,
}

/// A consumer's `partition.assignment.strategy` (how the group leader assigns partitions; see
/// `broker/log/assignor/`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignor {
    /// `RangeAssignor` (eager): each member a contiguous range of each topic's partitions.
    #[default]
    Range,
    /// `RoundRobinAssignor` (eager): all partitions dealt out to the members in turn.
    RoundRobin,
    /// `CooperativeStickyAssignor`: balanced, keeps what members own, and never hands a partition
    /// to a new owner in the rebalance that revokes it from the old one.
    CooperativeSticky,
}

/// A consumer's `auto.offset.reset`: where it starts reading a partition its group has no
/// committed offset for, or whose offset is out of range (retention deleted the records there).
/// Both clients default to `latest`: the Java client's `ConsumerConfig` defines
/// `auto.offset.reset` with `OffsetResetStrategy.LATEST` (Kafka trunk 1eb7644), librdkafka's
/// CONFIGURATION.md gives `largest` (its name for latest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoOffsetReset {
    /// The log start offset: the oldest record still in the log.
    Earliest,
    /// The log end offset at that moment: the records before it are never read by the group.
    #[default]
    Latest,
    /// No reset: the Java client's `poll()` throws (`NoOffsetForPartitionException`, or
    /// `OffsetOutOfRangeException` when out of range). librdkafka has no `none`; its `error`
    /// reports `ERR__AUTO_OFFSET_RESET` and stops fetching only that partition.
    None,
}
