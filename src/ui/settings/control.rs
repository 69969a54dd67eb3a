//! One control for one setting, drawn from its description in
//! [`SETTINGS`](crate::sim::config::settings::SETTINGS): its label, unit, one-line help and the
//! values it takes. A number field takes the description's limits, a setting that may be off ("no
//! limit") has a box for that, a choice is a picker, a flag a checkbox. Every value is checked with
//! the setting's own check before it goes anywhere; a bad one is refused with that check's words
//! and changes nothing.

use super::values::{choice_json, choice_value, parse_number, shown_number, shown_value};
use crate::sim::config::settings::{Kind, Setting};
use crate::sim::kernel::numfmt::{plain, Plain};
use crate::ui::select::{Choice, Select};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The id of a setting's control. Two keep the ids the page always had.
fn control_id(path: &str) -> String {
    match path {
        "consumers.commit" => "commit-strategy".into(),
        "idempotency.mode" => "idempotency".into(),
        _ => format!("set-{}", path.replace(['.', '_'], "-")),
    }
}

/// A value for a setting, or what is wrong with what was typed.
pub type Proposal = Result<Value, String>;

#[derive(Properties, PartialEq)]
pub struct ControlProps {
    pub setting: &'static Setting,
    /// The run's value now (`None` where it does not apply, e.g. the auto-commit interval under
    /// another commit strategy).
    pub value: Option<Value>,
    /// This control holds the panel's input error.
    pub invalid: bool,
    /// A value the user chose (to check and apply), or what was wrong with the text typed.
    pub on_propose: Callback<(&'static Setting, Proposal)>,
}

#[function_component(SettingControl)]
pub fn setting_control(props: &ControlProps) -> Html {
    let s = props.setting;
    let id = control_id(s.path);
    let help_id = format!("{id}-help");
    let described = if props.invalid { format!("{help_id} settings-input-error") } else { help_id.clone() };
    let propose = {
        let cb = props.on_propose.clone();
        Callback::from(move |p: Proposal| cb.emit((s, p)))
    };
    let absent = props.value.is_none();
    let control = match s.kind {
        Kind::Number { min, max, integer } => html! {
            <NumberInput id={id.clone()} path={s.path} {min} {max} step={if integer { "1" } else { "any" }} value={props.value.clone()}
                none={None::<&'static str>} described={described.clone()} invalid={props.invalid} {propose} label={s.label} />
        },
        Kind::Optional { min, max, none } => html! {
            <NumberInput id={id.clone()} path={s.path} {min} {max} step="1" value={props.value.clone()}
                none={Some(none)} described={described.clone()} invalid={props.invalid} {propose} label={s.label} />
        },
        Kind::Choice(choices) => choice_control(s, &id, &described, props.value.as_ref(), choices, propose),
        Kind::Flag => {
            html! { <FlagInput id={id.clone()} path={s.path} checked={props.value.as_ref().and_then(Value::as_bool).unwrap_or(false)}
            disabled={absent} described={described.clone()} {propose} /> }
        }
    };
    let unit = if s.unit.is_empty() { String::new() } else { format!(" ({})", s.unit) };
    html! {
        <div class={classes!("field", (!s.live).then_some("field-new-run"), absent.then_some("field-absent"))}>
            <label for={id.clone()}>{s.label}{unit}
                if !s.live { <span class="tag-new-run">{"new run"}</span> }
            </label>
            { control }
            <p class="help" id={help_id}>{s.help}
                if !s.live { {" Changing it starts a new run from time 0."} }
                if absent { {" It applies only under auto-commit."} }
            </p>
        </div>
    }
}

fn choice_control(
    s: &'static Setting,
    id: &str,
    described: &str,
    value: Option<&Value>,
    choices: &'static [crate::sim::config::settings::Choice],
    propose: Callback<Proposal>,
) -> Html {
    let current = value.map(shown_value).unwrap_or_default();
    let options: Vec<Choice> = choices.iter().map(|c| Choice::new(choice_value(c), c.label)).collect();
    let keep = value.cloned();
    let onchange = Callback::from(move |picked: String| {
        let Some(c) = choices.iter().find(|c| choice_value(c) == picked) else { return };
        let json = choice_json(c);
        // A choice that carries its own numbers (auto-commit's interval) keeps the run's.
        let same_kind = keep.as_ref().map(shown_value) == Some(picked);
        propose.emit(Ok(if same_kind { keep.clone().unwrap_or(json) } else { json }));
    });
    html! {
        <Select id={AttrValue::from(id.to_string())} value={AttrValue::from(current)} choices={options} {onchange}
            describedby={AttrValue::from(described.to_string())} data_setting={AttrValue::Static(s.path)} />
    }
}

#[derive(Properties, PartialEq)]
struct NumberProps {
    id: String,
    path: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    step: &'static str,
    value: Option<Value>,
    /// For a setting that may be off: the words for off ("forever", "never").
    none: Option<&'static str>,
    described: String,
    invalid: bool,
    propose: Callback<Proposal>,
}

/// A number field (and, for a setting that may be off, its "off" box). Enter or leaving the field
/// proposes the value typed; an empty field means off where off is allowed.
#[function_component(NumberInput)]
fn number_input(props: &NumberProps) -> Html {
    let node = use_node_ref();
    let box_node = use_node_ref();
    let is_none = props.value.as_ref().is_some_and(Value::is_null);
    let text = props.value.as_ref().map(shown_number).unwrap_or_default();
    use_synced(node.clone(), Synced::Text(text.clone()), props.invalid);
    use_synced(box_node.clone(), Synced::Checked(is_none), false);
    let (min, max, none) = (props.min, props.max, props.none);
    let onchange = props.propose.reform(move |e: Event| {
        let typed = e.target_unchecked_into::<HtmlInputElement>().value();
        parse_number(&typed, none.is_some())
    });
    let absent = props.value.is_none();
    let toggle = none.map(|words| {
        let (input, label, propose) = (node.clone(), props.label, props.propose.clone());
        let on_box = Callback::from(move |e: Event| {
            if e.target_unchecked_into::<HtmlInputElement>().checked() {
                propose.emit(Ok(Value::Null));
            } else {
                let typed = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                propose.emit(match parse_number(&typed, false) {
                    Ok(v) => Ok(v),
                    Err(_) => Err(format!("type a number from {} to {} first, then untick “{words}” ({label} stays {words})", Plain(min), Plain(max))),
                });
            }
        });
        html! {
            <label class="check none-toggle">
                <input ref={box_node.clone()} id={format!("{}-none", props.id)} type="checkbox" checked={is_none} onchange={on_box}
                    aria-label={format!("{}: {words}", props.label)} aria-describedby={props.described.clone()} disabled={absent} />
                {words}
            </label>
        }
    });
    html! {
        <div class={classes!("number-row", none.is_some().then_some("has-none"))}>
            <input ref={node} id={props.id.clone()} data-setting={props.path} type="number" min={plain(min)} max={plain(max)}
                step={props.step} value={text} placeholder={none.unwrap_or_default()} {onchange} disabled={absent}
                aria-describedby={props.described.clone()} aria-invalid={props.invalid.to_string()} />
            { toggle.unwrap_or_default() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FlagProps {
    id: String,
    path: &'static str,
    checked: bool,
    disabled: bool,
    described: String,
    propose: Callback<Proposal>,
}

#[function_component(FlagInput)]
fn flag_input(props: &FlagProps) -> Html {
    let node = use_node_ref();
    use_synced(node.clone(), Synced::Checked(props.checked), false);
    let onchange =
        props.propose.reform(|e: Event| Ok(Value::Bool(e.target_unchecked_into::<HtmlInputElement>().checked())));
    html! {
        <input ref={node} id={props.id.clone()} data-setting={props.path} type="checkbox" class="flag" checked={props.checked}
            disabled={props.disabled} aria-describedby={props.described.clone()} {onchange} />
    }
}

/// What an input should show.
#[derive(Clone, PartialEq)]
enum Synced {
    Text(String),
    Checked(bool),
}

/// Makes the input show the run's value after every render. The browser keeps what the user typed
/// or ticked even when the page's description of the input did not change (a refused value, a
/// scenario switch back to the same value), so the page writes it. A field being edited (focused)
/// or holding a refused value is left alone, so nothing is snatched from under the user.
#[hook]
fn use_synced(node: NodeRef, want: Synced, keep_typed: bool) {
    use_effect(move || {
        let Some(el) = node.cast::<HtmlInputElement>() else { return };
        match want {
            Synced::Checked(on) => {
                if el.checked() != on {
                    el.set_checked(on);
                }
            }
            Synced::Text(text) => {
                let focused = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_some_and(|a| a.is_same_node(Some(&el)));
                if !keep_typed && !focused && el.value() != text {
                    el.set_value(&text);
                }
            }
        }
    });
}
