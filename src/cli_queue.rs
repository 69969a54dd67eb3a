//! `eda-lab amqp` and `eda-lab route`: the queue broker (`sim::broker::queue`) from the command
//! line. `amqp` runs a queue script (tests/rabbitmq/FORMAT.md) and prints what a client would
//! observe at each step; `route` shows which bindings of one exchange a routing key (or headers)
//! matches, RabbitMQ's way.

use crate::sim::broker::amqp::exchange::{Binding, Destination, ExchangeType};
use crate::sim::broker::amqp::headers::{parse_table, valid_x_match, FieldTable, FieldValue};
use crate::sim::broker::amqp::script::{Observation, Script, StepRef};
use crate::sim::broker::amqp::topic::words;
use clap::{Args, ValueEnum};

/// The arguments of `eda-lab amqp`.
#[derive(Args, Debug)]
pub struct AmqpArgs {
    /// A queue script (JSON; see tests/rabbitmq/FORMAT.md).
    script: String,
    /// Print the observations as one JSON array.
    #[arg(long)]
    json: bool,
}

/// Runs a queue script: its observations, as text or JSON.
pub fn amqp(args: &AmqpArgs) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.script).map_err(|e| format!("{}: {e}", args.script))?;
    let script = Script::from_json(&text).map_err(|e| format!("{}: {e}", args.script))?;
    let out = script.run().map_err(|e| format!("{}: {e}", args.script))?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&out).expect("observations serialize") + "\n");
    }
    Ok(out.iter().map(describe).collect::<Vec<_>>().join("\n") + "\n")
}

fn describe(o: &Observation) -> String {
    let step = |s: &StepRef| match s {
        StepRef::Index(i) => i.to_string(),
        StepRef::End(e) => e.to_string(),
    };
    match o {
        Observation::Publish { step: s, id, returned, confirm } => {
            format!(
                "[{}] publish {id}: confirm {confirm}{}",
                step(s),
                if *returned { ", returned (unroutable)" } else { "" }
            )
        }
        Observation::Get { step: s, queue, id: None, .. } => format!("[{}] get {queue}: empty", step(s)),
        Observation::Get { step: s, queue, id: Some(id), redelivered, x_death } => {
            let deaths: Vec<String> =
                x_death.iter().map(|d| format!("{} {} x{}", d.queue, d.reason.slug(), d.count)).collect();
            format!(
                "[{}] get {queue}: {id}{}{}",
                step(s),
                if *redelivered { " (redelivered)" } else { "" },
                if deaths.is_empty() { String::new() } else { format!(", x-death: {}", deaths.join(", ")) }
            )
        }
        Observation::Settle { step: s, id } => format!("[{}] settle {id}", step(s)),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum CliExchange {
    Direct,
    Topic,
    Fanout,
    Headers,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum CliXMatch {
    All,
    Any,
    #[value(name = "all-with-x")]
    AllWithX,
    #[value(name = "any-with-x")]
    AnyWithX,
}

/// The arguments of `eda-lab route`.
#[derive(Args, Debug)]
pub struct RouteArgs {
    /// The exchange's type.
    #[arg(long = "type", value_enum)]
    kind: CliExchange,
    /// A binding: its key (direct: the exact key; topic: a pattern, `*` one word, `#` zero or
    /// more); headers: its arguments as `name=value,...` (a value is JSON when it reads as JSON:
    /// 1, 1.5, true; otherwise text; a bare `name` matches the header's presence). Repeat for
    /// several bindings, numbered from 1.
    #[arg(long = "binding", required = true)]
    bindings: Vec<String>,
    /// Headers exchange: how the arguments must match (RabbitMQ's x-match).
    #[arg(long, value_enum, default_value = "all")]
    x_match: CliXMatch,
    /// Headers exchange: the message's headers as `name=value,...`.
    #[arg(long, default_value = "")]
    headers: String,
    /// Print one JSON object per key, in an array.
    #[arg(long)]
    json: bool,
    /// The routing keys to try (headers exchange: any key, it is not looked at).
    #[arg(required = true)]
    keys: Vec<String>,
}

/// Which bindings each key matches.
pub fn route(args: &RouteArgs) -> Result<String, String> {
    let kind = match args.kind {
        CliExchange::Direct => ExchangeType::Direct,
        CliExchange::Topic => ExchangeType::Topic,
        CliExchange::Fanout => ExchangeType::Fanout,
        CliExchange::Headers => ExchangeType::Headers,
    };
    let x_match = match args.x_match {
        CliXMatch::All => "all",
        CliXMatch::Any => "any",
        CliXMatch::AllWithX => "all-with-x",
        CliXMatch::AnyWithX => "any-with-x",
    };
    let bindings: Vec<Binding> = args
        .bindings
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (key, arguments) = match kind {
                ExchangeType::Headers => {
                    let mut args = parse_table(b);
                    args.insert("x-match".into(), FieldValue::Str(x_match.into()));
                    valid_x_match(&args)?;
                    (String::new(), args)
                }
                _ => (b.clone(), FieldTable::new()),
            };
            Ok(Binding { destination: Destination::Queue(i), key, arguments })
        })
        .collect::<Result<_, String>>()?;
    let headers = parse_table(&args.headers);
    let rows: Vec<(String, Vec<usize>)> = args
        .keys
        .iter()
        .map(|key| {
            let w = words(key);
            let hits =
                bindings.iter().enumerate().filter(|(_, b)| b.matches(kind, key, &w, &headers)).map(|(i, _)| i + 1);
            (key.clone(), hits.collect())
        })
        .collect();
    if args.json {
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(key, hits)| serde_json::json!({"key": key, "match": !hits.is_empty(), "bindings": hits}))
            .collect();
        return Ok(serde_json::to_string(&json).expect("json") + "\n");
    }
    let width = rows.iter().map(|(k, _)| k.len() + 2).max().unwrap_or(0);
    let lines: Vec<String> = rows
        .iter()
        .map(|(key, hits)| {
            let quoted = format!("\"{key}\"");
            let verdict = match (hits.is_empty(), bindings.len()) {
                (true, _) => "no match".to_string(),
                (false, 1) => "match".to_string(),
                (false, _) => {
                    let which: Vec<String> = hits.iter().map(|&i| format!("{i} ({})", args.bindings[i - 1])).collect();
                    format!("match: {}", which.join(", "))
                }
            };
            format!("{quoted:<width$}  {verdict}")
        })
        .collect();
    Ok(lines.join("\n") + "\n")
}
