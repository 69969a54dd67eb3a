//! Event sourcing and CQRS, for scenarios with the event-sourced bank (`sourcing.enabled`): what
//! happened to each event and why. The write side (commands handled, events appended, commands
//! refused, the store's head); one account's state at any version beside its audit trail
//! (`sourcing_account.rs`); the read side, one row per projection (events applied, how far behind
//! the store, staleness, accounts wrong, events applied twice, rebuilds, a Rebuild button and the
//! balance view's bug); and every account's balance in the write model beside each view's.
//!
//! The Rebuild button and the bug's checkbox send commands through the run's dispatch
//! (`Command::RebuildProjection`, `Command::Set`), recorded and replayable like every control.

use super::run::RunAction;
use super::runtime::RtHandle;
use super::sourcing_account::{account_view, money, Shown};
use crate::sim::command::Command;
use crate::sim::kernel::histogram::Histogram;
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::patterns::sourcing::projection::ViewKind;
use crate::sim::patterns::sourcing::service::{BankService, ReadModel};
use crate::sim::Simulation;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SourcingProps {
    pub rt: RtHandle,
    pub version: u64,
    pub on_run: Callback<RunAction>,
}

/// The setting the balance view's checkbox writes.
const BUG: &str = "sourcing.projection_bug";

#[function_component(SourcingPanel)]
pub fn sourcing_panel(props: &SourcingProps) -> Html {
    let picked = use_state_eq(|| 0u32);
    let pinned = use_state_eq(|| None::<u32>);
    // A new run (a reset, a new seed) starts at the latest version again.
    let run = props.rt.0.borrow().run;
    use_effect_with(run, {
        let pinned = pinned.clone();
        move |_| pinned.set(None)
    });
    let on_account = {
        let (picked, pinned) = (picked.clone(), pinned.clone());
        Callback::from(move |v: String| {
            picked.set(v.parse().unwrap_or(0));
            pinned.set(None);
        })
    };
    let on_version = {
        let pinned = pinned.clone();
        Callback::from(move |e: InputEvent| {
            pinned.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().ok());
        })
    };
    let on_latest = {
        let pinned = pinned.clone();
        Callback::from(move |_: MouseEvent| pinned.set(None))
    };
    let onclick = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(bug) = e.target_dyn_into::<web_sys::HtmlInputElement>().filter(|i| i.id() == "es-bug") {
                let value = bug.checked().into();
                on_run.emit(RunAction::Command(Command::Set { setting: BUG.into(), value }));
                return;
            }
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else { return };
            if let Some(k) = el.get_attribute("data-rebuild").and_then(|k| k.parse().ok()) {
                on_run.emit(RunAction::Command(Command::RebuildProjection { subscriber: k }));
            }
        })
    };
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let es = sim.sourcing();
    let names: Vec<String> = (0..es.views().len()).map(|k| view_name(sim, k)).collect();
    let account = Shown::of(es.store(), *picked, *pinned).map(|shown| {
        let reached: Vec<(String, u32)> =
            es.views().iter().zip(&names).map(|(m, n)| (n.clone(), m.view.version(shown.account))).collect();
        account_view(es, &shown, &reached, on_account, on_version, on_latest)
    });
    html! {
        <section class="panel sourcing" aria-labelledby="es-h" {onclick}>
            <h2 id="es-h">{"Event sourcing & CQRS"}</h2>
            <p class="panel-note">{"The service is a bank whose accounts (the producer's keys) are streams of events: each client command is checked against its account's state, a fold of its events, and appends one event, or is refused and appends nothing. Each event is published to the log; each subscriber is a projection building a read model from it."}</p>
            { write_side(sim) }
            <h3>{"The bank account"}</h3>
            { account.unwrap_or_else(|| html! { <p class="help">{"No account has an event yet: press play."}</p> }) }
            { read_side(sim, &names) }
            { accounts(es, &names) }
        </section>
    }
}

/// The subscriber's name from the scenario (a run without subscribers has one group).
pub(super) fn view_name(sim: &Simulation, k: usize) -> String {
    let k = u8::try_from(k).unwrap_or(u8::MAX);
    sim.scenario().subscriber_name(k).map_or_else(|| format!("view {k}"), str::to_string)
}

