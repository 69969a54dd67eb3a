//! Event sourcing and CQRS (`sourcing`): the producing service is a bank whose accounts are
//! event-sourced (the producer's keys are the accounts), and each subscriber of the log is a
//! projection building a read model from the events. Off by default: then the producer sends
//! plain events as before, the section is left out of the JSON and out of the fingerprint.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourcingConfig {
    pub enabled: bool,
    /// A snapshot of an account after every this many of its events (0: none).
    pub snapshot_every: u32,
    /// Until this time the service writes deposits in schema v1 (whole units), as before its
    /// upgrade; readers upcast them (0: always v2).
    pub v1_until_ms: u64,
    /// The balance view's bug: a received transfer is taken as sent. Fix it, then rebuild.
    pub projection_bug: bool,
    /// The chance a client, its answer lost, sends its last command again under the same id.
    pub resend_probability: f64,
    /// How long a command handler takes from reading the account to appending its event.
    pub handle_ms: u64,
    /// Appends expect the version the handler read (optimistic concurrency).
    pub version_check: bool,
}

impl Default for SourcingConfig {
    fn default() -> Self {
        SourcingConfig {
            enabled: false,
            snapshot_every: 10,
            v1_until_ms: 0,
            projection_bug: false,
            resend_probability: 0.0,
            handle_ms: 0,
            version_check: true,
        }
    }
}

impl SourcingConfig {
    /// Whether it is left as it is by default: then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == SourcingConfig::default()
    }
}

/// What the rest of the scenario is, as far as event sourcing cares.
pub struct Needs {
    pub on_queue: bool,
    pub keys: u32,
    pub outbox_or_transactions: bool,
}

/// Why event sourcing cannot run with the rest of the scenario: the field named, and why.
pub fn refusal(s: &SourcingConfig, needs: &Needs) -> Option<(&'static str, String)> {
    if !s.enabled {
        return None;
    }
    let (field, why) = if needs.on_queue {
        ("broker", "event sourcing publishes the store's events to the log, where projections can read them again: set broker to log")
    } else if needs.keys < 2 {
        ("producer.keys.count", "the accounts are the producer's keys, and transfers need two: set at least 2 keys")
    } else if needs.outbox_or_transactions {
        ("sourcing.enabled", "the event store is the service's own publication: turn the outbox and transactions off")
    } else {
        return None;
    };
    Some((field, why.to_string()))
}

/// Why subscriber `subscriber`'s projection cannot be rebuilt in a run of `subscribers`.
pub fn rebuild_refusal(s: &SourcingConfig, subscriber: u8, subscribers: usize) -> Option<String> {
    if !s.enabled {
        return Some("event sourcing is off (sourcing.enabled): there is no projection to rebuild".into());
    }
    let n = subscribers;
    (usize::from(subscriber) >= n).then(|| format!("there is no subscriber {subscriber} (the run has {n}, from 0)"))
}
