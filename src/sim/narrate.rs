//! Journal entries and commands in plain words: what the event log, the message journey and the
//! command line say. One wording, shared by the page and the CLI.

use crate::sim::config::alerts::AlertsConfig;
use crate::sim::config::choices::{AutoOffsetReset, CrashPoint};
use crate::sim::config::queue::ExchangeKind;
use crate::sim::engine::Simulation;
use crate::sim::event::{AfterFailure, AppendKind, BreakerState, DropCause, JournalKind, ResetCause};
use crate::sim::ids::MessageId;
use crate::sim::kernel::numfmt::{Fixed, Plain};
use crate::sim::metrics::alerts::AlertRule;
pub use commands::describe_command;
use commands::describe_command_fingerprint;
use journey::journey_words;
use replication::replication_words;
use transactions::transaction_words;

mod commands;
mod journey;
mod replication;
mod transactions;

/// " OrderPlaced" for a message whose record is kept; nothing for one the ledger forgot.
fn event_type(sim: &Simulation, msg: MessageId) -> String {
    let types = &sim.scenario().producer.event_types;
    sim.ledger().get(msg).and_then(|m| types.get(m.event_type as usize)).map(|t| format!(" {t}")).unwrap_or_default()
}

/// Whether the run has several subscribers (publish-subscribe).
fn pubsub(sim: &Simulation) -> bool {
    !sim.scenario().subscribers.is_empty()
}

/// One journal entry in plain words; with publish-subscribe, led by the name of the subscriber it
/// is about (`sms: consumer 0 charged…`).
pub fn describe(kind: &JournalKind, sim: &Simulation) -> String {
    let words = entry_words(kind, sim);
    match kind.subscriber().and_then(|k| sim.scenario().subscriber_name(k)) {
        Some(name) => format!("{name}: {words}"),
        None => words,
    }
}

fn entry_words(kind: &JournalKind, sim: &Simulation) -> String {
    use JournalKind::*;
    match *kind {
        Appended { msg, partition, offset, append } => match append {
            AppendKind::First => {
                format!("{msg}{} → partition {partition} @ offset {offset}", event_type(sim, msg))
            }
            AppendKind::ProducerDuplicate => format!(
                "{msg} appended again by a producer resend → partition {partition} @ offset {offset}: a duplicate in the log"
            ),
            AppendKind::Retry(n) => {
                format!("{msg} re-appended for retry {n} → partition {partition} @ offset {offset}")
            }
            AppendKind::Redrive => {
                format!("{msg} redriven → partition {partition} @ offset {offset}: its retries start over")
            }
        },
        RequestLost { msg } => format!("produce request for {msg} lost on the network"),
        AckLost { msg } => format!("acknowledgement for {msg} lost on the way back to the producer"),
        ProducerRetry { msg, attempt } => format!("producer resends {msg} (attempt {attempt})"),
        ProducerGaveUp { msg } => format!("producer gave up on {msg}: no retries left"),
        DeliveryTimedOut { msg } => format!("producer gave up on {msg}: its delivery timeout passed"),
        DuplicateAppendDropped { msg, partition } => {
            format!("broker dropped a resent copy of {msg} on partition {partition} (idempotent producer)")
        }
        OutOfSequence { msg, partition } => format!(
            "broker refused {msg} on partition {partition}: out of sequence, an earlier record is missing (idempotent producer resends it in order)"
        ),
        Reordered { msg, after } => {
            format!("{msg} landed after {after}, a later record of its key: the key is out of order")
        }
        Received { msg, consumer, partition, offset, delivery } => {
            // With several groups the count is over every group: not this one's redelivery.
            let again = if delivery > 1 && !pubsub(sim) {
                format!(" — delivery #{delivery}, a redelivery")
            } else {
                String::new()
            };
            format!("consumer {consumer} received {msg} from partition {partition} @ offset {offset}{again}")
        }
        Committed { .. } | AutoCommitIdle { .. } => commit_words(kind),
        EffectApplied { .. } => effect_words(kind, sim),
        EffectAbsorbed { .. } | DedupSkipped { .. } | InsertRejected { .. } | VersionIgnored { .. } => guard_words(kind),
        ProcessingFailed { .. } | DeadLettered { .. } | Redriven { .. } => failure_words(kind),
        BreakerPaused { .. } | BreakerChanged { .. } => failure_words(kind),
        RetentionDeleted { msg, partition, offset, read: false } => {
            format!("retention deleted {msg} (partition {partition}, offset {offset}) before any consumer read it")
        }
        RetentionDeleted { msg, partition, offset, read: true } if pubsub(sim) => format!(
            "retention deleted {msg} (partition {partition}, offset {offset}) before every group had committed past it"
        ),
        RetentionDeleted { msg, partition, offset, read: true } => format!(
            "retention deleted {msg} (partition {partition}, offset {offset}) after it was read, before the group committed past it"
        ),
        SegmentsDeleted { partition, from, to } => {
            format!("retention deleted partition {partition}'s oldest segment(s): offsets {from} to {}", to - 1)
        }
        Lost { msg, reason } => format!("{msg} lost: {reason}"),
        Produced { .. } | Settled { .. } => journey_words(kind, sim),
        PartitionsAdded { .. } | KeyOrderBroken { .. } => topic_words(kind),
        OffsetReset { .. } | SkippedByReset { .. } | ResetFailed { .. } | Seeked { .. } => reset_words(kind, sim),
        AlertFired { .. } | AlertCleared { .. } => alert_words(kind),
        _ if kind.is_cluster() => replication_words(kind),
        _ if kind.is_transaction() => transaction_words(kind),
        _ => group_words(kind, sim),
    }
}

