//! pika 1.3 (Python, RabbitMQ): the queue's declaration with its arguments (`x-message-ttl`,
//! `x-max-length`, `x-overflow`, `x-dead-letter-exchange`, a quorum queue's `x-delivery-limit`),
//! the exchange and bindings of publish-subscribe, the publisher's properties and confirms, and a
//! `BlockingChannel` consumer with `basic_qos(prefetch_count=...)` that acknowledges where the
//! scenario commits.

use super::{python, seconds, Code, Plan, Target};
use crate::sim::broker::amqp::headers::{FieldTable, FieldValue};
use crate::sim::config::queue::{ExchangeKind, Overflow};
use crate::sim::config::scenario::{Acks, CommitStrategy, RetryMode, Scenario};
use crate::sim::kernel::numfmt::plain;

pub(super) fn export(s: &Scenario) -> super::Export {
    let p = Plan::of(s);
    let mut c = Code::new(s, "#");
    python::header(&mut c, &p, Target::Pika, "pika==1.3.2", &[]);
    python::imports(&mut c, &p);
    c.line("");
    c.line("import pika");
    python::redis_import(&mut c, &p);
    c.line("");
    names(&mut c, &p);
    declare(&mut c, &p);
    publisher(&mut c, &p);
    python::handler(&mut c, &p);
    dead_letter(&mut c, &p);
    on_message(&mut c, &p);
    main(&mut c, &p);
    c.finish()
}

/// Where a consumer's own dead letters go: through the queue's dead-letter exchange (a reject),
/// or published to the dead-letter queue by the consumer.
pub(super) fn parks_through_dlx(p: &Plan) -> bool {
    p.s.queue.dead_letter_exchange && p.commit() == CommitStrategy::AfterProcessing
}

/// A retry waits in a queue of its own and comes back when it expires.
pub(super) fn wait_queue(p: &Plan) -> bool {
    p.hands_back() && p.retry_mode == RetryMode::Reappend
}

/// A string literal both languages read.
pub(super) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn py_value(v: &FieldValue) -> String {
    match v {
        FieldValue::Void => "None".into(),
        FieldValue::Bool(b) => if *b { "True" } else { "False" }.into(),
        FieldValue::Int(i) => i.to_string(),
        FieldValue::Float(f) => plain(*f),
        FieldValue::Str(s) => quoted(s),
    }
}

fn py_table(t: &FieldTable) -> String {
    let fields: Vec<String> = t.iter().map(|(k, v)| format!("{}: {}", quoted(k), py_value(v))).collect();
    format!("{{{}}}", fields.join(", "))
}

fn names(c: &mut Code, p: &Plan) {
    let s = p.s;
    c.line(&format!("QUEUE = \"{}\"", if s.subscribers.is_empty() { "orders" } else { p.group() }));
    if s.subscribers.is_empty() {
        c.comment("The default exchange: a message goes to the queue its routing key names.");
        c.line("EXCHANGE = \"\"");
    } else {
        c.line("EXCHANGE = \"orders\"");
        c.comment("Every subscriber's queue, its binding key and its binding arguments; this process consumes QUEUE.");
        c.open("SUBSCRIBERS = [");
        for sub in &s.subscribers {
            let key = sub.binding_key.as_deref().map_or("\"\"".to_string(), quoted);
            let args = sub.binding_arguments.as_ref().map_or("None".to_string(), py_table);
            let bound = if sub.alternate { "ALTERNATE" } else { "EXCHANGE" };
            c.line(&format!("({}, {bound}, {key}, {args}),", quoted(&sub.name)));
        }
        c.close("]");
        if s.subscribers.iter().any(|sub| sub.alternate) {
            c.line("ALTERNATE = \"orders.unrouted\"");
        }
    }
    if s.queue.dead_letter_exchange || s.processing.dead_letter_queue {
        c.line("DLX = \"orders.dlx\"");
        c.line("DLQ = \"orders.dlq\"");
    }
    if wait_queue(p) {
        c.line("WAIT_QUEUE = \"orders.wait\"");
    }
}

