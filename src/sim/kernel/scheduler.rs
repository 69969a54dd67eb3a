//! The event queue. Events fire in order of time; events at the same time fire in the order they
//! were scheduled (FIFO), which a sequence number makes explicit instead of leaving it to the heap.

use crate::sim::kernel::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event.
#[derive(Clone, Copy, Debug)]
struct Scheduled<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest `(time, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// Pending events ordered by `(time, sequence)`. The kernel knows nothing of what an event means:
/// `E` is the engine's event type.
#[derive(Clone, Debug)]
pub struct Scheduler<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler { heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<E: Copy> Scheduler<E> {
    /// Schedules `event` at `time`. Events at equal times fire in scheduling order.
    pub fn schedule(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Scheduled { time, seq, event });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|s| s.time)
    }

    /// Removes and returns the next event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|s| (s.time, s.event))
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
}
