//! Publish-subscribe: several subscribers of every message, each with its own consumers.
//!
//! On the queue broker the producer publishes to a fanout exchange bound to one queue per
//! subscriber (RabbitMQ's publish-subscribe: `exchange_declare(type=fanout)`, one
//! `queue_bind` per subscriber's queue). Every queue gets its own copy of each message, and each
//! subscriber's consumers compete for their queue only. A subscriber is a service of its own
//! (email, SMS, push): its own consumers, dedup store, dead-letter queue, retries, circuit breaker
//! and downstream API, all with the scenario's settings, except for how fast and how reliably its
//! handler works, which a subscriber may set for itself. The ledger expects one effect per
//! subscriber: a message took effect exactly once when every subscriber applied it once.
//!
//! On the log broker each subscriber is a consumer group of its own on the one topic (Kafka's
//! publish-subscribe: one `group.id` per service). Every group reads every record at its own pace
//! and commits its own offsets; the log keeps a record until retention deletes it, whoever has read
//! it. A message is appended once, so a retry or a redrive that appends it again would reach every
//! group: those are refused with several groups (`rules.rs`).
//!
//! Both brokers can run in one scenario (`subscribers[i].broker`): on the log broker, subscribers
//! listed after the consumer groups may read a queue of their own instead, bound to a fanout
//! exchange. The producer then writes each message to the topic and publishes it to the exchange
//! as one write (a simplification: two real clients would fail apart), so the same events reach
//! a log and queues, and a late subscriber shows the difference: a new group can replay the
//! topic, a new queue gets only what is produced from its start on.
//!
//! Without subscribers (the default) a run has one, which reads the scenario's settings.

use super::limits::{MAX_CONSUMERS, MAX_DELAY_MS, MAX_HEADERS, MAX_LONG_MS, MAX_SUBSCRIBERS};
use super::producer::header_refusal;
use super::queue::{BrokerKind, ExchangeKind, Overflow};
use super::scenario::{Scenario, ScenarioError};
use crate::sim::broker::amqp::headers::{table_text, valid_x_match, FieldTable};
use crate::sim::kernel::numfmt::Plain;
use serde::{Deserialize, Serialize};

/// One subscriber: a queue bound to the fanout exchange and the consumers that read it, or a
/// consumer group of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Subscriber {
    /// Its name, which is also its queue's (or its group's `group.id`): 1 to 24 of `a-z`, `0-9`,
    /// `-`, `_`.
    pub name: String,
    /// Its consumers (1 to 32); unset: `consumers.count`.
    pub consumers: Option<u32>,
    /// Mean processing time per attempt in milliseconds (1 ms to 1 day); unset:
    /// `processing.service.mean_ms`.
    pub mean_ms: Option<f64>,
    /// Probability that one attempt fails (0 to 1); unset: `processing.failure_probability`.
    pub failure_probability: Option<f64>,
    /// When its consumers start, in milliseconds from the start of the run (never the first
    /// subscriber's): until then a group does not exist, and the topic keeps what is produced
    /// meanwhile, for it to read as `consumers.auto_offset_reset` says; a queue is declared and
    /// bound then, and gets only what is produced from then on. Unset: at the start (and left out
    /// of the JSON, so scenarios written before it read and hash as they did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at_ms: Option<u64>,
    /// Its queue's binding key (`queue.exchange` direct) or pattern (topic), matched against each
    /// message's routing key, its event type. Unset with a fanout exchange, which ignores keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_key: Option<String>,
    /// Its queue's binding arguments (`queue.exchange` headers), matched against each message's
    /// headers (`producer.headers`): `{"x-match": "any", "region": "eu", "priority": null}`, where
    /// `x-match` is `all` (the default), `any`, `all-with-x` or `any-with-x`, and a null value asks
    /// only that the header be there. Unset with other exchanges, which route by key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_arguments: Option<FieldTable>,
    /// Its queue is bound to the exchange's alternate exchange (`alternate-exchange`, a fanout):
    /// it gets every message no binding of the direct or topic exchange matched, which would be
    /// unroutable otherwise. Such a subscriber needs no binding key of its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alternate: bool,
    /// What it reads: `queue` makes a subscriber of the log broker read a queue of its own, bound
    /// to a fanout exchange the producer also publishes to (both brokers in one scenario). Such
    /// subscribers come after the consumer groups. Unset: the scenario's `broker`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker: Option<BrokerKind>,
    /// A consumer group only: on each partition it gets with no committed offset, the group
    /// seeks to the first record produced at or after this time (ms from the start of the run),
    /// instead of applying `auto.offset.reset`, as an app does with `offsetsForTimes` and `seek`
    /// in its `onPartitionsAssigned`: a new group that replays from a point in time. The records
    /// before it are never read by the group (lost to it, reason `skipped_by_seek`). Unset: no
    /// seek.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seek_to_time_ms: Option<u64>,
}

