//! One queue with competing consumers behind the delivery seam: what the consumer pipeline runs
//! on when a scenario's broker is the queue (`broker: "queue"`). RabbitMQ's rules for a consumer with manual
//! acknowledgements: a delivery goes to a consumer that asks while it holds fewer than `prefetch`
//! unacknowledged deliveries (`basic.qos`); an acknowledgement removes the message for good; when
//! a consumer's connection dies, its unacknowledged deliveries go back to the queue at their
//! original places, marked redelivered; a message failed for a retry is published again at the
//! tail. There is no rebalance: a consumer that (re)joins takes work at once.
//!
//! Memory is bounded by what is in the queue and in the consumers' hands: each consumer keeps
//! only how its latest acknowledgement was made, which is all a crash needs to know.

use crate::sim::broker::delivery::{Delivery, DeliverySource, DeliveryTag, FetchError, Joined, Membership, Redelivery};
use crate::sim::broker::log::Received;
use crate::sim::config::queue::Overflow;
use crate::sim::ctx::Ctx;
use crate::sim::event::{AppendKind, DropCause, Event, GroupEvent, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::ledger::LossReason;
use std::collections::{BTreeMap, VecDeque};

mod expiry;
mod ready;
use ready::Ready;

/// A message the queue expired or dropped with a dead-letter exchange set: its entry for the
/// dead-letter queue, which the engine hands to the pipeline's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueDeadLetter {
    pub msg: MessageId,
    pub cause: DropCause,
    pub at: SimTime,
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
    /// Per consumer: how many unacknowledged deliveries it holds.
    held: Vec<u32>,
    next_tag: u64,
    next_seq: u64,
    prefetch: usize,
    redelivered: u64,
    most_unacked: usize,
    /// The latest expiry check scheduled, and when it is due.
    expiry_token: u32,
    expiry_due: Option<SimTime>,
    /// Messages expired or dropped for the dead-letter queue, until the engine takes them.
    dead_letters: Vec<QueueDeadLetter>,
    expired: u64,
    dropped: u64,
    rejected: u64,
    over_delivery_limit: u64,
    /// A quorum queue's returned messages, at the front of `ready`: delivered first.
    returned_first: usize,
    /// Which subscriber's queue it is (publish-subscribe: one queue per subscriber; 0 otherwise).
    index: u8,
}

impl WorkQueue {
    /// A queue for `consumers` consumers, each holding at most `prefetch` (at least 1)
    /// unacknowledged deliveries.
    pub fn new(consumers: u32, prefetch: u32) -> Self {
        WorkQueue {
            last_ack: vec![None; consumers as usize],
            held: vec![0; consumers as usize],
            next_tag: 1,
            prefetch: prefetch.max(1) as usize,
            ..WorkQueue::default()
        }
    }

    /// The queue of subscriber `k` (bound to the fanout exchange with publish-subscribe).
    pub fn for_subscriber(self, k: u8) -> Self {
        WorkQueue { index: k, ..self }
    }

    /// Which subscriber's queue it is.
    pub fn index(&self) -> u8 {
        self.index
    }

    fn unacked_of(&self, consumer: ConsumerId) -> usize {
        self.held[consumer.index()] as usize
    }

    /// `basic.qos` again: from now on a consumer is handed no more while it holds `prefetch`.
    pub fn set_prefetch(&mut self, prefetch: u32) {
        self.prefetch = prefetch.max(1) as usize;
    }

    /// The deliveries `consumer` holds unacknowledged, oldest first.
    fn tags_of(&self, consumer: ConsumerId) -> Vec<u64> {
        self.unacked.iter().filter(|(_, u)| u.consumer == consumer).map(|(t, _)| *t).collect()
    }

