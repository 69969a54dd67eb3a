//! The web app (Yew, client-side rendering, wasm32 only).
//!
//! Component map:
//! - `app.rs`: root; owns the run, the page state, the animation loop and keyboard shortcuts.
//! - `state.rs`: page state reducer (`State`, `Action`): play/pause, speed, theme, log filter.
//! - `runtime.rs`: the driver of the engine (`Runtime`): run, reset, commands, frame advance,
//!   frame statistics, headless fast-forward.
//! - `top_bar.rs`, `controls.rs`, `topology.rs`, `legend.rs`, `live_panel.rs`, `charts.rs`,
//!   `event_log.rs`: one component each.
//! - `journal_text.rs`: journal entries in plain words, bounded log buffers.
//! - `shapes.rs`: outcome glyphs (colour and shape).
//! - `hooks/`: `use_animation_loop` (requestAnimationFrame) and `use_global_keys`.
//! - `lab_hooks.rs`: `window.__edaLab` measurement hooks for the e2e and perf scripts.
//! - `dom.rs`: small browser helpers (clock, theme, media queries).
//!
//! **Architecture Invariant:** the UI never mutates engine state; every change to a running
//! simulation is a `Command` passed to `Simulation::handle`.

mod app;
mod charts;
mod controls;
mod dom;
mod event_log;
mod hooks;
mod journal_text;
mod lab_hooks;
mod legend;
mod live_panel;
mod runtime;
mod select;
mod shapes;
mod state;
mod top_bar;
mod topology;

pub use app::App;

/// Renders the app into the page body (appended after whatever the page already holds).
pub fn start() {
    yew::Renderer::<App>::new().render();
}
