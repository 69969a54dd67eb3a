//! The live panel: exact outcome counters, the ledger equation with the live numbers, loss
//! reasons, and lag per partition. Redrawn every frame; everything in it is O(partitions).

use super::runtime::RtHandle;
use super::shapes::glyph_icon;
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::ledger::OutcomeCounts;
use crate::sim::{Outcome, Simulation};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LiveProps {
    pub rt: RtHandle,
    pub version: u64,
}

fn counter(
    testid: &'static str,
    label: &'static str,
    value: u64,
    outcome: Option<Outcome>,
    hint: &'static str,
) -> Html {
    let class = classes!("counter", outcome.map(super::shapes::outcome_class), (value > 0).then_some("nonzero"));
    html! {
        <div class={class} title={hint}>
            <dt>{ outcome.map(glyph_icon).unwrap_or_default() }{label}</dt>
            <dd data-testid={testid}>{value}</dd>
        </div>
    }
}

#[function_component(LivePanel)]
pub fn live_panel(props: &LiveProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let ledger = sim.ledger();
    let c = ledger.counts();
    let produced = ledger.produced();

    let reasons: Html = ledger
        .lost_by_reason()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| html! { <li><span class="num">{n}</span>{" "}{r.to_string()}</li> })
        .collect();
    let any_lost = c.lost > 0;

    let extra = ledger.extra_effects();
    let pubsub = !sim.scenario().subscribers.is_empty();

    html! {
        <section class="panel live" aria-labelledby="live-h">
            <h2 id="live-h">{"Outcomes"}</h2>
            <p class="panel-note">{"What happened to each message produced, counted exactly."}</p>
            <dl class="counters">
                { counter("count-produced", "Produced", produced, None, "Messages the producer created") }
                { counter("count-in-flight", "In flight", c.in_flight, Some(Outcome::InFlight), "Not settled yet: on the wire, in a partition, being processed or waiting to retry") }
                { counter("count-exactly-once", "Applied once", c.exactly_once, Some(Outcome::ExactlyOnce), if pubsub { "Every subscriber applied it once" } else { "The effect was applied once" }) }
                { counter("count-duplicated", "Duplicated", c.duplicated, Some(Outcome::Duplicated), if pubsub { "Messages a subscriber applied two or more times (each repeat is counted in the services box)" } else { "Messages whose effect was applied two or more times (each extra charge is counted in the Payments API box)" }) }
                { counter("count-dead-lettered", "Dead-lettered", c.dead_lettered, Some(Outcome::DeadLettered), "Parked in the dead-letter queue, effect not applied") }
                { counter("count-lost", "Lost", c.lost, Some(Outcome::Lost), "Effect never applied and nothing will deliver it") }
            </dl>
            { equation(produced, &c) }
            if extra > 0 {
                <p class="callout dup-callout">
                    { glyph_icon(Outcome::Duplicated) }
                    { if pubsub { format!(
                        "{extra} repeated effect{}, on {} message{}: a subscriber acted on {} more than once (an email or a text sent twice).",
                        if extra == 1 { "" } else { "s" },
                        c.duplicated,
                        if c.duplicated == 1 { "" } else { "s" },
                        if c.duplicated == 1 { "it" } else { "each" }
                    ) } else { format!(
                        "{extra} extra charge{} downstream, on {} message{}: {} more than once.",
                        if extra == 1 { "" } else { "s" },
                        c.duplicated,
                        if c.duplicated == 1 { "" } else { "s" },
                        if c.duplicated == 1 { "a customer paid" } else { "customers paid" }
                    ) } }
                </p>
            }
            if any_lost {
                <div class="reasons">
                    <h3>{"Why messages were lost"}</h3>
                    <ul>{ reasons }</ul>
                </div>
            }
            { lag_list(sim) }
        </section>
    }
}

