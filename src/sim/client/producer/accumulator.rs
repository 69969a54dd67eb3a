//! The producer's queues (the Java client's `RecordAccumulator`): one per partition, in the order
//! the records were produced, with the records waiting for a retry in front; each partition's
//! sequence numbers; and the table of requests sent and not yet done with.

use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::time::{SimDuration, SimTime};
use std::collections::VecDeque;

/// The sequence number of a record never sent.
pub const NO_SEQ: u32 = u32::MAX;

/// A record in a queue or on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rec {
    pub msg: MessageId,
    pub partition: PartitionId,
    /// The send attempt it is on (1-based), or will be on when next sent.
    pub attempt: u32,
    /// Its sequence number in its partition, from its first send on ([`NO_SEQ`] before).
    pub seq: u32,
    /// The partition's lowest unsettled sequence number when this request was sent.
    pub base: u32,
    /// Not to be sent before this time (a retry's backoff).
    pub due: SimTime,
    /// The broker refused it (out of sequence): it is to be sent again.
    pub refused: bool,
    /// When it was produced: its delivery timeout counts from here.
    pub created: SimTime,
}

/// A partition's sequence numbers: the next to give, and which of those given are settled for
/// the producer (acknowledged or given up), from the lowest unsettled one on.
#[derive(Clone, Debug, Default)]
struct Sequences {
    next: u32,
    low: u32,
    settled: VecDeque<bool>,
}

/// A request sent: its records, in the order the broker appends them.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub recs: Vec<Rec>,
    /// Events still to come for it (its arrival, its response or timeout).
    pub pending: u8,
    /// It counts against `max_in_flight` until it is answered or times out (not with acks=0).
    pub in_flight: bool,
    /// Sent with acks=0: the producer let go of its records then, whatever acks is by the time
    /// they arrive (a live change may come while the request is on the wire).
    pub acks_zero: bool,
    /// Sent by the idempotent producer: the broker checks its sequence numbers.
    pub idempotent: bool,
    /// Its acknowledgement will be lost on the way back.
    pub ack_lost: bool,
    /// When it was sent: an acks=all answer waiting for the followers times out from here.
    pub sent: SimTime,
}

#[derive(Clone, Debug, Default)]
pub struct Accumulator {
    queues: Vec<VecDeque<Rec>>,
    sequences: Vec<Sequences>,
    queued: usize,
    requests: Vec<Request>,
    free: Vec<u32>,
    /// Records whose delivery timeout passed in a queue, for the sender to give up on.
    expired: Vec<Rec>,
}

impl Accumulator {
    pub fn new(partitions: u32) -> Self {
        Accumulator {
            queues: vec![VecDeque::new(); partitions as usize],
            sequences: vec![Sequences::default(); partitions as usize],
            ..Accumulator::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.queued == 0
    }

    /// The topic grew to `partitions`: an empty queue and fresh sequence numbers for each new one
    /// (the idempotent producer numbers every partition from 0).
    pub fn grow(&mut self, partitions: u32) {
        self.queues.resize_with(partitions as usize, VecDeque::new);
        self.sequences.resize_with(partitions as usize, Sequences::default);
    }

    /// A new record, behind everything of its partition.
    pub fn push(&mut self, msg: MessageId, partition: PartitionId, now: SimTime) {
        let rec = Rec { msg, partition, attempt: 1, seq: NO_SEQ, base: 0, due: now, refused: false, created: now };
        self.queues[partition.index()].push_back(rec);
        self.queued += 1;
    }

    /// A record back for a retry: in front of its partition's new records, among the other retries
    /// in the order they were produced (the Java client's `insertInSequenceOrder`).
    pub fn requeue(&mut self, rec: Rec) {
        let q = &mut self.queues[rec.partition.index()];
        let at = q.iter().position(|r| r.seq == NO_SEQ || r.seq > rec.seq).unwrap_or(q.len());
        q.insert(at, Rec { refused: false, ..rec });
        self.queued += 1;
    }

    /// A new record that may go at once, nothing being queued: a request of its own (its slot).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn single(&mut self, msg: MessageId, partition: PartitionId, now: SimTime) -> u32 {
        debug_assert!(self.is_empty(), "records are queued: take_ready sends them in order");
        let slot = self.free_slot();
        let seqs = &mut self.sequences[partition.index()];
        let rec =
            Rec { msg, partition, attempt: 1, seq: seqs.next, base: seqs.low, due: now, refused: false, created: now };
        seqs.next += 1;
        seqs.settled.push_back(false);
        self.requests[slot as usize].recs.push(rec);
        slot
    }

