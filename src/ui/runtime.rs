//! The page's driver of the engine: one [`Simulation`], the scenario it was started from, the
//! formatted event log and the frame-time statistics. Every change to the run is a
//! [`RunAction`] applied in one place, [`Runtime::apply`], which bumps the run's `version`;
//! every change to a running simulation is an engine `Command` (`Simulation::handle`), so it is
//! recorded and replayable. The test hooks only read the run. While a lesson is on, its session
//! (`lessons/session.rs`) sees every action first and refuses what the lesson locks.

use super::dom::now_ms;
use super::journal_text::LogBuffer;
use super::lessons::session::{self, Session};
use super::live_compare::LiveCompare;
use super::run::RunAction;
use super::state::{Notice, Speed};
use super::time_travel;
use crate::sim::builtins::builtin;
use crate::sim::command::Command;
use crate::sim::command::StampedCommand;
use crate::sim::config::settings::{self, SETTINGS};
use crate::sim::consumer::ConsumerStatus;
use crate::sim::journey::JourneyPolicy;
use crate::sim::kernel::sort;
use crate::sim::narrate::describe_command;
use crate::sim::scenario::Scenario;
use crate::sim::time::SimTime;
use crate::sim::timeline::Timeline;
use crate::sim::{ConsumerId, RunStatus, Simulation};
use serde_json::Value;
use std::collections::VecDeque;
use std::rc::Rc;

/// Most engine events one animation frame may process: fast-forward never freezes the page.
pub const EVENT_BUDGET_PER_FRAME: u64 = 20_000;
/// A frame never advances the run by more than this much wall time (a background tab, a pause in
/// the debugger): the run resumes instead of jumping.
const MAX_FRAME_DT_MS: f64 = 100.0;
/// How far fast-forward aims per frame; the event budget is what really limits it.
const FAST_FORWARD_HORIZON_US: u64 = 3_600_000_000;

pub struct Runtime {
    pub sim: Simulation,
    /// The scenario the current run started from (seed and structural settings included).
    pub base: Scenario,
    pub log: LogBuffer,
    pub perf: FrameStats,
    /// Bumped by every [`RunAction`]; components redraw when it moves.
    pub version: u64,
    /// Bumped on every reset: which run this is.
    pub run: u64,
    /// For a frame whose render is pending: (when that render started, or the frame itself until
    /// it does; how long the frame's engine-and-state part took).
    pub frame_started_ms: Option<(f64, f64)>,
    /// The last frame ran out of event budget before reaching its target time.
    pub budget_hit: bool,
    /// The live settings the panel last read, and their values in table order (read again only
    /// when a setting changed).
    settings_seen: (Scenario, Rc<Vec<Option<Value>>>),
    /// What the event log last drew, and when (wall ms): see [`Runtime::log_version`].
    log_shown: ((u64, u64), f64),
    /// The same for the charts: ((run, newest sample time), wall ms).
    charts_shown: ((u64, u64), f64),
    /// The same for the dead-letter queue's table: ((run, `dlq_panel::queue_key`), wall ms).
    dlq_shown: ((u64, u64), f64),
    monitor_shown: ((u64, u64), f64),
    /// The live comparison following the run, if one is on.
    pub compare: Option<LiveCompare>,
    /// Bumped when the comparison starts, stops or changes a lane.
    compare_epoch: u64,
    compare_shown: ((u64, u64), f64),
    /// The base's chaos settings the panel last read (the run itself has chaos mode off).
    chaos_seen: crate::sim::scenario::ChaosConfig,
    /// The lesson being taken, if any: it locks what the lesson does not let the learner change.
    pub lesson: Option<Session>,
    /// Time travel (`time_travel.rs`): the run's snapshots, the commands of the future the run
    /// was sought back from (replayed as it plays on, dropped when the learner acts), and the
    /// furthest instant the run reached (the scrubber's end).
    pub timeline: Timeline,
    pub future: Vec<StampedCommand>,
    pub reached_us: u64,
}

