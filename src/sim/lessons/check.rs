//! Replaying a lesson: the learner's commands (or the solution, or a counterexample) on the
//! lesson's scenario and seed, each checked against what the lesson lets the learner change, and
//! the checklist judged on the run's report (at the end, and every second for `always` checks).
//! A run is a function of (lesson, commands): the same attempt gives the same checklist and trace
//! hash on every machine.

use super::lesson::{Check, Lesson, When};
use crate::sim::builtins::builtin;
use crate::sim::command::Command;
use crate::sim::config::scenario::{Scenario, ScheduledCommand};
use crate::sim::config::settings;
use crate::sim::engine::{RunStatus, Simulation};
use crate::sim::kernel::time::SimTime;
use crate::sim::report::Report;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The most events one attempt may take (a backstop against a run that never ends).
pub const MAX_EVENTS: u64 = 200_000_000;

/// The latest instant a lesson may run to or take a command at: an hour of simulated time (the
/// catalogue's lessons take two minutes at most). A lesson file or a command log asking for more
/// would have the judge run the simulation there first (u64::MAX ms: until the event backstop,
/// or, with an `always` check and little happening, practically forever).
pub const MAX_UNTIL_MS: u64 = 3_600_000;

/// How often `always` checks are judged.
const EVERY_MS: u64 = 1_000;

/// Why an attempt could not be judged; the field or command named.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AttemptError {
    /// The lesson itself is wrong (a scenario or an override that does not exist or does not fit).
    Lesson(String),
    /// Command `index` changes something the lesson keeps locked.
    Locked { index: usize, what: String },
    /// Command `index` was refused by the simulation.
    Refused { index: usize, message: String },
    /// Commands must come in time order.
    OutOfOrder { index: usize },
    /// A check names a metric the report does not have.
    Metric { check: String, metric: String },
    /// The run did not reach its end.
    Run(String),
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptError::Lesson(m) => write!(f, "the lesson cannot start: {m}"),
            AttemptError::Locked { index, what } => write!(f, "commands[{index}]: {what} is locked in this lesson"),
            AttemptError::Refused { index, message } => write!(f, "commands[{index}]: {message}"),
            AttemptError::OutOfOrder { index } => {
                write!(f, "commands[{index}].at_ms: earlier than the command before it")
            }
            AttemptError::Metric { check, metric } => {
                write!(f, "check `{check}`: the report has no number at `{metric}`")
            }
            AttemptError::Run(m) => write!(f, "the run stopped: {m}"),
        }
    }
}

/// One item of the checklist, judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Judged {
    pub name: String,
    pub metric: String,
    pub op: &'static str,
    pub expected: f64,
    /// The metric at the end of the run.
    pub actual: f64,
    pub holds: bool,
    /// A guard (forbids a trivial answer), not part of the goal.
    pub guard: bool,
    /// For an `always` check that failed: the first second it did not hold.
    pub failed_at_ms: Option<u64>,
}

/// The outcome of an attempt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub lesson: String,
    pub checks: Vec<Judged>,
    /// Every goal item and every guard holds.
    pub passed: bool,
    pub commands: usize,
    pub par: usize,
    pub trace_hash: String,
}

/// The lesson's starting scenario: the built-in with the overrides and the seed.
pub fn start(lesson: &Lesson) -> Result<Scenario, AttemptError> {
    if lesson.until_ms > MAX_UNTIL_MS {
        return Err(AttemptError::Lesson(format!("until_ms: at most {MAX_UNTIL_MS} (got {})", lesson.until_ms)));
    }
    let mut s = builtin(&lesson.scenario)
        .ok_or_else(|| AttemptError::Lesson(format!("scenario: no built-in scenario `{}`", lesson.scenario)))?;
    for (path, value) in &lesson.overrides {
        let setting =
            settings::find(path).ok_or_else(|| AttemptError::Lesson(format!("overrides.{path}: no such setting")))?;
        s = s.with_setting(setting, value).map_err(|e| AttemptError::Lesson(format!("overrides.{path}: {e}")))?;
    }
    s.seed = lesson.seed;
    if lesson.clear_faults {
        s.faults.clear();
    }
    Ok(s)
}

/// Why `command` is locked in `lesson`, if it is: a setting it writes that the lesson does not let
/// the learner change, or an action it does not offer.
pub fn locked(lesson: &Lesson, command: &Command) -> Option<String> {
    let writes = match command.writes() {
        Ok(w) => w,
        Err(e) => return Some(e.to_string()),
    };
    if writes.is_empty() {
        let kind = serde_json::to_value(command).ok()?.get("type")?.as_str()?.to_string();
        return (!lesson.actions.contains(&kind)).then(|| format!("the action `{kind}`"));
    }
    let locked = writes.iter().find(|(s, _)| !lesson.allowed.iter().any(|a| a == s.path))?;
    Some(format!("the setting `{}`", locked.0.path))
}

