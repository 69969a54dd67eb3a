//! The headers exchange's match, as RabbitMQ's `rabbit_exchange_type_headers` does it: a
//! binding's arguments are compared with the message's headers, both sorted by name, in one
//! merge pass. `x-match` chooses the rule: `all` (also when absent or not a known value) needs
//! every argument matched; `any` needs one. Both skip arguments whose name starts with `x-`
//! unless the rule is `all-with-x` or `any-with-x`. An argument without a value (void, JSON null)
//! matches the header's presence; otherwise the values must be equal as Erlang's `==` compares
//! them, so the integer 1 equals the float 1.0 but not the string "1". `all` with no argument
//! to compare matches every message; `any` with none matches no message.

use crate::sim::kernel::numfmt::Plain;
use crate::sim::kernel::numparse::parse_finite;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A header or binding-argument value (an AMQP field value, as far as scripts use them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// No value (AMQP void): as a binding argument, "present with any value".
    #[default]
    Void,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl FieldValue {
    /// A value typed as text: `null`, `true`, `false`, an integer, a number with a fraction or
    /// exponent (a float, as JSON reads it), or else the text itself. (By hand rather than through
    /// serde_json or `str::parse::<f64>`: the page's size.)
    pub fn read(text: &str) -> FieldValue {
        match text {
            "null" => FieldValue::Void,
            "true" => FieldValue::Bool(true),
            "false" => FieldValue::Bool(false),
            _ => {
                let numeric = text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                    && text.bytes().any(|b| b.is_ascii_digit());
                match (numeric, text.parse::<i64>(), parse_finite(text)) {
                    (true, Ok(i), _) => FieldValue::Int(i),
                    (true, _, Some(f)) => FieldValue::Float(f),
                    _ => FieldValue::Str(text.to_string()),
                }
            }
        }
    }

    /// Erlang's `==` on the decoded values: numbers compare by value across integer and float;
    /// otherwise the kinds must agree.
    pub fn erlang_eq(&self, other: &FieldValue) -> bool {
        use FieldValue::*;
        match (self, other) {
            (Int(a), Float(b)) | (Float(b), Int(a)) => (*a as f64) == *b,
            (a, b) => a == b,
        }
    }
}

/// Headers or binding arguments, sorted by name (byte order, as RabbitMQ sorts field tables).
pub type FieldTable = BTreeMap<String, FieldValue>;

/// The `x-match` rule of a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XMatch {
    All,
    Any,
    AllWithX,
    AnyWithX,
}

impl XMatch {
    /// The rule a binding's arguments ask for; anything but the four known strings is `all`
    /// (RabbitMQ's legacy reading: it refuses such bindings when they are made).
    pub fn of(args: &FieldTable) -> XMatch {
        match args.get("x-match") {
            Some(FieldValue::Str(s)) if s == "any" => XMatch::Any,
            Some(FieldValue::Str(s)) if s == "all-with-x" => XMatch::AllWithX,
            Some(FieldValue::Str(s)) if s == "any-with-x" => XMatch::AnyWithX,
            _ => XMatch::All,
        }
    }

    fn any(self) -> bool {
        matches!(self, XMatch::Any | XMatch::AnyWithX)
    }

    fn with_x(self) -> bool {
        matches!(self, XMatch::AllWithX | XMatch::AnyWithX)
    }
}

/// `name=value,...` as a field table, as the command line and the page take headers and binding
/// arguments: a value that reads as JSON (1, 1.5, true, null) is that value, any other is text;
/// a bare `name` is void (as a binding argument: the header's presence).
pub fn parse_table(text: &str) -> FieldTable {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            None => (pair.to_string(), FieldValue::Void),
            Some((k, v)) => (k.trim().to_string(), FieldValue::read(v.trim())),
        })
        .collect()
}

/// A field table as [`parse_table`] reads it: `name=value` pairs (a void value as the bare name),
/// by name, separated by commas.
pub fn table_text(table: &FieldTable) -> String {
    let pairs: Vec<String> = table
        .iter()
        .map(|(name, value)| match value {
            FieldValue::Void => name.clone(),
            FieldValue::Bool(b) => format!("{name}={b}"),
            FieldValue::Int(i) => format!("{name}={i}"),
            // A float keeps a fraction, so it reads back as a float.
            FieldValue::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{name}={}.0", *f as i64),
            FieldValue::Float(f) => format!("{name}={}", Plain(*f)),
            FieldValue::Str(s) => format!("{name}={s}"),
        })
        .collect();
    pairs.join(", ")
}

