//! What the clients schedule: the producer's sends and acknowledgements, and the consumers'
//! processing, retries, restarts and auto-commit timers.

use crate::sim::kernel::trace::pack;

/// The producer's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProducerEvent {
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
}

impl ProducerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ProducerEvent::Produce { token } => pack(1, token, 0),
            ProducerEvent::Append { msg, attempt, ack_lost } => pack(2, msg, attempt | (ack_lost as u32) << 31),
            ProducerEvent::AckArrive { msg } => pack(3, msg, 0),
            ProducerEvent::AckTimeout { msg, attempt } => pack(4, msg, attempt),
            ProducerEvent::Resend { msg, attempt } => pack(5, msg, attempt),
        }
    }
}

/// The consumers' events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerEvent {
    /// A processing attempt finished.
    ServiceDone { consumer: u32, epoch: u32 },
    /// An in-place retry's wait is over.
    RetryDue { consumer: u32, epoch: u32 },
    /// A failed record is re-appended to its partition (retry mode `reappend`).
    Reappend { msg: u32, retry: u32 },
    /// A crashed consumer comes back.
    Restart { consumer: u32, epoch: u32 },
    /// The background auto-commit timer of a consumer fires.
    AutoCommit { consumer: u32, epoch: u32, token: u32 },
}

impl ConsumerEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            ConsumerEvent::ServiceDone { consumer, epoch } => pack(6, consumer, epoch),
            ConsumerEvent::RetryDue { consumer, epoch } => pack(7, consumer, epoch),
            ConsumerEvent::Reappend { msg, retry } => pack(8, msg, retry),
            ConsumerEvent::Restart { consumer, epoch } => pack(9, consumer, epoch),
            ConsumerEvent::AutoCommit { consumer, epoch, token } => pack(12, consumer, epoch ^ (token << 16)),
        }
    }
}
