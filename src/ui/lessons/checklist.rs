//! A lesson's checklist as the panel draws it: live (each check's metric on the run now against
//! its target) and judged (a challenge's result: the value at the end, and for a check that must
//! hold at every second, when it first failed). Each item says ✓ or ✗ in words too, for screen
//! readers.

use crate::sim::kernel::numfmt::plain;
use crate::sim::lessons::check::{metric, report_json, Judged};
use crate::sim::lessons::lesson::{Check, Lesson, When};
use crate::sim::Simulation;
use yew::prelude::*;

/// Each check's metric on `sim` now, goal first, then guards (`None`: the report has no such
/// number, a mistake in the lesson).
pub fn evaluate(sim: &Simulation, lesson: &Lesson) -> Vec<Option<f64>> {
    let report = report_json(sim);
    lesson.goal.iter().chain(&lesson.guards).map(|c| metric(&report, c).ok()).collect()
}

fn mark(holds: bool) -> Html {
    html! {
        <>
            <span class="check-mark" aria-hidden="true">{ if holds { "✓" } else { "✗" } }</span>
            <span class="sr-only">{ if holds { "Met: " } else { "Not met: " } }</span>
        </>
    }
}

/// One live item.
fn live_item(check: &Check, now: Option<f64>, kind: &'static str) -> Html {
    let holds = now.is_some_and(|v| check.op.holds(v, check.value));
    let now_text = now.map_or_else(|| "no such number".to_string(), plain);
    let every = if check.when == When::Always { ", at every second" } else { "" };
    html! {
        <li class={classes!("check", if holds { "is-met" } else { "is-unmet" })} data-testid={kind} data-holds={holds.to_string()}>
            { mark(holds) }
            <span class="check-name">{check.name.clone()}</span>
            <span class="check-value">{format!("now {now_text}, wanted {} {}{every}", check.op.as_str(), plain(check.value))}</span>
        </li>
    }
}

/// The goal and the guards, live; `values` as [`evaluate`] gives them.
pub fn live(lesson: &Lesson, values: &[Option<f64>]) -> Html {
    let n = lesson.goal.len();
    let goal =
        lesson.goal.iter().enumerate().map(|(i, c)| live_item(c, values.get(i).copied().flatten(), "lesson-goal"));
    let guards = lesson
        .guards
        .iter()
        .enumerate()
        .map(|(i, c)| live_item(c, values.get(n + i).copied().flatten(), "lesson-guard"));
    html! {
        <>
            <h3>{"Goal"}</h3>
            <ul class="checklist">{ for goal }</ul>
            if !lesson.guards.is_empty() {
                <h3>{"Guards"}</h3>
                <p class="help">{"They must hold too, so the goal is not met the trivial way."}</p>
                <ul class="checklist">{ for guards }</ul>
            }
        </>
    }
}

/// A challenge's checklist.
pub fn judged(checks: &[Judged]) -> Html {
    let items = checks.iter().map(|j| {
        let when = j.failed_at_ms.map(|ms| format!("; first failed at {} s", plain(ms as f64 / 1_000.0))).unwrap_or_default();
        let kind = if j.guard { "guard: " } else { "" };
        html! {
            <li class={classes!("check", if j.holds { "is-met" } else { "is-unmet" })} data-testid="judged-check" data-holds={j.holds.to_string()}>
                { mark(j.holds) }
                <span class="check-name">{format!("{kind}{}", j.name)}</span>
                <span class="check-value">{format!("{} at the end, wanted {} {}{when}", plain(j.actual), j.op, plain(j.expected))}</span>
            </li>
        }
    });
    html! { <ul class="checklist">{ for items }</ul> }
}
