//! The topology drawing: producer → partitions → consumers → downstream service and DLQ, with
//! messages moving along the edges.
//!
//! Moving tokens are derived from the newest journal entries, never stored: an entry at time `t`
//! (Appended, Received, EffectApplied, DeadLettered) is a token on its edge at
//! `(now - t) / travel`, where `travel` is about half a wall second of sim time at the current
//! speed. At most [`MAX_TOKENS`] are drawn; at high speeds (or with reduced motion) the edges carry
//! flow rates instead. Counters elsewhere stay exact either way.
//!
//! - `flow.rs`: tokens, flow rates and the static wiring; `nodes.rs`: the consumer and
//!   partition boxes, which redraw only when what they show changed; `grow.rs`: the "Add
//!   partition" control above the diagram.

mod flow;
mod grow;
mod nodes;
mod queue_box;
mod sinks;

pub use grow::add_partition;

use super::runtime::RtHandle;
use super::shapes::{fmt1, glyph_keyed};
use super::state::Speed;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::kernel::numfmt::{Fixed, Plain};
use crate::sim::scenario::ExchangeKind;
use crate::sim::{Command, ConsumerId, MessageId, Outcome, PartitionId, Simulation};
use flow::{hop_outcome, on_edge, outcome_of, rate_text, rates, tokens, Edges, Rates, Token};
use nodes::{ConsumerBox, PartitionRow};
use queue_box::QueueBox;
use sinks::{dead_letters, downstream};
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
    /// Crash (alive) or restart (crashed) this consumer.
    pub on_consumer: Callback<ConsumerId>,
    /// Show this message's journey (a token or a partition cell was clicked).
    pub on_message: Callback<MessageId>,
    /// The run is playing (partition cells join the tab order only when it is paused).
    pub playing: bool,
}

pub fn status_label(s: ConsumerStatus) -> &'static str {
    match s {
        ConsumerStatus::Idle => "idle",
        ConsumerStatus::Processing => "processing",
        ConsumerStatus::RetryWait => "retry-wait",
        ConsumerStatus::BreakerWait => "paused (breaker open)",
        ConsumerStatus::Crashed => "crashed",
        ConsumerStatus::Failed => "failed",
        ConsumerStatus::Rebalancing => "rebalancing",
        ConsumerStatus::Stopped => "stopped",
    }
}

