//! The event log's model: journal entries turned into plain sentences once, when they first appear,
//! and kept in small bounded buffers (all lines, notable lines, and one per category) so that the
//! log component only draws what is already formatted.

use crate::sim::event::{AppendKind, Category, JournalEntry, JournalKind};
use crate::sim::narrate::describe;
use crate::sim::time::SimTime;
use crate::sim::{MessageId, Simulation};
use std::collections::VecDeque;
use yew::AttrValue;

/// Lines kept per buffer.
pub const LOG_LINES: usize = 200;

pub const CATEGORIES: [(Category, &str); 5] = [
    (Category::Producer, "Producer"),
    (Category::Consumer, "Consumer"),
    (Category::Errors, "Errors"),
    (Category::Group, "Group"),
    (Category::Outcomes, "Outcomes"),
];

pub fn category_index(c: Category) -> usize {
    match c {
        Category::Producer => 0,
        Category::Consumer => 1,
        Category::Errors => 2,
        Category::Group => 3,
        Category::Outcomes => 4,
    }
}

pub fn category_label(c: Category) -> &'static str {
    CATEGORIES[category_index(c)].1
}

/// How a line is highlighted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Duplicate,
    Lost,
    DeadLetter,
    Crash,
    Command,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Plain => "tone-plain",
            Tone::Good => "tone-good",
            Tone::Duplicate => "tone-dup",
            Tone::Lost => "tone-lost",
            Tone::DeadLetter => "tone-dlq",
            Tone::Crash => "tone-crash",
            Tone::Command => "tone-cmd",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Position in the page's own count of journal entries seen: a stable key for the list.
    pub seq: u64,
    pub time: SimTime,
    pub category: Category,
    pub notable: bool,
    pub tone: Tone,
    pub text: AttrValue,
    /// The message the entry is about, if one.
    pub msg: Option<MessageId>,
}

/// Bounded buffers of formatted lines, newest last, fed from the engine's journal ring.
#[derive(Default)]
pub struct LogBuffer {
    seen: u64,
    last: Option<JournalEntry>,
    pub all: VecDeque<LogLine>,
    pub notable: VecDeque<LogLine>,
    pub by_category: [VecDeque<LogLine>; 5],
}

fn push_bounded(buf: &mut VecDeque<LogLine>, line: LogLine) {
    if buf.len() == LOG_LINES {
        buf.pop_front();
    }
    buf.push_back(line);
}

impl LogBuffer {
    /// How many journal entries the buffer has seen: moves exactly when new lines arrive.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Copies the journal entries that appeared since the last call. Entries that fell out of the
    /// engine's ring between two calls (fast-forward) are skipped: the log is a window, the
    /// counters are exact.
    pub fn absorb(&mut self, sim: &Simulation) {
        let journal = sim.journal();
        let mut fresh = 0usize;
        for entry in journal.iter().rev() {
            if Some(*entry) == self.last {
                break;
            }
            fresh += 1;
        }
        if fresh == 0 {
            return;
        }
        // Only the newest LOG_LINES of each kind can survive; format no more than needed.
        let skip = journal.len() - fresh;
        let start = fresh.saturating_sub(LOG_LINES * 2);
        self.seen += start as u64;
        for entry in journal.iter().skip(skip + start) {
            let line = LogLine {
                seq: self.seen,
                time: entry.time,
                category: entry.kind.category(),
                notable: entry.kind.is_notable(),
                tone: tone(&entry.kind),
                text: describe(&entry.kind, sim).into(),
                msg: entry.kind.msg(),
            };
            self.seen += 1;
            if line.notable {
                push_bounded(&mut self.notable, line.clone());
            }
            push_bounded(&mut self.by_category[category_index(line.category)], line.clone());
            push_bounded(&mut self.all, line);
        }
        self.last = journal.last().copied();
    }
}

fn tone(kind: &JournalKind) -> Tone {
    use JournalKind::*;
    match kind {
        EffectApplied { again: true, .. } => Tone::Duplicate,
        Appended { append: AppendKind::ProducerDuplicate, .. } | Reordered { .. } | KeyOrderBroken { .. } => {
            Tone::Duplicate
        }
        EffectApplied { .. }
        | EffectAbsorbed { .. }
        | DedupSkipped { .. }
        | InsertRejected { .. }
        | VersionIgnored { stale: false, .. }
        | TxnCommitted { .. } => Tone::Good,
        Lost { .. }
        | RetentionDeleted { .. }
        | ProducerGaveUp { .. }
        | DeliveryTimedOut { .. }
        | SkippedByReset { .. }
        | VersionIgnored { stale: true, .. }
        | Truncated { .. }
        | DualWriteLost { .. }
        | LeaderElected { unclean: true, .. } => Tone::Lost,
        OffsetReset { skipped: 1.., .. } | Seeked { skipped: 1.., .. } => Tone::Lost,
        DeadLettered { .. } => Tone::DeadLetter,
        Crashed { .. }
        | SessionExpired { .. }
        | PollTimeout { .. }
        | CommitFailed { .. }
        | ResetFailed { .. }
        | BrokerCrashed { .. }
        | PartitionOffline { .. }
        | TxnAborted { .. }
        | RelayCrashed { .. } => Tone::Crash,
        Command { .. } | PartitionsAdded { .. } => Tone::Command,
        _ => Tone::Plain,
    }
}
