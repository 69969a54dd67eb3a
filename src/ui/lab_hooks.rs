//! `window.__edaLab`: measurement hooks for the end-to-end and performance scripts. They read the
//! run (and run headless copies of it); they never change the run on the page.
//!
//! - `frameStats()` → `{count, p50_ms, p95_ms, max_ms, step_p50_ms, step_p95_ms}`: work per animation
//!   frame (engine step, state update and the render that follows) over the last ≤ 600 frames;
//!   `step_*` is the engine-and-state part alone.
//! - `fastForward(n)` → `{messages, wall_ms, events, trace_hash, settled, sim_time_s}`: a fresh copy of
//!   the current scenario (same seed, `max_messages = n`, n ≤ 10^7) run headless until every message
//!   is produced and settled, or 5 s of wall time.
//! - `bench(n)` → `{messages, events, ms, msgs_per_sec, trace_hash}`: the engine benchmark of
//!   `eda-lab bench --messages n --repeats 1` (n ≤ 10^7, default 100,000) run to completion inside
//!   the page, timed with `performance.now()`; the trace hash equals the command line's `trace=`.
//! - `traceHash()` → the current run's trace hash (16 hex digits).
//! - `commands()` → JSON of the commands the current run has accepted.
//! - `commandLog()` → the same as a versioned command log (`{"v":1,"commands":[...]}`), the file
//!   `eda-lab run --commands` reads.
//! - `scenarioJson()` → JSON of the scenario the current run started from (seed included); with
//!   `commands()` it replays the run on the command line.
//! - `settings()` → the path of every setting (`producer.acks`, ...), in the order of the one
//!   description; the settings panel has one control per path (`[data-setting=PATH]`).
//! - `journey(id)` → JSON of what the run says about message `id` (`evt_000123` or `123`): the
//!   `eda-lab run --journey` report; `{"error": ...}` for a malformed id.
//! - `simTimeUs()` → the run's sim time in whole microseconds.
//! - `resetFrameStats()` → forgets the frame times measured so far.
//! - `seekBench(rate)` → the time-travel benchmark of `eda-lab bench --seek` in the page: a
//!   10-minute run of at-least-once at `rate` msg/s (its own rate when absent) sought to 100
//!   instants, each checked against a straight replay; the same report line.
//! - `shareLink()` → the share panel's link to the run as it stands (this page's address,
//!   `#run=` and the run).
//! - `memory()` → `{wasm_bytes, snapshots, snapshot_messages}`: the size of the wasm linear memory
//!   (it grows and never shrinks: its size is the peak so far) and the time-travel snapshots kept
//!   with the messages they hold (`e2e/soak.mjs` samples it).

use super::dom::now_ms;
use super::runtime::{bench, fast_forward, Runtime};
use crate::sim::command_log::CommandLog;
use crate::sim::config::settings::SETTINGS;
use crate::sim::kernel::numfmt::plain;
use crate::sim::report::{parse_message_id, JourneyReport};
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type Rt = Rc<RefCell<Runtime>>;

fn set(obj: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

/// An object of numbers, strings and booleans.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (key, value) in fields {
        set(&o, key, value.clone());
    }
    o.into()
}

/// A message count from JavaScript: at most 10 million (the ledger keeps a record per message, and
/// the page must not run out of memory for a measurement).
fn count(n: &JsValue, default: f64) -> u64 {
    n.as_f64().filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(default).min(1e7) as u64
}

/// Puts `f` on `api` as `name`, for the life of the page (`Closure::forget`).
fn expose<F: ?Sized + wasm_bindgen::closure::WasmClosure>(api: &Object, name: &str, f: Closure<F>) {
    set(api, name, f.as_ref().clone());
    f.forget();
}

