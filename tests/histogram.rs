//! The kernel's histogram against the exact answer: for random samples, every percentile is within
//! 1/256 (under 0.4%, so well within 1%) of the nearest-rank percentile of the sorted samples; the
//! count, the minimum and the maximum (so p0 and p100) are exact; and merging equals recording
//! everything in one.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::kernel::histogram::Histogram;
use proptest::prelude::*;

/// Values spread over every magnitude: a random `u64` shifted right by 0 to 63 bits.
fn value() -> impl Strategy<Value = u64> {
    (any::<u64>(), 0u32..64).prop_map(|(v, shift)| v >> shift)
}

/// Samples of one magnitude with repeats, or of every magnitude.
fn samples() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![
        prop::collection::vec(value(), 1..2_000),
        (0u64..5_000_000, prop::collection::vec(0u64..1_000, 1..2_000))
            .prop_map(|(base, offsets)| offsets.into_iter().map(|o| base + o * 7).collect()),
    ]
}

/// The nearest-rank percentile: the value of rank `max(1, ceil(q n))` in sorted order, `q` given
/// in parts per million so the rank is exact integer arithmetic.
fn exact(sorted: &[u64], q_ppm: u64) -> u64 {
    let n = sorted.len() as u64;
    let rank = (q_ppm * n).div_ceil(1_000_000).max(1);
    sorted[rank as usize - 1]
}

fn histogram(values: &[u64]) -> Histogram {
    let mut h = Histogram::new();
    values.iter().for_each(|&v| h.record(v));
    h
}

const QUANTILES_PPM: [u64; 10] = [0, 1, 100_000, 250_000, 500_000, 900_000, 950_000, 990_000, 999_000, 1_000_000];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn percentiles_within_one_percent(values in samples(), extra_ppm in 0u64..=1_000_000) {
        let h = histogram(&values);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        prop_assert_eq!(h.count(), values.len() as u64);
        prop_assert_eq!(h.max(), *sorted.last().unwrap());
        prop_assert_eq!(h.min(), sorted[0]);
        prop_assert_eq!(h.percentile(0.0), sorted[0]);
        prop_assert_eq!(h.percentile(1.0), *sorted.last().unwrap());
        for q_ppm in QUANTILES_PPM.into_iter().chain([extra_ppm]) {
            let exact = exact(&sorted, q_ppm);
            let got = h.percentile(q_ppm as f64 / 1e6);
            // 1/256 of the exact value; u128 so that the largest values cannot overflow.
            prop_assert!(
                got.abs_diff(exact) as u128 * 256 <= exact as u128,
                "q = {} ppm: histogram {}, exact {} ({} samples)", q_ppm, got, exact, values.len()
            );
            prop_assert!(got.abs_diff(exact) as u128 * 100 <= exact as u128);
        }
    }

    #[test]
    fn merging_equals_recording_all(a in samples(), b in samples()) {
        let mut merged = histogram(&a);
        merged.merge(&histogram(&b));
        let all: Vec<u64> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(merged, histogram(&all));
    }
}

#[test]
fn merging_an_empty_histogram_changes_nothing() {
    let mut h = histogram(&[5, 1_000, 70_000]);
    let before = h.clone();
    h.merge(&Histogram::new());
    assert_eq!(h, before);
    let mut empty = Histogram::new();
    empty.merge(&before);
    assert_eq!(empty, before);
}
