//! The fault schedule on a timeline: every scheduled fault of the run (the scenario's own and
//! chaos mode's drawn ones) as a marker at its time, with the run's clock beside them, and a list
//! with each fault in words. The editor adds a fault (a consumer crash or restart, a broker crash
//! or start, or a window of one slow consumer, lost requests, API outage, slow API or every
//! consumer slow) or removes one of the
//! scenario's own; either change starts a new run from time zero, as a fault schedule is part of
//! the scenario. Chaos mode's faults change with the seed or the chaos settings.

use super::run::RunAction;
use super::runtime::RtHandle;
use crate::sim::command::Command;
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::narrate::describe_command;
use crate::sim::scenario::ScheduledCommand;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FaultProps {
    pub rt: RtHandle,
    /// Redraw key: (run, sim time in whole seconds).
    pub version: (u64, u64),
    pub on_run: Callback<RunAction>,
}

/// The kinds of fault the editor adds: value, label, whether it is a window with a duration, and
/// whether it aims at one consumer or broker.
const KINDS: [(&str, &str, bool, bool); 9] = [
    ("crash", "Crash consumer", false, true),
    ("restart", "Restart consumer", false, true),
    ("slow_consumer", "Slow one consumer 5×", true, true),
    ("crash_broker", "Crash broker", false, true),
    ("start_broker", "Start broker", false, true),
    ("loss", "Lose 30% of produce requests", true, false),
    ("outage", "Payments API outage", true, false),
    ("slow", "Payments API 5× slower", true, false),
    ("slow_consumers", "Every consumer 5× slower", true, false),
];

#[function_component(FaultPanel)]
pub fn fault_panel(props: &FaultProps) -> Html {
    let kind = use_state(|| "crash".to_string());
    let at = use_node_ref();
    let dur = use_node_ref();
    let target = use_node_ref();
    let rt = props.rt.0.borrow();
    let own = rt.base.faults.clone();
    let run_faults = rt.sim.scenario().faults.clone();
    let now_ms = rt.sim.now().as_ms();
    let end_ms = run_faults.iter().map(|f| f.at_ms).max().unwrap_or(0).max(now_ms).max(60_000) + 5_000;
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| kind.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_add = {
        let (on_run, kind, own) = (props.on_run.clone(), kind.clone(), own.clone());
        let (at, dur, target) = (at.clone(), dur.clone(), target.clone());
        let base = rt.base.clone();
        Callback::from(move |_: MouseEvent| {
            let num = |r: &NodeRef| r.cast::<HtmlInputElement>().and_then(|i| i.value().trim().parse::<f64>().ok());
            let at_ms = (num(&at).unwrap_or(0.0).max(0.0) * 1_000.0) as u64;
            let dur_ms = (num(&dur).unwrap_or(5.0).max(0.001) * 1_000.0) as u64;
            let n = num(&target).unwrap_or(0.0).max(0.0) as u32;
            let mut faults = own.clone();
            faults.extend(added(&kind, at_ms, dur_ms, n, &base));
            on_run.emit(RunAction::SetFaults(faults));
        })
    };
    let remove = |i: usize| {
        let (on_run, own) = (props.on_run.clone(), own.clone());
        Callback::from(move |_: MouseEvent| {
            let mut faults = own.clone();
            faults.remove(i);
            on_run.emit(RunAction::SetFaults(faults));
        })
    };
    let pct = |ms: u64| Fixed(ms as f64 * 100.0 / end_ms as f64, 2);
    let chosen = KINDS.iter().find(|k| k.0 == kind.as_str());
    let (window, aimed) = (chosen.is_some_and(|k| k.2), chosen.is_some_and(|k| k.3));
    html! {
        <section class="panel faults" aria-labelledby="faults-h">
            <h2 id="faults-h">{"Fault schedule"}</h2>
            <p class="panel-note">{"Every fault the run will meet, at its time: the scenario's own and, with chaos mode on, the ones drawn from the seed. Adding or removing one starts a new run from time 0."}</p>
            <div class="fault-timeline" role="img" aria-label={format!("{} faults between 0 and {} s; the run is at {} s", run_faults.len(), end_ms / 1_000, Fixed(now_ms as f64 / 1e3, 1))}>
                { for run_faults.iter().enumerate().map(|(i, f)| html! {
                    <span class={classes!("fault-mark", (i >= own.len()).then_some("chaos"))} style={format!("left: {}%", pct(f.at_ms))} title={format!("{} s: {}", Fixed(f.at_ms as f64 / 1e3, 3), describe_command(&f.command))} />
                }) }
                <span class="fault-now" style={format!("left: {}%", pct(now_ms))} />
            </div>
            <ol class="fault-list" data-testid="fault-list" tabindex="0" aria-label="Scheduled faults">
                { for run_faults.iter().enumerate().map(|(i, f)| html! {
                    <li>
                        <span class="mono">{format!("{} s", Fixed(f.at_ms as f64 / 1e3, 3))}</span>{" "}
                        {describe_command(&f.command)}
                        if i < own.len() {
                            {" "}<button type="button" class="btn btn-small" aria-label={format!("Remove fault {}", i + 1)} onclick={remove(i)}>{"Remove"}</button>
                        } else {
                            <span class="fault-chaos">{" (chaos mode)"}</span>
                        }
                    </li>
                }) }
            </ol>
            <div class="rx-form">
                <label>{"Fault "}
                    <select id="fault-kind" onchange={on_kind}>
                        { for KINDS.iter().map(|(v, l, _, _)| html! { <option value={*v} selected={*v == kind.as_str()}>{*l}</option> }) }
                    </select>
                </label>
                <label>{"at (s) "}<input id="fault-at" ref={at} type="number" min="0" step="0.1" value="10" /></label>
                if window {
                    <label>{"for (s) "}<input id="fault-for" ref={dur} type="number" min="0.1" step="0.1" value="5" /></label>
                }
                if aimed {
                    <label>{"number "}<input id="fault-target" ref={target} type="number" min="0" step="1" value="0" /></label>
                }
                <button id="fault-add" class="btn" type="button" onclick={on_add}>{"Add fault"}</button>
            </div>
        </section>
    }
}

