//! What a lesson lets the learner change, in its panel: a control for each setting it unlocks
//! (the settings panel's own control, from the setting's description) and one button per action
//! it offers, with a picker where the action needs a target (which consumer, broker, subscriber
//! or schema version). Everything goes to the run as the settings panel sends it, so the lesson's
//! gate (`session.rs`) sees it the same way.

use crate::sim::command::Command;
use crate::sim::config::settings::{self, SETTINGS};
use crate::sim::ConsumerId;
use crate::ui::run::RunAction;
use crate::ui::select::{Choice, Select};
use crate::ui::settings::{propose_callback, CrashAtStep, InputError, SettingControl, Settings, Sinks};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AllowedProps {
    pub paths: Rc<Vec<String>>,
    pub values: Rc<Vec<Option<Value>>>,
    /// Which run this is: an input error goes when the run restarts.
    pub run: u64,
    pub on_run: Callback<RunAction>,
}

/// The settings the lesson unlocks, each with its usual control.
#[function_component(AllowedSettings)]
pub fn allowed_settings(props: &AllowedProps) -> Html {
    let error = use_state_eq(|| None as InputError);
    {
        let error = error.clone();
        use_effect_with(props.run, move |_| error.set(None));
    }
    let on_propose = propose_callback(props.on_run.clone(), error.clone());
    let invalid = error.as_ref().map(|(path, _)| *path);
    let controls = props.paths.iter().filter_map(|p| {
        let i = SETTINGS.iter().position(|s| s.path == p)?;
        let s = settings::find(p)?;
        let value = props.values.get(i).cloned().flatten();
        Some(html! { <SettingControl key={s.path} setting={s} {value} invalid={invalid == Some(s.path)} on_propose={on_propose.clone()} /> })
    });
    html! {
        <>
            if let Some((_, message)) = (*error).clone() {
                <p class="input-error" id="settings-input-error" role="alert" data-testid="input-error">{message}</p>
            }
            { for controls }
        </>
    }
}

/// What the actions need to know of the run: how many partitions, brokers and schema versions,
/// and the projections' names (event sourcing).
#[derive(Clone, Debug, PartialEq)]
pub struct Extent {
    pub partitions: u32,
    pub brokers: u32,
    pub versions: u32,
    pub views: Vec<String>,
}

/// What an action acts on.
#[derive(Clone, Copy, PartialEq)]
enum Pick {
    Nothing,
    Consumer,
    Broker,
    Subscriber,
    Version,
}

/// Each action a lesson may offer: its command type, its button, what it picks.
const ACTIONS: [(&str, &str, Pick); 11] = [
    ("restart_consumer", "Restart consumer", Pick::Consumer),
    ("slow_consumer", "Slow down 10×", Pick::Consumer),
    ("add_consumer", "Add a consumer", Pick::Nothing),
    ("remove_consumer", "Remove a consumer", Pick::Nothing),
    ("add_partitions", "Add a partition", Pick::Nothing),
    ("redrive", "Redrive the dead-letter queue", Pick::Nothing),
    ("rebuild_projection", "Rebuild projection", Pick::Subscriber),
    ("deploy_schema", "Deploy schema", Pick::Version),
    ("restart_broker", "Restart the broker", Pick::Nothing),
    ("crash_broker", "Crash broker", Pick::Broker),
    ("start_broker", "Start broker", Pick::Broker),
];

/// The command an action's button sends, on target `n`.
fn command(kind: &str, n: u32, extent: &Extent) -> Option<Command> {
    Some(match kind {
        "restart_consumer" => Command::RestartConsumer { consumer: ConsumerId(n) },
        "slow_consumer" => Command::SlowConsumer { consumer: ConsumerId(n), factor: 10 },
        "add_consumer" => Command::AddConsumer,
        "remove_consumer" => Command::RemoveConsumer,
        "add_partitions" => Command::AddPartitions { count: extent.partitions + 1 },
        "redrive" => Command::Redrive { msg: None },
        "rebuild_projection" => Command::RebuildProjection { subscriber: u8::try_from(n).ok()? },
        "deploy_schema" => Command::DeploySchema { version: n },
        "restart_broker" => Command::RestartBroker,
        "crash_broker" => Command::CrashBroker { broker: n },
        "start_broker" => Command::StartBroker { broker: n },
        _ => return None,
    })
}

/// One control per action the lesson offers. A plain function rather than a component: it has no
/// state of its own, and a component costs the web build about 1 kB of per-type machinery.
pub fn lesson_actions(actions: &[String], s: &Settings, extent: &Extent, on_run: &Callback<RunAction>) -> Html {
    let sinks = Sinks { on_run: on_run.clone() };
    let rows = actions.iter().map(|kind| {
        if kind == "crash_consumer" {
            return html! { <CrashAtStep key="crash" consumers={s.consumers.clone()} subscribers={s.subscribers.clone()} sinks={sinks.clone()} /> };
        }
        let Some(&(kind, button, pick)) = ACTIONS.iter().find(|a| a.0 == kind) else { return Html::default() };
        let targets = targets(pick, s, extent);
        html! { <ActionRow key={kind} {kind} {button} {targets} extent={extent.clone()} on_run={on_run.clone()} /> }
    });
    html! { <>{ for rows }</> }
}

/// The choices of a picker (none for an action without a target).
fn targets(pick: Pick, s: &Settings, extent: &Extent) -> Vec<Choice> {
    match pick {
        Pick::Nothing => Vec::new(),
        Pick::Consumer => s
            .consumers
            .iter()
            .map(|(id, _)| Choice::new(id.0.to_string(), crate::ui::settings::consumer_name(*id, &s.subscribers)))
            .collect(),
        Pick::Broker => (0..extent.brokers).map(|i| Choice::new(i.to_string(), format!("broker {i}"))).collect(),
        Pick::Subscriber => {
            extent.views.iter().enumerate().map(|(i, name)| Choice::new(i.to_string(), name.clone())).collect()
        }
        Pick::Version => (1..=extent.versions).map(|i| Choice::new(i.to_string(), format!("schema v{i}"))).collect(),
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    kind: &'static str,
    button: &'static str,
    targets: Vec<Choice>,
    extent: Extent,
    on_run: Callback<RunAction>,
}

#[function_component(ActionRow)]
fn action_row(props: &RowProps) -> Html {
    let picked = use_state(String::new);
    // The one picked, or the first when it is gone (a new run with fewer consumers).
    let target = props.targets.iter().find(|c| c.value.as_str() == picked.as_str()).or(props.targets.first());
    let n = target.and_then(|c| c.value.parse::<u32>().ok()).unwrap_or(0);
    let id = format!("lesson-{}", props.kind.replace('_', "-"));
    let onclick = {
        let (kind, extent, on_run) = (props.kind, props.extent.clone(), props.on_run.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = command(kind, n, &extent) {
                on_run.emit(RunAction::Command(c));
            }
        })
    };
    let on_pick = Callback::from(move |v: String| picked.set(v));
    html! {
        <div class="lesson-action">
            if !props.targets.is_empty() {
                <Select id={AttrValue::from(format!("{id}-target"))} aria_label={AttrValue::from(format!("{}: which", props.button))}
                    value={AttrValue::from(n.to_string())} choices={props.targets.clone()} onchange={on_pick} />
            }
            <button type="button" class="btn btn-small" id={format!("btn-{id}")} {onclick}>{props.button}</button>
        </div>
    }
}
