//! The event store: one append-only stream per account, a global position across all of them,
//! optimistic concurrency by expected version, and snapshots every N events of a stream.
//!
//! Nothing is ever edited or removed. A stream's state is the fold of its events (upcast to the
//! current schema); a snapshot is that fold at some version, kept so that loading an account
//! folds only the tail after it. Snapshots are a cache: replaying the events from position 0
//! gives the same states (the property tests check it).

use super::account::Account;
use super::event::{AccountEvent, AccountId, StoredEvent};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who asked: a command's id, unique per command (a retried command keeps its id).
pub type CommandId = u64;

/// One event in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// Its place in the whole store, from 0.
    pub position: u64,
    pub stream: AccountId,
    /// Its place in its stream, from 1: the stream's version once it is appended.
    pub version: u32,
    /// When it was appended (sim time, microseconds).
    pub at_us: u64,
    /// The command that produced it.
    pub command: CommandId,
    pub stored: StoredEvent,
}

impl Recorded {
    /// The event as the domain reads it (upcast from the schema it was written with).
    pub fn event(&self) -> AccountEvent {
        self.stored.upcast()
    }
}

/// What an append expects the stream's version to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ExpectedVersion {
    /// Whatever it is (no concurrency check).
    Any,
    /// Exactly this many events (0: the stream must not exist yet).
    Exact(u32),
}

/// An append refused because the stream moved on since the writer read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub stream: AccountId,
    pub expected: u32,
    pub actual: u32,
}

/// A stream's fold at some version, kept to shorten later loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub state: Account,
    /// Where the snapshot's last event sits in the store.
    pub position: u64,
}

#[derive(Clone, Debug, Default)]
pub struct EventStore {
    events: Vec<Recorded>,
    /// Each stream's positions in the store, in version order.
    streams: BTreeMap<AccountId, Vec<u64>>,
    snapshots: BTreeMap<AccountId, Vec<Snapshot>>,
    /// A snapshot after every this many events of a stream (0: none).
    snapshot_every: u32,
}

impl EventStore {
    pub fn new(snapshot_every: u32) -> Self {
        EventStore { snapshot_every, ..EventStore::default() }
    }

    /// Every event, by position.
    pub fn events(&self) -> &[Recorded] {
        &self.events
    }

    /// The event at `position`, if there is one.
    pub fn get(&self, position: u64) -> Option<&Recorded> {
        usize::try_from(position).ok().and_then(|i| self.events.get(i))
    }

    /// The next position an append takes (the store's length).
    pub fn head(&self) -> u64 {
        self.events.len() as u64
    }

    /// The streams, in account order.
    pub fn stream_ids(&self) -> impl Iterator<Item = AccountId> + '_ {
        self.streams.keys().copied()
    }

    /// A stream's version: how many events it holds (0 when it does not exist).
    pub fn version(&self, stream: AccountId) -> u32 {
        self.streams.get(&stream).map_or(0, |p| p.len() as u32)
    }

    /// A stream's version as it was at `at_us`: its events appended then or before.
    pub fn version_at_time(&self, stream: AccountId, at_us: u64) -> u32 {
        let Some(positions) = self.streams.get(&stream) else { return 0 };
        positions.partition_point(|&p| self.get(p).is_some_and(|r| r.at_us <= at_us)) as u32
    }

    /// A stream's events, in version order.
    pub fn stream(&self, stream: AccountId) -> impl Iterator<Item = &Recorded> + '_ {
        self.streams.get(&stream).into_iter().flatten().filter_map(|&p| self.get(p))
    }

    /// A stream's snapshots, oldest first.
    pub fn snapshots(&self, stream: AccountId) -> &[Snapshot] {
        self.snapshots.get(&stream).map_or(&[], Vec::as_slice)
    }

    /// Appends `stored` to `stream` if the stream is at `expected`; its position.
    pub fn append(
        &mut self,
        stream: AccountId,
        expected: ExpectedVersion,
        stored: StoredEvent,
        at_us: u64,
        command: CommandId,
    ) -> Result<u64, Conflict> {
        let actual = self.version(stream);
        if let ExpectedVersion::Exact(expected) = expected {
            if expected != actual {
                return Err(Conflict { stream, expected, actual });
            }
        }
        let position = self.head();
        let version = actual + 1;
        self.events.push(Recorded { position, stream, version, at_us, command, stored });
        self.streams.entry(stream).or_default().push(position);
        if self.snapshot_every > 0 && version.is_multiple_of(self.snapshot_every) {
            let state = self.load(stream);
            self.snapshots.entry(stream).or_default().push(Snapshot { state, position });
        }
        Ok(position)
    }

    /// A stream's current state: its latest snapshot and the events after it.
    pub fn load(&self, stream: AccountId) -> Account {
        self.load_at(stream, u32::MAX)
    }

    /// A stream's state at `version` (its first `version` events), from the latest snapshot at
    /// or before it and the events between.
    pub fn load_at(&self, stream: AccountId, version: u32) -> Account {
        let snap = self.snapshots(stream).iter().rev().find(|s| s.state.version <= version);
        let mut state = snap.map_or(Account::empty(stream), |s| s.state);
        for r in self.stream(stream).skip(state.version as usize).take_while(|r| r.version <= version) {
            state.apply(&r.event());
        }
        state
    }

    /// A stream's state at `version` folded from its first event, ignoring snapshots.
    pub fn replay_at(&self, stream: AccountId, version: u32) -> Account {
        let events: Vec<AccountEvent> =
            self.stream(stream).take_while(|r| r.version <= version).map(Recorded::event).collect();
        Account::fold(stream, &events)
    }

    /// Every account's state from replaying the whole store in position order, as a rebuilt
    /// read model would.
    pub fn replay_all(&self) -> BTreeMap<AccountId, Account> {
        let mut states: BTreeMap<AccountId, Account> = BTreeMap::new();
        for r in &self.events {
            states.entry(r.stream).or_insert_with(|| Account::empty(r.stream)).apply(&r.event());
        }
        states
    }

    /// A stream's events upcast to the current schema, in version order.
    pub fn history(&self, stream: AccountId) -> Vec<AccountEvent> {
        self.stream(stream).map(Recorded::event).collect()
    }
}
