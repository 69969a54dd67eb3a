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
//! **Invariant:** `produced = in_flight + exactly_once + duplicated + dead_lettered + lost`
//! after every event, and the counters equal a recount of the per-message records (`audit`).

use super::time::SimTime;
use serde::Serialize;
use std::fmt;

/// Which outcome class a message is in now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    InFlight,
    ExactlyOnce,
    Duplicated,
    DeadLettered,
    Lost,
}

/// Why a holder went away without the effect being applied. The last such reason of a message
/// that ends with no effect is its loss reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    /// acks=0: the request was lost on the network and the producer never knew.
    AcksZeroDropped,
    /// Every send attempt (or acknowledgement) was lost and the producer ran out of retries.
    ProducerGaveUp,
    /// The offset was committed before processing and the consumer crashed before the effect.
    CommittedBeforeProcessing,
    /// Auto-commit committed the offset of a message still being processed; then the crash.
    AutoCommittedBeforeProcessing,
    /// The record was deleted by retention before the group consumed it.
    Retention,
}

impl LossReason {
    pub const ALL: [LossReason; 5] = [
        LossReason::AcksZeroDropped,
        LossReason::ProducerGaveUp,
        LossReason::CommittedBeforeProcessing,
        LossReason::AutoCommittedBeforeProcessing,
        LossReason::Retention,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LossReason::AcksZeroDropped => "acks0_dropped",
            LossReason::ProducerGaveUp => "producer_gave_up",
            LossReason::CommittedBeforeProcessing => "committed_before_processing",
            LossReason::AutoCommittedBeforeProcessing => "auto_committed_before_processing",
            LossReason::Retention => "retention",
        }
    }
}

impl fmt::Display for LossReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LossReason::AcksZeroDropped => "acks=0: request lost on the network, producer never knew",
            LossReason::ProducerGaveUp => "producer gave up after its last retry",
            LossReason::CommittedBeforeProcessing => "offset committed before processing, then the consumer crashed",
            LossReason::AutoCommittedBeforeProcessing => {
                "auto-commit committed it while still processing, then the consumer crashed"
            }
            LossReason::Retention => "deleted by retention before it was consumed",
        })
    }
}

/// Key index meaning "this message has no key".
pub const NO_KEY: u32 = u32::MAX;

/// The ground truth of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRecord {
    pub produced_at: SimTime,
    /// Index into the key space (`user_{key}`), or [`NO_KEY`].
    pub key: u32,
    pub partition: u32,
    /// Business effects applied ("cards charged").
    pub effects: u32,
    /// Times a consumer received it.
    pub deliveries: u32,
    pub event_type: u8,
    pub outcome: Outcome,
    pub dead_lettered: bool,
    /// The broker has appended it at least once (the idempotent producer checks this).
    pub appended: bool,
    pub loss_reason: Option<LossReason>,
    holders: u16,
}

/// Outcome counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    pub in_flight: u64,
    pub exactly_once: u64,
    pub duplicated: u64,
    pub dead_lettered: u64,
    pub lost: u64,
}

impl OutcomeCounts {
    pub fn total(&self) -> u64 {
        self.in_flight + self.exactly_once + self.duplicated + self.dead_lettered + self.lost
    }
    fn slot(&mut self, o: Outcome) -> &mut u64 {
        match o {
            Outcome::InFlight => &mut self.in_flight,
            Outcome::ExactlyOnce => &mut self.exactly_once,
            Outcome::Duplicated => &mut self.duplicated,
            Outcome::DeadLettered => &mut self.dead_lettered,
            Outcome::Lost => &mut self.lost,
        }
    }
}

/// Time from production to settlement, as a sum (for the mean) and a log-bucketed histogram
/// (for percentiles within about 3%).
#[derive(Clone, Debug, Serialize)]
pub struct LatencyStats {
    pub count: u64,
    pub sum_us: u128,
    buckets: Vec<u64>,
}

const SUB_BUCKETS: u32 = 16;

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats { count: 0, sum_us: 0, buckets: vec![0; (64 * SUB_BUCKETS) as usize] }
    }
}

