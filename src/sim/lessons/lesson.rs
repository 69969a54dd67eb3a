//! A lesson as data: which scenario it starts from, what the learner may change, the goal as a
//! named checklist of predicates over the run's report, guards that forbid trivial answers, hints,
//! a reference solution with its par, counterexamples that must fail, and the golden trace hash of
//! the solution's run. Lessons are JSON files in `lessons/`, read with serde (unknown fields
//! refused), and checked by `check.rs`.

use crate::sim::config::scenario::ScheduledCommand;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One track per section of the guide, in the order the lesson map shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    #[serde(rename = "events-and-pubsub")]
    EventsAndPubSub,
    StreamingVsQueuing,
    PartitionsAndOrdering,
    Routing,
    DeliveryGuarantees,
    Idempotency,
    Retries,
    PoisonAndDlq,
    CircuitBreakers,
    Monitoring,
    EventSourcing,
    Cqrs,
    SchemaEvolution,
}

impl Track {
    pub const ALL: [Track; 13] = [
        Track::EventsAndPubSub,
        Track::StreamingVsQueuing,
        Track::PartitionsAndOrdering,
        Track::Routing,
        Track::DeliveryGuarantees,
        Track::Idempotency,
        Track::Retries,
        Track::PoisonAndDlq,
        Track::CircuitBreakers,
        Track::Monitoring,
        Track::EventSourcing,
        Track::Cqrs,
        Track::SchemaEvolution,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Track::EventsAndPubSub => "Events vs calls, publish-subscribe",
            Track::StreamingVsQueuing => "Streaming vs queuing, replay",
            Track::PartitionsAndOrdering => "Partitions, keys and ordering",
            Track::Routing => "Routing",
            Track::DeliveryGuarantees => "The three delivery guarantees",
            Track::Idempotency => "Idempotency",
            Track::Retries => "Retries, backoff and jitter",
            Track::PoisonAndDlq => "Poison messages and the DLQ",
            Track::CircuitBreakers => "Circuit breakers",
            Track::Monitoring => "Monitoring",
            Track::EventSourcing => "Event sourcing",
            Track::Cqrs => "CQRS",
            Track::SchemaEvolution => "Schema evolution",
        }
    }

    pub fn id(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

/// What the learner is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Make the goal hold.
    Fix,
    /// Make the failure happen.
    Break,
    /// A guided demo: do what it says and watch.
    Observe,
    /// Find the root cause from the metrics alone, and fix that.
    Detective,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Fix => "fix",
            Mode::Break => "break",
            Mode::Observe => "observe",
            Mode::Detective => "detective",
        }
    }
}

/// A comparison of a metric with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }
}

/// When a check is judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// At the end of the run.
    #[default]
    End,
    /// At every second of the run and at its end.
    Always,
}

/// One item of a goal or a guard: `metric op value`, the metric a JSON pointer into the run's
/// report (as `eda-lab run --json` prints it), e.g. `/outcomes/duplicated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub name: String,
    pub metric: String,
    pub op: Op,
    pub value: f64,
    #[serde(default)]
    pub when: When,
}

/// A command log that must not pass: a trivial or wrong answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counterexample {
    pub name: String,
    pub commands: Vec<ScheduledCommand>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub track: Track,
    pub title: String,
    pub mode: Mode,
    /// Short pages, shown before the learner starts.
    pub intro: Vec<String>,
    /// A built-in scenario, by name.
    pub scenario: String,
    /// Settings changed from the scenario's (setting path → value).
    #[serde(default)]
    pub overrides: BTreeMap<String, Value>,
    pub seed: u64,
    /// Start without the scenario's fault schedule (a lesson whose crashes are the learner's).
    #[serde(default)]
    pub clear_faults: bool,
    /// How long a challenge runs.
    pub until_ms: u64,
    /// The settings the learner may change (every other is locked).
    #[serde(default)]
    pub allowed: Vec<String>,
    /// The actions the learner may take (command types, e.g. `crash_consumer`).
    #[serde(default)]
    pub actions: Vec<String>,
    pub goal: Vec<Check>,
    #[serde(default)]
    pub guards: Vec<Check>,
    pub hints: Vec<String>,
    pub solution: Vec<ScheduledCommand>,
    /// The most commands a solution should take.
    pub par: usize,
    #[serde(default)]
    pub counterexamples: Vec<Counterexample>,
    /// Shown when the goal holds: the idea learned.
    pub success: String,
    /// The trace hash of the solution's run (16 hex digits).
    pub golden_hash: String,
}
