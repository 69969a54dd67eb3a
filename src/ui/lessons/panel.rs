//! The lesson panel, at the top of the page while a lesson is on: its title and mode, the goal and
//! guards as a live checklist, the controls the lesson unlocks, hints one at a time, and the
//! buttons: Run challenge (replay the lesson's start with the learner's commands and judge it,
//! `check::attempt`), Show solution, Reset and Leave. A passed challenge is saved as progress.
//!
//! The live checklist reads the run's whole report, so it is computed only when its redraw key
//! moves (`session::live_key`: a few times a second while playing), never on every frame.

use super::checklist::{self, evaluate};
use super::controls::{lesson_actions, AllowedSettings, Extent};
use super::map::{focus_by_id, mode_badge, mode_help};
use super::progress;
use super::session::LessonAction;
use super::view::{Challenge, LessonUi, LessonUiAction};
use crate::sim::kernel::numfmt::plain;
use crate::sim::lessons::check;
use crate::sim::lessons::lesson::Lesson;
use crate::ui::run::RunAction;
use crate::ui::runtime::RtHandle;
use crate::ui::settings::Settings;
use crate::ui::sourcing_panel::view_name;
use crate::ui::state::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub rt: RtHandle,
    pub lesson: Rc<Lesson>,
    /// The live checklist's redraw key.
    pub live_key: (u64, u64),
    pub showing_solution: bool,
    pub ui: UseReducerHandle<LessonUi>,
    pub settings: Settings,
    pub on_run: Callback<RunAction>,
    pub page: UseReducerDispatcher<State>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &PanelProps) -> Html {
    let lesson = &props.lesson;
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(lesson.id.clone(), move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let values = {
        let (rt, lesson) = (props.rt.clone(), lesson.clone());
        use_memo((props.live_key, lesson.id.clone()), move |_| evaluate(&rt.0.borrow().sim, &lesson))
    };
    html! {
        <section id="lesson-panel" class="panel lesson-panel" aria-labelledby="lesson-h">
            <h2 id="lesson-h" ref={heading} tabindex="-1">{"Lesson: "}{lesson.title.clone()}</h2>
            <p class="lesson-meta">{lesson.track.title()}{" · "}{ mode_badge(lesson.mode) }{" "}{mode_help(lesson.mode)}</p>
            <p class="panel-note">{format!("Run challenge replays the lesson from its start with your commands for {} s of sim time and judges the end. The checklist shows the run now.", plain(lesson.until_ms as f64 / 1_000.0))}</p>
            <div class="lesson-grid">
                <div class="lesson-main">
                    { checklist::live(lesson, &values) }
                    { hints(lesson, props.ui.hints, &props.ui) }
                    { buttons(props) }
                    if props.showing_solution {
                        <p class="help" data-testid="solution-playing">{"Playing the solution: its commands apply at their times."}</p>
                    }
                </div>
                <div class="lesson-controls">{ controls(props) }</div>
            </div>
            <div class="lesson-result" role="status" aria-live="polite" data-testid="lesson-result">
                if let Some(c) = &props.ui.result { { result(c, props) } }
            </div>
        </section>
    }
}

/// What the lesson unlocks.
fn controls(props: &PanelProps) -> Html {
    let l = &props.lesson;
    let extent = {
        let r = props.rt.0.borrow();
        Extent {
            partitions: r.sim.partitions().len() as u32,
            brokers: r.sim.replication().map_or(1, |c| c.brokers()),
            versions: r.sim.scenario().schema.versions.len().max(1) as u32,
            views: match r.sim.scenario().sourcing.enabled {
                true => (0..r.sim.sourcing().views().len()).map(|k| view_name(&r.sim, k)).collect(),
                false => Vec::new(),
            },
        }
    };
    let nothing = l.allowed.is_empty() && l.actions.is_empty();
    html! {
        <>
            <h3>{"What you may change"}</h3>
            if nothing {
                <p class="help">{"Nothing: watch the run (Play, Step, Speed)."}</p>
            }
            <AllowedSettings paths={Rc::new(l.allowed.clone())} values={props.settings.values.clone()} run={props.settings.run} on_run={props.on_run.clone()} />
            { lesson_actions(&l.actions, &props.settings, &extent, &props.on_run) }
            <p class="help">{"Everything else is locked; the settings panel opens again when you leave the lesson."}</p>
        </>
    }
}

/// The hints revealed so far, and the button for the next.
fn hints(lesson: &Lesson, shown: usize, ui: &UseReducerHandle<LessonUi>) -> Html {
    let left = lesson.hints.len().saturating_sub(shown);
    let onclick = {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(LessonUiAction::ShowHint))
    };
    html! {
        <div class="lesson-hints">
            <h3>{"Hints"}</h3>
            <ol aria-live="polite">{ for lesson.hints.iter().take(shown).map(|h| html! { <li>{h.clone()}</li> }) }</ol>
            if left > 0 {
                <button type="button" class="btn btn-small" id="btn-hint" {onclick}>{format!("Show a hint ({left} left)")}</button>
            } else {
                <p class="help">{"No more hints: Show solution plays the answer."}</p>
            }
        </div>
    }
}

