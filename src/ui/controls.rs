//! The configuration panel. Every runtime change is emitted as an engine [`Command`] (recorded and
//! replayable); the only structural setting without a command, the number of partitions, edits the
//! scenario and restarts the run ("applies on reset").

use super::select::{Choice, Select};
use super::topology::status_label;
use crate::sim::command::Command;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::scenario::{CommitStrategy, CrashPoint, IdempotencyMode, Scenario};
use crate::sim::Simulation;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the panel shows: a small snapshot of the live settings, so the panel redraws only when a
/// setting (or a consumer's alive/crashed state) changes, not on every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub commit: CommitStrategy,
    pub idempotency: IdempotencyMode,
    pub dedup_ttl_ms: Option<u64>,
    pub rate: f64,
    pub failure: f64,
    pub crash_point: CrashPoint,
    pub crash_probability: f64,
    pub service_mean_ms: f64,
    pub partitions: u32,
    pub consumers: Vec<(u32, ConsumerStatus)>,
}

/// Statuses that matter to the panel's buttons (busy states fold into "idle").
fn coarse(s: ConsumerStatus) -> ConsumerStatus {
    match s {
        ConsumerStatus::Crashed | ConsumerStatus::Stopped => s,
        _ => ConsumerStatus::Idle,
    }
}

impl Settings {
    pub fn of(sim: &Simulation, base: &Scenario) -> Settings {
        let s = sim.scenario();
        Settings {
            commit: s.consumers.commit,
            idempotency: s.idempotency.mode,
            dedup_ttl_ms: s.idempotency.dedup_ttl_ms,
            rate: s.producer.rate_per_sec,
            failure: s.processing.failure_probability,
            crash_point: s.consumers.crash.point,
            crash_probability: s.consumers.crash.probability,
            service_mean_ms: s.processing.service.mean_ms,
            partitions: base.topic.partitions,
            consumers: sim.consumers().iter().map(|c| (c.id, coarse(c.status))).collect(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub settings: Settings,
    pub on_command: Callback<Command>,
    /// Restart the run with this many partitions.
    pub on_partitions: Callback<u32>,
    pub seed: u64,
    /// Why the last seed typed was refused (the run keeps its seed).
    pub seed_error: Option<String>,
    /// Restart the run with the seed typed (the text as typed; the page checks it).
    pub on_seed: Callback<String>,
    /// On narrow screens the panel is a drawer: open or closed. (On wide ones it is always shown.)
    pub open: bool,
    pub on_close: Callback<()>,
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

pub fn crash_point_value(p: CrashPoint) -> &'static str {
    match p {
        CrashPoint::AfterReceive => "after_receive",
        CrashPoint::AfterCommit => "after_commit",
        CrashPoint::AfterEffect => "after_effect",
        CrashPoint::AfterDedupMark => "after_dedup_mark",
    }
}

fn crash_point_from(v: &str) -> Option<CrashPoint> {
    CrashPoint::ALL.into_iter().find(|p| crash_point_value(*p) == v)
}

fn commit_value(c: CommitStrategy) -> &'static str {
    match c {
        CommitStrategy::BeforeProcessing => "before_processing",
        CommitStrategy::AfterProcessing => "after_processing",
        CommitStrategy::Auto { .. } => "auto",
    }
}

fn idem_value(m: IdempotencyMode) -> &'static str {
    match m {
        IdempotencyMode::None => "none",
        IdempotencyMode::DedupCheckThenAct => "dedup_check_then_act",
        IdempotencyMode::DedupAtomic => "dedup_atomic",
        IdempotencyMode::Natural => "natural",
    }
}

fn idem_from(v: &str) -> Option<IdempotencyMode> {
    [IdempotencyMode::None, IdempotencyMode::DedupCheckThenAct, IdempotencyMode::DedupAtomic, IdempotencyMode::Natural]
        .into_iter()
        .find(|m| idem_value(*m) == v)
}

fn choices(list: &[(&'static str, &'static str)]) -> Vec<Choice> {
    list.iter().map(|(value, label)| Choice::new(*value, *label)).collect()
}

/// A labelled field with its one-line explanation.
fn field(id: &'static str, label: &'static str, help: &'static str, control: Html) -> Html {
    html! {
        <div class="field">
            <label for={id}>{label}</label>
            { control }
            <p class="help">{help}</p>
        </div>
    }
}

/// Parses a number typed into a field, within bounds. The error names the field and what it
/// accepts; nothing is applied then, so the run keeps its current value.
fn parse_in(what: &str, text: &str, lo: f64, hi: f64) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= lo && v <= hi => Ok(v),
        _ => Err(format!("{what} must be a number from {lo} to {hi} (got “{}”); nothing was changed.", text.trim())),
    }
}

