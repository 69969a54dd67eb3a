//! Building blocks of the settings panel: a labelled field, numeric input parsing with errors that
//! name the field, and the values the pickers use for engine settings.

use crate::sim::command::Command;
use crate::sim::scenario::{CommitStrategy, CrashPoint, IdempotencyMode};
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

/// A labelled field with its one-line explanation (`{id}-help`, which the control may name in
/// `aria-describedby`).
pub fn field(id: &'static str, label: &'static str, help: &'static str, control: Html) -> Html {
    html! {
        <div class="field">
            <label for={id}>{label}</label>
            { control }
            <p class="help" id={format!("{id}-help")}>{help}</p>
        </div>
    }
}

/// Parses a number typed into a field, within bounds. The error names the field and what it
/// accepts; nothing is applied then, so the run keeps its current value.
pub fn parse_in(what: &str, text: &str, lo: f64, hi: f64) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= lo && v <= hi => Ok(v),
        _ => Err(format!("{what} must be a number from {lo} to {hi} (got “{}”); nothing was changed.", text.trim())),
    }
}

/// Where a numeric field's value goes: the error line of the panel and the run.
#[derive(Clone, PartialEq)]
pub struct Sinks {
    pub on_run: Callback<RunAction>,
    /// Shows (Some) or clears (None) the panel's input error.
    pub on_error: Callback<Option<String>>,
}

impl Sinks {
    /// A callback for a numeric field: a valid value clears the error and becomes a command; an
    /// invalid one shows the error and changes nothing.
    pub fn numeric(
        &self,
        what: &'static str,
        lo: f64,
        hi: f64,
        to_command: impl Fn(f64) -> Command + 'static,
    ) -> Callback<Event> {
        let sinks = self.clone();
        Callback::from(move |e: Event| match parse_in(what, &input_value(&e), lo, hi) {
            Ok(v) => sinks.command(to_command(v)),
            Err(message) => sinks.on_error.emit(Some(message)),
        })
    }

    /// Clears the error (the value typed was good) and sends the command.
    pub fn command(&self, command: Command) {
        self.on_error.emit(None);
        self.send(command);
    }

    /// Sends the command (a picker or a button: nothing typed, no error to clear).
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

pub fn commit_value(c: CommitStrategy) -> &'static str {
    match c {
        CommitStrategy::BeforeProcessing => "before_processing",
        CommitStrategy::AfterProcessing => "after_processing",
        CommitStrategy::Auto { .. } => "auto",
    }
}

pub fn idem_value(m: IdempotencyMode) -> &'static str {
    match m {
        IdempotencyMode::None => "none",
        IdempotencyMode::DedupCheckThenAct => "dedup_check_then_act",
        IdempotencyMode::DedupAtomic => "dedup_atomic",
        IdempotencyMode::Natural => "natural",
    }
}

pub fn idem_from(v: &str) -> Option<IdempotencyMode> {
    [IdempotencyMode::None, IdempotencyMode::DedupCheckThenAct, IdempotencyMode::DedupAtomic, IdempotencyMode::Natural]
        .into_iter()
        .find(|m| idem_value(*m) == v)
}

/// A probability as a percentage for a number field: `3`, `2.5`.
pub fn fmt_pct(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{:.1}", v)
    }
}
