//! The producer: arrivals, keys, partition choice, sending, acknowledgements and retries.
//!
//! A send can go wrong in two places: the request is lost on the way (nothing appended) or the
//! acknowledgement is lost on the way back (appended, but the producer cannot know). Either way
//! the producer times out and resends; in the second case the resend appends the message a second
//! time unless the producer is idempotent, in which case the broker recognises the producer id and
//! sequence number and acknowledges without appending.

use crate::sim::broker::log::partition::LogRecord;
use crate::sim::broker::log::partitioner::partition_for_key;
use crate::sim::config::scenario::{Acks, Arrivals, UnkeyedPartitioning};
use crate::sim::engine::Simulation;
use crate::sim::event::{AppendKind, Event, JournalKind, ProducerEvent};
use crate::sim::ledger::{LossReason, NO_KEY};

impl Simulation {
    pub(in crate::sim) fn on_producer_event(&mut self, event: ProducerEvent) {
        match event {
            ProducerEvent::Produce { token } => self.on_produce(token),
            ProducerEvent::Append { msg, attempt, ack_lost } => self.on_append(msg, attempt, ack_lost),
            ProducerEvent::AckArrive { msg } => self.release(msg, None),
            ProducerEvent::AckTimeout { msg, attempt } => self.on_ack_timeout(msg, attempt),
            ProducerEvent::Resend { msg, attempt } => self.send(msg, attempt),
        }
    }

    /// Schedules the next arrival from now, unless the producer is stopped or done.
    pub(in crate::sim) fn schedule_next_arrival(&mut self) {
        if self.knobs.mean_gap_us <= 0.0 {
            return;
        }
        if let Some(max) = self.scenario.producer.max_messages {
            if self.producer.sent >= max {
                return;
            }
        }
        let gap = match self.scenario.producer.arrivals {
            Arrivals::Poisson => self.rng.arrivals.exponential_us(self.knobs.mean_gap_us),
            Arrivals::Constant => (self.knobs.mean_gap_us + 0.5) as u64,
        };
        let token = self.producer.token;
        self.scheduler.schedule(self.now.plus_us(gap), Event::Producer(ProducerEvent::Produce { token }));
    }

    pub(in crate::sim) fn on_produce(&mut self, token: u32) {
        if token != self.producer.token {
            return; // an arrival scheduled under an earlier rate
        }
        let (key, partition) = self.choose_key_and_partition();
        let types = self.scenario.producer.event_types.len() as u32;
        let event_type = if types > 1 { self.rng.keys.below(types) as u8 } else { 0 };
        let msg = self.ledger.create(self.now, key, event_type, partition);
        self.producer.sent += 1;
        self.send(msg, 1);
        self.schedule_next_arrival();
    }

    fn choose_key_and_partition(&mut self) -> (u32, u32) {
        let partitions = self.partitions.len() as u32;
        let keys = self.scenario.producer.keys.count;
        if keys == 0 {
            let p = match self.scenario.producer.unkeyed {
                UnkeyedPartitioning::RoundRobin => {
                    let p = self.producer.round_robin % partitions;
                    self.producer.round_robin = self.producer.round_robin.wrapping_add(1);
                    p
                }
                UnkeyedPartitioning::Random => self.rng.keys.below(partitions),
            };
            return (NO_KEY, p);
        }
        let key = if self.rng.keys.chance(self.knobs.hot_key_p) { 0 } else { self.rng.keys.below(keys) };
        let slot = &mut self.key_partition[key as usize];
        if *slot == u32::MAX {
            *slot = partition_for_key(&Simulation::key_name(key), partitions);
        }
        (key, *slot)
    }

