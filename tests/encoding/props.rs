//! Property tests: varints decode back to every integer, encoders never
//! panic, JSON is parseable and numbers round-trip.

use eda_lab::sim::patterns::encoding::{avro_binary, compare, hex, json, protobuf, Field, Value};
use proptest::prelude::*;

/// Reads one base-128 varint; returns it and the bytes used.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Avro's zig-zag `long`: reads it and checks nothing is left over.
fn read_avro_long(bytes: &[u8]) -> Option<i64> {
    let (raw, used) = read_varint(bytes)?;
    (used == bytes.len()).then_some(((raw >> 1) as i64) ^ -((raw & 1) as i64))
}

fn value_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Boolean),
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::Long),
        any::<f32>().prop_map(Value::Float),
        any::<f64>().prop_map(Value::Double),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(Value::Bytes),
        any::<String>().prop_map(Value::Str),
        (any::<u32>(), any::<String>()).prop_map(|(i, s)| Value::enumeration(i, s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((any::<String>(), inner.clone()), 0..6).prop_map(Value::Map),
            (any::<u32>(), inner.clone()).prop_map(|(b, v)| Value::union(b, v)),
            proptest::collection::vec((any::<String>(), any::<u32>(), inner), 0..6).prop_map(|fields| {
                let fields = fields.into_iter().map(|(n, k, v)| Field::new(n, k, v));
                Value::record("R", fields.collect())
            }),
        ]
    })
}

fn has_non_finite(value: &Value) -> bool {
    match value {
        Value::Float(x) => !x.is_finite(),
        Value::Double(x) => !x.is_finite(),
        Value::Array(items) => items.iter().any(has_non_finite),
        Value::Map(entries) => entries.iter().any(|(_, v)| has_non_finite(v)),
        Value::Union { value, .. } => has_non_finite(value),
        Value::Record { fields, .. } => fields.iter().any(|f| has_non_finite(&f.value)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn avro_long_round_trips(n in any::<i64>()) {
        let bytes = avro_binary(&Value::Long(n));
        prop_assert!(bytes.len() <= 10);
        prop_assert_eq!(read_avro_long(&bytes), Some(n));
    }

    #[test]
    fn avro_int_round_trips(n in any::<i32>()) {
        let bytes = avro_binary(&Value::Int(n));
        prop_assert!(bytes.len() <= 5);
        prop_assert_eq!(read_avro_long(&bytes), Some(i64::from(n)));
    }

    #[test]
    fn protobuf_varints_are_plain_twos_complement(n in any::<i64>(), m in any::<i32>()) {
        for (value, expect) in [(Value::Long(n), n), (Value::Int(m), i64::from(m))] {
            let bytes = protobuf(&value);
            if expect == 0 {
                prop_assert!(bytes.is_empty());
                continue;
            }
            prop_assert_eq!(bytes[0], 0x08);
            prop_assert_eq!(read_varint(&bytes[1..]), Some((expect as u64, bytes.len() - 1)));
            prop_assert_eq!(bytes.len() == 11, expect < 0);
        }
    }

    #[test]
    fn json_numbers_round_trip(x in any::<f64>(), y in any::<f32>()) {
        prop_assume!(x.is_finite() && y.is_finite());
        prop_assert_eq!(json(&Value::Double(x)).parse::<f64>().ok(), Some(x));
        prop_assert_eq!(json(&Value::Float(y)).parse::<f32>().ok(), Some(y));
    }

    #[test]
    fn json_strings_round_trip(s in any::<String>()) {
        let text = json(&Value::Str(s.clone()));
        prop_assert_eq!(serde_json::from_str::<String>(&text).ok(), Some(s));
    }

    #[test]
    fn avro_strings_are_length_prefixed(s in any::<String>()) {
        let bytes = avro_binary(&Value::Str(s.clone()));
        let (raw, used) = read_varint(&bytes).unwrap_or((u64::MAX, 0));
        prop_assert_eq!(raw / 2, s.len() as u64);
        prop_assert_eq!(&bytes[used..], s.as_bytes());
    }

    #[test]
    fn encoders_never_panic(value in value_tree(), id in any::<u32>()) {
        let all = eda_lab::sim::patterns::encoding::compare_with_schema_id(&value, id);
        prop_assert_eq!(all.len(), 4);
        prop_assert_eq!(&all[1].bytes[5..], &all[0].bytes[..]);
        prop_assert_eq!(&all[1].bytes[1..5], &id.to_be_bytes()[..]);
        for encoded in &all[..3] {
            prop_assert_eq!(hex(&encoded.bytes), encoded.text.clone());
        }
        if !has_non_finite(&value) {
            let parsed = serde_json::from_str::<serde_json::Value>(&all[3].text);
            prop_assert!(parsed.is_ok(), "{}", all[3].text);
        }
        prop_assert_eq!(compare(&value)[0].bytes.clone(), avro_binary(&value));
    }
}
