//! The consumer pipeline, where every delivery guarantee is decided:
//!
//! ```text
//! receive → [commit, if before] → dedup check → process → effect (+ mark, if atomic)
//!         → [dedup mark, if check-then-act] → [commit, if after] → next record
//! ```
//!
//! A crash can strike after any step (armed by a command, or at random at the scenario's crash
//! point). What the crash costs depends only on which steps already happened: an effect without a
//! commit is redelivered and applied again (duplicate) unless the dedup mark is already there; a
//! commit without an effect is never redelivered (lost).

use crate::sim::broker::log::partition::LogRecord;
use crate::sim::client::consumer::{ConsumerStatus, InHand};
use crate::sim::config::scenario::{CommitStrategy, CrashPoint, IdempotencyMode, RetryMode, ServiceDistribution};
use crate::sim::engine::Simulation;
use crate::sim::event::{AppendKind, ConsumerEvent, Event, GroupEvent, JournalKind};
use crate::sim::ledger::LossReason;
use crate::sim::patterns::dlq::DeadLetter;

impl Simulation {
    pub(in crate::sim) fn on_consumer_event(&mut self, event: ConsumerEvent) {
        match event {
            ConsumerEvent::ServiceDone { consumer, epoch } => self.on_service_done(consumer, epoch),
            ConsumerEvent::RetryDue { consumer, epoch } => self.on_retry_due(consumer, epoch),
            ConsumerEvent::Reappend { msg, retry } => self.on_reappend(msg, retry),
            ConsumerEvent::Restart { consumer, epoch } => {
                if self.consumers[consumer as usize].epoch == epoch {
                    self.restart(consumer);
                }
            }
            ConsumerEvent::AutoCommit { consumer, epoch, token } => self.on_autocommit(consumer, epoch, token),
        }
    }

    /// A record was appended to `partition`: its owner starts on it if it was idle.
    #[inline]
    pub(in crate::sim) fn wake_owner(&mut self, partition: u32) {
        if let Some(c) = self.group.owner[partition as usize] {
            if self.consumers[c as usize].status == ConsumerStatus::Idle {
                self.pump(c);
            }
        }
    }

    /// Fetches and starts records until the consumer is busy, or has nothing to read.
    pub(in crate::sim) fn pump(&mut self, c: u32) {
        loop {
            if self.consumers[c as usize].status != ConsumerStatus::Idle || !self.group.is_stable() {
                return;
            }
            let Some((partition, offset, record)) = self.fetch(c) else { return };
            let msg = record.msg;
            self.ledger.hold(msg); // the consumer's hold while it works on the record
            let delivery = self.ledger.note_delivery(msg);
            let consumer = &mut self.consumers[c as usize];
            consumer.in_hand = Some(InHand { msg, partition, offset, retry: record.retry });
            consumer.status = ConsumerStatus::Processing;
            self.note(JournalKind::Received { msg, consumer: c, partition, offset, delivery });
            if self.crash_at(c, CrashPoint::AfterReceive) {
                return;
            }
            if self.scenario.consumers.commit == CommitStrategy::BeforeProcessing {
                self.commit(c, partition, offset + 1);
                if self.crash_at(c, CrashPoint::AfterCommit) {
                    return;
                }
            }
            let dedup = matches!(
                self.scenario.idempotency.mode,
                IdempotencyMode::DedupCheckThenAct | IdempotencyMode::DedupAtomic
            );
            if dedup && self.dedup.contains(msg, self.now, self.knobs.dedup_ttl_us) {
                self.stats.consumer.dedup_skips += 1;
                self.note(JournalKind::DedupSkipped { msg, consumer: c });
                self.finish_record(c);
                continue;
            }
            self.start_attempt(c);
            return;
        }
    }

    /// The next record for consumer `c`, round-robin over its partitions. Moves its position.
    fn fetch(&mut self, c: u32) -> Option<(u32, u64, LogRecord)> {
        let n = self.consumers[c as usize].assigned.len();
        for i in 0..n {
            let consumer = &self.consumers[c as usize];
            // Wrap without a division: the cursor is at most n.
            let mut idx = consumer.cursor as usize + i;
            while idx >= n {
                idx -= n;
            }
            let p = consumer.assigned[idx];
            let partition = &self.partitions[p as usize];
            let mut offset = self.group.position[p as usize];
            if offset < partition.log_start() {
                // auto.offset.reset=earliest: the records below were deleted by retention.
                offset = partition.log_start();
            }
            if offset < partition.log_end() {
                let record = *partition.get(offset).expect("offsets between log start and end exist");
                self.group.position[p as usize] = offset + 1;
                self.consumers[c as usize].cursor = (idx + 1) as u32;
                return Some((p, offset, record));
            }
        }
        None
    }

