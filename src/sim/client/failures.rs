//! The messages failing now: when each first failed and how many of its processing attempts
//! failed, so that a dead letter can say so. Only a failure writes here, so a message that never
//! fails costs nothing.
//!
//! A message's failures stay together across its copies and retries: a crash that makes its
//! retries start over, or a second copy failing too, adds to the same count. They leave when the
//! message is dead-lettered; a message that failed and then succeeded leaves its entry behind,
//! which a sweep removes once the message is no longer in flight, so the log stays O(in flight).

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimTime;
use std::collections::BTreeMap;

/// One message's failures so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub first_at: SimTime,
    pub last_at: SimTime,
    /// Processing attempts that failed.
    pub attempts: u32,
}

/// Failures by message, for the messages failing now.
#[derive(Clone, Debug, Default)]
pub struct FailureLog {
    failing: BTreeMap<MessageId, Failures>,
    /// The size at which the next sweep runs.
    sweep_at: usize,
}

/// The smallest size that triggers a sweep.
const SWEEP_MIN: usize = 64;

impl FailureLog {
    /// `msg` failed an attempt at `now`; returns its failures so far. `in_flight` says which
    /// messages are still in flight: now and then the entries of the others go (amortised O(1)).
    pub fn failed(&mut self, msg: MessageId, now: SimTime, in_flight: impl Fn(MessageId) -> bool) -> Failures {
        if self.failing.len() >= self.sweep_at.max(SWEEP_MIN) {
            self.failing.retain(|&m, _| in_flight(m));
            self.sweep_at = 2 * self.failing.len();
        }
        let f = self.failing.entry(msg).or_insert(Failures { first_at: now, last_at: now, attempts: 0 });
        f.last_at = now;
        f.attempts += 1;
        *f
    }

    /// `msg` is dead-lettered: its failures leave the log.
    pub fn take(&mut self, msg: MessageId) -> Option<Failures> {
        self.failing.remove(&msg)
    }

    /// How many messages have entries.
    pub fn len(&self) -> usize {
        self.failing.len()
    }
    pub fn is_empty(&self) -> bool {
        self.failing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_times_per_message_and_sweeps_settled_ones() {
        let mut log = FailureLog::default();
        let t = SimTime::from_ms;
        log.failed(MessageId(1), t(10), |_| true);
        log.failed(MessageId(2), t(15), |_| true);
        let f = log.failed(MessageId(1), t(30), |_| true);
        assert_eq!(f, Failures { first_at: t(10), last_at: t(30), attempts: 2 });
        assert_eq!(log.take(MessageId(1)), Some(f));
        assert_eq!(log.take(MessageId(1)), None);
        // Message 2 succeeded and settled: a sweep drops it once the log is big enough.
        for m in 100..100 + SWEEP_MIN as u32 - 1 {
            log.failed(MessageId(m), t(40), |_| true);
        }
        assert_eq!(log.len(), SWEEP_MIN);
        log.failed(MessageId(7), t(50), |m| m != MessageId(2));
        assert_eq!((log.take(MessageId(2)), log.len()), (None, SWEEP_MIN));
    }
}
