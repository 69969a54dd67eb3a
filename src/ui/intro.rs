//! The line under the top bar: the scenario and its lesson, how to start, and the answer to the
//! last thing the user did (a live region).

use super::state::Notice;
use crate::sim::builtins::summary;
use yew::prelude::*;

/// A plain function rather than a component: it has no state, and a component costs the web build
/// about 1 kB of per-type machinery.
/// During a lesson the how-to-start hint goes: the lesson panel says what to do.
pub fn intro(name: &str, notice: Option<&Notice>, in_lesson: bool) -> Html {
    let description = summary(name).unwrap_or("A custom scenario.");
    html! {
        <div class="intro">
            <p class="scenario-desc"><strong>{name}</strong>{": "}{description}</p>
            <p class="hint" hidden={in_lesson}>
                {"New here? Press "}<kbd>{"Play"}</kbd>{" (or "}<kbd>{"Space"}</kbd>{match name {
                    "pubsub-fanout" | "topic-routing" | "headers-routing" => ") and watch the subscribers' queues; ",
                    "consumer-groups" | "stream-replay" => ") and watch each consumer group's lag; ",
                    "stream-vs-queue" => ") and compare the two analytics subscribers after 20 s; ",
                    _ => ") and watch the Payments API box; ",
                }}
                <kbd>{"→"}</kbd>{" steps one event. Click a consumer to crash it, change the settings, and watch the outcome counters."}
            </p>
            <p class={classes!("notice", notice.map(|n| if n.error { "notice-error" } else { "notice-ok" }))} role="status" aria-live="polite">
                { notice.map(|n| n.text.clone()).unwrap_or_default() }
            </p>
        </div>
    }
}
