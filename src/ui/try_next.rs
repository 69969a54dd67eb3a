//! "Try this next", under the intro outside lessons: for the scenario on screen, the lessons built
//! on it (each button starts one, as the lesson map's Start does) and the next built-in scenario
//! on a learning path, with what it adds. A learner who arrives on the default scenario and plays
//! it once then has somewhere to go without opening the lesson map.

use super::lessons::view::{LessonUi, LessonUiAction};
use super::lessons::LessonAction;
use super::run::RunAction;
use crate::sim::builtins::{summary, ALIASES};
use crate::sim::lessons::lesson::{Lesson, Track};
use std::rc::Rc;
use yew::prelude::*;

/// Every built-in scenario once, in the order of the lesson map's tracks (the guide's sections):
/// publish-subscribe, streaming and queuing, partitions, routing, the delivery guarantees,
/// idempotency, retries, poison messages, breakers, then the patterns. The path is a loop, so a
/// learner who starts on the default scenario (in the middle) still reaches the first ones. Each
/// scenario comes with one sentence on what it adds.
const PATH: &[(&str, &str)] = &[
    (
        "pubsub-fanout",
        "A fanout exchange gives each of three subscribers its own copy of every order, read at its own pace.",
    ),
    (
        "consumer-groups",
        "Publish-subscribe on the log: three consumer groups each read every record and commit their own offsets.",
    ),
    (
        "stream-replay",
        "A service that starts late replays the topic from its first record: the log keeps what it delivered.",
    ),
    (
        "stream-vs-queue",
        "The same late start on both brokers: the topic replays the past, a new queue gets only new messages.",
    ),
    (
        "work-queue",
        "Three consumers compete for one RabbitMQ queue; a crash after the charge, before the ack, charges twice.",
    ),
    (
        "hot-key",
        "One key carries 80% of the events, so one partition and its consumer fall behind while the others idle.",
    ),
    ("retention", "Retention deletes whole segments before a slow consumer has read them."),
    (
        "offset-reset",
        "A consumer crashes before its first commit: under auto.offset.reset=latest, the next owner skips the past.",
    ),
    ("topic-routing", "A topic exchange routes by routing-key patterns, and drops what no binding matches."),
    (
        "headers-routing",
        "A headers exchange matches message headers instead of the routing key, with x-match all or any.",
    ),
    ("at-least-once", "Commit after processing: a crash after the charge, before the commit, charges twice."),
    ("at-most-once", "Commit before processing: a crash after the commit, before the charge, loses the message."),
    ("auto-commit", "A timer commits past what was handed to the app, processed or not: a crash duplicates or loses."),
    ("auto-ack-loss", "RabbitMQ's auto-ack deletes a message as it is delivered: a crash before the charge loses it."),
    ("producer-retries", "Lost acknowledgements make a producer without idempotence write duplicates to the log."),
    (
        "idempotent-producer",
        "The idempotent producer: the broker drops the producer's own resends by producer id and sequence number.",
    ),
    (
        "publisher-confirms",
        "Lost RabbitMQ publisher confirms make the publisher publish again, and both copies are charged.",
    ),
    ("acks-0", "Three replicated brokers and acks=0: a broker crash loses writes the producer never hears about."),
    ("acks-1-failover", "With acks=1, writes a leader acknowledged but had not yet copied are lost when it fails."),
    ("acks-all-min-isr", "With acks=all and min.insync.replicas 2, two broker crashes lose nothing acknowledged."),
    (
        "exactly-once-pipeline",
        "Kafka transactions commit output records and input offsets together: a read_committed reader sees each once.",
    ),
    ("eos-external-effect", "A card charge is outside the transaction: a crash before the commit charges twice."),
    ("outbox", "The outbox pattern: an order and its event are saved in one transaction, then relayed to the broker."),
    (
        "dedup-check-then-act",
        "A dedup store checked before the charge and marked after it: a crash in between still duplicates.",
    ),
    ("dedup-atomic", "The charge and the dedup mark in one local database transaction: no more duplicates."),
    ("natural-idempotency", "A SET instead of an ADD: applying an event twice changes nothing."),
    ("versioning", "Per-key versions ignore redeliveries, but also retried events that come back after newer ones."),
    (
        "idempotency-unique-constraint",
        "A unique constraint on the event id rolls back a second charge, however late it comes.",
    ),
    ("retries-dlq", "Retries in place block a partition, lag grows, and failures end in the dead-letter queue."),
    ("retry-storm", "Sixteen consumers back off in step after an outage; jitter spreads their retries."),
    ("poison-pill", "Messages that always fail are retried for ever and stall their partitions."),
    ("dlq-redrive", "Dead-lettered messages are redriven after the fix, and each is charged once."),
    (
        "queue-dlx",
        "A RabbitMQ dead-letter exchange takes dropped, expired and rejected messages, each with its reason.",
    ),
    ("circuit-breaker", "A circuit breaker opens while the payments API is down and closes once test calls succeed."),
    (
        "event-sourced-bank",
        "Event sourcing: accounts as streams of events, and projections that lag and can be rebuilt.",
    ),
    ("cqrs-shop", "CQRS: a write side and read models that scale apart, and reads that can be stale."),
    (
        "schema-evolution",
        "A schema change that breaks the consumers, and a registry compatibility mode that refuses it.",
    ),
];

