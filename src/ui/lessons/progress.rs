//! The lessons passed, kept in the browser's local storage under `eda-lab.lessons.v1` as a JSON
//! list of ids. Anything else found there (a hand edit, an older format, another app's value) is
//! read as far as it makes sense: ids that are strings count, the rest is ignored, so a bad
//! value never stops the page.

use serde_json::Value;
use std::collections::BTreeSet;

pub const KEY: &str = "eda-lab.lessons.v1";

/// The ids in a stored value: every string of a JSON list; nothing for anything else.
pub fn parse(text: &str) -> BTreeSet<String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => BTreeSet::new(),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The lessons passed in this browser.
pub fn load() -> BTreeSet<String> {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).map(|t| parse(&t)).unwrap_or_default()
}

/// Adds `id` to the lessons passed; returns them all. Without storage (a private window, a
/// sandbox) the progress lasts as long as the page.
pub fn mark_passed(done: &BTreeSet<String>, id: &str) -> BTreeSet<String> {
    // Read again: another tab may have passed a lesson meanwhile.
    let mut all = load();
    all.extend(done.iter().cloned());
    all.insert(id.to_string());
    if let Some(s) = storage() {
        let list: Vec<&String> = all.iter().collect();
        let _ = s.set_item(KEY, &serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()));
    }
    all
}
