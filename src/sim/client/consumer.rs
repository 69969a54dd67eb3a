//! A consumer: one process of the group, working on one delivery at a time.

use crate::sim::broker::delivery::Delivery;
use crate::sim::config::choices::CrashPoint;
use crate::sim::downstream::CallError;
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimTime;
use serde::Serialize;

/// What a consumer is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerStatus {
    /// Alive, nothing to work on.
    Idle,
    /// Running the business logic for a delivery.
    Processing,
    /// Waiting to retry a failed delivery in place (everything behind it waits too).
    RetryWait,
    /// Paused by the open circuit breaker, keeping its delivery: it polls (so it stays in the
    /// group) but takes nothing until the breaker lets a call through.
    BreakerWait,
    /// Crashed; work it owned is stuck until the coordinator notices.
    Crashed,
    /// Stopped by an error its client raised: it was given a partition without a valid committed
    /// offset under `auto.offset.reset=none`. Down like a crash, until a restart command.
    Failed,
    /// Alive and waiting for its source to reassign work (a rebalance).
    Rebalancing,
    /// Left.
    Stopped,
}

#[derive(Clone, Debug)]
pub struct Consumer {
    pub id: ConsumerId,
    pub status: ConsumerStatus,
    /// Bumped on every crash and restart; timers carry it and are ignored when it changed.
    pub epoch: u32,
    /// Leaves once its current delivery is done.
    pub leaving: bool,
    /// The delivery it works on; its `retry` counts the retries so far.
    pub in_hand: Option<Delivery>,
    /// A crash armed by a command: strikes the next time a delivery passes this step.
    pub armed: Option<CrashPoint>,
    pub processed: u64,
    pub crashes: u64,
    /// Its client left the group behind its back (the record in hand took longer than
    /// `max.poll.interval.ms`): the commit for that record fails, and it rejoins afterwards.
    pub evicted: bool,
    /// Its processing takes this many times as long (`Command::SlowConsumer`; 1: its own pace).
    pub slow_factor: u32,
    /// When it last took a record (its last `poll()`).
    pub polled_at: SimTime,
    /// A poll-interval timer is pending.
    pub poll_timer: bool,
    /// Rejoined the cooperative rebalance in progress (at its first poll after it began); it
    /// keeps working on what it owns meanwhile.
    pub rejoined: bool,
    /// The Java client's auto-commit is due: it commits at the next `poll()`, once the record in
    /// hand is done.
    pub commit_due: bool,
    /// The call to the API of the attempt in progress.
    pub call: Call,
}

/// The downstream call of the attempt in progress: when it started, the breaker's permission it
/// holds, and the error the API already decided it ends with.
#[derive(Clone, Copy, Debug, Default)]
pub struct Call {
    pub started: SimTime,
    pub permitted: bool,
    pub error: Option<CallError>,
}

impl Consumer {
    pub fn new(id: ConsumerId) -> Self {
        Consumer {
            id,
            status: ConsumerStatus::Idle,
            epoch: 0,
            leaving: false,
            in_hand: None,
            armed: None,
            processed: 0,
            crashes: 0,
            evicted: false,
            slow_factor: 1,
            polled_at: SimTime::ZERO,
            poll_timer: false,
            rejoined: false,
            commit_due: false,
            call: Call::default(),
        }
    }

    pub fn is_alive(&self) -> bool {
        !matches!(self.status, ConsumerStatus::Crashed | ConsumerStatus::Failed | ConsumerStatus::Stopped)
    }
}