    /// Queues `msg` at the tail, published now, then applies the length limit and keeps the
    /// expiry check armed.
    fn push(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) {
        ctx.ledger.hold(msg);
        let (persistent, expiration) = (ctx.settings.queue.persistent, ctx.settings.queue.expiration_ms);
        let expires_at = expiration.map(|ms| ctx.now + SimDuration::from_ms(ms));
        let (seq, now) = (self.next_seq, ctx.now);
        let ready =
            Ready { seq, msg, retry, redelivered: false, published_at: now, persistent, expires_at, returns: 0 };
        self.ready.push_back(ready);
        self.next_seq += 1;
        self.limit_length(ctx);
        self.arm_expiry(ctx);
    }

    /// `x-max-length` with overflow drop-head: while more messages wait than the limit, the
    /// oldest goes (RabbitMQ counts ready messages only).
    fn limit_length(&mut self, ctx: &mut Ctx) {
        let Some(max) = ctx.settings.queue.max_length else { return };
        while self.ready.len() as u64 > max {
            let head = self.pop_head().expect("over a limit, something waits");
            self.drop_message(head.msg, DropCause::MaxLength, ctx);
        }
    }

    /// The queue lets go of `msg` for `cause`: to the dead-letter queue through the dead-letter
    /// exchange (its `x-death` reason: expired, maxlen), or lost without one.
    fn drop_message(&mut self, msg: MessageId, cause: DropCause, ctx: &mut Ctx) {
        let dead_lettered = ctx.settings.queue.dead_letter_exchange;
        match cause {
            DropCause::Expired => self.expired += 1,
            DropCause::MaxLength | DropCause::Rejected => self.dropped += 1,
            DropCause::DeliveryLimit => self.over_delivery_limit += 1,
        }
        ctx.note(JournalKind::QueueDropped { msg, queue: self.index, cause, dead_lettered });
        if dead_lettered {
            // A copy of a message already parked here (a publisher's resend) joins nothing new:
            // the message has its entry, which a redrive may take out before the engine parks this.
            if !ctx.ledger.get(msg).is_some_and(|m| m.parked_by(self.index)) {
                ctx.ledger.mark_dead_lettered(msg, self.index);
                self.dead_letters.push(QueueDeadLetter { msg, cause, at: ctx.now });
            }
            ctx.release(msg, None);
        } else {
            let reason = match cause {
                DropCause::Expired => LossReason::Expired,
                DropCause::MaxLength => LossReason::MaxLength,
                DropCause::Rejected => LossReason::RejectedByFullQueue,
                DropCause::DeliveryLimit => LossReason::DeliveryLimit,
            };
            ctx.release(msg, Some(reason));
        }
    }

    /// Takes the message at the head (a quorum queue's returned messages come first).
    fn pop_head(&mut self) -> Option<Ready> {
        let r = self.ready.pop_front()?;
        self.returned_first = self.returned_first.saturating_sub(1);
        Some(r)
    }

    /// A delivery comes back to the queue, flagged redelivered. A classic queue puts it at its
    /// place; a quorum queue (`queue.delivery_limit`) counts the return, lets it go past its limit
    /// (dead-lettered with reason `delivery_limit`, or dropped), and otherwise delivers it first,
    /// after the returns before it (RabbitMQ 3.10, seen on a server: `amqp/queue.rs`). False when
    /// it went past the limit.
    fn put_back(&mut self, mut r: Ready, ctx: &mut Ctx) -> bool {
        r.redelivered = true;
        self.redelivered += 1;
        let Some(limit) = ctx.settings.queue.delivery_limit else {
            let at = self.ready.partition_point(|q| q.seq < r.seq);
            self.ready.insert(at, r);
            return true;
        };
        r.returns += 1;
        if u64::from(r.returns) > limit {
            self.drop_message(r.msg, DropCause::DeliveryLimit, ctx);
            return false;
        }
        self.ready.insert(self.returned_first, r);
        self.returned_first += 1;
        true
    }

    /// Back at their places, returned messages count against the length limit and may be due to
    /// expire.
    fn after_returns(&mut self, ctx: &mut Ctx) {
        self.limit_length(ctx);
        self.expiry_due = None;
        self.arm_expiry(ctx);
    }

