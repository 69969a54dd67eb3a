//! The parser under arbitrary input: no text or JSON value, however malformed, makes it panic.

use crate::parser::ok;
use eda_lab::sim::patterns::schema::{check, parse, Node};
use proptest::prelude::*;

// --- robustness

/// Arbitrary JSON values biased towards schema-like shapes.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let key = prop::sample::select(vec![
        "type",
        "name",
        "namespace",
        "fields",
        "items",
        "values",
        "symbols",
        "size",
        "default",
        "aliases",
        "order",
        "doc",
        "logicalType",
        "x",
    ]);
    let word = prop::sample::select(vec![
        "record",
        "error",
        "enum",
        "array",
        "map",
        "fixed",
        "int",
        "long",
        "null",
        "string",
        "bytes",
        "boolean",
        "float",
        "double",
        "A",
        "B",
        "R",
        "a.b",
        "",
        "1x",
        "NaN",
        "ascending",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        word.prop_map(|w| Value::String(w.to_string())),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn arbitrary_json_never_panics_and_checks_are_total(a in json_value(), b in json_value()) {
        let (ra, rb) = (parse(&a.to_string()), parse(&b.to_string()));
        if let (Ok(x), Ok(y)) = (&ra, &rb) {
            let _ = check(x, y);
            let _ = check(y, x);
            // Rendering parses back to the same schema.
            let again = parse(&x.to_json());
            prop_assert_eq!(again.as_ref(), Ok(x), "{}", x.to_json());
        }
    }
}

/// Valid schema JSON: primitives, arrays, maps, unions of distinct
/// primitives, records, enums and fixed (names drawn from a pool, so some
/// collide and are rejected as redefinitions; those cases are skipped).
fn schema_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let prim = prop::sample::select(vec!["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);
    let leaf = prop_oneof![
        prim.clone().prop_map(|p| json!(p)),
        prim.clone().prop_map(|p| json!({"type": p})),
        (0..50u32, prop::sample::subsequence(vec!["A", "B", "C", "D"], 1..4), any::<bool>()).prop_map(|(n, s, d)| {
            let mut e = json!({"type": "enum", "name": format!("E{n}"), "symbols": s});
            if d {
                e["default"] = json!(s[0]);
            }
            e
        }),
        (0..50u32, 0..20u32).prop_map(|(n, size)| json!({"type": "fixed", "name": format!("F{n}"), "size": size})),
    ];
    leaf.prop_recursive(5, 48, 5, move |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| json!({"type": "array", "items": t})),
            inner.clone().prop_map(|t| json!({"type": "map", "values": t})),
            prop::sample::subsequence(vec!["null", "int", "string", "double"], 1..4).prop_map(|b| json!(b)),
            (
                0..50u32,
                prop::sample::select(vec![None, Some("a"), Some("a.b"), Some("")]),
                prop::collection::vec(inner, 0..4)
            )
                .prop_map(|(n, ns, types)| {
                    let fields: Vec<Value> = types
                        .into_iter()
                        .enumerate()
                        .map(|(i, t)| json!({"name": format!("f{i}"), "type": t}))
                        .collect();
                    let mut r = json!({"type": "record", "name": format!("R{n}"), "fields": fields});
                    if let Some(ns) = ns {
                        r["namespace"] = json!(ns);
                    }
                    r
                }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn valid_schemas_round_trip_and_read_themselves(a in schema_json(), b in schema_json()) {
        let Ok(x) = parse(&a.to_string()) else { return Ok(()) };
        let again = parse(&x.to_json());
        prop_assert_eq!(again.as_ref(), Ok(&x), "{}", x.to_json());
        prop_assert!(check(&x, &x).compatible, "{}", x.to_json());
        if let Ok(y) = parse(&b.to_string()) {
            let (xy, yx) = (check(&x, &y), check(&y, &x));
            prop_assert_eq!(xy.compatible, xy.incompatibilities.is_empty());
            prop_assert_eq!(yx.compatible, yx.incompatibilities.is_empty());
        }
    }
}

#[test]
fn null_attributes_count_as_absent() {
    let s = ok(r#"{"type":"enum","name":"E","namespace":null,"doc":null,"symbols":["A"],"default":null}"#);
    match s.node(s.root()) {
        Some(Node::Enum { named, default, .. }) => {
            assert_eq!((named.name.full(), named.doc.clone(), default.clone()), ("E".to_string(), None, None));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn dotted_names_win_over_namespace_attributes() {
    let s = ok(r#"{"type":"fixed","name":"a.b.F","namespace":"x","size":1}"#);
    assert!(s.lookup("a.b.F").is_some());
    // Java's Name(".F", space) puts F in the null namespace.
    let s = ok(
        r#"{"type":"record","name":"R","namespace":"ns","fields":[{"name":"f","type":{"type":"fixed","name":".F","size":1}}]}"#,
    );
    assert!(s.lookup("F").is_some());
}
