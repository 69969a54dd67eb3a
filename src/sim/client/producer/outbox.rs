//! The producing service's side of publishing (`config/outbox.rs`): a dual write that a crash can
//! cut in two, or a transactional outbox and its relay.
//!
//! The outbox keeps a row per event until the relay has marked it sent; the row holds its message
//! in the ledger, so an event is never lost while its row exists. Every relay interval the relay
//! marks the rows whose publish the broker acknowledged (unless it crashes first: then they are
//! published again, and the log holds a second copy that the idempotent producer cannot
//! recognise, a new record to it), puts back the rows whose publish failed, and publishes every
//! row not yet published.

use crate::sim::ids::{MessageId, PartitionId};
use crate::sim::kernel::rng::{Rng, Stream};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowState {
    /// Waiting for the relay.
    Pending,
    /// Published, no answer yet.
    Publishing,
    /// The broker acknowledged it: the relay marks it sent at its next poll.
    Acked,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    partition: PartitionId,
    state: RowState,
}

/// What the service's publishing did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutboxStats {
    /// Rows the relay published, and how many of those were published again after a crash.
    pub published: u64,
    pub republished: u64,
    pub relay_crashes: u64,
    /// Events a dual write lost: the service crashed between its commit and its publish.
    pub dual_write_lost: u64,
}

/// The outbox table and its relay.
#[derive(Clone, Debug)]
pub struct Outbox {
    rows: BTreeMap<MessageId, Row>,
    /// Rows published before (a crash undid their mark): publishing them again is a republish.
    again: BTreeMap<MessageId, ()>,
    /// A relay poll is scheduled.
    pub(super) polling: bool,
    crashes: Rng,
    pub(super) stats: OutboxStats,
}

impl Outbox {
    pub fn new(seed: u64) -> Self {
        Outbox {
            rows: BTreeMap::new(),
            again: BTreeMap::new(),
            polling: false,
            crashes: Rng::for_stream(seed, Stream::Outbox),
            stats: OutboxStats::default(),
        }
    }

    pub fn stats(&self) -> OutboxStats {
        self.stats
    }

    /// Rows waiting to be marked sent.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The service committed `msg`'s row with its state change.
    pub(super) fn insert(&mut self, msg: MessageId, partition: PartitionId) {
        self.rows.insert(msg, Row { partition, state: RowState::Pending });
    }

    /// Whether a crash strikes now, at probability `p`.
    pub(super) fn crash(&mut self, p: crate::sim::kernel::rng::Probability) -> bool {
        self.crashes.chance(p)
    }

    /// The broker acknowledged `msg`'s publish.
    pub(super) fn acked(&mut self, msg: MessageId) {
        if let Some(row) = self.rows.get_mut(&msg) {
            row.state = RowState::Acked;
        }
    }

    /// The producer gave up on `msg`'s publish: the relay publishes the row again.
    pub(super) fn failed(&mut self, msg: MessageId) {
        if let Some(row) = self.rows.get_mut(&msg) {
            row.state = RowState::Pending;
        }
    }

    /// The relay's poll: with `crashed`, acknowledged rows lose their chance to be marked and go
    /// back to pending; else they are marked sent and leave (returned, to release their holds).
    pub(super) fn mark(&mut self, crashed: bool) -> Vec<MessageId> {
        let acked: Vec<MessageId> =
            self.rows.iter().filter(|(_, r)| r.state == RowState::Acked).map(|(&m, _)| m).collect();
        if crashed {
            for m in &acked {
                self.rows.get_mut(m).expect("listed").state = RowState::Pending;
                self.again.insert(*m, ());
            }
            return Vec::new();
        }
        for m in &acked {
            self.rows.remove(m);
            self.again.remove(m);
        }
        acked
    }

    /// Rows waiting, now being published: their messages and partitions.
    pub(super) fn take_pending(&mut self) -> Vec<(MessageId, PartitionId)> {
        let mut out = Vec::new();
        for (&m, row) in self.rows.iter_mut().filter(|(_, r)| r.state == RowState::Pending) {
            row.state = RowState::Publishing;
            out.push((m, row.partition));
        }
        self.stats.published += out.len() as u64;
        self.stats.republished += out.iter().filter(|(m, _)| self.again.contains_key(m)).count() as u64;
        out
    }

    /// Rows the broker acknowledged, waiting for their mark.
    pub(super) fn acked_count(&self) -> u32 {
        self.rows.values().filter(|r| r.state == RowState::Acked).count() as u32
    }
}
