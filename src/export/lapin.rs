//! lapin 2.5 (Rust, RabbitMQ): the queue's declaration with its arguments in a `FieldTable`
//! (`QueueDeclareOptions`, `AMQPValue`), the exchange and bindings of publish-subscribe, the
//! publisher's `BasicProperties` and confirms (`Confirmation`), and a consumer stream with
//! `basic_qos(prefetch, BasicQosOptions::default())` that acknowledges where the scenario commits.

use super::pika::{parks_through_dlx, quoted, wait_queue};
use super::{rust, Code, Plan, Target};
use crate::sim::broker::amqp::headers::{FieldTable, FieldValue};
use crate::sim::config::queue::{ExchangeKind, Overflow};
use crate::sim::config::scenario::{Acks, CommitStrategy, RetryMode, Scenario};
use crate::sim::kernel::numfmt::plain;

pub(super) fn export(s: &Scenario) -> super::Export {
    let p = Plan::of(s);
    let mut c = Code::new(s, "//");
    rust::header(&mut c, &p, Target::Lapin, "lapin = \"2.5\", futures-util = \"0.3\"");
    imports(&mut c, &p);
    names(&mut c, &p);
    declare(&mut c, &p);
    publisher(&mut c, &p);
    rust::handler(&mut c, &p);
    helpers(&mut c, &p);
    run(&mut c, &p);
    c.finish()
}

fn imports(c: &mut Code, p: &Plan) {
    if p.s.breaker.enabled {
        c.line("use std::collections::VecDeque;");
    }
    let instant = p.s.breaker.enabled || matches!(p.commit(), CommitStrategy::Auto { .. });
    c.line(if instant { "use std::time::{Duration, Instant};" } else { "use std::time::Duration;" });
    c.line("");
    c.line("use futures_util::StreamExt;");
    c.line("use lapin::message::Delivery;");
    let confirms = p.s.producer.acks != Acks::Zero;
    let mut options = vec!["BasicAckOptions", "BasicConsumeOptions"];
    if p.hands_back() && p.retry_mode == RetryMode::Requeue {
        options.push("BasicNackOptions");
    }
    options.extend(["BasicPublishOptions", "BasicQosOptions"]);
    if p.s.processing.dead_letter_queue && parks_through_dlx(p) {
        options.push("BasicRejectOptions");
    }
    if confirms {
        options.push("ConfirmSelectOptions");
    }
    options.extend(["ExchangeDeclareOptions", "QueueBindOptions", "QueueDeclareOptions"]);
    c.line(&format!("use lapin::options::{{{}}};", options.join(", ")));
    if confirms {
        c.line("use lapin::publisher_confirm::Confirmation;");
    }
    c.line("use lapin::types::{AMQPValue, FieldTable};");
    c.line("use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind};");
}

fn exchange_kind(kind: ExchangeKind) -> &'static str {
    match kind {
        ExchangeKind::Fanout => "ExchangeKind::Fanout",
        ExchangeKind::Direct => "ExchangeKind::Direct",
        ExchangeKind::Topic => "ExchangeKind::Topic",
        ExchangeKind::Headers => "ExchangeKind::Headers",
    }
}

fn amqp_value(v: &FieldValue) -> String {
    match v {
        FieldValue::Void => "AMQPValue::Void".into(),
        FieldValue::Bool(b) => format!("AMQPValue::Boolean({b})"),
        FieldValue::Int(i) => format!("AMQPValue::LongLongInt({i})"),
        FieldValue::Float(f) => {
            let text = plain(*f);
            format!("AMQPValue::Double({}{})", text, if text.contains(['.', 'e', 'E']) { "" } else { ".0" })
        }
        FieldValue::Str(s) => format!("AMQPValue::LongString({}.into())", quoted(s)),
    }
}

/// A `table(vec![...])` expression of a binding's arguments or a message's headers.
fn rs_table(t: &FieldTable) -> String {
    let fields: Vec<String> = t.iter().map(|(k, v)| format!("({}, {})", quoted(k), amqp_value(v))).collect();
    format!("table(vec![{}])", fields.join(", "))
}

