//! The dedup store: processed message ids with a time to live, like a Redis `SETEX` per id.
//! A redelivery whose id is still present is skipped; one that arrives after the entry expired
//! is processed again, and the ledger counts the duplicate.
//!
//! Only a message still in flight can be delivered again, so the engine forgets the entry of a
//! message once it settles: the store holds O(in flight) entries however long the run, and
//! answers every question the model can ask exactly as a store that remembered forever would.

use crate::sim::kernel::time::SimTime;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct DedupStore {
    /// When each message id was marked.
    marked_at: BTreeMap<u32, SimTime>,
}

impl DedupStore {
    /// Whether `msg` is present (marked and, with a TTL, not yet expired) at `now`.
    pub fn contains(&self, msg: u32, now: SimTime, ttl_us: Option<u64>) -> bool {
        match self.marked_at.get(&msg) {
            Some(&t) => ttl_us.is_none_or(|ttl| now < t.plus_us(ttl)),
            None => false,
        }
    }

    /// Records that `msg` was processed at `now`.
    pub fn mark(&mut self, msg: u32, now: SimTime) {
        self.marked_at.insert(msg, now);
    }

    /// `msg` settled: nothing can deliver it again, so its entry can never be asked for.
    #[inline]
    pub fn forget(&mut self, msg: u32) {
        if !self.marked_at.is_empty() {
            self.marked_at.remove(&msg);
        }
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.marked_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.marked_at.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_ttl() {
        let mut d = DedupStore::default();
        d.mark(3, SimTime(100));
        assert!(d.contains(3, SimTime(150), Some(100)));
        assert!(!d.contains(3, SimTime(200), Some(100)));
        assert!(d.contains(3, SimTime(10_000), None));
        assert!(!d.contains(4, SimTime(150), None));
        d.forget(3);
        assert!(!d.contains(3, SimTime(150), None));
        assert!(d.is_empty());
    }
}
