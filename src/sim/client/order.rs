//! The order in which a consumer group applies the records of one key, across a partition change.
//!
//! A key's records stay in order within one partition. When the topic grows, a key may hash to
//! another partition: its records produced before the change are in the old partition, the ones
//! after in the new, and nothing orders the two, so a consumer of the new partition can apply a
//! later record of the key before another consumer (or the same one, round-robin over its
//! partitions) applies an earlier one. This counts exactly that: records whose effect is applied
//! (for the first time) after the effect of a record of the same key produced later, when a
//! partition change that moved the key lies between the two.
//!
//! Counting every per-key reordering at the consumer would cost a lookup on every effect of the hot
//! path; this costs one test of an empty list until a partition change, and afterwards one lookup
//! per effect (message ids grow in the order the producer creates messages, so "produced later" is
//! a comparison of ids). Reorderings of other causes (a producer's resend, a re-appended retry) are
//! not counted here: the producer counts its own (`order_violations`).

use crate::sim::ids::MessageId;

/// The partition changes so far and, per key, which of them moved it and the newest record whose
/// effect was applied since the first change.
#[derive(Clone, Debug, Default)]
pub struct KeyOrder {
    /// The first message id produced after each change (at most 63 changes: a topic has at most
    /// 64 partitions and each change adds at least one).
    changes: Vec<MessageId>,
    /// Per key, a bit per change that moved it (empty until the first change).
    moved: Vec<u64>,
    /// Per key, the newest message id whose effect was applied since the first change.
    newest: Vec<MessageId>,
}

impl KeyOrder {
    /// Whether any partition change happened (the hot path asks only this).
    #[inline]
    pub fn watching(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The source now routes `keys` (indices below `key_count`) elsewhere than before (a partition
    /// change, for the log); `next` is the first message produced after the change.
    pub fn keys_moved(&mut self, keys: &[u32], key_count: u32, next: MessageId) {
        let bit = self.changes.len();
        assert!(bit < 64, "a topic grows at most 63 times");
        self.changes.push(next);
        self.moved.resize(key_count as usize, 0);
        self.newest.resize(key_count as usize, MessageId(0));
        for &k in keys {
            self.moved[k as usize] |= 1 << bit;
        }
    }

    /// `msg` of key `key` had its effect applied for the first time. Returns the later record of
    /// its key applied before it, when a change that moved the key lies between the two.
    pub fn applied(&mut self, key: u32, msg: MessageId) -> Option<MessageId> {
        let newest = self.newest.get_mut(key as usize)?; // keyless: no order to keep
        if msg >= *newest {
            *newest = msg;
            return None;
        }
        let after = *newest;
        let moved = self.moved[key as usize];
        let crossed = self.changes.iter().enumerate().any(|(i, &c)| moved >> i & 1 == 1 && msg < c && c <= after);
        crossed.then_some(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_reorderings_across_a_change_that_moved_the_key() {
        let mut o = KeyOrder::default();
        assert!(!o.watching());
        // Key 0 moved by the change before message 10; key 1 not moved.
        o.keys_moved(&[0], 2, MessageId(10));
        assert!(o.watching());
        assert_eq!(o.applied(0, MessageId(12)), None);
        assert_eq!(o.applied(0, MessageId(8)), Some(MessageId(12)), "old partition after the new one");
        assert_eq!(o.applied(0, MessageId(11)), None, "both after the change: one partition");
        assert_eq!(o.applied(1, MessageId(12)), None);
        assert_eq!(o.applied(1, MessageId(8)), None, "key 1 stayed in its partition");
        assert_eq!(o.applied(u32::MAX, MessageId(1)), None, "no key");
        // A second change that does not move key 0: the first still lies between 5 and 20.
        o.keys_moved(&[1], 2, MessageId(15));
        assert_eq!(o.applied(0, MessageId(20)), None);
        assert_eq!(o.applied(0, MessageId(5)), Some(MessageId(20)));
    }
}