fn names(c: &mut Code, p: &Plan) {
    let s = p.s;
    c.line("");
    c.line(&format!("const QUEUE: &str = \"{}\";", if s.subscribers.is_empty() { "orders" } else { p.group() }));
    if s.subscribers.is_empty() {
        c.comment("The default exchange: a message goes to the queue its routing key names.");
        c.line("const EXCHANGE: &str = \"\";");
    } else {
        c.line("const EXCHANGE: &str = \"orders\";");
    }
    if s.subscribers.iter().any(|sub| sub.alternate) {
        c.line("const ALTERNATE: &str = \"orders.unrouted\";");
    }
    if s.queue.dead_letter_exchange || s.processing.dead_letter_queue {
        c.line("const DLX: &str = \"orders.dlx\";");
        c.line("const DLQ: &str = \"orders.dlq\";");
    }
    if wait_queue(p) {
        c.line("const WAIT_QUEUE: &str = \"orders.wait\";");
    }
    c.block(
        r#"

fn table(fields: Vec<(&str, AMQPValue)>) -> FieldTable {
    let mut table = FieldTable::default();
    for (name, value) in fields {
        table.insert(name.into(), value);
    }
    table
}"#,
    );
    if !s.subscribers.is_empty() {
        c.line("");
        c.line("/// Every subscriber's queue, the exchange it is bound to, its binding key and arguments; run() consumes QUEUE.");
        c.open("fn subscribers() -> Vec<(&'static str, &'static str, &'static str, FieldTable)> {");
        c.open("vec![");
        for sub in &s.subscribers {
            let key = sub.binding_key.as_deref().map_or("\"\"".to_string(), quoted);
            let args = sub.binding_arguments.as_ref().map_or("FieldTable::default()".to_string(), rs_table);
            let bound = if sub.alternate { "ALTERNATE" } else { "EXCHANGE" };
            c.line(&format!("({}, {bound}, {key}, {args}),", quoted(&sub.name)));
        }
        c.close("]");
        c.close("}");
    }
}

/// `declare(&channel)`: exchanges, the queue's arguments, the queues and their bindings.
fn declare(c: &mut Code, p: &Plan) {
    let (s, q) = (p.s, &p.s.queue);
    c.line("");
    c.open("async fn declare(channel: &Channel) -> Result<(), BoxError> {");
    c.line("let durable = ExchangeDeclareOptions { durable: true, ..ExchangeDeclareOptions::default() };");
    if !s.subscribers.is_empty() {
        let mut args = "FieldTable::default()".to_string();
        if s.subscribers.iter().any(|sub| sub.alternate) {
            c.line("channel.exchange_declare(ALTERNATE, ExchangeKind::Fanout, durable, FieldTable::default()).await?;");
            args = "table(vec![(\"alternate-exchange\", AMQPValue::LongString(ALTERNATE.into()))])".into();
        }
        c.set(
            "queue.exchange",
            "each subscriber's queue is bound to it and gets its own copy of what its binding matches.",
            &format!("channel.exchange_declare(EXCHANGE, {}, durable, {args}).await?;", exchange_kind(q.exchange)),
        );
    }
    if s.queue.dead_letter_exchange || s.processing.dead_letter_queue {
        c.line("channel.exchange_declare(DLX, ExchangeKind::Fanout, durable, FieldTable::default()).await?;");
        c.line("let dlq = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };");
        c.line("channel.queue_declare(DLQ, dlq, FieldTable::default()).await?;");
        c.line("channel.queue_bind(DLQ, DLX, \"\", QueueBindOptions::default(), FieldTable::default()).await?;");
    }
    c.line("let mut arguments = FieldTable::default();");
    queue_arguments(c, p);
    let why = if q.durable {
        "the queue survives a broker restart (its persistent messages too)."
    } else {
        "the queue is gone with its messages when the broker restarts."
    };
    c.set(
        "queue.durable",
        why,
        &format!(
            "let options = QueueDeclareOptions {{ durable: {}, ..QueueDeclareOptions::default() }};",
            q.quorum() || q.durable
        ),
    );
    if s.subscribers.is_empty() {
        c.line("channel.queue_declare(QUEUE, options, arguments).await?;");
    } else {
        c.open("for (queue, exchange, key, binding) in subscribers() {");
        c.line("channel.queue_declare(queue, options, arguments.clone()).await?;");
        c.line("channel.queue_bind(queue, exchange, key, QueueBindOptions::default(), binding).await?;");
        c.close("}");
    }
    if wait_queue(p) {
        c.note("processing.retry.mode", "a failed message waits in WAIT_QUEUE until its expiration, then the queue dead-letters it back to QUEUE. RabbitMQ expires a message only at the head of a queue, so a shorter wait behind a longer one waits longer.");
        c.line("let back = table(vec![(\"x-dead-letter-exchange\", AMQPValue::LongString(\"\".into())), (\"x-dead-letter-routing-key\", AMQPValue::LongString(QUEUE.into()))]);");
        c.line("channel.queue_declare(WAIT_QUEUE, QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() }, back).await?;");
    }
    c.line("Ok(())");
    c.close("}");
}

