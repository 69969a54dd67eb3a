//! The message ledger: the ground truth of what happened to every message produced.
//!
//! Each message has a count of *holders*: things that can still deliver it (the producer waiting
//! for an acknowledgement, a request on the wire, an uncommitted record in a partition, a consumer
//! processing it, a pending retry). While any holder exists the message is *in flight*. When the
//! last one goes, the message *settles*, and its outcome follows from how many business effects
//! were applied: one is exactly once, none is dead-lettered (if parked in the DLQ) or lost (with the
//! reason the last holder went away). A second effect makes it *duplicated* at once, since
//! nothing can undo a double charge.
//!
//! A settled message keeps only what it added to the counters, the latency histogram and, when it
//! went wrong, the bounded examples: its record stays inspectable while it is among the newest
//! `keep` messages (or among the newest notable ones), then it is forgotten (`store.rs`). Memory is
//! bounded by what is in flight and what sits in a dead-letter queue.
//!
//! A message parked in a dead-letter queue keeps its record for as long as it sits there, so a
//! redrive can publish it again (`redrive`): it is in flight once more, and settles anew. That is
//! the one way a settled message goes back in flight; a duplicated one stays duplicated.
//!
//! **Invariant:** `produced = in_flight + exactly_once + duplicated + dead_lettered + lost`
//! after every event, and the counters equal a recount of the kept records plus the tallies of the
//! forgotten ones (`audit`).

mod latency;
mod outcome;
mod record;
mod store;

pub use latency::LatencyStats;
pub use outcome::{LossReason, Outcome, OutcomeCounts};
pub use record::{MessageRecord, NO_KEY};

use crate::sim::ids::MessageId;
use crate::sim::kernel::time::SimTime;
use std::collections::{BTreeMap, VecDeque};
use store::RecordStore;

/// Settled records kept inspectable by default, beyond those in flight.
pub const DEFAULT_KEEP_RECENT: usize = 4_096;
/// Notable settled records (duplicated, lost, dead-lettered) kept inspectable.
pub const KEEP_NOTABLE: usize = 1_024;
/// Example ids per notable outcome class: the lowest ids with that outcome.
pub const EXAMPLES: usize = 5;

/// What forgotten records added up to, so the audit can still check the counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    counts: OutcomeCounts,
    lost_by_reason: [u64; LossReason::ALL.len()],
    effects: u64,
    extra: u64,
}

impl Tally {
    #[inline]
    fn add(&mut self, m: &MessageRecord) {
        *self.counts.slot(m.outcome) += 1;
        self.effects += m.effects as u64;
        self.extra += m.effects.saturating_sub(m.applied.count_ones()) as u64;
        if let (Outcome::Lost, Some(r)) = (m.outcome, m.loss_reason) {
            self.lost_by_reason[r as usize] += 1;
        }
    }
}

/// All messages and their outcomes.
#[derive(Clone, Debug)]
pub struct Ledger {
    store: RecordStore,
    /// Messages with holders (in flight, or duplicated and still held).
    live: u64,
    counts: OutcomeCounts,
    lost_by_reason: [u64; LossReason::ALL.len()],
    effects_total: u64,
    extra_effects: u64,
    latency: LatencyStats,
    forgotten: Tally,
    /// Notable settled records that left the store, newest last, at most [`KEEP_NOTABLE`].
    notable: BTreeMap<MessageId, MessageRecord>,
    notable_order: VecDeque<MessageId>,
    /// The lowest ids that ended duplicated, lost and dead-lettered, ascending.
    examples: [Vec<MessageId>; 3],
    /// Messages parked in a dead-letter queue now (their records are all kept).
    parked: u64,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::new(DEFAULT_KEEP_RECENT)
    }
}

impl Ledger {
    /// An empty ledger that keeps at least the newest `keep_recent` records inspectable.
    pub fn new(keep_recent: usize) -> Self {
        Ledger {
            store: RecordStore::new(keep_recent),
            live: 0,
            counts: OutcomeCounts::default(),
            lost_by_reason: [0; LossReason::ALL.len()],
            effects_total: 0,
            extra_effects: 0,
            latency: LatencyStats::default(),
            forgotten: Tally::default(),
            notable: BTreeMap::new(),
            notable_order: VecDeque::new(),
            examples: Default::default(),
            parked: 0,
        }
    }

