//! `eda-lab sweep` as a user runs it: one CSV row per (value, seed), each the same figures as
//! `eda-lab run --json` for that setting and seed, and refused parameters named with no CSV.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli_common;
use cli_common::eda_lab;

/// One CSV line's fields, unquoting as RFC 4180 says.
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A successful sweep's rows as (column, cell) lists, after checking every row has the header's
/// width.
fn sweep(args: &[&str]) -> Vec<Vec<(String, String)>> {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    let (code, out, err) = eda_lab(&all);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header = fields(lines.next().expect("a header"));
    lines
        .map(|l| {
            let cells = fields(l);
            assert_eq!(cells.len(), header.len(), "{l}");
            header.iter().cloned().zip(cells).collect()
        })
        .collect()
}

fn cell<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    &row.iter().find(|(c, _)| c == column).unwrap_or_else(|| panic!("no column {column}")).1
}

fn num(row: &[(String, String)], column: &str) -> u64 {
    cell(row, column).parse().unwrap_or_else(|e| panic!("{column}: {e}"))
}

#[test]
fn one_row_per_value_and_seed_under_the_header() {
    let (code, out, _) =
        eda_lab(&["sweep", "retries-dlq", "--param", "processing.failure_probability", "--values", "0"]);
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap();
    assert!(header.starts_with("param,value,seed,sim_time_s,produced,in_flight,exactly_once,duplicated,dead_lettered,lost,lost_acks0_dropped,"), "{header}");
    assert!(header.ends_with(",lost_offset_reset_latest,lost_acked_before_processing,lost_acked_multiple_before_processing,lost_expired,lost_max_length,lost_queue_not_durable,lost_transient_message,lost_rejected_by_full_queue,lost_delivery_limit,lost_unroutable,lost_returned_unroutable,lost_skipped_by_seek,lost_stale_version,lost_leader_failover,lost_unclean_election,lost_acks0_no_leader,lost_dual_write,dlq_size,retries,producer_retries,p50_ms,p95_ms,p99_ms,mean_ms,throughput_per_s,breaker_openings,api_calls,api_429,api_503,api_400"), "{header}");

    let rows = sweep(&[
        "retries-dlq",
        "--param",
        "processing.failure_probability",
        "--values",
        "0,0.1,0.3",
        "--seeds",
        "2",
        "--seed",
        "7",
        "--until",
        "20s",
    ]);
    let keys: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (cell(r, "param"), cell(r, "value"), cell(r, "seed"))).collect();
    let p = "processing.failure_probability";
    assert_eq!(
        keys,
        [(p, "0", "7"), (p, "0", "8"), (p, "0.1", "7"), (p, "0.1", "8"), (p, "0.3", "7"), (p, "0.3", "8")]
    );
    for r in &rows {
        assert_eq!(cell(r, "sim_time_s"), "20");
        assert_eq!(cell(r, "breaker_openings"), "0", "no breaker in this scenario");
        let p99 = cell(r, "p99_ms");
        assert_eq!(p99.split('.').nth(1).map(str::len), Some(3), "ms with 3 decimals: {p99}");
        let classes: u64 =
            ["in_flight", "exactly_once", "duplicated", "dead_lettered", "lost"].iter().map(|c| num(r, c)).sum();
        assert_eq!(classes, num(r, "produced"), "the ledger balances");
    }
}

/// A row is `run --json` of the scenario with the setting written and the row's seed.
#[test]
fn a_row_equals_run_with_that_setting_and_seed() {
    for (scenario, param, value, json_value) in [
        ("retries-dlq", "processing.failure_probability", "0.2", serde_json::json!(0.2)),
        // A setting that cannot change live: each row is a new run.
        ("at-least-once", "consumers.count", "1", serde_json::json!(1)),
    ] {
        let rows =
            sweep(&[scenario, "--param", param, "--values", value, "--seeds", "2", "--seed", "4", "--until", "30s"]);
        let row = &rows[1];
        assert_eq!(cell(row, "seed"), "5");

        let (_, example, _) = eda_lab(&["example", scenario]);
        let mut s: serde_json::Value = serde_json::from_str(&example).unwrap();
        let (group, field) = param.split_once('.').unwrap();
        s[group][field] = json_value;
        let path = std::env::temp_dir().join(format!("eda-lab-sweep-{}-{scenario}.json", std::process::id()));
        std::fs::write(&path, s.to_string()).unwrap();
        let (code, json, err) = eda_lab(&["run", path.to_str().unwrap(), "--seed", "5", "--until", "30s", "--json"]);
        let _ = std::fs::remove_file(&path);
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let o = &report["outcomes"];
        for (column, figure) in [
            ("produced", &report["produced"]),
            ("exactly_once", &o["exactly_once"]),
            ("duplicated", &o["duplicated"]),
            ("dead_lettered", &o["dead_lettered"]),
            ("lost", &o["lost"]),
            ("dlq_size", &report["dead_letter_queue"]),
            ("retries", &report["stats"]["retries"]),
        ] {
            assert_eq!(num(row, column), figure.as_u64().unwrap(), "{scenario} {param}={value}: {column}");
        }
        let p99 = report["time_in_system"]["p99_ms"].as_f64().unwrap();
        assert_eq!(cell(row, "p99_ms"), format!("{p99:.3}"));
    }
}

