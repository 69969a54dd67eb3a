//! The topology drawing: producer → partitions → consumers → downstream service and DLQ, with
//! messages moving along the edges.
//!
//! Moving tokens are derived from the newest journal entries, never stored: an entry at time `t`
//! (Appended, Received, EffectApplied, DeadLettered) is a token on its edge at
//! `(now - t) / travel`, where `travel` is about half a wall second of sim time at the current
//! speed. At most [`MAX_TOKENS`] are drawn; at high speeds (or with reduced motion) the edges carry
//! flow rates instead. Counters elsewhere stay exact either way.

use super::runtime::RtHandle;
use super::shapes::{fmt1, glyph, glyph_keyed};
use super::state::Speed;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::event::{AppendKind, JournalKind};
use crate::sim::ledger::message_id;
use crate::sim::scenario::CrashPoint;
use crate::sim::{Outcome, Simulation};
use yew::prelude::*;

pub const MAX_TOKENS: usize = 150;
/// Records drawn per partition.
const CELLS: usize = 9;

const W: f64 = 720.0;
const PROD_X: f64 = 2.0;
const PROD_W: f64 = 86.0;
const PART_X: f64 = 130.0;
const PART_W: f64 = 206.0;
const CONS_X: f64 = 398.0;
const CONS_W: f64 = 140.0;
const SINK_X: f64 = 584.0;
const SINK_W: f64 = 134.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 14.0;

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    pub rt: RtHandle,
    pub version: u64,
    pub speed: Speed,
    pub reduced_motion: bool,
    /// Crash (alive) or restart (crashed) the consumer with this index.
    pub on_consumer: Callback<u32>,
}

pub fn status_label(s: ConsumerStatus) -> &'static str {
    match s {
        ConsumerStatus::Idle => "idle",
        ConsumerStatus::Processing => "processing",
        ConsumerStatus::RetryWait => "retry-wait",
        ConsumerStatus::Crashed => "crashed",
        ConsumerStatus::Rebalancing => "rebalancing",
        ConsumerStatus::Stopped => "stopped",
    }
}

fn status_class(s: ConsumerStatus) -> &'static str {
    match s {
        ConsumerStatus::Idle => "st-idle",
        ConsumerStatus::Processing => "st-processing",
        ConsumerStatus::RetryWait => "st-retry",
        ConsumerStatus::Crashed => "st-crashed",
        ConsumerStatus::Rebalancing => "st-rebalancing",
        ConsumerStatus::Stopped => "st-stopped",
    }
}

/// Vertical layout: `count` rows share the drawing height.
struct Rows {
    band: f64,
}

impl Rows {
    fn new(count: usize, height: f64) -> Rows {
        Rows { band: (height - TOP - BOTTOM) / count.max(1) as f64 }
    }
    fn center(&self, i: usize) -> f64 {
        TOP + (i as f64 + 0.5) * self.band
    }
}

fn height_for(rows: usize) -> f64 {
    let per = if rows <= 5 { 74.0 } else { (440.0 / rows as f64).max(18.0) };
    (TOP + BOTTOM + per * rows as f64).max(360.0)
}

#[derive(Clone, Copy)]
struct Token {
    /// Global sequence number of the journal entry: a stable key while the token moves.
    seq: u64,
    from: (f64, f64),
    to: (f64, f64),
    progress: f64,
    outcome: Outcome,
}

/// Flow rates per edge kind, in messages per sim second, from the journal window.
#[derive(Default)]
struct Rates {
    appended: f64,
    received: f64,
    effects: f64,
    dead: f64,
}

struct Geometry {
    h: f64,
    prod_y: f64,
    parts: Rows,
    cons: Rows,
    down_y: f64,
    dlq_y: f64,
}