/// Redraw keys of the panels that need not follow every frame: see [`Runtime::panel_versions`].
pub struct PanelKeys {
    pub log: (u64, u64),
    pub charts: (u64, u64),
    pub dlq: (u64, u64),
    pub monitor: (u64, u64),
}

impl Runtime {
    pub fn new(base: Scenario) -> Runtime {
        let (sim, base) = match new_simulation(&base) {
            Ok(sim) => (sim, base),
            Err(_) => {
                let fallback = Scenario::default();
                (new_simulation(&fallback).expect("the default scenario is valid"), fallback)
            }
        };
        let timeline = Timeline::new(&sim);
        let mut rt = Runtime {
            sim,
            base,
            log: LogBuffer::default(),
            perf: FrameStats::default(),
            version: 0,
            run: 0,
            frame_started_ms: None,
            budget_hit: false,
            log_shown: ((0, 0), f64::NEG_INFINITY),
            charts_shown: ((0, 0), f64::NEG_INFINITY),
            dlq_shown: ((0, 0), f64::NEG_INFINITY),
            monitor_shown: ((0, 0), f64::NEG_INFINITY),
            settings_seen: (Scenario::default(), Rc::default()),
            compare: None,
            compare_epoch: 0,
            compare_shown: ((0, 0), f64::NEG_INFINITY),
            chaos_seen: Default::default(),
            lesson: None,
            timeline,
            future: Vec::new(),
            reached_us: 0,
        };
        rt.touch();
        rt
    }

    /// Applies one action to the run: the only way the page changes it. Returns what to tell the
    /// user, if anything (a command applied or refused, a restart).
    pub fn apply(&mut self, action: RunAction) -> Option<Notice> {
        let notice = self.act(action);
        self.touch();
        notice
    }

    fn act(&mut self, action: RunAction) -> Option<Notice> {
        // A lesson refuses what it locks, and restarts from its own start.
        let action = match session::intercept(self, action) {
            Ok(said) => return said,
            Err(action) => action,
        };
        match action {
            RunAction::Command(c) => Some(self.command(c)),
            RunAction::ToggleConsumer(id) => {
                let command = self.toggle_command(id)?;
                Some(self.command(command))
            }
            RunAction::LoadScenario(name) => {
                let mut s = builtin(&name)?;
                s.seed = self.base.seed;
                Some(self.restart(s, format!("Loaded scenario “{name}”. Press Play.")))
            }
            RunAction::RestoreDefaults => {
                let name = self.base.name.clone();
                let said = format!("Restored “{name}” as it ships: its settings, seed and faults. Press Play.");
                Some(self.restart(builtin(&name)?, said))
            }
            RunAction::Lesson(a) => session::apply(self, a),
            RunAction::Reset => {
                let s = self.scenario_with_live_settings();
                Some(self.restart(s, "Run restarted from time 0 with the current settings. Press Play.".into()))
            }
            RunAction::Reseed(seed) => {
                let mut s = self.scenario_with_live_settings();
                s.seed = seed;
                Some(self.restart(s, format!("Restarted with seed {seed}.")))
            }
            RunAction::NewRunWith { setting, value } => {
                let described = settings::find(setting)?;
                let said = described.describe(&value);
                Some(match self.scenario_with_live_settings().with_setting(described, &value) {
                    Ok(s) => self.restart(s, format!("New run from time 0 with {said}. Press Play.")),
                    Err(e) => Notice { text: format!("Not changed ({said}): {e}."), error: true },
                })
            }
            RunAction::Step => {
                let was_stuck = self.sim.stuck().is_some();
                let scripted = time_travel::step_future(self).or_else(|| self.step());
                self.follow();
                self.stuck_notice(was_stuck).or(scripted)
            }
            RunAction::Frame { dt_ms, speed } => {
                if super::backlog::full(self) {
                    return super::backlog::notice(self);
                }
                let t0 = now_ms();
                let was_stuck = self.sim.stuck().is_some();
                let scripted = self.advance(dt_ms, speed);
                self.follow();
                self.frame_started_ms = Some((t0, now_ms() - t0));
                self.stuck_notice(was_stuck).or_else(|| super::backlog::notice(self)).or(scripted)
            }
            RunAction::SetFaults(faults) => {
                let mut s = self.scenario_with_live_settings();
                s.faults = faults;
                let n = s.faults.len();
                Some(match s.validate() {
                    Ok(()) => self.restart(s, format!("New run from time 0 with {n} scheduled fault(s). Press Play.")),
                    Err(e) => Notice { text: format!("Fault schedule not changed: {e}."), error: true },
                })
            }
            RunAction::Open(link) => Some(super::share_run::open(self, &link)),
            RunAction::Import(scenario) => Some(super::share_run::import(self, *scenario)),
            RunAction::Seek(us) => Some(time_travel::seek(self, us)),
            a @ (RunAction::StartCompare(_) | RunAction::StopCompare | RunAction::ChangeLane { .. }) => {
                self.compare_action(a)
            }
        }
    }

