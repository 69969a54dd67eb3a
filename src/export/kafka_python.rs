//! kafka-python 2.0.2: `KafkaProducer` and `KafkaConsumer` keyword arguments (the library refuses
//! any it does not know: `KafkaConfigurationError("Unrecognized configs")`), and a poll loop that
//! commits where the scenario commits. Version 2.0.2 has no idempotent producer, no transactions,
//! no `isolation_level`, no `delivery_timeout_ms` and no `group_instance_id`: each is said in a
//! comment where the scenario uses it, and left out of the code.

use super::{python, Code, Plan, Target};
use crate::sim::config::choices::{Assignor, AutoOffsetReset, Client, RdPartitioner};
use crate::sim::config::outbox::Publish;
use crate::sim::config::scenario::{Acks, CommitStrategy, Scenario};

pub(super) fn export(s: &Scenario) -> super::Export {
    let p = Plan::of(s);
    let mut c = Code::new(s, "#");
    python::header(&mut c, &p, Target::KafkaPython, "kafka-python==2.0.2", &[PYTHON_VERSIONS]);
    python::imports(&mut c, &p);
    c.line("");
    c.line("from kafka import KafkaConsumer, KafkaProducer");
    c.line(&format!("from kafka.coordinator.assignors.{}", assignor(s.consumers.assignor).0));
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
    python::handler(&mut c, &p);
    helpers(&mut c, &p);
    process(&mut c, &p);
    c.block(MAIN);
    c.finish()
}

/// kafka-python 2.0.2's vendored `six` breaks its import on Python 3.12 (dpkp/kafka-python#2401).
const PYTHON_VERSIONS: &str = "kafka-python 2.0.2 does not import on Python 3.12 or later (its vendored six raises ModuleNotFoundError: No module named 'kafka.vendor.six.moves'): run it on Python 3.11 or earlier.";

/// The assignor's module and class, and what the library lacks of the scenario's.
fn assignor(a: Assignor) -> (&'static str, &'static str) {
    match a {
        Assignor::Range => ("range import RangePartitionAssignor", "RangePartitionAssignor"),
        Assignor::RoundRobin => ("roundrobin import RoundRobinPartitionAssignor", "RoundRobinPartitionAssignor"),
        Assignor::CooperativeSticky => {
            ("sticky.sticky_assignor import StickyPartitionAssignor", "StickyPartitionAssignor")
        }
    }
}

/// What acks means to the producer, in words both Kafka targets use.
pub(super) fn acks_why(acks: Acks) -> &'static str {
    match acks {
        Acks::Zero => "the producer waits for nothing and never learns whether the append happened; with no answer, it has nothing to retry.",
        Acks::Leader => "the leader answers once it has the record; a follower that has not copied it yet loses it if it takes over.",
        Acks::All => "the leader answers once every in-sync replica has the record.",
    }
}

fn producer(c: &mut Code, p: &Plan) {
    let s = p.s;
    let pr = &s.producer;
    c.line("");
    c.line("");
    c.open("def make_producer():");
    c.open("return KafkaProducer(");
    c.line("bootstrap_servers=BOOTSTRAP,");
    let acks = match pr.acks {
        Acks::Zero => "0",
        Acks::Leader => "1",
        Acks::All => "\"all\"",
    };
    c.set("producer.acks", acks_why(pr.acks), &format!("acks={acks},"));
    c.set(
        "producer.retries",
        "resends after a lost request or acknowledgement (kafka-python 2.0.2 defaults to 0).",
        &format!("retries={},", pr.retries),
    );
    c.set("producer.retry_backoff_ms", "", &format!("retry_backoff_ms={},", pr.retry_backoff_ms));
    c.set("producer.request_timeout_ms", "", &format!("request_timeout_ms={},", pr.request_timeout_ms));
    c.set(
        "producer.max_in_flight",
        "above 1 with retries, a resend can land after a later record of its key (kafka-python's own warning).",
        &format!("max_in_flight_requests_per_connection={},", pr.max_in_flight),
    );
    c.close(")");
    c.close("");
    if s.idempotent_producer() {
        c.note("producer.idempotent", "kafka-python 2.0.2 has no idempotent producer (no enable_idempotence): a resend after a lost acknowledgement appends a second copy, which the scenario's broker would have dropped.");
    }
    if pr.delivery_timeout_ms.is_some() {
        c.note(
            "producer.delivery_timeout_ms",
            "kafka-python 2.0.2 has no delivery_timeout_ms; retries and request_timeout_ms bound the resends instead.",
        );
    }
    if pr.client == Client::Librdkafka && pr.partitioner == RdPartitioner::ConsistentRandom {
        c.note("producer.partitioner", "kafka-python's DefaultPartitioner hashes keys with murmur2, as the Java client does, not with librdkafka's CRC-32: keys land on other partitions than in the scenario.");
    }
    outbox_and_cluster(c, p);
}

