//! Why a message was charged more than once, told from its journey: the step between its first
//! and second charge that made the second one happen. The journey panel and `eda-lab run
//! --journey` show it beside the outcome, as they show why a message was lost.

use crate::sim::event::{AppendKind, JournalEntry, JournalKind};
use crate::sim::ids::{ConsumerId, PartitionId};

/// Where and by whom a record was read.
#[derive(Clone, Copy)]
struct Read {
    consumer: ConsumerId,
    partition: PartitionId,
    offset: u64,
}

/// How the story names the effect: the card's charge, or with publish-subscribe each
/// subscriber's own (an email, a text). Publish-subscribe runs on the queue broker, so only the
/// queue's and the redrive's stories need the second wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectWords {
    Charge,
    SubscribersOwn,
}

impl EffectWords {
    fn did(self) -> &'static str {
        match self {
            EffectWords::Charge => "charged the card",
            EffectWords::SubscribersOwn => "applied its effect",
        }
    }
    /// "charged", "applied": what was done to a copy.
    fn done(self) -> &'static str {
        match self {
            EffectWords::Charge => "charged",
            EffectWords::SubscribersOwn => "applied",
        }
    }
}

/// Why the message of `steps` (its journey, oldest first) was charged again, if it was and the
/// journey shows the cause.
pub fn why_duplicated(steps: &[JournalEntry]) -> Option<String> {
    why_applied_again(steps, EffectWords::Charge)
}

/// [`why_duplicated`], naming the effect in `words`.
pub fn why_applied_again(steps: &[JournalEntry], words: EffectWords) -> Option<String> {
    let again = steps.iter().position(|e| matches!(e.kind, JournalKind::EffectApplied { again: true, .. }))?;
    // With publish-subscribe, the story of the subscriber that applied it twice: its own steps and
    // those of no subscriber (the producer's).
    let whose = steps[again].kind.subscriber();
    let steps: Vec<JournalEntry> =
        steps.iter().filter(|e| e.kind.subscriber().is_none_or(|k| Some(k) == whose)).copied().collect();
    why_one_subscriber_applied_again(&steps, words)
}

/// [`why_duplicated`] for the steps of one subscriber (and the producer's).
fn why_one_subscriber_applied_again(steps: &[JournalEntry], words: EffectWords) -> Option<String> {
    use JournalKind::*;
    let again = steps.iter().position(|e| matches!(e.kind, EffectApplied { again: true, .. }))?;
    let first = steps[..again].iter().rposition(|e| matches!(e.kind, EffectApplied { .. }))?;
    if steps[first..again].iter().any(|e| matches!(e.kind, Redriven { .. })) {
        let done = words.done();
        return Some(format!(
            "a redrive published it again from the dead-letter queue after another copy of it had been {done}, \
             and the redriven copy was {done} too"
        ));
    }
    if steps.iter().any(|e| matches!(e.kind, Delivered { .. })) {
        return why_duplicated_in_queue(steps, first, again, words);
    }
    let reads: Vec<(usize, Read)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e.kind {
            Received { consumer, partition, offset, .. } => Some((i, Read { consumer, partition, offset })),
            _ => None,
        })
        .collect();
    let read_before = |at: usize| reads.iter().rev().find(|(i, _)| *i < at).map(|&(_, r)| r);
    let (first_read, second_read) = (read_before(first)?, read_before(again)?);
    if second_read.offset != first_read.offset || second_read.partition != first_read.partition {
        let copies = steps.iter().any(|e| matches!(e.kind, Appended { append: AppendKind::ProducerDuplicate, .. }));
        if copies {
            return Some(format!(
                "the producer resent it after an acknowledgement was lost, with no idempotence to drop the resend: \
                 the log holds two copies (partition {} offset {} and partition {} offset {}), and each was read \
                 and charged",
                first_read.partition, first_read.offset, second_read.partition, second_read.offset
            ));
        }
        return Some(format!(
            "a second copy of the record (partition {} offset {}) was read and charged again",
            second_read.partition, second_read.offset
        ));
    }
    let between = &steps[first..again];
    let rewound = format!(
        "the group's committed offset of partition {} had not passed offset {}, so {} read offset {} again and \
         charged again",
        first_read.partition,
        first_read.offset,
        if second_read.consumer == first_read.consumer {
            format!("consumer {}", second_read.consumer)
        } else {
            format!("its next reader, consumer {},", second_read.consumer)
        },
        second_read.offset
    );
    let cause = between.iter().find_map(|e| match e.kind {
        Crashed { consumer, .. } if consumer == first_read.consumer => {
            Some(format!("consumer {consumer} charged the card, then crashed before a commit covered it"))
        }
        CommitFailed { consumer, .. } | PollTimeout { consumer, .. } if consumer == first_read.consumer => {
            Some(format!(
                "consumer {consumer} held it longer than max.poll.interval.ms, so it was put out of the group and its \
             commit failed"
            ))
        }
        _ => None,
    });
    Some(match cause {
        Some(c) => format!("{c}; {rewound}"),
        None => format!("it was delivered again and charged again; {rewound}"),
    })
}

/// [`why_duplicated`] for a message of the queue broker, told in a queue's words: deliveries,
/// acknowledgements and the redelivered flag, not offsets.
fn why_duplicated_in_queue(steps: &[JournalEntry], first: usize, again: usize, words: EffectWords) -> Option<String> {
    let (did, done) = (words.did(), words.done());
    use JournalKind::*;
    let delivered_before = |at: usize| {
        steps[..at].iter().rev().find_map(|e| match e.kind {
            Delivered { consumer, tag, redelivered, .. } => Some((consumer, tag, redelivered)),
            _ => None,
        })
    };
    let ((c1, tag1, _), (c2, tag2, redelivered)) = (delivered_before(first)?, delivered_before(again)?);
    let copies = steps.iter().any(|e| matches!(e.kind, Enqueued { append: AppendKind::ProducerDuplicate, .. }));
    if copies && !redelivered {
        return Some(format!(
            "the publisher resent it after a confirm was lost, and RabbitMQ has no idempotent publisher: the queue \
             held two copies, and each was delivered (delivery tags {tag1} and {tag2}) and {done}"
        ));
    }
    let crashed = steps[first..again].iter().any(|e| matches!(e.kind, Crashed { consumer, .. } if consumer == c1));
    let taker = if c2 == c1 { format!("consumer {c1}, back again,") } else { format!("consumer {c2}") };
    Some(if crashed {
        format!(
            "consumer {c1} {did}, then crashed before its acknowledgement: its connection closed, the queue put \
             the delivery back flagged redelivered, and {taker} took it (delivery tag {tag2}) and {done} it again"
        )
    } else {
        format!("the queue delivered it again (delivery tag {tag2}) and {taker} {done} it again")
    })
}