/// Installs the hooks.
pub fn install(rt: Rt) {
    let Some(window) = web_sys::window() else { return };
    let api = Object::new();
    let r = rt.clone();
    expose(&api, "frameStats", Closure::<dyn Fn() -> JsValue>::new(move || frame_stats(&r)));
    let r = rt.clone();
    expose(&api, "fastForward", Closure::<dyn Fn(JsValue) -> JsValue>::new(move |n| fast_forward_js(&r, &n)));
    expose(&api, "bench", Closure::<dyn Fn(JsValue) -> JsValue>::new(|n: JsValue| bench_js(&n)));
    let r = rt.clone();
    expose(&api, "traceHash", Closure::<dyn Fn() -> JsValue>::new(move || r.borrow().sim.trace_hash().hex().into()));
    let r = rt.clone();
    expose(
        &api,
        "commands",
        Closure::<dyn Fn() -> JsValue>::new(move || {
            serde_json::to_string(r.borrow().sim.commands()).unwrap_or_else(|_| "[]".into()).into()
        }),
    );
    let r = rt.clone();
    expose(
        &api,
        "commandLog",
        Closure::<dyn Fn() -> JsValue>::new(move || {
            CommandLog::new(r.borrow().sim.commands().to_vec()).to_json().into()
        }),
    );
    let r = rt.clone();
    expose(&api, "scenarioJson", Closure::<dyn Fn() -> JsValue>::new(move || r.borrow().base.to_json().into()));
    let r = rt.clone();
    expose(
        &api,
        "simTimeUs",
        Closure::<dyn Fn() -> JsValue>::new(move || (r.borrow().sim.now().as_us() as f64).into()),
    );
    expose(
        &api,
        "settings",
        Closure::<dyn Fn() -> JsValue>::new(|| {
            SETTINGS.iter().map(|s| JsValue::from_str(s.path)).collect::<js_sys::Array>().into()
        }),
    );
    let r = rt.clone();
    expose(
        &api,
        "journey",
        Closure::<dyn Fn(JsValue) -> JsValue>::new(move |id: JsValue| {
            let text = id.as_string().or_else(|| id.as_f64().map(plain)).unwrap_or_default();
            match parse_message_id(&text) {
                Ok(msg) => JourneyReport::of(&r.borrow().sim, msg).to_json().into(),
                Err(e) => serde_json::json!({ "error": e }).to_string().into(),
            }
        }),
    );
    let r = rt.clone();
    expose(
        &api,
        "shareLink",
        Closure::<dyn Fn() -> JsValue>::new(move || {
            super::share_run::link(&r.borrow(), &super::dom::page_url()).into()
        }),
    );
    expose(
        &api,
        "seekBench",
        Closure::<dyn Fn(JsValue) -> JsValue>::new(|rate: JsValue| {
            let rate = rate.as_f64().filter(|r| r.is_finite() && *r > 0.0 && *r <= 10_000.0);
            match crate::seek_bench::run("at-least-once", rate, 42, &now_ms) {
                Ok(line) => line.into(),
                Err(e) => format!("error: {e}").into(),
            }
        }),
    );
    let r = rt.clone();
    expose(&api, "memory", Closure::<dyn Fn() -> JsValue>::new(move || memory(&r.borrow())));
    let r = rt;
    expose(&api, "resetFrameStats", Closure::<dyn Fn()>::new(move || r.borrow_mut().perf = Default::default()));
    set(window.as_ref(), "__edaLab", api.into());
}

fn memory(rt: &Runtime) -> JsValue {
    let length = Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .and_then(|buffer| Reflect::get(&buffer, &"byteLength".into()))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(f64::NAN);
    let (snapshots, _) = rt.timeline.shape();
    object(&[
        ("wasm_bytes", length.into()),
        ("snapshots", (snapshots as f64).into()),
        ("snapshot_messages", (rt.timeline.held_messages() as f64).into()),
    ])
}

fn frame_stats(rt: &Rt) -> JsValue {
    let s = rt.borrow().perf.summary();
    object(&[
        ("count", (s.count as f64).into()),
        ("p50_ms", s.p50_ms.into()),
        ("p95_ms", s.p95_ms.into()),
        ("max_ms", s.max_ms.into()),
        ("step_p50_ms", s.step_p50_ms.into()),
        ("step_p95_ms", s.step_p95_ms.into()),
    ])
}

fn fast_forward_js(rt: &Rt, n: &JsValue) -> JsValue {
    let base = rt.borrow().scenario_with_live_settings();
    match fast_forward(&base, count(n, 1_000.0), 5_000.0, now_ms) {
        Ok(run) => object(&[
            ("messages", (run.messages as f64).into()),
            ("wall_ms", run.wall_ms.into()),
            ("events", (run.events as f64).into()),
            ("trace_hash", run.trace_hash.into()),
            ("settled", run.settled.into()),
            ("sim_time_s", run.sim_time.as_secs_f64().into()),
        ]),
        Err(e) => object(&[("error", e.into())]),
    }
}

fn bench_js(n: &JsValue) -> JsValue {
    let n = count(n, 100_000.0).max(1);
    match bench(n, now_ms) {
        Ok(b) => object(&[
            ("messages", (b.messages as f64).into()),
            ("events", (b.events as f64).into()),
            ("ms", b.wall_ms.into()),
            // null when the clock did not move (a tiny run within the timer's resolution).
            (
                "msgs_per_sec",
                if b.wall_ms > 0.0 { (b.messages as f64 / (b.wall_ms / 1000.0)).into() } else { JsValue::NULL },
            ),
            ("trace_hash", b.trace_hash.into()),
        ]),
        Err(e) => object(&[("error", e.into())]),
    }
}
