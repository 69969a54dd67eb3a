//! The root component: holds the page state (a reducer: playback, theme, drawer, log filter), the
//! run (a reducer over the [`Runtime`]: see `run.rs`) and what the page shows of the lessons (a
//! reducer: `lessons/view.rs`), drives the animation loop and the keyboard shortcuts, and lays out
//! the top bar, the settings, the lesson map and panel, and the lane.
//!
//! Data flow: everything that changes the run is a [`RunAction`] sent through one callback,
//! `on_run`, which pauses playback first when the action restarts or steps the run. The run's
//! reducer applies the action (bumping the run's version) and re-renders the page; each panel
//! takes the runtime handle plus the version (or a narrower key) and redraws only when what it
//! shows changed.

use super::compare_panel::ComparePanel;
use super::dom::{
    apply_theme, clear_hash, initial_theme, now_ms, prefers_reduced_motion, run_link, watch_reduced_motion,
    watch_run_link,
};
use super::fault_panel::FaultPanel;
use super::glossary::glossary;
use super::hooks::{use_animation_loop, use_global_keys};
use super::intro::intro;
use super::journey::JourneyPanel;
use super::lab_hooks;
use super::lane::Lane;
use super::lessons::session;
use super::lessons::view::{LessonUi, LessonUiAction};
use super::lessons::{LessonMap, LessonPanel};
use super::modified::modified;
use super::routing_explainer::RoutingExplainer;
use super::run::{Run, RunAction};
use super::runtime::Runtime;
use super::settings::{Settings, SettingsPanel};
use super::share_panel::SharePanel;
use super::state::{Action, Notice, State};
use super::timeline_bar::TimelineBar;
use super::top_bar::TopBar;
use super::try_next::try_next;
use crate::sim::builtins::builtin;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The scenario shown on first load: a duplicate charge appears within the first seconds of play.
pub const DEFAULT_SCENARIO: &str = "at-least-once";

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(initial_theme(), prefers_reduced_motion()));
    let run = use_reducer(initial_run);
    let lessons = use_reducer(LessonUi::new);
    use_frame_timing(&run.rt);
    use_page_effects(&state, &run.rt);
    let on_run = use_on_run(&state, &run);
    use_run_links(&on_run);
    use_run_loop(&state, &run.dispatcher(), &on_run);
    use_pause_when_stuck(&state, &run);
    let modified = use_modified(&run);

    let page = state.dispatcher();
    let on_close = use_callback(page.clone(), |(), page| page.dispatch(Action::CloseSettings));
    let on_category = use_callback(page.clone(), |c, page| page.dispatch(Action::SetCategory(c)));
    let on_notable = use_callback(page.clone(), |b, page| page.dispatch(Action::SetNotableOnly(b)));
    let on_message = use_callback(page.clone(), |msg, page| page.dispatch(Action::ShowJourney(msg)));
    let on_journey_close = use_callback(page.clone(), |(), page| page.dispatch(Action::CloseJourney));
    let on_lessons = use_callback(lessons.dispatcher(), |(), d| d.dispatch(LessonUiAction::ToggleMap));
    let on_share_close = use_callback(page.clone(), |(), page| page.dispatch(Action::ToggleShare));
    let settings = Settings::of(&run.rt.borrow());
    let scenario = AttrValue::from(run.rt.borrow().base.name.clone());
    let compare_key = run.rt.borrow_mut().compare_key(super::dom::now_ms(), state.playing);
    let lesson = run.rt.borrow().lesson.as_ref().map(|s| AttrValue::from(s.lesson.title.clone()));
    let locked = lesson.as_ref().map(|t| AttrValue::from(format!("The lesson “{t}” locks the settings: its panel holds the ones it lets you change. Leave the lesson to unlock them.")));
    html! {
        <div class={classes!("app", state.settings_open.then_some("drawer-open"))}>
            <TopBar scenario={scenario.clone()} playing={state.playing} speed={state.speed} theme={state.theme}
                settings_open={state.settings_open} on_run={on_run.clone()} page={page.clone()} {modified} lesson={lesson.clone()}
                lessons_open={lessons.map_open()} {on_lessons} share_open={state.share_open} />
            <div class="workspace">
                <SettingsPanel settings={settings.clone()} on_run={on_run.clone()} open={state.settings_open} {on_close} notice={run.notice.clone()} {locked} />
                <main class="content">
                    if state.share_open {
                        <SharePanel rt={run.handle()} version={share_key(&run)} on_run={on_run.clone()} on_close={on_share_close} />
                    }
                    { lesson_area(&run, &lessons, &state, &settings, &on_run) }
                    { intro(&scenario, run.notice.as_deref(), lesson.is_some()) }
                    <div class="guide-row">
                        { try_next(&scenario, &lessons, &on_run, lesson.is_some()) }
                        { glossary() }
                    </div>
                    <TimelineBar rt={run.handle()} version={timeline_key(&run)} on_run={on_run.clone()} />
                    <Lane rt={run.handle()} version={run.version()} playing={state.playing} speed={state.speed}
                        reduced_motion={state.reduced_motion} log_filter={state.log_filter} on_run={on_run.clone()} {on_category} {on_notable} {on_message} notice={run.notice.clone()} />
                    <FaultPanel rt={run.handle()} version={(run.rt.borrow().run, run.rt.borrow().sim.now().as_us() / 1_000_000)} on_run={on_run.clone()} />
                    <ComparePanel rt={run.handle()} version={compare_key} on_run={on_run.clone()} />
                    <super::export_panel::ExportPanel rt={run.handle()} version={(run.rt.borrow().run, run.rt.borrow().sim.commands().len())} page={page.clone()} settings_open={state.settings_open} />
                    <RoutingExplainer />
                </main>
                if let Some(msg) = state.journey {
                    <JourneyPanel rt={run.handle()} version={run.version()} {msg} on_close={on_journey_close} />
                }
            </div>
            <footer class="footer">
                <p>{"EDA Lab runs entirely in your browser: a deterministic simulation, no network requests. Same scenario + seed + commands = same trace hash."}</p>
            </footer>
        </div>
    }
}