    /// Starts, stops or changes the live comparison.
    fn compare_action(&mut self, action: RunAction) -> Option<Notice> {
        match action {
            RunAction::StartCompare(name) => Some(match LiveCompare::start(&name, &self.base) {
                Ok(c) => {
                    self.compare = Some(c);
                    self.compare_epoch += 1;
                    self.follow();
                    Notice { text: format!("Comparing “{name}”: each lane follows the run in step."), error: false }
                }
                Err(e) => Notice { text: format!("Cannot compare: {e}."), error: true },
            }),
            RunAction::StopCompare => {
                self.compare = None;
                self.compare_epoch += 1;
                None
            }
            RunAction::ChangeLane { lane, label } => {
                let c = self.compare.as_mut()?;
                self.compare_epoch += 1;
                Some(match c.change(lane, &label, &self.base) {
                    Ok(()) => {
                        self.follow();
                        Notice {
                            text: format!("Lane {} is now “{label}”, run again from time 0 to catch up.", lane + 1),
                            error: false,
                        }
                    }
                    Err(e) => Notice { text: format!("Lane {} not changed: {e}.", lane + 1), error: true },
                })
            }
            _ => None,
        }
    }

    /// Replaces the comparison (a shared run's).
    pub(super) fn set_compare(&mut self, compare: Option<LiveCompare>) {
        self.compare = compare;
        self.compare_epoch += 1;
    }

    /// The comparison's lanes run up to the run's sim time (each within the frame's budget).
    fn follow(&mut self) {
        if let Some(c) = &mut self.compare {
            c.follow(self.sim.now(), EVENT_BUDGET_PER_FRAME);
        }
    }

    /// Redraw key of the comparison: (its epoch, the run's sim time), moving at most every 250 ms
    /// of wall time while playing.
    pub fn compare_key(&mut self, now_ms: f64, playing: bool) -> (u64, u64) {
        let key = (self.compare_epoch, self.sim.now().as_us());
        throttle(&mut self.compare_shown, key, now_ms, playing, 250.0)
    }

    /// What a click on consumer `id` does: crash it, or restart it when it is down.
    pub(super) fn toggle_command(&self, id: ConsumerId) -> Option<Command> {
        match self.sim.consumer(id).map(|c| c.status) {
            Some(ConsumerStatus::Crashed | ConsumerStatus::Failed) => Some(Command::RestartConsumer { consumer: id }),
            Some(ConsumerStatus::Stopped) | None => None,
            Some(_) => Some(Command::CrashConsumer { consumer: id, at: None }),
        }
    }

    /// Starts a new run of `base` at time zero. On an invalid scenario nothing changes.
    pub(super) fn restart(&mut self, base: Scenario, said: String) -> Notice {
        match new_simulation(&base) {
            Ok(sim) => {
                self.sim = sim;
                self.base = base;
                self.log = LogBuffer::default();
                self.budget_hit = false;
                self.run += 1;
                self.timeline = Timeline::new(&self.sim);
                self.future.clear();
                self.reached_us = 0;
                // A comparison starts again on the new scenario, with the same preset.
                if let Some(name) = self.compare.as_ref().map(|c| c.preset.clone()) {
                    self.compare = LiveCompare::start(&name, &self.base).ok();
                    self.compare_epoch += 1;
                }
                Notice { text: said, error: false }
            }
            Err(e) => Notice { text: format!("Could not restart: {e}"), error: true },
        }
    }

