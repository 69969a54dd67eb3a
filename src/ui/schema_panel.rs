//! The schema registry, for scenarios that have one: the subject's mode and registered versions,
//! the version the producer writes and the one the consumers read, a Deploy button per version
//! (the registry registers it or refuses it, saying why), the break explained field by field when
//! the consumers cannot read what the producer writes, and the same event in Avro, Protobuf and
//! JSON with its bytes.

use super::run::RunAction;
use super::runtime::RtHandle;
use super::select::{Choice, Select};
use crate::sim::command::Command;
use crate::sim::patterns::encoding::{compare_with_schema_id, hex};
use crate::sim::patterns::schema::{parse_value, sample::sample, Incompatibility, IncompatibilityKind, Mode, Schema};
use serde_json::json;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SchemaProps {
    pub rt: RtHandle,
    pub version: u64,
    pub on_run: Callback<RunAction>,
}

#[function_component(SchemaPanel)]
pub fn schema_panel(props: &SchemaProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let cfg = &sim.scenario().schema;
    let reg = sim.schemas();
    let (writer, reader) = (reg.writer(), cfg.reader_version);
    let registered = reg.registered();
    let on_run = props.on_run.clone();
    let set = move |setting: &'static str, value: serde_json::Value| {
        on_run.emit(RunAction::Command(Command::Set { setting: setting.into(), value }))
    };
    let on_mode = {
        let set = set.clone();
        Callback::from(move |v: String| set("schema.mode", json!(v)))
    };
    let on_reader = Callback::from(move |v: String| set("schema.reader_version", json!(v.parse::<u32>().unwrap_or(1))));
    let modes: Vec<Choice> = Mode::ALL.iter().map(|m| Choice::new(m.as_str(), m.as_str())).collect();
    let versions: Vec<Choice> = (1..=reg.versions()).map(|v| Choice::new(v.to_string(), format!("v{v}"))).collect();
    html! {
        <section class="panel schema" aria-labelledby="schema-h" data-testid="schema-panel">
            <h2 id="schema-h">{"Schema registry"}</h2>
            <p class="panel-note">{"The events' Avro schema lives in a registry subject. A producer deploys a new version only if the subject's compatibility mode allows it (Confluent Schema Registry's check). The consumers decode with their reader version; an event written with a version they cannot read fails to decode on every attempt: a poison message, dead-lettered."}</p>
            <div class="schema-controls">
                <label for="schema-mode">{"Compatibility mode"}</label>
                <Select id="schema-mode" value={AttrValue::from(cfg.mode.as_str())} choices={modes} onchange={on_mode} data_setting="schema.mode" />
                <label for="schema-reader">{"Consumers read with"}</label>
                <Select id="schema-reader" value={AttrValue::from(reader.to_string())} choices={versions} onchange={on_reader} data_setting="schema.reader_version" />
            </div>
            <dl class="txn-stats" data-testid="schema-stats">
                <div><dt>{"producer writes"}</dt><dd data-testid="schema-writer">{format!("v{writer}")}</dd></div>
                <div><dt>{"registered"}</dt><dd data-testid="schema-registered">{registered.iter().map(|v| format!("v{v}")).collect::<Vec<_>>().join(", ")}</dd></div>
                <div><dt>{"failed to decode"}</dt><dd data-testid="schema-undecodable">{reg.undecodable}</dd></div>
            </dl>
            { versions_table(props, &cfg.versions, &registered, writer, reader) }
            { deploys(&rt) }
            { why_it_breaks(&rt, reader, writer) }
            { encodings((writer as usize).checked_sub(1).and_then(|i| cfg.versions.get(i)), writer, registered.iter().position(|&v| v == writer).map_or(1, |i| i as u32 + 1)) }
        </section>
    }
}

