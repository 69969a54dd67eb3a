//! Behaviour the verified cases do not pin down byte for byte.

use eda_lab::sim::patterns::encoding::{avro_binary, compare, confluent_framed, hex, json, protobuf, Field, Value};

fn record(fields: Vec<Field>) -> Value {
    Value::record("R", fields)
}

#[test]
fn confluent_framing_is_magic_then_big_endian_id() {
    assert_eq!(confluent_framed(0x0102_0304, &[0xaa]), vec![0x00, 0x01, 0x02, 0x03, 0x04, 0xaa]);
}

#[test]
fn duplicate_map_keys_last_wins_in_protobuf_only() {
    let map = Value::Map(vec![("k".into(), Value::Long(1)), ("k".into(), Value::Long(2))]);
    let value = record(vec![Field::new("m", 1, map)]);
    assert_eq!(hex(&protobuf(&value)), "0a 05 0a 01 6b 10 02");
    assert_eq!(hex(&avro_binary(&value)), "04 02 6b 02 02 6b 04 00");
    assert_eq!(json(&value), r#"{"m":{"k":1,"k":2}}"#);
}

#[test]
fn null_union_branch_and_null_fields_write_nothing_in_protobuf() {
    let value = record(vec![Field::new("a", 1, Value::union(0, Value::Null)), Field::new("b", 2, Value::Null)]);
    assert!(protobuf(&value).is_empty());
    assert_eq!(hex(&avro_binary(&value)), "00");
    assert_eq!(json(&value), r#"{"a":null,"b":null}"#);
}

#[test]
fn mixed_arrays_are_not_packed() {
    let value = record(vec![Field::new("xs", 1, Value::Array(vec![Value::Long(0), Value::string("a")]))]);
    assert_eq!(hex(&protobuf(&value)), "08 00 0a 01 61");
}

#[test]
fn json_bytes_are_padded_base64() {
    let cases: [(&[u8], &str); 5] =
        [(b"", r#""""#), (b"f", r#""Zg==""#), (b"fo", r#""Zm8=""#), (b"foo", r#""Zm9v""#), (b"foob", r#""Zm9vYg==""#)];
    for (bytes, expect) in cases {
        assert_eq!(json(&Value::Bytes(bytes.to_vec())), expect);
    }
}

#[test]
fn json_numbers_follow_python_repr() {
    let cases = [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1.5e-300, "1.5e-300"),
        (0.125, "0.125"),
        // An exact tie at 17 digits: Python rounds half to even.
        (200_767_594_157_573.0 + 0.125, "200767594157573.12"),
    ];
    for (x, expect) in cases {
        assert_eq!(json(&Value::Double(x)), expect);
    }
    assert_eq!(json(&Value::Float(0.1)), "0.1");
    assert_eq!(json(&Value::Float(16_777_216.0)), "16777216.0");
}

#[test]
fn compare_lists_four_formats() {
    let all = compare(&Value::Long(1));
    let formats: Vec<_> = all.iter().map(|e| e.format).collect();
    assert_eq!(formats, ["avro", "avro+confluent", "protobuf", "json"]);
    let sizes: Vec<_> = all.iter().map(|e| e.size()).collect();
    assert_eq!(sizes, [1, 6, 2, 1]);
}