impl Geometry {
    fn of(sim: &Simulation) -> Geometry {
        Geometry::new(sim.partitions().len(), sim.consumers().len())
    }
    fn new(np: usize, nc: usize) -> Geometry {
        let h = height_for(np.max(nc));
        Geometry {
            h,
            prod_y: h / 2.0,
            parts: Rows::new(np, h),
            cons: Rows::new(nc, h),
            down_y: TOP + (h - TOP) * 0.27,
            dlq_y: TOP + (h - TOP) * 0.76,
        }
    }
    fn part_in(&self, p: u32) -> (f64, f64) {
        (PART_X, self.parts.center(p as usize))
    }
    fn part_out(&self, p: u32) -> (f64, f64) {
        (PART_X + PART_W, self.parts.center(p as usize))
    }
    fn cons_in(&self, c: u32) -> (f64, f64) {
        (CONS_X, self.cons.center(c as usize))
    }
    fn cons_out(&self, c: u32) -> (f64, f64) {
        (CONS_X + CONS_W, self.cons.center(c as usize))
    }
    fn prod_out(&self) -> (f64, f64) {
        (PROD_X + PROD_W, self.prod_y)
    }
    fn down_in(&self) -> (f64, f64) {
        (SINK_X, self.down_y)
    }
    fn dlq_in(&self) -> (f64, f64) {
        (SINK_X, self.dlq_y)
    }
}

/// What a message in transit is drawn as: in flight, unless it has already turned out badly.
fn hop_outcome(sim: &Simulation, msg: u32) -> Outcome {
    match outcome_of(sim, msg) {
        Outcome::ExactlyOnce => Outcome::InFlight,
        o => o,
    }
}

fn outcome_of(sim: &Simulation, msg: u32) -> Outcome {
    sim.ledger().get(msg).map(|m| m.outcome).unwrap_or(Outcome::InFlight)
}

/// Tokens for the newest journal entries within one travel time, newest first, at most `cap`.
/// Also returns how many entries were in the window (to decide whether rates are shown).
/// `seen` is the number of journal entries ever recorded (the newest has sequence `seen - 1`).
fn tokens(sim: &Simulation, g: &Geometry, travel_us: u64, cap: usize, seen: u64) -> (Vec<Token>, usize) {
    let now = sim.now();
    let mut out = Vec::with_capacity(cap.min(64));
    let mut in_window = 0;
    for (back, entry) in sim.journal().iter().rev().enumerate() {
        let seq = seen.wrapping_sub(1 + back as u64);
        let age = now.since(entry.time);
        if age > travel_us {
            break;
        }
        let progress = age as f64 / travel_us as f64;
        // A hop is drawn as what the message was then: in flight, unless it has since turned out
        // badly (duplicated, lost, dead-lettered), which the learner should see at once.
        let hop = |msg: u32| hop_outcome(sim, msg);
        let token = match entry.kind {
            JournalKind::Appended { msg, partition, append, .. } => {
                let o = if append == AppendKind::ProducerDuplicate { Outcome::Duplicated } else { hop(msg) };
                Some((g.prod_out(), g.part_in(partition), o))
            }
            JournalKind::Received { msg, consumer, partition, .. } => {
                Some((g.part_out(partition), g.cons_in(consumer), hop(msg)))
            }
            JournalKind::EffectApplied { msg, consumer, effects } => {
                let o = if effects >= 2 {
                    Outcome::Duplicated
                } else {
                    match outcome_of(sim, msg) {
                        Outcome::InFlight => Outcome::ExactlyOnce,
                        o => o,
                    }
                };
                Some((g.cons_out(consumer), g.down_in(), o))
            }
            JournalKind::DeadLettered { consumer, .. } => {
                Some((g.cons_out(consumer), g.dlq_in(), Outcome::DeadLettered))
            }
            _ => None,
        };
        if let Some((from, to, outcome)) = token {
            in_window += 1;
            if out.len() < cap {
                out.push(Token { seq, from, to, progress, outcome });
            }
        }
    }
    (out, in_window)
}

