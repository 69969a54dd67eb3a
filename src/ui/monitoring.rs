//! The monitoring panel: what the guide says to watch (consumer lag, error rate, DLQ size, p50/p95/
//! p99 time in system) as charts over the engine's bounded sample history, with the alert rules'
//! thresholds as dashed lines, a tick at every scheduled fault and command, and a badge per
//! firing alert. It redraws only when a sample is added, at most once a second of wall time while
//! playing and never in the frame the log or the sparklines redraw (`Runtime::panel_versions`),
//! and each line keeps at most 120 points.
//!
//! A chart is a `Chart` in `CHARTS`: a title, a unit, its lines and, if an alert rule watches it,
//! that rule's threshold. A new series is one more `Line`, a new chart one more `Chart`.

use super::runtime::RtHandle;
use crate::sim::config::alerts::{AlertsConfig, WINDOW_MS};
use crate::sim::event::BreakerState;
use crate::sim::kernel::numfmt::Plain;
use crate::sim::metrics::alerts::{enabled, AlertRule};
use crate::sim::metrics::sample::Sample;
use crate::sim::narrate::{alert_rule_words, describe_command};
use yew::prelude::*;

const POINTS: usize = 120;
/// The chart's box in SVG units (300 × 92, written into its markup as text), and the plot area
/// inside it (left margin for the y labels, bottom for the time labels).
const H: f64 = 92.0;
const X0: f64 = 44.0;
const X1: f64 = 294.0;
const Y0: f64 = 6.0;
const Y1: f64 = 72.0;
/// At most this many fault and command ticks per chart (the newest).
const MAX_MARKS: usize = 40;

#[derive(Properties, PartialEq)]
pub struct MonitoringProps {
    pub rt: RtHandle,
    /// (run, time of the newest sample): moves when samples are added (throttled while playing).
    pub sample_key: (u64, u64),
}

/// One line of a chart: its legend, colour class, dash pattern (so lines differ by more than
/// colour) and its value at sample `i` (none: no figure, a gap).
struct Line {
    label: &'static str,
    class: &'static str,
    dash: &'static str,
    value: fn(&[Sample], usize, usize) -> Option<f64>,
}

/// An alert rule's threshold in a chart's unit (none: the rule is off).
type Threshold = fn(&AlertsConfig) -> Option<f64>;

struct Chart {
    title: &'static str,
    unit: &'static str,
    hint: &'static str,
    lines: &'static [Line],
    /// The rule drawn on this chart, and its threshold in the chart's unit.
    rule: Option<(AlertRule, Threshold)>,
    /// The payments API's capacity is this chart's reference line (its unit is calls/s).
    capacity: bool,
}

fn ms(us: u64) -> Option<f64> {
    (us > 0).then_some(us as f64 / 1e3)
}

const CHARTS: &[Chart] = &[
    Chart {
        title: "Consumer lag",
        unit: "messages",
        hint: "Log end offset minus committed offset, summed over partitions; on the queue broker, messages ready or unacknowledged",
        lines: &[Line { label: "lag", class: "o-flight", dash: "", value: |s, i, _| Some(s[i].lag_total as f64) }],
        rule: Some((AlertRule::Lag, |c| c.lag_above.map(|v| v as f64))),
        capacity: false,
    },
    Chart {
        title: "Error rate",
        unit: "% of attempts, last 5 s",
        hint: "Failed processing attempts among those that ended in the last 5 s of sim time",
        lines: &[Line { label: "error rate", class: "o-dup", dash: "", value: error_rate }],
        rule: Some((AlertRule::ErrorRate, |c| c.error_rate_above.map(|v| v as f64))),
        capacity: false,
    },
    Chart {
        title: "Payments API load",
        unit: "calls/s, last 5 s",
        hint: "Calls made to the payments API per second (retries included), to compare with its capacity in the breaker panel",
        lines: &[Line { label: "calls/s", class: "o-flight", dash: "", value: api_load }],
        rule: None,
        capacity: true,
    },
    Chart {
        title: "DLQ size",
        unit: "messages",
        hint: "Messages parked in the dead-letter queue",
        lines: &[Line { label: "DLQ", class: "o-dlq", dash: "", value: |s, i, _| Some(s[i].dlq_size as f64) }],
        rule: None,
        capacity: false,
    },
    Chart {
        title: "Time in system",
        unit: "ms, per chart interval",
        hint: "Production to settlement, of the messages settled in each chart interval (a gap: none settled)",
        lines: &[
            Line { label: "p50", class: "o-once", dash: "", value: |s, i, _| ms(s[i].latency_p50_us) },
            Line { label: "p95", class: "o-dlq", dash: "4 4.5", value: |s, i, _| ms(s[i].latency_p95_us) },
            Line { label: "p99", class: "o-dup", dash: "0.1 3.5", value: |s, i, _| ms(s[i].latency_p99_us) },
        ],
        rule: Some((AlertRule::P99, |c| c.p99_above_ms.map(|v| v as f64))),
        capacity: false,
    },
];