fn status_class(s: ConsumerStatus) -> &'static str {
    match s {
        ConsumerStatus::Idle => "st-idle",
        ConsumerStatus::Processing => "st-processing",
        // Waiting before trying the same message again, for a retry or the breaker.
        ConsumerStatus::RetryWait | ConsumerStatus::BreakerWait => "st-retry",
        // Down like a crashed one, until restarted: drawn the same way, named apart.
        ConsumerStatus::Crashed | ConsumerStatus::Failed => "st-crashed",
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

struct Geometry {
    h: f64,
    prod_y: f64,
    parts: Rows,
    cons: Rows,
    /// The first consumer row of each subscriber (publish-subscribe stacks their consumers).
    first_row: Vec<usize>,
    /// The middle column's row of the first queue (after the partitions, with both brokers), and
    /// the subscriber that reads it.
    queue_base: usize,
    first_queue: usize,
    down_y: f64,
    dlq_y: f64,
}

/// What the diagram's middle column draws: the partitions, then the queues (one per subscriber
/// that reads one); on the queue broker, only the queues.
fn middle_rows(sim: &Simulation) -> usize {
    queue_base(sim) + sim.queues().len()
}

/// The middle column's row of the first queue.
fn queue_base(sim: &Simulation) -> usize {
    if sim.queue().is_some() {
        0
    } else {
        sim.partitions().len()
    }
}

/// How many consumers each subscriber has now (one subscriber without publish-subscribe).
fn consumer_counts(sim: &Simulation) -> Vec<usize> {
    sim.pipelines().iter().map(|p| p.consumers().len()).collect()
}

impl Geometry {
    fn of(sim: &Simulation) -> Geometry {
        Geometry::new(middle_rows(sim), &consumer_counts(sim))
            .with_queues(queue_base(sim), sim.scenario().first_queue())
    }
    fn with_queues(self, queue_base: usize, first_queue: usize) -> Geometry {
        Geometry { queue_base, first_queue, ..self }
    }
    fn new(np: usize, counts: &[usize]) -> Geometry {
        let nc: usize = counts.iter().sum();
        let h = height_for(np.max(nc));
        let first_row = counts.iter().scan(0, |row, n| Some(std::mem::replace(row, *row + n))).collect();
        Geometry {
            h,
            prod_y: h / 2.0,
            parts: Rows::new(np, h),
            cons: Rows::new(nc, h),
            first_row,
            queue_base: 0,
            first_queue: 0,
            down_y: TOP + (h - TOP) * 0.27,
            dlq_y: TOP + (h - TOP) * 0.76,
        }
    }
    /// The row of consumer `c` in the consumers' column.
    fn cons_row(&self, c: ConsumerId) -> usize {
        self.first_row.get(c.subscriber() as usize).copied().unwrap_or(0) + c.index()
    }
    /// The middle column's row of subscriber `k`'s queue.
    fn queue_row(&self, k: u8) -> usize {
        self.queue_base + (k as usize).saturating_sub(self.first_queue)
    }
    fn queue_in(&self, k: u8) -> (f64, f64) {
        (PART_X, self.parts.center(self.queue_row(k)))
    }
    fn queue_out(&self, k: u8) -> (f64, f64) {
        (PART_X + PART_W, self.parts.center(self.queue_row(k)))
    }
    fn part_in(&self, p: PartitionId) -> (f64, f64) {
        (PART_X, self.parts.center(p.index()))
    }
    fn part_out(&self, p: PartitionId) -> (f64, f64) {
        (PART_X + PART_W, self.parts.center(p.index()))
    }
    fn cons_in(&self, c: ConsumerId) -> (f64, f64) {
        (CONS_X, self.cons.center(self.cons_row(c)))
    }
    fn cons_out(&self, c: ConsumerId) -> (f64, f64) {
        (CONS_X + CONS_W, self.cons.center(self.cons_row(c)))
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

/// A count short enough for a diagram box: exact below 10,000, then 12.3k, 1.30M. (The panels
/// and the aria labels always show exact numbers.)
pub fn short_count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=99_999 => format!("{}k", Fixed(n as f64 / 1e3, 1)),
        100_000..=999_999 => format!("{}k", Fixed(n as f64 / 1e3, 0)),
        _ => format!("{}M", Fixed(n as f64 / 1e6, 2)),
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
fn short_partitions(ps: &[PartitionId]) -> String {
    match ps {
        [] | [_] | [_, _] | [_, _, _] => list_partitions(ps),
        [first, .., last] if (last.0 - first.0) as usize + 1 == ps.len() => format!("P{first}–P{last}"),
        _ => format!("{} partitions", ps.len()),
    }
}

fn list_partitions(ps: &[PartitionId]) -> String {
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
    let queue = sim.queue().is_some();
    let rebalancing = sim.groups().iter().any(|g| !g.is_stable());

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

    // Edges are redrawn only when ownership or membership changes.
    let edges = html! {
        <Edges
            np={middle_rows(sim)}
            owners={if queue { Vec::new() } else { sim.groups().iter().map(|g| g.owner.clone()).collect::<Vec<_>>() }}
            counts={consumer_counts(sim)}
            live={sim.all_consumers().map(|c| (c.id, c.status != ConsumerStatus::Stopped)).collect::<Vec<_>>()}
            rebalancing={sim.groups().iter().map(|g| !g.is_stable()).collect::<Vec<_>>()}
            queue_base={queue_base(sim)}
            first_queue={if sim.queues().is_empty() { usize::MAX } else { sim.scenario().first_queue() }}
        />
    };
    let pubsub = !sim.scenario().subscribers.is_empty();
    let both = sim.scenario().both_brokers();
    let aria = if both {
        "Topology: producer, the topic's partitions and the fanout exchange's queues, the consumer groups and the queues' consumers, their services and dead-letter queues"
    } else if pubsub && queue {
        "Topology: publisher, an exchange to one queue per subscriber, each subscriber's consumers, their services and dead-letter queues"
    } else if pubsub {
        "Topology: producer, partitions, one consumer group per subscriber, their services and dead-letter queues"
    } else if queue {
        "Topology: producer, queue, competing consumers, payments service and dead-letter queue"
    } else {
        "Topology: producer, partitions, consumers, payments service and dead-letter queue"
    };
    let vb = format!("0 0 {} {}", Plain(W), fmt1(g.h));
    // Never drawn narrower than its own units: the smallest text (11 units) stays at least 11 screen
    // pixels. Where the column is narrower (phones) the diagram scrolls sideways inside its region,
    // which is focusable so the keyboard can scroll it too.
    let min_width = format!("min-width:{}px", Plain(W));
    html! {
        <>
        <p class="scroll-hint">{"The diagram is wider than the screen: scroll it sideways to see the consumers and the Payments API."}</p>
        <div class="topology-scroll" tabindex="0" role="region" aria-label="Topology diagram">
        <svg class="topology" style={min_width} viewBox={vb} role="group" aria-label={aria} preserveAspectRatio="xMidYMin meet">
            { headers(rebalancing, queue, pubsub, both, sim.scenario().queue.exchange) }
            { edges }
            { producer(sim, &g) }
            { partitions(sim, &g, &props.on_message, !props.playing) }
            { consumers(sim, &g, &props.on_consumer) }
            { downstream(sim, &g) }
            { dead_letters(sim, &g) }
            { token_layer(&toks, &props.on_message) }
            { if show_rates { rate_labels(&rates(sim), &g) } else { Html::default() } }
        </svg>
        </div>
        </>
    }
}

fn headers(rebalancing: bool, queue: bool, pubsub: bool, both: bool, exchange: ExchangeKind) -> Html {
    let (middle, right) = if both {
        ("Topic “orders” · queues (fanout)", "Consumer groups · queue consumers")
    } else if pubsub && queue {
        let middle = match exchange {
            ExchangeKind::Fanout => "Fanout → a queue per subscriber",
            ExchangeKind::Direct => "Direct exchange → queues by key",
            ExchangeKind::Topic => "Topic exchange → queues by pattern",
            ExchangeKind::Headers => "Headers exchange → queues",
        };
        (middle, "Subscribers' consumers")
    } else if pubsub {
        (
            "Topic “orders” · partitions (newest →)",
            if rebalancing { "A group per subscriber — rebalancing…" } else { "A consumer group per subscriber" },
        )
    } else if queue {
        ("Queue “orders” (next out →)", "Competing consumers")
    } else {
        (
            "Topic “orders” · partitions (newest →)",
            if rebalancing { "Consumer group — rebalancing…" } else { "Consumer group" },
        )
    };
    html! {
        <g class="col-heads" aria-hidden="true">
            <text x={fmt1(PART_X)} y="16">{middle}</text>
            <text x={fmt1(CONS_X)} y="16">{right}</text>
        </g>
    }
}

fn producer(sim: &Simulation, g: &Geometry) -> Html {
    let sc = sim.scenario();
    let produced = sim.ledger().produced();
    let p = &sc.producer;
    let prod_h = 108.0;
    // Whose client it is matters: each places records and retries by its own rules. A queue's
    // publisher waits for confirms (acks 1 or all) or not (acks 0).
    let queue = sim.queue().is_some();
    let client = match p.client {
        _ if queue => "publisher",
        crate::sim::scenario::Client::Java => "Java client",
        crate::sim::scenario::Client::Librdkafka => "librdkafka",
    };
    let idempotent = if sc.idempotent_producer() { ", idempotent" } else { "" };
    let waits = match (queue, p.acks) {
        (true, crate::sim::scenario::Acks::Zero) => "no publisher confirms".to_string(),
        (true, _) => "waits for publisher confirms".to_string(),
        (false, acks) => format!("acks={}", acks.name()),
    };
    let prod_label = format!(
        "Producer ({client}{idempotent}, {waits}): {} messages per second, {} produced so far",
        Plain(p.rate_per_sec),
        produced
    );
    html! {
        <g class="node producer" role="img" aria-label={prod_label.clone()}>
            <title>{prod_label}</title>
            <rect x={fmt1(PROD_X)} y={fmt1(g.prod_y - prod_h / 2.0)} width={fmt1(PROD_W)} height={fmt1(prod_h)} rx="10" />
            <text class="node-title" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y - 30.0)}>{"Producer"}</text>
            <text class="node-big" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y + 2.0)}>{short_count(produced)}</text>
            <text class="node-sub" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y + 22.0)}>{format!("{} msg/s", Plain(p.rate_per_sec))}</text>
            <text class="node-sub" x={fmt1(PROD_X + 12.0)} y={fmt1(g.prod_y + 40.0)}>{client}</text>
        </g>
    }
}

