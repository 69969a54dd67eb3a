//! The events that tests/encoding/check.py encodes with the real libraries, mirrored
//! as `Value`s (same order, same field numbers). Shared by
//! `examples/encoding_dump.rs` (which check.py diffs) and verified.rs.
#![allow(dead_code)]

use eda_lab::sim::patterns::encoding::{Field, Value};

fn f(name: &str, number: u32, value: Value) -> Field {
    Field::new(name, number, value)
}

fn s(text: &str) -> Value {
    Value::string(text)
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn deposited_with(currency: Value, note: Value) -> Value {
    Value::record(
        "Deposited",
        vec![
            f("account_id", 1, s("AC-42")),
            f("amount_cents", 2, Value::Long(12500)),
            f("currency", 3, currency),
            f("at_ms", 4, Value::Long(1_700_000_000_000)),
            f("note", 5, note),
        ],
    )
}

/// The bank event: currency EUR (index 0), no note.
pub fn deposited() -> Value {
    deposited_with(Value::enumeration(0, "EUR"), Value::union(0, Value::Null))
}

pub fn deposited_note() -> Value {
    deposited_with(Value::enumeration(1, "USD"), Value::union(1, s("salary")))
}

pub fn doc_150() -> Value {
    Value::record("Test1", vec![f("a", 1, Value::Int(150))])
}

pub fn doc_testing() -> Value {
    Value::record("Test2", vec![f("b", 2, s("testing"))])
}

pub fn negatives() -> Value {
    Value::record(
        "Negatives",
        vec![
            f("i", 1, Value::Int(-1)),
            f("l", 2, Value::Long(-1)),
            f("imin", 3, Value::Int(i32::MIN)),
            f("lmin", 4, Value::Long(i64::MIN)),
            f("i150", 5, Value::Int(-150)),
        ],
    )
}

pub fn big() -> Value {
    Value::record(
        "Big",
        vec![
            f("lmax", 1, Value::Long(i64::MAX)),
            f("l53", 2, Value::Long((1 << 53) + 1)),
            f("imax", 3, Value::Int(i32::MAX)),
            f("l62", 4, Value::Long(1 << 62)),
            f("last_number", 536_870_911, Value::Long(1)),
        ],
    )
}

pub fn defaults() -> Value {
    Value::record(
        "Defaults",
        vec![
            f("s", 1, s("")),
            f("b", 2, Value::Bytes(vec![])),
            f("i", 3, Value::Int(0)),
            f("l", 4, Value::Long(0)),
            f("t", 5, Value::Boolean(false)),
            f("e", 6, Value::enumeration(0, "LOW")),
            f("d", 7, Value::Double(0.0)),
            f("f", 8, Value::Float(0.0)),
            f("nd", 9, Value::Double(-0.0)),
            f("xs", 10, Value::Array(vec![])),
            f("m", 11, Value::Map(vec![])),
            f("os", 12, Value::union(1, s(""))),
            f("ol", 13, Value::union(1, Value::Long(0))),
            f("on", 14, Value::union(0, Value::Null)),
            f("sub", 15, Value::record("Empty", vec![f("x", 1, Value::Int(0))])),
        ],
    )
}

pub fn collections() -> Value {
    let tier = |i, sym| Value::enumeration(i, sym);
    Value::record(
        "Collections",
        vec![
            f("longs", 1, Value::Array(vec![Value::Long(1), Value::Long(-2), Value::Long(300)])),
            f("strs", 2, Value::Array(vec![s("a"), s(""), s("ü")])),
            f("flags", 3, Value::Array(vec![Value::Boolean(true), Value::Boolean(false), Value::Boolean(true)])),
            f("floats", 4, Value::Array(vec![Value::Float(1.5), Value::Float(-0.25)])),
            f("doubles", 5, Value::Array(vec![Value::Double(0.1), Value::Double(-2.5)])),
            f("tiers", 6, Value::Array(vec![tier(1, "PRO"), tier(0, "FREE"), tier(2, "MAX")])),
            f("counts", 7, map(vec![("b", Value::Long(2)), ("a", Value::Long(0)), ("", Value::Long(7))])),
            f("labels", 8, map(vec![("z", s("last")), ("é", s("accent")), ("a", s(""))])),
            f("ints", 9, Value::Array(vec![Value::Int(-1), Value::Int(0), Value::Int(i32::MAX)])),
        ],
    )
}

pub fn nested() -> Value {
    let line = |sku, qty| Value::record("Line", vec![f("sku", 1, s(sku)), f("qty", 2, Value::Int(qty))]);
    let stock = |n| Value::record("Stock", vec![f("on_hand", 1, Value::Long(n))]);
    Value::record(
        "Order",
        vec![
            f("id", 1, s("o-1")),
            f("customer", 2, Value::record("Customer", vec![f("name", 1, s("Ada")), f("tier", 2, Value::Int(3))])),
            f("blank", 3, Value::record("Blank", vec![f("n", 1, Value::Long(0))])),
            f("lines", 4, Value::Array(vec![line("A", 2), line("", 0)])),
            f("by_sku", 5, map(vec![("B", stock(5)), ("A", stock(0))])),
            f("shipping", 6, Value::union(1, Value::record("Address", vec![f("city", 1, s("Zürich"))]))),
        ],
    )
}

pub fn floats() -> Value {
    let fl = [0.1f32, -3.25, 1e-7, 3.402_823_5e38];
    let db = [0.1, 1e16, 1e-5, 123.456, 5e-324, f64::MAX, 100.0, 0.0001, 1_234_567_890_123_456.0];
    let mut fields = Vec::new();
    for (i, x) in fl.iter().enumerate() {
        fields.push(Field::new(format!("f{}", i + 1), fields.len() as u32 + 1, Value::Float(*x)));
    }
    for (i, x) in db.iter().enumerate() {
        fields.push(Field::new(format!("d{}", i + 1), fields.len() as u32 + 1, Value::Double(*x)));
    }
    Value::record("Floats", fields)
}

pub fn nonfinite() -> Value {
    Value::record(
        "NonFinite",
        vec![
            f("nan", 1, Value::Double(f64::NAN)),
            f("inf", 2, Value::Double(f64::INFINITY)),
            f("ninf", 3, Value::Double(f64::NEG_INFINITY)),
            f("fnan", 4, Value::Float(f32::NAN)),
            f("finf", 5, Value::Float(f32::NEG_INFINITY)),
        ],
    )
}

pub fn unicode() -> Value {
    Value::record(
        "Text",
        vec![
            f("greeting", 1, s("Grüße, 世界 🌍")),
            f("tricky", 2, s("q\" b\\ n\n r\r t\t bs\u{8} ff\u{c} nul\0 us\u{1f} del\u{7f} ls\u{2028} /")),
            f("tags", 3, map(vec![("zebra", Value::Int(1)), ("émoji🌍", Value::Int(2)), ("Zoo", Value::Int(3))])),
        ],
    )
}

pub fn bytes() -> Value {
    let b = |v: &[u8]| Value::Bytes(v.to_vec());
    Value::record(
        "Blob",
        vec![
            f("empty", 1, b(b"")),
            f("one", 2, b(b"\xff")),
            f("two", 3, b(b"\x00\x01")),
            f("three", 4, b(b"\xfa\xfb\xfc")),
            f("chunks", 5, Value::Array(vec![b(b""), b(b"hi")])),
        ],
    )
}

/// Unions of several types: each branch is its own `oneof` member in
/// Protobuf; the field's number is the number of the branch that is set.
pub fn multi_union() -> Value {
    Value::record("Multi", vec![f("v", 1, Value::union(2, Value::Long(7))), f("w", 3, Value::union(1, s("seven")))])
}

pub fn reordered() -> Value {
    Value::record("Reordered", vec![f("z", 3, Value::Long(3)), f("a", 1, s("first")), f("m", 2, Value::Boolean(true))])
}

pub fn top_long() -> Value {
    Value::Long(42)
}

pub fn top_zero() -> Value {
    Value::Long(0)
}

pub fn top_string() -> Value {
    s("hi")
}

/// Every case, by the name check.py uses.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("deposited", deposited()),
        ("deposited_note", deposited_note()),
        ("doc_150", doc_150()),
        ("doc_testing", doc_testing()),
        ("negatives", negatives()),
        ("big", big()),
        ("defaults", defaults()),
        ("collections", collections()),
        ("nested", nested()),
        ("floats", floats()),
        ("nonfinite", nonfinite()),
        ("unicode", unicode()),
        ("bytes", bytes()),
        ("multi_union", multi_union()),
        ("reordered", reordered()),
        ("top_long", top_long()),
        ("top_zero", top_zero()),
        ("top_string", top_string()),
    ]
}
