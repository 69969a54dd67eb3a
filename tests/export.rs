//! The code export (`eda_lab::export`), for every built-in scenario and every target: the Python
//! byte-compiles (`python3 -m py_compile`), the Rust type-checks against the crate versions it
//! names (`cargo check` of a scratch crate, `tests/export_check/`), every line a setting decided
//! names a real setting, and the code says what the settings say.
//!
//! The Rust check builds rdkafka's bundled librdkafka the first time (minutes), so it is
//! `#[ignore]`d here and runs as its own step of `scripts/test.sh`:
//! `cargo test --release --test export -- --ignored`. Its dependencies stay built in
//! `target/tmp/export-check/`, so later runs take seconds.

use eda_lab::export::{export, Export, Target};
use eda_lab::sim::builtins::{builtin, CATALOG};
use eda_lab::sim::config::settings;
use eda_lab::sim::Scenario;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every built-in scenario exported to every target `keep` accepts: (scenario, target, export).
fn exports(keep: impl Fn(Target) -> bool) -> Vec<(String, Target, Export)> {
    let mut out = Vec::new();
    for (name, _) in CATALOG {
        let s = builtin(name).unwrap();
        for t in Target::ALL.into_iter().filter(|t| keep(*t)) {
            out.push((name.to_string(), t, export(&s, t)));
        }
    }
    out
}

fn code(s: &Scenario, target: &str) -> String {
    export(s, Target::parse(target).unwrap()).code
}

fn scenario(name: &str) -> Scenario {
    builtin(name).unwrap()
}

/// Where `needle` first appears in `code` (panics, naming it, if it does not).
fn at(code: &str, needle: &str) -> usize {
    code.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in:\n{code}"))
}

#[test]
fn every_used_setting_is_a_real_setting_named_at_its_line() {
    for (name, t, e) in exports(|_| true) {
        let lines: Vec<&str> = e.code.lines().collect();
        let mut last = 0;
        for u in &e.settings {
            let setting = settings::find(u.path).unwrap_or_else(|| panic!("{name} {t:?}: {} is no setting", u.path));
            assert!(u.what.starts_with(setting.label), "{name} {t:?}: {} says {:?}", u.path, u.what);
            assert!((1..=lines.len()).contains(&u.line), "{name} {t:?}: {} at line {}", u.path, u.line);
            assert!(u.line >= last, "{name} {t:?}: settings out of line order at {}", u.path);
            last = u.line;
            // The line itself, or the comment just above it, names the setting.
            let from = u.line.saturating_sub(8);
            assert!(
                lines[from..u.line].iter().any(|l| l.contains(u.path)),
                "{name} {t:?}: line {} ({:?}) does not name {}",
                u.line,
                lines[u.line - 1],
                u.path
            );
        }
    }
}

#[test]
fn exported_python_compiles() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-python");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, t, e) in exports(Target::is_python) {
        let file = dir.join(format!("{}_{}.py", name.replace('-', "_"), t.name().replace('-', "_")));
        std::fs::write(&file, &e.code).unwrap();
        files.push(file);
    }
    // One interpreter for all of them: py_compile's command line takes many files.
    let out = Command::new("python3").args(["-m", "py_compile"]).args(&files).output().expect("python3 runs");
    assert!(out.status.success(), "py_compile failed:\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files.len(), CATALOG.len() * 3);
}

/// The scratch crate: its manifest and lock file from `tests/export_check/`, one module per
/// exported file. Files are rewritten only when they change, so a warm check is quick.
fn scratch_crate() -> (PathBuf, usize) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-check");
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export_check");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let write = |path: PathBuf, text: &str| {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).unwrap();
        }
    };
    for file in ["Cargo.toml", "Cargo.lock"] {
        write(dir.join(file), &std::fs::read_to_string(template.join(file)).unwrap());
    }
    // Warnings are errors here (a skeleton should compile clean), but for code nothing calls yet.
    let mut lib =
        String::from("//! Every exported Rust file, one module each.\n#![deny(warnings)]\n#![allow(dead_code)]\n\n");
    let mut n = 0;
    for (name, t, e) in exports(|t| !t.is_python()) {
        let module = format!("{}_{}", name.replace('-', "_"), t.name());
        write(dir.join("src").join(format!("{module}.rs")), &e.code);
        lib.push_str(&format!("pub mod {module};\n"));
        n += 1;
    }
    write(dir.join("src/lib.rs"), &lib);
    (dir, n)
}

