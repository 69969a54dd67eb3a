//! One bank account of the event-sourced bank, the guide's example: a version slider (0 to the
//! account's version) with the state at that version (`EventStore::load_at`: the latest snapshot
//! at or before it plus the events after it) beside its audit trail, the stream's events up to
//! that version, newest first. An event stored in the old schema (v1, whole units) carries a
//! badge with the stored value and the upcast one; a correction is a new `Reversed` event, the
//! event it corrects stays in the trail. Plain functions: the panel holds the selection.

use super::select::{Choice, Select};
use crate::sim::patterns::sourcing::event::{AccountEvent, AccountId, StoredEvent};
use crate::sim::patterns::sourcing::service::BankService;
use crate::sim::patterns::sourcing::store::{EventStore, Recorded};
use crate::sim::SimTime;
use yew::prelude::*;

/// Most trail rows listed; the older ones are a slider move away.
pub const TRAIL_ROWS: u32 = 40;

/// An amount of cents as units and cents, e.g. `-12.05`.
pub fn money(cents: i64) -> String {
    let a = cents.unsigned_abs();
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, a / 100, a % 100)
}

/// A balance change with its sign; nothing for an event that moves no money.
fn delta(cents: i64) -> String {
    match cents {
        0 => String::new(),
        c if c > 0 => format!("+{}", money(c)),
        c => money(c),
    }
}

/// What the selection shows: the account and the version the slider stands at.
pub struct Shown {
    pub account: AccountId,
    pub version: u32,
    /// The account's version now (the slider's maximum).
    pub latest: u32,
}

impl Shown {
    /// The account picked if the store has it (else the first), at the pinned version if one is
    /// (kept below the account's version).
    pub fn of(store: &EventStore, picked: AccountId, pinned: Option<u32>) -> Option<Shown> {
        let account = if store.version(picked) > 0 { picked } else { store.stream_ids().next()? };
        let latest = store.version(account);
        Some(Shown { account, version: pinned.map_or(latest, |v| v.min(latest)), latest })
    }
}

/// The account section: picker, slider, state and trail.
pub fn account_view(
    es: &BankService,
    shown: &Shown,
    views: &[(String, u32)],
    on_account: Callback<String>,
    on_version: Callback<InputEvent>,
    on_latest: Callback<MouseEvent>,
) -> Html {
    let store = es.store();
    let choices: Vec<Choice> = store
        .stream_ids()
        .map(|a| Choice::new(a.to_string(), format!("account {a} (key user_{a}): {} events", store.version(a))))
        .collect();
    let (a, v) = (shown.account, shown.version);
    let snaps: Vec<u32> = store.snapshots(a).iter().map(|s| s.state.version).collect();
    html! {
        <>
            <div class="es-pick">
                <label for="es-account">{"Account"}</label>
                <Select id="es-account" value={a.to_string()} {choices} onchange={on_account} />
                <label for="es-version">{"Version"}</label>
                <input type="range" id="es-version" min="0" max={shown.latest.to_string()} step="1" value={v.to_string()}
                    list="es-snaps" aria-valuetext={format!("version {v} of {}", shown.latest)} oninput={on_version} />
                <datalist id="es-snaps">{ for snaps.iter().map(|s| html! { <option value={s.to_string()}></option> }) }</datalist>
                <output for="es-version" data-testid="es-version-shown">{format!("{v} of {}", shown.latest)}</output>
                if v < shown.latest {
                    <button type="button" class="btn btn-small" onclick={on_latest}>{"Follow the latest"}</button>
                }
            </div>
            <div class="es-account">
                { state(store, a, v, &snaps) }
                { trail(store, a, v, &snaps, views) }
            </div>
        </>
    }
}

/// The account's state at version `v`, and where it was loaded from.
fn state(store: &EventStore, a: AccountId, v: u32, snaps: &[u32]) -> Html {
    let s = store.load_at(a, v);
    let status = match (s.open, s.closed) {
        (_, true) => "closed",
        (true, false) => "open",
        (false, false) => "not opened yet",
    };
    let from = store.snapshots(a).iter().rev().find(|s| s.state.version <= v);
    let loaded = match from {
        Some(snap) => format!(
            "Loaded from the snapshot at version {} (position {}) plus {} event{} after it.",
            snap.state.version,
            snap.position,
            v - snap.state.version,
            if v - snap.state.version == 1 { "" } else { "s" }
        ),
        None => {
            format!("No snapshot at or before version {v}: folded from its {v} event{}.", if v == 1 { "" } else { "s" })
        }
    };
    let marks = match snaps {
        [] => "none yet".to_string(),
        _ => snaps.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
    };
    html! {
        <div class="es-state">
            <h4>{format!("State at version {v}")}</h4>
            <dl class="es-dl">
                <div><dt>{"balance"}</dt><dd data-testid="es-balance" data-cents={s.balance_cents.to_string()}>{money(s.balance_cents)}</dd></div>
                <div><dt>{"status"}</dt><dd>{status}</dd></div>
                <div><dt>{"overdraft"}</dt><dd>{money(s.overdraft_cents)}</dd></div>
                <div><dt>{"deposits"}</dt><dd>{s.deposits}</dd></div>
                <div><dt>{"withdrawals"}</dt><dd>{s.withdrawals}</dd></div>
            </dl>
            <p class="help" data-testid="es-loaded">{loaded}</p>
            <p class="help">{format!("Snapshots at versions: {marks}.")}</p>
        </div>
    }
}