/// `declare(channel)`: exchanges, the queue's arguments, the queues and their bindings.
fn declare(c: &mut Code, p: &Plan) {
    let (s, q) = (p.s, &p.s.queue);
    c.line("");
    c.line("");
    c.open("def declare(channel):");
    if !s.subscribers.is_empty() {
        let args = if s.subscribers.iter().any(|sub| sub.alternate) {
            c.line("channel.exchange_declare(exchange=ALTERNATE, exchange_type=\"fanout\", durable=True)");
            ", arguments={\"alternate-exchange\": ALTERNATE}"
        } else {
            ""
        };
        c.set(
            "queue.exchange",
            "each subscriber's queue is bound to it and gets its own copy of what its binding matches.",
            &format!(
                "channel.exchange_declare(exchange=EXCHANGE, exchange_type=\"{}\", durable=True{args})",
                q.exchange.name()
            ),
        );
    }
    if s.queue.dead_letter_exchange || s.processing.dead_letter_queue {
        c.line("channel.exchange_declare(exchange=DLX, exchange_type=\"fanout\", durable=True)");
        c.line("channel.queue_declare(queue=DLQ, durable=True)");
        c.line("channel.queue_bind(queue=DLQ, exchange=DLX)");
    }
    c.line("arguments = {}");
    queue_arguments(c, p);
    let durable = if q.quorum() || q.durable { "True" } else { "False" };
    let why = if q.durable {
        "the queue survives a broker restart (its persistent messages too)."
    } else {
        "the queue is gone with its messages when the broker restarts."
    };
    if s.subscribers.is_empty() {
        c.set(
            "queue.durable",
            why,
            &format!("channel.queue_declare(queue=QUEUE, durable={durable}, arguments=arguments)"),
        );
    } else {
        c.open("for queue, exchange, key, binding in SUBSCRIBERS:");
        c.set(
            "queue.durable",
            why,
            &format!("channel.queue_declare(queue=queue, durable={durable}, arguments=arguments)"),
        );
        c.line("channel.queue_bind(queue=queue, exchange=exchange, routing_key=key, arguments=binding)");
        c.close("");
    }
    if wait_queue(p) {
        c.note("processing.retry.mode", "a failed message waits in WAIT_QUEUE until its expiration, then the queue dead-letters it back to QUEUE. RabbitMQ expires a message only at the head of a queue, so a shorter wait behind a longer one waits longer.");
        c.line("back = {\"x-dead-letter-exchange\": \"\", \"x-dead-letter-routing-key\": QUEUE}");
        c.line("channel.queue_declare(queue=WAIT_QUEUE, durable=True, arguments=back)");
    }
    c.close("");
}

/// The queue's `x-` arguments, one line per setting that sets one.
fn queue_arguments(c: &mut Code, p: &Plan) {
    let q = &p.s.queue;
    if let Some(ms) = q.message_ttl_ms {
        c.set(
            "queue.message_ttl_ms",
            "a message waiting this long after its publish expires at the head of the queue.",
            &format!("arguments[\"x-message-ttl\"] = {ms}"),
        );
    }
    if let Some(n) = q.max_length {
        c.set(
            "queue.max_length",
            "ready messages at most; deliveries not yet acknowledged do not count.",
            &format!("arguments[\"x-max-length\"] = {n}"),
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
        c.set("queue.overflow", why, &format!("arguments[\"x-overflow\"] = \"{name}\""));
    }
    if let Some(n) = q.delivery_limit {
        c.set("queue.delivery_limit", "a quorum queue (always durable) counts every return and dead-letters a message returned more than this many times.", "arguments[\"x-queue-type\"] = \"quorum\"");
        c.mark("queue.delivery_limit");
        c.line(&format!("arguments[\"x-delivery-limit\"] = {n}"));
    }
    if q.dead_letter_exchange {
        c.set("queue.dead_letter_exchange", "what the queue expires, drops or has rejected goes to DLQ, with its x-death reason, instead of being lost.", "arguments[\"x-dead-letter-exchange\"] = DLX");
    }
}

/// `publish(channel, event_id, event_type, body)`: properties, mandatory, confirms and resends.
fn publisher(c: &mut Code, p: &Plan) {
    let (s, q) = (p.s, &p.s.queue);
    let confirms = s.producer.acks != Acks::Zero;
    c.line("");
    c.line("");
    if s.queue.exchange == ExchangeKind::Headers && !s.producer.headers.is_empty() {
        let tables: Vec<String> = s
            .producer
            .event_types
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}: {}", quoted(t), py_table(s.producer.headers_of(i))))
            .collect();
        c.line(&format!("HEADERS = {{{}}}", tables.join(", ")));
    }
    if confirms {
        c.set(
            "producer.retries",
            "publishes again after a nack (a full queue under reject-publish).",
            &format!("PUBLISH_RETRIES = {}", s.producer.retries),
        );
        c.set(
            "producer.retry_backoff_ms",
            "",
            &format!("PUBLISH_BACKOFF_S = {}", seconds(s.producer.retry_backoff_ms)),
        );
    }
    c.line("");
    c.line("");
    c.open("def publish(channel, event_id, event_type, body):");
    c.open("properties = pika.BasicProperties(");
    c.line("message_id=event_id,");
    let (mode, why) = if q.persistent {
        ("Persistent", "written to disk: a durable queue keeps it through a restart.")
    } else {
        ("Transient", "a restart loses it.")
    };
    c.set("queue.persistent", why, &format!("delivery_mode=pika.DeliveryMode.{mode},"));
    if let Some(ms) = q.expiration_ms {
        c.set(
            "queue.expiration_ms",
            "the message's own TTL; RabbitMQ checks it only at the head of the queue.",
            &format!("expiration=\"{ms}\","),
        );
    }
    if s.queue.exchange == ExchangeKind::Headers && !s.producer.headers.is_empty() {
        c.line("headers=HEADERS.get(event_type),");
    }
    c.close(")");
    let key = if s.subscribers.is_empty() { "QUEUE" } else { "event_type" };
    let mandatory = if q.mandatory { ", mandatory=True" } else { "" };
    let publish = format!(
        "channel.basic_publish(exchange=EXCHANGE, routing_key={key}, body=body, properties=properties{mandatory})"
    );
    if !confirms {
        c.set("producer.acks", "the publisher waits for no confirm (no confirm_delivery()): a publish lost on the way is lost without a word.", &publish);
    } else {
        confirmed_publish(c, p, &publish);
    }
    c.close("");
}

