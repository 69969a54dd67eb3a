//! Bounded histories for live charts. Every series is a ring buffer: memory stays fixed however long
//! a run lasts, and the newest samples are always kept.

use serde::Serialize;
use std::collections::VecDeque;

/// A fixed-capacity ring of samples; pushing onto a full ring drops the oldest.
#[derive(Clone, Debug, Serialize)]
pub struct Ring<T> {
    capacity: usize,
    items: VecDeque<T>,
}

impl<T> Ring<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a ring needs room for at least one item");
        Ring { capacity, items: VecDeque::with_capacity(capacity) }
    }
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn capacity(&self) -> usize {
        self.capacity
    }
    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }
    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }
}

/// One point of the chart series, taken at a fixed sim-time interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub time_us: u64,
    pub produced: u64,
    pub in_flight: u64,
    pub exactly_once: u64,
    pub duplicated: u64,
    pub dead_lettered: u64,
    pub lost: u64,
    /// Sum of lag over all partitions (log end offset minus committed offset).
    pub lag_total: u64,
    pub dlq_size: u64,
    pub effects: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_newest() {
        let mut r = Ring::new(3);
        for i in 0..5 {
            r.push(i);
        }
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), vec![2, 3, 4]);
        assert_eq!(r.last(), Some(&4));
    }
}
