//! The ground truth of one message while the ledger keeps it.

use super::outcome::{LossReason, Outcome};
use crate::sim::kernel::time::SimTime;
use serde::Serialize;

/// Key index meaning "this message has no key".
pub const NO_KEY: u32 = u32::MAX;

/// The ground truth of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRecord {
    pub produced_at: SimTime,
    /// Index into the key space (`user_{key}`), or [`NO_KEY`].
    pub key: u32,
    /// Where the producer addressed it, as its broker names places (a partition of the log). The
    /// ledger never reads it.
    pub route: u32,
    /// Effects the message should have: one per subscriber (consumer group, queue, projection)
    /// it reaches; 0 for one no queue's binding matched (unroutable).
    pub expected: u8,
    /// Business effects applied ("cards charged"), by all subscribers together.
    pub effects: u32,
    /// Which subscribers applied it at least once (bit `i` for subscriber `i`).
    pub applied: u64,
    /// Times a consumer received it.
    pub deliveries: u32,
    pub event_type: u8,
    pub outcome: Outcome,
    /// Parked in a dead-letter queue now (a redrive takes it out again). The record is kept
    /// meanwhile, settled or not.
    pub dead_lettered: bool,
    /// Which subscribers' dead-letter queues hold it (bit `k` for subscriber `k`): with
    /// publish-subscribe, each subscriber parks its own copy. `dead_lettered` is "any".
    #[serde(skip)]
    pub parked_in: u8,
    /// The broker has appended it at least once (the idempotent producer checks this).
    pub appended: bool,
    pub loss_reason: Option<LossReason>,
    /// Things that can still deliver it: while any exists, the message is in flight.
    pub(super) holders: u32,
}

impl MessageRecord {
    /// Whether subscriber `k`'s dead-letter queue holds it.
    pub fn parked_by(&self, k: u8) -> bool {
        self.parked_in & (1 << k) != 0
    }

    /// The outcome the record's facts imply (what `outcome` must equal).
    pub(super) fn ground_truth(&self) -> Outcome {
        if self.effects > self.applied.count_ones() {
            Outcome::Duplicated
        } else if self.holders > 0 {
            Outcome::InFlight
        } else {
            self.settled_outcome()
        }
    }

    /// The outcome of a message that settles without a duplicate: every subscriber applied it
    /// once, or it sits in a dead-letter queue, or it is lost.
    pub(super) fn settled_outcome(&self) -> Outcome {
        if self.effects == u32::from(self.expected) && self.expected > 0 {
            Outcome::ExactlyOnce
        } else if self.dead_lettered {
            Outcome::DeadLettered
        } else {
            Outcome::Lost
        }
    }
}
