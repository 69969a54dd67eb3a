//! Time in system: from production to settlement, as a sum (for the mean) and a log-linear
//! histogram (`kernel/histogram.rs`: percentiles within 0.4% of the exact ones), and the same for
//! the current chart sample's window (`kernel/window_histogram.rs`). Fixed size, however long the
//! run.

use crate::sim::kernel::histogram::{bucket, Histogram};
use crate::sim::kernel::window_histogram::WindowHistogram;

/// Time from production to settlement of every settled message.
#[derive(Clone, Debug, Default)]
pub struct LatencyStats {
    pub count: u64,
    pub sum_us: u128,
    histogram: Histogram,
    /// The same, for the messages settled since the last chart sample, when the run's samples
    /// ask for it (the page's live charts; off in headless runs, where it would cost about 5% of
    /// the benchmark's instructions for charts nobody draws).
    window: Option<Box<WindowHistogram>>,
}

impl LatencyStats {
    pub fn record(&mut self, us: u64) {
        self.count += 1;
        self.sum_us += us as u128;
        let b = bucket(us);
        self.histogram.record_in(b, us);
        if let Some(w) = &mut self.window {
            w.record_in(b);
        }
    }
    /// Keeps a window histogram from now on (or stops).
    pub fn track_window(&mut self, on: bool) {
        self.window = on.then(Box::default);
    }
    /// p50, p95 and p99 of the messages settled since the last call (zeros if none), which
    /// starts a new window.
    pub fn take_window(&mut self) -> [u64; 3] {
        self.window.as_mut().map_or([0; 3], |w| w.take([500, 950, 990]))
    }
    pub fn mean_us(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_us as f64 / self.count as f64)
    }
    /// The nearest-rank `q`-quantile (0..=1) within 1/256 of the exact one
    /// ([`Histogram::percentile`]); `None` before any message settled.
    pub fn quantile_us(&self, q: f64) -> Option<u64> {
        (self.count > 0).then(|| self.histogram.percentile(q))
    }
    /// The longest time in system, exactly; `None` before any message settled.
    pub fn max_us(&self) -> Option<u64> {
        (self.count > 0).then(|| self.histogram.max())
    }
}
