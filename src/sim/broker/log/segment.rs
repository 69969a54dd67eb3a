//! Segments: how a partition's log is cut into files that are rolled and deleted whole, as Kafka's
//! log does it (Kafka 3.x: `LogSegment.shouldRoll`, `UnifiedLog.deletableSegments`,
//! `deleteRetentionSizeBreachedSegments`, `deleteRetentionMsBreachedSegments`).
//!
//! - A segment is rolled (closed, a new active one opened) on an append when the active one would
//!   grow past `segment.bytes`, or when the record comes more than `segment.ms` after the
//!   segment's first record.
//! - A retention check deletes whole segments, oldest first, while they qualify: by size, while
//!   the log minus that segment is still at least `retention.bytes`; by time, while the segment's
//!   newest record is older than `retention.ms`. Nothing newer than an old segment goes with it,
//!   so a record can outlive `retention.ms` by up to a segment's span.
//! - The active segment can go too once all of it qualifies (Kafka rolls an empty one first); an
//!   empty last segment is never deleted.

use crate::sim::kernel::time::{SimDuration, SimTime};
use std::collections::VecDeque;

/// Segments a partition keeps in memory at most: beyond it, the two oldest closed segments merge.
/// Only a log with tiny segments and no retention gets there; deletion then goes in coarser steps.
const MAX_SEGMENTS: usize = 4_096;

/// One segment file: where it starts, how big it is, and its records' timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Offset of its first record.
    pub base: u64,
    pub bytes: u64,
    /// Timestamp of its first record (what `segment.ms` counts from).
    pub first: SimTime,
    /// Timestamp of its newest record (what `retention.ms` counts from).
    pub newest: SimTime,
}

/// When to roll: Kafka's `segment.bytes` and `segment.ms`.
#[derive(Clone, Copy, Debug)]
pub struct RollPolicy {
    pub segment_bytes: u64,
    pub segment_ms: u64,
}

/// What to delete: Kafka's `retention.ms` and `retention.bytes` (none: unlimited).
#[derive(Clone, Copy, Debug)]
pub struct RetentionPolicy {
    pub ms: Option<u64>,
    pub bytes: Option<u64>,
}

/// A partition's segments, oldest first; the last is the active one. Never empty.
#[derive(Clone, Debug)]
pub struct Segments {
    list: VecDeque<Segment>,
}

impl Default for Segments {
    fn default() -> Self {
        let empty = Segment { base: 0, bytes: 0, first: SimTime::ZERO, newest: SimTime::ZERO };
        Segments { list: VecDeque::from([empty]) }
    }
}

impl Segments {
    /// A record of `bytes` bytes gets offset `offset` at `now`. Returns true if the active segment
    /// was rolled first.
    pub fn append(&mut self, offset: u64, bytes: u64, now: SimTime, roll: RollPolicy) -> bool {
        let active = self.list.back().expect("a log always has an active segment");
        // `size > maxSegmentBytes - messagesSize || (size > 0 && reachedRollMs)`; an empty segment
        // takes any record, so a record bigger than a segment does not roll forever.
        let by_size = active.bytes.saturating_add(bytes) > roll.segment_bytes;
        let by_time = now.elapsed_since(active.first) > SimDuration::from_ms(roll.segment_ms);
        let rolled = active.bytes > 0 && (by_size || by_time);
        if rolled {
            self.list.push_back(Segment { base: offset, bytes: 0, first: now, newest: now });
            if self.list.len() > MAX_SEGMENTS {
                self.merge_oldest();
            }
        }
        let active = self.list.back_mut().expect("a log always has an active segment");
        if active.bytes == 0 {
            active.first = now;
        }
        active.bytes = active.bytes.saturating_add(bytes);
        active.newest = active.newest.max(now);
        rolled
    }

    /// The log lost its records from offset `end` on (`bytes` in all): segments starting there or
    /// later go, except the first, which is emptied; the last one left shrinks.
    pub fn truncate(&mut self, end: u64, bytes: u64) {
        let mut left = bytes;
        while self.list.len() > 1 && self.list.back().is_some_and(|s| s.base >= end) {
            let s = self.list.pop_back().expect("more than one segment");
            left = left.saturating_sub(s.bytes);
        }
        let last = self.list.back_mut().expect("a log always has an active segment");
        if last.base >= end {
            *last = Segment { base: end, bytes: 0, first: last.first, newest: last.first };
        } else {
            last.bytes = last.bytes.saturating_sub(left);
        }
    }

    fn merge_oldest(&mut self) {
        let a = self.list.pop_front().expect("more than one segment");
        let b = self.list.front_mut().expect("more than one segment");
        *b = Segment { base: a.base, bytes: a.bytes + b.bytes, first: a.first, newest: a.newest.max(b.newest) };
    }

