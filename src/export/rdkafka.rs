//! rdkafka 0.36 (Rust over librdkafka): `ClientConfig` with librdkafka's keys, a
//! `StreamConsumer` loop that commits with `commit_message` where the scenario commits, a
//! `FutureProducer` for the dead-letter and retry topics, and under `transactions.enabled` the
//! consume-process-produce stage through the `Producer` trait's transaction methods.

use super::confluent::{consumer_settings, producer_settings, transaction_effect_note};
use super::kafka_python::outbox_and_cluster;
use super::{rust, Code, Plan, Target};
use crate::sim::config::scenario::{CommitStrategy, Scenario};
use crate::sim::config::transactions::Isolation;

pub(super) fn export(s: &Scenario) -> super::Export {
    let p = Plan::of(s);
    let mut c = Code::new(s, "//");
    rust::header(&mut c, &p, Target::Rdkafka, "rdkafka = { version = \"0.36\", features = [\"tokio\"] }");
    imports(&mut c, &p);
    c.line("");
    c.line("const BOOTSTRAP: &str = \"localhost:9092\";");
    c.line("const TOPIC: &str = \"orders\";");
    c.line(&format!("const GROUP: &str = \"{}\";", p.group()));
    if s.processing.dead_letter_queue {
        c.line("const DLQ_TOPIC: &str = \"orders.dlq\";");
    }
    if p.hands_back() {
        c.line("const RETRY_TOPIC: &str = \"orders.retry\";");
    }
    config(&mut c, &p);
    rust::handler(&mut c, &p);
    helpers(&mut c, &p);
    if p.transactions {
        c.block(STAGE);
    } else {
        run(&mut c, &p);
    }
    c.finish()
}

fn imports(c: &mut Code, p: &Plan) {
    if p.s.breaker.enabled {
        c.line("use std::collections::VecDeque;");
    }
    let mut time = vec!["Duration"];
    if p.s.breaker.enabled {
        time.push("Instant");
    }
    if p.hands_back() {
        time.extend(["SystemTime", "UNIX_EPOCH"]);
    }
    c.line(&format!("use std::time::{{{}}};", time.join(", ")));
    c.line("");
    let commits = !p.transactions && !matches!(p.commit(), CommitStrategy::Auto { .. });
    c.line(&format!(
        "use rdkafka::consumer::{{{}Consumer, StreamConsumer}};",
        if commits { "CommitMode, " } else { "" }
    ));
    c.line("use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders};");
    c.line(&format!(
        "use rdkafka::producer::{{FutureProducer, FutureRecord{}}};",
        if p.transactions { ", Producer" } else { "" }
    ));
    c.line("use rdkafka::ClientConfig;");
}

/// `producer_config()` and `consumer_config()`: one `set` per setting.
fn config(c: &mut Code, p: &Plan) {
    c.line("");
    c.open("fn producer_config() -> ClientConfig {");
    c.line("let mut config = ClientConfig::new();");
    c.line("config.set(\"bootstrap.servers\", BOOTSTRAP);");
    for (path, key, value, why) in producer_settings(p.s) {
        c.set(path, why, &format!("config.set(\"{key}\", \"{value}\");"));
    }
    c.line("config");
    c.close("}");
    if p.transactions {
        let t = &p.s.transactions;
        c.line("");
        c.open("fn stage_producer_config() -> ClientConfig {");
        c.line("let mut config = ClientConfig::new();");
        c.line("config.set(\"bootstrap.servers\", BOOTSTRAP);");
        c.set("transactions.enabled", "the same id across restarts, so that a restarted stage's init_transactions() aborts what it left open; librdkafka turns enable.idempotence on for it.", "config.set(\"transactional.id\", format!(\"{GROUP}-stage-1\"));");
        c.set(
            "transactions.timeout_ms",
            "the coordinator aborts a transaction left open this long.",
            &format!("config.set(\"transaction.timeout.ms\", \"{}\");", t.timeout_ms),
        );
        c.line("config");
        c.close("}");
    }
    outbox_and_cluster(c, p);
    c.line("");
    c.open("fn consumer_config() -> ClientConfig {");
    c.line("let mut config = ClientConfig::new();");
    c.line("config.set(\"bootstrap.servers\", BOOTSTRAP);");
    c.line("config.set(\"group.id\", GROUP);");
    for (path, key, value, why) in consumer_settings(p) {
        c.set(path, &why, &format!("config.set(\"{key}\", \"{value}\");"));
    }
    c.line("config");
    c.close("}");
    if p.transactions {
        transaction_effect_note(c, p);
        let (level, why) = match p.s.transactions.isolation {
            Isolation::ReadCommitted => ("read_committed", "it sees only committed transactions' records (librdkafka's default; the Java client's is read_uncommitted)."),
            Isolation::ReadUncommitted => ("read_uncommitted", "it sees aborted transactions' records too, so a redone input shows twice."),
        };
        c.line("");
        c.line("const OUTPUT_TOPIC: &str = \"charge-requests\";");
        c.set(
            "transactions.commit_interval_ms",
            "each transaction holds this long's outputs and input offsets.",
            &format!(
                "const COMMIT_INTERVAL: Duration = Duration::from_millis({});",
                p.s.transactions.commit_interval_ms
            ),
        );
        c.line("");
        c.line("/// How whoever reads OUTPUT_TOPIC (another service) reads it.");
        c.open("pub fn output_reader_config() -> ClientConfig {");
        c.line("let mut config = ClientConfig::new();");
        c.line("config.set(\"bootstrap.servers\", BOOTSTRAP).set(\"group.id\", \"charge-requests-reader\");");
        c.set("transactions.isolation", why, &format!("config.set(\"isolation.level\", \"{level}\");"));
        c.line("config");
        c.close("}");
    }
}

