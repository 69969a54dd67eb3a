//! The built-in scenarios of the patterns: the transactional outbox, the event-sourced bank and
//! its projections, schema evolution under a registry.

use super::builtins::{reads_from_earliest, subscriber};
use crate::sim::command::Command;
use crate::sim::config::scenario::*;
use crate::sim::ids::ConsumerId;
use serde_json::json;

/// The transactional outbox, its relay crashing now and then, and an inbox on the consumers.
pub(super) fn outbox_lesson(s: &mut Scenario) {
    s.outbox = OutboxConfig { mode: Publish::Outbox, crash_probability: 0.1, relay_interval_ms: 100 };
    s.idempotency.mode = IdempotencyMode::DedupAtomic;
}

/// The event-sourced bank: 8 accounts, a balance view and a statement view.
pub(super) fn sourcing_lesson(s: &mut Scenario) {
    reads_from_earliest(s);
    s.sourcing = SourcingConfig { enabled: true, snapshot_every: 10, v1_until_ms: 5_000, ..SourcingConfig::default() };
    (s.producer.keys.count, s.producer.rate_per_sec, s.topic.partitions) = (8, 20.0, 4);
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.subscribers = vec![subscriber("balance-view", 2, 20.0, 0.0), subscriber("statement-view", 1, 40.0, 0.0)];
    let command = Command::CrashConsumer { consumer: ConsumerId::of(0, 0), at: Some(CrashPoint::AfterEffect) };
    s.faults.push(ScheduledCommand { at_ms: 10_000, command });
}

/// The shop (CQRS, the guide's e-commerce case): 8 products, a catalogue view shoppers browse 20
/// times per write and an orders view; a crash after an effect at 10 s applies an order twice in
/// the catalogue (at least once, no idempotency).
pub(super) fn shop_lesson(s: &mut Scenario) {
    reads_from_earliest(s);
    s.shop = ShopConfig { enabled: true, ..ShopConfig::default() };
    (s.producer.keys.count, s.producer.rate_per_sec, s.topic.partitions) = (8, 50.0, 4);
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.subscribers = vec![subscriber("catalogue-view", 2, 20.0, 0.0), subscriber("orders-view", 1, 10.0, 0.0)];
    let command = Command::CrashConsumer { consumer: ConsumerId::of(0, 0), at: Some(CrashPoint::AfterEffect) };
    s.faults.push(ScheduledCommand { at_ms: 10_000, command });
}

/// Schema evolution: v1 on the consumers, a breaking v2 deployed at 10 s under mode NONE.
pub(super) fn schema_lesson(s: &mut Scenario) {
    let record = |fields: serde_json::Value| json!({"type": "record", "name": "OrderPlaced", "namespace": "shop", "fields": fields});
    let (id, customer) = (json!({"name": "order_id", "type": "string"}), json!({"name": "customer", "type": "string"}));
    let v1 = record(json!([id, customer, {"name": "amount", "type": "int"}]));
    let v2 = record(json!([id, customer, {"name": "amount_cents", "type": "long"}]));
    let v3 = record(
        json!([id, customer, {"name": "amount", "type": "int"}, {"name": "currency", "type": "string", "default": "EUR"}]),
    );
    s.schema = SchemaConfig { enabled: true, mode: Mode::None, versions: vec![v1, v2, v3], reader_version: 1 };
    s.producer.event_types = vec!["OrderPlaced".into()];
    s.processing.dead_letter_queue = true;
    s.faults.push(ScheduledCommand { at_ms: 10_000, command: Command::DeploySchema { version: 2 } });
}
