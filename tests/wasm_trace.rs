//! WebAssembly half of the cross-platform trace-hash check: inside headless Chromium, every entry of
//! `tests/fixtures/trace_hashes.json` (generated natively, see `tests/trace_fixture.rs`) must come out
//! with the same hash. Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target
//! wasm32-unknown-unknown --test wasm_trace` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

#[path = "common/trace_fixture.rs"]
mod trace_fixture;

use trace_fixture::{computed, differences, stored};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn trace_hashes_match_native() {
    let diffs = differences(&stored(), &computed());
    assert!(diffs.is_empty(), "wasm32 and native disagree:\n  {}", diffs.join("\n  "));
}
