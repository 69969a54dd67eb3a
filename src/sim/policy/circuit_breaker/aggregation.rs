//! Counts of recorded calls: one bucket of a sliding window, or a window's running total
//! (resilience4j-core's `AbstractAggregation`, `Measurement`, `PartialAggregation` and
//! `TotalAggregation`), and the read-only [`Snapshot`] taken of a total (`SnapshotImpl`).

/// How one recorded call ended (resilience4j's `Metrics.Outcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A success no slower than the slow-call threshold.
    Success,
    /// A failure no slower than the slow-call threshold.
    Error,
    /// A success slower than the slow-call threshold.
    SlowSuccess,
    /// A failure slower than the slow-call threshold.
    SlowError,
}

/// The counts of some recorded calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aggregation {
    /// Sum of the calls' durations, each truncated to whole milliseconds first (as
    /// `TimeUnit.toMillis` does call by call); wrapping like Java's `long`.
    pub total_duration_ms: u64,
    pub slow_calls: u32,
    pub slow_failed_calls: u32,
    pub failed_calls: u32,
    pub calls: u32,
}

impl Aggregation {
    /// Adds one call of `duration_us` that ended as `outcome`.
    pub fn record(&mut self, duration_us: u64, outcome: Outcome) {
        self.calls += 1;
        self.total_duration_ms = self.total_duration_ms.wrapping_add(duration_us / 1_000);
        match outcome {
            Outcome::SlowSuccess => self.slow_calls += 1,
            Outcome::SlowError => {
                self.slow_calls += 1;
                self.failed_calls += 1;
                self.slow_failed_calls += 1;
            }
            Outcome::Error => self.failed_calls += 1,
            Outcome::Success => {}
        }
    }

    /// Takes away a bucket's counts from this total (the bucket leaves the window).
    pub fn remove(&mut self, bucket: &Aggregation) {
        self.total_duration_ms = self.total_duration_ms.wrapping_sub(bucket.total_duration_ms);
        self.slow_calls -= bucket.slow_calls;
        self.slow_failed_calls -= bucket.slow_failed_calls;
        self.failed_calls -= bucket.failed_calls;
        self.calls -= bucket.calls;
    }

    /// A snapshot of these counts.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(*self)
    }
}

/// What a sliding window holds at one moment (resilience4j's `Snapshot`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot(Aggregation);

impl Snapshot {
    /// Calls in the window.
    pub fn total_calls(&self) -> u32 {
        self.0.calls
    }

    /// Failed calls, slow or not.
    pub fn failed_calls(&self) -> u32 {
        self.0.failed_calls
    }

    /// Calls that did not fail, slow or not.
    pub fn successful_calls(&self) -> u32 {
        self.0.calls - self.0.failed_calls
    }

    /// Slow calls, failed or not.
    pub fn slow_calls(&self) -> u32 {
        self.0.slow_calls
    }

    /// Slow calls that succeeded.
    pub fn slow_successful_calls(&self) -> u32 {
        self.0.slow_calls - self.0.slow_failed_calls
    }

    /// Slow calls that failed.
    pub fn slow_failed_calls(&self) -> u32 {
        self.0.slow_failed_calls
    }

    /// Sum of the calls' durations in milliseconds.
    pub fn total_duration_ms(&self) -> u64 {
        self.0.total_duration_ms
    }

    /// Mean duration in whole milliseconds, 0 for no calls.
    pub fn average_duration_ms(&self) -> u64 {
        match self.0.calls {
            0 => 0,
            n => self.0.total_duration_ms / u64::from(n),
        }
    }

    /// Failed calls in percent, 0 for no calls. Computed in `f32` as Java does
    /// (`failed * 100.0f / calls`), so rates compare with thresholds bit for bit.
    pub fn failure_rate(&self) -> f32 {
        percent(self.0.failed_calls, self.0.calls)
    }

    /// Slow calls in percent, 0 for no calls.
    pub fn slow_call_rate(&self) -> f32 {
        percent(self.0.slow_calls, self.0.calls)
    }
}

fn percent(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        return 0.0;
    }
    part as f32 * 100.0 / whole as f32
}
