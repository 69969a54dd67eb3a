//! A consumer: one member of the group, processing one record at a time.

use crate::sim::config::choices::CrashPoint;
use serde::Serialize;

/// What a consumer is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerStatus {
    /// Alive, owns partitions (maybe none), nothing to read.
    Idle,
    /// Running the business logic for a record.
    Processing,
    /// Waiting to retry a failed record in place (the partition behind it waits too).
    RetryWait,
    /// Crashed; partitions it owned are stuck until the coordinator notices.
    Crashed,
    /// Alive and waiting for a rebalance to complete.
    Rebalancing,
    /// Left the group.
    Stopped,
}

/// The record a consumer has in hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct InHand {
    pub msg: u32,
    pub partition: u32,
    pub offset: u64,
    /// Processing retry of this record so far (re-appended records start higher).
    pub retry: u32,
}

#[derive(Clone, Debug)]
pub struct Consumer {
    pub id: u32,
    pub status: ConsumerStatus,
    /// Bumped on every crash and restart; timers carry it and are ignored when it changed.
    pub epoch: u32,
    /// Member of the group as the coordinator sees it (a crashed consumer stays a member until its
    /// session times out).
    pub in_group: bool,
    /// Leaves the group once its current record is done.
    pub leaving: bool,
    pub in_hand: Option<InHand>,
    /// Partitions assigned at the last completed rebalance.
    pub assigned: Vec<u32>,
    /// A crash armed by a command: strikes the next time a record passes this step.
    pub armed: Option<CrashPoint>,
    /// Round-robin cursor over assigned partitions.
    pub cursor: u32,
    pub processed: u64,
    pub crashes: u64,
}

impl Consumer {
    pub fn new(id: u32) -> Self {
        Consumer {
            id,
            status: ConsumerStatus::Idle,
            epoch: 0,
            in_group: true,
            leaving: false,
            in_hand: None,
            assigned: Vec::new(),
            armed: None,
            cursor: 0,
            processed: 0,
            crashes: 0,
        }
    }

    pub fn is_alive(&self) -> bool {
        !matches!(self.status, ConsumerStatus::Crashed | ConsumerStatus::Stopped)
    }
}