fn helpers(c: &mut Code, p: &Plan) {
    c.block(
        r#"

fn header(msg: &BorrowedMessage<'_>, name: &str) -> Option<String> {
    let headers = msg.headers()?;
    let value = headers.iter().find(|h| h.key == name)?.value?;
    Some(String::from_utf8_lossy(value).into_owned())
}

/// The event's id, set by the producer; the record's place when there is none.
fn event_id(msg: &BorrowedMessage<'_>) -> String {
    header(msg, "event_id").unwrap_or_else(|| format!("{}-{}-{}", msg.topic(), msg.partition(), msg.offset()))
}

pub async fn publish(producer: &FutureProducer, event_id: &str, key: &str, payload: &[u8]) -> Result<(), BoxError> {
    let headers = OwnedHeaders::new().insert(Header { key: "event_id", value: Some(event_id) });
    let record = FutureRecord::to(TOPIC).key(key).payload(payload).headers(headers);
    producer.send(record, Duration::from_secs(0)).await.map_err(|(e, _)| e)?;
    Ok(())
}
"#,
    );
    if p.s.processing.dead_letter_queue && !p.transactions {
        c.line("");
        c.note("processing.dead_letter_queue", "the message goes to the dead-letter topic, with its reason, before its offset is committed (send() waits for the acknowledgement).");
        c.open("async fn park(producer: &FutureProducer, msg: &BorrowedMessage<'_>, reason: &str) -> Result<(), BoxError> {");
        c.line("let headers = OwnedHeaders::new().insert(Header { key: \"event_id\", value: Some(&event_id(msg)) });");
        c.line("let headers = headers.insert(Header { key: \"reason\", value: Some(reason) });");
        c.line("let record = FutureRecord::to(DLQ_TOPIC).key(msg.key().unwrap_or_default()).payload(msg.payload().unwrap_or_default());");
        c.line("producer.send(record.headers(headers), Duration::from_secs(0)).await.map_err(|(e, _)| e)?;");
        c.line("Ok(())");
        c.close("}");
    }
    if p.hands_back() {
        c.line("");
        c.note("processing.retry.mode", "the failed record goes to a retry topic before its offset is committed, with its retry count and the time before which it waits (backoff); a consumer of RETRY_TOPIC (this loop on that topic) sleeps until then. Held in memory instead, a pending retry would die with the consumer.");
        c.open("async fn reappend(producer: &FutureProducer, msg: &BorrowedMessage<'_>, retries: u32) -> Result<(), BoxError> {");
        c.line("let due = SystemTime::now().duration_since(UNIX_EPOCH)? + backoff(retries + 1, BASE);");
        c.line("let (retries, due_ms) = ((retries + 1).to_string(), due.as_millis().to_string());");
        c.line("let headers = OwnedHeaders::new().insert(Header { key: \"event_id\", value: Some(&event_id(msg)) });");
        c.line("let headers = headers.insert(Header { key: \"retries\", value: Some(&retries) });");
        c.line("let headers = headers.insert(Header { key: \"due_ms\", value: Some(&due_ms) });");
        c.line("let record = FutureRecord::to(RETRY_TOPIC).key(msg.key().unwrap_or_default()).payload(msg.payload().unwrap_or_default());");
        c.line("producer.send(record.headers(headers), Duration::from_secs(0)).await.map_err(|(e, _)| e)?;");
        c.line("Ok(())");
        c.close("}");
    }
}

