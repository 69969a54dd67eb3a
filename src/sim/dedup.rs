//! The dedup store: processed message ids with a time to live, like a Redis `SETEX` per id.
//! A redelivery whose id is still present is skipped; one that arrives after the entry expired
//! is processed again, and the ledger counts the duplicate.

use super::time::SimTime;

#[derive(Clone, Debug, Default)]
pub struct DedupStore {
    /// Time each message id was marked, indexed by message (`NEVER` = not marked).
    marked_at: Vec<SimTime>,
}

impl DedupStore {
    /// Whether `msg` is present (marked and, with a TTL, not yet expired) at `now`.
    pub fn contains(&self, msg: u32, now: SimTime, ttl_us: Option<u64>) -> bool {
        match self.marked_at.get(msg as usize) {
            Some(&t) if t != SimTime::NEVER => ttl_us.is_none_or(|ttl| now < t.plus_us(ttl)),
            _ => false,
        }
    }

    /// Records that `msg` was processed at `now`.
    pub fn mark(&mut self, msg: u32, now: SimTime) {
        let i = msg as usize;
        if self.marked_at.len() <= i {
            self.marked_at.resize(i + 1, SimTime::NEVER);
        }
        self.marked_at[i] = now;
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
    }
}
