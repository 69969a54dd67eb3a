//! The consumers' side of the dead-letter queue: noting each failed attempt, parking a message the
//! pipeline gives up on, and publishing a parked one again (a redrive). Like the rest of the
//! pipeline, it reaches the broker only through the delivery seam.

use super::pipeline::{Pipeline, Source};
use crate::sim::broker::delivery::Delivery;
use crate::sim::ctx::Ctx;
use crate::sim::event::JournalKind;
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::patterns::dlq::{DeadLetter, DeadLetterReason};

impl Pipeline {
    /// An attempt at `msg` failed now: its failures so far (count, first and last time) are kept
    /// for its dead letter, should it come to that.
    pub(super) fn note_failure(&mut self, msg: MessageId, ctx: &Ctx) {
        let ledger = &*ctx.ledger;
        self.failing.failed(msg, ctx.now, |m| ledger.is_in_flight(m));
    }

    /// Parks the delivery in hand of consumer `c` in the dead-letter queue for `reason`, with the
    /// failures noted for it (`note_failure` noted the last one), and moves on to the next.
    pub(super) fn dead_letter(
        &mut self,
        c: ConsumerId,
        hand: Delivery,
        reason: DeadLetterReason,
        src: &mut impl Source,
        ctx: &mut Ctx,
    ) {
        let msg = hand.msg;
        let failures = self.failing.take(msg).expect("a message is dead-lettered after its failure is noted");
        ctx.ledger.mark_dead_lettered(msg, self.subscriber);
        self.dlq.push(DeadLetter {
            msg,
            at: ctx.now,
            lane: hand.tag.lane,
            reason,
            attempts: failures.attempts,
            first_failed_at: failures.first_at,
            last_failed_at: failures.last_at,
        });
        ctx.note(JournalKind::DeadLettered { msg, consumer: c });
        if self.finish_delivery(c, src, ctx) {
            self.pump(c, src, ctx);
        }
    }

    /// Parks a message the source dead-lettered on its own (a queue's dead-letter exchange took
    /// it: expired, or dropped from a full queue). The source has marked it in the ledger.
    pub fn park(&mut self, mut letter: DeadLetter) {
        // A message its consumers failed on (and requeued) carries those failures with it.
        if let Some(f) = self.failing.take(letter.msg) {
            (letter.attempts, letter.first_failed_at, letter.last_failed_at) = (f.attempts, f.first_at, f.last_at);
        }
        self.dlq.push(letter);
    }

    /// Publishes parked `msg` again (`Command::Redrive`), to `route` (opaque here: where the
    /// source places its key now): it leaves the dead-letter queue, the ledger counts it in flight
    /// again, and its source takes it as new work, its retries starting over. False, changing
    /// nothing, when `msg` is not parked.
    pub fn redrive(&mut self, msg: MessageId, route: u32, src: &mut impl Source, ctx: &mut Ctx) -> bool {
        if self.dlq.take(msg).is_none() {
            return false;
        }
        ctx.ledger.redrive(msg, self.subscriber); // the redrive's hold, until the new copy is appended
        ctx.note(JournalKind::Redriven { msg });
        let wake = src.redrive(msg, route, ctx);
        ctx.release(msg, None);
        self.wake(wake, src, ctx);
        true
    }
}
