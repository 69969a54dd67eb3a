//! `eda-lab compare`: two to four lanes run in step on the same seed, and their outcomes side by
//! side. A lane is a built-in scenario or a scenario file; or a preset (`sim::compare`) makes the
//! lanes from one base scenario, on the same crashes.

use crate::sim::compare::{lane_of, preset, Comparison, Lane, LaneOutcome, LANES, PRESETS};
use crate::sim::report::Report;
use crate::sim::time::parse_duration_us;
use crate::sim::SimTime;
use clap::Args;
use std::fmt::Write;

/// The arguments of `eda-lab compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The lanes: built-in scenario names or paths to scenario JSON files, as `run` takes them (two
    /// to four). With --preset, at most one: the base every lane of the preset starts from
    /// (default: at-least-once).
    lanes: Vec<String>,
    /// Make the lanes from one base instead: guarantees (at-most-once, at-least-once, at-least-once
    /// with atomic dedup) or idempotency (dedup check-then-act, dedup atomic, unique constraint,
    /// versioning), on the same scheduled crashes. Also spelt three-guarantees and
    /// idempotency-strategies.
    #[arg(long)]
    preset: Option<String>,
    /// The seed of every lane. Without it, every lane takes the first lane's seed, so all see the
    /// same arrivals, keys and random faults (common random numbers).
    #[arg(long)]
    seed: Option<u64>,
    /// How much simulated time each lane covers, e.g. 60s, 500ms, 10m.
    #[arg(long, default_value = "60s")]
    until: String,
    /// Print `{"lanes": [{"name", ...the run report of `run --json`}]}` instead of the table.
    #[arg(long)]
    json: bool,
    /// Stop with an error naming the lane when one takes more events than this.
    #[arg(long, default_value_t = crate::cli::DEFAULT_MAX_EVENTS)]
    max_events: u64,
}

/// The table (or JSON), or `<argument>: <reason>`, or the lane that failed.
pub fn run(args: &CompareArgs) -> Result<String, String> {
    let until = SimTime(parse_duration_us(&args.until).map_err(|e| format!("--until: {e}"))?);
    let (title, mut lanes) = lanes(args)?;
    let seed = args.seed.unwrap_or(lanes[0].scenario.seed);
    for lane in &mut lanes {
        lane.scenario.seed = seed;
    }
    let mut comparison =
        Comparison::new(&lanes).map_err(|e| format!("lane {} ({}): {}", e.lane, lanes[e.lane].label, e.error))?;
    if let Some(&lane) = comparison.run_until(until, args.max_events).first() {
        return Err(format!("lane {lane} ({}) stopped before --until (--max-events or stuck)", lanes[lane].label));
    }
    if args.json {
        return Ok(json(&comparison));
    }
    Ok(table(&title, seed, until, &comparison.outcomes()))
}

/// The lanes the arguments name, and a title for the table.
fn lanes(args: &CompareArgs) -> Result<(String, Vec<Lane>), String> {
    if let Some(name) = &args.preset {
        if args.lanes.len() > 1 {
            return Err(format!("--preset: takes at most one base scenario (got {})", args.lanes.len()));
        }
        let base_name = args.lanes.first().map_or("at-least-once", String::as_str);
        let base = crate::cli::load_scenario(base_name)?;
        let lanes = preset(name, &base).ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
            format!("--preset: unknown comparison {name:?} (one of guarantees, idempotency, {})", names.join(", "))
        })?;
        return Ok((format!("{name} on {}", base.name), lanes));
    }
    if !LANES.contains(&args.lanes.len()) {
        return Err(format!(
            "lanes: a comparison has {} to {} lanes (got {}): name built-in scenarios or scenario files, or give --preset",
            LANES.start(),
            LANES.end(),
            args.lanes.len()
        ));
    }
    let mut lanes =
        args.lanes.iter().map(|name| crate::cli::load_scenario(name).map(lane_of)).collect::<Result<Vec<_>, _>>()?;
    // Lanes of the same name (files made from one built-in) go by their argument instead.
    let given: Vec<String> = lanes.iter().map(|l| l.label.clone()).collect();
    for (lane, arg) in lanes.iter_mut().zip(&args.lanes) {
        if given.iter().filter(|n| **n == lane.label).count() > 1 {
            lane.label = arg.clone();
        }
    }
    let names: Vec<&str> = lanes.iter().map(|l| l.label.as_str()).collect();
    Ok((names.join(" vs "), lanes))
}

/// `{"lanes":[{"name":…, …Report}]}`, each lane's report as `run --json` prints it.
fn json(comparison: &Comparison) -> String {
    let lanes: Vec<String> = comparison
        .lanes()
        .map(|(label, sim)| {
            let report = Report::of(sim).to_json();
            let name = serde_json::Value::from(label).to_string();
            match report.strip_prefix('{') {
                Some(rest) => format!("{{\"name\":{name},{rest}"),
                None => format!("{{\"name\":{name}}}"),
            }
        })
        .collect();
    format!("{{\"lanes\":[{}]}}\n", lanes.join(","))
}

fn table(title: &str, seed: u64, until: SimTime, rows: &[LaneOutcome]) -> String {
    let mut out = format!("compare         {title} (seed {seed}), {until}: the same arrivals in every lane\n");
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
