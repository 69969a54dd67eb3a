//! A bank account's events, as the store keeps them and as the domain reads them.
//!
//! Events are facts in the past tense and are never edited: a mistake is corrected by a further
//! event (`Reversed`). The store keeps each event in the schema it was written with; an older
//! schema is *upcast* when read, so the domain only ever sees the current shape. Version 1 of
//! `Deposited` carried whole currency units (`amount`); version 2 carries cents, as every other
//! event does. Nothing rewrites the stored v1 events: the audit trail shows what was written.

use serde::Serialize;

/// An account, the aggregate: one stream of events per account.
pub type AccountId = u32;

/// A transfer between two accounts, named on both sides.
pub type TransferId = u64;

/// An account's events, in their current (read) schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountEvent {
    Opened {
        overdraft_cents: i64,
    },
    Deposited {
        amount_cents: i64,
    },
    Withdrawn {
        amount_cents: i64,
    },
    TransferSent {
        to: AccountId,
        amount_cents: i64,
        transfer: TransferId,
    },
    TransferReceived {
        from: AccountId,
        amount_cents: i64,
        transfer: TransferId,
    },
    /// The compensation for a transfer the other account could not take: the money comes back.
    TransferRefunded {
        to: AccountId,
        amount_cents: i64,
        transfer: TransferId,
    },
    /// A correction of the deposit or withdrawal at `of_version`: the opposite amount, as a new
    /// event (the old one stays in the trail).
    Reversed {
        of_version: u32,
        delta_cents: i64,
    },
    Closed,
}

/// An event as the store holds it: in the schema it was written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "schema", rename_all = "snake_case")]
pub enum StoredEvent {
    /// `Deposited` as version 1 of the service wrote it: whole units, no cents.
    DepositedV1 { amount: i64 },
    /// Every event in the current schema (version 2).
    Current(AccountEvent),
}

impl StoredEvent {
    /// The schema version the event was written with.
    pub fn schema_version(&self) -> u8 {
        match self {
            StoredEvent::DepositedV1 { .. } => 1,
            StoredEvent::Current(_) => 2,
        }
    }

    /// The event in the current schema: v1's units become cents.
    pub fn upcast(&self) -> AccountEvent {
        match *self {
            StoredEvent::DepositedV1 { amount } => AccountEvent::Deposited { amount_cents: amount.saturating_mul(100) },
            StoredEvent::Current(e) => e,
        }
    }

    /// How an event of the current schema is written by a service that still writes v1 (only
    /// whole-unit deposits have a v1 form).
    pub fn written_by_v1(event: AccountEvent) -> StoredEvent {
        match event {
            AccountEvent::Deposited { amount_cents } if amount_cents.rem_euclid(100) == 0 => {
                StoredEvent::DepositedV1 { amount: amount_cents / 100 }
            }
            e => StoredEvent::Current(e),
        }
    }
}

impl AccountEvent {
    /// The event's name, as the audit trail and the journal print it.
    pub fn name(&self) -> &'static str {
        match self {
            AccountEvent::Opened { .. } => "Opened",
            AccountEvent::Deposited { .. } => "Deposited",
            AccountEvent::Withdrawn { .. } => "Withdrawn",
            AccountEvent::TransferSent { .. } => "TransferSent",
            AccountEvent::TransferReceived { .. } => "TransferReceived",
            AccountEvent::TransferRefunded { .. } => "TransferRefunded",
            AccountEvent::Reversed { .. } => "Reversed",
            AccountEvent::Closed => "Closed",
        }
    }

    /// What the event does to the balance, in cents.
    pub fn balance_delta(&self) -> i64 {
        match *self {
            AccountEvent::Deposited { amount_cents }
            | AccountEvent::TransferReceived { amount_cents, .. }
            | AccountEvent::TransferRefunded { amount_cents, .. } => amount_cents,
            AccountEvent::Withdrawn { amount_cents } | AccountEvent::TransferSent { amount_cents, .. } => -amount_cents,
            AccountEvent::Reversed { delta_cents, .. } => delta_cents,
            AccountEvent::Opened { .. } | AccountEvent::Closed => 0,
        }
    }
}
