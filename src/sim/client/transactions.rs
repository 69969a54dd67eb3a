//! The consumers' transactions, when the stage runs exactly-once (`config/transactions.rs`): each
//! consumer's transactional producer writes one output record per input it processes to the
//! output topic, inside its open transaction, and commits the transaction with the inputs'
//! offsets (`sendOffsetsToTransaction`) every commit interval, before it gives partitions up in a
//! rebalance, and when it leaves. Nothing else commits offsets.
//!
//! A transaction ends one of three ways besides its commit: the consumer crashed and its producer
//! starts again under the same `transactional.id` (`initTransactions` aborts what it left open
//! and bumps the producer epoch); nobody does, and the coordinator aborts it at
//! `transaction.timeout.ms`; or the consumer is a zombie the group moved on without (its poll
//! interval ran out, or its transaction timed out under it), and its commit is refused (fenced).
//! An aborted transaction's offsets were never committed, so its inputs are read again.
//!
//! The output topic has one partition here, so it has one last stable offset: a `read_committed`
//! reader sees a committed transaction's records only once every transaction that began before it
//! has ended. A crashed consumer's open transaction holds up every later one until it is
//! aborted. A `read_uncommitted` reader sees each record as it is written, aborted or not.

use super::pipeline::{Pipeline, Source};
use crate::sim::broker::delivery::Delivery;
use crate::sim::config::choices::CrashPoint;
use crate::sim::config::transactions::Isolation;
use crate::sim::ctx::Ctx;
use crate::sim::event::{AbortCause, ConsumerEvent, Event, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::kernel::time::SimDuration;
use serde::Serialize;
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TxnState {
    Open,
    Committed,
    Aborted,
}

/// One transaction of one consumer's producer.
#[derive(Clone, Debug)]
struct Txn {
    id: u32,
    owner: ConsumerId,
    state: TxnState,
    /// The deliveries whose offsets it commits.
    offsets: Vec<Delivery>,
    /// The messages whose output record it wrote; each holds its message until a reader can see
    /// the record, or the transaction is aborted.
    outputs: Vec<MessageId>,
}

/// What the transactions did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TxnStats {
    pub committed: u64,
    pub aborted: u64,
    /// Output records written in committed and in aborted transactions.
    pub outputs_committed: u64,
    pub outputs_aborted: u64,
    /// Commits refused because the group had moved on (zombies fenced).
    pub fenced: u64,
}

impl TxnStats {
    /// Adds another stage's counts (publish-subscribe on the log: one stage per group).
    pub fn add(&mut self, o: &TxnStats) {
        self.committed += o.committed;
        self.aborted += o.aborted;
        self.outputs_committed += o.outputs_committed;
        self.outputs_aborted += o.outputs_aborted;
        self.fenced += o.fenced;
    }
}

/// The transactions of one stage's consumers.
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    /// Each consumer's open transaction, by consumer index.
    open: Vec<Option<u32>>,
    /// Each consumer's commit interval ran out while it held a record: it commits when done.
    due: Vec<bool>,
    /// Transactions that have begun and are open, or that ended but wait behind an open one for
    /// the output's reader (oldest first).
    log: VecDeque<Txn>,
    next: u32,
    stats: TxnStats,
}

impl Transactions {
    pub fn stats(&self) -> TxnStats {
        self.stats
    }
    /// Transactions still open.
    pub fn open_count(&self) -> usize {
        self.log.iter().filter(|t| t.state == TxnState::Open).count()
    }
    /// Output records committed but not yet visible to a read_committed reader: they wait behind
    /// an open transaction that began earlier.
    pub fn held_back(&self) -> usize {
        self.log.iter().filter(|t| t.state == TxnState::Committed).map(|t| t.outputs.len()).sum()
    }
    /// Whether `c` has a transaction open.
    pub(super) fn is_open(&self, c: ConsumerId) -> bool {
        self.open.get(c.index()).is_some_and(Option::is_some)
    }
    /// `c` crashed: whatever fell due dies with it (its transaction stays open).
    pub(super) fn crashed(&mut self, c: ConsumerId) {
        if let Some(due) = self.due.get_mut(c.index()) {
            *due = false;
        }
    }
    /// A commit of `c`'s was refused: the group had moved on.
    pub(super) fn fenced(&mut self, _c: ConsumerId) {
        self.stats.fenced += 1;
    }
    fn slot(&mut self, c: ConsumerId) -> usize {
        let i = c.index();
        if self.open.len() <= i {
            self.open.resize(i + 1, None);
            self.due.resize(i + 1, false);
        }
        i
    }
    fn find(&mut self, id: u32) -> &mut Txn {
        self.log.iter_mut().find(|t| t.id == id).expect("an open transaction is in the log")
    }
}

impl Pipeline {
    /// `c`'s open transaction, begun now if it has none: its commit timer and its timeout start.
    fn txn_of(&mut self, c: ConsumerId, ctx: &mut Ctx) -> &mut Txn {
        let i = self.txns.slot(c);
        let id = match self.txns.open[i] {
            Some(id) => id,
            None => {
                let id = self.txns.next;
                self.txns.next = self.txns.next.wrapping_add(1);
                self.txns.open[i] = Some(id);
                let txn = Txn { id, owner: c, state: TxnState::Open, offsets: Vec::new(), outputs: Vec::new() };
                self.txns.log.push_back(txn);
                let t = &ctx.settings.transactions;
                let (interval, timeout) = (t.commit_interval_ms, t.timeout_ms);
                let commit = ConsumerEvent::TxnCommit { consumer: c, txn: id };
                ctx.after(SimDuration::from_ms(interval), Event::Consumer(commit));
                let expire = ConsumerEvent::TxnTimeout { consumer: c, txn: id };
                ctx.after(SimDuration::from_ms(timeout), Event::Consumer(expire));
                id
            }
        };
        self.txns.find(id)
    }

