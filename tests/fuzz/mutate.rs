//! Structure-aware mutation of JSON documents: the edits a hand edit, a bad merge or a cut copy
//! make to a valid input. Random text rarely gets past a decoder's JSON syntax; an edited valid
//! document reaches every field check behind it, which is where a decoder can still panic.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Raw JSON (or not quite JSON) a value can become: the extremes of every numeric type a field
/// may have, numbers JSON cannot hold, the other types, and nesting past serde_json's limit.
pub const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967295",
    "4294967296",
    "65535",
    "65536",
    "255",
    "256",
    "0.5",
    "-0.0",
    "1e-320",
    "86400001",
    "100000000000",
    "NaN",
    "-Infinity",
    "1e999",
    "\"NaN\"",
    "\"inf\"",
    "\"-1\"",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "[null]",
    "\"evt_000001\"",
];

/// The kinds of edit [`apply`] knows, each as often as it appears here: most edits keep the
/// document's shape (another value seen under the same key, a number nudged), so that the
/// decoder accepts the field and the case reaches the checks and the run behind it.
const KINDS: &[u8] = &[0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9];

/// One edit of a document: the node it touches (an index into its nodes, in document order),
/// the kind of edit, and a pick among that kind's choices.
#[derive(Clone, Debug)]
pub struct Edit {
    at: Index,
    kind: u8,
    pick: Index,
}

/// What happens to the text once written: nothing, cut short, or one character replaced.
#[derive(Clone, Debug)]
pub enum Cut {
    Whole,
    Truncate(Index),
    Replace(Index, char),
}

pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = (any::<Index>(), prop::sample::select(KINDS), any::<Index>());
    let one = edit.prop_map(|(at, kind, pick)| Edit { at, kind, pick });
    prop_oneof![3 => prop::collection::vec(one.clone(), 1..2), 1 => prop::collection::vec(one, 2..5)]
}

pub fn cut() -> impl Strategy<Value = Cut> {
    prop_oneof![
        8 => Just(Cut::Whole),
        1 => any::<Index>().prop_map(Cut::Truncate),
        1 => (any::<Index>(), prop::sample::select(&['{', '}', '[', ']', ',', ':', '"', '0', '-', '.', 'e', '\\', ' '][..]))
            .prop_map(|(i, c)| Cut::Replace(i, c)),
    ]
}

/// What grafts and renames draw from: every string and every subtree of the valid inputs, and
/// the values seen under each key (a list's items under its key and `[]`).
pub struct Pool {
    pub strings: Vec<String>,
    pub trees: Vec<Value>,
    pub by_key: BTreeMap<String, Vec<Value>>,
}

impl Pool {
    /// The pool of `docs`, plus strings no valid input holds.
    pub fn of(docs: &[&Value]) -> Pool {
        let mut pool = Pool { strings: Vec::new(), trees: Vec::new(), by_key: BTreeMap::new() };
        for d in docs {
            pool.gather(d, "");
        }
        let odd = ["", " ", "evt_", "evt_-1", "evt_99999999999", "é\u{0}", "#", "../x", "a.b.c", "-1"];
        pool.strings.extend(odd.iter().map(|s| s.to_string()));
        pool.strings.push("x".repeat(2_000));
        pool.strings.sort();
        pool.strings.dedup();
        pool
    }

    fn gather(&mut self, v: &Value, key: &str) {
        self.trees.push(v.clone());
        self.by_key.entry(key.to_string()).or_default().push(v.clone());
        match v {
            Value::String(s) => self.strings.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|i| self.gather(i, &format!("{key}[]"))),
            Value::Object(fields) => fields.iter().for_each(|(k, i)| {
                self.strings.push(k.clone());
                self.gather(i, k);
            }),
            _ => {}
        }
    }
}

/// `doc` with `edits` applied in turn, written as text, then cut.
pub fn mutated(doc: &Value, edits: &[Edit], cut: &Cut, pool: &Pool) -> String {
    let mut v = doc.clone();
    let mut raw = Vec::new();
    for e in edits {
        apply(&mut v, e, pool, &mut raw);
    }
    let mut text = v.to_string();
    // Last first: a later raw text (a doubled key) may hold an earlier one's marker.
    for (i, r) in raw.iter().enumerate().rev() {
        text = text.replacen(&Value::String(marker(i)).to_string(), r, 1);
    }
    cut_text(text, cut)
}

/// A string standing for raw text `i` until the document is written.
fn marker(i: usize) -> String {
    format!("\u{1}raw{i}\u{1}")
}

/// Stands `text` in for a value: the marker that becomes it when the document is written.
fn raw_value(raw: &mut Vec<String>, text: String) -> Value {
    raw.push(text);
    Value::String(marker(raw.len() - 1))
}

