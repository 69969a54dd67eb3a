//! CQRS for the guide's e-commerce case (`shop`): the producing service is a shop whose write
//! side (products and orders, the producer's keys are the products) publishes one event per
//! change, and each subscriber builds a read model from them (subscriber 1 the customers'
//! orders, every other a product catalogue that shoppers browse). Off by default: then the
//! section is left out of the JSON and out of the fingerprint.

use super::sourcing::Needs;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShopConfig {
    pub enabled: bool,
    /// Catalogue reads per command to the write side: the read load against the write load.
    pub reads_per_write: u32,
    /// Units a product is listed with and a restock adds.
    pub stock: u32,
    pub customers: u32,
}

/// The most reads per write (each read is drawn and checked: the cost grows with it).
pub const MAX_READS_PER_WRITE: u32 = 1_000;

impl Default for ShopConfig {
    fn default() -> Self {
        ShopConfig { enabled: false, reads_per_write: 20, stock: 20, customers: 100 }
    }
}

impl ShopConfig {
    /// Whether it is left as it is by default: then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == ShopConfig::default()
    }
}

/// Why the shop cannot run with the rest of the scenario: the field named, and why.
pub fn refusal(s: &ShopConfig, needs: &Needs, bank: bool) -> Option<(&'static str, String)> {
    if !s.enabled {
        return None;
    }
    let (field, why) = if bank {
        ("shop.enabled", "the producing service is either the event-sourced bank or the shop: turn one off")
    } else if needs.on_queue {
        ("broker", "the shop publishes its events to the log, where every read model reads them all: set broker to log")
    } else if needs.keys < 1 {
        ("producer.keys.count", "the products are the producer's keys: set at least 1 key")
    } else if needs.outbox_or_transactions {
        ("shop.enabled", "the shop's write side publishes its own events: turn the outbox and transactions off")
    } else if s.reads_per_write > MAX_READS_PER_WRITE {
        ("shop.reads_per_write", "at most 1000 reads per write")
    } else if s.customers == 0 {
        ("shop.customers", "the shop needs at least one customer")
    } else {
        return None;
    };
    Some((field, why.to_string()))
}
