//! The clients' counters, beyond the ledger's outcomes.

use serde::Serialize;

/// What the producer did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProducerStats {
    /// Resends after a lost request or acknowledgement.
    pub producer_retries: u64,
    /// Resends the broker appended a second time.
    pub duplicate_appends: u64,
    /// Resends the broker recognised (idempotent producer) and did not append.
    pub duplicate_appends_dropped: u64,
    /// Records the broker refused as out of sequence (idempotent producer): sent again in order.
    pub out_of_sequence: u64,
    /// Records appended for the first time after a later record of the same key: per key, one
    /// for each record that lands out of order.
    pub order_violations: u64,
    /// Publishes a full queue refused (`x-overflow` reject-publish): a nack to a publisher that
    /// waits for confirms.
    pub publishes_rejected: u64,
    /// Writes refused for want of a live leader or of enough in-sync replicas (the log's
    /// cluster), and resent.
    pub writes_refused: u64,
}

/// What the consumers did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConsumerStats {
    /// Processing attempts that ended, failed or not (one a crash or an eviction cut short is not
    /// counted): the error rate's denominator.
    pub attempts: u64,
    pub processing_failures: u64,
    pub retries: u64,
    /// Redeliveries the dedup store caught.
    pub dedup_skips: u64,
    /// Repeated effects that changed nothing (natural idempotency).
    pub effects_absorbed: u64,
    pub crashes: u64,
    /// Records held past `max.poll.interval.ms`: the consumer was put out of the group.
    pub poll_timeouts: u64,
    /// Commits refused because the consumer was no longer in the group (`CommitFailedException`).
    pub commits_failed: u64,
    /// Records whose effect was applied after that of a later record of their key, a partition
    /// change having moved the key between the two (`client/order.rs`).
    pub key_order_broken: u64,
    /// Consumers stopped by an error: no valid committed offset and `auto.offset.reset=none`.
    pub failed: u64,
    /// Times a consumer paused because the circuit breaker refused its call.
    pub breaker_pauses: u64,
    /// Attempts failed at once because the circuit breaker refused the call (fail fast).
    pub calls_not_permitted: u64,
}

impl std::ops::AddAssign for ConsumerStats {
    /// Counts of several subscribers' consumers together.
    fn add_assign(&mut self, o: ConsumerStats) {
        self.attempts += o.attempts;
        self.processing_failures += o.processing_failures;
        self.retries += o.retries;
        self.dedup_skips += o.dedup_skips;
        self.effects_absorbed += o.effects_absorbed;
        self.crashes += o.crashes;
        self.poll_timeouts += o.poll_timeouts;
        self.commits_failed += o.commits_failed;
        self.key_order_broken += o.key_order_broken;
        self.failed += o.failed;
        self.breaker_pauses += o.breaker_pauses;
        self.calls_not_permitted += o.calls_not_permitted;
    }
}
