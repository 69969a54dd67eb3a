//! The dead-letter queue: messages parked after processing gave up on them, effect not applied by
//! the copy that failed. Each entry says what a user needs to decide what to do with it: why it
//! was parked, how many attempts failed, when the first and the last failed. The queue is read
//! oldest first or by message id, and a redrive (`Command::Redrive`, after the fix is deployed)
//! takes messages out to publish them again.
//!
//! One entry per message: a second copy of a parked message (a redelivery after a crash or a
//! rebalance) that fails too joins its entry, adding its attempts. A Kafka DLQ topic would hold
//! two records; a redrive tool replaying by id would publish the message once, as this one does.

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimTime;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a message was dead-lettered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadLetterReason {
    /// Every attempt failed: the first and every retry the retry policy allows
    /// (`processing.retry`; none under the policy `none`).
    RetriesExhausted,
    /// The failure says retrying cannot help (a poison message: the payments API answered 400,
    /// an invalid payload, and the handler classifies that as non-retryable,
    /// `processing.classify_poison`), so it was parked at its first failure, without retries.
    NonRetryable,
    /// The queue broker dead-lettered it: its TTL ran out while it waited (`x-death` reason
    /// `expired`).
    Expired,
    /// The queue broker dead-lettered it: the oldest of a queue over its length limit (`x-death`
    /// reason `maxlen`).
    MaxLength,
    /// The queue broker dead-lettered it: a full queue refused it as it arrived (`x-overflow`
    /// reject-publish-dlx; `x-death` reason `maxlen`).
    Rejected,
    /// The queue broker dead-lettered it: it came back to the quorum queue more times than
    /// `x-delivery-limit` allows (`x-death` reason `delivery_limit`).
    DeliveryLimit,
}

impl DeadLetterReason {
    /// Whether the queue broker dead-lettered it on its own, with no processing attempt.
    pub fn by_queue(self) -> bool {
        matches!(
            self,
            DeadLetterReason::Expired
                | DeadLetterReason::MaxLength
                | DeadLetterReason::Rejected
                | DeadLetterReason::DeliveryLimit
        )
    }

    /// The reason in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            DeadLetterReason::RetriesExhausted => "retries exhausted",
            DeadLetterReason::NonRetryable => "non-retryable failure (poison message)",
            DeadLetterReason::Expired => "expired in the queue (x-death reason expired)",
            DeadLetterReason::MaxLength => "dropped from the head of the full queue (x-death reason maxlen)",
            DeadLetterReason::Rejected => "refused by the full queue as it arrived (x-death reason maxlen)",
            DeadLetterReason::DeliveryLimit => {
                "returned to the quorum queue more times than its delivery limit (x-death reason delivery_limit)"
            }
        }
    }
}

/// One message parked in the dead-letter queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    pub msg: MessageId,
    /// When it entered the queue.
    pub at: SimTime,
    /// Where it came from (its partition, or queue), as its source numbers them.
    pub lane: u32,
    pub reason: DeadLetterReason,
    /// Processing attempts of the message that failed, the last one included: the policy's
    /// retries + 1 when they ran out, more when a crash made it start its retries over.
    pub attempts: u32,
    pub first_failed_at: SimTime,
    pub last_failed_at: SimTime,
}

/// The parked messages, in the order they arrived.
#[derive(Clone, Debug, Default)]
pub struct DeadLetterQueue {
    /// Entries by arrival number: oldest first.
    entries: BTreeMap<u64, DeadLetter>,
    /// Each parked message's arrival number.
    by_msg: BTreeMap<MessageId, u64>,
    arrivals: u64,
    /// Messages taken out by a redrive, over the whole run.
    redriven: u64,
}

impl DeadLetterQueue {
    /// Parks `letter`. A message already parked keeps its place; its entry takes the new copy's
    /// attempts, failure times and reason. Returns true when the message was not parked before.
    pub fn push(&mut self, letter: DeadLetter) -> bool {
        if let Some(n) = self.by_msg.get(&letter.msg) {
            let e = self.entries.get_mut(n).expect("every parked message has an entry");
            e.attempts += letter.attempts;
            e.first_failed_at = e.first_failed_at.min(letter.first_failed_at);
            e.last_failed_at = e.last_failed_at.max(letter.last_failed_at);
            e.reason = letter.reason;
            return false;
        }
        self.by_msg.insert(letter.msg, self.arrivals);
        self.entries.insert(self.arrivals, letter);
        self.arrivals += 1;
        true
    }

    /// Takes `msg` out for a redrive; `None` if it is not parked.
    pub fn take(&mut self, msg: MessageId) -> Option<DeadLetter> {
        let n = self.by_msg.remove(&msg)?;
        self.redriven += 1;
        self.entries.remove(&n)
    }

    /// How many messages are parked.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Every entry, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &DeadLetter> + '_ {
        self.entries.values()
    }
    /// The newest entry, if any.
    pub fn newest(&self) -> Option<&DeadLetter> {
        self.entries.values().next_back()
    }
    /// The entry of `msg`, if it is parked.
    pub fn get(&self, msg: MessageId) -> Option<&DeadLetter> {
        self.by_msg.get(&msg).map(|n| &self.entries[n])
    }
    /// Whether `msg` is parked.
    pub fn contains(&self, msg: MessageId) -> bool {
        self.by_msg.contains_key(&msg)
    }
    /// How many messages redrives took out over the run (a message redriven twice counts twice).
    pub fn redriven(&self) -> u64 {
        self.redriven
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(msg: u32, at_ms: u64, attempts: u32) -> DeadLetter {
        DeadLetter {
            msg: MessageId(msg),
            at: SimTime::from_ms(at_ms),
            lane: 0,
            reason: DeadLetterReason::RetriesExhausted,
            attempts,
            first_failed_at: SimTime::from_ms(at_ms - 10),
            last_failed_at: SimTime::from_ms(at_ms),
        }
    }

    #[test]
    fn oldest_first_lookup_by_id_and_take() {
        let mut q = DeadLetterQueue::default();
        for (msg, at) in [(7, 100), (3, 200), (9, 300)] {
            assert!(q.push(letter(msg, at, 4)));
        }
        let order: Vec<u32> = q.iter().map(|d| d.msg.0).collect();
        assert_eq!(order, [7, 3, 9], "arrival order, not id order");
        assert_eq!(q.get(MessageId(3)).map(|d| d.at), Some(SimTime::from_ms(200)));
        assert_eq!(q.newest().map(|d| d.msg), Some(MessageId(9)));
        assert_eq!(q.take(MessageId(3)).map(|d| d.msg), Some(MessageId(3)));
        assert_eq!((q.take(MessageId(3)), q.get(MessageId(3)), q.len(), q.redriven()), (None, None, 2, 1));
        assert!(q.push(letter(3, 400, 4)), "a redriven message may be parked again");
        let order: Vec<u32> = q.iter().map(|d| d.msg.0).collect();
        assert_eq!(order, [7, 9, 3]);
    }

    #[test]
    fn a_second_copy_joins_the_entry() {
        let mut q = DeadLetterQueue::default();
        q.push(letter(5, 100, 4));
        q.push(letter(6, 150, 4));
        assert!(!q.push(letter(5, 500, 2)));
        let e = q.get(MessageId(5)).unwrap();
        assert_eq!(
            (e.attempts, e.at, e.first_failed_at, e.last_failed_at),
            (6, SimTime::from_ms(100), SimTime::from_ms(90), SimTime::from_ms(500))
        );
        assert_eq!((q.len(), q.iter().next().unwrap().msg), (2, MessageId(5)), "it keeps its place");
    }
}
