//! Versioning, the guide's third idempotency strategy: the state kept for each key carries the
//! version of the last event applied to it, and the effect is a conditional write (`UPDATE …
//! SET …, version = v WHERE key = k AND version < v`), so the check and the effect are one
//! transaction. An event no newer than the key's version changes nothing: a redelivery of what
//! was applied, and also an older event that arrives after a newer one, whose update is then
//! never applied.
//!
//! A message's version is its place in the producer's order (its id): the producer numbers the
//! events of a key in the order it produces them, as an app stamping a per-key sequence does.
//! The store holds one entry per key that was ever applied (the app's table), so it grows with
//! the key space (`producer.keys.count`, at most a million), not with the messages.

use crate::sim::ids::MessageId;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct VersionStore {
    /// Each key's version: the newest message applied to it.
    applied: BTreeMap<u32, MessageId>,
}

/// What the conditional write does with one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionCheck {
    /// Newer than the key's version (or the key's first): applied, and the version moves to it.
    Newer,
    /// No newer than `current`, the key's version: the write changes nothing.
    NotNewer { current: MessageId },
}

impl VersionStore {
    /// The conditional write of `msg` to `key`: applies it (the version moves) only if newer.
    pub fn write(&mut self, key: u32, msg: MessageId) -> VersionCheck {
        match self.applied.get(&key) {
            Some(&current) if current >= msg => VersionCheck::NotNewer { current },
            _ => {
                self.applied.insert(key, msg);
                VersionCheck::Newer
            }
        }
    }

    /// Keys with a version.
    pub fn len(&self) -> usize {
        self.applied.len()
    }

    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_newer_version_writes() {
        let mut v = VersionStore::default();
        assert_eq!(v.write(7, MessageId(3)), VersionCheck::Newer);
        assert_eq!(v.write(7, MessageId(3)), VersionCheck::NotNewer { current: MessageId(3) }, "a redelivery");
        assert_eq!(v.write(7, MessageId(9)), VersionCheck::Newer);
        assert_eq!(v.write(7, MessageId(5)), VersionCheck::NotNewer { current: MessageId(9) }, "older, arriving late");
        assert_eq!(v.write(8, MessageId(1)), VersionCheck::Newer, "each key its own version");
        assert_eq!(v.len(), 2);
    }
}
