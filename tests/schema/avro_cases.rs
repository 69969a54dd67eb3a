//! Every reader/writer pair from Apache Avro's own compatibility tests,
//! ported to schema JSON text:
//!
//! * Java `lang/java/avro/src/test/java/org/apache/avro/TestSchemaCompatibility*.java`
//!   with the fixtures of `TestSchemas.java` (test names start with `java_`);
//! * Python `lang/py/avro/test/test_compatibility.py` (names start with `py_`).
//!
//! Incompatible cases assert the exact list of (kind, message, location) the
//! Java test asserts, and that each fragment is part of its schema, as
//! Java's `validateIncompatibleSchemas` does. Python asserts lower-case
//! messages (`reader type: int ...`), set-formatted enum symbols (`{'C'}`)
//! and `/` for writer-union branches; the `py_` ports expect Java's text,
//! because Java is the reference (see `compat.rs`).
//!
//! Java builds some fixtures with `SchemaBuilder` or as anonymous records;
//! the ports spell them as JSON, giving anonymous records the same name on
//! both sides (Java compares two null names as equal).

use crate::avro_fixtures::*;

// ---------------------------------------------------------------------------
// TestSchemaCompatibility.java: the explicit test methods. WRITER_SCHEMA and
// the readers are anonymous records in Java; both sides are named "Record".

pub const JAVA_WRITER_SCHEMA: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"oldfield1","type":"int"},{"name":"oldfield2","type":"string"}]}"#;

compatible! {
    java_validate_schema_pair_missing_field =>
        r#"{"type":"record","name":"Record","fields":[{"name":"oldfield1","type":"int"}]}"#, JAVA_WRITER_SCHEMA;
    java_validate_schema_pair_missing_second_field =>
        r#"{"type":"record","name":"Record","fields":[{"name":"oldfield2","type":"string"}]}"#, JAVA_WRITER_SCHEMA;
    java_validate_schema_pair_all_fields => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"oldfield2","type":"string"}]}"#, JAVA_WRITER_SCHEMA;
    java_validate_schema_new_field_with_default => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"newfield1","type":"int","default":42}]}"#, JAVA_WRITER_SCHEMA;
    java_validate_array_writer_schema_valid => r#"{"type":"array","items":"string"}"#, STRING_ARRAY;
    java_validate_primitive_writer_schema_valid => r#"{"type":"string"}"#, STRING;
}