impl Default for Subscriber {
    fn default() -> Self {
        Subscriber {
            name: "subscriber".into(),
            consumers: None,
            mean_ms: None,
            failure_probability: None,
            starts_at_ms: None,
            binding_key: None,
            binding_arguments: None,
            alternate: false,
            broker: None,
            seek_to_time_ms: None,
        }
    }
}

impl Scenario {
    /// Several subscribers read the log, or some read queues beside it: a message appended again
    /// would reach them all.
    pub fn shared_log(&self) -> bool {
        self.broker == BrokerKind::Log && self.subscribers.len() > 1
    }

    /// How many subscribers each message has (1 without publish-subscribe).
    pub fn subscriber_count(&self) -> usize {
        self.subscribers.len().max(1)
    }

    /// The time subscriber `k`'s group seeks to on a partition it gets with no committed offset.
    pub fn seek_to_time_ms(&self, k: u8) -> Option<u64> {
        self.subscribers.get(k as usize).and_then(|s| s.seek_to_time_ms)
    }

    /// Whether subscriber `k` reads a queue (its own `broker`, else the scenario's).
    pub fn reads_queue(&self, k: u8) -> bool {
        self.subscribers.get(k as usize).and_then(|s| s.broker).unwrap_or(self.broker) == BrokerKind::Queue
    }

    /// The first subscriber that reads a queue: every one from it on does (the subscriber count
    /// if none does).
    pub fn first_queue(&self) -> usize {
        (0..self.subscriber_count()).find(|&k| self.reads_queue(k as u8)).unwrap_or(self.subscriber_count())
    }

    /// Both brokers run: consumer groups read the log and, after them, subscribers read queues.
    pub fn both_brokers(&self) -> bool {
        self.broker == BrokerKind::Log && self.first_queue() < self.subscriber_count()
    }

    /// Whether a message produced at `at_ms` reaches subscriber `k`: a queue declared later gets
    /// only what is produced from its start on (a consumer group reads the whole topic).
    pub fn reaches(&self, k: u8, at_ms: u64) -> bool {
        !self.reads_queue(k) || self.starts_at_ms(k).is_none_or(|t| t <= at_ms)
    }

    /// How many subscribers a message produced at `at_ms` reaches before routing by key: all but
    /// the queues not yet declared.
    #[inline]
    pub fn subscribers_at(&self, at_ms: u64) -> usize {
        if self.subscribers.is_empty() {
            return 1;
        }
        (0..self.subscribers.len() as u8).filter(|&k| self.reaches(k, at_ms)).count()
    }

    /// The name of subscriber `k` (`None` without publish-subscribe).
    pub fn subscriber_name(&self, k: u8) -> Option<&str> {
        self.subscribers.get(k as usize).map(|s| s.name.as_str())
    }

    /// When subscriber `k`'s consumers start, if later than the run (`starts_at_ms`).
    pub fn starts_at_ms(&self, k: u8) -> Option<u64> {
        self.subscribers.get(k as usize).and_then(|s| s.starts_at_ms).filter(|&t| t > 0)
    }

    /// Why subscriber `k` cannot start at `t` ms.
    fn late_start_refusal(&self, k: usize, t: u64) -> Option<String> {
        if k == 0 && t > 0 {
            return Some(
                "the first subscriber starts with the run (its consumers are the ones the group controls act on); \
                 let a later one start after it"
                    .into(),
            );
        }
        (t > MAX_LONG_MS).then(|| format!("must be at most {MAX_LONG_MS} (got {t})"))
    }

    /// Whether the subscribers' queues sit behind an exchange that routes by key (or headers).
    fn routes_by_key(&self) -> bool {
        self.broker == BrokerKind::Queue && self.queue.exchange != ExchangeKind::Fanout
    }