fn rates(sim: &Simulation) -> Rates {
    let journal = sim.journal();
    let now = sim.now();
    let Some(oldest) = journal.iter().next() else { return Rates::default() };
    // At most the last 2 s of sim time, less if the ring holds less.
    let window_us = now.since(oldest.time).clamp(1, 2_000_000);
    let mut r = Rates::default();
    for e in journal.iter().rev() {
        if now.since(e.time) > window_us {
            break;
        }
        match e.kind {
            JournalKind::Appended { .. } => r.appended += 1.0,
            JournalKind::Received { .. } => r.received += 1.0,
            JournalKind::EffectApplied { .. } => r.effects += 1.0,
            JournalKind::DeadLettered { .. } => r.dead += 1.0,
            _ => {}
        }
    }
    let secs = window_us as f64 / 1e6;
    r.appended /= secs;
    r.received /= secs;
    r.effects /= secs;
    r.dead /= secs;
    r
}

fn rate_text(r: f64) -> String {
    if r >= 100.0 {
        format!("{:.0}/s", r)
    } else {
        format!("{:.1}/s", r)
    }
}

fn edge(from: (f64, f64), to: (f64, f64), class: &'static str) -> Html {
    // A gentle S-curve reads better than a straight line when many edges fan out.
    let mx = (from.0 + to.0) / 2.0;
    let d = format!(
        "M{} {} C{} {} {} {} {} {}",
        fmt1(from.0),
        fmt1(from.1),
        fmt1(mx),
        fmt1(from.1),
        fmt1(mx),
        fmt1(to.1),
        fmt1(to.0),
        fmt1(to.1)
    );
    html! { <path class={classes!("edge", class)} d={d} /> }
}

/// Point on the same S-curve as `edge`.
fn on_edge(from: (f64, f64), to: (f64, f64), t: f64) -> (f64, f64) {
    let t = t.clamp(0.0, 1.0);
    let mx = (from.0 + to.0) / 2.0;
    let u = 1.0 - t;
    let x = u * u * u * from.0 + 3.0 * u * u * t * mx + 3.0 * u * t * t * mx + t * t * t * to.0;
    let y = u * u * u * from.1 + 3.0 * u * u * t * from.1 + 3.0 * u * t * t * to.1 + t * t * t * to.1;
    (x, y)
}

/// A count short enough for a diagram box: exact below 10,000, then 12.3k, 1.30M. (The panels
/// and the aria labels always show exact numbers.)
pub fn short_count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=99_999 => format!("{:.1}k", n as f64 / 1e3),
        100_000..=999_999 => format!("{:.0}k", n as f64 / 1e3),
        _ => format!("{:.2}M", n as f64 / 1e6),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Assigned partitions, short enough for the consumer box: `P0, P1`, `P4–P7` or `9 partitions`.
fn short_partitions(ps: &[u32]) -> String {
    match ps {
        [] | [_] | [_, _] | [_, _, _] => list_partitions(ps),
        [first, .., last] if (last - first) as usize + 1 == ps.len() => format!("P{first}–P{last}"),
        _ => format!("{} partitions", ps.len()),
    }
}

fn list_partitions(ps: &[u32]) -> String {
    if ps.is_empty() {
        return "no partitions".into();
    }
    let names: Vec<String> = ps.iter().map(|p| format!("P{p}")).collect();
    names.join(", ")
}

