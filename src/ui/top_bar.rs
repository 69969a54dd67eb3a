//! The top bar: product name, the lesson map's button, scenario picker (marked "modified", with
//! Restore defaults, when the run differs from the built-in; locked during a lesson), transport
//! (play/pause, step, reset, speed), the settings drawer's button (narrow screens only), the share
//! panel's button and the theme toggle.

use super::run::RunAction;
use super::select::{Choice, Select};
use super::state::{Action, Speed, State, Theme};
use crate::sim::builtins::CATALOG;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub scenario: AttrValue,
    pub playing: bool,
    pub speed: Speed,
    pub theme: Theme,
    /// The settings drawer is open (narrow screens; on wide ones the settings are always shown).
    pub settings_open: bool,
    /// Changes to the run: load a scenario, step, reset.
    pub on_run: Callback<RunAction>,
    /// Changes to the page: play/pause, speed, theme, the drawer.
    pub page: UseReducerDispatcher<State>,
    /// The scenario differs from its built-in as it ships (a setting, the seed, the faults).
    pub modified: bool,
    /// The title of the lesson being taken: the scenario picker is locked meanwhile.
    pub lesson: Option<AttrValue>,
    /// The lesson map is open.
    pub lessons_open: bool,
    /// Opens or closes the lesson map.
    pub on_lessons: Callback<()>,
    /// The share panel is open.
    pub share_open: bool,
}

fn dispatch_on_click(page: &UseReducerDispatcher<State>, action: fn() -> Action) -> Callback<MouseEvent> {
    let page = page.clone();
    Callback::from(move |_: MouseEvent| page.dispatch(action()))
}

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}

const ICON_PLAY: &str = "M4 2.5v11l9-5.5z";
const ICON_PAUSE: &str = "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z";
const ICON_STEP: &str = "M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z";
const ICON_RESET: &str = "M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.6.6A3.8 3.8 0 1 0 8 4.2V6L4.8 3.4 8 .8z";
const ICON_MOON: &str = "M10.5 1.5a6.5 6.5 0 1 0 4 11.2A5.5 5.5 0 0 1 10.5 1.5z";
const ICON_BOOK: &str = "M1.5 3h4.6A1.5 1.5 0 0 1 7.6 4.5V14a1.5 1.5 0 0 0-1.5-1.5H1.5zM14.5 3H9.9A1.5 1.5 0 0 0 8.4 4.5V14a1.5 1.5 0 0 1 1.5-1.5h4.6z";
const ICON_SHARE: &str = "M12 1.5a2.5 2.5 0 1 1-2.4 3.2L6.3 6.6a2.5 2.5 0 0 1 0 2.8l3.3 1.9A2.5 2.5 0 1 1 9 12.7L5.6 10.8a2.5 2.5 0 1 1 0-5.6L9 3.3A2.5 2.5 0 0 1 12 1.5z";
const ICON_SLIDERS: &str = "M2 3.2h7.2v1.6H2zM12.4 3.2H14v1.6h-1.6zM9.6 1.6h2.4v4.8H9.6zM2 11.2h2.4v1.6H2zM7.6 11.2H14v1.6H7.6zM4.8 9.6h2.4v4.8H4.8z";