/// One row per listed version: its fields, registered or not, readable by the consumers or not,
/// and a button that deploys a producer writing it.
fn versions_table(
    props: &SchemaProps,
    versions: &[serde_json::Value],
    registered: &[u32],
    writer: u32,
    reader: u32,
) -> Html {
    let rt = props.rt.0.borrow();
    let reg = rt.sim.schemas();
    let rows = versions.iter().enumerate().map(|(i, v)| {
        let n = i as u32 + 1;
        let fields = parse_value(v).map(|s| fields_of(&s)).unwrap_or_default();
        let readable = reg.compatibility(reader, n).is_some_and(|c| c.compatible);
        let on_run = props.on_run.clone();
        let deploy = Callback::from(move |_| on_run.emit(RunAction::Command(Command::DeploySchema { version: n })));
        html! {
            <tr data-testid={format!("schema-v{n}")}>
                <th scope="row">{format!("v{n}")}{ if n == writer { " (producer)" } else { "" } }</th>
                <td class="mono">{fields}</td>
                <td>{ if registered.contains(&n) { "registered" } else { "not registered" } }</td>
                <td>{ if readable { "✓ readable" } else { "✗ cannot decode" } }</td>
                <td><button type="button" onclick={deploy} disabled={n == writer}
                    aria-label={format!("Deploy a producer writing v{n}")}>{"Deploy"}</button></td>
            </tr>
        }
    });
    html! {
        <table class="schema-versions">
            <caption>{format!("Versions of the event schema; the consumers read with v{reader}")}</caption>
            <thead><tr><th scope="col">{"version"}</th><th scope="col">{"fields"}</th><th scope="col">{"registry"}</th>
                <th scope="col">{format!("consumers (v{reader})")}</th><th scope="col">{"producer"}</th></tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

/// A record's fields as `name: type` (defaults shown).
fn fields_of(s: &Schema) -> String {
    let Some(crate::sim::patterns::schema::Node::Record { fields, .. }) = s.node(s.root()) else {
        return s.to_json();
    };
    let field = |f: &crate::sim::patterns::schema::Field| {
        let ty = s.fragment_json_short(f.schema).trim_matches('"').to_string();
        match &f.default {
            Some(d) => format!("{}: {ty} = {d}", f.name),
            None => format!("{}: {ty}", f.name),
        }
    };
    fields.iter().map(field).collect::<Vec<_>>().join(", ")
}

/// Each deploy and the registry's answer, newest first.
fn deploys(rt: &super::runtime::Runtime) -> Html {
    let list = rt.sim.schemas().deploys();
    if list.is_empty() {
        return html! { <p class="help" data-testid="schema-deploys">{"No deploy yet: the producer writes v1."}</p> };
    }
    html! {
        <ul class="schema-deploys" data-testid="schema-deploys">
            { for list.iter().rev().map(|d| {
                let at = crate::sim::kernel::time::SimTime::from_us(d.at_us);
                if d.refused.is_empty() {
                    html! { <li>{format!("{at}: v{} deployed under {}: registered, the producer writes it", d.version, d.mode.as_str())}</li> }
                } else {
                    html! { <li class="refused">{format!("{at}: v{} refused under {}: ", d.version, d.mode.as_str())}
                        <ul>{ for d.refused.iter().map(|r| html! { <li class="mono">{r}</li> }) }</ul></li> }
                }
            }) }
        </ul>
    }
}

/// Why the consumers' reader version cannot read the producer's, field by field.
fn why_it_breaks(rt: &super::runtime::Runtime, reader: u32, writer: u32) -> Html {
    let Some(c) = rt.sim.schemas().compatibility(reader, writer).filter(|c| !c.compatible) else {
        return html! { <p class="help" data-testid="schema-why">{format!("The consumers (v{reader}) can read what the producer writes (v{writer}).")}</p> };
    };
    html! {
        <div class="schema-why" data-testid="schema-why">
            <h3>{format!("Why v{reader} cannot read v{writer}")}</h3>
            <ul>{ for c.incompatibilities.iter().map(|i| html! { <li>{plain(i, reader, writer)}<span class="mono">{format!(" ({} at {})", i.kind.as_str(), i.location)}</span></li> }) }</ul>
        </div>
    }
}

/// One incompatibility in plain words.
fn plain(i: &Incompatibility, reader: u32, writer: u32) -> String {
    match i.kind {
        IncompatibilityKind::ReaderFieldMissingDefaultValue => format!(
            "The reader (v{reader}) needs field {}, which data written with v{writer} does not have, and gives it no default.",
            i.message
        ),
        IncompatibilityKind::TypeMismatch => format!("A type changed with no promotion from the writer's to the reader's: {}.", i.message),
        IncompatibilityKind::MissingEnumSymbols => format!("The writer may send enum symbols the reader does not know, and the reader's enum has no default: {}.", i.message),
        IncompatibilityKind::MissingUnionBranch => format!("The writer's union has a branch the reader's union cannot read: {}.", i.message),
        IncompatibilityKind::NameMismatch => format!("A named type is named differently (and no alias links them): {}.", i.message),
        IncompatibilityKind::FixedSizeMismatch => format!("A fixed type changed size: {}.", i.message),
        _ => i.message.clone(),
    }
}

/// A sample event of the producer's version in the three formats, with their sizes.
/// `schema_id`: the id the registry gave the version (ids count registrations, from 1).
fn encodings(version: Option<&serde_json::Value>, writer: u32, schema_id: u32) -> Html {
    let Some(value) = version.and_then(|v| parse_value(v).ok()).and_then(|s| sample(&s)) else { return html! {} };
    let rows = compare_with_schema_id(&value, schema_id).into_iter().map(|e| {
        let shown = if e.format == "json" { e.text.clone() } else { hex(&e.bytes) };
        html! { <tr><th scope="row">{e.format}</th><td data-testid={format!("size-{}", e.format.replace('+', "-"))}>{e.bytes.len()}</td><td class="mono wrap">{shown}</td></tr> }
    });
    html! {
        <table class="schema-encodings" data-testid="schema-encodings">
            <caption>{format!("One event written with v{writer}, in three formats (avro+confluent: Avro after Confluent's magic byte 0 and the 4-byte schema id {schema_id})")}</caption>
            <thead><tr><th scope="col">{"format"}</th><th scope="col">{"bytes"}</th><th scope="col">{"content"}</th></tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}
