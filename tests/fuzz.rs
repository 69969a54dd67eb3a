//! Fuzzing every decoder that takes outside input, and the engine under arbitrary commands.
//!
//! A scenario file, a command log, a share link, a lesson file, a breaker config or a queue
//! script comes from outside (a user, a URL, a file someone edited), and the page and the command
//! line must answer any of them with a named error, never a panic or a run that never ends.
//! Random text rarely gets past the JSON syntax, so most cases start from valid inputs (every
//! built-in scenario, logs recorded on them, every lesson file, share links, the queue scripts)
//! and edit them as a hand edit or a bad copy does (`fuzz/mutate.rs`). Whatever decodes is run
//! for a few simulated seconds within an event budget, and the ledger must balance at every
//! check. The engine itself gets arbitrary commands (`fuzz/commands.rs`) between steps.
//!
//! Hunt with `PROPTEST_CASES=100000 cargo test --release --test fuzz` (the default case counts
//! keep the file to seconds), adding `CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true`: an arithmetic
//! overflow panics only where overflow is checked (`cargo test` without `--release`, a debug build
//! of the page), and three of the four panics found here were overflows. A case running longer
//! than `FUZZ_HANG_SECS` (120 by default) prints its input and aborts: a hang is named, not
//! waited for. The crashes found are the regression tests at the end.

#[path = "fuzz/commands.rs"]
mod commands;
#[path = "fuzz/mutate.rs"]
mod mutate;

use eda_lab::sim::broker::amqp::headers::parse_table;
use eda_lab::sim::broker::amqp::script::Script;
use eda_lab::sim::builtins::{builtin, CATALOG};
use eda_lab::sim::command_log::{CommandLog, CommandLogError};
use eda_lab::sim::compare::{preset, Comparison, PRESETS};
use eda_lab::sim::config::scenario::ScheduledCommand;
use eda_lab::sim::config::settings::SETTINGS;
use eda_lab::sim::kernel::numfmt::plain;
use eda_lab::sim::lessons::catalogue;
use eda_lab::sim::lessons::check::{attempt, AttemptError};
use eda_lab::sim::lessons::lesson::{Check, Lesson, Op, When};
use eda_lab::sim::policy::circuit_breaker::CircuitBreakerConfig;
use eda_lab::sim::report::{parse_message_id, Report};
use eda_lab::sim::share::{self, base64url, unbase64url, Shared};
use eda_lab::sim::time::parse_duration_us;
use eda_lab::sim::{Command, CommandError, ConsumerId, RunStatus, Scenario, ScenarioError, SimTime, Simulation};
use mutate::{cut, edits, mutated, Cut, Edit, Pool};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// Events one step of a fuzzed run may take: enough for seconds of any built-in, few enough
/// that a scenario producing millions of events a second still ends its case quickly.
const BUDGET: u64 = 20_000;

/// The longest a fuzzed lesson runs (its own `until_ms` may be two minutes).
const LESSON_CAP_MS: u64 = 3_000;

/// The actions a lesson can offer (`lesson.rs`'s `actions`): every command without a setting.
const ACTIONS: &[&str] = &[
    "crash_consumer",
    "slow_consumer",
    "restart_consumer",
    "add_consumer",
    "remove_consumer",
    "add_partitions",
    "redrive",
    "rebuild_projection",
    "deploy_schema",
    "restart_broker",
    "crash_broker",
    "start_broker",
];

/// `cases` unless `PROPTEST_CASES` asks for more (or fewer), as proptest's own default does.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, max_shrink_iters: 2_000, ..ProptestConfig::default() }
}

// ----- the watchdog -----

/// The case each test thread runs and since when, so the watchdog can name a hang's input.
static RUNNING: Mutex<BTreeMap<String, (Instant, String)>> = Mutex::new(BTreeMap::new());

/// Takes the thread's entry out of [`RUNNING`] however the case ends (a panic included).
struct Running(String);

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.0);
    }
}