    /// How many segments, oldest first, retention deletes now: by size, then by time, as Kafka's
    /// `deleteOldSegments` runs its passes.
    pub fn deletable(&self, now: SimTime, retention: RetentionPolicy) -> usize {
        let last = self.list.len() - 1;
        let may_go = |i: usize| !(i == last && self.list[i].bytes == 0);
        let mut n = 0;
        if let Some(limit) = retention.bytes {
            let size: u64 = self.list.iter().map(|s| s.bytes).sum();
            if size >= limit {
                let mut diff = size - limit;
                while n <= last && may_go(n) && diff >= self.list[n].bytes {
                    diff -= self.list[n].bytes;
                    n += 1;
                }
            }
        }
        if let Some(ms) = retention.ms {
            let limit = SimDuration::from_ms(ms);
            while n <= last && may_go(n) && now.elapsed_since(self.list[n].newest) > limit {
                n += 1;
            }
        }
        n
    }

    /// Deletes the `n` oldest segments of a log whose end offset is `log_end`; returns the new
    /// log start offset. Deleting them all opens an empty active segment first, as Kafka does.
    pub fn delete_oldest(&mut self, n: usize, log_end: u64, now: SimTime) -> u64 {
        if n >= self.list.len() {
            self.list.push_back(Segment { base: log_end, bytes: 0, first: now, newest: now });
        }
        self.list.drain(..n.min(self.list.len() - 1));
        self.list.front().expect("a log always has an active segment").base
    }

    pub fn iter(&self) -> impl Iterator<Item = &Segment> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLL: RollPolicy = RollPolicy { segment_bytes: 1_000, segment_ms: 10_000 };

    fn log(appends: &[(u64, u64)]) -> Segments {
        let mut s = Segments::default();
        for (offset, &(bytes, ms)) in appends.iter().enumerate() {
            s.append(offset as u64, bytes, SimTime::from_ms(ms), ROLL);
        }
        s
    }

    #[test]
    fn rolls_when_the_next_record_would_not_fit_or_comes_after_segment_ms() {
        // 400 + 400 fit in 1000; a third 400 would make 1200: a new segment at offset 2.
        let s = log(&[(400, 0), (400, 1), (400, 2)]);
        assert_eq!(s.iter().map(|g| g.base).collect::<Vec<_>>(), vec![0, 2]);
        // Exactly segment.ms after the first record does not roll ("> segment.ms"); later does.
        let s = log(&[(10, 0), (10, 10_000), (10, 10_001)]);
        assert_eq!(s.iter().map(|g| g.base).collect::<Vec<_>>(), vec![0, 2]);
        // A record bigger than a segment goes into an empty one, once.
        let s = log(&[(5_000, 0), (5_000, 1)]);
        assert_eq!(s.iter().map(|g| (g.base, g.bytes)).collect::<Vec<_>>(), vec![(0, 5_000), (1, 5_000)]);
    }

    #[test]
    fn time_retention_deletes_whole_segments_whose_newest_record_expired() {
        // Segments [0,2) newest at 1 ms and [2,3) at 20 ms.
        let s = log(&[(600, 0), (300, 1), (600, 20)]);
        let r = RetentionPolicy { ms: Some(100), bytes: None };
        assert_eq!(s.deletable(SimTime::from_ms(102), r), 1, "the first segment's newest record is 101 ms old");
        assert_eq!(s.deletable(SimTime::from_ms(101), r), 0, "100 ms old is not older than retention");
        // Once the active segment's newest record expired too, it goes as well.
        assert_eq!(s.deletable(SimTime::from_ms(121), r), 2);
        let mut s = s;
        assert_eq!(s.delete_oldest(2, 3, SimTime::from_ms(121)), 3, "a new empty active segment at the log end");
        assert_eq!(s.len(), 1);
        assert_eq!(s.deletable(SimTime::from_ms(10_000), r), 0, "an empty last segment is never deleted");
    }

    #[test]
    fn size_retention_keeps_at_least_retention_bytes() {
        // Three closed segments of 900 bytes and an active one of 100: 2800 bytes.
        let s = log(&[(900, 0), (900, 1), (900, 2), (100, 3)]);
        let by_size = |bytes| s.deletable(SimTime::from_ms(3), RetentionPolicy { ms: None, bytes: Some(bytes) });
        assert_eq!(by_size(1_000), 2, "2800 - 1000 = 1800: two segments of 900 fit in the excess");
        assert_eq!(by_size(1_900), 1);
        assert_eq!(by_size(2_000), 0, "800 of excess is less than one segment");
        assert_eq!(by_size(5_000), 0);
    }
}
