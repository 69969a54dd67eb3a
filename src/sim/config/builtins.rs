//! The built-in scenarios: one per lesson of the guide. Each starts from the defaults and states
//! only what it is about, so the difference between two scenarios is the lesson.

use super::pattern_lessons::{outbox_lesson, schema_lesson, shop_lesson, sourcing_lesson};
use crate::sim::broker::amqp::headers::{FieldTable, FieldValue};
use crate::sim::command::Command;
use crate::sim::config::scenario::*;
use crate::sim::ids::ConsumerId;

/// Name and one-line summary of every built-in scenario, in the order the page lists them.
pub const CATALOG: &[(&str, &str)] = &[
    (
        "at-least-once",
        "Commit after processing; a consumer crashes after the effect, before the commit: duplicate charges.",
    ),
    (
        "at-most-once",
        "No producer retries, commit before processing: a crash after the commit, before the effect, loses messages.",
    ),
    (
        "dedup-check-then-act",
        "A dedup store checked before and marked after the effect: a crash in between still duplicates.",
    ),
    (
        "dedup-atomic",
        "Effect and dedup mark in one local database transaction: no more duplicates. (A remote payments API can't join one: use its idempotency key.)",
    ),
    ("natural-idempotency", "The effect is a SET, not an ADD: redeliveries are absorbed, nothing doubles."),
    (
        "versioning",
        "Each customer's record keeps the version of the last event applied to it, and the effect writes only a newer one, in the same transaction: a redelivery after a crash changes nothing. But the payments API fails 20% of attempts and failures go to a retry topic, behind the later events of the same key. When a retried event comes back, its key is already at a newer version, so versioning ignores it: its update is never applied (lost, stale_version). Switch the retry mode to in place: each key's events stay in order and nothing is ignored, at the cost of a blocked partition while it retries.",
    ),
    (
        "idempotency-unique-constraint",
        "Each charge inserts a row keyed by the event id, in the same database transaction as the charge. Consumers crash after the charge, before the commit: the redelivery's insert violates the unique constraint, the transaction rolls back, and nothing is charged twice. The row stays as long as the table does, so unlike a dedup store with a time to live, a redelivery however late is caught.",
    ),
    (
        "auto-commit",
        "librdkafka's auto-commit: a timer commits past the last record handed to the app, processed or not; a crash duplicates or loses.",
    ),
    (
        "acks-0",
        "Three brokers, each partition copied to all three. The producer sends with acks=0 and waits for nothing. Broker 0 crashes at 10 s; until the controller notices (2 s here), its partitions have no leader and everything sent to them is lost without the producer knowing (acks0_no_leader). Records the old leader took but had not yet passed to a follower are lost too (leader_failover). Try acks 1, then all.",
    ),
    (
        "acks-1-failover",
        "Three brokers, three copies, acks=1: the leader acknowledges a write as soon as it has it. A follower copies new records 100 ms later. When broker 0 and then broker 1 crash, writes they had acknowledged but not yet passed on are gone, because the new leader never had them (leader_failover). Switch acks to all: the producer waits until every in-sync replica has the record, so nothing acknowledged is lost.",
    ),
    (
        "acks-all-min-isr",
        "Three copies, acks=all, min.insync.replicas 2, idempotent producer. Broker 0 crashes at 10 s, and nothing acknowledged is lost. Broker 1 follows at 20 s. With only one replica in sync, the leaders refuse acks=all writes (NotEnoughReplicas) instead of keeping one copy, and the producer retries. Broker 0 is back at 35 s, catches up and rejoins the in-sync replicas, and the writes go through. Nothing is lost, nothing duplicated.",
    ),
    (
        "exactly-once-pipeline",
        "A stage reads orders from one topic and writes a charge request for each to an output topic, as a Kafka Streams app with exactly_once_v2 does: every 100 ms each consumer commits one transaction holding its output records and its input offsets. Consumers crash after writing an output, before the commit. The open transaction is aborted when the consumer's producer starts again under the same transactional.id, and its inputs are read and written again. The output topic's read_committed reader (the counted effect) never sees an aborted record: nothing duplicated, nothing lost. Set the reader to read_uncommitted: it sees the aborted records too, and counts duplicates.",
    ),
    (
        "eos-external-effect",
        "The same exactly-once stage also charges the card while processing. The transaction covers the output records and the offsets, not the payments API: a crash after the charge, before the commit, aborts the transaction, the input is processed again, and the card is charged twice, though the output topic still holds each record once. Try idempotency dedup_atomic, the inbox pattern: the charge and the event's id are recorded in one local database transaction, so the redo finds the id and charges nothing (for a remote payments API, its idempotency key plays that part).",
    ),
    (
        "outbox",
        "The order service records each order and its OrderPlaced event in one database transaction: the event goes into an outbox table. A relay publishes new rows every 100 ms and marks them sent once the broker acknowledged them. It crashes now and then after publishing, before marking, and publishes those rows again: the log holds second copies (the idempotent producer cannot recognise them, new records to it), and the consumers' inbox, a dedup store marked in the charge's own transaction, absorbs them. Nothing lost, nothing charged twice. Set publishing to dual_write: the service commits, then publishes, and a crash in between loses the event (dual_write). Set idempotency to none: the second copies are charged twice.",
    ),
    (
        "event-sourced-bank",
        "A bank whose 8 accounts are event-sourced: each client command is checked against the account's state, the fold of its events, and appends one event to its stream (Opened, Deposited, Withdrawn, TransferSent, TransferReceived, Reversed), or is refused (insufficient funds) and appends nothing; a snapshot every 10 events. Until 5 s the old service writes deposits in schema v1 (whole units), upcast when read. Two projections consume the events: a balance view and a slower statement view, each lagging the writes (staleness). At 10 s a balance-view consumer crashes after applying an event, before committing: the event is applied again, and that account's balance in the view is wrong. Set idempotency to dedup_atomic: the views stay right. Turn the balance view's bug on, then off, and rebuild it from position 0. Give commands a handling time (300 ms): handlers of one account overlap, and an append expecting the version its handler read is refused as a conflict and retried on a fresh read; turn optimistic concurrency off and decisions made on stale reads go in (lost updates).",
    ),
    (
        "cqrs-shop",
        "A shop, the guide's CQRS case: writes (orders) and reads (the product catalogue) are served by different models. The write side holds 8 products and their orders; each client command lists a product, places an order (refused when too little is left), cancels one, restocks or changes a price, and each change is published as one event keyed by its product. Two read models consume the events: a product catalogue (2 consumers) and each customer's orders (1 consumer). Shoppers read the catalogue 20 times per write and never reach the write side. A read is stale while the view lacks an event of its product: it can show units already sold or an old price. Give the catalogue more consumers (the read side scales on its own; the writes do not change): fewer reads are stale, down to what processing one event takes. At 10 s a catalogue consumer crashes after applying an event, before committing: the event is applied again and that product's stock in the view is wrong. Set idempotency to dedup_atomic: the views stay right.",
    ),
    (
        "schema-evolution",
        "OrderPlaced events carry Avro schema v1 (order_id, customer, amount as int) from a registry subject in mode NONE; the consumers decode with v1 and dead-letter what they cannot decode. At 10 s a producer writing v2 deploys: amount became amount_cents (a long), with no default. The registry checks nothing under NONE and registers it; every event v2 writes fails to decode at the consumers (their v1 needs amount, which v2 does not have and which has no default): poison messages, the dead-letter queue grows. Set the mode to BACKWARD: the registry refuses v2 (v2 cannot read v1's data: amount_cents has no default), the producer keeps v1, nothing breaks. v3 adds currency with a default: compatible both ways.",
    ),
    ("hot-key", "80% of events share one key: one partition and its consumer fall behind while others idle."),
    (
        "producer-retries",
        "Idempotence off (on by default in Java since Kafka 3.2): acknowledgements get lost, the producer resends, the log holds duplicates.",
    ),
    (
        "idempotent-producer",
        "Same lost acknowledgements, but the broker drops the producer's own resends by id and sequence number (not an app's resend, nor after a restart).",
    ),
    (
        "retention",
        "A slow consumer and retention shortened for the demo (5 s, 1 s segments): whole segments are deleted before anyone reads them. Offset reset is earliest here: with latest, the default, the consumer would also jump to the log end.",
    ),
    (
        "offset-reset",
        "A new group's consumer crashes before its first commit and stays down. Its partition moves when its session times out, with no committed offset: the new owner starts at the log end (auto.offset.reset=latest, both clients' default) and never processes what came before. Try earliest.",
    ),
    ("retries-dlq", "Flaky processing retried in place: head-of-line blocking, lag, and a growing dead-letter queue."),
    (
        "retry-storm",
        "The payments API (80 calls/s, bursts of 4) is down from 3 s to 13 s. Its 16 consumers retry in place on exponential backoff without jitter: having failed together, they wait 1, 2, 4 and 8 s together, so hardly a call reaches the API in the 5 s after it is back; then they all come at once with a backlog, and calls beyond its capacity are refused (429) and wait again. Set jitter to full and restart: each wait is drawn between 0 and its full length, so some consumers try soon after the API returns, fewer calls are refused and messages wait less.",
    ),
    (
        "poison-pill",
        "A few messages the API always refuses (400), no dead-letter queue and nothing classified: each is retried for ever and its partition stalls while the others flow. Turn on the queue, then classify poison.",
    ),
    (
        "circuit-breaker",
        "The payments API is down from 5 s to 15 s. The circuit breaker opens, the consumers pause (lag grows, nothing is lost), test calls in half-open find it back, and it closes.",
    ),
    (
        "dlq-redrive",
        "Poison messages are parked in the dead-letter queue at their first 400. At 20 s the fix is deployed, at 22 s the queue is redriven: each parked message goes back in flight and is charged once.",
    ),
    (
        "work-queue",
        "A RabbitMQ-like queue: 3 consumers compete for its messages, each holding at most one unacknowledged delivery (prefetch 1), acknowledging after the charge. One crashes after the charge, before its ack: its connection closes, the delivery goes back to the queue flagged redelivered, and another consumer charges again. Any consumer takes any message, so there is no per-key order. Try dedup_atomic.",
    ),
    (
        "auto-ack-loss",
        "The same queue, each delivery acknowledged as it arrives, before the charge, as auto-ack does: the queue deletes the message at once. A consumer that crashes before the charge loses the message it held for good (with real auto-ack, also every message the queue had pushed ahead into its buffer): nothing delivers it again. Try acknowledging after processing.",
    ),
    (
        "queue-dlx",
        "A queue fed faster than its 2 consumers take (8 messages/s in, about 5/s out), with a 3 s message TTL, a length limit of 24 (drop-head) and a dead-letter exchange. The oldest waiting message is dropped when the queue is full (x-death reason maxlen), one that waits 3 s expires at the head (expired), and one a consumer gives up on after a retry is parked too: the dead-letter queue says which is which. Turn the dead-letter exchange off: the dropped and the expired are lost instead.",
    ),
    (
        "pubsub-fanout",
        "Publish-subscribe on the queue broker: each OrderPlaced goes through a fanout exchange to three queues, email, sms and push, and each subscriber's consumers take their own copy at their own pace. Email is quick; SMS is slower, so its queue runs longer; push fails 30% of its attempts, retries twice, then parks the message in its own dead-letter queue. At 10 s an SMS consumer crashes after sending a text, before its ack: that customer gets two texts, and email and push never notice. A message counts exactly once only when every subscriber handled it once. Try dedup_atomic: each subscriber keeps its own dedup store.",
    ),
    (
        "topic-routing",
        "A topic exchange routes each message by its routing key, here its event type. Email's queue is bound to order.* (order.placed and order.cancelled), shipping's to order.placed only, refunds' to payment.#. Each subscriber gets only what its binding matches, and a message counts exactly once when every queue it reached applied it once. customer.updated matches no binding: the exchange drops it (RabbitMQ still confirms it to the publisher), so those messages are lost as unroutable. Real setups catch them with an alternate exchange or a queue bound to #.",
    ),
    (
        "headers-routing",
        "A headers exchange ignores the routing key and matches the headers the publisher sets on each message. OrderPlaced carries region=eu and priority=high, OrderShipped region=us, InvoiceIssued region=eu and format=pdf, RefundIssued format=pdf and priority=high. eu-office's queue is bound with region=eu and x-match all: it gets OrderPlaced and InvoiceIssued. eu-urgent's asks for region=eu and priority=high with all, so both must match: OrderPlaced only. pdf-or-urgent's asks for format=pdf or priority=high with any, so one is enough: every type but OrderShipped. OrderShipped matches no binding, and the exchange's alternate exchange hands it to audit's queue instead of dropping it. Try your own headers in the routing explainer.",
    ),
    (
        "consumer-groups",
        "Publish-subscribe on the log: one topic of 4 partitions read by three consumer groups, billing (2 consumers), shipping (1, slower) and analytics (1). Each group reads every record at its own pace and commits its own offsets: shipping lags while billing keeps up, and reading a record deletes nothing. At 10 s the shipping consumer crashes after booking a shipment, before its commit: it restarts under a new member id, the group waits for the old one's session to time out, and then shipping reads that record again and ships the order twice; billing and analytics never notice. Try dedup_atomic: each group keeps its own dedup store.",
    ),
    (
        "stream-replay",
        "The log keeps what it delivered. Billing reads OrderPlaced from the start; at 20 s a new analytics service starts a consumer group of its own which, having no committed offsets and auto.offset.reset=earliest, replays the topic from its first record and catches up while billing stays current. A classic or quorum queue cannot do this: a message is gone once acknowledged, and a queue bound at 20 s gets only what is published after (RabbitMQ's streams, since 3.9, are logs that can). Try latest: analytics starts at the log end and never reads the first 20 s (each of those messages counts as lost).",
    ),
    (
        "stream-vs-queue",
        "Both brokers, one stream of OrderPlaced: the producer writes each event to a topic and publishes it to a fanout exchange. Billing reads both, as consumer group stream-billing and as queue queue-billing. At 20 s an analytics service starts on each side. Its new consumer group has no committed offsets and, with auto.offset.reset=earliest, replays the topic from its first record. Its new queue is declared at 20 s and gets only what is produced from then on: the earlier messages were deleted from billing's queue once acknowledged and never reached this one. Compare the two analytics subscribers' effects.",
    ),
    (
        "publisher-confirms",
        "The same queue, but the network loses 20% of publishes and of the broker's confirms. The publisher waits up to 1 s for each confirm and publishes again when none comes: nothing is lost, but a publish whose confirm was lost is queued twice (RabbitMQ has no idempotent publisher), and both copies are charged. Try dedup_atomic; or stop waiting for confirms (acks 0): no duplicates, and lost publishes are lost.",
    ),
];