/// Runs `commands` on the lesson and judges the checklist. Settings the commands write at 0 ms
/// configure the run before it starts (so any allowed setting can be chosen, even one a running
/// simulation cannot change); every other command is applied at its time.
pub fn attempt(lesson: &Lesson, commands: &[ScheduledCommand]) -> Result<Outcome, AttemptError> {
    let mut s = start(lesson)?;
    let mut during = Vec::new();
    let mut last = 0;
    for (index, c) in commands.iter().enumerate() {
        if c.at_ms < last {
            return Err(AttemptError::OutOfOrder { index });
        }
        last = c.at_ms;
        if c.at_ms > MAX_UNTIL_MS {
            let message = format!("at_ms: at most {MAX_UNTIL_MS} (got {})", c.at_ms);
            return Err(AttemptError::Refused { index, message });
        }
        if let Some(what) = locked(lesson, &c.command) {
            return Err(AttemptError::Locked { index, what });
        }
        let writes = c.command.writes().map_err(|e| AttemptError::Refused { index, message: e.to_string() })?;
        if c.at_ms == 0 && !writes.is_empty() {
            s = s.with_writes(&writes).map_err(|e| AttemptError::Refused { index, message: e.to_string() })?;
        } else {
            during.push((index, c));
        }
    }
    let mut sim = Simulation::new(&s).map_err(|e| AttemptError::Lesson(e.to_string()))?;
    let mut watch = Watch::new(lesson);
    for (index, c) in during {
        watch.run_to(&mut sim, c.at_ms)?;
        sim.handle(c.command.clone()).map_err(|e| AttemptError::Refused { index, message: e.to_string() })?;
    }
    watch.run_to(&mut sim, lesson.until_ms)?;
    let report = report_json(&sim);
    let mut checks = Vec::new();
    for (check, guard) in lesson.goal.iter().map(|c| (c, false)).chain(lesson.guards.iter().map(|c| (c, true))) {
        let actual = metric(&report, check)?;
        let failed_at_ms = watch.failed_at(check);
        let holds = check.op.holds(actual, check.value) && failed_at_ms.is_none();
        checks.push(Judged {
            name: check.name.clone(),
            metric: check.metric.clone(),
            op: check.op.as_str(),
            expected: check.value,
            actual,
            holds,
            guard,
            failed_at_ms,
        });
    }
    Ok(Outcome {
        lesson: lesson.id.clone(),
        passed: checks.iter().all(|c| c.holds),
        checks,
        commands: commands.len(),
        par: lesson.par,
        trace_hash: sim.trace_hash().hex(),
    })
}

/// The run's report as JSON, where the checks' metrics are read.
pub fn report_json(sim: &Simulation) -> Value {
    serde_json::to_value(Report::of(sim)).unwrap_or(Value::Null)
}

/// A check's metric in `report` (a boolean counts as 0 or 1).
pub fn metric(report: &Value, check: &Check) -> Result<f64, AttemptError> {
    let v = report.pointer(&check.metric);
    v.and_then(|v| v.as_f64().or_else(|| v.as_bool().map(|b| f64::from(u8::from(b)))))
        .ok_or_else(|| AttemptError::Metric { check: check.name.clone(), metric: check.metric.clone() })
}

/// Runs a simulation forward, judging the `always` checks every second on the way.
struct Watch<'a> {
    always: Vec<&'a Check>,
    /// When each `always` check first failed.
    failed: Vec<Option<u64>>,
    next_ms: u64,
    budget: u64,
}

impl<'a> Watch<'a> {
    fn new(lesson: &'a Lesson) -> Self {
        let always: Vec<&Check> = lesson.goal.iter().chain(&lesson.guards).filter(|c| c.when == When::Always).collect();
        Watch { failed: vec![None; always.len()], always, next_ms: EVERY_MS, budget: MAX_EVENTS }
    }

    fn run_to(&mut self, sim: &mut Simulation, ms: u64) -> Result<(), AttemptError> {
        while !self.always.is_empty() && self.next_ms <= ms {
            self.step(sim, self.next_ms)?;
            let report = report_json(sim);
            for (i, check) in self.always.iter().enumerate() {
                let value = metric(&report, check)?;
                if self.failed[i].is_none() && !check.op.holds(value, check.value) {
                    self.failed[i] = Some(self.next_ms);
                }
            }
            self.next_ms += EVERY_MS;
        }
        self.step(sim, ms)
    }

    fn step(&mut self, sim: &mut Simulation, ms: u64) -> Result<(), AttemptError> {
        let before = sim.events_processed();
        let status = sim.run_until(SimTime::from_ms(ms), self.budget);
        self.budget = self.budget.saturating_sub(sim.events_processed() - before);
        match status {
            RunStatus::Reached => Ok(()),
            RunStatus::BudgetExhausted => Err(AttemptError::Run(format!("more than {MAX_EVENTS} events"))),
            RunStatus::Stuck => Err(AttemptError::Run(sim.stuck().map(|s| s.to_string()).unwrap_or_default())),
        }
    }

    /// When `check` first failed, if it is an `always` check that did.
    fn failed_at(&self, check: &Check) -> Option<u64> {
        let i = self.always.iter().position(|c| std::ptr::eq(*c, check))?;
        self.failed[i]
    }
}
