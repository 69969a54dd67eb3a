//! What the engine schedules (`Event`) and what it reports (`JournalEntry`).
//!
//! Events are small `Copy` values: the hot loop moves millions of them per second. Journal entries
//! are structured, never pre-formatted strings; the event log formats only what it shows.

use crate::sim::config::choices::CrashPoint;
use crate::sim::kernel::time::SimTime;
use crate::sim::ledger::LossReason;
use serde::Serialize;

/// A pending occurrence in the event queue. Events carrying an `epoch` or `token` are ignored when
/// it no longer matches (the consumer crashed, or the setting changed), so nothing ever needs to
/// be cancelled inside the heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The producer emits its next message.
    Produce { token: u32 },
    /// Produce request (send attempt `attempt`) reaches the broker.
    Append { msg: u32, attempt: u32, ack_lost: bool },
    /// The acknowledgement reaches the producer.
    AckArrive { msg: u32 },
    /// The producer stopped waiting for the acknowledgement of attempt `attempt`.
    AckTimeout { msg: u32, attempt: u32 },
    /// The producer resends after its backoff.
    Resend { msg: u32, attempt: u32 },
    /// A processing attempt finished.
    ServiceDone { consumer: u32, epoch: u32 },
    /// An in-place retry's wait is over.
    RetryDue { consumer: u32, epoch: u32 },
    /// A failed record is re-appended to its partition (retry mode `reappend`).
    Reappend { msg: u32, retry: u32 },
    /// A crashed consumer comes back.
    Restart { consumer: u32, epoch: u32 },
    /// The coordinator gives up on a silent consumer.
    SessionTimeout { consumer: u32, epoch: u32 },
    /// A rebalance of generation `generation` completes.
    RebalanceDone { generation: u32 },
    /// The background auto-commit timer of a consumer fires.
    AutoCommit { consumer: u32, epoch: u32, token: u32 },
    /// The broker deletes expired records.
    RetentionCheck,
    /// Scheduled command number `index` of the scenario's fault schedule.
    Scheduled { index: u32 },
}

impl Event {
    /// Two words that identify the event for the trace hash.
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        let pack = |tag: u64, a: u32, b: u32| (tag << 56 | a as u64, b as u64);
        match *self {
            Event::Produce { token } => pack(1, token, 0),
            Event::Append { msg, attempt, ack_lost } => pack(2, msg, attempt | (ack_lost as u32) << 31),
            Event::AckArrive { msg } => pack(3, msg, 0),
            Event::AckTimeout { msg, attempt } => pack(4, msg, attempt),
            Event::Resend { msg, attempt } => pack(5, msg, attempt),
            Event::ServiceDone { consumer, epoch } => pack(6, consumer, epoch),
            Event::RetryDue { consumer, epoch } => pack(7, consumer, epoch),
            Event::Reappend { msg, retry } => pack(8, msg, retry),
            Event::Restart { consumer, epoch } => pack(9, consumer, epoch),
            Event::SessionTimeout { consumer, epoch } => pack(10, consumer, epoch),
            Event::RebalanceDone { generation } => pack(11, generation, 0),
            Event::AutoCommit { consumer, epoch, token } => pack(12, consumer, epoch ^ (token << 16)),
            Event::RetentionCheck => pack(13, 0, 0),
            Event::Scheduled { index } => pack(14, index, 0),
        }
    }
}

/// One line of the event log, kept in a bounded ring for the page.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct JournalEntry {
    pub time: SimTime,
    pub kind: JournalKind,
}

/// What happened, in structured form. `msg` is the ledger index of a message (`evt_000123`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalKind {
    Appended { msg: u32, partition: u32, offset: u64, append: AppendKind },
    RequestLost { msg: u32 },
    AckLost { msg: u32 },
    ProducerRetry { msg: u32, attempt: u32 },
    ProducerGaveUp { msg: u32 },
    DuplicateAppendDropped { msg: u32, partition: u32 },
    Received { msg: u32, consumer: u32, partition: u32, offset: u64, delivery: u32 },
    Committed { consumer: u32, partition: u32, offset: u64 },
    EffectApplied { msg: u32, consumer: u32, effects: u32 },
    EffectAbsorbed { msg: u32, consumer: u32 },
    DedupSkipped { msg: u32, consumer: u32 },
    ProcessingFailed { msg: u32, consumer: u32, retry: u32, max_retries: u32 },
    DeadLettered { msg: u32, consumer: u32 },
    Crashed { consumer: u32, point: Option<CrashPoint>, msg: Option<u32> },
    Restarted { consumer: u32 },
    Joined { consumer: u32 },
    Left { consumer: u32 },
    SessionExpired { consumer: u32 },
    RebalanceStarted { generation: u32 },
    RebalanceDone { generation: u32 },
    RetentionDeleted { msg: u32, partition: u32, offset: u64 },
    Lost { msg: u32, reason: LossReason },
    Command { fingerprint: u64 },
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
}

impl JournalKind {
    /// A coarse category for filtering the event log.
    pub fn category(&self) -> Category {
        use JournalKind::*;
        match self {
            Appended { .. }
            | RequestLost { .. }
            | AckLost { .. }
            | ProducerRetry { .. }
            | ProducerGaveUp { .. }
            | DuplicateAppendDropped { .. } => Category::Producer,
            Received { .. } | Committed { .. } | EffectApplied { .. } | EffectAbsorbed { .. } | DedupSkipped { .. } => {
                Category::Consumer
            }
            ProcessingFailed { .. } | DeadLettered { .. } => Category::Errors,
            Crashed { .. }
            | Restarted { .. }
            | Joined { .. }
            | Left { .. }
            | SessionExpired { .. }
            | RebalanceStarted { .. }
            | RebalanceDone { .. }
            | Command { .. } => Category::Group,
            RetentionDeleted { .. } | Lost { .. } => Category::Outcomes,
        }
    }

    /// True for entries a learner should notice: duplicates, losses, crashes, dead letters.
    pub fn is_notable(&self) -> bool {
        matches!(
            self,
            JournalKind::EffectApplied { effects: 2.., .. }
                | JournalKind::Lost { .. }
                | JournalKind::Crashed { .. }
                | JournalKind::DeadLettered { .. }
                | JournalKind::Appended { append: AppendKind::ProducerDuplicate, .. }
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Producer,
    Consumer,
    Errors,
    Group,
    Outcomes,
}
