//! The borrowed context every subsystem works in (quinn-proto's `Streams<'a>` pattern): the
//! current time, the scheduler, the ledger, the journal, the live settings and the event-sourced
//! bank (shared by its write side, the producer, and its read side, the subscribers). A subsystem
//! owns its own state and random streams and receives this short-lived view; none ever holds the
//! whole simulation.

use crate::sim::config::knobs::Knobs;
use crate::sim::config::scenario::Scenario;
use crate::sim::event::{Event, JournalKind};
use crate::sim::ids::MessageId;
use crate::sim::journal::Journal;
use crate::sim::kernel::scheduler::Scheduler;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::ledger::{Ledger, LossReason, Outcome};
use crate::sim::patterns::schema::deployment::Deployment;
use crate::sim::patterns::shop::service::ShopService;
use crate::sim::patterns::sourcing::service::BankService;

pub struct Ctx<'a> {
    pub now: SimTime,
    pub scheduler: &'a mut Scheduler<Event>,
    pub ledger: &'a mut Ledger,
    pub journal: &'a mut Journal,
    /// The settings as they are now (the scenario with every live command applied).
    pub settings: &'a Scenario,
    /// The same settings in the integer and ratio forms the hot path uses.
    pub knobs: &'a Knobs,
    /// The event-sourced bank, when the scenario has one: its write side is the producer's, its
    /// read models the subscribers'.
    pub sourcing: &'a mut BankService,
    /// The shop, when the scenario has one: its write side is the producer's, its read models
    /// the subscribers'.
    pub shop: &'a mut ShopService,
    /// The schema registry: the version each message was written with, what the consumers can
    /// decode.
    pub schemas: &'a mut Deployment,
}

impl Ctx<'_> {
    /// Schedules `event` after `delay`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn after(&mut self, delay: SimDuration, event: Event) {
        self.scheduler.schedule(self.now + delay, event);
    }

    /// Records a journal entry now.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn note(&mut self, kind: JournalKind) {
        self.journal.note(self.now, kind, self.ledger);
    }

    /// Records a step of `msg`'s journey now (not an event-log line).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn step(&mut self, msg: MessageId, kind: JournalKind) {
        self.journal.step(msg, self.now, kind, self.ledger);
    }

    /// Versioning ignored `msg`, never applied, at one subscriber: it is lost for that reason,
    /// given on a hold that ends at once (the delivery's own release settles it).
    pub fn lose_as_stale(&mut self, msg: MessageId) {
        self.ledger.hold(msg);
        self.release(msg, Some(LossReason::StaleVersion));
    }

    /// Releases one holder of `msg`, journaling how it settled if this settled it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn release(&mut self, msg: MessageId, reason: Option<LossReason>) {
        match self.ledger.release(msg, reason, self.now) {
            None => {}
            Some(Outcome::Lost) => {
                let reason = reason.or_else(|| self.ledger.get(msg).and_then(|m| m.loss_reason));
                self.note(JournalKind::Lost { msg, reason: reason.expect("lost messages have a reason") });
            }
            Some(outcome) => self.step(msg, JournalKind::Settled { msg, outcome }),
        }
    }
}