    /// The broker's node restarts: every connection closes, so each unacknowledged delivery goes
    /// back (`put_back`); then a non-durable queue loses every message and a durable one its
    /// transient messages (RabbitMQ 3.10's classic queues; a quorum queue stores every message).
    /// Returns how many went back and how many were lost.
    pub fn restart(&mut self, ctx: &mut Ctx) -> (u32, u32) {
        let requeued = self.unacked.len() as u32;
        for (_, u) in std::mem::take(&mut self.unacked) {
            self.put_back(u.ready, ctx);
        }
        self.held.iter_mut().for_each(|h| *h = 0);
        let (durable, quorum) = (ctx.settings.queue.durable, ctx.settings.queue.quorum());
        let mut lost = 0;
        let mut kept = VecDeque::with_capacity(self.ready.len());
        let returned = std::mem::take(&mut self.returned_first);
        for (i, r) in std::mem::take(&mut self.ready).into_iter().enumerate() {
            if durable && (r.persistent || quorum) {
                self.returned_first += usize::from(i < returned);
                kept.push_back(r);
                continue;
            }
            lost += 1;
            let reason = if durable { LossReason::TransientMessage } else { LossReason::QueueNotDurable };
            ctx.release(r.msg, Some(reason));
        }
        self.ready = kept;
        ctx.note(JournalKind::BrokerRestarted { queue: self.index, requeued, lost });
        self.after_returns(ctx);
        (requeued, lost)
    }

    /// The messages dead-lettered since the last call, for the dead-letter queue.
    pub fn take_dead_letters(&mut self) -> Vec<QueueDeadLetter> {
        std::mem::take(&mut self.dead_letters)
    }

    /// Whether messages wait to be taken by [`WorkQueue::take_dead_letters`].
    pub fn has_dead_letters(&self) -> bool {
        !self.dead_letters.is_empty()
    }

    /// Messages expired at the head, and dropped from the head of a full queue, so far.
    pub fn expired_and_dropped(&self) -> (u64, u64) {
        (self.expired, self.dropped)
    }

    /// A policy changed the TTL, the length limit or the delivery limit: apply them now. (A
    /// queue that is no longer a quorum one keeps no returns first: back in publish order.)
    pub fn policy_changed(&mut self, ctx: &mut Ctx) {
        if !ctx.settings.queue.quorum() && self.returned_first > 0 {
            self.returned_first = 0;
            self.ready.make_contiguous().sort_by_key(|r| r.seq);
        }
        self.limit_length(ctx);
        self.expiry_due = None;
        self.arm_expiry(ctx);
    }

    /// The queue takes a published message and holds it until a consumer acknowledges it. Any
    /// idle consumer may take it (`any_consumer`): the source names none.
    pub fn publish(&mut self, msg: MessageId, ctx: &mut Ctx) -> Option<ConsumerId> {
        self.receive(msg, ctx).1
    }

    /// The producer's publish of `msg` through the default exchange: queued, even when it is a
    /// resend of a message the queue already took (RabbitMQ keeps no publisher sequence: the
    /// copy is a duplicate). Returns what happened; any idle consumer may take it.
    pub fn receive(&mut self, msg: MessageId, ctx: &mut Ctx) -> (Received, Option<ConsumerId>) {
        let again = ctx.ledger.mark_appended(msg);
        let received = match self.take_copy(msg, again, ctx) {
            false => Received::Rejected,
            true if again => Received::AppendedAgain,
            true => Received::Appended,
        };
        (received, None)
    }

    /// Queues this queue's copy of a publish of `msg` (`again`: the broker took it before, so
    /// the copy is the publisher's duplicate). The fanout exchange hands each bound queue one.
    /// False when the queue refused it: full, under `x-overflow` reject-publish.
    pub fn take_copy(&mut self, msg: MessageId, again: bool, ctx: &mut Ctx) -> bool {
        if self.refuses(ctx) {
            self.reject(msg, ctx);
            return false;
        }
        let append = if again { AppendKind::ProducerDuplicate } else { AppendKind::First };
        ctx.note(JournalKind::Enqueued { msg, queue: self.index, append });
        self.push(msg, 0, ctx);
        true
    }

