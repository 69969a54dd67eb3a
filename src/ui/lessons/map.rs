//! The lesson map: the thirteen tracks in the guide's order, each with its lessons (title, mode,
//! ✓ when passed in this browser), and a lesson's intro with its Start button. It sits at the
//! top of the page's content rather than over it, so nothing behind it needs to be made inert;
//! opening it, or moving between the list and an intro, puts the focus on its heading.

use super::session::LessonAction;
use super::view::{LessonUi, LessonUiAction, Map};
use crate::sim::lessons::lesson::{Lesson, Mode, Track};
use crate::ui::run::RunAction;
use std::rc::Rc;
use yew::prelude::*;

/// What a mode asks of the learner, in a few words.
pub fn mode_help(mode: Mode) -> &'static str {
    match mode {
        Mode::Fix => "make the goal hold",
        Mode::Break => "make the failure happen",
        Mode::Observe => "do what it says and watch",
        Mode::Detective => "find the cause from the metrics, then fix it",
    }
}

/// A lesson's mode as a small badge (its word, never its colour alone).
pub fn mode_badge(mode: Mode) -> Html {
    html! { <span class={classes!("mode-badge", format!("mode-{}", mode.as_str()))}>{mode.as_str()}</span> }
}

#[derive(Properties, PartialEq)]
pub struct MapProps {
    pub ui: UseReducerHandle<LessonUi>,
    pub on_run: Callback<RunAction>,
}

#[function_component(LessonMap)]
pub fn lesson_map(props: &MapProps) -> Html {
    let heading = use_node_ref();
    let key = match &props.ui.map {
        Map::Intro(l) => l.id.clone(),
        _ => String::new(),
    };
    {
        let heading = heading.clone();
        use_effect_with(key, move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let close = {
        let d = props.ui.dispatcher();
        Callback::from(move |()| {
            d.dispatch(LessonUiAction::CloseMap);
            focus_by_id("btn-lessons");
        })
    };
    // Escape closes the map too, from anywhere inside it.
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let on_close = close.reform(|_: MouseEvent| ());
    let body = match &props.ui.map {
        Map::Intro(lesson) => intro(lesson, &heading, props),
        _ => list(&heading, props),
    };
    html! {
        <section id="lesson-map" class="panel lesson-map" aria-labelledby="lesson-map-h" {onkeydown}>
            { body }
            <button type="button" class="btn btn-small lesson-map-close" id="btn-lessons-close" onclick={on_close}>{"Close"}</button>
        </section>
    }
}

/// Focuses the element with this id, if it is there.
pub fn focus_by_id(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        crate::ui::dom::focus_element(&el);
    }
}

fn list(heading: &NodeRef, props: &MapProps) -> Html {
    let ui = &props.ui;
    let c = &ui.catalogue;
    let passed = c.lessons.iter().filter(|l| ui.done.contains(&l.id)).count();
    let tracks = Track::ALL.iter().enumerate().map(|(i, track)| {
        let items: Html =
            c.in_track(*track).map(|l| item(l, ui.done.contains(&l.id), &props.ui.dispatcher())).collect();
        let empty = c.in_track(*track).next().is_none();
        html! {
            <li class="track" data-track={track.id()}>
                <h3>{format!("{}. {}", i + 1, track.title())}</h3>
                if empty { <p class="help">{"No lesson yet."}</p> } else { <ul class="lesson-list">{items}</ul> }
            </li>
        }
    });
    html! {
        <>
            <h2 id="lesson-map-h" ref={heading.clone()} tabindex="-1">{"Lessons"}</h2>
            <p class="panel-note" data-testid="lesson-progress">
                {format!("{passed} of {} passed. Each lesson starts a run, tells you what to fix, break, watch or diagnose, and judges your run by replaying it.", c.lessons.len())}
            </p>
            if !c.unreadable.is_empty() {
                <p class="help">{format!("Not readable yet: {}.", c.unreadable.join(", "))}</p>
            }
            <ol class="tracks">{ for tracks }</ol>
        </>
    }
}

fn item(lesson: &Rc<Lesson>, done: bool, dispatch: &UseReducerDispatcher<LessonUi>) -> Html {
    let onclick = {
        let (d, l) = (dispatch.clone(), lesson.clone());
        Callback::from(move |_: MouseEvent| d.dispatch(LessonUiAction::Choose(l.clone())))
    };
    html! {
        <li>
            <button type="button" class={classes!("lesson-item", done.then_some("is-done"))} data-lesson={lesson.id.clone()} {onclick}>
                <span class="lesson-done" aria-hidden="true">{ if done { "✓" } else { "" } }</span>
                <span class="lesson-title">{lesson.title.clone()}</span>
                { mode_badge(lesson.mode) }
                if done { <span class="sr-only">{", passed"}</span> }
            </button>
        </li>
    }
}

fn intro(lesson: &Rc<Lesson>, heading: &NodeRef, props: &MapProps) -> Html {
    let start = {
        let (d, l, on_run) = (props.ui.dispatcher(), lesson.clone(), props.on_run.clone());
        Callback::from(move |_: MouseEvent| {
            on_run.emit(RunAction::Lesson(LessonAction::Start(l.clone())));
            d.dispatch(LessonUiAction::Started);
        })
    };
    let back = {
        let d = props.ui.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(LessonUiAction::BackToList))
    };
    let done = props.ui.done.contains(&lesson.id);
    html! {
        <>
            <h2 id="lesson-map-h" ref={heading.clone()} tabindex="-1">{lesson.title.clone()}</h2>
            <p class="lesson-meta">{lesson.track.title()}{" · "}{ mode_badge(lesson.mode) }{" "}{mode_help(lesson.mode)}
                if done { {" · ✓ passed"} }</p>
            <div class="lesson-intro">{ for lesson.intro.iter().map(|p| html! { <p>{p.clone()}</p> }) }</div>
            <div class="lesson-buttons">
                <button type="button" class="btn btn-primary" id="btn-lesson-start" onclick={start}>{"Start"}</button>
                <button type="button" class="btn" id="btn-lesson-back" onclick={back}>{"All lessons"}</button>
            </div>
        </>
    }
}
