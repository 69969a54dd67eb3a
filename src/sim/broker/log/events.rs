//! What the log broker schedules: the group coordinator's timers and retention checks.

use crate::sim::ids::ConsumerId;
use crate::sim::kernel::trace::pack;

/// The group coordinator's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupEvent {
    /// The session of `consumer`'s incarnation `session` ran out without a heartbeat.
    SessionTimeout { consumer: ConsumerId, session: u32 },
    /// A rebalance of generation `generation` of group `group` (its subscriber) completes.
    RebalanceDone { generation: u32, group: u8 },
    /// The rebalance timeout (`max.poll.interval.ms`) of generation `generation` of group `group`
    /// ran out.
    RebalanceTimeout { generation: u32, group: u8 },
}

impl GroupEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            GroupEvent::SessionTimeout { consumer, session } => pack(10, consumer.0, session),
            GroupEvent::RebalanceDone { generation, group } => pack(11, generation, u32::from(group)),
            GroupEvent::RebalanceTimeout { generation, group } => pack(16, generation, u32::from(group)),
        }
    }
}

/// The log's own housekeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogEvent {
    /// The broker deletes expired records (a check of chain `token`; a chain is retired when the
    /// retention settings change).
    RetentionCheck { token: u32 },
    /// The followers of `partition` finish a fetch of everything up to offset `upto` (a fetch of
    /// chain `token`; a leader change retires the chain).
    Fetch { partition: u32, token: u32, upto: u64 },
    /// The controller notices that broker `broker` is down (its crash number `incarnation`).
    BrokerNoticed { broker: u8, incarnation: u32 },
}

impl LogEvent {
    #[inline]
    pub fn words(&self) -> (u64, u64) {
        match *self {
            LogEvent::RetentionCheck { token } => pack(13, token, 0),
            LogEvent::Fetch { partition, token, upto } => {
                (23 << 56 | u64::from(partition) << 32 | u64::from(token), upto)
            }
            LogEvent::BrokerNoticed { broker, incarnation } => pack(24, u32::from(broker), incarnation),
        }
    }
}
