//! The producer's settings: arrivals, keys, the client library and its send settings, with the
//! defaults each client applies when a setting is left unset (idempotence, the delivery timeout).

use super::choices::{Client, RdPartitioner};
use super::limits::{
    IDEMPOTENT_MAX_IN_FLIGHT, JAVA_DELIVERY_TIMEOUT_MS, LIBRDKAFKA_MESSAGE_TIMEOUT_MS, MAX_HEADERS,
    MAX_PRODUCER_RETRIES,
};
use crate::sim::broker::amqp::headers::{table_text, FieldTable, FieldValue};
use crate::sim::errors::ScenarioError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProducerConfig {
    /// Mean messages per second (0 to 1,000,000). 0 stops the producer.
    pub rate_per_sec: f64,
    pub arrivals: Arrivals,
    /// Stop after this many messages (none: produce for as long as the run lasts).
    pub max_messages: Option<u64>,
    pub keys: KeySpace,
    /// Whose client produces: its partitioner places every record.
    pub client: Client,
    /// librdkafka's `partitioner` (the Java client ignores it).
    pub partitioner: RdPartitioner,
    /// Bytes each record adds to its batch (1 to 1 MiB), which the Java client's sticky
    /// partitioner counts.
    pub record_bytes: u64,
    /// The Java client's `batch.size` (0 to 2^31-1 bytes; 0 acts as 1): a keyless record's sticky
    /// partition changes once this many bytes went to it.
    pub batch_size: u64,
    /// librdkafka's `sticky.partitioning.linger.ms` (0 to 900,000): a keyless message's sticky
    /// partition changes after this long; 0 draws a partition for every message.
    pub sticky_linger_ms: u64,
    /// Event type names, chosen uniformly per message (1 to 16 names).
    pub event_types: Vec<String>,
    /// The headers the publisher sets on each message, one table per event type in the order of
    /// `event_types` (`{"region": "eu", "priority": 1}`): what a headers exchange routes by (the
    /// queue broker's `queue.exchange`). An event type past the end of the list carries none.
    /// Empty: no headers (and left out of the JSON, so earlier scenarios read and hash as they
    /// did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<FieldTable>,
    pub acks: Acks,
    /// Resends after a request or its acknowledgement is lost (0 to 2^31-1, both clients'
    /// default, so `delivery_timeout_ms` is what limits them). Ignored with acks=0.
    pub retries: u32,
    pub retry_backoff_ms: u64,
    /// How long the producer waits for an acknowledgement before resending (1 ms to 1 day).
    pub request_timeout_ms: u64,
    /// How long a record may take from `send()` to its acknowledgement, retries included, before
    /// the producer gives up on it: the Java client's `delivery.timeout.ms`, librdkafka's
    /// `message.timeout.ms`. `None`: the client's default ([`ProducerConfig::delivery_timeout_ms`]).
    pub delivery_timeout_ms: Option<u64>,
    /// Producer id + sequence numbers: the broker drops a retried append it already has and
    /// keeps each partition in the order records were produced. Needs acks=all, retries > 0 and
    /// `max_in_flight` at most 5 (`rules.rs`). `None`: the client's default
    /// ([`ProducerConfig::idempotence`]).
    pub idempotent: Option<bool>,
    /// `max.in.flight.requests.per.connection`: requests sent and not yet answered (1 to 2^31-1;
    /// the Java client's default 5). Above 1 without idempotence, a resend can land after a later
    /// record of its key.
    pub max_in_flight: u32,
}

impl ProducerConfig {
    /// Whether the producer is idempotent. Unset, the client decides: the Java client turns
    /// idempotence on by default (Kafka 3.0+) and off again, silently, when `retries` is 0, acks
    /// is not all or more than 5 requests may be in flight (`ProducerConfig.
    /// postProcessAndValidateIdempotenceConfigs`); librdkafka's `enable.idempotence` is off by
    /// default. Set explicitly, a conflict is refused (`rules.rs`).
    #[inline]
    pub fn idempotence(&self) -> bool {
        match (self.idempotent, self.client) {
            (Some(explicit), _) => explicit,
            (None, Client::Java) => {
                self.retries > 0 && self.acks == Acks::All && self.max_in_flight <= IDEMPOTENT_MAX_IN_FLIGHT
            }
            (None, Client::Librdkafka) => false,
        }
    }

    /// The headers of event type `t`'s messages (none past the end of `headers`).
    pub fn headers_of(&self, t: usize) -> &FieldTable {
        static NONE: FieldTable = FieldTable::new();
        self.headers.get(t).unwrap_or(&NONE)
    }