/// Lessons shown at most; with a next scenario the three suggestions are two lessons and it.
const MAX_SUGGESTIONS: usize = 3;

/// The suggestions for `scenario`, or nothing during a lesson (its panel says what to do). A plain
/// function, as `intro`: it has no state of its own. `lessons` gives the parsed catalogue (read
/// once per page, as the lesson map reads it) and the lessons passed in this browser.
pub fn try_next(
    scenario: &str,
    lessons: &UseReducerHandle<LessonUi>,
    on_run: &Callback<RunAction>,
    in_lesson: bool,
) -> Html {
    if in_lesson {
        return Html::default();
    }
    let next = next_scenario(scenario);
    let room = MAX_SUGGESTIONS - usize::from(next.is_some());
    let picks = lessons_for(lessons, scenario, room);
    if picks.is_empty() && next.is_none() {
        return Html::default();
    }
    html! {
        <div class="try-next" data-testid="try-next">
            <p class="try-next-label" id="try-next-label">{"Try this next:"}</p>
            <ul class="try-next-list" aria-labelledby="try-next-label">
                { for picks.into_iter().map(|l| lesson_button(l, lessons, on_run)) }
                if let Some((name, adds)) = next { { scenario_button(name, adds, on_run) } }
            </ul>
        </div>
    }
}

/// The built-in scenario after `scenario` on the path and what it adds; none for a custom one.
fn next_scenario(scenario: &str) -> Option<(&'static str, &'static str)> {
    let name = canonical(scenario)?;
    let at = PATH.iter().position(|(n, _)| *n == name)?;
    Some(PATH[(at + 1) % PATH.len()])
}

/// A built-in's own name (an alias stands for one), or none for a custom scenario.
fn canonical(scenario: &str) -> Option<&str> {
    summary(scenario)?;
    Some(ALIASES.iter().find(|(alias, _)| *alias == scenario).map_or(scenario, |&(_, n)| n))
}

/// Up to `room` lessons on `scenario` in the lesson map's order, those not yet passed first; for
/// a custom scenario, the map's first lesson (the course starts there).
fn lessons_for(ui: &LessonUi, scenario: &str, room: usize) -> Vec<(Rc<Lesson>, bool)> {
    let name = canonical(scenario);
    let found = Track::ALL
        .iter()
        .flat_map(|t| ui.catalogue.in_track(*t))
        .filter(|l| name.is_none_or(|n| l.scenario == n))
        .take(if name.is_some() { usize::MAX } else { 1 })
        .map(|l| (l.clone(), ui.done.contains(&l.id)));
    let (mut picks, passed): (Vec<_>, Vec<_>) = found.partition(|(_, passed)| !passed);
    picks.extend(passed);
    picks.truncate(room);
    picks
}

/// Starts the lesson as the map's Start does: the lesson run first, then the map closes and any
/// hints or result of an earlier lesson go.
fn lesson_button(
    (lesson, passed): (Rc<Lesson>, bool),
    ui: &UseReducerHandle<LessonUi>,
    on_run: &Callback<RunAction>,
) -> Html {
    let id = lesson.id.clone();
    let title = lesson.title.clone();
    let onclick = {
        let (d, on_run) = (ui.dispatcher(), on_run.clone());
        Callback::from(move |_: MouseEvent| {
            on_run.emit(RunAction::Lesson(LessonAction::Start(lesson.clone())));
            d.dispatch(LessonUiAction::Started);
        })
    };
    html! {
        <li>
            <button type="button" class="btn btn-small" data-try-lesson={id} {onclick}>
                {"Lesson: "}{title}
                if passed { {" (passed)"} }
            </button>
        </li>
    }
}

/// Loads the next scenario on the path, keeping the seed, as the scenario picker does.
fn scenario_button(name: &'static str, adds: &'static str, on_run: &Callback<RunAction>) -> Html {
    let onclick = on_run.reform(move |_: MouseEvent| RunAction::LoadScenario(name.to_string()));
    html! {
        <li>
            <button type="button" class="btn btn-small" data-try-scenario={name} {onclick}>{"Next scenario: "}{name}</button>
            <span class="try-next-why">{adds}</span>
        </li>
    }
}