    /// The base scenario with the live settings folded in: what "reset" restarts, so settings the
    /// user changed during the run survive it.
    /// (The engine's live settings are the starting scenario with every live change applied.)
    pub fn scenario_with_live_settings(&self) -> Scenario {
        let mut s = self.sim.scenario().clone();
        // The run lists chaos mode's faults among its own; the base still draws them (a new
        // seed draws new ones).
        (s.faults, s.chaos) = (self.base.faults.clone(), self.base.chaos);
        let members = self.sim.consumers().iter().filter(|c| c.status != ConsumerStatus::Stopped).count() as u32;
        s.consumers.count = members.max(1);
        s
    }

    /// Applies a command through the engine (recorded, stamped, hashed).
    pub(super) fn command(&mut self, command: Command) -> Notice {
        let said = describe_command(&command);
        match self.sim.handle(command) {
            Ok(()) => {
                // Acting in the past starts a new future (`time_travel.rs`).
                time_travel::branch(self);
                // What the command set off at this very instant (a queue takes a crashed
                // consumer's leave at once) happens now, as in a replay up to this instant: the
                // paused page and `eda-lab run --until <now>` stand at the same state.
                self.sim.run_until(self.sim.now(), EVENT_BUDGET_PER_FRAME);
                Notice { text: format!("Applied: {said}."), error: false }
            }
            Err(e) => Notice { text: format!("Not applied ({said}): {e}."), error: true },
        }
    }

    /// Advances the run by `wall_dt_ms` of wall time at `speed`, within the frame's event budget
    /// (applying the commands of a lesson's solution being shown at their times, if any).
    fn advance(&mut self, wall_dt_ms: f64, speed: Speed) -> Option<Notice> {
        let dt_ms = wall_dt_ms.clamp(0.0, MAX_FRAME_DT_MS);
        let delta_us = match speed {
            Speed::Times(x) => (dt_ms * 1_000.0 * x).round() as u64,
            Speed::Max => FAST_FORWARD_HORIZON_US,
        };
        let target = self.sim.now().plus_us(delta_us);
        let mut budget = EVENT_BUDGET_PER_FRAME;
        let replayed = time_travel::run_future(self, target, &mut budget);
        if budget == 0 || self.future.first().is_some_and(|c| c.at_us <= target.as_us()) {
            self.budget_hit = speed != Speed::Max;
            return replayed;
        }
        let (status, said) = session::run_scripted(self, target, budget);
        self.budget_hit = status == RunStatus::BudgetExhausted && speed != Speed::Max;
        said
    }

    /// What to tell the user when the run has just got stuck at one instant (the engine stops it
    /// for good; the page pauses and says why instead of spinning).
    fn stuck_notice(&self, was_stuck: bool) -> Option<Notice> {
        let stuck = self.sim.stuck().filter(|_| !was_stuck)?;
        Some(Notice { text: format!("Stopped: {stuck}. Change the setting and reset the run."), error: true })
    }

    /// Processes events until something worth a log line happens (at most 10,000 events), so one
    /// press of "step" always shows a change. A solution's command due before the next event is
    /// such a change.
    fn step(&mut self) -> Option<Notice> {
        let before = self.sim.journal().last().copied();
        for _ in 0..10_000 {
            if let Some(said) = session::apply_due(self) {
                return Some(said);
            }
            if !self.sim.step() {
                break;
            }
            if self.sim.journal().last().copied() != before {
                break;
            }
        }
        None
    }

