//! Building blocks of the settings panel: where a control's command goes, and picker values.

use crate::sim::command::Command;
use crate::sim::scenario::CrashPoint;
use crate::ui::run::RunAction;
use crate::ui::select::Choice;
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

pub fn choices(list: &[(&'static str, &'static str)]) -> Vec<Choice> {
    list.iter().map(|(value, label)| Choice::new(*value, *label)).collect()
}

/// Where the panel's actions go: the run.
#[derive(Clone, PartialEq)]
pub struct Sinks {
    pub on_run: Callback<RunAction>,
}

impl Sinks {
    /// Sends an engine command (recorded and replayable).
    pub fn send(&self, command: Command) {
        self.on_run.emit(RunAction::Command(command));
    }
}

pub fn crash_point_value(p: CrashPoint) -> &'static str {
    match p {
        CrashPoint::AfterReceive => "after_receive",
        CrashPoint::AfterCommit => "after_commit",
        CrashPoint::AfterEffect => "after_effect",
        CrashPoint::AfterDedupMark => "after_dedup_mark",
    }
}

pub fn crash_point_from(v: &str) -> Option<CrashPoint> {
    CrashPoint::ALL.into_iter().find(|p| crash_point_value(*p) == v)
}
