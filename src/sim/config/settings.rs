//! The one description of every setting: its path in the scenario JSON, a label, one line of help,
//! its unit, what values it takes, and whether a running simulation can change it. The scenario
//! validator, the command validator, `eda-lab run --help`, the page's controls and the property
//! tests' generator all read this table; no limit is written anywhere else.
//!
//! `path` is the setting's dotted path in the scenario JSON; `config/apply.rs` reads and writes the
//! field it names. This table knows nothing of the `Scenario` type (`Scenario::setting` and
//! `Scenario::with_setting` are the typed doors).

use super::limits::*;
use crate::sim::kernel::numfmt::{plain, Plain};
use serde_json::Value;

/// What values a setting takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number from `min` to `max`; `integer` settings take whole numbers only.
    Number { min: f64, max: f64, integer: bool },
    /// A number from `min` to `max`, or none (`null`), which means `none`.
    Optional { min: f64, max: f64, none: &'static str },
    /// One of a closed list.
    Choice(&'static [Choice]),
    /// On or off.
    Flag,
}

/// One value of a choice: its JSON form and how the page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The value as JSON text (a string such as `"poisson"`, or an object).
    pub json: &'static str,
    pub label: &'static str,
    /// Another JSON text taken as the same value (acks `"-1"` for `"all"`), or empty. Values are
    /// always written as `json`.
    pub alias: &'static str,
}

impl Choice {
    /// Whether `value` is this choice, by its JSON form or its alias.
    fn is(&self, value: &Value) -> bool {
        let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
        parse(self.json).as_ref() == Some(value)
            || (!self.alias.is_empty() && parse(self.alias).as_ref() == Some(value))
    }

    /// The JSON form, with its alias if it has one: `"all" (or "-1")`.
    pub fn shown(&self) -> String {
        if self.alias.is_empty() {
            self.json.to_string()
        } else {
            format!("{} (or {})", self.json, self.alias)
        }
    }
}

/// Where a setting is shown on the page, grouped like the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Producer,
    Network,
    Topic,
    Consumers,
    Processing,
    Downstream,
    Breaker,
    Idempotency,
    Metrics,
    Alerts,
    Queue,
    Replication,
    Transactions,
    Outbox,
    Chaos,
    Sourcing,
    Shop,
    Schema,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setting {
    /// Dotted path in the scenario JSON, e.g. `producer.rate_per_sec`.
    pub path: &'static str,
    pub label: &'static str,
    /// One line on what it does.
    pub help: &'static str,
    /// The unit of a number (`ms`, `msg/s`, ...); empty for none.
    pub unit: &'static str,
    pub kind: Kind,
    /// A running simulation can change it (`Command::Set`); otherwise it takes a new run.
    pub live: bool,
    pub group: Group,
}

const fn num(min: f64, max: f64) -> Kind {
    Kind::Number { min, max, integer: false }
}
const fn int(min: u64, max: u64) -> Kind {
    Kind::Number { min: min as f64, max: max as f64, integer: true }
}
const fn opt(min: u64, max: u64, none: &'static str) -> Kind {
    Kind::Optional { min: min as f64, max: max as f64, none }
}
const fn choice(json: &'static str, label: &'static str) -> Choice {
    Choice { json, label, alias: "" }
}

const MS: &str = "ms";

use Group::*;