/// An effect applied, in plain words: a charge of the card, or with publish-subscribe the
/// subscriber's own effect (an email, a text).
fn effect_words(kind: &JournalKind, sim: &Simulation) -> String {
    let JournalKind::EffectApplied { msg, consumer, effects, again } = *kind else {
        unreachable!("effect_words is only called for EffectApplied")
    };
    match (pubsub(sim), again) {
        (true, true) => {
            format!("duplicate: consumer {consumer} applied {msg} again, though this subscriber had already")
        }
        (true, false) => format!("consumer {consumer} applied this subscriber's effect for {msg}"),
        (false, true) => format!("duplicate charge for {msg} ({effects} charges) by consumer {consumer}"),
        (false, false) => format!("consumer {consumer} charged the card for {msg}"),
    }
}

/// An effect an idempotency guard turned away, in plain words.
fn guard_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        EffectAbsorbed { msg, consumer } => {
            format!("consumer {consumer} re-applied {msg}: no change, the effect is idempotent")
        }
        DedupSkipped { msg, consumer } => {
            format!("consumer {consumer} skipped {msg}: already in the dedup store")
        }
        InsertRejected { msg, consumer } => format!(
            "consumer {consumer}'s insert of {msg} violated the unique constraint: inserted before, so the transaction \
             rolled back and nothing changed"
        ),
        VersionIgnored { msg, consumer, stale: false, .. } => {
            format!("consumer {consumer} ignored {msg}: its key is already at this version, nothing changed")
        }
        VersionIgnored { msg, consumer, current, stale: true } => format!(
            "consumer {consumer} ignored {msg}: its key is already at the newer version {current}, so this older \
             update is never applied"
        ),
        _ => unreachable!("guard_words is only called for the idempotency guards' entries"),
    }
}

/// The queue broker's entries, in plain words (RabbitMQ's terms: a delivery tag, `basic.ack`).
/// A message no binding matched, in plain words.
fn unroutable_words(msg: MessageId, returned: bool, sim: &Simulation) -> String {
    let exchange = sim.scenario().queue.exchange;
    let by = if exchange == ExchangeKind::Headers { "headers" } else { "routing key" };
    let exchange = exchange.name();
    let fate = if returned {
        "returns it to the publisher (mandatory, basic.return): the publisher knows, but no queue took it"
    } else {
        "drops it (RabbitMQ still confirms it to the publisher)"
    };
    format!(
        "{msg}{} is unroutable: no queue's binding matches its {by}, so the {exchange} exchange {fate}",
        event_type(sim, msg)
    )
}

