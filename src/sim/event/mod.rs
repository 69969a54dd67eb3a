//! What the engine schedules (`Event`) and what it reports (`JournalEntry`).
//!
//! Events are small `Copy` values: the hot loop moves millions of them per second. Journal entries
//! are structured, never pre-formatted strings; the event log formats only what it shows.

pub use crate::sim::broker::amqp::events::QueueEvent;
pub use crate::sim::broker::log::events::{GroupEvent, LogEvent};
pub use crate::sim::client::events::{ConsumerEvent, ProducerEvent};
use crate::sim::config::choices::{AutoOffsetReset, CrashPoint};
pub use crate::sim::downstream::CallError;
use crate::sim::ids::{ConsumerId, MessageId, PartitionId};
use crate::sim::kernel::time::SimTime;
use crate::sim::kernel::trace::pack;
use crate::sim::ledger::{LossReason, Outcome};
use crate::sim::metrics::alerts::AlertRule;
pub use crate::sim::policy::circuit_breaker::State as BreakerState;
use serde::Serialize;

/// A pending occurrence in the event queue, routed by the engine to the subsystem that scheduled
/// it. Each subsystem declares its own events beside its rules, so a new module adds its own enum
/// and one variant here. Events carrying an `epoch` or `token` are ignored when it no longer matches
/// (the consumer crashed, or the setting changed), so nothing ever needs to be cancelled inside the
/// heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Producer(ProducerEvent),
    Consumer(ConsumerEvent),
    Group(GroupEvent),
    Log(LogEvent),
    Queue(QueueEvent),
    /// Scheduled command number `index` of the scenario's fault schedule.
    Scheduled {
        index: u32,
    },
}

impl Event {
    /// Two words that identify the event for the trace hash. Every event kind of every subsystem
    /// has its own tag (the top byte of the first word); tags are never reused.
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            Event::Producer(e) => e.words(),
            Event::Consumer(e) => e.words(),
            Event::Group(e) => e.words(),
            Event::Log(e) => e.words(),
            Event::Queue(e) => e.words(),
            Event::Scheduled { index } => pack(14, index, 0),
        }
    }
}

/// Whether a queue is the first subscriber's (the only one without publish-subscribe): the journal
/// leaves its number out, so its lines read as before.
fn is_first(queue: &u8) -> bool {
    *queue == 0
}

/// One line of the event log, kept in a bounded ring for the page.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct JournalEntry {
    pub time: SimTime,
    pub kind: JournalKind,
}