/// Each partition redraws only when its offsets or visible records change.
fn partitions(sim: &Simulation, g: &Geometry, on_message: &Callback<MessageId>, keyboard: bool) -> Html {
    let queues: Html = sim
        .queues()
        .iter()
        .map(|q| {
                let (ready, unacked) = q.depth();
                let head: Vec<(MessageId, bool, Outcome)> =
                    q.head(CELLS).map(|(msg, again)| (msg, again, outcome_of(sim, msg))).collect();
                let name: Option<AttrValue> = sim.scenario().subscriber_name(q.index()).map(|n| n.to_string().into());
                let binding: Option<AttrValue> = sim.scenario().binding_text(q.index()).map(AttrValue::from);
                let alternate = sim.scenario().alternate(q.index());
                html! {
                    <QueueBox cy={g.parts.center(g.queue_row(q.index()))} {name} {binding} {alternate} {ready} {unacked} prefetch={q.prefetch()} {head}
                        on_message={on_message.clone()} {keyboard} />
                }
            })
            .collect();
    if sim.queue().is_some() {
        return queues;
    }
    let group = sim.group();
    let sc = sim.scenario();
    let parts: Html = sim
        .partitions()
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let cells: Vec<(u64, MessageId, Outcome)> =
                part.tail(CELLS).map(|(offset, rec)| (offset, rec.msg, outcome_of(sim, rec.msg))).collect();
            // Several groups: each one's commit; the cells are done once every group is past them.
            let groups: Vec<(AttrValue, u64, Option<ConsumerId>)> = sc
                .subscribers
                .iter()
                .zip(sim.groups())
                .map(|(s, gr)| (AttrValue::from(s.name.clone()), gr.committed[i], gr.owner[i]))
                .collect();
            let committed = groups.iter().map(|g| g.1).min().unwrap_or(group.committed[i]);
            html! {
                <PartitionRow index={i} cy={g.parts.center(i)} band={g.parts.band} end={part.log_end()}
                    {committed} owner={group.owner[i]} owner_down={owner_down(sim, group.owner[i])} {groups}
                    cells={cells} on_message={on_message.clone()} {keyboard} />
            }
        })
        .collect();
    // Both brokers: the queue readers' queues under the partitions.
    html! { <>{ parts }{ queues }</> }
}

