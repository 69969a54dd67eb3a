//! Field-default validation, as Java's `Schema.isValidDefault` (Avro 1.12,
//! where `Schema.Parser` validates defaults unless told not to).
//!
//! Since AVRO-3649 (Avro 1.12.0) a union default may match *any* branch;
//! Avro 1.11 and older required the first branch. We follow 1.12, whose
//! specification was changed to match ("the first schema that matches").
//! Like Java, enum defaults are only checked to be strings and fixed/bytes
//! defaults are not length-checked.

use serde_json::Value;

use super::avro::{Kind, Node, NodeId, Schema, SchemaError, SchemaErrorKind as E, MAX_DEPTH};
use super::parser::{brief, PendingDefault};

/// Why a default could not be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unchecked {
    /// Recursed deeper than twice [`MAX_DEPTH`].
    TooDeep,
    /// An object value met a record still being defined around the field.
    /// Java's check calls `getFields()` on it and throws "Schema fields not
    /// set yet", so such schemas do not parse in Java; nor here.
    Enclosing(NodeId),
}

/// What the recursive walk needs besides the value.
struct Walk<'a> {
    schema: &'a Schema,
    enclosing: &'a [NodeId],
}

/// Whether `v` is a valid default for node `id` (Java's `isValidDefault`).
/// A record default can pull in its fields' own defaults, so depth is not
/// bounded by the JSON alone; hence the explicit bound.
fn valid(walk: &Walk<'_>, id: NodeId, v: &Value, depth: usize) -> Result<bool, Unchecked> {
    if depth > 2 * MAX_DEPTH {
        return Err(Unchecked::TooDeep);
    }
    let Some(node) = walk.schema.node(id) else {
        return Ok(false);
    };
    Ok(match node {
        Node::Primitive { kind, .. } => primitive_ok(*kind, v),
        Node::Enum { .. } | Node::Fixed { .. } => v.is_string(),
        Node::Array { items, .. } => match v {
            Value::Array(list) => all(list.iter(), |e| valid(walk, *items, e, depth + 1))?,
            _ => false,
        },
        Node::Map { values, .. } => match v {
            Value::Object(map) => all(map.values(), |e| valid(walk, *values, e, depth + 1))?,
            _ => false,
        },
        // Java's `anyMatch` stops at the first valid branch, in order.
        Node::Union { branches } => !all(branches.iter(), |b| Ok(!valid_value(walk, *b, Some(v), depth + 1)?))?,
        Node::Record { fields, .. } => match v {
            Value::Object(_) if walk.enclosing.contains(&id) => {
                return Err(Unchecked::Enclosing(id));
            }
            Value::Object(map) => all(fields.iter(), |f| {
                // Java: a field missing from the default object falls back
                // to that field's own default.
                let value = map.get(&f.name).or(f.default.as_ref());
                valid_value(walk, f.schema, value, depth + 1)
            })?,
            _ => false,
        },
    })
}

/// Java's `isValidValue`: a missing value is invalid; a union accepts a
/// value valid for any branch.
fn valid_value(walk: &Walk<'_>, id: NodeId, v: Option<&Value>, depth: usize) -> Result<bool, Unchecked> {
    let Some(v) = v else { return Ok(false) };
    if let Some(Node::Union { branches }) = walk.schema.node(id) {
        return Ok(!all(branches.iter(), |b| Ok(!valid(walk, *b, v, depth + 1)?))?);
    }
    valid(walk, id, v, depth)
}

fn all<T>(items: impl Iterator<Item = T>, mut ok: impl FnMut(T) -> Result<bool, Unchecked>) -> Result<bool, Unchecked> {
    for item in items {
        if !ok(item)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Jackson's node tests: `isIntegralNumber && canConvertToInt/Long` for
/// int/long (so `1.0` is not an int), `isNumber` for float/double.
fn primitive_ok(kind: Kind, v: &Value) -> bool {
    match kind {
        Kind::Null => v.is_null(),
        Kind::Boolean => v.is_boolean(),
        Kind::Int => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Kind::Long => v.as_i64().is_some(),
        Kind::Float | Kind::Double => v.is_number(),
        Kind::Bytes | Kind::String => v.is_string(),
        _ => false,
    }
}

/// `Double.parseDouble` for the spellings people use in schemas.
pub(super) fn java_double(text: &str) -> Option<f64> {
    let t = text.trim();
    match t {
        "NaN" => return Some(f64::NAN),
        "Infinity" | "+Infinity" => return Some(f64::INFINITY),
        "-Infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    // Rust also reads "inf"/"nan"; Java does not, so only digits, signs,
    // dots and exponents are let through to the number parser.
    let plain = t.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    if plain {
        t.parse().ok()
    } else {
        None
    }
}

pub(super) fn check_default(schema: &Schema, p: &PendingDefault) -> Result<(), SchemaError> {
    let field = match schema.node(p.record) {
        Some(Node::Record { fields, .. }) => fields.get(p.field),
        _ => None,
    };
    let Some(field) = field else { return Ok(()) };
    let Some(value) = &field.default else {
        return Ok(());
    };
    let kind = schema.kind(field.schema);
    if value.is_string() && matches!(kind, Kind::Float | Kind::Double) {
        return Ok(()); // a non-finite number, already read by `java_double`
    }
    let fail = |kind, message| Err(SchemaError { kind, context: p.context.clone(), message });
    let walk = Walk { schema, enclosing: &p.enclosing };
    match valid(&walk, field.schema, value, 0) {
        Ok(true) => Ok(()),
        Ok(false) => {
            let want = schema.fragment_json(field.schema);
            fail(E::InvalidDefault, format!("default {} does not match type {}", brief(value), want))
        }
        Err(Unchecked::Enclosing(id)) => {
            let name = schema.node(id).map_or_else(String::new, Node::java_full_name);
            let msg = format!("default {} needs the fields of record {name:?}, which encloses it", brief(value));
            fail(E::InvalidDefault, msg)
        }
        Err(Unchecked::TooDeep) => {
            fail(E::TooDeep, format!("default value nests deeper than {} levels", 2 * MAX_DEPTH))
        }
    }
}
