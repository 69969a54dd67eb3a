//! The producer's settings checked as the clients check them, on every input path (a scenario
//! file, a live command, `Command::Set`, a fault schedule), and the order a key's records reach
//! the log in: reordered by resends with several requests in flight, kept with one or with the
//! idempotent producer.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::config::settings;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ledger::LossReason;
use eda_lab::sim::scenario::{Acks, Client, ProducerConfig, ScheduledCommand};
use eda_lab::sim::{Command, CommandError, Scenario, SimTime, Simulation};
use serde_json::{json, Value};

const ACKS_1: &str = "producer.idempotent: requires acks=all \
                      (Kafka's Java client refuses enable.idempotence=true with acks=1: ConfigException)";
/// The same sentence as a refused command says it (`field message`, as every command error).
const ACKS_1_COMMAND: &str = "producer.idempotent requires acks=all \
                              (Kafka's Java client refuses enable.idempotence=true with acks=1: ConfigException)";

fn load(json: Value) -> Result<Scenario, String> {
    Scenario::from_json(&json.to_string()).map_err(|e| e.to_string())
}

#[test]
fn a_scenario_breaking_an_idempotence_rule_is_refused() {
    assert_eq!(load(json!({"producer": {"idempotent": true, "acks": "1"}})).unwrap_err(), ACKS_1);
    let err = load(json!({"producer": {"idempotent": true, "retries": 0}})).unwrap_err();
    assert_eq!(
        err,
        "producer.idempotent: requires retries > 0 \
         (Kafka's Java client refuses enable.idempotence=true with retries=0: ConfigException)"
    );
    let err = load(json!({"producer": {"idempotent": true, "max_in_flight": 6}})).unwrap_err();
    assert_eq!(
        err,
        "producer.idempotent: requires max_in_flight at most 5 (Kafka's Java \
         client refuses enable.idempotence=true with max.in.flight.requests.per.connection=6: ConfigException)"
    );
    let err = load(json!({"producer": {"idempotent": true, "acks": "0", "client": "librdkafka"}})).unwrap_err();
    assert!(err.ends_with("(librdkafka refuses enable.idempotence=true with acks=0)"), "{err}");
    // Each on its own is a valid producer, as in Kafka with idempotence off.
    load(json!({"producer": {"acks": "1", "retries": 0, "max_in_flight": 6}})).unwrap();
    load(json!({"producer": {"idempotent": true, "acks": "all", "retries": 1, "max_in_flight": 5}})).unwrap();
    // Simulation::new refuses it too, with the same sentence.
    let s = Scenario {
        producer: ProducerConfig { idempotent: Some(true), acks: Acks::Leader, ..ProducerConfig::default() },
        ..Scenario::default()
    };
    assert_eq!(Simulation::new(&s).unwrap_err().to_string(), ACKS_1);
}

