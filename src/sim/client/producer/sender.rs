//! The sender (the Java client's `Sender`): it takes every record that may go into one produce
//! request while fewer than `max_in_flight` requests are unanswered
//! (`max.in.flight.requests.per.connection`; one broker, so one connection: the limit is the
//! producer's), and acts on each answer or timeout.
//!
//! The order records reach the log in follows from that. A record whose request or acknowledgement
//! was lost goes back to the front of its partition's queue after its backoff, but requests sent
//! meanwhile may already have appended later records of its key: with more than one request in
//! flight and without idempotence the resend lands after them, as the clients document. With
//! `max_in_flight` = 1 nothing is sent while a request is unanswered, and a retry holds back its
//! partition, so a key's next record waits until the previous one is acknowledged or given up on
//! (the Java client's `guaranteeMessageOrder`). The idempotent producer keeps order with up to five
//! requests in flight (Kafka 1.0+): the broker refuses a record out of sequence
//! (`broker/log/sequence.rs`) and the producer resends it once the records before it are in.

use super::accumulator::Rec;
use super::{Broker, Producer};
use crate::sim::broker::log::{AckState, Received, Sequence};
use crate::sim::config::outbox::Publish;
use crate::sim::config::scenario::Acks;
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, ProducerEvent};
use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimDuration;
use crate::sim::ledger::LossReason;

