//! Delivery semantics (when offsets are committed) and idempotency (how redeliveries are made
//! harmless): the two fieldsets that decide duplicate vs loss.

use super::fields::{choices, commit_value, field, idem_from, idem_value, input_value, parse_in, Sinks};
use crate::sim::command::Command;
use crate::sim::scenario::{CommitStrategy, IdempotencyMode};
use crate::ui::select::Select;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeliveryProps {
    pub commit: CommitStrategy,
    pub sinks: Sinks,
}

#[function_component(DeliveryFields)]
pub fn delivery_fields(props: &DeliveryProps) -> Html {
    let current = props.commit;
    let on_commit = {
        let sinks = props.sinks.clone();
        Callback::from(move |v: String| {
            let commit = match v.as_str() {
                "before_processing" => CommitStrategy::BeforeProcessing,
                "after_processing" => CommitStrategy::AfterProcessing,
                _ => match current {
                    CommitStrategy::Auto { interval_ms } => CommitStrategy::Auto { interval_ms },
                    _ => CommitStrategy::Auto { interval_ms: 1_000 },
                },
            };
            sinks.send(Command::SetCommitStrategy { commit });
        })
    };
    let on_interval = props.sinks.numeric("The auto-commit interval (ms)", 1.0, 3_600_000.0, |ms| {
        Command::SetCommitStrategy { commit: CommitStrategy::Auto { interval_ms: ms as u64 } }
    });
    let auto_interval = match current {
        CommitStrategy::Auto { interval_ms } => Some(interval_ms),
        _ => None,
    };
    let options = [
        ("before_processing", "Before processing · at-most-once"),
        ("after_processing", "After processing · at-least-once"),
        ("auto", "Auto-commit on a timer"),
    ];
    html! {
        <fieldset>
            <legend>{"Delivery semantics"}</legend>
            { field("commit-strategy", "Offset commit", "When the consumer records its progress: before processing can lose, after can duplicate.",
                html! { <Select id="commit-strategy" title="When the consumer commits its offset relative to processing" describedby="commit-strategy-help"
                    value={commit_value(current)} choices={choices(&options)} onchange={on_commit} /> }) }
            if let Some(ms) = auto_interval {
                { field("autocommit-interval", "Auto-commit interval (ms)", "A background timer commits whatever was handed to the app, processed or not.",
                    html! { <input id="autocommit-interval" type="number" min="1" step="100" value={ms.to_string()} aria-describedby="autocommit-interval-help"
                        title="How often the background timer commits" onchange={on_interval} /> }) }
            }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct IdempotencyProps {
    pub mode: IdempotencyMode,
    pub dedup_ttl_ms: Option<u64>,
    pub sinks: Sinks,
}

#[function_component(IdempotencyFields)]
pub fn idempotency_fields(props: &IdempotencyProps) -> Html {
    let (mode, ttl) = (props.mode, props.dedup_ttl_ms);
    let on_idem = {
        let sinks = props.sinks.clone();
        Callback::from(move |v: String| {
            if let Some(mode) = idem_from(&v) {
                sinks.send(Command::SetIdempotency { mode, dedup_ttl_ms: ttl });
            }
        })
    };
    let on_ttl = {
        let sinks = props.sinks.clone();
        Callback::from(move |e: Event| {
            let text = input_value(&e);
            let ttl = if text.trim().is_empty() {
                Ok(None)
            } else {
                parse_in("The dedup TTL (ms)", &text, 1.0, 86_400_000.0).map(|v| Some(v as u64))
            };
            match ttl {
                Ok(dedup_ttl_ms) => sinks.command(Command::SetIdempotency { mode, dedup_ttl_ms }),
                Err(message) => sinks.on_error.emit(Some(message)),
            }
        })
    };
    let uses_store = matches!(mode, IdempotencyMode::DedupCheckThenAct | IdempotencyMode::DedupAtomic);
    let options = [
        ("none", "None"),
        ("dedup_check_then_act", "Dedup: check, then act"),
        ("dedup_atomic", "Dedup: atomic with effect"),
        ("natural", "Naturally idempotent (SET)"),
    ];
    html! {
        <fieldset>
            <legend>{"Idempotency"}</legend>
            { field("idempotency", "Duplicate protection", "How the consumer avoids applying a redelivered message twice.",
                html! { <Select id="idempotency" title="How redeliveries are made harmless" describedby="idempotency-help"
                    value={idem_value(mode)} choices={choices(&options)} onchange={on_idem} /> }) }
            if uses_store {
                { field("dedup-ttl", "Dedup TTL (ms, blank = forever)", "Ids older than this are forgotten; a late duplicate then slips through.",
                    html! { <input id="dedup-ttl" type="number" min="1" step="500" placeholder="forever" aria-describedby="dedup-ttl-help"
                        value={ttl.map(|v| v.to_string()).unwrap_or_default()} title="How long processed ids are remembered" onchange={on_ttl} /> }) }
            }
        </fieldset>
    }
}