/// The run the page opens with: the share link in its address, else the default scenario. A link
/// that cannot be opened leaves the default scenario, says what is wrong, and leaves the address
/// (a reload then shows the clean default page).
fn initial_run() -> Run {
    let mut run = Run::new(builtin(DEFAULT_SCENARIO).unwrap_or_default());
    if let Some(link) = run_link() {
        let said = run.rt.borrow_mut().apply(RunAction::Open(link));
        if said.as_ref().is_some_and(|n| n.error) {
            clear_hash();
        }
        run.notice = said.map(|n| {
            let text = if n.error { format!("{} The default scenario is shown.", n.text) } else { n.text };
            Rc::new(Notice { text, ..n })
        });
    }
    run
}

/// The time-travel bar's redraw key: the run, its instant (to a tenth of a second), the end
/// reached and the commands (made and kept).
fn timeline_key(run: &Run) -> (u64, u64, u64, usize) {
    let rt = run.rt.borrow();
    let commands = rt.sim.commands().len() + rt.future.len();
    (rt.run, rt.sim.now().as_us() / 100_000, rt.reached_us / 1_000, commands)
}

/// The share panel's redraw key: the run, its commands and its instant.
fn share_key(run: &Run) -> (u64, usize, u64) {
    let rt = run.rt.borrow();
    (rt.run, rt.sim.commands().len(), rt.sim.now().as_us())
}

/// A share link pasted into the address bar of the open page opens (the page does not reload).
#[hook]
fn use_run_links(on_run: &Callback<RunAction>) {
    let on_run = on_run.clone();
    use_effect_with((), move |_| {
        let guard = watch_run_link(move |link| on_run.emit(RunAction::Open(link)));
        move || drop(guard)
    });
}

/// The lesson map (when open) and the lesson panel (while a lesson is on), above the run.
fn lesson_area(
    run: &UseReducerHandle<Run>,
    ui: &UseReducerHandle<LessonUi>,
    state: &UseReducerHandle<State>,
    settings: &Settings,
    on_run: &Callback<RunAction>,
) -> Html {
    let live_key = session::live_key(&mut run.rt.borrow_mut(), now_ms(), state.playing);
    let active = run.rt.borrow().lesson.as_ref().map(|s| (s.lesson.clone(), s.showing_solution()));
    html! {
        <>
            if ui.map_open() {
                <LessonMap ui={ui.clone()} on_run={on_run.clone()} />
            }
            if let Some((lesson, showing_solution)) = active {
                <LessonPanel rt={run.handle()} {lesson} {live_key} {showing_solution} ui={ui.clone()}
                    settings={settings.clone()} on_run={on_run.clone()} page={state.dispatcher()} />
            }
        </>
    }
}

