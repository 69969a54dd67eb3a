//! Runs of the property tests: live commands a user could issue, runs audited after every event,
//! the healing phase, and the settings that make a run at-least-once.
#![allow(dead_code)] // each test file uses its own share

use super::scenarios::*;
use eda_lab::sim::config::settings::{Kind, Setting, SETTINGS};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, ConsumerId, MessageId, SimTime, Simulation};
use proptest::prelude::*;
use serde_json::Value;

/// Live commands a user could issue, any of them.
pub fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        4 => (0u32..5, prop::option::of(crash_point())).prop_map(|(c, at)| Command::CrashConsumer { consumer: ConsumerId(c), at }),
        2 => (0u32..5).prop_map(|c| Command::RestartConsumer { consumer: ConsumerId(c) }),
        1 => (0u32..5, 1u32..10).prop_map(|(c, factor)| Command::SlowConsumer { consumer: ConsumerId(c), factor }),
        // Another subscriber's consumer (publish-subscribe; refused where there is none).
        2 => (1u8..4, 0u32..4, prop::option::of(crash_point()))
            .prop_map(|(k, c, at)| Command::CrashConsumer { consumer: ConsumerId::of(k, c), at }),
        1 => Just(Command::AddConsumer),
        1 => Just(Command::RemoveConsumer),
        // The new total: refused (changing nothing) when it is not above the topic's count.
        1 => (1u32..12).prop_map(|count| Command::AddPartitions { count }),
        1 => prop::option::of(0u32..60).prop_map(|m| Command::Redrive { msg: m.map(MessageId) }), // all, or one by id
        1 => prop_oneof![
            Just(CommitStrategy::BeforeProcessing),
            Just(CommitStrategy::AfterProcessing),
            (50u64..2_000).prop_map(|interval_ms| CommitStrategy::Auto { interval_ms })
        ]
        .prop_map(|commit| Command::SetCommitStrategy { commit }),
        1 => (idempotency_mode(), prop::option::of(100u64..10_000))
            .prop_map(|(mode, dedup_ttl_ms)| Command::SetIdempotency { mode, dedup_ttl_ms }),
        1 => (0.0f64..40.0).prop_map(|rate_per_sec| Command::SetProducerRate { rate_per_sec }),
        1 => any::<bool>().prop_map(|enabled| Command::SetProducerIdempotent { enabled }),
        1 => (0.0f64..0.3, 0.0f64..0.3).prop_map(|(request_loss, ack_loss)| Command::SetNetworkLoss { request_loss, ack_loss }),
        1 => (0.0f64..0.5).prop_map(|probability| Command::SetFailureProbability { probability }),
        1 => (crash_point(), 0.0f64..0.3).prop_map(|(point, probability)| Command::SetCrash { point, probability }),
        1 => (0.0f64..300.0).prop_map(|mean_ms| Command::SetServiceMean { mean_ms }),
        4 => live_setting(),
    ]
}

/// Any setting a running simulation can change, read from the settings' one description, with a
/// value it takes. Numbers are drawn within the setting's range, capped by a budget per unit so a
/// run stays small enough to audit after every event.
pub fn live_setting() -> impl Strategy<Value = Command> {
    let live: Vec<&'static Setting> = SETTINGS.iter().filter(|s| s.live).collect();
    (prop::sample::select(live), 0.0f64..1.0, any::<bool>()).prop_map(|(setting, u, none)| {
        let budget = match setting.unit {
            "msg/s" => 40.0,
            "ms" => 300.0,
            "resends" | "retries" => 5.0,
            "requests" => 8.0,
            _ => f64::INFINITY,
        };
        let number = |min: f64, max: f64| min + (max.min(min + budget) - min) * u;
        let value = match setting.kind {
            Kind::Number { min, max, integer: false } => Value::from(number(min, max)),
            Kind::Number { min, max, integer: true } => Value::from(number(min, max) as u64),
            Kind::Optional { .. } if none => Value::Null,
            Kind::Optional { min, max, .. } => Value::from(number(min, max) as u64),
            Kind::Flag => Value::from(none),
            Kind::Choice(choices) => {
                serde_json::from_str(choices[(u * choices.len() as f64) as usize].json).expect("choices are JSON")
            }
        };
        Command::Set { setting: setting.path.to_string(), value }
    })
}

