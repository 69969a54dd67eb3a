//! The producer: arrivals, keys, partition choice, sending, acknowledgements and retries.
//!
//! A send can go wrong in two places: the request is lost on the way (nothing appended) or the
//! acknowledgement is lost on the way back (appended, but the producer cannot know). Either way
//! the producer times out and resends; in the second case the resend appends the message a second
//! time unless the producer is idempotent, in which case the broker recognises the producer id and
//! sequence number and acknowledges without appending.

use crate::sim::broker::log::partitioner::sticky::{ByBytes, ByTime};
use crate::sim::broker::log::partitioner::{Client, Profile};
use crate::sim::broker::log::Received;
use crate::sim::client::stats::ProducerStats;
use crate::sim::config::scenario::{Acks, Arrivals};
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, ProducerEvent};
use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::rng::{Rng, Stream};
use crate::sim::kernel::time::SimDuration;
use crate::sim::ledger::{LossReason, NO_KEY};

/// Where the producer's requests arrive: the broker, which says what it did with each.
pub trait Broker {
    fn receive(&mut self, msg: MessageId, ctx: &mut Ctx) -> Received;
}

impl<F: FnMut(MessageId, &mut Ctx) -> Received> Broker for F {
    fn receive(&mut self, msg: MessageId, ctx: &mut Ctx) -> Received {
        self(msg, ctx)
    }
}

/// A key whose partition is not computed yet.
const NOT_YET: PartitionId = PartitionId(u32::MAX);

#[derive(Clone, Debug)]
pub struct Producer {
    sent: u64,
    /// The sticky partition of keyless records: the Java client's, or librdkafka's.
    by_bytes: ByBytes,
    by_time: ByTime,
    /// Bumped when the rate changes, so the pending arrival of the old rate is ignored.
    token: u32,
    /// Partition of each key index, computed on first use ([`NOT_YET`] = not yet).
    key_partition: Vec<PartitionId>,
    arrivals: Rng,
    keys: Rng,
    network: Rng,
    stats: ProducerStats,
}

impl Producer {
    pub fn new(keys: u32, seed: u64) -> Self {
        Producer {
            sent: 0,
            by_bytes: ByBytes::default(),
            by_time: ByTime::default(),
            token: 0,
            key_partition: vec![NOT_YET; keys as usize],
            arrivals: Rng::for_stream(seed, Stream::Arrivals),
            keys: Rng::for_stream(seed, Stream::Keys),
            network: Rng::for_stream(seed, Stream::Network),
            stats: ProducerStats::default(),
        }
    }

    pub fn stats(&self) -> ProducerStats {
        self.stats
    }

    pub fn on_event(&mut self, event: ProducerEvent, broker: &mut impl Broker, ctx: &mut Ctx) {
        match event {
            ProducerEvent::Produce { token } => self.on_produce(token, broker, ctx),
            ProducerEvent::Append { msg, ack_lost, .. } => {
                // The request that was on the wire reaches the broker; the wire's hold ends here.
                self.broker_receive(msg, ack_lost, broker, ctx);
                ctx.release(msg, None);
            }
            ProducerEvent::AckArrive { msg } => ctx.release(msg, None),
            ProducerEvent::AckTimeout { msg, attempt } => self.on_ack_timeout(msg, attempt, broker, ctx),
            ProducerEvent::Resend { msg, attempt } => self.send(msg, attempt, broker, ctx),
        }
    }

    /// The rate changed: the pending arrival is retired and the next one drawn at the new rate.
    pub fn restart_arrivals(&mut self, ctx: &mut Ctx) {
        self.token += 1;
        self.schedule_next_arrival(ctx);
    }

    /// Schedules the next arrival from now, unless the producer is stopped or done.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn schedule_next_arrival(&mut self, ctx: &mut Ctx) {
        let mean_gap_us = ctx.knobs.mean_gap_us;
        if mean_gap_us <= 0.0 {
            return;
        }
        if ctx.settings.producer.max_messages.is_some_and(|max| self.sent >= max) {
            return;
        }
        let gap = match ctx.settings.producer.arrivals {
            Arrivals::Poisson => self.arrivals.exponential_us(mean_gap_us),
            Arrivals::Constant => (mean_gap_us + 0.5) as u64,
        };
        let token = self.token;
        ctx.after(SimDuration::from_us(gap), Event::Producer(ProducerEvent::Produce { token }));
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn on_produce(&mut self, token: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        if token != self.token {
            return; // an arrival scheduled under an earlier rate
        }
        let (key, partition) = self.choose_key_and_partition(ctx);
        let types = ctx.settings.producer.event_types.len() as u32;
        let event_type = if types > 1 { self.keys.below(types) as u8 } else { 0 };
        // One consumer group subscribes: one effect expected.
        let msg = ctx.ledger.create(ctx.now, key, event_type, partition.0, 1);
        ctx.step(msg, JournalKind::Produced { msg, key, partition, event_type });
        self.sent += 1;
        self.send(msg, 1, broker, ctx);
        self.schedule_next_arrival(ctx);
    }

