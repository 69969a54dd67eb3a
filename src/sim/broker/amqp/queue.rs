//! One queue as RabbitMQ 3.10 keeps it: ready messages in order, deliveries awaiting their
//! acknowledgement, a message TTL (the queue's `x-message-ttl` or the message's own expiration,
//! whichever is shorter), length limits (`x-max-length`, `x-max-length-bytes`, counting ready
//! messages only) with their overflow behaviour, and, for quorum queues, a delivery limit. Each
//! rule here was checked against a RabbitMQ 3.10 server (`tests/rabbitmq/SERVER_FACTS.md`).
//!
//! Leaf logic only: every operation returns the messages that leave the queue dead (with their
//! reason); the broker routes them to the dead-letter exchange.
//!
//! Expiry happens at the head: a message whose TTL ran out behind one that has not is removed
//! only when it reaches the head, as RabbitMQ does; nobody is ever given an expired message.

use super::dead_letter::{DeathReason, XDeath};
use super::headers::FieldTable;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Classic or quorum: they differ in where a requeued message goes (classic: back to its place;
/// quorum: the tail, or first when the queue has a delivery limit), in the delivery limit, and in how a length limit refuses publishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    #[default]
    Classic,
    Quorum,
}

/// What a full queue does with one more message (`x-overflow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overflow {
    /// Take it and drop (dead-letter, reason maxlen) the oldest ready messages.
    #[default]
    #[serde(rename = "drop-head")]
    DropHead,
    /// Refuse it: the publisher's confirm is a nack.
    #[serde(rename = "reject-publish")]
    RejectPublish,
    /// Refuse it and dead-letter it (reason maxlen); the publisher's confirm is a nack.
    #[serde(rename = "reject-publish-dlx")]
    RejectPublishDlx,
}

/// A queue's declaration: its name and arguments.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: QueueKind,
    pub message_ttl_ms: Option<u64>,
    pub max_length: Option<u64>,
    pub max_length_bytes: Option<u64>,
    pub overflow: Overflow,
    pub dead_letter_exchange: Option<String>,
    pub dead_letter_routing_key: Option<String>,
    /// Quorum queues only: a message returned more times than this is dead-lettered.
    pub delivery_limit: Option<u64>,
    /// Amazon SQS's redrive policy as a preset (see [`RedrivePolicy`]).
    pub redrive_policy: Option<RedrivePolicy>,
}

/// SQS's redrive policy (`maxReceiveCount` and a dead-letter queue) as RabbitMQ can come closest:
/// a quorum queue whose `x-delivery-limit` is `max_receive_count - 1` (so a message is delivered
/// at most `max_receive_count` times) dead-lettering through the default exchange straight to
/// `dead_letter_queue`. One difference remains: SQS moves the message when it would be received
/// once more; RabbitMQ moves it at the return that goes over the limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedrivePolicy {
    pub max_receive_count: u64,
    pub dead_letter_queue: String,
}

impl QueueConfig {
    /// The declaration with a redrive policy expanded into the arguments it stands for, or what
    /// conflicts with it.
    pub fn resolved(&self) -> Result<QueueConfig, String> {
        let Some(policy) = &self.redrive_policy else { return Ok(self.clone()) };
        let field = "redrive_policy";
        if policy.max_receive_count == 0 {
            return Err(format!("{field}.max_receive_count: at least 1"));
        }
        if self.delivery_limit.is_some()
            || self.dead_letter_exchange.is_some()
            || self.dead_letter_routing_key.is_some()
        {
            return Err(format!("{field}: sets delivery_limit and the dead-letter exchange itself; leave them out"));
        }
        Ok(QueueConfig {
            kind: QueueKind::Quorum,
            delivery_limit: Some(policy.max_receive_count - 1),
            dead_letter_exchange: Some(String::new()),
            dead_letter_routing_key: Some(policy.dead_letter_queue.clone()),
            redrive_policy: None,
            ..self.clone()
        })
    }
}

