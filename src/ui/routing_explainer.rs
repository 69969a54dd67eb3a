//! The routing explainer: type bindings and a routing key (or headers) and see, binding by
//! binding, whether a RabbitMQ exchange of the chosen type would route the message there, and
//! why. The verdicts and reasons come from the engine's queue broker (`sim::broker::amqp`), the
//! rules its differential test checks against a real RabbitMQ.

use crate::sim::broker::amqp::exchange::ExchangeType;
use crate::sim::broker::amqp::explain::explain;
use crate::sim::broker::amqp::headers::{parse_table, FieldTable, FieldValue};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

const TYPES: [(&str, ExchangeType); 4] = [
    ("topic", ExchangeType::Topic),
    ("direct", ExchangeType::Direct),
    ("fanout", ExchangeType::Fanout),
    ("headers", ExchangeType::Headers),
];

const X_MATCH: [&str; 4] = ["all", "any", "all-with-x", "any-with-x"];

#[function_component(RoutingExplainer)]
pub fn routing_explainer() -> Html {
    let kind = use_state(|| ExchangeType::Topic);
    let bindings = use_state(|| "orders.*.eu\norders.#\n*.paid.*\n#.us".to_string());
    let key = use_state(|| "orders.paid.eu".to_string());
    let headers = use_state(|| "format=pdf, region=eu".to_string());
    let x_match = use_state(|| "all".to_string());
    let on_kind = {
        let kind = kind.clone();
        let bindings = bindings.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let k = TYPES.iter().find(|(n, _)| *n == v).map_or(ExchangeType::Topic, |(_, k)| *k);
            // Headers bindings are arguments, not keys: start from an example of each.
            if (k == ExchangeType::Headers) != (*kind == ExchangeType::Headers) {
                bindings.set(if k == ExchangeType::Headers {
                    "format=pdf\nformat=pdf, region=us\nregion".into()
                } else {
                    "orders.*.eu\norders.#".into()
                });
            }
            kind.set(k);
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_bindings = {
        let bindings = bindings.clone();
        Callback::from(move |e: InputEvent| bindings.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_x_match = {
        let x_match = x_match.clone();
        Callback::from(move |e: Event| x_match.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let is_headers = *kind == ExchangeType::Headers;
    let message_headers = parse_table(&headers);
    // Blank lines are skipped: the empty binding key is written "" (two quotes).
    let rows = bindings.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate().map(|(i, line)| {
        let (key_text, args) = if is_headers {
            let mut args = parse_table(line);
            args.insert("x-match".into(), FieldValue::Str((*x_match).clone()));
            (String::new(), args)
        } else {
            (if line == "\"\"" { "" } else { line }.to_string(), FieldTable::new())
        };
        let e = explain(*kind, &key_text, &args, &key, &message_headers);
        let shown = if is_headers { line.to_string() } else { format!("\"{key_text}\"") };
        html! {
            <tr data-testid="rx-row" class={if e.matched { "rx-match" } else { "rx-miss" }}>
                <td>{i + 1}</td>
                <td class="mono">{shown}</td>
                <td data-testid="rx-verdict">{if e.matched { "✓ match" } else { "✗ no match" }}</td>
                <td>{for e.why.iter().map(|w| html! { <p>{w}</p> })}</td>
            </tr>
        }
    });
    html! {
        <section class="panel routing-explainer" aria-labelledby="rx-h">
            <h2 id="rx-h">{"RabbitMQ routing explainer"}</h2>
            <p class="panel-note">{"Which bindings of one exchange take a message, and why, by RabbitMQ 3.10's rules (the same code the queue broker routes with). Topic keys are words between dots; empty words count."}</p>
            <div class="rx-form">
                <label>{"Exchange type "}
                    <select id="rx-type" onchange={on_kind}>
                        { for TYPES.iter().map(|(n, k)| html! { <option value={*n} selected={*k == *kind}>{*n}</option> }) }
                    </select>
                </label>
                if is_headers {
                    <label>{"x-match "}
                        <select id="rx-xmatch" onchange={on_x_match}>
                            { for X_MATCH.iter().map(|m| html! { <option value={*m} selected={*m == x_match.as_str()}>{*m}</option> }) }
                        </select>
                    </label>
                    <label>{"Message headers (name=value, ...) "}
                        <input id="rx-headers" type="text" value={(*headers).clone()} oninput={text_input(&headers)} />
                    </label>
                } else {
                    <label>{"Routing key "}
                        <input id="rx-key" type="text" value={(*key).clone()} oninput={text_input(&key)} />
                    </label>
                }
                <label class="rx-bindings">{if is_headers { "Bindings, one per line (arguments: name=value, ...; a bare name asks only that the header exists)" } else { "Binding keys, one per line (\"\" for the empty key)" }}
                    <textarea id="rx-bindings" rows="4" value={(*bindings).clone()} oninput={on_bindings} />
                </label>
            </div>
            <table class="rx-table">
                <thead><tr><th scope="col">{"#"}</th><th scope="col">{"Binding"}</th><th scope="col">{"Verdict"}</th><th scope="col">{"Why"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
