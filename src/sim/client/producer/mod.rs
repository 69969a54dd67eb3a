//! The producer: arrivals, keys, partition choice, and the sender (`sender.rs`): requests,
//! acknowledgements, retries and the order records reach the log in.
//!
//! A send can go wrong in two places: the request is lost on the way (nothing appended) or the
//! acknowledgement is lost on the way back (appended, but the producer cannot know). Either way
//! the producer times out and resends; in the second case the resend appends the message a second
//! time unless the producer is idempotent, in which case the broker recognises the producer id and
//! sequence number and acknowledges without appending.

mod accumulator;
pub mod outbox;
mod sender;

use crate::sim::broker::log::partitioner::sticky::{ByBytes, ByTime};
use crate::sim::broker::log::partitioner::{Client, Profile};
use crate::sim::broker::log::{AckState, Received, Sequence};
use crate::sim::client::stats::ProducerStats;
use crate::sim::config::outbox::Publish;
use crate::sim::config::scenario::{Acks, Arrivals};
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, ProducerEvent};
use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::rng::Probability;
use crate::sim::kernel::rng::{Rng, Stream};
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::ledger::LossReason;
use crate::sim::ledger::NO_KEY;
use crate::sim::patterns::sourcing::service::Writing;
use accumulator::Accumulator;
use outbox::Outbox;
use std::fmt::Write as _;

/// Where the producer's requests arrive: the broker, which says what it did with each record
/// (the idempotent producer's carry their sequence numbers).
pub trait Broker {
    fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> Received;
    /// Whether the write of `msg` is answered yet (acks=all, with followers to wait for).
    fn ack_state(&mut self, _msg: MessageId, _ctx: &mut Ctx) -> AckState {
        AckState::Committed
    }
}

impl<F: FnMut(MessageId, Option<Sequence>, &mut Ctx) -> Received> Broker for F {
    fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> Received {
        self(msg, seq, ctx)
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
    /// The newest message of each key index appended so far (first appends only).
    newest_appended: Vec<MessageId>,
    /// Records waiting to be sent, their sequence numbers, and the requests sent.
    queues: Accumulator,
    /// Requests sent and not yet answered or timed out (acks=0 requests never count).
    in_flight: u32,
    /// When the pending `Drain` wakes the sender ([`SimTime::NEVER`]: none pending).
    wake_at: SimTime,
    arrivals: Rng,
    keys: Rng,
    network: Rng,
    stats: ProducerStats,
    /// The service's outbox and relay, or its dual write (`outbox.rs`).
    outbox: Outbox,
}

impl Producer {
    pub fn new(keys: u32, partitions: u32, seed: u64) -> Self {
        Producer {
            sent: 0,
            by_bytes: ByBytes::default(),
            by_time: ByTime::default(),
            token: 0,
            key_partition: vec![NOT_YET; keys as usize],
            newest_appended: vec![MessageId(0); keys as usize],
            queues: Accumulator::new(partitions),
            in_flight: 0,
            wake_at: SimTime::NEVER,
            arrivals: Rng::for_stream(seed, Stream::Arrivals),
            keys: Rng::for_stream(seed, Stream::Keys),
            network: Rng::for_stream(seed, Stream::Network),
            stats: ProducerStats::default(),
            outbox: Outbox::new(seed),
        }
    }

    pub fn stats(&self) -> ProducerStats {
        self.stats
    }

    /// The service's outbox (or dual write).
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn on_event(&mut self, event: ProducerEvent, broker: &mut impl Broker, ctx: &mut Ctx) {
        match event {
            ProducerEvent::Produce { token } => self.on_produce(token, broker, ctx),
            ProducerEvent::Append { slot } => self.on_append(slot, broker, ctx),
            ProducerEvent::Response { slot } | ProducerEvent::Timeout { slot } => {
                self.queues.request(slot).pending -= 1;
                let answer = matches!(event, ProducerEvent::Response { .. });
                if answer && sender::waits_for_replicas(ctx) && !self.replicated(slot, broker, ctx) {
                    // The followers have not copied it all yet: ask again after their next fetch.
                    self.queues.request(slot).pending += 1;
                    let fetch = SimDuration::from_ms(ctx.settings.replication.fetch_ms);
                    ctx.after(fetch, Event::Producer(event));
                    return;
                }
                self.complete(slot, matches!(event, ProducerEvent::Response { .. }), ctx);
                self.queues.release_if_done(slot);
                self.drain(broker, ctx);
            }
            ProducerEvent::RelayPoll => self.on_relay_poll(broker, ctx),
            ProducerEvent::Drain => {
                if ctx.now >= self.wake_at {
                    self.wake_at = SimTime::NEVER;
                }
                self.drain(broker, ctx);
            }
        }
    }