impl Producer {
    /// Sends what may go, and schedules a wake-up for the earliest retry held back by its backoff.
    /// Requests with acks=0 are never answered, so they never count against `max_in_flight`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn drain(&mut self, broker: &mut impl Broker, ctx: &mut Ctx) {
        loop {
            let p = &ctx.settings.producer;
            if self.queues.is_empty() {
                return;
            }
            let blocked = p.acks != Acks::Zero && self.in_flight >= p.max_in_flight;
            let timeout = SimDuration::from_ms(p.delivery_timeout_ms());
            let (slot, wake) = self.queues.take_ready(ctx.now, ctx.settings.idempotent_producer(), timeout, blocked);
            if let Some(expired) = self.queues.take_expired() {
                expired.iter().for_each(|r| self.give_up(r, LossReason::DeliveryTimeout, ctx));
            }
            if wake < self.wake_at {
                self.wake_at = wake;
                ctx.scheduler.schedule(wake, Event::Producer(ProducerEvent::Drain));
            }
            match slot {
                Some(slot) => self.send(slot, broker, ctx),
                None => return,
            }
        }
    }

    /// Sends the request in `slot`. The network loses the request or its acknowledgement, or the
    /// acknowledgement is slower than the timeout, which is as good as lost: the producer times
    /// out. The producer's own hold on a record lasts until it is acknowledged or given up on.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn send(&mut self, slot: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        let p = &ctx.settings.producer;
        let (acks_zero, idempotent) = (p.acks == Acks::Zero, ctx.settings.idempotent_producer());
        let request_lost = self.network.chance(ctx.knobs.request_loss_p);
        let ack_lost = !acks_zero && !request_lost && self.network.chance(ctx.knobs.ack_loss_p);
        let round_trip = ctx.knobs.latency.times(2);
        let answered = !acks_zero && !request_lost && !ack_lost && round_trip < ctx.knobs.timeout;
        let req = self.queues.request(slot);
        (req.in_flight, req.acks_zero, req.idempotent, req.ack_lost) = (!acks_zero, acks_zero, idempotent, ack_lost);
        req.sent = ctx.now;
        self.in_flight += u32::from(!acks_zero);
        if request_lost {
            let recs = std::mem::take(&mut req.recs);
            recs.iter().for_each(|r| ctx.note(JournalKind::RequestLost { msg: r.msg }));
            self.queues.request(slot).recs = recs;
        } else {
            self.deliver(slot, broker, ctx);
        }
        if acks_zero {
            // Fire and forget: the producer lets go of every record at once and never retries.
            let recs = std::mem::take(&mut self.queues.request(slot).recs);
            for r in &recs {
                let reason = match (request_lost, r.refused) {
                    (true, _) => Some(LossReason::AcksZeroDropped),
                    (false, true) => Some(LossReason::AcksZeroNoLeader),
                    (false, false) => None,
                };
                ctx.release(r.msg, reason);
                self.queues.settle(r);
            }
            self.queues.request(slot).recs = recs;
        } else if answered && ctx.knobs.latency == SimDuration::ZERO && !waits_for_replicas(ctx) {
            self.complete(slot, true, ctx);
        } else {
            let (delay, event) = if answered {
                (round_trip, ProducerEvent::Response { slot })
            } else {
                (ctx.knobs.timeout, ProducerEvent::Timeout { slot })
            };
            self.queues.request(slot).pending += 1;
            ctx.after(delay, Event::Producer(event));
        }
        self.queues.release_if_done(slot);
    }

    /// The request travels to the broker. On a zero-latency network the broker receives it at
    /// once, while the sender still holds its records; otherwise the request on the wire holds them
    /// until it arrives.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn deliver(&mut self, slot: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        if ctx.knobs.latency == SimDuration::ZERO {
            self.arrive(slot, false, broker, ctx);
        } else {
            let req = self.queues.request(slot);
            req.recs.iter().for_each(|r| ctx.ledger.hold(r.msg)); // the request on the wire
            req.pending += 1;
            ctx.after(ctx.knobs.latency, Event::Producer(ProducerEvent::Append { slot }));
        }
    }

    /// The request in `slot` reaches the broker.
    pub(super) fn on_append(&mut self, slot: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        self.queues.request(slot).pending -= 1;
        self.arrive(slot, true, broker, ctx);
        self.queues.release_if_done(slot);
    }

    /// The broker takes the request's records in order; the wire's hold ends here.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn arrive(&mut self, slot: u32, on_wire: bool, broker: &mut impl Broker, ctx: &mut Ctx) {
        let req = self.queues.request(slot);
        let (idempotent, ack_lost, acks_zero) = (req.idempotent, req.ack_lost, req.acks_zero);
        let mut recs = std::mem::take(&mut req.recs);
        for r in &mut recs {
            let seq = idempotent.then_some(Sequence { seq: r.seq, base: r.base });
            let received = broker.receive(r.msg, seq, ctx);
            match received {
                Received::Appended => self.check_order(r.msg, ctx),
                Received::AppendedAgain => self.stats.duplicate_appends += 1,
                Received::DroppedDuplicate => self.stats.duplicate_appends_dropped += 1,
                Received::Refused => self.stats.out_of_sequence += 1,
                Received::Rejected => self.stats.publishes_rejected += 1,
                Received::NoLeader | Received::NotEnoughReplicas => self.stats.writes_refused += 1,
            }
            // A nack reaches only a publisher that waits for confirms: it publishes again.
            let nacked = received == Received::Rejected && !acks_zero;
            let no_replica = matches!(received, Received::NoLeader | Received::NotEnoughReplicas);
            r.refused = received == Received::Refused || nacked || no_replica;
            if ack_lost && !no_replica {
                ctx.note(JournalKind::AckLost { msg: r.msg });
            }
            if on_wire {
                // acks=0 let go of it when it was sent: nothing holds it now.
                let reason = (acks_zero && no_replica).then_some(LossReason::AcksZeroNoLeader);
                ctx.release(r.msg, reason);
            }
        }
        self.queues.request(slot).recs = recs;
    }

    /// `msg` is in the log for the first time: after a later record of its key, it is one order
    /// violation. (A duplicate copy is a duplicate append, not a reordering.)
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn check_order(&mut self, msg: MessageId, ctx: &mut Ctx) {
        if self.newest_appended.is_empty() {
            return; // no keys
        }
        let key = ctx.ledger.live(msg).key;
        let Some(newest) = self.newest_appended.get_mut(key as usize) else { return }; // no key
        if msg < *newest {
            self.stats.order_violations += 1;
            ctx.note(JournalKind::Reordered { msg, after: *newest });
        } else {
            *newest = msg;
        }
    }

    /// The request in `slot` is done with: answered (each record acknowledged, or refused and
    /// sent again) or timed out (each record sent again, or given up on).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn complete(&mut self, slot: u32, answered: bool, ctx: &mut Ctx) {
        let req = self.queues.request(slot);
        if std::mem::take(&mut req.in_flight) {
            self.in_flight -= 1;
        }
        let recs = std::mem::take(&mut req.recs);
        for r in &recs {
            if answered && !r.refused {
                ctx.release(r.msg, None);
                self.queues.settle(r);
                if ctx.settings.outbox.mode == Publish::Outbox {
                    self.outbox.acked(r.msg);
                }
            } else {
                self.retry_or_give_up(*r, ctx);
            }
        }
        self.queues.request(slot).recs = recs;
    }

    /// A record whose send failed goes back to its queue after the backoff, or is given up on:
    /// after its last retry (counted as the Java client counts a batch's attempts), or once its
    /// delivery timeout has passed (the Java client's `Sender.canRetry`). A retry whose backoff
    /// outlasts the timeout waits in its queue until the timeout, and is given up on then, as the
    /// Java client's `RecordAccumulator.expiredBatches` does. (A record in flight is given up on
    /// when its request times out or is answered; the Java client expires it at the deadline
    /// itself, at most one request timeout earlier.)
    #[inline(never)]
    fn retry_or_give_up(&mut self, rec: Rec, ctx: &mut Ctx) {
        let p = &ctx.settings.producer;
        let deadline = rec.created + SimDuration::from_ms(p.delivery_timeout_ms());
        if ctx.now >= deadline {
            self.give_up(&rec, LossReason::DeliveryTimeout, ctx);
        } else if rec.attempt > p.retries {
            self.give_up(&rec, LossReason::ProducerGaveUp, ctx);
        } else {
            self.stats.producer_retries += 1;
            ctx.note(JournalKind::ProducerRetry { msg: rec.msg, attempt: rec.attempt + 1 });
            let due = ctx.now + SimDuration::from_ms(p.retry_backoff_ms);
            self.queues.requeue(Rec { attempt: rec.attempt + 1, due, ..rec });
        }
    }

    /// The producer lets go of `rec` for good.
    fn give_up(&mut self, rec: &Rec, reason: LossReason, ctx: &mut Ctx) {
        ctx.note(match reason {
            LossReason::DeliveryTimeout => JournalKind::DeliveryTimedOut { msg: rec.msg },
            _ => JournalKind::ProducerGaveUp { msg: rec.msg },
        });
        ctx.release(rec.msg, Some(reason));
        self.queues.settle(rec);
        if ctx.settings.outbox.mode == Publish::Outbox {
            self.outbox.failed(rec.msg); // the row stays: the relay publishes it again
        }
    }
}

/// Whether an acks=all answer waits for the followers: with replicas to wait for.
pub(super) fn waits_for_replicas(ctx: &Ctx) -> bool {
    ctx.settings.producer.acks == Acks::All && ctx.settings.replication.factor > 1
}

impl Producer {
    /// The answer to the request in `slot` is due (acks=all, with followers): each record whose
    /// write failed meanwhile is marked to be resent; if some are still waiting for the followers
    /// and the request has not timed out, the answer waits one more fetch. True when the request
    /// can complete now.
    pub(super) fn replicated(&mut self, slot: u32, broker: &mut impl Broker, ctx: &mut Ctx) -> bool {
        let timed_out = ctx.now >= self.queues.request(slot).sent + ctx.knobs.timeout;
        let mut recs = std::mem::take(&mut self.queues.request(slot).recs);
        let mut waiting = false;
        for r in recs.iter_mut().filter(|r| !r.refused) {
            match broker.ack_state(r.msg, ctx) {
                AckState::Committed => {}
                AckState::NotYet if !timed_out => waiting = true,
                AckState::NotYet | AckState::Failed => r.refused = true,
            }
        }
        self.queues.request(slot).recs = recs;
        !waiting
    }
}
