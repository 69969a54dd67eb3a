//! Native half of the cross-platform trace-hash check: every built-in scenario, seeds 1, 7 and
//! 12345, 30 simulated seconds, must give the hashes stored in `tests/fixtures/trace_hashes.json`.
//! `tests/wasm_trace.rs` checks the same file inside Chromium, so native and wasm32 agree.
//!
//! When a change to the engine changes runs on purpose, regenerate the fixture natively and commit it:
//!
//! ```sh
//! UPDATE_FIXTURES=1 cargo test --release --test trace_fixture
//! ```
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/trace_fixture.rs"]
mod trace_fixture;

use trace_fixture::{computed, differences, stored};

#[test]
fn trace_hashes_match_the_fixture() {
    let computed = computed();
    if std::env::var_os("UPDATE_FIXTURES").is_some_and(|v| v != "0") {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/trace_hashes.json");
        let json = serde_json::to_string_pretty(&computed).expect("entries serialize") + "\n";
        std::fs::write(path, json).unwrap_or_else(|e| panic!("{path}: {e}"));
        eprintln!("rewrote {path} ({} entries)", computed.len());
        return;
    }
    let diffs = differences(&stored(), &computed);
    assert!(
        diffs.is_empty(),
        "the trace hashes differ from tests/fixtures/trace_hashes.json:\n  {}\n\
         If the engine changed on purpose, run `UPDATE_FIXTURES=1 cargo test --release --test trace_fixture` and commit the file.",
        diffs.join("\n  ")
    );
}

#[test]
fn the_same_run_twice_gives_the_same_hash() {
    let a = trace_fixture::run("at-least-once", 7, 10);
    let b = trace_fixture::run("at-least-once", 7, 10);
    assert_eq!(a, b);
}