/// The group is new, so a crash in its first seconds may come before a partition's first commit:
/// under latest (both clients' default) the partition's next reader would find no committed
/// offset and start at the log end, skipping what came before. That is the offset-reset lesson;
/// the lessons about crashes and commits read from the earliest offset instead, as at-least-once
/// needs.
pub(super) fn reads_from_earliest(s: &mut Scenario) {
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
}

/// Random crashes at `point` now and then, and consumer 0 armed to crash there early on, so the
/// lesson's effect shows in the first seconds of play.
fn crash_now_and_then(s: &mut Scenario, point: CrashPoint) {
    reads_from_earliest(s);
    s.consumers.crash = CrashConfig { point, probability: 0.03, restart_delay_ms: Some(1_000) };
    s.faults.push(ScheduledCommand {
        at_ms: 500,
        command: Command::CrashConsumer { consumer: ConsumerId(0), at: Some(point) },
    });
}

/// The idempotency lessons: crashes after the effect now and then, and the guard that stops (or
/// does not stop) the redelivery applying it again; versioning also meets a retry topic.
fn idempotency_lesson(name: &str, s: &mut Scenario) {
    s.idempotency.mode = match name {
        "dedup-check-then-act" => IdempotencyMode::DedupCheckThenAct,
        "dedup-atomic" => IdempotencyMode::DedupAtomic,
        "natural-idempotency" => IdempotencyMode::Natural,
        "idempotency-unique-constraint" => IdempotencyMode::UniqueConstraint,
        _ => IdempotencyMode::Versioning,
    };
    if s.idempotency.mode == IdempotencyMode::Versioning {
        s.producer.rate_per_sec = 3.0;
        s.producer.keys.count = 5;
        s.processing.failure_probability = 0.2;
        s.processing.retry =
            RetryPolicy { max_retries: 10, backoff_ms: 300, mode: RetryMode::Reappend, ..RetryPolicy::default() };
    }
    crash_now_and_then(s, CrashPoint::AfterEffect);
}

