//! `eda-lab sweep`: one setting over a list of values and a range of seeds, one run per (value,
//! seed), and one CSV row of the run's report each, so that an outcome can be plotted against the
//! setting (the DLQ against the failure probability, p99 against the producer rate).
//!
//! Each row is a new run of `run`'s own kind: the scenario loaded as `run` loads it, the value
//! written by `Scenario::with_setting` (the page's door for a new run, so a setting that cannot
//! change live is fine here), the same `--until`, the same event budget, an empty command log. Runs
//! go one after another and the CSV is printed only once every row is in, so an error never
//! leaves half a table on standard output.

use crate::sim::config::settings::{self, Setting, SETTINGS};
use crate::sim::report::Report;
use crate::sim::time::parse_duration_us;
use crate::sim::{LossReason, Scenario, SimTime, Simulation};
use clap::Args;
use serde_json::Value;

/// Columns, after the help's list of settings.
const COLUMNS_HELP: &str = "\
Columns, one row per value and seed (values first, then seeds S, S+1, ...):
  param, value, seed           the setting, its value (a string bare, other JSON compact), the seed
  sim_time_s                   simulated seconds at the end of the run
  produced, in_flight, exactly_once, duplicated, dead_lettered, lost
                               the ledger's outcome classes (exactly_once: applied once)
  lost_<reason>                messages lost for that reason, one column per reason
  dlq_size                     messages in the dead-letter queue at the end
  retries                      processing retries (attempts after a failure)
  producer_retries             producer resends
  p50_ms, p95_ms, p99_ms, mean_ms
                               time in system of settled messages (empty when none settled)
  throughput_per_s             messages the consumers finished with (applied once, duplicated or
                               dead-lettered) per simulated second
  breaker_openings             times the circuit breaker opened (0 without one)
  api_calls, api_429, api_503, api_400
                               calls to the payments API, and those refused over capacity,
                               failed while it was down, and refused as poison
A value is JSON (0.1, true, null, \"auto\", {\"mode\":\"auto\",\"interval_ms\":1000}); one that is
not JSON, or that the setting refuses as JSON but takes as text (acks: 0,1,all), is a string.
Commas inside brackets or quotes do not split values. Settings: see `eda-lab run --help`.";

/// The arguments of `eda-lab sweep`.
#[derive(Args, Debug)]
#[command(after_long_help = COLUMNS_HELP)]
pub struct SweepArgs {
    /// A built-in scenario name or a path to a scenario JSON file, as `run` takes it.
    scenario: String,
    /// The setting to vary, by its path, e.g. processing.failure_probability (every setting
    /// `eda-lab run --help` lists, [new run] ones included: each row is a new run).
    #[arg(long, value_name = "NAME")]
    param: String,
    /// The values, comma-separated, e.g. 0,0.1,0.3.
    #[arg(long, value_name = "A,B,C", allow_hyphen_values = true)]
    values: String,
    /// Seeds per value: S, S+1, ..., S+K-1.
    #[arg(long, value_name = "K", default_value_t = 1)]
    seeds: u64,
    /// The first seed S (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// How much simulated time each run covers, e.g. 60s, 500ms, 10m.
    #[arg(long, default_value = "60s")]
    until: String,
    /// Stop with an error naming the row when one run takes more events than this.
    #[arg(long, default_value_t = crate::cli::DEFAULT_MAX_EVENTS)]
    max_events: u64,
}

/// The CSV (header and rows), or `<flag>: <reason>`, or the row whose run failed.
pub fn run(args: &SweepArgs) -> Result<String, String> {
    let setting = find_setting(&args.param)?;
    let base = crate::cli::load_scenario(&args.scenario)?;
    let until = SimTime(parse_duration_us(&args.until).map_err(|e| format!("--until: {e}"))?);
    if args.seeds == 0 {
        return Err("--seeds: must be at least 1".into());
    }
    let first = args.seed.unwrap_or(base.seed);
    first.checked_add(args.seeds - 1).ok_or_else(|| format!("--seeds: {first} + {} passes 2^64-1", args.seeds))?;
    // Every value is checked before the first run: a typo in the last one costs nothing.
    let runs = split_values(&args.values)
        .into_iter()
        .map(|text| value_scenario(&base, setting, text))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = header();
    for (value, scenario) in &runs {
        for seed in (0..args.seeds).map(|k| first + k) {
            let mut s = scenario.clone();
            s.seed = seed;
            let report = run_one(&s, until, args.max_events)
                .map_err(|e| format!("row {}={value}, seed {seed}: {e}", setting.path))?;
            out += &row(setting.path, value, seed, &report);
        }
    }
    Ok(out)
}

/// The setting at `name`, or an error with the closest paths.
fn find_setting(name: &str) -> Result<&'static Setting, String> {
    if let Some(s) = settings::find(name) {
        return Ok(s);
    }
    let mut close: Vec<(usize, &str)> = SETTINGS
        .iter()
        .filter_map(|s| {
            let last = |p: &str| p.rsplit('.').next().unwrap_or(p).to_string();
            // A bare last segment (`failure_probability`) or a typo in either form.
            let d = edit_distance(s.path, name).min(edit_distance(&last(s.path), &last(name)) + 1);
            let near = d <= 3 || (name.len() >= 4 && s.path.contains(name));
            near.then_some((d, s.path))
        })
        .collect();
    close.sort();
    let names: Vec<&str> = close.iter().take(3).map(|(_, p)| *p).collect();
    let hint = if names.is_empty() { String::new() } else { format!(" (did you mean {}?)", names.join(", ")) };
    Err(format!("--param: unknown setting {name}{hint}; `eda-lab run --help` lists them"))
}

