//! What the clients schedule: the producer's sends and acknowledgements, and the consumers'
//! processing, retries, restarts and auto-commit timers.

use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::kernel::trace::pack;

/// The producer's events. A request is named by its slot in the producer's table of requests
/// (`slot`), which lives until its last event has happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProducerEvent {
    /// The producer emits its next message.
    Produce { token: u32 },
    /// The produce request in `slot` reaches the broker.
    Append { slot: u32 },
    /// The broker's response to the request in `slot` reaches the producer.
    Response { slot: u32 },
    /// The producer stopped waiting for the response to the request in `slot`.
    Timeout { slot: u32 },
    /// A retry's backoff is over: the sender looks for what it may send.
    Drain,
    /// The outbox relay polls its table.
    RelayPoll,
}

impl ProducerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ProducerEvent::Produce { token } => pack(1, token, 0),
            ProducerEvent::Append { slot } => pack(17, slot, 0),
            ProducerEvent::Response { slot } => pack(18, slot, 0),
            ProducerEvent::Timeout { slot } => pack(19, slot, 0),
            ProducerEvent::Drain => pack(20, 0, 0),
            ProducerEvent::RelayPoll => pack(27, 0, 0),
        }
    }
}

/// The consumers' events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerEvent {
    /// A processing attempt finished.
    ServiceDone { consumer: ConsumerId, epoch: u32 },
    /// An in-place retry's wait is over.
    RetryDue { consumer: ConsumerId, epoch: u32 },
    /// A failed record is re-appended to its partition (retry mode `reappend`).
    Reappend { msg: MessageId, retry: u32, subscriber: u8 },
    /// A crashed consumer comes back.
    Restart { consumer: ConsumerId, epoch: u32 },
    /// The background auto-commit timer of a consumer fires.
    AutoCommit { consumer: ConsumerId, epoch: u32, token: u32 },
    /// The client's check that the application polls often enough (`max.poll.interval.ms`).
    PollTimeout { consumer: ConsumerId, epoch: u32 },
    /// The circuit breaker may let calls through again (its wait in OPEN is over, or HALF_OPEN's
    /// maximum wait): the consumers paused on it ask again. `token` names the breaker instance.
    BreakerWake { token: u32, subscriber: u8 },
    /// A subscriber that starts later starts (`subscribers[i].starts_at_ms`).
    Start { subscriber: u8 },
    /// A consumer's transaction `txn` has been open a commit interval: time to commit it.
    TxnCommit { consumer: ConsumerId, txn: u32 },
    /// A consumer's transaction `txn` reached the transaction timeout.
    TxnTimeout { consumer: ConsumerId, txn: u32 },
}

impl ConsumerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ConsumerEvent::ServiceDone { consumer, epoch } => pack(6, consumer.0, epoch),
            ConsumerEvent::RetryDue { consumer, epoch } => pack(7, consumer.0, epoch),
            ConsumerEvent::Reappend { msg, retry, subscriber } => pack(8, msg.0, retry ^ (u32::from(subscriber) << 24)),
            ConsumerEvent::Restart { consumer, epoch } => pack(9, consumer.0, epoch),
            ConsumerEvent::AutoCommit { consumer, epoch, token } => pack(12, consumer.0, epoch ^ (token << 16)),
            ConsumerEvent::PollTimeout { consumer, epoch } => pack(15, consumer.0, epoch),
            ConsumerEvent::BreakerWake { token, subscriber } => pack(21, token, u32::from(subscriber)),
            ConsumerEvent::Start { subscriber } => pack(22, u32::from(subscriber), 0),
            ConsumerEvent::TxnCommit { consumer, txn } => pack(25, consumer.0, txn),
            ConsumerEvent::TxnTimeout { consumer, txn } => pack(26, consumer.0, txn),
        }
    }

    /// The subscriber whose pipeline scheduled it.
    #[inline]
    pub fn subscriber(&self) -> u8 {
        match *self {
            ConsumerEvent::ServiceDone { consumer, .. }
            | ConsumerEvent::RetryDue { consumer, .. }
            | ConsumerEvent::Restart { consumer, .. }
            | ConsumerEvent::AutoCommit { consumer, .. }
            | ConsumerEvent::PollTimeout { consumer, .. }
            | ConsumerEvent::TxnCommit { consumer, .. }
            | ConsumerEvent::TxnTimeout { consumer, .. } => consumer.subscriber(),
            ConsumerEvent::Reappend { subscriber, .. }
            | ConsumerEvent::BreakerWake { subscriber, .. }
            | ConsumerEvent::Start { subscriber } => subscriber,
        }
    }
}
