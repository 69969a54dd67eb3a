//! Retry backoff: how long a consumer waits before it tries a failed message again, and how many
//! times it tries. A pure schedule (no engine state): the caller keeps a [`BackoffState`] per
//! message, or the retry number and the previous delay, and draws from its own seeded stream.
//!
//! The jitter modes follow Marc Brooker's "Exponential Backoff And Jitter" (AWS Architecture Blog,
//! March 2015, <https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/>) and the
//! simulator it was written with, aws-samples/aws-arch-backoff-simulator
//! (`src/backoff_simulator.py`, read for this module): `ExpoBackoff` sleeps
//! `expo(n) = min(cap, base * 2^n)`, `ExpoBackoffFullJitter` sleeps `uniform(0, expo(n))`,
//! `ExpoBackoffEqualJitter` sleeps `expo(n)/2 + uniform(0, expo(n)/2)` and `ExpoBackoffDecorr`
//! sleeps `min(cap, uniform(base, sleep * 3))`, `sleep` starting at `base` and keeping the last
//! value. Its client counts `attempt` from 0 and adds one *before* it asks for a backoff, so its
//! first retry sleeps up to `base * 2^1`: retry n has exponent n. (Its `random.uniform` is
//! continuous; here a draw is a whole number of microseconds, both ends included.)
//!
//! Here retry n (1-based) has exponent n - 1, so that the first retry waits `base`, as the
//! exponential schedule without jitter promises (1, 2, 4, ... s from a base of 1 s), and each
//! jitter mode spreads exactly that schedule: full jitter draws below the delay the schedule
//! without jitter would wait, equal jitter in its upper half. To reproduce the simulator's numbers
//! with a multiplier of 2, double the base (`base * 2^n = 2 base * 2^(n-1)`), except under
//! decorrelated jitter, whose draws do not depend on the retry number at all.
//!
//! The fixed policy takes full and equal jitter the same way, around its one delay: uniform in
//! `[0, base]`, or in `[base - base/2, base]`. Decorrelated jitter would make a fixed delay grow,
//! so [`Backoff::check`] refuses that pair; immediate retries have nothing to spread and stay at 0.
//!
//! All arithmetic is integer microseconds, saturating; the only randomness is one
//! [`Rng::uniform_us`] draw per jittered delay, so a schedule without jitter draws nothing and
//! leaves the stream as it found it.

use crate::sim::config::limits::{MAX_DELAY_MS, MAX_RETRIES};
use crate::sim::kernel::rng::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How the delay grows from one retry to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackoffPolicy {
    /// No retries at all: a failed message is given up on at once, whatever `max_attempts` says.
    None,
    /// Retry at once (a delay of 0), up to `max_attempts` times.
    Immediate,
    /// Wait `base` before every retry.
    Fixed,
    /// Wait `min(cap, base * multiplier^(n-1))` before retry n.
    Exponential,
}

/// How a delay is spread at random, so that clients that failed together do not retry together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// The policy's delay, exactly.
    None,
    /// Uniform in `[0, d]`, `d` being the delay without jitter (mean `d/2`).
    Full,
    /// Uniform in `[d - d/2, d]` (integer halves; mean about `3d/4`): never less than half.
    Equal,
    /// `min(cap, uniform(base, 3 * previous))`, the previous delay starting at `base`: each delay
    /// grows from the last one drawn, not from the retry number, so the multiplier is unused.
    /// Exponential policy only ([`Backoff::check`] refuses it with a fixed delay, which it would
    /// turn into a growing one).
    Decorrelated,
}

/// A retry schedule: a policy, its numbers and its jitter. Times are integer microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backoff {
    pub policy: BackoffPolicy,
    /// The first delay (fixed: every delay), 0 to 1 day.
    pub base_us: u64,
    /// The exponential policy's growth per retry: an integer, 1 to 10 (1 keeps the delay fixed;
    /// factors such as 1.5 are not offered, as the consumer's `processing.retry.multiplier` is an
    /// integer too). The other policies ignore it.
    pub multiplier: u32,
    /// No delay is longer: at least `base_us`, at most 1 day.
    pub cap_us: u64,
    /// Retries after the first attempt, 0 to 1,000: the schedule has this many delays (none under
    /// [`BackoffPolicy::None`]).
    pub max_attempts: u32,
    pub jitter: Jitter,
}

/// A setting of a [`Backoff`] that [`Backoff::check`] refuses, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackoffError {
    /// The field at fault: `base_us`, `cap_us`, `multiplier`, `max_attempts` or `jitter`.
    pub field: &'static str,
    /// Why, in words that name no unit (the drivers show times in their own units).
    pub reason: String,
}

