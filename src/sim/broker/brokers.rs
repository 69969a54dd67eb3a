//! The brokers a run has, behind one delivery seam: the Kafka-like log always (its views stay
//! valid on every run), and the RabbitMQ-like work queues when the scenario's broker is the queue
//! (one, or one per subscriber with publish-subscribe), in which case the producer publishes to
//! the queues and each subscriber's consumers read from theirs. With both brokers, the first
//! subscribers are consumer groups of the log and the rest read queues; the producer's one write
//! goes to both. One type with a branch per call keeps one copy of the consumer pipeline in the
//! page's bundle.

use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::broker::delivery::{
    committed_past, Delivery, DeliverySource, FetchError, Joined, Membership, Redelivery,
};
use crate::sim::broker::log::{LogBroker, Received, Sequence};
use crate::sim::broker::routes::{Route, Routes};
use crate::sim::config::queue::ExchangeKind;
use crate::sim::ctx::Ctx;
use crate::sim::event::JournalKind;
use crate::sim::ids::PartitionId;
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::ledger::LossReason;

#[derive(Clone, Debug)]
pub struct Brokers {
    pub log: LogBroker,
    /// The queues the consumers read from instead of the log, if the scenario's broker is the
    /// queue: one, or one per subscriber behind a fanout exchange (publish-subscribe). With both
    /// brokers, one per subscriber from `first_queue` on.
    pub queues: Vec<WorkQueue>,
    /// The subscriber that reads `queues[0]`: those before it are consumer groups of the log.
    first_queue: usize,
    /// Where the exchange in front of the queues sends each event type.
    routes: Routes,
}

/// One subscriber's view of the brokers: its queue, or (the only subscriber on a log) the log. The
/// pipeline of subscriber `k` consumes through it.
pub struct Subscribed<'a> {
    brokers: &'a mut Brokers,
    k: usize,
}

/// Calls `$method` on the subscriber's queue if there is one, else on its group's reader of the
/// log.
macro_rules! either {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self.brokers.queue_mut($self.k) {
            Some(q) => q.$method($($arg),*),
            None => $self.brokers.log.reader($self.k as u8).$method($($arg),*),
        }
    };
}

/// [`either!`] for `&self` methods: on the log, the subscriber's group answers.
macro_rules! either_ref {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self.brokers.queue($self.k) {
            Some(q) => q.$method($($arg),*),
            None => $self.brokers.log.groups()[$self.k].$method($($arg),*),
        }
    };
}

impl Brokers {
    /// The log, and the queues subscribers `first_queue`… read (none: every subscriber reads
    /// the log).
    pub fn new(log: LogBroker, queues: Vec<WorkQueue>, first_queue: usize, routes: Routes) -> Self {
        Brokers { log, queues, first_queue, routes }
    }

    /// Whether the consumers read from queues (the scenario's broker is the queue).
    #[inline]
    pub fn is_queue(&self) -> bool {
        self.first_queue == 0 && !self.queues.is_empty()
    }

    /// Subscriber `k`'s queue, if it reads one.
    #[inline]
    pub fn queue(&self, k: usize) -> Option<&WorkQueue> {
        self.queues.get(k.wrapping_sub(self.first_queue))
    }

    /// [`Brokers::queue`], to change.
    #[inline]
    pub fn queue_mut(&mut self, k: usize) -> Option<&mut WorkQueue> {
        self.queues.get_mut(k.wrapping_sub(self.first_queue))
    }