    fn free_slot(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.requests.push(Request::default());
            (self.requests.len() - 1) as u32
        })
    }

    /// The records that may go now, into a new request (its slot), or `None`. A partition gives
    /// its records from the front while they are due; a retry waiting out its backoff holds back
    /// its partition (the Java client skips the partition), and so does, for the idempotent
    /// producer, a retry that is not the partition's lowest unsettled record (the Java client sends
    /// a retried batch only when it is the first in flight: `shouldStopDrainBatchesForPartition`).
    /// Records get their sequence number here, at their first send. A record at the front whose
    /// delivery timeout (`timeout`) has passed is set aside for [`Accumulator::take_expired`]
    /// instead, whether or not it is due, as the Java client's `RecordAccumulator.expiredBatches`
    /// does; with `expire_only` (the sender may not send now) nothing else is taken. Also returns
    /// when the sender should look again: the earliest held-back retry or delivery deadline at a
    /// front ([`SimTime::NEVER`] if none).
    pub fn take_ready(
        &mut self,
        now: SimTime,
        idempotent: bool,
        timeout: SimDuration,
        expire_only: bool,
    ) -> (Option<u32>, SimTime) {
        let slot = self.free_slot();
        let recs = &mut self.requests[slot as usize].recs;
        let mut wake = SimTime::NEVER;
        let expired_before = self.expired.len();
        for (q, seqs) in self.queues.iter_mut().zip(&mut self.sequences) {
            while let Some(head) = q.front() {
                let deadline = head.created + timeout;
                if now >= deadline {
                    self.expired.extend(q.pop_front());
                    continue;
                }
                if expire_only || head.due > now {
                    wake = wake.min(deadline).min(if head.due > now { head.due } else { SimTime::NEVER });
                    break;
                }
                if idempotent && head.seq != NO_SEQ && head.seq != seqs.low {
                    wake = wake.min(deadline);
                    break;
                }
                let mut rec = q.pop_front().expect("a head");
                if rec.seq == NO_SEQ {
                    rec.seq = seqs.next;
                    seqs.next += 1;
                    seqs.settled.push_back(false);
                }
                rec.base = seqs.low;
                recs.push(rec);
            }
        }
        self.queued -= recs.len() + (self.expired.len() - expired_before);
        if recs.is_empty() {
            self.free.push(slot);
            return (None, wake);
        }
        (Some(slot), wake)
    }

    /// The records whose delivery timeout passed while they waited (found by `take_ready`).
    pub fn take_expired(&mut self) -> Option<Vec<Rec>> {
        (!self.expired.is_empty()).then(|| std::mem::take(&mut self.expired))
    }

    /// Record `rec` is settled for the producer: acknowledged, given up on, or sent with acks=0.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn settle(&mut self, rec: &Rec) {
        let s = &mut self.sequences[rec.partition.index()];
        if let Some(flag) = rec.seq.checked_sub(s.low).and_then(|i| s.settled.get_mut(i as usize)) {
            *flag = true;
        }
        while s.settled.front() == Some(&true) {
            s.settled.pop_front();
            s.low += 1;
        }
    }

    pub fn request(&mut self, slot: u32) -> &mut Request {
        &mut self.requests[slot as usize]
    }

    /// Frees the slot if no event of its request is still to come.
    pub fn release_if_done(&mut self, slot: u32) {
        let r = &mut self.requests[slot as usize];
        if r.pending == 0 {
            r.recs.clear();
            self.free.push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREVER: SimDuration = SimDuration::from_ms(86_400_000);

    fn msgs(acc: &mut Accumulator, slot: u32) -> Vec<(u32, u32)> {
        acc.request(slot).recs.iter().map(|r| (r.msg.0, r.seq)).collect()
    }

    #[test]
    fn retries_go_first_in_order_and_hold_back_their_partition() {
        let mut acc = Accumulator::new(2);
        let p = PartitionId(0);
        for m in 0..3 {
            acc.push(MessageId(m), p, SimTime(0));
        }
        let (slot, _) = acc.take_ready(SimTime(0), false, FOREVER, false);
        let slot = slot.unwrap();
        assert_eq!(msgs(&mut acc, slot), vec![(0, 0), (1, 1), (2, 2)]);
        let sent = acc.request(slot).recs.clone();
        acc.request(slot).pending = 0;
        acc.release_if_done(slot);
        acc.push(MessageId(3), p, SimTime(0));
        acc.push(MessageId(4), PartitionId(1), SimTime(0));
        // 2 then 0 come back for a retry, due at 100: they go before 3, in order, and hold it.
        acc.requeue(Rec { attempt: 2, due: SimTime(100), ..sent[2] });
        acc.requeue(Rec { attempt: 2, due: SimTime(100), ..sent[0] });
        let (slot, wake) = acc.take_ready(SimTime(50), false, FOREVER, false);
        assert_eq!(wake, SimTime(100));
        assert_eq!(msgs(&mut acc, slot.unwrap()), vec![(4, 0)], "only the other partition goes");
        let (slot, _) = acc.take_ready(SimTime(100), false, FOREVER, false);
        assert_eq!(msgs(&mut acc, slot.unwrap()), vec![(0, 0), (2, 2), (3, 3)]);
        assert!(acc.is_empty());
    }

    #[test]
    fn an_idempotent_retry_waits_for_the_lowest_unsettled_record() {
        let mut acc = Accumulator::new(1);
        let p = PartitionId(0);
        acc.push(MessageId(0), p, SimTime(0));
        acc.push(MessageId(1), p, SimTime(0));
        let (a, _) = acc.take_ready(SimTime(0), true, FOREVER, false);
        let sent = acc.request(a.unwrap()).recs.clone();
        // Record 1 was refused and is back; record 0 is still unanswered: 1 must wait.
        acc.requeue(Rec { attempt: 2, ..sent[1] });
        assert_eq!(acc.take_ready(SimTime(0), true, FOREVER, false).0, None);
        assert!(acc.take_ready(SimTime(0), false, FOREVER, false).0.is_some(), "without idempotence it goes");
        acc.requeue(Rec { attempt: 2, ..sent[1] });
        acc.settle(&sent[0]);
        let (b, _) = acc.take_ready(SimTime(0), true, FOREVER, false);
        let b = b.unwrap();
        assert_eq!(acc.request(b).recs[0].base, 1, "record 0 is settled: the base moves past it");
    }
}
