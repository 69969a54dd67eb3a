//! One event, three wire formats: Avro binary (optionally in Confluent's
//! Schema Registry framing), Protobuf (proto3) and plain JSON, byte for byte
//! as the real encoders write them.
//!
//! The value model carries just enough type information for all three:
//! Avro needs the order of record fields, enum indices and union branches;
//! Protobuf needs field numbers; JSON needs field names and enum symbols.
//!
//! # Avro (specification 1.11, unchanged in 1.12)
//! `int`/`long` are zig-zag varints, `float`/`double` little-endian IEEE 754,
//! `bytes`/`string` a `long` length then the bytes, `enum` its index as an
//! `int`, arrays and maps one block (positive item count, the items, then a
//! `0` terminator, or just `0` when empty), unions the branch index as a
//! `long` then the value, records their fields in order with no framing,
//! `null` nothing, `boolean` one byte. [`Field::number`] is ignored.
//!
//! # Protobuf (proto3)
//! A [`Value::Record`] is a message. Each field is written under its
//! [`Field::number`], in ascending number order as real encoders do:
//! `Int` as `int32` and `Long` as `int64` (plain varints, no zig-zag, so a
//! negative `int32` is sign-extended to 10 bytes), `Boolean` and `Enum` (its
//! index is its number) as varints, `Double` as fixed64 (wire type 1),
//! `Float` as fixed32 (wire type 5), `Str`, `Bytes` and nested records as
//! length-delimited (wire type 2). Fields have implicit presence: zero,
//! `false`, `""`, empty bytes, enum index 0 and empty repeated fields are not
//! written (`-0.0` is, its bit pattern not being zero), but a nested record
//! always is (message fields have explicit presence). A [`Value::Union`] is a
//! `oneof` (or proto3 `optional`) member: written with the field's number
//! even when it holds a default value; a `null` branch writes nothing.
//! Arrays are `repeated` fields: numeric, boolean and enum elements packed
//! into one length-delimited record (the proto3 default), other elements one
//! record each. Maps are `map<string, V>`, i.e. repeated entry messages with
//! the key as field 1 and the value as field 2; both are always written, and
//! entries come sorted by key (bytewise) with the last duplicate winning, as
//! deterministic serialization does in C++, Go and pure-Python protobuf (upb,
//! Python's default backend, puts `"ab"` before `"a"` and `""` last; plain
//! serialization leaves the order unspecified). A top-level value that is not
//! a record is written as field 1 of a wrapper message, like the
//! `google.protobuf.*Value` wrappers. `Null` fields are omitted. Shapes that
//! proto3 cannot express (arrays of arrays or maps) are written flattened.
//!
//! # JSON
//! What an ordinary producer writes: Python's
//! `json.dumps(event, separators=(",", ":"), ensure_ascii=False)`. Records and
//! maps are objects (in the given order), enums their symbol, unions their
//! plain value (not Avro's JSON encoding with type wrappers), bytes a
//! standard padded base64 string (the proto3 JSON mapping's choice; JSON has
//! no bytes). Numbers are printed like Python's `repr`: the shortest digits
//! that round-trip (for `Float`, shortest as an `f32`; exact ties rounded
//! half to even), `1.0` rather than
//! `1`, exponent form (`1e+16`, `1e-05`) outside `1e-4 <= |x| < 1e16`, and
//! `NaN`, `Infinity`, `-Infinity` as `json.dumps` writes them (not strict
//! JSON; JavaScript's `JSON.stringify` writes `null`). Strings escape `"`,
//! `\`, and control characters (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`),
//! and keep all other characters as UTF-8.
//!
//! No encoder panics. Like `Value`'s own `Drop`, they recurse once per
//! nesting level, so only absurdly deep values could exhaust the stack.

use std::collections::BTreeMap;
use std::fmt::{LowerExp, Write as _};
use std::str::FromStr;

/// A value of an event, typed enough for Avro, Protobuf and JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Avro `null`; omitted in Protobuf; JSON `null`.
    Null,
    /// Avro `boolean`; Protobuf `bool`.
    Boolean(bool),
    /// Avro `int`; Protobuf `int32`.
    Int(i32),
    /// Avro `long`; Protobuf `int64`.
    Long(i64),
    /// Avro `float`; Protobuf `float`.
    Float(f32),
    /// Avro `double`; Protobuf `double`.
    Double(f64),
    /// Avro `bytes`; Protobuf `bytes`; JSON base64 string.
    Bytes(Vec<u8>),
    /// Avro `string`; Protobuf `string`.
    Str(String),
    /// Avro `enum` (index in the symbol list); Protobuf enum (index = number).
    Enum { index: u32, symbol: String },
    /// Avro `array`; Protobuf `repeated`.
    Array(Vec<Value>),
    /// Avro `map`; Protobuf `map<string, V>`. Keys should be unique.
    Map(Vec<(String, Value)>),
    /// Avro union (branch index in the union's schema); Protobuf `oneof`.
    Union { branch: u32, value: Box<Value> },
    /// Avro `record`; Protobuf message.
    Record { name: String, fields: Vec<Field> },
}

