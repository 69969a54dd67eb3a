//! The compare view: the run's scenario as the base of a preset's lanes (`sim::compare`), each its
//! own simulation on the same seed, the same arrivals and the same fault schedule, following the
//! run above in step (`live_compare.rs`). A live table and a bar per lane show what each
//! configuration did to every message; a strip per lane shows its consumers and lag. A lane can be
//! changed to another configuration while the others stay: it runs again from time zero and
//! catches up.

use super::run::RunAction;
use super::runtime::RtHandle;
use crate::sim::compare::{variants, LaneOutcome, PRESETS};
use crate::sim::consumer::ConsumerStatus;
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::{SimTime, Simulation};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub rt: RtHandle,
    /// Redraw key (`Runtime::compare_key`).
    pub version: (u64, u64),
    pub on_run: Callback<RunAction>,
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let chosen = use_state(|| PRESETS[0].0.to_string());
    let on_preset = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let rt = props.rt.0.borrow();
    let live = rt.compare.as_ref();
    let on_toggle = {
        let (on_run, chosen, on) = (props.on_run.clone(), chosen.clone(), live.is_some());
        Callback::from(move |_: MouseEvent| {
            on_run.emit(if on { RunAction::StopCompare } else { RunAction::StartCompare((*chosen).clone()) })
        })
    };
    let shown = live.map_or(chosen.as_str(), |c| c.preset.as_str());
    let about = PRESETS.iter().find(|(n, _)| *n == shown).map_or("", |(_, d)| *d);
    html! {
        <section class="panel compare" aria-labelledby="cmp-h">
            <h2 id="cmp-h">{"Compare configurations"}</h2>
            <p class="panel-note">{"The scenario above as the base of each lane, on the same seed, the same arrivals and the same fault schedule, plus the same crashes: every 5 s of the first minute a consumer crashes, in turn after the offset commit and after the effect. The lanes play in step with the run above. What differs between them is what their settings make differ."}</p>
            <div class="rx-form">
                <label>{"Comparison "}
                    <select id="cmp-preset" onchange={on_preset} disabled={live.is_some()}>
                        { for PRESETS.iter().map(|(n, _)| html! { <option value={*n} selected={*n == shown}>{*n}</option> }) }
                    </select>
                </label>
                <button id="cmp-run" class="btn" type="button" onclick={on_toggle} aria-pressed={live.is_some().to_string()}>
                    {if live.is_some() { "Stop comparing" } else { "Compare" }}
                </button>
            </div>
            <p class="panel-note">{about}</p>
            { match live {
                None => html! { <p class="panel-note">{"Choose a comparison and press Compare, then Play: the lanes follow the run."}</p> },
                Some(c) => lanes_view(&c.rows(), c.comparison.lanes().map(|(_, s)| s).collect(), &rt.base, rt.sim.now(), &props.on_run),
            } }
        </section>
    }
}