/// A consumer slower than the producer, and retention shortened to show within a minute.
fn retention(s: &mut Scenario) {
    s.producer.rate_per_sec = 4.0;
    s.topic.partitions = 2;
    // Kafka's defaults (7 days, 1 GiB segments, a check every 5 min) would delete nothing in a
    // demo: everything is shortened, and whole segments still go at once.
    s.topic.retention_ms = Some(5_000);
    s.topic.retention_check_ms = 500;
    s.topic.segment_ms = 1_000;
    s.consumers.count = 1;
    s.processing.service.mean_ms = 400.0;
    // Once retention deletes past the consumer's offset it is out of range: earliest resumes at the
    // oldest record kept, so the losses are retention's. Under latest, the clients' default, the
    // consumer would jump to the log end and skip the rest too.
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
}

/// Other names of built-in scenarios: the name, and the scenario it stands for.
pub const ALIASES: &[(&str, &str)] = &[("idempotency-versioning", "versioning")];

/// The one-line summary of built-in scenario `name` (or of the one its alias stands for).
pub fn summary(name: &str) -> Option<&'static str> {
    let name = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |&(_, n)| n);
    CATALOG.iter().find(|(n, _)| *n == name).map(|&(_, d)| d)
}

/// The built-in scenario called `name` (or one of its [`ALIASES`], which names it).
pub fn builtin(name: &str) -> Option<Scenario> {
    let description = summary(name)?.to_string();
    let mut s = Scenario { name: name.to_string(), description, ..Scenario::default() };
    let name = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |&(_, n)| n);
    // The shortest session timeout a broker accepts by default (group.min.session.timeout.ms),
    // instead of the Java client's 45 s, so a crash's consequences show within seconds.
    s.consumers.session_timeout_ms = 6_000;
    match name {
        "at-least-once" => crash_now_and_then(&mut s, CrashPoint::AfterEffect),
        "at-most-once" => {
            // Kafka's at-most-once: a producer that never resends, and a commit before processing.
            s.producer.retries = 0;
            s.consumers.commit = CommitStrategy::BeforeProcessing;
            crash_now_and_then(&mut s, CrashPoint::AfterCommit);
        }
        "dedup-check-then-act"
        | "dedup-atomic"
        | "natural-idempotency"
        | "versioning"
        | "idempotency-unique-constraint" => idempotency_lesson(name, &mut s),
        "auto-commit" => auto_commit_lesson(&mut s),
        "hot-key" => {
            s.producer.rate_per_sec = 8.0;
            s.producer.keys = KeySpace { count: 1_000, hot_key_share: 0.8 };
            s.topic.partitions = 4;
            s.consumers.count = 4;
            s.processing.service.mean_ms = 150.0;
        }
        "producer-retries" | "idempotent-producer" => {
            s.network.ack_loss = 0.15;
            // The default producer (acks=all, 5 retries, 5 in flight) meets what idempotence requires
            // (`rules.rs`).
            s.producer.idempotent = Some(name == "idempotent-producer");
        }
        "retention" => retention(&mut s),
        "offset-reset" => {
            // Consumer 0 crashes on its first record, before anything is committed, and stays
            // down: after the session timeout its partition goes to another consumer, which has no
            // committed offset to start from.
            s.consumers.crash.restart_delay_ms = None;
            let crash = Command::CrashConsumer { consumer: ConsumerId(0), at: Some(CrashPoint::AfterReceive) };
            s.faults.push(ScheduledCommand { at_ms: 0, command: crash });
        }
        "retries-dlq" => {
            s.processing.failure_probability = 0.3;
            s.processing.retry = RetryPolicy {
                max_retries: 2,
                policy: BackoffPolicy::Exponential,
                backoff_ms: 400,
                multiplier: 2,
                mode: RetryMode::InPlace,
                ..RetryPolicy::default()
            };
        }
        "retry-storm" | "poison-pill" | "circuit-breaker" | "dlq-redrive" => resilience_lesson(name, &mut s),
        "work-queue" | "auto-ack-loss" | "queue-dlx" | "publisher-confirms" => queue_lesson(name, &mut s),
        "pubsub-fanout" => pubsub_lesson(&mut s),
        "consumer-groups" | "stream-replay" | "stream-vs-queue" => log_groups_lesson(name, &mut s),
        "topic-routing" | "headers-routing" => routing_lesson(name, &mut s),
        "acks-0" | "acks-1-failover" | "acks-all-min-isr" => cluster_lesson(name, &mut s),
        "exactly-once-pipeline" | "eos-external-effect" => transactions_lesson(name, &mut s),
        "event-sourced-bank" => sourcing_lesson(&mut s),
        "cqrs-shop" => shop_lesson(&mut s),
        "schema-evolution" => schema_lesson(&mut s),
        "outbox" => outbox_lesson(&mut s),
        _ => return None,
    }
    debug_assert!(s.validate().is_ok(), "built-in {name} is invalid");
    Some(s)
}

