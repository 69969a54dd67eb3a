//! Time in system: from production to settlement, as a sum (for the mean) and a log-bucketed
//! histogram (for percentiles within about 3%). Fixed size, however long the run.

use serde::Serialize;

/// Time from production to settlement of every settled message.
#[derive(Clone, Debug, Serialize)]
pub struct LatencyStats {
    pub count: u64,
    pub sum_us: u128,
    buckets: Vec<u64>,
}

const SUB_BUCKETS: u32 = 16;

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats { count: 0, sum_us: 0, buckets: vec![0; (64 * SUB_BUCKETS) as usize] }
    }
}

impl LatencyStats {
    fn bucket(us: u64) -> usize {
        if us < SUB_BUCKETS as u64 {
            return us as usize;
        }
        let exp = 63 - us.leading_zeros(); // >= 4
        let sub = (us >> (exp - 4)) as u32 & (SUB_BUCKETS - 1);
        ((exp - 3) * SUB_BUCKETS + sub) as usize
    }
    fn bucket_low(b: usize) -> u64 {
        let b = b as u32;
        if b < SUB_BUCKETS {
            return b as u64;
        }
        let exp = b / SUB_BUCKETS + 3;
        let sub = (b % SUB_BUCKETS) as u64;
        (SUB_BUCKETS as u64 + sub) << (exp - 4)
    }
    pub fn record(&mut self, us: u64) {
        self.count += 1;
        self.sum_us += us as u128;
        self.buckets[Self::bucket(us)] += 1;
    }
    pub fn mean_us(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_us as f64 / self.count as f64)
    }
    /// The `q`-quantile (0..=1), as the lower bound of its histogram bucket.
    pub fn quantile_us(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(Self::bucket_low(i));
            }
        }
        None
    }
}