#[test]
fn acks_minus_one_reads_as_all() {
    let s = load(json!({"producer": {"acks": "-1", "idempotent": true}})).unwrap();
    assert_eq!(s.producer.acks, Acks::All);
    assert!(s.to_json().contains(r#""acks": "all""#), "written as all");
    let err = load(json!({"producer": {"acks": "2"}})).unwrap_err();
    assert!(err.starts_with("producer.acks: unknown variant `2`"), "{err}");
    // A live command takes it too.
    let mut sim = Simulation::new(&Scenario {
        producer: ProducerConfig { acks: Acks::Leader, ..Default::default() },
        ..Default::default()
    })
    .unwrap();
    sim.handle(Command::Set { setting: "producer.acks".into(), value: json!("-1") }).unwrap();
    assert_eq!(sim.scenario().producer.acks, Acks::All);
}

/// A running idempotent producer: every command that would break a rule is refused with the
/// scenario's sentence, records nothing and changes nothing.
#[test]
fn live_commands_breaking_a_rule_are_refused_and_change_nothing() {
    let mut s = Scenario::default();
    s.producer.idempotent = Some(true);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(2), u64::MAX);
    let before = (sim.trace_hash(), sim.commands().len(), sim.scenario().clone());
    let set = |setting: &str, value: Value| Command::Set { setting: setting.into(), value };
    for (command, rule) in [
        (set("producer.acks", json!("1")), "acks=all"),
        (set("producer.acks", json!("0")), "acks=all"),
        (set("producer.retries", json!(0)), "retries > 0"),
        (set("producer.max_in_flight", json!(6)), "max_in_flight at most 5"),
    ] {
        let e = sim.handle(command.clone()).unwrap_err();
        assert!(matches!(e, CommandError::Invalid { field: "producer.idempotent", .. }), "{command:?}: {e:?}");
        assert!(e.to_string().starts_with("producer.idempotent requires "), "{e}");
        assert!(e.to_string().contains(rule), "{e}");
    }
    assert_eq!((sim.trace_hash(), sim.commands().len(), sim.scenario().clone()), before);
    // Idempotence off first, then acks=1: both fine.
    sim.handle(Command::SetProducerIdempotent { enabled: false }).unwrap();
    sim.handle(set("producer.acks", json!("1"))).unwrap();
    // And back on, by either command, is refused now.
    let before = (sim.trace_hash(), sim.commands().len(), sim.scenario().clone());
    assert_eq!(sim.handle(Command::SetProducerIdempotent { enabled: true }).unwrap_err().to_string(), ACKS_1_COMMAND);
    assert_eq!(sim.handle(set("producer.idempotent", json!(true))).unwrap_err().to_string(), ACKS_1_COMMAND);
    assert_eq!((sim.trace_hash(), sim.commands().len(), sim.scenario().clone()), before);
    sim.run_until(SimTime::from_secs(5), u64::MAX);
    sim.ledger().audit().unwrap();
}

/// The page's controls go through the same doors: a live setting as `Command::Set` (above), any
/// other as `Scenario::with_setting`, which revalidates the whole scenario.
#[test]
fn a_new_run_with_a_setting_checks_the_rules_too() {
    let mut s = Scenario::default();
    s.producer.idempotent = Some(true);
    let acks = settings::find("producer.acks").unwrap();
    assert_eq!(s.with_setting(acks, &json!("1")).unwrap_err().to_string(), ACKS_1);
    let in_flight = settings::find("producer.max_in_flight").unwrap();
    assert!(s.with_setting(in_flight, &json!(5)).is_ok());
    assert!(s.with_setting(in_flight, &json!(0)).unwrap_err().to_string().starts_with("must be between 1 and"));
}

/// A fault schedule that would switch a rule off mid-run is refused when the scenario loads.
#[test]
fn a_fault_breaking_a_rule_is_refused_at_load() {
    let mut s = Scenario::default();
    s.producer.idempotent = Some(true);
    let set = |at_ms, setting: &str, value: Value| ScheduledCommand {
        at_ms,
        command: Command::Set { setting: setting.into(), value },
    };
    s.faults = vec![set(5_000, "producer.acks", json!("1"))];
    assert_eq!(s.validate().unwrap_err().to_string(), format!("faults[0].command: {ACKS_1_COMMAND}"));
    // Idempotence switched off earlier in the schedule (listed later): fine.
    s.faults.push(ScheduledCommand { at_ms: 1_000, command: Command::SetProducerIdempotent { enabled: false } });
    s.validate().unwrap();
}

/// Five requests in flight, no idempotence, requests and acknowledgements lost: resends land after
/// later records of their key. One request in flight, or the idempotent producer, keeps the order.
#[test]
fn resends_reorder_a_key_unless_one_request_is_in_flight_or_the_producer_is_idempotent() {
    let mut s = Scenario::default();
    s.producer.rate_per_sec = 50.0;
    s.producer.keys.count = 5;
    s.network.latency_ms = 20;
    s.network.request_loss = 0.1;
    s.network.ack_loss = 0.1;
    // The Java client's default is idempotent (Kafka 3.0+): the first runs turn it off.
    let java_default = s.clone();
    s.producer.idempotent = Some(false);
    let run = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(SimTime::from_secs(30), u64::MAX);
        sim.ledger().audit().unwrap();
        sim.stats().producer
    };
    let five = run(&s);
    assert!(five.order_violations > 0, "{five:?}");
    assert_eq!(five.out_of_sequence, 0);
    let mut one = s.clone();
    one.producer.max_in_flight = 1;
    assert_eq!(run(&one).order_violations, 0);
    let mut idempotent = s.clone();
    idempotent.producer.idempotent = Some(true);
    let stats = run(&idempotent);
    assert_eq!(stats.order_violations, 0);
    assert!(stats.out_of_sequence > 0, "records behind a lost one were refused: {stats:?}");
    // Left to the client: the Java client keeps order, librdkafka (idempotence off) does not.
    assert_eq!(run(&java_default), stats, "the Java client's default is the idempotent producer");
    let mut librdkafka = java_default.clone();
    librdkafka.producer.client = Client::Librdkafka;
    assert!(run(&librdkafka).order_violations > 0);
}