/// A record field: its name (Avro, JSON), its Protobuf field number, its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub number: u32,
    pub value: Value,
}

impl Field {
    pub fn new(name: impl Into<String>, number: u32, value: Value) -> Self {
        Field { name: name.into(), number, value }
    }
}

impl Value {
    /// A `string` value.
    pub fn string(s: impl Into<String>) -> Self {
        Value::Str(s.into())
    }

    /// An enum value: its index in the symbol list and its symbol.
    pub fn enumeration(index: u32, symbol: impl Into<String>) -> Self {
        Value::Enum { index, symbol: symbol.into() }
    }

    /// The value of union branch `branch`.
    pub fn union(branch: u32, value: Value) -> Self {
        Value::Union { branch, value: Box::new(value) }
    }

    /// A record with the given fields, in schema order.
    pub fn record(name: impl Into<String>, fields: Vec<Field>) -> Self {
        Value::Record { name: name.into(), fields }
    }
}

/// One format's encoding of a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// `"avro"`, `"avro+confluent"`, `"protobuf"` or `"json"`.
    pub format: &'static str,
    /// The bytes on the wire.
    pub bytes: Vec<u8>,
    /// For display: [`hex`] of the bytes, or the JSON text itself.
    pub text: String,
}

impl Encoded {
    /// Size on the wire in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }
}

/// Schema id [`compare`] puts in the Confluent framing.
pub const DEFAULT_SCHEMA_ID: u32 = 1;

/// Avro, Avro in Confluent framing (schema id [`DEFAULT_SCHEMA_ID`]),
/// Protobuf and JSON encodings of `value`, in that order.
pub fn compare(value: &Value) -> Vec<Encoded> {
    compare_with_schema_id(value, DEFAULT_SCHEMA_ID)
}

/// [`compare`] with the given schema id in the Confluent framing.
pub fn compare_with_schema_id(value: &Value, schema_id: u32) -> Vec<Encoded> {
    let avro = avro_binary(value);
    let framed = confluent_framed(schema_id, &avro);
    let proto = protobuf(value);
    let text = json(value);
    let binary = |format, bytes: Vec<u8>| Encoded { format, text: hex(&bytes), bytes };
    vec![
        binary("avro", avro),
        binary("avro+confluent", framed),
        binary("protobuf", proto),
        Encoded { format: "json", bytes: text.clone().into_bytes(), text },
    ]
}

/// Lower-case hex, one byte per pair, separated by spaces: `"0a 03 41"`.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(3));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

// ---------------------------------------------------------------- varints

fn varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let low = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn len_i64(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

// ------------------------------------------------------------------- Avro

/// The Avro binary encoding of `value` (no container, no framing).
pub fn avro_binary(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    avro_write(value, &mut out);
    out
}

/// Confluent Schema Registry wire format: magic byte `0`, the schema id as
/// 4 bytes big-endian, then the Avro binary body. (Confluent's Protobuf
/// serializer also writes message indexes after the id; not modelled here.)
pub fn confluent_framed(schema_id: u32, avro: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + avro.len());
    out.push(0);
    out.extend_from_slice(&schema_id.to_be_bytes());
    out.extend_from_slice(avro);
    out
}

fn avro_long(n: i64, out: &mut Vec<u8>) {
    varint(zigzag(n), out);
}

fn avro_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    avro_long(len_i64(bytes.len()), out);
    out.extend_from_slice(bytes);
}