/// What happened, in structured form: which message (`evt_000123`), consumer and partition.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalKind {
    Appended {
        msg: MessageId,
        partition: PartitionId,
        offset: u64,
        append: AppendKind,
    },
    /// The queue broker took `msg` (published through the default exchange); `append` says which
    /// copy, as for the log.
    Enqueued {
        msg: MessageId,
        /// Which subscriber's queue (publish-subscribe); left out for the first.
        #[serde(skip_serializing_if = "is_first")]
        queue: u8,
        append: AppendKind,
    },
    /// The queue delivered `msg` to `consumer` under delivery tag `tag`; `delivery` counts the
    /// deliveries of `msg` so far; `redelivered` is AMQP's flag: an earlier delivery of this copy
    /// went unacknowledged.
    Delivered {
        msg: MessageId,
        consumer: ConsumerId,
        tag: u64,
        delivery: u32,
        redelivered: bool,
    },
    /// `consumer` acknowledged delivery `tag` of `msg` (`basic.ack`); `count` above 1 when it
    /// acknowledged every delivery it held up to `tag` at once (`multiple`).
    Acked {
        msg: MessageId,
        consumer: ConsumerId,
        tag: u64,
        count: u32,
    },
    /// The queue let go of `msg` (`cause`): dead-lettered through its dead-letter exchange, or
    /// lost without one.
    QueueDropped {
        msg: MessageId,
        #[serde(skip_serializing_if = "is_first")]
        queue: u8,
        cause: DropCause,
        dead_lettered: bool,
    },
    /// The queue broker's node restarted: `requeued` unacknowledged deliveries went back to the
    /// queue, `lost` messages were gone with it (non-durable queue, transient messages).
    BrokerRestarted {
        #[serde(skip_serializing_if = "is_first")]
        queue: u8,
        requeued: u32,
        lost: u32,
    },
    /// `consumer`'s connection closed holding `count` unacknowledged deliveries: they went back
    /// to the queue at their places, marked redelivered.
    Requeued {
        consumer: ConsumerId,
        count: u32,
    },
    /// `consumer` rejected delivery `tag` of `msg` with requeue (`basic.nack`, `requeue=true`):
    /// back in the queue, flagged redelivered; `returns` counts its returns so far (a quorum
    /// queue's `x-delivery-count`).
    Returned {
        msg: MessageId,
        consumer: ConsumerId,
        tag: u64,
        returns: u32,
    },
    RequestLost {
        msg: MessageId,
    },
    AckLost {
        msg: MessageId,
    },
    ProducerRetry {
        msg: MessageId,
        attempt: u32,
    },
    ProducerGaveUp {
        msg: MessageId,
    },
    /// The producer's delivery timeout for `msg` passed before it was acknowledged.
    DeliveryTimedOut {
        msg: MessageId,
    },
    DuplicateAppendDropped {
        msg: MessageId,
        partition: PartitionId,
    },
    /// The broker refused the idempotent producer's `msg`: an earlier record of the partition is
    /// missing, so it would land out of order. The producer resends it after that one.
    OutOfSequence {
        msg: MessageId,
        partition: PartitionId,
    },
    /// `msg` was appended for the first time after `after`, a later record of the same key: the
    /// key's records are out of order in their partition.
    Reordered {
        msg: MessageId,
        after: MessageId,
    },
    Received {
        msg: MessageId,
        consumer: ConsumerId,
        partition: PartitionId,
        offset: u64,
        delivery: u32,
    },
    /// The group's committed offset of `partition` moved to `offset` (the next to read). `auto`:
    /// an auto-commit of the consumer's position (on its timer, or when partitions are revoked),
    /// not a commit of one record.
    Committed {
        consumer: ConsumerId,
        partition: PartitionId,
        offset: u64,
        auto: bool,
    },
    /// The consumer's auto-commit timer fired with nothing new to commit.
    AutoCommitIdle {
        consumer: ConsumerId,
    },
    /// `effects` counts the message's effects so far, every subscriber's; `again` when this
    /// consumer's subscriber had applied it before (a duplicate).
    EffectApplied {
        msg: MessageId,
        consumer: ConsumerId,
        effects: u32,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        again: bool,
    },
    EffectAbsorbed {
        msg: MessageId,
        consumer: ConsumerId,
    },
    DedupSkipped {
        msg: MessageId,
        consumer: ConsumerId,
    },
    /// The effect's insert of `msg` violated the unique constraint on its id (idempotency
    /// `unique_constraint`): it was inserted before, and this transaction rolled back.
    InsertRejected {
        msg: MessageId,
        consumer: ConsumerId,
    },
    /// Versioning ignored `msg`: its key's version was already `current`, no older than it. A
    /// redelivery of `current` itself, or (`stale`) an older event never applied.
    VersionIgnored {
        msg: MessageId,
        consumer: ConsumerId,
        current: MessageId,
        stale: bool,
    },
    /// An attempt at `msg` failed: failure number `retry` of its retry chain (1 for the first
    /// attempt's); retry number `retry` follows while `retry` is at most `max_retries`.
    ProcessingFailed {
        msg: MessageId,
        consumer: ConsumerId,
        retry: u32,
        max_retries: u32,
        /// How the call failed.
        error: CallError,
        /// What the consumer does next.
        then: AfterFailure,
    },
    /// The circuit breaker refused `consumer`'s call for `msg`; the consumer pauses, keeping
    /// the message, until the breaker lets a call through.
    BreakerPaused {
        msg: MessageId,
        consumer: ConsumerId,
    },
    /// The circuit breaker went from one state to another (`disabled` stands for none, when the
    /// breaker is switched on or off); its window's failure rate then, in hundredths of a
    /// percent (-100 while not computable).
    BreakerChanged {
        from: BreakerState,
        to: BreakerState,
        failure_rate_bp: i32,
    },
    DeadLettered {
        msg: MessageId,
        consumer: ConsumerId,
    },
    /// A redrive took `msg` out of the dead-letter queue to publish it again.
    Redriven {
        msg: MessageId,
    },
    Crashed {
        consumer: ConsumerId,
        point: Option<CrashPoint>,
        msg: Option<MessageId>,
    },
    /// No queue's binding matched `msg`'s routing key: the exchange's alternate exchange took it,
    /// to the queues bound to that (`subscribers[i].alternate`).
    ToAlternate {
        msg: MessageId,
    },
    /// No queue's binding matched `msg`'s routing key (its event type): the exchange dropped it,
    /// or `returned` it to the publisher (published with `mandatory`).
    Unroutable {
        msg: MessageId,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        returned: bool,
    },
    /// A subscriber that starts later (`subscribers[i].starts_at_ms`) starts: its consumers poll
    /// for the first time. On the log its group is new: it has no committed offsets.
    SubscriberStarted {
        subscriber: u8,
    },
    Restarted {
        consumer: ConsumerId,
    },
    Joined {
        consumer: ConsumerId,
    },
    Left {
        consumer: ConsumerId,
    },
    SessionExpired {
        consumer: ConsumerId,
    },
    /// A static member restarted within its session and took its old place: no rebalance.
    StaticRejoined {
        consumer: ConsumerId,
    },
    /// The consumer held `msg` longer than `max.poll.interval.ms`: its client left the group.
    PollTimeout {
        consumer: ConsumerId,
        msg: MessageId,
    },
    /// The consumer's commit for `msg` failed: it is no longer in the group.
    CommitFailed {
        consumer: ConsumerId,
        msg: MessageId,
    },
    /// The join phase ran out of time (`max.poll.interval.ms`): `dropped` members had not rejoined.
    RebalanceTimedOut {
        /// Which subscriber's group (publish-subscribe on the log); left out for the first.
        #[serde(default, skip_serializing_if = "is_first")]
        group: u8,
        generation: u32,
        dropped: u32,
    },
    RebalanceStarted {
        #[serde(default, skip_serializing_if = "is_first")]
        group: u8,
        generation: u32,
    },
    RebalanceDone {
        #[serde(default, skip_serializing_if = "is_first")]
        group: u8,
        generation: u32,
    },
    /// Retention deleted a record the group had not committed past; `read` if a consumer had
    /// received it.
    RetentionDeleted {
        msg: MessageId,
        partition: PartitionId,
        offset: u64,
        read: bool,
    },
    /// Retention deleted the segments holding offsets `[from, to)`.
    SegmentsDeleted {
        partition: PartitionId,
        from: u64,
        to: u64,
    },
    /// `consumer` had no valid offset to read `partition` from (`cause`) and applied
    /// `auto.offset.reset` (`policy`, earliest or latest): it reads from offset `to` on. `from` is
    /// the position that was out of range (0 when there was no committed offset); `skipped`
    /// records the group had not committed were passed over (latest).
    OffsetReset {
        consumer: ConsumerId,
        partition: PartitionId,
        cause: ResetCause,
        policy: AutoOffsetReset,
        from: u64,
        to: u64,
        skipped: u32,
    },
    /// Journey only: an offset reset to the log end, or a seek (`seek`), passed over `msg` (at
    /// `offset` of `partition`).
    SkippedByReset {
        msg: MessageId,
        partition: PartitionId,
        offset: u64,
        seek: bool,
    },
    /// `consumer`'s group seeks to a time (`subscribers[i].seek_to_time_ms`) on `partition`,
    /// which it got with no committed offset: it reads from offset `to`, the first record
    /// produced at or after that time (the log end if none is), passing over `skipped` records.
    Seeked {
        consumer: ConsumerId,
        partition: PartitionId,
        to: u64,
        skipped: u32,
    },
    /// `consumer` had no valid offset to read `partition` from (`cause`; `from` as in
    /// `OffsetReset`, the log starting at `log_start`) and `auto.offset.reset` is none: it stopped
    /// with the error.
    ResetFailed {
        consumer: ConsumerId,
        partition: PartitionId,
        cause: ResetCause,
        from: u64,
        log_start: u64,
    },
    Lost {
        msg: MessageId,
        reason: LossReason,
    },
    Command {
        fingerprint: u64,
    },
    /// The topic grew from `from` to `to` partitions; `keys_remapped` of the producer's `keys`
    /// keys now hash to another partition than before.
    PartitionsAdded {
        from: u32,
        to: u32,
        keys_remapped: u32,
        keys: u32,
    },
    /// Consumer `consumer` applied `msg`'s effect after that of `after`, a record of the same key
    /// produced later, in another partition since a partition change moved the key.
    KeyOrderBroken {
        msg: MessageId,
        after: MessageId,
        consumer: ConsumerId,
    },
    /// Alert rule `rule` fired at a chart sample: `value` crossed `threshold` (each in the rule's
    /// unit, `metrics::alerts::AlertChange`).
    AlertFired {
        rule: AlertRule,
        value: u64,
        threshold: u64,
        /// How long the lag had stayed above its threshold (the lag rule only; else 0).
        held_us: u64,
    },
    /// Alert rule `rule` stopped holding, or was switched off (`off`); `value` is what it
    /// watches now.
    AlertCleared {
        rule: AlertRule,
        value: u64,
        off: bool,
    },
    /// Journey only: the producer created the message (of event type number `event_type`) and
    /// addressed it to `partition`.
    Produced {
        msg: MessageId,
        key: u32,
        partition: PartitionId,
        event_type: u8,
    },
    /// Journey only: the message settled with `outcome` (a loss is `Lost`).
    Settled {
        msg: MessageId,
        outcome: Outcome,
    },
    /// Broker `broker` of the log's cluster crashed.
    BrokerCrashed {
        broker: u8,
    },
    /// Broker `broker` started again.
    BrokerStarted {
        broker: u8,
    },
    /// `partition` has a new leader, `leader`, in leader epoch `epoch`: out of sync (`unclean`) or
    /// not; the records it did not have (`truncated`) left the log.
    LeaderElected {
        partition: PartitionId,
        leader: u8,
        epoch: u32,
        unclean: bool,
        truncated: u64,
    },
    /// `partition` lost its leader and no replica may take over: it takes no writes and serves no
    /// reads until one comes back.
    PartitionOffline {
        partition: PartitionId,
    },
    /// `broker` left `partition`'s in-sync replicas, which are `isr` now.
    IsrShrunk {
        partition: PartitionId,
        broker: u8,
        isr: u8,
    },
    /// `broker` caught up with `partition`'s leader and is in sync again; `isr` in sync now.
    IsrExpanded {
        partition: PartitionId,
        broker: u8,
        isr: u8,
    },
    /// `msg`'s record at `offset` left `partition`: the new leader did not have it.
    Truncated {
        msg: MessageId,
        partition: PartitionId,
        offset: u64,
    },
    /// The leader refused `msg` (acks=all) with fewer in-sync replicas than
    /// `min.insync.replicas`: before appending it, or (`after_append`) after, when the ISR shrank
    /// while it waited. The producer retries.
    NotEnoughReplicas {
        msg: MessageId,
        partition: PartitionId,
        after_append: bool,
    },
    /// `msg` went to `partition`, which had no live leader (its leader crashed, or it is offline):
    /// the write failed and the producer retries it (with acks=0 it is gone).
    NoLeader {
        msg: MessageId,
        partition: PartitionId,
    },
    /// A dual write: the service committed `msg`'s state change, then crashed before publishing it.
    DualWriteLost {
        msg: MessageId,
    },
    /// The outbox relay crashed after publishing `rows` rows, before marking them sent: it will
    /// publish them again.
    RelayCrashed {
        rows: u32,
    },
    /// `consumer` wrote `msg`'s output record inside its transaction `txn` (exactly-once).
    OutputWritten {
        msg: MessageId,
        consumer: ConsumerId,
        txn: u32,
    },
    /// `consumer` committed transaction `txn`: `outputs` output records and the offsets of
    /// `records` inputs, together.
    TxnCommitted {
        consumer: ConsumerId,
        txn: u32,
        records: u32,
        outputs: u32,
    },
    /// Transaction `txn` of `consumer` was aborted, with its `outputs` output records.
    TxnAborted {
        consumer: ConsumerId,
        txn: u32,
        outputs: u32,
        cause: AbortCause,
    },
}

