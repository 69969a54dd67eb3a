//! What the clients schedule: the producer's sends and acknowledgements, and the consumers'
//! processing, retries, restarts and auto-commit timers.

use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::kernel::trace::pack;

/// The producer's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProducerEvent {
    /// The producer emits its next message.
    Produce { token: u32 },
    /// Produce request (send attempt `attempt`) reaches the broker.
    Append { msg: MessageId, attempt: u32, ack_lost: bool },
    /// The acknowledgement reaches the producer.
    AckArrive { msg: MessageId },
    /// The producer stopped waiting for the acknowledgement of attempt `attempt`.
    AckTimeout { msg: MessageId, attempt: u32 },
    /// The producer resends after its backoff.
    Resend { msg: MessageId, attempt: u32 },
}

impl ProducerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ProducerEvent::Produce { token } => pack(1, token, 0),
            ProducerEvent::Append { msg, attempt, ack_lost } => pack(2, msg.0, attempt | (ack_lost as u32) << 31),
            ProducerEvent::AckArrive { msg } => pack(3, msg.0, 0),
            ProducerEvent::AckTimeout { msg, attempt } => pack(4, msg.0, attempt),
            ProducerEvent::Resend { msg, attempt } => pack(5, msg.0, attempt),
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
    Reappend { msg: MessageId, retry: u32 },
    /// A crashed consumer comes back.
    Restart { consumer: ConsumerId, epoch: u32 },
    /// The background auto-commit timer of a consumer fires.
    AutoCommit { consumer: ConsumerId, epoch: u32, token: u32 },
    /// The client's check that the application polls often enough (`max.poll.interval.ms`).
    PollTimeout { consumer: ConsumerId, epoch: u32 },
}

impl ConsumerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ConsumerEvent::ServiceDone { consumer, epoch } => pack(6, consumer.0, epoch),
            ConsumerEvent::RetryDue { consumer, epoch } => pack(7, consumer.0, epoch),
            ConsumerEvent::Reappend { msg, retry } => pack(8, msg.0, retry),
            ConsumerEvent::Restart { consumer, epoch } => pack(9, consumer.0, epoch),
            ConsumerEvent::AutoCommit { consumer, epoch, token } => pack(12, consumer.0, epoch ^ (token << 16)),
            ConsumerEvent::PollTimeout { consumer, epoch } => pack(15, consumer.0, epoch),
        }
    }
}
