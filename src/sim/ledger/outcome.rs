//! Outcome classes, loss reasons and their counters: the ledger's vocabulary.

use serde::Serialize;
use std::fmt;

/// Which outcome class a message is in now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    InFlight,
    ExactlyOnce,
    Duplicated,
    DeadLettered,
    Lost,
}

impl Outcome {
    /// The class in plain words.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::InFlight => "in flight",
            Outcome::ExactlyOnce => "effect applied once",
            Outcome::Duplicated => "duplicated",
            Outcome::DeadLettered => "dead-lettered",
            Outcome::Lost => "lost",
        }
    }
}

/// Why a holder went away without the effect being applied. The last such reason of a message
/// that ends with no effect is its loss reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    /// acks=0: the request was lost on the network and the producer never knew.
    AcksZeroDropped,
    /// Every send attempt (or acknowledgement) was lost and the producer ran out of retries.
    ProducerGaveUp,
    /// The producer's delivery timeout passed before a send was acknowledged (the Java client's
    /// `delivery.timeout.ms`, librdkafka's `message.timeout.ms`).
    DeliveryTimeout,
    /// The offset was committed before processing and the consumer crashed before the effect.
    CommittedBeforeProcessing,
    /// Auto-commit committed the offset of a message still being processed; then the crash.
    AutoCommittedBeforeProcessing,
    /// The record was deleted by retention before the group consumed it.
    Retention,
    /// The queue counted the delivery acknowledged before processing (auto-ack, or a manual ack
    /// on receipt) and the consumer crashed before the effect.
    AckedBeforeProcessing,
    /// A `basic.ack` with `multiple` acknowledged a delivery still being processed; then the crash.
    AckedWithEarlierBeforeProcessing,
    /// Its TTL ran out in the queue, which had no dead-letter exchange.
    Expired,
    /// Dropped from the head of a full queue (`x-max-length`), which had no dead-letter exchange.
    MaxLength,
    /// In a non-durable queue when the broker restarted.
    QueueNotDurable,
    /// A transient message in the queue when the broker restarted.
    TransientMessage,
    /// A consumer without a valid committed offset started at the log end
    /// (`auto.offset.reset=latest`) and skipped the record before anyone processed it.
    OffsetResetLatest,
    /// A consumer group seeking to a time (`subscribers[i].seek_to_time_ms`) started after it:
    /// the group never reads it.
    SkippedBySeek,
    /// A full queue refused it (`x-overflow` reject-publish) and the publisher, not waiting for
    /// confirms, never published it again.
    RejectedByFullQueue,
    /// Returned to a quorum queue more times than its delivery limit, with no dead-letter exchange.
    DeliveryLimit,
    /// No queue's binding matched its routing key: the exchange dropped it (and RabbitMQ still
    /// confirms it to the publisher).
    Unroutable,
    /// No queue's binding matched it, and the publisher, publishing with `mandatory`, got it back
    /// (`basic.return`): it knew, but nothing processed it.
    ReturnedUnroutable,
    /// Versioning ignored it: a newer event of its key had already been applied (it arrived out
    /// of order, e.g. behind a retry), so its own update never was.
    StaleVersion,
    /// The leader that took it failed before any in-sync follower copied it (it was above the high
    /// watermark), and the new leader never had it. With acks=1 the producer had its
    /// acknowledgement already.
    LeaderFailover,
    /// An unclean leader election made an out-of-sync replica leader, which did not have it,
    /// though it was committed (below the high watermark) before nobody processed it.
    UncleanElection,
    /// Sent with acks=0 while its partition had no leader: nothing took it and the producer never
    /// knew.
    AcksZeroNoLeader,
    /// A dual write: the service committed its state change, then crashed before publishing the
    /// event.
    DualWrite,
}

