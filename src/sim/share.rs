//! Share links: a run as a short, versioned text for a URL (`#run=1.<payload>`). The payload
//! holds the scenario (as a built-in's name and the settings changed from it, or whole when it is
//! not a built-in with changed settings), the seed, an optional lesson id and the command log, as
//! JSON in unpadded URL-safe base64. Opening a link reproduces the exact run; a malformed or
//! tampered link is a named error (the part that is wrong), never a panic.

use crate::sim::builtins::builtin;
use crate::sim::command::StampedCommand;
use crate::sim::command_log::CommandLog;
use crate::sim::config::scenario::Scenario;
use crate::sim::config::settings::{self, SETTINGS};
use serde_json::{json, Map, Value};
use std::fmt;

/// The link format this build writes; it reads this one only.
pub const VERSION: u32 = 1;

/// The most text a link may carry (a link past this is refused before it is decoded).
pub const MAX_LINK: usize = 64 * 1024;

/// What a link reproduces.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub scenario: Scenario,
    pub commands: Vec<StampedCommand>,
    /// The lesson the run belongs to, if any.
    pub lesson: Option<String>,
}

/// Why a link cannot be opened: the part named, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    pub part: String,
    pub message: String,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "link {}: {}", self.part, self.message)
    }
}

fn bad(part: &str, message: impl Into<String>) -> LinkError {
    LinkError { part: part.to_string(), message: message.into() }
}

/// The link text for a run (without the `#run=`).
pub fn encode(shared: &Shared) -> String {
    let s = &shared.scenario;
    let mut payload = Map::new();
    match changed_settings(s) {
        Some((name, writes)) => {
            payload.insert("b".into(), Value::from(name));
            payload.insert("w".into(), Value::Object(writes));
        }
        None => {
            payload.insert("s".into(), serde_json::to_value(s).expect("scenarios always serialize"));
        }
    }
    payload.insert("seed".into(), Value::from(s.seed));
    if let Some(l) = &shared.lesson {
        payload.insert("lesson".into(), Value::from(l.as_str()));
    }
    if !shared.commands.is_empty() {
        payload.insert("c".into(), serde_json::to_value(&shared.commands).expect("commands always serialize"));
    }
    format!("{VERSION}.{}", base64url(Value::Object(payload).to_string().as_bytes()))
}

/// The built-in `s` came from and the settings changed from it, when that describes `s` exactly.
fn changed_settings(s: &Scenario) -> Option<(String, Map<String, Value>)> {
    let mut base = builtin(&s.name)?;
    base.seed = s.seed;
    let mut writes = Map::new();
    let mut pairs = Vec::new();
    for setting in SETTINGS {
        let (now, was) = (s.setting(setting), base.setting(setting));
        if let Some(v) = now.filter(|v| Some(v) != was.as_ref()) {
            writes.insert(setting.path.to_string(), v.clone());
            pairs.push((setting, v));
        }
    }
    // Settings bind each other; apply them all at once, and only keep the short form if it
    // rebuilds the scenario exactly (a scenario edited beyond its settings travels whole).
    let rebuilt = base.with_writes(&pairs).ok()?;
    (rebuilt == *s).then(|| (s.name.clone(), writes))
}

/// Opens a link (the text after `#run=`, or a whole URL holding it).
pub fn decode(link: &str) -> Result<Shared, LinkError> {
    let text = link.rsplit_once("#run=").map_or(link, |(_, t)| t).trim();
    if text.len() > MAX_LINK {
        return Err(bad("length", format!("{} characters, at most {MAX_LINK}", text.len())));
    }
    let (version, body) = text.split_once('.').ok_or_else(|| bad("version", "expected `1.` and the run"))?;
    match version.parse::<u32>() {
        Ok(VERSION) => {}
        Ok(v) if v > VERSION => return Err(bad("version", format!("format {v} is newer than this build reads (1)"))),
        _ => return Err(bad("version", format!("`{version}` is not a link format"))),
    }
    let bytes = unbase64url(body).ok_or_else(|| bad("payload", "not URL-safe base64 (cut short or changed?)"))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| bad("payload", format!("not JSON: {e}")))?;
    let Value::Object(payload) = value else { return Err(bad("payload", "not a JSON object")) };
    if let Some(k) = payload.keys().find(|k| !["b", "w", "s", "seed", "lesson", "c"].contains(&k.as_str())) {
        return Err(bad(k, "unknown part"));
    }
    let mut scenario = scenario_of(&payload)?;
    if let Some(seed) = payload.get("seed") {
        scenario.seed = seed.as_u64().ok_or_else(|| bad("seed", "expected a whole number 0 to 2^64-1"))?;
    }
    let lesson = match payload.get("lesson") {
        None => None,
        Some(Value::String(l)) => Some(l.clone()),
        Some(_) => return Err(bad("lesson", "expected a lesson id")),
    };
    let commands = match payload.get("c") {
        None => Vec::new(),
        Some(c) => {
            CommandLog::parse(&json!({"v": 1, "commands": c}).to_string())
                .map_err(|e| bad("c", e.to_string()))?
                .commands
        }
    };
    Ok(Shared { scenario, commands, lesson })
}

fn scenario_of(payload: &Map<String, Value>) -> Result<Scenario, LinkError> {
    if let Some(s) = payload.get("s") {
        return Scenario::from_json(&s.to_string()).map_err(|e| bad("s", e.to_string()));
    }
    let name = payload.get("b").and_then(Value::as_str).ok_or_else(|| bad("b", "expected a scenario's name"))?;
    let base = builtin(name).ok_or_else(|| bad("b", format!("no built-in scenario `{name}`")))?;
    let Some(writes) = payload.get("w") else { return Ok(base) };
    let writes = writes.as_object().ok_or_else(|| bad("w", "expected {\"setting\": value, ...}"))?;
    let mut pairs = Vec::new();
    for (path, v) in writes {
        let setting = settings::find(path).ok_or_else(|| bad(&format!("w.{path}"), "no such setting"))?;
        pairs.push((setting, v.clone()));
    }
    let s = base.with_writes(&pairs).map_err(|e| bad("w", e.to_string()))?;
    s.validate().map_err(|e| bad("w", e.to_string()))?;
    Ok(s)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded URL-safe base64 (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of unpadded URL-safe base64, or `None` for any other text.
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|d| d as u32);
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.chunks(4) {
        let mut n = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= digit(c)? << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}