#[test]
fn dead_letters_grow_with_the_failure_probability() {
    let rows =
        sweep(&["retries-dlq", "--param", "processing.failure_probability", "--values", "0,0.3", "--seeds", "3"]);
    let dead = |value: &str| -> u64 {
        rows.iter().filter(|r| cell(r, "value") == value).map(|r| num(r, "dead_lettered")).sum()
    };
    assert_eq!(dead("0"), 0);
    assert!(dead("0.3") > 0, "no dead letters at 0.3");
    for r in &rows {
        assert_eq!(num(r, "dlq_size"), num(r, "dead_lettered"));
    }
}

/// Object values stay whole across commas, and are quoted in the CSV; a bare word is a string.
#[test]
fn object_and_word_values() {
    let rows = sweep(&[
        "at-least-once",
        "--param",
        "consumers.commit",
        "--values",
        r#"{"mode":"auto","interval_ms":1000},{"mode":"after_processing"}"#,
        "--until",
        "5s",
    ]);
    assert_eq!(rows.len(), 2);
    assert_eq!(cell(&rows[1], "value"), r#"{"mode":"after_processing"}"#);
    let rows = sweep(&["at-least-once", "--param", "producer.acks", "--values", "0,all", "--until", "5s"]);
    let values: Vec<&str> = rows.iter().map(|r| cell(r, "value")).collect();
    assert_eq!(values, ["0", "all"]);
}

#[test]
fn refusals_name_the_parameter_and_print_no_csv() {
    let fp = "processing.failure_probability";
    for (args, expected) in [
        (vec!["--param", "failure_probablity", "--values", "0"], "error: --param: unknown setting failure_probablity"),
        (vec!["--param", fp, "--values", "0,1.5"], "error: --values: 1.5: must be between 0 and 1 (got 1.5)"),
        (vec!["--param", fp, "--values", "0,high"], "error: --values: high: must be between 0 and 1"),
        (vec!["--param", "topic.partitions", "--values", "2.5"], "error: --values: 2.5: must be a whole number"),
        (vec!["--param", fp, "--values", "0", "--until", "soon"], "error: --until: "),
        (vec!["--param", fp, "--values", "0", "--seeds", "0"], "error: --seeds: "),
    ] {
        let mut all = vec!["sweep", "retries-dlq"];
        all.extend(args);
        let (code, out, err) = eda_lab(&all);
        assert_ne!(code, 0, "{all:?}");
        assert!(err.starts_with(expected), "{all:?}: {err}");
        assert_eq!(out, "", "{all:?}: no CSV");
    }
    let (_, _, err) = eda_lab(&["sweep", "retries-dlq", "--param", "failure_probablity", "--values", "0"]);
    assert!(err.contains("did you mean processing.failure_probability"), "{err}");
}

#[test]
fn an_exhausted_event_budget_names_the_row() {
    let (code, out, err) = eda_lab(&[
        "sweep",
        "retries-dlq",
        "--param",
        "processing.failure_probability",
        "--values",
        "0,0.3",
        "--max-events",
        "200",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.starts_with("error: row processing.failure_probability=0, seed 1: the run stopped at its event budget"),
        "{err}"
    );
    assert_eq!(out, "", "no CSV");
}

/// The payments API's columns count what the API saw: the outage of retry-storm fails calls with
/// 503, its burst refuses some with 429, and every refusal or failure is one of the calls.
#[test]
fn api_columns_count_the_calls() {
    let rows = sweep(&["retry-storm", "--param", "processing.retry.jitter", "--values", "none,full", "--until", "30s"]);
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let (calls, refused, down, poison) =
            (num(row, "api_calls"), num(row, "api_429"), num(row, "api_503"), num(row, "api_400"));
        assert!(down > 0 && refused > 0 && poison == 0, "{row:?}");
        assert!(refused + down + poison < calls, "{row:?}");
    }
}
