//! A message waiting in a work queue, and when it expires.

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::{SimDuration, SimTime};

/// A message waiting in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ready {
    /// Its place in the queue's order: a returned delivery goes back to it.
    pub(super) seq: u64,
    pub(super) msg: MessageId,
    pub(super) retry: u32,
    pub(super) redelivered: bool,
    /// When it was published: its TTL counts from then, also after a return to the queue.
    pub(super) published_at: SimTime,
    /// Published persistent (`delivery_mode` 2): a durable queue keeps it through a restart.
    pub(super) persistent: bool,
    /// When its own TTL runs out (the `expiration` property the publisher set: per-message TTL),
    /// if it has one.
    pub(super) expires_at: Option<SimTime>,
    /// Times it came back to a quorum queue (its `x-delivery-count`).
    pub(super) returns: u32,
}

impl Ready {
    /// When it expires, if it can: the sooner of the queue's TTL (counted from its publish) and
    /// its own (RabbitMQ applies the lower of the two).
    pub(super) fn due(&self, queue_ttl_ms: Option<u64>) -> Option<SimTime> {
        let queue = queue_ttl_ms.map(|ttl| self.published_at + SimDuration::from_ms(ttl));
        match (queue, self.expires_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}