    fn start_attempt(&mut self, c: u32) {
        let mean = self.knobs.service_mean_us;
        let duration = match self.scenario.processing.service.distribution {
            ServiceDistribution::Exponential => self.rng.service.exponential_us(mean),
            ServiceDistribution::Constant => (mean + 0.5) as u64,
            ServiceDistribution::Uniform => self.rng.service.uniform_us(0, (2.0 * mean + 0.5) as u64),
        };
        let consumer = &mut self.consumers[c as usize];
        consumer.status = ConsumerStatus::Processing;
        let epoch = consumer.epoch;
        self.scheduler
            .schedule(self.now.plus_us(duration), Event::Consumer(ConsumerEvent::ServiceDone { consumer: c, epoch }));
    }

    pub(in crate::sim) fn on_retry_due(&mut self, c: u32, epoch: u32) {
        let consumer = &self.consumers[c as usize];
        if consumer.epoch == epoch && consumer.status == ConsumerStatus::RetryWait {
            self.start_attempt(c);
        }
    }

    pub(in crate::sim) fn on_service_done(&mut self, c: u32, epoch: u32) {
        let consumer = &self.consumers[c as usize];
        if consumer.epoch != epoch || consumer.status != ConsumerStatus::Processing {
            return;
        }
        let hand = consumer.in_hand.expect("a processing consumer holds a record");
        let msg = hand.msg;
        if self.rng.failures.chance(self.knobs.fail_p) {
            self.on_attempt_failed(c, hand);
            return;
        }
        let mode = self.scenario.idempotency.mode;
        let already = self.ledger.live(msg).effects;
        if mode == IdempotencyMode::Natural && already > 0 {
            // A SET-style effect: running it again leaves the world as it was.
            self.stats.consumer.effects_absorbed += 1;
            self.note(JournalKind::EffectAbsorbed { msg, consumer: c });
        } else {
            let effects = self.ledger.apply_effect(msg);
            self.note(JournalKind::EffectApplied { msg, consumer: c, effects });
        }
        if mode == IdempotencyMode::DedupAtomic {
            self.dedup.mark(msg, self.now); // in the same transaction as the effect
        }
        if self.crash_at(c, CrashPoint::AfterEffect) {
            return;
        }
        if mode == IdempotencyMode::DedupCheckThenAct {
            self.dedup.mark(msg, self.now);
        }
        if self.crash_at(c, CrashPoint::AfterDedupMark) {
            return;
        }
        if self.finish_record(c) {
            self.pump(c);
        }
    }

    fn on_attempt_failed(&mut self, c: u32, hand: InHand) {
        self.stats.consumer.processing_failures += 1;
        let policy = self.scenario.processing.retry;
        let msg = hand.msg;
        self.note(JournalKind::ProcessingFailed {
            msg,
            consumer: c,
            retry: hand.retry + 1,
            max_retries: policy.max_retries,
        });
        if hand.retry < policy.max_retries {
            self.stats.consumer.retries += 1;
            let retry = hand.retry + 1;
            let at = self.now.plus_us(policy.delay_us(retry));
            match policy.mode {
                RetryMode::InPlace => {
                    let consumer = &mut self.consumers[c as usize];
                    consumer.in_hand = Some(InHand { retry, ..hand });
                    consumer.status = ConsumerStatus::RetryWait;
                    let epoch = consumer.epoch;
                    self.scheduler.schedule(at, Event::Consumer(ConsumerEvent::RetryDue { consumer: c, epoch }));
                }
                RetryMode::Reappend => {
                    self.ledger.hold(msg); // the pending retry
                    self.scheduler.schedule(at, Event::Consumer(ConsumerEvent::Reappend { msg, retry }));
                    if self.finish_record(c) {
                        self.pump(c);
                    }
                }
            }
        } else {
            self.ledger.mark_dead_lettered(msg);
            self.dlq.push(DeadLetter { msg, at: self.now, partition: hand.partition });
            self.note(JournalKind::DeadLettered { msg, consumer: c });
            if self.finish_record(c) {
                self.pump(c);
            }
        }
    }

    /// A failed record comes back to the end of its partition for retry number `retry`.
    pub(in crate::sim) fn on_reappend(&mut self, msg: u32, retry: u32) {
        let partition = self.ledger.live(msg).partition;
        let offset = self.partitions[partition as usize].append(LogRecord { msg, retry, appended_at: self.now });
        self.ledger.hold(msg);
        self.note(JournalKind::Appended { msg, partition, offset, append: AppendKind::Retry(retry) });
        self.release(msg, None); // the pending retry's hold
        self.wake_owner(partition);
    }

