//! The glossary: the words the simulator and the lessons use, each defined in a sentence or two as
//! real Kafka and RabbitMQ behave, so that a learner outside a lesson can look one up without
//! leaving the run. Each term's `<dt>` has an id (`gloss-offset`, ...) that other text can link to.

use yew::prelude::*;

/// Each term's element id, its name and its definition, in the order the guide introduces them:
/// the log, the queue, the delivery guarantees, failure handling, then the patterns. Static
/// strings, so drawing the glossary on every frame allocates nothing for them.
const TERMS: &[(&str, &str, &str)] = &[
    (
        "gloss-event",
        "Event",
        "A record of something that happened, such as OrderPlaced: a fact, not changed once published. Its producer publishes it to a broker without knowing who consumes it.",
    ),
    (
        "gloss-topic",
        "Topic",
        "In Kafka, a named log of events split into partitions. Reading a record does not remove it, so any number of consumer groups can read the same records.",
    ),
    (
        "gloss-partition",
        "Partition",
        "One ordered, append-only part of a topic. Order holds within a partition, not across partitions. Partitions are the unit of parallel reading: a group has at most one busy member per partition.",
    ),
    (
        "gloss-offset",
        "Offset",
        "A record's position in its partition: a number given as the record is appended, larger than every earlier one's and never reused.",
    ),
    (
        "gloss-key",
        "Key",
        "An optional value on a record, such as a customer id. The default partitioner hashes it to pick the partition, so records with one key stay in one partition, in order, while the partition count stays the same.",
    ),
    (
        "gloss-consumer-group",
        "Consumer group",
        "Consumers sharing one group.id. They share the topic's partitions, each partition read by one member at a time; members beyond the partition count wait idle. Every group reads every record and commits its own offsets.",
    ),
    (
        "gloss-rebalance",
        "Rebalance",
        "The group's partitions assigned again among its members: when one joins or leaves, when one sends no heartbeat for the session timeout (as after a crash), or when the topic gains partitions. A moved partition's new owner starts at the group's committed offset.",
    ),
    (
        "gloss-commit",
        "Commit (of offsets)",
        "A consumer saving, per partition, the offset of the next record its group should read: one past the last record it is done with. After a crash or a rebalance reading resumes there, so committing after processing may repeat work and committing before it may skip work. With no committed offset, auto.offset.reset (earliest or latest) decides.",
    ),
    (
        "gloss-lag",
        "Lag",
        "How many records a group has still to process on a partition: the partition's end offset minus the group's committed offset. Lag that keeps growing means the group reads slower than producers write.",
    ),
    (
        "gloss-retention",
        "Retention",
        "How long (or up to what size) a Kafka topic keeps records, read or not. Older records are deleted a whole segment at a time, and a group that had not read them never will.",
    ),
    (
        "gloss-exchange",
        "Exchange",
        "In RabbitMQ, what a publisher sends to. It routes each message to zero or more queues by its type: direct (the routing key equals a binding key), topic (binding patterns: * for one word, # for zero or more), fanout (every bound queue) or headers (matching header values). A message that matches nothing is dropped, unless an alternate exchange takes it or, published as mandatory, it is returned to the publisher.",
    ),
    (
        "gloss-binding",
        "Binding",
        "A link from an exchange to a queue, with a binding key (or header values, for a headers exchange) that says which messages the queue gets.",
    ),
    (
        "gloss-routing-key",
        "Routing key",
        "A string the publisher sets on each message, such as order.placed. Direct and topic exchanges compare it with binding keys; a topic key's words are separated by dots.",
    ),
    (
        "gloss-ack",
        "Acknowledgement (ack, nack)",
        "A RabbitMQ consumer's ack tells the broker a delivery is handled, and the broker deletes the message. A nack (or reject) reports a failure: the message is requeued, or with requeue off dead-lettered (dropped if there is no dead-letter exchange). A delivery still unacked when its channel closes goes back to the queue, marked redelivered. With auto-ack a message counts as acked as soon as it is sent.",
    ),
    (
        "gloss-prefetch",
        "Prefetch",
        "The most unacknowledged deliveries RabbitMQ will have out to a consumer (basic.qos): with that many open it sends no more until one is acked. Prefetch 1 gives the next message to whichever consumer is free.",
    ),
    (
        "gloss-at-most-once",
        "At-most-once",
        "Each message takes effect zero or one times: nothing is delivered again, so a failure can lose a message but never doubles it. For example, a consumer that commits (or auto-acks) before processing and crashes mid-way.",
    ),
    (
        "gloss-at-least-once",
        "At-least-once",
        "Each message takes effect one or more times: it is delivered again until its processing is acknowledged, so none is lost, but a crash after the effect and before the commit or ack repeats it. The consumer must be idempotent.",
    ),
    (
        "gloss-exactly-once",
        "Exactly-once",
        "Each message takes effect once. Kafka's transactions give this inside Kafka: a read-process-write step commits its output records and its input offsets together, and read_committed readers never see an aborted write. An effect outside Kafka, such as a card charge, is not covered and needs idempotency. RabbitMQ has no exactly-once delivery.",
    ),
    (
        "gloss-idempotency",
        "Idempotency (dedup store)",
        "Processing a message twice has the effect of processing it once: naturally (SET a status rather than ADD an amount), by a version or unique-key check, or with a dedup store of processed message ids. A store checked before the effect and marked after it still duplicates when a crash falls in between; mark it in the effect's own transaction.",
    ),
    (
        "gloss-retry",
        "Retry with backoff and jitter",
        "Trying a failed message again after a wait that grows with each attempt (exponential backoff: say 1, 2, 4, 8 s), up to a maximum number of attempts. Jitter draws each wait at random (full jitter: between 0 and the computed wait), so consumers that failed together do not retry together.",
    ),
    (
        "gloss-poison",
        "Poison message",
        "A message that fails however often it is retried, such as one that cannot be decoded or one the API always refuses (400). Retried in place on a Kafka partition, it blocks every record behind it; it belongs in a dead-letter queue.",
    ),
    (
        "gloss-dlq",
        "Dead-letter queue (DLQ)",
        "Where messages that cannot be processed (poison, or out of retries) are set aside so the rest keep flowing, to be inspected and redriven (published again) after a fix. In Kafka it is an ordinary topic that the application (or Kafka Connect) writes to; in RabbitMQ a queue's dead-letter exchange receives messages rejected without requeue, expired by their TTL or dropped by a length limit.",
    ),
    (
        "gloss-breaker",
        "Circuit breaker",
        "A guard around calls to a downstream service. Closed, it lets calls through and counts failures; after too many it opens, and calls fail at once without reaching the service while it recovers. After a wait it turns half-open and lets a few trial calls through: it closes if they succeed and opens again if not.",
    ),
    (
        "gloss-p99",
        "p99",
        "The 99th percentile: the value 99% of measurements are at or below. A p99 latency of 2 s means at most 1 message in 100 took longer; it shows the slow tail an average hides.",
    ),
    (
        "gloss-event-sourcing",
        "Event sourcing",
        "Storing an entity as the append-only list of events that changed it (Deposited, Withdrawn...) rather than only its latest state. The state is rebuilt by replaying the events, snapshots shorten the replay, and a correction is a new event, so the history is a full audit trail.",
    ),
    (
        "gloss-cqrs",
        "CQRS",
        "Command Query Responsibility Segregation: one model handles commands (writes) and publishes events; separate read models consume them to answer queries. Each side scales on its own, and a read model lags the writes, so a read can be stale.",
    ),
    (
        "gloss-schema-registry",
        "Schema registry, compatibility",
        "A service that keeps each subject's schema versions (Avro, Protobuf, JSON Schema). Producers put a schema's id in each message and consumers fetch the schema by id to decode it. The subject's compatibility mode decides which new versions it accepts: BACKWARD (the default: readers of the new schema can read data written with the previous one), FORWARD (readers of the previous schema can read the new one's data), FULL (both) or NONE (no check).",
    ),
];

/// A plain function, not a component (each component type costs the web build about 1 kB): the
/// `<details>` keeps its own open state in the DOM, which Yew never sets, so redrawing it with the
/// page leaves it open or closed as the learner left it. Each term and its definition share a
/// `<div>` (which a `<dl>` allows) so that the columns never split a pair.
pub fn glossary() -> Html {
    let terms = TERMS.iter().map(|&(id, term, text)| {
        html! { <div><dt {id}>{term}</dt><dd>{text}</dd></div> }
    });
    html! {
        <details class="glossary" data-testid="glossary">
            <summary>{"Glossary"}</summary>
            <dl>{ for terms }</dl>
        </details>
    }
}
