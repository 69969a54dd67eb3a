//! Where the ledger keeps message records: memory bounded by what is in flight.
//!
//! Message ids are handed out in order, and most messages settle soon after they are produced, so
//! the records live in a *window*: a deque of the newest ids, from `base` up. A settled record
//! leaves from the front once more than `keep` newer ones exist (the most recent settled messages
//! stay inspectable). A message that stays in flight for long (a retry waiting a day, a record
//! stuck behind a dead consumer) would pin the window open; once the window is mostly settled
//! records, such a front record moves to `stragglers`, an ordered map, and the window closes behind
//! it. So the window holds at most `keep + 2 × live + 1` records, and memory is
//! O(in flight + keep), however long the run, plus the parked records: a message parked in a
//! dead-letter queue is never forgotten while it sits there (a redrive may publish it again), so
//! at the front of the window it moves to `stragglers` too, settled or not.

use super::record::MessageRecord;
use crate::sim::ids::MessageId;
use std::collections::BTreeMap;

/// A window of the newest records: a ring whose capacity is a power of two, so a lookup is one
/// add and one mask, and nothing is ever moved but when the ring doubles.
#[derive(Clone, Debug, Default)]
struct Window {
    slots: Vec<MessageRecord>,
    /// `slots.len() - 1` (the length is a power of two, or zero before the first push).
    mask: usize,
    head: usize,
    len: usize,
}

impl Window {
    #[inline]
    fn len(&self) -> usize {
        self.len
    }
    #[inline]
    fn mask(&self) -> usize {
        self.mask
    }
    #[inline]
    fn push_back(&mut self, r: MessageRecord) {
        if self.len == self.slots.len() {
            self.grow(r);
        }
        let at = (self.head + self.len) & self.mask();
        self.slots[at] = r;
        self.len += 1;
    }
    /// Doubles the ring, laying its records out from slot 0.
    #[cold]
    fn grow(&mut self, fill: MessageRecord) {
        let mut slots = Vec::with_capacity((self.slots.len() * 2).max(64));
        slots.extend(self.iter().copied());
        slots.resize(slots.capacity(), fill);
        self.slots = slots;
        self.mask = self.slots.len() - 1;
        self.head = 0;
    }
    #[inline]
    fn front(&self) -> Option<&MessageRecord> {
        (self.len > 0).then(|| &self.slots[self.head])
    }
    #[inline]
    fn pop_front(&mut self) {
        self.head = (self.head + 1) & self.mask();
        self.len -= 1;
    }
    /// The `i`-th record (the caller checked `i < len`).
    #[inline]
    fn at(&self, i: usize) -> &MessageRecord {
        &self.slots[(self.head + i) & self.mask()]
    }
    #[inline]
    fn at_mut(&mut self, i: usize) -> &mut MessageRecord {
        let mask = self.mask();
        &mut self.slots[(self.head + i) & mask]
    }
    fn iter(&self) -> impl Iterator<Item = &MessageRecord> + '_ {
        (0..self.len).map(move |i| &self.slots[(self.head + i) & self.mask()])
    }
}

#[derive(Clone, Debug)]
pub(super) struct RecordStore {
    /// Id of the window's first record.
    base: u32,
    window: Window,
    /// Records older than the window that are still in flight or parked, by id.
    stragglers: BTreeMap<MessageId, MessageRecord>,
    /// Settled records kept at least until this many newer ids exist.
    keep: usize,
}

impl RecordStore {
    pub fn new(keep: usize) -> Self {
        RecordStore { base: 0, window: Window::default(), stragglers: BTreeMap::new(), keep }
    }

    /// The id the next record gets.
    pub fn next_id(&self) -> MessageId {
        MessageId(self.base + self.window.len() as u32)
    }

    /// Appends the record of the next id. Returns the settled records that left the window, for
    /// the caller to tally; `live` is how many messages are in flight (stragglers included).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn push(&mut self, record: MessageRecord, live: u64, mut evicted: impl FnMut(MessageId, &MessageRecord)) {
        self.window.push_back(record);
        while self.window.len() > self.keep {
            let front = self.window.front().expect("the window is not empty");
            if front.holders == 0 && !front.dead_lettered {
                evicted(MessageId(self.base), front);
            } else if front.holders == 0 || self.window.len() as u64 > self.keep as u64 + 2 * live {
                self.stragglers.insert(MessageId(self.base), *front);
            } else {
                break;
            }
            self.window.pop_front();
            self.base += 1;
        }
    }

    #[inline]
    pub fn get(&self, id: MessageId) -> Option<&MessageRecord> {
        // One comparison for the common case: ids below the base wrap to huge offsets.
        let i = id.0.wrapping_sub(self.base) as usize;
        if i < self.window.len() {
            Some(self.window.at(i))
        } else {
            self.stragglers.get(&id)
        }
    }

    /// The record of `id`, which must be kept (every in-flight record is).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn get_mut(&mut self, id: MessageId) -> &mut MessageRecord {
        let i = id.0.wrapping_sub(self.base) as usize;
        if i < self.window.len() {
            self.window.at_mut(i)
        } else {
            self.straggler_mut(id)
        }
    }

    #[cold]
    fn straggler_mut(&mut self, id: MessageId) -> &mut MessageRecord {
        self.stragglers.get_mut(&id).unwrap_or_else(|| panic!("{id} is not in flight"))
    }

    /// A straggler that settled leaves the map (the caller tallies it), unless it is parked.
    #[inline]
    pub fn settled(&mut self, id: MessageId) -> Option<MessageRecord> {
        if id.0 < self.base && !self.stragglers.get(&id).is_some_and(|m| m.dead_lettered) {
            self.stragglers.remove(&id)
        } else {
            None
        }
    }

    /// Every kept record with its id: stragglers, then the window.
    pub fn iter(&self) -> impl Iterator<Item = (MessageId, &MessageRecord)> {
        let base = self.base;
        self.stragglers
            .iter()
            .map(|(&id, r)| (id, r))
            .chain(self.window.iter().enumerate().map(move |(i, r)| (MessageId(base + i as u32), r)))
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.window.len() + self.stragglers.len()
    }
}
