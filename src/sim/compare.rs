//! A comparison: two to four lanes, each a configuration of one base scenario, run on the same
//! seed and the same fault schedule, in step, so that what differs between their outcomes is
//! what their settings make differ (the arrivals, keys and event types are the same in every
//! lane: `tests/common_random_numbers.rs`). The presets are the guide's comparisons: the three
//! delivery guarantees, and the idempotency strategies. The page's compare view and `eda-lab
//! compare` both run one.

use crate::sim::command::Command;
use crate::sim::config::scenario::{
    BrokerKind, CommitStrategy, CrashPoint, IdempotencyConfig, IdempotencyMode, RetryMode, Scenario, ScenarioError,
    ScheduledCommand,
};
use crate::sim::engine::{RunStatus, Simulation};
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::time::SimTime;
use crate::sim::ledger::OutcomeCounts;
use crate::sim::LossReason;

/// The presets, by name, with what each compares.
pub const PRESETS: [(&str, &str); 2] = [
    (
        "three-guarantees",
        "at-most-once (commit before processing, no producer resends), at-least-once (commit after processing), \
         at-least-once with a dedup store marked in the effect's own transaction (effectively once for a local effect), \
         and on a log of one broker Kafka's exactly-once (transactions; the effect is the output a read_committed \
         reader sees)",
    ),
    (
        "idempotency-strategies",
        "at-least-once with each guard of the guide: a dedup store checked then marked, a dedup store marked with the \
         effect, a unique constraint on insert, versioning",
    ),
];

/// Fewest and most lanes.
pub const LANES: std::ops::RangeInclusive<usize> = 2..=4;

/// One lane: its name and its configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub scenario: Scenario,
}

/// The lanes of preset `name` on `base` (its seed, producer and fault schedule kept in each, plus
/// the crashes of [`with_crash_schedule`]), or `None` for an unknown name.
pub fn preset(name: &str, base: &Scenario) -> Option<Vec<Lane>> {
    let name = match name {
        "guarantees" => "three-guarantees",
        "idempotency" => "idempotency-strategies",
        other => other,
    };
    let mut base = base.clone();
    with_crash_schedule(&mut base);
    // Each lane states its own guarantee: the base's transactions are off unless a lane says so.
    base.transactions.enabled = false;
    base.transactions.external_effect = false;
    let lane = |label: &str, change: &dyn Fn(&mut Scenario)| {
        let mut scenario = base.clone();
        change(&mut scenario);
        Lane { label: label.to_string(), scenario }
    };
    let at_least_once = |s: &mut Scenario| s.consumers.commit = CommitStrategy::AfterProcessing;
    let guarded = |mode| {
        move |s: &mut Scenario| {
            at_least_once(s);
            s.idempotency = IdempotencyConfig { mode, dedup_ttl_ms: None };
            s.producer.keys.count = s.producer.keys.count.max(1);
        }
    };
    match name {
        "three-guarantees" => Some(vec![
            lane("at-most-once", &|s| {
                s.consumers.commit = CommitStrategy::BeforeProcessing;
                s.producer.retries = 0;
                s.idempotency.mode = IdempotencyMode::None;
            }),
            lane("at-least-once", &|s| {
                at_least_once(s);
                s.idempotency.mode = IdempotencyMode::None;
            }),
            lane("at-least-once + atomic dedup", &guarded(IdempotencyMode::DedupAtomic)),
        ])
        .map(|mut lanes| {
            // On a log of one broker, Kafka's own exactly-once: the effect is the output record
            // a read_committed reader sees.
            if base.broker == BrokerKind::Log && !base.replication.is_clustered() {
                lanes.push(lane("exactly-once (transactions)", &|s| {
                    at_least_once(s);
                    s.idempotency.mode = IdempotencyMode::None;
                    s.transactions.enabled = true;
                    s.processing.dead_letter_queue = false;
                    if s.processing.retry.mode == RetryMode::Reappend {
                        s.processing.retry.mode = RetryMode::InPlace;
                    }
                }));
            }
            lanes
        }),
        "idempotency-strategies" => Some(vec![
            lane("dedup, check then act", &guarded(IdempotencyMode::DedupCheckThenAct)),
            lane("dedup, atomic", &guarded(IdempotencyMode::DedupAtomic)),
            lane("unique constraint", &guarded(IdempotencyMode::UniqueConstraint)),
            lane("versioning", &guarded(IdempotencyMode::Versioning)),
        ]),
        _ => None,
    }
}

/// Every lane configuration the presets know, on `base` (each label once, in preset order): what
/// a lane of a live comparison can be changed to.
pub fn variants(base: &Scenario) -> Vec<Lane> {
    let mut all: Vec<Lane> = Vec::new();
    for (name, _) in PRESETS {
        for lane in preset(name, base).unwrap_or_default() {
            if !all.iter().any(|l| l.label == lane.label) {
                all.push(lane);
            }
        }
    }
    all
}

