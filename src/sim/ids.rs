//! Typed ids: which message, which consumer, which partition. Each is a `u32` underneath, costs
//! nothing at run time, and reads and writes as the bare number in JSON (command logs, reports,
//! journeys), so no format changed when the bare `u32`s became types. A message prints as the
//! guide writes it (`evt_000123`); a consumer and a partition print as their number.
//!
//! This file depends on nothing else in the engine: every layer but the kernel may name an id.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
    };
}

macro_rules! plain_index {
    ($name:ident) => {
        impl $name {
            /// The id as an index into a list held in id order.
            #[inline(always)]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A message: its index in the ledger, handed out in order from 0.
    MessageId
);
id_type!(
    /// A consumer: its index among its subscriber's consumers, handed out in order from 0 (a
    /// consumer that left keeps its id; a new one gets the next), and in the bits above
    /// [`ConsumerId::SUBSCRIBER_SHIFT`] which subscriber it consumes for (publish-subscribe: one
    /// consumer group or queue per subscriber). The first subscriber's consumers are the bare
    /// numbers 0, 1, 2…, so every command log and report written before subscribers existed reads
    /// the same.
    ConsumerId
);
id_type!(
    /// A partition of the topic, from 0.
    PartitionId
);
plain_index!(MessageId);
plain_index!(PartitionId);

impl ConsumerId {
    /// Where the subscriber's number starts in the id's bits.
    pub const SUBSCRIBER_SHIFT: u32 = 16;

    /// Consumer `index` of subscriber `subscriber`.
    #[inline(always)]
    pub const fn of(subscriber: u8, index: u32) -> ConsumerId {
        ConsumerId(((subscriber as u32) << Self::SUBSCRIBER_SHIFT) | index)
    }

    /// The consumer's index among its subscriber's consumers.
    #[inline(always)]
    pub const fn index(self) -> usize {
        (self.0 & ((1 << Self::SUBSCRIBER_SHIFT) - 1)) as usize
    }

    /// The subscriber it consumes for (0 for the first, and the only one without
    /// publish-subscribe).
    #[inline(always)]
    pub const fn subscriber(self) -> u8 {
        (self.0 >> Self::SUBSCRIBER_SHIFT) as u8
    }
}

impl fmt::Display for MessageId {
    /// `evt_000123`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "evt_{:06}", self.0)
    }
}

impl FromStr for MessageId {
    type Err = String;
    /// A message id as the page and the report write it (`evt_000123`), or a bare number.
    fn from_str(text: &str) -> Result<MessageId, String> {
        let t = text.trim();
        t.strip_prefix("evt_")
            .unwrap_or(t)
            .parse::<u32>()
            .map(MessageId)
            .map_err(|_| format!("`{text}` is not a message id (try evt_000123)"))
    }
}

impl fmt::Display for ConsumerId {
    /// Its index among its subscriber's consumers (the page and the journey name the subscriber
    /// beside it when there are several).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.index(), f)
    }
}

impl fmt::Display for PartitionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_print_and_parse_as_the_guide_writes_them() {
        assert_eq!(MessageId(123).to_string(), "evt_000123");
        assert_eq!(MessageId(1_234_567).to_string(), "evt_1234567");
        for id in [0, 7, 123, 999_999, 1_234_567, u32::MAX] {
            assert_eq!(MessageId(id).to_string().parse(), Ok(MessageId(id)));
        }
        assert_eq!(" 42 ".parse(), Ok(MessageId(42)));
        assert_eq!("order-7".parse::<MessageId>(), Err("`order-7` is not a message id (try evt_000123)".into()));
        assert!("evt_".parse::<MessageId>().is_err() && "-1".parse::<MessageId>().is_err());
    }

    #[test]
    fn ids_read_and_write_as_bare_numbers() {
        assert_eq!(serde_json::to_string(&MessageId(5)).unwrap(), "5");
        assert_eq!(serde_json::to_string(&(ConsumerId(2), PartitionId(3))).unwrap(), "[2,3]");
        assert_eq!(serde_json::from_str::<ConsumerId>("4").unwrap(), ConsumerId(4));
        assert_eq!((ConsumerId(12).to_string(), PartitionId(3).to_string()), ("12".into(), "3".into()));
        assert_eq!(format!("c{:>3}", ConsumerId(1)), "c  1", "padding reaches the number");
    }

    #[test]
    fn a_consumer_id_carries_its_subscriber_above_its_index() {
        let c = ConsumerId::of(2, 5);
        assert_eq!((c.subscriber(), c.index(), c.to_string()), (2, 5, "5".into()));
        assert_eq!(ConsumerId::of(0, 7), ConsumerId(7), "the first subscriber's ids are the bare numbers");
        assert_eq!(ConsumerId(7).subscriber(), 0);
    }
}
