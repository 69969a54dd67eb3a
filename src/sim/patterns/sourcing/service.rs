//! The event-sourced bank as the engine runs it: the write side turns each client arrival into a
//! command on an account (drawn from the seed's own stream), the bank appends the event it
//! decides, and the producer publishes it; the read side is one projection per subscriber of the
//! log, fed by that subscriber's consumers each time they apply an effect (redeliveries included:
//! what the consumers' idempotency lets through twice, the view counts twice).
//!
//! Staleness is what CQRS trades for separate read and write models: the time from an event's
//! append to its application in a view. A read made that long after a write still sees the old
//! state.

use super::account::{Account, BankCommand};
use super::bank::{Bank, BankStats, Handled};
use super::event::{AccountEvent, AccountId};
use super::projection::{Projection, ViewKind};
use super::store::EventStore;
use crate::sim::ids::MessageId;
use crate::sim::kernel::histogram::Histogram;
use crate::sim::kernel::rng::{Probability, Rng, Stream};
use std::collections::VecDeque;

/// The most events the store keeps in one run: past it the bank refuses commands, so a run's
/// memory stays bounded (an event store never forgets, so it cannot be trimmed instead).
pub const MAX_EVENTS: u64 = 200_000;

/// How the write side handles a command now (from the live settings).
#[derive(Clone, Copy, Debug)]
pub struct Writing {
    /// Deposits are written in schema v1.
    pub v1: bool,
    /// The chance a client resends its last command.
    pub resend: Probability,
    /// How long a handler takes from reading the account to appending (0: at once).
    pub handle_us: u64,
    /// Appends expect the version read (optimistic concurrency); off, they go in whatever it is.
    pub version_check: bool,
}

/// One subscriber's read model.
#[derive(Clone, Debug)]
pub struct ReadModel {
    pub view: Projection,
    /// Every position the view applied, duplicates included, in the order applied.
    applied: Vec<u64>,
    /// Append-to-apply times, in microseconds.
    pub staleness: Histogram,
    pub rebuilds: u32,
}

impl ReadModel {
    fn new(kind: ViewKind) -> Self {
        ReadModel { view: Projection::new(kind), applied: Vec::new(), staleness: Histogram::new(), rebuilds: 0 }
    }

    /// How many events the view applied more than once.
    pub fn applied_twice(&self) -> u64 {
        self.view.accounts.values().map(|a| u64::from(a.applied.saturating_sub(a.version))).sum()
    }
}

#[derive(Clone, Debug, Default)]
pub struct BankService {
    bank: Bank,
    commands: Option<Rng>,
    next_command: u64,
    /// `TransferSent` positions waiting for their second step (taken at the next arrival).
    pending: VecDeque<u64>,
    /// Each published event's message and position, in creation order (both ascending).
    published: Vec<(MessageId, u64)>,
    views: Vec<ReadModel>,
    /// Commands refused because the store is full.
    pub full: u64,
    /// The last command a client sent: its id, account and command (what a resend repeats).
    last: Option<(u64, AccountId, BankCommand)>,
}

impl BankService {
    /// The service of a run with `subscribers` projections (none when event sourcing is off).
    pub fn new(enabled: bool, seed: u64, snapshot_every: u32, subscribers: usize) -> Self {
        if !enabled {
            return BankService::default();
        }
        let kind = |i| if i == 1 { ViewKind::Statement } else { ViewKind::Balance };
        BankService {
            bank: Bank::new(snapshot_every),
            commands: Some(Rng::for_stream(seed, Stream::Sourcing)),
            views: (0..subscribers).map(|i| ReadModel::new(kind(i))).collect(),
            ..BankService::default()
        }
    }

    pub fn store(&self) -> &EventStore {
        self.bank.store()
    }

    pub fn stats(&self) -> BankStats {
        self.bank.stats()
    }

    pub fn views(&self) -> &[ReadModel] {
        &self.views
    }

    /// The write side for one client arrival on `account` (of `accounts`): a pending transfer's
    /// second step if there is one, else a command drawn for the account. The stream and position
    /// of the event appended, or `None` when the command was refused (nothing to publish).
    pub fn write(&mut self, account: AccountId, accounts: u32, at_us: u64, how: Writing) -> Option<(AccountId, u64)> {
        if self.store().head() >= MAX_EVENTS {
            self.full += 1;
            return None;
        }
        self.bank.set_writes_v1(how.v1);
        self.bank.set_unchecked(!how.version_check);
        while let Some(sent) = self.pending.pop_front() {
            if let Some(p) = self.bank.settle_transfer(sent, at_us) {
                return self.store().get(p).map(|r| (r.stream, p));
            }
        }
        if let Some((id, to, command)) = self.last.filter(|_| self.resends(how.resend)) {
            // A resend under the same id: the bank answers as it did the first time.
            let _ = self.bank.handle(id, to, command, at_us);
            return None;
        }
        // The handler read the account when it started, `handle_us` ago: another command on the
        // account may have appended since.
        let state = self.bank.read_as_of(account, at_us.saturating_sub(how.handle_us));
        let command = self.draw(&state, accounts);
        let id = self.next_command;
        self.next_command += 1;
        self.last = Some((id, account, command));
        let mut written = self.bank.write(id, &state, command, at_us);
        if written.is_err() {
            // A conflict: the stream moved on since the read. Read again and decide again (on
            // the fresh state nothing can interleave: the retry's own time is not modelled).
            let fresh = self.bank.read(account);
            written = self.bank.write(id, &fresh, command, at_us);
        }
        let Ok((Handled::Appended { position }, _)) = written else { return None };
        if matches!(self.store().get(position).map(|r| r.event()), Some(AccountEvent::TransferSent { .. })) {
            self.pending.push_back(position);
        }
        Some((account, position))
    }