#[test]
#[ignore = "builds librdkafka the first time (minutes): its own step of scripts/test.sh, --ignored"]
fn exported_rust_type_checks() {
    let (dir, modules) = scratch_crate();
    let started = std::time::Instant::now();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .arg("check")
        .arg("--locked")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo check of the exported Rust failed:\n{stderr}");
    let warnings = stderr.lines().filter(|l| l.starts_with("warning")).collect::<Vec<_>>();
    eprintln!(
        "cargo check of {modules} exported modules: {:.1?} ({} warning lines)",
        started.elapsed(),
        warnings.len()
    );
    assert_eq!(modules, CATALOG.len() * 2);
}

#[test]
fn at_most_once_commits_before_the_handler() {
    let s = scenario("at-most-once");
    let c = code(&s, "confluent-kafka");
    assert!(at(&c, "consumer.commit(message=msg, asynchronous=False)") < at(&c, "outcome = handle("));
    let c = code(&s, "kafka-python");
    assert!(at(&c, "consumer.commit()") < at(&c, "outcome = handle("));
    let c = code(&s, "rdkafka");
    assert!(at(&c, "consumer.commit_message(&msg, CommitMode::Sync)?;") < at(&c, "handler.handle("));
    let c = code(&scenario("auto-ack-loss"), "pika");
    assert!(at(&c, "channel.basic_ack(delivery_tag=method.delivery_tag)") < at(&c, "outcome = handle("));
}

#[test]
fn at_least_once_commits_after_the_handler() {
    let s = scenario("at-least-once");
    let c = code(&s, "confluent-kafka");
    assert!(at(&c, "outcome = handle(") < at(&c, "consumer.commit(message=msg, asynchronous=False)"));
    assert!(c.contains("\"enable.auto.commit\": False,"));
    let c = code(&s, "lapin");
    assert!(at(&c, "handler.handle(") < at(&c, "delivery.ack(BasicAckOptions::default()).await?;"));
}

#[test]
fn auto_commit_leaves_the_commit_to_the_client() {
    let s = scenario("auto-commit");
    let c = code(&s, "confluent-kafka");
    assert!(c.contains("\"enable.auto.commit\": True,") && c.contains("\"auto.commit.interval.ms\": 1000,"));
    assert!(!c.contains("consumer.commit("));
    let c = code(&s, "kafka-python");
    assert!(c.contains("enable_auto_commit=True,") && c.contains("auto_commit_interval_ms=1000,"));
}

#[test]
fn acks_appear_as_set() {
    let s = scenario("at-least-once");
    assert!(code(&s, "confluent-kafka").contains("\"acks\": \"all\","));
    assert!(code(&s, "kafka-python").contains("acks=\"all\","));
    assert!(code(&s, "rdkafka").contains("config.set(\"acks\", \"all\");"));
    let s = scenario("acks-1-failover");
    assert!(code(&s, "confluent-kafka").contains("\"acks\": \"1\","));
    assert!(code(&s, "kafka-python").contains("acks=1,"));
    assert!(code(&s, "confluent-kafka").contains("min.insync.replicas=2"));
}

#[test]
fn the_queue_declares_its_arguments() {
    let s = scenario("queue-dlx");
    let c = code(&s, "pika");
    for line in [
        "arguments[\"x-dead-letter-exchange\"] = DLX",
        "arguments[\"x-message-ttl\"] = 3000",
        "arguments[\"x-max-length\"] = 24",
        "arguments[\"x-overflow\"] = \"drop-head\"",
        "channel.queue_declare(queue=QUEUE, durable=True, arguments=arguments)",
        "delivery_mode=pika.DeliveryMode.Persistent,",
        "channel.basic_reject(delivery_tag=method.delivery_tag, requeue=False)",
    ] {
        at(&c, line);
    }
    let c = code(&s, "lapin");
    at(&c, "arguments.insert(\"x-dead-letter-exchange\".into(), AMQPValue::LongString(DLX.into()));");
    at(&c, "arguments.insert(\"x-message-ttl\".into(), AMQPValue::LongLongInt(3000));");
    let mut off = s.clone();
    off.queue.dead_letter_exchange = false;
    assert!(!code(&off, "pika").contains("x-dead-letter-exchange"));
}

#[test]
fn the_prefetch_is_basic_qos() {
    let mut s = scenario("work-queue");
    assert!(code(&s, "pika").contains("channel.basic_qos(prefetch_count=1)"));
    s.queue.prefetch = 7;
    assert!(code(&s, "pika").contains("channel.basic_qos(prefetch_count=7)"));
    assert!(code(&s, "lapin").contains("channel.basic_qos(7, BasicQosOptions::default()).await?;"));
}

