//! What the queue broker's work queue schedules: its expiry checks.

use crate::sim::kernel::trace::pack;

/// The queue's own events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueEvent {
    /// The head of the queue may have expired (`queue.message_ttl_ms`); stale unless `token` is
    /// the queue's latest.
    Expire { token: u32 },
}

impl QueueEvent {
    pub fn words(&self) -> (u64, u64) {
        match *self {
            QueueEvent::Expire { token } => pack(22, token, 0),
        }
    }
}