    /// Send attempt `attempt` (1-based) of `msg`. The producer's own hold on the message lasts
    /// until an acknowledgement arrives or it gives up.
    pub(in crate::sim) fn send(&mut self, msg: u32, attempt: u32) {
        let latency = self.knobs.latency_us;
        if self.scenario.producer.acks == Acks::Zero {
            // Fire and forget: the producer lets go at once and never retries.
            if self.rng.network.chance(self.knobs.request_loss_p) {
                self.note(JournalKind::RequestLost { msg });
                self.release(msg, Some(LossReason::AcksZeroDropped));
            } else {
                self.deliver_request(msg, attempt, false, latency);
                self.release(msg, None);
            }
            return;
        }
        let request_lost = self.rng.network.chance(self.knobs.request_loss_p);
        let ack_lost = !request_lost && self.rng.network.chance(self.knobs.ack_loss_p);
        // An acknowledgement slower than the timeout is as good as lost: the producer resends.
        let acked = !request_lost && !ack_lost && latency.saturating_mul(2) < self.knobs.timeout_us;
        if request_lost {
            self.note(JournalKind::RequestLost { msg });
        } else {
            self.deliver_request(msg, attempt, ack_lost, latency);
        }
        if acked {
            if latency == 0 {
                self.release(msg, None);
            } else {
                self.scheduler
                    .schedule(self.now.plus_us(2 * latency), Event::Producer(ProducerEvent::AckArrive { msg }));
            }
        } else {
            self.scheduler.schedule(
                self.now.plus_us(self.knobs.timeout_us),
                Event::Producer(ProducerEvent::AckTimeout { msg, attempt }),
            );
        }
    }

    /// The request travels to the broker. On a zero-latency network the broker receives it at
    /// once, while the sender still holds the message; otherwise the request on the wire holds it
    /// until it arrives.
    fn deliver_request(&mut self, msg: u32, attempt: u32, ack_lost: bool, latency: u64) {
        if latency == 0 {
            self.broker_receive(msg, ack_lost);
        } else {
            self.ledger.hold(msg); // the request on the wire
            self.scheduler
                .schedule(self.now.plus_us(latency), Event::Producer(ProducerEvent::Append { msg, attempt, ack_lost }));
        }
    }

    /// A request that was on the wire reaches the broker; the wire's hold ends here.
    pub(in crate::sim) fn on_append(&mut self, msg: u32, _attempt: u32, ack_lost: bool) {
        self.broker_receive(msg, ack_lost);
        self.release(msg, None);
    }

    /// The broker receives a produce request: append, or drop a retried duplicate when the
    /// producer is idempotent.
    fn broker_receive(&mut self, msg: u32, ack_lost: bool) {
        let already = self.ledger.mark_appended(msg);
        let partition = self.ledger.live(msg).partition;
        if already && self.scenario.producer.idempotent {
            self.stats.producer.duplicate_appends_dropped += 1;
            self.note(JournalKind::DuplicateAppendDropped { msg, partition });
        } else {
            let offset = self.partitions[partition as usize].append(LogRecord { msg, retry: 0, appended_at: self.now });
            self.ledger.hold(msg); // the record in the log, until the group commits past it
            let append = if already {
                self.stats.producer.duplicate_appends += 1;
                AppendKind::ProducerDuplicate
            } else {
                AppendKind::First
            };
            self.note(JournalKind::Appended { msg, partition, offset, append });
            self.wake_owner(partition);
        }
        if ack_lost {
            self.note(JournalKind::AckLost { msg });
        }
    }

    pub(in crate::sim) fn on_ack_timeout(&mut self, msg: u32, attempt: u32) {
        if attempt <= self.scenario.producer.retries {
            self.stats.producer.producer_retries += 1;
            self.note(JournalKind::ProducerRetry { msg, attempt: attempt + 1 });
            let backoff = self.scenario.producer.retry_backoff_ms * 1_000;
            if backoff == 0 {
                self.send(msg, attempt + 1);
            } else {
                self.scheduler.schedule(
                    self.now.plus_us(backoff),
                    Event::Producer(ProducerEvent::Resend { msg, attempt: attempt + 1 }),
                );
            }
        } else {
            self.note(JournalKind::ProducerGaveUp { msg });
            self.release(msg, Some(LossReason::ProducerGaveUp));
        }
    }
}
