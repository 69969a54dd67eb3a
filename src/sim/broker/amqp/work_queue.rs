//! One queue with competing consumers behind the delivery seam: the shape the consumer pipeline
//! will run on when a scenario uses the queue broker (not wired into the engine yet; the tests
//! drive the pipeline on it directly). RabbitMQ's rules for a consumer with manual
//! acknowledgements: a delivery goes to a consumer that asks while it holds fewer than `prefetch`
//! unacknowledged deliveries (`basic.qos`); an acknowledgement removes the message for good; when
//! a consumer's connection dies, its unacknowledged deliveries go back to the queue at their
//! original places, marked redelivered; a message failed for a retry is published again at the
//! tail. There is no rebalance: a consumer that (re)joins takes work at once.
//!
//! Memory is bounded by what is in the queue and in the consumers' hands: each consumer keeps
//! only how its latest acknowledgement was made, which is all a crash needs to know.

use crate::sim::broker::delivery::{Delivery, DeliverySource, DeliveryTag, FetchError, Joined, Membership, Redelivery};
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, GroupEvent};
use crate::sim::ids::{ConsumerId, MessageId};
use std::collections::{BTreeMap, VecDeque};

/// A message waiting in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ready {
    /// Its place in the queue's order: a returned delivery goes back to it.
    seq: u64,
    msg: MessageId,
    retry: u32,
    redelivered: bool,
}

/// A delivery awaiting its acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Unacked {
    consumer: ConsumerId,
    ready: Ready,
}

/// One queue and its competing consumers.
#[derive(Clone, Debug, Default)]
pub struct WorkQueue {
    ready: VecDeque<Ready>,
    unacked: BTreeMap<u64, Unacked>,
    /// Per consumer: the tag of its latest acknowledged delivery and how it was acknowledged.
    last_ack: Vec<Option<(u64, Redelivery)>>,
    next_tag: u64,
    next_seq: u64,
    prefetch: usize,
    /// Where the search for an idle consumer to wake starts (round robin).
    next_wake: usize,
    redelivered: u64,
    most_unacked: usize,
}

impl WorkQueue {
    /// A queue for `consumers` consumers, each holding at most `prefetch` (at least 1)
    /// unacknowledged deliveries.
    pub fn new(consumers: u32, prefetch: u32) -> Self {
        WorkQueue {
            last_ack: vec![None; consumers as usize],
            next_tag: 1,
            prefetch: prefetch.max(1) as usize,
            ..WorkQueue::default()
        }
    }

    fn unacked_of(&self, consumer: ConsumerId) -> usize {
        self.unacked.values().filter(|u| u.consumer == consumer).count()
    }

    fn push(&mut self, msg: MessageId, retry: u32) {
        self.ready.push_back(Ready { seq: self.next_seq, msg, retry, redelivered: false });
        self.next_seq += 1;
    }

    /// A consumer with free hands to wake, round robin; `None` when every one is busy (the next to
    /// finish will ask).
    fn idle_consumer(&mut self) -> Option<ConsumerId> {
        let n = self.last_ack.len();
        let found = (0..n).map(|i| (self.next_wake + i) % n).find(|&c| self.unacked_of(ConsumerId(c as u32)) == 0)?;
        self.next_wake = (found + 1) % n;
        Some(ConsumerId(found as u32))
    }

    /// The queue takes a published message and holds it until a consumer acknowledges it. Returns
    /// a consumer to wake.
    pub fn publish(&mut self, msg: MessageId, ctx: &mut Ctx) -> Option<ConsumerId> {
        ctx.ledger.hold(msg);
        self.push(msg, 0);
        self.idle_consumer()
    }

    /// Messages waiting, and deliveries awaiting acknowledgement.
    pub fn depth(&self) -> (usize, usize) {
        (self.ready.len(), self.unacked.len())
    }

    /// Deliveries returned to the queue by consumers that died holding them.
    pub fn redelivered(&self) -> u64 {
        self.redelivered
    }

    /// The most unacknowledged deliveries one consumer ever held.
    pub fn most_unacked(&self) -> usize {
        self.most_unacked
    }

    pub fn prefetch(&self) -> usize {
        self.prefetch
    }

