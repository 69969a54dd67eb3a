//! The queue broker's queue in the diagram's middle column: the messages waiting, the next to be
//! delivered at the right (next to the consumers), and how many deliveries await acknowledgement.

use super::nodes::Row;
use super::{CELLS, PART_W, PART_X};
use crate::sim::{MessageId, Outcome};
use crate::ui::journey::{open_on_click, open_on_key};
use crate::ui::shapes::fmt1;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct QueueBoxProps {
    pub(super) cy: f64,
    /// The subscriber whose queue it is, with publish-subscribe (else the one queue, "orders").
    pub(super) name: Option<AttrValue>,
    /// Its binding key or pattern, behind a direct or topic exchange; its arguments, behind a
    /// headers exchange.
    pub(super) binding: Option<AttrValue>,
    /// Also (or only) bound to the exchange's alternate exchange.
    pub(super) alternate: bool,
    pub(super) ready: usize,
    pub(super) unacked: usize,
    pub(super) prefetch: usize,
    /// The next messages to be delivered, the next first: (message, redelivered, outcome).
    pub(super) head: Vec<(MessageId, bool, Outcome)>,
    pub(super) on_message: Callback<MessageId>,
    /// Cells are buttons in the tab order only while the run is paused (as a partition's).
    pub(super) keyboard: bool,
}

#[function_component(QueueBox)]
pub(super) fn queue_box(props: &QueueBoxProps) -> Html {
    let cy = props.cy;
    let ph = 34.0;
    let y0 = cy - ph / 2.0;
    let (ready, unacked, prefetch) = (props.ready, props.unacked, props.prefetch);
    let name = props.name.as_deref().unwrap_or("orders");
    let bound = match (&props.binding, props.alternate) {
        (Some(b), false) => format!(", bound with {b}"),
        (Some(b), true) => format!(", bound with {b} and to the alternate exchange"),
        (None, true) => ", bound to the alternate exchange".to_string(),
        (None, false) => String::new(),
    };
    // Above the box, as much as fits beside the consumers' column.
    let shown = match (&props.binding, props.alternate) {
        (Some(b), _) => Some(clip(&format!("binding {b}"), 36)),
        (None, true) => Some("via the alternate exchange".to_string()),
        (None, false) => None,
    };
    let label = format!(
        "Queue {name}{bound}: {ready} ready, {unacked} delivered and not yet acknowledged; each consumer may hold \
         {prefetch} unacknowledged; an acknowledged message is deleted"
    );
    let cell_w = 19.0;
    let cells_x = PART_X + 30.0;
    let cells: Html = props
        .head
        .iter()
        .take(CELLS)
        .enumerate()
        .map(|(k, &(msg, redelivered, o))| {
            // The next to be delivered sits in the rightmost slot.
            let slot = CELLS - 1 - k;
            let x = cells_x + slot as f64 * cell_w;
            let class = if redelivered { "cell cell-pending cell-redelivered" } else { "cell cell-pending" };
            let name = props.keyboard.then(|| {
                format!(
                    "{msg}, {} in the queue{}: show its journey",
                    o.label(),
                    if redelivered { ", redelivered" } else { "" }
                )
            });
            Row { cy, y0, h: ph, cell_w }.cell(slot, x, class, msg, name, o)
        })
        .collect();
    let onclick = open_on_click(&props.on_message);
    let onkeydown = open_on_key(&props.on_message);
    html! {
        <g class={classes!("node", "partition", "queue", (ready > 0).then_some("has-lag"))} role="group" aria-label={label} {onclick} {onkeydown}>
            <title>{"The queue's next messages, the next to be delivered on the right. A delivery leaves the queue for a consumer; only its acknowledgement deletes it. A dashed cell was delivered before and came back (redelivered)."}</title>
            <rect class="part-box" x={fmt1(PART_X)} y={fmt1(y0)} width={fmt1(PART_W)} height={fmt1(ph)} rx="7" />
            if let Some(b) = shown {
                <text class="part-info" x={fmt1(PART_X + 2.0)} y={fmt1(y0 - 5.0)}>{b}</text>
            }
            <text class="part-name" x={fmt1(PART_X + 10.0)} y={fmt1(cy + 4.5)}>{"Q"}</text>
            { cells }
            <text class="part-info" x={fmt1(PART_X + 2.0)} y={fmt1(y0 + ph + 13.0)}>{match &props.name {
                Some(n) => format!("{n} · ready {ready} · unacked {unacked} · prefetch {prefetch}"),
                None => format!("ready {ready} · unacked {unacked} · prefetch {prefetch}"),
            }}</text>
        </g>
    }
}

/// `text` cut to `max` characters, an ellipsis ending what was cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text.chars().count() > max => format!("{}…", &text[..end]),
        _ => text.to_string(),
    }
}