    /// A key, and the partition the client's partitioner picks for it (`partitioner/`): the hash
    /// of the key for keyed messages, the client's sticky partition for keyless ones.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn choose_key_and_partition(&mut self, ctx: &Ctx) -> (u32, PartitionId) {
        let partitions = ctx.settings.topic.partitions;
        let p = &ctx.settings.producer;
        if p.keys.count == 0 {
            return (NO_KEY, PartitionId(self.sticky_partition(ctx)));
        }
        let key = if self.keys.chance(ctx.knobs.hot_key_p) { 0 } else { self.keys.below(p.keys.count) };
        let slot = &mut self.key_partition[key as usize];
        if *slot == NOT_YET {
            let profile = Profile { client: p.client, partitioner: p.partitioner };
            // Key names are never empty, so every client's partitioner hashes them.
            *slot = PartitionId(
                profile.key_partition(Some(key_name(key).as_bytes()), partitions).expect("keys are never empty"),
            );
        }
        (key, *slot)
    }

    /// The partition of a keyless message: the client's sticky partition, drawn from the key
    /// stream whenever it changes.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn sticky_partition(&mut self, ctx: &Ctx) -> u32 {
        let partitions = ctx.settings.topic.partitions;
        let p = &ctx.settings.producer;
        let keys = &mut self.keys;
        let next_partition = || keys.below(partitions);
        match p.client {
            Client::Java => self.by_bytes.place(p.record_bytes, p.batch_size, next_partition),
            Client::Librdkafka => self.by_time.place(ctx.now, SimDuration::from_ms(p.sticky_linger_ms), next_partition),
        }
    }

    /// Send attempt `attempt` (1-based) of `msg`. The producer's own hold on the message lasts
    /// until an acknowledgement arrives or it gives up.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn send(&mut self, msg: MessageId, attempt: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        let latency = ctx.knobs.latency;
        if ctx.settings.producer.acks == Acks::Zero {
            // Fire and forget: the producer lets go at once and never retries.
            if self.network.chance(ctx.knobs.request_loss_p) {
                ctx.note(JournalKind::RequestLost { msg });
                ctx.release(msg, Some(LossReason::AcksZeroDropped));
            } else {
                self.deliver_request(msg, attempt, false, broker, ctx);
                ctx.release(msg, None);
            }
            return;
        }
        let request_lost = self.network.chance(ctx.knobs.request_loss_p);
        let ack_lost = !request_lost && self.network.chance(ctx.knobs.ack_loss_p);
        // An acknowledgement slower than the timeout is as good as lost: the producer resends.
        let round_trip = latency.times(2);
        let acked = !request_lost && !ack_lost && round_trip < ctx.knobs.timeout;
        if request_lost {
            ctx.note(JournalKind::RequestLost { msg });
        } else {
            self.deliver_request(msg, attempt, ack_lost, broker, ctx);
        }
        if acked {
            if latency == SimDuration::ZERO {
                ctx.release(msg, None);
            } else {
                ctx.after(round_trip, Event::Producer(ProducerEvent::AckArrive { msg }));
            }
        } else {
            ctx.after(ctx.knobs.timeout, Event::Producer(ProducerEvent::AckTimeout { msg, attempt }));
        }
    }

    /// The request travels to the broker. On a zero-latency network the broker receives it at
    /// once, while the sender still holds the message; otherwise the request on the wire holds it
    /// until it arrives.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn deliver_request(
        &mut self,
        msg: MessageId,
        attempt: u32,
        ack_lost: bool,
        broker: &mut impl Broker,
        ctx: &mut Ctx,
    ) {
        if ctx.knobs.latency == SimDuration::ZERO {
            self.broker_receive(msg, ack_lost, broker, ctx);
        } else {
            ctx.ledger.hold(msg); // the request on the wire
            ctx.after(ctx.knobs.latency, Event::Producer(ProducerEvent::Append { msg, attempt, ack_lost }));
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn broker_receive(&mut self, msg: MessageId, ack_lost: bool, broker: &mut impl Broker, ctx: &mut Ctx) {
        match broker.receive(msg, ctx) {
            Received::Appended => {}
            Received::AppendedAgain => self.stats.duplicate_appends += 1,
            Received::DroppedDuplicate => self.stats.duplicate_appends_dropped += 1,
        }
        if ack_lost {
            ctx.note(JournalKind::AckLost { msg });
        }
    }

    fn on_ack_timeout(&mut self, msg: MessageId, attempt: u32, broker: &mut impl Broker, ctx: &mut Ctx) {
        if attempt <= ctx.settings.producer.retries {
            self.stats.producer_retries += 1;
            ctx.note(JournalKind::ProducerRetry { msg, attempt: attempt + 1 });
            let backoff = SimDuration::from_ms(ctx.settings.producer.retry_backoff_ms);
            if backoff == SimDuration::ZERO {
                self.send(msg, attempt + 1, broker, ctx);
            } else {
                ctx.after(backoff, Event::Producer(ProducerEvent::Resend { msg, attempt: attempt + 1 }));
            }
        } else {
            ctx.note(JournalKind::ProducerGaveUp { msg });
            ctx.release(msg, Some(LossReason::ProducerGaveUp));
        }
    }
}

/// The key name of key index `key`, as the producer writes it.
pub fn key_name(key: u32) -> String {
    format!("user_{key}")
}