/// The error rate over the last `WINDOW_MS` at sample `i`, in percent; `j` is the newest sample
/// at or before `WINDOW_MS` earlier (or the oldest), as the alert rule reads it.
fn error_rate(s: &[Sample], i: usize, j: usize) -> Option<f64> {
    let ended = s[i].attempts - s[j].attempts;
    (ended > 0).then(|| (s[i].failures - s[j].failures) as f64 * 100.0 / ended as f64)
}

/// Calls per second to the payments API over the last `WINDOW_MS` at sample `i` (`j` as for the
/// error rate).
fn api_load(s: &[Sample], i: usize, j: usize) -> Option<f64> {
    let span_us = s[i].time_us - s[j].time_us;
    (span_us > 0).then(|| (s[i].downstream_calls - s[j].downstream_calls) as f64 * 1e6 / span_us as f64)
}

/// For each sample, the index of the newest sample at or before `WINDOW_MS` earlier (or 0).
fn window_starts(s: &[Sample]) -> Vec<usize> {
    let mut j = 0;
    let mut out = Vec::with_capacity(s.len());
    for x in s {
        while j + 1 < s.len() && s[j + 1].time_us + WINDOW_MS * 1_000 <= x.time_us {
            j += 1;
        }
        out.push(j);
    }
    out
}