/// Every setting, in the order the validator checks them and the page shows them.
pub static SETTINGS: &[Setting] = &[
    Setting { path: "producer.rate_per_sec", label: "Producer rate", help: "Mean messages per second; 0 stops the producer.", unit: "msg/s", kind: num(0.0, MAX_RATE_PER_SEC), live: true, group: Producer },
    Setting { path: "producer.arrivals", label: "Arrivals", help: "Random (Poisson) or evenly spaced gaps between messages.", unit: "", kind: Kind::Choice(&[choice("\"poisson\"", "Poisson (random gaps)"), choice("\"constant\"", "Constant gaps")]), live: true, group: Producer },
    Setting { path: "producer.max_messages", label: "Stop after", help: "The producer stops after this many messages.", unit: "messages", kind: opt(0, u64::MAX >> 12, "never"), live: false, group: Producer },
    Setting { path: "producer.keys.count", label: "Keys", help: "Distinct keys user_0, user_1, ...; 0 sends messages without a key.", unit: "keys", kind: int(0, MAX_KEYS as u64), live: false, group: Producer },
    Setting { path: "producer.keys.hot_key_share", label: "Hot-key share", help: "Share of messages that use the key user_0; the rest spread evenly.", unit: "", kind: num(0.0, 1.0), live: true, group: Producer },
    Setting { path: "producer.client", label: "Client", help: "The app's Kafka client library, for the producer and the consumers: the Java client (Kafka 3.3+) or librdkafka (also under confluent-kafka-python, -go and -dotnet). It decides how records are placed in partitions and how auto-commit works.", unit: "", kind: Kind::Choice(&[choice("\"java\"", "Java (Kafka 3.3+)"), choice("\"librdkafka\"", "librdkafka")]), live: false, group: Producer },
    Setting { path: "producer.partitioner", label: "librdkafka partitioner", help: "librdkafka only: hash keys with CRC-32 (consistent_random, its default; an empty key is placed like no key) or with the Java client's murmur2 (murmur2_random). The Java client uses murmur2.", unit: "", kind: Kind::Choice(&[choice("\"consistent_random\"", "consistent_random (CRC-32)"), choice("\"murmur2_random\"", "murmur2_random (as Java)")]), live: false, group: Producer },
    Setting { path: "producer.record_bytes", label: "Record size", help: "Bytes each record adds to its batch; the Java client's sticky partitioner counts them.", unit: "bytes", kind: int(1, MAX_RECORD_BYTES), live: true, group: Producer },
    Setting { path: "producer.batch_size", label: "Batch size", help: "Java client's batch.size: records without a key stick to one random partition until this many bytes went to it (0 acts as 1).", unit: "bytes", kind: int(0, MAX_BATCH_SIZE), live: true, group: Producer },
    Setting { path: "producer.sticky_linger_ms", label: "Sticky linger", help: "librdkafka's sticky.partitioning.linger.ms: records without a key stick to one random partition this long; 0 draws one per record.", unit: MS, kind: int(0, MAX_STICKY_LINGER_MS), live: true, group: Producer },
    Setting { path: "producer.acks", label: "Acks", help: "What the producer waits for: nothing (0), the leader (1) or every in-sync replica (all, or -1); acks=1 is answered once the leader has the record, acks=all once every in-sync replica has it (with one copy, 1 and all behave alike).", unit: "", kind: Kind::Choice(&[choice("\"0\"", "0 (fire and forget)"), choice("\"1\"", "1 (leader)"), Choice { alias: "\"-1\"", ..choice("\"all\"", "all (in-sync replicas)") }]), live: true, group: Producer },
    Setting { path: "producer.retries", label: "Producer retries", help: "Resends after a lost request or acknowledgement (ignored with acks=0). Both clients default to 2147483647, so the delivery timeout is what limits them.", unit: "resends", kind: int(0, MAX_PRODUCER_RETRIES as u64), live: true, group: Producer },
    Setting { path: "producer.retry_backoff_ms", label: "Producer backoff", help: "Wait before each resend: fixed here, as before Kafka 3.7; the Java client 3.7+ doubles it per attempt up to retry.backoff.max.ms (1 s), with 20% jitter.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Producer },
    Setting { path: "producer.request_timeout_ms", label: "Request timeout", help: "How long the producer waits for an acknowledgement before resending.", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Producer },
    Setting { path: "producer.delivery_timeout_ms", label: "Delivery timeout", help: "How long a record may take from send() to its acknowledgement, resends included, before the producer gives up on it: the Java client's delivery.timeout.ms (default 2 min, and at least the request timeout), librdkafka's message.timeout.ms (default 5 min). Set, it must be at least the request timeout.", unit: MS, kind: Kind::Optional { min: 1.0, max: MAX_DELAY_MS as f64, none: "client default" }, live: true, group: Producer },
    Setting { path: "producer.idempotent", label: "Idempotent producer", help: "Producer id and sequence numbers: the broker drops a resend it already has and keeps each partition in order; not an app's resend or a restarted producer's. Needs acks=all, retries > 0 and at most 5 in flight. The Java client's default is on (Kafka 3.0+; in effect from 3.0.1, 3.1.1 and 3.2, KAFKA-13598), switched off without a word when one of those is not met; librdkafka's is off. Turned on explicitly, a conflict is refused.", unit: "", kind: Kind::Choice(&[choice("null", "client default"), choice("true", "on"), choice("false", "off")]), live: true, group: Producer },
    Setting { path: "producer.max_in_flight", label: "Max in flight", help: "max.in.flight.requests.per.connection (Java default 5, librdkafka 1000000): requests sent but not yet answered. Above 1 without idempotence, a resend can land after a later record of its key.", unit: "requests", kind: int(1, MAX_IN_FLIGHT), live: true, group: Producer },
    Setting { path: "chaos.enabled", label: "Chaos mode", help: "Adds faults drawn from the seed to the fault schedule, one window at a time: a consumer crash, one consumer 5× slower, a broker crash and its start (on a cluster), a few seconds of lost produce requests (30%), a payments API outage, or a slow API (5×). The same seed draws the same chaos, so lanes of a comparison meet the same faults.", unit: "", kind: Kind::Flag, live: false, group: Chaos },
    Setting { path: "chaos.mean_gap_ms", label: "Mean gap", help: "Chaos mode: the mean wait before each fault window (exponential); each window lasts 1 to 6 s.", unit: MS, kind: int(1, MAX_DELAY_MS), live: false, group: Chaos },
    Setting { path: "chaos.until_ms", label: "Chaos until", help: "Chaos mode: no fault starts after this.", unit: MS, kind: int(0, MAX_LONG_MS), live: false, group: Chaos },
    Setting { path: "sourcing.enabled", label: "Event-sourced bank", help: "The service is a bank whose accounts (the producer's keys) are event-sourced: each client command (open, deposit, withdraw, transfer, correct) is checked against the account's state, a fold of its events, and appends one event to the account's stream in the event store, or is refused (insufficient funds) and appends nothing. Each event is published to the log, and each subscriber is a projection: a read model built by consuming the events (balance view, statement view), with the consumers' crashes, redeliveries and idempotency.", unit: "", kind: Kind::Flag, live: false, group: Sourcing },
    Setting { path: "sourcing.snapshot_every", label: "Snapshot every", help: "A snapshot of an account after every this many of its events, so loading it folds only the events after the last snapshot (0: none; the state is the same either way).", unit: "events", kind: int(0, 1_000), live: false, group: Sourcing },
    Setting { path: "sourcing.v1_until_ms", label: "Old schema until", help: "Until this time the service writes deposits in schema v1 (whole units), as before its upgrade; the store keeps them as written and readers upcast them to v2 (cents). 0: always v2.", unit: MS, kind: int(0, MAX_LONG_MS), live: false, group: Sourcing },
    Setting { path: "sourcing.projection_bug", label: "Balance view bug", help: "A bug in the balance view: a received transfer is taken as sent (subtracted). Fix it (off), then rebuild the view: it replays from position 0 every event it consumed, once each.", unit: "", kind: Kind::Flag, live: true, group: Sourcing },
    Setting { path: "sourcing.resend_probability", label: "Client resends", help: "The chance a client whose answer was lost sends its last command again, under the same command id. The bank handles each command id once: a resend gets the first answer and appends nothing, so no deposit is made twice.", unit: "", kind: num(0.0, 1.0), live: true, group: Sourcing },
    Setting { path: "sourcing.handle_ms", label: "Command handling time", help: "How long the bank takes to handle a command: its handler reads the account when it starts and appends the event it decided when it ends. Two commands on one account closer than this overlap: the later append expects the version its handler read, finds the stream moved on (a conflict), and the handler reads again and decides again (the retry's own time is not modelled here). 0: each command reads and appends at once, and nothing ever conflicts.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Sourcing },
    Setting { path: "sourcing.version_check", label: "Optimistic concurrency", help: "Each append expects the stream version its handler read (expected version); an append after another handler's is refused as a conflict and retried on a fresh read. Off, appends go in whatever the version (any), so a decision made on a stale read is appended: two withdrawals that each saw enough money both go through and the account ends past its overdraft limit (a lost update). Only matters with a handling time.", unit: "", kind: Kind::Flag, live: true, group: Sourcing },
    Setting { path: "shop.enabled", label: "Shop (CQRS)", help: "The service is a shop, the guide's e-commerce case of CQRS: the producer's keys are its products. Each client arrival is one command to the write side (products and orders): list a product, place an order (refused when the stock is short), cancel one, restock or change a price; each change is published as one event keyed by its product. Each subscriber builds a read model by consuming them: subscriber 1 each customer's orders, every other a product catalogue. Shoppers browse the catalogue, never the write side.", unit: "", kind: Kind::Flag, live: false, group: Shop },
    Setting { path: "shop.reads_per_write", label: "Reads per write", help: "How many shoppers look at a product in a catalogue view for each command to the write side: the read load against the write load (browsing far outnumbers buying). Reads go round the catalogue views; a read from a view that has not applied every event of its product yet is stale.", unit: "reads", kind: int(0, 1_000), live: false, group: Shop },
    Setting { path: "shop.stock", label: "Stock per lot", help: "The units a product is listed with, and each restock adds.", unit: "units", kind: int(1, 1_000_000), live: false, group: Shop },
    Setting { path: "shop.customers", label: "Customers", help: "How many customers place the orders (each drawn uniformly).", unit: "", kind: int(1, 1_000_000), live: false, group: Shop },
    Setting { path: "schema.enabled", label: "Schema registry", help: "Events carry an Avro schema version from a registry subject (Confluent Schema Registry): the producer writes with version 1 until a deploy of another version, which the registry registers only if the subject's compatibility mode allows it. The consumers decode with their reader version; a message they cannot read (Avro schema resolution) fails to decode on every attempt: a poison message, dead-lettered.", unit: "", kind: Kind::Flag, live: false, group: Schema },
    Setting { path: "schema.mode", label: "Compatibility mode", help: "The subject's mode, as Confluent Schema Registry checks a new version. BACKWARD (its default): the new schema can read data written with the latest version. FORWARD: the latest version can read data the new one writes. FULL: both. The _TRANSITIVE forms check every registered version, not only the latest. NONE: no check.", unit: "", kind: Kind::Choice(&[choice("\"BACKWARD\"", "BACKWARD"), choice("\"BACKWARD_TRANSITIVE\"", "BACKWARD_TRANSITIVE"), choice("\"FORWARD\"", "FORWARD"), choice("\"FORWARD_TRANSITIVE\"", "FORWARD_TRANSITIVE"), choice("\"FULL\"", "FULL"), choice("\"FULL_TRANSITIVE\"", "FULL_TRANSITIVE"), choice("\"NONE\"", "NONE")]), live: true, group: Schema },
    Setting { path: "schema.reader_version", label: "Consumers' reader version", help: "The schema version the consumers decode with (deploying new consumers): a message written with a version this one cannot read is a poison message.", unit: "", kind: int(1, 8), live: true, group: Schema },
    Setting { path: "outbox.mode", label: "Publishing", help: "How the order service publishes each event. direct: the producer sends it, nothing else is modelled. dual_write: the service commits its state change to its database, then publishes; a crash in between loses the event for good (lost, dual_write). outbox: the state change and an outbox row commit in one local transaction, and a relay publishes the rows and marks them sent once the broker acknowledged them; a relay crash before the mark publishes them again, so nothing is lost but the log can hold a second copy, which the idempotent producer does not recognise (a new record to it): consumers need an inbox (dedup_atomic).", unit: "", kind: Kind::Choice(&[choice("\"direct\"", "direct"), choice("\"dual_write\"", "dual write"), choice("\"outbox\"", "transactional outbox")]), live: false, group: Outbox },
    Setting { path: "outbox.crash_probability", label: "Service crash rate", help: "Dual write: the chance the service crashes between its commit and its publish, per event. Outbox: the chance the relay crashes after publishing a batch, before marking it sent, per batch.", unit: "", kind: num(0.0, 1.0), live: true, group: Outbox },
    Setting { path: "outbox.relay_interval_ms", label: "Relay interval", help: "Outbox: how often the relay polls the outbox table for rows to publish, and marks what the broker acknowledged.", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Outbox },
    Setting { path: "network.latency_ms", label: "Network latency", help: "One-way delay between producer and broker.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Network },
    Setting { path: "network.request_loss", label: "Request loss", help: "Probability that a produce request is lost on the way.", unit: "", kind: num(0.0, 0.99), live: true, group: Network },
    Setting { path: "network.ack_loss", label: "Ack loss", help: "Probability that the broker's acknowledgement is lost on the way back.", unit: "", kind: num(0.0, 0.99), live: true, group: Network },
    Setting { path: "broker", label: "Broker", help: "Where messages wait: a Kafka-like log (partitions keep every record; a consumer group commits how far it has read) or a RabbitMQ-like queue (competing consumers; an acknowledged message is gone).", unit: "", kind: Kind::Choice(&[choice("\"log\"", "Log (Kafka-like)"), choice("\"queue\"", "Queue (RabbitMQ-like)")]), live: false, group: Queue },
    Setting { path: "queue.prefetch", label: "Prefetch", help: "Queue broker: unacknowledged deliveries one consumer may hold (basic.qos prefetch count); the queue hands it no more until it acknowledges one.", unit: "messages", kind: int(1, MAX_PREFETCH), live: true, group: Queue },
    Setting { path: "queue.message_ttl_ms", label: "Message TTL", help: "Queue broker: a message still waiting this long after it was published expires at the head of the queue (x-message-ttl); delivered ones do not, and one returned to the queue keeps its publish time. Expired messages are dead-lettered (reason expired), or lost without a dead-letter exchange.", unit: MS, kind: opt(0, MAX_LONG_MS, "none"), live: true, group: Queue },
    Setting { path: "queue.expiration_ms", label: "Message expiration", help: "Queue broker: the publisher sets each message's expiration property (per-message TTL), from the time this is set. A message waiting longer expires, but only once it reaches the head of the queue, so one behind messages that expire later waits past its own expiry (it is never delivered). With a queue TTL too, the lower applies. Expired messages are dead-lettered (reason expired), or lost without a dead-letter exchange.", unit: MS, kind: opt(0, MAX_LONG_MS, "none"), live: true, group: Queue },
    Setting { path: "queue.max_length", label: "Max length", help: "Queue broker: most messages waiting (x-max-length; unacknowledged deliveries do not count; at least 1 here). What happens over it is the overflow setting: by default the oldest is dropped from the head and dead-lettered (reason maxlen), or lost without a dead-letter exchange.", unit: "messages", kind: opt(1, MAX_LONG_MS, "unlimited"), live: true, group: Queue },
    Setting { path: "queue.exchange", label: "Exchange", help: "Queue broker, publish-subscribe: the exchange in front of the subscribers' queues. fanout copies every message to every queue; direct to the queues whose binding key equals the message's routing key (its event type); topic to those whose binding pattern matches it (words between dots, * one word, # zero or more); headers to those whose binding arguments match the headers the publisher set (x-match all: every argument; any: one). A message no binding matches is unroutable: RabbitMQ drops it (and still confirms it), so it is lost.", unit: "", kind: Kind::Choice(&[choice("\"fanout\"", "fanout"), choice("\"direct\"", "direct"), choice("\"topic\"", "topic"), choice("\"headers\"", "headers")]), live: false, group: Queue },
    Setting { path: "queue.overflow", label: "Overflow", help: "Queue broker: what a queue at its max length does with one more message (x-overflow). drop-head drops the oldest waiting one; reject-publish refuses the new one (a publisher waiting for confirms gets a nack and may publish it again; one that does not wait loses it); reject-publish-dlx refuses it and dead-letters it (reason maxlen).", unit: "", kind: Kind::Choice(&[choice("\"drop_head\"", "drop-head"), choice("\"reject_publish\"", "reject-publish"), choice("\"reject_publish_dlx\"", "reject-publish-dlx")]), live: true, group: Queue },
    Setting { path: "queue.delivery_limit", label: "Delivery limit", help: "Queue broker: x-delivery-limit, which makes the queue a quorum queue (always durable, every message kept through a restart): a message returned to it more than this many times (a nack with requeue, or its consumer gone) is dead-lettered (reason delivery_limit), or dropped without a dead-letter exchange. Returned messages are delivered first. None: a classic queue, which returns a message to its place and never gives up on it.", unit: "returns", kind: opt(0, 1_000_000, "none"), live: true, group: Queue },
    Setting { path: "queue.dead_letter_exchange", label: "Dead-letter exchange", help: "Queue broker: x-dead-letter-exchange set, bound to the dead-letter queue: messages the queue expires or drops go there with their x-death reason (expired, maxlen) instead of being lost. (Where a consumer's own dead letters go is processing.dead_letter_queue.)", unit: "", kind: Kind::Flag, live: true, group: Queue },
    Setting { path: "queue.durable", label: "Durable queue", help: "Queue broker: the queue is declared durable and survives a broker restart; a non-durable one is gone with every message in it (the app declares it again, empty).", unit: "", kind: Kind::Flag, live: false, group: Queue },
    Setting { path: "queue.persistent", label: "Persistent messages", help: "Queue broker: the publisher marks messages persistent (delivery_mode 2), so a durable queue keeps them through a broker restart; transient ones are lost in it.", unit: "", kind: Kind::Flag, live: true, group: Queue },
    Setting { path: "queue.mandatory", label: "Mandatory publishes", help: "Queue broker: the publisher sets mandatory, so a message no queue's binding matches is returned to it (basic.return) instead of dropped in silence; it is still not processed (lost, reason returned unroutable).", unit: "", kind: Kind::Flag, live: true, group: Queue },
    Setting { path: "topic.partitions", label: "Partitions", help: "Partitions of the topic at the start; ordering holds only within one. A running topic can gain partitions (Add partition), never lose any: records stay where they are, keys remap, and a moved key's order breaks across the change.", unit: "partitions", kind: int(1, MAX_PARTITIONS as u64), live: false, group: Topic },
    Setting { path: "topic.retention_ms", label: "Retention", help: "Segments whose newest record is older than this are deleted whole, read or not; records nobody processed are lost (retention.ms).", unit: MS, kind: opt(1, MAX_LONG_MS, "forever"), live: true, group: Topic },
    Setting { path: "topic.retention_bytes", label: "Retention size", help: "Oldest segments are deleted while the partition stays at least this big without them (retention.bytes).", unit: "bytes", kind: opt(1, MAX_LONG_MS, "unlimited"), live: true, group: Topic },
    Setting { path: "topic.retention_check_ms", label: "Retention check", help: "How often the broker applies retention (log.retention.check.interval.ms, 5 min by default).", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Topic },
    Setting { path: "topic.segment_bytes", label: "Segment size", help: "A segment closes when the next record would not fit; retention deletes whole segments (segment.bytes, 1 GiB by default).", unit: "bytes", kind: int(14, i32::MAX as u64), live: true, group: Topic },
    Setting { path: "topic.segment_ms", label: "Segment age", help: "A segment closes when a record comes this long after its first (segment.ms, 7 days by default).", unit: MS, kind: int(1, MAX_LONG_MS), live: true, group: Topic },
    Setting { path: "replication.brokers", label: "Brokers", help: "Brokers in the cluster, numbered from 0. Each partition's replicas are placed on consecutive brokers, as Kafka's rack-unaware assignment does from a start index of 0; more than one lets a broker crash while others serve.", unit: "brokers", kind: int(1, MAX_BROKERS as u64), live: false, group: Replication },
    Setting { path: "replication.factor", label: "Replication factor", help: "Copies of each partition, each on its own broker: one leader takes writes and serves reads, the followers copy it.", unit: "copies", kind: int(1, MAX_BROKERS as u64), live: false, group: Replication },
    Setting { path: "replication.min_insync_replicas", label: "Min in-sync replicas", help: "min.insync.replicas: with acks=all the leader refuses a write (NotEnoughReplicas, which the producer retries) while fewer replicas than this are in sync. Kafka's default is 1.", unit: "replicas", kind: int(1, MAX_BROKERS as u64), live: true, group: Replication },
    Setting { path: "replication.unclean_leader_election", label: "Unclean leader election", help: "unclean.leader.election.enable: when no in-sync replica is alive, let an out-of-sync one lead. The partition comes back sooner, but records it never copied are gone, even acknowledged ones. Off by default since Kafka 0.11.", unit: "", kind: Kind::Flag, live: true, group: Replication },
    Setting { path: "replication.fetch_ms", label: "Follower fetch", help: "How long a follower takes to copy the leader's new records. Consumers see a record only once every in-sync replica has it (the high watermark); acks=all waits for that too.", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Replication },
    Setting { path: "replication.detection_ms", label: "Failure detection", help: "How long the controller takes to notice a crashed broker (KRaft's broker.session.timeout.ms, 9 s by default). Until then the partitions it led have no leader to write to or read from.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Replication },
    Setting { path: "consumers.count", label: "Consumers", help: "Consumers in the group at the start; more than partitions leaves some idle.", unit: "consumers", kind: int(1, MAX_CONSUMERS as u64), live: false, group: Consumers },
    Setting { path: "transactions.enabled", label: "Transactions (exactly-once)", help: "The consumers become a consume, process, produce stage, as Kafka Streams' exactly_once_v2 runs one: each input's output record goes to an output topic inside a transaction, and the input offsets are committed in the same transaction, so both happen together or not at all. A crash aborts the open transaction (when the restarted consumer's producer starts again with the same transactional.id, or at the transaction timeout), and its inputs are processed again. Needs commit after processing, on the log broker.", unit: "", kind: Kind::Flag, live: false, group: Transactions },
    Setting { path: "transactions.commit_interval_ms", label: "Commit interval", help: "How often each consumer commits its transaction (Kafka Streams' commit.interval.ms, 100 ms under exactly-once). Longer: fewer commits, but outputs wait longer to be seen, and a crash redoes more.", unit: MS, kind: int(1, MAX_DELAY_MS), live: false, group: Transactions },
    Setting { path: "transactions.timeout_ms", label: "Transaction timeout", help: "transaction.timeout.ms: the coordinator aborts a transaction left open this long, such as a crashed consumer's that nobody restarts (Kafka Streams sets 10 s; the producer's default is 60 s). Until then read_committed readers wait behind it.", unit: MS, kind: int(1, MAX_DELAY_MS), live: false, group: Transactions },
    Setting { path: "transactions.isolation", label: "Output reader isolation", help: "isolation.level of the output topic's reader: read_committed sees only committed transactions, and nothing past one still open (the last stable offset); read_uncommitted, the consumer client's default, sees every record as soon as it is written, aborted ones too, so an abort and the redo show the output twice.", unit: "", kind: Kind::Choice(&[choice("\"read_committed\"", "read_committed"), choice("\"read_uncommitted\"", "read_uncommitted")]), live: false, group: Transactions },
    Setting { path: "transactions.external_effect", label: "External effect", help: "The stage also charges a card while processing. No Kafka transaction covers a call to a payments API: an aborted transaction is redone, and the card is charged again, unless the charge is made idempotent (a dedup store marked with the effect: the inbox pattern).", unit: "", kind: Kind::Flag, live: false, group: Transactions },
    Setting { path: "consumers.commit", label: "Commit", help: "When the offset is committed: before processing (at-most-once), after (at-least-once), or automatically (auto-commit: librdkafka commits on a timer whatever was handed to the app, processed or not; the Java client commits in poll() what it has processed). On the queue broker it is the acknowledgement: before processing acknowledges each delivery as it arrives (as auto-ack does), after is a manual basic.ack, and the timer acknowledges everything delivered so far (basic.ack with multiple).", unit: "", kind: Kind::Choice(&[choice(r#"{"mode":"before_processing"}"#, "Before processing (at-most-once)"), choice(r#"{"mode":"after_processing"}"#, "After processing (at-least-once)"), choice(r#"{"mode":"auto","interval_ms":5000}"#, "Auto-commit on a timer")]), live: true, group: Consumers },
    Setting { path: "consumers.commit.interval_ms", label: "Auto-commit interval", help: "How often auto-commit commits: librdkafka past the last record handed to the app, processed or not; the Java client, at its next poll() once the interval is up, past what the app has processed.", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Consumers },
    Setting { path: "consumers.crash.point", label: "Crash point", help: "The pipeline step after which random crashes strike. Under auto-commit, the commit is the timer's; the dedup mark needs a dedup store.", unit: "", kind: Kind::Choice(&[choice("\"after_receive\"", "After receive"), choice("\"after_commit\"", "After the commit"), choice("\"after_effect\"", "After the effect"), choice("\"after_dedup_mark\"", "After the dedup mark")]), live: true, group: Consumers },
    Setting { path: "consumers.crash.probability", label: "Crash probability", help: "Chance that a consumer crashes each time a message passes the crash point.", unit: "", kind: num(0.0, 1.0), live: true, group: Consumers },
    Setting { path: "consumers.crash.restart_delay_ms", label: "Restart delay", help: "How long a crashed consumer stays down before it restarts and rejoins.", unit: MS, kind: opt(0, MAX_DELAY_MS, "stays down"), live: true, group: Consumers },
    Setting { path: "consumers.session_timeout_ms", label: "Session timeout", help: "How long the coordinator waits for a silent consumer before it declares it dead and moves its partitions (session.timeout.ms; Java default 45 s, brokers accept 6 s to 30 min).", unit: MS, kind: int(6_000, 1_800_000), live: true, group: Consumers },
    Setting { path: "consumers.rebalance_ms", label: "Rebalance time", help: "How long a rebalance takes once every member has rejoined (the leader assigns, the coordinator hands out).", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Consumers },
    Setting { path: "consumers.max_poll_interval_ms", label: "Max poll interval", help: "A consumer holding one record longer than this leaves the group and its partitions move; its later commit fails (max.poll.interval.ms, Java default 5 min). Also the rebalance timeout.", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Consumers },
    Setting { path: "consumers.assignor", label: "Assignor", help: "How partitions are shared out (partition.assignment.strategy). Range and round robin stop the whole group at every rebalance; cooperative sticky moves only the partitions that change owner, in two rebalances.", unit: "", kind: Kind::Choice(&[choice("\"range\"", "Range"), choice("\"round_robin\"", "Round robin"), choice("\"cooperative_sticky\"", "Cooperative sticky")]), live: false, group: Consumers },
    Setting { path: "consumers.auto_offset_reset", label: "Offset reset", help: "Where a consumer starts on a partition its group has no committed offset for, or whose offset retention deleted (auto.offset.reset): the oldest record kept (earliest), the log end (latest, both clients' default: the group never reads the records before it), or none (the Java client's poll() throws and here the consumer stops; librdkafka's 'error' stops only that partition).", unit: "", kind: Kind::Choice(&[choice("\"earliest\"", "Earliest (oldest record kept)"), choice("\"latest\"", "Latest (log end; the default)"), choice("\"none\"", "None (stop with an error, Java)")]), live: true, group: Consumers },
    Setting { path: "consumers.static_membership", label: "Static membership", help: "group.instance.id set: a consumer restarting within its session timeout gets its partitions back without a rebalance.", unit: "", kind: Kind::Flag, live: true, group: Consumers },
    Setting { path: "processing.service.distribution", label: "Processing time", help: "How processing times vary around their mean.", unit: "", kind: Kind::Choice(&[choice("\"exponential\"", "Exponential"), choice("\"constant\"", "Constant"), choice("\"uniform\"", "Uniform (0 to twice the mean)")]), live: true, group: Processing },
    Setting { path: "processing.service.mean_ms", label: "Mean processing time", help: "Mean time of one processing attempt.", unit: MS, kind: num(0.0, MAX_DELAY_MS as f64), live: true, group: Processing },
    Setting { path: "processing.failure_probability", label: "Failure probability", help: "Chance that one processing attempt fails with a transient error.", unit: "", kind: num(0.0, 1.0), live: true, group: Processing },
    Setting { path: "processing.retry.max_retries", label: "Max retries", help: "Retries after the first attempt; then the message is dead-lettered.", unit: "retries", kind: int(0, MAX_RETRIES as u64), live: true, group: Processing },
    Setting { path: "processing.retry.policy", label: "Backoff policy", help: "How the wait before a retry grows: none (no retries: straight to the dead-letter queue), immediate (no wait), fixed (the base every time) or exponential (the base times the multiplier per retry, up to the cap).", unit: "", kind: Kind::Choice(&[choice("\"none\"", "None (no retries)"), choice("\"immediate\"", "Immediate"), choice("\"fixed\"", "Fixed"), choice("\"exponential\"", "Exponential")]), live: true, group: Processing },
    Setting { path: "processing.retry.backoff_ms", label: "Retry backoff", help: "The base wait: before the first retry, and before every retry under fixed.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Processing },
    Setting { path: "processing.retry.multiplier", label: "Backoff multiplier", help: "Exponential only: each further retry waits this many times longer (2: doubling).", unit: "×", kind: int(1, 10), live: true, group: Processing },
    Setting { path: "processing.retry.cap_ms", label: "Backoff cap", help: "Exponential only: no wait is longer than this.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Processing },
    Setting { path: "processing.retry.jitter", label: "Jitter", help: "Spreads each wait at random so consumers that failed together do not retry together (AWS, \"Exponential Backoff and Jitter\"): none; full (anywhere from 0 to the wait); equal (from half the wait to all of it); decorrelated (from the base to three times the previous wait, up to the cap; exponential only).", unit: "", kind: Kind::Choice(&[choice("\"none\"", "None"), choice("\"full\"", "Full"), choice("\"equal\"", "Equal"), choice("\"decorrelated\"", "Decorrelated")]), live: true, group: Processing },
    Setting { path: "processing.retry.mode", label: "Retry mode", help: "In place: the consumer and all its partitions wait (evicted past max.poll.interval.ms). Re-append: commit, append again after the backoff, move on; per-key order breaks. Here a pending re-append survives a crash; held in memory it would not: produce to a retry topic before committing. Requeue (queue broker only): basic.nack with requeue, the queue delivers it again at once, with no backoff.", unit: "", kind: Kind::Choice(&[choice("\"in_place\"", "In place (blocks its partitions)"), choice("\"reappend\"", "Re-append (the consumer moves on)"), choice("\"requeue\"", "Requeue (queue broker: basic.nack)")]), live: true, group: Processing },
    Setting { path: "processing.poison_probability", label: "Poison messages", help: "Share of messages the payments API always refuses with 400 Bad Request (an invalid payload): no retry can help. Which messages is drawn from the seed, so a smaller share picks a subset of a larger one's.", unit: "", kind: num(0.0, 1.0), live: true, group: Processing },
    Setting { path: "processing.classify_poison", label: "Classify poison", help: "The handler treats a 400 as non-retryable: the message goes straight to the dead-letter queue, and the breaker ignores the error (it says nothing of the API's health). Off: retried like any error, and counted by the breaker.", unit: "", kind: Kind::Flag, live: true, group: Processing },
    Setting { path: "processing.dead_letter_queue", label: "Dead-letter queue", help: "Park a message whose retries ran out (or a classified poison message). Off: there is nowhere to put it, so the consumer keeps trying, each time after the schedule's last wait; in place, a poison message stalls its partition for good.", unit: "", kind: Kind::Flag, live: true, group: Processing },
    Setting { path: "downstream.capacity_per_sec", label: "API capacity", help: "Calls per second the payments API accepts (a token bucket, as API gateways throttle); a call above it is refused at once with 429 Too Many Requests. Retries add calls: a retry storm shows as load above capacity.", unit: "calls/s", kind: opt(1, MAX_CAPACITY_PER_SEC, "unlimited"), live: true, group: Downstream },
    Setting { path: "downstream.burst", label: "API burst", help: "Calls the rate limiter accepts at once after a quiet spell (the bucket's size); by default a second's worth. Consumers that failed together and retry together, without jitter, arrive as one burst: those beyond it get 429.", unit: "calls", kind: opt(1, MAX_CAPACITY_PER_SEC, "a second's worth"), live: true, group: Downstream },
    Setting { path: "downstream.outage", label: "API outage", help: "The payments API is down: every call started meanwhile fails with 503 Service Unavailable after its usual time. Use the fault schedule for an outage window.", unit: "", kind: Kind::Flag, live: true, group: Downstream },
    Setting { path: "downstream.slow_factor", label: "API slow mode", help: "Every call started meanwhile takes this many times as long (1: normal). Slow calls can open the breaker (its slow-call threshold).", unit: "×", kind: int(1, 100), live: true, group: Downstream },
    Setting { path: "breaker.enabled", label: "Circuit breaker", help: "A circuit breaker (resilience4j 2.4's semantics and defaults) around the payments API call, shared by the consumers: it opens when the failure or slow-call rate of its window reaches the threshold, refuses calls while open, then lets a few test calls through (half-open). Changing a breaker setting during a run starts a new breaker, closed.", unit: "", kind: Kind::Flag, live: true, group: Breaker },
    Setting { path: "breaker.when_open", label: "When open", help: "Pause: the consumer keeps its message and waits, polling, until a call is let through (lag grows, nothing is lost). Fail fast: a refused call is a failed attempt (CallNotPermittedException), so retries and the dead-letter queue take it.", unit: "", kind: Kind::Choice(&[choice("\"pause\"", "Pause (back-pressure)"), choice("\"fail_fast\"", "Fail fast (retry, then DLQ)")]), live: true, group: Breaker },
    Setting { path: "breaker.config.failure_rate_threshold", label: "Failure rate threshold", help: "Opens when the window's failure rate is at or above this percentage (failureRateThreshold, default 50).", unit: "%", kind: num(0.0, 100.0), live: true, group: Breaker },
    Setting { path: "breaker.config.slow_call_rate_threshold", label: "Slow-call rate threshold", help: "Opens when the window's share of slow calls is at or above this percentage (slowCallRateThreshold, default 100).", unit: "%", kind: num(0.0, 100.0), live: true, group: Breaker },
    Setting { path: "breaker.config.slow_call_duration_threshold_ms", label: "Slow call above", help: "A call longer than this counts as slow (slowCallDurationThreshold, default 60 s).", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Breaker },
    Setting { path: "breaker.config.sliding_window_type", label: "Window type", help: "Judge the last N calls (count-based, the default) or the calls of the last N seconds (time-based).", unit: "", kind: Kind::Choice(&[choice("\"count_based\"", "Count-based (last N calls)"), choice("\"time_based\"", "Time-based (last N seconds)")]), live: true, group: Breaker },
    Setting { path: "breaker.config.sliding_window_size", label: "Window size", help: "N: calls, or seconds, in the window (slidingWindowSize, default 100).", unit: "", kind: int(1, MAX_BREAKER_WINDOW as u64), live: true, group: Breaker },
    Setting { path: "breaker.config.minimum_number_of_calls", label: "Minimum calls", help: "No rate is computed (and the breaker stays closed) before the window holds this many calls; a count-based window caps it at its size (minimumNumberOfCalls, default 100).", unit: "calls", kind: int(1, MAX_BREAKER_WINDOW as u64), live: true, group: Breaker },
    Setting { path: "breaker.config.wait_duration_in_open_state_ms", label: "Open for", help: "How long it stays open before letting test calls through (waitDurationInOpenState, default 60 s).", unit: MS, kind: int(1, MAX_DELAY_MS), live: true, group: Breaker },
    Setting { path: "breaker.config.permitted_number_of_calls_in_half_open_state", label: "Half-open test calls", help: "Calls let through in half-open; judged by the same thresholds, they close it or open it again (permittedNumberOfCallsInHalfOpenState, default 10).", unit: "calls", kind: int(1, MAX_BREAKER_WINDOW as u64), live: true, group: Breaker },
    Setting { path: "breaker.config.max_wait_duration_in_half_open_state_ms", label: "Half-open limit", help: "Half-open goes back to open if its test calls have not decided by then; 0 waits for ever (maxWaitDurationInHalfOpenState, default 0).", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Breaker },
    Setting { path: "breaker.config.automatic_transition_from_open_to_half_open_enabled", label: "Half-open by itself", help: "Move to half-open as soon as the wait is over; off (the default), the first call asked for after it does.", unit: "", kind: Kind::Flag, live: true, group: Breaker },
    Setting { path: "idempotency.mode", label: "Idempotency", help: "How the consumer avoids applying an effect twice (atomic: effect and mark in one local database transaction). Versioning keeps each key's last applied version with its state and ignores an event no newer than it, so an older event that arrives late is never applied; a unique constraint rejects a second insert of the same message id.", unit: "", kind: Kind::Choice(&[choice("\"none\"", "None"), choice("\"dedup_check_then_act\"", "Dedup store, check then act"), choice("\"dedup_atomic\"", "Dedup store, atomic with the effect"), choice("\"natural\"", "Natural (SET, not ADD)"), choice("\"versioning\"", "Versioning (newer versions only)"), choice("\"unique_constraint\"", "Unique constraint on insert")]), live: true, group: Idempotency },
    Setting { path: "idempotency.dedup_ttl_ms", label: "Dedup TTL", help: "How long the dedup store remembers a processed id; a later duplicate slips through.", unit: MS, kind: opt(1, MAX_LONG_MS, "forever"), live: true, group: Idempotency },
    Setting { path: "metrics.sample_interval_ms", label: "Chart interval", help: "Sim time between chart samples.", unit: MS, kind: int(1, MAX_DELAY_MS), live: false, group: Metrics },
    Setting { path: "metrics.history", label: "Chart history", help: "Samples kept per chart series.", unit: "samples", kind: int(1, MAX_HISTORY as u64), live: false, group: Metrics },
    Setting { path: "metrics.journal", label: "Event log size", help: "Recent events kept for the event log; 0 switches it off.", unit: "events", kind: int(0, MAX_JOURNAL as u64), live: false, group: Metrics },
    Setting { path: "metrics.recent_messages", label: "Recent messages kept", help: "Settled messages whose records and journeys stay inspectable (in-flight ones always are).", unit: "messages", kind: int(0, MAX_RECENT_MESSAGES as u64), live: false, group: Metrics },
    Setting { path: "alerts.lag_above", label: "Lag alert above", help: "Fires when the group's total lag stays above this many messages for the time set in alerts.lag_for_ms.", unit: "messages", kind: opt(0, MAX_LONG_MS, "off"), live: true, group: Alerts },
    Setting { path: "alerts.lag_for_ms", label: "Lag alert after", help: "How long the lag must stay above its threshold, at every chart sample, before the alert fires.", unit: MS, kind: int(0, MAX_DELAY_MS), live: true, group: Alerts },
    Setting { path: "alerts.error_rate_above", label: "Error-rate alert above", help: "Fires when more than this share of the processing attempts that ended in the last 5 s failed.", unit: "%", kind: opt(0, 99, "off"), live: true, group: Alerts },
    Setting { path: "alerts.p99_above_ms", label: "P99 alert above", help: "Fires when the p99 time in system of the messages settled in one chart interval is above this.", unit: MS, kind: opt(0, MAX_LONG_MS, "off"), live: true, group: Alerts },
    Setting { path: "alerts.dlq_growing", label: "DLQ-growing alert", help: "Fires when the dead-letter queue grew in each of the last two 5 s spans.", unit: "", kind: Kind::Flag, live: true, group: Alerts },
];

/// The setting at `path`, if there is one.
pub fn find(path: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.path == path)
}

/// How a number reads in a message: whole numbers without a decimal point.
fn show(v: &Value) -> String {
    match v {
        Value::Number(n) => n.as_u64().map(|u| u.to_string()).unwrap_or_else(|| plain(n.as_f64().unwrap_or(f64::NAN))),
        other => other.to_string(),
    }
}

impl Setting {
    /// Whether `value` is one this setting takes; the message says what it takes instead.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let range = |min: f64, max: f64, integer: bool| -> Result<(), String> {
            let ok = value.as_f64().is_some_and(|v| v.is_finite() && v >= min && v <= max)
                && (!integer || value.as_u64().is_some());
            if ok {
                Ok(())
            } else if integer
                && value.is_number()
                && value.as_u64().is_none()
                && value.as_f64().is_some_and(|v| v >= min && v <= max)
            {
                Err(format!("must be a whole number (got {})", show(value)))
            } else {
                Err(format!("must be between {} and {} (got {})", Plain(min), Plain(max), show(value)))
            }
        };
        match self.kind {
            Kind::Number { min, max, integer } => range(min, max, integer),
            Kind::Optional { .. } if value.is_null() => Ok(()),
            Kind::Optional { min, max, .. } => range(min, max, true),
            Kind::Flag if value.is_boolean() => Ok(()),
            Kind::Flag => Err(format!("must be true or false (got {value})")),
            Kind::Choice(choices) => {
                if choices.iter().any(|c| c.is(value)) {
                    return Ok(());
                }
                // A choice given as an object (the commit strategy) may carry its own numbers.
                let tag = |v: &Value| v.get("mode").cloned();
                if value.is_object()
                    && choices
                        .iter()
                        .any(|c| serde_json::from_str::<Value>(c.json).ok().and_then(|c| tag(&c)) == tag(value))
                {
                    return Ok(());
                }
                let names: Vec<String> = choices.iter().map(Choice::shown).collect();
                Err(format!("must be one of {} (got {value})", names.join(", ")))
            }
        }
    }

    /// The value in plain words, e.g. `Retention 5000 ms`, `Acks 1 (leader)`, `Dedup TTL forever`.
    pub fn describe(&self, value: &Value) -> String {
        let words = match self.kind {
            Kind::Optional { none, .. } if value.is_null() => none.to_string(),
            Kind::Flag => if value.as_bool() == Some(true) { "on" } else { "off" }.to_string(),
            Kind::Choice(choices) => {
                choices.iter().find(|c| c.is(value)).map_or_else(|| value.to_string(), |c| c.label.to_string())
            }
            _ if self.unit.is_empty() => show(value),
            _ => format!("{} {}", show(value), self.unit),
        };
        format!("{} {words}", self.label)
    }
}

/// Checks every described setting of a scenario, read by path with `value_at`, in table order.
/// Returns the path of the first value out of range and what it should be.
pub fn check_all(value_at: impl Fn(&str) -> Option<Value>) -> Result<(), (&'static str, String)> {
    for s in SETTINGS {
        if let Some(v) = value_at(s.path) {
            s.check(&v).map_err(|m| (s.path, m))?;
        }
    }
    Ok(())
}

/// One line per setting for `eda-lab run --help`: path, what it takes, help.
pub fn help_lines() -> String {
    let mut out = String::new();
    for s in SETTINGS {
        let takes = match s.kind {
            Kind::Number { min, max, .. } => format!("{min}..{max} {}", s.unit),
            Kind::Optional { min, max, none } => format!("null ({none}) or {min}..{max} {}", s.unit),
            Kind::Choice(cs) => cs.iter().map(Choice::shown).collect::<Vec<_>>().join(" | "),
            Kind::Flag => "true | false".into(),
        };
        let live = if s.live { "" } else { " [new run]" };
        out.push_str(&format!("  {:<33} {}{live}\n  {:<34}{}\n", s.path, takes.trim_end(), "", s.help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::scenario::Scenario;

    #[test]
    fn every_path_exists_and_its_default_is_valid() {
        let s = Scenario::default();
        for setting in SETTINGS {
            if setting.path == "consumers.commit.interval_ms" {
                continue; // present only under auto-commit
            }
            let v = s.setting(setting).unwrap_or_else(|| panic!("{} is not a scenario field", setting.path));
            setting.check(&v).unwrap_or_else(|e| panic!("{}: default {v} {e}", setting.path));
            assert_eq!(s.with_setting(setting, &v).unwrap(), s, "{} round-trips", setting.path);
        }
    }

    #[test]
    fn choices_are_exactly_the_enums_values() {
        for setting in SETTINGS {
            if let Kind::Choice(choices) = setting.kind {
                // The queue broker has one queue: a base it can run on.
                let mut base = Scenario::default();
                base.topic.partitions = 1;
                // Requeueing is the queue broker's: a choice only it takes is tried there.
                let queue = Scenario { broker: crate::sim::config::queue::BrokerKind::Queue, ..base.clone() };
                for c in choices {
                    let v: Value = serde_json::from_str(c.json).unwrap();
                    base.with_setting(setting, &v)
                        .or_else(|_| queue.with_setting(setting, &v))
                        .unwrap_or_else(|e| panic!("{} {}: {e}", setting.path, c.json));
                }
                let bogus = Value::String("bogus".into());
                assert!(Scenario::default().with_setting(setting, &bogus).is_err(), "{}", setting.path);
            }
        }
    }

    #[test]
    fn ranges_name_the_limit() {
        let rate = find("producer.rate_per_sec").unwrap();
        assert_eq!(rate.check(&Value::from(2e6)).unwrap_err(), "must be between 0 and 1000000 (got 2000000)");
        let partitions = find("topic.partitions").unwrap();
        assert_eq!(partitions.check(&Value::from(2.5)).unwrap_err(), "must be a whole number (got 2.5)");
        assert!(find("topic.retention_ms").unwrap().check(&Value::Null).is_ok());
        assert!(find("nonsense").is_none());
        assert_eq!(find("topic.retention_ms").unwrap().describe(&Value::Null), "Retention forever");
        assert_eq!(find("producer.acks").unwrap().describe(&Value::from("1")), "Acks 1 (leader)");
        assert_eq!(find("network.latency_ms").unwrap().describe(&Value::from(5)), "Network latency 5 ms");
    }

    /// acks takes "-1" as Kafka's clients do: the same value as "all", written "all".
    #[test]
    fn acks_minus_one_is_all() {
        let acks = find("producer.acks").unwrap();
        acks.check(&Value::from("-1")).unwrap();
        assert_eq!(acks.describe(&Value::from("-1")), "Acks all (in-sync replicas)");
        assert!(acks.check(&Value::from("-2")).unwrap_err().contains(r#""all" (or "-1")"#));
        let mut s = Scenario::default();
        s.producer.acks = crate::sim::config::scenario::Acks::Leader;
        let all = s.with_setting(acks, &Value::from("-1")).unwrap();
        assert_eq!(all.setting(acks), Some(Value::from("all")));
        assert!(help_lines().contains(r#""0" | "1" | "all" (or "-1")"#));
        assert_eq!(find("network.latency_ms").unwrap().describe(&Value::from(5)), "Network latency 5 ms");
    }
}