/// The queue broker's lessons: competing consumers on one queue, acknowledging after the charge
/// (a crash before the ack redelivers) or on delivery (auto-ack: a crash loses).
fn queue_lesson(name: &str, s: &mut Scenario) {
    s.broker = BrokerKind::Queue;
    s.topic.partitions = 1;
    s.queue.prefetch = 1;
    s.consumers.count = 3;
    s.producer.rate_per_sec = 8.0;
    match name {
        "work-queue" => {
            s.consumers.commit = CommitStrategy::AfterProcessing;
            crash_now_and_then(s, CrashPoint::AfterEffect);
        }
        "auto-ack-loss" => {
            s.consumers.commit = CommitStrategy::BeforeProcessing;
            crash_now_and_then(s, CrashPoint::AfterCommit);
        }
        "queue-dlx" => {
            s.consumers.count = 2;
            s.consumers.commit = CommitStrategy::AfterProcessing;
            s.processing.service.mean_ms = 400.0;
            s.processing.failure_probability = 0.2;
            s.processing.retry.max_retries = 1;
            s.queue.message_ttl_ms = Some(3_000);
            s.queue.max_length = Some(24);
            s.queue.dead_letter_exchange = true;
        }
        _ => {
            // publisher-confirms: no crashes; the network loses publishes and confirms.
            s.consumers.commit = CommitStrategy::AfterProcessing;
            s.network.request_loss = 0.2;
            s.network.ack_loss = 0.2;
            s.producer.request_timeout_ms = 1_000;
        }
    }
}

