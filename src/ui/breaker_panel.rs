//! The payments API and the circuit breaker in front of it: whether the API is up, slow or over
//! capacity, and the breaker drawn as its state machine (closed, open, half-open), the current
//! state marked by colour, a ring and words, with its window's outcomes against the failure-rate
//! threshold. O(1) to draw: it reads the breaker's aggregate counts, never a list.

use super::runtime::RtHandle;
use crate::sim::event::BreakerState;
use crate::sim::kernel::numfmt::{plain, Plain};
use crate::sim::Simulation;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BreakerProps {
    pub rt: RtHandle,
    pub version: u64,
}

/// The three states resilience4j moves through on its own, where they sit in the drawing, and the
/// transitions between them with what causes each.
const NODES: [(BreakerState, &str, f64, f64); 3] = [
    (BreakerState::Closed, "closed", 50.0, 30.0),
    (BreakerState::Open, "open", 230.0, 30.0),
    (BreakerState::HalfOpen, "half-open", 140.0, 100.0),
];

#[function_component(BreakerPanel)]
pub fn breaker_panel(props: &BreakerProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    html! {
        <section class="panel breaker" aria-labelledby="breaker-h">
            <h2 id="breaker-h">{ match sim.scenario().subscriber_name(0) {
                Some(name) => format!("{name}'s service and breaker"),
                None => "Payments API and breaker".to_string(),
            } }</h2>
            if let Some(name) = sim.scenario().subscriber_name(0) {
                <p class="panel-note">{format!("Each subscriber calls a service of its own, behind a breaker of its own, with the same settings; shown here: {name}'s.")}</p>
            }
            { api_line(sim) }
            { breaker_view(sim) }
        </section>
    }
}

/// The API's state and what it saw.
fn api_line(sim: &Simulation) -> Html {
    let d = &sim.scenario().downstream;
    let s = sim.downstream().stats();
    let state = if d.outage {
        html! { <b class="api-down" data-testid="api-state">{"down (outage: 503)"}</b> }
    } else if d.slow_factor > 1 {
        html! { <b class="api-slow" data-testid="api-state">{format!("slow (×{})", d.slow_factor)}</b> }
    } else {
        html! { <b data-testid="api-state">{"up"}</b> }
    };
    let capacity = match (d.capacity_per_sec, d.burst) {
        (None, _) => "unlimited".to_string(),
        (Some(c), None) => format!("{c} calls/s"),
        (Some(c), Some(b)) => format!("{c} calls/s, bursts of {b}"),
    };
    html! {
        <p class="panel-note api-line">
            {"API "}{state}{format!(", capacity {capacity}. Calls {}: {} refused over capacity (429), {} failed while down (503), {} poison (400).",
                s.downstream_calls, s.downstream_overloaded, s.downstream_unavailable, s.downstream_invalid)}
        </p>
    }
}

fn breaker_view(sim: &Simulation) -> Html {
    let guard = sim.breaker();
    let Some(b) = guard.breaker() else {
        return html! {
            <p class="panel-note" data-testid="breaker-state">{"Circuit breaker: off (Settings, Breaker). Every attempt calls the API, however it is doing."}</p>
        };
    };
    let state = b.state();
    let config = b.config();
    let m = b.metrics(sim.now());
    let threshold = config.failure_rate_threshold;
    let rate = if m.failure_rate < 0.0 {
        let min = if config.sliding_window_type == crate::sim::policy::circuit_breaker::SlidingWindowType::CountBased {
            config.minimum_number_of_calls.min(config.sliding_window_size)
        } else {
            config.minimum_number_of_calls
        };
        format!("not computed yet: {} of the {min} calls it needs", m.buffered)
    } else {
        format!("{}% (opens at {}%)", Plain(round1(m.failure_rate)), Plain(f64::from(threshold)))
    };
    let words = match state {
        BreakerState::Closed => "closed: calls go through and are measured".to_string(),
        BreakerState::Open => match b.retry_after() {
            Some(t) => format!("open: calls refused until {t}, then test calls (half-open)"),
            None => "open: calls refused".to_string(),
        },
        BreakerState::HalfOpen => {
            format!("half-open: {} test calls decide", config.permitted_number_of_calls_in_half_open_state)
        }
        other => other.name().to_string(),
    };
    html! {
        <>
            <p class="breaker-now" data-testid="breaker-state" data-state={state.name()}>
                {"Breaker "}<b>{words}</b>
            </p>
            { diagram(state) }
            { window_bar(m.failed, m.successful, m.buffered, threshold) }
            <p class="panel-note">
                {format!("Failure rate {rate}. Window: {} calls, {} failed, {} slow. Refused while open: {}. Opened {} times; {} consumer(s) paused on it.",
                    m.buffered, m.failed, m.slow, m.not_permitted, guard.openings(), guard.paused())}
            </p>
        </>
    }
}

fn round1(x: f32) -> f64 {
    (f64::from(x) * 10.0).round() / 10.0
}

/// The state machine: three nodes and the four transitions, the current node filled and ringed.
fn diagram(current: BreakerState) -> Html {
    let node = |(s, label, x, y): (BreakerState, &'static str, f64, f64)| {
        let on = s == current;
        html! {
            <g class={classes!("bk-node", on.then_some("bk-on"))} data-node={label}>
                <rect x={plain(x - 42.0)} y={plain(y - 14.0)} width="84" height="28" rx="14" />
                <text x={plain(x)} y={plain(y + 4.0)} text-anchor="middle">{label}</text>
            </g>
        }
    };
    let edge = |d: &'static str, label: &'static str, lx: f64, ly: f64| {
        html! {
            <g class="bk-edge">
                <path d={d} marker-end="url(#bk-arrow)" />
                <text x={plain(lx)} y={plain(ly)} text-anchor="middle">{label}</text>
            </g>
        }
    };
    html! {
        <svg class="bk-svg" viewBox="0 0 280 124" role="img"
            aria-label={format!("Circuit breaker state machine, now {}", current.name().replace('_', "-"))}>
            <defs>
                <marker id="bk-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto">
                    <path d="M0,0 L8,4 L0,8 z" />
                </marker>
            </defs>
            { edge("M92,24 L186,24", "rate ≥ threshold", 140.0, 16.0) }
            { edge("M222,45 L180,88", "wait over", 226.0, 74.0) }
            { edge("M100,88 L62,45", "tests pass", 54.0, 74.0) }
            { edge("M170,88 L206,45", "tests fail", 172.0, 60.0) }
            { for NODES.into_iter().map(node) }
        </svg>
    }
}

/// The window's calls as a bar: failed share against the threshold's mark.
fn window_bar(failed: u32, successful: u32, buffered: u32, threshold: f32) -> Html {
    let total = buffered.max(1) as f64;
    let failed_pct = f64::from(failed) * 100.0 / total;
    let ok_pct = f64::from(successful) * 100.0 / total;
    html! {
        <div class="bk-bar" aria-hidden="true">
            <span class="bk-failed" style={format!("width:{}%", Plain(failed_pct.round()))}></span>
            <span class="bk-ok" style={format!("width:{}%", Plain(ok_pct.round()))}></span>
            <i class="bk-mark" style={format!("left:{}%", Plain(f64::from(threshold).round()))}></i>
        </div>
    }
}
