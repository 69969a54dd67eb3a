//! The compare panel: the current scenario as the base of a comparison's lanes (`sim::compare`),
//! run on the same seed and the same scheduled crashes to the chosen time, and their outcomes in
//! a table and a bar per lane. Each run is bounded (`MAX_EVENTS` per lane), so a fast scenario
//! cannot hang the page: a lane stopped short says so.

use super::runtime::RtHandle;
use crate::sim::compare::{preset, Comparison, LaneOutcome, PRESETS};
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::SimTime;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Events one lane may take per comparison: a few hundred milliseconds of work in the page.
const MAX_EVENTS: u64 = 2_000_000;

const DURATIONS: [u64; 3] = [30, 60, 120];

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub rt: RtHandle,
}

/// What the last comparison gave.
#[derive(Clone, PartialEq)]
enum Compared {
    None,
    Ran { scenario: String, preset: String, secs: u64, rows: Vec<LaneOutcome>, short: Vec<String> },
    Failed(String),
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let chosen = use_state(|| PRESETS[0].0.to_string());
    let secs = use_state(|| 60u64);
    let result = use_state(|| Compared::None);
    let on_preset = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_secs = {
        let secs = secs.clone();
        Callback::from(move |e: Event| {
            secs.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(60))
        })
    };
    let on_run = {
        let (rt, chosen, secs, result) = (props.rt.clone(), chosen.clone(), secs.clone(), result.clone());
        Callback::from(move |_: MouseEvent| {
            let base = rt.0.borrow().base.clone();
            result.set(compare(&chosen, &base, *secs));
        })
    };
    let about = PRESETS.iter().find(|(n, _)| *n == chosen.as_str()).map_or("", |(_, d)| *d);
    html! {
        <section class="panel compare" aria-labelledby="cmp-h">
            <h2 id="cmp-h">{"Compare configurations"}</h2>
            <p class="panel-note">{"The scenario above as the base of each lane, on the same seed, the same arrivals and the same crashes: every 5 s of the first minute a consumer crashes, in turn after the offset commit and after the effect. What differs between the lanes is what their settings make differ."}</p>
            <div class="rx-form">
                <label>{"Comparison "}
                    <select id="cmp-preset" onchange={on_preset}>
                        { for PRESETS.iter().map(|(n, _)| html! { <option value={*n} selected={*n == chosen.as_str()}>{*n}</option> }) }
                    </select>
                </label>
                <label>{"Run to "}
                    <select id="cmp-until" onchange={on_secs}>
                        { for DURATIONS.iter().map(|d| html! { <option value={d.to_string()} selected={*d == *secs}>{format!("{d} s")}</option> }) }
                    </select>
                </label>
                <button id="cmp-run" class="btn" type="button" onclick={on_run}>{"Compare"}</button>
            </div>
            <p class="panel-note">{about}</p>
            { view(&result) }
        </section>
    }
}

/// Runs preset `name` on `base` to `secs` seconds.
fn compare(name: &str, base: &crate::sim::Scenario, secs: u64) -> Compared {
    let Some(lanes) = preset(name, base) else { return Compared::Failed(format!("no comparison named {name}")) };
    let mut comparison = match Comparison::new(&lanes) {
        Ok(c) => c,
        Err(e) => return Compared::Failed(format!("lane {} ({}): {}", e.lane + 1, lanes[e.lane].label, e.error)),
    };
    let short = comparison.run_until(SimTime::from_secs(secs), MAX_EVENTS);
    let short = short.iter().map(|&i| lanes[i].label.clone()).collect();
    Compared::Ran { scenario: base.name.clone(), preset: name.to_string(), secs, rows: comparison.outcomes(), short }
}

fn view(result: &Compared) -> Html {
    let (scenario, preset, secs, rows, short) = match result {
        Compared::None => return html! { <p class="panel-note">{"Choose a comparison and press Compare."}</p> },
        Compared::Failed(why) => return html! { <p class="notice notice-error" role="alert">{why.clone()}</p> },
        Compared::Ran { scenario, preset, secs, rows, short } => (scenario, preset, secs, rows, short),
    };
    let cell = |n: u64| html! { <td class="num">{n}</td> };
    let body: Html = rows
        .iter()
        .map(|r| {
            let c = &r.counts;
            let reasons: Vec<String> = r.lost_by_reason.iter().map(|(why, n)| format!("{} {n}", why.slug())).collect();
            let p99 = r.p99_ms.map_or("-".to_string(), |ms| Fixed(ms, 0).to_string());
            html! {
                <tr data-testid="cmp-row">
                    <th scope="row">{r.label.clone()}</th>
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
            <caption>{format!("{scenario}: {preset}, after {secs} s of simulated time")}</caption>
            <thead><tr>
                <th scope="col">{"Lane"}</th><th scope="col">{"Produced"}</th><th scope="col">{"In flight"}</th>
                <th scope="col">{"Applied once"}</th><th scope="col">{"Duplicated"}</th><th scope="col">{"Dead-lettered"}</th>
                <th scope="col">{"Lost"}</th><th scope="col">{"Lost, why"}</th><th scope="col">{"p99 ms"}</th><th scope="col">{"msgs/s"}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
        </div>
        <div class="cmp-bars">{ for rows.iter().map(bar) }</div>
        if !short.is_empty() {
            <p class="notice notice-error" role="status">{format!("Stopped early (over {MAX_EVENTS} events): {}", short.join(", "))}</p>
        }
        </>
    }
}

/// A lane's outcomes as one bar of shares: applied once, duplicated, dead-lettered, lost, in flight.
fn bar(r: &LaneOutcome) -> Html {
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
    html! {
        <div class="cmp-bar-row">
            <span class="cmp-bar-label">{r.label.clone()}</span>
            <div class="cmp-bar" role="img" aria-label={format!("{}: {label} of {}", r.label, r.produced)}>
                { for parts.iter().filter(|(_, n, _)| *n > 0).map(|(class, n, _)| html! {
                    <span class={format!("cmp-{class}")} style={format!("width: {}%", Fixed(*n as f64 * 100.0 / total, 2))} />
                }) }
            </div>
        </div>
    }
}
