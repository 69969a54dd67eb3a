//! The settings panel: a sticky side panel on wide screens, a drawer on narrow ones. It holds one
//! control for every setting of the one description
//! ([`SETTINGS`](crate::sim::config::settings::SETTINGS)), grouped as the description groups them,
//! plus the seed and the actions on consumers (crash now or at a step, add, remove, restart).
//! A setting a running simulation can change is sent as a recorded engine command
//! (`Command::Set`); any other restarts the run with the changed scenario, and its control says so.
//!
//! - `control.rs`: one setting's control, from its description; `values.rs`: values as controls
//!   show and read them.
//! - `fields.rs`: where actions go, picker values; `crashes.rs`: "crash consumer N at step S";
//!   `group.rs`: the group's members now.

mod control;
mod crashes;
mod fields;
mod group;
mod values;

use crate::sim::command::Command;
use crate::sim::config::queue::LOG_ONLY;
use crate::sim::config::settings::{Group, Setting, SETTINGS};
use crate::sim::consumer::ConsumerStatus;
use crate::sim::ConsumerId;
use crate::ui::run::RunAction;
use crate::ui::runtime::Runtime;
use crate::ui::state::Notice;
use control::Proposal;
use fields::input_value;
use group::{broker_fields, group_fields};
// The lesson panel draws the settings and actions a lesson unlocks with these same controls.
pub(crate) use control::SettingControl;
pub(crate) use crashes::CrashAtStep;
pub(crate) use fields::Sinks;
pub(crate) use group::consumer_name;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// The groups of settings, in the order the panel shows them, with their headings.
const GROUPS: [(Group, &str); 18] = [
    (Group::Producer, "Producer"),
    (Group::Network, "Network"),
    (Group::Queue, "Broker"),
    (Group::Topic, "Topic"),
    (Group::Replication, "Brokers and replication"),
    (Group::Transactions, "Transactions (exactly-once)"),
    (Group::Outbox, "Publishing: dual write or outbox"),
    (Group::Chaos, "Chaos mode"),
    (Group::Sourcing, "Event sourcing and CQRS"),
    (Group::Shop, "Shop (CQRS)"),
    (Group::Schema, "Schema registry"),
    (Group::Consumers, "Consumers"),
    (Group::Processing, "Processing"),
    (Group::Downstream, "Payments API"),
    (Group::Breaker, "Circuit breaker"),
    (Group::Idempotency, "Idempotency"),
    (Group::Alerts, "Alerts"),
    (Group::Metrics, "Charts and log"),
];

/// What the panel shows: the run's value of every setting (in table order), the seed and the
/// consumers' alive/crashed state, so the panel redraws only when one of them changes, not on
/// every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub values: Rc<Vec<Option<Value>>>,
    pub seed: u64,
    /// Which run this is (moves on every restart).
    pub run: u64,
    pub consumers: Vec<(ConsumerId, ConsumerStatus)>,
    /// The subscribers' names, with publish-subscribe (each consumer is named by its own).
    pub subscribers: Vec<String>,
    /// Members the group coordinator counts.
    pub members: usize,
}

/// Statuses that matter to the panel's buttons (busy states fold into "idle").
fn coarse(s: ConsumerStatus) -> ConsumerStatus {
    match s {
        ConsumerStatus::Crashed | ConsumerStatus::Failed | ConsumerStatus::Stopped => s,
        _ => ConsumerStatus::Idle,
    }
}

impl Settings {
    pub fn of(rt: &Runtime) -> Settings {
        Settings {
            values: rt.setting_values(),
            seed: rt.base.seed,
            run: rt.run,
            consumers: rt.sim.all_consumers().map(|c| (c.id, coarse(c.status))).collect(),
            subscribers: rt.sim.scenario().subscribers.iter().map(|s| s.name.clone()).collect(),
            members: rt.sim.consumers().iter().filter(|c| rt.sim.in_group(c.id)).count(),
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
    /// During a lesson: why the settings are not here (the lesson panel has the ones it unlocks).
    #[prop_or_default]
    pub locked: Option<AttrValue>,
}

/// The panel's input error: which setting, and what is wrong.
pub(crate) type InputError = Option<(&'static str, String)>;

/// Checks a proposed value with the setting's own check; a good one goes to the run (a command
/// when the setting is live, else a new run), a bad one becomes the panel's error.
pub(crate) fn propose_callback(
    on_run: Callback<RunAction>,
    error: UseStateHandle<InputError>,
) -> Callback<(&'static Setting, Proposal)> {
    Callback::from(move |(s, proposal): (&'static Setting, Proposal)| {
        match proposal.and_then(|v| s.check(&v).map(|()| v)) {
            Ok(value) => {
                error.set(None);
                on_run.emit(if s.live {
                    RunAction::Command(Command::Set { setting: s.path.into(), value })
                } else {
                    RunAction::NewRunWith { setting: s.path, value }
                });
            }
            Err(message) => error.set(Some((s.path, format!("{}: {message}. Nothing was changed.", s.label)))),
        }
    })
}

#[function_component(SettingsPanel)]
pub fn settings_panel(props: &SettingsProps) -> Html {
    let s = &props.settings;
    let input_error = use_state_eq(|| None::<(&'static str, String)>);
    {
        let error = input_error.clone();
        use_effect_with(s.run, move |_| error.set(None));
    }
    let close_ref = use_node_ref();
    use_drawer_focus(props.open, close_ref.clone());
    let sinks = Sinks { on_run: props.on_run.clone() };
    let on_propose = propose_callback(props.on_run.clone(), input_error.clone());
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let cb = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(());
            }
        })
    };
    let invalid = input_error.as_ref().map(|(path, _)| *path);
    // The topic's settings are the log's: a run on the queue broker does not show them.
    let broker = SETTINGS.iter().position(|d| d.path == "broker").and_then(|i| s.values.get(i).cloned().flatten());
    let queue = broker.as_ref().and_then(Value::as_str) == Some("queue");
    let group = |(group, title): (Group, &'static str)| {
        let shown = |d: &Setting| d.group == group && !(queue && LOG_ONLY.contains(&d.path));
        let controls = SETTINGS.iter().enumerate().filter(|(_, d)| shown(d)).map(|(i, d)| {
            html! { <SettingControl key={d.path} setting={d} value={s.values.get(i).cloned().flatten()}
            invalid={invalid == Some(d.path)} on_propose={on_propose.clone()} /> }
        });
        html! {
            <fieldset key={title}>
                <legend>{title}</legend>
                { for controls }
                if group == Group::Queue && queue {
                    { broker_fields(&sinks) }
                }
                if group == Group::Consumers {
                    { group_fields(&s.consumers, s.members, &s.subscribers, &sinks) }
                    <CrashAtStep consumers={s.consumers.clone()} subscribers={s.subscribers.clone()} sinks={sinks.clone()} />
                }
            </fieldset>
        }
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
            if let Some(why) = &props.locked {
                <p class="locked-note" data-testid="settings-locked">{why.clone()}</p>
            } else {
                <p class="panel-note">{"Changes apply live as recorded commands, so the run stays reproducible. Settings marked “new run” restart the run from time 0."}</p>
                if let Some((_, message)) = (*input_error).clone() {
                    <p class="input-error" id="settings-input-error" role="alert" data-testid="input-error">{message}</p>
                }
                <SeedField seed={s.seed} run={s.run} on_run={props.on_run.clone()} />
                { for GROUPS.into_iter().filter(|(g, _)| !(queue && matches!(g, Group::Topic | Group::Replication | Group::Transactions))).map(group) }
            }
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
