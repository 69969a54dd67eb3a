//! The cross-platform trace-hash fixture, shared by `tests/trace_fixture.rs` (native) and
//! `tests/wasm_trace.rs` (wasm32 in headless Chromium): both recompute every entry of
//! `tests/fixtures/trace_hashes.json` and must find the same hashes, so native and wasm32 agree.

use eda_lab::sim::builtins::{builtin, CATALOG};
use eda_lab::sim::{SimTime, Simulation};
use serde::{Deserialize, Serialize};

/// The seeds every built-in scenario is run with.
pub const SEEDS: [u64; 3] = [1, 7, 12_345];
/// How much simulated time each run covers.
pub const UNTIL_S: u64 = 30;

/// The fixture, compiled in so the wasm32 test needs no file system.
pub const FIXTURE_JSON: &str = include_str!("../fixtures/trace_hashes.json");

/// One run: a built-in scenario, the seed that replaces its own, and the hash after `until_s` seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub scenario: String,
    pub seed: u64,
    pub until_s: u64,
    pub trace_hash: String,
}

/// The entries stored in the fixture file.
pub fn stored() -> Vec<Entry> {
    serde_json::from_str(FIXTURE_JSON).expect("tests/fixtures/trace_hashes.json is a list of entries")
}

/// Runs `scenario` with `seed` for `until_s` simulated seconds, as the fixture describes it.
pub fn run(scenario: &str, seed: u64, until_s: u64) -> Entry {
    let mut s = builtin(scenario).unwrap_or_else(|| panic!("`{scenario}` is not a built-in scenario"));
    s.seed = seed;
    let mut sim = Simulation::new(&s).unwrap_or_else(|e| panic!("{scenario}: {e}"));
    sim.run_until(SimTime::from_secs(until_s), u64::MAX);
    Entry { scenario: scenario.to_string(), seed, until_s, trace_hash: sim.trace_hash().hex() }
}

/// Every built-in scenario with every seed, computed on this platform, in catalog order.
pub fn computed() -> Vec<Entry> {
    CATALOG.iter().flat_map(|(name, _)| SEEDS.iter().map(move |&seed| run(name, seed, UNTIL_S))).collect()
}

/// Compares the stored fixture with `computed()`, listing every difference (empty: they agree).
pub fn differences(stored: &[Entry], computed: &[Entry]) -> Vec<String> {
    let mut out = Vec::new();
    for c in computed {
        match stored.iter().find(|e| e.scenario == c.scenario && e.seed == c.seed && e.until_s == c.until_s) {
            None => out.push(format!("{} seed {} until {}s: missing from the fixture", c.scenario, c.seed, c.until_s)),
            Some(e) if e.trace_hash != c.trace_hash => out.push(format!(
                "{} seed {} until {}s: fixture {} but this platform computes {}",
                c.scenario, c.seed, c.until_s, e.trace_hash, c.trace_hash
            )),
            Some(_) => {}
        }
    }
    for e in stored {
        if !computed.iter().any(|c| c.scenario == e.scenario && c.seed == e.seed && c.until_s == e.until_s) {
            out.push(format!(
                "{} seed {} until {}s: in the fixture but no longer a built-in run",
                e.scenario, e.seed, e.until_s
            ));
        }
    }
    out
}
