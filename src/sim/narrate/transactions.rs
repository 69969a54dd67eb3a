//! Transactions in plain words: the exactly-once stage's outputs written inside a transaction,
//! its commits and the three ways one is aborted; the producing service's dual write cut in two,
//! and its outbox relay's crash.

use crate::sim::event::{AbortCause, JournalKind};

pub(super) fn transaction_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        OutputWritten { msg, consumer, txn } => format!(
            "consumer {consumer} wrote {msg}'s output record inside transaction {txn} (a read_committed reader sees it once the transaction commits)"
        ),
        TxnCommitted { consumer, txn, records, outputs } => format!(
            "consumer {consumer} committed transaction {txn}: {outputs} output record(s) and the offsets of {records} input(s), together"
        ),
        TxnAborted { consumer, txn, outputs, cause } => {
            let why = match cause {
                AbortCause::Restarted => "its producer started again under the same transactional.id, which aborts what it left open",
                AbortCause::TimedOut => "it was open longer than transaction.timeout.ms, so the coordinator aborted it",
                AbortCause::Fenced => "the group had moved on without the consumer, so its commit was refused (fenced)",
            };
            format!(
                "transaction {txn} of consumer {consumer} aborted: {why}; its {outputs} output record(s) will never be read by read_committed readers, and its inputs are read again"
            )
        }
        DualWriteLost { msg } => format!(
            "dual write: the service committed {msg}'s state change, then crashed before publishing it; nothing will ever publish it"
        ),
        RelayCrashed { rows } => format!(
            "the outbox relay crashed after publishing {rows} row(s), before marking them sent: it publishes them again, so the log gets second copies"
        ),
        _ => unreachable!("only transaction entries come here"),
    }
}