fn lanes_view(
    rows: &[(LaneOutcome, SimTime)],
    sims: Vec<&Simulation>,
    base: &crate::sim::Scenario,
    now: SimTime,
    on_run: &Callback<RunAction>,
) -> Html {
    let options: Vec<String> = variants(base).into_iter().map(|l| l.label).collect();
    let cell = |n: u64| html! { <td class="num">{n}</td> };
    let body: Html = rows
        .iter()
        .enumerate()
        .map(|(i, (r, at))| {
            let c = &r.counts;
            let reasons: Vec<String> = r.lost_by_reason.iter().map(|(why, n)| format!("{} {n}", why.slug())).collect();
            let p99 = r.p99_ms.map_or("-".to_string(), |ms| Fixed(ms, 0).to_string());
            let onchange = {
                let on_run = on_run.clone();
                Callback::from(move |e: Event| {
                    let label = e.target_unchecked_into::<HtmlSelectElement>().value();
                    on_run.emit(RunAction::ChangeLane { lane: i, label });
                })
            };
            let behind = *at < now;
            html! {
                <tr data-testid="cmp-row">
                    <th scope="row">
                        <select class="cmp-lane" aria-label={format!("Lane {} configuration", i + 1)} {onchange}>
                            { for options.iter().map(|o| html! { <option value={o.clone()} selected={*o == r.label}>{o.clone()}</option> }) }
                        </select>
                        if behind { <span class="cmp-behind">{format!(" catching up ({at})")}</span> }
                    </th>
                    {cell(r.produced)}{cell(c.in_flight)}{cell(c.exactly_once)}{cell(c.duplicated)}{cell(c.dead_lettered)}{cell(c.lost)}
                    <td>{reasons.join(", ")}</td>
                    <td class="num">{p99}</td>
                    <td class="num">{Fixed(r.throughput_per_s, 2).to_string()}</td>
                </tr>
            }
        })
        .collect();
    html! {
        <>
        <div class="cmp-scroll" role="region" aria-label="The comparison, lane by lane" tabindex="0">
        <table class="rx-table cmp-table" data-testid="cmp-table">
            <caption>{format!("In step with the run: {now}")}</caption>
            <thead><tr>
                <th scope="col">{"Lane"}</th><th scope="col">{"Produced"}</th><th scope="col">{"In flight"}</th>
                <th scope="col">{"Applied once"}</th><th scope="col">{"Duplicated"}</th><th scope="col">{"Dead-lettered"}</th>
                <th scope="col">{"Lost"}</th><th scope="col">{"Lost, why"}</th><th scope="col">{"p99 ms"}</th><th scope="col">{"msgs/s"}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
        </div>
        <div class="cmp-bars">{ for rows.iter().zip(&sims).map(|((r, _), sim)| bar(r, sim)) }</div>
        </>
    }
}

/// A lane's outcomes as one bar of shares (applied once, duplicated, dead-lettered, lost, in
/// flight), and its topology in one line: each consumer up or down, each partition's lag.
fn bar(r: &LaneOutcome, sim: &Simulation) -> Html {
    let c = &r.counts;
    let total = r.produced.max(1) as f64;
    let parts = [
        ("once", c.exactly_once, "applied once"),
        ("dup", c.duplicated, "duplicated"),
        ("dlq", c.dead_lettered, "dead-lettered"),
        ("lost", c.lost, "lost"),
        ("flight", c.in_flight, "in flight"),
    ];
    let label = parts.iter().map(|(_, n, what)| format!("{n} {what}")).collect::<Vec<_>>().join(", ");
    let consumers: String = sim
        .consumers()
        .iter()
        .map(|k| match k.status {
            ConsumerStatus::Crashed | ConsumerStatus::Failed => '✕',
            ConsumerStatus::Stopped => '–',
            _ => '●',
        })
        .collect();
    let down =
        sim.consumers().iter().filter(|k| matches!(k.status, ConsumerStatus::Crashed | ConsumerStatus::Failed)).count();
    let lag: Vec<String> = if sim.queues().is_empty() {
        sim.partitions().iter().map(|p| sim.lag(p.id()).to_string()).collect()
    } else {
        Vec::new()
    };
    html! {
        <div class="cmp-bar-row" data-testid="cmp-lane">
            <span class="cmp-bar-label">{r.label.clone()}</span>
            <div class="cmp-bar" role="img" aria-label={format!("{}: {label} of {}", r.label, r.produced)}>
                { for parts.iter().filter(|(_, n, _)| *n > 0).map(|(class, n, _)| html! {
                    <span class={format!("cmp-{class}")} style={format!("width: {}%", Fixed(*n as f64 * 100.0 / total, 2))} />
                }) }
            </div>
            <span class="cmp-topo" role="img" aria-label={format!("{} consumers, {down} down; lag per partition {}", sim.consumers().len(), lag.join(", "))}>
                <span aria-hidden="true">{consumers}</span>
                if !lag.is_empty() { <span aria-hidden="true">{format!(" lag {}", lag.join(" "))}</span> }
            </span>
        </div>
    }
}
