//! Which broker a scenario runs on, and the queue broker's settings.
//!
//! The Kafka-like log is the default. With the RabbitMQ-like queue broker the producer publishes
//! every message to one queue through the default exchange, and the consumers compete for it:
//! each delivery goes to one consumer, a consumer holds at most `prefetch` unacknowledged
//! deliveries (`basic.qos`), and an acknowledged message is gone from the queue. The topic's
//! settings are the log's: the queue broker leaves them unused (and refuses to add partitions).

use serde::{Deserialize, Serialize};

/// The broker the producer publishes to and the consumers read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerKind {
    /// A Kafka-like topic: partitions, one consumer group, committed offsets.
    #[default]
    Log,
    /// A RabbitMQ-like queue with competing consumers.
    Queue,
}

/// The queue broker's settings (read only when `broker` is `queue`). The TTL, the length limit
/// and the dead-letter exchange are what a RabbitMQ policy sets (`message-ttl`, `max-length`,
/// `dead-letter-exchange`), so they may change while the queue runs, as a policy can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    /// `basic.qos` prefetch count: unacknowledged deliveries one consumer may hold (1 to 1000;
    /// RabbitMQ's 0, no limit, is not offered).
    pub prefetch: u32,
    /// `x-message-ttl`: a message still waiting this long after it was published expires at the
    /// head of the queue (a delivered one does not; one returned to the queue keeps its publish
    /// time). None: messages wait for ever.
    pub message_ttl_ms: Option<u64>,
    /// The publisher sets each message's `expiration` property (per-message TTL): a message
    /// waiting this long in a queue expires, but only once it reaches the head (RabbitMQ's rule;
    /// with a queue TTL too, the lower applies). Applies to messages published from the time it
    /// is set. None: no expiration (and left out of the JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_ms: Option<u64>,
    /// `x-max-length`: most messages waiting (ready; unacknowledged deliveries do not count).
    pub max_length: Option<u64>,
    /// `x-overflow`: what a full queue does with one more message.
    pub overflow: Overflow,
    /// `x-delivery-limit`, which makes the queue a quorum queue (RabbitMQ 3.10): a message
    /// returned more than this many times is dead-lettered (reason `delivery_limit`). None: a
    /// classic queue.
    pub delivery_limit: Option<u64>,
    /// `x-dead-letter-exchange` set, bound to the dead-letter queue: messages the queue expires
    /// or drops are dead-lettered there (with their `x-death` reason) instead of lost. (Where a
    /// consumer's own dead letters go is `processing.dead_letter_queue`.)
    pub dead_letter_exchange: bool,
    /// Declared durable: the queue survives a broker restart (a non-durable one is gone with its
    /// messages, and the app declares it again, empty).
    pub durable: bool,
    /// The publisher marks messages persistent (`delivery_mode` 2): written to disk, they survive
    /// a restart of a durable queue; transient ones are lost.
    pub persistent: bool,
    /// The publisher publishes with `mandatory` set: a message no queue takes is returned to it
    /// (`basic.return`) instead of dropped in silence. It knows, but the message is still not
    /// processed (lost, reason "returned unroutable").
    pub mandatory: bool,
    /// The exchange the publisher publishes to, with publish-subscribe: each subscriber's queue
    /// is bound to it (with the subscriber's `binding_key` for direct and topic).
    pub exchange: ExchangeKind,
}

/// The type of the exchange in front of the subscribers' queues (RabbitMQ's routing, as
/// `broker/amqp` implements and the differential test checks it). A message's routing key is its
/// event type (`producer.event_types`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// Every bound queue gets a copy; binding keys are ignored.
    #[default]
    Fanout,
    /// A queue gets a copy when its binding key equals the routing key.
    Direct,
    /// A queue gets a copy when its binding pattern matches the routing key: words separated by
    /// dots, `*` exactly one word, `#` zero or more.
    Topic,
    /// A queue gets a copy when its binding arguments match the message's headers
    /// (`producer.headers`), as `x-match` says: `all` of them, or `any` one.
    Headers,
}

impl ExchangeKind {
    /// Its name, as RabbitMQ writes the exchange type.
    pub fn name(self) -> &'static str {
        match self {
            ExchangeKind::Fanout => "fanout",
            ExchangeKind::Direct => "direct",
            ExchangeKind::Topic => "topic",
            ExchangeKind::Headers => "headers",
        }
    }
}

impl QueueSettings {
    /// A quorum queue (the delivery limit is theirs): always durable, every message stored.
    pub fn quorum(&self) -> bool {
        self.delivery_limit.is_some()
    }
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            prefetch: 1,
            message_ttl_ms: None,
            expiration_ms: None,
            max_length: None,
            overflow: Overflow::DropHead,
            delivery_limit: None,
            dead_letter_exchange: true,
            durable: true,
            persistent: true,
            mandatory: false,
            exchange: ExchangeKind::Fanout,
        }
    }
}

/// What a queue at its length limit does with one more message (`x-overflow`, RabbitMQ 3.10's
/// classic queues).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    /// The oldest waiting message is dropped (dead-lettered with `x-death` reason `maxlen`, or
    /// lost): RabbitMQ's default.
    #[default]
    DropHead,
    /// The new message is refused: a publisher waiting for confirms gets a `basic.nack` and may
    /// publish it again; one that does not wait never learns, and the message is lost.
    RejectPublish,
    /// As `reject_publish`, and the refused message is dead-lettered (reason `maxlen`).
    RejectPublishDlx,
}

/// Settings only the log broker reads: a Kafka client's partitioning and idempotence, the consumer
/// group's membership and offsets, and the topic. On the queue broker they change nothing, so the
/// page does not show them there.
pub const LOG_ONLY: &[&str] = &[
    "producer.partitioner",
    "producer.batch_size",
    "producer.sticky_linger_ms",
    "producer.idempotent",
    "topic.partitions",
    "topic.retention_ms",
    "topic.retention_bytes",
    "topic.retention_check_ms",
    "topic.segment_bytes",
    "topic.segment_ms",
    "consumers.session_timeout_ms",
    "consumers.rebalance_ms",
    "consumers.max_poll_interval_ms",
    "consumers.assignor",
    "consumers.auto_offset_reset",
    "consumers.static_membership",
];
