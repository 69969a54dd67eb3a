//! A stable sort for the short lists the engine and the page sort (group members, a member's
//! partitions, the fault schedule, a few hundred frame timings): insertion sort. std's sorts are
//! faster on long lists, but each element type sorted with them brings several kilobytes of
//! driftsort and quicksort into the page's bundle; these lists hold at most a few hundred items.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, keeping equal items in their order.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `v` by the key `f` gives each item, keeping equal keys in their order.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as std's stable sort, ties included.
        #[test]
        fn sorts_as_std_stable_sort(mut v in prop::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut expected = v.clone();
            expected.sort_by_key(|&(k, _)| k);
            super::sort_by_key(&mut v, |&(k, _)| k);
            prop_assert_eq!(v, expected);
        }
    }
}
