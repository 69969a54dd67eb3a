//! `eda-lab lessons` lists the lessons (id, track, mode, title); `eda-lab lesson check ID` replays
//! one and prints its checklist: the untouched start (`--start`), the reference solution
//! (`--solution`), one of its counterexamples (`--counterexample N`), or the learner's commands
//! (`--commands FILE`: a list of `{"at_ms": .., "command": {..}}`, or a command log as the page
//! exports it). Exit 0 when the goal holds, 1 when it does not, 2 when the attempt cannot be
//! judged (an unknown lesson, a malformed file, a locked control), with the field named.

use crate::sim::command_log::CommandLog;
use crate::sim::config::scenario::ScheduledCommand;
use crate::sim::lessons::catalogue;
use crate::sim::lessons::check::{attempt, Outcome};
use crate::sim::lessons::lesson::Lesson;
use clap::Args;
use std::fmt::Write;

/// The arguments of `eda-lab lesson check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The lesson's id (`eda-lab lessons` lists them).
    id: String,
    /// Replay the lesson as it starts, with no command.
    #[arg(long, conflicts_with_all = ["solution", "commands", "counterexample"])]
    start: bool,
    /// Replay the lesson's reference solution.
    #[arg(long, conflicts_with_all = ["commands", "counterexample"])]
    solution: bool,
    /// Replay the lesson's counterexample N (from 0).
    #[arg(long, conflicts_with = "commands")]
    counterexample: Option<usize>,
    /// Replay these commands: a JSON list of {"at_ms", "command"}, or a command log.
    #[arg(long)]
    commands: Option<String>,
    /// Print the outcome as JSON.
    #[arg(long)]
    json: bool,
    /// Read the lesson from this JSON file instead of the catalogue (for a lesson being written;
    /// ID must match its id).
    #[arg(long)]
    file: Option<String>,
}

/// `eda-lab lessons`: one line per lesson.
pub fn list() -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(out, "{:<32} {:<26} {:<10} title", "id", "track", "mode");
    for l in catalogue::all()? {
        let _ = writeln!(out, "{:<32} {:<26} {:<10} {}", l.id, l.track.id(), l.mode.as_str(), l.title);
    }
    Ok(out)
}

/// `eda-lab lesson check`: prints the checklist; the exit code.
pub fn check(args: &CheckArgs) -> i32 {
    match judge(args) {
        Ok((text, passed)) => {
            print!("{text}");
            i32::from(!passed)
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn judge(args: &CheckArgs) -> Result<(String, bool), String> {
    let lesson = match &args.file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let lesson: Lesson = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            if lesson.id != args.id {
                return Err(format!("{path}: its id is `{}`, not `{}`", lesson.id, args.id));
            }
            lesson
        }
        None => catalogue::all()?
            .into_iter()
            .find(|l| l.id == args.id)
            .ok_or_else(|| format!("no lesson `{}` (eda-lab lessons lists them)", args.id))?,
    };
    let commands = commands_of(&lesson, args)?;
    let outcome = attempt(&lesson, &commands).map_err(|e| e.to_string())?;
    let text = if args.json {
        serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())? + "\n"
    } else {
        checklist(&lesson, &outcome)
    };
    Ok((text, outcome.passed))
}

fn commands_of(lesson: &Lesson, args: &CheckArgs) -> Result<Vec<ScheduledCommand>, String> {
    if args.solution {
        return Ok(lesson.solution.clone());
    }
    if let Some(n) = args.counterexample {
        let c = lesson.counterexamples.get(n).ok_or_else(|| {
            format!("--counterexample: the lesson has {} counterexamples (from 0)", lesson.counterexamples.len())
        })?;
        return Ok(c.commands.clone());
    }
    let Some(path) = &args.commands else { return Ok(Vec::new()) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    parse_commands(&text).map_err(|e| format!("{path}: {e}"))
}

/// A list of `{"at_ms", "command"}`, or a command log as the page exports it (times rounded down
/// to the millisecond).
pub fn parse_commands(text: &str) -> Result<Vec<ScheduledCommand>, String> {
    if text.trim_start().starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<ScheduledCommand>>(text) {
            return Ok(list);
        }
    }
    let log = CommandLog::parse(text).map_err(|e| e.to_string())?;
    Ok(log.commands.into_iter().map(|c| ScheduledCommand { at_ms: c.at_us / 1_000, command: c.command }).collect())
}

/// The checklist as text: one line per item, then the verdict.
pub fn checklist(lesson: &Lesson, o: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "lesson {} ({}, {}): {}", lesson.id, lesson.track.id(), lesson.mode.as_str(), lesson.title);
    for c in &o.checks {
        let mark = if c.holds { "✓" } else { "✗" };
        let kind = if c.guard { "guard" } else { "goal " };
        let when = c.failed_at_ms.map(|ms| format!(", first failed at {} s", ms as f64 / 1e3)).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {mark} {kind} {}: {} = {} (wanted {} {}){when}",
            c.name, c.metric, c.actual, c.op, c.expected
        );
    }
    let verdict = if o.passed { "goal met" } else { "goal not met" };
    let _ = writeln!(out, "{verdict}: {} commands (par {}), trace {}", o.commands, o.par, o.trace_hash);
    if o.passed {
        let _ = writeln!(out, "{}", lesson.success);
    }
    out
}