/// The scheduled commands of fault `kind` at `at_ms` (a window lasts `dur_ms`), aimed at consumer
/// or broker `n`; a window's setting goes back to the scenario's value at its end.
fn added(kind: &str, at_ms: u64, dur_ms: u64, n: u32, base: &crate::sim::Scenario) -> Vec<ScheduledCommand> {
    let at = |at_ms, command| ScheduledCommand { at_ms, command };
    let set =
        |at_ms, setting: &str, value: serde_json::Value| at(at_ms, Command::Set { setting: setting.into(), value });
    match kind {
        "crash" => vec![at(at_ms, Command::CrashConsumer { consumer: ConsumerId(n), at: None })],
        "restart" => vec![at(at_ms, Command::RestartConsumer { consumer: ConsumerId(n) })],
        "slow_consumer" => vec![
            at(at_ms, Command::SlowConsumer { consumer: ConsumerId(n), factor: 5 }),
            at(at_ms + dur_ms, Command::SlowConsumer { consumer: ConsumerId(n), factor: 1 }),
        ],
        "crash_broker" => vec![at(at_ms, Command::CrashBroker { broker: n })],
        "start_broker" => vec![at(at_ms, Command::StartBroker { broker: n })],
        "loss" => vec![
            set(at_ms, "network.request_loss", 0.3.into()),
            set(at_ms + dur_ms, "network.request_loss", base.network.request_loss.into()),
        ],
        "outage" => vec![
            set(at_ms, "downstream.outage", true.into()),
            set(at_ms + dur_ms, "downstream.outage", base.downstream.outage.into()),
        ],
        "slow_consumers" => {
            let mean = base.processing.service.mean_ms;
            vec![
                set(at_ms, "processing.service.mean_ms", (mean * 5.0).into()),
                set(at_ms + dur_ms, "processing.service.mean_ms", mean.into()),
            ]
        }
        _ => vec![
            set(at_ms, "downstream.slow_factor", 5.into()),
            set(at_ms + dur_ms, "downstream.slow_factor", base.downstream.slow_factor.into()),
        ],
    }
}
