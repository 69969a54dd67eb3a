//! A partition: an append-only log of records, addressed by offset.
//!
//! Offsets only grow. The *log start offset* moves forward when retention deletes old records;
//! the *log end offset* is the offset the next append gets. Which records the group has consumed
//! is the group's business (its committed offsets), not the partition's.

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

/// Records a partition keeps in memory below the group's committed offset when retention is
/// unlimited. They are only there to be drawn; nothing reads them again in this model.
const KEEP_CONSUMED: u64 = 64;

#[derive(Clone, Debug)]
pub struct Partition {
    id: PartitionId,
    /// Offset of `records[0]`.
    mem_base: u64,
    records: VecDeque<LogRecord>,
    log_start: u64,
}

impl Partition {
    pub fn new(id: PartitionId) -> Self {
        Partition { id, mem_base: 0, records: VecDeque::new(), log_start: 0 }
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

    /// Appends a record; returns its offset.
    pub fn append(&mut self, record: LogRecord) -> u64 {
        let offset = self.log_end();
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

    /// Deletes, oldest first, every record appended at or before `cutoff`, calling `on_delete`
    /// with each deleted record and its offset.
    pub fn expire(&mut self, cutoff: SimTime, mut on_delete: impl FnMut(u64, LogRecord)) {
        while let Some(front) = self.records.front() {
            if front.appended_at > cutoff {
                break;
            }
            let rec = self.records.pop_front().expect("front exists");
            let offset = self.mem_base;
            self.mem_base += 1;
            if offset >= self.log_start {
                self.log_start = offset + 1;
                on_delete(offset, rec);
            }
        }
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

    #[test]
    fn offsets_grow_and_retention_moves_the_start() {
        let mut p = Partition::new(PartitionId(0));
        assert_eq!(p.append(rec(0, 10)), 0);
        assert_eq!(p.append(rec(1, 20)), 1);
        assert_eq!(p.append(rec(2, 30)), 2);
        let mut deleted = vec![];
        p.expire(SimTime(20), |o, r| deleted.push((o, r.msg.0)));
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
            p.append(rec(i, i as u64));
        }
        p.trim_consumed(150);
        assert_eq!(p.log_end(), 200);
        assert_eq!(p.get(199).unwrap().msg, MessageId(199));
        assert_eq!(p.log_start(), 0);
    }
}