    /// The headers of event type `t`'s messages as the page writes them (`region=eu, priority=1`).
    pub fn headers_text(&self, t: usize) -> String {
        match self.headers_of(t) {
            h if h.is_empty() => "(none)".into(),
            h => table_text(h),
        }
    }

    /// The publisher's headers: a table per event type at most, each a few short fields.
    pub(super) fn check_headers(&self) -> Result<(), ScenarioError> {
        let (headers, types) = (&self.headers, self.event_types.len());
        if headers.len() > types {
            let message = format!("lists {} tables for {types} event types: one per event type at most", headers.len());
            return Err(ScenarioError::Invalid { field: "producer.headers".into(), message });
        }
        for (i, table) in headers.iter().enumerate() {
            let field = format!("producer.headers[{i}]");
            if table.len() > MAX_HEADERS {
                let message = format!("at most {} headers (got {})", MAX_HEADERS, table.len());
                return Err(ScenarioError::Invalid { field, message });
            }
            if let Some(message) = table.iter().find_map(|(name, value)| header_refusal(name, value)) {
                return Err(ScenarioError::Invalid { field, message });
            }
        }
        Ok(())
    }

    /// How long a record may take to be acknowledged before the producer gives up on it. Unset,
    /// the client's default: the Java client's `delivery.timeout.ms` is 2 minutes, raised to
    /// `linger.ms` + `request.timeout.ms` when that is longer (`KafkaProducer.
    /// configureDeliveryTimeout`; the sim does not linger, as with `linger.ms`=0); librdkafka's
    /// `message.timeout.ms` is 5 minutes.
    pub fn delivery_timeout_ms(&self) -> u64 {
        self.delivery_timeout_ms.unwrap_or(match self.client {
            Client::Java => JAVA_DELIVERY_TIMEOUT_MS.max(self.request_timeout_ms),
            Client::Librdkafka => LIBRDKAFKA_MESSAGE_TIMEOUT_MS,
        })
    }
}

/// Why a header (or binding argument) cannot be `name` = `value`: AMQP's short strings name it,
/// and the page keeps values short too.
pub(super) fn header_refusal(name: &str, value: &FieldValue) -> Option<String> {
    if name.is_empty() || name.len() > 255 {
        return Some(format!("header names must be 1 to 255 bytes (got {name:?})"));
    }
    match value {
        FieldValue::Str(v) if v.len() > 255 => Some(format!("the value of {name:?} must be at most 255 bytes")),
        FieldValue::Float(f) if !f.is_finite() => Some(format!("the value of {name:?} must be a finite number")),
        _ => None,
    }
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            rate_per_sec: 5.0,
            arrivals: Arrivals::Poisson,
            max_messages: None,
            keys: KeySpace::default(),
            client: Client::Java,
            partitioner: RdPartitioner::ConsistentRandom,
            record_bytes: 200,
            // The clients' defaults: Java's `batch.size`, and librdkafka's
            // `sticky.partitioning.linger.ms` (twice `linger.ms`, which is 5 ms).
            batch_size: 16_384,
            sticky_linger_ms: 10,
            event_types: vec!["OrderPlaced".into(), "PaymentProcessed".into(), "OrderShipped".into()],
            headers: Vec::new(),
            acks: Acks::All,
            retries: MAX_PRODUCER_RETRIES,
            retry_backoff_ms: 100,
            request_timeout_ms: 1_000,
            delivery_timeout_ms: None,
            idempotent: None,
            max_in_flight: 5,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// Exponential gaps between messages (a Poisson process).
    Poisson,
    /// Exactly 1/rate between messages.
    Constant,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeySpace {
    /// Number of distinct keys `user_0 .. user_{n-1}` (0 = messages have no key).
    pub count: u32,
    /// Fraction of messages that use the hot key `user_0` (0 to 1); the rest are uniform.
    pub hot_key_share: f64,
}

impl Default for KeySpace {
    fn default() -> Self {
        KeySpace { count: 100, hot_key_share: 0.0 }
    }
}

/// How many broker acknowledgements the producer waits for: `"0"`, `"1"`, `"all"` or its synonym
/// `"-1"`, as both clients take it (written back as `"all"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Acks {
    /// Fire and forget: the producer never learns whether the append happened.
    #[serde(rename = "0")]
    Zero,
    /// The partition leader has appended it.
    #[serde(rename = "1")]
    Leader,
    /// Every in-sync replica has it. With a single broker (this step of the model) it behaves
    /// like `1`; the difference appears with broker failover.
    #[serde(rename = "all", alias = "-1")]
    All,
}

impl Acks {
    /// The value as the clients' `acks` setting writes it.
    pub fn name(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        }
    }
}
