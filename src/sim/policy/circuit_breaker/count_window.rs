//! The count-based sliding window: the outcomes of the last N calls (resilience4j-core's
//! `FixedSizeSlidingWindowMetrics`). A ring of N one-call buckets and a running total; each new
//! call moves the head one place on, takes the bucket it lands on out of the total, and records
//! the call there and in the total.

use super::aggregation::{Aggregation, Outcome, Snapshot};

/// The last `size` calls.
#[derive(Clone, Debug)]
pub struct CountWindow {
    buckets: Vec<Aggregation>,
    head: usize,
    total: Aggregation,
}

impl CountWindow {
    /// An empty window of `size` calls. Size 0 is the window of the states that record nothing
    /// (DISABLED, FORCED_OPEN: resilience4j builds them a window of size 0 too).
    pub fn new(size: u32) -> Self {
        CountWindow { buckets: vec![Aggregation::default(); size as usize], head: 0, total: Aggregation::default() }
    }

    /// Records one call; returns the window afterwards.
    pub fn record(&mut self, duration_us: u64, outcome: Outcome) -> Snapshot {
        self.total.record(duration_us, outcome);
        if self.buckets.is_empty() {
            // Only OPEN entered from DISABLED or FORCED_OPEN records into an empty window (it
            // keeps theirs). resilience4j counts the call in the total, as above, then divides
            // by zero moving the head and throws ArithmeticException at the caller; the count
            // stays, so it stays here too (without the exception).
            return self.snapshot();
        }
        self.move_head_by_one();
        let latest = &mut self.buckets[self.head];
        self.total.remove(latest);
        *latest = Aggregation::default();
        latest.record(duration_us, outcome);
        self.snapshot()
    }

    /// What the window holds.
    pub fn snapshot(&self) -> Snapshot {
        self.total.snapshot()
    }

    /// Moves the head one bucket on, wrapping around (`moveHeadIndexByOne`).
    fn move_head_by_one(&mut self) {
        self.head = (self.head + 1) % self.buckets.len();
    }

    /// The head's index (tests mirror resilience4j's `testMoveHeadIndexByOne` with it).
    #[cfg(test)]
    pub(super) fn head(&self) -> usize {
        self.head
    }

    #[cfg(test)]
    pub(super) fn move_head_for_test(&mut self) {
        self.move_head_by_one();
    }
}
