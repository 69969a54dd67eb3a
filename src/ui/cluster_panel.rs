//! The log's cluster, for scenarios with more than one broker: each broker up or down (with a
//! button to crash or start it), and each partition's leader, leader epoch, replicas (in sync or
//! not, how far each is behind), high watermark and log end. Consumers read below the high
//! watermark; an acks=all write is answered once it passes the record.

use super::run::RunAction;
use super::runtime::RtHandle;
use crate::sim::broker::log::replication::{ReplicaSet, Replication};
use crate::sim::partition::Partition;
use crate::sim::Command;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub rt: RtHandle,
    pub version: u64,
    pub on_run: Callback<RunAction>,
}

/// Partitions listed at most; the rest are summed up in a line.
const ROWS: usize = 12;

#[function_component(ClusterPanel)]
pub fn cluster_panel(props: &ClusterProps) -> Html {
    let onclick = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(button) =
                e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("button[data-broker]").ok().flatten())
            else {
                return;
            };
            let Some(broker) = button.get_attribute("data-broker").and_then(|b| b.parse().ok()) else { return };
            let command = match button.get_attribute("data-act").as_deref() {
                Some("crash") => Command::CrashBroker { broker },
                _ => Command::StartBroker { broker },
            };
            on_run.emit(RunAction::Command(command));
        })
    };
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let Some(r) = sim.replication() else { return html! {} };
    let cfg = &sim.scenario().replication;
    let rows = r.sets.iter().zip(sim.partitions()).take(ROWS).map(|(set, p)| row(set, p, r));
    let more = r.sets.len().saturating_sub(ROWS);
    html! {
        <section class="panel cluster" aria-labelledby="cluster-h" {onclick}>
            <h2 id="cluster-h">{"Brokers and replicas"}</h2>
            <p class="panel-note">{format!(
                "{} brokers; each partition has {} {} (replication factor), one of them the leader. Consumers read only below the high watermark, what every in-sync replica has; acks=all is answered once the high watermark passes the record, and refused while fewer than {} {} in sync (min.insync.replicas). Unclean leader election is {}.",
                cfg.brokers, cfg.factor, if cfg.factor == 1 { "copy" } else { "copies" }, cfg.min_insync_replicas,
                if cfg.min_insync_replicas == 1 { "replica is" } else { "replicas are" },
                if cfg.unclean_leader_election { "on" } else { "off" })}</p>
            <ul class="broker-list" data-testid="brokers">
                { for (0..r.brokers() as u8).map(|b| broker_item(b, r)) }
            </ul>
            <div class="dlq-scroll" tabindex="0" role="region" aria-label="Partitions and their replicas">
                <table class="dlq-table replica-table" data-testid="replica-table">
                    <thead><tr>
                        <th scope="col">{"Partition"}</th><th scope="col">{"Leader"}</th><th scope="col" class="num">{"Epoch"}</th>
                        <th scope="col">{"Replicas"}</th><th scope="col" class="num">{"High watermark"}</th><th scope="col" class="num">{"Log end"}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if more > 0 { <p class="panel-note">{format!("and {more} more partitions")}</p> }
        </section>
    }
}

/// A broker's state and the button that crashes or starts it.
fn broker_item(b: u8, r: &Replication) -> Html {
    let down = r.is_down(b);
    let state = match (down, r.unnoticed & (1 << b) != 0) {
        (false, _) => "up",
        (true, true) => "down (the controller has not noticed yet)",
        (true, false) => "down",
    };
    let (act, label) = if down { ("start", "Start") } else { ("crash", "Crash") };
    let leads = r.sets.iter().filter(|s| s.leader == Some(b)).count();
    html! {
        <li class={classes!("broker", down.then_some("broker-down"))} data-testid={format!("broker-{b}")}>
            <span>{format!("Broker {b}: {state}; leads {leads}")}</span>
            <button type="button" class={classes!("btn", "btn-small", (!down).then_some("btn-danger"))}
                data-broker={b.to_string()} data-act={act} aria-label={format!("{label} broker {b}")}>{label}</button>
        </li>
    }
}

/// One partition: leader, epoch, each replica's state and lag, the high watermark and log end.
fn row(set: &ReplicaSet, p: &Partition, r: &Replication) -> Html {
    let end = p.log_end();
    let leader = match set.leader {
        Some(b) if r.is_down(b) => format!("{b} (down)"),
        Some(b) => b.to_string(),
        None => "none (offline)".to_string(),
    };
    let replicas: Vec<String> = set
        .replicas
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let role = if set.leader == Some(b) {
                "leader"
            } else if set.in_sync(b) {
                "in sync"
            } else {
                "out of sync"
            };
            let behind = if set.leader == Some(b) { 0 } else { end.saturating_sub(set.leo[i]) };
            let down = if r.is_down(b) { ", down" } else { "" };
            match behind {
                0 => format!("{b} ({role}{down})"),
                n => format!("{b} ({role}{down}, {n} behind)"),
            }
        })
        .collect();
    html! {
        <tr class={classes!((!p.is_online()).then_some("offline"))}>
            <th scope="row">{format!("P{}", p.id().0)}</th>
            <td>{leader}</td>
            <td class="num">{set.epoch}</td>
            <td>{replicas.join(" · ")}</td>
            <td class="num">{p.high_watermark()}</td>
            <td class="num">{end}</td>
        </tr>
    }
}