fn queue_words(kind: &JournalKind, sim: &Simulation) -> String {
    use JournalKind::*;
    match *kind {
        Unroutable { msg, returned } => unroutable_words(msg, returned, sim),
        ToAlternate { msg } => format!(
            "{msg}{} matches no binding: the exchange's alternate exchange routes it to the queues bound to that",
            event_type(sim, msg)
        ),
        Enqueued { msg, append, .. } => match append {
            AppendKind::First => format!("{msg}{} → queue", event_type(sim, msg)),
            AppendKind::ProducerDuplicate => format!(
                "{msg} queued again by a producer resend (its confirm was lost): a duplicate in the queue"
            ),
            AppendKind::Retry(n) => format!("{msg} published again for retry {n} → tail of the queue"),
            AppendKind::Redrive => format!("{msg} redriven → tail of the queue: its retries start over"),
        },
        Delivered { msg, consumer, tag, delivery, redelivered } => {
            // With publish-subscribe the ledger's count adds up every queue's deliveries.
            let again = match (redelivered, delivery > 1 && !pubsub(sim)) {
                (true, _) if pubsub(sim) => " — flagged redelivered".to_string(),
                (true, _) => format!(" — delivery #{delivery}, flagged redelivered"),
                (false, true) => format!(" — delivery #{delivery}"),
                _ => String::new(),
            };
            format!("queue delivered {msg} to consumer {consumer} (delivery tag {tag}){again}")
        }
        Acked { msg, consumer, tag, count: 1 } => {
            format!("consumer {consumer} acknowledged {msg} (delivery tag {tag}): the queue deletes it")
        }
        Acked { consumer, tag, count, .. } => format!(
            "consumer {consumer} acknowledged {count} deliveries up to tag {tag} at once (multiple): the queue deletes them"
        ),
        Requeued { consumer, count } if sim.scenario().queue.quorum() => format!(
            "consumer {consumer}'s connection closed with {count} unacknowledged deliveries: back in the quorum queue, to be delivered first, flagged redelivered (each return counts toward the delivery limit)"
        ),
        Requeued { consumer, count } => format!(
            "consumer {consumer}'s connection closed with {count} unacknowledged deliveries: back in the queue at their places, flagged redelivered"
        ),
        Returned { msg, consumer, tag, returns } => {
            let (place, count) = match sim.scenario().queue.delivery_limit {
                Some(limit) => ("to be delivered first", format!("; returned {returns} time(s) of at most {limit}")),
                None => ("at its place", String::new()),
            };
            format!(
                "consumer {consumer} rejected {msg} with requeue (basic.nack, delivery tag {tag}): back in the queue {place}, flagged redelivered{count}"
            )
        }
        QueueDropped { msg, cause, dead_lettered, .. } => {
            let what = match cause {
                DropCause::Expired => "expired at the head of the queue (message TTL)",
                DropCause::MaxLength => "dropped from the head of the full queue (x-max-length)",
                DropCause::Rejected => "refused by the full queue as it arrived (x-overflow reject-publish)",
                DropCause::DeliveryLimit => "returned to the quorum queue more times than its delivery limit",
            };
            let then = match (dead_lettered, cause) {
                (true, DropCause::Expired) => "dead-lettered, x-death reason expired",
                (true, DropCause::MaxLength | DropCause::Rejected) => "dead-lettered, x-death reason maxlen",
                (true, DropCause::DeliveryLimit) => "dead-lettered, x-death reason delivery_limit",
                (false, DropCause::Rejected) => "not queued (a publisher waiting for confirms gets a nack)",
                (false, _) => "lost: the queue has no dead-letter exchange",
            };
            format!("{msg} {what}: {then}")
        }
        BrokerRestarted { requeued, lost, .. } => format!(
            "the broker restarted: every connection closed, {requeued} unacknowledged deliveries went back to the queue, \
             {lost} messages were lost (a non-durable queue loses all, a durable one its transient messages)"
        ),
        _ => unreachable!("queue_words is only called for the queue's entries"),
    }
}

