//! The time-based sliding window: the calls of the last N seconds (resilience4j-core's
//! `SlidingTimeWindowMetrics`). A ring of N one-second buckets, each stamped with the epoch
//! second it counts, and a running total. Before a call is recorded or the window is read, the
//! head moves on to the current second: every bucket it passes (at most N) leaves the total and
//! is reset to a newer second. So a call counts for as long as its second is one of the last N
//! whole seconds of simulated time (`now` in whole seconds, as `Instant.getEpochSecond` floors).

use super::aggregation::{Aggregation, Outcome, Snapshot};
use crate::sim::kernel::time::SimTime;

/// One second of calls.
#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    epoch_second: u64,
    counts: Aggregation,
}

/// The calls of the last `size` seconds.
#[derive(Clone, Debug)]
pub struct TimeWindow {
    buckets: Vec<Bucket>,
    head: usize,
    total: Aggregation,
}

/// The second of simulated time that `now` falls in.
fn epoch_second(now: SimTime) -> u64 {
    now.as_us() / 1_000_000
}

impl TimeWindow {
    /// An empty window of `size` seconds (at least 1) made at `now`: the head bucket counts
    /// `now`'s second, the others the seconds after it, as the Java constructor stamps them.
    pub fn new(size: u32, now: SimTime) -> Self {
        let first = epoch_second(now);
        let buckets = (0..u64::from(size.max(1)))
            .map(|i| Bucket { epoch_second: first + i, counts: Aggregation::default() })
            .collect();
        TimeWindow { buckets, head: 0, total: Aggregation::default() }
    }

    /// Records one call at `now`; returns the window afterwards.
    pub fn record(&mut self, duration_us: u64, outcome: Outcome, now: SimTime) -> Snapshot {
        self.total.record(duration_us, outcome);
        self.move_to(epoch_second(now));
        self.buckets[self.head].counts.record(duration_us, outcome);
        self.snapshot_at(now)
    }

    /// What the window holds at `now`: the total less the buckets that moving the head to
    /// `now`'s second would reset. Reading does not change the window, and a later `record`
    /// moves it exactly as Java's `getSnapshot` would have.
    pub fn snapshot_at(&self, now: SimTime) -> Snapshot {
        let mut total = self.total;
        for k in 1..=self.steps_to(epoch_second(now)) {
            total.remove(&self.buckets[(self.head + k) % self.buckets.len()].counts);
        }
        total.snapshot()
    }

    /// How many buckets the head moves to reach `second`: the seconds since the head's, at
    /// most the window's size. A clock that went back moves nothing (simulated time never does).
    fn steps_to(&self, second: u64) -> usize {
        let behind = second.saturating_sub(self.buckets[self.head].epoch_second);
        behind.min(self.buckets.len() as u64) as usize
    }

    /// `moveWindowToCurrentEpochSecond`: every bucket the head passes leaves the total and
    /// restarts at the second it now stands for, the head's being `second`.
    fn move_to(&mut self, second: u64) {
        let steps = self.steps_to(second);
        for left in (0..steps).rev() {
            self.head = (self.head + 1) % self.buckets.len();
            let bucket = &mut self.buckets[self.head];
            self.total.remove(&bucket.counts);
            *bucket = Bucket { epoch_second: second - left as u64, counts: Aggregation::default() };
        }
    }

    /// Each bucket's second, from index 0 (tests mirror `checkInitialBucketCreation` with it).
    #[cfg(test)]
    pub(super) fn epoch_seconds(&self) -> Vec<u64> {
        self.buckets.iter().map(|b| b.epoch_second).collect()
    }
}
