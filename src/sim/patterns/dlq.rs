//! The dead-letter queue: messages parked after their last retry, effect not applied.

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimTime;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    pub msg: MessageId,
    pub at: SimTime,
    /// Where it came from (its partition, or queue), as its source numbers them.
    pub lane: u32,
}

#[derive(Clone, Debug, Default)]
pub struct DeadLetterQueue {
    entries: Vec<DeadLetter>,
}

impl DeadLetterQueue {
    pub fn push(&mut self, letter: DeadLetter) {
        self.entries.push(letter);
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The newest `n` entries, newest last.
    pub fn recent(&self, n: usize) -> &[DeadLetter] {
        &self.entries[self.entries.len().saturating_sub(n)..]
    }
}