/// Notes on what the producing side needs beyond the client: the outbox, the topic's settings.
pub(super) fn outbox_and_cluster(c: &mut Code, p: &Plan) {
    let s = p.s;
    match s.outbox.mode {
        Publish::Direct => {}
        Publish::DualWrite => c.note("outbox.mode", "the service commits its database write, then calls publish(): a crash in between loses the event. An outbox table written in the same transaction, and a relay that publishes its rows, closes the gap."),
        Publish::Outbox => c.note("outbox.mode", "the service writes the event to an outbox table in its own transaction; a relay polls the table, calls publish() for each new row and marks it sent once the broker acknowledged it (a relay crash in between publishes it again: at least once)."),
    }
    if s.replication.brokers > 1 {
        c.note("replication.min_insync_replicas", &format!("a topic setting, not a client's: create the topic with replication factor {} and min.insync.replicas={}; with acks=all a write is refused while fewer replicas are in sync.", s.replication.factor, s.replication.min_insync_replicas));
    }
}

fn consumer(c: &mut Code, p: &Plan) {
    let s = p.s;
    let cs = &s.consumers;
    c.line("");
    c.line("");
    c.open("def make_consumer():");
    c.open("return KafkaConsumer(");
    c.line("bootstrap_servers=BOOTSTRAP,");
    c.line("group_id=GROUP,");
    match (p.commit(), p.transactions) {
        (CommitStrategy::Auto { interval_ms }, false) => {
            c.set("consumers.commit", "kafka-python commits inside poll(), once the interval is up, the positions past every record earlier polls returned: in this one-thread loop those have been handled, as the Java client's auto-commit does.", "enable_auto_commit=True,");
            c.set("consumers.commit.interval_ms", "", &format!("auto_commit_interval_ms={interval_ms},"));
        }
        _ => {
            c.set("consumers.commit", "the loop below commits where the scenario commits.", "enable_auto_commit=False,")
        }
    }
    let reset = match cs.auto_offset_reset {
        AutoOffsetReset::Earliest => ("\"earliest\"", "with no committed offset, start at the oldest record kept."),
        AutoOffsetReset::Latest => {
            ("\"latest\"", "with no committed offset, start at the log end: what came before is never read.")
        }
        AutoOffsetReset::None => ("\"none\"", "with no committed offset, poll() raises NoOffsetForPartitionError."),
    };
    c.set("consumers.auto_offset_reset", reset.1, &format!("auto_offset_reset={},", reset.0));
    c.set("consumers.session_timeout_ms", "", &format!("session_timeout_ms={},", cs.session_timeout_ms));
    c.set(
        "consumers.max_poll_interval_ms",
        "a record held longer than this between polls costs the consumer its partitions.",
        &format!("max_poll_interval_ms={},", cs.max_poll_interval_ms),
    );
    c.comment("One record per poll, so that commit() (which commits every position poll returned) covers exactly the record handled.");
    c.line("max_poll_records=1,");
    let why = match cs.assignor {
        Assignor::CooperativeSticky => "kafka-python 2.0.2 has no cooperative rebalancing: its sticky assignor keeps owners where it can, but every rebalance revokes all partitions first (eager).",
        _ => "",
    };
    c.set("consumers.assignor", why, &format!("partition_assignment_strategy=[{}],", assignor(cs.assignor).1));
    c.close(")");
    c.close("");
    if cs.static_membership {
        c.note("consumers.static_membership", "kafka-python 2.0.2 has no group_instance_id: a restarted consumer rejoins as a new member, and the group rebalances.");
    }
    if p.transactions {
        c.note("transactions.enabled", "kafka-python 2.0.2 has no transactions (no transactional producer, no send_offsets_to_transaction, and its fetcher always reads uncommitted): this export commits after processing instead, at least once. For exactly-once, export to confluent-kafka.");
    }
}