    /// Ends work on the record in hand: commit (if after processing), let go of it, and move to
    /// the next state. Returns true when the consumer is idle and may fetch again.
    pub(in crate::sim) fn finish_record(&mut self, c: u32) -> bool {
        let consumer = &mut self.consumers[c as usize];
        let hand = consumer.in_hand.take().expect("finishing requires a record in hand");
        consumer.processed += 1;
        let commit_after = self.scenario.consumers.commit == CommitStrategy::AfterProcessing;
        if commit_after {
            self.commit(c, hand.partition, hand.offset + 1);
        }
        self.release(hand.msg, None);
        if commit_after && self.crash_at(c, CrashPoint::AfterCommit) {
            return false;
        }
        self.after_record(c)
    }

    /// Commits offset `offset` (the next one to read) of `partition` for the group. Records the
    /// commit passes stop holding their messages: the group will not deliver them again.
    #[inline]
    pub(in crate::sim) fn commit(&mut self, c: u32, partition: u32, offset: u64) {
        let p = partition as usize;
        let old = self.group.committed[p];
        if offset <= old {
            return;
        }
        let from = old.max(self.partitions[p].log_start());
        for o in from..offset {
            let msg = self.partitions[p].get(o).expect("uncommitted records are in memory").msg;
            self.release(msg, None);
        }
        self.group.committed[p] = offset;
        if self.scenario.topic.retention_ms.is_none() {
            self.partitions[p].trim_consumed(offset);
        }
        self.note(JournalKind::Committed { consumer: c, partition, offset });
    }

    pub(in crate::sim) fn on_autocommit(&mut self, c: u32, epoch: u32, token: u32) {
        let CommitStrategy::Auto { interval_ms } = self.scenario.consumers.commit else { return };
        let consumer = &self.consumers[c as usize];
        if token != self.autocommit_token || consumer.epoch != epoch || !consumer.is_alive() {
            return;
        }
        self.commit_positions(c);
        self.schedule_autocommit(c, interval_ms);
    }

    /// Commits the position (the offset after the last record handed to the application) of every
    /// partition the consumer owns: what auto-commit does on its timer and when partitions are
    /// revoked.
    pub(in crate::sim) fn commit_positions(&mut self, c: u32) {
        for i in 0..self.consumers[c as usize].assigned.len() {
            let p = self.consumers[c as usize].assigned[i];
            if self.group.owner[p as usize] == Some(c) {
                let position = self.group.position[p as usize];
                self.commit(c, p, position);
            }
        }
    }

    /// Crashes consumer `c` if a crash is armed for `point` or the random crash strikes there.
    #[inline]
    pub(in crate::sim) fn crash_at(&mut self, c: u32, point: CrashPoint) -> bool {
        let armed = self.consumers[c as usize].armed == Some(point);
        let random =
            !armed && point == self.scenario.consumers.crash.point && self.rng.faults.chance(self.knobs.crash_p);
        if armed || random {
            self.crash(c, Some(point));
        }
        armed || random
    }

    /// The consumer process dies. The record in hand is dropped; whether it comes back depends
    /// on whether its offset was already committed.
    pub(in crate::sim) fn crash(&mut self, c: u32, point: Option<CrashPoint>) {
        let auto = matches!(self.scenario.consumers.commit, CommitStrategy::Auto { .. });
        let consumer = &mut self.consumers[c as usize];
        if !consumer.is_alive() {
            return;
        }
        consumer.status = ConsumerStatus::Crashed;
        consumer.epoch += 1;
        consumer.crashes += 1;
        consumer.armed = None;
        consumer.leaving = false;
        // The process's memory is gone: it owns nothing until a rebalance assigns it partitions
        // again, so a restarted consumer cannot commit positions it fetched in its previous life.
        consumer.assigned.clear();
        let epoch = consumer.epoch;
        let hand = consumer.in_hand.take();
        self.stats.consumer.crashes += 1;
        self.note(JournalKind::Crashed { consumer: c, point, msg: hand.map(|h| h.msg) });
        if let Some(h) = hand {
            let committed = self.group.committed[h.partition as usize] > h.offset;
            let reason = committed.then_some(if auto {
                LossReason::AutoCommittedBeforeProcessing
            } else {
                LossReason::CommittedBeforeProcessing
            });
            self.release(h.msg, reason);
        }
        let session = self.scenario.consumers.session_timeout_ms;
        self.scheduler
            .schedule(self.now.plus_ms(session), Event::Group(GroupEvent::SessionTimeout { consumer: c, epoch }));
        if let Some(delay) = self.scenario.consumers.crash.restart_delay_ms {
            self.scheduler
                .schedule(self.now.plus_ms(delay), Event::Consumer(ConsumerEvent::Restart { consumer: c, epoch }));
        }
        self.check_rebalance_ready();
    }
}