    /// Processing `msg` wrote its output record inside `c`'s transaction. A read_uncommitted
    /// reader sees it at once; a read_committed one when the transaction commits.
    pub(super) fn txn_output(&mut self, c: ConsumerId, msg: MessageId, ctx: &mut Ctx) {
        ctx.ledger.hold(msg);
        let txn = self.txn_of(c, ctx);
        txn.outputs.push(msg);
        let id = txn.id;
        ctx.note(JournalKind::OutputWritten { msg, consumer: c, txn: id });
        let t = &ctx.settings.transactions;
        if t.isolation == Isolation::ReadUncommitted && !t.external_effect {
            self.apply_effect(msg, c, ctx);
        }
    }

    /// `c` is done with `hand`: its offset will be committed with the transaction.
    pub(super) fn txn_ack(&mut self, c: ConsumerId, hand: Delivery, ctx: &mut Ctx) {
        self.txn_of(c, ctx).offsets.push(hand);
    }

    /// Whether `c`'s commit interval ran out while it held a record.
    pub(super) fn txn_due(&self, c: ConsumerId) -> bool {
        self.txns.due.get(c.index()).copied().unwrap_or(false)
    }

    /// Commits `c`'s open transaction, if any: its offsets and its outputs together. A consumer
    /// the group moved on without is fenced: its transaction is aborted instead.
    pub(super) fn txn_commit(&mut self, c: ConsumerId, src: &mut impl Source, ctx: &mut Ctx) {
        let i = self.txns.slot(c);
        let Some(id) = self.txns.open[i] else { return };
        if self.consumers[i].evicted || !src.is_member(c) {
            self.txns.fenced(c);
            return self.txn_abort(c, AbortCause::Fenced, ctx);
        }
        self.txns.open[i] = None;
        self.txns.due[i] = false;
        let txn = self.txns.find(id);
        txn.state = TxnState::Committed;
        let offsets = std::mem::take(&mut txn.offsets);
        let outputs = txn.outputs.len() as u32;
        for d in &offsets {
            src.ack(c, d, ctx);
        }
        self.txns.stats.committed += 1;
        self.txns.stats.outputs_committed += u64::from(outputs);
        ctx.note(JournalKind::TxnCommitted { consumer: c, txn: id, records: offsets.len() as u32, outputs });
        self.advance_stable(ctx);
    }

    /// Aborts `c`'s open transaction, if any: its outputs are never seen by a read_committed
    /// reader, and its offsets were never committed, so its inputs are read again.
    pub(super) fn txn_abort(&mut self, c: ConsumerId, cause: AbortCause, ctx: &mut Ctx) {
        let i = self.txns.slot(c);
        let Some(id) = self.txns.open[i].take() else { return };
        self.txns.due[i] = false;
        let txn = self.txns.find(id);
        txn.state = TxnState::Aborted;
        txn.offsets.clear();
        let outputs = std::mem::take(&mut txn.outputs);
        for &msg in &outputs {
            ctx.release(msg, None); // its input is still held by its partition, uncommitted
        }
        self.txns.stats.aborted += 1;
        self.txns.stats.outputs_aborted += outputs.len() as u64;
        ctx.note(JournalKind::TxnAborted { consumer: c, txn: id, outputs: outputs.len() as u32, cause });
        self.advance_stable(ctx);
    }

    /// Moves the output's last stable offset past every ended transaction at the head: a
    /// committed one's records are seen now (by a read_committed reader; a read_uncommitted one
    /// saw them when written).
    fn advance_stable(&mut self, ctx: &mut Ctx) {
        let t = &ctx.settings.transactions;
        let seen_now = t.isolation == Isolation::ReadCommitted && !t.external_effect;
        while let Some(front) = self.txns.log.front() {
            if front.state == TxnState::Open {
                break;
            }
            let txn = self.txns.log.pop_front().expect("front exists");
            for &msg in &txn.outputs {
                if seen_now {
                    self.apply_effect(msg, txn.owner, ctx);
                }
                ctx.release(msg, None);
            }
        }
    }

    /// `c`'s commit interval for transaction `id` ran out: it commits now if idle, else once done
    /// with the record in hand (a Streams thread commits between records).
    pub(super) fn on_txn_commit_due(&mut self, c: ConsumerId, id: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let i = self.txns.slot(c);
        let consumer = &self.consumers[i];
        if self.txns.open[i] != Some(id) || !consumer.is_alive() {
            return;
        }
        if consumer.in_hand.is_some() {
            self.txns.due[i] = true;
            return;
        }
        self.txn_commit(c, src, ctx);
        if !self.crash_at(c, CrashPoint::AfterCommit, src, ctx) {
            self.pump(c, src, ctx);
        }
    }

    /// Transaction `id` of `c` reached `transaction.timeout.ms`: if still open, the coordinator
    /// aborts it. A live consumer still working in it finds its producer fenced: like one past its
    /// poll interval, it is out of the group and learns so at its next commit.
    pub(super) fn on_txn_timeout(&mut self, c: ConsumerId, id: u32, src: &mut impl Source, ctx: &mut Ctx) {
        let i = self.txns.slot(c);
        if self.txns.open[i] != Some(id) {
            return;
        }
        self.txn_abort(c, AbortCause::TimedOut, ctx);
        let consumer = &mut self.consumers[i];
        if consumer.is_alive() && consumer.in_hand.is_some() && !consumer.evicted {
            consumer.evicted = true;
            if ctx.settings.consumers.static_membership {
                src.silent(c, false, ctx);
            } else if src.is_member(c) {
                src.leave(c);
                self.begin_rebalance(src, ctx);
            }
        }
    }
}
