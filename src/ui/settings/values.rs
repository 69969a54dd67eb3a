//! Setting values as the controls show and read them: a choice's picker value, a number's text.

use crate::sim::config::settings::Choice;
use crate::sim::kernel::numfmt::plain;
use crate::sim::kernel::numparse::parse_finite;
use serde_json::Value;

/// The JSON value of a choice.
pub fn choice_json(c: &Choice) -> Value {
    serde_json::from_str(c.json).unwrap_or(Value::Null)
}

/// What a picker uses for a value: the string itself, or the `mode` of a choice given as an object
/// (`{"mode":"auto","interval_ms":5000}` is `auto`).
pub fn shown_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("mode").and_then(Value::as_str).unwrap_or_default().to_string(),
        other => other.to_string(),
    }
}

pub fn choice_value(c: &Choice) -> String {
    shown_value(&choice_json(c))
}

/// A number as a field shows it (none: empty).
pub fn shown_number(v: &Value) -> String {
    match v {
        Value::Number(n) => n.as_u64().map(|u| u.to_string()).unwrap_or_else(|| plain(n.as_f64().unwrap_or(0.0))),
        _ => String::new(),
    }
}

/// Reads a number typed into a field: whole numbers as integers (what whole-number settings take),
/// others as decimals; an empty field is none where `may_be_none`. The setting's own check then
/// says whether the number is in range.
pub fn parse_number(text: &str, may_be_none: bool) -> Result<Value, String> {
    let t = text.trim();
    if t.is_empty() && may_be_none {
        return Ok(Value::Null);
    }
    // `t.parse::<f64>()` without the standard library's parser (12 kB brotli of the web build).
    let v = parse_finite(t).ok_or_else(|| format!("must be a number (got “{t}”)"))?;
    if v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 {
        return Ok(Value::from(v as u64));
    }
    Ok(Value::from(v))
}
