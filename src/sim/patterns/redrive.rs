//! Redrive: once the cause of the failures is fixed, the dead-lettered messages are published
//! again, as a DLQ redrive tool does (AWS SQS's "start DLQ redrive", a Kafka DLQ replayer): the
//! same message, with its id and key, appended anew to the main topic and taken out of the
//! dead-letter queue. The engine applies `Command::Redrive` here: which messages, where each goes,
//! and why one cannot go; and here is what the queue and the ledger must agree on.
//!
//! A keyed message goes where the producer's partitioner puts its key on the topic as it is now
//! (the partition it came from, unless partitions were added since); a keyless one goes back to
//! the partition it came from, one of the choices a redrive tool's own sticky partitioner could
//! make, and one that draws nothing from the producer's random streams.

use crate::sim::client::pipeline::{Pipeline, Source};
use crate::sim::client::producer::key_partition;
use crate::sim::ctx::Ctx;
use crate::sim::ids::MessageId;
use crate::sim::ledger::{Ledger, Outcome};
use crate::sim::patterns::dlq::DeadLetterQueue;

/// Why `msg` cannot be redriven now, in words that name the message; `None` when it can.
/// (`parked`: some dead-letter queue holds it.)
pub fn refusal(parked: bool, ledger: &Ledger, msg: MessageId) -> Option<String> {
    if parked {
        return None;
    }
    let produced = ledger.produced();
    Some(if u64::from(msg.0) >= produced {
        format!("{msg} was never produced ({produced} messages so far)")
    } else {
        match ledger.get(msg) {
            Some(m) => format!("{msg} is not in the dead-letter queue (it is {})", m.outcome.label()),
            None => format!("{msg} is not in the dead-letter queue"),
        }
    })
}

/// Redrives `msg`, or every message parked in `pipeline`'s dead-letter queue oldest first
/// (`None`), each to its key's partition (or its subscriber's queue). Returns how many were
/// redriven. The engine checked `msg` with [`refusal`] and that this queue holds it.
pub fn redrive(msg: Option<MessageId>, pipeline: &mut Pipeline, src: &mut impl Source, ctx: &mut Ctx) -> usize {
    let msgs: Vec<MessageId> = match msg {
        Some(m) => vec![m],
        None => pipeline.dlq().iter().map(|d| d.msg).collect(),
    };
    for &m in &msgs {
        let record = ctx.ledger.get(m).expect("the ledger keeps every parked message");
        let route = key_partition(record.key, ctx).map_or(record.route, |p| p.0);
        let done = pipeline.redrive(m, route, src, ctx);
        debug_assert!(done, "{m} was parked");
    }
    msgs.len()
}

/// What the dead-letter queues (one per subscriber, in subscriber order) and the ledger agree on
/// at every instant: the queues hold exactly the copies the ledger counts as parked, one entry
/// per message in each; every dead-lettered message is among them (a parked message may also
/// still be in flight, or applied by another copy); and each entry's failures make sense.
/// Returns the first disagreement.
pub fn audit<'a>(dlqs: impl Iterator<Item = &'a DeadLetterQueue> + Clone, ledger: &Ledger) -> Result<(), String> {
    let entries: u64 = dlqs.clone().map(|d| d.len() as u64).sum();
    if entries != ledger.parked() {
        return Err(format!("{entries} entries in the dead-letter queues, {} parked in the ledger", ledger.parked()));
    }
    let mut dead_lettered = 0;
    for (k, d) in dlqs.enumerate().flat_map(|(k, q)| q.iter().map(move |d| (k as u8, d))) {
        let m = ledger.get(d.msg).ok_or_else(|| format!("{} is in the dead-letter queue but not kept", d.msg))?;
        if !m.parked_by(k) {
            return Err(format!("{} is in dead-letter queue {k} but not parked there in the ledger", d.msg));
        }
        // A queue dead-letters a message no consumer failed on (expired, dropped): no attempts.
        let no_attempts_ok = d.reason.by_queue();
        if (d.attempts == 0 && !no_attempts_ok) || d.first_failed_at > d.last_failed_at || d.first_failed_at > d.at {
            return Err(format!("{} has impossible failures: {d:?}", d.msg));
        }
        // Counted once, in the first queue that holds it.
        let first = m.parked_in.trailing_zeros() == u32::from(k);
        dead_lettered += u64::from(first && m.outcome == Outcome::DeadLettered);
    }
    if dead_lettered != ledger.counts().dead_lettered {
        return Err(format!(
            "{} dead-lettered in the ledger, {dead_lettered} of them in the dead-letter queue",
            ledger.counts().dead_lettered
        ));
    }
    Ok(())
}