/// A callback for a numeric field: a valid value clears the error and becomes a command; an
/// invalid one shows the error and changes nothing.
fn numeric(
    error: &UseStateHandle<Option<String>>,
    what: &'static str,
    lo: f64,
    hi: f64,
    to_command: impl Fn(f64) -> Command + 'static,
    cmd: &Callback<Command>,
) -> Callback<Event> {
    let (error, cmd) = (error.clone(), cmd.clone());
    Callback::from(move |e: Event| match parse_in(what, &input_value(&e), lo, hi) {
        Ok(v) => {
            error.set(None);
            cmd.emit(to_command(v));
        }
        Err(message) => error.set(Some(message)),
    })
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let s = &props.settings;
    let cmd = props.on_command.clone();
    let crash_target = use_state(|| 0u32);
    let crash_at = use_state(|| "after_effect".to_string());
    let partitions_draft = use_state(|| None::<String>);
    let input_error = use_state(|| None::<String>);
    let close_ref = use_node_ref();
    use_drawer_focus(props.open, close_ref.clone());

    // ----- delivery semantics -----
    let on_commit = {
        let cmd = cmd.clone();
        let current = s.commit;
        Callback::from(move |v: String| {
            let commit = match v.as_str() {
                "before_processing" => CommitStrategy::BeforeProcessing,
                "after_processing" => CommitStrategy::AfterProcessing,
                _ => match current {
                    CommitStrategy::Auto { interval_ms } => CommitStrategy::Auto { interval_ms },
                    _ => CommitStrategy::Auto { interval_ms: 1_000 },
                },
            };
            cmd.emit(Command::SetCommitStrategy { commit });
        })
    };
    let on_interval = numeric(
        &input_error,
        "The auto-commit interval (ms)",
        1.0,
        3_600_000.0,
        |ms| Command::SetCommitStrategy { commit: CommitStrategy::Auto { interval_ms: ms as u64 } },
        &cmd,
    );
    let auto_interval = match s.commit {
        CommitStrategy::Auto { interval_ms } => Some(interval_ms),
        _ => None,
    };

    // ----- idempotency -----
    let on_idem = {
        let cmd = cmd.clone();
        let ttl = s.dedup_ttl_ms;
        Callback::from(move |v: String| {
            if let Some(mode) = idem_from(&v) {
                cmd.emit(Command::SetIdempotency { mode, dedup_ttl_ms: ttl });
            }
        })
    };
    let on_ttl = {
        let cmd = cmd.clone();
        let error = input_error.clone();
        let mode = s.idempotency;
        Callback::from(move |e: Event| {
            let text = input_value(&e);
            let ttl = if text.trim().is_empty() {
                Ok(None)
            } else {
                parse_in("The dedup TTL (ms)", &text, 1.0, 86_400_000.0).map(|v| Some(v as u64))
            };
            match ttl {
                Ok(dedup_ttl_ms) => {
                    error.set(None);
                    cmd.emit(Command::SetIdempotency { mode, dedup_ttl_ms });
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let uses_store = matches!(s.idempotency, IdempotencyMode::DedupCheckThenAct | IdempotencyMode::DedupAtomic);

    // ----- load and faults -----
    let on_rate = numeric(
        &input_error,
        "The rate (msg/s)",
        0.0,
        100_000.0,
        |rate| Command::SetProducerRate { rate_per_sec: rate },
        &cmd,
    );
    let on_service = numeric(
        &input_error,
        "The processing time (ms)",
        0.0,
        60_000.0,
        |ms| Command::SetServiceMean { mean_ms: ms },
        &cmd,
    );
    let on_failure = numeric(
        &input_error,
        "The failure rate (%)",
        0.0,
        100.0,
        |pct| Command::SetFailureProbability { probability: pct / 100.0 },
        &cmd,
    );
    let on_crash_point = {
        let cmd = cmd.clone();
        let p = s.crash_probability;
        Callback::from(move |v: String| {
            if let Some(point) = crash_point_from(&v) {
                cmd.emit(Command::SetCrash { point, probability: p });
            }
        })
    };
    let on_crash_p = {
        let point = s.crash_point;
        numeric(
            &input_error,
            "The crash chance (%)",
            0.0,
            100.0,
            move |pct| Command::SetCrash { point, probability: pct / 100.0 },
            &cmd,
        )
    };

    // ----- consumers -----
    let live = s.consumers.iter().filter(|(_, st)| *st != ConsumerStatus::Stopped).count();
    let add = {
        let cmd = cmd.clone();
        Callback::from(move |_: MouseEvent| cmd.emit(Command::AddConsumer))
    };
    let remove = {
        let cmd = cmd.clone();
        Callback::from(move |_: MouseEvent| cmd.emit(Command::RemoveConsumer))
    };
    let consumer_rows: Html = s
        .consumers
        .iter()
        .map(|&(id, st)| {
            let crashed = st == ConsumerStatus::Crashed;
            let stopped = st == ConsumerStatus::Stopped;
            let cmd = cmd.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                if crashed {
                    cmd.emit(Command::RestartConsumer { consumer: id });
                } else {
                    cmd.emit(Command::CrashConsumer { consumer: id, at: None });
                }
            });
            let (text, title) = if stopped {
                ("Left", "This consumer left the group")
            } else if crashed {
                ("Restart", "Restart this consumer now; it rejoins the group and a rebalance follows")
            } else {
                ("Crash", "Crash this consumer now, wherever it is in its pipeline")
            };
            let label = format!("{text} consumer {id}");
            html! {
                <li class={classes!("consumer-row", crashed.then_some("is-crashed"), stopped.then_some("is-stopped"))}>
                    <span class="cname">{format!("C{id}")}</span>
                    <span class="cstate">{ if crashed || stopped { status_label(st) } else { "running" } }</span>
                    <button type="button" class={classes!("btn", "btn-small", if crashed { "btn-good" } else { "btn-danger" })}
                        id={format!("btn-consumer-{id}")} disabled={stopped} title={title} aria-label={label} {onclick}>
                        {text}
                    </button>
                </li>
            }
        })
        .collect();

    // ----- crash consumer N at step S -----
    let on_target = {
        let crash_target = crash_target.clone();
        Callback::from(move |v: String| {
            if let Ok(v) = v.parse::<u32>() {
                crash_target.set(v);
            }
        })
    };
    let on_at = {
        let crash_at = crash_at.clone();
        Callback::from(move |v: String| crash_at.set(v))
    };
    let target = (*crash_target).min(s.consumers.len().saturating_sub(1) as u32);
    let on_crash = {
        let cmd = cmd.clone();
        let at = (*crash_at).clone();
        Callback::from(move |_: MouseEvent| {
            let point = if at == "now" { None } else { crash_point_from(&at) };
            cmd.emit(Command::CrashConsumer { consumer: target, at: point });
        })
    };
    let target_options: Vec<Choice> =
        s.consumers.iter().map(|&(id, _)| Choice::new(id.to_string(), format!("C{id}"))).collect();

    // ----- partitions (applies on reset) -----
    let on_part_input = {
        let d = partitions_draft.clone();
        Callback::from(move |e: InputEvent| d.set(Some(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let part_text = (*partitions_draft).clone().unwrap_or_else(|| s.partitions.to_string());
    let part_valid = part_text.trim().parse::<u32>().ok().filter(|v| (1..=64).contains(v));
    let on_apply_parts = {
        let cb = props.on_partitions.clone();
        let d = partitions_draft.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(n) = part_valid {
                cb.emit(n);
                d.set(None);
            }
        })
    };

    let sel = commit_value(s.commit);
    let idem = idem_value(s.idempotency);
    let cp = crash_point_value(s.crash_point);
    let at_sel = crash_at.as_str();

    let on_seed = {
        let cb = props.on_seed.clone();
        Callback::from(move |e: Event| cb.emit(input_value(&e)))
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let cb = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(());
            }
        })
    };

    html! {
        <aside id="settings-panel" class={classes!("panel", "controls", props.open.then_some("is-open"))} aria-labelledby="controls-h" {onkeydown}>
            <div class="controls-head">
                <h2 id="controls-h">{"Settings"}</h2>
                <button ref={close_ref} type="button" class="btn btn-small drawer-close" onclick={on_close} title="Close the settings (Escape)">{"Close"}</button>
            </div>
            <p class="panel-note">{"Changes apply live as recorded commands, so the run stays reproducible."}</p>
            if let Some(message) = (*input_error).clone() {
                <p class="input-error" role="alert" data-testid="input-error">{message}</p>
            }

            <fieldset>
                <legend>{"Run"}</legend>
                <div class="field">
                    <label for="seed">{"Seed"}</label>
                    <input id="seed" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                        value={props.seed.to_string()} onchange={on_seed} aria-describedby="seed-help"
                        title="Every random choice derives from this number" aria-invalid={props.seed_error.is_some().to_string()} />
                    if let Some(err) = &props.seed_error {
                        <p id="seed-error" class="input-error" role="alert">{err.clone()}</p>
                    }
                    <p class="help" id="seed-help">{"Every random choice derives from it. Type one and press Enter: the run restarts with it."}</p>
                </div>
            </fieldset>

            <fieldset>
                <legend>{"Delivery semantics"}</legend>
                { field("commit-strategy", "Offset commit", "When the consumer records its progress: before processing can lose, after can duplicate.",
                    html! {
                        <Select id="commit-strategy" title="When the consumer commits its offset relative to processing" onchange={on_commit} value={sel}
                            choices={choices(&[("before_processing", "Before processing · at-most-once"), ("after_processing", "After processing · at-least-once"), ("auto", "Auto-commit on a timer")])} />
                    }) }
                if let Some(ms) = auto_interval {
                    { field("autocommit-interval", "Auto-commit interval (ms)", "A background timer commits whatever was handed to the app, processed or not.",
                        html! { <input id="autocommit-interval" type="number" min="1" step="100" value={ms.to_string()}
                            title="How often the background timer commits" onchange={on_interval} /> }) }
                }
            </fieldset>

            <fieldset>
                <legend>{"Idempotency"}</legend>
                { field("idempotency", "Duplicate protection", "How the consumer avoids applying a redelivered message twice.",
                    html! {
                        <Select id="idempotency" title="How redeliveries are made harmless" onchange={on_idem} value={idem}
                            choices={choices(&[("none", "None"), ("dedup_check_then_act", "Dedup: check, then act"), ("dedup_atomic", "Dedup: atomic with effect"), ("natural", "Naturally idempotent (SET)")])} />
                    }) }
                if uses_store {
                    { field("dedup-ttl", "Dedup TTL (ms, blank = forever)", "Ids older than this are forgotten; a late duplicate then slips through.",
                        html! { <input id="dedup-ttl" type="number" min="1" step="500" placeholder="forever"
                            value={s.dedup_ttl_ms.map(|v| v.to_string()).unwrap_or_default()}
                            title="How long processed ids are remembered" onchange={on_ttl} /> }) }
                }
            </fieldset>

            <fieldset>
                <legend>{"Load and processing"}</legend>
                <div class="field-row">
                    { field("rate", "Rate (msg/s)", "Mean messages per second.",
                        html! { <input id="rate" type="number" min="0" max="100000" step="1" value={s.rate.to_string()}
                            title="Mean messages per second (Poisson arrivals)" onchange={on_rate} /> }) }
                    { field("service-ms", "Processing (ms)", "Mean time per message.",
                        html! { <input id="service-ms" type="number" min="0" max="60000" step="50" value={s.service_mean_ms.to_string()}
                            title="Mean processing time per attempt" onchange={on_service} /> }) }
                </div>
                { field("failure", "Failure rate (%)", "Transient processing errors; retried, then dead-lettered.",
                    html! { <input id="failure" type="number" min="0" max="100" step="1" value={fmt_pct(s.failure)}
                            title="Probability that one processing attempt fails" onchange={on_failure} /> }) }
            </fieldset>

            <fieldset>
                <legend>{"Crashes"}</legend>
                <div class="field-row">
                    { field("crash-point", "Crash step", "Where random crashes strike.",
                        html! {
                            <Select id="crash-point" title="Pipeline step where random crashes happen" onchange={on_crash_point} value={cp}
                                choices={choices(&[("after_receive", "After receive"), ("after_commit", "After commit"), ("after_effect", "After effect"), ("after_dedup_mark", "After dedup mark")])} />
                        }) }
                    { field("crash-p", "Chance (%)", "Per message, at that step.",
                        html! { <input id="crash-p" type="number" min="0" max="100" step="0.5" value={fmt_pct(s.crash_probability)}
                            title="Chance that a consumer crashes when a message passes the step" onchange={on_crash_p} /> }) }
                </div>
                <div class="field">
                    <span class="label">{"Crash a consumer at a step"}</span>
                    <div class="crash-grid">
                        <Select id="crash-consumer" aria_label="Consumer to crash" title="Which consumer" onchange={on_target} value={target.to_string()} choices={target_options} />
                        <Select id="crash-at" aria_label="When to crash" title="Now, or armed: the next time one of its messages passes this step" onchange={on_at} value={at_sel.to_string()}
                            choices={choices(&[("now", "now"), ("after_receive", "after receive"), ("after_commit", "after commit"), ("after_effect", "after effect"), ("after_dedup_mark", "after dedup mark")])} />
                        <button id="btn-crash" type="button" class="btn btn-danger"
                            title="Crash now, or arm the consumer to crash the next time a message passes the step" onclick={on_crash}>{"Crash consumer"}</button>
                    </div>
                    <p class="help">{"Where the crash lands relative to commit and effect decides duplicate vs loss."}</p>
                </div>
            </fieldset>

            <fieldset>
                <legend>{"Group and topic"}</legend>
                <div class="field">
                    <span class="label">{format!("Consumers: {live} in the group")}</span>
                    <div class="stepper">
                        <button type="button" class="btn btn-small" id="btn-remove-consumer" aria-label="Remove a consumer" title="The newest consumer leaves the group (a rebalance follows)" onclick={remove} disabled={live <= 1}><span aria-hidden="true">{"− "}</span>{"Remove"}</button>
                        <button type="button" class="btn btn-small" id="btn-add-consumer" aria-label="Add a consumer" title="A new consumer joins the group (a rebalance follows)" onclick={add} disabled={s.consumers.len() >= 32}><span aria-hidden="true">{"+ "}</span>{"Add"}</button>
                    </div>
                    <ul class="consumer-list" aria-label="Consumers">{ consumer_rows }</ul>
                    <p class="help">{"Crash or restart one; you can also click it in the diagram."}</p>
                </div>
                <div class="field">
                    <label for="partitions">{"Partitions (applies on reset)"}</label>
                    <div class="crash-row">
                        <input id="partitions" type="number" min="1" max="64" value={part_text} oninput={on_part_input}
                            title="Partitions of the topic; changing it restarts the run" aria-invalid={part_valid.is_none().to_string()} />
                        <button type="button" class="btn" id="btn-apply-partitions" disabled={part_valid.is_none()} onclick={on_apply_parts}
                            title="Restart the run with this many partitions">{"Apply & reset"}</button>
                    </div>
                    <p class="help">{"Kafka cannot repartition a live topic; the run restarts."}</p>
                </div>
            </fieldset>
        </aside>
    }
}

/// Focus for the drawer: opening it moves focus to its Close button; closing it while focus was
/// inside (or nowhere) returns focus to the button that opens it.
#[hook]
fn use_drawer_focus(open: bool, close_ref: NodeRef) {
    let was_open = use_mut_ref(|| false);
    use_effect_with(open, move |&open| {
        let before = std::mem::replace(&mut *was_open.borrow_mut(), open);
        let document = web_sys::window().and_then(|w| w.document());
        if open {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        } else if before {
            let panel = document.as_ref().and_then(|d| d.get_element_by_id("settings-panel"));
            let active = document.as_ref().and_then(|d| d.active_element());
            let inside = match (&panel, &active) {
                (Some(p), Some(a)) => p.contains(Some(a)),
                _ => true,
            };
            let on_body = active.map(|a| a.tag_name().eq_ignore_ascii_case("body")).unwrap_or(true);
            if inside || on_body {
                let toggle = document.and_then(|d| d.get_element_by_id("btn-settings"));
                if let Some(t) = toggle.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
                    let _ = t.focus();
                }
            }
        }
    });
}

fn fmt_pct(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{:.1}", v)
    }
}
