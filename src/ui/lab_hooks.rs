//! `window.__edaLab`: measurement hooks for the end-to-end and performance scripts. They read the
//! run (and run headless copies of it); they never change the run on the page.
//!
//! - `frameStats()` → `{count, p50_ms, p95_ms, max_ms, step_p50_ms, step_p95_ms}`: work per animation
//!   frame (engine step, state update and the render that follows) over the last ≤ 600 frames;
//!   `step_*` is the engine-and-state part alone.
//! - `fastForward(n)` → `{messages, wall_ms, events, trace_hash, settled, sim_time_s}`: a fresh copy of
//!   the current scenario (same seed, `max_messages = n`, n ≤ 10^7) run headless until every message
//!   is produced and settled, or 5 s of wall time.
//! - `traceHash()` → the current run's trace hash (16 hex digits).
//! - `commands()` → JSON of the commands the current run has accepted.
//! - `commandLog()` → the same as a versioned command log (`{"v":1,"commands":[...]}`), the file
//!   `eda-lab run --commands` reads.
//! - `scenarioJson()` → JSON of the scenario the current run started from (seed included); with
//!   `commands()` it replays the run on the command line.
//! - `simTimeUs()` → the run's sim time in whole microseconds.
//! - `resetFrameStats()` → forgets the frame times measured so far.

use super::dom::now_ms;
use super::runtime::{fast_forward, Runtime};
use crate::sim::command_log::CommandLog;
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn set(obj: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

/// Installs the hooks. The closures live as long as the page (`Closure::forget`).
pub fn install(rt: Rc<RefCell<Runtime>>) {
    let Some(window) = web_sys::window() else { return };
    let api = Object::new();

    let r = rt.clone();
    let frame_stats = Closure::<dyn Fn() -> JsValue>::new(move || {
        let s = r.borrow().perf.summary();
        let o = Object::new();
        set(&o, "count", JsValue::from_f64(s.count as f64));
        set(&o, "p50_ms", JsValue::from_f64(s.p50_ms));
        set(&o, "p95_ms", JsValue::from_f64(s.p95_ms));
        set(&o, "max_ms", JsValue::from_f64(s.max_ms));
        set(&o, "step_p50_ms", JsValue::from_f64(s.step_p50_ms));
        set(&o, "step_p95_ms", JsValue::from_f64(s.step_p95_ms));
        o.into()
    });
    set(&api, "frameStats", frame_stats.as_ref().clone());
    frame_stats.forget();

    let r = rt.clone();
    let ff = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |n: JsValue| {
        // At most 10 million messages: the ledger keeps a record per message, and the page must
        // not run out of memory for a measurement.
        let n = n.as_f64().filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(1_000.0).min(1e7) as u64;
        let base = r.borrow().scenario_with_live_settings();
        let o = Object::new();
        match fast_forward(&base, n, 5_000.0, now_ms) {
            Ok(run) => {
                set(&o, "messages", JsValue::from_f64(run.messages as f64));
                set(&o, "wall_ms", JsValue::from_f64(run.wall_ms));
                set(&o, "events", JsValue::from_f64(run.events as f64));
                set(&o, "trace_hash", JsValue::from_str(&run.trace_hash));
                set(&o, "settled", JsValue::from_bool(run.settled));
                set(&o, "sim_time_s", JsValue::from_f64(run.sim_time.as_secs_f64()));
            }
            Err(e) => set(&o, "error", JsValue::from_str(&e)),
        }
        o.into()
    });
    set(&api, "fastForward", ff.as_ref().clone());
    ff.forget();

    let r = rt.clone();
    let trace = Closure::<dyn Fn() -> JsValue>::new(move || JsValue::from_str(&r.borrow().sim.trace_hash().hex()));
    set(&api, "traceHash", trace.as_ref().clone());
    trace.forget();

    let r = rt.clone();
    let commands = Closure::<dyn Fn() -> JsValue>::new(move || {
        let json = serde_json::to_string(r.borrow().sim.commands()).unwrap_or_else(|_| "[]".into());
        JsValue::from_str(&json)
    });
    set(&api, "commands", commands.as_ref().clone());
    commands.forget();

    let r = rt.clone();
    let command_log = Closure::<dyn Fn() -> JsValue>::new(move || {
        JsValue::from_str(&CommandLog::new(r.borrow().sim.commands().to_vec()).to_json())
    });
    set(&api, "commandLog", command_log.as_ref().clone());
    command_log.forget();

    let r = rt.clone();
    let scenario = Closure::<dyn Fn() -> JsValue>::new(move || JsValue::from_str(&r.borrow().base.to_json()));
    set(&api, "scenarioJson", scenario.as_ref().clone());
    scenario.forget();

    let r = rt.clone();
    let sim_time = Closure::<dyn Fn() -> JsValue>::new(move || JsValue::from_f64(r.borrow().sim.now().as_us() as f64));
    set(&api, "simTimeUs", sim_time.as_ref().clone());
    sim_time.forget();

    let r = rt;
    let reset_stats = Closure::<dyn Fn()>::new(move || r.borrow_mut().perf = Default::default());
    set(&api, "resetFrameStats", reset_stats.as_ref().clone());
    reset_stats.forget();

    set(window.as_ref(), "__edaLab", api.into());
}
