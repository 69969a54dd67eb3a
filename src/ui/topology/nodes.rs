//! The diagram's boxes that redraw on their own: a consumer (a button) and a partition (its
//! newest records and committed offset).

use super::{list_partitions, short_partitions, status_class, status_label, CELLS, CONS_W, CONS_X, PART_W, PART_X};
use crate::sim::consumer::ConsumerStatus;
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::scenario::CrashPoint;
use crate::sim::{ConsumerId, MessageId, Outcome, PartitionId};
use crate::ui::journey::{open_on_click, open_on_key};
use crate::ui::shapes::{fmt1, glyph};
use yew::prelude::*;

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
pub(super) struct ConsumerBoxProps {
    pub(super) id: ConsumerId,
    /// The subscriber it consumes for, with publish-subscribe.
    pub(super) subscriber: Option<AttrValue>,
    pub(super) status: ConsumerStatus,
    pub(super) assigned: Vec<PartitionId>,
    /// Partitions a crashed member still holds until its session times out.
    pub(super) held: Vec<PartitionId>,
    /// On the queue broker: the unacknowledged deliveries it holds, and its prefetch window.
    pub(super) unacked: Option<(u32, usize)>,
    /// Its next scheduled crash or restart, in words.
    pub(super) scheduled: Option<String>,
    /// The record in hand and how to draw it.
    pub(super) hand: Option<(MessageId, Outcome)>,
    pub(super) armed: Option<CrashPoint>,
    pub(super) cy: f64,
    pub(super) band: f64,
    pub(super) on_consumer: Callback<ConsumerId>,
}