/// Publish-subscribe: one fanout exchange, three subscribers each with a queue and consumers of
/// its own speed and reliability, and one crash of an SMS consumer between its text and its ack.
fn pubsub_lesson(s: &mut Scenario) {
    s.broker = BrokerKind::Queue;
    s.topic.partitions = 1;
    s.producer.rate_per_sec = 5.0;
    s.producer.event_types = vec!["OrderPlaced".into()];
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.processing.retry.max_retries = 2;
    s.subscribers =
        vec![subscriber("email", 1, 100.0, 0.0), subscriber("sms", 2, 300.0, 0.0), subscriber("push", 3, 100.0, 0.3)];
    let sms_consumer = ConsumerId::of(1, 0);
    let command = Command::CrashConsumer { consumer: sms_consumer, at: Some(CrashPoint::AfterEffect) };
    s.faults.push(ScheduledCommand { at_ms: 10_000, command });
}

/// Routing by topic: three queues bound with patterns to a topic exchange, and one event type
/// that matches none of them; or by headers (`headers_lesson`).
fn routing_lesson(name: &str, s: &mut Scenario) {
    if name == "headers-routing" {
        return headers_lesson(s);
    }
    s.broker = BrokerKind::Queue;
    s.topic.partitions = 1;
    s.producer.rate_per_sec = 6.0;
    s.producer.event_types =
        ["order.placed", "order.cancelled", "payment.refunded", "customer.updated"].map(String::from).to_vec();
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.queue.exchange = ExchangeKind::Topic;
    let bound = |name: &str, key: &str, mean_ms| Subscriber {
        binding_key: Some(key.into()),
        ..subscriber(name, 1, mean_ms, 0.0)
    };
    s.subscribers = vec![
        bound("email", "order.*", 100.0),
        bound("shipping", "order.placed", 200.0),
        bound("refunds", "payment.#", 100.0),
    ];
}

