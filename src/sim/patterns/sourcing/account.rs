//! The bank account aggregate: its state is a fold over its events, and it decides which events
//! a command produces (or why it refuses it) from that state alone.

use super::event::{AccountEvent, AccountId, TransferId};
use serde::Serialize;

/// An account's state at some version: what folding its first `version` events gives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    /// How many events the state folds (0: the stream does not exist).
    pub version: u32,
    pub open: bool,
    pub closed: bool,
    pub balance_cents: i64,
    pub overdraft_cents: i64,
    pub deposits: u32,
    pub withdrawals: u32,
}

/// What a client asks of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BankCommand {
    Open {
        overdraft_cents: i64,
    },
    Deposit {
        amount_cents: i64,
    },
    Withdraw {
        amount_cents: i64,
    },
    /// Sends money to `to`; the receiving side is a second step (see `Bank::transfer`).
    Transfer {
        to: AccountId,
        amount_cents: i64,
        transfer: TransferId,
    },
    /// Corrects the deposit or withdrawal at `version` with a compensating event.
    Correct {
        version: u32,
    },
    Close,
}

/// Why an account refused a command (nothing is appended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Rejection {
    AlreadyOpen,
    NotOpen,
    Closed,
    NonPositiveAmount,
    /// A withdrawal or transfer past the balance and the overdraft.
    InsufficientFunds {
        available_cents: i64,
        amount_cents: i64,
    },
    /// Closing an account that still holds money.
    NotEmpty {
        balance_cents: i64,
    },
    SameAccount,
    /// A correction of an event that is not a deposit or withdrawal, or already corrected.
    NotCorrectable {
        version: u32,
    },
}

impl Account {
    /// The state before any event.
    pub fn empty(id: AccountId) -> Self {
        Account { id, ..Account::default() }
    }

    /// Applies one event: the only way state changes.
    pub fn apply(&mut self, event: &AccountEvent) {
        self.version += 1;
        self.balance_cents = self.balance_cents.saturating_add(event.balance_delta());
        match *event {
            AccountEvent::Opened { overdraft_cents } => {
                self.open = true;
                self.overdraft_cents = overdraft_cents;
            }
            AccountEvent::Deposited { .. } => self.deposits += 1,
            AccountEvent::Withdrawn { .. } => self.withdrawals += 1,
            AccountEvent::Closed => self.closed = true,
            _ => {}
        }
    }

    /// The state after `events`, from nothing.
    pub fn fold<'a>(id: AccountId, events: impl IntoIterator<Item = &'a AccountEvent>) -> Self {
        let mut a = Account::empty(id);
        for e in events {
            a.apply(e);
        }
        a
    }

    /// What may still be taken out: the balance and the overdraft.
    pub fn available_cents(&self) -> i64 {
        self.balance_cents.saturating_add(self.overdraft_cents)
    }

    /// The events `command` produces from this state, or why it is refused. `history` is the
    /// stream so far (a correction looks up the event it corrects and whether it was already).
    pub fn decide(&self, command: BankCommand, history: &[AccountEvent]) -> Result<AccountEvent, Rejection> {
        if let BankCommand::Open { overdraft_cents } = command {
            return if self.open { Err(Rejection::AlreadyOpen) } else { Ok(AccountEvent::Opened { overdraft_cents }) };
        }
        if !self.open {
            return Err(Rejection::NotOpen);
        }
        if self.closed {
            return Err(Rejection::Closed);
        }
        match command {
            BankCommand::Open { .. } => Err(Rejection::AlreadyOpen),
            BankCommand::Deposit { amount_cents } => {
                positive(amount_cents)?;
                Ok(AccountEvent::Deposited { amount_cents })
            }
            BankCommand::Withdraw { amount_cents } => {
                self.can_take(amount_cents)?;
                Ok(AccountEvent::Withdrawn { amount_cents })
            }
            BankCommand::Transfer { to, amount_cents, transfer } => {
                if to == self.id {
                    return Err(Rejection::SameAccount);
                }
                self.can_take(amount_cents)?;
                Ok(AccountEvent::TransferSent { to, amount_cents, transfer })
            }
            BankCommand::Correct { version } => correction(version, history),
            BankCommand::Close if self.balance_cents != 0 => {
                Err(Rejection::NotEmpty { balance_cents: self.balance_cents })
            }
            BankCommand::Close => Ok(AccountEvent::Closed),
        }
    }

    fn can_take(&self, amount_cents: i64) -> Result<(), Rejection> {
        positive(amount_cents)?;
        if amount_cents > self.available_cents() {
            return Err(Rejection::InsufficientFunds { available_cents: self.available_cents(), amount_cents });
        }
        Ok(())
    }

    /// The receiving side of a transfer: taken by an open account, else refunded to the sender.
    pub fn receive(&self, from: AccountId, amount_cents: i64, transfer: TransferId) -> Result<AccountEvent, Rejection> {
        match (self.open, self.closed) {
            (true, false) => Ok(AccountEvent::TransferReceived { from, amount_cents, transfer }),
            (false, _) => Err(Rejection::NotOpen),
            (true, true) => Err(Rejection::Closed),
        }
    }
}

fn positive(amount_cents: i64) -> Result<(), Rejection> {
    if amount_cents > 0 {
        Ok(())
    } else {
        Err(Rejection::NonPositiveAmount)
    }
}

/// The compensating event for the deposit or withdrawal at `version` (1-based), unless it is
/// neither or was corrected already.
fn correction(version: u32, history: &[AccountEvent]) -> Result<AccountEvent, Rejection> {
    let refused = Err(Rejection::NotCorrectable { version });
    let Some(index) = (version as usize).checked_sub(1) else { return refused };
    let delta = match history.get(index) {
        Some(AccountEvent::Deposited { amount_cents }) => -amount_cents,
        Some(AccountEvent::Withdrawn { amount_cents }) => *amount_cents,
        _ => return refused,
    };
    let done = history.iter().any(|e| matches!(e, AccountEvent::Reversed { of_version, .. } if *of_version == version));
    if done {
        return refused;
    }
    Ok(AccountEvent::Reversed { of_version: version, delta_cents: delta })
}
