//! What moves along the edges: message tokens derived from the newest journal entries, flow
//! rates when tokens would be too many to follow, and the static wiring.

use super::Geometry;
use crate::sim::event::{AppendKind, JournalKind};
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::{ConsumerId, MessageId, Outcome, PartitionId, Simulation};
use crate::ui::shapes::fmt1;
use yew::prelude::*;

#[derive(Clone, Copy)]
pub(super) struct Token {
    /// Global sequence number of the journal entry: a stable key while the token moves.
    pub(super) seq: u64,
    pub(super) from: (f64, f64),
    pub(super) to: (f64, f64),
    pub(super) progress: f64,
    pub(super) outcome: Outcome,
    /// The message it carries.
    pub(super) msg: MessageId,
}

/// Flow rates per edge kind, in messages per sim second, from the journal window.
#[derive(Default)]
pub(super) struct Rates {
    pub(super) appended: f64,
    pub(super) received: f64,
    pub(super) effects: f64,
    pub(super) dead: f64,
}

/// What a message in transit is drawn as: in flight, unless it has already turned out badly.
pub(super) fn hop_outcome(sim: &Simulation, msg: MessageId) -> Outcome {
    match outcome_of(sim, msg) {
        Outcome::ExactlyOnce => Outcome::InFlight,
        o => o,
    }
}

pub(super) fn outcome_of(sim: &Simulation, msg: MessageId) -> Outcome {
    sim.ledger().get(msg).map(|m| m.outcome).unwrap_or(Outcome::InFlight)
}

/// Tokens for the newest journal entries within one travel time, newest first, at most `cap`.
/// Also returns how many entries were in the window (to decide whether rates are shown).
/// `seen` is the number of journal entries ever recorded (the newest has sequence `seen - 1`).
pub(super) fn tokens(sim: &Simulation, g: &Geometry, travel_us: u64, cap: usize, seen: u64) -> (Vec<Token>, usize) {
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
        let hop = |msg: MessageId| hop_outcome(sim, msg);
        let token = match entry.kind {
            JournalKind::Appended { msg, partition, append, .. } => {
                let o = if append == AppendKind::ProducerDuplicate { Outcome::Duplicated } else { hop(msg) };
                Some((g.prod_out(), g.part_in(partition), o, msg))
            }
            JournalKind::Received { msg, consumer, partition, .. } => {
                Some((g.part_out(partition), g.cons_in(consumer), hop(msg), msg))
            }
            // The queue broker: each queue drawn in a row of its own (one per subscriber).
            JournalKind::Enqueued { msg, append, queue } => {
                let o = if append == AppendKind::ProducerDuplicate { Outcome::Duplicated } else { hop(msg) };
                Some((g.prod_out(), g.queue_in(queue), o, msg))
            }
            JournalKind::Delivered { msg, consumer, .. } => {
                Some((g.queue_out(consumer.subscriber()), g.cons_in(consumer), hop(msg), msg))
            }
            // The queue's dead-letter exchange takes what expired or was dropped.
            JournalKind::QueueDropped { msg, queue, dead_lettered: true, .. } => {
                Some((g.queue_out(queue), g.dlq_in(), Outcome::DeadLettered, msg))
            }
            JournalKind::EffectApplied { msg, consumer, again, .. } => {
                let o = if again {
                    Outcome::Duplicated
                } else {
                    match outcome_of(sim, msg) {
                        Outcome::InFlight => Outcome::ExactlyOnce,
                        o => o,
                    }
                };
                Some((g.cons_out(consumer), g.down_in(), o, msg))
            }
            JournalKind::DeadLettered { consumer, msg } => {
                Some((g.cons_out(consumer), g.dlq_in(), Outcome::DeadLettered, msg))
            }
            _ => None,
        };
        if let Some((from, to, outcome, msg)) = token {
            in_window += 1;
            if out.len() < cap {
                out.push(Token { seq, from, to, progress, outcome, msg });
            }
        }
    }
    (out, in_window)
}

