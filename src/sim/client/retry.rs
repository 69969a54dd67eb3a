//! The consumers' retry schedule: the wait before each retry of a failed message, drawn from the
//! scenario's backoff (`policy/backoff.rs`) and the seeded retry stream.
//!
//! Decorrelated jitter grows each wait from the one before it, so the previous wait of a message
//! between retries is kept here, and only under that jitter (the other modes need the retry number
//! alone, which travels with the delivery). An entry goes when its message succeeds or is
//! dead-lettered; one whose retry never comes back (its re-appended record deleted by retention,
//! say) stays, so the map holds at most the messages that were ever between retries under
//! decorrelated jitter and did not finish.

use crate::sim::config::scenario::{Jitter, RetryPolicy};
use crate::sim::ids::MessageId;
use crate::sim::kernel::rng::{Rng, Stream};
use crate::sim::kernel::time::SimDuration;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct RetrySchedule {
    rng: Rng,
    /// The last wait of each message between retries, under decorrelated jitter.
    last_us: BTreeMap<MessageId, u64>,
}

impl RetrySchedule {
    pub fn new(seed: u64) -> Self {
        RetrySchedule { rng: Rng::for_stream(seed, Stream::Retries), last_us: BTreeMap::new() }
    }

    /// The wait before retry `retry` (1-based) of `msg`, or `None` when the policy allows no
    /// such retry (the message is then dead-lettered).
    pub fn delay(&mut self, policy: &RetryPolicy, msg: MessageId, retry: u32) -> Option<SimDuration> {
        let backoff = policy.backoff();
        let decorrelated = policy.jitter == Jitter::Decorrelated;
        let prev = if decorrelated { self.last_us.get(&msg).copied().unwrap_or(0) } else { 0 };
        let us = backoff.delay_us(retry, prev, &mut self.rng)?;
        if decorrelated {
            self.last_us.insert(msg, us);
        }
        Some(SimDuration::from_us(us))
    }

    /// `msg` needs no more retries.
    #[inline]
    pub fn forget(&mut self, msg: MessageId) {
        if !self.last_us.is_empty() {
            self.last_us.remove(&msg);
        }
    }

    /// The wait before trying `msg` again once the schedule's retries are over and there is no
    /// dead-letter queue: the schedule's last wait, jittered as it would be (the rules keep it
    /// from being 0).
    pub fn delay_past_schedule(&mut self, policy: &RetryPolicy, msg: MessageId) -> SimDuration {
        let last = policy.retries().max(1);
        let mut stretched = *policy;
        stretched.max_retries = stretched.max_retries.max(1);
        self.delay(&stretched, msg, last).unwrap_or(SimDuration::ZERO)
    }
}