    /// Redraw keys of the panels that need not follow every frame: the event log ((run, lines
    /// seen)), the charts ((run, newest sample time)), the dead-letter queue's table ((run, what
    /// it shows)) and the monitoring panel ((run, newest sample time)). While playing the log
    /// moves at most every 200 ms of wall time, the charts and the table every 400 ms, the
    /// monitoring panel every 1000 ms, and no two of them in the same frame; paused (or after a
    /// reset) they follow at once.
    pub fn panel_versions(&mut self, now_ms: f64, playing: bool) -> PanelKeys {
        let (log_before, charts_before, dlq_before) = (self.log_shown.0, self.charts_shown.0, self.dlq_shown.0);
        let log = throttle(&mut self.log_shown, (self.run, self.log.seen()), now_ms, playing, 200.0);
        // Whether a panel already redraws in this frame (a new run redraws them all at once).
        let busy = |before: (u64, u64), now: (u64, u64)| playing && now != before && now.0 == before.0;
        let newest = self.sim.history().last().map(|s| s.time_us).unwrap_or(0);
        let charts = if busy(log_before, log) {
            charts_before
        } else {
            throttle(&mut self.charts_shown, (self.run, newest), now_ms, playing, 400.0)
        };
        let dlq = if busy(log_before, log) || busy(charts_before, charts) {
            self.dlq_shown.0
        } else {
            let key = (self.run, super::dlq_panel::queue_key(&self.sim));
            throttle(&mut self.dlq_shown, key, now_ms, playing, 400.0)
        };
        let monitor = if busy(log_before, log) || busy(charts_before, charts) || busy(dlq_before, dlq) {
            self.monitor_shown.0
        } else {
            throttle(&mut self.monitor_shown, (self.run, newest), now_ms, playing, 1000.0)
        };
        PanelKeys { log, charts, dlq, monitor }
    }

    /// Records that the run changed.
    fn touch(&mut self) {
        self.version = self.version.wrapping_add(1);
        time_travel::record(self);
        self.log.absorb(&self.sim);
        let scenario = self.sim.scenario();
        if self.settings_seen.1.is_empty() || self.settings_seen.0 != *scenario || self.chaos_seen != self.base.chaos {
            // The run lists chaos mode's faults and has it off; the panel shows the base's chaos.
            let values = SETTINGS
                .iter()
                .map(|s| if s.group == settings::Group::Chaos { self.base.setting(s) } else { scenario.setting(s) })
                .collect();
            self.settings_seen = (scenario.clone(), Rc::new(values));
            self.chaos_seen = self.base.chaos;
        }
    }

    /// The run's value of every setting, in the order of the description (`None` where a setting
    /// does not apply).
    pub fn setting_values(&self) -> Rc<Vec<Option<Value>>> {
        self.settings_seen.1.clone()
    }
}

/// A simulation of `scenario` for the page: it records every message's journey, so any message
/// the run still keeps can be asked about, and its chart samples carry live latency percentiles.
pub(super) fn new_simulation(scenario: &Scenario) -> Result<Simulation, crate::sim::ScenarioError> {
    let mut sim = Simulation::new(scenario)?;
    sim.record_journeys(JourneyPolicy::All);
    sim.track_latency_percentiles();
    Ok(sim)
}

/// Moves `shown` to `current` unless it moved less than `every_ms` ago while playing (a new run
/// always shows at once). Returns the key to draw.
pub(super) fn throttle(
    shown: &mut ((u64, u64), f64),
    current: (u64, u64),
    now_ms: f64,
    playing: bool,
    every_ms: f64,
) -> (u64, u64) {
    let (key, at) = *shown;
    if current != key && (!playing || now_ms - at >= every_ms || current.0 != key.0) {
        *shown = (current, now_ms);
    }
    shown.0
}

/// Per-frame work times (engine step + state update + render) of the last 600 frames.
#[derive(Default)]
pub struct FrameStats {
    samples: VecDeque<f64>,
    /// The engine-and-state part of each frame (before the render), for diagnosis.
    step_samples: VecDeque<f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameSummary {
    pub count: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// Median and 95th percentile of the engine-and-state part alone.
    pub step_p50_ms: f64,
    pub step_p95_ms: f64,
}

impl FrameStats {
    const KEEP: usize = 600;