/// Levenshtein distance by characters, for the suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The values split at commas outside brackets, braces and strings, so that an object value
/// (`{"mode":"auto","interval_ms":1000}`) stays whole; each trimmed.
fn split_values(text: &str) -> Vec<&str> {
    let (mut parts, mut start, mut depth, mut in_string, mut escaped) = (Vec::new(), 0, 0i32, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth <= 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// The value's column text and the scenario with it written, or `--values: <value>: <the
/// setting's message>`. JSON first; a bare word (not JSON) is a string; a JSON value the setting
/// refuses is tried as a string too, since acks' values are strings that read as numbers.
fn value_scenario(base: &Scenario, setting: &Setting, text: &str) -> Result<(String, Scenario), String> {
    let as_string = Value::String(text.to_string());
    let result = match serde_json::from_str::<Value>(text) {
        Ok(v) => base
            .with_setting(setting, &v)
            .map(|s| (v, s))
            .or_else(|e| base.with_setting(setting, &as_string).map(|s| (as_string.clone(), s)).map_err(|_| e)),
        Err(_) => base.with_setting(setting, &as_string).map(|s| (as_string.clone(), s)),
    };
    let (value, scenario) = result.map_err(|e| format!("--values: {text}: {e}"))?;
    let shown = match value {
        Value::String(s) => s,
        other => other.to_string(),
    };
    Ok((shown, scenario))
}

/// One run as `run` makes it, without commands; its report.
fn run_one(s: &Scenario, until: SimTime, max_events: u64) -> Result<Report, String> {
    let mut sim = Simulation::new(s).map_err(|e| e.to_string())?;
    sim.run_commands_observed(&[], until, max_events, &mut |_| {}).map_err(|e| e.to_string())?;
    Ok(Report::of(&sim))
}

/// The columns before the loss reasons' and after them.
const LEADING: [&str; 10] = [
    "param",
    "value",
    "seed",
    "sim_time_s",
    "produced",
    "in_flight",
    "exactly_once",
    "duplicated",
    "dead_lettered",
    "lost",
];
const TRAILING: [&str; 13] = [
    "dlq_size",
    "retries",
    "producer_retries",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "mean_ms",
    "throughput_per_s",
    "breaker_openings",
    "api_calls",
    "api_429",
    "api_503",
    "api_400",
];

fn header() -> String {
    let reasons = LossReason::ALL.iter().map(|r| format!("lost_{}", r.slug()));
    let cols: Vec<String> =
        LEADING.iter().map(|c| c.to_string()).chain(reasons).chain(TRAILING.iter().map(|c| c.to_string())).collect();
    cols.join(",") + "\n"
}

fn row(param: &str, value: &str, seed: u64, r: &Report) -> String {
    let o = &r.outcomes;
    let mut cells = vec![csv_field(param), csv_field(value), seed.to_string(), seconds(r.sim_time_us)];
    cells.extend(
        [r.produced, o.in_flight, o.exactly_once, o.duplicated, o.dead_lettered, o.lost].map(|n| n.to_string()),
    );
    // The report lists only reasons that happened; the CSV has a column for each.
    cells.extend(
        LossReason::ALL.iter().map(|reason| r.lost_by_reason.get(reason.slug()).copied().unwrap_or(0).to_string()),
    );
    cells.extend(
        [r.dead_letter_queue, r.stats.consumer.retries, r.stats.producer.producer_retries].map(|n| n.to_string()),
    );
    let t = &r.time_in_system;
    cells.extend([t.p50_ms, t.p95_ms, t.p99_ms, t.mean_ms].map(three_decimals));
    let finished = o.exactly_once + o.duplicated + o.dead_lettered;
    let throughput = (r.sim_time_us > 0).then(|| finished as f64 * 1e6 / r.sim_time_us as f64);
    cells.push(three_decimals(throughput));
    cells.push(r.stats.breaker_openings.to_string());
    let api = &r.stats.downstream;
    cells.extend(
        [api.downstream_calls, api.downstream_overloaded, api.downstream_unavailable, api.downstream_invalid]
            .map(|n| n.to_string()),
    );
    cells.join(",") + "\n"
}

/// A field quoted as RFC 4180 says when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Whole seconds as an integer, otherwise the exact decimals of the microseconds.
fn seconds(us: u64) -> String {
    let (whole, frac) = (us / 1_000_000, us % 1_000_000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:06}").trim_end_matches('0').to_string()
    }
}

fn three_decimals(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_outside_brackets_and_strings() {
        assert_eq!(split_values("0, 0.1,0.3"), ["0", "0.1", "0.3"]);
        assert_eq!(
            split_values(r#"{"mode":"auto","interval_ms":1000},{"mode":"after_processing"}"#),
            [r#"{"mode":"auto","interval_ms":1000}"#, r#"{"mode":"after_processing"}"#]
        );
        assert_eq!(split_values(r#""a,b",c"#), [r#""a,b""#, "c"]);
    }

    #[test]
    fn fields_and_numbers() {
        assert_eq!(csv_field("0.1"), "0.1");
        assert_eq!(csv_field(r#"{"a":1,"b":2}"#), r#""{""a"":1,""b"":2}""#);
        assert_eq!(seconds(60_000_000), "60");
        assert_eq!(seconds(1_500_000), "1.5");
        assert_eq!(seconds(250), "0.00025");
        assert_eq!(three_decimals(Some(12.34567)), "12.346");
        assert_eq!(three_decimals(None), "");
    }

    #[test]
    fn close_names_are_suggested() {
        let e = find_setting("failure_probability").unwrap_err();
        assert!(e.starts_with("--param: unknown setting failure_probability"), "{e}");
        assert!(e.contains("processing.failure_probability"), "{e}");
        assert!(find_setting("producer.rate_per_sec").is_ok());
    }
}
