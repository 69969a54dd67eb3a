//! The message journey: the product's question for one message. A panel with the message's id,
//! its outcome, its charges (effects) and deliveries, and every step it went through with its sim
//! time, in the words the event log and the command line use (`JourneyReport`, from the engine).
//! It follows the run while it plays. Opened by a click (or Enter/Space) on a message anywhere —
//! a moving token, a partition cell, an event-log line — or by typing its id into the finder.
//! Escape (anywhere but in the settings) or Close closes it and returns focus to what opened it.

use super::dom::focus_element;
use super::hooks::use_document_keydown;
use super::runtime::RtHandle;
use super::shapes::glyph_icon;
use crate::sim::journey::MAX_STEPS;
use crate::sim::report::{parse_message_id, JourneyReport};
use crate::sim::time::SimTime;
use crate::sim::{MessageId, Outcome};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The message a click landed on: the nearest element (or ancestor) with `data-msg` (its bare
/// number).
pub fn message_at(e: &Event) -> Option<MessageId> {
    let el: web_sys::Element = e.target_dyn_into()?;
    el.closest("[data-msg]").ok().flatten()?.get_attribute("data-msg")?.parse().ok().map(MessageId)
}

/// A click that opens the journey of the message it landed on.
pub fn open_on_click(open: &Callback<MessageId>) -> Callback<MouseEvent> {
    let open = open.clone();
    Callback::from(move |e: MouseEvent| {
        if let Some(msg) = message_at(&e) {
            open.emit(msg);
        }
    })
}

/// Enter or Space on a message opens its journey.
pub fn open_on_key(open: &Callback<MessageId>) -> Callback<KeyboardEvent> {
    let open = open.clone();
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            if let Some(msg) = message_at(&e) {
                e.prevent_default();
                open.emit(msg);
            }
        }
    })
}

/// What the panel shows, compared between renders so it redraws only when the journey moved.
#[derive(Clone, PartialEq)]
struct Shown {
    id: String,
    outcome: Option<Outcome>,
    loss_reason: Option<String>,
    duplicate_cause: Option<String>,
    duplicate_lead: &'static str,
    effects: Option<u32>,
    deliveries: Option<u32>,
    steps: Vec<(SimTime, String)>,
    dropped: u32,
    note: Option<String>,
}