/// The smallest of 1, 2, 5 × 10^k at least `v` (at least 1): the top of a chart's scale.
fn nice_ceil(v: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if step * m >= v {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

/// A line's path: at most `POINTS` points, the largest value of each stride (so spikes survive),
/// with gaps where a stride has no value.
fn path(s: &[Sample], starts: &[usize], line: &Line, x: impl Fn(usize) -> f64, y: impl Fn(f64) -> f64) -> String {
    let n = s.len();
    let stride = n.div_ceil(POINTS).max(1);
    let mut d = String::with_capacity(POINTS * 12);
    let mut pen_down = false;
    let mut i = 0;
    while i < n {
        let end = (i + stride).min(n);
        let v = (i..end)
            .filter_map(|k| (line.value)(s, k, starts[k]))
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        match v {
            Some(v) => {
                d.push(if pen_down { 'L' } else { 'M' });
                d.push_str(&format!("{} {}", num1(x(end - 1)), num1(y(v))));
                if !pen_down {
                    // A zero-length segment: a lone point between gaps shows as a dot (round caps).
                    d.push_str("h0");
                }
                pen_down = true;
            }
            None => pen_down = false,
        }
        i = end;
    }
    d
}

/// The breaker's state over time, as a band under the plot: solid where it was open, light where
/// half-open (each sample's state held until the next sample); nothing while closed or off.
fn breaker_band(svg: &mut String, s: &[Sample], xt: impl Fn(u64) -> f64) {
    let mut i = 0;
    while i + 1 < s.len() {
        let class = match s[i].breaker {
            Some(BreakerState::Open) | Some(BreakerState::ForcedOpen) => "open",
            Some(BreakerState::HalfOpen) => "half-open",
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        while j + 1 < s.len() && s[j].breaker == s[i].breaker {
            j += 1;
        }
        let (x0, x1) = (xt(s[i].time_us), xt(s[j].time_us));
        svg.push_str(&format!(
            r#"<rect class="mon-band {class}" x="{}" y="74" width="{}" height="4"><title>breaker {class}</title></rect>"#,
            num1(x0),
            num1((x1 - x0).max(1.0))
        ));
        i = j;
    }
}

/// Seconds of sim time, as an axis label: `12 s`.
fn secs(us: u64) -> String {
    format!("{} s", num1(us as f64 / 1e6))
}

/// A fault or command tick: when (µs) and what, and whether it was scheduled (a fault).
struct Mark {
    at_us: u64,
    what: String,
    fault: bool,
}

fn marks(rt: &super::runtime::Runtime, from_us: u64, to_us: u64) -> Vec<Mark> {
    let sim = &rt.sim;
    let faults = sim.scenario().faults.iter().map(|f| (f.at_ms * 1_000, describe_command(&f.command), true));
    let user = sim.commands().iter().map(|c| (c.at_us, describe_command(&c.command), false));
    let mut out: Vec<Mark> = faults
        .chain(user)
        .filter(|(t, _, _)| *t >= from_us && *t <= to_us)
        .map(|(at_us, what, fault)| Mark { at_us, what, fault })
        .collect();
    let extra = out.len().saturating_sub(MAX_MARKS);
    out.drain(..extra);
    out
}

/// Text for SVG markup: `&`, `<`, `>` and `"` escaped.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `x` as SVG text, to a tenth, written with integer formatting (cheaper than the shortest
/// float text, and a chart writes about 1,500 of them per redraw).
fn num1(x: f64) -> Tenths {
    Tenths((x * 10.0).round() as i64)
}

struct Tenths(i64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sign, t) = if self.0 < 0 { ("-", -self.0) } else { ("", self.0) };
        match t % 10 {
            0 => write!(f, "{sign}{}", t / 10),
            d => write!(f, "{sign}{}.{d}", t / 10),
        }
    }
}

/// One chart's markup, appended to `out`: markup strings instead of virtual nodes keep the page's
/// bundle small (whole `<svg>` elements are handed over, so the browser parses them as SVG).
fn chart(
    out: &mut String,
    c: &Chart,
    s: &[Sample],
    starts: &[usize],
    marks: &[Mark],
    cfg: &AlertsConfig,
    capacity: Option<f64>,
) {
    let (t0, t1) = (s[0].time_us, s[s.len() - 1].time_us);
    let threshold = c.rule.filter(|(r, _)| enabled(*r, cfg)).and_then(|(_, f)| f(cfg));
    let capacity = capacity.filter(|_| c.capacity);
    let data_max = c
        .lines
        .iter()
        .flat_map(|l| (0..s.len()).filter_map(move |i| (l.value)(s, i, starts[i])))
        .fold(0.0f64, f64::max);
    let top = nice_ceil(data_max.max(threshold.unwrap_or(0.0)).max(capacity.unwrap_or(0.0)));
    let span = (t1 - t0).max(1) as f64;
    let xt = |t: u64| X0 + (t - t0) as f64 / span * (X1 - X0);
    let x = |i: usize| xt(s[i].time_us);
    let y = |v: f64| Y1 - v / top * (Y1 - Y0);
    let last = s.len() - 1;
    let now: Vec<String> = c
        .lines
        .iter()
        .map(|l| {
            // The newest figure of the last 40 samples (an interval in which nothing settled has
            // no time in system).
            let v = (0..=last).rev().take(40).find_map(|i| (l.value)(s, i, starts[i]));
            format!("{} {}", l.label, v.map_or("–".to_string(), |v| num1(v).to_string()))
        })
        .collect();
    let label = format!(
        "{} ({}), from {} to {}: latest {}; highest {}{}",
        c.title,
        c.unit,
        secs(t0),
        secs(t1),
        now.join(", "),
        num1(data_max),
        threshold.map_or(String::new(), |t| format!("; alert threshold {}", Plain(t)))
    );
    let mut svg = format!(
        r#"<svg viewBox="0 0 300 92" role="img" aria-label="{}"><line class="mon-grid" x1="44" y1="6" x2="294" y2="6"/><line class="mon-axis" x1="44" y1="72" x2="294" y2="72"/><text class="mon-tick" x="{}" y="{}" text-anchor="end">{}</text><text class="mon-tick" x="{}" y="{}" text-anchor="end">0</text><text class="mon-tick" x="44" y="{}">{}</text><text class="mon-tick" x="294" y="{}" text-anchor="end">{}</text>"#,
        esc(&label),
        num1(X0 - 3.0),
        num1(Y0 + 3.5),
        Plain(top),
        num1(X0 - 3.0),
        num1(Y1 + 3.5),
        num1(H - 4.0),
        secs(t0),
        num1(H - 4.0),
        secs(t1),
    );
    for m in marks {
        mark(&mut svg, m, xt(m.at_us));
    }
    if let Some(t) = threshold {
        let ty = y(t);
        svg.push_str(&format!(
            r#"<g class="mon-threshold"><line x1="44" y1="{}" x2="294" y2="{}"/><text x="{}" y="{}" text-anchor="end">alert {}</text></g>"#,
            num1(ty),
            num1(ty),
            num1(X1 - 2.0),
            num1(ty - 2.5),
            Plain(t)
        ));
    }
    if let Some(cap) = capacity {
        let cy = y(cap);
        svg.push_str(&format!(
            r#"<g class="mon-threshold mon-capacity"><line x1="44" y1="{}" x2="294" y2="{}"/><text x="{}" y="{}" text-anchor="end">capacity {}</text></g>"#,
            num1(cy),
            num1(cy),
            num1(X1 - 2.0),
            num1(cy - 2.5),
            Plain(cap)
        ));
    }
    breaker_band(&mut svg, s, xt);
    for l in c.lines {
        svg.push_str(&format!(
            r#"<path class="mon-line {}" stroke-dasharray="{}" d="{}"/>"#,
            l.class,
            l.dash,
            path(s, starts, l, x, y)
        ));
    }
    svg.push_str("</svg>");
    let mut keys = String::new();
    for (l, text) in c.lines.iter().zip(now) {
        keys.push_str(&format!(
            r#"<span class="mon-key {}"><svg viewBox="0 0 16 6" aria-hidden="true"><line x1="0" y1="3" x2="16" y2="3" stroke-dasharray="{}"/></svg>{}</span>"#,
            l.class, l.dash, text
        ));
    }
    out.push_str(&format!(
        r#"<figure class="mon-chart" title="{}"><figcaption><span class="mon-title">{}<small> {}</small></span><span class="mon-legend">{keys}</span></figcaption>{svg}</figure>"#,
        c.hint, c.title, c.unit
    ));
}

/// A vertical tick: a triangle on top for a scheduled fault, a square for a command.
fn mark(svg: &mut String, m: &Mark, x: f64) {
    let (kind, head) = if m.fault {
        ("fault", format!("M{} {}l-3.5 -5h7Z", num1(x), num1(Y0 + 1.0)))
    } else {
        ("command", format!("M{} {}h6v6h-6Z", num1(x - 3.0), num1(Y0 - 5.0)))
    };
    svg.push_str(&format!(
        r#"<g class="mon-mark {kind}"><title>{kind} at {}: {}</title><line x1="{}" y1="6" x2="{}" y2="72"/><path d="{head}"/></g>"#,
        secs(m.at_us),
        esc(&m.what),
        num1(x),
        num1(x)
    ));
}

/// One badge per firing rule, from the newest sample; or what the rules are doing.
fn badges(last: Option<&Sample>, cfg: &AlertsConfig) -> String {
    let watched = AlertRule::ALL.iter().filter(|r| enabled(**r, cfg)).count();
    let bits = last.map_or(0, |s| s.alerts);
    if bits == 0 {
        return if watched == 0 {
            r#"<p class="mon-quiet">No alert rules set: set them under Alerts in the settings.</p>"#.to_string()
        } else {
            format!(r#"<p class="mon-quiet">No alert firing ({watched} rule(s) watched).</p>"#)
        };
    }
    let mut out = String::from(r#"<div class="alert-badges">"#);
    for r in AlertRule::ALL.iter().filter(|r| bits & r.bit() != 0) {
        out.push_str(&format!(
            r#"<p class="alert-badge" role="status" data-testid="alert-badge"><b>ALERT</b>: {}</p>"#,
            esc(&alert_rule_words(*r, Some(cfg)))
        ));
    }
    out.push_str("</div>");
    out
}

#[function_component(Monitoring)]
pub fn monitoring(props: &MonitoringProps) -> Html {
    let rt = props.rt.0.borrow();
    let samples: Vec<Sample> = rt.sim.history().iter().copied().collect();
    let cfg = rt.sim.scenario().alerts;
    let mut body = badges(samples.last(), &cfg);
    if samples.len() < 2 {
        body.push_str(r#"<p class="mon-quiet">The charts start after the first chart interval.</p>"#);
    } else {
        let starts = window_starts(&samples);
        let capacity = rt.sim.scenario().downstream.capacity_per_sec.map(|c| c as f64);
        let marks = marks(&rt, samples[0].time_us, samples[samples.len() - 1].time_us);
        body.push_str(r#"<div class="mon-grid-charts">"#);
        // With publish-subscribe each subscriber calls a service of its own: the load chart adds
        // their calls up, and no one capacity line applies to the sum.
        let pubsub = !rt.sim.scenario().subscribers.is_empty();
        for c in CHARTS {
            if pubsub && c.capacity {
                let theirs = Chart {
                    title: "Their services' load",
                    hint:
                        "Calls the subscribers made to their own services per second, all together (retries included)",
                    ..*c
                };
                chart(&mut body, &theirs, &samples, &starts, &marks, &cfg, None);
            } else {
                chart(&mut body, c, &samples, &starts, &marks, &cfg, capacity);
            }
        }
        body.push_str("</div>");
    }
    html! {
        <section class="panel monitoring" aria-labelledby="mon-h" data-testid="monitoring">
            <h2 id="mon-h">{"Monitoring"}</h2>
            <div class="mon-body">{ Html::from_html_unchecked(body.into()) }</div>
            <p class="mon-note">{"Dashed line: an alert rule's threshold (on the load chart, the API's capacity). Ticks: ▼ a scheduled fault, ■ a command. Band under a chart: the circuit breaker open (solid) or half-open (light)."}</p>
        </section>
    }
}