    /// Whether a message arriving now is refused: the queue is at its length limit under
    /// reject-publish (RabbitMQ 3.10's classic queue counts ready messages, expired ones gone
    /// first, and refuses while it holds `x-max-length` of them).
    fn refuses(&mut self, ctx: &mut Ctx) -> bool {
        let q = &ctx.settings.queue;
        let Some(max) = q.max_length.filter(|_| q.overflow != Overflow::DropHead) else { return false };
        self.expire_head(false, ctx);
        self.ready.len() as u64 >= max
    }

    /// A full queue refuses `msg`: dead-lettered (reason `maxlen`) under reject-publish-dlx with a
    /// dead-letter exchange, else not queued at all. The publisher's confirm is a nack (the
    /// producer's business); should nothing else ever deliver the message, it is lost for this.
    fn reject(&mut self, msg: MessageId, ctx: &mut Ctx) {
        self.rejected += 1;
        let q = &ctx.settings.queue;
        let dead_lettered = q.overflow == Overflow::RejectPublishDlx && q.dead_letter_exchange;
        ctx.note(JournalKind::QueueDropped { msg, queue: self.index, cause: DropCause::Rejected, dead_lettered });
        if !dead_lettered {
            // The reason, on a hold that ends at once: the publisher still holds the message.
            ctx.ledger.hold(msg);
            ctx.release(msg, Some(LossReason::RejectedByFullQueue));
        } else if !ctx.ledger.get(msg).is_some_and(|m| m.parked_by(self.index)) {
            ctx.ledger.mark_dead_lettered(msg, self.index);
            self.dead_letters.push(QueueDeadLetter { msg, cause: DropCause::Rejected, at: ctx.now });
        }
    }

    /// Messages that came back more times than the delivery limit allows, so far.
    pub fn over_delivery_limit(&self) -> u64 {
        self.over_delivery_limit
    }

    /// Publishes the full queue refused (`x-overflow` reject-publish), so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Messages waiting, and deliveries awaiting acknowledgement.
    pub fn depth(&self) -> (usize, usize) {
        (self.ready.len(), self.unacked.len())
    }

    /// The first `n` messages waiting, the next to be delivered first: each with whether it was
    /// delivered before (returned by a consumer that died holding it).
    pub fn head(&self, n: usize) -> impl Iterator<Item = (MessageId, bool)> + '_ {
        self.ready.iter().take(n).map(|r| (r.msg, r.redelivered))
    }

    /// Unacknowledged deliveries `consumer` holds now.
    pub fn held(&self, consumer: ConsumerId) -> u32 {
        self.held.get(consumer.index()).copied().unwrap_or(0)
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

    /// The delivery `tag` is acknowledged: the queue forgets it. The caller journals the ack, then
    /// releases the message (which may settle it: the settlement comes last in its journey).
    fn acked(&mut self, tag: u64, how: Redelivery) -> Option<MessageId> {
        let u = self.unacked.remove(&tag)?;
        self.last_ack[u.consumer.index()] = Some((tag, how));
        self.held[u.consumer.index()] -= 1;
        Some(u.ready.msg)
    }
}

