//! "Crash consumer N now / at step S": an action (an engine command), not a setting. The random
//! crashes (step and probability) are settings, drawn with the others.

use super::fields::{choices, crash_point_from, Sinks};
use crate::sim::command::Command;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::ConsumerId;
use crate::ui::select::{Choice, Select};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CrashAtProps {
    pub consumers: Vec<(ConsumerId, ConsumerStatus)>,
    /// The subscribers' names, with publish-subscribe.
    pub subscribers: Vec<String>,
    pub sinks: Sinks,
}

/// Crash the chosen consumer now, or arm it to crash the next time one of its messages passes the
/// chosen step.
#[function_component(CrashAtStep)]
pub fn crash_at_step(props: &CrashAtProps) -> Html {
    let crash_target = use_state(|| ConsumerId(0));
    let crash_at = use_state(|| "after_effect".to_string());
    let on_target = {
        let crash_target = crash_target.clone();
        Callback::from(move |v: String| {
            if let Ok(v) = v.parse::<u32>() {
                crash_target.set(ConsumerId(v));
            }
        })
    };
    let on_at = {
        let crash_at = crash_at.clone();
        Callback::from(move |v: String| crash_at.set(v))
    };
    // The chosen consumer, or the first one when it is gone (a new run with fewer consumers).
    let target = match props.consumers.iter().find(|(id, _)| *id == *crash_target) {
        Some(&(id, _)) => id,
        None => props.consumers.first().map_or(ConsumerId(0), |&(id, _)| id),
    };
    let on_crash = {
        let sinks = props.sinks.clone();
        let at = (*crash_at).clone();
        Callback::from(move |_: MouseEvent| {
            let point = if at == "now" { None } else { crash_point_from(&at) };
            sinks.send(Command::CrashConsumer { consumer: target, at: point });
        })
    };
    // Options carry the raw id (a subscriber's consumers are numbered above the first's).
    let targets: Vec<Choice> = props
        .consumers
        .iter()
        .map(|&(id, _)| Choice::new(id.0.to_string(), super::group::consumer_name(id, &props.subscribers)))
        .collect();
    let steps = [
        ("now", "now"),
        ("after_receive", "after receive"),
        ("after_commit", "after commit"),
        ("after_effect", "after effect"),
        ("after_dedup_mark", "after dedup mark"),
    ];
    html! {
        <div class="field">
            <span class="label">{"Crash a consumer at a step"}</span>
            <div class="crash-grid">
                <Select id="crash-consumer" aria_label="Consumer to crash" title="Which consumer" onchange={on_target} value={target.0.to_string()} choices={targets} />
                <Select id="crash-at" aria_label="When to crash" title="Now, or armed: the next time one of its messages passes this step"
                    onchange={on_at} value={(*crash_at).clone()} choices={choices(&steps)} />
                <button id="btn-crash" type="button" class="btn btn-danger" aria-describedby="crash-help"
                    title="Crash now, or arm the consumer to crash the next time a message passes the step" onclick={on_crash}>{"Crash consumer"}</button>
            </div>
            <p class="help" id="crash-help">{"Where the crash lands relative to commit and effect decides duplicate vs loss."}</p>
        </div>
    }
}