/// A headers exchange: four event types with headers of their own, three queues bound by
/// arguments (x-match all, all of two, any of two) and one bound to the alternate exchange.
fn headers_lesson(s: &mut Scenario) {
    s.broker = BrokerKind::Queue;
    s.topic.partitions = 1;
    s.producer.rate_per_sec = 6.0;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.queue.exchange = ExchangeKind::Headers;
    let table = |pairs: &[(&str, &str)]| -> FieldTable {
        pairs.iter().map(|(k, v)| (k.to_string(), FieldValue::Str(v.to_string()))).collect()
    };
    let types = ["OrderPlaced", "OrderShipped", "InvoiceIssued", "RefundIssued"];
    s.producer.event_types = types.map(String::from).to_vec();
    s.producer.headers = vec![
        table(&[("region", "eu"), ("priority", "high")]),
        table(&[("region", "us")]),
        table(&[("region", "eu"), ("format", "pdf")]),
        table(&[("format", "pdf"), ("priority", "high")]),
    ];
    let bound = |name: &str, args: &[(&str, &str)], mean_ms| Subscriber {
        binding_arguments: Some(table(args)),
        ..subscriber(name, 1, mean_ms, 0.0)
    };
    s.subscribers = vec![
        bound("eu-office", &[("x-match", "all"), ("region", "eu")], 100.0),
        bound("eu-urgent", &[("x-match", "all"), ("region", "eu"), ("priority", "high")], 150.0),
        bound("pdf-or-urgent", &[("x-match", "any"), ("format", "pdf"), ("priority", "high")], 100.0),
        Subscriber { alternate: true, ..subscriber("audit", 1, 100.0, 0.0) },
    ];
}

