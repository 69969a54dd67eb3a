//! A sample event for a schema: one datum of its type, the same for the same schema, to show it
//! encoded as Avro, Protobuf and JSON side by side (`patterns/encoding.rs`). A field with a
//! default takes its default; others a plain value of their type. Protobuf field numbers follow
//! the Avro field order (1, 2, ...), as a schema translated field by field would number them.

use super::avro::{Field, Kind, Node, NodeId, Schema};
use crate::sim::patterns::encoding::{Field as EncodedField, Value};

/// How deep a sample goes: a recursive record stops at a null branch or gives up.
const MAX_DEPTH: u32 = 8;

/// A sample datum of `schema`, or `None` when it has a type the encodings here cannot show
/// (`fixed`) or a recursion with no way out.
pub fn sample(schema: &Schema) -> Option<Value> {
    datum(schema, schema.root(), "", None, 0)
}

fn datum(schema: &Schema, id: NodeId, name: &str, default: Option<&serde_json::Value>, depth: u32) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let node = schema.node(id)?;
    Some(match node {
        Node::Primitive { kind, .. } => primitive(*kind, name, default)?,
        Node::Record { named, fields, .. } => record(schema, &named.name.name, fields, depth)?,
        Node::Enum { symbols, .. } => {
            let wanted = default.and_then(serde_json::Value::as_str);
            let index = wanted.and_then(|w| symbols.iter().position(|s| s == w)).unwrap_or(0);
            Value::Enum { index: index as u32, symbol: symbols.get(index)?.clone() }
        }
        Node::Array { items, .. } => Value::Array(vec![datum(schema, *items, name, None, depth + 1)?]),
        Node::Map { values, .. } => Value::Map(vec![("key".into(), datum(schema, *values, name, None, depth + 1)?)]),
        Node::Union { branches } => {
            // A default is of the first branch; otherwise the first branch that is not null.
            let pick = if default.is_some() {
                0
            } else {
                branches.iter().position(|&b| schema.kind(b) != Kind::Null).unwrap_or(0)
            };
            let branch = *branches.get(pick)?;
            let value = datum(schema, branch, name, default, depth + 1)?;
            Value::Union { branch: pick as u32, value: Box::new(value) }
        }
        Node::Fixed { .. } => return None,
    })
}

fn record(schema: &Schema, name: &str, fields: &[Field], depth: u32) -> Option<Value> {
    let mut out = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let value = datum(schema, f.schema, &f.name, f.default.as_ref(), depth + 1)?;
        out.push(EncodedField { name: f.name.clone(), number: i as u32 + 1, value });
    }
    Some(Value::Record { name: name.to_string(), fields: out })
}

/// A primitive's sample: its default when it has one, else a value its field name suggests.
fn primitive(kind: Kind, name: &str, default: Option<&serde_json::Value>) -> Option<Value> {
    let d = default;
    Some(match kind {
        Kind::Null => Value::Null,
        Kind::Boolean => Value::Boolean(d.and_then(serde_json::Value::as_bool).unwrap_or(true)),
        Kind::Int => Value::Int(d.and_then(serde_json::Value::as_i64).map_or(12_500, |v| v as i32)),
        Kind::Long => Value::Long(d.and_then(serde_json::Value::as_i64).unwrap_or(1_250_000)),
        Kind::Float => Value::Float(d.and_then(serde_json::Value::as_f64).unwrap_or(125.0) as f32),
        Kind::Double => Value::Double(d.and_then(serde_json::Value::as_f64).unwrap_or(125.0)),
        Kind::Bytes => Value::Bytes(d.and_then(serde_json::Value::as_str).map_or(vec![0xCA, 0xFE], latin1)),
        Kind::String => {
            Value::Str(d.and_then(serde_json::Value::as_str).map_or_else(|| text_for(name), str::to_string))
        }
        _ => return None,
    })
}

fn text_for(name: &str) -> String {
    match name {
        "order_id" | "id" => "ord-1042".into(),
        "customer" | "customer_id" | "account_id" => "C-42".into(),
        "currency" => "EUR".into(),
        _ => format!("{name}-1"),
    }
}

/// An Avro `bytes` default: a JSON string whose code points 0-255 are the bytes.
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
}