/// Runs one case under the watchdog, `input` being what reproduces it.
fn guarded<T>(input: impl FnOnce() -> String, case: impl FnOnce() -> T) -> T {
    static WATCHDOG: OnceLock<()> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        std::thread::spawn(watch);
    });
    let me = format!("{:?}", std::thread::current().id());
    RUNNING.lock().unwrap_or_else(|p| p.into_inner()).insert(me.clone(), (Instant::now(), input()));
    let _running = Running(me);
    case()
}

/// Aborts the process, printing the input, when a case runs past `FUZZ_HANG_SECS`.
fn watch() {
    let limit = std::env::var("FUZZ_HANG_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(120u64);
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        let running = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((thread, (_, input))) = running.iter().find(|(_, (t, _))| t.elapsed().as_secs() > limit) {
            // Straight to stderr: `eprintln!` in a thread a test spawned is captured with its output.
            let _ = writeln!(std::io::stderr(), "HANG: {thread} ran one case for over {limit} s; its input:\n{input}");
            std::process::abort();
        }
    }
}

// ----- the valid inputs the mutations start from -----

/// Built once per test binary: recording the logs runs every built-in for 3 s.
struct Seeds {
    /// Every built-in scenario, as its JSON.
    scenarios: Vec<Value>,
    /// Command logs recorded on built-ins, each with its scenario.
    logs: Vec<(Scenario, Value)>,
    lessons: Vec<Value>,
    /// Share links' payloads (the JSON inside the base64).
    links: Vec<Value>,
    breakers: Vec<Value>,
    scripts: Vec<Value>,
    pool: Pool,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let builtins: Vec<Scenario> = CATALOG.iter().map(|(name, _)| builtin(name).unwrap()).collect();
        let scenarios: Vec<Value> = builtins.iter().map(|s| serde_json::from_str(&s.to_json()).unwrap()).collect();
        let runs: Vec<Simulation> = builtins.iter().map(recorded).collect();
        let logs = builtins.iter().zip(&runs).map(|(s, sim)| (s.clone(), log_value(sim))).collect();
        let links = builtins.iter().zip(&runs).map(|(s, sim)| payload(s, sim)).chain(comparisons()).collect();
        let lessons = json_files("lessons");
        let scripts = json_files("tests/rabbitmq/scripts");
        let breakers = vec![
            serde_json::to_value(CircuitBreakerConfig::default()).unwrap(),
            json!({"open_wait_multiplier": 2.0, "open_wait_max_ms": 60000, "sliding_window_type": "TIME_BASED"}),
        ];
        let all: Vec<&Value> = scenarios.iter().chain(&lessons).chain(&links).chain(&scripts).collect();
        let pool = Pool::of(&all);
        Seeds { scenarios, logs, lessons, links, breakers, scripts, pool }
    })
}

/// `s` driven for 3 s with a command of each common kind on the way: a log worth mutating.
fn recorded(s: &Scenario) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    let steps = [
        Command::CrashConsumer { consumer: ConsumerId(0), at: None },
        Command::RestartConsumer { consumer: ConsumerId(0) },
        Command::Set { setting: "producer.rate_per_sec".into(), value: json!(7.0) },
        Command::AddPartitions { count: s.topic.partitions + 1 },
        Command::Redrive { msg: None },
        Command::SlowConsumer { consumer: ConsumerId(0), factor: 3 },
        Command::AddConsumer,
    ];
    for (i, c) in steps.into_iter().enumerate() {
        sim.run_until(SimTime::from_ms(400 * (i as u64 + 1)), BUDGET);
        let _ = sim.handle(c);
    }
    sim.run_until(SimTime::from_ms(3_000), BUDGET);
    sim
}

fn log_value(sim: &Simulation) -> Value {
    serde_json::from_str(&CommandLog::new(sim.commands().to_vec()).to_json()).unwrap()
}

