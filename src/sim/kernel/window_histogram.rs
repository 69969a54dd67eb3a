//! A histogram of the values of one short window (a chart sample's interval), emptied each time
//! its percentiles are taken: the live p50 / p95 / p99 of the page's monitoring charts.
//!
//! Same buckets as [`Histogram`](super::histogram::Histogram), reported the same way (the middle
//! of the bucket the nearest-rank value falls in: within 1/256 of it, exact below 256). A run
//! takes a sample every interval of sim time, which in a fast-forward means millions of samples,
//! so emptying must not cost the whole table: the buckets a window touched are listed, and only
//! they are read and cleared (work in proportion to the values recorded, not to the 7,424
//! buckets). It keeps no minimum or maximum, to stay cheap on the hot path.

use super::histogram::{bucket, bucket_range, BUCKETS};
use super::sort;

#[derive(Clone, Debug)]
pub struct WindowHistogram {
    counts: Vec<u32>,
    touched: Vec<u16>,
    count: u32,
}

impl Default for WindowHistogram {
    fn default() -> Self {
        WindowHistogram { counts: vec![0; BUCKETS], touched: Vec::new(), count: 0 }
    }
}

impl WindowHistogram {
    /// Counts one value of the current window.
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.record_in(bucket(v));
    }

    /// Counts a value whose bucket `b` the caller computed.
    #[inline]
    pub(crate) fn record_in(&mut self, b: usize) {
        let c = &mut self.counts[b];
        if *c == 0 {
            self.touched.push(b as u16);
        }
        *c = c.saturating_add(1);
        self.count = self.count.saturating_add(1);
    }

    /// The window's nearest-rank percentiles at `per_mille` (500 for p50, 990 for p99), given in
    /// ascending order; zeros when the window is empty. Empties the window.
    pub fn take<const N: usize>(&mut self, per_mille: [u32; N]) -> [u64; N] {
        let mut out = [0; N];
        if self.count == 0 {
            return out; // (most windows of a slow run: nothing to read or clear)
        }
        // A few buckets as a rule: the kernel's sort does short runs by insertion.
        sort::sort_by_key(&mut self.touched, |b| *b);
        let (mut seen, mut next) = (0u64, 0);
        for &b in &self.touched {
            seen += u64::from(self.counts[b as usize]);
            while next < N && seen >= rank(per_mille[next], self.count) {
                let (low, width) = bucket_range(b as usize);
                out[next] = low + (width - 1) / 2;
                next += 1;
            }
            self.counts[b as usize] = 0;
        }
        self.touched.clear();
        self.count = 0;
        out
    }
}

/// The nearest rank of `per_mille` among `count` values: `max(1, ceil(q × count))`.
fn rank(per_mille: u32, count: u32) -> u64 {
    (u64::from(per_mille.min(1_000)) * u64::from(count)).div_ceil(1_000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the exact nearest-rank percentile of the same values: within 1/256, three windows
    /// in a row, each emptied by the take before.
    #[test]
    fn within_1_in_256_of_the_exact_percentile_and_emptied() {
        let mut w = WindowHistogram::default();
        for round in 0..3u64 {
            let mut values: Vec<u64> =
                (0..1_000u64).map(|i| (i * 7_919 + round * 13) % 100_003 * (round + 1)).collect();
            values.iter().for_each(|v| w.record(*v));
            values.sort_unstable();
            let got = w.take([500, 950, 990]);
            for (q, g) in [500u64, 950, 990].into_iter().zip(got) {
                let exact = values[((q * 1_000).div_ceil(1_000) - 1) as usize];
                assert!(g.abs_diff(exact) * 256 <= exact, "round {round} p{q}: {g} vs {exact}");
            }
        }
        assert_eq!(w.take([500, 990]), [0, 0], "empty after a take");
        w.record(42);
        assert_eq!(w.take([500, 990]), [42, 42]);
    }
}
