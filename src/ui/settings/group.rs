//! The group's members now: consumers joining, leaving, crashing and restarting (engine commands;
//! the number of consumers a run starts with is a setting, drawn with the others).

use super::fields::Sinks;
use crate::sim::command::Command;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::ConsumerId;
use crate::ui::topology::status_label;
use yew::prelude::*;

/// The members and the add and remove buttons. A plain function rather than a component: it has
/// no state, it redraws with the settings panel, and a component costs the web build about 1 kB of
/// per-type machinery. `members` is how many the group coordinator counts (a crashed one until its
/// session times out).
pub fn group_fields(
    consumers: &[(ConsumerId, ConsumerStatus)],
    members: usize,
    subscribers: &[String],
    sinks: &Sinks,
) -> Html {
    if !subscribers.is_empty() {
        return subscriber_fields(consumers, subscribers, sinks);
    }
    let live = consumers.iter().filter(|(_, st)| *st != ConsumerStatus::Stopped).count();
    let add = {
        let sinks = sinks.clone();
        Callback::from(move |_: MouseEvent| sinks.send(Command::AddConsumer))
    };
    let remove = {
        let sinks = sinks.clone();
        Callback::from(move |_: MouseEvent| sinks.send(Command::RemoveConsumer))
    };
    let rows: Html = consumers.iter().map(|&(id, st)| consumer_row(id, st, subscribers, sinks)).collect();
    html! {
        <div class="field">
                <span class="label">{format!("In the group now: {members}")}</span>
                <div class="stepper">
                    <button type="button" class="btn btn-small" id="btn-remove-consumer" aria-label="Remove a consumer" title="The newest consumer leaves the group (a rebalance follows)"
                        onclick={remove} disabled={live <= 1}><span aria-hidden="true">{"− "}</span>{"Remove"}</button>
                    <button type="button" class="btn btn-small" id="btn-add-consumer" aria-label="Add a consumer" title="A new consumer joins the group (a rebalance follows)"
                        onclick={add} disabled={consumers.len() >= crate::sim::config::limits::MAX_CONSUMERS as usize}><span aria-hidden="true">{"+ "}</span>{"Add"}</button>
                </div>
                <ul class="consumer-list" aria-label="Consumers">{ rows }</ul>
                <p class="help">{"Crash or restart one; you can also click it in the diagram."}</p>
            </div>

    }
}

/// With publish-subscribe: every subscriber's consumers, each with its crash (or restart) button.
/// Each subscriber keeps the consumers it starts with (`subscribers[i].consumers`).
fn subscriber_fields(consumers: &[(ConsumerId, ConsumerStatus)], subscribers: &[String], sinks: &Sinks) -> Html {
    let rows: Html = consumers.iter().map(|&(id, st)| consumer_row(id, st, subscribers, sinks)).collect();
    html! {
        <div class="field">
            <span class="label">{format!("Consumers of {} subscribers", subscribers.len())}</span>
            <ul class="consumer-list" aria-label="Consumers">{ rows }</ul>
            <p class="help">{"Each subscriber has its own queue (on the log: its own consumer group) and keeps the consumers it starts with (the scenario's subscribers). Crash or restart one; you can also click it in the diagram."}</p>
        </div>
    }
}

/// A consumer's name: `C0`, or with publish-subscribe its subscriber's name first (`sms C0`).
pub fn consumer_name(id: ConsumerId, subscribers: &[String]) -> String {
    match subscribers.get(id.subscriber() as usize) {
        Some(name) => format!("{name} C{id}"),
        None => format!("C{id}"),
    }
}

/// One consumer with its crash (or restart) button.
fn consumer_row(id: ConsumerId, st: ConsumerStatus, subscribers: &[String], sinks: &Sinks) -> Html {
    // A consumer stopped by an error (auto.offset.reset=none) restarts like a crashed one.
    let crashed = matches!(st, ConsumerStatus::Crashed | ConsumerStatus::Failed);
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
        ("Restart", "Restart this consumer now; it rejoins the group")
    } else {
        ("Crash", "Crash this consumer now, wherever it is in its pipeline")
    };
    html! {
        <li class={classes!("consumer-row", crashed.then_some("is-crashed"), stopped.then_some("is-stopped"))}>
            <span class="cname">{consumer_name(id, subscribers)}</span>
            <span class="cstate">{ if crashed || stopped { status_label(st) } else { "running" } }</span>
            <button type="button" class={classes!("btn", "btn-small", if crashed { "btn-good" } else { "btn-danger" })}
                id={format!("btn-consumer-{}", id.0)} disabled={stopped} title={title} aria-label={format!("{text} consumer {}", consumer_name(id, subscribers))} {onclick}>
                {text}
            </button>
        </li>
    }
}

/// The queue broker's node restart: a fault the learner triggers.
pub fn broker_fields(sinks: &Sinks) -> Html {
    let sinks = sinks.clone();
    let onclick = Callback::from(move |_: MouseEvent| sinks.send(Command::RestartBroker));
    html! {
        <div class="field">
            <button type="button" class="btn btn-small btn-danger" id="btn-restart-broker" aria-describedby="restart-broker-help" {onclick}>
                {"Restart broker"}
            </button>
            <p class="help" id="restart-broker-help">{"Every connection closes: unacknowledged deliveries go back to the queue. A non-durable queue loses every message, a durable one its transient messages."}</p>
        </div>
    }
}
