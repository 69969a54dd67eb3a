//! Parser behaviour: every malformed-schema error path names the problem
//! and where it is; valid schemas parse as Java's `Schema.Parser` reads
//! them; and no input, however malformed, makes the parser panic.

use eda_lab::sim::patterns::schema::{
    check, parse, Kind, Node, Order, Schema, SchemaError, SchemaErrorKind as E, MAX_DEPTH,
};

fn err(text: &str) -> SchemaError {
    match parse(text) {
        Ok(s) => panic!("expected an error for {text}, parsed {}", s.to_json()),
        Err(e) => e,
    }
}

fn expect(text: &str, kind: E, display: &str) {
    let e = err(text);
    assert_eq!(e.kind, kind, "{text}: {e}");
    assert_eq!(e.to_string(), display, "{text}");
}

pub fn ok(text: &str) -> Schema {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

// --- error paths, with the exact text users see

#[test]
fn unknown_field_type_names_field_and_record() {
    expect(
        r#"{"type":"record","name":"Deposited","fields":[{"name":"amount","type":"integer"}]}"#,
        E::UnknownType,
        r#"field "amount" of record "Deposited": unknown type "integer""#,
    );
}

#[test]
fn context_nests_innermost_first() {
    expect(
        r#"{"type":"record","name":"a.Outer","fields":[{"name":"xs","type":{"type":"array","items":
            ["null",{"type":"map","values":{"type":"record","name":"Inner","fields":[{"name":"n","type":"nope"}]}}]}}]}"#,
        E::UnknownType,
        r#"field "n" of record "a.Inner" of map values of union branch 1 of array items of field "xs" of record "a.Outer": unknown type "nope""#,
    );
}

#[test]
fn invalid_json() {
    for text in ["", "{", "[1,", "\"int\" x", "{\"type\":}", "nul"] {
        assert_eq!(err(text).kind, E::InvalidJson, "{text}");
    }
    assert!(err("{").to_string().starts_with("invalid JSON: "));
}

#[test]
fn json_nested_beyond_serde_limit_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000);
    assert_eq!(err(&text).kind, E::InvalidJson);
    let text = format!("{}\"int\"{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(err(&text).kind, E::InvalidJson);
}

#[test]
fn not_a_schema() {
    for text in ["5", "true", "null", "1.5", r#"{"type":"array","items":5}"#] {
        assert_eq!(err(text).kind, E::NotASchema, "{text}");
    }
    expect("5", E::NotASchema, "expected a type name, an object or a union array, found 5");
}

#[test]
fn unknown_types() {
    expect(r#""integer""#, E::UnknownType, r#"unknown type "integer""#);
    expect(r#""record""#, E::UnknownType, r#"unknown type "record""#);
    // Java's parser does not accept a named type in the object form either.
    let text = r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"R"}}]}"#;
    assert_eq!(err(text).kind, E::UnknownType);
    expect(
        r#"{"type":"union"}"#,
        E::UnknownType,
        r#"unknown type "union": "type" must be a primitive or one of record, error, enum, array, map, fixed"#,
    );
}