impl Shown {
    fn of(r: JourneyReport) -> Shown {
        Shown {
            id: r.message,
            outcome: r.outcome,
            loss_reason: r.loss_reason,
            duplicate_cause: r.duplicate_cause,
            duplicate_lead: r.duplicate_lead,
            effects: r.effects,
            deliveries: r.deliveries,
            steps: r.steps.into_iter().map(|s| (SimTime(s.time_us), s.text)).collect(),
            dropped: r.dropped_steps,
            note: r.note,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct JourneyProps {
    pub rt: RtHandle,
    /// The run's version: the panel follows the run.
    pub version: u64,
    pub msg: MessageId,
    pub on_close: Callback<()>,
}

#[function_component(JourneyPanel)]
pub fn journey_panel(props: &JourneyProps) -> Html {
    let shown = Shown::of(JourneyReport::of(&props.rt.0.borrow().sim, props.msg));
    let heading = use_node_ref();
    use_focus_and_return(props.msg, heading.clone());
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    use_escape_closes(props.on_close.clone());
    html! {
        <section id="journey-panel" class="journey-panel" role="dialog" aria-modal="false" aria-labelledby="journey-h">
            <div class="journey-head">
                <h2 id="journey-h" ref={heading} tabindex="-1">{"Journey of "}<span class="mono">{shown.id.clone()}</span></h2>
                <button type="button" class="btn btn-small" id="btn-journey-close" onclick={on_close} title="Close the journey (Escape)">{"Close"}</button>
            </div>
            <JourneyBody {shown} />
        </section>
    }
}

/// Escape closes the journey wherever the focus is, except inside the settings panel (where it
/// closes the drawer).
#[hook]
fn use_escape_closes(on_close: Callback<()>) {
    use wasm_bindgen::JsCast;
    use_document_keydown(move |e: &KeyboardEvent| {
        let in_settings = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("#settings-panel").ok().flatten())
            .is_some();
        if e.key() == "Escape" && !in_settings {
            on_close.emit(());
        }
    });
}

#[derive(Properties, PartialEq)]
struct BodyProps {
    shown: Shown,
}

#[function_component(JourneyBody)]
fn journey_body(props: &BodyProps) -> Html {
    let s = &props.shown;
    let outcome = s.outcome.map(|o| {
        let words = match (&s.loss_reason, o) {
            (Some(reason), Outcome::Lost) => format!("lost: {reason}"),
            _ => o.label().to_string(),
        };
        html! { <p class="journey-outcome" data-testid="journey-outcome">{glyph_icon(o)}{words}</p> }
    });
    let counts = match (s.effects, s.deliveries) {
        (Some(e), Some(d)) => html! {
            <dl class="journey-counts">
                <div><dt>{"Charges (effects applied)"}</dt><dd data-testid="journey-effects">{e}</dd></div>
                <div><dt>{"Deliveries to a consumer"}</dt><dd data-testid="journey-deliveries">{d}</dd></div>
            </dl>
        },
        _ => Html::default(),
    };
    html! {
        // Focusable, so the keyboard can scroll a long journey.
        <div class="journey-body" tabindex="0" role="region" aria-label={format!("What happened to {}", s.id)}>
            { outcome.unwrap_or_default() }
            if let Some(why) = &s.duplicate_cause {
                <p class="journey-why" data-testid="journey-why-duplicated">{capitalized(s.duplicate_lead)}{" because "}{why.clone()}{"."}</p>
            }
            { counts }
            if let Some(note) = &s.note {
                <p class="journey-note" data-testid="journey-note">{format!("Nothing to show: {note}.")}</p>
            }
            if !s.steps.is_empty() {
                <ol class="journey-steps" aria-label={format!("Steps of {}, oldest first", s.id)}>
                    { for s.steps.iter().enumerate().map(|(i, (t, text))| html! {
                        <li key={i}><span class="journey-time">{t.to_string()}</span><span class="journey-text">{text.clone()}</span></li>
                    }) }
                </ol>
            }
            if s.dropped > 0 {
                <p class="journey-note" data-testid="journey-dropped">
                    {format!("… and {} more steps, not kept: a journey keeps its first {MAX_STEPS} steps.", s.dropped)}
                </p>
            }
        </div>
    }
}

/// Moves focus to the panel's heading when it opens (or shows another message), and back to what
/// opened it when it closes (to the message finder when that element is gone). What opened it is
/// what had focus outside the panel when a message was chosen.
#[hook]
fn use_focus_and_return(msg: MessageId, heading: NodeRef) {
    let opener = use_mut_ref(|| None::<web_sys::Element>);
    {
        let opener = opener.clone();
        use_effect_with((), move |_| {
            move || {
                let document = web_sys::window().and_then(|w| w.document());
                let back = opener.borrow_mut().take().filter(|el| el.is_connected());
                let target = back.or_else(|| document.and_then(|d| d.get_element_by_id("journey-search")));
                if let Some(el) = target {
                    focus_element(&el);
                }
            }
        });
    }
    use_effect_with(msg, move |_| {
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        if let Some(a) = active {
            let inside = a.closest("#journey-panel").ok().flatten().is_some();
            if !inside && !a.tag_name().eq_ignore_ascii_case("body") {
                *opener.borrow_mut() = Some(a);
            }
        }
        if let Some(h) = heading.cast::<web_sys::Element>() {
            focus_element(&h);
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct FinderProps {
    pub on_message: Callback<MessageId>,
}

/// "Show the journey of message …": an id typed as the page writes it (`evt_000123`) or a bare
/// number.
#[function_component(JourneyFinder)]
pub fn journey_finder(props: &FinderProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    let input = use_node_ref();
    let onsubmit = {
        let (error, input, on_message) = (error.clone(), input.clone(), props.on_message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            match parse_message_id(&text) {
                Ok(msg) => {
                    error.set(None);
                    on_message.emit(msg);
                }
                Err(m) => error.set(Some(m)),
            }
        })
    };
    html! {
        <form class="journey-find" role="search" aria-label="Find a message" {onsubmit}>
            <label for="journey-search">{"Message journey"}</label>
            <input ref={input} id="journey-search" type="text" inputmode="text" autocomplete="off" spellcheck="false"
                placeholder={MessageId(123).to_string()} aria-describedby={if error.is_some() { "journey-search-help journey-search-error" } else { "journey-search-help" }} aria-invalid={error.is_some().to_string()} />
            <button type="submit" class="btn btn-small" id="btn-journey">{"Show"}</button>
            if let Some(m) = (*error).clone() {
                <p class="input-error" id="journey-search-error" role="alert">{m}</p>
            }
            <p class="help" id="journey-search-help">{"Type an id (evt_000123 or 123), or click a message in the diagram or the log."}</p>
        </form>
    }
}

/// `text` with its first letter upper-case ("Charged again").
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
