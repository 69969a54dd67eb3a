//! What a journal entry is about (its message, its subscriber), how the event log groups it, and
//! whether a learner should notice it.

use super::*;

impl JournalKind {
    /// The subscriber this entry is about, if it is about one: the consumer's, or the queue's.
    pub fn subscriber(&self) -> Option<u8> {
        use JournalKind::*;
        match *self {
            Enqueued { queue, .. } | QueueDropped { queue, .. } | BrokerRestarted { queue, .. } => Some(queue),
            RebalanceStarted { group, .. } | RebalanceDone { group, .. } | RebalanceTimedOut { group, .. } => {
                Some(group)
            }
            SubscriberStarted { subscriber } => Some(subscriber),
            Delivered { consumer, .. }
            | Acked { consumer, .. }
            | Requeued { consumer, .. }
            | Returned { consumer, .. }
            | Received { consumer, .. }
            | Committed { consumer, .. }
            | AutoCommitIdle { consumer, .. }
            | EffectApplied { consumer, .. }
            | EffectAbsorbed { consumer, .. }
            | DedupSkipped { consumer, .. }
            | InsertRejected { consumer, .. }
            | VersionIgnored { consumer, .. }
            | ProcessingFailed { consumer, .. }
            | BreakerPaused { consumer, .. }
            | DeadLettered { consumer, .. }
            | Crashed { consumer, .. }
            | Restarted { consumer, .. }
            | Joined { consumer, .. }
            | Left { consumer, .. }
            | SessionExpired { consumer, .. }
            | StaticRejoined { consumer, .. }
            | PollTimeout { consumer, .. }
            | CommitFailed { consumer, .. }
            | OffsetReset { consumer, .. }
            | Seeked { consumer, .. }
            | ResetFailed { consumer, .. }
            | KeyOrderBroken { consumer, .. }
            | OutputWritten { consumer, .. }
            | TxnCommitted { consumer, .. }
            | TxnAborted { consumer, .. } => Some(consumer.subscriber()),
            _ => None,
        }
    }

    /// The message this entry is about, if it is about one.
    #[inline]
    pub fn msg(&self) -> Option<MessageId> {
        use JournalKind::*;
        match *self {
            Appended { msg, .. }
            | Enqueued { msg, .. }
            | Delivered { msg, .. }
            | Acked { msg, .. }
            | Returned { msg, .. }
            | QueueDropped { msg, .. }
            | Unroutable { msg, .. }
            | ToAlternate { msg }
            | RequestLost { msg }
            | AckLost { msg }
            | ProducerRetry { msg, .. }
            | ProducerGaveUp { msg }
            | DeliveryTimedOut { msg }
            | DuplicateAppendDropped { msg, .. }
            | OutOfSequence { msg, .. }
            | Reordered { msg, .. }
            | KeyOrderBroken { msg, .. }
            | Received { msg, .. }
            | EffectApplied { msg, .. }
            | EffectAbsorbed { msg, .. }
            | DedupSkipped { msg, .. }
            | InsertRejected { msg, .. }
            | VersionIgnored { msg, .. }
            | ProcessingFailed { msg, .. }
            | BreakerPaused { msg, .. }
            | DeadLettered { msg, .. }
            | Redriven { msg }
            | RetentionDeleted { msg, .. }
            | SkippedByReset { msg, .. }
            | Lost { msg, .. }
            | PollTimeout { msg, .. }
            | CommitFailed { msg, .. }
            | Produced { msg, .. }
            | Settled { msg, .. } => Some(msg),
            Truncated { msg, .. } | NotEnoughReplicas { msg, .. } | NoLeader { msg, .. } => Some(msg),
            OutputWritten { msg, .. } | DualWriteLost { msg } => Some(msg),
            RelayCrashed { .. } => None,
            TxnCommitted { .. } | TxnAborted { .. } => None,
            Crashed { msg, .. } => msg,
            Committed { .. }
            | AutoCommitIdle { .. }
            | Requeued { .. }
            | BrokerRestarted { .. }
            | Restarted { .. }
            | SubscriberStarted { .. }
            | Joined { .. }
            | Left { .. }
            | SessionExpired { .. }
            | StaticRejoined { .. }
            | RebalanceStarted { .. }
            | RebalanceDone { .. }
            | RebalanceTimedOut { .. }
            | SegmentsDeleted { .. }
            | PartitionsAdded { .. }
            | OffsetReset { .. }
            | Seeked { .. }
            | ResetFailed { .. }
            | BreakerChanged { .. }
            | AlertFired { .. }
            | AlertCleared { .. }
            | Command { .. } => None,
            k if k.is_cluster() => None,
            _ => unreachable!("every entry is routed"),
        }
    }

    /// Whether the entry is about the log's cluster: brokers, leaders, replicas, and the writes
    /// and records they refuse or take back.
    pub fn is_cluster(&self) -> bool {
        use JournalKind::*;
        matches!(
            self,
            BrokerCrashed { .. }
                | BrokerStarted { .. }
                | LeaderElected { .. }
                | PartitionOffline { .. }
                | IsrShrunk { .. }
                | IsrExpanded { .. }
                | Truncated { .. }
                | NotEnoughReplicas { .. }
                | NoLeader { .. }
        )
    }

