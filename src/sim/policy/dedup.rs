//! The dedup store: processed message ids with a time to live, like a Redis `SETEX` per id.
//! A redelivery whose id is still present is skipped; one that arrives after the entry expired
//! is processed again, and the ledger counts the duplicate.
//!
//! Only a message still in flight can be delivered again, so the engine forgets the entry of a
//! message once it settles: the store holds O(in flight) entries however long the run, and
//! answers every question the model can ask exactly as a store that remembered forever would.

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct DedupStore {
    /// When each message id was marked.
    marked_at: BTreeMap<MessageId, SimTime>,
    /// Entries left after the last pruning.
    pruned_to: usize,
}

impl DedupStore {
    /// Whether `msg` is present (marked and, with a TTL, not yet expired) at `now`.
    pub fn contains(&self, msg: MessageId, now: SimTime, ttl: Option<SimDuration>) -> bool {
        match self.marked_at.get(&msg) {
            Some(&t) => ttl.is_none_or(|ttl| now < t + ttl),
            None => false,
        }
    }

    /// Records that `msg` was processed at `now`. `in_flight` tells which messages can still be
    /// delivered; the others' entries are dropped when the store has doubled since last time.
    pub fn mark(&mut self, msg: MessageId, now: SimTime, in_flight: impl Fn(MessageId) -> bool) {
        self.marked_at.insert(msg, now);
        if self.marked_at.len() > 2 * self.pruned_to + 1_024 {
            self.marked_at.retain(|&id, _| in_flight(id));
            self.pruned_to = self.marked_at.len();
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
        d.mark(MessageId(3), SimTime(100), |_| true);
        let ttl = Some(SimDuration::from_us(100));
        assert!(d.contains(MessageId(3), SimTime(150), ttl));
        assert!(!d.contains(MessageId(3), SimTime(200), ttl));
        assert!(d.contains(MessageId(3), SimTime(10_000), None));
        assert!(!d.contains(MessageId(4), SimTime(150), None));
    }

    #[test]
    fn settled_entries_are_pruned() {
        let mut d = DedupStore::default();
        for id in 0..5_000 {
            d.mark(MessageId(id), SimTime(id as u64), |m| m.0 >= 4_990);
        }
        assert!(d.len() < 2_100, "{} entries kept", d.len());
        assert!(d.contains(MessageId(4_999), SimTime(0), None));
    }
}