    /// Why subscriber `k` cannot read `broker`: the first subscriber reads the scenario's broker,
    /// queue readers come after the consumer groups (they are numbered after them), and a queue
    /// broker has no log to read.
    fn broker_refusal(&self, k: usize, broker: BrokerKind) -> Option<String> {
        let queue = broker == BrokerKind::Queue;
        if self.broker == BrokerKind::Queue && !queue {
            return Some(
                "log needs a log: set broker to log, list the consumer groups first and give the queue readers \
                 broker queue"
                    .into(),
            );
        }
        if k == 0 && queue && self.broker == BrokerKind::Log {
            return Some(
                "the first subscriber reads the scenario's broker (log): list the consumer groups first, or set \
                 broker to queue"
                    .into(),
            );
        }
        (!queue && self.first_queue() < k)
            .then(|| "must be queue: the subscribers reading a queue come after every consumer group of the log".into())
    }

    /// Why a subscriber's binding key cannot be `key` under the scenario's exchange (`alternate`:
    /// its queue is bound to the alternate exchange, so it needs none).
    fn binding_refusal(&self, key: Option<&str>, alternate: bool) -> Option<String> {
        let headers = self.queue.exchange == ExchangeKind::Headers;
        let routes = self.routes_by_key() && !headers;
        match key {
            None if routes && !alternate => Some(format!(
                "is needed with a {} exchange: the routing keys (event types) it takes, as a key or a pattern",
                self.queue.exchange.name()
            )),
            Some(_) if headers => Some(
                "a headers exchange ignores routing keys: bind with binding_arguments (matched against the \
                 messages' headers, producer.headers)"
                    .into(),
            ),
            Some(_) if !routes => Some(
                "applies to a direct or topic exchange on the queue broker (queue.exchange); a fanout ignores keys"
                    .into(),
            ),
            // AMQP's shortstr: at most 255 bytes.
            Some(k) if k.len() > 255 => Some(format!("must be at most 255 bytes (got {})", k.len())),
            _ => None,
        }
    }

    /// Why a subscriber's binding arguments cannot be `args` under the scenario's exchange.
    fn arguments_refusal(&self, args: Option<&FieldTable>, alternate: bool) -> Option<String> {
        let headers = self.routes_by_key() && self.queue.exchange == ExchangeKind::Headers;
        match args {
            None if headers && !alternate => Some(
                "is needed with a headers exchange: the headers it takes, e.g. {\"x-match\": \"any\", \"region\": \"eu\"}"
                    .into(),
            ),
            Some(_) if !headers => {
                Some("applies to a headers exchange on the queue broker (queue.exchange); other exchanges route by key".into())
            }
            Some(a) if a.len() > MAX_HEADERS + 1 => Some(format!("at most {MAX_HEADERS} arguments and x-match")),
            Some(a) => valid_x_match(a).err().or_else(|| a.iter().find_map(|(n, v)| header_refusal(n, v))),
            None => None,
        }
    }

    /// Whether subscriber `k`'s queue is bound to the alternate exchange.
    pub fn alternate(&self, k: u8) -> bool {
        self.subscribers.get(k as usize).is_some_and(|s| s.alternate)
    }

    /// Subscriber `k`'s binding arguments, if it has them.
    pub fn binding_arguments(&self, k: u8) -> Option<&FieldTable> {
        self.subscribers.get(k as usize).and_then(|s| s.binding_arguments.as_ref())
    }

    /// Subscriber `k`'s binding as the page writes it: its key or pattern, or its arguments.
    pub fn binding_text(&self, k: u8) -> Option<String> {
        match (self.binding_key(k), self.binding_arguments(k)) {
            (Some(key), _) => Some(key.to_string()),
            (None, Some(args)) => Some(table_text(args)),
            (None, None) => None,
        }
    }

    /// Subscriber `k`'s binding key, if it has one.
    pub fn binding_key(&self, k: u8) -> Option<&str> {
        self.subscribers.get(k as usize).and_then(|s| s.binding_key.as_deref())
    }

    /// How many consumers subscriber `k` starts with.
    pub fn consumers_of(&self, k: u8) -> u32 {
        self.subscribers.get(k as usize).and_then(|s| s.consumers).unwrap_or(self.consumers.count)
    }