/// Whether `c` changes one of `settings` (through `Command::Set`).
pub fn sets(c: &Command, settings: &[&str]) -> bool {
    matches!(c, Command::Set { setting, .. } if settings.contains(&setting.as_str()))
}

/// Commands at increasing sim times (milliseconds) within the first `span_ms`.
pub fn schedule(span_ms: u64) -> impl Strategy<Value = Vec<(u64, Command)>> {
    prop::collection::vec((0..span_ms, command()), 0..8).prop_map(|mut v| {
        v.sort_by_key(|(t, _)| *t);
        v
    })
}

/// Runs `scenario` for `until_ms`, applying `commands` at their times, auditing the ledger after
/// every single event. Returns the simulation, or the first audit failure.
pub fn run_audited(scenario: &Scenario, commands: &[(u64, Command)], until_ms: u64) -> Result<Simulation, String> {
    let mut sim = Simulation::new(scenario).map_err(|e| e.to_string())?;
    let mut next = 0;
    let until = SimTime::from_ms(until_ms);
    loop {
        let due = commands.get(next).map(|(t, _)| SimTime::from_ms(*t));
        let horizon = due.unwrap_or(until).min(until);
        while sim.next_event_time().is_some_and(|t| t <= horizon) {
            sim.step();
            sim.audit().map_err(|e| format!("after event {} at {}: {e}", sim.events_processed(), sim.now()))?;
        }
        sim.run_until(horizon, 0);
        match due {
            Some(t) if t <= until => {
                // Commands a user could not issue right now (no such consumer) are refused and change nothing.
                let _ = sim.handle(commands[next].1.clone());
                sim.audit().map_err(|e| format!("after command {next}: {e}"))?;
                next += 1;
            }
            _ => return Ok(sim),
        }
    }
}

/// The healing phase: no new messages, crashes or processing failures, dead letters redriven; crashed
/// consumers come back; a group left empty gets a consumer. Then all must settle, nothing parked.
pub fn heal_and_drain(sim: &mut Simulation) -> Result<(), String> {
    for c in [
        Command::SetProducerRate { rate_per_sec: 0.0 },
        Command::SetCrash { point: CrashPoint::AfterReceive, probability: 0.0 },
        Command::SetFailureProbability { probability: 0.0 },
        // The payload bug is fixed, the API back, fast and big enough.
        Command::Set { setting: "processing.poison_probability".into(), value: 0.0.into() },
        Command::Set { setting: "downstream.outage".into(), value: false.into() },
        Command::Set { setting: "downstream.slow_factor".into(), value: 1.into() },
        Command::Set { setting: "downstream.capacity_per_sec".into(), value: Value::Null },
        // The breaker stays on, but no call counts as slow any more (a threshold below the
        // processing time would keep it open for good): a new breaker, closed, and the consumers
        // paused on the old one must resume.
        Command::Set { setting: "breaker.config.slow_call_duration_threshold_ms".into(), value: 3_600_000.into() },
        // Nor may half-open give up sooner than a test call takes (resilience4j goes back to open
        // when maxWaitDurationInHalfOpenState runs out, calls in flight or not): 0 waits for them.
        Command::Set { setting: "breaker.config.max_wait_duration_in_half_open_state_ms".into(), value: 0.into() },
        Command::SetNetworkLoss { request_loss: 0.0, ack_loss: 0.0 },
        // Processing slower than the poll interval is a livelock in Kafka too: evicted, rejoin,
        // read again, evicted again.
        Command::Set { setting: "consumers.max_poll_interval_ms".into(), value: 300_000.into() },
    ] {
        sim.handle(c).map_err(|e| e.to_string())?;
    }
    // Every consumer back at its own pace.
    let ids: Vec<ConsumerId> = sim.pipelines().iter().flat_map(|p| p.consumers().iter().map(|c| c.id)).collect();
    for consumer in ids {
        // (Refused only for a consumer of a subscriber yet to start, which is at its own pace.)
        let _ = sim.handle(Command::SlowConsumer { consumer, factor: 1 });
    }
    // The bug is fixed: its dead letters go again. Not on a topic several consumer groups read (a
    // redrive would reach them all, and is refused): there the dead letters stay parked.
    let shared_log = sim.scenario().shared_log();
    let parked = move |sim: &Simulation| {
        if shared_log {
            return 0;
        }
        sim.pipelines().iter().map(|p| p.dlq().len()).sum::<usize>()
    };
    if parked(sim) > 0 {
        sim.handle(Command::Redrive { msg: None }).map_err(|e| e.to_string())?;
    }
    for _ in 0..400 {
        if sim.ledger().counts().in_flight == 0 && parked(sim) == 0 {
            return Ok(());
        }
        let crashed: Vec<ConsumerId> = sim
            .pipelines()
            .iter()
            .flat_map(|p| p.consumers())
            .filter(|c| c.status == eda_lab::sim::consumer::ConsumerStatus::Crashed)
            .map(|c| c.id)
            .collect();
        for c in crashed {
            sim.handle(Command::RestartConsumer { consumer: c }).map_err(|e| e.to_string())?;
        }
        if !sim.consumers().iter().any(|c| c.is_alive()) {
            sim.handle(Command::AddConsumer).map_err(|e| e.to_string())?;
        }
        // A call that started before the fix ends as it started: its message may park after the
        // first redrive.
        if parked(sim) > 0 {
            sim.handle(Command::Redrive { msg: None }).map_err(|e| e.to_string())?;
        }
        let next = SimTime(sim.now().as_us() + 5_000_000);
        sim.run_until(next, u64::MAX);
        sim.audit()?;
    }
    Err(format!("{} messages in flight, {} parked after healing", sim.ledger().counts().in_flight, parked(sim)))
}

