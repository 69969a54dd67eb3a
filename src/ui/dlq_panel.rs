//! The dead-letter queue as a table: each parked message (newest first) with its partition, why it
//! was parked, how many attempts failed and when the first and the last failed; "Inspect" opens its
//! journey, "Redrive" (one, or all) sends `Command::Redrive` through the run's dispatch like every
//! live control, so it is recorded and replayable. The page's notice answers a redrive (applied,
//! or refused with the engine's reason: a message no longer parked); the panel repeats it beside
//! its buttons, where the user is looking.
//!
//! The table shows at most [`ROWS`] entries and redraws only when what it shows changed (the key
//! is [`queue_key`], throttled while playing by `Runtime::panel_versions`), so a run that parks a
//! message every frame costs a redraw of twenty rows a few times a second, not every frame.

use super::run::RunAction;
use super::runtime::RtHandle;
use super::state::Notice;
use crate::sim::command::Command;
use crate::sim::patterns::dlq::{DeadLetter, DeadLetterQueue};
use crate::sim::{MessageId, Simulation};
use std::rc::Rc;
use yew::prelude::*;

/// Most entries the table shows; the rest are counted below it.
pub const ROWS: usize = 20;

/// A digest of what the table shows: the queue's length, the redrives so far, and each shown
/// entry's id, attempts and last failure (a second copy of a parked message that fails too adds
/// to its entry without changing the length). O([`ROWS`]).
pub fn queue_key(sim: &Simulation) -> u64 {
    let mix = |h: u64, v: u64| (h ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    // With publish-subscribe, every subscriber's queue in turn.
    sim.pipelines().iter().map(|p| p.dlq()).fold(0xcbf2_9ce4_8422_2325, |h, dlq: &DeadLetterQueue| {
        let start = mix(mix(h, dlq.len() as u64), dlq.redriven());
        dlq.iter()
            .rev()
            .take(ROWS)
            .fold(start, |h, d| mix(mix(mix(h, u64::from(d.msg.0)), u64::from(d.attempts)), d.last_failed_at.as_us()))
    })
}

/// The newest [`ROWS`] entries of every subscriber's dead-letter queue together, newest first,
/// each with its subscriber.
fn newest_entries(sim: &Simulation) -> Vec<(u8, DeadLetter)> {
    let mut all: Vec<(u8, DeadLetter)> = sim
        .pipelines()
        .iter()
        .flat_map(|p| p.dlq().iter().rev().take(ROWS).map(move |d| (p.subscriber(), *d)))
        .collect();
    all.sort_by(|a, b| b.1.at.cmp(&a.1.at).then(a.0.cmp(&b.0)));
    all.truncate(ROWS);
    all
}

#[derive(Properties, PartialEq)]
pub struct DlqProps {
    pub rt: RtHandle,
    /// (run, [`queue_key`]): moves when the table would change (throttled while playing).
    pub dlq_key: (u64, u64),
    pub on_run: Callback<RunAction>,
    /// Show this message's journey.
    pub on_message: Callback<MessageId>,
    /// What the last action said: repeated here when it answers a redrive.
    pub notice: Option<Rc<Notice>>,
}

/// The table's columns after the message id: heading and cell class.
const COLUMNS: [(&str, &str); 5] = [
    ("Partition", ""),
    ("Reason", ""),
    ("Attempts", "num"),
    ("First failure", "num mono"),
    ("Last failure", "num mono"),
];
/// Each row's buttons: what `data-act` says and the visible label.
const ACTS: [(&str, &str); 2] = [("inspect", "Inspect"), ("redrive", "Redrive")];

#[function_component(DlqPanel)]
pub fn dlq_panel(props: &DlqProps) -> Html {
    let onclick = {
        let (on_run, on_message) = (props.on_run.clone(), props.on_message.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) =
                e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("button[data-act]").ok().flatten())
            else {
                return;
            };
            let msg = button.get_attribute("data-msg").and_then(|m| m.parse().ok()).map(MessageId);
            match (button.get_attribute("data-act").as_deref(), msg) {
                (Some("inspect"), Some(m)) => on_message.emit(m),
                (Some("redrive"), msg) => on_run.emit(RunAction::Command(Command::Redrive { msg })),
                _ => {}
            }
        })
    };
    let rt = props.rt.0.borrow();
    // On the queue broker a dead letter comes from the queue (with publish-subscribe, one of the
    // subscribers' queues), not a partition.
    let queue = rt.sim.queue().is_some();
    let sc = rt.sim.scenario();
    let n: usize = rt.sim.pipelines().iter().map(|p| p.dlq().len()).sum();
    // The notice answers a redrive in the words of `narrate::describe_command`, whoever sent it.
    let answer = props
        .notice
        .as_deref()
        .filter(|a| a.text.starts_with("Applied: redrive ") || a.text.starts_with("Not applied (redrive "));
    let rows = newest_entries(&rt.sim).into_iter().map(|(k, d)| {
        let id = d.msg.to_string();
        let raw = d.msg.0.to_string();
        let place = match sc.subscriber_name(k) {
            Some(name) => name.to_string(),
            None if queue => "orders".to_string(),
            None => format!("P{}", d.lane),
        };
        let cells = [
            place,
            d.reason.describe().into(),
            d.attempts.to_string(),
            d.first_failed_at.to_string(),
            d.last_failed_at.to_string(),
        ];
        html! {
            <tr key={(u64::from(k) << 32) | u64::from(d.msg.0)}>
                <th scope="row">{id.clone()}</th>
                { for cells.into_iter().zip(COLUMNS).map(|(text, (_, class))| html! { <td {class}>{text}</td> }) }
                <td class="dlq-acts">
                    { for ACTS.iter().map(|&(act, label)| html! {
                        <button type="button" class="btn btn-small" data-act={act} data-msg={raw.clone()} aria-label={format!("{label} {id}")}>{label}</button>
                    }) }
                </td>
            </tr>
        }
    });
    html! {
        <section class="panel dlq" aria-labelledby="dlq-h" {onclick}>
            <div class="dlq-head">
                <h2 id="dlq-h">{"Dead-letter queue "}<span class={if n == 0 { "dlq-count zero" } else { "dlq-count" }} data-testid="dlq-count">{n}</span></h2>
                if n > 0 {
                    <button type="button" class="btn btn-small" id="btn-redrive-all" data-act="redrive"
                        title="Publish every parked message again, oldest first">{"Redrive all"}</button>
                }
            </div>
            if let Some(a) = answer {
                // Not announced again: the page's notice is the live region.
                <p class={if a.error { "dlq-answer notice-error" } else { "dlq-answer notice-ok" }} aria-hidden="true">{a.text.clone()}</p>
            }
            <p class="panel-note" id="dlq-note">{ if n == 0 { EMPTY } else { NOTE } }</p>
            if n > 0 {
                <div class="dlq-scroll" tabindex="0" role="region" aria-label="Dead-letter queue entries">
                    <table class="dlq-table" aria-labelledby="dlq-h" aria-describedby="dlq-note">
                        <thead><tr>
                            <th scope="col">{"Message"}</th>
                            { for COLUMNS.iter().map(|&(label, class)| {
                                let label = if queue && label == "Partition" { "Queue" } else { label };
                                html! { <th scope="col" {class}>{label}</th> }
                            }) }
                            <th scope="col"><span class="sr-only">{"Actions"}</span></th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if n > ROWS {
                <p class="help" data-testid="dlq-more">{format!("The newest {ROWS} are listed; {} older ones are not (Redrive all takes them too).", n - ROWS)}</p>
            }
        </section>
    }
}

const EMPTY: &str = "Empty. A message lands here when its first processing attempt and every retry the policy allows \
    (Max retries) fail, or at its first failure when it is a poison message the handler classifies as non-retryable; \
    on the queue broker, also when the queue's dead-letter exchange takes what expires or is dropped from a full queue. \
    After the fix, a redrive publishes it again and the ledger follows it to its new outcome.";
const NOTE: &str =
    "Messages given up on (retries exhausted, or non-retryable; on the queue broker also expired or dropped), newest first. Redrive publishes one again: after the fix, or it may \
    fail again.";
