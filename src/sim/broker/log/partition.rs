//! A partition: an append-only log of records, addressed by offset.
//!
//! Offsets only grow. The *log start offset* moves forward when retention deletes old segments
//! (`segment.rs`); the *log end offset* is the offset the next append gets. Which records the
//! group has consumed is the group's business (its committed offsets), not the partition's.

use super::segment::{RetentionPolicy, RollPolicy, Segments};
use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::time::SimTime;
use std::collections::VecDeque;

/// One record in the log: which message, and which processing retry it is (0 for the original).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogRecord {
    pub msg: MessageId,
    pub retry: u32,
    pub appended_at: SimTime,
}

/// Records a partition keeps in memory below the group's committed offset. They are only there to
/// be drawn; nothing reads them again in this model (the segments keep what retention needs).
const KEEP_CONSUMED: u64 = 64;

#[derive(Clone, Debug)]
pub struct Partition {
    id: PartitionId,
    /// Offset of `records[0]`.
    mem_base: u64,
    records: VecDeque<LogRecord>,
    log_start: u64,
    segments: Segments,
    /// With replication: the high watermark, the end of what consumers may read (every in-sync
    /// replica has the records below it). Without, it is not used: the log end is.
    high_watermark: Option<u64>,
    /// Whether the partition has a live leader to read from and write to.
    online: bool,
}

impl Partition {
    pub fn new(id: PartitionId) -> Self {
        Partition {
            id,
            mem_base: 0,
            records: VecDeque::new(),
            log_start: 0,
            segments: Segments::default(),
            high_watermark: None,
            online: true,
        }
    }
    pub fn id(&self) -> PartitionId {
        self.id
    }
    /// The offset the next record will get.
    pub fn log_end(&self) -> u64 {
        self.mem_base + self.records.len() as u64
    }
    /// The oldest offset still in the log (retention moves it forward).
    pub fn log_start(&self) -> u64 {
        self.log_start
    }

    /// The end of what a consumer may read: the high watermark of a replicated partition, the log
    /// end of one that is not, and the log start (nothing) while the partition has no leader.
    #[inline]
    pub fn readable_end(&self) -> u64 {
        match (self.online, self.high_watermark) {
            (false, _) => self.log_start,
            (true, Some(hw)) => hw,
            (true, None) => self.log_end(),
        }
    }
    /// The high watermark (the log end without replication).
    pub fn high_watermark(&self) -> u64 {
        self.high_watermark.unwrap_or_else(|| self.log_end())
    }
    pub fn set_high_watermark(&mut self, hw: u64) {
        self.high_watermark = Some(hw);
    }
    pub fn is_online(&self) -> bool {
        self.online
    }
    pub fn set_online(&mut self, online: bool) {
        self.online = online;
    }

    /// A new leader without the records from `end` on: they go, newest first, each passed to
    /// `on_remove` with its offset while still in memory. The log end becomes `end` (at least the
    /// log start); the segments shrink by `bytes` per record removed.
    pub fn truncate(&mut self, end: u64, bytes: u64, mut on_remove: impl FnMut(u64, LogRecord)) {
        let end = end.max(self.log_start);
        let removed = self.log_end().saturating_sub(end);
        while self.log_end() > end && !self.records.is_empty() {
            let offset = self.log_end() - 1;
            let rec = self.records.pop_back().expect("not empty");
            on_remove(offset, rec);
        }
        if self.mem_base > end {
            self.mem_base = end;
        }
        self.segments.truncate(end, removed.saturating_mul(bytes));
    }

    /// Appends a record of `bytes` bytes, rolling the active segment if `roll` says so; returns
    /// its offset.
    pub fn append(&mut self, record: LogRecord, bytes: u64, roll: RollPolicy) -> u64 {
        let offset = self.log_end();
        self.segments.append(offset, bytes, record.appended_at, roll);
        self.records.push_back(record);
        offset
    }

    /// The record at `offset`, if it is still in the log.
    pub fn get(&self, offset: u64) -> Option<&LogRecord> {
        if offset < self.log_start || offset < self.mem_base {
            return None;
        }
        self.records.get((offset - self.mem_base) as usize)
    }

    /// Applies retention at `now`: deletes the segments it allows, oldest first, calling
    /// `on_delete` with every deleted record still in memory and its offset. Returns the deleted
    /// offsets `[from, to)`, if any.
    pub fn apply_retention(
        &mut self,
        now: SimTime,
        retention: RetentionPolicy,
        mut on_delete: impl FnMut(u64, LogRecord),
    ) -> Option<(u64, u64)> {
        let n = self.segments.deletable(now, retention);
        if n == 0 {
            return None;
        }
        let from = self.log_start;
        let to = self.segments.delete_oldest(n, self.log_end(), now);
        while self.mem_base < to {
            let Some(rec) = self.records.pop_front() else { break };
            on_delete(self.mem_base, rec);
            self.mem_base += 1;
        }
        self.mem_base = self.mem_base.max(to);
        self.log_start = to;
        Some((from, to))
    }

    pub fn segments(&self) -> &Segments {
        &self.segments
    }

    /// Forgets records well below `committed` (memory only; the log start offset is unchanged).
    pub fn trim_consumed(&mut self, committed: u64) {
        while self.mem_base + KEEP_CONSUMED < committed && !self.records.is_empty() {
            self.records.pop_front();
            self.mem_base += 1;
        }
    }

    /// The newest `n` records still in memory, with their offsets, oldest first.
    pub fn tail(&self, n: usize) -> impl Iterator<Item = (u64, &LogRecord)> {
        let skip = self.records.len().saturating_sub(n);
        let base = self.mem_base;
        self.records.iter().enumerate().skip(skip).map(move |(i, r)| (base + i as u64, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(msg: u32, t: u64) -> LogRecord {
        LogRecord { msg: MessageId(msg), retry: 0, appended_at: SimTime(t) }
    }

    /// Segments of two 100-byte records.
    const ROLL: RollPolicy = RollPolicy { segment_bytes: 200, segment_ms: u64::MAX / 4_000 };

    #[test]
    fn offsets_grow_and_retention_moves_the_start_by_whole_segments() {
        let mut p = Partition::new(PartitionId(0));
        for i in 0..3 {
            assert_eq!(p.append(rec(i, 10 * (i as u64 + 1)), 100, ROLL), i as u64);
        }
        // Segments [0, 2) newest at 20 us and [2, 3) at 30 us; retention of 0 ms at 25 us deletes
        // the first whole segment only.
        let retention = RetentionPolicy { ms: Some(0), bytes: None };
        let mut deleted = vec![];
        assert_eq!(p.apply_retention(SimTime(25), retention, |o, r| deleted.push((o, r.msg.0))), Some((0, 2)));
        assert_eq!(deleted, vec![(0, 0), (1, 1)]);
        assert_eq!(p.log_start(), 2);
        assert_eq!(p.log_end(), 3);
        assert!(p.get(1).is_none());
        assert_eq!(p.get(2).unwrap().msg, MessageId(2));
    }

    #[test]
    fn trimming_keeps_offsets() {
        let mut p = Partition::new(PartitionId(0));
        for i in 0..200 {
            p.append(rec(i, i as u64), 100, ROLL);
        }
        p.trim_consumed(150);
        assert_eq!(p.log_end(), 200);
        assert_eq!(p.get(199).unwrap().msg, MessageId(199));
        assert_eq!(p.log_start(), 0);
    }
}
