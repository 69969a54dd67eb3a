//! The lesson being taken, as the page's run holds it ([`Runtime::lesson`]): the lesson, the
//! settings the learner chose that start a new run, and the solution's commands still to play
//! when the learner asked to see it. Everything the page does to the run passes here first
//! ([`intercept`]): a command the lesson locks is refused with a notice naming it, and every
//! restart goes back to the lesson's own start (never the built-in's), so the run on screen is
//! always the one a challenge replays: the lesson's start, then the learner's commands.

use crate::sim::command::{Command, StampedCommand};
use crate::sim::config::scenario::{Scenario, ScheduledCommand};
use crate::sim::config::settings;
use crate::sim::lessons::check;
use crate::sim::lessons::lesson::Lesson;
use crate::sim::narrate::describe_command;
use crate::sim::time::SimTime;
use crate::sim::{RunStatus, Simulation};
use crate::ui::run::RunAction;
use crate::ui::runtime::{throttle, Runtime, EVENT_BUDGET_PER_FRAME};
use crate::ui::state::Notice;
use std::collections::VecDeque;
use std::rc::Rc;

/// What the lesson panel does to the run.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonAction {
    /// Take this lesson: the run restarts at its start, and its locks apply.
    Start(Rc<Lesson>),
    /// Back to the lesson's start, the learner's settings and commands undone.
    Restart,
    /// Back to the lesson's start, then play the reference solution's commands at their times.
    ShowSolution,
    /// Takes back the learner's last change: the last command (the run is replayed without it up
    /// to where it stood), else the last setting chosen for a new run.
    Undo,
    /// Stop the lesson: nothing is locked any more, the run goes on as it is.
    Leave,
}

pub struct Session {
    pub lesson: Rc<Lesson>,
    /// Settings the learner chose that take a new run (commands at 0 ms: a challenge applies
    /// them before the run starts, as this run had them from its start).
    pub setup: Vec<ScheduledCommand>,
    /// The solution being shown: its commands still to apply, in time order.
    script: VecDeque<ScheduledCommand>,
    /// The live checklist's redraw key and when it last moved (see [`live_key`]).
    shown: ((u64, u64), f64),
}

impl Session {
    fn new(lesson: Rc<Lesson>) -> Session {
        Session { lesson, setup: Vec::new(), script: VecDeque::new(), shown: ((0, 0), f64::NEG_INFINITY) }
    }

    /// Where a new run of the lesson starts: its start with the learner's settings.
    pub fn scenario(&self) -> Result<Scenario, String> {
        let mut s = check::start(&self.lesson).map_err(|e| e.to_string())?;
        for c in &self.setup {
            let writes = c.command.writes().map_err(|e| e.to_string())?;
            s = s.with_writes(&writes).map_err(|e| e.to_string())?;
        }
        Ok(s)
    }

    /// The learner's commands so far, as a challenge replays them: the settings chosen for a new
    /// run at 0 ms, then the run's command log (to the millisecond).
    pub fn commands(&self, sim: &Simulation) -> Vec<ScheduledCommand> {
        let log =
            sim.commands().iter().map(|c| ScheduledCommand { at_ms: c.at_us / 1_000, command: c.command.clone() });
        self.setup.iter().cloned().chain(log).collect()
    }

    /// The solution is being played.
    pub fn showing_solution(&self) -> bool {
        !self.script.is_empty()
    }
}

/// The session of a shared run of `lesson` that started from `scenario` and took `commands`: the
/// settings it differs from the lesson's start by are the learner's (chosen for a new run). A
/// run the lesson could not have made (another start, a locked setting or command) is named.
pub fn shared(lesson: Rc<Lesson>, scenario: &Scenario, commands: &[StampedCommand]) -> Result<Session, String> {
    let start = check::start(&lesson).map_err(|e| e.to_string())?;
    let mut session = Session::new(lesson);
    for s in settings::SETTINGS {
        if let Some(value) = scenario.setting(s).filter(|v| start.setting(s).as_ref() != Some(v)) {
            session.setup.push(ScheduledCommand { at_ms: 0, command: Command::Set { setting: s.path.into(), value } });
        }
    }
    let recorded = commands.iter().map(|c| &c.command);
    if let Some(n) = session.setup.iter().map(|c| &c.command).chain(recorded).find_map(|c| refusal(&session.lesson, c))
    {
        return Err(format!("link c: {}", n.text));
    }
    match session.scenario() {
        Ok(s) if s == *scenario => Ok(session),
        _ => Err(format!("link s: not a start of the lesson “{}”", session.lesson.title)),
    }
}