#[test]
fn missing_attributes() {
    expect("{}", E::MissingAttribute, r#"missing "type""#);
    expect(r#"{"type":"record","fields":[]}"#, E::MissingAttribute, r#"missing "name""#);
    expect(r#"{"type":"record","name":"R"}"#, E::MissingAttribute, r#"record "R": missing "fields" array"#);
    expect(r#"{"type":"record","name":"R","fields":{}}"#, E::MissingAttribute, r#"record "R": missing "fields" array"#);
    expect(r#"{"type":"enum","name":"E"}"#, E::MissingAttribute, r#"enum "E": missing "symbols" array"#);
    expect(r#"{"type":"array"}"#, E::MissingAttribute, r#"missing "items""#);
    expect(r#"{"type":"map"}"#, E::MissingAttribute, r#"missing "values""#);
    expect(
        r#"{"type":"record","name":"R","fields":[{"type":"int"}]}"#,
        E::MissingAttribute,
        r#"record "R": field 0 has no "name""#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a"}]}"#,
        E::MissingAttribute,
        r#"field "a" of record "R": missing "type""#,
    );
}

#[test]
fn invalid_attributes() {
    expect(r#"{"type":5}"#, E::InvalidAttribute, r#""type" must be a string, found 5"#);
    expect(r#"{"type":"record","name":5,"fields":[]}"#, E::InvalidAttribute, r#""name" must be a string, found 5"#);
    expect(
        r#"{"type":"record","name":"R","namespace":5,"fields":[]}"#,
        E::InvalidAttribute,
        r#""namespace" must be a string, found 5"#,
    );
    expect(
        r#"{"type":"record","name":"R","doc":[],"fields":[]}"#,
        E::InvalidAttribute,
        r#""doc" must be a string, found []"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[5]}"#,
        E::InvalidAttribute,
        r#"record "R": field 0 is not an object"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":1,"type":"int"}]}"#,
        E::InvalidAttribute,
        r#"record "R": field 0: "name" must be a string"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"sideways"}]}"#,
        E::InvalidAttribute,
        r#"field "a" of record "R": "order" must be "ascending", "descending" or "ignore""#,
    );
    expect(
        r#"{"type":"record","name":"R","aliases":"S","fields":[]}"#,
        E::InvalidAttribute,
        r#""aliases" must be an array of strings"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":[1]}]}"#,
        E::InvalidAttribute,
        r#"field "a" of record "R": "aliases" must contain strings, found 1"#,
    );
    expect(
        r#"{"type":"enum","name":"E","symbols":["A",2]}"#,
        E::InvalidAttribute,
        r#"enum "E": "symbols" must contain strings, found 2"#,
    );
}

#[test]
fn invalid_names() {
    expect(
        r#"{"type":"record","name":"1abc","fields":[]}"#,
        E::InvalidName,
        r#"invalid name "1abc": must start with a letter or '_'"#,
    );
    expect(
        r#"{"type":"fixed","name":"a-b","size":1}"#,
        E::InvalidName,
        r#"invalid name "a-b": only letters, digits and '_' are allowed"#,
    );
    expect(r#"{"type":"fixed","name":"","size":1}"#, E::InvalidName, r#"invalid name "": empty name"#);
    expect(
        r#"{"type":"fixed","name":"F","namespace":"a..b","size":1}"#,
        E::InvalidName,
        r#"invalid namespace in "a..b.F": empty name"#,
    );
    expect(
        r#"{"type":"fixed","name":"1a.F","size":1}"#,
        E::InvalidName,
        r#"invalid namespace in "1a.F": must start with a letter or '_'"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"bad-name","type":"int"}]}"#,
        E::InvalidName,
        r#"record "R": invalid field name "bad-name": only letters, digits and '_' are allowed"#,
    );
    expect(
        r#"{"type":"enum","name":"E","symbols":["A","1B"]}"#,
        E::InvalidName,
        r#"enum "E": invalid symbol "1B": must start with a letter or '_'"#,
    );
    expect(r#"{"type":"record","name":"int","fields":[]}"#, E::InvalidName, r#"a named type may not be called "int""#);
    // ... but in a namespace a primitive's name is allowed, as in Java.
    ok(r#"{"type":"record","name":"ns.int","fields":[]}"#);
    // Names are ASCII, per the specification (Java's default also admits
    // Unicode letters).
    assert_eq!(err(r#"{"type":"fixed","name":"Größe","size":1}"#).kind, E::InvalidName);
}

#[test]
fn redefinition() {
    expect(
        r#"{"type":"record","name":"R","fields":[
            {"name":"a","type":{"type":"fixed","name":"F","size":1}},
            {"name":"b","type":{"type":"fixed","name":"F","size":1}}]}"#,
        E::Redefinition,
        r#"field "b" of record "R": "F" is already defined"#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"R","fields":[]}}]}"#,
        E::Redefinition,
        r#"field "a" of record "R": "R" is already defined"#,
    );
}

#[test]
fn duplicates() {
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}"#,
        E::DuplicateField,
        r#"record "R": duplicate field "a""#,
    );
    expect(
        r#"{"type":"enum","name":"E","symbols":["A","B","A"]}"#,
        E::DuplicateSymbol,
        r#"enum "E": duplicate symbol "A""#,
    );
}

#[test]
fn enum_defaults() {
    expect(
        r#"{"type":"enum","name":"E","symbols":["A"],"default":"Z"}"#,
        E::InvalidEnumDefault,
        r#"enum "E": default "Z" is not one of the symbols"#,
    );
    assert_eq!(err(r#"{"type":"enum","name":"E","symbols":["A"],"default":1}"#).kind, E::InvalidEnumDefault);
    match ok(r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"B"}"#).node(0) {
        Some(Node::Enum { default, .. }) => assert_eq!(default.as_deref(), Some("B")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fixed_sizes() {
    for bad in ["-1", "1.5", "\"4\"", "2147483648", "null"] {
        let text = format!(r#"{{"type":"fixed","name":"F","size":{bad}}}"#);
        assert_eq!(err(&text).kind, E::InvalidFixedSize, "{text}");
    }
    expect(
        r#"{"type":"fixed","name":"F"}"#,
        E::InvalidFixedSize,
        r#"fixed "F": "size" must be an integer from 0 to 2147483639, found nothing"#,
    );
    ok(r#"{"type":"fixed","name":"F","size":0}"#);
    ok(r#"{"type":"fixed","name":"F","size":2147483639}"#);
}

#[test]
fn union_rules() {
    expect(r#"["int",["long"]]"#, E::NestedUnion, "union branch 1: a union may not directly contain a union");
    expect(r#"["int","int"]"#, E::DuplicateUnionBranch, r#"union branch 1: duplicate union branch "int""#);
    expect(r#"["int",{"type":"int"}]"#, E::DuplicateUnionBranch, r#"union branch 1: duplicate union branch "int""#);
    expect(
        r#"[{"type":"array","items":"int"},{"type":"array","items":"long"}]"#,
        E::DuplicateUnionBranch,
        r#"union branch 1: duplicate union branch "array""#,
    );
    expect(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"b","type":["F","F"]}]}"#,
        E::DuplicateUnionBranch,
        r#"union branch 1 of field "b" of record "R": duplicate union branch "F""#,
    );
    // Named types are distinct by full name.
    ok(r#"[{"type":"fixed","name":"a.F","size":1},{"type":"fixed","name":"b.F","size":1},"null"]"#);
    ok("[]");
}

#[test]
fn invalid_field_defaults() {
    let field = |t: &str, d: &str| {
        format!(r#"{{"type":"record","name":"R","fields":[{{"name":"f","type":{t},"default":{d}}}]}}"#)
    };
    for (t, d) in [
        (r#""int""#, r#""x""#),
        (r#""int""#, "1.5"),
        (r#""int""#, "2147483648"),
        (r#""long""#, "9223372036854775808"),
        (r#""boolean""#, "0"),
        (r#""null""#, "0"),
        (r#""string""#, "null"),
        (r#"{"type":"array","items":"int"}"#, r#"[1,"x"]"#),
        (r#"{"type":"map","values":"int"}"#, r#"{"a":"x"}"#),
        (r#"["null","int"]"#, r#""x""#),
        (r#"{"type":"record","name":"S","fields":[{"name":"x","type":"int"}]}"#, "{}"),
        (r#""double""#, r#""abc""#),
    ] {
        let text = field(t, d);
        assert_eq!(err(&text).kind, E::InvalidDefault, "{text}");
    }
    expect(
        &field(r#""int""#, r#""x""#),
        E::InvalidDefault,
        r#"field "f" of record "R": default "x" does not match type "int""#,
    );
}

#[test]
fn valid_field_defaults() {
    let field = |t: &str, d: &str| {
        format!(r#"{{"type":"record","name":"R","fields":[{{"name":"f","type":{t},"default":{d}}}]}}"#)
    };
    for (t, d) in [
        (r#""int""#, "-2147483648"),
        (r#""long""#, "9223372036854775807"),
        (r#""float""#, "1"),
        (r#""double""#, r#""NaN""#),
        (r#""double""#, r#""-Infinity""#),
        (r#""float""#, r#""1.5""#),
        (r#""bytes""#, r#""\u00ff""#),
        (r#"{"type":"fixed","name":"F","size":2}"#, r#""ab""#),
        (r#"{"type":"enum","name":"E","symbols":["A"]}"#, r#""A""#),
        // Avro 1.12 (AVRO-3649): a union default may match any branch.
        (r#"["null","int"]"#, "3"),
        (r#"["int","null"]"#, "null"),
        // A record default may omit fields that have their own defaults.
        (r#"{"type":"record","name":"S","fields":[{"name":"x","type":"int","default":1}]}"#, "{}"),
        (r#"{"type":"map","values":["null","string"]}"#, r#"{"a":null,"b":"x"}"#),
    ] {
        ok(&field(t, d));
    }
}

#[test]
fn default_needing_an_enclosing_record_is_rejected_like_java() {
    // Java validates the default while the record's fields are not set yet
    // and fails ("Schema fields not set yet").
    expect(
        r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["Node","null"],"default":{"next":null}}]}"#,
        E::InvalidDefault,
        r#"field "next" of record "Node": default {"next":null} needs the fields of record "Node", which encloses it"#,
    );
    // A non-object default never looks at the fields.
    ok(r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["Node","null"],"default":null}]}"#);
}

#[test]
fn nesting_is_bounded() {
    let nested = |n: usize| {
        let mut text = "\"int\"".to_string();
        for _ in 0..n {
            text = format!(r#"{{"type":"array","items":{text}}}"#);
        }
        text
    };
    ok(&nested(MAX_DEPTH));
    let e = err(&nested(MAX_DEPTH + 1));
    assert_eq!(e.kind, E::TooDeep);
    assert!(e.message.contains("deeper than 64 levels"), "{e}");
}

// --- what valid schemas mean

#[test]
fn primitive_spellings_are_equivalent() {
    for p in ["null", "boolean", "int", "long", "float", "double", "bytes", "string"] {
        let a = ok(&format!("\"{p}\""));
        let b = ok(&format!(r#"{{"type":"{p}"}}"#));
        assert_eq!(a, b, "{p}");
        assert_eq!(a.kind(a.root()).avro_name(), p);
    }
}

#[test]
fn logical_types_are_kept_as_properties() {
    let s = ok(r#"{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}"#);
    match s.node(s.root()) {
        Some(Node::Primitive { kind: Kind::Bytes, props }) => {
            assert_eq!(props.get("logicalType").and_then(|v| v.as_str()), Some("decimal"));
            assert_eq!(props.get("precision").and_then(|v| v.as_i64()), Some(9));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn namespaces_inherit_and_resolve() {
    let s = ok(r#"{"type":"record","name":"Outer","namespace":"a.b","fields":[
        {"name":"x","type":{"type":"fixed","name":"F","size":1}},
        {"name":"y","type":"F"},
        {"name":"z","type":"a.b.F"},
        {"name":"w","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}},
        {"name":"v","type":{"type":"record","name":"c.In","fields":[{"name":"e","type":"E"},{"name":"g","type":{"type":"fixed","name":"G","size":2}}]}}]}"#);
    for name in ["a.b.Outer", "a.b.F", "E", "c.In", "c.G"] {
        assert!(s.lookup(name).is_some(), "{name} in {}", s.to_json());
    }
    let Some(Node::Record { fields, .. }) = s.node(s.root()) else { panic!() };
    let f = s.lookup("a.b.F");
    assert_eq!((Some(fields[0].schema), Some(fields[1].schema), Some(fields[2].schema)), (f, f, f));
}

#[test]
fn recursive_records_parse() {
    let s = ok(r#"{"type":"record","name":"LinkedList","fields":[
        {"name":"value","type":"long"},{"name":"next","type":["null","LinkedList"],"default":null}]}"#);
    let Some(Node::Record { fields, .. }) = s.node(s.root()) else { panic!() };
    let Some(Node::Union { branches }) = s.node(fields[1].schema) else { panic!() };
    assert_eq!(branches[1], s.root());
    assert!(check(&s, &s).compatible);
}

#[test]
fn names_must_be_defined_before_use() {
    // The specification requires it (Java 1.12 also resolves forward
    // references; Python does not).
    let text = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"F"},{"name":"b","type":{"type":"fixed","name":"F","size":1}}]}"#;
    assert_eq!(err(text).kind, E::UnknownType);
}

#[test]
fn field_attributes() {
    let s = ok(r#"{"type":"error","name":"Oops","fields":[
        {"name":"a","type":"int","order":"DESCENDING","aliases":["x","y","x"],"doc":"d","custom":1}]}"#);
    let Some(Node::Record { fields, is_error, .. }) = s.node(s.root()) else { panic!() };
    assert!(*is_error);
    assert_eq!(fields[0].order, Order::Descending);
    assert_eq!(fields[0].aliases, ["x", "y"]);
    assert_eq!(fields[0].doc.as_deref(), Some("d"));
    assert!(fields[0].props.contains_key("custom"));
}

#[test]
fn type_aliases_resolve_against_the_type_namespace() {
    let s = ok(r#"{"type":"record","name":"N","namespace":"ns","aliases":["Old","x.Y",".Z"],"fields":[]}"#);
    let named = s.node(s.root()).and_then(Node::named).cloned().unwrap_or_else(|| panic!());
    let fulls: Vec<String> = named.aliases.iter().map(|a| a.full()).collect();
    assert_eq!(fulls, ["ns.Old", "x.Y", "Z"]);
    assert_eq!(named.java_alias_strings(), ["ns.Old", "x.Y", ".Z"]);
}

#[test]
fn rendering_parses_back_to_the_same_schema() {
    for text in [
        r#"{"type":"record","name":"Outer","namespace":"a.b","aliases":["Old",".Z"],"doc":"d","fields":[
            {"name":"x","type":{"type":"fixed","name":"F","size":1,"logicalType":"x"}},
            {"name":"w","type":{"type":"enum","name":"E","namespace":"","symbols":["A"],"default":"A"}},
            {"name":"v","type":["null",{"type":"map","values":{"type":"array","items":"F"}}],"default":null,"order":"ignore"},
            {"name":"l","type":{"type":"record","name":"L","fields":[{"name":"n","type":["null","L"]}]}}]}"#,
        r#"[{"type":"int","logicalType":"date"},"string"]"#,
        r#"{"type":"error","name":"E","fields":[{"name":"m","type":"string","default":"x","aliases":["msg"],"doc":"why","p":[1]}]}"#,
    ] {
        let s = ok(text);
        let again = ok(&s.to_json());
        assert_eq!(s, again, "{}", s.to_json());
    }
}

#[test]
fn errors_display_without_context_at_top_level() {
    assert_eq!(err(r#""nope""#).to_string(), r#"unknown type "nope""#);
}