    /// The topic grew from `from` to `to` partitions. The producer sees the new count at once: a
    /// simplification, as a Kafka client learns it at its next metadata refresh (at the latest
    /// after `metadata.max.age.ms`, 5 minutes by default). From now on keyed records go by the
    /// client's hash over the new count, and keyless ones to a sticky partition drawn over all of
    /// them at its next switch. Records already queued keep their partition, as batches already
    /// in a partition's queue do. Returns the indices of the keys whose partition changed.
    pub fn add_partitions(&mut self, from: u32, to: u32, ctx: &Ctx) -> Vec<u32> {
        self.queues.grow(to);
        self.key_partition.fill(NOT_YET);
        let p = &ctx.settings.producer;
        let profile = Profile { client: p.client, partitioner: p.partitioner };
        let mut name = String::new();
        (0..p.keys.count)
            .filter(|&key| {
                name.clear();
                let _ = write!(name, "user_{key}"); // `key_name`, without a String per key
                let hash = profile.key_hash(Some(name.as_bytes())).expect("key names are never empty");
                hash % from != hash % to
            })
            .collect()
    }

    /// A setting the sender obeys changed (`max_in_flight`, acks, idempotence): it looks at once
    /// for what it may send now.
    pub fn wake_sender(&mut self, ctx: &mut Ctx) {
        ctx.after(SimDuration::ZERO, Event::Producer(ProducerEvent::Drain));
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
        let (mut key, mut partition) = self.choose_key_and_partition(ctx);
        let mut event = None;
        if ctx.settings.sourcing.enabled {
            // The bank decides what the client's command appends (or refuses it: nothing to send).
            let Some((account, position)) = self.bank_write(key, ctx) else { return self.schedule_next_arrival(ctx) };
            if account != key {
                (key, partition) = (account, self.partition_of_key(account, ctx));
            }
            event = Some(position);
        } else if ctx.settings.shop.enabled {
            // The shop's write side decides what the command publishes (nothing when refused).
            let Some(position) = ctx.shop.write(key, ctx.settings.producer.keys.count, ctx.now.as_us()) else {
                return self.schedule_next_arrival(ctx);
            };
            event = Some(position);
        }
        let types = ctx.settings.producer.event_types.len() as u32;
        let event_type = if types > 1 { self.keys.below(types) as u8 } else { 0 };
        // One effect expected per subscriber (one consumer group, or each queue of a fanout),
        // except a queue not declared yet.
        let subscribers = ctx.settings.subscribers_at(ctx.now.as_us() / 1_000) as u8;
        let msg = ctx.ledger.create(ctx.now, key, event_type, partition.0, subscribers);
        if let Some(position) = event {
            if ctx.settings.shop.enabled {
                ctx.shop.published(msg, position);
            } else {
                ctx.sourcing.published(msg, position);
            }
        }
        if ctx.settings.schema.enabled {
            ctx.schemas.wrote(msg);
        }
        ctx.step(msg, JournalKind::Produced { msg, key, partition, event_type });
        self.sent += 1;
        if ctx.settings.outbox.mode != Publish::Direct && self.service_publish(msg, partition, ctx) {
            self.schedule_next_arrival(ctx);
            return;
        }
        let p = &ctx.settings.producer;
        if self.queues.is_empty() && (p.acks == Acks::Zero || self.in_flight < p.max_in_flight) {
            // Nothing waits before it and a request may go: it goes at once, on its own.
            let slot = self.queues.single(msg, partition, ctx.now);
            self.send(slot, broker, ctx);
        } else {
            self.queues.push(msg, partition, ctx.now);
        }
        self.drain(broker, ctx);
        self.schedule_next_arrival(ctx);
    }

