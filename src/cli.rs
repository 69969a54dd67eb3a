//! The native command line: headless runs, the partitioner, and the benchmark.

use crate::sim::builtins::{builtin, CATALOG};
use crate::sim::command_log::CommandLog;
use crate::sim::config::{json_input, settings};
use crate::sim::event::{JournalEntry, JournalKind};
use crate::sim::ids::ConsumerId;
use crate::sim::journey::JourneyPolicy;
use crate::sim::partitioner::{Client, Profile, RdPartitioner};
use crate::sim::report::{parse_message_id, JourneyReport, Report};
use crate::sim::time::parse_duration_us;
use crate::sim::{Scenario, SimTime, Simulation, StampedCommand};
use clap::{Parser, Subcommand};

/// `run --help`'s list of scenario fields: every setting from the settings' one description,
/// plus the fields that are not settings.
fn scenario_help() -> String {
    format!(
        "\
A scenario is JSON; every field is optional and defaults as shown by `eda-lab example`.
Fields (allowed values; [new run]: cannot change while a run goes on):
  name, description                 text
  seed                              0..2^64-1, overridden by --seed
  producer.event_types              1..16 names, e.g. [\"OrderPlaced\"]
{}  faults                            [{{\"at_ms\": 1000, \"command\": {{\"type\": \"crash_consumer\", \"consumer\": 0}}}}]
Commands (--commands FILE, as the page exports them; a bare list reads as format 1):
  {{\"v\": 1, \"commands\": [{{\"at_us\": 2000000, \"after_events\": 41,
    \"command\": {{\"type\": \"crash_consumer\", \"consumer\": 1, \"at\": \"after_effect\"}}}}]}}
  Any setting without [new run] changes live: {{\"type\": \"set\", \"setting\": \"topic.retention_ms\", \"value\": 5000}}
  Redrive dead letters after the fix: {{\"type\": \"redrive\", \"msg\": \"evt_000012\"}} (no msg: all of them)
  Restart the queue broker's node (broker \"queue\" only): {{\"type\": \"restart_broker\"}}",
        settings::help_lines()
    )
}

#[derive(Parser, Debug)]
#[command(name = "eda-lab", version, about = "Deterministic simulator of event-driven architecture")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// List the built-in scenarios.
    Scenarios,
    /// Print a scenario as JSON with every field (a starting point for your own).
    Example {
        /// A built-in scenario name (default: the defaults).
        name: Option<String>,
    },
    /// Run a scenario and print the outcome report.
    #[command(after_long_help = scenario_help())]
    Run {
        /// A built-in scenario name or a path to a scenario JSON file.
        scenario: String,
        /// Override the scenario's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// How much simulated time to run, e.g. 60s, 500ms, 10m.
        #[arg(long, default_value = "60s")]
        until: String,
        /// A recorded command log (JSON list) to replay during the run.
        #[arg(long)]
        commands: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Print one message's journey instead of the report: every step with its sim time.
        #[arg(long, value_name = "ID")]
        journey: Option<String>,
        /// Write every journal entry to FILE as one JSON object per line (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        journal: Option<String>,
        /// Stop with an error after this many events (a run that cannot advance time stops here).
        #[arg(long, default_value_t = DEFAULT_MAX_EVENTS)]
        max_events: u64,
    },
    /// Print the partition each key goes to, as the client's partitioner picks it ("random"
    /// where the client draws one, as for a record without a key: librdkafka's consistent_random
    /// with an empty key).
    Partition {
        /// The producer client: java (Kafka 3.3+: murmur2 of the key) or librdkafka.
        #[arg(long, value_enum, default_value = "java")]
        client: CliClient,
        /// librdkafka's partitioner: consistent_random (CRC-32 of the key, its default) or
        /// murmur2_random (the Java client's murmur2).
        #[arg(long, value_enum)]
        partitioner: Option<CliPartitioner>,
        /// Partitions of the topic.
        #[arg(long, default_value_t = 3)]
        partitions: u32,
        /// Keys, as UTF-8 bytes ("" is an empty key, which is not the same as no key).
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Replay a script of calls on one circuit breaker (resilience4j's semantics).
    Breaker(crate::cli_breaker::BreakerArgs),
    /// Benchmark the engine on a model of bench/simpy_bench.py (--model log or queue).
    Bench(crate::cli_bench::BenchArgs),
    /// Print the delay before each retry under a backoff policy, in ms.
    Backoff(crate::cli_backoff::BackoffArgs),
    /// Run a scenario once per value of one setting (and per seed) and print the reports as CSV.
    Sweep(crate::cli_sweep::SweepArgs),
    /// Run the lanes of a comparison (three-guarantees, idempotency-strategies) on one scenario, the same seed and the same crashes, and print their outcomes side by side.
    Compare(crate::cli_compare::CompareArgs),
    /// Avro schema compatibility: `schema compatible --reader R.avsc --writer W.avsc` (Avro's
    /// schema resolution), `schema check --mode MODE OLD.avsc... NEW.avsc` (a Schema Registry
    /// subject's mode). Exit 0 compatible, 1 incompatible, 2 malformed.
    Schema(crate::cli_schema::SchemaArgs),
    /// List the lessons: id, track, mode and title.
    Lessons,
    /// Replay a lesson and print its checklist: `lesson check ID --start | --solution |
    /// --counterexample N | --commands FILE`. Exit 0 when the goal holds, 1 when not, 2 when the
    /// attempt cannot be judged.
    #[command(subcommand)]
    Lesson(LessonCmd),
    /// Run a queue script on the RabbitMQ-like broker and print what a client observes at each step.
    Amqp(crate::cli_queue::AmqpArgs),
    /// Show which bindings of an exchange each routing key (or the headers) matches, as RabbitMQ routes.
    Route(crate::cli_queue::RouteArgs),
    /// Print a scenario as client code: kafka-python, confluent-kafka, pika, rdkafka or lapin.
    Export(crate::cli_export::ExportArgs),
}

#[derive(clap::Subcommand, Debug)]
enum LessonCmd {
    /// Replay a lesson (as it starts, its solution, a counterexample or your commands) and print
    /// the checklist.
    Check(crate::cli_lessons::CheckArgs),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum CliClient {
    Java,
    Librdkafka,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum CliPartitioner {
    #[value(name = "consistent_random")]
    ConsistentRandom,
    #[value(name = "murmur2_random")]
    Murmur2Random,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    if let Cmd::Schema(args) = &cli.command {
        return crate::cli_schema::main(args); // its own exit codes: 1 means incompatible
    }
    if let Cmd::Lesson(LessonCmd::Check(args)) = &cli.command {
        return crate::cli_lessons::check(args); // its own exit codes: 1 means the goal does not hold
    }
    match run(cli.command) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

pub(crate) fn load_scenario(name_or_path: &str) -> Result<Scenario, String> {
    if let Some(s) = builtin(name_or_path) {
        return Ok(s);
    }
    let bytes = std::fs::read(name_or_path).map_err(|e| {
        let names: Vec<&str> = CATALOG.iter().map(|(n, _)| *n).collect();
        format!("`{name_or_path}` is neither a built-in scenario ({}) nor a readable file: {e}", names.join(", "))
    })?;
    let text = json_input::utf8(bytes).map_err(|e| format!("{name_or_path}: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{name_or_path}: {e}"))
}

fn run(cmd: Cmd) -> Result<String, String> {
    match cmd {
        Cmd::Scenarios => {
            let mut out = String::new();
            for (name, summary) in CATALOG {
                out.push_str(&format!("{name:<22} {summary}\n"));
            }
            for (alias, name) in crate::sim::builtins::ALIASES {
                out.push_str(&format!("{alias:<22} The same as {name}.\n"));
            }
            Ok(out)
        }
        Cmd::Example { name } => {
            let s = match name {
                Some(n) => builtin(&n).ok_or_else(|| format!("no built-in scenario `{n}`"))?,
                None => Scenario::default(),
            };
            Ok(s.to_json() + "\n")
        }
        Cmd::Run { scenario, seed, until, commands, json, journey, journal, max_events } => {
            let mut s = load_scenario(&scenario)?;
            if let Some(seed) = seed {
                s.seed = seed;
            }
            let until = SimTime(parse_duration_us(&until).map_err(|e| format!("--until: {e}"))?);
            let log: Vec<StampedCommand> = match commands {
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
                    let text = json_input::utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
                    CommandLog::parse(&text).map_err(|e| format!("{path}: {e}"))?.commands
                }
                None => Vec::new(),
            };
            let journey = journey.map(|id| parse_message_id(&id).map_err(|e| format!("--journey: {e}"))).transpose()?;
            let mut sim = Simulation::new(&s).map_err(|e| e.to_string())?;
            if let Some(msg) = journey {
                sim.record_journeys(JourneyPolicy::Only(msg));
            }
            let mut sink = journal.as_deref().map(JournalSink::open).transpose()?;
            if sink.is_some() {
                sim.tap_journal();
            }
            let mut drain = |sim: &mut Simulation| {
                if let Some(sink) = &mut sink {
                    sink.assignments.extend(sim.take_tapped_assignments());
                    sink.write(sim.take_tapped());
                }
            };
            let result = sim.run_commands_observed(&log, until, max_events, &mut drain);
            if let Some(sink) = sink {
                sink.finish()?;
            }
            result.map_err(|e| e.to_string())?;
            if journal.as_deref() == Some("-") {
                return Ok(String::new()); // standard output carries the journal
            }
            if let Some(msg) = journey {
                let j = JourneyReport::of(&sim, msg);
                return Ok(if json { j.to_json() + "\n" } else { j.to_text() });
            }
            let report = Report::of(&sim);
            Ok(if json { report.to_json() + "\n" } else { report.to_text() })
        }
        Cmd::Partition { client, partitioner, partitions, keys } => partition(client, partitioner, partitions, &keys),
        Cmd::Breaker(args) => crate::cli_breaker::run(&args),
        Cmd::Bench(args) => crate::cli_bench::run(&args),
        Cmd::Backoff(args) => crate::cli_backoff::run(&args),
        Cmd::Sweep(args) => crate::cli_sweep::run(&args),
        Cmd::Compare(args) => crate::cli_compare::run(&args),
        Cmd::Schema(_) => Err("eda-lab schema runs on its own".into()),
        Cmd::Lesson(_) => Err("eda-lab lesson check runs on its own".into()),
        Cmd::Lessons => crate::cli_lessons::list(),
        Cmd::Amqp(args) => crate::cli_queue::amqp(&args),
        Cmd::Route(args) => crate::cli_queue::route(&args),
        Cmd::Export(args) => crate::cli_export::run(&args),
    }
}

/// A budget no sensible run reaches (a billion events is minutes of work) but that stops one
/// that cannot advance time.
pub(crate) const DEFAULT_MAX_EVENTS: u64 = 1_000_000_000;

/// Where `--journal` writes: a file or standard output, one JSON object per line.
struct JournalSink {
    out: std::io::BufWriter<Box<dyn std::io::Write>>,
    path: String,
    error: Option<std::io::Error>,
    /// The owner of each partition after each completed rebalance, by generation.
    assignments: Vec<(u8, u32, Vec<Option<ConsumerId>>)>,
}

impl JournalSink {
    fn open(path: &str) -> Result<JournalSink, String> {
        let out: Box<dyn std::io::Write> = if path == "-" {
            Box::new(std::io::stdout())
        } else {
            Box::new(std::fs::File::create(path).map_err(|e| format!("--journal {path}: {e}"))?)
        };
        Ok(JournalSink {
            out: std::io::BufWriter::new(out),
            path: path.to_string(),
            error: None,
            assignments: Vec::new(),
        })
    }

    fn write(&mut self, entries: Vec<JournalEntry>) {
        use std::io::Write;
        for entry in entries {
            if self.error.is_none() {
                let owners = match entry.kind {
                    JournalKind::RebalanceDone { group, generation } => self
                        .assignments
                        .iter()
                        .rev()
                        .find(|(k, g, _)| (*k, *g) == (group, generation))
                        .map(|(_, _, o)| o.as_slice()),
                    _ => None,
                };
                let line = journal_line(&entry, owners);
                self.error = writeln!(self.out, "{line}").err();
            }
        }
    }

    fn finish(mut self) -> Result<(), String> {
        use std::io::Write;
        let flushed = self.out.flush().err();
        match self.error.or(flushed) {
            // A reader that stopped early (`| head`) is not an error.
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Some(e) => Err(format!("--journal {}: {e}", self.path)),
            None => Ok(()),
        }
    }
}

/// One entry as a flat JSON object: `time_us`, `kind` and the entry's own fields; a completed
/// rebalance also carries the new assignment (`owners`: the owner of each partition).
fn journal_line(entry: &JournalEntry, owners: Option<&[Option<ConsumerId>]>) -> String {
    let mut fields = match serde_json::to_value(entry.kind) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    let kind = fields.remove("kind").unwrap_or_default();
    let mut line = format!("{{\"time_us\":{},\"kind\":{kind}", entry.time.as_us());
    for (k, v) in fields {
        line += &format!(",{}:{v}", serde_json::Value::from(k));
    }
    if let Some(owners) = owners {
        line += &format!(",{}", assignment_fields(owners));
    }
    line + "}"
}

/// `"assignment":{"0":[0,2],"1":[1]}` (each member's partitions) and, when some partition has no
/// owner (withheld by a cooperative rebalance, or no member left), `"unassigned":[3]`.
fn assignment_fields(owners: &[Option<ConsumerId>]) -> String {
    let mut by_member: Vec<(ConsumerId, Vec<usize>)> = Vec::new();
    let mut unassigned = Vec::new();
    for (p, owner) in owners.iter().enumerate() {
        match owner {
            Some(c) => match by_member.iter_mut().find(|(m, _)| m == c) {
                Some((_, ps)) => ps.push(p),
                None => by_member.push((*c, vec![p])),
            },
            None => unassigned.push(p),
        }
    }
    by_member.sort_by_key(|(c, _)| *c);
    // By hand: serde_json's map would order the consumers as strings ("10" before "2").
    let members: Vec<String> =
        by_member.iter().map(|(c, ps)| format!("\"{}\":{}", c.0, serde_json::json!(ps))).collect();
    let mut out = format!("\"assignment\":{{{}}}", members.join(","));
    if !unassigned.is_empty() {
        out += &format!(",\"unassigned\":{}", serde_json::json!(unassigned));
    }
    out
}

/// One line per key: the key, a tab, its partition or "random".
fn partition(
    client: CliClient,
    partitioner: Option<CliPartitioner>,
    partitions: u32,
    keys: &[String],
) -> Result<String, String> {
    if !(1..=100_000).contains(&partitions) {
        return Err(format!("--partitions must be between 1 and 100000 (got {partitions})"));
    }
    let profile = match (client, partitioner) {
        (CliClient::Java, Some(_)) => {
            return Err("--partitioner is librdkafka's setting: the Java client hashes keys with murmur2".into())
        }
        (CliClient::Java, None) => Profile { client: Client::Java, partitioner: RdPartitioner::ConsistentRandom },
        (CliClient::Librdkafka, p) => Profile {
            client: Client::Librdkafka,
            partitioner: match p {
                None | Some(CliPartitioner::ConsistentRandom) => RdPartitioner::ConsistentRandom,
                Some(CliPartitioner::Murmur2Random) => RdPartitioner::Murmur2Random,
            },
        },
    };
    Ok(keys
        .iter()
        .map(|k| match profile.key_partition(Some(k.as_bytes()), partitions) {
            Some(p) => format!("{k}\t{p}\n"),
            None => format!("{k}\trandom\n"),
        })
        .collect())
}