/// `event_id_of`, `retries_of`, `publish`, and `park` / `reappend` when the scenario needs them.
fn helpers(c: &mut Code, p: &Plan) {
    c.block(
        r#"


def headers_of(record):
    return dict(record.headers or [])


def event_id_of(record):
    """The event's id, set by the producer; the record's place when there is none."""
    event_id = headers_of(record).get("event_id")
    return event_id.decode() if event_id else f"{record.topic}-{record.partition}-{record.offset}"


def publish(producer, event_id, key, value):
    return producer.send(TOPIC, key=key, value=value, headers=[("event_id", event_id.encode())])
"#,
    );
    if p.s.processing.dead_letter_queue {
        c.line("");
        c.line("");
        c.open("def park(producer, record, reason):");
        c.note("processing.dead_letter_queue", "the message goes to the dead-letter topic, with its reason, before its offset is committed (get() waits for the acknowledgement).");
        c.line("headers = list(record.headers or []) + [(\"reason\", reason.encode())]");
        c.line("producer.send(DLQ_TOPIC, key=record.key, value=record.value, headers=headers).get(timeout=30)");
        c.close("");
    }
    if p.hands_back() {
        c.line("");
        c.line("");
        c.open("def reappend(producer, record, retries):");
        c.note("processing.retry.mode", "the failed record goes to a retry topic before its offset is committed, with its retry count and the time before which it waits (backoff); a consumer of RETRY_TOPIC (this loop on that topic) sleeps until then. Held in memory instead, a pending retry would die with the consumer.");
        c.line("due_ms = int((time.time() + backoff_s(retries + 1, BASE_S)) * 1000)");
        c.line("headers = [h for h in (record.headers or []) if h[0] not in (\"retries\", \"due_ms\")]");
        c.line("headers += [(\"retries\", str(retries + 1).encode()), (\"due_ms\", str(due_ms).encode())]");
        c.line("producer.send(RETRY_TOPIC, key=record.key, value=record.value, headers=headers).get(timeout=30)");
        c.close("");
    }
}

/// `process(consumer, producer, record)`: the commit before or after the handler, and the outcome.
fn process(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("");
    c.open("def process(consumer, producer, record):");
    c.line("event_id = event_id_of(record)");
    let before = p.commit() == CommitStrategy::BeforeProcessing && !p.transactions;
    if before {
        c.set("consumers.commit", "commit before the effect: at-most-once; a crash between them loses the message, as nothing delivers it again.", "consumer.commit()");
    }
    if p.hands_back() {
        c.line("retries = int(headers_of(record).get(\"retries\", b\"0\"))");
        c.line("due_ms = int(headers_of(record).get(\"due_ms\", b\"0\"))");
        c.line("time.sleep(max(0.0, due_ms / 1000 - time.time()))");
        c.line("outcome = handle(event_id, record.value, retries)");
    } else {
        c.line("outcome = handle(event_id, record.value)");
    }
    if p.s.processing.dead_letter_queue {
        c.open("if outcome == \"dead\":");
        c.line("park(producer, record, \"retries exhausted\")");
        c.close("");
    }
    if p.hands_back() {
        c.open("if outcome == \"retry\":");
        c.line("reappend(producer, record, retries)");
        c.close("");
    }
    let after = matches!(p.commit(), CommitStrategy::AfterProcessing) || p.transactions;
    if after {
        c.set(
            "consumers.commit",
            "commit after the effect: at-least-once; a crash between them repeats the charge.",
            "consumer.commit()",
        );
    }
    c.close("");
}

const MAIN: &str = r#"


def main():
    consumer = make_consumer()
    producer = make_producer()
    consumer.subscribe([TOPIC])
    try:
        while True:
            for records in consumer.poll(timeout_ms=1000).values():
                for record in records:
                    process(consumer, producer, record)
    finally:
        consumer.close()
        producer.flush()


if __name__ == "__main__":
    main()
"#;