/// Why `command` is refused in `lesson`, as the page says it; `None` when the lesson allows it.
pub fn refusal(lesson: &Lesson, command: &Command) -> Option<Notice> {
    let what = check::locked(lesson, command)?;
    // A setting is named by its label too, as its control shows it.
    let writes = command.writes().unwrap_or_default();
    let label = writes.iter().find(|(s, _)| what.contains(&format!("`{}`", s.path))).map(|(s, _)| s.label);
    let named = label.map_or(what.clone(), |l| format!("{l}, {what}"));
    Some(locked(&format!("{} ({named})", describe_command(command))))
}

fn locked(what: &str) -> Notice {
    Notice { text: format!("Locked in this lesson: {what}. The lesson panel lists what you may change."), error: true }
}

/// Passes `action` on (`Err`) unless a lesson is on and it is one the lesson refuses or restarts
/// its own way (`Ok`, with what to say).
pub fn intercept(rt: &mut Runtime, action: RunAction) -> Result<Option<Notice>, RunAction> {
    let Some(lesson) = rt.lesson.as_ref().map(|s| s.lesson.clone()) else { return Err(action) };
    match action {
        RunAction::Command(c) => match refusal(&lesson, &c) {
            Some(n) => Ok(Some(n)),
            None => Err(RunAction::Command(c)),
        },
        RunAction::ToggleConsumer(id) => match rt.toggle_command(id).and_then(|c| refusal(&lesson, &c)) {
            Some(n) => Ok(Some(n)),
            None => Err(RunAction::ToggleConsumer(id)),
        },
        RunAction::NewRunWith { setting, value } => {
            let c = Command::Set { setting: setting.into(), value };
            Ok(Some(refusal(&lesson, &c).unwrap_or_else(|| new_run_with(rt, c))))
        }
        RunAction::Reset => Ok(Some(reset(rt))),
        RunAction::LoadScenario(_) | RunAction::RestoreDefaults | RunAction::Import(_) => {
            Ok(Some(locked("the scenario (leave the lesson to pick another)")))
        }
        RunAction::Reseed(_) => Ok(Some(locked("the seed"))),
        RunAction::SetFaults(_) => Ok(Some(locked("the fault schedule"))),
        other => Err(other),
    }
}

/// A setting a running simulation cannot change: a new run of the lesson with it.
fn new_run_with(rt: &mut Runtime, command: Command) -> Notice {
    let said = match &command {
        Command::Set { setting, value } => settings::find(setting).map(|s| s.describe(value)),
        _ => None,
    };
    let said = said.unwrap_or_else(|| describe_command(&command));
    let mut kept = rt.lesson.as_ref().map(|s| s.setup.clone()).unwrap_or_default();
    kept.push(ScheduledCommand { at_ms: 0, command });
    restart_with(rt, kept, VecDeque::new(), format!("New run of the lesson from time 0 with {said}. Press Play."))
}

/// The top bar's Reset: the lesson's start again, keeping every setting the learner changed
/// (as settings chosen before the start); actions are undone.
fn reset(rt: &mut Runtime) -> Notice {
    let mut kept = rt.lesson.as_ref().map(|s| s.setup.clone()).unwrap_or_default();
    for c in rt.sim.commands() {
        for (s, value) in c.command.writes().unwrap_or_default() {
            kept.push(ScheduledCommand { at_ms: 0, command: Command::Set { setting: s.path.into(), value } });
        }
    }
    restart_with(rt, kept, VecDeque::new(), "Lesson restarted from time 0 with your settings. Press Play.".into())
}

/// A new run of the lesson with `setup` and `script`; on a scenario that cannot run, nothing
/// changes.
fn restart_with(
    rt: &mut Runtime,
    setup: Vec<ScheduledCommand>,
    script: VecDeque<ScheduledCommand>,
    said: String,
) -> Notice {
    let Some(session) = rt.lesson.as_mut() else { return Notice { text: said, error: true } };
    let before = (std::mem::replace(&mut session.setup, setup), std::mem::replace(&mut session.script, script));
    let scenario = session.scenario();
    let notice = match scenario {
        Ok(s) => rt.restart(s, said),
        Err(e) => Notice { text: format!("Not changed: {e}."), error: true },
    };
    if notice.error {
        if let Some(session) = rt.lesson.as_mut() {
            (session.setup, session.script) = before;
        }
    }
    notice
}

