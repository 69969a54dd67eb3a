//! Every reader/writer pair of Apache Avro's Python `lang/py/avro/test/test_compatibility.py`,
//! ported to schema JSON text (names start with `py_`); see avro_cases.rs for the Java ones.

use crate::avro_cases::*;
use crate::avro_fixtures::*;

// ---------------------------------------------------------------------------
// Python test_compatibility.py. Its fixtures equal Java's except for the
// spellings below (`{"type": "int"}` objects, an enum named "Enum").

const PY_ENUM_ABC_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Enum","symbols":["A","B","C"],"default":"A"}}]}"#;
const PY_ENUM_AB_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Enum","symbols":["A","B"],"default":"A"}}]}"#;
const PY_ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Enum","symbols":["A","B","C"],"default":"A"},"default":"B"}]}"#;
const PY_ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Enum","symbols":["A","B"],"default":"B"},"default":"A"}]}"#;
const PY_UNION_INT_RECORD1: &str =
    r#"[{"type":"int"},{"type":"record","name":"Record1","fields":[{"name":"field1","type":"int"}]}]"#;
const PY_UNION_INT_RECORD2: &str =
    r#"[{"type":"int"},{"type":"record","name":"Record2","fields":[{"name":"field1","type":"int"}]}]"#;
const PY_UNION_INT_ENUM1_AB: &str = r#"[{"type":"int"},{"type":"enum","name":"Enum1","symbols":["A","B"]}]"#;
const PY_UNION_INT_FIXED_4_BYTES: &str = r#"[{"type":"int"},{"type":"fixed","name":"Fixed","size":4}]"#;
const PY_UNION_INT_BOOLEAN: &str = r#"[{"type":"int"},{"type":"boolean"}]"#;
const PY_UNION_INT_ARRAY_INT: &str = r#"[{"type":"int"},{"type":"array","items":"int"}]"#;
const PY_UNION_INT_MAP_INT: &str = r#"[{"type":"int"},{"type":"map","values":"int"}]"#;
const PY_UNION_INT_NULL: &str = r#"[{"type":"int"},{"type":"null"}]"#;
const PY_NULL_INT_ARRAY_UNION: &str = r#"[{"type":"null"},{"type":"array","items":"int"}]"#;
const PY_NULL_INT_MAP_UNION: &str = r#"[{"type":"null"},{"type":"map","values":"int"}]"#;

#[test]
fn py_fixtures_parse() {
    for text in [PY_NULL_INT_ARRAY_UNION, PY_NULL_INT_MAP_UNION, NULL_UNION, STRING_MAP] {
        assert!(parse(text).is_ok(), "{text}");
    }
}

// test_simple_schema_promotion: field alias and record alias readers.
const PY_PROMOTION_WRITER: &str = r#"{"name":"foo","type":"record","fields":[
    {"type":"int","name":"f1"},{"type":"string","name":"f2"}]}"#;

compatible! {
    py_simple_schema_promotion_field_alias_reader =>
        r#"{"name":"foo","type":"record","fields":[{"type":"int","name":"bar","aliases":["f1"]}]}"#,
        PY_PROMOTION_WRITER;
    py_simple_schema_promotion_record_alias_reader =>
        r#"{"name":"other","type":"record","fields":[{"type":"int","name":"f1"}],"aliases":["foo"]}"#,
        PY_PROMOTION_WRITER;
}

// test_schema_compatibility: the explicit pairs before the table.
const PY_WRITER_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"oldField1","type":"int"},{"name":"oldField2","type":"string"}]}"#;

compatible! {
    py_validate_schema_pair_missing_field =>
        r#"{"type":"record","name":"Record","fields":[{"name":"oldField1","type":"int"}]}"#, PY_WRITER_RECORD;
    py_validate_schema_pair_missing_second_field =>
        r#"{"type":"record","name":"Record","fields":[{"name":"oldField2","type":"string"}]}"#, PY_WRITER_RECORD;
    py_validate_schema_pair_all_fields => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldField1","type":"int"},{"name":"oldField2","type":"string"}]}"#, PY_WRITER_RECORD;
    py_validate_schema_new_field_with_default => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldField1","type":"int"},{"name":"newField2","type":"int","default":42}]}"#, PY_WRITER_RECORD;
    py_validate_array_writer_schema_valid =>
        r#"{"type":"array","items":{"type":"string"}}"#, r#"{"type":"array","items":{"type":"string"}}"#;
    py_validate_primitive_writer_schema_valid => r#"{"type":"string"}"#, r#"{"type":"string"}"#;
}

