//! Read models (the read side of CQRS): views built by applying the store's events in order,
//! each remembering how far it got (its checkpoint). A view is disposable: rebuilding it means
//! emptying it and applying every event again from position 0.
//!
//! A view applies what it is given. Applied twice (an at-least-once redelivery with nothing to
//! absorb it), a deposit counts twice and the view's balance is wrong: the view does not guard
//! itself, because in the engine the consumer's idempotency settings decide that, as they do for
//! any other effect, and the ledger counts it.

use super::event::{AccountEvent, AccountId};
use super::store::Recorded;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which view a projection builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// Each account's balance, for "what do I have".
    Balance,
    /// Each account's recent statement lines, for "what happened".
    Statement,
}

/// One line of an account statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub version: u32,
    pub event: &'static str,
    pub delta_cents: i64,
    pub balance_cents: i64,
}

/// What a view holds for one account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AccountView {
    pub balance_cents: i64,
    /// The stream version of the last event applied.
    pub version: u32,
    /// Events applied (more than `version` when some were applied twice).
    pub applied: u32,
    /// The latest lines, oldest first (statement view only).
    pub lines: Vec<StatementLine>,
}

/// How many lines a statement keeps per account (memory stays bounded by the accounts).
pub const STATEMENT_LINES: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Projection {
    pub kind: ViewKind,
    /// The store position of the last event applied, plus one (0: nothing applied yet).
    pub checkpoint: u64,
    pub accounts: BTreeMap<AccountId, AccountView>,
    /// A deliberate bug to fix and rebuild from: received transfers are taken as sent.
    pub bug: bool,
}

impl Projection {
    pub fn new(kind: ViewKind) -> Self {
        Projection { kind, checkpoint: 0, accounts: BTreeMap::new(), bug: false }
    }

    /// Applies one event to the view.
    pub fn apply(&mut self, r: &Recorded) {
        let event = r.event();
        let delta = match event {
            AccountEvent::TransferReceived { amount_cents, .. } if self.bug => -amount_cents,
            e => e.balance_delta(),
        };
        let view = self.accounts.entry(r.stream).or_default();
        view.balance_cents = view.balance_cents.saturating_add(delta);
        view.version = view.version.max(r.version);
        view.applied += 1;
        if self.kind == ViewKind::Statement {
            if view.lines.len() == STATEMENT_LINES {
                view.lines.remove(0);
            }
            let line = StatementLine {
                version: r.version,
                event: event.name(),
                delta_cents: delta,
                balance_cents: view.balance_cents,
            };
            view.lines.push(line);
        }
        self.checkpoint = self.checkpoint.max(r.position + 1);
    }

    /// Empties the view, to apply every event again from position 0.
    pub fn reset(&mut self) {
        self.checkpoint = 0;
        self.accounts.clear();
    }

    /// The balance the view shows for `account` (0 when it has seen nothing of it).
    pub fn balance(&self, account: AccountId) -> i64 {
        self.accounts.get(&account).map_or(0, |v| v.balance_cents)
    }

    /// The stream version the view has reached for `account`.
    pub fn version(&self, account: AccountId) -> u32 {
        self.accounts.get(&account).map_or(0, |v| v.version)
    }
}