#[test]
fn the_atomic_mark_is_set_nx_ex() {
    let mut s = scenario("dedup-atomic");
    s.idempotency.dedup_ttl_ms = Some(604_800_000);
    let c = code(&s, "pika");
    assert!(c.contains("DEDUP_TTL_S = 604800") && c.contains("if not dedup.set(key, 1, nx=True, ex=DEDUP_TTL_S):"));
    let c = code(&s, "rdkafka");
    at(&c, "redis::cmd(\"SET\").arg(&key).arg(1).arg(\"NX\").arg(\"EX\").arg(604800u64)");
    // Kept for ever (the built-in's TTL): no EX, so the mark never expires.
    let s = scenario("dedup-atomic");
    assert!(code(&s, "confluent-kafka").contains("DEDUP_TTL_S = None"));
    assert!(!code(&s, "lapin").contains("arg(\"EX\")"));
    let c = code(&scenario("dedup-check-then-act"), "kafka-python");
    assert!(at(&c, "if dedup.exists(key):") < at(&c, "dedup.set(key, 1, ex=DEDUP_TTL_S)"));
}

#[test]
fn transactions_use_the_transactional_api_where_there_is_one() {
    let s = scenario("exactly-once-pipeline");
    let c = code(&s, "confluent-kafka");
    let order = [
        "producer.init_transactions()",
        "producer.begin_transaction()",
        "producer.send_offsets_to_transaction(",
        "producer.commit_transaction()",
    ];
    let places: Vec<usize> = order.iter().map(|n| at(&c, n)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");
    assert!(c.contains("\"isolation.level\": \"read_committed\","));
    let c = code(&s, "rdkafka");
    at(&c, "producer.send_offsets_to_transaction(&consumer.position()?, &metadata, Duration::from_secs(30))?;");
    let c = code(&s, "kafka-python");
    assert!(c.contains("kafka-python 2.0.2 has no transactions") && !c.contains("transaction("));
}

#[test]
fn retries_backoff_and_the_breaker_follow_the_settings() {
    let c = code(&scenario("retry-storm"), "confluent-kafka");
    assert!(c.contains("MAX_RETRIES = 8") && c.contains("BASE_S = 1.0") && c.contains("return wait\n"));
    let mut s = scenario("retry-storm");
    s.processing.retry.jitter = eda_lab::sim::scenario::Jitter::Full;
    assert!(code(&s, "kafka-python").contains("return random.uniform(0, wait)"));
    let c = code(&scenario("circuit-breaker"), "rdkafka");
    assert!(
        c.contains("const WINDOW: u32 = 10;")
            && c.contains("const WAIT_IN_OPEN: Duration = Duration::from_millis(3000);")
    );
    let c = code(&scenario("poison-pill"), "pika");
    assert!(!c.contains("def dead_letter(") && c.contains("there is nowhere to park it"));
}

#[test]
fn each_target_names_its_library_and_version() {
    let s = scenario("at-least-once");
    for (t, version) in [
        ("kafka-python", "kafka-python==2.0.2"),
        ("confluent-kafka", "confluent-kafka>=2,<3"),
        ("pika", "pika==1.3.2"),
        ("rdkafka", "rdkafka = { version = \"0.36\""),
        ("lapin", "lapin = \"2.5\""),
    ] {
        assert!(code(&s, t).contains(version), "{t}");
    }
}

/// The export is pure text: no browser, file, clock or network API, and the engine's size rules.
#[test]
fn the_export_is_pure_and_small() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/export");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for banned in ["web_sys", "yew", "wasm_bindgen", "js_sys", "std::fs", "std::net"] {
            assert!(!code.contains(&format!("use {banned}")), "{}: uses {banned}", path.display());
        }
        assert!(text.lines().count() <= 600, "{} is over 600 lines", path.display());
    }
}

#[test]
fn the_command_line_prints_the_code() {
    let cli = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_eda-lab")).args(args).output().unwrap();
    let out = cli(&["export", "--target", "pika", "--builtin", "queue-dlx"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), code(&scenario("queue-dlx"), "pika"));
    let out = cli(&["export", "--target", "rdkafka", "--builtin", "at-least-once", "--settings"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("producer.acks"));
    let out = cli(&["export", "--target", "java"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--target: `java` is not one of kafka-python, confluent-kafka")
    );
}