/// The report says how many records landed out of order, in text and JSON.
#[test]
fn the_report_counts_order_violations() {
    let mut s = Scenario::default();
    (s.producer.rate_per_sec, s.producer.keys.count) = (50.0, 5);
    (s.network.latency_ms, s.network.request_loss) = (20, 0.1);
    s.producer.idempotent = Some(false);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(30), u64::MAX);
    let report = eda_lab::sim::report::Report::of(&sim);
    let n = sim.stats().producer.order_violations;
    assert!(n > 0);
    assert!(report.to_text().contains(&format!("order           {n} order violations (per key)")));
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["stats"]["order_violations"], json!(n));
}

/// Retries unbounded (both clients' default), the delivery timeout ends them: nearly every request
/// lost, each record is given up on once `delivery_timeout_ms` has passed since it was produced,
/// never earlier, and at most one request timeout later (a record in flight waits for its request's
/// timeout; one backing off is expired at the deadline itself).
#[test]
fn the_delivery_timeout_ends_unbounded_retries() {
    let mut s = Scenario::default();
    (s.network.request_loss, s.producer.rate_per_sec) = (0.99, 5.0);
    (s.producer.request_timeout_ms, s.producer.retry_backoff_ms) = (300, 100);
    s.producer.delivery_timeout_ms = Some(2_000);
    assert_eq!(s.producer.retries, i32::MAX as u32, "both clients' default");
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(20), u64::MAX);
    sim.ledger().audit().unwrap();
    let lost: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0].0, LossReason::DeliveryTimeout);
    let mut checked = 0;
    for e in sim.journal().iter() {
        let JournalKind::DeliveryTimedOut { msg } = e.kind else { continue };
        let Some(record) = sim.ledger().get(msg) else { continue };
        let waited = e.time.since(record.produced_at);
        assert!(waited >= 2_000_000, "{msg} given up after {waited} µs");
        assert!(waited <= 2_300_000, "{msg} given up after {waited} µs");
        checked += 1;
    }
    assert!(checked > 50, "{checked} give-ups checked");
    // A deadline further out gives more resends before the same end.
    let retries = sim.stats().producer.producer_retries;
    s.producer.delivery_timeout_ms = Some(4_000);
    let mut longer = Simulation::new(&s).unwrap();
    longer.run_until(SimTime::from_secs(20), u64::MAX);
    assert!(longer.stats().producer.producer_retries > retries);
}

/// With the Java client's defaults (request.timeout.ms 30 s, delivery.timeout.ms 2 min) a record
/// whose every send fails is given up on after 2 minutes; set explicitly below the request
/// timeout, the delivery timeout is refused, naming the field.
#[test]
fn the_delivery_timeout_defaults_and_limits_are_the_clients() {
    let mut s = Scenario::default();
    s.producer.request_timeout_ms = 30_000;
    assert_eq!(s.producer.delivery_timeout_ms(), 120_000);
    s.producer.client = Client::Librdkafka;
    assert_eq!(s.producer.delivery_timeout_ms(), 300_000);
    let err = load(json!({"producer": {"request_timeout_ms": 30000, "delivery_timeout_ms": 1000}})).unwrap_err();
    assert!(err.starts_with("producer.delivery_timeout_ms: must be at least the request timeout"), "{err}");
}