fn avro_write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => {}
        Value::Boolean(b) => out.push(u8::from(*b)),
        Value::Int(n) => avro_long(i64::from(*n), out),
        Value::Long(n) => avro_long(*n, out),
        Value::Float(x) => out.extend_from_slice(&x.to_le_bytes()),
        Value::Double(x) => out.extend_from_slice(&x.to_le_bytes()),
        Value::Bytes(b) => avro_bytes(b, out),
        Value::Str(s) => avro_bytes(s.as_bytes(), out),
        Value::Enum { index, .. } => avro_long(i64::from(*index), out),
        Value::Array(items) => {
            avro_long(len_i64(items.len()), out);
            for item in items {
                avro_write(item, out);
            }
            if !items.is_empty() {
                out.push(0);
            }
        }
        Value::Map(entries) => {
            avro_long(len_i64(entries.len()), out);
            for (key, item) in entries {
                avro_bytes(key.as_bytes(), out);
                avro_write(item, out);
            }
            if !entries.is_empty() {
                out.push(0);
            }
        }
        Value::Union { branch, value } => {
            avro_long(i64::from(*branch), out);
            avro_write(value, out);
        }
        Value::Record { fields, .. } => {
            for field in fields {
                avro_write(&field.value, out);
            }
        }
    }
}

// --------------------------------------------------------------- Protobuf

const WIRE_VARINT: u8 = 0;
const WIRE_I64: u8 = 1;
const WIRE_LEN: u8 = 2;
const WIRE_I32: u8 = 5;

/// Whether a default value is written: not for proto3 singular scalars
/// (implicit), always for `oneof` members, repeated elements, map entries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Implicit,
    Explicit,
}

/// The proto3 encoding of `value` (a record as a message; anything else as
/// field 1 of a wrapper message).
pub fn protobuf(value: &Value) -> Vec<u8> {
    match value {
        Value::Record { fields, .. } => pb_message(fields),
        other => {
            let mut out = Vec::new();
            pb_field(1, other, Presence::Implicit, &mut out);
            out
        }
    }
}

fn pb_message(fields: &[Field]) -> Vec<u8> {
    let mut ordered: Vec<&Field> = fields.iter().collect();
    ordered.sort_by_key(|field| field.number);
    let mut out = Vec::new();
    for field in ordered {
        pb_field(field.number, &field.value, Presence::Implicit, &mut out);
    }
    out
}

fn pb_tag(number: u32, wire: u8, out: &mut Vec<u8>) {
    varint((u64::from(number) << 3) | u64::from(wire), out);
}

fn pb_len(number: u32, payload: &[u8], out: &mut Vec<u8>) {
    pb_tag(number, WIRE_LEN, out);
    varint(u64::try_from(payload.len()).unwrap_or(u64::MAX), out);
    out.extend_from_slice(payload);
}

/// Writes the raw payload of a numeric, boolean or enum value (no tag) and
/// returns its wire type; `None` (writing nothing) for other values.
fn pb_scalar(value: &Value, out: &mut Vec<u8>) -> Option<u8> {
    match value {
        Value::Boolean(b) => varint(u64::from(*b), out),
        Value::Int(n) => varint(i64::from(*n) as u64, out),
        Value::Long(n) => varint(*n as u64, out),
        Value::Enum { index, .. } => varint(u64::from(*index), out),
        Value::Float(x) => {
            out.extend_from_slice(&x.to_le_bytes());
            return Some(WIRE_I32);
        }
        Value::Double(x) => {
            out.extend_from_slice(&x.to_le_bytes());
            return Some(WIRE_I64);
        }
        _ => return None,
    }
    Some(WIRE_VARINT)
}

fn pb_field(number: u32, value: &Value, presence: Presence, out: &mut Vec<u8>) {
    let explicit = presence == Presence::Explicit;
    match value {
        Value::Null => {}
        Value::Union { value, .. } => pb_field(number, value, Presence::Explicit, out),
        Value::Record { fields, .. } => pb_len(number, &pb_message(fields), out),
        Value::Array(items) => pb_repeated(number, items, out),
        Value::Map(entries) => pb_map(number, entries, out),
        Value::Bytes(bytes) if explicit || !bytes.is_empty() => pb_len(number, bytes, out),
        Value::Str(s) if explicit || !s.is_empty() => pb_len(number, s.as_bytes(), out),
        Value::Bytes(_) | Value::Str(_) => {}
        scalar => {
            let mut raw = Vec::new();
            if let Some(wire) = pb_scalar(scalar, &mut raw) {
                // A default scalar's payload is all zero bits (so -0.0 is
                // not a default: proto3 compares bit patterns).
                if explicit || raw.iter().any(|b| *b != 0) {
                    pb_tag(number, wire, out);
                    out.extend_from_slice(&raw);
                }
            }
        }
    }
}

