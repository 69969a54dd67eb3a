//! Time in system: from production to settlement, as a sum (for the mean) and a log-linear
//! histogram (`kernel/histogram.rs`: percentiles within 0.4% of the exact ones). Fixed size,
//! however long the run.

use crate::sim::kernel::histogram::Histogram;

/// Time from production to settlement of every settled message.
#[derive(Clone, Debug, Default)]
pub struct LatencyStats {
    pub count: u64,
    pub sum_us: u128,
    histogram: Histogram,
}

impl LatencyStats {
    pub fn record(&mut self, us: u64) {
        self.count += 1;
        self.sum_us += us as u128;
        self.histogram.record(us);
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