impl LatencyStats {
    fn bucket(us: u64) -> usize {
        if us < SUB_BUCKETS as u64 {
            return us as usize;
        }
        let exp = 63 - us.leading_zeros(); // >= 4
        let sub = (us >> (exp - 4)) as u32 & (SUB_BUCKETS - 1);
        ((exp - 3) * SUB_BUCKETS + sub) as usize
    }
    fn bucket_low(b: usize) -> u64 {
        let b = b as u32;
        if b < SUB_BUCKETS {
            return b as u64;
        }
        let exp = b / SUB_BUCKETS + 3;
        let sub = (b % SUB_BUCKETS) as u64;
        (SUB_BUCKETS as u64 + sub) << (exp - 4)
    }
    pub fn record(&mut self, us: u64) {
        self.count += 1;
        self.sum_us += us as u128;
        self.buckets[Self::bucket(us)] += 1;
    }
    pub fn mean_us(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_us as f64 / self.count as f64)
    }
    /// The `q`-quantile (0..=1), as the lower bound of its histogram bucket.
    pub fn quantile_us(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(Self::bucket_low(i));
            }
        }
        None
    }
}

/// All messages and their outcomes.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    messages: Vec<MessageRecord>,
    counts: OutcomeCounts,
    lost_by_reason: [u64; LossReason::ALL.len()],
    effects_total: u64,
    extra_effects: u64,
    latency: LatencyStats,
}

impl Ledger {
    /// Records a newly produced message, held by its producer. Returns its id.
    pub fn create(&mut self, now: SimTime, key: u32, event_type: u8, partition: u32) -> u32 {
        let id = self.messages.len() as u32;
        self.messages.push(MessageRecord {
            produced_at: now,
            key,
            partition,
            effects: 0,
            deliveries: 0,
            event_type,
            outcome: Outcome::InFlight,
            dead_lettered: false,
            appended: false,
            loss_reason: None,
            holders: 1,
        });
        self.counts.in_flight += 1;
        id
    }

    /// One more thing can deliver `msg`.
    #[inline]
    pub fn hold(&mut self, msg: u32) {
        let m = &mut self.messages[msg as usize];
        debug_assert!(m.holders > 0 || m.outcome != Outcome::InFlight, "hold on a settled message");
        m.holders += 1;
    }

    /// One holder of `msg` went away; `reason` says why, if it went without applying the effect.
    /// Returns the outcome if this settled the message.
    #[inline]
    pub fn release(&mut self, msg: u32, reason: Option<LossReason>, now: SimTime) -> Option<Outcome> {
        let m = &mut self.messages[msg as usize];
        assert!(m.holders > 0, "release without a holder: evt_{msg:06}");
        m.holders -= 1;
        if let Some(r) = reason {
            m.loss_reason = Some(r);
        }
        if m.holders > 0 {
            return None;
        }
        let settled = match m.outcome {
            Outcome::InFlight => {
                let o = if m.effects == 1 {
                    Outcome::ExactlyOnce
                } else if m.dead_lettered {
                    Outcome::DeadLettered
                } else {
                    debug_assert_eq!(m.effects, 0);
                    Outcome::Lost
                };
                m.outcome = o;
                self.counts.in_flight -= 1;
                *self.counts.slot(o) += 1;
                if o == Outcome::Lost {
                    let r = m.loss_reason.expect("a lost message always has a reason");
                    self.lost_by_reason[r as usize] += 1;
                }
                o
            }
            other => other, // duplicated already
        };
        self.latency.record(now.since(m.produced_at));
        Some(settled)
    }

    /// Applies the business effect of `msg`. Returns the new effect count.
    #[inline]
    pub fn apply_effect(&mut self, msg: u32) -> u32 {
        let m = &mut self.messages[msg as usize];
        debug_assert!(m.holders > 0, "effect on a settled message");
        m.effects += 1;
        self.effects_total += 1;
        if m.effects >= 2 {
            self.extra_effects += 1;
            if m.outcome == Outcome::InFlight {
                m.outcome = Outcome::Duplicated;
                self.counts.in_flight -= 1;
                self.counts.duplicated += 1;
            }
        }
        m.effects
    }

    pub fn note_delivery(&mut self, msg: u32) -> u32 {
        let m = &mut self.messages[msg as usize];
        m.deliveries += 1;
        m.deliveries
    }

    pub fn mark_dead_lettered(&mut self, msg: u32) {
        self.messages[msg as usize].dead_lettered = true;
    }

