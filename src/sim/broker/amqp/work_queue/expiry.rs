//! A work queue's message TTLs: the queue's (`x-message-ttl`) and each message's own
//! (`expiration`), which RabbitMQ applies only at the head of the queue.

use super::{Ready, WorkQueue};
use crate::sim::broker::amqp::events::QueueEvent;
use crate::sim::ctx::Ctx;
use crate::sim::event::{DropCause, Event};

impl WorkQueue {
    /// Schedules an expiry check for when the head's TTL runs out, unless one is due by then.
    pub(super) fn arm_expiry(&mut self, ctx: &mut Ctx) {
        let ttl = ctx.settings.queue.message_ttl_ms;
        let Some(due) = self.ready.front().and_then(|head| head.due(ttl)) else { return };
        let due = due.max(ctx.now);
        if self.expiry_due.is_some_and(|d| d <= due && d >= ctx.now) {
            return;
        }
        self.expiry_token = self.expiry_token.wrapping_add(1);
        self.expiry_due = Some(due);
        let (queue, token) = (self.index, self.expiry_token);
        ctx.scheduler.schedule(due, Event::Queue(QueueEvent::Expire { queue, token }));
    }

    /// An expiry check: messages at the head whose TTL ran out expire, then the next check is
    /// armed. Only the head expires (RabbitMQ's rule): with one TTL for the queue the head is
    /// always the first due, but a message with a shorter TTL of its own behind it waits until
    /// it reaches the head.
    pub fn on_event(&mut self, event: QueueEvent, ctx: &mut Ctx) {
        let QueueEvent::Expire { token, .. } = event;
        if token != self.expiry_token {
            return;
        }
        self.expiry_due = None;
        self.expire_head(true, ctx);
        self.arm_expiry(ctx);
    }

    /// Expires the messages at the head whose TTL ran out: by now (`at_deadline`, the expiry
    /// check), or before now (a fetch: RabbitMQ never delivers an expired message, but one whose
    /// TTL is 0 still goes to a consumer waiting as it arrives).
    pub(super) fn expire_head(&mut self, at_deadline: bool, ctx: &mut Ctx) {
        // Not skipped when neither TTL is set now: messages published while `expiration_ms` was
        // set keep their own expiry after it is turned off.
        let (now, ttl) = (ctx.now, ctx.settings.queue.message_ttl_ms);
        let expired = |h: &Ready| h.due(ttl).is_some_and(|due| due < now || (at_deadline && due == now));
        while self.ready.front().is_some_and(expired) {
            let head = self.pop_head().expect("checked");
            self.drop_message(head.msg, DropCause::Expired, ctx);
        }
    }
}