    /// Records one frame: its total work and the engine-and-state part of it.
    pub fn record(&mut self, total_ms: f64, step_ms: f64) {
        if self.samples.len() == Self::KEEP {
            self.samples.pop_front();
            self.step_samples.pop_front();
        }
        self.samples.push_back(total_ms);
        self.step_samples.push_back(step_ms);
    }

    pub fn summary(&self) -> FrameSummary {
        if self.samples.is_empty() {
            return FrameSummary::default();
        }
        let sorted = |q: &VecDeque<f64>| {
            let mut v: Vec<f64> = q.iter().copied().collect();
            sort::sort_by(&mut v, f64::total_cmp);
            v
        };
        let at = |v: &[f64], q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
        let v = sorted(&self.samples);
        let s = sorted(&self.step_samples);
        FrameSummary {
            count: v.len(),
            p50_ms: at(&v, 0.5),
            p95_ms: at(&v, 0.95),
            max_ms: v[v.len() - 1],
            step_p50_ms: at(&s, 0.5),
            step_p95_ms: at(&s, 0.95),
        }
    }
}

/// The result of a headless fast-forward run.
pub struct FastForward {
    pub messages: u64,
    pub settled: bool,
    pub wall_ms: f64,
    pub events: u64,
    pub sim_time: SimTime,
    pub trace_hash: String,
}

/// Runs a fresh copy of `base` limited to `n` messages until all are produced and settled, or
/// `wall_limit_ms` of wall time (read through `clock_ms`) has passed.
pub fn fast_forward(
    base: &Scenario,
    n: u64,
    wall_limit_ms: f64,
    clock_ms: impl Fn() -> f64,
) -> Result<FastForward, String> {
    let mut s = base.clone();
    s.producer.max_messages = Some(n);
    let mut sim = Simulation::new(&s).map_err(|e| e.to_string())?;
    let start = clock_ms();
    let settled = |sim: &Simulation| sim.ledger().produced() >= n && sim.ledger().counts().in_flight == 0;
    let mut done = settled(&sim);
    // One event at a time, so the run stops exactly when the last message settles; the clock is
    // read every few thousand events.
    'run: while !done {
        for _ in 0..4_096 {
            if !sim.step() {
                break 'run;
            }
            if settled(&sim) {
                done = true;
                break 'run;
            }
        }
        if clock_ms() - start >= wall_limit_ms {
            break;
        }
    }
    Ok(FastForward {
        messages: sim.ledger().produced(),
        settled: done,
        wall_ms: clock_ms() - start,
        events: sim.events_processed(),
        sim_time: sim.now(),
        trace_hash: sim.trace_hash().hex(),
    })
}

/// The result of a headless benchmark run.
pub struct Bench {
    pub messages: u64,
    pub events: u64,
    pub wall_ms: f64,
    pub trace_hash: String,
}

/// The engine benchmark, as `eda-lab bench --messages n --repeats 1` runs it: the SimPy comparison
/// model ([`Scenario::bench`] with processing failures, seed 42) stepped until no event is left,
/// timed with `clock_ms`. The trace hash is the command line's `trace=`.
pub fn bench(n: u64, clock_ms: impl Fn() -> f64) -> Result<Bench, String> {
    let mut sim = Simulation::new(&Scenario::bench(n, true)).map_err(|e| e.to_string())?;
    let start = clock_ms();
    while sim.step() {}
    let wall_ms = clock_ms() - start;
    Ok(Bench {
        messages: sim.ledger().produced(),
        events: sim.events_processed(),
        wall_ms,
        trace_hash: sim.trace_hash().hex(),
    })
}

/// The shared runtime as a component property. Equality is identity: components also take the
/// runtime's `version` (or a narrower key) so that they redraw exactly when what they show changed.
#[derive(Clone)]
pub struct RtHandle(pub std::rc::Rc<std::cell::RefCell<Runtime>>);

impl PartialEq for RtHandle {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}