impl LossReason {
    pub const ALL: [LossReason; 23] = [
        LossReason::AcksZeroDropped,
        LossReason::ProducerGaveUp,
        LossReason::DeliveryTimeout,
        LossReason::CommittedBeforeProcessing,
        LossReason::AutoCommittedBeforeProcessing,
        LossReason::Retention,
        LossReason::OffsetResetLatest,
        LossReason::AckedBeforeProcessing,
        LossReason::AckedWithEarlierBeforeProcessing,
        LossReason::Expired,
        LossReason::MaxLength,
        LossReason::QueueNotDurable,
        LossReason::TransientMessage,
        LossReason::RejectedByFullQueue,
        LossReason::DeliveryLimit,
        LossReason::Unroutable,
        LossReason::ReturnedUnroutable,
        LossReason::SkippedBySeek,
        LossReason::StaleVersion,
        LossReason::LeaderFailover,
        LossReason::UncleanElection,
        LossReason::AcksZeroNoLeader,
        LossReason::DualWrite,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LossReason::AcksZeroDropped => "acks0_dropped",
            LossReason::ProducerGaveUp => "producer_gave_up",
            LossReason::DeliveryTimeout => "delivery_timeout",
            LossReason::CommittedBeforeProcessing => "committed_before_processing",
            LossReason::AutoCommittedBeforeProcessing => "auto_committed_before_processing",
            LossReason::Retention => "retention",
            LossReason::OffsetResetLatest => "offset_reset_latest",
            LossReason::SkippedBySeek => "skipped_by_seek",
            LossReason::AckedBeforeProcessing => "acked_before_processing",
            LossReason::AckedWithEarlierBeforeProcessing => "acked_multiple_before_processing",
            LossReason::Expired => "expired",
            LossReason::MaxLength => "max_length",
            LossReason::QueueNotDurable => "queue_not_durable",
            LossReason::TransientMessage => "transient_message",
            LossReason::RejectedByFullQueue => "rejected_by_full_queue",
            LossReason::DeliveryLimit => "delivery_limit",
            LossReason::Unroutable => "unroutable",
            LossReason::ReturnedUnroutable => "returned_unroutable",
            LossReason::StaleVersion => "stale_version",
            LossReason::LeaderFailover => "leader_failover",
            LossReason::UncleanElection => "unclean_election",
            LossReason::AcksZeroNoLeader => "acks0_no_leader",
            LossReason::DualWrite => "dual_write",
        }
    }
}

impl fmt::Display for LossReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LossReason::AcksZeroDropped => "acks=0: request lost on the network, producer never knew",
            LossReason::ProducerGaveUp => "producer gave up: no retries left",
            LossReason::DeliveryTimeout => "producer gave up: its delivery timeout passed before the broker acknowledged it",
            LossReason::CommittedBeforeProcessing => "offset committed before processing, then the consumer crashed",
            LossReason::AutoCommittedBeforeProcessing => {
                "auto-commit committed it while still processing, then the consumer crashed"
            }
            LossReason::Retention => "deleted by retention before anyone processed it",
            LossReason::AckedBeforeProcessing => {
                "acknowledged to the queue on delivery (auto-ack or an early ack), then the consumer crashed"
            }
            LossReason::AckedWithEarlierBeforeProcessing => {
                "acknowledged with every earlier delivery (basic.ack multiple) while still processing, then the consumer crashed"
            }
            LossReason::Expired => "expired in the queue (message TTL), which has no dead-letter exchange",
            LossReason::MaxLength => {
                "dropped from the head of the full queue (x-max-length), which has no dead-letter exchange"
            }
            LossReason::QueueNotDurable => "in a non-durable queue when the broker restarted",
            LossReason::TransientMessage => "a transient message (not persistent) when the broker restarted",
            LossReason::OffsetResetLatest => {
                "offset reset to latest: a consumer without a valid committed offset started at the log end and skipped it"
            }
            LossReason::SkippedBySeek => {
                "skipped by a seek: a new consumer group started at the first record produced at or after a time, after it"
            }
            LossReason::RejectedByFullQueue => {
                "refused by the full queue (x-overflow reject-publish), and the publisher, not waiting for confirms, never knew"
            }
            LossReason::Unroutable => {
                "unroutable: no queue's binding matched its routing key, so the exchange dropped it (the publisher's confirm still came)"
            }
            LossReason::ReturnedUnroutable => {
                "unroutable, returned to the publisher (mandatory): it knew, but no queue took it"
            }
            LossReason::DeliveryLimit => {
                "returned to the quorum queue more times than its delivery limit, which has no dead-letter exchange"
            }
            LossReason::StaleVersion => {
                "ignored by versioning: a newer event of its key had already been applied, so its update never was"
            }
            LossReason::LeaderFailover => {
                "leader failover: the leader failed before a follower copied it, and the new leader never had it"
            }
            LossReason::UncleanElection => {
                "unclean leader election: an out-of-sync replica became leader without it, though it was committed"
            }
            LossReason::AcksZeroNoLeader => "acks=0: sent while its partition had no leader, producer never knew",
            LossReason::DualWrite => "dual write: the service committed, then crashed before publishing",
        })
    }
}

/// Outcome counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    pub in_flight: u64,
    pub exactly_once: u64,
    pub duplicated: u64,
    pub dead_lettered: u64,
    pub lost: u64,
}

impl OutcomeCounts {
    pub fn total(&self) -> u64 {
        self.in_flight + self.exactly_once + self.duplicated + self.dead_lettered + self.lost
    }
    pub(super) fn slot(&mut self, o: Outcome) -> &mut u64 {
        match o {
            Outcome::InFlight => &mut self.in_flight,
            Outcome::ExactlyOnce => &mut self.exactly_once,
            Outcome::Duplicated => &mut self.duplicated,
            Outcome::DeadLettered => &mut self.dead_lettered,
            Outcome::Lost => &mut self.lost,
        }
    }
}