pub fn describe(s: &Scenario, commands: &[(u64, Command)]) -> String {
    format!("SIM_SEED={}\nscenario: {}\ncommands: {:?}", s.seed, serde_json::to_string(s).unwrap(), commands)
}

/// The settings `make_at_least_once` fixes: live changes to them leave at-least-once.
pub const AT_LEAST_ONCE_SETTINGS: &[&str] = &[
    "consumers.commit",
    "producer.acks",
    "producer.retries",
    "producer.request_timeout_ms",
    "producer.delivery_timeout_ms",
    "network.latency_ms",
    "topic.retention_ms",
    "topic.retention_bytes",
    "consumers.auto_offset_reset",
];

/// Whether `c` leaves at-least-once: it changes a setting `make_at_least_once` fixes, or it turns
/// on versioning, which drops an event older than its key's version on purpose (`stale_version`).
pub fn leaves_at_least_once(c: &Command) -> bool {
    let versioning = match c {
        Command::Set { setting, value } => setting == "idempotency.mode" && value.as_str() == Some("versioning"),
        Command::SetIdempotency { mode, .. } => *mode == IdempotencyMode::Versioning,
        _ => false,
    };
    versioning || sets(c, AT_LEAST_ONCE_SETTINGS)
}

/// Healing stops the failures (`heal_and_drain` sets the scenario's failure probability to 0): a
/// subscriber's own failure probability, set when the run starts, would go on failing (and, behind
/// a breaker that fails fast, park every redriven message again).
pub fn subscribers_fail_as_the_scenario_does(s: &mut Scenario) {
    s.subscribers.iter_mut().for_each(|sub| sub.failure_probability = None);
}

pub fn make_at_least_once(s: &mut Scenario, acks_all: bool) {
    subscribers_fail_as_the_scenario_does(s);
    s.consumers.commit = CommitStrategy::AfterProcessing;
    s.producer.acks = if acks_all { Acks::All } else { Acks::Leader };
    // The idempotent producer needs acks=all (`config/rules.rs`).
    if !acks_all && s.producer.idempotent == Some(true) {
        s.producer.idempotent = None; // the Java client's default gives way; librdkafka's is off
    }
    // Retrying (almost) forever is what at-least-once asks of a producer: with at most 30% loss,
    // giving up after 1,000 resends has probability below 1e-500.
    s.producer.retries = limits::MAX_RETRIES;
    // Nor may the delivery timeout end the retries: a day is longer than any run here.
    s.producer.delivery_timeout_ms = Some(limits::MAX_DELAY_MS);
    // An acknowledgement slower than the request timeout makes every send look failed: the producer
    // resends a thousand times and floods the log (correctly, but nothing drains). Real producers
    // wait far longer than a round trip (request.timeout.ms defaults to 30 s).
    s.producer.request_timeout_ms = s.producer.request_timeout_ms.max(2 * s.network.latency_ms + 1);
    s.topic.retention_ms = None;
    s.topic.retention_bytes = None;
    // With latest, a partition that moves before its first commit starts at the log end.
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
}