    /// Each queue and the pipeline of the subscriber that reads it.
    pub fn queues_with<'a, P>(
        &'a mut self,
        pipelines: &'a mut [P],
    ) -> impl Iterator<Item = (&'a mut WorkQueue, &'a mut P)> {
        let from = self.first_queue.min(pipelines.len());
        self.queues.iter_mut().zip(&mut pipelines[from..])
    }

    /// Subscriber `k`'s view, for its pipeline.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn of(&mut self, k: u8) -> Subscribed<'_> {
        Subscribed { brokers: self, k: k as usize }
    }

    /// The producer's request for `msg` reaches the broker: appended to the log (see
    /// `LogBroker::receive`) or published to the queues, one copy each (the fanout exchange
    /// routes to every bound queue; the default exchange to the one queue). Returns what happened
    /// and the partition of the log it was appended to, whose owners may have work (on queues,
    /// any idle consumer may: [`Brokers::woken`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> (Received, Option<PartitionId>) {
        if self.queues.is_empty() {
            return self.log.receive(msg, seq, ctx);
        }
        if self.first_queue > 0 {
            return self.receive_both(msg, seq, ctx);
        }
        let again = ctx.ledger.mark_appended(msg);
        let bound = bound_queues(&self.routes, msg, self.queues.len(), ctx);
        if !again && ctx.settings.queue.exchange != ExchangeKind::Fanout {
            ctx.ledger.route_to(msg, bound.count_ones() as u8);
        }
        if bound == 0 {
            unroutable(msg, ctx);
        }
        // One queue refusing its copy (full, reject-publish) makes the publisher's confirm a
        // nack, though the others took theirs.
        let mut rejected = false;
        for (k, q) in self.queues.iter_mut().enumerate() {
            if bound & (1 << k) != 0 {
                rejected |= !q.take_copy(msg, again, ctx);
            }
        }
        let received = match (rejected, again) {
            (true, _) => Received::Rejected,
            (false, true) => Received::AppendedAgain,
            (false, false) => Received::Appended,
        };
        (received, None)
    }

    /// Both brokers: the write goes to the log and, once the log took it, to the fanout exchange,
    /// whose queues declared by the time the message was produced take a copy each (a queue
    /// declared later never sees it: `Scenario::reaches`). No queue refuses a copy: a full one
    /// drops its head (`queue.overflow` must be drop-head while both run).
    #[cold]
    fn receive_both(
        &mut self,
        msg: MessageId,
        seq: Option<Sequence>,
        ctx: &mut Ctx,
    ) -> (Received, Option<PartitionId>) {
        let (received, partition) = self.log.receive(msg, seq, ctx);
        let again = match received {
            Received::Appended => false,
            Received::AppendedAgain => true,
            _ => return (received, partition),
        };
        let produced_ms = ctx.ledger.live(msg).produced_at.as_us() / 1_000;
        for q in &mut self.queues {
            if ctx.settings.reaches(q.index(), produced_ms) {
                let taken = q.take_copy(msg, again, ctx);
                debug_assert!(taken, "a drop-head queue takes every copy");
            }
        }
        (received, partition)
    }

    /// The consumer of subscriber `k` that may have work after a message was appended to
    /// `partition` of the log: its group's owner of it (on queues, none in particular).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn woken(&self, k: u8, partition: Option<PartitionId>) -> Option<ConsumerId> {
        if self.queue(k as usize).is_some() {
            return None;
        }
        partition.and_then(|p| self.log.owner(k, p))
    }
}

/// Which subscribers' queues the exchange routes `msg` to (bit `k` for subscriber `k`): every one
/// behind a fanout; behind a direct, topic or headers exchange, those whose binding matches the
/// message's routing key (its event type) or headers (its event type's), or if none does, those
/// bound to its alternate exchange (`routes.rs`). A queue declared after the message was produced
/// (`subscribers[i].starts_at_ms`) is not bound yet.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn bound_queues(routes: &Routes, msg: MessageId, queues: usize, ctx: &mut Ctx) -> u64 {
    let all = (1u64 << queues) - 1;
    let s = ctx.settings;
    if s.subscribers.is_empty() {
        return all;
    }
    let record = ctx.ledger.live(msg);
    let produced_ms = record.produced_at.as_us() / 1_000;
    let declared = (0..queues as u8).filter(|&k| s.reaches(k, produced_ms)).fold(0, |mask, k| mask | 1 << k);
    match routes.of_message(record.event_type, declared) {
        Route::Bound(queues) => queues,
        Route::Alternate(0) => 0,
        Route::Alternate(queues) => {
            ctx.note(JournalKind::ToAlternate { msg });
            queues
        }
    }
}

