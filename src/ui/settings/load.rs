//! Load and processing: producer rate, processing time and transient failures.

use super::fields::{field, fmt_pct, Sinks};
use crate::sim::command::Command;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadProps {
    pub rate: f64,
    pub service_mean_ms: f64,
    pub failure: f64,
    pub sinks: Sinks,
}

#[function_component(LoadFields)]
pub fn load_fields(props: &LoadProps) -> Html {
    let sinks = &props.sinks;
    let on_rate =
        sinks.numeric("The rate (msg/s)", 0.0, 100_000.0, |rate| Command::SetProducerRate { rate_per_sec: rate });
    let on_service =
        sinks.numeric("The processing time (ms)", 0.0, 60_000.0, |ms| Command::SetServiceMean { mean_ms: ms });
    let on_failure = sinks
        .numeric("The failure rate (%)", 0.0, 100.0, |pct| Command::SetFailureProbability { probability: pct / 100.0 });
    html! {
        <fieldset>
            <legend>{"Load and processing"}</legend>
            <div class="field-row">
                { field("rate", "Rate (msg/s)", "Mean messages per second.",
                    html! { <input id="rate" type="number" min="0" max="100000" step="1" value={props.rate.to_string()} aria-describedby="rate-help"
                        title="Mean messages per second (Poisson arrivals)" onchange={on_rate} /> }) }
                { field("service-ms", "Processing (ms)", "Mean time per message.",
                    html! { <input id="service-ms" type="number" min="0" max="60000" step="50" value={props.service_mean_ms.to_string()} aria-describedby="service-ms-help"
                        title="Mean processing time per attempt" onchange={on_service} /> }) }
            </div>
            { field("failure", "Failure rate (%)", "Transient processing errors; retried, then dead-lettered.",
                html! { <input id="failure" type="number" min="0" max="100" step="1" value={fmt_pct(props.failure)} aria-describedby="failure-help"
                    title="Probability that one processing attempt fails" onchange={on_failure} /> }) }
        </fieldset>
    }
}
