//! The diagram's right-hand column: the service the consumers call (the payments API, or with
//! publish-subscribe the subscribers' own services) and the dead-letter queue.

use super::{plural, short_count, Geometry, SINK_W, SINK_X};
use crate::sim::{Outcome, Simulation};
use crate::ui::shapes::{fmt1, glyph};
use yew::prelude::*;

/// The payments API: charges, and duplicate charges in the outcome's colour and shape.
pub(super) fn downstream(sim: &Simulation, g: &Geometry) -> Html {
    let ledger = sim.ledger();
    let (charges, extra, c) = (ledger.effects_total(), ledger.extra_effects(), ledger.counts());
    let dup_msgs = c.duplicated;
    // Every charge is on a message applied once, one charged more than once, or one still in
    // flight (charged, then its consumer crashed before the message settled).
    let pending = charges.saturating_sub(c.exactly_once + dup_msgs + extra);
    let down_h = 118.0;
    // With publish-subscribe each subscriber calls a service of its own (email, SMS, push): the
    // box counts their effects together.
    if !sim.scenario().subscribers.is_empty() {
        return subscriber_services(g, charges, extra, c.exactly_once);
    }
    let down_label = format!(
        "Downstream payments service: {charges} charges = {} on messages applied once + {} on {dup_msgs} messages \
         charged more than once ({extra} extra){}",
        c.exactly_once,
        dup_msgs + extra,
        if pending > 0 {
            format!(" + {pending} on messages still in flight (charged, then their consumer crashed before the commit)")
        } else {
            String::new()
        }
    );
    html! {
        <g class={classes!("node", "sink", (extra > 0).then_some("sink-bad"))} role="img" aria-label={down_label.clone()}>
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
                    { format!("{} extra charge{}", short_count(extra), if extra == 1 { "" } else { "s" }) }
                </text>
            </g>
            <title>{down_label}</title>
        </g>
    }
}

/// The subscribers' own services (publish-subscribe): effects applied, and effects a subscriber
/// applied again.
fn subscriber_services(g: &Geometry, effects: u64, extra: u64, once: u64) -> Html {
    let down_h = 118.0;
    let label = format!(
        "The subscribers' services: {effects} effects applied, {extra} of them repeating one the same subscriber          had applied; {once} messages applied once by every subscriber"
    );
    html! {
        <g class={classes!("node", "sink", (extra > 0).then_some("sink-bad"))} role="img" aria-label={label.clone()}>
            <rect x={fmt1(SINK_X)} y={fmt1(g.down_y - down_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(down_h)} rx="10" />
            if extra > 0 {
                <rect key={extra} class="dup-flash" x={fmt1(SINK_X)} y={fmt1(g.down_y - down_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(down_h)} rx="10" />
            }
            <text class="node-title" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y - 36.0)}>{"Their services"}</text>
            <text class="node-big" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y - 6.0)}>{short_count(effects)}</text>
            <text class="node-sub" x={fmt1(SINK_X + 12.0)} y={fmt1(g.down_y + 12.0)}>{"effects"}</text>
            <g class={classes!("dup-line", (extra > 0).then_some("on"))}>
                { glyph(Outcome::Duplicated, SINK_X + 17.0, g.down_y + 35.0) }
                <text class="node-sub" x={fmt1(SINK_X + 27.0)} y={fmt1(g.down_y + 39.0)}>
                    { format!("{} repeated", short_count(extra)) }
                </text>
            </g>
            <title>{label}</title>
        </g>
    }
}

pub(super) fn dead_letters(sim: &Simulation, g: &Geometry) -> Html {
    // Every subscriber's dead-letter queue together (one without publish-subscribe).
    let dlq_n: usize = sim.pipelines().iter().map(|p| p.dlq().len()).sum();
    let dlq_h = 92.0;
    let newest = sim.pipelines().iter().filter_map(|p| p.dlq().newest()).max_by_key(|d| d.at).map(|d| d.msg);
    let dlq_label = format!("Dead-letter queue: {}", plural(dlq_n, "message", "messages"));
    html! {
        <g class={classes!("node", "sink", "dlq", (dlq_n > 0).then_some("dlq-on"))} role="img" aria-label={dlq_label.clone()}>
            <title>{format!("{dlq_label}: parked after their last retry, effect not applied")}</title>
            <rect x={fmt1(SINK_X)} y={fmt1(g.dlq_y - dlq_h / 2.0)} width={fmt1(SINK_W)} height={fmt1(dlq_h)} rx="10" />
            <text class="node-title" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y - 22.0)}>{"Dead letters"}</text>
            <text class="node-big" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y + 6.0)}>{short_count(dlq_n as u64)}</text>
            <text class="node-sub" x={fmt1(SINK_X + 12.0)} y={fmt1(g.dlq_y + 26.0)}>{newest.map(|n| format!("newest {n}")).unwrap_or_else(|| "empty".into())}</text>
        </g>
    }
}
