//! A bounded ring buffer: chart series and the event log keep their newest items in fixed memory
//! however long a run lasts.

use serde::Serialize;

/// A fixed-capacity ring of samples; pushing onto a full ring overwrites the oldest. A ring of
/// capacity 0 keeps nothing (headless batch runs switch the event log off this way).
#[derive(Clone, Debug, Serialize)]
pub struct Ring<T> {
    capacity: usize,
    items: Vec<T>,
    /// Index of the oldest item once the ring is full.
    head: usize,
}

impl<T> Ring<T> {
    pub fn new(capacity: usize) -> Self {
        Ring { capacity, items: Vec::with_capacity(capacity.min(4_096)), head: 0 }
    }
    #[inline]
    pub fn push(&mut self, item: T) {
        if self.items.len() < self.capacity {
            self.items.push(item);
        } else if self.capacity > 0 {
            self.items[self.head] = item;
            self.head += 1;
            if self.head == self.capacity {
                self.head = 0;
            }
        }
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
    pub fn iter(&self) -> RingIter<'_, T> {
        let (newer, older) = self.items.split_at(self.head);
        RingIter { older, newer }
    }
    pub fn last(&self) -> Option<&T> {
        if self.items.is_empty() {
            None
        } else if self.items.len() < self.capacity || self.head == 0 {
            self.items.last()
        } else {
            self.items.get(self.head - 1)
        }
    }
}

/// Iterates a [`Ring`] oldest first, without allocating; also backwards and with an exact length.
#[derive(Clone, Debug)]
pub struct RingIter<'a, T> {
    older: &'a [T],
    newer: &'a [T],
}

impl<'a, T> Iterator for RingIter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        if let Some((first, rest)) = self.older.split_first() {
            self.older = rest;
            return Some(first);
        }
        let (first, rest) = self.newer.split_first()?;
        self.newer = rest;
        Some(first)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.older.len() + self.newer.len();
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for RingIter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if let Some((last, rest)) = self.newer.split_last() {
            self.newer = rest;
            return Some(last);
        }
        let (last, rest) = self.older.split_last()?;
        self.older = rest;
        Some(last)
    }
}

impl<T> ExactSizeIterator for RingIter<'_, T> {}

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
        assert_eq!(r.iter().rev().copied().collect::<Vec<_>>(), vec![4, 3, 2]);
        assert_eq!(r.iter().len(), 3);
        r.push(5);
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), vec![3, 4, 5]);
        let mut off = Ring::new(0);
        off.push(1);
        assert!(off.is_empty() && off.last().is_none());
        assert_eq!(r.last(), Some(&5));
    }
}
