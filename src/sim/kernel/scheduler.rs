//! The event queue. Events fire in order of time; events at the same time fire in the order they
//! were scheduled (FIFO), which a sequence number makes explicit instead of leaving it to the heap.

use crate::sim::kernel::time::SimTime;

/// One pending event.
#[derive(Clone, Copy, Debug)]
struct Scheduled<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> Scheduled<E> {
    /// Whether `self` fires before `other`: earlier time, or the same time and scheduled first.
    #[inline(always)]
    fn before(&self, other: &Self) -> bool {
        (self.time, self.seq) < (other.time, other.seq)
    }
}

/// Pending events ordered by `(time, sequence)`. The kernel knows nothing of what an event means:
/// `E` is the engine's event type.
///
/// A binary min-heap kept by hand rather than `std::collections::BinaryHeap`: std's `pop` swaps the
/// root with the last element in word-sized stores and reads it back in wider loads, a
/// store-forwarding stall that cost about 7% of the whole engine's time (perf, `eda-lab bench`).
/// Here every element moves whole, into a hole. Keys are unique, so the order of events is the
/// same as with any correct heap.
#[derive(Clone, Debug)]
pub struct Scheduler<E> {
    heap: Vec<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler { heap: Vec::new(), next_seq: 0 }
    }
}

impl<E: Copy> Scheduler<E> {
    /// Schedules `event` at `time`. Events at equal times fire in scheduling order.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: E) {
        let item = Scheduled { time, seq: self.next_seq, event };
        self.next_seq += 1;
        let mut hole = self.heap.len();
        self.heap.push(item);
        while hole > 0 {
            let parent = (hole - 1) / 2;
            if !item.before(&self.heap[parent]) {
                break;
            }
            self.heap[hole] = self.heap[parent];
            hole = parent;
        }
        self.heap[hole] = item;
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|s| s.time)
    }

    /// Removes and returns the next event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else { return Some((last.time, last.event)) };
        // Sift the last element down from the root's hole.
        let n = self.heap.len();
        let mut hole = 0;
        loop {
            let mut child = 2 * hole + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.heap[child + 1].before(&self.heap[child]) {
                child += 1;
            }
            if !self.heap[child].before(&last) {
                break;
            }
            self.heap[hole] = self.heap[child];
            hole = child;
        }
        self.heap[hole] = last;
        Some((top.time, top.event))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_are_fifo() {
        let mut s = Scheduler::default();
        s.schedule(SimTime(5), 'a');
        s.schedule(SimTime(1), 'b');
        s.schedule(SimTime(5), 'c');
        s.schedule(SimTime(5), 'd');
        let order: Vec<_> = std::iter::from_fn(|| s.pop()).collect();
        assert_eq!(order, vec![(SimTime(1), 'b'), (SimTime(5), 'a'), (SimTime(5), 'c'), (SimTime(5), 'd')]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any interleaving of schedules and pops yields events in `(time, scheduling order)`,
        /// as a sorted reference does.
        #[test]
        fn pops_in_time_then_fifo_order(ops in proptest::collection::vec((0u64..50, proptest::bool::ANY), 0..400)) {
            let mut s = Scheduler::default();
            let mut reference = std::collections::BTreeSet::new();
            for (i, (t, pop)) in ops.into_iter().enumerate() {
                if pop {
                    let want = reference.pop_first().map(|(t, i): (u64, usize)| (SimTime(t), i));
                    proptest::prop_assert_eq!(s.pop(), want);
                } else {
                    s.schedule(SimTime(t), i);
                    reference.insert((t, i));
                }
                proptest::prop_assert_eq!(s.len(), reference.len());
            }
            while let Some((t, i)) = reference.pop_first() {
                proptest::prop_assert_eq!(s.pop(), Some((SimTime(t), i)));
            }
            proptest::prop_assert!(s.is_empty());
        }
    }
}
