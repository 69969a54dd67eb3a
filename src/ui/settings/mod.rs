//! The settings panel: a sticky side panel on wide screens, a drawer on narrow ones. Every
//! runtime change is an engine [`Command`](crate::sim::command::Command) sent as a
//! [`RunAction`] (recorded and replayable); the seed and the partition count restart the run,
//! labelled as such.
//!
//! - `fields.rs`: labelled fields, numeric parsing with errors naming the field, picker values.
//! - `delivery.rs`: offset commit and idempotency; `load.rs`: rate, processing time, failures;
//!   `crashes.rs`: random crashes and "crash consumer N at step S"; `group.rs`: consumers and
//!   partitions.

mod crashes;
mod delivery;
mod fields;
mod group;
mod load;

use crate::sim::consumer::ConsumerStatus;
use crate::sim::scenario::{CommitStrategy, CrashPoint, IdempotencyMode};
use crate::ui::run::RunAction;
use crate::ui::runtime::Runtime;
use crate::ui::state::Notice;
use crashes::CrashFields;
use delivery::{DeliveryFields, IdempotencyFields};
use fields::{input_value, Sinks};
use group::GroupFields;
use load::LoadFields;
use std::rc::Rc;
use yew::prelude::*;

/// What the panel shows: a small snapshot of the live settings, so the panel redraws only when a
/// setting (or a consumer's alive/crashed state) changes, not on every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub commit: CommitStrategy,
    pub idempotency: IdempotencyMode,
    pub dedup_ttl_ms: Option<u64>,
    pub rate: f64,
    pub failure: f64,
    pub crash_point: CrashPoint,
    pub crash_probability: f64,
    pub service_mean_ms: f64,
    pub partitions: u32,
    pub seed: u64,
    /// Which run this is (moves on every restart).
    pub run: u64,
    pub consumers: Vec<(u32, ConsumerStatus)>,
}

/// Statuses that matter to the panel's buttons (busy states fold into "idle").
fn coarse(s: ConsumerStatus) -> ConsumerStatus {
    match s {
        ConsumerStatus::Crashed | ConsumerStatus::Stopped => s,
        _ => ConsumerStatus::Idle,
    }
}

impl Settings {
    pub fn of(rt: &Runtime) -> Settings {
        let (sim, base) = (&rt.sim, &rt.base);
        let s = sim.scenario();
        Settings {
            commit: s.consumers.commit,
            idempotency: s.idempotency.mode,
            dedup_ttl_ms: s.idempotency.dedup_ttl_ms,
            rate: s.producer.rate_per_sec,
            failure: s.processing.failure_probability,
            crash_point: s.consumers.crash.point,
            crash_probability: s.consumers.crash.probability,
            service_mean_ms: s.processing.service.mean_ms,
            partitions: base.topic.partitions,
            seed: base.seed,
            run: rt.run,
            consumers: sim.consumers().iter().map(|c| (c.id, coarse(c.status))).collect(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: Settings,
    pub on_run: Callback<RunAction>,
    /// On narrow screens the panel is a drawer: open or closed. (On wide ones it is always shown.)
    pub open: bool,
    pub on_close: Callback<()>,
    /// The answer to the last thing done to the run, repeated in the drawer (where the page's own
    /// notice may be scrolled away or covered).
    pub notice: Option<Rc<Notice>>,
}

#[function_component(SettingsPanel)]
pub fn settings_panel(props: &SettingsProps) -> Html {
    let s = &props.settings;
    let input_error = use_state_eq(|| None::<String>);
    let close_ref = use_node_ref();
    use_drawer_focus(props.open, close_ref.clone());
    let sinks = {
        let error = input_error.clone();
        Sinks { on_run: props.on_run.clone(), on_error: Callback::from(move |e| error.set(e)) }
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let cb = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(());
            }
        })
    };
    html! {
        <aside id="settings-panel" class={classes!("panel", "controls", props.open.then_some("is-open"))} aria-labelledby="controls-h" {onkeydown}>
            <div class="controls-head">
                <h2 id="controls-h">{"Settings"}</h2>
                <button ref={close_ref} type="button" class="btn btn-small drawer-close" onclick={on_close} title="Close the settings (Escape)">{"Close"}</button>
                if let Some(n) = &props.notice {
                    // Not announced again: the page's notice is the live region.
                    <p class={classes!("drawer-notice", if n.error { "notice-error" } else { "notice-ok" })} aria-hidden="true">{n.text.clone()}</p>
                }
            </div>
            <p class="panel-note">{"Changes apply live as recorded commands, so the run stays reproducible."}</p>
            if let Some(message) = (*input_error).clone() {
                <p class="input-error" role="alert" data-testid="input-error">{message}</p>
            }
            <SeedField seed={s.seed} run={s.run} on_run={props.on_run.clone()} />
            <DeliveryFields commit={s.commit} sinks={sinks.clone()} />
            <IdempotencyFields mode={s.idempotency} dedup_ttl_ms={s.dedup_ttl_ms} sinks={sinks.clone()} />
            <LoadFields rate={s.rate} service_mean_ms={s.service_mean_ms} failure={s.failure} sinks={sinks.clone()} />
            <CrashFields point={s.crash_point} probability={s.crash_probability} consumers={s.consumers.clone()} sinks={sinks.clone()} />
            <GroupFields consumers={s.consumers.clone()} partitions={s.partitions} {sinks} />
        </aside>
    }
}

