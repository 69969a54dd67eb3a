//! The journal: what happened, in structured entries. The event log reads a bounded ring of the
//! newest entries; message journeys (`journey.rs`) collect the same entries per message.

use crate::sim::event::{JournalEntry, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::journey::{Journey, JourneyBook, JourneyPolicy};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::time::SimTime;
use crate::sim::ledger::Ledger;

#[derive(Clone, Debug)]
pub struct Journal {
    entries: Ring<JournalEntry>,
    journeys: JourneyBook,
    /// Every entry since the last drain, when tapped (the command line's `--journal`).
    tap: Option<Vec<JournalEntry>>,
    /// When tapped, the owner of each partition after each rebalance since the last drain, by
    /// generation: the `--journal` line of a completed rebalance carries it, while the entry
    /// itself stays a few words.
    tapped_assignments: Vec<(u8, u32, Vec<Option<ConsumerId>>)>,
    /// The entries the run's start made (before any event), for a tap opened after it.
    start: Vec<JournalEntry>,
}

impl Journal {
    /// A journal keeping the newest `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        // Tapped until `started`: a tap opened later still gets the start's entries.
        Journal {
            entries: Ring::new(capacity),
            journeys: JourneyBook::default(),
            tap: Some(Vec::new()),
            tapped_assignments: Vec::new(),
            start: Vec::new(),
        }
    }

    /// The run's start is over: its entries wait for a tap.
    pub fn started(&mut self) {
        self.start = self.tap.take().unwrap_or_default();
    }

    /// Records an entry in the event log and, if it is about a message whose journey is recorded,
    /// in that journey.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn note(&mut self, time: SimTime, kind: JournalKind, ledger: &Ledger) {
        self.entries.push(JournalEntry { time, kind });
        if let Some(tap) = &mut self.tap {
            tap.push(JournalEntry { time, kind });
        }
        if self.journeys.recording() {
            if let Some(msg) = kind.msg() {
                self.step(msg, time, kind, ledger);
            }
        }
    }

    /// Records a step of `msg`'s journey only (not an event-log line).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn step(&mut self, msg: MessageId, time: SimTime, kind: JournalKind, ledger: &Ledger) {
        if self.journeys.recording() {
            self.record_step(msg, time, kind, ledger);
        }
    }

    #[inline(never)]
    fn record_step(&mut self, msg: MessageId, time: SimTime, kind: JournalKind, ledger: &Ledger) {
        if self.journeys.wants(msg) {
            self.journeys.record(msg, time, kind, |id| ledger.get(id).is_some());
        }
    }

    /// Keeps every entry from now on, beginning with the start's entries if no tap took them yet.
    pub fn set_tap(&mut self, on: bool) {
        self.tap = on.then(|| std::mem::take(&mut self.start));
    }

    /// The entries tapped since the last call.
    pub fn take_tapped(&mut self) -> Vec<JournalEntry> {
        self.tap.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Keeps, when tapped, the owner of each partition that rebalance `generation` settled on.
    pub fn tap_assignment(&mut self, group: u8, generation: u32, owners: &[Option<ConsumerId>]) {
        if self.tap.is_some() {
            self.tapped_assignments.push((group, generation, owners.to_vec()));
        }
    }

    /// The assignments tapped since the last call, by group and generation.
    pub fn take_tapped_assignments(&mut self) -> Vec<(u8, u32, Vec<Option<ConsumerId>>)> {
        std::mem::take(&mut self.tapped_assignments)
    }

    pub fn set_journeys(&mut self, policy: JourneyPolicy) {
        self.journeys.set_policy(policy);
    }

    /// The journey of `msg`, if it is kept.
    pub fn journey(&self, msg: MessageId) -> Option<&Journey> {
        self.journeys.get(msg)
    }

    /// The newest entries, oldest first.
    pub fn entries(&self) -> &Ring<JournalEntry> {
        &self.entries
    }
}