/// Failures, dead letters and redrives, in plain words.
fn failure_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        // `retry` numbers the failure (1 for the first attempt's): retry number `retry` follows
        // while there are that many.
        ProcessingFailed { msg, consumer, retry, max_retries, error, then } => {
            let why = error.describe();
            match then {
                AfterFailure::Retry => {
                    format!("consumer {consumer} failed to process {msg}: {why} (will retry, {retry} of {max_retries})")
                }
                AfterFailure::DeadLetter if retry <= max_retries => {
                    format!("consumer {consumer} failed to process {msg}: {why} (non-retryable: no retry)")
                }
                AfterFailure::DeadLetter => {
                    format!("consumer {consumer} failed to process {msg}: {why} (no retries left)")
                }
                AfterFailure::Requeue => {
                    format!("consumer {consumer} failed to process {msg}: {why} (attempt {retry}; rejected with requeue)")
                }
                AfterFailure::TryAgain => format!(
                    "consumer {consumer} failed to process {msg}: {why} (attempt {retry}; no retries left and no dead-letter queue: trying again)"
                ),
            }
        }
        BreakerPaused { msg, consumer } => {
            format!("circuit breaker refused consumer {consumer}'s call for {msg}: the consumer pauses, keeping it")
        }
        BreakerChanged { from, to, failure_rate_bp } => {
            let state = |s: BreakerState| if s == BreakerState::HalfOpen { "half-open" } else { s.name() };
            let rate = if failure_rate_bp < 0 {
                String::new()
            } else {
                format!(" (failure rate {}%)", Plain(failure_rate_bp as f64 / 100.0))
            };
            match (from, to) {
                (BreakerState::Disabled, to) => format!("circuit breaker switched on: {}", state(to)),
                (_, BreakerState::Disabled) => "circuit breaker switched off".to_string(),
                (from, to) => format!("circuit breaker {} → {}{rate}", state(from), state(to)),
            }
        }
        DeadLettered { msg, consumer } => format!("{msg} parked in the dead-letter queue by consumer {consumer}"),
        Redriven { msg } => format!("{msg} taken out of the dead-letter queue to be published again (redrive)"),
        _ => unreachable!("failure_words is only called for failures"),
    }
}

/// Commits, in plain words: a commit of one record, or auto-commit's, which commits the position.
fn commit_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        Committed { consumer, partition, offset, auto: false } => {
            format!("consumer {consumer} committed offset {offset} on partition {partition} (the next to read)")
        }
        Committed { consumer, partition, offset, auto: true } => format!(
            "consumer {consumer} auto-committed its position: offset {offset} on partition {partition} (the next to read)"
        ),
        AutoCommitIdle { consumer } => format!("consumer {consumer}'s auto-commit timer fired: nothing new to commit"),
        _ => unreachable!("commit_words is only called for commits"),
    }
}

/// A partition change and the order it breaks, in plain words.
fn topic_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        PartitionsAdded { from, to, keys: 0, .. } => format!(
            "topic grew from {from} to {to} partitions: records without a key now spread over all {to}; records already written stay where they are"
        ),
        PartitionsAdded { from, to, keys_remapped, keys } => format!(
            "topic grew from {from} to {to} partitions: {keys_remapped} of {keys} keys now go to another partition; records already written stay where they are, so a moved key's order is not kept across the change"
        ),
        KeyOrderBroken { msg, after, consumer } => format!(
            "consumer {consumer} charged {msg} after {after}, a later record of its key: the partition change split the key over two partitions"
        ),
        _ => unreachable!("topic_words is only called for partition changes"),
    }
}

/// Where a consumer without a valid committed offset starts (`auto.offset.reset`), in plain words.
fn reset_words(kind: &JournalKind, sim: &Simulation) -> String {
    use JournalKind::*;
    let why = |consumer, partition, cause, from| {
        match cause {
        ResetCause::NoCommittedOffset => format!("consumer {consumer} has no committed offset for partition {partition}"),
        ResetCause::OutOfRange => format!(
            "consumer {consumer}'s offset {from} on partition {partition} is out of range (retention deleted the records there)"
        ),
    }
    };
    match *kind {
        OffsetReset { consumer, partition, cause, policy, from, to, skipped } => {
            let start = match policy {
                AutoOffsetReset::Earliest => format!("starts it at the oldest record kept, offset {to}"),
                _ => format!("starts it at the log end, offset {to}"),
            };
            let policy = if policy == AutoOffsetReset::Earliest { "earliest" } else { "latest" };
            let mut s = format!("{}: auto.offset.reset={policy} {start}", why(consumer, partition, cause, from));
            if skipped > 0 {
                s.push_str(&format!(", skipping {skipped} record(s) the group will never read"));
            }
            s
        }
        Seeked { consumer, partition, to, skipped } => {
            let at = sim.scenario().seek_to_time_ms(consumer.subscriber()).unwrap_or(0);
            format!(
                "consumer {consumer} seeks partition {partition} to offset {to}, the first record produced at or after \
                 {}.{} s (offsetsForTimes, then seek: it had no committed offset), passing over {skipped} record{}",
                at / 1_000,
                at % 1_000 / 100,
                if skipped == 1 { "" } else { "s" }
            )
        }
        SkippedByReset { msg, partition, offset, seek } => format!(
            "{} passed over {msg} (partition {partition}, offset {offset}): the group will never read it",
            if seek { "a seek to a time" } else { "an offset reset to the log end" }
        ),
        ResetFailed { consumer, partition, cause, from, log_start } => {
            let exception = match cause {
                ResetCause::NoCommittedOffset => "NoOffsetForPartitionException".to_string(),
                ResetCause::OutOfRange => format!("OffsetOutOfRangeException; the log starts at {log_start}"),
            };
            format!(
                "{} and auto.offset.reset=none: its poll() throws ({exception}) and it stops; its partitions wait, unread, until its session times out",
                why(consumer, partition, cause, from)
            )
        }
        _ => unreachable!("reset_words is only called for offset resets"),
    }
}

