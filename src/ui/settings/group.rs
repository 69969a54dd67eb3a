//! Group and topic: consumers joining, leaving, crashing and restarting; the partition count
//! (which restarts the run: Kafka cannot repartition a live topic).

use super::fields::Sinks;
use crate::sim::command::Command;
use crate::sim::consumer::ConsumerStatus;
use crate::ui::run::RunAction;
use crate::ui::topology::status_label;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GroupProps {
    pub consumers: Vec<(u32, ConsumerStatus)>,
    pub partitions: u32,
    pub sinks: Sinks,
}

#[function_component(GroupFields)]
pub fn group_fields(props: &GroupProps) -> Html {
    let live = props.consumers.iter().filter(|(_, st)| *st != ConsumerStatus::Stopped).count();
    let add = {
        let sinks = props.sinks.clone();
        Callback::from(move |_: MouseEvent| sinks.send(Command::AddConsumer))
    };
    let remove = {
        let sinks = props.sinks.clone();
        Callback::from(move |_: MouseEvent| sinks.send(Command::RemoveConsumer))
    };
    let rows: Html = props.consumers.iter().map(|&(id, st)| consumer_row(id, st, &props.sinks)).collect();
    html! {
        <fieldset>
            <legend>{"Group and topic"}</legend>
            <div class="field">
                <span class="label">{format!("Consumers: {live} in the group")}</span>
                <div class="stepper">
                    <button type="button" class="btn btn-small" id="btn-remove-consumer" aria-label="Remove a consumer" title="The newest consumer leaves the group (a rebalance follows)"
                        onclick={remove} disabled={live <= 1}><span aria-hidden="true">{"− "}</span>{"Remove"}</button>
                    <button type="button" class="btn btn-small" id="btn-add-consumer" aria-label="Add a consumer" title="A new consumer joins the group (a rebalance follows)"
                        onclick={add} disabled={props.consumers.len() >= 32}><span aria-hidden="true">{"+ "}</span>{"Add"}</button>
                </div>
                <ul class="consumer-list" aria-label="Consumers">{ rows }</ul>
                <p class="help">{"Crash or restart one; you can also click it in the diagram."}</p>
            </div>
            <PartitionsField partitions={props.partitions} on_run={props.sinks.on_run.clone()} />
        </fieldset>
    }
}

/// One consumer with its crash (or restart) button.
fn consumer_row(id: u32, st: ConsumerStatus, sinks: &Sinks) -> Html {
    let crashed = st == ConsumerStatus::Crashed;
    let stopped = st == ConsumerStatus::Stopped;
    let sinks = sinks.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        sinks.send(if crashed {
            Command::RestartConsumer { consumer: id }
        } else {
            Command::CrashConsumer { consumer: id, at: None }
        })
    });
    let (text, title) = if stopped {
        ("Left", "This consumer left the group")
    } else if crashed {
        ("Restart", "Restart this consumer now; it rejoins the group and a rebalance follows")
    } else {
        ("Crash", "Crash this consumer now, wherever it is in its pipeline")
    };
    html! {
        <li class={classes!("consumer-row", crashed.then_some("is-crashed"), stopped.then_some("is-stopped"))}>
            <span class="cname">{format!("C{id}")}</span>
            <span class="cstate">{ if crashed || stopped { status_label(st) } else { "running" } }</span>
            <button type="button" class={classes!("btn", "btn-small", if crashed { "btn-good" } else { "btn-danger" })}
                id={format!("btn-consumer-{id}")} disabled={stopped} title={title} aria-label={format!("{text} consumer {id}")} {onclick}>
                {text}
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct PartitionsProps {
    partitions: u32,
    on_run: Callback<RunAction>,
}

/// The partition count: typed, then applied with a restart.
#[function_component(PartitionsField)]
fn partitions_field(props: &PartitionsProps) -> Html {
    let draft = use_state(|| None::<String>);
    let on_input = {
        let d = draft.clone();
        Callback::from(move |e: InputEvent| d.set(Some(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let text = (*draft).clone().unwrap_or_else(|| props.partitions.to_string());
    let valid = text.trim().parse::<u32>().ok().filter(|v| (1..=64).contains(v));
    let on_apply = {
        let on_run = props.on_run.clone();
        let d = draft.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(n) = valid {
                on_run.emit(RunAction::Repartition(n));
                d.set(None);
            }
        })
    };
    html! {
        <div class="field">
            <label for="partitions">{"Partitions (applies on reset)"}</label>
            <div class="crash-row">
                <input id="partitions" type="number" min="1" max="64" value={text} oninput={on_input} aria-describedby="partitions-help"
                    title="Partitions of the topic; changing it restarts the run" aria-invalid={valid.is_none().to_string()} />
                <button type="button" class="btn" id="btn-apply-partitions" disabled={valid.is_none()} onclick={on_apply}
                    title="Restart the run with this many partitions">{"Apply & reset"}</button>
            </div>
            <p class="help" id="partitions-help">{"Kafka cannot repartition a live topic; the run restarts."}</p>
        </div>
    }
}