impl DeliverySource for WorkQueue {
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        if self.unacked_of(consumer) >= self.prefetch {
            return Ok(None);
        }
        self.expire_head(false, ctx);
        let Some(ready) = self.pop_head() else { return Ok(None) };
        let tag = self.next_tag;
        self.next_tag += 1;
        self.unacked.insert(tag, Unacked { consumer, ready });
        self.held[consumer.index()] += 1;
        self.most_unacked = self.most_unacked.max(self.unacked_of(consumer));
        let (msg, redelivered) = (ready.msg, ready.redelivered);
        let delivery = ctx.ledger.note_delivery(msg);
        ctx.note(JournalKind::Delivered { msg, consumer, tag, delivery, redelivered });
        Ok(Some(Delivery {
            msg: ready.msg,
            retry: ready.retry,
            tag: DeliveryTag { lane: u32::from(self.index), position: tag },
        }))
    }

    fn ack(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        let tag = delivery.tag.position;
        if let Some(msg) = self.acked(tag, Redelivery::Acked) {
            ctx.step(msg, JournalKind::Acked { msg, consumer, tag, count: 1 });
            ctx.release(msg, None);
        }
    }

    /// `basic.ack` with `multiple`: everything delivered to `consumer` so far.
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool {
        let tags = self.tags_of(consumer);
        let acked: Vec<(MessageId, u64)> =
            tags.iter().filter_map(|&t| self.acked(t, Redelivery::AckedWithDelivered).map(|m| (m, t))).collect();
        if let Some(&(msg, tag)) = acked.last() {
            ctx.note(JournalKind::Acked { msg, consumer, tag, count: tags.len() as u32 });
        }
        for (msg, _) in acked {
            ctx.release(msg, None);
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

    fn any_consumer(&self) -> bool {
        true
    }

    fn loss_reason(&self, how: Redelivery) -> Option<LossReason> {
        match how {
            Redelivery::Again | Redelivery::Skipped => None,
            Redelivery::Acked => Some(LossReason::AckedBeforeProcessing),
            Redelivery::AckedWithDelivered => Some(LossReason::AckedWithEarlierBeforeProcessing),
        }
    }

    /// A failed message is published again at the tail (a retry by re-publishing).
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        ctx.note(JournalKind::Enqueued { msg, queue: self.index, append: AppendKind::Retry(retry) });
        self.push(msg, retry, ctx);
        None
    }

    /// `basic.nack` with requeue: the delivery goes back (`put_back`) to be delivered again, its
    /// retry count one higher.
    fn nack_requeue(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        let tag = delivery.tag.position;
        let Some(u) = self.unacked.remove(&tag) else { return };
        self.held[consumer.index()] -= 1;
        let (msg, quorum) = (u.ready.msg, ctx.settings.queue.quorum());
        let returns = u.ready.returns + u32::from(quorum);
        ctx.step(msg, JournalKind::Returned { msg, consumer, tag, returns });
        if self.put_back(Ready { retry: delivery.retry + 1, ..u.ready }, ctx) {
            self.after_returns(ctx);
        }
    }

    /// A dead letter published again: at the tail, its retries starting over.
    fn redrive(&mut self, msg: MessageId, _route: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        ctx.note(JournalKind::Enqueued { msg, queue: self.index, append: AppendKind::Redrive });
        self.push(msg, 0, ctx);
        None
    }
}

impl Membership for WorkQueue {
    fn paused(&self) -> bool {
        false
    }

    fn polls(&self) -> bool {
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
            self.held.resize(consumer.index() + 1, 0);
        }
        Joined::TookOldPlace
    }

    fn leave(&mut self, _consumer: ConsumerId) {}

    /// A consumer whose connection dies returns its unacknowledged deliveries to the queue, each
    /// at its original place, marked redelivered.
    fn silent(&mut self, consumer: ConsumerId, _died: bool, ctx: &mut Ctx) {
        let tags = self.tags_of(consumer);
        self.held[consumer.index()] = 0;
        if tags.is_empty() {
            return;
        }
        ctx.note(JournalKind::Requeued { consumer, count: tags.len() as u32 });
        for &t in &tags {
            let ready = self.unacked.remove(&t).expect("listed").ready;
            self.put_back(ready, ctx);
        }
        self.after_returns(ctx);
    }

    fn session_expired(&mut self, _consumer: ConsumerId, _session: u32, _ctx: &mut Ctx) -> bool {
        false
    }

    fn begin_rebalance(&mut self, _ctx: &mut Ctx) -> bool {
        false
    }

    /// Nothing to wait for: the "rebalance" completes at once. A queue has no generations; the
    /// event names the queue's subscriber, whose consumers it is for.
    fn try_complete(&mut self, _rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        let group = self.index;
        ctx.after(Default::default(), Event::Group(GroupEvent::RebalanceDone { generation: 0, group }));
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