/// A duration in seconds, from microseconds: `5`, `2.5`.
fn secs(us: u64) -> Plain {
    Plain(us as f64 / 1e6)
}

/// An error rate in hundredths of a percent, as a percentage: `12.5%`.
fn percent(bp: u64) -> String {
    format!("{}%", Plain(bp as f64 / 100.0))
}

/// Alerts firing and clearing, in plain words.
fn alert_words(kind: &JournalKind) -> String {
    use AlertRule::*;
    use JournalKind::*;
    match *kind {
        AlertFired { rule: Lag, value, threshold, held_us } => format!(
            "ALERT consumer lag: {value} messages behind, above {threshold} at every chart sample for {} s",
            secs(held_us)
        ),
        AlertFired { rule: ErrorRate, value, threshold, .. } => format!(
            "ALERT error rate: {} of the processing attempts that ended in the last 5 s failed (above {})",
            percent(value),
            percent(threshold)
        ),
        AlertFired { rule: P99, value, threshold, .. } => format!(
            "ALERT p99 time in system: {} ms for the messages settled in the last chart interval (above {} ms)",
            Fixed(value as f64 / 1e3, 1),
            Plain(threshold as f64 / 1e3)
        ),
        AlertFired { rule: DlqGrowing, value, threshold, .. } => format!(
            "ALERT DLQ growing: {value} parked messages, up from {threshold}, and larger at the end of each of the last two 5 s spans"
        ),
        AlertCleared { rule, value, off } => {
            let now = match rule {
                Lag => format!("lag now {value} messages"),
                ErrorRate => format!("error rate now {}", percent(value)),
                P99 => format!("p99 now {} ms", Fixed(value as f64 / 1e3, 1)),
                DlqGrowing => format!("DLQ holds {value}"),
            };
            let why = if off { "rule switched off" } else { "back within its threshold" };
            format!("alert cleared, {}: {why} ({now})", alert_rule_words(rule, None))
        }
        _ => unreachable!("alert_words is only called for alerts"),
    }
}

/// What an alert rule watches, with its thresholds when given: `lag above 500 messages for 5 s`;
/// without them, its name: `consumer lag`. The page's badges and the run report say this.
pub fn alert_rule_words(rule: AlertRule, cfg: Option<&AlertsConfig>) -> String {
    let Some(c) = cfg else {
        return match rule {
            AlertRule::Lag => "consumer lag",
            AlertRule::ErrorRate => "error rate",
            AlertRule::P99 => "p99 time in system",
            AlertRule::DlqGrowing => "DLQ growing",
        }
        .into();
    };
    let or_off = |v: Option<u64>| v.map_or("off".to_string(), |v| v.to_string());
    match rule {
        AlertRule::Lag => format!("lag above {} messages for {} s", or_off(c.lag_above), secs(c.lag_for_ms * 1_000)),
        AlertRule::ErrorRate => format!("error rate above {}% over 5 s", or_off(c.error_rate_above)),
        AlertRule::P99 => format!("p99 above {} ms", or_off(c.p99_above_ms)),
        AlertRule::DlqGrowing => "DLQ grew in each of the last two 5 s spans".into(),
    }
}

