//! Seeded randomness. Every concern draws from its own stream, derived from the scenario seed, so
//! that two configurations compared side by side see the same arrivals and the same faults
//! (common random numbers), and so that turning one feature on does not reshuffle every other draw.

use rand_core::RngCore;
use rand_pcg::Pcg32;

/// The concerns that draw random numbers. Each gets an independent PCG stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    Arrivals = 1,
    Keys = 2,
    Service = 3,
    Failures = 4,
    Faults = 5,
    Network = 6,
    /// Retry backoff jitter (`policy/backoff.rs`): its own stream, so that jittered retries leave
    /// every other draw where it was.
    Retries = 7,
    /// Which messages are poison (`hash_below`: a function of the message, not a sequence).
    Poison = 8,
    /// The producing service's crashes: a dual write cut in two, a relay before its mark.
    Outbox = 9,
    /// Chaos mode's fault schedule (`config/chaos.rs`).
    Chaos = 10,
    /// The event-sourced bank's client commands (`patterns/sourcing/service.rs`).
    Sourcing = 11,
    /// The shop's commands (`patterns/shop/service.rs`).
    Shop = 12,
    /// The shop's shoppers' reads: their own stream, so the read load never changes a write.
    ShopReads = 13,
}

/// A value-stable generator: the same seed gives the same sequence on every platform and version.
#[derive(Clone)]
pub struct Rng {
    pcg: Pcg32,
    /// The exponential ziggurat's tables, shared by every generator.
    zig: &'static Ziggurat,
}

impl std::fmt::Debug for Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Rng").field(&self.pcg).finish()
    }
}

impl Rng {
    /// The generator for `stream` under scenario seed `seed`.
    pub fn for_stream(seed: u64, stream: Stream) -> Self {
        // SplitMix64 spreads nearby seeds far apart before PCG sees them; the stream id selects
        // one of PCG's independent sequences.
        let state = splitmix64(seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut pcg = Pcg32::new(state, splitmix64(stream as u64));
        // Discard one output so that state and increment are fully mixed.
        pcg.next_u32();
        Rng { pcg, zig: ziggurat() }
    }

    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        self.pcg.next_u32()
    }

