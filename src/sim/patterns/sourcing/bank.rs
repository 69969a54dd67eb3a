//! The command side of the bank: reads an account from the event store, lets the aggregate
//! decide, and appends what it decided, expecting the version it read (optimistic concurrency:
//! a writer that raced another is refused and reads again). Commands are handled idempotently
//! by id: a command id seen before returns its first outcome and appends nothing.
//!
//! A transfer touches two accounts, each its own stream with its own consistency boundary, so it
//! is two steps: `TransferSent` on the sender, then (a process manager's step) `TransferReceived`
//! on the receiver, or `TransferRefunded` on the sender when the receiver cannot take it: a
//! compensating event, not an undo.

use super::account::{Account, BankCommand, Rejection};
use super::event::{AccountEvent, AccountId, StoredEvent};
use super::store::{CommandId, Conflict, EventStore, ExpectedVersion};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What handling a command came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Handled {
    Appended { position: u64 },
    Rejected { rejection: Rejection },
}

/// Counters of the command side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BankStats {
    pub commands: u64,
    pub appended: u64,
    pub rejected: u64,
    /// Commands whose id was handled before: answered, nothing appended.
    pub repeated: u64,
    /// Appends refused because the stream moved on (each retried by its writer).
    pub conflicts: u64,
    /// Appends of a decision made on a stale read, let in because the version check is off.
    pub lost_updates: u64,
    /// Lost updates the account's state at the time would have refused (a withdrawal past the
    /// overdraft, say).
    pub would_refuse: u64,
    pub refunds: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Bank {
    store: EventStore,
    handled: BTreeMap<CommandId, Handled>,
    /// Deposits are written in schema v1 (the service before its upgrade) while this is set.
    writes_v1: bool,
    /// The `TransferSent` positions whose second step was taken (received or refunded).
    settled: BTreeSet<u64>,
    /// Appends go in whatever the stream's version (`ExpectedVersion::Any`): no optimistic
    /// concurrency, so a decision made on a stale read is appended.
    unchecked: bool,
    stats: BankStats,
}

impl Bank {
    pub fn new(snapshot_every: u32) -> Self {
        Bank { store: EventStore::new(snapshot_every), ..Bank::default() }
    }

    pub fn store(&self) -> &EventStore {
        &self.store
    }

    pub fn stats(&self) -> BankStats {
        self.stats
    }

    /// Whether deposits are written in the old schema from now on.
    pub fn set_writes_v1(&mut self, v1: bool) {
        self.writes_v1 = v1;
    }

    /// Whether appends skip the expected-version check from now on.
    pub fn set_unchecked(&mut self, unchecked: bool) {
        self.unchecked = unchecked;
    }

    /// An account's state as a command handler reads it before deciding.
    pub fn read(&self, account: AccountId) -> Account {
        self.store.load(account)
    }

    /// An account's state as a handler that read it at `at_us` saw it (the events appended then
    /// or before).
    pub fn read_as_of(&self, account: AccountId, at_us: u64) -> Account {
        self.store.load_at(account, self.store.version_at_time(account, at_us))
    }

    /// Handles `command` on `account` with nobody writing in between.
    pub fn handle(&mut self, id: CommandId, account: AccountId, command: BankCommand, at_us: u64) -> (Handled, bool) {
        let seen = self.read(account);
        match self.write(id, &seen, command, at_us) {
            Ok(done) => done,
            Err(_) => unreachable!("nothing wrote between the read and the write"),
        }
    }

    /// Decides `command` on the state `seen` a handler read earlier and appends the result,
    /// expecting the stream still at `seen.version`. `Err` when another writer appended since:
    /// nothing was appended, and the handler should read again. The flag says the command id was
    /// handled before (its first outcome is returned).
    pub fn write(
        &mut self,
        id: CommandId,
        seen: &Account,
        command: BankCommand,
        at_us: u64,
    ) -> Result<(Handled, bool), Conflict> {
        if let Some(&earlier) = self.handled.get(&id) {
            self.stats.repeated += 1;
            return Ok((earlier, true));
        }
        // Only a correction reads the trail (to find what it corrects): every other decision
        // needs the state alone.
        let history =
            if matches!(command, BankCommand::Correct { .. }) { self.store.history(seen.id) } else { Vec::new() };
        let decided = seen.decide(command, &history);
        let handled = match decided {
            Err(rejection) => Handled::Rejected { rejection },
            Ok(event) => {
                let stored =
                    if self.writes_v1 { StoredEvent::written_by_v1(event) } else { StoredEvent::Current(event) };
                let expected = if self.unchecked { ExpectedVersion::Any } else { ExpectedVersion::Exact(seen.version) };
                let stale = self.store.version(seen.id) != seen.version;
                let refused_now = stale && self.store.load(seen.id).decide(command, &history).is_err();
                match self.store.append(seen.id, expected, stored, at_us, id) {
                    Ok(position) => {
                        self.stats.lost_updates += u64::from(stale);
                        self.stats.would_refuse += u64::from(refused_now);
                        Handled::Appended { position }
                    }
                    Err(conflict) => {
                        self.stats.conflicts += 1;
                        return Err(conflict);
                    }
                }
            }
        };
        self.stats.commands += 1;
        match handled {
            Handled::Appended { .. } => self.stats.appended += 1,
            Handled::Rejected { .. } => self.stats.rejected += 1,
        }
        self.handled.insert(id, handled);
        Ok((handled, false))
    }

    /// The transfer's second step for the `TransferSent` at `sent`: the receiver takes it, or the
    /// sender is refunded. Idempotent: a transfer settled already appends nothing. The position
    /// appended, if any.
    pub fn settle_transfer(&mut self, sent: u64, at_us: u64) -> Option<u64> {
        let r = *self.store.get(sent)?;
        let AccountEvent::TransferSent { to, amount_cents, transfer } = r.event() else { return None };
        if !self.settled.insert(sent) {
            return None;
        }
        let (stream, event) = match self.read(to).receive(r.stream, amount_cents, transfer) {
            Ok(received) => (to, received),
            Err(_) => {
                self.stats.refunds += 1;
                (r.stream, AccountEvent::TransferRefunded { to, amount_cents, transfer })
            }
        };
        self.store.append(stream, ExpectedVersion::Any, StoredEvent::Current(event), at_us, r.command).ok()
    }
}
