//! Rules of Java's `SchemaCompatibility` that Avro's own tests do not pin
//! down, each checked against the Java source it comes from.

use eda_lab::sim::patterns::schema::{
    check, parse, Compatibility, IncompatibilityKind as K, MAX_CHECK_DEPTH, MAX_INCOMPATIBILITIES,
};

fn run(reader: &str, writer: &str) -> Compatibility {
    let r = parse(reader).unwrap_or_else(|e| panic!("reader: {e}"));
    let w = parse(writer).unwrap_or_else(|e| panic!("writer: {e}"));
    check(&r, &w)
}

fn triples(c: &Compatibility) -> Vec<(K, String, String)> {
    c.incompatibilities.iter().map(|i| (i.kind, i.message.clone(), i.location.clone())).collect()
}

fn one(kind: K, message: &str, location: &str) -> Vec<(K, String, String)> {
    vec![(kind, message.to_string(), location.to_string())]
}

// --- names: schemaNameEquals compares unqualified names, then reader aliases

#[test]
fn names_compare_unqualified() {
    let c = run(r#"{"type":"fixed","name":"a.F","size":1}"#, r#"{"type":"fixed","name":"b.F","size":1}"#);
    assert!(c.compatible);
}

#[test]
fn reader_alias_is_qualified_with_reader_namespace() {
    let reader = r#"{"type":"enum","name":"New","namespace":"ns","aliases":["Old"],"symbols":["A"]}"#;
    assert!(run(reader, r#"{"type":"enum","name":"ns.Old","symbols":["A"]}"#).compatible);
    // Java: alias "Old" of ns.New means ns.Old, so a null-namespace Old is no match
    // (Python compares the alias verbatim and would accept).
    let c = run(reader, r#"{"type":"enum","name":"Old","symbols":["A"]}"#);
    assert_eq!(triples(&c), one(K::NameMismatch, "expected: Old", "/name"));
}

#[test]
fn reader_alias_with_explicit_namespace() {
    let reader = r#"{"type":"record","name":"New","namespace":"ns","aliases":["other.Old"],"fields":[]}"#;
    assert!(run(reader, r#"{"type":"record","name":"Old","namespace":"other","fields":[]}"#).compatible);
}

#[test]
fn reader_alias_in_null_namespace_of_namespaced_type_never_matches() {
    // Java's getAliases() prints such an alias as ".Old".
    let reader = r#"{"type":"record","name":"New","namespace":"ns","aliases":[".Old"],"fields":[]}"#;
    let c = run(reader, r#"{"type":"record","name":"Old","fields":[]}"#);
    assert_eq!(triples(&c), one(K::NameMismatch, "expected: Old", "/name"));
}

#[test]
fn writer_aliases_are_ignored() {
    let writer = r#"{"type":"record","name":"Old","aliases":["New"],"fields":[]}"#;
    let c = run(r#"{"type":"record","name":"New","fields":[]}"#, writer);
    assert_eq!(triples(&c), one(K::NameMismatch, "expected: Old", "/name"));
}

#[test]
fn name_mismatch_message_uses_writer_full_name() {
    let c = run(r#"{"type":"enum","name":"a.E","symbols":["A"]}"#, r#"{"type":"enum","name":"b.F","symbols":["A"]}"#);
    assert_eq!(triples(&c), one(K::NameMismatch, "expected: b.F", "/name"));
}

#[test]
fn name_and_size_both_reported_in_order() {
    let c = run(r#"{"type":"fixed","name":"A","size":1}"#, r#"{"type":"fixed","name":"B","size":2}"#);
    let mut want = one(K::NameMismatch, "expected: B", "/name");
    want.extend(one(K::FixedSizeMismatch, "expected: 2, found: 1", "/size"));
    assert_eq!(triples(&c), want);
}

// --- records

#[test]
fn reader_field_alias_finds_writer_field() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"b","type":"int","aliases":["a"]}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}"#;
    let c = run(reader, writer);
    assert_eq!(
        triples(&c),
        one(K::TypeMismatch, "reader type: INT not compatible with writer type: STRING", "/fields/0/type")
    );
}

#[test]
fn writer_field_aliases_are_ignored() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}"#;
    assert_eq!(triples(&run(reader, writer)), one(K::ReaderFieldMissingDefaultValue, "b", "/fields/0"));
}

#[test]
fn reader_field_matching_two_writer_fields_is_reported() {
    // Java's lookupWriterField throws AvroRuntimeException here.
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    let c = run(reader, writer);
    assert_eq!(c.incompatibilities.len(), 1);
    assert_eq!(c.incompatibilities[0].kind, K::AmbiguousWriterField);
    assert_eq!(c.incompatibilities[0].location, "/fields/0");
}

#[test]
fn reader_field_alias_repeating_its_name_is_ambiguous_as_in_java() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["a"]}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    assert_eq!(run(reader, writer).incompatibilities[0].kind, K::AmbiguousWriterField);
}

#[test]
fn missing_field_with_null_default_is_fine() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"x","type":["null","int"],"default":null}]}"#;
    assert!(run(reader, r#"{"type":"record","name":"R","fields":[]}"#).compatible);
}

#[test]
fn field_order_in_records_does_not_matter() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"b","type":"long"},{"name":"a","type":"int"}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    assert!(run(reader, writer).compatible);
}