    /// A uniform float in the open interval (0, 1), from 53 random bits.
    #[inline]
    pub fn unit_open(&mut self) -> f64 {
        let bits = self.pcg.next_u64() >> 11;
        (bits as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`, where `p` is a [`Probability`].
    #[inline]
    pub fn chance(&mut self, p: Probability) -> bool {
        match p.0 {
            0 => false,
            Probability::ONE_RAW => true,
            t => (self.next_u32() as u64) < t,
        }
    }

    /// A uniform integer in `0..n` (n > 0), without modulo bias (Lemire's method).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        let mut m = self.next_u32() as u64 * n as u64;
        if (m as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u32) < threshold {
                m = self.next_u32() as u64 * n as u64;
            }
        }
        (m >> 32) as u32
    }

    /// An exponentially distributed duration with the given mean, in whole microseconds.
    #[inline]
    pub fn exponential_us(&mut self, mean_us: f64) -> u64 {
        // x >= 0: adding one half and truncating rounds it without a libm call.
        (self.exp1() * mean_us + 0.5) as u64
    }

    /// A standard exponential variate (mean 1), by Marsaglia and Tsang's ziggurat: one 64-bit
    /// draw, a table lookup and a multiply almost every time; a logarithm only in the rare tail.
    /// The tables and the tail use `libm`, not the platform's maths library, so native and
    /// wasm32 builds agree to the bit.
    #[inline]
    pub fn exp1(&mut self) -> f64 {
        let z = self.zig;
        loop {
            let bits = self.pcg.next_u64();
            let i = (bits & 0xff) as usize;
            let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let x = u * z.x[i];
            if x < z.x[i + 1] {
                return x;
            }
            if i == 0 {
                return ZIG_EXP_R - libm::log(self.unit_open());
            }
            if z.f[i + 1] + (z.f[i] - z.f[i + 1]) * self.unit_open() < libm::exp(-x) {
                return x;
            }
        }
    }

    /// A uniform duration in `[lo, hi]` microseconds.
    #[inline]
    pub fn uniform_us(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        lo + (self.unit_open() * (span as f64 + 1.0)).min(span as f64) as u64
    }
}

/// A probability stored as an integer ratio over 2^32, so that every comparison is integer
/// arithmetic and exactly reproducible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Probability(u64);

impl Probability {
    const ONE_RAW: u64 = 1 << 32;
    pub const ZERO: Probability = Probability(0);
    pub const ONE: Probability = Probability(Self::ONE_RAW);

    /// Converts a fraction in [0, 1]; callers validate the range first.
    pub fn from_f64(p: f64) -> Self {
        let clamped = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        Probability((clamped * Self::ONE_RAW as f64).round() as u64)
    }
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// Right edge of the base strip of the exponential ziggurat with 256 strips, and the area of each.
const ZIG_EXP_R: f64 = 7.697_117_470_131_05;
const ZIG_EXP_V: f64 = 3.949_659_822_581_557e-3;

/// Strip edges `x` (decreasing, x[1] = R, x[256] = 0) and densities `f = exp(-x)`.
struct Ziggurat {
    x: [f64; 257],
    f: [f64; 257],
}

fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; 257];
        x[0] = ZIG_EXP_V * libm::exp(ZIG_EXP_R);
        x[1] = ZIG_EXP_R;
        for i in 1..256 {
            x[i + 1] = -libm::log(ZIG_EXP_V / x[i] + libm::exp(-x[i]));
        }
        x[256] = 0.0;
        let f = x.map(|v| libm::exp(-v));
        Ziggurat { x, f }
    })
}

/// True with probability `p` for item `n` of `stream`, as a pure function of (seed, stream, n):
/// the same answer however often and in whatever order it is asked, and, for a fixed item, true
/// at `p` whenever it is true at a smaller `p`.
pub fn hash_below(seed: u64, stream: Stream, n: u64, p: Probability) -> bool {
    let base = splitmix64(seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let draw = splitmix64(base ^ splitmix64(n)) >> 32;
    match p.0 {
        Probability::ONE_RAW => true,
        t => draw < t,
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_reproducible() {
        let mut a = Rng::for_stream(42, Stream::Arrivals);
        let mut b = Rng::for_stream(42, Stream::Arrivals);
        let mut c = Rng::for_stream(42, Stream::Keys);
        let xs: Vec<u32> = (0..8).map(|_| a.next_u32()).collect();
        let ys: Vec<u32> = (0..8).map(|_| b.next_u32()).collect();
        let zs: Vec<u32> = (0..8).map(|_| c.next_u32()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn value_stable_across_versions() {
        // If this changes, every shared link and recorded trace hash changes with it.
        let mut r = Rng::for_stream(1, Stream::Arrivals);
        let first: Vec<u32> = (0..3).map(|_| r.next_u32()).collect();
        assert_eq!(first, vec![3_794_831_022, 2_002_668_034, 2_701_637_050]);
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut r = Rng::for_stream(7, Stream::Service);
        let n = 200_000;
        let sum: u64 = (0..n).map(|_| r.exponential_us(1_000_000.0)).sum();
        let mean = sum as f64 / n as f64;
        assert!((mean - 1e6).abs() < 1e4, "mean {mean}");
    }

    #[test]
    fn exponential_tail_probabilities() {
        // P(X > t) = e^-t for a standard exponential, in the body and deep in the tail.
        let mut r = Rng::for_stream(11, Stream::Service);
        let n = 1_000_000;
        let xs: Vec<f64> = (0..n).map(|_| r.exp1()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.005, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "variance {var}");
        for t in [0.1f64, 0.5, 1.0, 2.0, 4.0, 7.0, 8.0] {
            let share = xs.iter().filter(|&&x| x > t).count() as f64 / n as f64;
            let expected = (-t).exp();
            let sd = (expected * (1.0 - expected) / n as f64).sqrt();
            assert!((share - expected).abs() < 5.0 * sd + 1e-6, "P(X > {t}) = {share}, expected {expected}");
        }
    }

    #[test]
    fn below_is_in_range_and_covers() {
        let mut r = Rng::for_stream(3, Stream::Keys);
        let mut seen = [0u32; 5];
        for _ in 0..10_000 {
            seen[r.below(5) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c > 1_800), "{seen:?}");
    }

    #[test]
    fn probability_extremes() {
        let mut r = Rng::for_stream(3, Stream::Failures);
        assert!((0..1000).all(|_| !r.chance(Probability::ZERO)));
        assert!((0..1000).all(|_| r.chance(Probability::ONE)));
    }
}
