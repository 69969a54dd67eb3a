//! One run and the one way to change it. A [`Run`] is the state of a `use_reducer`: the shared
//! [`Runtime`] plus the last thing to tell the user about it. Every change — a control, a click
//! on a consumer, a restart, a step, an animation frame — is a [`RunAction`] dispatched to it and
//! applied by [`Runtime::apply`], which bumps the run's version; the dispatch re-renders the
//! component that holds the run, and each panel redraws when the version (or a narrower key) it
//! takes moved. A compare view holds one `Run` per lane.

use super::lessons::LessonAction;
use super::runtime::{RtHandle, Runtime};
use super::state::{Notice, Speed};
use crate::sim::command::Command;
use crate::sim::scenario::Scenario;
use crate::sim::ConsumerId;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Everything that changes a run.
#[derive(Clone, Debug, PartialEq)]
pub enum RunAction {
    /// An engine command (recorded, replayable).
    Command(Command),
    /// Crash a running consumer or restart a crashed one (a click on it in the diagram).
    ToggleConsumer(ConsumerId),
    /// Restart with a built-in scenario, keeping the seed.
    LoadScenario(String),
    /// Restart with the run's built-in scenario as it ships: its own settings, seed and faults.
    RestoreDefaults,
    /// Start, restart, show the solution of, or leave a lesson (`lessons/session.rs`).
    Lesson(LessonAction),
    /// Restart from time 0 with the current settings.
    Reset,
    /// Restart with the current settings and this seed.
    Reseed(u64),
    /// Restart with the current settings and this one changed: a setting a running simulation
    /// cannot change (the partition count it starts with, the consumers it starts with, the chart interval...).
    NewRunWith { setting: &'static str, value: serde_json::Value },
    /// Process events up to the next one worth a log line.
    Step,
    /// One animation frame: `dt_ms` of wall time at `speed`.
    Frame { dt_ms: f64, speed: Speed },
    /// Restart from time 0 with this fault schedule (the scenario's own faults).
    SetFaults(Vec<crate::sim::scenario::ScheduledCommand>),
    /// Start comparing the run's scenario under a preset's lanes, in step with the run.
    StartCompare(String),
    /// Stop comparing.
    StopCompare,
    /// Lane `lane` of the comparison becomes configuration `label`, from time zero.
    ChangeLane { lane: usize, label: String },
    /// Open a share link (the text after `#run=`, or a whole URL): its scenario, commands and
    /// instant, lesson and lanes (`share_run.rs`).
    Open(String),
    /// Restart with a scenario imported from JSON.
    Import(Box<Scenario>),
    /// Go back (or forward again) to this instant of the run, in microseconds (`time_travel.rs`).
    Seek(u64),
}

impl RunAction {
    /// Restarts and steps pause playback, so what follows is not missed.
    pub fn pauses(&self) -> bool {
        matches!(
            self,
            Self::LoadScenario(_)
                | Self::RestoreDefaults
                | Self::Lesson(_)
                | Self::Reset
                | Self::Reseed(_)
                | Self::NewRunWith { .. }
                | Self::SetFaults(_)
                | Self::Step
                | Self::Open(_)
                | Self::Import(_)
                | Self::Seek(_)
        )
    }
}

/// The reducer state of one run.
pub struct Run {
    pub rt: Rc<RefCell<Runtime>>,
    /// What the last action that said anything said.
    pub notice: Option<Rc<Notice>>,
}

impl Run {
    pub fn new(scenario: Scenario) -> Run {
        Run { rt: Rc::new(RefCell::new(Runtime::new(scenario))), notice: None }
    }

    pub fn handle(&self) -> RtHandle {
        RtHandle(self.rt.clone())
    }

    pub fn version(&self) -> u64 {
        self.rt.borrow().version
    }
}

impl Reducible for Run {
    type Action = RunAction;

    fn reduce(self: Rc<Self>, action: RunAction) -> Rc<Self> {
        let said = self.rt.borrow_mut().apply(action);
        let notice = said.map(Rc::new).or_else(|| self.notice.clone());
        Rc::new(Run { rt: self.rt.clone(), notice })
    }
}