    /// Whether this arrival is a client resending its last command (no draw when it never is).
    fn resends(&mut self, p: Probability) -> bool {
        !p.is_zero() && self.commands.as_mut().is_some_and(|r| r.chance(p))
    }

    /// A client's command for an account in `state`: open it first, then mostly deposits and
    /// withdrawals, some transfers and now and then a correction.
    fn draw(&mut self, state: &Account, accounts: u32) -> BankCommand {
        let Some(rng) = self.commands.as_mut() else { return BankCommand::Close };
        if !state.open {
            return BankCommand::Open { overdraft_cents: i64::from(rng.below(3)) * 5_000 };
        }
        // Amounts in whole units mostly (so the old schema can write them), some with cents.
        let amount = |rng: &mut Rng, most: u32| {
            let units = i64::from(1 + rng.below(most)) * 100;
            if rng.below(5) == 0 {
                units + i64::from(rng.below(100))
            } else {
                units
            }
        };
        match rng.below(100) {
            0..=44 => BankCommand::Deposit { amount_cents: amount(rng, 500) },
            45..=71 => BankCommand::Withdraw { amount_cents: amount(rng, 400) },
            72..=93 => {
                let other = rng.below(accounts.saturating_sub(1).max(1));
                let to = if other >= state.id { other + 1 } else { other };
                BankCommand::Transfer { to, amount_cents: amount(rng, 300), transfer: self.next_command }
            }
            _ => BankCommand::Correct { version: 1 + rng.below(state.version.max(1)) },
        }
    }

    /// `msg` carries the event at `position`.
    pub fn published(&mut self, msg: MessageId, position: u64) {
        self.published.push((msg, position));
    }

    /// The event `msg` carries, if it carries one.
    pub fn position_of(&self, msg: MessageId) -> Option<u64> {
        let i = self.published.binary_search_by_key(&msg, |&(m, _)| m).ok()?;
        self.published.get(i).map(|&(_, p)| p)
    }

    /// Subscriber `subscriber`'s consumer applied `msg` to its view at `now_us`; `bug` is the
    /// balance view's bug as set now.
    pub fn project(&mut self, subscriber: usize, msg: MessageId, now_us: u64, bug: bool) {
        let Some(r) = self.position_of(msg).and_then(|p| self.bank.store().get(p)).copied() else { return };
        let Some(model) = self.views.get_mut(subscriber) else { return };
        model.view.bug = bug && model.view.kind == ViewKind::Balance;
        model.view.apply(&r);
        model.applied.push(r.position);
        model.staleness.record(now_us.saturating_sub(r.at_us));
    }

    /// Rebuilds subscriber `subscriber`'s view: empties it and replays from position 0 of the
    /// store every event it had applied, once each, with the view's code as it is now.
    pub fn rebuild(&mut self, subscriber: usize, bug: bool) -> bool {
        let store = self.bank.store();
        let Some(model) = self.views.get_mut(subscriber) else { return false };
        crate::sim::kernel::sort::sort_by_key(&mut model.applied, |&p| p);
        model.applied.dedup();
        model.view.reset();
        model.view.bug = bug && model.view.kind == ViewKind::Balance;
        for r in model.applied.iter().filter_map(|&p| store.get(p)) {
            model.view.apply(r);
        }
        model.rebuilds += 1;
        true
    }

    /// Accounts whose balance in subscriber `subscriber`'s view differs from the account's
    /// state at the version the view reached: a view behind is stale, a view that differs is wrong.
    pub fn wrong_accounts(&self, subscriber: usize) -> Vec<AccountId> {
        let Some(model) = self.views.get(subscriber) else { return Vec::new() };
        let store = self.bank.store();
        let wrong = |(&id, v): (&AccountId, &super::projection::AccountView)| {
            (store.load_at(id, v.version).balance_cents != v.balance_cents).then_some(id)
        };
        model.view.accounts.iter().filter_map(wrong).collect()
    }
}