/// The payload of the link to `sim`'s run of `s`.
fn payload(s: &Scenario, sim: &Simulation) -> Value {
    let shared = Shared {
        scenario: s.clone(),
        commands: sim.commands().to_vec(),
        lesson: Some("duplicate-charge".into()),
        lanes: Vec::new(),
        at_us: sim.now().as_us(),
    };
    link_payload(&share::encode(&shared))
}

fn link_payload(link: &str) -> Value {
    serde_json::from_slice(&unbase64url(&link[2..]).unwrap()).unwrap()
}

/// The payloads of every preset comparison on one built-in.
fn comparisons() -> Vec<Value> {
    let base = builtin("at-least-once").unwrap();
    let shared = |lanes| Shared { scenario: base.clone(), commands: Vec::new(), lesson: None, lanes, at_us: 0 };
    PRESETS.iter().map(|(name, _)| link_payload(&share::encode(&shared(preset(name, &base).unwrap())))).collect()
}

/// Every `.json` file in `dir`, parsed, in name order.
fn json_files(dir: &str) -> Vec<Value> {
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    paths.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

// ----- what must hold -----

/// The ledger balances and audits: `produced = in flight + exactly once + duplicated +
/// dead-lettered + lost`, and the counters agree with a recount of the records.
fn balanced(sim: &Simulation) {
    let c = sim.ledger().counts();
    let sum = c.in_flight + c.exactly_once + c.duplicated + c.dead_lettered + c.lost;
    assert_eq!(sim.ledger().produced(), sum, "the ledger does not balance at {}: {c:?}", sim.now());
    sim.audit().unwrap_or_else(|e| panic!("audit at {}: {e}", sim.now()));
}

/// A decoded scenario runs: built, run for 3 simulated seconds a second at a time within the
/// budget, balanced at every step, and its report written.
fn runs(s: &Scenario) {
    let mut sim = Simulation::new(s).unwrap_or_else(|e| panic!("a decoded scenario is refused: {e}"));
    for second in 1..=3 {
        sim.run_until(SimTime::from_ms(second * 1_000), BUDGET);
        balanced(&sim);
    }
    serde_json::to_string(&Report::of(&sim)).unwrap();
}

/// Whether a parse error says where: the JSON syntax's line and column, the path of the field
/// (`topic.partitions: ...`), a field or variant named in backticks, or the document's shape.
fn says_where(m: &str) -> bool {
    if m.starts_with("not valid JSON") {
        return m.contains("line");
    }
    let path = m.split_once(": ").is_some_and(|(p, _)| !p.is_empty() && !p.contains(' '));
    path || m.contains('`') || m.contains("is a JSON object") || m.contains("expected an object")
}

/// A refused scenario names its field: the rule it breaks, or where the JSON went wrong.
fn named_scenario_error(e: &ScenarioError) {
    match e {
        ScenarioError::Invalid { field, message } => assert!(!field.is_empty() && !message.is_empty(), "{e:?}"),
        ScenarioError::Parse(m) => assert!(says_where(m), "a parse error that names no field: {m}"),
    }
}

/// A refused command says why, naming the field where one is at fault.
fn named_command_error(e: &CommandError) {
    if let CommandError::Invalid { field, message } = e {
        assert!(!field.is_empty() && !message.is_empty(), "{e:?}");
    }
    assert!(!e.to_string().is_empty());
}

/// Scenario text decodes to a scenario that runs, or is refused by name.
fn check_scenario(text: &str) {
    match Scenario::from_json(text) {
        Ok(s) => runs(&s),
        Err(e) => named_scenario_error(&e),
    }
}

/// A command log reads back as written, and replays on its scenario within the budget (or
/// names why not) with the ledger balanced; the lesson command's reader takes it or says why.
fn check_log(text: &str, s: &Scenario) {
    if let Err(e) = eda_lab::cli_lessons::parse_commands(text) {
        assert!(!e.is_empty());
    }
    let log = match CommandLog::parse(text) {
        Ok(log) => log,
        Err(CommandLogError::Parse(m)) => {
            assert!(says_where(&m), "a parse error that names no field: {m}");
            return;
        }
        Err(e @ CommandLogError::Version { .. }) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert_eq!(CommandLog::parse(&log.to_json()).as_ref(), Ok(&log), "a log does not read back as written");
    let mut sim = Simulation::new(s).unwrap();
    let last = log.commands.last().map_or(0, |c| c.at_us);
    let until = SimTime::from_us(last.saturating_add(1_000_000));
    if let Err(e) = sim.run_commands_observed(&log.commands, until, BUDGET, &mut |_| {}) {
        assert!(!e.to_string().is_empty());
    }
    balanced(&sim);
}

/// A link opens to a valid run that replays within the budget (or names why not) with the
/// ledger balanced, its lanes compare, and it travels again as the same link.
fn check_link(link: &str) {
    let shared = match share::decode(link) {
        Ok(shared) => shared,
        Err(e) => {
            assert!(!e.part.is_empty() && !e.message.is_empty(), "{e:?}");
            return;
        }
    };
    shared.scenario.validate().unwrap_or_else(|e| panic!("a link opened an invalid scenario: {e}"));
    let again = share::decode(&share::encode(&shared)).unwrap_or_else(|e| panic!("re-encoded link refused: {e}"));
    assert_eq!(again, shared, "a link does not travel again as itself");
    let mut sim = Simulation::new(&shared.scenario).unwrap();
    if let Err(e) = shared.replay(&mut sim, BUDGET) {
        assert!(!e.part.is_empty() && !e.message.is_empty(), "{e:?}");
    }
    balanced(&sim);
    if !shared.lanes.is_empty() {
        let mut lanes = Comparison::new(&shared.lanes).unwrap_or_else(|e| panic!("decoded lanes refused: {e:?}"));
        lanes.run_until(SimTime::from_ms(1_000), BUDGET);
    }
}

/// A lesson file reads or names its error (serde's: a missing field by name, anything else by
/// line and column); one that reads is judged on its own solution, shortened.
fn check_lesson(text: &str) {
    match serde_json::from_str::<Lesson>(text) {
        Ok(lesson) => judged(&lesson, &lesson.solution.clone()),
        Err(e) => assert!(e.to_string().contains('`') || e.to_string().contains("line"), "{e}"),
    }
}

/// `commands` attempted on `lesson` run for at most [`LESSON_CAP_MS`]: judged, or refused by
/// name.
fn judged(lesson: &Lesson, commands: &[ScheduledCommand]) {
    let mut l = lesson.clone();
    l.until_ms = l.until_ms.min(LESSON_CAP_MS);
    match attempt(&l, commands) {
        Ok(o) => assert_eq!(o.checks.len(), l.goal.len() + l.guards.len()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A lesson that locks nothing: every setting and action allowed, so commands reach the engine.
fn unlocked(mut l: Lesson) -> Lesson {
    l.allowed = SETTINGS.iter().map(|s| s.path.to_string()).collect();
    l.actions = ACTIONS.iter().map(|a| a.to_string()).collect();
    l
}

/// A breaker config reads or names its field; one that reads gives a wait for any opening.
fn check_breaker(text: &str) {
    match CircuitBreakerConfig::from_json(text) {
        Ok(c) => {
            for attempt in [1, 2, 3, 64, 1_000, u32::MAX] {
                c.wait_in_open_state_ms(attempt);
                c.wait_is_constant_from(attempt);
            }
        }
        Err(e) => assert!(!e.is_empty()),
    }
}

/// A queue script reads or says why; one that reads runs to its observations or names its step.
fn check_script(text: &str) {
    match Script::from_json(text) {
        Ok(script) => {
            if let Err(e) = script.run() {
                assert!(!e.is_empty());
            }
        }
        Err(e) => assert!(!e.is_empty()),
    }
}

/// Drives `s` through `script` (a gap in ms, then a command): every command applied or refused
/// by name, the ledger balanced before and after each; then the recorded log replays to the
/// same trace hash.
fn drive(s: &Scenario, script: &[(u64, Command)]) {
    let mut sim = Simulation::new(s).unwrap();
    for (gap_ms, c) in script {
        sim.run_until(SimTime::from_us(sim.now().as_us() + gap_ms * 1_000), BUDGET);
        balanced(&sim);
        if let Err(e) = sim.handle(c.clone()) {
            named_command_error(&e);
        }
        balanced(&sim);
    }
    let status = sim.run_until(SimTime::from_us(sim.now().as_us() + 2_000_000), BUDGET);
    balanced(&sim);
    serde_json::to_string(&Report::of(&sim)).unwrap();
    if status == RunStatus::Reached {
        let mut again = Simulation::new(s).unwrap();
        again.run_commands_observed(sim.commands(), sim.now(), u64::MAX, &mut |_| {}).unwrap();
        assert_eq!(again.trace_hash(), sim.trace_hash(), "the recorded log replays to another run");
    }
}

/// Commands, each after a gap in ms: often none (two at one instant), sometimes long enough to
/// reach a built-in's own faults (at 10 s and later).
fn script() -> impl Strategy<Value = Vec<(u64, Command)>> {
    let gap = prop_oneof![2 => Just(0u64), 4 => 0u64..1_500, 2 => 0u64..6_000, 1 => 0u64..30_000];
    prop::collection::vec((gap, commands::command()), 1..16)
}

/// What reproduces a decoder's case: the edits, the cut and the text they made.
fn describe(edits: &[Edit], cut: &Cut, text: &str) -> String {
    format!("edits {edits:?}, cut {cut:?}\ntext: {text}")
}

// ----- the properties -----

proptest! {
    #![proptest_config(config(2048))]

    /// Every built-in scenario's JSON, edited: a named error, or a scenario that runs.
    #[test]
    fn edited_scenarios_decode_or_name_the_field(i in any::<Index>(), edits in edits(), cut in cut()) {
        let text = mutated(i.get(&seeds().scenarios), &edits, &cut, &seeds().pool);
        guarded(|| describe(&edits, &cut, &text), || check_scenario(&text));
    }

    /// Recorded command logs, edited (also as the bare list of the format before versions).
    #[test]
    fn edited_command_logs_replay_or_name_the_field(i in any::<Index>(), bare in any::<bool>(), edits in edits(), cut in cut()) {
        let (s, log) = i.get(&seeds().logs);
        let doc = if bare { log["commands"].clone() } else { log.clone() };
        let text = mutated(&doc, &edits, &cut, &seeds().pool);
        guarded(|| format!("scenario {}\n{}", s.name, describe(&edits, &cut, &text)), || check_log(&text, s));
    }

    /// Share links whose payload was edited: a named part, or a run that opens and travels.
    #[test]
    fn edited_links_open_or_name_the_part(i in any::<Index>(), edits in edits(), cut in cut()) {
        let text = mutated(i.get(&seeds().links), &edits, &cut, &seeds().pool);
        let link = format!("1.{}", base64url(text.as_bytes()));
        guarded(|| describe(&edits, &cut, &text), || check_link(&link));
    }

    /// Breaker configs and queue scripts, the other JSON the command line reads.
    #[test]
    fn edited_breaker_configs_and_queue_scripts_never_panic(i in any::<Index>(), j in any::<Index>(), edits in edits(), cut in cut()) {
        let breaker = mutated(i.get(&seeds().breakers), &edits, &cut, &seeds().pool);
        guarded(|| describe(&edits, &cut, &breaker), || check_breaker(&breaker));
        let script = mutated(j.get(&seeds().scripts), &edits, &cut, &seeds().pool);
        guarded(|| describe(&edits, &cut, &script), || check_script(&script));
    }

    /// Message ids as typed into the journey panel or `run --journey`, durations and header
    /// tables as the command line takes them: read, or refused with words.
    #[test]
    fn typed_ids_durations_and_tables_never_panic(
        text in prop_oneof![".{0,30}", " *(evt_)?[-+]?[0-9]{0,14} *", "[0-9.]{0,22}(us|µs|ms|s|m|min|h|x| s)?", "([a-z=,. -]|x-match|all|any){0,12}"],
    ) {
        match parse_message_id(&text) {
            Ok(id) => prop_assert_eq!(parse_message_id(&id.to_string()), Ok(id)),
            Err(e) => prop_assert!(e.contains("not a message id"), "{}", e),
        }
        match parse_duration_us(&text) {
            Ok(us) => prop_assert!(us <= 1_000_000_000_000_000),
            Err(e) => prop_assert!(!e.is_empty()),
        }
        parse_table(&text);
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The engine under arbitrary commands at arbitrary times, on any built-in and seed.
    #[test]
    fn the_engine_takes_any_commands_and_balances(
        b in any::<Index>(),
        seed in any::<u64>(),
        script in script(),
    ) {
        let name = b.get(CATALOG).0;
        let mut s = builtin(name).unwrap();
        s.seed = seed;
        guarded(|| format!("{name} seed {seed}\n{script:?}"), || drive(&s, &script));
    }

    /// Edited built-ins that decode, driven by arbitrary commands: configurations no built-in
    /// has meet every command.
    #[test]
    fn edited_scenarios_take_any_commands(i in any::<Index>(), edits in edits(), script in script()) {
        let text = mutated(i.get(&seeds().scenarios), &edits, &Cut::Whole, &seeds().pool);
        if let Ok(s) = Scenario::from_json(&text) {
            guarded(|| format!("{text}\n{script:?}"), || drive(&s, &script));
        }
    }

    /// Every lesson file, edited: a named error, or a lesson judged on its solution.
    #[test]
    fn edited_lessons_read_or_name_the_field(i in any::<Index>(), edits in edits(), cut in cut()) {
        let text = mutated(i.get(&seeds().lessons), &edits, &cut, &seeds().pool);
        guarded(|| describe(&edits, &cut, &text), || check_lesson(&text));
    }

    /// Arbitrary commands attempted on a lesson that locks nothing: judged, or refused by name.
    #[test]
    fn lessons_judge_any_commands(
        i in any::<Index>(),
        sorted in prop::bool::weighted(0.9),
        mut commands in prop::collection::vec((prop_oneof![3 => 0u64..LESSON_CAP_MS, 1 => Just(0u64)], commands::command()), 0..8),
    ) {
        let lesson: Lesson = serde_json::from_value(i.get(&seeds().lessons).clone()).unwrap();
        if sorted {
            commands.sort_by_key(|(t, _)| *t);
        }
        let commands: Vec<ScheduledCommand> = commands.into_iter().map(|(at_ms, command)| ScheduledCommand { at_ms, command }).collect();
        guarded(|| format!("{}\n{commands:?}", lesson.id), || judged(&unlocked(lesson.clone()), &commands));
    }
}

// ----- what the fuzzing found, kept as regressions -----

/// `plain`, which writes every number a refusal quotes, multiplied past u128 for a number below
/// about 10^-7 written with all its digits: a panic wherever overflow is checked (`cargo test`
/// without `--release`, a debug build of the page). Found as this command on a lesson.
#[test]
fn a_tiny_number_in_a_refusal_is_written_as_rust_writes_it() {
    for v in [2.2250738585072014e-308, 1.2345678901234567e-7, 8.940696716308594e-7, 1e-300, 5e-324] {
        assert_eq!(plain(v), format!("{v}"));
    }
    let lesson = unlocked(catalogue::find("acks-one-loses-writes").unwrap());
    let set = Command::Set { setting: "producer.retries".into(), value: json!(2.2250738585072014e-308) };
    let e = attempt(&lesson, &[ScheduledCommand { at_ms: 0, command: set }]).unwrap_err();
    assert!(e.to_string().contains(&format!("{}", 2.2250738585072014e-308)), "{e}");
}

/// A command far past the lesson's end had the judge run the simulation there first (at
/// u64::MAX ms, 200 million events: minutes); a lesson file running to u64::MAX with an
/// `always` check and the producer stopped never ended. Both are refused by name now.
#[test]
fn a_lesson_past_an_hour_is_refused_by_name() {
    let mut l = catalogue::find("replay-the-history").unwrap();
    l.solution[0].at_ms = u64::MAX;
    let message = "at_ms: at most 3600000 (got 18446744073709551615)".to_string();
    assert_eq!(attempt(&l, &l.solution.clone()), Err(AttemptError::Refused { index: 0, message }));
    let mut l = catalogue::find("duplicate-charge").unwrap();
    l.overrides.insert("producer.rate_per_sec".into(), json!(0));
    l.until_ms = u64::MAX;
    let always =
        Check { name: "never".into(), metric: "/outcomes/lost".into(), op: Op::Eq, value: 0.0, when: When::Always };
    l.guards.push(always);
    let e = attempt(&l, &[]).unwrap_err();
    assert_eq!(e.to_string(), "the lesson cannot start: until_ms: at most 3600000 (got 18446744073709551615)");
}

/// A queue script's `wait` added its time to the clock unchecked: two waits past u64::MAX µs
/// overflowed (a panic where overflow is checked). The clock now stops at the end of time.
#[test]
fn a_queue_script_may_wait_past_the_end_of_time() {
    let text = r#"{"queues":[{"name":"q"}],"steps":[{"op":"wait","ms":18446744073709551615},{"op":"wait","ms":1}]}"#;
    assert_eq!(Script::from_json(text).unwrap().run(), Ok(Vec::new()));
}

/// A queue script publishing a body of u64::MAX bytes overflowed the queue's byte count (a panic
/// where overflow is checked; in release a wrapped count, so `max_length_bytes` let it stay).
/// Found as `maxlen-bytes` with one body edited to u64::MAX; RabbitMQ takes no body over 512 MiB.
#[test]
fn a_queue_script_body_over_512_mib_is_refused_by_name() {
    let text = std::fs::read_to_string("tests/rabbitmq/scripts/maxlen-bytes.json").unwrap();
    for step in [0, 1] {
        let mut script: Value = serde_json::from_str(&text).unwrap();
        script["steps"][step]["body_bytes"] = json!(u64::MAX);
        let e = Script::from_json(&script.to_string()).unwrap().run().unwrap_err();
        assert_eq!(e, format!("steps[{step}]: body_bytes: at most 536870912 (got 18446744073709551615)"));
    }
}

/// A request sent with acks=0 and still on the wire when acks changed took the new setting for
/// its own on arrival: refused for want of a leader, its records (which the producer had let go
/// of when it sent them) were released with no loss reason, and the ledger panicked ("a lost
/// message always has a reason"). Found on `acks-0` (broker 0 down from 10 s) with these commands.
#[test]
fn acks_changed_while_a_fire_and_forget_request_is_on_the_wire() {
    let crash = || Command::CrashConsumer { consumer: ConsumerId(0), at: None };
    let acks = |v: &str| Command::Set { setting: "producer.acks".into(), value: json!(v) };
    let script = [(3143, crash()), (5814, crash()), (333, crash()), (321, crash()), (871, crash()), (205, acks("all"))];
    drive(&builtin("acks-0").unwrap(), &script);
    let mut sim = Simulation::new(&builtin("acks-0").unwrap()).unwrap();
    sim.run_until(SimTime::from_ms(10_687), u64::MAX);
    sim.handle(acks("1")).unwrap();
    sim.run_until(SimTime::from_ms(15_000), u64::MAX);
    balanced(&sim);
}
