//! The command line as a user runs it: output is reproducible, errors name what is wrong.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli_common;
use cli_common::eda_lab;

#[test]
fn lists_the_required_scenarios() {
    let (code, out, _) = eda_lab(&["scenarios"]);
    assert_eq!(code, 0);
    for name in ["at-most-once", "at-least-once", "dedup-check-then-act", "dedup-atomic", "hot-key"] {
        assert!(out.lines().any(|l| l.starts_with(name)), "{name} missing from:\n{out}");
    }
}

#[test]
fn same_input_same_bytes_and_seed_matters() {
    let a = eda_lab(&["run", "at-least-once", "--seed", "3", "--until", "30s"]);
    let b = eda_lab(&["run", "at-least-once", "--seed", "3", "--until", "30s"]);
    let c = eda_lab(&["run", "at-least-once", "--seed", "4", "--until", "30s"]);
    assert_eq!(a.0, 0, "{}", a.2);
    assert_eq!(a.1, b.1);
    assert_ne!(a.1, c.1);
    assert!(a.1.contains("(balanced)"), "{}", a.1);
    let (code, json, _) = eda_lab(&["run", "at-most-once", "--json", "--until", "20s"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let o = &v["outcomes"];
    let sum: u64 = ["in_flight", "exactly_once", "duplicated", "dead_lettered", "lost"]
        .iter()
        .map(|k| o[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, v["produced"].as_u64().unwrap());
    assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
}

#[test]
fn at_most_once_loses_and_at_least_once_duplicates() {
    let json = |name: &str| {
        let (code, out, err) = eda_lab(&["run", name, "--json", "--until", "60s"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let amo = json("at-most-once");
    assert_eq!(amo["outcomes"]["duplicated"], 0);
    assert!(amo["lost_by_reason"]["committed_before_processing"].as_u64().unwrap() > 0);
    let alo = json("at-least-once");
    assert_eq!(alo["outcomes"]["lost"], 0);
    assert!(alo["extra_effects_from_duplicates"].as_u64().unwrap() > 0);
}

#[test]
fn partition_command_uses_kafkas_partitioner() {
    let (code, out, _) = eda_lab(&["partition", "--partitions", "7", "21", "foobar"]);
    assert_eq!(code, 0);
    // murmur2("21") = -973932308 -> toPositive 1173551340 -> mod 7 = 3
    // murmur2("foobar") = -790332482 -> toPositive 1357151166 -> mod 7 = 0
    assert_eq!(out, "21\t3\nfoobar\t0\n");
}

/// The expectations of librdkafka's tests/0048-partitioner.c (7 partitions in its quick mode): the
/// hashes there are CRC-32 for consistent_random and the Java client's murmur2 for murmur2_random;
/// "random" where the test expects -1.
#[test]
fn partition_command_follows_each_client() {
    let keys = ["", "23456", "this is another string with more length to it perhaps", "hejsan"];
    let run = |extra: &[&str]| {
        let mut args = vec!["partition", "--partitions", "7"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&keys);
        let (code, out, err) = eda_lab(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let long = keys[2];
    // The Java client hashes the empty key too: murmur2("") = 0x106e08d9, mod 7 = 2.
    let murmur2 = format!("\t2\n23456\t5\n{long}\t1\nhejsan\t6\n");
    assert_eq!(run(&[]), murmur2);
    assert_eq!(run(&["--client", "java"]), murmur2);
    assert_eq!(run(&["--client", "librdkafka", "--partitioner", "murmur2_random"]), murmur2);
    // consistent_random: an empty key is random; crc32("23456") = 0xb1b451d7 mod 7 = 5, ...
    let crc = format!("\trandom\n23456\t5\n{long}\t6\nhejsan\t3\n");
    assert_eq!(run(&["--client", "librdkafka"]), crc);
    assert_eq!(run(&["--client", "librdkafka", "--partitioner", "consistent_random"]), crc);
    let (code, _, err) = eda_lab(&["partition", "--partitioner", "murmur2_random", "k"]);
    assert_eq!(code, 1);
    assert!(err.contains("--partitioner is librdkafka's setting"), "{err}");
    let (code, _, err) = eda_lab(&["partition", "--client", "kafka-go", "k"]);
    assert_eq!(code, 2);
    assert!(err.contains("java") && err.contains("librdkafka"), "{err}");
}

#[test]
fn run_names_the_client() {
    let (code, out, err) = eda_lab(&["run", "at-least-once", "--until", "1s"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("client          java, partitioner built_in: murmur2 of the key;"), "{out}");
    let dir = std::env::temp_dir().join(format!("eda-lab-cli-client-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rd.json");
    std::fs::write(&file, r#"{"producer": {"client": "librdkafka", "partitioner": "murmur2_random"}}"#).unwrap();
    let (code, out, err) = eda_lab(&["run", file.to_str().unwrap(), "--json", "--until", "1s"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["client"], "librdkafka");
    assert_eq!(v["partitioner"], "murmur2_random");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn malformed_scenarios_name_the_problem() {
    let dir = std::env::temp_dir().join(format!("eda-lab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_range = dir.join("range.json");
    std::fs::write(&bad_range, r#"{"consumers": {"count": 0}}"#).unwrap();
    let (code, _, err) = eda_lab(&["run", bad_range.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("consumers.count: must be between 1 and 32 (got 0)"), "{err}");
    let bad_json = dir.join("syntax.json");
    std::fs::write(&bad_json, r#"{"producer": {"rate_per_sec": "fast"}}"#).unwrap();
    let (code, _, err) = eda_lab(&["run", bad_json.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("producer.rate_per_sec: expected a number, got the string \"fast\""), "{err}");
    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"name\": \"caf\xe9\"}").unwrap();
    let (code, _, err) = eda_lab(&["run", latin1.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not UTF-8 text (byte 13"), "{err}");
    let (code, _, err) = eda_lab(&["run", "no-such-scenario"]);
    assert_eq!(code, 1);
    assert!(err.contains("neither a built-in scenario"), "{err}");
    let (code, _, err) = eda_lab(&["run", "at-least-once", "--until", "soon"]);
    assert_eq!(code, 1);
    assert!(err.contains("--until"), "{err}");
}

#[test]
fn run_help_documents_the_fields() {
    let (code, out, _) = eda_lab(&["run", "--help"]);
    assert_eq!(code, 0);
    for field in ["producer.rate_per_sec", "consumers.commit", "idempotency.mode", "topic.retention_ms"] {
        assert!(out.contains(field), "{field} undocumented");
    }
}

#[test]
fn example_round_trips_through_run() {
    let (code, json, _) = eda_lab(&["example", "hot-key"]);
    assert_eq!(code, 0);
    let path = std::env::temp_dir().join(format!("eda-lab-example-{}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    let from_file = eda_lab(&["run", path.to_str().unwrap(), "--until", "10s"]);
    let builtin = eda_lab(&["run", "hot-key", "--until", "10s"]);
    assert_eq!(from_file.1, builtin.1);
}

#[test]
fn replays_a_recorded_command_log() {
    use eda_lab::sim::builtins::builtin;
    use eda_lab::sim::scenario::{CrashPoint, IdempotencyMode};
    use eda_lab::sim::{Command, ConsumerId, SimTime, Simulation};
    // Drive a run the way the page does: advance with a small event budget, issue commands between.
    let scenario = builtin("at-least-once").unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_until(SimTime::from_ms(2_000), 7);
    sim.handle(Command::CrashConsumer { consumer: ConsumerId(1), at: Some(CrashPoint::AfterEffect) }).unwrap();
    sim.run_until(SimTime::from_ms(6_500), u64::MAX);
    sim.handle(Command::SetIdempotency { mode: IdempotencyMode::DedupAtomic, dedup_ttl_ms: None }).unwrap();
    sim.run_until(SimTime::from_ms(15_250), u64::MAX);
    let path = std::env::temp_dir().join(format!("eda-lab-commands-{}.json", std::process::id()));
    let log = eda_lab::sim::command_log::CommandLog::new(sim.commands().to_vec()).to_json();
    assert!(log.starts_with(r#"{"v":1,"#), "the log carries its format version: {log}");
    std::fs::write(&path, &log).unwrap();
    let (code, out, err) =
        eda_lab(&["run", "at-least-once", "--until", "15.25s", "--json", "--commands", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["trace_hash"], sim.trace_hash().hex());
    assert_eq!(report["events_processed"], sim.events_processed());
    // A bare list, as logs were written before they carried a version, replays the same.
    std::fs::write(&path, serde_json::to_string(sim.commands()).unwrap()).unwrap();
    let (code, legacy, err) =
        eda_lab(&["run", "at-least-once", "--until", "15.25s", "--json", "--commands", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(legacy, out);
    // A log from a newer format is refused, naming the version.
    std::fs::write(&path, r#"{"v": 9, "commands": []}"#).unwrap();
    let (code, _, err) = eda_lab(&["run", "at-least-once", "--commands", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("format 9 is newer"), "{err}");
    // Without the commands the run is a different one.
    let (_, plain, _) = eda_lab(&["run", "at-least-once", "--until", "15.25s", "--json"]);
    let plain: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert_ne!(plain["trace_hash"], report["trace_hash"]);
    // A log that is not a command log is refused with a reason.
    std::fs::write(&path, r#"[{"at_us": 5, "after_events": 0, "command": {"type": "explode"}}]"#).unwrap();
    let (code, _, err) = eda_lab(&["run", "at-least-once", "--commands", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not a command log") && err.contains("explode"), "{err}");
}

#[test]
fn prints_a_message_journey() {
    // The report names a duplicated message; its journey shows both charges and the crash between.
    let (_, report, _) = eda_lab(&["run", "at-least-once", "--seed", "1", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let id = report["examples"]["duplicated"][0].as_str().unwrap().to_string();
    let (code, text, err) = eda_lab(&["run", "at-least-once", "--seed", "1", "--journey", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with(&format!("{id}  duplicated")), "{text}");
    for step in ["produced", "received", "charged the card", "crashed", "a redelivery", "duplicate charge", "settled"] {
        assert!(text.contains(step), "`{step}` missing from:\n{text}");
    }
    let (code, json, _) = eda_lab(&["run", "at-least-once", "--seed", "1", "--journey", &id, "--json"]);
    assert_eq!(code, 0);
    let journey: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(journey["outcome"], "duplicated");
    let steps = journey["steps"].as_array().unwrap();
    assert_eq!(steps.iter().filter(|s| s["step"]["kind"] == "effect_applied").count(), 2);
    // A message the run never produced, and a malformed id.
    let (code, text, _) = eda_lab(&["run", "at-least-once", "--seed", "1", "--journey", "evt_999999"]);
    assert_eq!(code, 0);
    assert!(text.contains("not this one"), "{text}");
    let (code, _, err) = eda_lab(&["run", "at-least-once", "--journey", "order-7"]);
    assert_eq!(code, 1);
    assert!(err.contains("--journey") && err.contains("not a message id"), "{err}");
}

#[test]
fn writes_every_journal_entry_as_json_lines() {
    let path = std::env::temp_dir().join(format!("eda-lab-journal-{}.jsonl", std::process::id()));
    let (code, report, err) =
        eda_lab(&["run", "at-least-once", "--until", "40s", "--json", "--journal", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    // More lines than the page's bounded event log keeps: every entry is there.
    assert!(lines.len() > 512, "{} lines", lines.len());
    let mut last = 0;
    for line in &lines {
        let t = line["time_us"].as_u64().expect("time_us");
        assert!(t >= last, "in time order");
        last = t;
        let kind = line["kind"].as_str().expect("kind");
        assert!(kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "snake_case: {kind}");
    }
    let first_appends = lines.iter().filter(|l| l["kind"] == "appended" && l["append"] == "first").count() as u64;
    assert_eq!(Some(first_appends), report["produced"].as_u64(), "every produced message was appended once");
    let (code, out, _) = eda_lab(&["run", "at-least-once", "--until", "2s", "--journal", "-"]);
    assert_eq!(code, 0);
    assert!(out.lines().all(|l| l.starts_with("{\"time_us\":")), "standard output carries only the journal");
    std::fs::remove_file(path).ok();
}

/// A completed rebalance's line carries the assignment it settled on: Kafka's range assignor over
/// the members then in the group, and every record read afterwards comes from its partition's
/// owner.
#[test]
fn a_completed_rebalance_carries_the_new_assignment() {
    let path = std::env::temp_dir().join(format!("eda-lab-assignment-{}.json", std::process::id()));
    let scenario = r#"{"topic": {"partitions": 4}, "consumers": {"count": 2},
        "faults": [{"at_ms": 3000, "command": {"type": "add_consumer"}}]}"#;
    std::fs::write(&path, scenario).unwrap();
    let (code, out, err) = eda_lab(&["run", path.to_str().unwrap(), "--until", "30s", "--journal", "-"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let done: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "rebalance_done").collect();
    assert!(!done.is_empty(), "the added consumer causes a rebalance");
    let last = done.last().unwrap();
    assert_eq!(last["assignment"], serde_json::json!({"0": [0, 1], "1": [2], "2": [3]}), "{last}");
    assert!(last.get("unassigned").is_none(), "{last}");
    let owner = |p: u64| (0..3u64).find(|c| last["assignment"][c.to_string()].as_array().unwrap().contains(&p.into()));
    let after = lines.iter().skip_while(|l| *l != *last).filter(|l| l["kind"] == "received");
    let mut reads = 0;
    for read in after {
        assert_eq!(Some(read["consumer"].as_u64().unwrap()), owner(read["partition"].as_u64().unwrap()), "{read}");
        reads += 1;
    }
    assert!(reads > 20, "{reads} reads after the rebalance");
}

#[test]
fn a_run_stops_at_its_event_budget_with_a_clear_error() {
    let (code, _, err) = eda_lab(&["run", "at-least-once", "--until", "60s", "--max-events", "100"]);
    assert_eq!(code, 1);
    assert!(err.contains("event budget: 100 events"), "{err}");
}

#[test]
fn a_scenario_that_would_loop_at_one_instant_is_refused_before_it_runs() {
    // Reproduced by a new user: static members that crash on every record and restart at once
    // used to spin at one instant until the event budget ran out (hundreds of MB a second).
    let path = std::env::temp_dir().join(format!("eda-lab-loop-{}.json", std::process::id()));
    let scenario = r#"{"consumers": {"static_membership": true, "rebalance_ms": 0,
        "crash": {"point": "after_receive", "probability": 1.0, "restart_delay_ms": 0}}}"#;
    std::fs::write(&path, scenario).unwrap();
    let (code, _, err) = eda_lab(&["run", path.to_str().unwrap(), "--until", "5s", "--max-events", "5000000"]);
    assert_eq!(code, 1);
    assert!(err.contains("consumers.crash.restart_delay_ms: 0 with static membership"), "{err}");
    std::fs::remove_file(path).ok();
}

#[test]
fn a_scheduled_partition_change_runs_and_the_report_shows_the_final_count() {
    let dir = std::env::temp_dir().join(format!("eda-lab-cli-partitions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("grow.json");
    std::fs::write(
        &file,
        r#"{"producer": {"keys": {"count": 50}},
            "faults": [{"at_ms": 4000, "command": {"type": "add_partitions", "count": 5}}]}"#,
    )
    .unwrap();
    let journal = dir.join("journal.jsonl");
    let (code, out, err) =
        eda_lab(&["run", file.to_str().unwrap(), "--until", "20s", "--journal", journal.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("topic           5 partitions"), "{out}");
    assert!(out.lines().any(|l| l.trim_start().starts_with("4 ")), "partition 4 in the table:\n{out}");
    let journal = std::fs::read_to_string(&journal).unwrap();
    let line = journal.lines().find(|l| l.contains(r#""kind":"partitions_added""#)).expect("the change is journaled");
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!((v["from"].as_u64(), v["to"].as_u64(), v["keys"].as_u64()), (Some(3), Some(5), Some(50)));
    let (_, json, _) = eda_lab(&["run", file.to_str().unwrap(), "--until", "20s", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["topic_partitions"], 5);
    assert_eq!(v["partitions"].as_array().unwrap().len(), 5);
    // A change that does not grow the topic is refused with the field named.
    std::fs::write(&file, r#"{"faults": [{"at_ms": 1, "command": {"type": "add_partitions", "count": 3}}]}"#).unwrap();
    let (code, _, err) = eda_lab(&["run", file.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("faults[0].command.count: must be more than the 3 partitions"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `bench` runs either SimPy model and prints the figures the comparison reads; without failures
/// it names the theory it is checked against (the timing itself is a benchmark, not a test).
#[test]
fn bench_runs_both_simpy_models() {
    let (code, out, err) =
        eda_lab(&["bench", "--model", "queue", "--no-failures", "--messages", "20000", "--repeats", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[eda-lab queue 1 queue x 4 competing consumers (M/M/4)] n=20000"), "{out}");
    assert!(out.contains("theory: M/M/4 (Erlang C) with lambda=0.9/s, mu=0.25/s: mean 11.878 s"), "{out}");
    assert!(out.contains("acked=20000 dead_lettered=0"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("eda-lab msgs_per_s="), "{out}");
    let (code, out, _) = eda_lab(&["bench", "--model", "log", "--messages", "20000", "--repeats", "1"]);
    assert_eq!(code, 0);
    assert!(out.contains("[eda-lab log 4 partitions x M/M/1+retry+DLQ] n=20000"), "{out}");
    let (code, _, err) = eda_lab(&["bench", "--model", "stream"]);
    assert_ne!(code, 0);
    assert!(err.contains("stream"), "{err}");
}