/// Whether a partition's owner has crashed, or stopped with an error (the coordinator still counts
/// it until its session times out, but nobody reads the partition meanwhile).
fn owner_down(sim: &Simulation, owner: Option<ConsumerId>) -> bool {
    owner.is_some_and(|o| sim.consumers().get(o.index()).is_some_and(|c| is_down(c.status)))
}

/// Crashed, or stopped by an error (auto.offset.reset=none): down, until restarted.
fn is_down(status: ConsumerStatus) -> bool {
    matches!(status, ConsumerStatus::Crashed | ConsumerStatus::Failed)
}

/// The next scheduled crash or restart of `consumer` still to come, in words ("crash at 12.9 s"),
/// or its subscriber's start, if it starts later.
fn next_fault(sim: &Simulation, consumer: ConsumerId) -> Option<String> {
    let k = consumer.subscriber();
    if let Some(at) = sim.scenario().starts_at_ms(k).filter(|_| !sim.pipelines()[k as usize].started()) {
        return Some(format!("starts at {}.{} s", at / 1_000, at % 1_000 / 100));
    }
    let now_ms = sim.now().as_us() / 1_000;
    sim.scenario()
        .faults
        .iter()
        .filter(|f| f.at_ms > now_ms)
        .filter_map(|f| match f.command {
            Command::CrashConsumer { consumer: c, .. } if c == consumer => Some((f.at_ms, "crash")),
            Command::RestartConsumer { consumer: c } if c == consumer => Some((f.at_ms, "restart")),
            _ => None,
        })
        .min_by_key(|&(at, _)| at)
        .map(|(at, what)| format!("{what} at {}.{} s", at / 1_000, at % 1_000 / 100))
}

