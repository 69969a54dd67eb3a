//! `eda-lab compare`: the lanes of a preset (`sim::compare`) on one scenario, run in step on the
//! same seed and the same crashes, and their outcomes side by side.

use crate::sim::compare::{preset, Comparison, LaneOutcome, PRESETS};
use crate::sim::time::parse_duration_us;
use crate::sim::SimTime;
use clap::Args;
use std::fmt::Write;

/// The arguments of `eda-lab compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// A built-in scenario name or a path to a scenario JSON file, as `run` takes it: the base
    /// every lane starts from.
    scenario: String,
    /// The comparison: three-guarantees (at-most-once, at-least-once, at-least-once with atomic
    /// dedup) or idempotency-strategies (dedup check-then-act, dedup atomic, unique constraint,
    /// versioning).
    #[arg(long)]
    preset: String,
    /// Override the scenario's seed (every lane shares it).
    #[arg(long)]
    seed: Option<u64>,
    /// How much simulated time each lane covers, e.g. 60s, 500ms, 10m.
    #[arg(long, default_value = "60s")]
    until: String,
    /// Stop with an error naming the lane when one takes more events than this.
    #[arg(long, default_value_t = crate::cli::DEFAULT_MAX_EVENTS)]
    max_events: u64,
}

/// The table, or `<flag>: <reason>`, or the lane that failed.
pub fn run(args: &CompareArgs) -> Result<String, String> {
    let mut base = crate::cli::load_scenario(&args.scenario)?;
    if let Some(seed) = args.seed {
        base.seed = seed;
    }
    let until = SimTime(parse_duration_us(&args.until).map_err(|e| format!("--until: {e}"))?);
    let lanes = preset(&args.preset, &base).ok_or_else(|| {
        let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
        format!("--preset: unknown comparison {:?} (one of {})", args.preset, names.join(", "))
    })?;
    let mut comparison =
        Comparison::new(&lanes).map_err(|e| format!("lane {} ({}): {}", e.lane, lanes[e.lane].label, e.error))?;
    if let Some(&lane) = comparison.run_until(until, args.max_events).first() {
        return Err(format!("lane {lane} ({}) stopped before --until (--max-events or stuck)", lanes[lane].label));
    }
    Ok(table(&args.preset, &base.name, base.seed, until, &comparison.outcomes()))
}

fn table(preset: &str, scenario: &str, seed: u64, until: SimTime, rows: &[LaneOutcome]) -> String {
    let mut out = format!(
        "compare         {preset} on {scenario} (seed {seed}), {until}: the same arrivals and the same scheduled crashes in every lane\n"
    );
    let _ = writeln!(
        out,
        "{:<30} {:>9} {:>9} {:>12} {:>10} {:>13} {:>7} {:>9} {:>7}",
        "lane", "produced", "in flight", "applied once", "duplicated", "dead-lettered", "lost", "p99 ms", "msgs/s"
    );
    for r in rows {
        let c = &r.counts;
        let p99 = r.p99_ms.map_or("-".to_string(), |ms| format!("{ms:.1}"));
        let _ = writeln!(
            out,
            "{:<30} {:>9} {:>9} {:>12} {:>10} {:>13} {:>7} {:>9} {:>7.2}",
            r.label,
            r.produced,
            c.in_flight,
            c.exactly_once,
            c.duplicated,
            c.dead_lettered,
            c.lost,
            p99,
            r.throughput_per_s
        );
    }
    for r in rows.iter().filter(|r| !r.lost_by_reason.is_empty()) {
        let reasons: Vec<String> =
            r.lost_by_reason.iter().map(|(reason, n)| format!("{} {n}", reason.slug())).collect();
        let _ = writeln!(out, "lost            {}: {}", r.label, reasons.join(", "));
    }
    out
}
