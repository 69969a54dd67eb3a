//! `eda-lab export --target T [--scenario FILE | --builtin NAME]`: the scenario as client code
//! (`crate::export`), printed to standard output; `--settings` prints, after the code, which line
//! each setting decided.

use crate::export::{export, Target};
use clap::Args;
use std::fmt::Write;

/// The arguments of `eda-lab export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The client library: kafka-python, confluent-kafka, pika, rdkafka or lapin.
    #[arg(long)]
    target: String,
    /// A scenario JSON file (default: the built-in at-least-once).
    #[arg(long, conflicts_with = "builtin")]
    scenario: Option<String>,
    /// A built-in scenario's name (`eda-lab scenarios` lists them).
    #[arg(long)]
    builtin: Option<String>,
    /// Also print each setting used, with the line it decided, after the code.
    #[arg(long)]
    settings: bool,
}

/// The code (and the settings used), or `<argument>: <reason>`.
pub fn run(args: &ExportArgs) -> Result<String, String> {
    let target = Target::parse(&args.target).ok_or_else(|| {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        format!("--target: `{}` is not one of {}", args.target, names.join(", "))
    })?;
    let scenario = match (&args.scenario, &args.builtin) {
        (Some(path), _) => crate::cli::load_scenario(path)?,
        (None, Some(name)) => {
            crate::sim::builtins::builtin(name).ok_or_else(|| format!("--builtin: no built-in scenario `{name}`"))?
        }
        (None, None) => crate::sim::builtins::builtin("at-least-once").expect("the default scenario is built in"),
    };
    let e = export(&scenario, target);
    let mut out = e.code;
    if args.settings {
        out.push('\n');
        for u in &e.settings {
            let _ = writeln!(out, "line {:>4}  {:<45} {}", u.line, u.path, u.what);
        }
    }
    Ok(out)
}