incompatible! {
    py_validate_schema_new_field => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldField1","type":"int"},{"name":"newField2","type":"int"}]}"#, PY_WRITER_RECORD,
        [(ReaderFieldMissingDefaultValue, "newField2", "/fields/1")];
    py_validate_array_writer_schema_invalid =>
        r#"{"type":"map","values":{"type":"string"}}"#, r#"{"type":"array","items":{"type":"string"}}"#,
        [(TypeMismatch, "reader type: MAP not compatible with writer type: ARRAY", "/")];
    py_validate_primitive_writer_schema_invalid => r#"{"type":"int"}"#, r#"{"type":"string"}"#,
        [(TypeMismatch, "reader type: INT not compatible with writer type: STRING", "/")];
    // The py test extracts the field types of two records.
    py_union_reader_writer_subset_incompatibility => r#"["int","string"]"#, r#"["int","string","long"]"#,
        [(MissingUnionBranch, "reader union lacking writer type: LONG", "/2")];
}

// test_schema_compatibility: compatible_reader_writer_test_cases, in order.
compatible! {
    py_compatible_01_boolean_vs_boolean => BOOLEAN, BOOLEAN;
    py_compatible_02_int_vs_int => INT, INT;
    py_compatible_03_long_vs_int => LONG, INT;
    py_compatible_04_long_vs_long => LONG, LONG;
    py_compatible_05_float_vs_int => FLOAT, INT;
    py_compatible_06_float_vs_long => FLOAT, LONG;
    py_compatible_07_double_vs_long => DOUBLE, LONG;
    py_compatible_08_double_vs_int => DOUBLE, INT;
    py_compatible_09_double_vs_float => DOUBLE, FLOAT;
    py_compatible_10_string_vs_string => STRING, STRING;
    py_compatible_11_bytes_vs_bytes => BYTES, BYTES;
    py_compatible_12_string_vs_bytes => STRING, BYTES;
    py_compatible_13_bytes_vs_string => BYTES, STRING;
    py_compatible_14_int_array_vs_int_array => INT_ARRAY, INT_ARRAY;
    py_compatible_15_long_array_vs_int_array => LONG_ARRAY, INT_ARRAY;
    py_compatible_16_int_map_vs_int_map => INT_MAP, INT_MAP;
    py_compatible_17_long_map_vs_int_map => LONG_MAP, INT_MAP;
    py_compatible_18_enum1_ab_vs_enum1_ab => ENUM1_AB, ENUM1_AB;
    py_compatible_19_enum1_abc_vs_enum1_ab => ENUM1_ABC, ENUM1_AB;
    py_compatible_20_empty_union_vs_empty_union => EMPTY_UNION, EMPTY_UNION;
    py_compatible_21_float_union_vs_empty_union => FLOAT_UNION, EMPTY_UNION;
    py_compatible_22_float_union_vs_int_union => FLOAT_UNION, INT_UNION;
    py_compatible_23_float_union_vs_long_union => FLOAT_UNION, LONG_UNION;
    py_compatible_24_float_union_vs_int_long_union => FLOAT_UNION, INT_LONG_UNION;
    py_compatible_25_int_union_vs_int_union => INT_UNION, INT_UNION;
    py_compatible_26_int_string_union_vs_string_int_union => INT_STRING_UNION, STRING_INT_UNION;
    py_compatible_27_int_union_vs_empty_union => INT_UNION, EMPTY_UNION;
    py_compatible_28_long_union_vs_empty_union => LONG_UNION, EMPTY_UNION;
    py_compatible_29_long_union_vs_int_union => LONG_UNION, INT_UNION;
    py_compatible_30_float_union_vs_int_union => FLOAT_UNION, INT_UNION;
    py_compatible_31_double_union_vs_int_union => DOUBLE_UNION, INT_UNION;
    py_compatible_32_float_union_vs_long_union => FLOAT_UNION, LONG_UNION;
    py_compatible_33_double_union_vs_long_union => DOUBLE_UNION, LONG_UNION;
    py_compatible_34_float_union_vs_empty_union => FLOAT_UNION, EMPTY_UNION;
    py_compatible_35_double_union_vs_float_union => DOUBLE_UNION, FLOAT_UNION;
    py_compatible_36_string_union_vs_empty_union => STRING_UNION, EMPTY_UNION;
    py_compatible_37_string_union_vs_bytes_union => STRING_UNION, BYTES_UNION;
    py_compatible_38_bytes_union_vs_empty_union => BYTES_UNION, EMPTY_UNION;
    py_compatible_39_bytes_union_vs_string_union => BYTES_UNION, STRING_UNION;
    py_compatible_40_double_union_vs_int_float_union => DOUBLE_UNION, INT_FLOAT_UNION;
    py_compatible_41_float_vs_int_float_union => FLOAT, INT_FLOAT_UNION;
    py_compatible_42_long_vs_int_long_union => LONG, INT_LONG_UNION;
    py_compatible_43_double_vs_int_float_union => DOUBLE, INT_FLOAT_UNION;
    py_compatible_44_double_vs_int_long_float_double_union => DOUBLE, INT_LONG_FLOAT_DOUBLE_UNION;
    py_compatible_45_float_vs_float_union => FLOAT, FLOAT_UNION;
    py_compatible_46_int_union_vs_int => INT_UNION, INT;
    py_compatible_47_int_vs_int_union => INT, INT_UNION;
    py_compatible_48_fixed_4_bytes_vs_fixed_4_bytes => FIXED_4_BYTES, FIXED_4_BYTES;
    py_compatible_49_empty_record1_vs_empty_record1 => EMPTY_RECORD1, EMPTY_RECORD1;
    py_compatible_50_empty_record1_vs_a_int_record1 => EMPTY_RECORD1, A_INT_RECORD1;
    py_compatible_51_a_int_record1_vs_a_int_record1 => A_INT_RECORD1, A_INT_RECORD1;
    py_compatible_52_a_dint_record1_vs_a_int_record1 => A_DINT_RECORD1, A_INT_RECORD1;
    py_compatible_53_a_dint_record1_vs_a_dint_record1 => A_DINT_RECORD1, A_DINT_RECORD1;
    py_compatible_54_a_int_record1_vs_a_dint_record1 => A_INT_RECORD1, A_DINT_RECORD1;
    py_compatible_55_a_long_record1_vs_a_int_record1 => A_LONG_RECORD1, A_INT_RECORD1;
    py_compatible_56_a_int_record1_vs_a_int_b_int_record1 => A_INT_RECORD1, A_INT_B_INT_RECORD1;
    py_compatible_57_a_dint_record1_vs_a_int_b_int_record1 => A_DINT_RECORD1, A_INT_B_INT_RECORD1;
    py_compatible_58_a_int_b_dint_record1_vs_a_int_record1 => A_INT_B_DINT_RECORD1, A_INT_RECORD1;
    py_compatible_59_a_dint_b_dint_record1_vs_empty_record1 => A_DINT_B_DINT_RECORD1, EMPTY_RECORD1;
    py_compatible_60_a_dint_b_dint_record1_vs_a_int_record1 => A_DINT_B_DINT_RECORD1, A_INT_RECORD1;
    py_compatible_61_a_int_b_int_record1_vs_a_dint_b_dint_record1 => A_INT_B_INT_RECORD1, A_DINT_B_DINT_RECORD1;
    py_compatible_62_null_object_vs_null_object => r#"{"type":"null"}"#, r#"{"type":"null"}"#;
    py_compatible_63_null_vs_null => NULL, NULL;
    py_compatible_64_enum_ab_enum_default_a_record_vs_enum_abc_enum_default_a_record =>
        PY_ENUM_AB_ENUM_DEFAULT_A_RECORD, PY_ENUM_ABC_ENUM_DEFAULT_A_RECORD;
    py_compatible_65_enum_ab_field_default_a_enum_default_b_record_vs_enum_abc_field_default_b_enum_default_a_record =>
        PY_ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD, PY_ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD;
    py_compatible_66_ns_record1_vs_ns_record2 => NS_RECORD1, NS_RECORD2;
    py_compatible_67_without_namespace_record_vs_with_namespace_record => WITHOUT_NS, WITH_NS;
}

