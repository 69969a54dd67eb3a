//! The delivery seam: what every broker offers the consumer pipeline.
//!
//! The pipeline asks its source for the next delivery, settles it (acknowledge, or acknowledge
//! everything delivered so far), asks whether a delivery its consumer lost will come again, and
//! hands back failed messages for a later retry. Group membership is the second half of the seam:
//! a source may pause deliveries while it reassigns work (Kafka's rebalance), and hears when
//! consumers join, crash, leave or free their hands.
//!
//! **Architecture Invariant:** the pipeline knows nothing of partitions or offsets. A delivery
//! carries an opaque [`DeliveryTag`] that only its source reads: Kafka-like logs put a partition
//! and an offset in it, a queue would put its queue and delivery tag.

use crate::sim::ctx::Ctx;
use crate::sim::ids::{ConsumerId, MessageId};

/// Which copy of which message a consumer holds, and how to settle it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The ledger's message.
    pub msg: MessageId,
    /// Processing retries this copy has been through already (a requeued retry starts higher).
    pub retry: u32,
    /// The source's handle for settling it.
    pub tag: DeliveryTag,
}

/// A source's handle on one delivery. Only the source that made it reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeliveryTag {
    /// Where the source keeps it (a partition, a queue), in the source's own numbering.
    pub lane: u32,
    /// Its position there (an offset, a delivery tag).
    pub position: u64,
}

/// Where deliveries come from and how they are settled.
pub trait DeliverySource {
    /// The next delivery for `consumer`, or `None` when it has nothing to take now. The source
    /// counts the delivery in the ledger and notes it in the journal; the consumer's hold is the
    /// pipeline's business.
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Option<Delivery>;
    /// The consumer acknowledges `delivery`: the source will not deliver it again.
    fn ack(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx);
    /// Acknowledges everything handed to `consumer` so far (a background auto-commit).
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx);
    /// Whether `delivery`, lost by a consumer that crashed, will be delivered again: false once
    /// it was acknowledged.
    fn will_redeliver(&self, delivery: &Delivery) -> bool;
    /// A failed message comes back for retry number `retry` (a retry topic in miniature). Returns
    /// the consumer that should look for work, if any.
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId>;
}

/// Consumers as the source's coordinator sees them.
pub trait Membership {
    /// Whether deliveries are paused while the source reassigns work.
    fn paused(&self) -> bool;
    /// Whether the coordinator counts `consumer` as a member.
    fn is_member(&self, consumer: ConsumerId) -> bool;
    /// `consumer` (new or restarted) joins.
    fn join(&mut self, consumer: ConsumerId);
    /// `consumer` left cleanly.
    fn leave(&mut self, consumer: ConsumerId);
    /// `consumer`'s process died (crash epoch `epoch`): it holds no work from now on; the
    /// coordinator notices in its own time.
    fn crashed(&mut self, consumer: ConsumerId, epoch: u32, ctx: &mut Ctx);
    /// The coordinator gives up on a crashed member.
    fn expire(&mut self, consumer: ConsumerId, ctx: &mut Ctx);
    /// Membership changed: pause deliveries until every member has rejoined.
    fn begin_rebalance(&mut self, ctx: &mut Ctx);
    /// Schedules the end of the pause once no member has work in hand (`busy`).
    fn try_complete(&mut self, busy: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx);
    /// The pause of `generation` ends: reassigns work among `members`. False if that pause is
    /// already over or superseded.
    fn complete(&mut self, generation: u32, members: &[ConsumerId], ctx: &mut Ctx) -> bool;
}