#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let page = &props.page;
    let on_speed = {
        let page = page.clone();
        Callback::from(move |v: String| {
            if let Some(s) = Speed::from_value(&v) {
                page.dispatch(Action::SetSpeed(s));
            }
        })
    };
    let on_step = props.on_run.reform(|_: MouseEvent| RunAction::Step);
    let on_reset = props.on_run.reform(|_: MouseEvent| RunAction::Reset);
    let on_play = dispatch_on_click(page, || Action::TogglePlay);
    let on_theme = dispatch_on_click(page, || Action::ToggleTheme);
    let on_settings = dispatch_on_click(page, || Action::ToggleSettings);
    let on_share = dispatch_on_click(page, || Action::ToggleShare);
    let dark = props.theme == Theme::Dark;

    html! {
        <header class="topbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
                    <rect x="1" y="4" width="6" height="16" rx="2" />
                    <rect x="9" y="4" width="6" height="7" rx="2" />
                    <rect x="9" y="13" width="6" height="7" rx="2" />
                    <circle cx="20" cy="12" r="3" />
                </svg>
                <h1 class="brand-name">{"EDA Lab"}</h1>
            </div>

            { lessons_button(props) }
            { scenario_group(props) }

            <div class="tb-group tb-transport" role="group" aria-label="Playback">
                <button id="btn-play" type="button" class={classes!("btn", "btn-primary", props.playing.then_some("is-playing"))}
                    aria-pressed={props.playing.to_string()} aria-label={if props.playing { "Pause" } else { "Play" }}
                    title="Play or pause the simulation (Space)" onclick={on_play}>
                    { icon(if props.playing { ICON_PAUSE } else { ICON_PLAY }) }
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button id="btn-step" type="button" class="btn" aria-label="Step to the next event" title="Pause and advance to the next logged event (Right arrow)" onclick={on_step}>
                    { icon(ICON_STEP) }<span class="btn-text">{"Step"}</span>
                </button>
                <button id="btn-reset" type="button" class="btn" aria-label="Reset the run to time zero" title="Restart from time 0 with the current settings and seed" onclick={on_reset}>
                    { icon(ICON_RESET) }<span class="btn-text">{"Reset"}</span>
                </button>
                <label for="speed" class="tb-label">{"Speed"}</label>
                <Select id="speed" aria_label="Playback speed" title="Sim seconds per wall second; fast-forward runs as many events as a frame allows"
                    value={props.speed.value()} choices={Speed::CHOICES.iter().map(|(value, label, _)| Choice::new(*value, *label)).collect::<Vec<_>>()}
                    onchange={on_speed} />
            </div>

            <button id="btn-settings" type="button" class="btn settings-toggle" aria-expanded={props.settings_open.to_string()}
                aria-controls="settings-panel" title="Show or hide the settings (Escape closes them)" onclick={on_settings}>
                { icon(ICON_SLIDERS) }<span class="btn-text">{"Settings"}</span>
            </button>
            <button id="btn-share" type="button" class="btn" aria-expanded={props.share_open.to_string()}
                title="A link to this run as it stands (pauses it), and the scenario as JSON to export or import" onclick={on_share}>
                { icon(ICON_SHARE) }<span class="btn-text">{"Share"}</span>
            </button>
            <button id="theme-toggle" type="button" class="btn btn-ghost" aria-pressed={dark.to_string()}
                title="Dark theme on or off" onclick={on_theme}>
                { icon(ICON_MOON) }
                <span class="btn-text">{"Dark theme"}</span>
            </button>
        </header>
    }
}

/// The button that opens the lesson map.
fn lessons_button(props: &TopBarProps) -> Html {
    let onclick = props.on_lessons.reform(|_: MouseEvent| ());
    html! {
        <button id="btn-lessons" type="button" class="btn tb-lessons" aria-expanded={props.lessons_open.to_string()}
            aria-controls="lesson-map" title="The lessons: a goal to reach in a run, judged by replaying it" {onclick}>
            { icon(ICON_BOOK) }<span class="btn-text">{"Lessons"}</span>
        </button>
    }
}

/// The scenario picker, with a badge when a lesson locks it or the scenario is modified (then
/// Restore defaults beside it).
fn scenario_group(props: &TopBarProps) -> Html {
    let on_scenario = props.on_run.reform(RunAction::LoadScenario);
    let on_restore = props.on_run.reform(|_: MouseEvent| RunAction::RestoreDefaults);
    let locked = props.lesson.is_some();
    let badge = if locked {
        Some(("scenario-locked", "locked"))
    } else {
        props.modified.then_some(("scenario-modified", "modified"))
    };
    let choices: Vec<Choice> = CATALOG
        .iter()
        .map(|(name, desc)| Choice { title: Some(AttrValue::from(*desc)), ..Choice::new(*name, *name) })
        .collect();
    html! {
        <div class={classes!("tb-group", "tb-scenario", badge.is_some().then_some("has-badge"))}>
            <label for="scenario-select" class="tb-label">{"Scenario"}</label>
            <Select id="scenario-select" title={if locked { "Locked during a lesson: leave it to pick another scenario" } else { "Built-in scenarios" }}
                value={props.scenario.clone()} disabled={locked} describedby={badge.map(|(id, _)| AttrValue::Static(id))}
                {choices} onchange={on_scenario} />
            if let Some((id, text)) = badge {
                <span class="tb-badge" {id} data-testid={id}>{text}</span>
            }
            if props.modified && !locked {
                <button id="btn-restore" type="button" class="btn btn-small" title="Restore defaults: reload the built-in scenario as it ships (its settings, seed and faults)"
                    onclick={on_restore}>{ icon(ICON_RESET) }<span class="btn-text">{"Restore defaults"}</span></button>
            }
        </div>
    }
}
