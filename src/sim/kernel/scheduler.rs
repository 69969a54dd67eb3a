//! The event queue. Events fire in order of time; events at the same time fire in the order they
//! were scheduled (FIFO), which a sequence number makes explicit instead of leaving it to the heap.

use crate::sim::event::Event;
use crate::sim::kernel::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event.
#[derive(Clone, Copy, Debug)]
struct Scheduled {
    time: SimTime,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest `(time, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// Pending events ordered by `(time, sequence)`.
#[derive(Clone, Debug, Default)]
pub struct Scheduler {
    heap: BinaryHeap<Scheduled>,
    next_seq: u64,
}

impl Scheduler {
    /// Schedules `event` at `time`. Events at equal times fire in scheduling order.
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Scheduled { time, seq, event });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|s| s.time)
    }

    /// Removes and returns the next event.
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|s| (s.time, s.event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_are_fifo() {
        let mut s = Scheduler::default();
        s.schedule(SimTime(5), Event::Produce { token: 0 });
        s.schedule(SimTime(1), Event::RetentionCheck);
        s.schedule(SimTime(5), Event::SessionTimeout { consumer: 1, epoch: 0 });
        s.schedule(SimTime(5), Event::SessionTimeout { consumer: 2, epoch: 0 });
        let order: Vec<_> = std::iter::from_fn(|| s.pop()).collect();
        assert_eq!(order[0], (SimTime(1), Event::RetentionCheck));
        assert_eq!(order[1], (SimTime(5), Event::Produce { token: 0 }));
        assert_eq!(order[2], (SimTime(5), Event::SessionTimeout { consumer: 1, epoch: 0 }));
        assert_eq!(order[3], (SimTime(5), Event::SessionTimeout { consumer: 2, epoch: 0 }));
    }
}