/// The command side's counters and the store's head.
fn write_side(sim: &Simulation) -> Html {
    let es = sim.sourcing();
    let s = es.stats();
    let head = es.store().head();
    let v1 = sim.scenario().sourcing.v1_until_ms;
    html! {
        <>
            <h3>{"Write side: commands and the event store"}</h3>
            <dl class="txn-stats" data-testid="es-write">
                <div><dt>{"commands handled"}</dt><dd>{s.commands}</dd></div>
                <div><dt>{"events appended"}</dt><dd data-testid="es-appended">{s.appended}</dd></div>
                <div title="A withdrawal or transfer over the balance plus the overdraft (insufficient funds), or a correction of an event that is not a deposit or withdrawal or was corrected already">
                    <dt>{"refused"}</dt><dd data-testid="es-refused">{s.rejected}</dd></div>
                <div title="A transfer's second step: received by the other account, or refunded to the sender when it cannot take it">
                    <dt>{"transfers settled"}</dt><dd>{format!("{} ({} refunded)", head - s.appended, s.refunds)}</dd></div>
                <div><dt>{"store head (next position)"}</dt><dd data-testid="es-head">{head}</dd></div>
                if es.full > 0 { <div><dt>{"refused, store full"}</dt><dd>{es.full}</dd></div> }
                if s.repeated > 0 {
                    <div title="A client sent its last command again under the same id (its answer was lost): the bank gave the first answer and appended nothing">
                        <dt>{"resent, handled once"}</dt><dd data-testid="es-repeated">{s.repeated}</dd></div>
                }
                if s.conflicts > 0 || s.lost_updates > 0 {
                    <div title="An append expecting the version its handler read, after another handler appended to the account: refused, then retried on a fresh read">
                        <dt>{"conflicts, retried"}</dt><dd data-testid="es-conflicts">{s.conflicts}</dd></div>
                    <div title="With the version check off: an append decided on a stale read, let in (in brackets, those the account's state at the time would have refused)">
                        <dt>{"lost updates"}</dt><dd data-testid="es-lost-updates">{format!("{} ({})", s.lost_updates, s.would_refuse)}</dd></div>
                }
            </dl>
            <p class="help">{format!(
                "A refused command appends nothing: the account's state said no (insufficient funds for a withdrawal or a transfer, or a correction of an event that cannot be corrected). A transfer is two events on two streams: sent, then received, or refunded by a compensating event.{}",
                if v1 > 0 { format!(" Until {v1} ms the service wrote deposits of whole units in the old schema v1 (units, not cents); the store keeps them as written and readers upcast them to cents.") } else { String::new() })}</p>
        </>
    }
}

/// A histogram of microseconds (staleness, a read's age) at `q`, in milliseconds, one decimal.
pub(super) fn ms(h: &Histogram, q: f64) -> String {
    if h.count() == 0 {
        return "–".into();
    }
    format!("{} ms", Fixed(h.percentile(q) as f64 / 1000.0, 1))
}

/// Events of the store a view has not reached: per account, the store's version past the view's.
fn behind(es: &BankService, m: &ReadModel) -> u64 {
    let store = es.store();
    store.stream_ids().map(|a| u64::from(store.version(a).saturating_sub(m.view.version(a)))).sum()
}

