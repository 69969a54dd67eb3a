//! `eda-lab schema`: Avro schema compatibility from the command line.
//!
//! `schema compatible --reader R.avsc --writer W.avsc` says whether data written with W can be
//! read with R, as Apache Avro's Java `SchemaCompatibility` decides (schema resolution in the Avro
//! specification): `compatible`, or `incompatible` and one reason per line. `schema check --mode
//! MODE OLD.avsc... NEW.avsc` checks a new version against a subject's history as Confluent
//! Schema Registry does under that compatibility mode. Exit 0 when compatible, 1 when not, 2 for
//! a malformed schema, an unreadable file or a bad argument.

use crate::sim::patterns::schema::registry::{verdict, Mode};
use crate::sim::patterns::schema::{check, parse, Compatibility, Schema};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::fmt::Write;

/// The arguments of `eda-lab schema`.
#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[command(subcommand)]
    command: SchemaCommand,
}

#[derive(Subcommand, Debug)]
enum SchemaCommand {
    /// Whether data written with --writer can be read with --reader (Avro schema resolution):
    /// prints compatible, or incompatible and the reasons. Exit 0 compatible, 1 incompatible,
    /// 2 malformed schema.
    Compatible {
        /// The reader's schema (.avsc file).
        #[arg(long, required_unless_present = "jsonl")]
        reader: Option<String>,
        /// The writer's schema (.avsc file).
        #[arg(long, required_unless_present = "jsonl")]
        writer: Option<String>,
        /// Instead: one `{"reader": "<schema>", "writer": "<schema>"}` per line of this file (`-`:
        /// standard input), one JSON answer per line (tests/schema/avro_diff.py drives this).
        #[arg(long, conflicts_with_all = ["reader", "writer"])]
        jsonl: Option<String>,
    },
    /// Check a new schema against a subject's earlier versions under a Confluent Schema Registry
    /// compatibility mode: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE. Exit 0 when it may be registered, 1 when refused, 2 for a
    /// malformed schema.
    Check {
        /// The subject's compatibility mode.
        #[arg(long)]
        mode: String,
        /// The earlier versions, oldest first, then the new schema (.avsc files).
        #[arg(required = true, num_args = 1..)]
        schemas: Vec<String>,
    },
}

/// Runs `eda-lab schema`, printing its answer; the exit code.
pub fn main(args: &SchemaArgs) -> i32 {
    let result = match &args.command {
        SchemaCommand::Compatible { jsonl: Some(path), .. } => jsonl(path),
        SchemaCommand::Compatible { reader, writer, .. } => {
            compatible(reader.as_deref().unwrap_or_default(), writer.as_deref().unwrap_or_default())
        }
        SchemaCommand::Check { mode, schemas } => check_history(mode, schemas),
    };
    match result {
        Ok((text, code)) => {
            print!("{text}");
            code
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        return std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("{path}: not UTF-8 text ({e})"))
}

fn load(path: &str) -> Result<Schema, String> {
    parse(&read(path)?).map_err(|e| format!("{path}: {e}"))
}

fn compatible(reader: &str, writer: &str) -> Result<(String, i32), String> {
    let (reader, writer) = (load(reader)?, load(writer)?);
    let result = check(&reader, &writer);
    let mut out = String::from(if result.compatible { "compatible\n" } else { "incompatible\n" });
    for reason in &result.incompatibilities {
        let _ = writeln!(out, "  {reason}");
    }
    Ok((out, if result.compatible { 0 } else { 1 }))
}

fn check_history(mode: &str, paths: &[String]) -> Result<(String, i32), String> {
    let mode: Mode = mode.parse().map_err(|e| format!("--mode: {e}"))?;
    let schemas = paths.iter().map(|p| load(p)).collect::<Result<Vec<_>, _>>()?;
    let Some((new, history)) = schemas.split_last() else { return Err("give the new schema".into()) };
    let v = verdict(mode, history, new);
    let mut out = String::from(if v.allowed { "compatible\n" } else { "incompatible\n" });
    for (index, direction, result) in v.checks.iter().filter(|(_, _, c)| !c.compatible) {
        let version = &paths[*index];
        let (reader, writer) = match direction.to_string().as_str() {
            "BACKWARD" => ("the new schema", version.as_str()),
            _ => (version.as_str(), "the new schema"),
        };
        let _ = writeln!(out, "  {direction} against version {} ({reader} reads data {writer} wrote):", index + 1);
        for reason in &result.incompatibilities {
            let _ = writeln!(out, "    {reason}");
        }
    }
    Ok((out, if v.allowed { 0 } else { 1 }))
}

fn jsonl(path: &str) -> Result<(String, i32), String> {
    let text = read(path)?;
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "{}", answer(line));
    }
    Ok((out, 0))
}

fn answer(line: &str) -> Value {
    let pair: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({ "error": format!("bad line: {e}") }),
    };
    let side = |key: &str| match pair.get(key).and_then(Value::as_str) {
        Some(text) => parse(text).map_err(|e| format!("{key}: {e}")),
        None => Err(format!("{key}: missing schema text")),
    };
    match (side("reader"), side("writer")) {
        (Ok(r), Ok(w)) => render(&check(&r, &w)),
        (Err(e), _) | (_, Err(e)) => json!({ "error": e }),
    }
}

fn render(result: &Compatibility) -> Value {
    let list: Vec<Value> = result
        .incompatibilities
        .iter()
        .map(|i| json!({ "kind": i.kind.as_str(), "location": i.location, "message": i.message }))
        .collect();
    json!({ "compatible": result.compatible, "incompatibilities": list })
}