/// The queue's `x-` arguments, one line per setting that sets one.
fn queue_arguments(c: &mut Code, p: &Plan) {
    let q = &p.s.queue;
    let insert = |name: &str, value: String| format!("arguments.insert(\"{name}\".into(), {value});");
    if let Some(ms) = q.message_ttl_ms {
        c.set(
            "queue.message_ttl_ms",
            "a message waiting this long after its publish expires at the head of the queue.",
            &insert("x-message-ttl", format!("AMQPValue::LongLongInt({ms})")),
        );
    }
    if let Some(n) = q.max_length {
        c.set(
            "queue.max_length",
            "ready messages at most; deliveries not yet acknowledged do not count.",
            &insert("x-max-length", format!("AMQPValue::LongLongInt({n})")),
        );
        let (name, why) = match q.overflow {
            Overflow::DropHead => (
                "drop-head",
                "the oldest waiting message is dropped (dead-lettered, reason maxlen, with a dead-letter exchange).",
            ),
            Overflow::RejectPublish => {
                ("reject-publish", "the new message is refused: a publisher waiting for confirms gets a nack.")
            }
            Overflow::RejectPublishDlx => ("reject-publish-dlx", "the new message is refused and dead-lettered."),
        };
        c.set("queue.overflow", why, &insert("x-overflow", format!("AMQPValue::LongString(\"{name}\".into())")));
    }
    if let Some(n) = q.delivery_limit {
        c.set("queue.delivery_limit", "a quorum queue (always durable) counts every return and dead-letters a message returned more than this many times.", &insert("x-queue-type", "AMQPValue::LongString(\"quorum\".into())".into()));
        c.mark("queue.delivery_limit");
        c.line(&insert("x-delivery-limit", format!("AMQPValue::LongLongInt({n})")));
    }
    if q.dead_letter_exchange {
        c.set("queue.dead_letter_exchange", "what the queue expires, drops or has rejected goes to DLQ, with its x-death reason, instead of being lost.", &insert("x-dead-letter-exchange", "AMQPValue::LongString(DLX.into())".into()));
    }
}

/// `publish(&channel, event_id, event_type, body)`: properties, mandatory, confirms and resends.
fn publisher(c: &mut Code, p: &Plan) {
    let (s, q) = (p.s, &p.s.queue);
    let confirms = s.producer.acks != Acks::Zero;
    c.line("");
    if confirms {
        c.set(
            "producer.retries",
            "publishes again after a nack (a full queue under reject-publish).",
            &format!("const PUBLISH_RETRIES: u32 = {};", s.producer.retries),
        );
        c.set(
            "producer.retry_backoff_ms",
            "",
            &format!("const PUBLISH_BACKOFF: Duration = Duration::from_millis({});", s.producer.retry_backoff_ms),
        );
        c.line("");
    }
    c.line("/// Publishes one event; false when the broker returned it (no queue's binding matched).");
    c.open("pub async fn publish(channel: &Channel, event_id: &str, event_type: &str, body: &[u8]) -> Result<bool, BoxError> {");
    c.line("let properties = BasicProperties::default().with_message_id(event_id.into());");
    let mode = if q.persistent { 2 } else { 1 };
    let why = if q.persistent {
        "delivery_mode 2, persistent: written to disk, a durable queue keeps it through a restart."
    } else {
        "delivery_mode 1, transient: a restart loses it."
    };
    c.set("queue.persistent", why, &format!("let properties = properties.with_delivery_mode({mode});"));
    if let Some(ms) = q.expiration_ms {
        c.set(
            "queue.expiration_ms",
            "the message's own TTL; RabbitMQ checks it only at the head of the queue.",
            &format!("let properties = properties.with_expiration(\"{ms}\".into());"),
        );
    }
    if s.queue.exchange == ExchangeKind::Headers && !s.producer.headers.is_empty() {
        c.open("let headers = match event_type {");
        for (i, t) in s.producer.event_types.iter().enumerate() {
            c.line(&format!("{} => {},", quoted(t), rs_table(s.producer.headers_of(i))));
        }
        c.line("_ => FieldTable::default(),");
        c.close("};");
        c.line("let properties = properties.with_headers(headers);");
    }
    let key = if s.subscribers.is_empty() { "QUEUE" } else { "event_type" };
    c.line("let _ = event_type;");
    let mandatory = if q.mandatory {
        "BasicPublishOptions { mandatory: true, ..BasicPublishOptions::default() }"
    } else {
        "BasicPublishOptions::default()"
    };
    if q.mandatory {
        c.set("queue.mandatory", "a message no queue's binding matches comes back to the publisher (basic.return) instead of being dropped in silence.", &format!("let options = {mandatory};"));
    } else {
        c.line(&format!("let options = {mandatory};"));
    }
    if !confirms {
        c.set("producer.acks", "the publisher waits for no confirm (no confirm_select()): a publish lost on the way is lost without a word.", &format!("channel.basic_publish(EXCHANGE, {key}, options, body, properties).await?;"));
        c.line("Ok(true)");
    } else {
        confirmed_publish(c, p, key);
    }
    c.close("}");
}