fn buttons(props: &PanelProps) -> Html {
    let send = |a: fn() -> LessonAction, play: bool| {
        let (on_run, ui, page) = (props.on_run.clone(), props.ui.clone(), props.page.clone());
        Callback::from(move |_: MouseEvent| {
            on_run.emit(RunAction::Lesson(a()));
            ui.dispatch(LessonUiAction::ClearResult);
            if play {
                page.dispatch(Action::Play);
            }
        })
    };
    let leave = {
        let (on_run, ui) = (props.on_run.clone(), props.ui.clone());
        Callback::from(move |_: MouseEvent| {
            on_run.emit(RunAction::Lesson(LessonAction::Leave));
            ui.dispatch(LessonUiAction::Started);
            focus_by_id("btn-lessons");
        })
    };
    html! {
        <div class="lesson-buttons">
            <button type="button" class="btn btn-primary" id="btn-challenge" onclick={challenge(props)}
                title="Replay the lesson from its start with your commands and judge the checklist">{"Run challenge"}</button>
            <button type="button" class="btn" id="btn-solution" onclick={send(|| LessonAction::ShowSolution, true)}
                title="Back to the start, then play the reference solution">{"Show solution"}</button>
            <button type="button" class="btn" id="btn-lesson-undo" onclick={send(|| LessonAction::Undo, false)}
                title="Take back your last command (the run replays without it to where it stood), or else your last setting">{"Undo"}</button>
            <button type="button" class="btn" id="btn-lesson-reset" onclick={send(|| LessonAction::Restart, false)}
                title="Back to the lesson's start: your settings and commands undone">{"Reset to the start"}</button>
            <button type="button" class="btn" id="btn-lesson-leave" onclick={leave}>{"Leave lesson"}</button>
        </div>
    }
}

/// Replays the lesson with the learner's commands so far and judges it; a pass is saved.
fn challenge(props: &PanelProps) -> Callback<MouseEvent> {
    let (rt, lesson, ui) = (props.rt.clone(), props.lesson.clone(), props.ui.clone());
    Callback::from(move |_: MouseEvent| {
        let commands = {
            let r = rt.0.borrow();
            r.lesson.as_ref().map(|s| s.commands(&r.sim)).unwrap_or_default()
        };
        let outcome = check::attempt(&lesson, &commands).map_err(|e| e.to_string());
        if outcome.as_ref().is_ok_and(|o| o.passed) {
            ui.dispatch(LessonUiAction::Done(Rc::new(progress::mark_passed(&ui.done, &lesson.id))));
        }
        ui.dispatch(LessonUiAction::Judged(Rc::new(Challenge { outcome })));
    })
}

/// The last challenge's result.
fn result(c: &Challenge, props: &PanelProps) -> Html {
    let o = match &c.outcome {
        Ok(o) => o,
        Err(e) => {
            return html! { <><h3>{"The challenge could not be judged"}</h3><p>{e.clone()}</p></> };
        }
    };
    let failed: Vec<&str> = o.checks.iter().filter(|j| !j.holds).map(|j| j.name.as_str()).collect();
    let next = props.ui.catalogue.next_after(&props.lesson.id);
    let on_next = next.map(|l| {
        let ui = props.ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(LessonUiAction::Choose(l.clone())))
    });
    html! {
        <>
            <h3 class={if o.passed { "result-passed" } else { "result-failed" }}>{ if o.passed { "Challenge passed ✓" } else { "Challenge not passed ✗" } }</h3>
            <p>{ if o.passed {
                format!("Every check holds with your {} command(s) (par {}).", o.commands, o.par)
            } else {
                format!("Not met: {}.", failed.join("; "))
            } }</p>
            { checklist::judged(&o.checks) }
            if o.passed {
                <p class="lesson-success" data-testid="lesson-success">{props.lesson.success.clone()}</p>
                if let Some(onclick) = on_next {
                    <button type="button" class="btn btn-primary" id="btn-lesson-next" {onclick}>{"Next lesson"}</button>
                }
            }
        </>
    }
}