/// Why a transaction was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbortCause {
    /// The crashed consumer's producer started again under the same `transactional.id`.
    Restarted,
    /// It was open longer than `transaction.timeout.ms`: the coordinator aborted it.
    TimedOut,
    /// The group had moved on without the consumer: its commit was refused.
    Fenced,
}

/// What a consumer does after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterFailure {
    /// Retry number `retry` of the policy follows.
    Retry,
    /// The message goes to the dead-letter queue: its retries ran out, or the error is one no
    /// retry can help (a classified poison message).
    DeadLetter,
    /// No retries are left and there is no dead-letter queue: it is tried again all the same.
    TryAgain,
    /// Rejected with requeue (`basic.nack`): the queue delivers it again at once.
    Requeue,
}

/// Why a consumer had no valid offset to read a partition from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetCause {
    /// The group has no committed offset for the partition.
    NoCommittedOffset,
    /// The offset to read from is below the log start: retention deleted the records there.
    OutOfRange,
}

/// Why a queue let go of a message it held (its `x-death` reason when dead-lettered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropCause {
    /// Its TTL ran out while it waited (`expired`).
    Expired,
    /// The queue was over its length limit and it was the oldest (`maxlen`).
    MaxLength,
    /// The queue was at its length limit and refused it as it arrived (`x-overflow`
    /// reject-publish; dead-lettered as `maxlen` under reject-publish-dlx).
    Rejected,
    /// It came back to a quorum queue more times than `x-delivery-limit` allows
    /// (`delivery_limit`).
    DeliveryLimit,
}

/// Which copy of a message an append is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppendKind {
    /// The first time this message reaches the log.
    First,
    /// The producer resent a message the broker already had: a duplicate in the log.
    ProducerDuplicate,
    /// A failed record re-appended for retry number `n`.
    Retry(u32),
    /// A dead-lettered message published again by a redrive.
    Redrive,
}

mod queries;
pub use queries::Category;