/// The publish in confirm mode: resends after a nack, and what a return means.
fn confirmed_publish(c: &mut Code, p: &Plan, key: &str) {
    c.line("let mut attempts = 0;");
    c.open("loop {");
    c.note("producer.acks", "the channel is in confirm mode (confirm_select() in run()): the second await is the broker's confirm. After a lost connection, publishing again may queue a second copy (RabbitMQ has no idempotent publisher): message_id lets the consumers spot it.");
    c.open(&format!(
        "match channel.basic_publish(EXCHANGE, {key}, options, body, properties.clone()).await?.await? {{"
    ));
    if p.s.queue.mandatory {
        c.set(
            "queue.mandatory",
            "no queue's binding matched: the broker returned it (basic.return), and it will not be processed.",
            "Confirmation::Ack(Some(_returned)) => return Ok(false),",
        );
    }
    c.line("Confirmation::Ack(_) | Confirmation::NotRequested => return Ok(true),");
    c.open("Confirmation::Nack(_) if attempts < PUBLISH_RETRIES => {");
    c.line("attempts += 1;");
    c.line("tokio::time::sleep(PUBLISH_BACKOFF).await;");
    c.close("}");
    c.line("Confirmation::Nack(_) => return Err(\"the broker refused the message\".into()),");
    c.close("}");
    c.close("}");
}

fn helpers(c: &mut Code, p: &Plan) {
    c.block(
        r#"

/// A count the broker or a retry put in a message's headers (0 when absent).
fn count(delivery: &Delivery, name: &str) -> u32 {
    let headers = delivery.properties.headers().as_ref();
    let value = headers.and_then(|h| h.inner().iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v.clone()));
    match value {
        Some(AMQPValue::LongLongInt(n)) => n as u32,
        Some(AMQPValue::LongInt(n)) => n as u32,
        Some(AMQPValue::LongUInt(n)) => n,
        _ => 0,
    }
}"#,
    );
    if !p.s.processing.dead_letter_queue {
        return;
    }
    c.line("");
    c.open("async fn dead_letter(channel: &Channel, delivery: &Delivery) -> Result<(), BoxError> {");
    if parks_through_dlx(p) {
        c.note("processing.dead_letter_queue", "reject without requeue: the queue dead-letters it through x-dead-letter-exchange to DLQ (x-death reason rejected).");
        c.line("let _ = channel;");
        c.line("delivery.reject(BasicRejectOptions { requeue: false }).await?;");
    } else {
        c.note("processing.dead_letter_queue", "the consumer publishes it to DLQ itself (the delivery is acknowledged already, or the queue has no dead-letter exchange), then acknowledges it.");
        c.line("channel.basic_publish(\"\", DLQ, BasicPublishOptions::default(), &delivery.data, delivery.properties.clone()).await?;");
        if p.commit() != CommitStrategy::BeforeProcessing {
            c.line("delivery.ack(BasicAckOptions::default()).await?;");
        }
    }
    c.line("Ok(())");
    c.close("}");
}

