//! A stable sort for the lists the engine and the page sort (group members, a member's
//! partitions, the fault schedule, frame timings): a merge sort of `Copy` items, insertion sort
//! for short runs. std's sorts are faster, but each element type sorted with them brings several
//! kilobytes of driftsort and quicksort into the page's bundle.

use std::cmp::Ordering;

/// Runs this short are sorted by insertion.
const SHORT: usize = 16;

/// Sorts `v` by `cmp`, keeping equal items in their order.
pub fn sort_by<T: Copy>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    for start in (0..n).step_by(SHORT) {
        let run = &mut v[start..(start + SHORT).min(n)];
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && cmp(&run[j - 1], &run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut width = SHORT;
    let mut buf: Vec<T> = Vec::with_capacity(if n > SHORT { n } else { 0 });
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let (mid, hi) = ((lo + width).min(n), (lo + 2 * width).min(n));
            buf.clear();
            let (mut i, mut j) = (lo, mid);
            while i < mid && j < hi {
                // Ties take the left item first: stable.
                if cmp(&v[j], &v[i]) == Ordering::Less {
                    buf.push(v[j]);
                    j += 1;
                } else {
                    buf.push(v[i]);
                    i += 1;
                }
            }
            buf.extend_from_slice(&v[i..mid]);
            buf.extend_from_slice(&v[j..hi]);
            v[lo..hi].copy_from_slice(&buf);
        }
        width *= 2;
    }
}

/// Sorts `v` by the key `f` gives each item, keeping equal keys in their order.
pub fn sort_by_key<T: Copy, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as std's stable sort, ties included.
        #[test]
        fn sorts_as_std_stable_sort(mut v in prop::collection::vec((0u8..8, any::<u16>()), 0..300)) {
            let mut expected = v.clone();
            expected.sort_by_key(|&(k, _)| k);
            super::sort_by_key(&mut v, |&(k, _)| k);
            prop_assert_eq!(v, expected);
        }
    }
}
