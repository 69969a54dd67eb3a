//! confluent-kafka 2.x (Python over librdkafka): configuration dictionaries with librdkafka's keys
//! (its CONFIGURATION.md), a poll loop that commits where the scenario commits, and under
//! `transactions.enabled` the consume-process-produce stage with `init_transactions`,
//! `begin_transaction`, `send_offsets_to_transaction` and `commit_transaction`.

use super::kafka_python::{acks_why, outbox_and_cluster};
use super::{python, seconds, Code, Plan, Target};
use crate::sim::config::choices::{Assignor, AutoOffsetReset, Client, RdPartitioner};
use crate::sim::config::scenario::{CommitStrategy, Scenario};
use crate::sim::config::transactions::Isolation;

pub(super) fn export(s: &Scenario) -> super::Export {
    let p = Plan::of(s);
    let mut c = Code::new(s, "#");
    python::header(&mut c, &p, Target::ConfluentKafka, "'confluent-kafka>=2,<3'", &[]);
    python::imports(&mut c, &p);
    c.line("");
    c.line("from confluent_kafka import Consumer, KafkaException, Producer");
    python::redis_import(&mut c, &p);
    c.line("");
    c.line("BOOTSTRAP = \"localhost:9092\"");
    c.line("TOPIC = \"orders\"");
    c.line(&format!("GROUP = \"{}\"", p.group()));
    if s.processing.dead_letter_queue {
        c.line("DLQ_TOPIC = \"orders.dlq\"");
    }
    if p.hands_back() {
        c.line("RETRY_TOPIC = \"orders.retry\"");
    }
    producer(&mut c, &p);
    consumer(&mut c, &p);
    if p.transactions {
        transactional(&mut c, &p);
    }
    python::handler(&mut c, &p);
    helpers(&mut c, &p);
    if p.transactions {
        c.block(STAGE);
    } else {
        process(&mut c, &p);
        c.block(MAIN);
    }
    c.block(ENTRY);
    c.finish()
}

/// librdkafka's name of a setting's value.
pub(super) fn partitioner(s: &Scenario) -> (&'static str, &'static str) {
    match (s.producer.client, s.producer.partitioner) {
        (Client::Java, _) => ("murmur2_random", "the scenario's client is the Java one, which hashes keys with murmur2; librdkafka's default (consistent_random, CRC-32) would put keys on other partitions."),
        (Client::Librdkafka, RdPartitioner::ConsistentRandom) => ("consistent_random", "CRC-32 of the key; an empty or missing key goes to a random partition."),
        (Client::Librdkafka, RdPartitioner::Murmur2Random) => ("murmur2_random", "the Java client's murmur2 of the key; a missing key goes to a random partition."),
    }
}

/// Why `enable.idempotence` has the value it has.
pub(super) fn idempotence_why(s: &Scenario) -> &'static str {
    match s.producer.idempotent {
        None => "the scenario leaves it to its client; librdkafka's default is off, so it is set here to what the scenario runs.",
        Some(true) => "producer id and sequence numbers: the broker drops a resend it already has and keeps each partition in order.",
        Some(false) => "a resend after a lost acknowledgement appends a second copy.",
    }
}

/// The producer's librdkafka settings, shared by both librdkafka targets: (path, key, value, why).
pub(super) fn producer_settings(s: &Scenario) -> Vec<(&'static str, &'static str, String, &'static str)> {
    let pr = &s.producer;
    let mut out = vec![
        ("producer.acks", "acks", pr.acks.name().to_string(), acks_why(pr.acks)),
        ("producer.idempotent", "enable.idempotence", s.idempotent_producer().to_string(), idempotence_why(s)),
        ("producer.retries", "retries", pr.retries.to_string(), "resends after a lost request or acknowledgement."),
        ("producer.retry_backoff_ms", "retry.backoff.ms", pr.retry_backoff_ms.to_string(), "librdkafka 2.3 and later grow it exponentially per resend, with 20% jitter, up to retry.backoff.max.ms (1000 ms by default); the simulator waits the same before every resend."),
        ("producer.request_timeout_ms", "request.timeout.ms", pr.request_timeout_ms.to_string(), ""),
        ("producer.max_in_flight", "max.in.flight.requests.per.connection", pr.max_in_flight.to_string(), ""),
    ];
    if let Some(ms) = pr.delivery_timeout_ms {
        out.push((
            "producer.delivery_timeout_ms",
            "message.timeout.ms",
            ms.to_string(),
            "librdkafka's name for the delivery timeout: resends included.",
        ));
    }
    let (name, why) = partitioner(s);
    let path = if pr.client == Client::Java { "producer.client" } else { "producer.partitioner" };
    out.push((path, "partitioner", name.to_string(), why));
    out
}

