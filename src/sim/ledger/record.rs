//! The ground truth of one message while the ledger keeps it.

use super::outcome::{LossReason, Outcome};
use crate::sim::time::SimTime;
use serde::Serialize;

/// Key index meaning "this message has no key".
pub const NO_KEY: u32 = u32::MAX;

/// The ground truth of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRecord {
    pub produced_at: SimTime,
    /// Index into the key space (`user_{key}`), or [`NO_KEY`].
    pub key: u32,
    pub partition: u32,
    /// Business effects applied ("cards charged").
    pub effects: u32,
    /// Times a consumer received it.
    pub deliveries: u32,
    pub event_type: u8,
    pub outcome: Outcome,
    pub dead_lettered: bool,
    /// The broker has appended it at least once (the idempotent producer checks this).
    pub appended: bool,
    pub loss_reason: Option<LossReason>,
    /// Things that can still deliver it: while any exists, the message is in flight.
    pub(super) holders: u16,
}

impl MessageRecord {
    /// The outcome the record's facts imply (what `outcome` must equal).
    pub(super) fn ground_truth(&self) -> Outcome {
        match (self.holders, self.effects) {
            (_, 2..) => Outcome::Duplicated,
            (1.., _) => Outcome::InFlight,
            (0, 1) => Outcome::ExactlyOnce,
            (0, _) if self.dead_lettered => Outcome::DeadLettered,
            (0, _) => Outcome::Lost,
        }
    }
}