    /// The service committed the state change behind `msg`. A dual write publishes it next,
    /// unless the service crashes first: the event is lost. With an outbox its row committed too,
    /// and the relay publishes it. True when the producer sends nothing now.
    #[inline(never)]
    fn service_publish(&mut self, msg: MessageId, partition: PartitionId, ctx: &mut Ctx) -> bool {
        let o = &ctx.settings.outbox;
        if o.mode == Publish::DualWrite {
            if !self.outbox.crash(Probability::from_f64(o.crash_probability)) {
                return false;
            }
            self.outbox.stats.dual_write_lost += 1;
            ctx.note(JournalKind::DualWriteLost { msg });
            ctx.release(msg, Some(LossReason::DualWrite));
            return true;
        }
        self.outbox.insert(msg, partition); // the row holds the message (its creation's hold)
        self.start_relay(ctx);
        true
    }

    fn start_relay(&mut self, ctx: &mut Ctx) {
        if !self.outbox.polling {
            self.outbox.polling = true;
            let every = SimDuration::from_ms(ctx.settings.outbox.relay_interval_ms);
            ctx.after(every, Event::Producer(ProducerEvent::RelayPoll));
        }
    }

    /// The relay's poll: it marks sent what the broker acknowledged (unless it crashes first), and
    /// publishes every row not yet published.
    fn on_relay_poll(&mut self, broker: &mut impl Broker, ctx: &mut Ctx) {
        self.outbox.polling = false;
        let p = Probability::from_f64(ctx.settings.outbox.crash_probability);
        let acked = self.outbox.acked_count();
        let crashed = acked > 0 && self.outbox.crash(p);
        if crashed {
            self.outbox.stats.relay_crashes += 1;
            ctx.note(JournalKind::RelayCrashed { rows: acked });
        }
        for msg in self.outbox.mark(crashed) {
            ctx.release(msg, None); // its row is gone
        }
        for (msg, partition) in self.outbox.take_pending() {
            ctx.ledger.hold(msg); // the publish's hold, as a producer's send
            self.queues.push(msg, partition, ctx.now);
        }
        self.drain(broker, ctx);
        if self.outbox.rows() > 0 {
            self.start_relay(ctx);
        }
    }

    /// A key, and the partition the client's partitioner picks for it (`partitioner/`): the hash
    /// of the key for keyed messages, the client's sticky partition for keyless ones.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn choose_key_and_partition(&mut self, ctx: &Ctx) -> (u32, PartitionId) {
        let p = &ctx.settings.producer;
        if p.keys.count == 0 {
            return (NO_KEY, PartitionId(self.sticky_partition(ctx)));
        }
        let key = if self.keys.chance(ctx.knobs.hot_key_p) { 0 } else { self.keys.below(p.keys.count) };
        (key, self.partition_of_key(key, ctx))
    }

    /// The event-sourced bank's write side for a client arrival on account `key`: the account and
    /// store position of the event appended, if one was.
    #[inline(never)]
    fn bank_write(&mut self, key: u32, ctx: &mut Ctx) -> Option<(u32, u64)> {
        let s = &ctx.settings;
        let how = Writing {
            v1: ctx.now.as_us() < s.sourcing.v1_until_ms.saturating_mul(1_000),
            resend: Probability::from_f64(s.sourcing.resend_probability),
            handle_us: s.sourcing.handle_ms.saturating_mul(1_000),
            version_check: s.sourcing.version_check,
        };
        ctx.sourcing.write(key, s.producer.keys.count, ctx.now.as_us(), how)
    }

    /// The partition of key index `key`, computed on first use.
    fn partition_of_key(&mut self, key: u32, ctx: &Ctx) -> PartitionId {
        let slot = &mut self.key_partition[key as usize];
        if *slot == NOT_YET {
            *slot = key_partition(key, ctx).expect("keys are never empty");
        }
        *slot
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
}

/// The partition the client's partitioner gives a record of key index `key` on the topic as it is
/// now, or `None` for [`NO_KEY`] (the client's sticky partitioner picks one).
pub fn key_partition(key: u32, ctx: &Ctx) -> Option<PartitionId> {
    if key == NO_KEY {
        return None;
    }
    let p = &ctx.settings.producer;
    let profile = Profile { client: p.client, partitioner: p.partitioner };
    // Key names are never empty, so every client's partitioner hashes them.
    profile.key_partition(Some(key_name(key).as_bytes()), ctx.settings.topic.partitions).map(PartitionId)
}

/// The key name of key index `key`, as the producer writes it.
pub fn key_name(key: u32) -> String {
    format!("user_{key}")
}