incompatible! {
    java_validate_schema_new_field => r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"newfield1","type":"int"}]}"#, JAVA_WRITER_SCHEMA,
        [(ReaderFieldMissingDefaultValue, "newfield1", "/fields/1")];
    java_validate_array_writer_schema_invalid => r#"{"type":"map","values":"string"}"#, STRING_ARRAY,
        [(TypeMismatch, "reader type: MAP not compatible with writer type: ARRAY", "/")];
    java_validate_primitive_writer_schema_invalid => INT, STRING,
        [(TypeMismatch, "reader type: INT not compatible with writer type: STRING", "/")];
    java_union_reader_writer_subset_incompatibility => r#"["int","string"]"#, r#"["int","string","long"]"#,
        [(MissingUnionBranch, "reader union lacking writer type: LONG", "/2")];
    // SchemaBuilder: record("Account") age int vs optionalInt("age").
    java_union_writer_simple_reader_incompatibility =>
        r#"{"type":"record","name":"Account","fields":[{"name":"age","type":"int"}]}"#,
        r#"{"type":"record","name":"Account","fields":[{"name":"age","type":["null","int"],"default":null}]}"#,
        [(TypeMismatch, "reader type: INT not compatible with writer type: NULL", "/fields/0/type/0")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibility.COMPATIBLE_READER_WRITER_TEST_CASES, in order
// (numbered by position; entries 34, 36 and 38 repeat 26, 27 and 25).

compatible! {
    java_compatible_01_boolean_vs_boolean => BOOLEAN, BOOLEAN;
    java_compatible_02_int_vs_int => INT, INT;
    java_compatible_03_long_vs_int => LONG, INT;
    java_compatible_04_long_vs_long => LONG, LONG;
    java_compatible_05_float_vs_int => FLOAT, INT;
    java_compatible_06_float_vs_long => FLOAT, LONG;
    java_compatible_07_double_vs_long => DOUBLE, LONG;
    java_compatible_08_double_vs_int => DOUBLE, INT;
    java_compatible_09_double_vs_float => DOUBLE, FLOAT;
    java_compatible_10_string_vs_string => STRING, STRING;
    java_compatible_11_bytes_vs_bytes => BYTES, BYTES;
    java_compatible_12_int_array_vs_int_array => INT_ARRAY, INT_ARRAY;
    java_compatible_13_long_array_vs_int_array => LONG_ARRAY, INT_ARRAY;
    java_compatible_14_int_map_vs_int_map => INT_MAP, INT_MAP;
    java_compatible_15_long_map_vs_int_map => LONG_MAP, INT_MAP;
    java_compatible_16_enum1_ab_vs_enum1_ab => ENUM1_AB, ENUM1_AB;
    java_compatible_17_enum1_abc_vs_enum1_ab => ENUM1_ABC, ENUM1_AB;
    java_compatible_18_enum1_ab_default_vs_enum1_abc => ENUM1_AB_DEFAULT, ENUM1_ABC;
    java_compatible_19_enum1_ab_vs_enum1_ab_namespace_1 => ENUM1_AB, ENUM1_AB_NAMESPACE_1;
    java_compatible_20_enum1_ab_namespace_1_vs_enum1_ab => ENUM1_AB_NAMESPACE_1, ENUM1_AB;
    java_compatible_21_enum1_ab_namespace_1_vs_enum1_ab_namespace_2 => ENUM1_AB_NAMESPACE_1, ENUM1_AB_NAMESPACE_2;
    java_compatible_22_string_vs_bytes => STRING, BYTES;
    java_compatible_23_bytes_vs_string => BYTES, STRING;
    java_compatible_24_empty_union_vs_empty_union => EMPTY_UNION, EMPTY_UNION;
    java_compatible_25_float_union_vs_empty_union => FLOAT_UNION, EMPTY_UNION;
    java_compatible_26_float_union_vs_int_union => FLOAT_UNION, INT_UNION;
    java_compatible_27_float_union_vs_long_union => FLOAT_UNION, LONG_UNION;
    java_compatible_28_float_union_vs_int_long_union => FLOAT_UNION, INT_LONG_UNION;
    java_compatible_29_int_union_vs_int_union => INT_UNION, INT_UNION;
    java_compatible_30_int_string_union_vs_string_int_union => INT_STRING_UNION, STRING_INT_UNION;
    java_compatible_31_int_union_vs_empty_union => INT_UNION, EMPTY_UNION;
    java_compatible_32_long_union_vs_empty_union => LONG_UNION, EMPTY_UNION;
    java_compatible_33_long_union_vs_int_union => LONG_UNION, INT_UNION;
    java_compatible_34_float_union_vs_int_union => FLOAT_UNION, INT_UNION;
    java_compatible_35_double_union_vs_int_union => DOUBLE_UNION, INT_UNION;
    java_compatible_36_float_union_vs_long_union => FLOAT_UNION, LONG_UNION;
    java_compatible_37_double_union_vs_long_union => DOUBLE_UNION, LONG_UNION;
    java_compatible_38_float_union_vs_empty_union => FLOAT_UNION, EMPTY_UNION;
    java_compatible_39_double_union_vs_float_union => DOUBLE_UNION, FLOAT_UNION;
    java_compatible_40_string_union_vs_empty_union => STRING_UNION, EMPTY_UNION;
    java_compatible_41_string_union_vs_bytes_union => STRING_UNION, BYTES_UNION;
    java_compatible_42_bytes_union_vs_empty_union => BYTES_UNION, EMPTY_UNION;
    java_compatible_43_bytes_union_vs_string_union => BYTES_UNION, STRING_UNION;
    java_compatible_44_double_union_vs_int_float_union => DOUBLE_UNION, INT_FLOAT_UNION;
    java_compatible_45_float_vs_int_float_union => FLOAT, INT_FLOAT_UNION;
    java_compatible_46_long_vs_int_long_union => LONG, INT_LONG_UNION;
    java_compatible_47_double_vs_int_float_union => DOUBLE, INT_FLOAT_UNION;
    java_compatible_48_double_vs_int_long_float_double_union => DOUBLE, INT_LONG_FLOAT_DOUBLE_UNION;
    java_compatible_49_float_vs_float_union => FLOAT, FLOAT_UNION;
    java_compatible_50_int_union_vs_int => INT_UNION, INT;
    java_compatible_51_int_vs_int_union => INT, INT_UNION;
    java_compatible_52_fixed_4_bytes_vs_fixed_4_bytes => FIXED_4_BYTES, FIXED_4_BYTES;
    java_compatible_53_empty_record1_vs_empty_record1 => EMPTY_RECORD1, EMPTY_RECORD1;
    java_compatible_54_empty_record1_vs_a_int_record1 => EMPTY_RECORD1, A_INT_RECORD1;
    java_compatible_55_a_int_record1_vs_a_int_record1 => A_INT_RECORD1, A_INT_RECORD1;
    java_compatible_56_a_dint_record1_vs_a_int_record1 => A_DINT_RECORD1, A_INT_RECORD1;
    java_compatible_57_a_dint_record1_vs_a_dint_record1 => A_DINT_RECORD1, A_DINT_RECORD1;
    java_compatible_58_a_int_record1_vs_a_dint_record1 => A_INT_RECORD1, A_DINT_RECORD1;
    java_compatible_59_a_long_record1_vs_a_int_record1 => A_LONG_RECORD1, A_INT_RECORD1;
    java_compatible_60_a_int_record1_vs_a_int_b_int_record1 => A_INT_RECORD1, A_INT_B_INT_RECORD1;
    java_compatible_61_a_dint_record1_vs_a_int_b_int_record1 => A_DINT_RECORD1, A_INT_B_INT_RECORD1;
    java_compatible_62_a_int_b_dint_record1_vs_a_int_record1 => A_INT_B_DINT_RECORD1, A_INT_RECORD1;
    java_compatible_63_a_dint_b_dint_record1_vs_empty_record1 => A_DINT_B_DINT_RECORD1, EMPTY_RECORD1;
    java_compatible_64_a_dint_b_dint_record1_vs_a_int_record1 => A_DINT_B_DINT_RECORD1, A_INT_RECORD1;
    java_compatible_65_a_int_b_int_record1_vs_a_dint_b_dint_record1 => A_INT_B_INT_RECORD1, A_DINT_B_DINT_RECORD1;
    java_compatible_66_int_list_record_vs_int_list_record => INT_LIST_RECORD, INT_LIST_RECORD;
    java_compatible_67_long_list_record_vs_long_list_record => LONG_LIST_RECORD, LONG_LIST_RECORD;
    java_compatible_68_long_list_record_vs_int_list_record => LONG_LIST_RECORD, INT_LIST_RECORD;
    java_compatible_69_null_vs_null => NULL, NULL;
    java_compatible_70_enum_ab_enum_default_a_record_vs_enum_abc_enum_default_a_record =>
        ENUM_AB_ENUM_DEFAULT_A_RECORD, ENUM_ABC_ENUM_DEFAULT_A_RECORD;
    java_compatible_71_enum_ab_field_default_a_enum_default_b_record_vs_enum_abc_field_default_b_enum_default_a_record =>
        ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD, ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD;
    java_compatible_72_ns_record1_vs_ns_record2 => NS_RECORD1, NS_RECORD2;
    java_compatible_73_without_ns_vs_with_ns => WITHOUT_NS, WITH_NS;
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibility.DECODING_COMPATIBILITY_TEST_CASES (writer, datum,
// reader): Java only decodes one datum; these assert the checker's verdict
// for the same (reader, writer) pairs, derived from SchemaCompatibility.java.

compatible! {
    java_decoding_int_vs_int => INT, INT;
    java_decoding_long_vs_int => LONG, INT;
    java_decoding_float_vs_int => FLOAT, INT;
    java_decoding_double_vs_int => DOUBLE, INT;
    java_decoding_enum1_abc_vs_enum1_ab => ENUM1_ABC, ENUM1_AB;
    java_decoding_enum_ab_enum_default_a_vs_enum_abc_enum_default_a => ENUM_AB_ENUM_DEFAULT_A, ENUM_ABC_ENUM_DEFAULT_A;
}

incompatible! {
    // Decoding "A" works, but the writer may write "C".
    java_decoding_enum1_ab_vs_enum1_abc => ENUM1_AB, ENUM1_ABC, [(MissingEnumSymbols, "[C]", "/symbols")];
    java_decoding_enum1_bc_vs_enum1_abc => ENUM1_BC, ENUM1_ABC, [(MissingEnumSymbols, "[A]", "/symbols")];
    // Decoding a string works, but the writer may write an int.
    java_decoding_string_vs_int_string_union => STRING, INT_STRING_UNION,
        [(TypeMismatch, "reader type: STRING not compatible with writer type: INT", "/0")];
    java_decoding_string_union_vs_int_string_union => STRING_UNION, INT_STRING_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: INT", "/0")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityFixedSizeMismatch.java

incompatible! {
    java_fixed_size_mismatch_1_fixed_4_vs_fixed_8 => FIXED_4_BYTES, FIXED_8_BYTES,
        [(FixedSizeMismatch, "expected: 8, found: 4", "/size")];
    java_fixed_size_mismatch_2_fixed_8_vs_fixed_4 => FIXED_8_BYTES, FIXED_4_BYTES,
        [(FixedSizeMismatch, "expected: 4, found: 8", "/size")];
    java_fixed_size_mismatch_3_record_fixed_8_vs_record_fixed_4 =>
        A_DINT_B_DFIXED_8_BYTES_RECORD1, A_DINT_B_DFIXED_4_BYTES_RECORD1,
        [(FixedSizeMismatch, "expected: 4, found: 8", "/fields/1/type/size")];
    java_fixed_size_mismatch_4_record_fixed_4_vs_record_fixed_8 =>
        A_DINT_B_DFIXED_4_BYTES_RECORD1, A_DINT_B_DFIXED_8_BYTES_RECORD1,
        [(FixedSizeMismatch, "expected: 8, found: 4", "/fields/1/type/size")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityMissingEnumSymbols.java

pub const RECORD1_WITH_ENUM_AB: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B"]}}]}"#;
pub const RECORD1_WITH_ENUM_ABC: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B","C"]}}]}"#;

incompatible! {
    java_missing_enum_symbols_1_enum1_ab_vs_enum1_abc => ENUM1_AB, ENUM1_ABC,
        [(MissingEnumSymbols, "[C]", "/symbols")];
    java_missing_enum_symbols_2_enum1_bc_vs_enum1_abc => ENUM1_BC, ENUM1_ABC,
        [(MissingEnumSymbols, "[A]", "/symbols")];
    java_missing_enum_symbols_3_record1_with_enum_ab_vs_record1_with_enum_abc =>
        RECORD1_WITH_ENUM_AB, RECORD1_WITH_ENUM_ABC,
        [(MissingEnumSymbols, "[C]", "/fields/0/type/symbols")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityMissingUnionBranch.java

pub const UNION_INT_RECORD1: &str =
    r#"["int",{"type":"record","name":"Record1","fields":[{"name":"field1","type":"int"}]}]"#;
pub const UNION_INT_RECORD2: &str =
    r#"["int",{"type":"record","name":"Record2","fields":[{"name":"field1","type":"int"}]}]"#;
pub const UNION_INT_ENUM1_AB: &str = r#"["int",{"type":"enum","name":"Enum1","symbols":["A","B"]}]"#;
pub const UNION_INT_FIXED_4_BYTES: &str = r#"["int",{"type":"fixed","name":"Fixed","size":4}]"#;
pub const UNION_INT_BOOLEAN: &str = r#"["int","boolean"]"#;
pub const UNION_INT_ARRAY_INT: &str = r#"["int",{"type":"array","items":"int"}]"#;
pub const UNION_INT_MAP_INT: &str = r#"["int",{"type":"map","values":"int"}]"#;
pub const UNION_INT_NULL: &str = r#"["int","null"]"#;

incompatible! {
    java_missing_union_branch_01_int_union_vs_int_string_union => INT_UNION, INT_STRING_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: STRING", "/1")];
    java_missing_union_branch_02_string_union_vs_int_string_union => STRING_UNION, INT_STRING_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: INT", "/0")];
    java_missing_union_branch_03_int_union_vs_union_int_record1 => INT_UNION, UNION_INT_RECORD1,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    java_missing_union_branch_04_int_union_vs_union_int_record2 => INT_UNION, UNION_INT_RECORD2,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    java_missing_union_branch_05_union_int_record1_vs_union_int_record2 => UNION_INT_RECORD1, UNION_INT_RECORD2,
        [(MissingUnionBranch, "reader union lacking writer type: RECORD", "/1")];
    java_missing_union_branch_06_int_union_vs_union_int_enum1_ab => INT_UNION, UNION_INT_ENUM1_AB,
        [(MissingUnionBranch, "reader union lacking writer type: ENUM", "/1")];
    java_missing_union_branch_07_int_union_vs_union_int_fixed_4_bytes => INT_UNION, UNION_INT_FIXED_4_BYTES,
        [(MissingUnionBranch, "reader union lacking writer type: FIXED", "/1")];
    java_missing_union_branch_08_int_union_vs_union_int_boolean => INT_UNION, UNION_INT_BOOLEAN,
        [(MissingUnionBranch, "reader union lacking writer type: BOOLEAN", "/1")];
    java_missing_union_branch_09_int_union_vs_long_union => INT_UNION, LONG_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: LONG", "/0")];
    java_missing_union_branch_10_int_union_vs_float_union => INT_UNION, FLOAT_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: FLOAT", "/0")];
    java_missing_union_branch_11_int_union_vs_double_union => INT_UNION, DOUBLE_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: DOUBLE", "/0")];
    java_missing_union_branch_12_int_union_vs_bytes_union => INT_UNION, BYTES_UNION,
        [(MissingUnionBranch, "reader union lacking writer type: BYTES", "/0")];
    java_missing_union_branch_13_int_union_vs_union_int_array_int => INT_UNION, UNION_INT_ARRAY_INT,
        [(MissingUnionBranch, "reader union lacking writer type: ARRAY", "/1")];
    java_missing_union_branch_14_int_union_vs_union_int_map_int => INT_UNION, UNION_INT_MAP_INT,
        [(MissingUnionBranch, "reader union lacking writer type: MAP", "/1")];
    java_missing_union_branch_15_int_union_vs_union_int_null => INT_UNION, UNION_INT_NULL,
        [(MissingUnionBranch, "reader union lacking writer type: NULL", "/1")];
    java_missing_union_branch_16_int_union_vs_int_long_float_double_union => INT_UNION, INT_LONG_FLOAT_DOUBLE_UNION, [
        (MissingUnionBranch, "reader union lacking writer type: LONG", "/1"),
        (MissingUnionBranch, "reader union lacking writer type: FLOAT", "/2"),
        (MissingUnionBranch, "reader union lacking writer type: DOUBLE", "/3"),
    ];
    java_missing_union_branch_17_a_dint_b_dint_union_record1_vs_a_dint_b_dint_string_union_record1 =>
        A_DINT_B_DINT_UNION_RECORD1, A_DINT_B_DINT_STRING_UNION_RECORD1,
        [(MissingUnionBranch, "reader union lacking writer type: STRING", "/fields/1/type/1")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityNameMismatch.java

pub const FIXED_4_ANOTHER_NAME: &str = r#"{"type":"fixed","name":"AnotherName","size":4}"#;

incompatible! {
    java_name_mismatch_1_enum1_ab_vs_enum2_ab => ENUM1_AB, ENUM2_AB, [(NameMismatch, "expected: Enum2", "/name")];
    java_name_mismatch_2_empty_record2_vs_empty_record1 => EMPTY_RECORD2, EMPTY_RECORD1,
        [(NameMismatch, "expected: Record1", "/name")];
    java_name_mismatch_3_fixed_4_bytes_vs_fixed_4_another_name => FIXED_4_BYTES, FIXED_4_ANOTHER_NAME,
        [(NameMismatch, "expected: AnotherName", "/name")];
    java_name_mismatch_4_a_dint_b_denum_1_record1_vs_a_dint_b_denum_2_record1 =>
        A_DINT_B_DENUM_1_RECORD1, A_DINT_B_DENUM_2_RECORD1,
        [(NameMismatch, "expected: Enum2", "/fields/1/type/name")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityReaderFieldMissingDefaultValue.java

incompatible! {
    java_reader_field_missing_default_value_1_a_int_record1_vs_empty_record1 => A_INT_RECORD1, EMPTY_RECORD1,
        [(ReaderFieldMissingDefaultValue, "a", "/fields/0")];
    java_reader_field_missing_default_value_2_a_int_b_dint_record1_vs_empty_record1 =>
        A_INT_B_DINT_RECORD1, EMPTY_RECORD1, [(ReaderFieldMissingDefaultValue, "a", "/fields/0")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityTypeMismatch.java (the list repeats NULL/INT at the end)

incompatible! {
    java_type_mismatch_01_null_vs_int => NULL, INT,
        [(TypeMismatch, "reader type: NULL not compatible with writer type: INT", "/")];
    java_type_mismatch_02_null_vs_long => NULL, LONG,
        [(TypeMismatch, "reader type: NULL not compatible with writer type: LONG", "/")];
    java_type_mismatch_03_boolean_vs_int => BOOLEAN, INT,
        [(TypeMismatch, "reader type: BOOLEAN not compatible with writer type: INT", "/")];
    java_type_mismatch_04_int_vs_null => INT, NULL,
        [(TypeMismatch, "reader type: INT not compatible with writer type: NULL", "/")];
    java_type_mismatch_05_int_vs_boolean => INT, BOOLEAN,
        [(TypeMismatch, "reader type: INT not compatible with writer type: BOOLEAN", "/")];
    java_type_mismatch_06_int_vs_long => INT, LONG,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/")];
    java_type_mismatch_07_int_vs_float => INT, FLOAT,
        [(TypeMismatch, "reader type: INT not compatible with writer type: FLOAT", "/")];
    java_type_mismatch_08_int_vs_double => INT, DOUBLE,
        [(TypeMismatch, "reader type: INT not compatible with writer type: DOUBLE", "/")];
    java_type_mismatch_09_long_vs_float => LONG, FLOAT,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: FLOAT", "/")];
    java_type_mismatch_10_long_vs_double => LONG, DOUBLE,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: DOUBLE", "/")];
    java_type_mismatch_11_float_vs_double => FLOAT, DOUBLE,
        [(TypeMismatch, "reader type: FLOAT not compatible with writer type: DOUBLE", "/")];
    java_type_mismatch_12_double_vs_string => DOUBLE, STRING,
        [(TypeMismatch, "reader type: DOUBLE not compatible with writer type: STRING", "/")];
    java_type_mismatch_13_fixed_4_bytes_vs_string => FIXED_4_BYTES, STRING,
        [(TypeMismatch, "reader type: FIXED not compatible with writer type: STRING", "/")];
    java_type_mismatch_14_string_vs_boolean => STRING, BOOLEAN,
        [(TypeMismatch, "reader type: STRING not compatible with writer type: BOOLEAN", "/")];
    java_type_mismatch_15_string_vs_int => STRING, INT,
        [(TypeMismatch, "reader type: STRING not compatible with writer type: INT", "/")];
    java_type_mismatch_16_bytes_vs_null => BYTES, NULL,
        [(TypeMismatch, "reader type: BYTES not compatible with writer type: NULL", "/")];
    java_type_mismatch_17_bytes_vs_int => BYTES, INT,
        [(TypeMismatch, "reader type: BYTES not compatible with writer type: INT", "/")];
    java_type_mismatch_18_a_int_record1_vs_int => A_INT_RECORD1, INT,
        [(TypeMismatch, "reader type: RECORD not compatible with writer type: INT", "/")];
    java_type_mismatch_19_int_array_vs_long_array => INT_ARRAY, LONG_ARRAY,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/items")];
    java_type_mismatch_20_int_map_vs_int_array => INT_MAP, INT_ARRAY,
        [(TypeMismatch, "reader type: MAP not compatible with writer type: ARRAY", "/")];
    java_type_mismatch_21_int_array_vs_int_map => INT_ARRAY, INT_MAP,
        [(TypeMismatch, "reader type: ARRAY not compatible with writer type: MAP", "/")];
    java_type_mismatch_22_int_map_vs_long_map => INT_MAP, LONG_MAP,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/values")];
    java_type_mismatch_23_int_vs_enum2_ab => INT, ENUM2_AB,
        [(TypeMismatch, "reader type: INT not compatible with writer type: ENUM", "/")];
    java_type_mismatch_24_enum2_ab_vs_int => ENUM2_AB, INT,
        [(TypeMismatch, "reader type: ENUM not compatible with writer type: INT", "/")];
    java_type_mismatch_25_float_vs_int_long_float_double_union => FLOAT, INT_LONG_FLOAT_DOUBLE_UNION,
        [(TypeMismatch, "reader type: FLOAT not compatible with writer type: DOUBLE", "/3")];
    java_type_mismatch_26_long_vs_int_float_union => LONG, INT_FLOAT_UNION,
        [(TypeMismatch, "reader type: LONG not compatible with writer type: FLOAT", "/1")];
    java_type_mismatch_27_int_vs_int_float_union => INT, INT_FLOAT_UNION,
        [(TypeMismatch, "reader type: INT not compatible with writer type: FLOAT", "/1")];
    java_type_mismatch_28_int_list_record_vs_long_list_record => INT_LIST_RECORD, LONG_LIST_RECORD,
        [(TypeMismatch, "reader type: INT not compatible with writer type: LONG", "/fields/0/type")];
    java_type_mismatch_29_null_vs_int => NULL, INT,
        [(TypeMismatch, "reader type: NULL not compatible with writer type: INT", "/")];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityMultiple.java (SchemaBuilder spelled as JSON).

pub const MULTIPLE_READER: &str = r#"{"type":"record","name":"base","fields":[
  {"name":"check_enum_symbols_field","type":{"type":"enum","name":"check_enum_symbols_type","symbols":["A","C"]}},
  {"name":"check_enum_name_field","type":{"type":"enum","name":"check_enum_name_type","symbols":["A","B","C","D"]}},
  {"name":"type_mismatch_field","type":"string"},
  {"name":"sub_record","type":{"type":"record","name":"sub_record_type","fields":[
    {"name":"identical_1_field","type":"long","default":42},
    {"name":"extra_no_default_field","type":"long"},
    {"name":"fixed_length_mismatch_field","type":{"type":"fixed","name":"fixed_length_mismatch_type","size":4}},
    {"name":"union_missing_branches_field","type":["boolean"]},
    {"name":"reader_union_does_not_support_type_field","type":["boolean"]},
    {"name":"record_fqn_mismatch_field","type":{"type":"record","name":"recordA","namespace":"not_nsA","fields":[
      {"name":"A_field_0","type":"boolean","default":true},
      {"name":"array_type_mismatch_field","type":{"type":"array","items":"string"}}]}}]}}]}"#;

pub const MULTIPLE_WRITER: &str = r#"{"type":"record","name":"base","fields":[
  {"name":"check_enum_symbols_field","type":{"type":"enum","name":"check_enum_symbols_type","symbols":["A","B","C","D"]}},
  {"name":"check_enum_name_field","type":{"type":"enum","name":"check_enum_name_type_ERR","symbols":["A","B","C","D"]}},
  {"name":"type_mismatch_field","type":"long"},
  {"name":"sub_record","type":{"type":"record","name":"sub_record_type","fields":[
    {"name":"identical_1_field","type":"long","default":42},
    {"name":"fixed_length_mismatch_field","type":{"type":"fixed","name":"fixed_length_mismatch_type","size":8}},
    {"name":"union_missing_branches_field","type":["boolean","double","string"]},
    {"name":"reader_union_does_not_support_type_field","type":"long"},
    {"name":"record_fqn_mismatch_field","type":{"type":"record","name":"recordA","namespace":"nsA","fields":[
      {"name":"A_field_0","type":"boolean","default":true},
      {"name":"array_type_mismatch_field","type":{"type":"array","items":"boolean"}}]}}]}}]}"#;

incompatible! {
    java_multiple_incompatibilities => MULTIPLE_READER, MULTIPLE_WRITER, [
        (MissingEnumSymbols, "[B, D]", "/fields/0/type/symbols"),
        (NameMismatch, "expected: check_enum_name_type_ERR", "/fields/1/type/name"),
        (TypeMismatch, "reader type: STRING not compatible with writer type: LONG", "/fields/2/type"),
        (ReaderFieldMissingDefaultValue, "extra_no_default_field", "/fields/3/type/fields/1"),
        (FixedSizeMismatch, "expected: 8, found: 4", "/fields/3/type/fields/2/type/size"),
        (MissingUnionBranch, "reader union lacking writer type: DOUBLE", "/fields/3/type/fields/3/type/1"),
        (MissingUnionBranch, "reader union lacking writer type: STRING", "/fields/3/type/fields/3/type/2"),
        (MissingUnionBranch, "reader union lacking writer type: LONG", "/fields/3/type/fields/4/type"),
        (TypeMismatch, "reader type: STRING not compatible with writer type: BOOLEAN",
            "/fields/3/type/fields/5/type/fields/1/type/items"),
    ];
}

// ---------------------------------------------------------------------------
// TestSchemaCompatibilityEnumDefaults.java: Java decodes data there; these
// assert the checker's verdict on the same schema pairs (derived from
// SchemaCompatibility.java, consistent with the decoding outcomes).

pub const ENUM_DEFAULTS_WRITER_FIELD2_ENUM2: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field2","type":{"type":"enum","name":"Enum2","symbols":["A","B"]}}]}"#;
pub const ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum","symbols":["A","B"],"default":"A"}}]}"#;
pub const ENUM_DEFAULTS_WRITER_FIELD1_ENUM_ABC_DEFAULT_A: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum","symbols":["A","B","C"],"default":"A"}}]}"#;
pub const ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A_FIELD_DEFAULT_B: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum","symbols":["A","B"],"default":"A"},"default":"B"}]}"#;
pub const ENUM_DEFAULTS_WRITER_FIELD1_ENUM1_ABC: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B","C"]}}]}"#;
pub const ENUM_DEFAULTS_READER_FIELD1_ENUM1_AB_FIELD_DEFAULT_A: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B"]},"default":"A"}]}"#;

incompatible! {
    // enumDefaultNotAppliedWhenWriterFieldMissing: Java compares the enum
    // with the writer *record* (checkReaderWriterRecordFields).
    java_enum_defaults_not_applied_when_writer_field_missing =>
        ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A, ENUM_DEFAULTS_WRITER_FIELD2_ENUM2,
        [(TypeMismatch, "reader type: ENUM not compatible with writer type: RECORD", "/fields/0/type")];
    // fieldDefaultNotAppliedForUnknownSymbol: a field default is no enum default.
    java_enum_defaults_field_default_not_applied_for_unknown_symbol =>
        ENUM_DEFAULTS_READER_FIELD1_ENUM1_AB_FIELD_DEFAULT_A, ENUM_DEFAULTS_WRITER_FIELD1_ENUM1_ABC,
        [(MissingEnumSymbols, "[C]", "/fields/0/type/symbols")];
}

compatible! {
    java_enum_defaults_applied_when_no_field_default_defined =>
        ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A, ENUM_DEFAULTS_WRITER_FIELD1_ENUM_ABC_DEFAULT_A;
    java_enum_defaults_not_applied_when_compatible_symbol_is_found =>
        ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A, ENUM_DEFAULTS_WRITER_FIELD1_ENUM_ABC_DEFAULT_A;
    java_enum_defaults_applied_when_field_default_defined =>
        ENUM_DEFAULTS_READER_FIELD1_ENUM_AB_DEFAULT_A_FIELD_DEFAULT_B, ENUM_DEFAULTS_WRITER_FIELD1_ENUM_ABC_DEFAULT_A;
}
