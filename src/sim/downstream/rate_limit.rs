//! The API's capacity as a rate limiter: the generic cell rate algorithm (GCRA), a token bucket
//! kept as one instant. At `rate` calls per second it admits one call every `1/rate` s on average
//! and up to `burst` calls at once after a quiet spell; a call that would go beyond is refused and
//! uses no capacity. Integer nanoseconds, so every rate up to a million
//! per second is exact to the nanosecond.

use crate::sim::kernel::time::SimTime;

const NS_PER_SEC: u64 = 1_000_000_000;

#[derive(Clone, Copy, Debug, Default)]
pub struct RateLimit {
    /// The theoretical arrival time of the next call, in ns: how far ahead the admitted calls
    /// have used the capacity.
    tat_ns: u64,
}

impl RateLimit {
    /// Whether a call at `now` fits within `rate` calls per second with bursts of `burst` (both at
    /// least 1).
    pub fn admit(&mut self, now: SimTime, rate: u64, burst: u64) -> bool {
        let interval = NS_PER_SEC / rate.max(1);
        // A full bucket holds `burst` calls: the tolerance is the time of `burst - 1` more.
        let tolerance = interval.saturating_mul(burst.max(1) - 1);
        let now_ns = now.as_us().saturating_mul(1_000);
        let tat = self.tat_ns.max(now_ns);
        if tat - now_ns > tolerance {
            return false;
        }
        self.tat_ns = tat + interval;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From a quiet start a second's worth passes at once, then one per interval.
    #[test]
    fn burst_then_steady_rate() {
        let mut limit = RateLimit::default();
        let t = SimTime::from_secs(10);
        let burst = (0..15).filter(|_| limit.admit(t, 10, 10)).count();
        assert_eq!(burst, 10);
        assert!(!limit.admit(t.plus_ms(99), 10, 10));
        assert!(limit.admit(t.plus_ms(100), 10, 10));
        assert!(!limit.admit(t.plus_ms(150), 10, 10));
        // Over a long steady overload, admitted calls match the rate.
        let mut limit = RateLimit::default();
        let admitted = (0..100_000u64).filter(|i| limit.admit(SimTime::from_us(i * 1_000), 50, 50)).count();
        assert!((5_000..=5_050).contains(&admitted), "{admitted} admitted in 100 s at 50/s");
    }

    /// A smaller bucket lets fewer through at once, and the steady rate is the same.
    #[test]
    fn burst_is_the_bucket_size() {
        let mut limit = RateLimit::default();
        let t = SimTime::from_secs(10);
        assert_eq!((0..15).filter(|_| limit.admit(t, 10, 3)).count(), 3);
        assert!(!limit.admit(t.plus_ms(99), 10, 3));
        assert!(limit.admit(t.plus_ms(100), 10, 3));
        // A quiet spell refills the bucket to 3, not to a second's worth.
        let later = t.plus_ms(5_000);
        assert_eq!((0..15).filter(|_| limit.admit(later, 10, 3)).count(), 3);
        let mut limit = RateLimit::default();
        let admitted = (0..100_000u64).filter(|i| limit.admit(SimTime::from_us(i * 1_000), 50, 1)).count();
        assert!((5_000..=5_001).contains(&admitted), "{admitted} admitted in 100 s at 50/s");
    }
}
