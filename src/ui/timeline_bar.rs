//! The time-travel bar: a scrubber over the run from time zero to the furthest instant it reached,
//! with the run's commands (those made, and those of the future it was sought back from) and its
//! scheduled faults as markers. Moving it goes to that instant (`time_travel.rs`); a marker's
//! tooltip says what happened there.

use super::run::RunAction;
use super::runtime::RtHandle;
use crate::sim::narrate::describe_command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub rt: RtHandle,
    /// Redraw key: (run, the instant in tenths of a second, the end reached in ms, commands).
    pub version: (u64, u64, u64, usize),
    pub on_run: Callback<RunAction>,
}

/// One marker: where (0 to 100 % of the bar), what, and whether it is a fault, a command made or
/// one of the future.
struct Marker {
    at_pct: f64,
    text: String,
    class: &'static str,
}

#[function_component(TimelineBar)]
pub fn timeline_bar(props: &TimelineProps) -> Html {
    let rt = props.rt.0.borrow();
    let (now_ms, end_ms) = (rt.sim.now().as_us() / 1_000, rt.reached_us.max(rt.sim.now().as_us()) / 1_000);
    let span = end_ms.max(1) as f64;
    let pct = |ms: u64| (ms as f64 / span * 100.0).min(100.0);
    let mut markers: Vec<Marker> = Vec::new();
    for f in rt.base.faults.iter().filter(|f| f.at_ms <= end_ms) {
        let text = format!("{:.1} s, scheduled fault: {}", f.at_ms as f64 / 1e3, describe_command(&f.command));
        markers.push(Marker { at_pct: pct(f.at_ms), text, class: "tl-fault" });
    }
    let made = rt.sim.commands().iter().map(|c| (c, "tl-made", "command"));
    let future = rt.future.iter().map(|c| (c, "tl-future", "later command (kept: Play replays it)"));
    for (c, class, kind) in made.chain(future) {
        let text = format!("{:.3} s, {kind}: {}", c.at_us as f64 / 1e6, describe_command(&c.command));
        markers.push(Marker { at_pct: pct(c.at_us / 1_000), text, class });
    }
    let later = rt.future.len();
    drop(rt);
    let on_input = props.on_run.reform(|e: InputEvent| {
        let ms = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
        RunAction::Seek(if ms.is_finite() { (ms.max(0.0) * 1_000.0) as u64 } else { 0 })
    });
    html! {
        <section class="panel timeline" aria-labelledby="tl-h">
            <div class="tl-head">
                <h2 id="tl-h">{"Time travel"}</h2>
                <p class="panel-note" id="tl-said">{ match later {
                    0 => format!("At {:.1} s of {:.1} s reached. Drag back to see any earlier instant exactly as it was.", now_ms as f64 / 1e3, end_ms as f64 / 1e3),
                    n => format!("At {:.1} s of {:.1} s reached; {n} later command(s) kept: Play replays them, a command made now starts a new future.", now_ms as f64 / 1e3, end_ms as f64 / 1e3),
                } }</p>
            </div>
            <div class="tl-track">
                <input id="timeline" type="range" min="0" max={end_ms.to_string()} step="100" value={now_ms.to_string()}
                    aria-label="Time of the run, in milliseconds" aria-describedby="tl-said"
                    aria-valuetext={format!("{:.1} seconds", now_ms as f64 / 1e3)} oninput={on_input} disabled={end_ms == 0} />
                <div class="tl-marks" aria-hidden="true">
                    { for markers.iter().map(|m| html! {
                        <span class={classes!("tl-mark", m.class)} style={format!("left:{:.2}%", m.at_pct)} title={m.text.clone()}></span>
                    }) }
                </div>
            </div>
            <ul class="tl-legend">
                <li><span class="tl-mark tl-made"></span>{"a command made"}</li>
                <li><span class="tl-mark tl-future"></span>{"a later command, kept"}</li>
                <li><span class="tl-mark tl-fault"></span>{"a scheduled fault"}</li>
            </ul>
        </section>
    }
}