/// A message as a queue holds it (each queue its own copy: dead-lettering changes one copy).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub id: String,
    /// The exchange it was last published to (a dead-letter exchange after dead-lettering).
    pub exchange: String,
    pub routing_keys: Vec<String>,
    pub headers: FieldTable,
    /// Its own TTL (the `expiration` property), removed when it is dead-lettered.
    pub expiration_ms: Option<u64>,
    pub body_bytes: u64,
    pub deaths: Vec<XDeath>,
}

/// A message in the queue, ready or delivered.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its place in the queue's order: a requeued classic message goes back to it.
    seq: u64,
    pub msg: Message,
    /// When it expires, in µs of sim time.
    expires_at_us: Option<u64>,
    pub redelivered: bool,
    /// Times it was returned to the queue (quorum queues' delivery count).
    pub delivery_count: u64,
}

/// What settling a delivery does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settle {
    Ack,
    /// `basic.nack` or `basic.reject` without requeue: dead-lettered, reason rejected.
    Discard,
    /// With requeue: back to the queue, marked redelivered.
    Requeue,
}

/// A message leaving the queue dead.
pub type Dead = (Message, DeathReason);

/// One queue's state.
#[derive(Clone, Debug)]
pub struct Queue {
    pub config: QueueConfig,
    /// A 3.10 quorum queue with a delivery limit delivers returned messages first, in the order
    /// they came back.
    returns: VecDeque<Entry>,
    ready: VecDeque<Entry>,
    ready_bytes: u64,
    unacked: BTreeMap<u64, Entry>,
    next_seq: u64,
    /// A quorum queue with reject-publish refuses publishes from the moment it goes over a limit
    /// until it is back at 80% of it.
    rejecting: bool,
}

impl Queue {
    pub fn new(config: QueueConfig) -> Self {
        Queue {
            config,
            returns: VecDeque::new(),
            ready: VecDeque::new(),
            ready_bytes: 0,
            unacked: BTreeMap::new(),
            next_seq: 0,
            rejecting: false,
        }
    }

    pub fn ready_len(&self) -> usize {
        self.returns.len() + self.ready.len()
    }

    pub fn unacked_len(&self) -> usize {
        self.unacked.len()
    }

    fn over_limit(&self, extra_len: u64, extra_bytes: u64) -> bool {
        let len = self.ready_len() as u64 + extra_len;
        let bytes = self.ready_bytes + extra_bytes;
        self.config.max_length.is_some_and(|m| len > m) || self.config.max_length_bytes.is_some_and(|m| bytes > m)
    }

    /// The overflow behaviour in force: RabbitMQ 3.10's quorum queues do not support
    /// reject-publish-dlx and drop the head instead.
    fn overflow(&self) -> Overflow {
        match (self.config.kind, self.config.overflow) {
            (QueueKind::Quorum, Overflow::RejectPublishDlx) => Overflow::DropHead,
            (_, o) => o,
        }
    }

    /// Whether a publish of `bytes` is refused: a classic queue refuses one that would go over a
    /// limit; a quorum queue takes it (ending over the limit by one) and then refuses every
    /// publish until it is down to 80% of the limit (rabbit_fifo's soft limit).
    fn refuses(&mut self, bytes: u64) -> bool {
        match self.config.kind {
            QueueKind::Classic => self.over_limit(1, bytes),
            QueueKind::Quorum => {
                let low = |limit: Option<u64>, have: u64| limit.is_none_or(|m| have <= m * 8 / 10);
                if self.rejecting
                    && low(self.config.max_length, self.ready_len() as u64)
                    && low(self.config.max_length_bytes, self.ready_bytes)
                {
                    self.rejecting = false;
                }
                self.rejecting
            }
        }
    }