    /// Records a newly produced message, held by its producer, addressed to `route` (opaque to the
    /// ledger) and expected to take effect once for each of `expected` subscribers (1 to 64).
    /// Returns its id.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn create(&mut self, now: SimTime, key: u32, event_type: u8, route: u32, expected: u8) -> MessageId {
        assert!((1..=64).contains(&expected), "a message has 1 to 64 subscribers");
        let id = self.store.next_id();
        let record = MessageRecord {
            produced_at: now,
            key,
            route,
            expected,
            effects: 0,
            applied: 0,
            deliveries: 0,
            event_type,
            outcome: Outcome::InFlight,
            dead_lettered: false,
            parked_in: 0,
            appended: false,
            loss_reason: None,
            holders: 1,
        };
        self.counts.in_flight += 1;
        self.live += 1;
        let (forgotten, notable, order) = (&mut self.forgotten, &mut self.notable, &mut self.notable_order);
        self.store.push(record, self.live, |id, m| {
            forgotten.add(m);
            if m.outcome != Outcome::ExactlyOnce {
                keep_notable(notable, order, id, *m);
            }
        });
        id
    }

    /// One more thing can deliver `msg`.
    #[inline]
    pub fn hold(&mut self, msg: MessageId) {
        let m = self.store.get_mut(msg);
        debug_assert!(m.holders > 0 || m.outcome != Outcome::InFlight, "hold on a settled message");
        // u32: under endless retries copies of one message can multiply (each failed commit of a
        // re-appended record leaves one more), far past what a u16 counts.
        m.holders = m.holders.checked_add(1).expect("fewer than 2^32 holders of one message");
    }

    /// One holder of `msg` went away; `reason` says why, if it went without applying the effect.
    /// Returns the outcome if this settled the message.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn release(&mut self, msg: MessageId, reason: Option<LossReason>, now: SimTime) -> Option<Outcome> {
        let m = self.store.get_mut(msg);
        assert!(m.holders > 0, "release without a holder: {msg}");
        m.holders -= 1;
        // The latest reason wins, but versioning's is final: that subscriber will never apply
        // the message, whatever happens to its copies afterwards.
        if let Some(r) = reason.filter(|_| m.loss_reason != Some(LossReason::StaleVersion)) {
            m.loss_reason = Some(r);
        }
        if m.holders > 0 {
            return None;
        }
        self.live -= 1;
        let settled = match m.outcome {
            Outcome::InFlight => {
                let o = m.settled_outcome();
                m.outcome = o;
                self.counts.in_flight -= 1;
                *self.counts.slot(o) += 1;
                if o == Outcome::Lost {
                    let r = m.loss_reason.unwrap_or_else(|| panic!("a lost message always has a reason: {msg}"));
                    self.lost_by_reason[r as usize] += 1;
                }
                o
            }
            other => other, // duplicated already
        };
        self.latency.record(now.since(m.produced_at));
        if settled != Outcome::ExactlyOnce {
            self.note_example(settled, msg);
        }
        if let Some(record) = self.store.settled(msg) {
            self.forgotten.add(&record);
            if settled != Outcome::ExactlyOnce {
                keep_notable(&mut self.notable, &mut self.notable_order, msg, record);
            }
        }
        Some(settled)
    }

    /// The exchange routed `msg` to `queues` of its subscribers' queues (a direct or topic
    /// exchange takes only those whose binding matches): it expects that many effects, and none
    /// when it was unroutable.
    pub fn route_to(&mut self, msg: MessageId, queues: u8) {
        self.store.get_mut(msg).expected = queues;
    }

    /// Subscriber `subscriber` applies the business effect of `msg`. Returns the message's effect
    /// count, and whether this subscriber had applied it before: a second time makes it
    /// duplicated.
    #[inline]
    pub fn apply_effect(&mut self, msg: MessageId, subscriber: u8) -> (u32, bool) {
        let m = self.store.get_mut(msg);
        debug_assert!(m.holders > 0, "effect on a settled message");
        debug_assert!(subscriber < 64, "subscriber {subscriber}");
        let bit = 1u64 << subscriber;
        let again = m.applied & bit != 0;
        m.applied |= bit;
        m.effects += 1;
        let effects = m.effects;
        self.effects_total += 1;
        if again {
            self.extra_effects += 1;
            if m.outcome == Outcome::InFlight {
                m.outcome = Outcome::Duplicated;
                self.counts.in_flight -= 1;
                self.counts.duplicated += 1;
                self.note_example(Outcome::Duplicated, msg);
            }
        }
        (effects, again)
    }

    /// Keeps `msg` among the lowest ids of its notable outcome class. Outcomes other than in
    /// flight never change but by a redrive, which refreshes the dead-lettered list, so the lists
    /// are the lowest ids of each class at any time.
    fn note_example(&mut self, outcome: Outcome, msg: MessageId) {
        let list = match outcome {
            Outcome::Duplicated => &mut self.examples[0],
            Outcome::Lost => &mut self.examples[1],
            Outcome::DeadLettered => &mut self.examples[2],
            _ => return,
        };
        if list.len() == EXAMPLES && msg >= list[EXAMPLES - 1] {
            return;
        }
        if let Err(at) = list.binary_search(&msg) {
            list.insert(at, msg);
            list.truncate(EXAMPLES);
        }
    }

    pub fn note_delivery(&mut self, msg: MessageId) -> u32 {
        let m = self.store.get_mut(msg);
        m.deliveries += 1;
        m.deliveries
    }

    /// `msg` is parked in subscriber `dlq`'s dead-letter queue (again, if another copy of it is
    /// there already: that changes nothing). It settles dead-lettered unless every subscriber
    /// applies its effect after all; either way its record stays kept while it is parked.
    /// [`Ledger::parked`] counts one per dead-letter queue holding it.
    pub fn mark_dead_lettered(&mut self, msg: MessageId, dlq: u8) {
        let m = self.store.get_mut(msg);
        let bit = 1u8 << dlq;
        self.parked += u64::from(m.parked_in & bit == 0);
        m.parked_in |= bit;
        m.dead_lettered = true;
    }

    /// Parked `msg` leaves its dead-letter queue to be published again (a redrive): it is in
    /// flight once more, held by the redrive until the caller releases that hold (after the new
    /// copy is appended). Its route stays where the producer addressed it: a producer still
    /// resending it goes on sending there. A message that settled (dead-lettered, or applied once by another
    /// copy) is reopened, so a second effect makes it duplicated, as it should. Its first
    /// settlement stays in the time-in-system statistics; the next adds to them too.
    pub fn redrive(&mut self, msg: MessageId, dlq: u8) {
        let m = self.store.get_mut(msg);
        let bit = 1u8 << dlq;
        assert!(m.parked_in & bit != 0, "{msg} is not in dead-letter queue {dlq}");
        m.parked_in &= !bit;
        m.dead_lettered = m.parked_in != 0;
        self.parked -= 1;
        if m.holders == 0 {
            self.live += 1;
        }
        m.holders += 1;
        let was = m.outcome;
        if matches!(was, Outcome::DeadLettered | Outcome::ExactlyOnce) {
            m.outcome = Outcome::InFlight;
            *self.counts.slot(was) -= 1;
            self.counts.in_flight += 1;
        }
        debug_assert!(was != Outcome::Lost, "a parked message settles dead-lettered, never lost");
        if was == Outcome::DeadLettered && self.examples[2].contains(&msg) {
            self.refresh_dead_letter_examples();
        }
    }

    /// The lowest dead-lettered ids again, after one left the class. Every dead-lettered record is
    /// kept (it is parked), so a scan of the store finds them all; redrives are rare.
    #[cold]
    fn refresh_dead_letter_examples(&mut self) {
        let ids = self.store.iter().filter(|(_, m)| m.outcome == Outcome::DeadLettered).map(|(id, _)| id);
        self.examples[2] = ids.take(EXAMPLES).collect();
    }

    /// Marks `msg` appended; returns whether it already was.
    pub fn mark_appended(&mut self, msg: MessageId) -> bool {
        std::mem::replace(&mut self.store.get_mut(msg).appended, true)
    }
    /// A leader failover took `msg`'s record out of the log: a resend appends it as new.
    pub fn unmark_appended(&mut self, msg: MessageId) {
        self.store.get_mut(msg).appended = false;
    }

    /// The record of `msg`, while the ledger keeps it: always while it is in flight, and for a
    /// while after it settled (the newest messages and the newest notable ones). `None` for a
    /// message that was never produced or is forgotten.
    pub fn get(&self, msg: MessageId) -> Option<&MessageRecord> {
        self.store.get(msg).or_else(|| self.notable.get(&msg))
    }
    /// The record of a message that must be in flight.
    #[inline]
    pub fn live(&self, msg: MessageId) -> &MessageRecord {
        self.store.get(msg).unwrap_or_else(|| panic!("{msg} is not in flight"))
    }
    /// Whether subscriber `subscriber` applied the effect of in-flight `msg` already.
    #[inline]
    pub fn has_applied(&self, msg: MessageId, subscriber: u8) -> bool {
        self.live(msg).applied & (1u64 << subscriber) != 0
    }
    /// Whether `msg` is in flight (something can still deliver it).
    #[inline]
    pub fn is_in_flight(&self, msg: MessageId) -> bool {
        self.store.get(msg).is_some_and(|m| m.holders > 0)
    }
    pub fn produced(&self) -> u64 {
        self.store.next_id().0 as u64
    }
    pub fn counts(&self) -> OutcomeCounts {
        self.counts
    }
    pub fn lost_by_reason(&self) -> impl Iterator<Item = (LossReason, u64)> + '_ {
        LossReason::ALL.iter().map(|&r| (r, self.lost_by_reason[r as usize]))
    }
    pub fn effects_total(&self) -> u64 {
        self.effects_total
    }
    /// Effects beyond the first, summed over all messages ("extra charges").
    pub fn extra_effects(&self) -> u64 {
        self.extra_effects
    }
    /// Whether chart samples carry the time-in-system percentiles of their interval.
    pub fn track_latency_window(&mut self, on: bool) {
        self.latency.track_window(on);
    }
    /// Time-in-system p50, p95 and p99 of the messages settled since the last call (zeros if none
    /// or not tracked).
    pub fn take_latency_window(&mut self) -> [u64; 3] {
        self.latency.take_window()
    }
    pub fn latency(&self) -> &LatencyStats {
        &self.latency
    }
    /// The lowest ids (at most [`EXAMPLES`]) that ended in `outcome`, for duplicated, lost and
    /// dead-lettered; empty for the other classes.
    pub fn examples(&self, outcome: Outcome) -> &[MessageId] {
        match outcome {
            Outcome::Duplicated => &self.examples[0],
            Outcome::Lost => &self.examples[1],
            Outcome::DeadLettered => &self.examples[2],
            _ => &[],
        }
    }
    /// How many messages are parked in a dead-letter queue now: those settled dead-lettered, and
    /// any whose other copy is still in flight or applied it.
    pub fn parked(&self) -> u64 {
        self.parked
    }
    /// How many message records the ledger holds now (in flight, parked, recent and notable).
    pub fn records_kept(&self) -> usize {
        self.store.len() + self.notable.len()
    }

    /// Recounts every kept record, adds the tallies of forgotten ones and compares with the
    /// counters. Returns a description of the first disagreement. Used by tests after every event.
    pub fn audit(&self) -> Result<(), String> {
        let mut t = self.forgotten;
        let (mut live, mut parked) = (0, 0);
        for (i, m) in self.store.iter() {
            t.add(m);
            live += u64::from(m.holders > 0);
            parked += u64::from(m.parked_in.count_ones());
            if m.dead_lettered != (m.parked_in != 0) {
                return Err(format!("{i}: dead_lettered {} but parked in {:#b}", m.dead_lettered, m.parked_in));
            }
            let expected = m.ground_truth();
            if m.outcome != expected {
                return Err(format!("{i}: recorded {:?}, ground truth {expected:?} ({m:?})", m.outcome));
            }
            if m.outcome == Outcome::Lost && m.loss_reason.is_none() {
                return Err(format!("{i} is lost without a reason"));
            }
        }
        if live != self.live {
            return Err(format!("{} live messages counted, {live} recounted", self.live));
        }
        // Parked records are never forgotten, so the kept ones are all of them.
        if parked != self.parked {
            return Err(format!("{} parked messages counted, {parked} recounted", self.parked));
        }
        if t.counts != self.counts {
            return Err(format!("counters {:?} but recount {:?}", self.counts, t.counts));
        }
        if t.counts.total() != self.produced() {
            return Err(format!("produced {} but outcomes add up to {}", self.produced(), t.counts.total()));
        }
        if t.lost_by_reason != self.lost_by_reason {
            return Err(format!("loss reasons {:?} but recount {:?}", self.lost_by_reason, t.lost_by_reason));
        }
        if t.effects != self.effects_total || t.extra != self.extra_effects {
            return Err(format!(
                "effects {}/{} extra but recount {}/{}",
                self.effects_total, self.extra_effects, t.effects, t.extra
            ));
        }
        Ok(())
    }
}