/// A subscriber with its own consumers, pace and reliability.
pub(super) fn subscriber(name: &str, consumers: u32, mean_ms: f64, failure_probability: f64) -> Subscriber {
    Subscriber {
        name: name.into(),
        consumers: Some(consumers),
        mean_ms: Some(mean_ms),
        failure_probability: Some(failure_probability),
        starts_at_ms: None,
        binding_key: None,
        binding_arguments: None,
        alternate: false,
        broker: None,
        seek_to_time_ms: None,
    }
}

/// Publish-subscribe on the log: a consumer group per subscriber on one topic. `consumer-groups`:
/// three groups at their own pace, one crash in one of them; `stream-replay`: a group that starts
/// at 20 s and replays the topic from its first record; `stream-vs-queue`: the same with queues
/// beside the groups, where the late one gets only what comes after.
fn log_groups_lesson(name: &str, s: &mut Scenario) {
    reads_from_earliest(s);
    s.producer.rate_per_sec = 5.0;
    s.producer.event_types = vec!["OrderPlaced".into()];
    s.consumers.commit = CommitStrategy::AfterProcessing;
    if name == "consumer-groups" {
        s.topic.partitions = 4;
        s.subscribers = vec![
            subscriber("billing", 2, 60.0, 0.0),
            subscriber("shipping", 1, 150.0, 0.0),
            subscriber("analytics", 1, 40.0, 0.0),
        ];
        let shipping = ConsumerId::of(1, 0);
        let command = Command::CrashConsumer { consumer: shipping, at: Some(CrashPoint::AfterEffect) };
        s.faults.push(ScheduledCommand { at_ms: 10_000, command });
    } else if name == "stream-vs-queue" {
        s.topic.partitions = 3;
        let queue = |sub: Subscriber| Subscriber { broker: Some(BrokerKind::Queue), ..sub };
        let late = |sub: Subscriber| Subscriber { starts_at_ms: Some(20_000), ..sub };
        s.subscribers = vec![
            subscriber("stream-billing", 2, 60.0, 0.0),
            late(subscriber("stream-analytics", 1, 30.0, 0.0)),
            queue(subscriber("queue-billing", 2, 60.0, 0.0)),
            queue(late(subscriber("queue-analytics", 1, 30.0, 0.0))),
        ];
    } else {
        s.topic.partitions = 3;
        let analytics = Subscriber { starts_at_ms: Some(20_000), ..subscriber("analytics", 1, 30.0, 0.0) };
        s.subscribers = vec![subscriber("billing", 2, 60.0, 0.0), analytics];
    }
}

/// A live setting changed at `at_ms` by the fault schedule.
fn set_at(s: &mut Scenario, at_ms: u64, setting: &str, value: serde_json::Value) {
    s.faults.push(ScheduledCommand { at_ms, command: Command::Set { setting: setting.into(), value } });
}

