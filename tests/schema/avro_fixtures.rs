//! The fixtures of Apache Avro's compatibility tests (Java's `TestSchemas.java`; the py test
//! defines the same ones) and the assertions every ported case makes.

use eda_lab::sim::patterns::schema::check;
pub use eda_lab::sim::patterns::schema::{parse, IncompatibilityKind as K};

pub fn assert_compatible(case: &str, reader: &str, writer: &str) {
    let r = parse(reader).unwrap_or_else(|e| panic!("{case}: reader: {e}"));
    let w = parse(writer).unwrap_or_else(|e| panic!("{case}: writer: {e}"));
    let result = check(&r, &w);
    assert!(result.compatible, "{case}: expected compatible, got {:#?}", result.incompatibilities);
    assert!(result.incompatibilities.is_empty(), "{case}");
}

pub fn assert_incompatible(case: &str, reader: &str, writer: &str, expected: &[(K, &str, &str)]) {
    let r = parse(reader).unwrap_or_else(|e| panic!("{case}: reader: {e}"));
    let w = parse(writer).unwrap_or_else(|e| panic!("{case}: writer: {e}"));
    let result = check(&r, &w);
    assert!(!result.compatible, "{case}: expected incompatible");
    let got: Vec<(K, &str, &str)> =
        result.incompatibilities.iter().map(|i| (i.kind, i.message.as_str(), i.location.as_str())).collect();
    assert_eq!(got, expected, "{case}");
    // Java: assertSchemaContains(fragment, schema) for both sides.
    let (rj, wj) = (r.to_json(), w.to_json());
    for i in &result.incompatibilities {
        assert!(rj.contains(&i.reader_fragment), "{case}: reader fragment {} not in {rj}", i.reader_fragment);
        assert!(wj.contains(&i.writer_fragment), "{case}: writer fragment {} not in {wj}", i.writer_fragment);
    }
}

macro_rules! compatible {
    ($($name:ident => $reader:expr, $writer:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_compatible(stringify!($name), $reader, $writer);
        }
    )*};
}

macro_rules! incompatible {
    ($($name:ident => $reader:expr, $writer:expr, [$(($kind:ident, $msg:expr, $loc:expr)),* $(,)?];)*) => {$(
        #[test]
        fn $name() {
            assert_incompatible(stringify!($name), $reader, $writer, &[$((K::$kind, $msg, $loc)),*]);
        }
    )*};
}

// ---------------------------------------------------------------------------
// Fixtures of TestSchemas.java (the py test defines the same ones).

pub const NULL: &str = r#""null""#;
pub const BOOLEAN: &str = r#""boolean""#;
pub const INT: &str = r#""int""#;
pub const LONG: &str = r#""long""#;
pub const FLOAT: &str = r#""float""#;
pub const DOUBLE: &str = r#""double""#;
pub const STRING: &str = r#""string""#;
pub const BYTES: &str = r#""bytes""#;

pub const INT_ARRAY: &str = r#"{"type":"array","items":"int"}"#;
pub const LONG_ARRAY: &str = r#"{"type":"array","items":"long"}"#;
pub const STRING_ARRAY: &str = r#"{"type":"array","items":"string"}"#;
pub const INT_MAP: &str = r#"{"type":"map","values":"int"}"#;
pub const LONG_MAP: &str = r#"{"type":"map","values":"long"}"#;
pub const STRING_MAP: &str = r#"{"type":"map","values":"string"}"#;

pub const ENUM1_AB: &str = r#"{"type":"enum","name":"Enum1","symbols":["A","B"]}"#;
pub const ENUM1_AB_DEFAULT: &str = r#"{"type":"enum","name":"Enum1","symbols":["A","B"],"default":"A"}"#;
pub const ENUM1_AB_NAMESPACE_1: &str = r#"{"type":"enum","name":"Enum1","namespace":"namespace1","symbols":["A","B"]}"#;
pub const ENUM1_AB_NAMESPACE_2: &str = r#"{"type":"enum","name":"Enum1","namespace":"namespace2","symbols":["A","B"]}"#;
pub const ENUM1_ABC: &str = r#"{"type":"enum","name":"Enum1","symbols":["A","B","C"]}"#;
pub const ENUM1_BC: &str = r#"{"type":"enum","name":"Enum1","symbols":["B","C"]}"#;
pub const ENUM2_AB: &str = r#"{"type":"enum","name":"Enum2","symbols":["A","B"]}"#;
pub const ENUM_ABC_ENUM_DEFAULT_A: &str = r#"{"type":"enum","name":"Enum","symbols":["A","B","C"],"default":"A"}"#;
pub const ENUM_AB_ENUM_DEFAULT_A: &str = r#"{"type":"enum","name":"Enum","symbols":["A","B"],"default":"A"}"#;
pub const ENUM_ABC_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B","C"],"default":"A"}}]}"#;
pub const ENUM_AB_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B"],"default":"A"}}]}"#;
pub const ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B","C"],"default":"A"},"default":"B"}]}"#;
pub const ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B"],"default":"B"},"default":"A"}]}"#;

