//! The root component: owns the run (a [`Runtime`] in a `use_mut_ref`), the page state (a reducer),
//! the animation loop and the keyboard shortcuts, and wires the panels together.
//!
//! Data flow: the animation loop and the buttons change the run (through engine commands), bump
//! its `version` and force a redraw; panels receive the runtime handle plus the version (or a
//! narrower key) as properties, so each redraws only when what it shows changed.

use super::charts::Charts;
use super::controls::{Controls, Settings};
use super::dom::{apply_theme, initial_theme, now_ms, prefers_reduced_motion, watch_reduced_motion};
use super::event_log::EventLog;
use super::hooks::{use_animation_loop, use_global_keys};
use super::journal_text::describe_command;
use super::lab_hooks;
use super::legend::Legend;
use super::live_panel::LivePanel;
use super::runtime::{RtHandle, Runtime};
use super::state::{Action, Notice, Speed, State};
use super::top_bar::TopBar;
use super::topology::Topology;
use crate::sim::builtins::{builtin, CATALOG};
use crate::sim::command::Command;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::scenario::Scenario;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The scenario shown on first load: a duplicate charge appears within the first seconds of play.
pub const DEFAULT_SCENARIO: &str = "at-least-once";

fn parse_seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter a seed: a whole number from 0 to 18446744073709551615.".into());
    }
    t.parse::<u64>().map_err(|_| format!("“{t}” is not a seed: use a whole number from 0 to 18446744073709551615."))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(initial_theme(), prefers_reduced_motion()));
    let rt: Rc<RefCell<Runtime>> = use_mut_ref(|| Runtime::new(builtin(DEFAULT_SCENARIO).unwrap_or_default()));
    let redraw = use_force_update();
    // A frame's render starts here: the frame's work is its engine step plus this render.
    if let Ok(mut r) = rt.try_borrow_mut() {
        if let Some((start, _)) = r.frame_started_ms.as_mut() {
            *start = now_ms();
        }
    }

    use_effect_with(state.theme, |theme| apply_theme(*theme));
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let guard = watch_reduced_motion(move |reduced| dispatch.dispatch(Action::SetReducedMotion(reduced)));
            move || drop(guard)
        });
    }
    {
        let rt = rt.clone();
        use_effect_with((), move |_| lab_hooks::install(rt));
    }
    // Finishes the frame measurement once the render that the frame triggered is done (child
    // components render before this effect runs).
    {
        let rt = rt.clone();
        use_effect(move || {
            let mut r = rt.borrow_mut();
            if let Some((render_start, step_ms)) = r.frame_started_ms.take() {
                let render_ms = now_ms() - render_start;
                r.perf.record(step_ms + render_ms, step_ms);
            }
        });
    }

    // ----- the animation loop -----
    {
        let rt = rt.clone();
        let redraw = redraw.clone();
        let speed = state.speed;
        use_animation_loop(state.playing, move |timestamp| {
            let t0 = now_ms();
            {
                let mut r = rt.borrow_mut();
                let dt = r.last_frame_ms.map(|last| timestamp - last).unwrap_or(1000.0 / 60.0);
                r.last_frame_ms = Some(timestamp);
                r.advance(dt, speed);
                r.frame_started_ms = Some((t0, now_ms() - t0));
            }
            redraw.force_update();
        });
    }

    // ----- actions on the run -----
    let notify = {
        let dispatch = state.dispatcher();
        move |text: String, error: bool| dispatch.dispatch(Action::Notify(Some(Notice { text, error })))
    };
    let on_command = {
        let rt = rt.clone();
        let redraw = redraw.clone();
        let notify = notify.clone();
        use_callback((), move |c: Command, _| {
            let said = describe_command(&c);
            let result = rt.borrow_mut().command(c);
            match result {
                Ok(()) => notify(format!("Applied: {said}."), false),
                Err(e) => notify(format!("Not applied ({said}): {e}."), true),
            }
            redraw.force_update();
        })
    };
    // Every restart pauses at time 0, so the first frames of the new run are not missed.
    let restart_with = {
        let rt = rt.clone();
        let redraw = redraw.clone();
        let notify = notify.clone();
        let dispatch = state.dispatcher();
        Rc::new(move |s: Scenario, what: String| {
            dispatch.dispatch(Action::Pause);
            let result = rt.borrow_mut().reset(s);
            match result {
                Ok(()) => {
                    dispatch.dispatch(Action::SeedError(None));
                    notify(what, false)
                }
                Err(e) => notify(format!("Could not restart: {e}"), true),
            }
            redraw.force_update();
        })
    };
    let on_scenario = {
        let rt = rt.clone();
        let restart = restart_with.clone();
        use_callback((), move |name: String, _| {
            let Some(mut s) = builtin(&name) else { return };
            s.seed = rt.borrow().base.seed;
            restart(s, format!("Loaded scenario “{name}”. Press Play."));
        })
    };
    let on_reset = {
        let rt = rt.clone();
        let restart = restart_with.clone();
        use_callback((), move |(), _| {
            let s = rt.borrow().scenario_with_live_settings();
            restart(s, "Run restarted from time 0 with the current settings. Press Play.".into());
        })
    };
    let on_seed = {
        let rt = rt.clone();
        let restart = restart_with.clone();
        let dispatch = state.dispatcher();
        use_callback((), move |text: String, _| match parse_seed(&text) {
            Ok(seed) => {
                dispatch.dispatch(Action::SeedError(None));
                let mut s = rt.borrow().scenario_with_live_settings();
                s.seed = seed;
                restart(s, format!("Restarted with seed {seed}."));
            }
            Err(e) => dispatch.dispatch(Action::SeedError(Some(e))),
        })
    };
    let on_partitions = {
        let rt = rt.clone();
        let restart = restart_with.clone();
        use_callback((), move |n: u32, _| {
            let mut s = rt.borrow().scenario_with_live_settings();
            s.topic.partitions = n;
            restart(s, format!("Restarted with {n} partitions."));
        })
    };
    let on_play = {
        let rt = rt.clone();
        let dispatch = state.dispatcher();
        use_callback((), move |(), _| {
            rt.borrow_mut().last_frame_ms = None;
            dispatch.dispatch(Action::TogglePlay);
        })
    };
    let on_step = {
        let rt = rt.clone();
        let redraw = redraw.clone();
        let dispatch = state.dispatcher();
        use_callback((), move |(), _| {
            dispatch.dispatch(Action::Pause);
            rt.borrow_mut().step();
            redraw.force_update();
        })
    };
    let on_consumer = {
        let rt = rt.clone();
        let on_command = on_command.clone();
        use_callback((), move |id: u32, _| {
            let status = rt.borrow().sim.consumers().get(id as usize).map(|c| c.status);
            match status {
                Some(ConsumerStatus::Crashed) => on_command.emit(Command::RestartConsumer { consumer: id }),
                Some(ConsumerStatus::Stopped) | None => {}
                Some(_) => on_command.emit(Command::CrashConsumer { consumer: id, at: None }),
            }
        })
    };
    let on_speed = {
        let dispatch = state.dispatcher();
        use_callback((), move |s: Speed, _| dispatch.dispatch(Action::SetSpeed(s)))
    };
    let on_theme = {
        let dispatch = state.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::ToggleTheme))
    };
    let on_category = {
        let dispatch = state.dispatcher();
        use_callback((), move |c, _| dispatch.dispatch(Action::SetCategory(c)))
    };
    let on_notable = {
        let dispatch = state.dispatcher();
        use_callback((), move |b, _| dispatch.dispatch(Action::SetNotableOnly(b)))
    };
    let on_settings = {
        let dispatch = state.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::ToggleSettings))
    };
    let on_close_settings = {
        let dispatch = state.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::CloseSettings))
    };

    {
        let on_play = on_play.clone();
        let on_step = on_step.clone();
        use_global_keys(move |e: &KeyboardEvent| match e.key().as_str() {
            " " | "Spacebar" => {
                on_play.emit(());
                true
            }
            "ArrowRight" => {
                on_step.emit(());
                true
            }
            _ => false,
        });
    }

    // ----- view -----
    let (log_version, charts_version) = rt.borrow_mut().panel_versions(now_ms(), state.playing);
    let r = rt.borrow();
    let sim = &r.sim;
    let version = r.version;
    let handle = RtHandle(rt.clone());
    let settings = Settings::of(sim, &r.base);
    let scenario_name = r.base.name.clone();
    let description =
        CATALOG.iter().find(|(n, _)| *n == scenario_name).map(|(_, d)| *d).unwrap_or("A custom scenario.");
    let hash = sim.trace_hash().hex();
    let notice = state.notice.clone();

    html! {
        <div class={classes!("app", state.settings_open.then_some("drawer-open"))}>
            <TopBar
                scenario={AttrValue::from(scenario_name.clone())}
                playing={state.playing}
                speed={state.speed}
                theme={state.theme}
                settings_open={state.settings_open}
                {on_scenario} {on_play} {on_step} {on_speed} {on_reset} {on_theme} {on_settings}
            />
            <div class="workspace">
                <Controls settings={settings} on_command={on_command.clone()} {on_partitions}
                    seed={r.base.seed} seed_error={state.seed_error.clone()} {on_seed}
                    open={state.settings_open} on_close={on_close_settings} />
                <main class="content">
                    <div class="intro">
                        <p class="scenario-desc"><strong>{scenario_name}</strong>{": "}{description}</p>
                        <p class="hint">
                            {"New here? Press "}<kbd>{"Play"}</kbd>{" (or "}<kbd>{"Space"}</kbd>{") and watch the Payments API box; "}
                            <kbd>{"→"}</kbd>{" steps one event. Click a consumer to crash it, change the settings, and watch the outcome counters."}
                        </p>
                        <p class={classes!("notice", notice.as_ref().map(|n| if n.error { "notice-error" } else { "notice-ok" }))} role="status" aria-live="polite">
                            { notice.map(|n| n.text).unwrap_or_default() }
                        </p>
                    </div>
                    <div class="lane">
                        <section class="panel stage" aria-labelledby="stage-h">
                            <div class="stage-head">
                                <h2 id="stage-h">{"Topology"}</h2>
                                <dl class="run-info">
                                    <div><dt>{"sim time"}</dt><dd data-testid="sim-time">{sim.now().to_string()}</dd></div>
                                    <div><dt>{"events"}</dt><dd data-testid="events-processed">{sim.events_processed()}</dd></div>
                                    <div title="A digest of every event and command so far: the same scenario, seed and commands give the same hash, here and on the command line">
                                        <dt>{"trace"}</dt><dd class="mono" data-testid="trace-hash">{hash}</dd>
                                    </div>
                                    if r.budget_hit {
                                        <div class="budget" title="The engine hit its per-frame event budget: the run is slower than the chosen speed"><dt>{"⚠"}</dt><dd>{"at budget"}</dd></div>
                                    }
                                </dl>
                            </div>
                            <Topology rt={handle.clone()} version={version} speed={state.speed} reduced_motion={state.reduced_motion} {on_consumer} />
                            <Legend />
                        </section>
                        <div class="lane-side">
                            <LivePanel rt={handle.clone()} version={version} />
                            <Charts rt={handle.clone()} sample_key={charts_version} />
                        </div>
                        <EventLog rt={handle} version={log_version} filter={state.log_filter} {on_category} {on_notable} playing={state.playing} />
                    </div>
                </main>
            </div>
            <footer class="footer">
                <p>{"EDA Lab runs entirely in your browser: a deterministic simulation, no network requests. Same scenario + seed + commands = same trace hash."}</p>
            </footer>
        </div>
    }
}