/// A Python literal of a librdkafka value: `True`, `False`, a number or a string.
fn py(value: &str) -> String {
    match value {
        "true" => "True".into(),
        "false" => "False".into(),
        v if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v.into(),
        v => format!("\"{v}\""),
    }
}

fn producer(c: &mut Code, p: &Plan) {
    c.line("");
    c.open("PRODUCER_CONFIG = {");
    c.line("\"bootstrap.servers\": BOOTSTRAP,");
    for (path, key, value, why) in producer_settings(p.s) {
        let value = if key == "acks" { format!("\"{value}\"") } else { py(&value) };
        c.set(path, why, &format!("\"{key}\": {value},"));
    }
    c.close("}");
    outbox_and_cluster(c, p);
}

/// The consumer's librdkafka settings, shared by both librdkafka targets.
pub(super) fn consumer_settings(p: &Plan) -> Vec<(&'static str, &'static str, String, String)> {
    let cs = &p.s.consumers;
    let mut out = Vec::new();
    match (p.commit(), p.transactions) {
        (CommitStrategy::Auto { interval_ms }, false) => {
            let mut why = "librdkafka stores each message's offset as poll() hands it over (enable.auto.offset.store, on by default) and a background thread commits the stored offsets every interval: a crash after a commit, before the effect, loses the message; one before the commit repeats it.".to_string();
            if p.s.producer.client == Client::Java {
                why += " (The scenario's client is the Java one, whose auto-commit commits only what earlier polls returned.)";
            }
            out.push(("consumers.commit", "enable.auto.commit", "true".into(), why));
            out.push((
                "consumers.commit.interval_ms",
                "auto.commit.interval.ms",
                interval_ms.to_string(),
                String::new(),
            ));
        }
        (_, true) => out.push((
            "transactions.enabled",
            "enable.auto.commit",
            "false".into(),
            "the offsets are committed inside each transaction.".into(),
        )),
        _ => out.push((
            "consumers.commit",
            "enable.auto.commit",
            "false".into(),
            "the loop below commits where the scenario commits.".into(),
        )),
    }
    let reset = match cs.auto_offset_reset {
        AutoOffsetReset::Earliest => ("earliest", "with no committed offset, start at the oldest record kept."),
        AutoOffsetReset::Latest => {
            ("latest", "with no committed offset, start at the log end: what came before is never read.")
        }
        AutoOffsetReset::None => {
            ("error", "librdkafka has no none: error reports ERR__AUTO_OFFSET_RESET and stops fetching that partition.")
        }
    };
    out.push(("consumers.auto_offset_reset", "auto.offset.reset", reset.0.into(), reset.1.into()));
    out.push(("consumers.session_timeout_ms", "session.timeout.ms", cs.session_timeout_ms.to_string(), String::new()));
    out.push((
        "consumers.max_poll_interval_ms",
        "max.poll.interval.ms",
        cs.max_poll_interval_ms.to_string(),
        "a record held longer than this between polls costs the consumer its partitions.".into(),
    ));
    let assignor = match cs.assignor {
        Assignor::Range => "range",
        Assignor::RoundRobin => "roundrobin",
        Assignor::CooperativeSticky => "cooperative-sticky",
    };
    out.push(("consumers.assignor", "partition.assignment.strategy", assignor.into(), String::new()));
    if cs.static_membership {
        let why = "static membership: each consumer instance has its own id, the same across its restarts (here the first's), and a restart within the session timeout keeps its partitions without a rebalance.";
        out.push(("consumers.static_membership", "group.instance.id", format!("{}-1", p.group()), why.into()));
    }
    out
}

