//! Why a binding matches a message or not, in words, for the routing explainer: the same rules as
//! the exchange (`topic.rs`, `headers.rs`), with the reason kept. A topic match says which key
//! words each binding word took; a miss says where the words stop lining up. A headers binding
//! judges each argument.

use super::exchange::ExchangeType;
use super::headers::{headers_match, FieldTable, FieldValue, XMatch};
use super::topic::{reach_rows, words};

/// One binding's verdict and the reasons for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub matched: bool,
    /// Sentences, in order: the rule, then the details.
    pub why: Vec<String>,
}

/// Explains whether a binding of `kind` with `key` (topic and direct) or `args` (headers) takes a
/// message with `routing_key` and `headers`.
pub fn explain(
    kind: ExchangeType,
    key: &str,
    args: &FieldTable,
    routing_key: &str,
    headers: &FieldTable,
) -> Explanation {
    match kind {
        ExchangeType::Fanout => Explanation {
            matched: true,
            why: vec!["A fanout exchange ignores the routing key: every binding takes every message.".into()],
        },
        ExchangeType::Direct => {
            let matched = key == routing_key;
            let why = if matched {
                format!("The binding key equals the routing key {}.", quote(routing_key))
            } else {
                format!("A direct exchange compares whole keys: {} is not {}.", quote(key), quote(routing_key))
            };
            Explanation { matched, why: vec![why] }
        }
        ExchangeType::Topic => explain_topic(key, routing_key),
        ExchangeType::Headers => explain_headers(args, headers),
    }
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn list(words: &[&str]) -> String {
    if words.is_empty() {
        "no words".into()
    } else {
        words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
    }
}

fn explain_topic(binding: &str, routing_key: &str) -> Explanation {
    let (pattern, key) = (words(binding), words(routing_key));
    let reach = reach_rows(&pattern, &key);
    let rule = format!(
        "Topic: the key's words are {}; the binding's are {} (\"*\" takes exactly one word, \"#\" zero or more).",
        list(&key),
        list(&pattern)
    );
    if reach[pattern.len()][key.len()] {
        // Walk back from the end to find what each binding word took.
        let (mut j, mut taken) = (key.len(), Vec::new());
        for i in (0..pattern.len()).rev() {
            let from = match pattern[i] {
                "#" => (0..=j).find(|&s| reach[i][s]).expect("a match has a way back"),
                _ => j - 1,
            };
            taken.push(format!("{} took {}", quote(pattern[i]), list(&key[from..j])));
            j = from;
        }
        taken.reverse();
        let detail = if taken.is_empty() {
            "The empty binding key matches the empty routing key.".into()
        } else {
            taken.join(", ") + "."
        };
        return Explanation { matched: true, why: vec![rule, detail] };
    }
    Explanation { matched: false, why: vec![rule, topic_miss(&pattern, &key, &reach)] }
}

/// Where a topic binding stops lining up with the key.
fn topic_miss(pattern: &[&str], key: &[&str], reach: &[Vec<bool>]) -> String {
    for (i, p) in pattern.iter().enumerate() {
        if reach[i + 1].iter().any(|&r| r) {
            continue;
        }
        let at: Vec<usize> = (0..key.len()).filter(|&j| reach[i][j]).collect();
        let n = i + 1;
        return match (*p, at.as_slice()) {
            (_, []) => format!("The key has no word left for binding word {n}, {}.", quote(p)),
            (w, [j]) => {
                format!("Binding word {n}, {}, meets key word {}, {}: they differ.", quote(w), j + 1, quote(key[*j]))
            }
            (w, js) => {
                let seen: Vec<&str> = js.iter().map(|&j| key[j]).collect();
                format!("Binding word {n}, {}, matches none of the key words it could meet: {}.", quote(w), list(&seen))
            }
        };
    }
    let most = (0..=key.len()).rev().find(|&j| reach[pattern.len()][j]).unwrap_or(0);
    format!(
        "The binding's words take at most {most} of the key's {} words; {} left over.",
        key.len(),
        list(&key[most..])
    )
}

fn show(v: &FieldValue) -> String {
    match v {
        FieldValue::Void => "(no value)".into(),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Int(i) => i.to_string(),
        // `{f:?}` without core's float formatting (7 kB brotli of the web build).
        FieldValue::Float(f) => crate::sim::kernel::numfmt::debug(*f),
        FieldValue::Str(s) => quote(s),
    }
}

fn explain_headers(args: &FieldTable, headers: &FieldTable) -> Explanation {
    let rule = XMatch::of(args);
    let (any, with_x) =
        (matches!(rule, XMatch::Any | XMatch::AnyWithX), matches!(rule, XMatch::AllWithX | XMatch::AnyWithX));
    let mut why = vec![match rule {
        XMatch::All => "x-match all: every argument must match a header (arguments starting with x- are not compared).",
        XMatch::Any => "x-match any: one matching argument is enough (arguments starting with x- are not compared).",
        XMatch::AllWithX => "x-match all-with-x: every argument must match, x- arguments included.",
        XMatch::AnyWithX => "x-match any-with-x: one matching argument is enough, x- arguments included.",
    }
    .to_string()];
    let mut compared = 0;
    for (name, wanted) in args {
        if name == "x-match" {
            continue;
        }
        if name.starts_with("x-") && !with_x {
            why.push(format!("{}: not compared (an x- argument).", quote(name)));
            continue;
        }
        compared += 1;
        why.push(match (wanted, headers.get(name)) {
            (_, None) => format!("{}: no such header.", quote(name)),
            (FieldValue::Void, Some(_)) => format!("{}: present, and no value was asked for.", quote(name)),
            (w, Some(h)) if w.erlang_eq(h) => format!("{} = {}: equal.", quote(name), show(h)),
            (w, Some(h)) => format!("{}: the header is {}, the binding asks for {}.", quote(name), show(h), show(w)),
        });
    }
    if compared == 0 {
        why.push(
            if any {
                "Nothing to compare: any matches no message."
            } else {
                "Nothing to compare: all matches every message."
            }
            .into(),
        );
    }
    Explanation { matched: headers_match(args, headers), why }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(b: &str, k: &str) -> Explanation {
        explain(ExchangeType::Topic, b, &FieldTable::new(), k, &FieldTable::new())
    }

    #[test]
    fn topic_matches_say_what_each_word_took() {
        let e = topic("orders.*.#", "orders.paid.eu.north");
        assert!(e.matched);
        assert_eq!(e.why[1], "\"orders\" took \"orders\", \"*\" took \"paid\", \"#\" took \"eu\" \"north\".");
        assert_eq!(topic("#", "").why[1], "\"#\" took no words.");
    }

    #[test]
    fn topic_misses_say_where_the_words_part() {
        assert_eq!(
            topic("orders.*.eu", "orders.paid.us").why[1],
            "Binding word 3, \"eu\", meets key word 3, \"us\": they differ."
        );
        assert_eq!(topic("a.*", "a").why[1], "The key has no word left for binding word 2, \"*\".");
        assert_eq!(
            topic("a.*", "a.b.c").why[1],
            "The binding's words take at most 2 of the key's 3 words; \"c\" left over."
        );
        assert!(!topic("*", "").matched);
    }

    #[test]
    fn headers_judge_each_argument() {
        let args: FieldTable = [
            ("x-match".to_string(), FieldValue::Str("any".into())),
            ("n".to_string(), FieldValue::Int(1)),
            ("x-t".to_string(), FieldValue::Str("a".into())),
        ]
        .into();
        let headers: FieldTable = [("n".to_string(), FieldValue::Float(1.0))].into();
        let e = explain(ExchangeType::Headers, "", &args, "", &headers);
        assert!(e.matched);
        assert_eq!(e.why[1], "\"n\" = 1.0: equal.");
        assert_eq!(e.why[2], "\"x-t\": not compared (an x- argument).");
    }
}
