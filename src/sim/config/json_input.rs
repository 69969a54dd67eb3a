//! Reading a user's JSON (a scenario file, a command log) so that an error names the field that is
//! wrong and says what was expected in plain words: `consumers.count: expected an integer, got the
//! string "3"`. `serde_path_to_error` tracks the path; this file turns serde's type names into
//! words a learner reads.

use serde::de::DeserializeOwned;

/// Parses `text` as a `T`, refusing anything but a JSON object at the top (serde would otherwise
/// read a list like `["x", "y", 5]` into the first fields of a struct, silently). `what` names the
/// document in messages ("a scenario"); `shape` is an example of it (see
/// [`refuse_lists_for_objects`]). The error is `path: message`, or just the message at the top.
pub fn parse_object<T: DeserializeOwned + serde::Serialize>(
    text: &str,
    what: &str,
    shape: &serde_json::Value,
) -> Result<T, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| syntax(&e))?;
    if !value.is_object() {
        return Err(format!("{what} is a JSON object ({{ ... }}), not {}", kind_of(&value)));
    }
    refuse_lists_for_objects(&value, shape, "")?;
    let parsed: T = from_value(value.clone())?;
    let written = serde_json::to_value(&parsed).map_err(|e| e.to_string())?;
    refuse_unknown_keys(&value, &written, "")?;
    Ok(parsed)
}

/// Refuses a list wherever `shape` (an example of the document, e.g. the default scenario) has an
/// object: serde would read `"topic": []` as "all defaults" without a word. Lists in `shape` give
/// the shape of their items by their first item.
pub fn refuse_lists_for_objects(
    input: &serde_json::Value,
    shape: &serde_json::Value,
    path: &str,
) -> Result<(), String> {
    use serde_json::Value::{Array, Object};
    match (input, shape) {
        (Object(fields), Object(shapes)) => {
            for (key, value) in fields {
                if let Some(s) = shapes.get(key) {
                    let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    refuse_lists_for_objects(value, s, &at)?;
                }
            }
            Ok(())
        }
        (Array(_), Object(_)) => Err(format!("{path}: expected an object, got a list")),
        (Array(items), Array(shapes)) => match shapes.first() {
            Some(s) => {
                items.iter().enumerate().try_for_each(|(i, v)| refuse_lists_for_objects(v, s, &format!("{path}[{i}]")))
            }
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Refuses a key of `input` that the parsed document does not have when written back (`output`,
/// which carries every field). serde's `deny_unknown_fields` misses one case this catches: extra
/// fields beside the tag of a unit variant (`{"mode": "after_processing", "surprise": 1}`).
pub fn refuse_unknown_keys(input: &serde_json::Value, output: &serde_json::Value, path: &str) -> Result<(), String> {
    use serde_json::Value::{Array, Object};
    match (input, output) {
        (Object(fields), Object(known)) => fields.iter().try_for_each(|(key, value)| {
            let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            match known.get(key) {
                Some(o) => refuse_unknown_keys(value, o, &at),
                None => Err(format!("{at}: unknown field `{key}`")),
            }
        }),
        (Array(items), Array(known)) => items
            .iter()
            .zip(known)
            .enumerate()
            .try_for_each(|(i, (v, o))| refuse_unknown_keys(v, o, &format!("{path}[{i}]"))),
        _ => Ok(()),
    }
}

/// Deserializes an already parsed value, naming the path of the first wrong field.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = plain(&e.into_inner().to_string());
        if path.is_empty() || path == "." {
            message
        } else {
            format!("{path}: {message}")
        }
    })
}

/// A syntax error, with where it is.
pub fn syntax(e: &serde_json::Error) -> String {
    format!("not valid JSON: {e}")
}

/// What a JSON value is, in words.
fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Rewrites serde's "invalid type: string \"3\", expected u32" as "expected an integer, got the
/// string \"3\""; other messages pass through.
fn plain(message: &str) -> String {
    let rest = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "));
    let Some(rest) = rest else { return message.to_string() };
    let Some((got, expected)) = rest.rsplit_once(", expected ") else { return message.to_string() };
    format!("expected {}, got {}", expected_words(expected), got_words(got))
}

fn expected_words(expected: &str) -> String {
    let range = match expected {
        "u8" => Some("255"),
        "u16" => Some("65535"),
        "u32" => Some("4294967295"),
        "u64" | "usize" => Some("18446744073709551615"),
        _ => None,
    };
    if let Some(max) = range {
        format!("an integer from 0 to {max}")
    } else if ["i8", "i16", "i32", "i64", "isize"].contains(&expected) {
        "an integer".into()
    } else if expected == "f64" || expected == "f32" {
        "a number".into()
    } else if expected == "a boolean" || expected == "bool" {
        "true or false".into()
    } else if expected.starts_with("struct ") || expected == "a map" {
        "an object".into()
    } else if expected == "a sequence" {
        "a list".into()
    } else {
        expected.to_string()
    }
}

fn got_words(got: &str) -> String {
    if let Some(s) = got.strip_prefix("string ") {
        format!("the string {s}")
    } else if let Some(n) = got.strip_prefix("integer ") {
        format!("the integer {}", n.trim_matches('`'))
    } else if let Some(n) = got.strip_prefix("floating point ") {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = got.strip_prefix("boolean ") {
        b.trim_matches('`').to_string()
    } else if got == "map" {
        "an object".into()
    } else if got == "sequence" {
        "a list".into()
    } else if got == "unit value" {
        "null".into()
    } else {
        got.to_string()
    }
}

/// Reads `bytes` as UTF-8 text, or says in plain words that it is not.
pub fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("the file is not UTF-8 text (byte {at} is not valid UTF-8); save it as UTF-8")
    })
}