fn consumers(sim: &Simulation, g: &Geometry, on_consumer: &Callback<ConsumerId>) -> Html {
    let sc = sim.scenario();
    sim.all_consumers()
        .map(|c| {
            let group = sim.groups().get(c.id.subscriber() as usize);
            let queue = sim.queue_of(c.id.subscriber());
            let subscriber: Option<AttrValue> = sc.subscriber_name(c.id.subscriber()).map(|n| n.to_string().into());
            // A crashed (or failed) member keeps its partitions until its session times out.
            let held: Vec<PartitionId> = match group {
                Some(group) if is_down(c.status) => (0..group.owner.len())
                    .filter(|&p| group.owner[p] == Some(c.id))
                    .map(|p| PartitionId(p as u32))
                    .collect(),
                _ => Vec::new(),
            };
            html! {
                <ConsumerBox id={c.id} {subscriber} status={c.status} assigned={sim.assigned(c.id).to_vec()} held={held}
                    unacked={queue.map(|q| (q.held(c.id), q.prefetch()))}
                    scheduled={next_fault(sim, c.id)}
                    hand={c.in_hand.map(|h| (h.msg, hop_outcome(sim, h.msg)))} armed={c.armed}
                    cy={g.cons.center(g.cons_row(c.id))} band={g.cons.band} on_consumer={on_consumer.clone()} />
            }
        })
        .collect()
}

/// The moving tokens: keyed, and moved by a transform only. A click on one shows its message's
/// journey (one listener on the layer). They are hidden from assistive technology and not in the
/// tab order: each lives half a second, and the same messages are in the partition cells and the
/// event log, which the keyboard reaches.
fn token_layer(toks: &[Token], on_message: &Callback<MessageId>) -> Html {
    let glyphs: Html = toks
        .iter()
        .map(|t| {
            let (x, y) = on_edge(t.from, t.to, t.progress);
            glyph_keyed(t.seq, t.outcome, x, y, t.msg)
        })
        .collect();
    let cb = on_message.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if let Some(msg) = crate::ui::journey::message_at(&e) {
            cb.emit(msg);
        }
    });
    html! { <g class="tokens" aria-hidden="true" {onclick}>{ glyphs }</g> }
}

fn rate_labels(r: &Rates, g: &Geometry) -> Html {
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
