//! The web app (Yew, client-side rendering, wasm32 only).
//!
//! Component map:
//! - `app.rs`: root; holds the page state and the run, the animation loop, keyboard shortcuts and
//!   the layout (top bar, settings, intro, lane).
//! - `run.rs`: the run as a reducer (`Run`) and everything that changes it (`RunAction`), applied
//!   in one place, `Runtime::apply`, which bumps the run's version.
//! - `runtime.rs`: the driver of the engine (`Runtime`): apply, frame advance, step, frame
//!   statistics, headless fast-forward and benchmark.
//! - `backlog.rs`: the page's bound on messages in flight (a backlog that grows without end stops
//!   the run with a notice before the tab runs out of memory).
//! - `state.rs`: page state reducer (`State`, `Action`): play/pause, speed, theme, drawer, log filter.
//! - `lane.rs`: one run's panels (diagram, outcomes, charts, log); a compare view holds several.
//! - `top_bar.rs`, `intro.rs`, `settings/` (one component per fieldset), `topology/`, `legend.rs`,
//!   `live_panel.rs`, `charts.rs`, `event_log.rs`, `select.rs`: the components.
//! - `compare_panel.rs`: a comparison (`sim::compare`) of the current scenario's lanes, run to a
//!   time on the same seed and crashes, as a table and a bar per lane. It runs its own
//!   simulations and never touches the page's run.
//! - `export_panel.rs`: the scenario as client code (`crate::export`) in a library the learner
//!   picks, with the settings it used, each a button to its control in the settings panel.
//! - `sourcing_panel.rs`, `sourcing_account.rs`: the event-sourced bank (write side, one account's
//!   state at any version beside its audit trail, the projections with Rebuild, every account's
//!   balance in the store and in each view).
//! - `shop_panel.rs`: CQRS for the shop (the write side's commands and events, the read load
//!   against it and what stale reads showed, one row per read model, every product's price and
//!   stock on the write side beside each catalogue view's).
//! - `lessons/`: lessons on the page: the lesson map (tracks, lessons, progress in local storage),
//!   a lesson's intro, and while one is on its panel (live checklist, the controls it unlocks,
//!   hints, Run challenge, Show solution, Reset, Leave) and its session with the run, which
//!   refuses what the lesson locks (see `lessons/mod.rs`).
//! - `glossary.rs`: the collapsible glossary under the intro (each term's `<dt>` has an id,
//!   `gloss-offset`, ...); `try_next.rs`: outside lessons, the lessons on the scenario on screen and
//!   the next built-in scenario on a learning path.
//! - `modified.rs`: whether the run differs from its built-in as it ships (the top bar's
//!   "modified" badge and Restore defaults).
//! - `journal_text.rs`: journal entries in plain words, bounded log buffers.
//! - `journey.rs`: one message's journey (outcome, charges, every step) and the message finder.
//! - `shapes.rs`: outcome glyphs (colour and shape).
//! - `hooks/`: `use_animation_loop` (requestAnimationFrame) and `use_global_keys`.
//! - `lab_hooks.rs`: `window.__edaLab` measurement hooks for the e2e and perf scripts.
//! - `dom.rs`: small browser helpers (clock, theme, media queries).
//!
//! **Architecture Invariant:** the UI never mutates engine state; every change to a running
//! simulation is a `Command` passed to `Simulation::handle`, and every change to the page's run is
//! a `RunAction` dispatched to its reducer.

mod app;
mod backlog;
mod breaker_panel;
mod charts;
mod cluster_panel;
mod compare_panel;
mod dlq_panel;
mod dom;
mod event_log;
mod export_panel;
mod fault_panel;
mod glossary;
mod hooks;
mod intro;
mod journal_text;
mod journey;
mod lab_hooks;
mod lane;
mod legend;
mod lessons;
mod live_compare;
mod live_panel;
mod modified;
mod monitoring;
mod outbox_panel;
mod routing_explainer;
mod run;
mod runtime;
mod schema_panel;
mod select;
mod settings;
mod shapes;
mod share_panel;
mod share_run;
mod shop_panel;
mod sourcing_account;
mod sourcing_panel;
mod state;
mod time_travel;
mod timeline_bar;
mod top_bar;
mod topology;
mod try_next;
mod txn_panel;

pub use app::App;
/// The page's driver of the engine and what changes its run, for the browser tests.
pub use run::RunAction;
pub use runtime::Runtime;
pub use state::Speed;

/// Renders the app into the page body (appended after whatever the page already holds).
pub fn start() {
    // The page index.html shows while the wasm loads goes as the app renders.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<App>::new().render();
}