impl fmt::Display for BackoffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// The longest delay: the engine's limit on every delay.
const MAX_DELAY_US: u64 = MAX_DELAY_MS * 1_000;

/// The highest multiplier: ten retries at 10× already span ten orders of magnitude.
pub const MAX_MULTIPLIER: u32 = 10;

impl Backoff {
    /// Whether the schedule is one the engine runs; the error names the first field at fault.
    pub fn check(&self) -> Result<(), BackoffError> {
        let refuse = |field, reason: String| Err(BackoffError { field, reason });
        if self.base_us > MAX_DELAY_US {
            return refuse("base_us", "must be at most 1 day".into());
        }
        if self.cap_us < self.base_us {
            return refuse("cap_us", "must not be below the base".into());
        }
        if self.cap_us > MAX_DELAY_US {
            return refuse("cap_us", "must be at most 1 day".into());
        }
        if !(1..=MAX_MULTIPLIER).contains(&self.multiplier) {
            return refuse("multiplier", format!("must be between 1 and {MAX_MULTIPLIER} (got {})", self.multiplier));
        }
        if self.max_attempts > MAX_RETRIES {
            return refuse("max_attempts", format!("must be at most {MAX_RETRIES} (got {})", self.max_attempts));
        }
        if self.jitter == Jitter::Decorrelated && self.policy == BackoffPolicy::Fixed {
            return refuse("jitter", "decorrelated jitter grows the delay: use it with the exponential policy".into());
        }
        Ok(())
    }

    /// How many retries the schedule allows: 0 under [`BackoffPolicy::None`], else `max_attempts`.
    pub fn retries(&self) -> u32 {
        match self.policy {
            BackoffPolicy::None => 0,
            _ => self.max_attempts,
        }
    }

    /// The delay before retry `retry` (1-based) without jitter, and the ceiling full and equal
    /// jitter draw below: 0 (none, immediate), `base` (fixed) or
    /// `min(cap, base * multiplier^(retry-1))` (exponential), saturating.
    pub fn ceiling_us(&self, retry: u32) -> u64 {
        match self.policy {
            BackoffPolicy::None | BackoffPolicy::Immediate => 0,
            BackoffPolicy::Fixed => self.base_us,
            BackoffPolicy::Exponential => {
                let growth = (self.multiplier as u64).saturating_pow(retry.saturating_sub(1));
                self.base_us.saturating_mul(growth).min(self.cap_us)
            }
        }
    }

    /// The delay before retry `retry` (1-based), or `None` when there is no such retry: `retry` is
    /// 0 or beyond [`Backoff::retries`]. `prev_us` is the delay drawn before the previous retry
    /// (anything, such as 0, before the first); only decorrelated jitter reads it. Draws once from
    /// `rng` when the delay is jittered, never otherwise (immediate retries draw nothing either).
    pub fn delay_us(&self, retry: u32, prev_us: u64, rng: &mut Rng) -> Option<u64> {
        if retry == 0 || retry > self.retries() {
            return None;
        }
        if self.policy == BackoffPolicy::Immediate {
            return Some(0);
        }
        let ceiling = self.ceiling_us(retry);
        Some(match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => rng.uniform_us(0, ceiling),
            Jitter::Equal => rng.uniform_us(ceiling - ceiling / 2, ceiling),
            Jitter::Decorrelated => {
                // The blog's `sleep` starts at `base`, and a drawn delay is never below it.
                let prev = prev_us.max(self.base_us);
                rng.uniform_us(self.base_us, prev.saturating_mul(3)).min(self.cap_us)
            }
        })
    }

    /// A fresh schedule, before the first retry.
    pub fn start(&self) -> BackoffState {
        BackoffState::default()
    }
}

/// Where one message is in its retry schedule: the retries taken and the last delay drawn (which
/// decorrelated jitter grows from). Small and `Copy`, to keep beside a message in flight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackoffState {
    retries: u32,
    last_us: u64,
}