/// Everything that changes the run goes through here: restarts and steps pause playback first.
#[hook]
fn use_on_run(state: &UseReducerHandle<State>, run: &UseReducerHandle<Run>) -> Callback<RunAction> {
    let (page, run) = (state.dispatcher(), run.dispatcher());
    use_callback((), move |action: RunAction, _| {
        if action.pauses() {
            page.dispatch(Action::Pause);
        }
        run.dispatch(action);
    })
}

/// A run stuck at one instant, or holding as many messages in flight as the page will
/// (`backlog.rs`), cannot go on: stop playing (the notice says why).
#[hook]
fn use_pause_when_stuck(state: &UseReducerHandle<State>, run: &UseReducerHandle<Run>) {
    let stuck = {
        let rt = run.rt.borrow();
        rt.sim.stuck().is_some() || super::backlog::full(&rt)
    };
    let page = state.dispatcher();
    use_effect_with((stuck, state.playing), move |&(stuck, playing)| {
        if stuck && playing {
            page.dispatch(Action::Pause);
        }
    });
}

/// Whether the run differs from its built-in as it ships, worked out again only when a command
/// was accepted, the run restarted (settings change no other way) or a lesson began or ended.
#[hook]
fn use_modified(run: &UseReducerHandle<Run>) -> bool {
    let key = {
        let r = run.rt.borrow();
        (r.run, r.sim.commands().len(), r.lesson.is_some())
    };
    let rt = run.rt.clone();
    *use_memo(key, move |_| modified(&rt.borrow()))
}

/// The theme attribute, the reduced-motion preference and the `window.__edaLab` hooks.
#[hook]
fn use_page_effects(state: &UseReducerHandle<State>, rt: &Rc<RefCell<Runtime>>) {
    use_effect_with(state.theme, |theme| apply_theme(*theme));
    let dispatch = state.dispatcher();
    use_effect_with((), move |_| {
        let guard = watch_reduced_motion(move |reduced| dispatch.dispatch(Action::SetReducedMotion(reduced)));
        move || drop(guard)
    });
    let rt = rt.clone();
    use_effect_with((), move |_| lab_hooks::install(rt));
}

/// While playing, every animation frame is a [`RunAction::Frame`]; Space plays or pauses and the
/// Right arrow steps.
#[hook]
fn use_run_loop(state: &UseReducerHandle<State>, run: &UseReducerDispatcher<Run>, on_run: &Callback<RunAction>) {
    let (speed, run) = (state.speed, run.clone());
    use_animation_loop(state.playing, move |dt_ms| run.dispatch(RunAction::Frame { dt_ms, speed }));
    let (page, on_run) = (state.dispatcher(), on_run.clone());
    use_global_keys(move |e: &KeyboardEvent| match e.key().as_str() {
        " " | "Spacebar" => {
            page.dispatch(Action::TogglePlay);
            true
        }
        "ArrowRight" => {
            on_run.emit(RunAction::Step);
            true
        }
        _ => false,
    });
}

/// Measures each animation frame's work: its engine step (timed by [`Runtime::apply`]) plus the
/// render it triggers, from the start of this component's render until its effects run (child
/// components have rendered by then).
#[hook]
fn use_frame_timing(rt: &Rc<RefCell<Runtime>>) {
    if let Ok(mut r) = rt.try_borrow_mut() {
        if let Some((start, _)) = r.frame_started_ms.as_mut() {
            *start = now_ms();
        }
    }
    let rt = rt.clone();
    use_effect(move || {
        let mut r = rt.borrow_mut();
        if let Some((render_start, step_ms)) = r.frame_started_ms.take() {
            let render_ms = now_ms() - render_start;
            r.perf.record(step_ms + render_ms, step_ms);
        }
    });
}