/// Keeps a notable settled record inspectable, forgetting the oldest beyond [`KEEP_NOTABLE`].
fn keep_notable(
    notable: &mut BTreeMap<MessageId, MessageRecord>,
    order: &mut VecDeque<MessageId>,
    id: MessageId,
    m: MessageRecord,
) {
    notable.insert(id, m);
    order.push_back(id);
    if order.len() > KEEP_NOTABLE {
        let old = order.pop_front().expect("the order is not empty");
        notable.remove(&old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: SimTime = SimTime(10);

    #[test]
    fn single_effect_settles_exactly_once() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        l.hold(m);
        l.release(m, None, T); // producer acked
        assert_eq!(l.counts().in_flight, 1);
        l.apply_effect(m, 0);
        assert_eq!(l.release(m, None, T), Some(Outcome::ExactlyOnce));
        l.audit().unwrap();
    }

    #[test]
    fn second_effect_is_a_duplicate_immediately() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        l.apply_effect(m, 0);
        l.apply_effect(m, 0);
        assert_eq!(l.counts().duplicated, 1);
        assert_eq!(l.counts().in_flight, 0);
        assert_eq!(l.extra_effects(), 1);
        l.audit().unwrap();
        l.release(m, None, T);
        assert_eq!(l.counts().duplicated, 1);
        l.audit().unwrap();
    }

    #[test]
    fn fanout_counts_one_effect_per_subscriber() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 3);
        l.apply_effect(m, 0);
        l.apply_effect(m, 2);
        l.apply_effect(m, 1);
        assert_eq!(l.release(m, None, T), Some(Outcome::ExactlyOnce), "three subscribers, once each");
        let d = l.create(SimTime::ZERO, 0, 0, 0, 2);
        l.apply_effect(d, 1);
        l.apply_effect(d, 1);
        assert_eq!(l.counts().duplicated, 1, "one subscriber twice is a duplicate, whatever the others did");
        let p = l.create(SimTime::ZERO, 0, 0, 0, 2);
        l.apply_effect(p, 0);
        l.release(p, Some(LossReason::Retention), T);
        assert_eq!(l.get(p).unwrap().outcome, Outcome::Lost, "a subscriber that never applied it lost it");
        l.audit().unwrap();
    }

    #[test]
    fn no_effect_is_lost_with_the_last_reason() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        l.hold(m);
        l.release(m, Some(LossReason::Retention), T);
        l.release(m, Some(LossReason::CommittedBeforeProcessing), T);
        assert_eq!(l.get(m).unwrap().outcome, Outcome::Lost);
        assert_eq!(l.get(m).unwrap().loss_reason, Some(LossReason::CommittedBeforeProcessing));
        l.audit().unwrap();
    }

    #[test]
    fn dead_letter_beats_lost() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        l.mark_dead_lettered(m, 0);
        l.release(m, None, T);
        assert_eq!(l.counts().dead_lettered, 1);
        l.audit().unwrap();
    }

    /// Parks `m` (held once) the way the pipeline does, and lets it settle.
    fn park(l: &mut Ledger, m: MessageId) {
        l.mark_dead_lettered(m, 0);
        l.release(m, None, T);
    }

    #[test]
    fn a_redriven_message_is_in_flight_again_then_settles_anew() {
        let mut l = Ledger::new(4);
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        park(&mut l, m);
        assert_eq!((l.counts().dead_lettered, l.parked(), l.examples(Outcome::DeadLettered)), (1, 1, &[m][..]));
        // Many newer messages settle: a parked record is never forgotten.
        for _ in 0..50 {
            let n = l.create(SimTime::ZERO, 0, 0, 0, 1);
            l.apply_effect(n, 0);
            l.release(n, None, T);
        }
        l.audit().unwrap();
        l.redrive(m, 0);
        let r = l.get(m).unwrap();
        assert_eq!((r.outcome, r.dead_lettered, l.parked()), (Outcome::InFlight, false, 0));
        assert_eq!((l.counts().in_flight, l.counts().dead_lettered), (1, 0));
        assert!(l.examples(Outcome::DeadLettered).is_empty(), "it left the class");
        l.audit().unwrap();
        l.hold(m); // appended again
        l.release(m, None, T); // the redrive's hold
        l.apply_effect(m, 0);
        assert_eq!(l.release(m, None, T), Some(Outcome::ExactlyOnce));
        assert_eq!(l.counts().total(), l.produced());
        l.audit().unwrap();
    }

    #[test]
    fn a_redrive_after_another_copy_applied_it_counts_a_duplicate() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0, 1);
        l.hold(m); // a second copy
        l.mark_dead_lettered(m, 0);
        l.release(m, None, T);
        l.apply_effect(m, 0); // the second copy succeeded
        assert_eq!(l.release(m, None, T), Some(Outcome::ExactlyOnce));
        assert_eq!(l.parked(), 1, "still parked");
        l.redrive(m, 0);
        assert_eq!(l.counts().exactly_once, 0);
        l.apply_effect(m, 0);
        assert_eq!(l.release(m, None, T), Some(Outcome::Duplicated));
        l.audit().unwrap();
    }

    #[test]
    fn redrive_refreshes_the_dead_lettered_examples() {
        let mut l = Ledger::default();
        let ids: Vec<MessageId> = (0..EXAMPLES + 2).map(|_| l.create(SimTime::ZERO, 0, 0, 0, 1)).collect();
        for &m in &ids {
            park(&mut l, m);
        }
        assert_eq!(l.examples(Outcome::DeadLettered), &ids[..EXAMPLES]);
        l.redrive(ids[1], 0);
        let want: Vec<MessageId> = ids.iter().copied().filter(|&m| m != ids[1]).take(EXAMPLES).collect();
        assert_eq!(l.examples(Outcome::DeadLettered), &want[..]);
        l.audit().unwrap();
    }

    #[test]
    fn latency_quantiles_are_close() {
        let mut s = LatencyStats::default();
        for us in 1..=100_000u64 {
            s.record(us);
        }
        let p50 = s.quantile_us(0.5).unwrap() as f64;
        assert!((p50 - 50_000.0).abs() / 50_000.0 < 0.01, "p50 {p50}");
        let p99 = s.quantile_us(0.99).unwrap() as f64;
        assert!((p99 - 99_000.0).abs() / 99_000.0 < 0.01, "p99 {p99}");
        assert_eq!(s.max_us(), Some(100_000));
        assert_eq!(LatencyStats::default().quantile_us(0.5), None);
    }
}