#[function_component(Topology)]
pub fn topology(props: &TopologyProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let g = Geometry::of(sim);
    let group = sim.group();
    let rebalancing = !group.is_stable();

    // Tokens only while they can be followed by eye: not with reduced motion, not at 20x and
    // beyond, and not when the window holds far more hops than can be drawn (then the edges carry
    // flow rates instead; a dense stream of tokens would only churn the DOM).
    let travel = props.speed.token_travel_us();
    let animate = !props.reduced_motion && !props.speed.shows_rates();
    let (mut toks, in_window) =
        if animate { tokens(sim, &g, travel, MAX_TOKENS, rt.log.seen()) } else { (Vec::new(), 0) };
    if in_window > 3 * MAX_TOKENS {
        toks.clear();
    }
    let show_rates = !animate || in_window > MAX_TOKENS;
    let rates = if show_rates { Some(rates(sim)) } else { None };

    // ----- edges (redrawn only when ownership or membership changes) -----
    let edges = html! {
        <Edges
            np={sim.partitions().len()}
            owners={group.owner.clone()}
            live={sim.consumers().iter().map(|c| c.status != ConsumerStatus::Stopped).collect::<Vec<_>>()}
            rebalancing={rebalancing}
        />
    };

    // ----- producer -----
    let sc = sim.scenario();
    let produced = sim.ledger().produced();
    let prod_h = 92.0;
    let prod_label =
        format!("Producer: {} messages per second, {} produced so far", sc.producer.rate_per_sec, produced);
    let producer = html! {
        <g class="node producer" role="img" aria-label={prod_label.clone()}>
            <title>{prod_label}</title>
            <rect x={fmt1(PROD_X)} y={fmt1(g.prod_y - prod_h / 2.0)} width={fmt1(PROD_W)} height={fmt1(prod_h)} rx="10" />
            <text class="node-title" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y - 22.0)}>{"Producer"}</text>
            <text class="node-big" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y + 6.0)}>{short_count(produced)}</text>
            <text class="node-sub" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y + 26.0)}>{format!("{} msg/s", sc.producer.rate_per_sec)}</text>
        </g>
    };

    // ----- partitions (each redrawn only when its offsets or visible records change) -----
    let parts: Html = sim
        .partitions()
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let cells: Vec<(u64, Outcome)> =
                part.tail(CELLS).map(|(offset, rec)| (offset, outcome_of(sim, rec.msg))).collect();
            html! {
                <PartitionRow index={i} cy={g.parts.center(i)} band={g.parts.band} end={part.log_end()}
                    committed={group.committed[i]} owner={group.owner[i]} cells={cells} />
            }
        })
        .collect();

    // ----- consumers -----
    let cons: Html = sim
        .consumers()
        .iter()
        .map(|c| {
            html! {
                <ConsumerBox id={c.id} status={c.status} assigned={c.assigned.clone()}
                    hand={c.in_hand.map(|h| (h.msg, hop_outcome(sim, h.msg)))} armed={c.armed}
                    cy={g.cons.center(c.id as usize)} band={g.cons.band} on_consumer={props.on_consumer.clone()} />
            }
        })
        .collect();

    // ----- downstream and DLQ -----
    let charges = sim.ledger().effects_total();
    let extra = sim.ledger().extra_effects();
    let dup_msgs = sim.ledger().counts().duplicated;
    let down_h = 118.0;
    let down_label = format!("Downstream payments service: {charges} charges, {extra} of them duplicate charges");
    let downstream = html! {
        <g class={classes!("node", "sink", (extra > 0).then_some("sink-bad"))} role="img" aria-label={down_label}>
            <rect x={fmt1(SINK_X)} y={fmt1(g.down_y - down_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(down_h)} rx="10" />
            // Keyed by the duplicate count: a new duplicate re-creates this outline, which replays
            // its one-off flash (no animation with reduced motion).
            if extra > 0 {
                <rect key={extra} class="dup-flash" x={fmt1(SINK_X)} y={fmt1(g.down_y - down_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(down_h)} rx="10" />
            }
            <text class="node-title" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y - 36.0)}>{"Payments API"}</text>
            <text class="node-big" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y - 6.0)}>{short_count(charges)}</text>
            <text class="node-sub" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y + 12.0)}>{"charges"}</text>
            <g class={classes!("dup-line", (extra > 0).then_some("on"))}>
                { glyph(Outcome::Duplicated, SINK_X + 17.0, g.down_y + 35.0) }
                <text class="node-sub" x={fmt1(SINK_X + 27.0)} y={fmt1(g.down_y + 39.0)}>
                    { format!("{} duplicate{}", short_count(extra), if extra == 1 { "" } else { "s" }) }
                </text>
            </g>
            <title>{format!("{dup_msgs} message(s) charged more than once; {extra} extra charge(s) in total")}</title>
        </g>
    };
    let dlq_n = sim.dlq().len();
    let dlq_h = 92.0;
    let newest = sim.dlq().recent(1).first().map(|d| message_id(d.msg));
    let dlq_label = format!("Dead-letter queue: {}", plural(dlq_n, "message", "messages"));
    let dlq = html! {
        <g class={classes!("node", "sink", "dlq", (dlq_n > 0).then_some("dlq-on"))} role="img" aria-label={dlq_label.clone()}>
            <title>{format!("{dlq_label}: parked after their last retry, effect not applied")}</title>
            <rect x={fmt1(SINK_X)} y={fmt1(g.dlq_y - dlq_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(dlq_h)} rx="10" />
            <text class="node-title" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y - 22.0)}>{"Dead letters"}</text>
            <text class="node-big" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y + 6.0)}>{short_count(dlq_n as u64)}</text>
            <text class="node-sub" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y + 26.0)}>{newest.map(|n| format!("newest {n}")).unwrap_or_else(|| "empty".into())}</text>
        </g>
    };

    // ----- moving tokens and flow rates -----
    let token_html: Html = toks
        .iter()
        .map(|t| {
            let (x, y) = on_edge(t.from, t.to, t.progress);
            // Keyed, and moved by a transform only.
            glyph_keyed(t.seq, t.outcome, x, y)
        })
        .collect();
    let rate_html = match &rates {
        Some(r) => {
            let mid = |a: f64, b: f64| fmt1((a + b) / 2.0);
            let y = fmt1(TOP - 8.0);
            html! {
                <g class="rates" aria-hidden="true">
                    <text x={mid(PROD_X + PROD_W, PART_X)} y={y.clone()}>{rate_text(r.appended)}</text>
                    <text x={mid(PART_X + PART_W, CONS_X)} y={y.clone()}>{rate_text(r.received)}</text>
                    <text x={mid(CONS_X + CONS_W, SINK_X)} y={y}>{rate_text(r.effects)}</text>
                    <text x={fmt1(SINK_X + SINK_W / 2.0)} y={fmt1(g.dlq_y + 60.0)}>{format!("in: {}", rate_text(r.dead))}</text>
                </g>
            }
        }
        None => Html::default(),
    };

    let headers = html! {
        <g class="col-heads" aria-hidden="true">
            <text x={fmt1(PART_X)} y="16">{"Topic “orders” · partitions (newest →)"}</text>
            <text x={fmt1(CONS_X)} y="16">{ if rebalancing { "Consumer group — rebalancing…" } else { "Consumer group" } }</text>
        </g>
    };

    let vb = format!("0 0 {} {}", W, fmt1(g.h));
    // Never drawn narrower than its own units: the smallest text (11 units) stays at least 11 screen
    // pixels. Where the column is narrower (phones) the diagram scrolls sideways inside its region,
    // which is focusable so the keyboard can scroll it too.
    let min_width = format!("min-width:{W}px");
    html! {
        <>
        <p class="scroll-hint">{"The diagram is wider than the screen: scroll it sideways to see the consumers and the Payments API."}</p>
        <div class="topology-scroll" tabindex="0" role="region" aria-label="Topology diagram">
        <svg class="topology" style={min_width} viewBox={vb} role="group" aria-label="Topology: producer, partitions, consumers, payments service and dead-letter queue" preserveAspectRatio="xMidYMin meet">
            { headers }
            { edges }
            { producer }
            { parts }
            { cons }
            { downstream }
            { dlq }
            <g class="tokens" aria-hidden="true">{ token_html }</g>
            { rate_html }
        </svg>
        </div>
        </>
    }
}