/// One consumer: a button (crash when alive, restart when crashed).
#[function_component(ConsumerBox)]
pub(super) fn consumer_box(props: &ConsumerBoxProps) -> Html {
    let id = props.id;
    let cy = props.cy;
    let ch = (props.band * 0.74).clamp(16.0, 62.0);
    let y0 = cy - ch / 2.0;
    let status = status_label(props.status);
    let alive = !matches!(props.status, ConsumerStatus::Crashed | ConsumerStatus::Failed | ConsumerStatus::Stopped);
    let stopped = props.status == ConsumerStatus::Stopped;
    let action = if stopped && props.unacked.is_some() {
        "it has unsubscribed"
    } else if stopped {
        "it has left the group"
    } else if alive {
        "press to crash it"
    } else {
        "press to restart it"
    };
    let holding = props.hand.map(|(m, _)| m.to_string());
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
    let held = (!props.held.is_empty()).then(|| format!("holds {} (session)", short_partitions(&props.held)));
    let place = match props.unacked {
        Some((held, prefetch)) => format!("unacked {held}/{prefetch}"),
        None => short_partitions(&props.assigned),
    };
    let second = if let Some(a) = armed.as_ref().or(held.as_ref()) {
        a.clone()
    } else if let Some(m) = holding.as_ref().or(props.scheduled.as_ref()) {
        format!("{place} · {m}")
    } else {
        place
    };
    // With publish-subscribe, the subscriber's name leads ("sms C0").
    let who = match &props.subscriber {
        Some(name) => format!("{name} C{id}"),
        None => format!("C{id}"),
    };
    let first = format!("{who} · {status}");
    let whose = props.subscriber.as_ref().map(|n| format!(" of subscriber {n}")).unwrap_or_default();
    let queue = props.subscriber.as_ref().map_or("the queue".to_string(), |n| format!("queue {n}"));
    // The accessible name starts with the words drawn in the box (WCAG 2.5.3, label in name), then
    // says the rest in full.
    let owns = if let Some((held, prefetch)) = props.unacked {
        format!("competes for {queue}, {held} unacknowledged of at most {prefetch}")
    } else if props.held.is_empty() {
        list_partitions(&props.assigned)
    } else {
        format!("still owns {} until its session times out, nobody reads them meanwhile", list_partitions(&props.held))
    };
    let label = format!(
        "{first}{}: consumer {id}{whose}, {owns}{}{}; {action}",
        if roomy { format!(", {second}") } else { String::new() },
        holding.as_ref().map(|m| format!(", holding {m}")).unwrap_or_default(),
        props.scheduled.as_ref().map(|s| format!(", scheduled: {s}")).unwrap_or_default()
    );
    // The record in hand sits on the box's input edge, where its token arrived.
    let hand = props.hand.map(|(_, o)| glyph(o, CONS_X, cy));
    html! {
        <g class={classes!("node", "consumer", status_class(props.status), armed.is_some().then_some("armed"))}
           role="button" tabindex={if stopped { "-1" } else { "0" }} aria-label={label}
           aria-disabled={stopped.to_string()} {onclick} {onkeydown}>
            <title>{format!("Consumer {id}{whose} — {status}. Click to {}.", if alive { "crash it now" } else if stopped { "do nothing (it left)" } else { "restart it" })}</title>
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
pub(super) struct PartitionRowProps {
    pub(super) index: usize,
    pub(super) cy: f64,
    pub(super) band: f64,
    pub(super) end: u64,
    pub(super) committed: u64,
    pub(super) owner: Option<ConsumerId>,
    /// The owner has crashed: it keeps the partition until its session times out, unread.
    pub(super) owner_down: bool,
    /// With several consumer groups (publish-subscribe), each one's name, committed offset and
    /// owner of the partition; `committed` is then the lowest of them (records every group has
    /// committed past are drawn done).
    pub(super) groups: Vec<(AttrValue, u64, Option<ConsumerId>)>,
    /// The newest records still drawn: (offset, message, outcome).
    pub(super) cells: Vec<(u64, MessageId, Outcome)>,
    /// Show a message's journey (a cell was clicked, or Enter/Space pressed on it).
    pub(super) on_message: Callback<MessageId>,
    /// Cells are buttons in the tab order, with a name, only while the run is paused: playing,
    /// they change several times a second (too fast to reach by keyboard, and rewriting their
    /// names every frame doubled the frame's work); a click works either way.
    pub(super) keyboard: bool,
}

/// One partition: its newest records as cells, the committed-offset bar and the offsets.
#[function_component(PartitionRow)]
pub(super) fn partition_row(props: &PartitionRowProps) -> Html {
    let i = props.index;
    let cy = props.cy;
    let ph = (props.band * 0.56).clamp(12.0, 34.0);
    let y0 = cy - ph / 2.0;
    let (end, committed) = (props.end, props.committed);
    let lag = end.saturating_sub(committed);
    let label = if props.groups.is_empty() {
        format!(
            "Partition {i}: log end offset {end}, committed offset {committed}, lag {lag}{}",
            match props.owner {
                Some(o) if props.owner_down =>
                    format!(", owned by consumer {o}, which has crashed: unread until its session times out"),
                Some(o) => format!(", read by consumer {o}"),
                None => ", no owner".into(),
            }
        )
    } else {
        let each: Vec<String> = props
            .groups
            .iter()
            .map(|(name, c, owner)| {
                let who = owner.map_or("no owner".to_string(), |o| format!("read by {name} C{o}"));
                format!("group {name} committed {c}, lag {}, {who}", end.saturating_sub(*c))
            })
            .collect();
        format!("Partition {i}: log end offset {end}; {}", each.join("; "))
    };
    let info = if props.groups.is_empty() {
        format!("end {end} · committed {committed} · lag {lag}")
    } else {
        let lags: Vec<String> = props.groups.iter().map(|g| end.saturating_sub(g.1).to_string()).collect();
        format!("end {end} · lags {}", lags.join(" / "))
    };
    let cell_w = 19.0;
    let cells_x = PART_X + 30.0;
    let cells: Html = if ph >= 18.0 {
        let first_slot = CELLS - props.cells.len().min(CELLS);
        props
            .cells
            .iter()
            .enumerate()
            .map(|(k, &(offset, msg, o))| {
                let slot = first_slot + k;
                let x = cells_x + slot as f64 * cell_w;
                let class = if offset < committed { "cell cell-done" } else { "cell cell-pending" };
                let name = props.keyboard.then(|| {
                    format!(
                        "{msg}, offset {offset}, {}{}: show its journey",
                        o.label(),
                        if offset < committed { ", committed" } else { "" }
                    )
                });
                // Keyed by slot, not by offset: each slot keeps its elements and only what changed
                // in it (done/pending, the outcome glyph) is written. While a busy partition
                // appends, every record shifts by several slots per frame, so keying by offset
                // would create and remove every cell's elements on every frame.
                Row { cy, y0, h: ph, cell_w }.cell(slot, x, class, msg, name, o)
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
    let onclick = open_on_click(&props.on_message);
    let onkeydown = open_on_key(&props.on_message);
    html! {
        <g class={classes!("node", "partition", (lag > 0).then_some("has-lag"))} role="group" aria-label={label.clone()} {onclick} {onkeydown}>
            <title>{"Newest records of this partition. The bar marks the committed offset: records right of it are not committed yet (that is the lag)."}</title>
            <rect class="part-box" x={fmt1(PART_X)} y={fmt1(y0)} width={fmt1(PART_W)} height={fmt1(ph)} rx="7" />
            <text class="part-name" x={fmt1(PART_X + 10.0)} y={fmt1(cy + 4.5)}>{format!("P{i}")}</text>
            { cells }
            { marker }
            if compact {
                <text class="part-info part-info-inline" x={fmt1(PART_X + PART_W + 6.0)} y={fmt1(cy - 3.0)}>{format!("lag {lag}")}</text>
            } else {
                <text class="part-info" x={fmt1(PART_X + 2.0)} y={fmt1(y0 + ph + 13.0)}>{info}</text>
            }
        </g>
    }
}

/// The geometry of a row of message cells (a partition's records, a queue's next messages).
pub(super) struct Row {
    pub(super) cy: f64,
    pub(super) y0: f64,
    pub(super) h: f64,
    pub(super) cell_w: f64,
}

impl Row {
    /// One message's cell in slot `slot` at `x`: its outcome glyph, a button with `name` when
    /// the keyboard may reach it; a click anywhere on the row shows the journey (`data-msg`).
    pub(super) fn cell(
        &self,
        slot: usize,
        x: f64,
        class: &'static str,
        msg: MessageId,
        name: Option<String>,
        o: Outcome,
    ) -> Html {
        html! {
            <g key={slot} class={class} transform={format!("translate({} 0)", Fixed(x, 1))} data-msg={msg.0.to_string()}
                role={name.as_ref().map(|_| "button")} tabindex={name.as_ref().map(|_| "0")} aria-label={name}>
                <rect x="1" y={fmt1(self.y0 + 4.0)} width={fmt1(self.cell_w - 2.0)} height={fmt1(self.h - 8.0)} rx="3" />
                { glyph(o, self.cell_w / 2.0, self.cy) }
            </g>
        }
    }
}
