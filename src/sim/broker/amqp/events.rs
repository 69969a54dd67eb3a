//! What the queue broker's work queue schedules: its expiry checks.

use crate::sim::kernel::trace::pack;

/// The queues' own events, each naming its queue (with publish-subscribe, subscriber `queue`'s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueEvent {
    /// The head of the queue may have expired (`queue.message_ttl_ms`); stale unless `token` is
    /// the queue's latest.
    Expire { queue: u8, token: u32 },
}

impl QueueEvent {
    pub fn words(&self) -> (u64, u64) {
        match *self {
            QueueEvent::Expire { queue, token } => pack(22, token, u32::from(queue)),
        }
    }
}