/// Applies a lesson action to the run.
pub fn apply(rt: &mut Runtime, action: LessonAction) -> Option<Notice> {
    Some(match action {
        LessonAction::Start(lesson) => match check::start(&lesson) {
            Ok(s) => {
                let n = rt.restart(s, format!("Lesson “{}”: the run stands at its start. Press Play.", lesson.title));
                if !n.error {
                    rt.lesson = Some(Session::new(lesson));
                }
                n
            }
            Err(e) => Notice { text: format!("The lesson cannot start: {e}."), error: true },
        },
        LessonAction::Restart => {
            restart_with(rt, Vec::new(), VecDeque::new(), "Back to the lesson's start. Press Play.".into())
        }
        LessonAction::ShowSolution => {
            let solution = rt.lesson.as_ref()?.lesson.solution.clone();
            // As a challenge does: settings at 0 ms configure the run, the rest play at their times.
            let (setup, script): (Vec<_>, Vec<_>) =
                solution.into_iter().partition(|c| c.at_ms == 0 && c.command.writes().is_ok_and(|w| !w.is_empty()));
            let said = format!(
                "Showing the solution from the start: {} command(s) at their times.",
                setup.len() + script.len()
            );
            let n = restart_with(rt, setup, script.into(), said);
            // Commands at 0 ms apply now, so a challenge run before Play has them too.
            if !n.error {
                run_scripted(rt, SimTime::ZERO, EVENT_BUDGET_PER_FRAME);
            }
            n
        }
        LessonAction::Undo => undo(rt)?,
        LessonAction::Leave => {
            let s = rt.lesson.take()?;
            Notice {
                text: format!("Left the lesson “{}”: every control is yours again.", s.lesson.title),
                error: false,
            }
        }
    })
}

/// Most events an undo may replay (about five seconds of the page's work).
const UNDO_BUDGET_EVENTS: u64 = 10_000_000;

/// The learner's last change taken back, as if never made: the run again from the lesson's start
/// with every other command at the instant it was recorded, up to where the run stood.
fn undo(rt: &mut Runtime) -> Option<Notice> {
    let commands = rt.sim.commands().to_vec();
    let now = rt.sim.now();
    let mut setup = rt.lesson.as_ref()?.setup.clone();
    let Some((last, kept)) = commands.split_last() else {
        let Some(last) = setup.pop() else {
            return Some(Notice {
                text: "Nothing to undo: the run stands at the lesson's start.".into(),
                error: false,
            });
        };
        let said = format!("Undone: {}. A new run from time 0. Press Play.", describe_command(&last.command));
        return Some(restart_with(rt, setup, VecDeque::new(), said));
    };
    let said = format!("Undone: {} (at {:.3} s).", describe_command(&last.command), last.at_us as f64 / 1e6);
    let n = restart_with(rt, setup, VecDeque::new(), said);
    if n.error {
        return Some(n);
    }
    Some(match rt.sim.run_commands_observed(kept, now, UNDO_BUDGET_EVENTS, &mut |_| {}) {
        Ok(()) => n,
        Err(e) => {
            Notice { text: format!("Undone, but the run could not be replayed to where it stood: {e}."), error: true }
        }
    })
}

/// Runs the simulation to `target` within `budget` events, applying the solution's commands being
/// shown at their times on the way (as a challenge does: after every event at that instant).
/// Returns the run's status and what the last command applied said.
pub fn run_scripted(rt: &mut Runtime, target: SimTime, budget: u64) -> (RunStatus, Option<Notice>) {
    let mut budget = budget;
    let mut said = None;
    while let Some(at) = next_at(rt).filter(|at| *at <= target) {
        let before = rt.sim.events_processed();
        let status = rt.sim.run_until(at, budget);
        budget = budget.saturating_sub(rt.sim.events_processed() - before);
        if status != RunStatus::Reached {
            return (status, said);
        }
        said = apply_next(rt).or(said);
    }
    (rt.sim.run_until(target, budget), said)
}

/// For a step: applies the solution's next command if it is due before the next event.
pub fn apply_due(rt: &mut Runtime) -> Option<Notice> {
    let at = next_at(rt)?;
    if rt.sim.next_event_time().is_some_and(|t| t <= at) {
        return None;
    }
    // No event is due up to `at`: this only moves the clock.
    rt.sim.run_until(at, 0);
    apply_next(rt)
}

fn next_at(rt: &Runtime) -> Option<SimTime> {
    rt.lesson.as_ref()?.script.front().map(|c| SimTime::from_ms(c.at_ms))
}

fn apply_next(rt: &mut Runtime) -> Option<Notice> {
    let c = rt.lesson.as_mut()?.script.pop_front()?;
    let n = rt.command(c.command);
    Some(Notice { text: format!("Solution at {} ms: {}", c.at_ms, n.text), error: n.error })
}

/// The live checklist's redraw key: (run, version), moving at most every 500 ms of wall time
/// while playing (the report it reads is too much work for every frame).
pub fn live_key(rt: &mut Runtime, now_ms: f64, playing: bool) -> (u64, u64) {
    let key = (rt.run, rt.version);
    match rt.lesson.as_mut() {
        Some(s) => throttle(&mut s.shown, key, now_ms, playing, 500.0),
        None => (0, 0),
    }
}