/// A scenario as a lane of its own, named after it.
pub fn lane_of(scenario: Scenario) -> Lane {
    Lane { label: scenario.name.clone(), scenario }
}

/// Identical failures for every lane: every 5 s of the first minute a consumer crashes, in turn
/// after the offset commit and after the effect, the two places where the guarantees part ways
/// (after a commit made before processing, the message is lost; after an effect not yet
/// committed, it is applied again). A crashed consumer comes back after the base's restart
/// delay, or after 1 s if it has none.
pub fn with_crash_schedule(base: &mut Scenario) {
    let crash = &mut base.consumers.crash;
    crash.restart_delay_ms = crash.restart_delay_ms.or(Some(1_000));
    let consumers = base.consumers_of(0);
    for (i, at_ms) in (5_000..=55_000u64).step_by(5_000).enumerate() {
        let point = if i % 2 == 0 { CrashPoint::AfterCommit } else { CrashPoint::AfterEffect };
        let consumer = ConsumerId::of(0, (i as u32 / 2) % consumers);
        base.faults.push(ScheduledCommand { at_ms, command: Command::CrashConsumer { consumer, at: Some(point) } });
    }
}

/// What a lane's configuration got wrong: the lane (from 0) and the error, which names the field.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneError {
    pub lane: usize,
    pub error: ScenarioError,
}

/// The lanes' runs, side by side.
pub struct Comparison {
    lanes: Vec<(String, Simulation)>,
}

/// One lane's outcome so far.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneOutcome {
    pub label: String,
    pub produced: u64,
    pub counts: OutcomeCounts,
    /// Messages lost, by reason, the reasons with none left out.
    pub lost_by_reason: Vec<(LossReason, u64)>,
    /// The 99th percentile of the time in system of settled messages, if any settled.
    pub p99_ms: Option<f64>,
    /// Messages the consumers finished with (applied once, duplicated or dead-lettered) per
    /// simulated second.
    pub throughput_per_s: f64,
}

impl Comparison {
    /// The lanes' runs, each checked first; the first invalid lane names itself and its field.
    pub fn new(lanes: &[Lane]) -> Result<Comparison, LaneError> {
        if !LANES.contains(&lanes.len()) {
            let message = format!("a comparison has {} to {} lanes (got {})", LANES.start(), LANES.end(), lanes.len());
            let error = ScenarioError::Invalid { field: "lanes".into(), message };
            return Err(LaneError { lane: 0, error });
        }
        let runs = lanes
            .iter()
            .enumerate()
            .map(|(lane, l)| {
                Simulation::new(&l.scenario)
                    .map(|sim| (l.label.clone(), sim))
                    .map_err(|error| LaneError { lane, error })
            })
            .collect::<Result<_, _>>()?;
        Ok(Comparison { lanes: runs })
    }

    /// Runs every lane to `until` (each within `max_events`), in step: lane by lane, each to the
    /// same simulated time. Returns the lanes that stopped short of it.
    pub fn run_until(&mut self, until: SimTime, max_events: u64) -> Vec<usize> {
        let mut short = Vec::new();
        for (i, (_, sim)) in self.lanes.iter_mut().enumerate() {
            if sim.run_until(until, max_events) != RunStatus::Reached {
                short.push(i);
            }
        }
        short
    }

    /// Lane `i` starts again from time zero as `lane`, the others staying where they are (a
    /// live comparison then runs it up to them). On an invalid lane nothing changes.
    pub fn replace(&mut self, i: usize, lane: &Lane) -> Result<(), LaneError> {
        let sim = Simulation::new(&lane.scenario).map_err(|error| LaneError { lane: i, error })?;
        self.lanes[i] = (lane.label.clone(), sim);
        Ok(())
    }

    pub fn lanes(&self) -> impl Iterator<Item = (&str, &Simulation)> {
        self.lanes.iter().map(|(label, sim)| (label.as_str(), sim))
    }

    /// Each lane's outcome so far.
    pub fn outcomes(&self) -> Vec<LaneOutcome> {
        self.lanes.iter().map(|(label, sim)| outcome(label, sim)).collect()
    }
}

fn outcome(label: &str, sim: &Simulation) -> LaneOutcome {
    let ledger = sim.ledger();
    let counts = ledger.counts();
    let finished = counts.exactly_once + counts.duplicated + counts.dead_lettered;
    let secs = sim.now().as_us() as f64 / 1e6;
    LaneOutcome {
        label: label.to_string(),
        produced: ledger.produced(),
        counts,
        lost_by_reason: ledger.lost_by_reason().filter(|&(_, n)| n > 0).collect(),
        p99_ms: ledger.latency().quantile_us(0.99).map(|us| us as f64 / 1e3),
        throughput_per_s: if secs > 0.0 { finished as f64 / secs } else { 0.0 },
    }
}