fn consumer(c: &mut Code, p: &Plan) {
    c.line("");
    c.open("CONSUMER_CONFIG = {");
    c.line("\"bootstrap.servers\": BOOTSTRAP,");
    c.line("\"group.id\": GROUP,");
    for (path, key, value, why) in consumer_settings(p) {
        c.set(path, &why, &format!("\"{key}\": {},", py(&value)));
    }
    c.close("}");
}

/// The transactional producer of the stage, and the output topic's reader.
fn transactional(c: &mut Code, p: &Plan) {
    let t = &p.s.transactions;
    c.line("OUTPUT_TOPIC = \"charge-requests\"");
    c.set(
        "transactions.commit_interval_ms",
        "each transaction holds this long's outputs and input offsets.",
        &format!("COMMIT_INTERVAL_S = {}", seconds(t.commit_interval_ms)),
    );
    c.open("STAGE_PRODUCER_CONFIG = {");
    c.line("\"bootstrap.servers\": BOOTSTRAP,");
    c.set("transactions.enabled", "the same id across restarts, so that a restarted stage's init_transactions() aborts what it left open; librdkafka turns enable.idempotence on for it.", "\"transactional.id\": GROUP + \"-stage-1\",");
    c.set(
        "transactions.timeout_ms",
        "the coordinator aborts a transaction left open this long.",
        &format!("\"transaction.timeout.ms\": {},", t.timeout_ms),
    );
    c.close("}");
    let (level, why) = match t.isolation {
        Isolation::ReadCommitted => ("read_committed", "it sees only committed transactions' records (librdkafka's default; the Java client's is read_uncommitted)."),
        Isolation::ReadUncommitted => ("read_uncommitted", "it sees aborted transactions' records too, so a redone input shows twice."),
    };
    transaction_effect_note(c, p);
    c.comment("Whoever reads OUTPUT_TOPIC (another service) reads it with:");
    c.open("OUTPUT_READER_CONFIG = {");
    c.line("\"bootstrap.servers\": BOOTSTRAP,");
    c.line("\"group.id\": \"charge-requests-reader\",");
    c.set("transactions.isolation", why, &format!("\"isolation.level\": \"{level}\","));
    c.close("}");
}

/// What the transaction covers: the output record, and never a call outside Kafka.
pub(super) fn transaction_effect_note(c: &mut Code, p: &Plan) {
    if p.s.transactions.external_effect {
        c.note("transactions.external_effect", "the stage also charges the card while processing (handle). No Kafka transaction covers that call: an aborted transaction is redone and the card charged again, unless the idempotency guard below stops it.");
    } else {
        c.note("transactions.external_effect", "the output record is the effect, and the transaction makes it count once; handle() stands for the processing that makes it and must call nothing outside Kafka.");
    }
}