// test_schema_compatibility_fixed_size_mismatch
incompatible! {
    py_fixed_size_mismatch_1 => FIXED_4_BYTES, FIXED_8_BYTES, [(FixedSizeMismatch, "expected: 8, found: 4", "/size")];
    py_fixed_size_mismatch_2 => FIXED_8_BYTES, FIXED_4_BYTES, [(FixedSizeMismatch, "expected: 4, found: 8", "/size")];
    py_fixed_size_mismatch_3 => A_DINT_B_DFIXED_8_BYTES_RECORD1, A_DINT_B_DFIXED_4_BYTES_RECORD1,
        [(FixedSizeMismatch, "expected: 4, found: 8", "/fields/1/type/size")];
    py_fixed_size_mismatch_4 => A_DINT_B_DFIXED_4_BYTES_RECORD1, A_DINT_B_DFIXED_8_BYTES_RECORD1,
        [(FixedSizeMismatch, "expected: 8, found: 4", "/fields/1/type/size")];
}

// test_schema_compatibility_missing_enum_symbols (py messages: "{'C'}")
incompatible! {
    py_missing_enum_symbols_1 => ENUM1_AB, ENUM1_ABC, [(MissingEnumSymbols, "[C]", "/symbols")];
    py_missing_enum_symbols_2 => ENUM1_BC, ENUM1_ABC, [(MissingEnumSymbols, "[A]", "/symbols")];
    py_missing_enum_symbols_3 => RECORD1_WITH_ENUM_AB, RECORD1_WITH_ENUM_ABC,
        [(MissingEnumSymbols, "[C]", "/fields/0/type/symbols")];
}

