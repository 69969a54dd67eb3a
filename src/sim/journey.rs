//! Message journeys: every step one message went through, with its sim time (produced, appended at
//! a partition and offset, delivered to which consumer, crashes, redeliveries, dedup hits, effects,
//! retries, dead letters, commits, how it settled). The product's question for one message.
//!
//! Journeys are kept for exactly the messages whose records the ledger keeps (all in flight, the
//! newest settled, the newest notable ones): each time the book has doubled since it was last
//! pruned, it drops the journeys of forgotten messages. A journey keeps its first
//! [`MAX_STEPS`] steps and counts the rest. Recording is off unless a driver asks for it (the page
//! records every message, `eda-lab run --journey ID` one), so batch runs pay nothing.

use crate::sim::event::{JournalEntry, JournalKind};
use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimTime;
use serde::Serialize;
use std::collections::BTreeMap;

/// Steps kept per journey.
pub const MAX_STEPS: usize = 96;

/// Which messages' journeys to record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JourneyPolicy {
    #[default]
    Off,
    /// Every message's (within the ledger's memory bound).
    All,
    /// One message's.
    Only(MessageId),
}

/// The steps of one message.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Journey {
    pub steps: Vec<JournalEntry>,
    /// Steps beyond [`MAX_STEPS`] that were not kept.
    pub dropped: u32,
}

#[derive(Clone, Debug, Default)]
pub struct JourneyBook {
    policy: JourneyPolicy,
    journeys: BTreeMap<MessageId, Journey>,
    pruned_to: usize,
}

impl JourneyBook {
    pub fn set_policy(&mut self, policy: JourneyPolicy) {
        self.policy = policy;
    }

    /// Whether any journey is recorded (checked first: batch runs record none).
    #[inline]
    pub fn recording(&self) -> bool {
        self.policy != JourneyPolicy::Off
    }

    /// Whether steps of `msg` are recorded.
    #[inline]
    pub fn wants(&self, msg: MessageId) -> bool {
        match self.policy {
            JourneyPolicy::Off => false,
            JourneyPolicy::All => true,
            JourneyPolicy::Only(m) => m == msg,
        }
    }

    /// Adds a step to `msg`'s journey. `kept` tells which messages the ledger still keeps.
    pub fn record(&mut self, msg: MessageId, time: SimTime, kind: JournalKind, kept: impl Fn(MessageId) -> bool) {
        let journey = self.journeys.entry(msg).or_default();
        if journey.steps.len() < MAX_STEPS {
            journey.steps.push(JournalEntry { time, kind });
        } else {
            journey.dropped += 1;
        }
        if self.journeys.len() > 2 * self.pruned_to + 1_024 {
            self.journeys.retain(|&id, _| kept(id));
            self.pruned_to = self.journeys.len();
        }
    }

    /// The journey of `msg`, if it is kept.
    pub fn get(&self, msg: MessageId) -> Option<&Journey> {
        self.journeys.get(&msg)
    }

    /// How many journeys are kept.
    pub fn len(&self) -> usize {
        self.journeys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.journeys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_what_the_policy_asks_and_stays_bounded() {
        let mut book = JourneyBook::default();
        let m = MessageId;
        book.record(m(1), SimTime(1), JournalKind::AckLost { msg: m(1) }, |_| true);
        book.set_policy(JourneyPolicy::Only(m(7)));
        assert!(book.wants(m(7)) && !book.wants(m(8)));
        book.set_policy(JourneyPolicy::All);
        for id in 0..10_000 {
            book.record(m(id), SimTime(id as u64), JournalKind::AckLost { msg: m(id) }, |k| k.0 >= 9_990);
        }
        assert!(book.len() < 2_100, "{} journeys kept", book.len());
        assert_eq!(book.get(m(9_999)).unwrap().steps.len(), 1);
        for _ in 0..MAX_STEPS + 5 {
            book.record(m(9_999), SimTime(1), JournalKind::AckLost { msg: m(9_999) }, |_| true);
        }
        let last = book.get(m(9_999)).unwrap();
        assert_eq!((last.steps.len(), last.dropped), (MAX_STEPS, 6));
    }
}
