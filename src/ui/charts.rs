//! Live sparklines from the engine's chart history (a bounded ring of samples). The component is
//! keyed on the time of the newest sample, so it redraws only when a sample is added (every
//! `sample_interval_ms` of sim time, at most about two and a half times a second while playing), and each line is
//! downsampled to at most 120 points.

use super::runtime::RtHandle;
use crate::sim::kernel::numfmt::{Fixed, Plain};
use crate::sim::metrics::sample::Sample;
use yew::prelude::*;

const POINTS: usize = 120;
const CW: f64 = 240.0;
const CH: f64 = 44.0;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub rt: RtHandle,
    /// (run, time of the newest sample): moves when samples are added (throttled while playing).
    pub sample_key: (u64, u64),
}

struct Series {
    title: &'static str,
    class: &'static str,
    hint: &'static str,
    pick: fn(&Sample) -> u64,
}

const SERIES: [Series; 4] = [
    Series {
        title: "Duplicated",
        class: "o-dup",
        hint: "Messages whose effect was applied more than once",
        pick: |s| s.duplicated,
    },
    Series { title: "Lost", class: "o-lost", hint: "Messages lost for good", pick: |s| s.lost },
    Series {
        title: "DLQ size",
        class: "o-dlq",
        hint: "Messages parked in the dead-letter queue",
        pick: |s| s.dlq_size,
    },
    Series {
        title: "Lag",
        class: "o-flight",
        hint: "Log end offset minus committed offset, summed over partitions; on the queue broker, messages ready or unacknowledged",
        pick: |s| s.lag_total,
    },
];

/// One path of vertical dashes, one per scheduled fault inside the samples' span (`faults`: the
/// faults' times in µs).
fn fault_ticks(samples: &[Sample], faults: &[u64]) -> String {
    let (Some(a), Some(b)) = (samples.first(), samples.last()) else { return String::new() };
    let span = b.time_us.saturating_sub(a.time_us);
    if span == 0 {
        return String::new();
    }
    let mut d = String::new();
    for &t in faults.iter().filter(|&&t| t >= a.time_us && t <= b.time_us) {
        let x = (t - a.time_us) as f64 / span as f64 * CW;
        d.push_str(&format!("M{} 0V{}", Fixed(x, 1), Plain(CH)));
    }
    d
}

fn sparkline(samples: &[Sample], series: &Series, ticks: &str) -> Html {
    let n = samples.len();
    let last = samples.last().map(series.pick).unwrap_or(0);
    let stride = n.div_ceil(POINTS).max(1);
    let max = samples.iter().map(series.pick).max().unwrap_or(0).max(1) as f64;
    let mut d = String::with_capacity(POINTS * 12);
    let denom = (n.saturating_sub(1)).max(1) as f64;
    let mut i = 0;
    let mut first = true;
    while i < n {
        // Take the maximum in each stride so short spikes survive downsampling.
        let end = (i + stride).min(n);
        let v = samples[i..end].iter().map(series.pick).max().unwrap_or(0) as f64;
        let x = (end - 1) as f64 / denom * CW;
        let y = CH - 3.0 - v / max * (CH - 8.0);
        d.push_str(if first { "M" } else { "L" });
        d.push_str(&format!("{} {}", Fixed(x, 1), Fixed(y, 1)));
        first = false;
        i = end;
    }
    let area = if n > 1 { format!("{d}L{} {}L0 {}Z", Fixed(CW, 1), Fixed(CH, 1), Fixed(CH, 1)) } else { String::new() };
    let label = format!("{}: now {last}, peak {} over the last {} samples", series.title, max as u64, n);
    html! {
        <figure class={classes!("spark", series.class)} title={series.hint}>
            <figcaption><span>{series.title}</span><b>{last}</b></figcaption>
            <svg viewBox={format!("0 0 {} {}", Plain(CW), Plain(CH))} preserveAspectRatio="none" role="img" aria-label={label}>
                <path class="spark-area" d={area} />
                <path class="spark-line" d={d} />
                if !ticks.is_empty() { <path class="spark-fault" d={ticks.to_string()} /> }
            </svg>
        </figure>
    }
}

#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    let rt = props.rt.0.borrow();
    let history = rt.sim.history();
    let samples: Vec<Sample> = history.iter().copied().collect();
    // The fault schedule's marks, on every chart.
    let faults: Vec<u64> = rt.sim.scenario().faults.iter().map(|f| f.at_ms * 1_000).collect();
    let ticks = fault_ticks(&samples, &faults);
    let span_s = match (samples.first(), samples.last()) {
        (Some(a), Some(b)) => (b.time_us - a.time_us) as f64 / 1e6,
        _ => 0.0,
    };
    html! {
        <section class="panel charts" aria-labelledby="charts-h">
            <h2 id="charts-h">{"Over time"}<small>{format!(" last {} s of sim time, as of the newest sample; dashes: scheduled faults", Fixed(span_s, 0))}</small></h2>
            <div class="spark-grid">
                { for SERIES.iter().map(|s| sparkline(&samples, s, &ticks)) }
            </div>
        </section>
    }
}