/// Whether a binding's `x-match` value is one RabbitMQ accepts (absent is accepted, as `all`).
pub fn valid_x_match(args: &FieldTable) -> Result<(), String> {
    match args.get("x-match") {
        None => Ok(()),
        Some(FieldValue::Str(s)) if ["all", "any", "all-with-x", "any-with-x"].contains(&s.as_str()) => Ok(()),
        Some(other) => {
            Err(format!("x-match is {other:?}: expected \"all\", \"any\", \"all-with-x\" or \"any-with-x\""))
        }
    }
}

/// Whether the message headers `data` match the binding arguments `args`.
pub fn headers_match(args: &FieldTable, data: &FieldTable) -> bool {
    let rule = XMatch::of(args);
    let (mut all, mut any) = (true, false);
    let mut data = data.iter().peekable();
    for (name, wanted) in args {
        if name == "x-match" || (name.starts_with("x-") && !rule.with_x()) {
            continue;
        }
        // Headers sorted before this argument are not asked for.
        while data.peek().is_some_and(|(d, _)| d.as_str() < name.as_str()) {
            data.next();
        }
        match data.peek() {
            Some((d, found)) if *d == name => {
                if matches!(wanted, FieldValue::Void) || wanted.erlang_eq(found) {
                    any = true;
                } else {
                    all = false;
                }
                data.next();
            }
            _ => all = false,
        }
        // RabbitMQ stops as soon as the answer is known.
        if rule.any() && any {
            return true;
        }
        if !rule.any() && !all {
            return false;
        }
    }
    if rule.any() {
        any
    } else {
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(&str, FieldValue)]) -> FieldTable {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }
    use FieldValue::*;

    #[test]
    fn all_any_and_the_x_arguments() {
        let data = table(&[("format", Str("pdf".into())), ("x-tenant", Str("a".into()))]);
        let all =
            table(&[("x-match", Str("all".into())), ("format", Str("pdf".into())), ("x-tenant", Str("b".into()))]);
        assert!(headers_match(&all, &data), "all ignores x- arguments");
        let all_x = table(&[("x-match", Str("all-with-x".into())), ("x-tenant", Str("b".into()))]);
        assert!(!headers_match(&all_x, &data));
        let any_only_x = table(&[("x-match", Str("any".into())), ("x-tenant", Str("a".into()))]);
        assert!(!headers_match(&any_only_x, &data), "any with nothing to compare matches nothing");
        let any_x = table(&[("x-match", Str("any-with-x".into())), ("x-tenant", Str("a".into()))]);
        assert!(headers_match(&any_x, &data));
        assert!(headers_match(&table(&[]), &table(&[])), "all with nothing to compare matches everything");
    }

    #[test]
    fn text_reads_as_json_would() {
        assert_eq!(FieldValue::read("1"), Int(1));
        assert_eq!(FieldValue::read("-1.5e2"), Float(-150.0));
        assert_eq!(FieldValue::read("1.0"), Float(1.0));
        assert_eq!(FieldValue::read("null"), Void);
        assert_eq!(FieldValue::read("true"), Bool(true));
        assert_eq!(FieldValue::read("pdf"), Str("pdf".into()));
        assert_eq!(FieldValue::read("inf"), Str("inf".into()));
        assert_eq!(FieldValue::read("1-2"), Str("1-2".into()));
        assert_eq!(
            parse_table(" a = 1 , b ,c=x"),
            FieldTable::from([("a".into(), Int(1)), ("b".into(), Void), ("c".into(), Str("x".into()))])
        );
    }

    #[test]
    fn values_compare_as_erlang_does() {
        let data = table(&[("n", Int(1)), ("s", Str("1".into()))]);
        assert!(headers_match(&table(&[("n", Float(1.0))]), &data));
        assert!(!headers_match(&table(&[("s", Int(1))]), &data));
        assert!(headers_match(&table(&[("s", Void)]), &data), "void: presence");
        assert!(!headers_match(&table(&[("t", Void)]), &data));
    }
}
