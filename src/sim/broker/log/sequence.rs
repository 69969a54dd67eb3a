//! The broker's state of the idempotent producer: the next sequence number it expects on each
//! partition (Kafka's `ProducerStateManager` for the one producer the simulation has).
//!
//! Kafka's broker appends a batch whose sequence follows the last one it appended, answers
//! `DUPLICATE_SEQUENCE` (a success, nothing appended) for one it already has, and refuses any other
//! with `OUT_OF_ORDER_SEQUENCE_NUMBER`: so a record whose predecessor was lost on the way is not
//! appended ahead of it, and the client resends it after (`TransactionManager.canRetry`). When the
//! client gives up on a record it bumps its epoch and numbers the rest of the partition afresh
//! (KIP-360); here the request carries the lowest sequence the producer still waits for (`base`),
//! and the broker skips to it, which has the same effect.

/// A record's place in its partition's sequence, as the idempotent producer sends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// The record's sequence number in its partition, given at its first send.
    pub seq: u32,
    /// The lowest sequence number of the partition the producer has neither seen acknowledged nor
    /// given up on, when it sent this request: everything before it is settled for the producer.
    pub base: u32,
}

/// What the broker does with an idempotent record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Append,
    /// Already in the log: acknowledged, not appended again.
    Duplicate,
    /// Not the next in its partition: refused, nothing appended.
    OutOfSequence,
}

/// The next expected sequence number per partition.
#[derive(Clone, Debug, Default)]
pub struct ProducerState {
    next: Vec<u32>,
}

impl ProducerState {
    pub fn new(partitions: u32) -> Self {
        ProducerState { next: vec![0; partitions as usize] }
    }

    /// The topic grew to `partitions`: each new one expects sequence number 0.
    pub fn grow(&mut self, partitions: u32) {
        self.next.resize(partitions as usize, 0);
    }

    /// A new leader of partition `p` did not have the record of sequence `seq` (nor any after
    /// it): the next record expected is that one again.
    pub fn roll_back(&mut self, p: usize, seq: u32) {
        self.next[p] = self.next[p].min(seq);
    }

    /// The verdict on record `s` of partition `p`; `appended` says whether the log has its message
    /// already (the broker's cache of the last five batches' sequences: enough, as at most five
    /// requests are in flight). A message the log has under an earlier sequence, sent again as a
    /// new record (an outbox relay publishing a row again), is a new record to the broker.
    pub fn check(&mut self, p: usize, s: Sequence, appended: bool) -> Verdict {
        let next = &mut self.next[p];
        *next = (*next).max(s.base);
        if appended && s.seq < *next {
            *next = (*next).max(s.seq.saturating_add(1));
            Verdict::Duplicate
        } else if s.seq == *next {
            *next += 1;
            Verdict::Append
        } else {
            Verdict::OutOfSequence
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_in_sequence_only() {
        let mut st = ProducerState::new(2);
        let s = |seq, base| Sequence { seq, base };
        assert_eq!(st.check(0, s(0, 0), false), Verdict::Append);
        // Record 1 was lost on the way: record 2 is refused until 1 is in.
        assert_eq!(st.check(0, s(2, 0), false), Verdict::OutOfSequence);
        assert_eq!(st.check(1, s(0, 0), false), Verdict::Append, "partitions are independent");
        assert_eq!(st.check(0, s(1, 1), false), Verdict::Append);
        assert_eq!(st.check(0, s(1, 1), true), Verdict::Duplicate);
        assert_eq!(st.check(0, s(2, 1), false), Verdict::Append);
        // The producer gave up on 3 (it never arrived): its base moves past it, 4 goes in.
        assert_eq!(st.check(0, s(4, 4), false), Verdict::Append);
        // 3 arrives late, after the producer gave up on it: refused, never appended.
        assert_eq!(st.check(0, s(3, 3), false), Verdict::OutOfSequence);
        // A message the log has, published again as a new record (an outbox relay after a
        // crash): a new sequence, so a new record to the broker, appended again.
        assert_eq!(st.check(0, s(5, 5), true), Verdict::Append);
        assert_eq!(st.check(0, s(5, 5), true), Verdict::Duplicate, "its own resend is still caught");
    }
}
