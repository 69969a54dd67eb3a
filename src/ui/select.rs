//! A `<select>` that always shows the value it is given. A plain `<option selected=…>` is not
//! enough: once the user has picked an option, the browser ignores later changes to the `selected`
//! attributes, so after a scenario switch the picker would show the previous choice, not the
//! run's. This one writes the select's value after every render in which it differs.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Choice {
    pub value: AttrValue,
    pub label: AttrValue,
    pub title: Option<AttrValue>,
}

impl Choice {
    pub fn new(value: impl Into<AttrValue>, label: impl Into<AttrValue>) -> Choice {
        Choice { value: value.into(), label: label.into(), title: None }
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub value: AttrValue,
    pub choices: Vec<Choice>,
    /// The value the user picked.
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    /// The setting this picker controls (`data-setting`), if it is one.
    #[prop_or_default]
    pub data_setting: Option<AttrValue>,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component(Select)]
pub fn select(props: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        let value = props.value.clone();
        use_effect(move || {
            if let Some(el) = node.cast::<HtmlSelectElement>() {
                if el.value() != value.as_str() {
                    el.set_value(&value);
                }
            }
        });
    }
    let onchange = props.onchange.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <select ref={node} id={props.id.clone()} title={props.title.clone()} aria-label={props.aria_label.clone()}
            aria-describedby={props.describedby.clone()} data-setting={props.data_setting.clone()} disabled={props.disabled} {onchange}>
            { for props.choices.iter().map(|c| html! {
                <option value={c.value.clone()} title={c.title.clone()} selected={c.value == props.value}>{c.label.clone()}</option>
            }) }
        </select>
    }
}
