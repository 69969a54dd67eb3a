//! A log-linear histogram of `u64` values (HdrHistogram's layout): percentiles within 0.4% of
//! the exact ones in fixed memory, however many values it counts.
//!
//! Values below 256 get a bucket each. Above, every power of two `[2^e, 2^(e+1))` is cut into 128
//! equal buckets, each `2^(e-7)` wide, so a bucket is never wider than 1/128 of its lowest value.
//! A percentile is reported as the middle of the bucket the exact percentile falls in (clamped to
//! the smallest and largest values recorded), which is off by at most half a bucket: at most 1/256
//! (0.39%) of the exact value, and nothing below 256. The smallest and the largest value are kept
//! exactly, so the first and the last rank (p0, p100) are exact.
//!
//! The buckets cover every `u64`, 58 powers of two of 128 buckets: 7,424 counters, 58 kB. One
//! histogram per run (the ledger's time in system) costs that once; the page's compare view holds
//! at most four runs. Integer arithmetic throughout, so native and wasm32 agree.
//!
//! It sits in the kernel, beside time and randomness, because it knows nothing of messages: the
//! ledger (which may use only the ids and the kernel) and the metrics can both hold one.

/// Buckets per power of two, as a shift: 2^7 = 128.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// The exact buckets (0..128), then one row of 128 for each power of two from 2^7 to 2^63.
pub(super) const BUCKETS: usize = ((64 - SUB_BITS + 1) as u64 * SUB) as usize;

/// Counts of values in log-linear buckets, with the count, the smallest and the largest value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    counts: Vec<u64>,
    count: u64,
    min: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: vec![0; BUCKETS], count: 0, min: u64::MAX, max: 0 }
    }
}

/// The bucket of `v`: `v` itself below 128, else 128 per power of two above 2^7.
#[inline]
pub(crate) fn bucket(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let shift = 63 - v.leading_zeros() - SUB_BITS; // v >> shift is in [128, 256)
    ((shift as u64 + 1) * SUB + ((v >> shift) - SUB)) as usize
}

/// The lowest value of bucket `b` and its width.
pub(super) fn bucket_range(b: usize) -> (u64, u64) {
    let b = b as u64;
    if b < SUB {
        return (b, 1);
    }
    let shift = b / SUB - 1;
    ((SUB + b % SUB) << shift, 1 << shift)
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.record_in(bucket(v), v);
    }

    /// Counts `v`, whose bucket `b` the caller computed (to share it with a window's histogram).
    #[inline]
    pub(crate) fn record_in(&mut self, b: usize, v: u64) {
        self.counts[b] += 1;
        self.count += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The largest value recorded, exactly (0 when empty).
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The smallest value recorded, exactly (0 when empty).
    pub fn min(&self) -> u64 {
        if self.count == 0 {
            0
        } else {
            self.min
        }
    }

    /// Adds every value `other` counted, as if each had been recorded here.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The nearest-rank percentile at `q`, a fraction (0.99 for p99, clamped to 0..=1): the
    /// smallest recorded value with at least `q × count` values at or below it (rank
    /// `max(1, ceil(q × count))` in sorted order), within 1/256 of it; 0 when empty. `q` counts
    /// to a billionth, so 0.99 is exactly 99/100 and floating-point error moves no rank.
    pub fn percentile(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        const PARTS: u128 = 1_000_000_000;
        // q >= 0 after the clamp: adding one half and truncating rounds it without a libm call.
        let parts = (q.clamp(0.0, 1.0) * PARTS as f64 + 0.5) as u128;
        let rank = ((parts * self.count as u128).div_ceil(PARTS) as u64).max(1);
        // The first and the last rank are kept exactly.
        if rank == 1 {
            return self.min;
        }
        if rank == self.count {
            return self.max;
        }
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, width) = bucket_range(b);
                return (low + (width - 1) / 2).clamp(self.min, self.max);
            }
        }
        self.max // unreachable: the counts add up to `count`
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tile_every_u64_in_order() {
        let mut next = 0u64;
        for b in 0..BUCKETS {
            let (low, width) = bucket_range(b);
            assert_eq!(low, next, "bucket {b}");
            assert_eq!((bucket(low), bucket(low + (width - 1))), (b, b));
            // Never wider than 1/128 of its lowest value (exact below 256).
            assert!(low < 2 * SUB && width == 1 || width * SUB <= low, "bucket {b}: {low} + {width}");
            next = low.wrapping_add(width);
        }
        assert_eq!(next, 0, "the last bucket ends at u64::MAX");
        assert_eq!(bucket(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn small_values_are_exact_and_extremes_kept() {
        let mut h = Histogram::new();
        assert_eq!((h.percentile(0.5), h.count(), h.min(), h.max()), (0, 0, 0, 0));
        for v in [3, 200, 255, 1] {
            h.record(v);
        }
        assert_eq!([0.0, 0.25, 0.5, 0.75, 1.0].map(|q| h.percentile(q)), [1, 1, 3, 200, 255]);
        h.record(u64::MAX);
        assert_eq!((h.count(), h.min(), h.max(), h.percentile(1.0)), (5, 1, u64::MAX, u64::MAX));
    }

    #[test]
    fn nearest_rank_on_one_to_a_hundred_thousand() {
        let mut h = Histogram::new();
        for v in 1..=100_000u64 {
            h.record(v);
        }
        for (q, exact) in [(0.5, 50_000u64), (0.95, 95_000), (0.99, 99_000), (0.999, 99_900), (1.0, 100_000)] {
            let got = h.percentile(q);
            assert!(got.abs_diff(exact) * 256 <= exact, "p{q}: {got}, exact {exact}");
        }
    }
}