/// The stream's events up to version `v`, newest first (at most [`TRAIL_ROWS`]).
fn trail(store: &EventStore, a: AccountId, v: u32, snaps: &[u32], views: &[(String, u32)]) -> Html {
    let first = v.saturating_sub(TRAIL_ROWS);
    let mut rows: Vec<&Recorded> = store.stream(a).skip(first as usize).take_while(|r| r.version <= v).collect();
    rows.reverse();
    let older = if first > 0 {
        html! { <p class="help">{format!("Versions 1 to {first} are not listed: move the slider back to see them.")}</p> }
    } else {
        html! {}
    };
    html! {
        <div class="es-trail">
            <h4 id="es-trail-h">{format!("Audit trail up to version {v}")}</h4>
            <div class="dlq-scroll" tabindex="0" role="region" aria-labelledby="es-trail-h">
                <table class="dlq-table es-table es-open-end" data-testid="es-trail">
                    <thead><tr>
                        <th scope="col" class="num">{"Version"}</th><th scope="col" class="num">{"Position"}</th>
                        <th scope="col">{"Event"}</th><th scope="col" class="num">{"Amount"}</th>
                        <th scope="col" class="num">{"Appended at"}</th><th scope="col" title="The views that have applied this account up to this event or past it">{"Reached by"}</th>
                    </tr></thead>
                    <tbody>{ for rows.into_iter().map(|r| row(r, snaps, views)) }</tbody>
                </table>
            </div>
            { older }
        </div>
    }
}

/// One event of the trail.
fn row(r: &Recorded, snaps: &[u32], views: &[(String, u32)]) -> Html {
    let e = r.event();
    let v1 = match r.stored {
        StoredEvent::DepositedV1 { amount } => html! {
            <span class="es-badge es-v1">{format!("stored v1: {amount} units → {} cents", e.balance_delta())}</span>
        },
        StoredEvent::Current(_) => html! {},
    };
    let snap = if snaps.contains(&r.version) {
        html! { <span class="es-badge">{"▣ snapshot after it"}</span> }
    } else {
        html! {}
    };
    let reached: Vec<&str> = views.iter().filter(|(_, at)| *at >= r.version).map(|(n, _)| n.as_str()).collect();
    let reached = match reached.len() {
        0 => "no view yet".to_string(),
        n if n == views.len() && n > 1 => "every view".to_string(),
        _ => reached.join(", "),
    };
    html! {
        <tr data-delta={e.balance_delta().to_string()} class={classes!(matches!(e, AccountEvent::Reversed { .. }).then_some("es-correction"))}>
            <th scope="row" class="num">{r.version}</th>
            <td class="num">{r.position}</td>
            <td class="es-what"><span class="es-event">{e.name()}</span>{detail(&e)}{v1}{snap}</td>
            <td class="num">{delta(e.balance_delta())}</td>
            <td class="num mono">{SimTime::from_us(r.at_us).to_string()}</td>
            <td>{reached}</td>
        </tr>
    }
}

/// What an event says beyond its name and amount.
fn detail(e: &AccountEvent) -> String {
    match *e {
        AccountEvent::Opened { overdraft_cents } => format!(" overdraft {}", money(overdraft_cents)),
        AccountEvent::TransferSent { to, transfer, .. } => format!(" to account {to} (transfer {transfer})"),
        AccountEvent::TransferReceived { from, transfer, .. } => format!(" from account {from} (transfer {transfer})"),
        AccountEvent::TransferRefunded { to, .. } => {
            format!(" compensating event: account {to} could not take the transfer")
        }
        AccountEvent::Reversed { of_version, .. } => {
            format!(" correction of version {of_version}, as a new event (version {of_version} stays)")
        }
        _ => String::new(),
    }
}