    /// Whether the entry is about transactions: the exactly-once stage's, or the producing
    /// service's own (its dual write, its outbox).
    pub fn is_transaction(&self) -> bool {
        use JournalKind::*;
        matches!(
            self,
            OutputWritten { .. } | TxnCommitted { .. } | TxnAborted { .. } | DualWriteLost { .. } | RelayCrashed { .. }
        )
    }

    /// A coarse category for filtering the event log.
    pub fn category(&self) -> Category {
        use JournalKind::*;
        match self {
            Appended { .. }
            | Enqueued { .. }
            | RequestLost { .. }
            | AckLost { .. }
            | ProducerRetry { .. }
            | ProducerGaveUp { .. }
            | DeliveryTimedOut { .. }
            | DuplicateAppendDropped { .. }
            | OutOfSequence { .. }
            | Reordered { .. }
            | ToAlternate { .. }
            | Produced { .. } => Category::Producer,
            Received { .. }
            | Delivered { .. }
            | Acked { .. }
            | Committed { .. }
            | AutoCommitIdle { .. }
            | EffectApplied { .. }
            | EffectAbsorbed { .. }
            | DedupSkipped { .. }
            | InsertRejected { .. }
            | VersionIgnored { .. }
            | KeyOrderBroken { .. } => Category::Consumer,
            ProcessingFailed { .. }
            | DeadLettered { .. }
            | Redriven { .. }
            | BreakerPaused { .. }
            | BreakerChanged { .. }
            | AlertFired { .. }
            | AlertCleared { .. }
            | Returned { .. } => Category::Errors,
            Crashed { .. }
            | Requeued { .. }
            | BrokerRestarted { .. }
            | Restarted { .. }
            | SubscriberStarted { .. }
            | Joined { .. }
            | Left { .. }
            | SessionExpired { .. }
            | StaticRejoined { .. }
            | PollTimeout { .. }
            | CommitFailed { .. }
            | RebalanceStarted { .. }
            | RebalanceDone { .. }
            | RebalanceTimedOut { .. }
            | PartitionsAdded { .. }
            | OffsetReset { .. }
            | Seeked { .. }
            | ResetFailed { .. }
            | Command { .. } => Category::Group,
            RetentionDeleted { .. }
            | SegmentsDeleted { .. }
            | SkippedByReset { .. }
            | Lost { .. }
            | Settled { .. }
            | QueueDropped { .. }
            | Unroutable { .. } => Category::Outcomes,
            _ => self.cluster_or_transaction_category(),
        }
    }

    /// The category of a cluster entry (`is_cluster`) or a transaction entry (`is_transaction`).
    fn cluster_or_transaction_category(&self) -> Category {
        use JournalKind::*;
        match self {
            BrokerCrashed { .. }
            | BrokerStarted { .. }
            | LeaderElected { .. }
            | PartitionOffline { .. }
            | IsrShrunk { .. }
            | IsrExpanded { .. } => Category::Group,
            NotEnoughReplicas { .. } | NoLeader { .. } | DualWriteLost { .. } => Category::Producer,
            Truncated { .. } => Category::Outcomes,
            OutputWritten { .. } | TxnCommitted { .. } => Category::Consumer,
            TxnAborted { .. } | RelayCrashed { .. } => Category::Errors,
            _ => unreachable!("every entry has a category"),
        }
    }

    /// True for entries a learner should notice: duplicates, losses, crashes, dead letters.
    pub fn is_notable(&self) -> bool {
        matches!(
            self,
            JournalKind::EffectApplied { again: true, .. }
                | JournalKind::Lost { .. }
                | JournalKind::Crashed { .. }
                | JournalKind::PollTimeout { .. }
                | JournalKind::CommitFailed { .. }
                | JournalKind::DeadLettered { .. }
                | JournalKind::QueueDropped { .. }
                | JournalKind::Unroutable { .. }
                | JournalKind::BrokerRestarted { lost: 1.., .. }
                | JournalKind::Appended { append: AppendKind::ProducerDuplicate, .. }
                | JournalKind::Enqueued { append: AppendKind::ProducerDuplicate, .. }
                | JournalKind::Reordered { .. }
                | JournalKind::KeyOrderBroken { .. }
                | JournalKind::PartitionsAdded { .. }
                | JournalKind::SubscriberStarted { .. }
                | JournalKind::OffsetReset { skipped: 1.., .. }
                | JournalKind::Seeked { skipped: 1.., .. }
                | JournalKind::VersionIgnored { stale: true, .. }
                | JournalKind::ResetFailed { .. }
                | JournalKind::BreakerChanged { to: BreakerState::Open, .. }
                | JournalKind::AlertFired { .. }
                | JournalKind::BrokerCrashed { .. }
                | JournalKind::LeaderElected { .. }
                | JournalKind::PartitionOffline { .. }
                | JournalKind::Truncated { .. }
                | JournalKind::TxnAborted { .. }
                | JournalKind::DualWriteLost { .. }
                | JournalKind::RelayCrashed { .. }
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
