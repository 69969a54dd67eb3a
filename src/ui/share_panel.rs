//! The share panel: a link to the run on screen (its scenario, seed, commands and instant, its
//! lesson and its comparison's lanes: opening it shows this run to the bit), and the scenario as
//! JSON: downloaded or copied, and imported from a file or pasted text, with the field that is
//! wrong named when it does not parse.

use super::dom::{copy_text, page_url, read_chosen_file};
use super::run::RunAction;
use super::runtime::RtHandle;
use super::share_run::link;
use crate::sim::scenario::Scenario;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub rt: RtHandle,
    /// Redraw key: (run, commands accepted, the run's instant).
    pub version: (u64, usize, u64),
    pub on_run: Callback<RunAction>,
    pub on_close: Callback<()>,
}

/// What the last copy or import said: (text, is an error).
type Said = UseStateHandle<Option<(String, bool)>>;

#[function_component(SharePanel)]
pub fn share_panel(props: &ShareProps) -> Html {
    let copied: Said = use_state(|| None);
    let imported: Said = use_state(|| None);
    let pasted = use_state(String::new);
    let rt = props.rt.0.borrow();
    let url = link(&rt, &page_url());
    let at_s = rt.sim.now().as_us() as f64 / 1e6;
    let scenario = rt.scenario_with_live_settings();
    let json = scenario.to_json();
    let file = format!("{}.json", scenario.name);
    let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&json));
    let n = rt.sim.commands().len();
    let hash = rt.sim.trace_hash().hex();
    drop(rt);
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="panel share" aria-labelledby="share-h">
            <div class="share-head">
                <h2 id="share-h">{"Share this run"}</h2>
                <button class="btn" type="button" id="share-close" onclick={on_close}>{"Close"}</button>
            </div>
            <p class="panel-note">{format!("The link holds the scenario, its seed, the {n} command(s) the run took and where it stands ({at_s:.3} s). Opened with this version of EDA Lab, in any browser, it rebuilds this very run (trace hash {hash}): nothing is sent anywhere, the run is in the link.")}</p>
            <div class="share-row">
                <label for="share-link">{"Link"}</label>
                <input id="share-link" class="mono" type="text" readonly=true value={url.clone()} onfocus={Callback::from(select_all)} />
                <button class="btn" type="button" id="share-copy" onclick={copy_click(url, &copied, "Link copied.")}>{"Copy link"}</button>
            </div>
            { said(&copied, "share-said") }
            <h3>{"Scenario as JSON"}</h3>
            <p class="panel-note">{"The scenario with the settings as they are now (faults and seed included), the file "}<span class="mono">{"eda-lab run --scenario"}</span>{" reads."}</p>
            <div class="share-row">
                <a class="btn" id="export-download" download={file} href={href}>{"Download JSON"}</a>
                <button class="btn" type="button" id="export-copy" onclick={copy_click(json, &copied, "Scenario JSON copied.")}>{"Copy JSON"}</button>
            </div>
            { import_form(&pasted, &imported, &props.on_run) }
        </section>
    }
}

/// The import half: a file or pasted JSON becomes the run, or the error names the field.
fn import_form(pasted: &UseStateHandle<String>, imported: &Said, on_run: &Callback<RunAction>) -> Html {
    let on_input = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| pasted.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_load = {
        let (pasted, imported, on_run) = (pasted.clone(), imported.clone(), on_run.clone());
        Callback::from(move |_: MouseEvent| load(&pasted, &imported, &on_run))
    };
    let on_file = {
        let (pasted, imported, on_run) = (pasted.clone(), imported.clone(), on_run.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let (pasted, imported, on_run) = (pasted.clone(), imported.clone(), on_run.clone());
            read_chosen_file(&input, move |text| match text {
                Ok(text) => {
                    pasted.set(text.clone());
                    imported.set(Some(import(&text, &on_run)));
                }
                Err(why) => imported.set(Some((format!("Not imported: {why}."), true))),
            });
        })
    };
    let failed = imported.as_ref().is_some_and(|(_, e)| *e);
    html! {
        <>
            <h3>{"Import a scenario"}</h3>
            <div class="share-row">
                <label for="import-file">{"From a file"}</label>
                <input id="import-file" type="file" accept=".json,application/json" onchange={on_file} />
            </div>
            <label for="import-json">{"Or paste its JSON"}</label>
            <textarea id="import-json" class="mono" rows="6" value={(**pasted).clone()} oninput={on_input}
                aria-invalid={failed.to_string()} aria-describedby="import-said" />
            <div class="share-row">
                <button class="btn" type="button" id="import-load" onclick={on_load}>{"Load scenario"}</button>
            </div>
            { said(imported, "import-said") }
        </>
    }
}

fn load(pasted: &UseStateHandle<String>, imported: &Said, on_run: &Callback<RunAction>) {
    imported.set(Some(import(pasted, on_run)));
}

/// Parses `text` as a scenario: on success it becomes the run; what to say either way.
fn import(text: &str, on_run: &Callback<RunAction>) -> (String, bool) {
    match Scenario::from_json(text) {
        Ok(s) => {
            let name = s.name.clone();
            on_run.emit(RunAction::Import(Box::new(s)));
            (format!("Imported “{name}”."), false)
        }
        Err(e) => (format!("Not imported: {e}."), true),
    }
}

fn said(state: &Said, id: &'static str) -> Html {
    let (text, error) = state.as_ref().cloned().unwrap_or_default();
    html! {
        <p {id} class={classes!("share-said", error.then_some("notice-error"))} role={if error { "alert" } else { "status" }}>{text}</p>
    }
}

fn copy_click(text: String, state: &Said, ok: &'static str) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_: MouseEvent| {
        let state = state.clone();
        copy_text(&text, move |copied| {
            state.set(Some(match copied {
                true => (ok.to_string(), false),
                false => ("The browser did not allow copying: select the text and copy it yourself.".into(), true),
            }))
        });
    })
}

fn select_all(e: FocusEvent) {
    e.target_unchecked_into::<HtmlInputElement>().select();
}
