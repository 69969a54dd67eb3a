//! "Export as code": the run's scenario, with its live settings, as a real client's configuration
//! and handler skeleton (`crate::export`) in the library the learner picks, read-only with a Copy
//! button; beside it the settings the code used, each a button that focuses the setting's control
//! in the settings panel (`[data-setting=PATH]`), opening the drawer first on narrow screens.
//!
//! The panel only reads the run. Its redraw key is the run and its commands: a setting changes
//! only through a command or a new run.

use super::dom::{copy_text, focus_element};
use super::runtime::RtHandle;
use super::state::{Action, State};
use crate::export::{export, Target, Used};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub rt: RtHandle,
    /// Redraw key: the run and how many commands it has had.
    pub version: (u64, usize),
    /// The page's state, to open the settings drawer before focusing a control in it.
    pub page: UseReducerDispatcher<State>,
    pub settings_open: bool,
}

#[function_component(ExportPanel)]
pub fn export_panel(props: &ExportProps) -> Html {
    let target = use_state_eq(|| Target::ConfluentKafka);
    let said = use_state_eq(String::new);
    let exported = export(&props.rt.0.borrow().scenario_with_live_settings(), *target);
    let on_target = {
        let (target, said) = (target.clone(), said.clone());
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(t) = Target::parse(&name) {
                target.set(t);
                said.set(String::new());
            }
        })
    };
    let on_copy = {
        let (code, said) = (exported.code.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let said = said.clone();
            copy_text(&code, move |ok| {
                said.set(if ok { "Copied." } else { "Could not copy: select the code and copy it yourself." }.into())
            });
        })
    };
    let scenario = props.rt.0.borrow().base.name.clone();
    html! {
        <section class="panel export" aria-labelledby="export-h">
            <h2 id="export-h">{"Export as code"}</h2>
            <p class="panel-note">{"The scenario as a real service would run it: its client configuration and a handler skeleton, with the settings as they are now. Each line a setting decided names the setting and says why; the list beside the code takes you to each setting's control."}</p>
            <div class="rx-form">
                <label>{"Library "}
                    <select id="export-target" onchange={on_target}>
                        { for Target::ALL.iter().map(|t| html! { <option value={t.name()} selected={*t == *target}>{t.label()}</option> }) }
                    </select>
                </label>
                <button id="export-copy" class="btn" type="button" onclick={on_copy}>{"Copy"}</button>
                <span class="export-said" role="status" data-testid="export-said">{(*said).clone()}</span>
            </div>
            <div class="export-body">
                <div class="export-scroll" role="region" tabindex="0" aria-label={format!("{} code for {scenario}", target.name())}>
                    <pre class="export-code" data-testid="export-code" data-target={target.name()}><code>{exported.code.clone()}</code></pre>
                </div>
                { used_list(&exported.settings, props, &said) }
            </div>
        </section>
    }
}

/// The settings the code used, one button each (in the order of their first line), with the
/// lines each decided.
fn used_list(used: &[Used], props: &ExportProps, said: &UseStateHandle<String>) -> Html {
    let mut rows: Vec<(&'static str, &str, Vec<usize>)> = Vec::new();
    for u in used {
        match rows.iter_mut().find(|(path, _, _)| *path == u.path) {
            Some((_, _, lines)) => lines.push(u.line),
            None => rows.push((u.path, &u.what, vec![u.line])),
        }
    }
    let items = rows.into_iter().map(|(path, what, lines)| {
        let (page, open, said) = (props.page.clone(), props.settings_open, said.clone());
        let onclick = Callback::from(move |_: MouseEvent| go_to_setting(path, &page, open, &said));
        let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
        let at = if lines.len() == 1 { "line" } else { "lines" };
        html! {
            <li>
                <button type="button" class="link-button export-setting" data-path={path} {onclick}
                    title={format!("Go to the control of {path}")}>{what.to_string()}</button>
                <span class="help">{format!(" {path}, {at} {}", lines.join(", "))}</span>
            </li>
        }
    });
    html! {
        <div class="export-settings">
            <h3 id="export-settings-h">{"Settings used"}</h3>
            <ul aria-labelledby="export-settings-h" data-testid="export-settings">{ for items }</ul>
        </div>
    }
}

/// Focuses the control of `path` in the settings panel (or the first control of its field, if it
/// is disabled). On narrow screens the panel is a drawer: it is opened first, and the control
/// focused once it shows.
fn go_to_setting(path: &'static str, page: &UseReducerDispatcher<State>, open: bool, said: &UseStateHandle<String>) {
    let narrow = web_sys::window()
        .and_then(|w| w.match_media("(max-width: 1099px)").ok().flatten())
        .is_some_and(|m| m.matches());
    if narrow && !open {
        page.dispatch(Action::ToggleSettings);
        let said = said.clone();
        // After the drawer's own focus move (to its Close button) and its slide-in.
        let later = wasm_bindgen::closure::Closure::once_into_js(move || focus_control(path, &said));
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 250);
        }
        return;
    }
    focus_control(path, said);
}

fn focus_control(path: &str, said: &UseStateHandle<String>) {
    let document = web_sys::window().and_then(|w| w.document());
    let control = document.and_then(|d| d.query_selector(&format!("[data-setting=\"{path}\"]")).ok().flatten());
    let Some(control) = control else {
        said.set(format!(
            "The control of {path} is not on the page now (a lesson locks the settings, or the broker hides it)."
        ));
        return;
    };
    let enabled = |el: &web_sys::Element| !el.has_attribute("disabled");
    let target = if enabled(&control) {
        Some(control)
    } else {
        let field = control.closest(".field").ok().flatten();
        field.and_then(|f| f.query_selector("input:not([disabled]), select:not([disabled])").ok().flatten())
    };
    match target {
        Some(el) => {
            focus_element(&el);
            said.set(String::new());
        }
        None => said.set(format!("The control of {path} is disabled now.")),
    }
}
