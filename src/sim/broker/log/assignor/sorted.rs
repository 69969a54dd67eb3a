//! Ordered sets and maps over a sorted `Vec`, for the assignors' working state (a few hundred
//! partitions at most). They iterate in key order as `BTreeSet`/`BTreeMap` do, which Kafka's
//! orders rely on; each B-tree key type would bring kilobytes of tree code into the page's bundle,
//! a sorted `Vec` a few hundred bytes.

/// A set iterated in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedSet<T>(Vec<T>);

impl<T: Ord> SortedSet<T> {
    pub fn new() -> Self {
        SortedSet(Vec::new())
    }

    pub fn insert(&mut self, item: T) {
        if let Err(at) = self.0.binary_search(&item) {
            self.0.insert(at, item);
        }
    }

    pub fn contains(&self, item: &T) -> bool {
        self.0.binary_search(item).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        items.into_iter().for_each(|item| self.insert(item));
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(items);
        set
    }
}

/// A map iterated in key order; inserting a key again replaces its value.
#[derive(Clone, Debug)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        SortedMap(Vec::new())
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (key, value)),
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|at| &self.0[at].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn into_vec(self) -> Vec<(K, V)> {
        self.0
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, items: I) {
        items.into_iter().for_each(|(k, v)| self.insert(k, v));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    proptest! {
        /// The same contents, in the same order, as the standard B-trees.
        #[test]
        fn behave_as_btrees(items in prop::collection::vec((0u8..32, any::<u8>()), 0..100)) {
            let set: SortedSet<u8> = items.iter().map(|&(k, _)| k).collect();
            let std_set: BTreeSet<u8> = items.iter().map(|&(k, _)| k).collect();
            prop_assert_eq!(set.iter().copied().collect::<Vec<_>>(), std_set.iter().copied().collect::<Vec<_>>());
            for k in 0..32 {
                prop_assert_eq!(set.contains(&k), std_set.contains(&k));
            }
            let mut map = SortedMap::new();
            map.extend(items.iter().copied());
            let std_map: BTreeMap<u8, u8> = items.iter().copied().collect();
            prop_assert_eq!(map.into_vec(), std_map.into_iter().collect::<Vec<_>>());
        }
    }
}