fn apply(v: &mut Value, e: &Edit, pool: &Pool, raw: &mut Vec<String>) {
    let paths = pointers(v);
    let path = e.at.get(&paths).clone();
    if e.kind == 1 {
        delete(v, &path);
        return;
    }
    let Some(node) = v.pointer_mut(&path) else { return };
    match e.kind {
        0 => *node = raw_value(raw, e.pick.get(EXTREMES).to_string()),
        2 => duplicate_key(node, e.pick, raw),
        3 => swap_type(node),
        4 => *node = Value::String(e.pick.get(&pool.strings).clone()),
        5 => *node = e.pick.get(&pool.trees).clone(),
        6 => grow(node, e.pick),
        7 => *node = raw_value(raw, nested(e.pick.index(3))),
        8 => *node = pool.by_key.get(&key_of(&path)).map_or(Value::Null, |vs| e.pick.get(vs).clone()),
        _ => nudge(node, e.pick),
    }
}

/// The key a node sits under, as [`Pool`] files it: a list's items under the list's key and `[]`.
fn key_of(path: &str) -> String {
    let tokens: Vec<&str> = path.split('/').collect();
    let unescape = |t: &str| t.replace("~1", "/").replace("~0", "~");
    let last = tokens.last().copied().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        let parent = tokens.len().checked_sub(2).map_or("", |i| tokens[i]);
        return format!("{}[]", unescape(parent));
    }
    unescape(last)
}

/// A number moved a little or a lot, of the same kind (a whole number stays whole).
fn nudge(node: &mut Value, pick: Index) {
    let Value::Number(n) = node else { return };
    let which = pick.index(6);
    *node = match n.as_u64() {
        Some(u) => Value::from(
            [u.saturating_add(1), u.saturating_sub(1), u.saturating_mul(2), u / 2, u.saturating_mul(10), 0][which],
        ),
        None => Value::from([1.5, -1.0, 2.0, 0.5, 10.0, 0.0].map(|f| n.as_f64().unwrap_or(0.0) * f)[which]),
    };
}

/// JSON pointers to every node of `v`, the root first.
pub fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| walk(x, format!("{at}/{i}"), out)),
            Value::Object(fields) => fields.iter().for_each(|(k, x)| walk(x, format!("{at}/{}", escape(k)), out)),
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out.rotate_right(1);
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Removes the node at `path` from its object or list (the root stays).
fn delete(v: &mut Value, path: &str) {
    let Some((parent, last)) = path.rsplit_once('/') else { return };
    let key = last.replace("~1", "/").replace("~0", "~");
    match v.pointer_mut(parent) {
        Some(Value::Object(fields)) => {
            fields.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// An object written with one of its keys twice, the first time with an extreme value (which
/// of two values a reader keeps is its choice; it must not panic either way).
fn duplicate_key(node: &mut Value, pick: Index, raw: &mut Vec<String>) {
    let Value::Object(fields) = node else { return };
    let Some(key) = fields.keys().nth(pick.index(fields.len().max(1))).cloned() else { return };
    let whole = Value::Object(fields.clone()).to_string();
    let extreme = pick.get(EXTREMES);
    *node = raw_value(raw, format!("{{{}:{extreme},{}", Value::String(key), &whole[1..]));
}

/// The same content as another type: a number as text, text as a number, a list as an object.
fn swap_type(node: &mut Value) {
    *node = match node.take() {
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => s.parse::<f64>().map(Value::from).unwrap_or(Value::Bool(s.is_empty())),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Null => Value::from(0),
        Value::Array(items) => Value::Object(items.into_iter().enumerate().map(|(i, x)| (i.to_string(), x)).collect()),
        Value::Object(fields) => Value::Array(fields.into_iter().map(|(_, x)| x).collect()),
    }
}

/// One more member: a key no reader knows, or a list's item twice.
fn grow(node: &mut Value, pick: Index) {
    match node {
        Value::Object(fields) => {
            fields.insert("surprise".into(), Value::from(pick.index(100)));
        }
        Value::Array(items) if !items.is_empty() => {
            let item = pick.get(items).clone();
            items.push(item);
        }
        _ => *node = Value::Object(Map::new()),
    }
}

/// Deep nesting: within serde_json's limit of 128, just past it, and far past it.
fn nested(which: usize) -> String {
    let depth = [100, 129, 5_000][which];
    if which == 0 {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

fn cut_text(text: String, cut: &Cut) -> String {
    let at = |i: &Index| text.char_indices().nth(i.index(text.chars().count().max(1))).map_or(0, |(b, _)| b);
    match cut {
        Cut::Whole => text,
        Cut::Truncate(i) => text[..at(i)].to_string(),
        Cut::Replace(i, c) => {
            let b = at(i);
            let next = text[b..].chars().next().map_or(0, char::len_utf8);
            format!("{}{c}{}", &text[..b], &text[b + next..])
        }
    }
}