fn short_point(p: CrashPoint) -> &'static str {
    use crate::sim::scenario::CrashPoint::*;
    match p {
        AfterReceive => "after receive",
        AfterCommit => "after commit",
        AfterEffect => "after effect",
        AfterDedupMark => "after dedup mark",
    }
}

#[derive(Properties, PartialEq)]
struct ConsumerBoxProps {
    id: u32,
    status: ConsumerStatus,
    assigned: Vec<u32>,
    /// The record in hand and how to draw it.
    hand: Option<(u32, Outcome)>,
    armed: Option<CrashPoint>,
    cy: f64,
    band: f64,
    on_consumer: Callback<u32>,
}

/// One consumer: a button (crash when alive, restart when crashed).
#[function_component(ConsumerBox)]
fn consumer_box(props: &ConsumerBoxProps) -> Html {
    let id = props.id;
    let cy = props.cy;
    let ch = (props.band * 0.74).clamp(16.0, 62.0);
    let y0 = cy - ch / 2.0;
    let status = status_label(props.status);
    let alive = !matches!(props.status, ConsumerStatus::Crashed | ConsumerStatus::Stopped);
    let stopped = props.status == ConsumerStatus::Stopped;
    let action = if stopped {
        "it has left the group"
    } else if alive {
        "press to crash it"
    } else {
        "press to restart it"
    };
    let holding = props.hand.map(|(m, _)| message_id(m));
    let onclick = {
        let cb = props.on_consumer.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let onkeydown = {
        let cb = props.on_consumer.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(id);
            }
        })
    };
    let roomy = ch >= 44.0;
    let armed = props.armed.map(|p| format!("armed: {}", short_point(p)));
    let second = if let Some(a) = &armed {
        a.clone()
    } else if let Some(m) = &holding {
        format!("{} · {m}", short_partitions(&props.assigned))
    } else {
        short_partitions(&props.assigned)
    };
    let first = format!("C{id} · {status}");
    // The accessible name starts with the words drawn in the box (WCAG 2.5.3, label in name), then
    // says the rest in full.
    let label = format!(
        "{first}{}: consumer {id}, {}{}; {action}",
        if roomy { format!(", {second}") } else { String::new() },
        list_partitions(&props.assigned),
        holding.as_ref().map(|m| format!(", holding {m}")).unwrap_or_default()
    );
    // The record in hand sits on the box's input edge, where its token arrived.
    let hand = props.hand.map(|(_, o)| glyph(o, CONS_X, cy));
    html! {
        <g class={classes!("node", "consumer", status_class(props.status), armed.is_some().then_some("armed"))}
           role="button" tabindex={if stopped { "-1" } else { "0" }} aria-label={label}
           aria-disabled={stopped.to_string()} {onclick} {onkeydown}>
            <title>{format!("Consumer {id} — {status}. Click to {}.", if alive { "crash it now" } else if stopped { "do nothing (it left)" } else { "restart it" })}</title>
            <rect x={fmt1(CONS_X)} y={fmt1(y0)} width={fmt1(CONS_W)} height={fmt1(ch)} rx="9" />
            <circle class="st-dot" cx={fmt1(CONS_X + 13.0)} cy={fmt1(if roomy { y0 + 16.0 } else { cy })} r="4.5" />
            // One text element, so the two lines read as one phrase ("C0 · idle P0, P1").
            <text x={fmt1(CONS_X + 24.0)} y={fmt1(if roomy { y0 + 20.0 } else { cy + 4.0 })}>
                <tspan class="cons-name">{ if roomy { format!("{first} ") } else { first } }</tspan>
                if roomy {
                    <tspan class="cons-sub" x={fmt1(CONS_X + 12.0)} y={fmt1(y0 + 39.0)}>{ second }</tspan>
                }
            </text>
            { hand.unwrap_or_default() }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct PartitionRowProps {
    index: usize,
    cy: f64,
    band: f64,
    end: u64,
    committed: u64,
    owner: Option<u32>,
    /// The newest records still drawn: (offset, outcome).
    cells: Vec<(u64, Outcome)>,
}

/// One partition: its newest records as cells, the committed-offset bar and the offsets.
#[function_component(PartitionRow)]
fn partition_row(props: &PartitionRowProps) -> Html {
    let i = props.index;
    let cy = props.cy;
    let ph = (props.band * 0.56).clamp(12.0, 34.0);
    let y0 = cy - ph / 2.0;
    let (end, committed) = (props.end, props.committed);
    let lag = end.saturating_sub(committed);
    let label = format!(
        "Partition {i}: log end offset {end}, committed offset {committed}, lag {lag}{}",
        match props.owner {
            Some(o) => format!(", read by consumer {o}"),
            None => ", no owner".into(),
        }
    );
    let cell_w = 19.0;
    let cells_x = PART_X + 30.0;
    let cells: Html = if ph >= 18.0 {
        let first_slot = CELLS - props.cells.len().min(CELLS);
        props
            .cells
            .iter()
            .enumerate()
            .map(|(k, &(offset, o))| {
                let slot = first_slot + k;
                let x = cells_x + slot as f64 * cell_w;
                let class = if offset < committed { "cell cell-done" } else { "cell cell-pending" };
                // Keyed by slot, not by offset: each slot keeps its elements and only what changed
                // in it (done/pending, the outcome glyph) is written. While a busy partition
                // appends, every record shifts by several slots per frame, so keying by offset
                // would create and remove every cell's elements on every frame.
                html! {
                    <g key={slot} class={class} transform={format!("translate({x:.1} 0)")}>
                        <rect x="1" y={fmt1(y0 + 4.0)} width={fmt1(cell_w - 2.0)} height={fmt1(ph - 8.0)} rx="3" />
                        { glyph(o, cell_w / 2.0, cy) }
                    </g>
                }
            })
            .collect()
    } else {
        Html::default()
    };
    // Committed offset marker: the boundary between consumed and pending cells.
    let pending = lag as usize;
    let marker = if ph >= 18.0 && pending <= CELLS {
        let x = cells_x + (CELLS - pending) as f64 * cell_w;
        html! { <line class="commit-mark" x1={fmt1(x)} x2={fmt1(x)} y1={fmt1(y0 - 3.0)} y2={fmt1(y0 + ph + 3.0)} /> }
    } else {
        Html::default()
    };
    let compact = props.band < 56.0;
    html! {
        <g class={classes!("node", "partition", (lag > 0).then_some("has-lag"))} role="img" aria-label={label.clone()}>
            <title>{"Newest records of this partition. The bar marks the committed offset: records right of it are not committed yet (that is the lag)."}</title>
            <rect class="part-box" x={fmt1(PART_X)} y={fmt1(y0)} width={fmt1(PART_W)} height={fmt1(ph)} rx="7" />
            <text class="part-name" x={fmt1(PART_X + 10.0)} y={fmt1(cy + 4.5)}>{format!("P{i}")}</text>
            { cells }
            { marker }
            if compact {
                <text class="part-info part-info-inline" x={fmt1(PART_X + PART_W + 6.0)} y={fmt1(cy - 3.0)}>{format!("lag {lag}")}</text>
            } else {
                <text class="part-info" x={fmt1(PART_X + 2.0)} y={fmt1(y0 + ph + 13.0)}>{format!("end {end} · committed {committed} · lag {lag}")}</text>
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct EdgesProps {
    np: usize,
    /// Owner of each partition.
    owners: Vec<Option<u32>>,
    /// Per consumer: still a member (not stopped).
    live: Vec<bool>,
    rebalancing: bool,
}

/// The static wiring: producer → partitions → owners → payments service and DLQ.
#[function_component(Edges)]
fn edges(props: &EdgesProps) -> Html {
    let g = Geometry::new(props.np, props.live.len());
    let mut out: Vec<Html> = Vec::new();
    for p in 0..props.np as u32 {
        out.push(edge(g.prod_out(), g.part_in(p), "edge-produce"));
        if let Some(owner) = props.owners.get(p as usize).copied().flatten() {
            if (owner as usize) < props.live.len() {
                let class = if props.rebalancing { "edge-consume edge-paused" } else { "edge-consume" };
                out.push(edge(g.part_out(p), g.cons_in(owner), class));
            }
        }
    }
    for (c, live) in props.live.iter().enumerate() {
        if *live {
            out.push(edge(g.cons_out(c as u32), g.down_in(), "edge-effect"));
            out.push(edge(g.cons_out(c as u32), g.dlq_in(), "edge-dlq"));
        }
    }
    html! { <g class="edges" aria-hidden="true">{ out }</g> }
}