    /// The subscribers' own fields in range and their names distinct. The error names the field
    /// (`subscribers[1].name`).
    pub(super) fn check_subscribers(&self) -> Result<(), ScenarioError> {
        let subs = &self.subscribers;
        if subs.is_empty() {
            return Ok(());
        }
        let invalid = |field: String, message: String| Err(ScenarioError::Invalid { field, message });
        if subs.len() > MAX_SUBSCRIBERS {
            return invalid(
                "subscribers".into(),
                format!("at most {MAX_SUBSCRIBERS} subscribers (got {})", subs.len()),
            );
        }
        for (i, s) in subs.iter().enumerate() {
            let field = |f: &str| format!("subscribers[{i}].{f}");
            let good = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
            if s.name.is_empty() || s.name.len() > 24 || !s.name.chars().all(good) {
                let message = format!("must be 1 to 24 of a-z, 0-9, - and _ (got {:?})", s.name);
                return invalid(field("name"), message);
            }
            if subs[..i].iter().any(|o| o.name == s.name) {
                return invalid(
                    field("name"),
                    format!("{:?} names two subscribers: each needs a queue (or group) of its own", s.name),
                );
            }
            if let Some(c) = s.consumers.filter(|c| !(1..=MAX_CONSUMERS).contains(c)) {
                return invalid(field("consumers"), format!("must be between 1 and {MAX_CONSUMERS} (got {c})"));
            }
            if let Some(m) = s.mean_ms.filter(|m| !(1.0..=MAX_DELAY_MS as f64).contains(m)) {
                return invalid(field("mean_ms"), format!("must be between 1 and {MAX_DELAY_MS} (got {})", Plain(m)));
            }
            if let Some(p) = s.failure_probability.filter(|p| !(0.0..=1.0).contains(p)) {
                return invalid(field("failure_probability"), format!("must be between 0 and 1 (got {})", Plain(p)));
            }
            if let Some(message) = s.starts_at_ms.and_then(|t| self.late_start_refusal(i, t)) {
                return invalid(field("starts_at_ms"), message);
            }
            if let Some(message) = self.binding_refusal(s.binding_key.as_deref(), s.alternate) {
                return invalid(field("binding_key"), message);
            }
            if let Some(message) = self.arguments_refusal(s.binding_arguments.as_ref(), s.alternate) {
                return invalid(field("binding_arguments"), message);
            }
            if let Some(message) = self.broker_refusal(i, s.broker.unwrap_or(self.broker)) {
                return invalid(field("broker"), message);
            }
            if let Some(t) = s.seek_to_time_ms {
                if self.reads_queue(i as u8) {
                    let message = "applies to a consumer group of the log: a queue cannot seek, what it delivered and \
                                   had acknowledged is gone"
                        .to_string();
                    return invalid(field("seek_to_time_ms"), message);
                }
                if t > MAX_LONG_MS {
                    return invalid(field("seek_to_time_ms"), format!("must be at most {MAX_LONG_MS} (got {t})"));
                }
            }
            if s.alternate && !self.routes_by_key() {
                let message = "applies to a direct, topic or headers exchange on the queue broker (queue.exchange): a \
                               fanout leaves no message unroutable"
                    .to_string();
                return invalid(field("alternate"), message);
            }
        }
        self.check_both_brokers()
    }

    /// Both brokers run with a fanout exchange and queues that drop their head when full.
    fn check_both_brokers(&self) -> Result<(), ScenarioError> {
        let invalid = |field: &str, message: String| Err(ScenarioError::Invalid { field: field.into(), message });
        if self.both_brokers() && self.queue.exchange != ExchangeKind::Fanout {
            let message = "must be fanout while both brokers run: every queue reader gets each message, as every \
                           consumer group does"
                .to_string();
            return invalid("queue.exchange", message);
        }
        if self.both_brokers() && self.queue.overflow != Overflow::DropHead {
            // The write to both is one: a queue refusing its copy would make the producer send it
            // again to the topic too, which an idempotent producer's log drops, and that queue
            // would never get its copy.
            let message = "must be drop_head while both brokers run: a full queue refusing a publish would fail \
                           the one write to the topic and the exchange"
                .to_string();
            return invalid("queue.overflow", message);
        }
        Ok(())
    }
}