    fn acked(&mut self, tag: u64, how: Redelivery, ctx: &mut Ctx) {
        if let Some(u) = self.unacked.remove(&tag) {
            self.last_ack[u.consumer.index()] = Some((tag, how));
            ctx.release(u.ready.msg, None);
        }
    }
}

impl DeliverySource for WorkQueue {
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        if self.unacked_of(consumer) >= self.prefetch {
            return Ok(None);
        }
        let Some(ready) = self.ready.pop_front() else { return Ok(None) };
        let tag = self.next_tag;
        self.next_tag += 1;
        self.unacked.insert(tag, Unacked { consumer, ready });
        self.most_unacked = self.most_unacked.max(self.unacked_of(consumer));
        ctx.ledger.note_delivery(ready.msg);
        Ok(Some(Delivery { msg: ready.msg, retry: ready.retry, tag: DeliveryTag { lane: 0, position: tag } }))
    }

    fn ack(&mut self, _consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        self.acked(delivery.tag.position, Redelivery::Acked, ctx);
    }

    /// `basic.ack` with `multiple`: everything delivered to `consumer` so far.
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool {
        let tags: Vec<u64> = self.unacked.iter().filter(|(_, u)| u.consumer == consumer).map(|(t, _)| *t).collect();
        for &t in &tags {
            self.acked(t, Redelivery::AckedWithDelivered, ctx);
        }
        !tags.is_empty()
    }

    fn redelivery(&self, delivery: &Delivery) -> Redelivery {
        let tag = delivery.tag.position;
        if self.unacked.contains_key(&tag) {
            return Redelivery::Again;
        }
        self.last_ack.iter().flatten().find(|(t, _)| *t == tag).map_or(Redelivery::Again, |(_, how)| *how)
    }

    /// A failed message is published again at the tail (a retry by re-publishing).
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        ctx.ledger.hold(msg);
        self.push(msg, retry);
        self.idle_consumer()
    }
}

impl Membership for WorkQueue {
    fn paused(&self) -> bool {
        false
    }

    fn rebalancing(&self) -> bool {
        false
    }

    fn is_member(&self, _consumer: ConsumerId) -> bool {
        true
    }

    /// A queue has no assignment to redo: a consumer that (re)joins takes work at once.
    fn join(&mut self, consumer: ConsumerId, _static_member: bool, _ctx: &mut Ctx) -> Joined {
        if consumer.index() >= self.last_ack.len() {
            self.last_ack.resize(consumer.index() + 1, None);
        }
        Joined::TookOldPlace
    }

    fn leave(&mut self, _consumer: ConsumerId) {}

    /// A consumer whose connection dies returns its unacknowledged deliveries to the queue, each
    /// at its original place, marked redelivered.
    fn silent(&mut self, consumer: ConsumerId, _died: bool, _ctx: &mut Ctx) {
        let tags: Vec<u64> = self.unacked.iter().filter(|(_, u)| u.consumer == consumer).map(|(t, _)| *t).collect();
        for t in tags {
            let mut ready = self.unacked.remove(&t).expect("listed").ready;
            ready.redelivered = true;
            let at = self.ready.partition_point(|r| r.seq < ready.seq);
            self.ready.insert(at, ready);
            self.redelivered += 1;
        }
    }

    fn session_expired(&mut self, _consumer: ConsumerId, _session: u32, _ctx: &mut Ctx) -> bool {
        false
    }

    fn begin_rebalance(&mut self, _ctx: &mut Ctx) -> bool {
        false
    }

    /// Nothing to wait for: the "rebalance" completes at once.
    fn try_complete(&mut self, _rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        ctx.after(Default::default(), Event::Group(GroupEvent::RebalanceDone { generation: 0 }));
    }

    fn rebalance_timed_out(
        &mut self,
        _generation: u32,
        _rejoined: &dyn Fn(ConsumerId) -> bool,
        _static_members: bool,
        _ctx: &mut Ctx,
    ) -> Vec<ConsumerId> {
        Vec::new()
    }

    fn complete(&mut self, _generation: u32, _ctx: &mut Ctx) -> bool {
        true
    }

    fn follow_up(&mut self) -> bool {
        false
    }
}