/// One row per projection, with its Rebuild button.
fn read_side(sim: &Simulation, names: &[String]) -> Html {
    let es = sim.sourcing();
    let rows = es.views().iter().zip(names).enumerate().map(|(k, (m, name))| {
        let wrong = es.wrong_accounts(k);
        let applied: u64 = m.view.accounts.values().map(|a| u64::from(a.applied)).sum();
        let kind = match m.view.kind {
            ViewKind::Balance => "balances",
            ViewKind::Statement => "statements",
        };
        let listed: Vec<String> = wrong.iter().map(u32::to_string).collect();
        html! {
            <tr data-wrong={wrong.len().to_string()} data-rebuilds={m.rebuilds.to_string()} data-testid={format!("es-view-{k}")}>
                <th scope="row">{name.clone()}</th>
                <td>{kind}</td>
                <td class="num">{applied}</td>
                <td class="num">{m.view.checkpoint}</td>
                <td class="num">{behind(es, m)}</td>
                <td class="num">{ms(&m.staleness, 0.5)}</td>
                <td class="num">{ms(&m.staleness, 0.99)}</td>
                <td class={classes!((!wrong.is_empty()).then_some("es-bad"))}>{
                    if wrong.is_empty() { "✓ 0".to_string() } else { format!("✗ {}: account {}", wrong.len(), listed.join(", ")) }
                }</td>
                <td class="num">{m.applied_twice()}</td>
                <td class="num">{m.rebuilds}</td>
                <td class="dlq-acts"><button type="button" class="btn btn-small" data-rebuild={k.to_string()} aria-label={format!("Rebuild {name}")}>{"Rebuild"}</button></td>
            </tr>
        }
    });
    let has_balance = es.views().iter().any(|m| m.view.kind == ViewKind::Balance);
    let bug = sim.scenario().sourcing.projection_bug;
    html! {
        <>
            <h3 id="es-read-h">{"Read side (CQRS): projections"}</h3>
            <div class="dlq-scroll" tabindex="0" role="region" aria-labelledby="es-read-h">
                <table class="dlq-table es-table" data-testid="es-views">
                    <thead><tr>
                        <th scope="col">{"Projection"}</th><th scope="col">{"View of"}</th>
                        <th scope="col" class="num" title="Events applied, repeats included">{"Applied"}</th>
                        <th scope="col" class="num" title="One past the furthest store position the view applied">{"Checkpoint"}</th>
                        <th scope="col" class="num" title="Events in the store the view has not reached yet">{"Behind"}</th>
                        <th scope="col" class="num">{"Staleness p50"}</th><th scope="col" class="num">{"p99"}</th>
                        <th scope="col">{"Accounts wrong"}</th>
                        <th scope="col" class="num">{"Applied twice"}</th><th scope="col" class="num">{"Rebuilds"}</th>
                        <th scope="col"><span class="sr-only">{"Actions"}</span></th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="help">{"Staleness is the time from an event's append to its application in the view: a read made sooner still sees the old state. A view is wrong on an account when its balance differs from the account's state at the version the view reached, as when a consumer crashed after applying an event and before committing, and the event was applied again. Rebuild empties the view and replays from position 0 every event it consumed, once each, with the view's code as it is now."}</p>
            if has_balance {
                <label class="check es-bug">
                    <input type="checkbox" id="es-bug" checked={bug} />
                    {"Balance view bug: a received transfer is taken as sent. Fix it (off), then rebuild."}
                </label>
            }
        </>
    }
}

/// Every account's balance in the write model and in each view, marked when a view is wrong or
/// behind.
fn accounts(es: &BankService, names: &[String]) -> Html {
    let store = es.store();
    let wrong: Vec<Vec<u32>> = (0..es.views().len()).map(|k| es.wrong_accounts(k)).collect();
    let rows = store.stream_ids().map(|a| {
        let truth = store.load(a);
        let cells = es.views().iter().zip(&wrong).map(|(m, wrong)| {
            let (bad, late) = (wrong.contains(&a), truth.version.saturating_sub(m.view.version(a)));
            let mark = match (bad, late) {
                (true, 0) => "✗ wrong".to_string(),
                (true, n) => format!("✗ wrong, ◷ {n} behind"),
                (false, 0) => "✓".to_string(),
                (false, n) => format!("◷ {n} behind"),
            };
            let class = classes!("num", bad.then_some("es-bad"), (!bad && late > 0).then_some("es-late"));
            html! { <td {class}>{money(m.view.balance(a))}{" "}<span class="es-mark">{mark}</span></td> }
        });
        html! {
            <tr>
                <th scope="row">{format!("account {a}")}</th>
                <td class="num">{truth.version}</td>
                <td class="num">{money(truth.balance_cents)}</td>
                { for cells }
            </tr>
        }
    });
    html! {
        <>
            <h3 id="es-acc-h">{"Accounts: write model and read models"}</h3>
            <div class="dlq-scroll" tabindex="0" role="region" aria-labelledby="es-acc-h">
                <table class="dlq-table es-table es-open-end" data-testid="es-accounts">
                    <thead><tr>
                        <th scope="col">{"Account"}</th><th scope="col" class="num">{"Version"}</th>
                        <th scope="col" class="num">{"Balance (store)"}</th>
                        { for names.iter().map(|n| html! { <th scope="col" class="num">{n.clone()}</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="help">{"✓ the view agrees with the store. ◷ N behind: stale, N of the account's events not applied yet (the balance is the one at the version it reached). ✗ wrong: the view's balance differs from the account's state at the version it reached."}</p>
        </>
    }
}