fn pb_repeated(number: u32, items: &[Value], out: &mut Vec<u8>) {
    if items.is_empty() {
        return;
    }
    let mut packed = Vec::new();
    if items.iter().all(|item| pb_scalar(item, &mut packed).is_some()) {
        pb_len(number, &packed, out);
    } else {
        for item in items {
            pb_field(number, item, Presence::Explicit, out);
        }
    }
}

fn pb_map(number: u32, entries: &[(String, Value)], out: &mut Vec<u8>) {
    let mut sorted: BTreeMap<&str, &Value> = BTreeMap::new();
    for (key, value) in entries {
        sorted.insert(key, value);
    }
    for (key, value) in sorted {
        let mut entry = Vec::new();
        pb_len(1, key.as_bytes(), &mut entry);
        pb_field(2, value, Presence::Explicit, &mut entry);
        pb_len(number, &entry, out);
    }
}

// ------------------------------------------------------------------- JSON

/// Compact JSON as `json.dumps(v, separators=(",", ":"), ensure_ascii=False)`
/// writes it (see the module documentation for the mapping).
pub fn json(value: &Value) -> String {
    let mut out = String::new();
    json_write(value, &mut out);
    out
}

fn json_write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Long(n) => out.push_str(&n.to_string()),
        Value::Float(x) => json_float(*x, x.is_finite(), out),
        Value::Double(x) => json_float(*x, x.is_finite(), out),
        Value::Bytes(bytes) => {
            out.push('"');
            base64(bytes, out);
            out.push('"');
        }
        Value::Str(s) => json_string(s, out),
        Value::Enum { symbol, .. } => json_string(symbol, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_write(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            json_object(entries.iter().map(|(k, v)| (k.as_str(), v)), out);
        }
        Value::Union { value, .. } => json_write(value, out),
        Value::Record { fields, .. } => {
            json_object(fields.iter().map(|f| (f.name.as_str(), &f.value)), out);
        }
    }
}

fn json_object<'a>(members: impl Iterator<Item = (&'a str, &'a Value)>, out: &mut String) {
    out.push('{');
    for (i, (key, value)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(key, out);
        out.push(':');
        json_write(value, out);
    }
    out.push('}');
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `x` like Python's `repr` (and `json.dumps`). Rust's `{:e}` and
/// Python both pick the shortest digits that read back as `x`, the closest
/// if several do; on an exact tie Rust rounds half up, Python half to even,
/// as `{:.N$e}` (correctly rounded) does: that form is used when it reads
/// back. Non-finite values are written as `json.dumps` writes them.
fn json_float<T>(x: T, finite: bool, out: &mut String)
where
    T: Copy + PartialEq + LowerExp + FromStr,
{
    let shortest = format!("{x:e}");
    if !finite {
        out.push_str(match shortest.as_str() {
            "inf" => "Infinity",
            "-inf" => "-Infinity",
            _ => "NaN",
        });
        return;
    }
    let (mantissa, exponent) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let count = mantissa.chars().filter(char::is_ascii_digit).count();
    let exact = format!("{:.*e}", count.saturating_sub(1), x);
    let sci = if exact.parse::<T>().ok() == Some(x) {
        exact.split_once('e').map_or((mantissa, exponent), |(m, e)| (m, e))
    } else {
        (mantissa, exponent)
    };
    python_repr(sci.0, sci.1.parse().unwrap_or(0), out);
}

/// Python's `repr` layout of `mantissa` x 10^`exponent` (`mantissa` as in
/// `-1.25`): positional when 1e-4 <= |x| < 1e16, else `1.25e-07` style.
fn python_repr(mantissa: &str, exponent: i64, out: &mut String) {
    let unsigned = match mantissa.strip_prefix('-') {
        Some(rest) => {
            out.push('-');
            rest
        }
        None => mantissa,
    };
    let digits: String = unsigned.chars().filter(|c| *c != '.').collect();
    let digits = match digits.trim_end_matches('0') {
        "" => "0",
        trimmed => trimmed,
    };
    let ndigits = len_i64(digits.len());
    // The decimal point sits `point` digits from the left of `digits`.
    let point = exponent + 1;
    if !(-4 < point && point <= 16) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    } else if point <= 0 {
        out.push_str("0.");
        push_zeros(-point, out);
        out.push_str(digits);
    } else if point >= ndigits {
        out.push_str(digits);
        push_zeros(point - ndigits, out);
        out.push_str(".0");
    } else {
        let (int, frac) = digits.split_at(usize::try_from(point).unwrap_or(0));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
}

fn push_zeros(count: i64, out: &mut String) {
    for _ in 0..count {
        out.push('0');
    }
}

fn base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}