/// No queue's binding matched `msg`: RabbitMQ drops it and still confirms it to the publisher, or,
/// published with `mandatory`, returns it (`basic.return`, then the confirm). Lost either way:
/// nothing will deliver it.
#[cold]
fn unroutable(msg: MessageId, ctx: &mut Ctx) {
    let mandatory = ctx.settings.queue.mandatory;
    ctx.note(JournalKind::Unroutable { msg, returned: mandatory });
    let reason = if mandatory { LossReason::ReturnedUnroutable } else { LossReason::Unroutable };
    // The reason, on a hold that ends at once: the publisher still holds the message.
    ctx.ledger.hold(msg);
    ctx.release(msg, Some(reason));
}

impl DeliverySource for Subscribed<'_> {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError> {
        either!(self.next_delivery(consumer, ctx))
    }
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn ack(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        either!(self.ack(consumer, delivery, ctx))
    }
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool {
        either!(self.ack_delivered(consumer, ctx))
    }
    fn redelivery(&self, delivery: &Delivery) -> Redelivery {
        match self.brokers.queue(self.k) {
            Some(q) => q.redelivery(delivery),
            None => self.brokers.log.groups()[self.k].redelivery(delivery.tag.lane as usize, delivery.tag.position),
        }
    }
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn any_consumer(&self) -> bool {
        self.brokers.queue(self.k).is_some()
    }
    fn loss_reason(&self, how: Redelivery) -> Option<LossReason> {
        match self.brokers.queue(self.k) {
            Some(q) => q.loss_reason(how),
            None => committed_past(how),
        }
    }
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        either!(self.requeue(msg, retry, ctx))
    }
    fn redrive(&mut self, msg: MessageId, route: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        either!(self.redrive(msg, route, ctx))
    }
    fn nack_requeue(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        either!(self.nack_requeue(consumer, delivery, ctx))
    }
}

impl Membership for Subscribed<'_> {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn paused(&self) -> bool {
        either_ref!(self.paused())
    }
    fn polls(&self) -> bool {
        self.brokers.queue(self.k).is_none_or(|q| q.polls())
    }
    fn rebalancing(&self) -> bool {
        match self.brokers.queue(self.k) {
            Some(q) => q.rebalancing(),
            None => !self.brokers.log.groups()[self.k].is_stable(),
        }
    }
    fn is_member(&self, consumer: ConsumerId) -> bool {
        either_ref!(self.is_member(consumer))
    }
    fn join(&mut self, consumer: ConsumerId, static_member: bool, ctx: &mut Ctx) -> Joined {
        either!(self.join(consumer, static_member, ctx))
    }
    fn leave(&mut self, consumer: ConsumerId) {
        either!(self.leave(consumer))
    }
    fn silent(&mut self, consumer: ConsumerId, died: bool, ctx: &mut Ctx) {
        either!(self.silent(consumer, died, ctx))
    }
    fn session_expired(&mut self, consumer: ConsumerId, session: u32, ctx: &mut Ctx) -> bool {
        either!(self.session_expired(consumer, session, ctx))
    }
    fn begin_rebalance(&mut self, ctx: &mut Ctx) -> bool {
        either!(self.begin_rebalance(ctx))
    }
    fn try_complete(&mut self, rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx) {
        either!(self.try_complete(rejoined, ctx))
    }
    fn rebalance_timed_out(
        &mut self,
        generation: u32,
        rejoined: &dyn Fn(ConsumerId) -> bool,
        static_members: bool,
        ctx: &mut Ctx,
    ) -> Vec<ConsumerId> {
        either!(self.rebalance_timed_out(generation, rejoined, static_members, ctx))
    }
    fn complete(&mut self, generation: u32, ctx: &mut Ctx) -> bool {
        either!(self.complete(generation, ctx))
    }
    fn follow_up(&mut self) -> bool {
        either!(self.follow_up())
    }
}
