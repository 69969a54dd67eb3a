//! The event log: the newest journal entries in plain words, newest first, filterable by category
//! and "notable only". Lines are formatted once by [`super::journal_text::LogBuffer`]; this
//! component only picks a buffer and draws at most [`LOG_LINES`] keyed rows.

use super::journal_text::{category_index, category_label, LogLine, CATEGORIES, LOG_LINES};
use super::journey::{open_on_click, open_on_key, JourneyFinder};
use super::runtime::RtHandle;
use super::select::{Choice, Select};
use super::state::LogFilter;
use crate::sim::event::Category;
use crate::sim::MessageId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub rt: RtHandle,
    /// (run, lines seen): moves exactly when there is something new to show.
    pub version: (u64, u64),
    pub filter: LogFilter,
    pub on_category: Callback<Option<Category>>,
    pub on_notable: Callback<bool>,
    /// While the run plays only the newest [`LIVE_LINES`] lines are drawn (the box shows about
    /// sixteen); paused, all kept lines are, to scroll through.
    pub playing: bool,
    /// Show this message's journey (a line about a message was clicked).
    pub on_message: Callback<MessageId>,
}

/// Lines drawn while the run plays.
pub const LIVE_LINES: usize = 24;

#[derive(Properties, PartialEq)]
struct RowProps {
    line: LogLine,
}

/// One line. A component of its own so that lines already on screen are not redrawn when new
/// ones arrive (equal properties skip the render).
#[function_component(LogRow)]
fn log_row(props: &RowProps) -> Html {
    let line = &props.line;
    // A line about a message is a button that shows its journey (the list handles the click and
    // Enter/Space).
    html! {
        <li class={classes!("log-line", line.tone.class(), line.notable.then_some("notable"))} data-msg={line.msg.map(|m| m.0.to_string())}>
            <span class="log-time">{line.time.to_string()}</span>
            <span class={classes!("log-cat", format!("cat-{}", category_index(line.category)))}>{category_label(line.category)}</span>
            // The same element either way, so a row reused for another line is patched, not rebuilt.
            <span class={classes!("log-text", line.msg.map(|_| "log-open"))} role={line.msg.map(|_| "button")}
                tabindex={line.msg.map(|_| "0")} title={line.msg.map(|_| "Show this message's journey")}>{line.text.clone()}</span>
        </li>
    }
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let rt = props.rt.0.borrow();
    let log = &rt.log;
    let f = props.filter;
    let lines: Vec<&LogLine> = match (f.notable_only, f.category) {
        (false, None) => log.all.iter().rev().collect(),
        (false, Some(c)) => log.by_category[category_index(c)].iter().rev().collect(),
        (true, None) => log.notable.iter().rev().collect(),
        (true, Some(c)) => log.notable.iter().rev().filter(|l| l.category == c).collect(),
    };
    let limit = if props.playing { LIVE_LINES } else { LOG_LINES };
    let shown = lines.len().min(limit);

    let on_cat = {
        let cb = props.on_category.clone();
        Callback::from(move |v: String| {
            let c = CATEGORIES.iter().find(|(_, label)| label.eq_ignore_ascii_case(&v)).map(|(c, _)| *c);
            cb.emit(c);
        })
    };
    let on_notable = {
        let cb = props.on_notable.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let on_click = open_on_click(&props.on_message);
    let on_key = open_on_key(&props.on_message);
    let cat_value = f.category.map(category_label).unwrap_or("all");

    html! {
        <section class="panel log" aria-labelledby="log-h">
            <div class="log-head">
                <h2 id="log-h">{"Event log"}</h2>
                <div class="log-filters">
                    <label for="log-category" class="sr-only">{"Category"}</label>
                    <Select id="log-category" aria_label="Show events of category" title="Filter the log by category" onchange={on_cat} value={cat_value}
                        choices={std::iter::once(Choice::new("all", "All categories")).chain(CATEGORIES.iter().map(|(_, label)| Choice::new(*label, *label))).collect::<Vec<_>>()} />
                    <label class="check" title="Only duplicates, losses, crashes, dead letters and producer duplicates">
                        <input id="log-notable" type="checkbox" checked={f.notable_only} onchange={on_notable} aria-label="Notable events only" />
                        {"Notable only"}
                    </label>
                    <span class="log-count" aria-live="off">
                        { if props.playing { format!("newest {shown} · pause to scroll back through {LOG_LINES}") } else { format!("{shown} shown (newest {LOG_LINES} kept)") } }
                    </span>
                </div>
            </div>
            <JourneyFinder on_message={props.on_message.clone()} />
            if lines.is_empty() {
                <p class="log-empty">{ if f.notable_only { "Nothing notable yet: no duplicates, losses, crashes or dead letters so far." } else { "No events yet. Press Play (or Space) to start the run." } }</p>
            } else {
                // Focusable, so keyboard users can scroll it (lines without a message have no button).
                <ol class="log-lines" tabindex="0" aria-label="Recent events, newest first" onclick={on_click} onkeydown={on_key}>
                    // While playing, every refresh brings a screenful of new lines: rows keyed by
                    // position are updated in place instead of being created and removed. Paused
                    // (stepping adds a line or two), rows keyed by line just shift.
                    { for lines.iter().take(limit).enumerate().map(|(i, l)| {
                        let key = if props.playing { i as u64 } else { l.seq };
                        html! { <LogRow key={key} line={(*l).clone()} /> }
                    }) }
                </ol>
            }
        </section>
    }
}