/// `run()`: the consume loop, committing before or after the handler.
fn run(c: &mut Code, p: &Plan) {
    let dlq = p.s.processing.dead_letter_queue;
    c.line("");
    c.open("pub async fn run() -> Result<(), BoxError> {");
    if dlq || p.hands_back() {
        c.line("let producer: FutureProducer = producer_config().create()?;");
    }
    c.line("let consumer: StreamConsumer = consumer_config().create()?;");
    c.line("consumer.subscribe(&[TOPIC])?;");
    c.line("let mut handler = Handler::new().await?;");
    c.open("loop {");
    c.line("let msg = consumer.recv().await?;");
    if p.commit() == CommitStrategy::BeforeProcessing {
        c.set("consumers.commit", "commit before the effect: at-most-once; a crash between them loses the message, as nothing delivers it again.", "consumer.commit_message(&msg, CommitMode::Sync)?;");
    }
    if p.hands_back() {
        c.line("let retries: u32 = header(&msg, \"retries\").and_then(|r| r.parse().ok()).unwrap_or(0);");
        c.line("let due_ms: u128 = header(&msg, \"due_ms\").and_then(|d| d.parse().ok()).unwrap_or(0);");
        c.line("let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();");
        c.line("tokio::time::sleep(Duration::from_millis(due_ms.saturating_sub(now_ms) as u64)).await;");
    } else {
        c.line("let retries = 0;");
    }
    c.open("match handler.handle(&event_id(&msg), msg.payload().unwrap_or_default(), retries).await {");
    c.line("Outcome::Done => {}");
    if dlq {
        c.line("Outcome::Dead(why) => park(&producer, &msg, &why).await?,");
    }
    if p.hands_back() {
        c.line("Outcome::Retry => reappend(&producer, &msg, retries).await?,");
    }
    if !(dlq && p.hands_back()) {
        c.line("_ => {}");
    }
    c.close("}");
    if p.commit() == CommitStrategy::AfterProcessing {
        c.set(
            "consumers.commit",
            "commit after the effect: at-least-once; a crash between them repeats the charge.",
            "consumer.commit_message(&msg, CommitMode::Sync)?;",
        );
    }
    c.close("}");
    c.close("}");
}

const STAGE: &str = r#"

/// The consume, process, produce stage: each transaction holds the outputs of what it read and
/// the offsets past it, so both count or neither does. A failure aborts the transaction and ends
/// run(): restarted, it reads again from the last committed offsets.
pub async fn run() -> Result<(), BoxError> {
    let producer: FutureProducer = stage_producer_config().create()?;
    let consumer: StreamConsumer = consumer_config().create()?;
    producer.init_transactions(Duration::from_secs(30))?;
    consumer.subscribe(&[TOPIC])?;
    let mut handler = Handler::new().await?;
    loop {
        producer.begin_transaction()?;
        if let Err(e) = transaction(&producer, &consumer, &mut handler).await {
            producer.abort_transaction(Duration::from_secs(30))?;
            return Err(e);
        }
    }
}

async fn transaction(producer: &FutureProducer, consumer: &StreamConsumer, handler: &mut Handler) -> Result<(), BoxError> {
    let deadline = tokio::time::Instant::now() + COMMIT_INTERVAL;
    while let Ok(msg) = tokio::time::timeout_at(deadline, consumer.recv()).await {
        let msg = msg?;
        let payload = msg.payload().unwrap_or_default();
        let _ = handler.handle(&event_id(&msg), payload, 0).await;
        let record = FutureRecord::to(OUTPUT_TOPIC).key(msg.key().unwrap_or_default()).payload(payload);
        producer.send(record, Duration::from_secs(0)).await.map_err(|(e, _)| e)?;
    }
    let metadata = consumer.group_metadata().ok_or("the consumer has no group metadata yet")?;
    producer.send_offsets_to_transaction(&consumer.position()?, &metadata, Duration::from_secs(30))?;
    producer.commit_transaction(Duration::from_secs(30))?;
    Ok(())
}
"#;