// test_schema_compatibility_missing_union_branch
incompatible! {
    py_missing_union_branch_01 => INT_UNION, INT_STRING_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: STRING", "/1")];
    py_missing_union_branch_02 => STRING_UNION, INT_STRING_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: INT", "/0")];
    py_missing_union_branch_03 => INT_UNION, PY_UNION_INT_RECORD1,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    py_missing_union_branch_04 => INT_UNION, PY_UNION_INT_RECORD2,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    py_missing_union_branch_05 => PY_UNION_INT_RECORD1, PY_UNION_INT_RECORD2,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    py_missing_union_branch_06 => INT_UNION, PY_UNION_INT_ENUM1_AB,
        [(MissingUnionBranch, "reader union lacking writer type: ENUM", "/1")];
    py_missing_union_branch_07 => INT_UNION, PY_UNION_INT_FIXED_4_BYTES,
        [(MissingUnionBranch, "reader union lacking writer type: FIXED", "/1")];
    py_missing_union_branch_08 => INT_UNION, PY_UNION_INT_BOOLEAN,
        [(MissingUnionBranch, "reader union lacking writer type: BOOLEAN", "/1")];
    py_missing_union_branch_09 => INT_UNION, LONG_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: LONG", "/0")];
    py_missing_union_branch_10 => INT_UNION, FLOAT_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: FLOAT", "/0")];
    py_missing_union_branch_11 => INT_UNION, DOUBLE_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: DOUBLE", "/0")];
    py_missing_union_branch_12 => INT_UNION, BYTES_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: BYTES", "/0")];
    py_missing_union_branch_13 => INT_UNION, PY_UNION_INT_ARRAY_INT,
        [(MissingUnionBranch, "reader union lacking writer type: ARRAY", "/1")];
    py_missing_union_branch_14 => INT_UNION, PY_UNION_INT_MAP_INT,
        [(MissingUnionBranch, "reader union lacking writer type: MAP", "/1")];
    py_missing_union_branch_15 => INT_UNION, PY_UNION_INT_NULL,
        [(MissingUnionBranch, "reader union lacking writer type: NULL", "/1")];
    py_missing_union_branch_16 => INT_UNION, INT_LONG_FLOAT_DOUBLE_UNION, [
        (MissingUnionBranch, "reader union lacking writer type: LONG", "/1"),
        (MissingUnionBranch, "reader union lacking writer type: FLOAT", "/2"),
        (MissingUnionBranch, "reader union lacking writer type: DOUBLE", "/3"),
    ];
    py_missing_union_branch_17 => A_DINT_B_DINT_UNION_RECORD1, A_DINT_B_DINT_STRING_UNION_RECORD1,
        [(MissingUnionBranch, "reader union lacking writer type: STRING", "/fields/1/type/1")];
}

// test_schema_compatibility_name_mismatch
incompatible! {
    py_name_mismatch_1 => ENUM1_AB, ENUM2_AB, [(NameMismatch, "expected: Enum2", "/name")];
    py_name_mismatch_2 => EMPTY_RECORD2, EMPTY_RECORD1, [(NameMismatch, "expected: Record1", "/name")];
    py_name_mismatch_3 => FIXED_4_BYTES, FIXED_4_ANOTHER_NAME, [(NameMismatch, "expected: AnotherName", "/name")];
    py_name_mismatch_4 => A_DINT_B_DENUM_1_RECORD1, A_DINT_B_DENUM_2_RECORD1,
        [(NameMismatch, "expected: Enum2", "/fields/1/type/name")];
}