/// The publish in confirm mode: resends after a nack, and what a return means.
fn confirmed_publish(c: &mut Code, p: &Plan, publish: &str) {
    c.line("attempts = 0");
    c.open("while True:");
    c.open("try:");
    c.note("producer.acks", "the channel is in confirm mode (confirm_delivery() in main): basic_publish waits for the broker's confirm. After a lost connection, publishing again may queue a second copy (RabbitMQ has no idempotent publisher): message_id lets the consumers spot it.");
    c.line(publish);
    c.line("return True");
    c.close("");
    if p.s.queue.mandatory {
        c.open("except pika.exceptions.UnroutableError:");
        c.set(
            "queue.mandatory",
            "no queue's binding matched: the broker returned it (basic.return), and it will not be processed.",
            "return False",
        );
        c.close("");
    }
    c.open("except pika.exceptions.NackError:");
    c.line("attempts += 1");
    c.open("if attempts > PUBLISH_RETRIES:");
    c.line("raise");
    c.close("");
    c.line("time.sleep(PUBLISH_BACKOFF_S)");
    c.close("");
    c.close("");
}

/// `dead_letter(channel, method, properties, body)`: park a message given up on.
fn dead_letter(c: &mut Code, p: &Plan) {
    if !p.s.processing.dead_letter_queue {
        return;
    }
    c.line("");
    c.line("");
    c.open("def dead_letter(channel, method, properties, body):");
    if parks_through_dlx(p) {
        c.note("processing.dead_letter_queue", "reject without requeue: the queue dead-letters it through x-dead-letter-exchange to DLQ (x-death reason rejected).");
        c.line("channel.basic_reject(delivery_tag=method.delivery_tag, requeue=False)");
    } else {
        c.note("processing.dead_letter_queue", "the consumer publishes it to DLQ itself (the delivery is acknowledged already, or the queue has no dead-letter exchange), then acknowledges it.");
        c.line("channel.basic_publish(exchange=\"\", routing_key=DLQ, body=body, properties=properties)");
        if p.commit() != CommitStrategy::BeforeProcessing {
            c.line("channel.basic_ack(delivery_tag=method.delivery_tag)");
        }
    }
    c.close("");
}