fn helpers(c: &mut Code, p: &Plan) {
    c.block(
        r#"


def headers_of(msg):
    return dict(msg.headers() or [])


def event_id_of(msg):
    """The event's id, set by the producer; the record's place when there is none."""
    event_id = headers_of(msg).get("event_id")
    return event_id.decode() if event_id else f"{msg.topic()}-{msg.partition()}-{msg.offset()}"


def publish(producer, event_id, key, value):
    producer.produce(TOPIC, key=key, value=value, headers=[("event_id", event_id.encode())])
    producer.poll(0)
"#,
    );
    if p.s.processing.dead_letter_queue && !p.transactions {
        c.line("");
        c.line("");
        c.open("def park(producer, msg, reason):");
        c.note("processing.dead_letter_queue", "the message goes to the dead-letter topic, with its reason, before its offset is committed (flush() waits for the acknowledgement).");
        c.line("headers = list(msg.headers() or []) + [(\"reason\", reason.encode())]");
        c.line("producer.produce(DLQ_TOPIC, key=msg.key(), value=msg.value(), headers=headers)");
        c.line("producer.flush(30)");
        c.close("");
    }
    if p.hands_back() {
        c.line("");
        c.line("");
        c.open("def reappend(producer, msg, retries):");
        c.note("processing.retry.mode", "the failed record goes to a retry topic before its offset is committed, with its retry count and the time before which it waits (backoff); a consumer of RETRY_TOPIC (this loop on that topic) sleeps until then. Held in memory instead, a pending retry would die with the consumer.");
        c.line("due_ms = int((time.time() + backoff_s(retries + 1, BASE_S)) * 1000)");
        c.line("headers = [h for h in (msg.headers() or []) if h[0] not in (\"retries\", \"due_ms\")]");
        c.line("headers += [(\"retries\", str(retries + 1).encode()), (\"due_ms\", str(due_ms).encode())]");
        c.line("producer.produce(RETRY_TOPIC, key=msg.key(), value=msg.value(), headers=headers)");
        c.line("producer.flush(30)");
        c.close("");
    }
}

fn process(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("");
    c.open("def process(consumer, producer, msg):");
    c.line("event_id = event_id_of(msg)");
    if p.commit() == CommitStrategy::BeforeProcessing {
        c.set("consumers.commit", "commit before the effect: at-most-once; a crash between them loses the message, as nothing delivers it again.", "consumer.commit(message=msg, asynchronous=False)");
    }
    if p.hands_back() {
        c.line("retries = int(headers_of(msg).get(\"retries\", b\"0\"))");
        c.line("due_ms = int(headers_of(msg).get(\"due_ms\", b\"0\"))");
        c.line("time.sleep(max(0.0, due_ms / 1000 - time.time()))");
        c.line("outcome = handle(event_id, msg.value(), retries)");
    } else {
        c.line("outcome = handle(event_id, msg.value())");
    }
    if p.s.processing.dead_letter_queue {
        c.open("if outcome == \"dead\":");
        c.line("park(producer, msg, \"retries exhausted\")");
        c.close("");
    }
    if p.hands_back() {
        c.open("if outcome == \"retry\":");
        c.line("reappend(producer, msg, retries)");
        c.close("");
    }
    if p.commit() == CommitStrategy::AfterProcessing {
        c.set(
            "consumers.commit",
            "commit after the effect: at-least-once; a crash between them repeats the charge.",
            "consumer.commit(message=msg, asynchronous=False)",
        );
    }
    c.close("");
}

const MAIN: &str = r#"


def main():
    consumer = Consumer(CONSUMER_CONFIG)
    producer = Producer(PRODUCER_CONFIG)
    consumer.subscribe([TOPIC])
    try:
        while True:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            process(consumer, producer, msg)
    finally:
        consumer.close()
        producer.flush(30)
"#;

const STAGE: &str = r#"


def main():
    """The consume, process, produce stage: each transaction holds the outputs of what it read
    and the offsets past it, so both count or neither does. A failure aborts the transaction and
    ends the process: restarted, it reads again from the last committed offsets."""
    consumer = Consumer(CONSUMER_CONFIG)
    producer = Producer(STAGE_PRODUCER_CONFIG)
    producer.init_transactions()
    consumer.subscribe([TOPIC])
    while True:
        producer.begin_transaction()
        deadline = time.monotonic() + COMMIT_INTERVAL_S
        try:
            while time.monotonic() < deadline:
                msg = consumer.poll(0.05)
                if msg is None:
                    continue
                if msg.error():
                    raise KafkaException(msg.error())
                handle(event_id_of(msg), msg.value())
                producer.produce(OUTPUT_TOPIC, key=msg.key(), value=msg.value(), headers=msg.headers())
            positions = consumer.position(consumer.assignment())
            producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata())
            producer.commit_transaction()
        except Exception:
            producer.abort_transaction()
            raise
"#;

const ENTRY: &str = r#"


if __name__ == "__main__":
    main()
"#;