/// `run()`: connect, declare, consume; the acknowledgement before or after the handler.
fn run(c: &mut Code, p: &Plan) {
    c.line("");
    c.open("pub async fn run() -> Result<(), BoxError> {");
    c.line(
        "let connection = Connection::connect(\"amqp://127.0.0.1:5672/%2f\", ConnectionProperties::default()).await?;",
    );
    c.line("let channel = connection.create_channel().await?;");
    c.line("declare(&channel).await?;");
    if p.s.producer.acks != Acks::Zero {
        c.line("channel.confirm_select(ConfirmSelectOptions::default()).await?;");
    }
    c.set(
        "queue.prefetch",
        "unacknowledged deliveries this consumer may hold; the queue sends no more until it acknowledges one.",
        &format!("channel.basic_qos({}, BasicQosOptions::default()).await?;", p.s.queue.prefetch),
    );
    c.line("let mut consumer = channel.basic_consume(QUEUE, \"payments\", BasicConsumeOptions::default(), FieldTable::default()).await?;");
    c.line("let mut handler = Handler::new().await?;");
    if let CommitStrategy::Auto { interval_ms } = p.commit() {
        c.set("consumers.commit.interval_ms", "", &format!("let ack_interval = Duration::from_millis({interval_ms});"));
        c.line("let mut last_ack = Instant::now();");
    }
    c.open("while let Some(delivery) = consumer.next().await {");
    c.line("let delivery = delivery?;");
    c.line("let event_id = delivery.properties.message_id().as_ref().map_or_else(|| delivery.delivery_tag.to_string(), |id| id.to_string());");
    if p.commit() == CommitStrategy::BeforeProcessing {
        c.set("consumers.commit", "acknowledge on arrival, before the effect, as auto-ack does: at-most-once; the queue deletes the message, so a crash before the charge loses it. (no_ack: true acknowledges even earlier, as the broker sends, and prefetch then limits nothing.)", "delivery.ack(BasicAckOptions::default()).await?;");
    }
    let retries = if p.retry_mode == RetryMode::Requeue {
        "count(&delivery, \"x-delivery-count\")"
    } else {
        "count(&delivery, \"retries\")"
    };
    c.open(&format!("match handler.handle(&event_id, &delivery.data, {retries}).await {{"));
    c.line("Outcome::Done => {}");
    if p.s.processing.dead_letter_queue {
        c.open("Outcome::Dead(_why) => {");
        c.line("dead_letter(&channel, &delivery).await?;");
        c.line("continue;");
        c.close("}");
    }
    if p.hands_back() {
        retry_later(c, p);
    }
    if !(p.s.processing.dead_letter_queue && p.hands_back()) {
        c.line("_ => continue,");
    }
    c.close("}");
    acknowledge(c, p);
    c.close("}");
    c.line("Ok(())");
    c.close("}");
}

/// The acknowledgement after the handler: one per delivery, or one for all on a timer.
fn acknowledge(c: &mut Code, p: &Plan) {
    match p.commit() {
        CommitStrategy::AfterProcessing => c.set("consumers.commit", "acknowledge after the effect: at-least-once; a crash between them redelivers the message (flagged redelivered) and repeats the charge.", "delivery.ack(BasicAckOptions::default()).await?;"),
        CommitStrategy::Auto { .. } => {
            c.open("if last_ack.elapsed() >= ack_interval {");
            c.set("consumers.commit", "one basic.ack with multiple every interval acknowledges every delivery up to this one: those handled since the last ack come again after a crash.", "delivery.ack(BasicAckOptions { multiple: true }).await?;");
            c.line("last_ack = Instant::now();");
            c.close("}");
        }
        CommitStrategy::BeforeProcessing => {}
    }
}

/// A transient failure handed back: a requeue, or a trip through the wait queue.
fn retry_later(c: &mut Code, p: &Plan) {
    c.open("Outcome::Retry => {");
    if p.retry_mode == RetryMode::Requeue {
        let why = if p.s.queue.quorum() {
            "the queue takes it back at once, with no backoff, and counts the return (x-delivery-count)."
        } else {
            "the queue takes it back at once, with no backoff (RabbitMQ has none); a classic queue does not count returns, so x-delivery-count stays unset and it is retried for as long as it fails (a quorum queue, queue.delivery_limit, counts them)."
        };
        c.set(
            "processing.retry.mode",
            why,
            "delivery.nack(BasicNackOptions { requeue: true, ..BasicNackOptions::default() }).await?;",
        );
    } else {
        c.line("let retries = count(&delivery, \"retries\") + 1;");
        c.line("let wait = backoff(retries, BASE).as_millis().to_string();");
        c.line("let headers = table(vec![(\"retries\", AMQPValue::LongLongInt(i64::from(retries)))]);");
        c.line("let again = delivery.properties.clone().with_headers(headers).with_expiration(wait.as_str().into());");
        c.line(
            "channel.basic_publish(\"\", WAIT_QUEUE, BasicPublishOptions::default(), &delivery.data, again).await?;",
        );
        c.line("delivery.ack(BasicAckOptions::default()).await?;");
    }
    c.line("continue;");
    c.close("}");
}
