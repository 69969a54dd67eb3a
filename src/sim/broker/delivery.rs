//! The delivery seam: what every broker offers the consumer pipeline.
//!
//! The pipeline asks its source for the next delivery, settles it (acknowledge, or acknowledge
//! everything delivered so far), asks whether a delivery its consumer lost will come again (and if
//! not, which acknowledgement settled it), and hands back failed messages for a later retry. Group
//! membership is the second half of the seam: a source may pause deliveries while it reassigns
//! work (Kafka's rebalance), and hears when consumers join, crash, leave or free their hands.
//!
//! **Architecture Invariant:** the pipeline knows nothing of partitions or offsets. A delivery
//! carries an opaque [`DeliveryTag`] that only its source reads: Kafka-like logs put a partition
//! and an offset in it, a queue would put its queue and delivery tag.

use crate::sim::ctx::Ctx;
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::ledger::LossReason;

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
    /// pipeline's business. An error when the consumer cannot read on at all.
    fn next_delivery(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> Result<Option<Delivery>, FetchError>;
    /// The consumer acknowledges `delivery`: the source will not deliver it again.
    fn ack(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx);
    /// Acknowledges everything handed to `consumer` so far (a background auto-commit). True when
    /// that acknowledged anything that was not acknowledged before.
    fn ack_delivered(&mut self, consumer: ConsumerId, ctx: &mut Ctx) -> bool;
    /// Whether `delivery`, lost by a consumer that crashed, will be delivered again, and if not,
    /// which acknowledgement settled it.
    fn redelivery(&self, delivery: &Delivery) -> Redelivery;
    /// Whether any consumer may take any delivery (competing consumers on one queue): the
    /// pipeline then wakes whichever consumer is idle, round robin, instead of one the source
    /// names. A log's partitions each have one owner in the group.
    fn any_consumer(&self) -> bool {
        false
    }
    /// Why a delivery lost with a crash is lost for good, in this source's words (`None` when
    /// it comes again, or when the source gave the reason as it let go of it: `Skipped`). By
    /// default a log's: an offset was committed past it.
    fn loss_reason(&self, how: Redelivery) -> Option<LossReason> {
        committed_past(how)
    }
    /// A failed message comes back for retry number `retry` (a retry topic in miniature). Returns
    /// the consumer that should look for work, if any.
    fn requeue(&mut self, msg: MessageId, retry: u32, ctx: &mut Ctx) -> Option<ConsumerId>;
    /// The consumer rejects `delivery` with requeue (`basic.nack`, `requeue=true`, retry mode
    /// `requeue`): the source takes it back at once, to deliver it again. A queue's; the rules
    /// refuse the mode on a log (which would re-read a record only by seeking back), so a log
    /// is never asked.
    fn nack_requeue(&mut self, consumer: ConsumerId, delivery: &Delivery, ctx: &mut Ctx) {
        let _ = (consumer, delivery, ctx);
    }
    /// A dead-lettered message is published again (a redrive, once the bug is fixed): the source
    /// takes it back as new work, retries starting over, at `route` (a place in the ledger's
    /// sense: a partition of the log). Returns the consumer that should look for work, if any.
    /// By default, a requeue for retry 0 (a source with one place for it).
    fn redrive(&mut self, msg: MessageId, route: u32, ctx: &mut Ctx) -> Option<ConsumerId> {
        let _ = route;
        self.requeue(msg, 0, ctx)
    }
}

/// A log's reason a delivery lost with a crash is lost for good: an offset was committed past it.
pub fn committed_past(how: Redelivery) -> Option<LossReason> {
    match how {
        Redelivery::Again | Redelivery::Skipped => None,
        Redelivery::Acked => Some(LossReason::CommittedBeforeProcessing),
        Redelivery::AckedWithDelivered => Some(LossReason::AutoCommittedBeforeProcessing),
    }
}

/// Why a consumer cannot read on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The source has no place to start some of its work from and is told not to pick one (Kafka's
    /// `auto.offset.reset=none`: the Java client's `poll()` throws). The source journals which
    /// work; the consumer stops.
    NoPosition,
}

/// What becomes of a delivery its consumer lost (it crashed holding it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redelivery {
    /// Not acknowledged: the source delivers it again.
    Again,
    /// Never again: it was acknowledged on its own (`ack`), before the consumer was done with it.
    Acked,
    /// Never again: it was acknowledged with everything delivered before it (`ack_delivered`, a
    /// background auto-commit).
    AckedWithDelivered,
    /// Never again, though not acknowledged: the source skipped past it (an offset reset to the
    /// log end) and said why when it let go of it.
    Skipped,
}

/// How a (re)joining consumer is taken in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joined {
    /// A static member back within its session: same place, same work, no rebalance.
    TookOldPlace,
    /// Membership changed: a rebalance is needed.
    NeedsRebalance,
}

/// Consumers as the source's coordinator sees them.
pub trait Membership {
    /// Whether deliveries are paused while the source reassigns work.
    fn paused(&self) -> bool;
    /// Whether a consumer's client must come back for more within `max.poll.interval.ms` to stay
    /// in the group (Kafka's pull model). A queue pushes deliveries and keeps no such timer.
    fn polls(&self) -> bool {
        true
    }
    /// Whether the source is reassigning work (paused or not: a cooperative rebalance keeps
    /// members on what they own meanwhile).
    fn rebalancing(&self) -> bool;
    /// Whether the coordinator counts `consumer` as a member.
    fn is_member(&self, consumer: ConsumerId) -> bool;
    /// `consumer` (new, restarted, or back after it was dropped) joins; `static_member` when it
    /// has a fixed instance id.
    fn join(&mut self, consumer: ConsumerId, static_member: bool, ctx: &mut Ctx) -> Joined;
    /// `consumer` leaves the group (a clean close, or its client gave up on a slow poll).
    fn leave(&mut self, consumer: ConsumerId);
    /// `consumer`'s heartbeats stopped (its process died, or its client stopped heartbeating):
    /// the coordinator notices when the session times out. `died` when the process is gone and
    /// holds no work from now on.
    fn silent(&mut self, consumer: ConsumerId, died: bool, ctx: &mut Ctx);
    /// A session timer of `consumer`'s incarnation `session` ran out. True if the coordinator
    /// dropped a member (a rebalance may be needed or may now complete).
    fn session_expired(&mut self, consumer: ConsumerId, session: u32, ctx: &mut Ctx) -> bool;
    /// Membership changed: reassign work once every member has rejoined (pausing deliveries
    /// meanwhile, unless cooperative). Joins the rebalance in progress, if any: true when a new
    /// one started.
    fn begin_rebalance(&mut self, ctx: &mut Ctx) -> bool;
    /// Schedules the end of the pause once every known member has rejoined (`rejoined`).
    fn try_complete(&mut self, rejoined: &dyn Fn(ConsumerId) -> bool, ctx: &mut Ctx);
    /// The rebalance timeout of `generation` ran out: drops dynamic members that have not
    /// rejoined, completes the rebalance anyway, and returns the members that had not rejoined
    /// (dropped, or static and left with the old generation: their commits fail).
    fn rebalance_timed_out(
        &mut self,
        generation: u32,
        rejoined: &dyn Fn(ConsumerId) -> bool,
        static_members: bool,
        ctx: &mut Ctx,
    ) -> Vec<ConsumerId>;
    /// The pause of `generation` ends: reassigns work among the members. False if that pause is
    /// already over or superseded.
    fn complete(&mut self, generation: u32, ctx: &mut Ctx) -> bool;
    /// Whether the rebalance that just completed needs a follow-up (members revoked work).
    fn follow_up(&mut self) -> bool;
}
