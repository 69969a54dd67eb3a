//! Arbitrary commands: every `Command` variant, with arguments drawn mostly near the values a
//! run takes and often far outside them (0, the type's maximum, NaN, infinities, negative
//! numbers, settings that do not exist, values of the wrong type). The user's commands, a fault
//! schedule and a replayed log all reach `Simulation::handle`, so it must refuse any of these
//! by name or apply it, never panic.

use eda_lab::sim::config::settings::{Kind, SETTINGS};
use eda_lab::sim::scenario::{CommitStrategy, CrashPoint, IdempotencyMode};
use eda_lab::sim::{Command, ConsumerId, MessageId};
use proptest::prelude::*;
use serde_json::Value;

/// A `u32` argument: small most of the time, anything, or the maximum.
fn wild_u32(small: u32) -> impl Strategy<Value = u32> {
    prop_oneof![6 => 0..small, 1 => any::<u32>(), 1 => Just(u32::MAX)]
}

fn wild_u64() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 0u64..20_000, 1 => any::<u64>(), 1 => Just(u64::MAX), 1 => Just(0)]
}

/// An `f64` argument: a probability, a rate or a time, or a number no setting takes.
fn wild_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..1.0,
        3 => 0.0f64..500.0,
        1 => prop::sample::select(&[-1.0, -0.0, 1e308, -1e308, f64::MIN_POSITIVE, 1e-320][..]),
        1 => prop::sample::select(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY][..]),
    ]
}

/// A consumer of the first subscriber, of any subscriber, or an id no run has.
fn consumer() -> impl Strategy<Value = ConsumerId> {
    prop_oneof![
        6 => (0u32..6).prop_map(ConsumerId),
        2 => (0u8..10, 0u32..6).prop_map(|(k, i)| ConsumerId::of(k, i)),
        1 => any::<u32>().prop_map(ConsumerId),
    ]
}

fn crash_point() -> impl Strategy<Value = CrashPoint> {
    prop::sample::select(CrashPoint::ALL.to_vec())
}

fn idempotency_mode() -> impl Strategy<Value = IdempotencyMode> {
    use IdempotencyMode::*;
    prop::sample::select(vec![None, DedupCheckThenAct, DedupAtomic, Natural, Versioning, UniqueConstraint])
}

fn commit() -> impl Strategy<Value = CommitStrategy> {
    prop_oneof![
        Just(CommitStrategy::BeforeProcessing),
        Just(CommitStrategy::AfterProcessing),
        wild_u64().prop_map(|interval_ms| CommitStrategy::Auto { interval_ms }),
    ]
}

/// Any command, its arguments in range or not.
pub fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        3 => (consumer(), prop::option::of(crash_point())).prop_map(|(consumer, at)| Command::CrashConsumer { consumer, at }),
        1 => (consumer(), wild_u32(120)).prop_map(|(consumer, factor)| Command::SlowConsumer { consumer, factor }),
        2 => consumer().prop_map(|consumer| Command::RestartConsumer { consumer }),
        2 => Just(Command::AddConsumer),
        1 => Just(Command::RemoveConsumer),
        1 => wild_u32(70).prop_map(|count| Command::AddPartitions { count }),
        1 => prop::option::of(wild_u32(300)).prop_map(|m| Command::Redrive { msg: m.map(MessageId) }),
        1 => prop_oneof![0u8..4, any::<u8>()].prop_map(|subscriber| Command::RebuildProjection { subscriber }),
        1 => wild_u32(6).prop_map(|version| Command::DeploySchema { version }),
        1 => Just(Command::RestartBroker),
        1 => wild_u32(6).prop_map(|broker| Command::CrashBroker { broker }),
        1 => wild_u32(6).prop_map(|broker| Command::StartBroker { broker }),
        1 => commit().prop_map(|commit| Command::SetCommitStrategy { commit }),
        1 => (idempotency_mode(), prop::option::of(wild_u64()))
            .prop_map(|(mode, dedup_ttl_ms)| Command::SetIdempotency { mode, dedup_ttl_ms }),
        1 => wild_f64().prop_map(|rate_per_sec| Command::SetProducerRate { rate_per_sec }),
        1 => any::<bool>().prop_map(|enabled| Command::SetProducerIdempotent { enabled }),
        1 => (wild_f64(), wild_f64()).prop_map(|(request_loss, ack_loss)| Command::SetNetworkLoss { request_loss, ack_loss }),
        1 => wild_f64().prop_map(|probability| Command::SetFailureProbability { probability }),
        1 => (crash_point(), wild_f64()).prop_map(|(point, probability)| Command::SetCrash { point, probability }),
        1 => wild_f64().prop_map(|mean_ms| Command::SetServiceMean { mean_ms }),
        6 => set(),
    ]
}

/// `Command::Set` of any described setting (live or not) or a made-up one, to a value it takes
/// (anywhere in its range, uncapped) or a wild one.
fn set() -> impl Strategy<Value = Command> {
    let paths: Vec<&'static str> = SETTINGS.iter().map(|s| s.path).chain(["no.such", "", "topic"]).collect();
    (prop::sample::select(paths), 0.0f64..1.0, any::<bool>(), wild_value()).prop_map(|(path, u, fits, wild)| {
        let value = match SETTINGS.iter().find(|s| s.path == path) {
            Some(s) if fits => fitting(&s.kind, u),
            _ => wild,
        };
        Command::Set { setting: path.to_string(), value }
    })
}

/// A value of `kind`, `u` of the way through its range or its choices.
fn fitting(kind: &Kind, u: f64) -> Value {
    match *kind {
        Kind::Number { min, max, integer } => {
            let x = min + (max - min) * u;
            if integer {
                Value::from(x as u64)
            } else {
                Value::from(x)
            }
        }
        Kind::Optional { .. } if u < 0.2 => Value::Null,
        Kind::Optional { min, max, .. } => Value::from((min + (max - min) * u) as u64),
        Kind::Flag => Value::from(u < 0.5),
        Kind::Choice(choices) => {
            serde_json::from_str(choices[(u * choices.len() as f64) as usize].json).expect("choices are JSON")
        }
    }
}

fn wild_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        wild_f64().prop_map(Value::from),
        wild_u64().prop_map(Value::from),
        Just(Value::from(-1)),
        Just(Value::Null),
        Just(Value::from("x")),
        Just(Value::from("")),
        Just(Value::Array(Vec::new())),
        Just(serde_json::json!({"mode": "auto"})),
        Just(serde_json::json!({"mode": "auto", "interval_ms": 0})),
    ]
}