pub(super) fn rates(sim: &Simulation) -> Rates {
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
            JournalKind::Appended { .. } | JournalKind::Enqueued { .. } => r.appended += 1.0,
            JournalKind::Received { .. } | JournalKind::Delivered { .. } => r.received += 1.0,
            JournalKind::EffectApplied { .. } => r.effects += 1.0,
            JournalKind::DeadLettered { .. } | JournalKind::QueueDropped { dead_lettered: true, .. } => r.dead += 1.0,
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

pub(super) fn rate_text(r: f64) -> String {
    if r >= 100.0 {
        format!("{}/s", Fixed(r, 0))
    } else {
        format!("{}/s", Fixed(r, 1))
    }
}

pub(super) fn edge(from: (f64, f64), to: (f64, f64), class: &'static str) -> Html {
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
pub(super) fn on_edge(from: (f64, f64), to: (f64, f64), t: f64) -> (f64, f64) {
    let t = t.clamp(0.0, 1.0);
    let mx = (from.0 + to.0) / 2.0;
    let u = 1.0 - t;
    let x = u * u * u * from.0 + 3.0 * u * u * t * mx + 3.0 * u * t * t * mx + t * t * t * to.0;
    let y = u * u * u * from.1 + 3.0 * u * u * t * from.1 + 3.0 * u * t * t * to.1 + t * t * t * to.1;
    (x, y)
}

#[derive(Properties, PartialEq)]
pub(super) struct EdgesProps {
    pub np: usize,
    /// Owner of each partition, in each consumer group (one without publish-subscribe; none on
    /// the queue broker).
    pub owners: Vec<Vec<Option<ConsumerId>>>,
    /// Each subscriber's consumers (one subscriber without publish-subscribe).
    pub counts: Vec<usize>,
    /// Per consumer, subscriber by subscriber: its id and whether it is still a member (not
    /// stopped).
    pub live: Vec<(ConsumerId, bool)>,
    /// Each group is rebalancing (its edges drawn paused).
    pub rebalancing: Vec<bool>,
    /// The middle column's row of the first queue, and the first subscriber that reads a queue
    /// (`usize::MAX` when none does): its consumers, and those of every later subscriber,
    /// compete for their subscriber's queue.
    pub queue_base: usize,
    pub first_queue: usize,
}

/// The static wiring: producer → partitions → owners → payments service and DLQ.
#[function_component(Edges)]
pub(super) fn edges(props: &EdgesProps) -> Html {
    let g = Geometry::new(props.np, &props.counts).with_queues(props.queue_base, props.first_queue);
    let mut out: Vec<Html> = Vec::new();
    for p in (0..props.np as u32).map(PartitionId) {
        out.push(edge(g.prod_out(), g.part_in(p), "edge-produce"));
    }
    for (k, owners) in props.owners.iter().enumerate() {
        let class = if props.rebalancing.get(k) == Some(&true) { "edge-consume edge-paused" } else { "edge-consume" };
        for (p, owner) in owners.iter().enumerate().take(props.np) {
            if let Some(owner) = *owner {
                if owner.index() < props.counts.get(k).copied().unwrap_or(0) {
                    out.push(edge(g.part_out(PartitionId(p as u32)), g.cons_in(owner), class));
                }
            }
        }
    }
    for &(c, live) in &props.live {
        if live {
            // Competing consumers read their subscriber's queue.
            if c.subscriber() as usize >= props.first_queue {
                out.push(edge(g.queue_out(c.subscriber()), g.cons_in(c), "edge-consume"));
            }
            out.push(edge(g.cons_out(c), g.down_in(), "edge-effect"));
            out.push(edge(g.cons_out(c), g.dlq_in(), "edge-dlq"));
        }
    }
    html! { <g class="edges" aria-hidden="true">{ out }</g> }
}