/// `on_message`: the acknowledgement before or after the handler, and the outcome.
fn on_message(c: &mut Code, p: &Plan) {
    if let CommitStrategy::Auto { interval_ms } = p.commit() {
        c.set("consumers.commit.interval_ms", "", &format!("ACK_INTERVAL_S = {}", seconds(interval_ms)));
        c.line("last_ack = [time.monotonic()]");
    }
    c.line("");
    c.line("");
    c.open("def on_message(channel, method, properties, body):");
    c.line("event_id = properties.message_id or f\"{method.routing_key}-{method.delivery_tag}\"");
    if p.commit() == CommitStrategy::BeforeProcessing {
        c.set("consumers.commit", "acknowledge on arrival, before the effect, as auto-ack does: at-most-once; the queue deletes the message, so a crash before the charge loses it. (auto_ack=True acknowledges even earlier, as the broker sends, and prefetch then limits nothing.)", "channel.basic_ack(delivery_tag=method.delivery_tag)");
    }
    let retries = if p.retry_mode == RetryMode::Requeue {
        "(properties.headers or {}).get(\"x-delivery-count\", 0)"
    } else {
        "int((properties.headers or {}).get(\"retries\", 0))"
    };
    if p.hands_back() {
        c.line(&format!("outcome = handle(event_id, body, {retries})"));
    } else {
        c.line("outcome = handle(event_id, body)");
    }
    if p.s.processing.dead_letter_queue {
        c.open("if outcome == \"dead\":");
        c.line("dead_letter(channel, method, properties, body)");
        c.line("return");
        c.close("");
    }
    if p.hands_back() {
        retry_later(c, p);
    }
    match p.commit() {
        CommitStrategy::AfterProcessing => c.set("consumers.commit", "acknowledge after the effect: at-least-once; a crash between them redelivers the message (flagged redelivered) and repeats the charge.", "channel.basic_ack(delivery_tag=method.delivery_tag)"),
        CommitStrategy::Auto { .. } => {
            c.open("if time.monotonic() - last_ack[0] >= ACK_INTERVAL_S:");
            c.set("consumers.commit", "one basic.ack with multiple=True every interval acknowledges every delivery up to this one: those handled since the last ack come again after a crash.", "channel.basic_ack(delivery_tag=method.delivery_tag, multiple=True)");
            c.line("last_ack[0] = time.monotonic()");
            c.close("");
        }
        CommitStrategy::BeforeProcessing => {}
    }
    c.close("");
}

/// A transient failure handed back: a requeue, or a trip through the wait queue.
fn retry_later(c: &mut Code, p: &Plan) {
    c.open("if outcome == \"retry\":");
    if p.retry_mode == RetryMode::Requeue {
        let why = if p.s.queue.quorum() {
            "the queue takes it back at once, with no backoff, and counts the return (x-delivery-count)."
        } else {
            "the queue takes it back at once, with no backoff (RabbitMQ has none); a classic queue does not count returns, so x-delivery-count stays unset and it is retried for as long as it fails (a quorum queue, queue.delivery_limit, counts them)."
        };
        c.set("processing.retry.mode", why, "channel.basic_nack(delivery_tag=method.delivery_tag, requeue=True)");
    } else {
        c.line("retries = int((properties.headers or {}).get(\"retries\", 0)) + 1");
        c.line("headers = dict(properties.headers or {}, retries=retries)");
        c.line("wait_ms = int(backoff_s(retries, BASE_S) * 1000)");
        c.line("again = pika.BasicProperties(message_id=event_id, headers=headers, expiration=str(wait_ms), delivery_mode=properties.delivery_mode)");
        c.line("channel.basic_publish(exchange=\"\", routing_key=WAIT_QUEUE, body=body, properties=again)");
        c.line("channel.basic_ack(delivery_tag=method.delivery_tag)");
    }
    c.line("return");
    c.close("");
}

fn main(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("");
    c.open("def main():");
    c.line("connection = pika.BlockingConnection(pika.ConnectionParameters(host=\"localhost\"))");
    c.line("channel = connection.channel()");
    c.line("declare(channel)");
    if p.s.producer.acks != Acks::Zero {
        c.line("channel.confirm_delivery()");
    }
    if p.s.queue.mandatory && p.s.producer.acks == Acks::Zero {
        c.set("queue.mandatory", "without confirms, a returned message (no queue's binding matched) arrives here.", "channel.add_on_return_callback(lambda ch, method, properties, body: print(\"returned\", properties.message_id))");
    }
    c.set(
        "queue.prefetch",
        "unacknowledged deliveries this consumer may hold; the queue sends no more until it acknowledges one.",
        &format!("channel.basic_qos(prefetch_count={})", p.s.queue.prefetch),
    );
    c.line("channel.basic_consume(queue=QUEUE, on_message_callback=on_message, auto_ack=False)");
    c.open("try:");
    c.line("channel.start_consuming()");
    c.close("");
    c.open("finally:");
    c.line("connection.close()");
    c.close("");
    c.close("");
    c.line("");
    c.line("");
    c.open("if __name__ == \"__main__\":");
    c.line("main()");
    c.close("");
}