pub const EMPTY_UNION: &str = "[]";
pub const NULL_UNION: &str = r#"["null"]"#;
pub const INT_UNION: &str = r#"["int"]"#;
pub const LONG_UNION: &str = r#"["long"]"#;
pub const FLOAT_UNION: &str = r#"["float"]"#;
pub const DOUBLE_UNION: &str = r#"["double"]"#;
pub const STRING_UNION: &str = r#"["string"]"#;
pub const BYTES_UNION: &str = r#"["bytes"]"#;
pub const INT_STRING_UNION: &str = r#"["int","string"]"#;
pub const STRING_INT_UNION: &str = r#"["string","int"]"#;
pub const INT_FLOAT_UNION: &str = r#"["int","float"]"#;
pub const INT_LONG_UNION: &str = r#"["int","long"]"#;
pub const INT_LONG_FLOAT_DOUBLE_UNION: &str = r#"["int","long","float","double"]"#;
pub const NULL_INT_ARRAY_UNION: &str = r#"["null",{"type":"array","items":"int"}]"#;
pub const NULL_INT_MAP_UNION: &str = r#"["null",{"type":"map","values":"int"}]"#;

pub const EMPTY_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[]}"#;
pub const EMPTY_RECORD2: &str = r#"{"type":"record","name":"Record2","fields":[]}"#;
pub const A_INT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"}]}"#;
pub const A_LONG_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"long"}]}"#;
pub const A_INT_B_INT_RECORD1: &str =
    r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
pub const A_DINT_RECORD1: &str =
    r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0}]}"#;
pub const A_INT_B_DINT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#;
pub const A_DINT_B_DINT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":"int","default":0}]}"#;
pub const A_DINT_B_DFIXED_4_BYTES_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":4}}]}"#;
pub const A_DINT_B_DFIXED_8_BYTES_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":8}}]}"#;
pub const A_DINT_B_DINT_STRING_UNION_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":["int","string"],"default":0}]}"#;
pub const A_DINT_B_DINT_UNION_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":["int"],"default":0}]}"#;
pub const A_DINT_B_DENUM_1_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum1","symbols":["A","B"]}}]}"#;
pub const A_DINT_B_DENUM_2_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum2","symbols":["A","B"]}}]}"#;

pub const FIXED_4_BYTES: &str = r#"{"type":"fixed","name":"Fixed","size":4}"#;
pub const FIXED_8_BYTES: &str = r#"{"type":"fixed","name":"Fixed","size":8}"#;

pub const NS_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[{"name":"f1","type":["null",
    {"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns1","fields":[{"name":"a","type":"int"}]}}]}]}"#;
pub const NS_RECORD2: &str = r#"{"type":"record","name":"Record1","fields":[{"name":"f1","type":["null",
    {"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns2","fields":[{"name":"a","type":"int"}]}}]}]}"#;
pub const WITHOUT_NS: &str = r#"{"type":"record","name":"Record","fields":[{"name":"f1","type":"int"}]}"#;
pub const WITH_NS: &str = r#"{"type":"record","name":"ns.Record","fields":[{"name":"f1","type":"int"}]}"#;

pub const INT_LIST_RECORD: &str =
    r#"{"type":"record","name":"List","fields":[{"name":"head","type":"int"},{"name":"tail","type":"List"}]}"#;
pub const LONG_LIST_RECORD: &str =
    r#"{"type":"record","name":"List","fields":[{"name":"head","type":"long"},{"name":"tail","type":"List"}]}"#;

/// Every fixture must parse on its own (TestSchemas builds them all).
#[test]
fn java_test_schemas_fixtures_parse() {
    let all = [
        NULL,
        BOOLEAN,
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        STRING,
        BYTES,
        INT_ARRAY,
        LONG_ARRAY,
        STRING_ARRAY,
        INT_MAP,
        LONG_MAP,
        STRING_MAP,
        ENUM1_AB,
        ENUM1_AB_DEFAULT,
        ENUM1_AB_NAMESPACE_1,
        ENUM1_AB_NAMESPACE_2,
        ENUM1_ABC,
        ENUM1_BC,
        ENUM2_AB,
        ENUM_ABC_ENUM_DEFAULT_A,
        ENUM_AB_ENUM_DEFAULT_A,
        ENUM_ABC_ENUM_DEFAULT_A_RECORD,
        ENUM_AB_ENUM_DEFAULT_A_RECORD,
        ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD,
        ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD,
        EMPTY_UNION,
        NULL_UNION,
        INT_UNION,
        LONG_UNION,
        FLOAT_UNION,
        DOUBLE_UNION,
        STRING_UNION,
        BYTES_UNION,
        INT_STRING_UNION,
        STRING_INT_UNION,
        INT_FLOAT_UNION,
        INT_LONG_UNION,
        INT_LONG_FLOAT_DOUBLE_UNION,
        NULL_INT_ARRAY_UNION,
        NULL_INT_MAP_UNION,
        EMPTY_RECORD1,
        EMPTY_RECORD2,
        A_INT_RECORD1,
        A_LONG_RECORD1,
        A_INT_B_INT_RECORD1,
        A_DINT_RECORD1,
        A_INT_B_DINT_RECORD1,
        A_DINT_B_DINT_RECORD1,
        A_DINT_B_DFIXED_4_BYTES_RECORD1,
        A_DINT_B_DFIXED_8_BYTES_RECORD1,
        A_DINT_B_DINT_STRING_UNION_RECORD1,
        A_DINT_B_DINT_UNION_RECORD1,
        A_DINT_B_DENUM_1_RECORD1,
        A_DINT_B_DENUM_2_RECORD1,
        FIXED_4_BYTES,
        FIXED_8_BYTES,
        NS_RECORD1,
        NS_RECORD2,
        WITHOUT_NS,
        WITH_NS,
        INT_LIST_RECORD,
        LONG_LIST_RECORD,
    ];
    for (i, text) in all.iter().enumerate() {
        assert!(parse(text).is_ok(), "fixture {i}: {text}");
    }
}
