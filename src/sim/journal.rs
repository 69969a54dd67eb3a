//! The journal: what happened, in structured entries, for the event log. A bounded ring: the
//! newest entries are kept, in fixed memory.

use crate::sim::event::{JournalEntry, JournalKind};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::time::SimTime;

#[derive(Clone, Debug)]
pub struct Journal {
    entries: Ring<JournalEntry>,
}

impl Journal {
    /// A journal keeping the newest `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Journal { entries: Ring::new(capacity) }
    }

    #[inline]
    pub fn note(&mut self, time: SimTime, kind: JournalKind) {
        self.entries.push(JournalEntry { time, kind });
    }

    /// The newest entries, oldest first.
    pub fn entries(&self) -> &Ring<JournalEntry> {
        &self.entries
    }
}