    /// Marks `msg` appended; returns whether it already was.
    pub fn mark_appended(&mut self, msg: u32) -> bool {
        std::mem::replace(&mut self.messages[msg as usize].appended, true)
    }

    pub fn get(&self, msg: u32) -> Option<&MessageRecord> {
        self.messages.get(msg as usize)
    }
    pub fn produced(&self) -> u64 {
        self.messages.len() as u64
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
    pub fn latency(&self) -> &LatencyStats {
        &self.latency
    }
    pub fn messages(&self) -> &[MessageRecord] {
        &self.messages
    }

    /// Recounts every message from its record and compares with the counters. Returns a
    /// description of the first disagreement. Used by tests after every event.
    pub fn audit(&self) -> Result<(), String> {
        let mut c = OutcomeCounts::default();
        let mut by_reason = [0u64; LossReason::ALL.len()];
        let mut effects = 0u64;
        let mut extra = 0u64;
        for (i, m) in self.messages.iter().enumerate() {
            *c.slot(m.outcome) += 1;
            effects += m.effects as u64;
            extra += m.effects.saturating_sub(1) as u64;
            let expected = match (m.holders, m.effects) {
                (_, 2..) => Outcome::Duplicated,
                (1.., _) => Outcome::InFlight,
                (0, 1) => Outcome::ExactlyOnce,
                (0, _) if m.dead_lettered => Outcome::DeadLettered,
                (0, _) => Outcome::Lost,
            };
            if m.outcome != expected {
                return Err(format!("evt_{i:06}: recorded {:?}, ground truth {expected:?} ({m:?})", m.outcome));
            }
            if m.outcome == Outcome::Lost {
                match m.loss_reason {
                    Some(r) => by_reason[r as usize] += 1,
                    None => return Err(format!("evt_{i:06} is lost without a reason")),
                }
            }
        }
        if c != self.counts {
            return Err(format!("counters {:?} but recount {c:?}", self.counts));
        }
        if c.total() != self.produced() {
            return Err(format!("produced {} but outcomes add up to {}", self.produced(), c.total()));
        }
        if by_reason != self.lost_by_reason {
            return Err(format!("loss reasons {:?} but recount {by_reason:?}", self.lost_by_reason));
        }
        if effects != self.effects_total || extra != self.extra_effects {
            return Err(format!(
                "effects {}/{} extra but recount {effects}/{extra}",
                self.effects_total, self.extra_effects
            ));
        }
        Ok(())
    }
}

/// The public id of message `msg`, as the guide writes them: `evt_000123`.
pub fn message_id(msg: u32) -> String {
    format!("evt_{msg:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: SimTime = SimTime(10);

    #[test]
    fn single_effect_settles_exactly_once() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0);
        l.hold(m);
        l.release(m, None, T); // producer acked
        assert_eq!(l.counts().in_flight, 1);
        l.apply_effect(m);
        assert_eq!(l.release(m, None, T), Some(Outcome::ExactlyOnce));
        l.audit().unwrap();
    }

    #[test]
    fn second_effect_is_a_duplicate_immediately() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0);
        l.apply_effect(m);
        l.apply_effect(m);
        assert_eq!(l.counts().duplicated, 1);
        assert_eq!(l.counts().in_flight, 0);
        assert_eq!(l.extra_effects(), 1);
        l.audit().unwrap();
        l.release(m, None, T);
        assert_eq!(l.counts().duplicated, 1);
        l.audit().unwrap();
    }

    #[test]
    fn no_effect_is_lost_with_the_last_reason() {
        let mut l = Ledger::default();
        let m = l.create(SimTime::ZERO, 0, 0, 0);
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
        let m = l.create(SimTime::ZERO, 0, 0, 0);
        l.mark_dead_lettered(m);
        l.release(m, None, T);
        assert_eq!(l.counts().dead_lettered, 1);
        l.audit().unwrap();
    }

    #[test]
    fn latency_quantiles_are_close() {
        let mut s = LatencyStats::default();
        for us in 1..=100_000u64 {
            s.record(us);
        }
        let p50 = s.quantile_us(0.5).unwrap() as f64;
        assert!((p50 - 50_000.0).abs() / 50_000.0 < 0.07, "p50 {p50}");
        let p99 = s.quantile_us(0.99).unwrap() as f64;
        assert!((p99 - 99_000.0).abs() / 99_000.0 < 0.07, "p99 {p99}");
    }
}