#[test]
fn all_missing_fields_are_reported() {
    let reader = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    let c = run(reader, r#"{"type":"record","name":"R","fields":[]}"#);
    let mut want = one(K::ReaderFieldMissingDefaultValue, "a", "/fields/0");
    want.extend(one(K::ReaderFieldMissingDefaultValue, "b", "/fields/1"));
    assert_eq!(triples(&c), want);
}

// --- enums (symbol defaults since Avro 1.9, AVRO-1340)

#[test]
fn missing_enum_symbols_are_sorted() {
    let c = run(
        r#"{"type":"enum","name":"E","symbols":["Z"]}"#,
        r#"{"type":"enum","name":"E","symbols":["Z","Y","B","X"]}"#,
    );
    assert_eq!(triples(&c), one(K::MissingEnumSymbols, "[B, X, Y]", "/symbols"));
}

#[test]
fn writer_enum_default_does_not_help() {
    let c = run(
        r#"{"type":"enum","name":"E","symbols":["A"]}"#,
        r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#,
    );
    assert_eq!(triples(&c), one(K::MissingEnumSymbols, "[B]", "/symbols"));
}

#[test]
fn missing_field_with_enum_default_compares_enum_with_writer_record() {
    // Java quirk (checkReaderWriterRecordFields): the enum is checked against
    // the writer *record*, a type mismatch at /fields/N/type.
    let reader = r#"{"type":"record","name":"R","fields":[
        {"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}}]}"#;
    let c = run(reader, r#"{"type":"record","name":"R","fields":[]}"#);
    assert_eq!(
        triples(&c),
        one(K::TypeMismatch, "reader type: ENUM not compatible with writer type: RECORD", "/fields/0/type")
    );
}

// --- unions

#[test]
fn reader_union_picks_any_branch() {
    assert!(
        run(r#"["null","string",{"type":"array","items":"long"}]"#, r#"{"type":"array","items":"int"}"#).compatible
    );
}

#[test]
fn reader_union_without_match() {
    let c = run(r#"["null","string"]"#, r#""int""#);
    assert_eq!(triples(&c), one(K::MissingUnionBranch, "reader union lacking writer type: INT", "/"));
}

#[test]
fn union_branch_names_must_match_unqualified() {
    let reader = r#"[{"type":"record","name":"a.R","fields":[]}]"#;
    assert!(run(reader, r#"[{"type":"record","name":"b.R","fields":[]}]"#).compatible);
    let c = run(reader, r#"[{"type":"record","name":"S","fields":[]}]"#);
    assert_eq!(triples(&c), one(K::MissingUnionBranch, "reader union lacking writer type: RECORD", "/0"));
}

#[test]
fn writer_union_inside_record_reports_each_branch() {
    let c = run(
        r#"{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]}"#,
        r#"{"type":"record","name":"R","fields":[{"name":"x","type":["null","int","string"]}]}"#,
    );
    let mut want = one(K::TypeMismatch, "reader type: INT not compatible with writer type: NULL", "/fields/0/type/0");
    want.extend(one(K::TypeMismatch, "reader type: INT not compatible with writer type: STRING", "/fields/0/type/2"));
    assert_eq!(triples(&c), want);
}

#[test]
fn empty_writer_union_is_readable_by_anything() {
    assert!(run(r#""int""#, "[]").compatible);
    let c = run("[]", r#""int""#);
    assert_eq!(triples(&c), one(K::MissingUnionBranch, "reader union lacking writer type: INT", "/"));
}

// --- logical types are ignored, as in Java

#[test]
fn logical_types_are_ignored() {
    assert!(run(r#"{"type":"int","logicalType":"date"}"#, r#""int""#).compatible);
    assert!(
        run(r#"{"type":"long","logicalType":"timestamp-millis"}"#, r#"{"type":"int","logicalType":"date"}"#).compatible
    );
    assert!(run(r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#, r#""string""#).compatible);
    let c = run(r#"{"type":"string","logicalType":"uuid"}"#, r#"{"type":"int","logicalType":"date"}"#);
    assert_eq!(triples(&c), one(K::TypeMismatch, "reader type: STRING not compatible with writer type: INT", "/"));
}

// --- recursion and memoisation

#[test]
fn mutually_recursive_records_terminate() {
    let reader = r#"{"type":"record","name":"A","fields":[
        {"name":"b","type":["null",{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"]},{"name":"n","type":"long"}]}]}]}"#;
    let writer = r#"{"type":"record","name":"A","fields":[
        {"name":"b","type":["null",{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"]},{"name":"n","type":"int"}]}]}]}"#;
    assert!(run(reader, writer).compatible);
    let c = run(writer, reader);
    assert_eq!(triples(&c), one(K::MissingUnionBranch, "reader union lacking writer type: RECORD", "/fields/0/type/1"));
}

#[test]
fn shared_named_type_reuses_memoised_result_and_location() {
    // Java memoises the (reader E, writer E) result with the location of its
    // first visit and hands the same list to the second field.
    let reader = r#"{"type":"record","name":"R","fields":[
        {"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":"E"}]}"#;
    let writer = r#"{"type":"record","name":"R","fields":[
        {"name":"a","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"b","type":"E"}]}"#;
    let c = run(reader, writer);
    let mut want = one(K::MissingEnumSymbols, "[B]", "/fields/0/type/symbols");
    want.extend(one(K::MissingEnumSymbols, "[B]", "/fields/0/type/symbols"));
    assert_eq!(triples(&c), want);
}

/// A ring of `n` records P0 → P1 → … → P(n-1) → P0 linked by a field
/// `next`. P1..P(n-1) are defined in sibling fields of P0 (last one first,
/// each referring to the next, the last back to P0), so nesting stays
/// shallow while the cycle is long. `optional` puts `next` in a union.
fn ring(n: usize, prefix: &str, optional: bool) -> String {
    let link = |target: String| {
        if optional {
            format!(r#"["null","{target}"],"default":null"#)
        } else {
            format!("\"{target}\"")
        }
    };
    let mut fields = Vec::new();
    for k in (1..n).rev() {
        let target = if k == n - 1 { format!("{prefix}0") } else { format!("{prefix}{}", k + 1) };
        fields.push(format!(
            r#"{{"name":"{prefix}d{k}","type":{{"type":"record","name":"{prefix}{k}","fields":[{{"name":"next","type":{}}}]}}}}"#,
            link(target)
        ));
    }
    fields.push(format!(r#"{{"name":"next","type":{}}}"#, link(format!("{prefix}1"))));
    format!(r#"{{"type":"record","name":"{prefix}0","fields":[{}]}}"#, fields.join(","))
}

/// Runs the check on a 1 MiB stack, about what a browser's wasm build gets.
fn run_small_stack(reader: String, writer: String) -> Compatibility {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || run(&reader, &writer))
        .map(|h| h.join())
        .unwrap_or_else(|e| panic!("spawn: {e}"))
        .unwrap_or_else(|_| panic!("check panicked"))
}

#[test]
fn lock_step_recursion_with_coprime_cycles_hits_the_depth_limit() {
    // Cycle lengths 61 and 63 give 3843 distinct reader/writer pairs in a
    // row; the walk stops at MAX_CHECK_DEPTH and says so.
    let c = run_small_stack(ring(61, "A", false), ring(63, "B", false));
    assert!(!c.compatible);
    let deep: Vec<_> = c.incompatibilities.iter().filter(|i| i.kind == K::TooDeep).collect();
    assert_eq!(deep.len(), 1, "{:?}", triples(&c));
    assert_eq!(deep[0].location.matches("/type").count(), MAX_CHECK_DEPTH, "{}", deep[0].location);
}

#[test]
fn lock_step_recursion_through_unions_does_not_overflow() {
    // Through unions each step costs three nested checks; the depth limit
    // still bounds the stack. The TOO_DEEP itself stays inside a union
    // branch check, which Java reduces to MISSING_UNION_BRANCH.
    let c = run_small_stack(ring(61, "A", true), ring(63, "B", true));
    assert!(!c.compatible);
}

#[test]
fn equal_rings_are_compatible() {
    assert!(run(&ring(61, "A", true), &ring(61, "A", true)).compatible);
    assert!(run(&ring(61, "A", false), &ring(61, "A", false)).compatible);
}

#[test]
fn incompatibilities_are_capped() {
    let fields: Vec<String> =
        (0..MAX_INCOMPATIBILITIES + 50).map(|i| format!(r#"{{"name":"f{i}","type":"int"}}"#)).collect();
    let reader = format!(r#"{{"type":"record","name":"R","fields":[{}]}}"#, fields.join(","));
    let c = run(&reader, r#"{"type":"record","name":"R","fields":[]}"#);
    assert!(!c.compatible);
    assert_eq!(c.incompatibilities.len(), MAX_INCOMPATIBILITIES);
}

// --- fragments

#[test]
fn fragments_are_the_failing_sub_schemas() {
    let c = run(
        r#"{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"array","items":"int"}}]}"#,
        r#"{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"array","items":"string"}}]}"#,
    );
    let i = &c.incompatibilities[0];
    assert_eq!((i.reader_fragment.as_str(), i.writer_fragment.as_str()), ("\"int\"", "\"string\""));
    let c = run(
        r#"{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]}"#,
        r#"{"type":"record","name":"R","fields":[]}"#,
    );
    let i = &c.incompatibilities[0];
    assert!(i.reader_fragment.contains("\"name\":\"R\""), "{}", i.reader_fragment);
    assert_eq!(i.writer_fragment, r#"{"fields":[],"name":"R","type":"record"}"#);
}

#[test]
fn display_names_kind_location_and_message() {
    let c = run(r#""int""#, r#""string""#);
    assert_eq!(
        c.incompatibilities[0].to_string(),
        "TYPE_MISMATCH at /: reader type: INT not compatible with writer type: STRING"
    );
}