fn parse_seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter a seed: a whole number from 0 to 18446744073709551615.".into());
    }
    t.parse::<u64>().map_err(|_| format!("“{t}” is not a seed: use a whole number from 0 to 18446744073709551615."))
}

#[derive(Properties, PartialEq)]
struct SeedProps {
    seed: u64,
    run: u64,
    on_run: Callback<RunAction>,
}

/// The run's seed: a new one restarts the run; a malformed one is refused with a message (the run
/// keeps its seed). The message goes when the run restarts.
#[function_component(SeedField)]
fn seed_field(props: &SeedProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    {
        let error = error.clone();
        use_effect_with(props.run, move |_| error.set(None));
    }
    let onchange = {
        let (error, on_run) = (error.clone(), props.on_run.clone());
        Callback::from(move |e: Event| match parse_seed(&input_value(&e)) {
            Ok(seed) => {
                error.set(None);
                on_run.emit(RunAction::Reseed(seed));
            }
            Err(message) => error.set(Some(message)),
        })
    };
    html! {
        <fieldset>
            <legend>{"Run"}</legend>
            <div class="field">
                <label for="seed">{"Seed"}</label>
                <input id="seed" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                    value={props.seed.to_string()} {onchange} aria-describedby="seed-help"
                    title="Every random choice derives from this number" aria-invalid={error.is_some().to_string()} />
                if let Some(message) = (*error).clone() {
                    <p id="seed-error" class="input-error" role="alert">{message}</p>
                }
                <p class="help" id="seed-help">{"Every random choice derives from it. Type one and press Enter: the run restarts with it."}</p>
            </div>
        </fieldset>
    }
}

/// Focus for the drawer: opening it moves focus to its Close button; closing it while focus was
/// inside (or nowhere) returns focus to the button that opens it.
#[hook]
fn use_drawer_focus(open: bool, close_ref: NodeRef) {
    let was_open = use_mut_ref(|| false);
    use_effect_with(open, move |&open| {
        let before = std::mem::replace(&mut *was_open.borrow_mut(), open);
        if open {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        } else if before {
            return_focus_to_toggle();
        }
    });
}

fn return_focus_to_toggle() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let active = document.active_element();
    let inside = match (document.get_element_by_id("settings-panel"), &active) {
        (Some(panel), Some(a)) => panel.contains(Some(a)),
        _ => true,
    };
    let on_body = active.map(|a| a.tag_name().eq_ignore_ascii_case("body")).unwrap_or(true);
    if inside || on_body {
        if let Some(toggle) =
            document.get_element_by_id("btn-settings").and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = toggle.focus();
        }
    }
}