impl BackoffState {
    /// Retries taken so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// The delay before the next retry, counting it as taken; `None` once the schedule allows no
    /// more (the message is then given up on: dead-lettered or dropped, the caller's choice).
    pub fn next_us(&mut self, backoff: &Backoff, rng: &mut Rng) -> Option<u64> {
        let retry = self.retries.checked_add(1)?;
        let delay = backoff.delay_us(retry, self.last_us, rng)?;
        self.retries = retry;
        self.last_us = delay;
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernel::rng::Stream;

    const S: u64 = 1_000_000;

    fn backoff(policy: BackoffPolicy, jitter: Jitter) -> Backoff {
        Backoff { policy, base_us: S, multiplier: 2, cap_us: 30 * S, max_attempts: 8, jitter }
    }

    /// Every delay of the schedule, drawn from `seed`'s retry stream.
    fn schedule(b: &Backoff, seed: u64) -> Vec<u64> {
        let mut rng = Rng::for_stream(seed, Stream::Retries);
        let mut state = b.start();
        std::iter::from_fn(|| state.next_us(b, &mut rng)).collect()
    }

    fn check(policy: BackoffPolicy, expected_s: &[u64]) {
        let b = backoff(policy, Jitter::None);
        let expected: Vec<u64> = expected_s.iter().map(|s| s * S).collect();
        assert_eq!(schedule(&b, 1), expected, "{policy:?}");
    }

    #[test]
    fn schedules_without_jitter() {
        check(BackoffPolicy::None, &[]);
        check(BackoffPolicy::Immediate, &[0; 8]);
        check(BackoffPolicy::Fixed, &[1; 8]);
        check(BackoffPolicy::Exponential, &[1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn multipliers_and_saturation() {
        let mut b = backoff(BackoffPolicy::Exponential, Jitter::None);
        b.multiplier = 3;
        b.cap_us = 100 * S;
        assert_eq!(schedule(&b, 1), [1, 3, 9, 27, 81, 100, 100, 100].map(|s| s * S));
        b.multiplier = 1;
        assert_eq!(schedule(&b, 1), [S; 8]);
        // The largest schedule the check allows: 10^999 overflows and saturates to the cap.
        b = Backoff { multiplier: 10, base_us: MAX_DELAY_US, cap_us: MAX_DELAY_US, max_attempts: 1_000, ..b };
        b.check().unwrap();
        let all = schedule(&b, 1);
        assert_eq!(all.len(), 1_000);
        assert!(all.iter().all(|&d| d == MAX_DELAY_US));
        assert_eq!(b.ceiling_us(u32::MAX), MAX_DELAY_US);
    }

    #[test]
    fn no_retry_zero_and_none_beyond_the_last() {
        let b = backoff(BackoffPolicy::Fixed, Jitter::None);
        let mut rng = Rng::for_stream(1, Stream::Retries);
        assert_eq!(b.delay_us(0, 0, &mut rng), None);
        assert_eq!(b.delay_us(8, 0, &mut rng), Some(S));
        assert_eq!(b.delay_us(9, 0, &mut rng), None);
        let none = Backoff { max_attempts: 1_000, ..backoff(BackoffPolicy::None, Jitter::Full) };
        assert_eq!(none.delay_us(1, 0, &mut rng), None);
        let zero = Backoff { max_attempts: 0, ..b };
        assert!(schedule(&zero, 1).is_empty());
    }

    #[test]
    fn only_jittered_delays_draw() {
        let untouched = |b: Backoff| {
            let mut rng = Rng::for_stream(5, Stream::Retries);
            let mut state = b.start();
            while state.next_us(&b, &mut rng).is_some() {}
            assert_eq!(rng.next_u32(), Rng::for_stream(5, Stream::Retries).next_u32(), "{b:?}");
        };
        untouched(backoff(BackoffPolicy::Exponential, Jitter::None));
        untouched(backoff(BackoffPolicy::Fixed, Jitter::None));
        untouched(backoff(BackoffPolicy::Immediate, Jitter::Full));
        untouched(backoff(BackoffPolicy::None, Jitter::Decorrelated));
        // The same seed gives the same jittered schedule; another seed another one.
        let b = backoff(BackoffPolicy::Exponential, Jitter::Full);
        assert_eq!(schedule(&b, 9), schedule(&b, 9));
        assert_ne!(schedule(&b, 9), schedule(&b, 10));
    }

    const SEEDS: u64 = 20_000;

    /// Per retry, the mean of the delays over [`SEEDS`] seeds, after `bound` checked each one
    /// (given the retry, the delay without jitter and the previous delay).
    fn means(b: &Backoff, bound: impl Fn(u32, u64, u64, u64) -> bool) -> Vec<f64> {
        let mut sums = vec![0u64; b.retries() as usize];
        for seed in 0..SEEDS {
            let mut prev = b.base_us;
            for (i, d) in schedule(b, seed).into_iter().enumerate() {
                let retry = i as u32 + 1;
                assert!(bound(retry, b.ceiling_us(retry), prev, d), "seed {seed}: retry {retry} waits {d} µs");
                sums[i] += d;
                prev = d;
            }
        }
        sums.iter().map(|&s| s as f64 / SEEDS as f64).collect()
    }

    fn assert_close(means: &[f64], expected: impl Fn(u64) -> f64, b: &Backoff) {
        for (i, m) in means.iter().enumerate() {
            let e = expected(b.ceiling_us(i as u32 + 1));
            assert!((m - e).abs() <= 0.02 * e, "retry {}: mean {m}, expected {e}", i + 1);
        }
    }

    #[test]
    fn full_jitter_is_uniform_below_the_schedule() {
        for policy in [BackoffPolicy::Exponential, BackoffPolicy::Fixed] {
            let b = backoff(policy, Jitter::Full);
            let m = means(&b, |_, ceiling, _, d| d <= ceiling);
            assert_close(&m, |ceiling| ceiling as f64 / 2.0, &b);
        }
    }

    #[test]
    fn equal_jitter_keeps_the_upper_half() {
        for policy in [BackoffPolicy::Exponential, BackoffPolicy::Fixed] {
            let b = backoff(policy, Jitter::Equal);
            let m = means(&b, |_, ceiling, _, d| ceiling - ceiling / 2 <= d && d <= ceiling);
            assert_close(&m, |ceiling| ceiling as f64 * 0.75, &b);
        }
    }

    /// `E[min(cap, U)]` for `U` uniform on the integers `lo..=hi`, `lo <= cap`.
    fn capped_uniform_mean(lo: u64, hi: u64, cap: u64) -> f64 {
        let (lo, hi, cap) = (lo as f64, hi as f64, cap as f64);
        if hi <= cap {
            return (lo + hi) / 2.0;
        }
        let below = cap - lo; // values lo..cap-1 count as themselves, the rest as the cap
        (below * (lo + cap - 1.0) / 2.0 + (hi - cap + 1.0) * cap) / (hi - lo + 1.0)
    }

    #[test]
    fn decorrelated_jitter_grows_from_the_last_delay() {
        let b = backoff(BackoffPolicy::Exponential, Jitter::Decorrelated);
        let m = means(&b, |_, _, prev, d| b.base_us <= d && d <= b.cap_us.min(3 * prev));
        // The first draw is uniform in [base, 3 base]: mean 2 base.
        assert!((m[0] - 2e6).abs() <= 0.02 * 2e6, "first mean {}", m[0]);
        assert!(m.windows(2).all(|w| w[0] < w[1]) && m[7] < 30e6, "{m:?}");
        // Every later draw, given the one before: its sum against the sum of the analytic means.
        let (mut drawn, mut expected) = (0.0, 0.0);
        for seed in 0..SEEDS {
            let delays = schedule(&b, seed);
            for w in delays.windows(2) {
                drawn += w[1] as f64;
                expected += capped_uniform_mean(b.base_us, 3 * w[0], b.cap_us);
            }
        }
        assert!((drawn - expected).abs() <= 0.01 * expected, "drawn {drawn}, expected {expected}");
    }

    #[test]
    fn check_names_the_field_at_fault() {
        let ok = backoff(BackoffPolicy::Exponential, Jitter::Full);
        assert_eq!(ok.check(), Ok(()));
        let field = |b: Backoff| b.check().unwrap_err().field;
        assert_eq!(field(Backoff { base_us: MAX_DELAY_US + 1, cap_us: MAX_DELAY_US + 1, ..ok }), "base_us");
        assert_eq!(field(Backoff { cap_us: S - 1, ..ok }), "cap_us");
        assert_eq!(field(Backoff { cap_us: MAX_DELAY_US + 1, ..ok }), "cap_us");
        assert_eq!(field(Backoff { multiplier: 0, ..ok }), "multiplier");
        assert_eq!(field(Backoff { multiplier: 11, ..ok }), "multiplier");
        assert_eq!(field(Backoff { max_attempts: 1_001, ..ok }), "max_attempts");
        assert_eq!(field(backoff(BackoffPolicy::Fixed, Jitter::Decorrelated)), "jitter");
        assert_eq!(Backoff { base_us: 0, cap_us: 0, ..ok }.check(), Ok(()));
        let e = Backoff { multiplier: 0, ..ok }.check().unwrap_err();
        assert_eq!(e.to_string(), "multiplier: must be between 1 and 10 (got 0)");
    }

    #[test]
    fn serde_names_are_snake_case() {
        let b = backoff(BackoffPolicy::Exponential, Jitter::Decorrelated);
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains("\"policy\":\"exponential\"") && json.contains("\"jitter\":\"decorrelated\""), "{json}");
        assert_eq!(serde_json::from_str::<Backoff>(&json).unwrap(), b);
        assert_eq!(serde_json::from_str::<BackoffPolicy>("\"immediate\"").unwrap(), BackoffPolicy::Immediate);
        assert_eq!(serde_json::from_str::<Jitter>("\"none\"").unwrap(), Jitter::None);
    }
}