/// Entries about the consumer group and commands, in plain words.
fn group_words(kind: &JournalKind, sim: &Simulation) -> String {
    use JournalKind::*;
    match *kind {
        Crashed { consumer, point, msg } => {
            let mut s = format!("consumer {consumer} crashed");
            if let Some(p) = point {
                s.push(' ');
                let queue = sim.scenario().reads_queue(consumer.subscriber());
                s.push_str(if queue && p == CrashPoint::AfterCommit { "after its acknowledgement" } else { p.describe() });
            }
            if let Some(m) = msg {
                s.push_str(&format!(" (holding {m})"));
            }
            s
        }
        Restarted { consumer } => format!("consumer {consumer} restarted"),
        SubscriberStarted { subscriber } if sim.scenario().reads_queue(subscriber) => {
            "the subscriber starts: its queue is declared and bound now, so it gets what is produced from now on, \
             nothing from before"
                .into()
        }
        SubscriberStarted { .. } => format!(
            "the subscriber starts: a new consumer group, with no committed offsets, so each partition starts where auto.offset.reset says ({})",
            match sim.scenario().consumers.auto_offset_reset {
                AutoOffsetReset::Earliest => "earliest: the oldest record kept",
                AutoOffsetReset::Latest => "latest: the log end, what came before is never read",
                AutoOffsetReset::None => "none: it cannot start",
            }
        ),
        Joined { consumer } if sim.scenario().reads_queue(consumer.subscriber()) => {
            format!("consumer {consumer} subscribed to the queue")
        }
        Joined { consumer } => format!("consumer {consumer} joined the group"),
        Left { consumer } => format!("consumer {consumer} left the group"),
        SessionExpired { consumer } => {
            format!("session of consumer {consumer} timed out: the coordinator declares it dead")
        }
        RebalanceStarted { generation, .. } => {
            format!("rebalance started (generation {generation}): consumers stop fetching")
        }
        RebalanceDone { generation, .. } => format!("rebalance done: partitions reassigned (generation {generation})"),
        RebalanceTimedOut { generation, dropped, .. } => format!(
            "rebalance {generation} timed out (max.poll.interval.ms): {dropped} member(s) that had not rejoined dropped"
        ),
        StaticRejoined { consumer } => format!(
            "consumer {consumer} came back with its group.instance.id: same partitions, no rebalance"
        ),
        PollTimeout { consumer, msg } => format!(
            "consumer {consumer} has held {msg} longer than max.poll.interval.ms: its client leaves the group (a static one stops heartbeating)"
        ),
        CommitFailed { consumer, msg } => format!(
            "consumer {consumer} finished {msg} but its commit failed (CommitFailedException): the group moved on, so {msg} is read again"
        ),
        Command { fingerprint } => describe_command_fingerprint(fingerprint, sim),
        Enqueued { .. }
        | Delivered { .. }
        | Acked { .. }
        | Requeued { .. }
        | Returned { .. }
        | QueueDropped { .. }
        | Unroutable { .. }
        | ToAlternate { .. }
        | BrokerRestarted { .. } => queue_words(kind, sim),
        _ => unreachable!("group_words is only called for the group and command entries describe leaves to it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::event::CallError;
    use crate::sim::ids::ConsumerId;

    #[test]
    fn failures_count_the_retries_that_follow() {
        let failed = |retry| {
            let then = if retry <= 2 { AfterFailure::Retry } else { AfterFailure::DeadLetter };
            let error = CallError::Transient;
            let (msg, consumer, max_retries) = (MessageId(7), ConsumerId(1), 2);
            failure_words(&JournalKind::ProcessingFailed { msg, consumer, retry, max_retries, error, then })
        };
        assert_eq!(failed(1), "consumer 1 failed to process evt_000007: transient error (will retry, 1 of 2)");
        assert_eq!(failed(2), "consumer 1 failed to process evt_000007: transient error (will retry, 2 of 2)");
        assert_eq!(failed(3), "consumer 1 failed to process evt_000007: transient error (no retries left)");
        let redriven = failure_words(&JournalKind::Redriven { msg: MessageId(7) });
        assert_eq!(redriven, "evt_000007 taken out of the dead-letter queue to be published again (redrive)");
    }
}