// test_schema_compatibility_reader_field_missing_default_value
incompatible! {
    py_reader_field_missing_default_value_1 => A_INT_RECORD1, EMPTY_RECORD1,
        [(ReaderFieldMissingDefaultValue, "a", "/fields/0")];
    py_reader_field_missing_default_value_2 => A_INT_B_DINT_RECORD1, EMPTY_RECORD1,
        [(ReaderFieldMissingDefaultValue, "a", "/fields/0")];
}

// test_schema_compatibility_type_mismatch. Python expects lower-case type
// names and "/" for the three writer-union rows (25-27); Java's are used.
incompatible! {
    py_type_mismatch_01 => NULL, INT, [(TypeMismatch, "reader type: NULL not compatible with writer type: INT", "/")];
    py_type_mismatch_02 => NULL, LONG, [(TypeMismatch, "reader type: NULL not compatible with writer type: LONG", "/")];
    py_type_mismatch_03 => BOOLEAN, INT,
        [(TypeMismatch, "reader type: BOOLEAN not compatible with writer type: INT", "/")];
    py_type_mismatch_04 => INT, NULL, [(TypeMismatch, "reader type: INT not compatible with writer type: NULL", "/")];
    py_type_mismatch_05 => INT, BOOLEAN,
        [(TypeMismatch, "reader type: INT not compatible with writer type: BOOLEAN", "/")];
    py_type_mismatch_06 => INT, LONG, [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/")];
    py_type_mismatch_07 => INT, FLOAT, [(TypeMismatch, "reader type: INT not compatible with writer type: FLOAT", "/")];
    py_type_mismatch_08 => INT, DOUBLE,
        [(TypeMismatch, "reader type: INT not compatible with writer type: DOUBLE", "/")];
    py_type_mismatch_09 => LONG, FLOAT,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: FLOAT", "/")];
    py_type_mismatch_10 => LONG, DOUBLE,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: DOUBLE", "/")];
    py_type_mismatch_11 => FLOAT, DOUBLE,
        [(TypeMismatch, "reader type: FLOAT not compatible with writer type: DOUBLE", "/")];
    py_type_mismatch_12 => DOUBLE, STRING,
        [(TypeMismatch, "reader type: DOUBLE not compatible with writer type: STRING", "/")];
    py_type_mismatch_13 => FIXED_4_BYTES, STRING,
        [(TypeMismatch, "reader type: FIXED not compatible with writer type: STRING", "/")];
    py_type_mismatch_14 => STRING, BOOLEAN,
        [(TypeMismatch, "reader type: STRING not compatible with writer type: BOOLEAN", "/")];
    py_type_mismatch_15 => STRING, INT,
        [(TypeMismatch, "reader type: STRING not compatible with writer type: INT", "/")];
    py_type_mismatch_16 => BYTES, NULL,
        [(TypeMismatch, "reader type: BYTES not compatible with writer type: NULL", "/")];
    py_type_mismatch_17 => BYTES, INT, [(TypeMismatch, "reader type: BYTES not compatible with writer type: INT", "/")];
    py_type_mismatch_18 => A_INT_RECORD1, INT,
        [(TypeMismatch, "reader type: RECORD not compatible with writer type: INT", "/")];
    py_type_mismatch_19 => INT_ARRAY, LONG_ARRAY,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/items")];
    py_type_mismatch_20 => INT_MAP, INT_ARRAY,
        [(TypeMismatch, "reader type: MAP not compatible with writer type: ARRAY", "/")];
    py_type_mismatch_21 => INT_ARRAY, INT_MAP,
        [(TypeMismatch, "reader type: ARRAY not compatible with writer type: MAP", "/")];
    py_type_mismatch_22 => INT_MAP, LONG_MAP,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/values")];
    py_type_mismatch_23 => INT, ENUM2_AB, [(TypeMismatch, "reader type: INT not compatible with writer type: ENUM", "/")];
    py_type_mismatch_24 => ENUM2_AB, INT, [(TypeMismatch, "reader type: ENUM not compatible with writer type: INT", "/")];
    py_type_mismatch_25 => FLOAT, INT_LONG_FLOAT_DOUBLE_UNION,
        [(TypeMismatch, "reader type: FLOAT not compatible with writer type: DOUBLE", "/3")];
    py_type_mismatch_26 => LONG, INT_FLOAT_UNION,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: FLOAT", "/1")];
    py_type_mismatch_27 => INT, INT_FLOAT_UNION,
        [(TypeMismatch, "reader type: INT not compatible with writer type: FLOAT", "/1")];
    py_type_mismatch_28 => NULL, INT, [(TypeMismatch, "reader type: NULL not compatible with writer type: INT", "/")];
}