/// The ledger equation with the live numbers, and whether it balances.
fn equation(produced: u64, c: &OutcomeCounts) -> Html {
    let balanced = c.total() == produced;
    html! {
    <div class={classes!("equation", (!balanced).then_some("unbalanced"))} data-testid="ledger-equation" data-balanced={balanced.to_string()}
       role="group" aria-label="Ledger equation">
        <p class="eq-words">
            {"produced = "}<span class="w-flight">{"in flight"}</span>{" + "}<span class="w-once">{"applied once"}</span>
            {" + "}<span class="w-dup">{"duplicated"}</span>{" + "}<span class="w-dlq">{"dead-lettered"}</span>{" + "}<span class="w-lost">{"lost"}</span>
        </p>
        <p class="eq-numbers">
            <b class="eq-total">{produced}</b>
            <span class="eq-op">{"="}</span>
            <span class="eq-term o-flight"><b>{c.in_flight}</b></span>
            <span class="eq-op">{"+"}</span>
            <span class="eq-term o-once"><b>{c.exactly_once}</b></span>
            <span class="eq-op">{"+"}</span>
            <span class="eq-term o-dup"><b>{c.duplicated}</b></span>
            <span class="eq-op">{"+"}</span>
            <span class="eq-term o-dlq"><b>{c.dead_lettered}</b></span>
            <span class="eq-op">{"+"}</span>
            <span class="eq-term o-lost"><b>{c.lost}</b></span>
            <span class={classes!("eq-check", if balanced { "ok" } else { "bad" })} title={if balanced { "The ledger balances" } else { "The ledger does not balance" }}><span aria-hidden="true">{ if balanced { "✓" } else { "✗" } }</span>
                <span class="sr-only">{ if balanced { "balanced" } else { "not balanced" } }</span>
            </span>
        </p>
    </div>
    }
}

/// Lag per partition as bars (the first 16 partitions, then a total).
fn lag_list(sim: &Simulation) -> Html {
    if sim.queue().is_some() {
        return queue_depths(sim);
    }
    let parts = sim.partitions();
    if !sim.scenario().subscribers.is_empty() {
        // Both brokers: the groups' lag, then the queues' depths.
        let queues = if sim.queues().is_empty() { Html::default() } else { queue_depths(sim) };
        return html! { <>{ group_lags(sim) }{ queues }</> };
    }
    let max_lag = parts.iter().map(|p| sim.lag(p.id())).max().unwrap_or(0).max(1);
    let lag_rows: Html = parts
        .iter()
        .take(16)
        .map(|part| {
            let p = part.id();
            let lag = sim.lag(p);
            let pct = (lag as f64 / max_lag as f64 * 100.0).clamp(0.0, 100.0);
            html! {
                <li class="lag-row" aria-label={format!("Partition {p} lag {lag}")}>
                    <span class="lag-name">{format!("P{p}")}</span>
                    <span class="lag-bar"><span class="lag-fill" style={format!("width:{}%", Fixed(pct, 1))}></span></span>
                    <span class="lag-num">{lag}</span>
                </li>
            }
        })
        .collect();
    let more = parts.len().saturating_sub(16);
    html! {
        <>
            <h3>{"Lag per partition"}</h3>
            <ul class="lag-list">{ lag_rows }</ul>
            if more > 0 {
                <p class="help">{format!("… and {more} more partitions (total lag {})", sim.lag_total())}</p>
            }
        </>
    }
}

/// One line per queue: with publish-subscribe, each subscriber's.
fn queue_depths(sim: &Simulation) -> Html {
    let lines: Html = sim
        .queues()
        .iter()
        .map(|q| {
            let (ready, unacked) = q.depth();
            let name = sim.scenario().subscriber_name(q.index()).map(|n| format!("{n}: ")).unwrap_or_default();
            html! {
                <p class="help">{format!("{name}{ready} ready, {unacked} delivered and not yet acknowledged; {} returned by consumers that died holding them so far", q.redelivered())}</p>
            }
        })
        .collect();
    html! {
        <>
            <h3>{"Queue depth"}</h3>
            { lines }
        </>
    }
}

/// Lag per consumer group as bars (publish-subscribe on the log): each group reads every record
/// at its own pace.
fn group_lags(sim: &Simulation) -> Html {
    let lags: Vec<(String, u64)> = (0u8..)
        .zip(sim.scenario().subscribers.iter().take(sim.groups().len()))
        .map(|(k, s)| (s.name.clone(), sim.partitions().iter().map(|p| sim.lag_of(k, p.id())).sum()))
        .collect();
    let max_lag = lags.iter().map(|l| l.1).max().unwrap_or(0).max(1);
    let rows: Html = lags
        .iter()
        .map(|(name, lag)| {
            let pct = (*lag as f64 / max_lag as f64 * 100.0).clamp(0.0, 100.0);
            html! {
                <li class="lag-row" aria-label={format!("Group {name} lag {lag}")}>
                    <span class="lag-name">{name.clone()}</span>
                    <span class="lag-bar"><span class="lag-fill" style={format!("width:{}%", Fixed(pct, 1))}></span></span>
                    <span class="lag-num">{*lag}</span>
                </li>
            }
        })
        .collect();
    html! {
        <>
            <h3>{"Lag per consumer group"}</h3>
            <ul class="lag-list by-group">{ rows }</ul>
            <p class="help">{"Records of the topic each group has not committed past, over every partition."}</p>
        </>
    }
}