    /// A message arrives at `now_us`. Returns whether the queue took it (false: the publisher's
    /// confirm is a nack) and the messages that left dead.
    pub fn enqueue(&mut self, msg: Message, now_us: u64) -> (bool, Vec<Dead>) {
        let mut dead = self.expire(now_us);
        let overflow = self.overflow();
        if overflow != Overflow::DropHead && self.refuses(msg.body_bytes) {
            if overflow == Overflow::RejectPublishDlx {
                dead.push((msg, DeathReason::Maxlen));
            }
            return (false, dead);
        }
        let ttl = match (self.config.message_ttl_ms, msg.expiration_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let entry = Entry {
            seq: self.next_seq,
            expires_at_us: ttl.map(|ms| now_us.saturating_add(ms.saturating_mul(1_000))),
            msg,
            redelivered: false,
            delivery_count: 0,
        };
        self.next_seq += 1;
        self.ready_bytes += entry.msg.body_bytes;
        self.ready.push_back(entry);
        if overflow == Overflow::RejectPublish && self.config.kind == QueueKind::Quorum && self.over_limit(0, 0) {
            self.rejecting = true;
        }
        self.drop_head(&mut dead);
        dead.extend(self.expire(now_us));
        (true, dead)
    }

    /// Drop-head: the oldest ready messages go while the queue is over a limit.
    fn drop_head(&mut self, dead: &mut Vec<Dead>) {
        if self.overflow() != Overflow::DropHead {
            return;
        }
        while self.over_limit(0, 0) {
            match self.pop_ready() {
                Some(e) => dead.push((e.msg, DeathReason::Maxlen)),
                None => break,
            }
        }
    }

    fn head(&self) -> Option<&Entry> {
        self.returns.front().or(self.ready.front())
    }

    /// When the message at the head expires, if it does.
    pub fn head_expiry_us(&self) -> Option<u64> {
        self.head().and_then(|e| e.expires_at_us)
    }

    fn pop_ready(&mut self) -> Option<Entry> {
        let e = self.returns.pop_front().or_else(|| self.ready.pop_front())?;
        self.ready_bytes -= e.msg.body_bytes;
        Some(e)
    }

    /// Messages at the head whose TTL ran out by `now_us` leave, dead (reason expired).
    pub fn expire(&mut self, now_us: u64) -> Vec<Dead> {
        let mut dead = Vec::new();
        while self.head().and_then(|e| e.expires_at_us).is_some_and(|t| t <= now_us) {
            let e = self.pop_ready().expect("a head");
            dead.push((e.msg, DeathReason::Expired));
        }
        dead
    }

    /// `basic.get`: the head message, delivered under `tag`, now awaiting its settlement.
    pub fn get(&mut self, tag: u64, now_us: u64) -> (Option<&Entry>, Vec<Dead>) {
        let dead = self.expire(now_us);
        match self.pop_ready() {
            Some(e) => {
                self.unacked.insert(tag, e);
                (self.unacked.get(&tag), dead)
            }
            None => (None, dead),
        }
    }

    /// Settles the delivery `tag`; the messages that leave dead. None: no such delivery.
    pub fn settle(&mut self, tag: u64, how: Settle, now_us: u64) -> Option<Vec<Dead>> {
        let mut e = self.unacked.remove(&tag)?;
        let mut dead = Vec::new();
        match how {
            Settle::Ack => {}
            Settle::Discard => dead.push((e.msg, DeathReason::Rejected)),
            Settle::Requeue => {
                e.redelivered = true;
                e.delivery_count += 1;
                match self.config.kind {
                    QueueKind::Quorum if self.config.delivery_limit.is_some_and(|l| e.delivery_count > l) => {
                        dead.push((e.msg, DeathReason::DeliveryLimit));
                    }
                    QueueKind::Quorum => {
                        // A 3.10 quorum queue with a delivery limit delivers it again first;
                        // without one, it goes to the tail (both seen on a RabbitMQ 3.10 server).
                        self.ready_bytes += e.msg.body_bytes;
                        if self.config.delivery_limit.is_some() {
                            self.returns.push_back(e);
                        } else {
                            self.ready.push_back(e);
                        }
                    }
                    QueueKind::Classic => {
                        // Back to its place among the ready messages.
                        self.ready_bytes += e.msg.body_bytes;
                        let at = self.ready.partition_point(|r| r.seq < e.seq);
                        self.ready.insert(at, e);
                    }
                }
                self.drop_head(&mut dead);
            }
        }
        dead.extend(self.expire(now_us));
        Some(dead)
    }
}