/// The lessons of the payments API's failures: retries and jitter, poison messages, the circuit
/// breaker, and the dead-letter queue's redrive.
fn resilience_lesson(name: &str, s: &mut Scenario) {
    s.topic.partitions = 3;
    s.consumers.count = 3;
    s.producer.rate_per_sec = 8.0;
    s.processing.service.mean_ms = 100.0;
    match name {
        "retry-storm" => {
            // A herd: every consumer fails within one call's time of the outage's start, and
            // waits without jitter keep them in step. The API's capacity is above what the
            // consumers ask in steady state, but its burst is far below the herd.
            (s.topic.partitions, s.consumers.count) = (16, 16);
            s.producer.rate_per_sec = 40.0;
            s.processing.service.mean_ms = 50.0;
            (s.downstream.capacity_per_sec, s.downstream.burst) = (Some(80), Some(4));
            s.processing.retry = RetryPolicy {
                max_retries: 8,
                backoff_ms: 1_000,
                cap_ms: 30_000,
                mode: RetryMode::InPlace,
                ..RetryPolicy::default()
            };
            set_at(s, 3_000, "downstream.outage", true.into());
            set_at(s, 13_000, "downstream.outage", false.into());
        }
        "poison-pill" => {
            s.processing.poison_probability = 0.02;
            s.processing.dead_letter_queue = false;
            s.processing.retry = RetryPolicy {
                max_retries: 3,
                policy: BackoffPolicy::Fixed,
                backoff_ms: 500,
                mode: RetryMode::InPlace,
                ..RetryPolicy::default()
            };
        }
        "circuit-breaker" => {
            s.breaker.enabled = true;
            s.breaker.config.sliding_window_size = 10;
            s.breaker.config.minimum_number_of_calls = 5;
            s.breaker.config.wait_duration_in_open_state_ms = 3_000;
            s.breaker.config.permitted_number_of_calls_in_half_open_state = 3;
            // Half-open test calls during the outage fail and use up retries: enough of them that
            // the pause, not the dead-letter queue, carries the messages through.
            s.processing.retry.max_retries = 10;
            set_at(s, 5_000, "downstream.outage", true.into());
            set_at(s, 15_000, "downstream.outage", false.into());
        }
        _ => {
            // dlq-redrive
            s.processing.poison_probability = 0.08;
            s.processing.classify_poison = true;
            set_at(s, 20_000, "processing.poison_probability", 0.0.into());
            s.faults.push(ScheduledCommand { at_ms: 22_000, command: Command::Redrive { msg: None } });
        }
    }
}

/// librdkafka's auto-commit (the Java client's commits only what was processed), crashes now and
/// then and at set times, mostly in the middle of processing.
fn auto_commit_lesson(s: &mut Scenario) {
    reads_from_earliest(s);
    // librdkafka's auto-commit: the Java client's commits only what was processed.
    (s.producer.client, s.consumers.commit) = (Client::Librdkafka, CommitStrategy::Auto { interval_ms: 1_000 });
    s.processing.service.mean_ms = 400.0;
    s.consumers.crash =
        CrashConfig { point: CrashPoint::AfterEffect, probability: 0.02, restart_delay_ms: Some(1_000) };
    for (i, at_ms) in [1_300u64, 4_700, 8_200, 12_900, 17_300].into_iter().enumerate() {
        let consumer = ConsumerId((i % 3) as u32);
        s.faults.push(ScheduledCommand { at_ms, command: Command::CrashConsumer { consumer, at: None } });
    }
}

/// The exactly-once lessons: a transactional stage, and consumers crashing after the effect now
/// and then (after writing an output, before the commit), back after 1 s.
fn transactions_lesson(name: &str, s: &mut Scenario) {
    s.transactions.enabled = true;
    s.transactions.external_effect = name == "eos-external-effect";
    s.processing.dead_letter_queue = false;
    crash_now_and_then(s, CrashPoint::AfterEffect);
}

/// The replication lessons: three brokers, every partition on all three, a follower copying new
/// records 100 ms after the leader (slowed down so the window shows), the controller noticing a
/// crash after 2 s (KRaft's default is 9 s), and broker crashes on a schedule.
fn cluster_lesson(name: &str, s: &mut Scenario) {
    s.producer.rate_per_sec = 60.0;
    s.processing.service.mean_ms = 10.0;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.replication = ReplicationConfig {
        brokers: 3,
        factor: 3,
        min_insync_replicas: 2,
        fetch_ms: 100,
        detection_ms: 2_000,
        ..ReplicationConfig::default()
    };
    let crash = |at_ms, broker| ScheduledCommand { at_ms, command: Command::CrashBroker { broker } };
    let start = |at_ms, broker| ScheduledCommand { at_ms, command: Command::StartBroker { broker } };
    match name {
        "acks-0" => {
            s.producer.acks = Acks::Zero;
            s.faults = vec![crash(10_000, 0), start(25_000, 0)];
        }
        "acks-1-failover" => {
            s.producer.acks = Acks::Leader;
            s.faults = vec![crash(10_000, 0), start(20_000, 0), crash(30_000, 1), start(40_000, 1)];
        }
        _ => {
            s.producer.idempotent = Some(true);
            s.faults = vec![crash(10_000, 0), crash(20_000, 1), start(35_000, 0), start(50_000, 1)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_entry_builds_and_validates() {
        for (name, _) in CATALOG {
            let s = builtin(name).unwrap_or_else(|| panic!("{name} missing"));
            s.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "{name} round-trips");
        }
        assert!(builtin("nope").is_none());
    }
}
