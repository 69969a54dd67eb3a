//! The top bar: product name, scenario picker, transport (play/pause, step, speed), seed, reset
//! and theme toggle.

use super::state::{Speed, Theme};
use crate::sim::builtins::CATALOG;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub scenario: AttrValue,
    pub playing: bool,
    pub speed: Speed,
    pub seed: u64,
    pub seed_error: Option<String>,
    pub theme: Theme,
    pub on_scenario: Callback<String>,
    pub on_play: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<Speed>,
    pub on_seed: Callback<String>,
    pub on_reset: Callback<()>,
    pub on_theme: Callback<()>,
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
const ICON_SUN: &str = "M8 4.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zM7.2 0h1.6v2.6H7.2zM7.2 13.4h1.6V16H7.2zM0 7.2h2.6v1.6H0zM13.4 7.2H16v1.6h-2.6z";

#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let on_scenario = {
        let cb = props.on_scenario.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = Speed::from_value(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                cb.emit(s);
            }
        })
    };
    let on_seed = {
        let cb = props.on_seed.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_play = props.on_play.reform(|_: MouseEvent| ());
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_theme = props.on_theme.reform(|_: MouseEvent| ());
    let speed_value = props.speed.value();
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

            <div class="tb-group tb-scenario">
                <label for="scenario-select" class="tb-label">{"Scenario"}</label>
                <select id="scenario-select" title="Built-in scenarios, one per lesson" onchange={on_scenario}>
                    { for CATALOG.iter().map(|(name, desc)| html! {
                        <option value={*name} title={*desc} selected={props.scenario.as_str() == *name}>{*name}</option>
                    }) }
                </select>
            </div>

            <div class="tb-group tb-transport" role="group" aria-label="Playback">
                <button id="btn-play" type="button" class={classes!("btn", "btn-primary", props.playing.then_some("is-playing"))}
                    aria-pressed={props.playing.to_string()} aria-label={if props.playing { "Pause" } else { "Play" }}
                    title="Play or pause the simulation (Space)" onclick={on_play}>
                    { icon(if props.playing { ICON_PAUSE } else { ICON_PLAY }) }
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button id="btn-step" type="button" class="btn" aria-label="Step to the next event" title="Pause and advance to the next logged event (Right arrow)" onclick={on_step}>
                    { icon(ICON_STEP) }{"Step"}
                </button>
                <label for="speed" class="tb-label">{"Speed"}</label>
                <select id="speed" aria-label="Playback speed" title="Sim seconds per wall second; fast-forward runs as many events as a frame allows" onchange={on_speed}>
                    { for Speed::CHOICES.iter().map(|(value, label, _)| html! {
                        <option value={*value} selected={*value == speed_value}>{*label}</option>
                    }) }
                </select>
            </div>

            <div class="tb-group tb-seed">
                <label for="seed" class="tb-label">{"Seed"}</label>
                <input id="seed" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" size="8"
                    value={props.seed.to_string()} onchange={on_seed}
                    aria-label="Random seed (press Enter to restart with it)" title="Every random choice derives from this number; press Enter to restart the run with it"
                    aria-invalid={props.seed_error.is_some().to_string()} aria-describedby="seed-error" />
                <button id="btn-reset" type="button" class="btn" aria-label="Reset the run to time zero" title="Restart from time 0 with the current settings and seed" onclick={on_reset}>
                    { icon(ICON_RESET) }{"Reset"}
                </button>
                if let Some(err) = &props.seed_error {
                    <span id="seed-error" class="seed-error" role="alert">{err.clone()}</span>
                }
            </div>

            <button id="theme-toggle" type="button" class="btn btn-ghost" aria-pressed={dark.to_string()}
                aria-label={if dark { "Switch to light theme" } else { "Switch to dark theme" }} title="Light or dark theme" onclick={on_theme}>
                { icon(if dark { ICON_SUN } else { ICON_MOON }) }
                <span class="theme-text">{ if dark { "Light" } else { "Dark" } }</span>
            </button>
        </header>
    }
}
