//! Share links: a run as a short, versioned text for a URL (`#run=1.<payload>`). The payload
//! holds the scenario (as a built-in's name and the settings changed from it, or whole when it is
//! not a built-in with changed settings), the seed, an optional lesson id, the command log and,
//! for a comparison, each lane's label and scenario (encoded the same way), as JSON in unpadded
//! URL-safe base64. Opening a link reproduces the exact run; a malformed or
//! tampered link is a named error (the part that is wrong), never a panic.

use crate::sim::builtins::builtin;
use crate::sim::command::StampedCommand;
use crate::sim::command_log::CommandLog;
use crate::sim::compare::Lane;
use crate::sim::config::scenario::Scenario;
use crate::sim::config::settings::{self, SETTINGS};
use crate::sim::engine::Simulation;
use crate::sim::errors::ReplayError;
use crate::sim::kernel::time::SimTime;
use serde_json::{json, Map, Value};
use std::fmt;

/// The link format this build writes; it reads this one only.
pub const VERSION: u32 = 1;

/// The latest instant a link may stand at: a day of simulated time.
pub const MAX_AT_US: u64 = 24 * 3_600 * 1_000_000;

/// The most text a link may carry (a link past this is refused before it is decoded).
pub const MAX_LINK: usize = 64 * 1024;

/// What a link reproduces.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub scenario: Scenario,
    pub commands: Vec<StampedCommand>,
    /// The lesson the run belongs to, if any.
    pub lesson: Option<String>,
    /// A comparison's lanes (none for a single run).
    pub lanes: Vec<Lane>,
    /// The instant the run stood at when the link was made: opening it runs there (at least to
    /// the last command).
    pub at_us: u64,
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
    let mut payload = scenario_part(s);
    payload.insert("seed".into(), Value::from(s.seed));
    if let Some(l) = &shared.lesson {
        payload.insert("lesson".into(), Value::from(l.as_str()));
    }
    if shared.at_us > 0 {
        payload.insert("t".into(), Value::from(shared.at_us));
    }
    if !shared.commands.is_empty() {
        payload.insert("c".into(), serde_json::to_value(&shared.commands).expect("commands always serialize"));
    }
    if !shared.lanes.is_empty() {
        let lane = |l: &Lane| {
            let mut part = scenario_part(&l.scenario);
            part.insert("l".into(), Value::from(l.label.as_str()));
            Value::Object(part)
        };
        payload.insert("lanes".into(), Value::Array(shared.lanes.iter().map(lane).collect()));
    }
    format!("{VERSION}.{}", base64url(Value::Object(payload).to_string().as_bytes()))
}

/// `s` as `b` (a built-in's name) and `w` (the settings changed from it), or whole as `s`.
fn scenario_part(s: &Scenario) -> Map<String, Value> {
    let mut part = Map::new();
    match changed_settings(s) {
        Some((name, writes)) => {
            part.insert("b".into(), Value::from(name));
            part.insert("w".into(), Value::Object(writes));
        }
        None => {
            part.insert("s".into(), serde_json::to_value(s).expect("scenarios always serialize"));
        }
    }
    part
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
    if let Some(k) =
        payload.keys().find(|k| !["b", "w", "s", "seed", "lesson", "c", "lanes", "t"].contains(&k.as_str()))
    {
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
    let last = commands.last().map_or(0, |c| c.at_us);
    let at_us = match payload.get("t") {
        None => last,
        Some(t) => match t.as_u64() {
            Some(t) if t < last => return Err(bad("t", format!("{t} µs is before the last command ({last} µs)"))),
            Some(t) if t > MAX_AT_US => {
                return Err(bad("t", format!("{t} µs is past the longest run a link opens (24 h)")))
            }
            Some(t) => t,
            None => return Err(bad("t", "expected the run's time in whole microseconds")),
        },
    };
    let lanes = match payload.get("lanes") {
        None => Vec::new(),
        Some(Value::Array(lanes)) if crate::sim::compare::LANES.contains(&lanes.len()) => {
            lanes.iter().enumerate().map(|(i, l)| lane_of(i, l, scenario.seed)).collect::<Result<_, _>>()?
        }
        Some(_) => return Err(bad("lanes", "expected 2 to 4 lanes")),
    };
    Ok(Shared { scenario, commands, lesson, lanes, at_us })
}

impl Shared {
    /// Runs `sim` (a fresh run of [`Shared::scenario`]) to the link's instant, applying its
    /// commands exactly where they were recorded, within `max_events` engine events: the run the
    /// link was made from, to the bit. A command log that does not fit the scenario is named.
    pub fn replay(&self, sim: &mut Simulation, max_events: u64) -> Result<(), LinkError> {
        sim.run_commands_observed(&self.commands, SimTime::from_us(self.at_us), max_events, &mut |_| {}).map_err(|e| {
            match e {
                ReplayError::EventBudget { events, .. } => {
                    bad("t", format!("the run to this instant takes more than {events} events, too many to open here"))
                }
                other => bad("c", other.to_string()),
            }
        })
    }
}

/// Lane `i` of a comparison, on the run's seed.
fn lane_of(i: usize, lane: &Value, seed: u64) -> Result<Lane, LinkError> {
    let part = |p: &str| format!("lanes[{i}].{p}");
    let obj = lane.as_object().ok_or_else(|| bad(&format!("lanes[{i}]"), "expected a lane object"))?;
    let label = obj.get("l").and_then(Value::as_str).ok_or_else(|| bad(&part("l"), "expected the lane's label"))?;
    let mut scenario = scenario_of(obj).map_err(|e| LinkError { part: part(&e.part), message: e.message })?;
    scenario.seed = seed;
    Ok(Lane { label: label.to_string(), scenario })
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
