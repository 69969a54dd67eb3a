//! How the producing service publishes its events (`outbox`): straight from the producer (the
//! default, as every scenario did before), as a dual write (the service commits its state change
//! to its database, then publishes: a crash in between loses the event), or through a
//! transactional outbox (the state change and an outbox row commit in one local transaction; a
//! relay publishes the rows and marks them sent once the broker acknowledged them: a relay crash
//! in between publishes them again, at least once).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publish {
    /// The producer sends each event as it is made: nothing of the service's database is modelled.
    Direct,
    /// Commit the state change, then publish: two writes, no transaction across them.
    DualWrite,
    /// The state change and an outbox row in one transaction; a relay publishes the rows.
    Outbox,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxConfig {
    pub mode: Publish,
    /// Dual write: the chance the service crashes between its commit and its publish, per event.
    /// Outbox: the chance the relay crashes after publishing a batch, before marking it sent, per
    /// batch.
    pub crash_probability: f64,
    /// How often the relay polls the outbox for rows to publish.
    pub relay_interval_ms: u64,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig { mode: Publish::Direct, crash_probability: 0.0, relay_interval_ms: 100 }
    }
}

impl OutboxConfig {
    /// Whether it is left as it is by default: then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == OutboxConfig::default()
    }
}

/// Why the outbox cannot run with the producer's settings: the field named, and why.
pub fn refusal(o: &OutboxConfig, acks_zero: bool) -> Option<(&'static str, String)> {
    (o.mode == Publish::Outbox && acks_zero).then(|| {
        let why =
            "a relay that waits for no acknowledgement (acks 0) cannot know which rows to mark sent: set acks 1 or all";
        ("producer.acks", why.to_string())
    })
}
