//! The outcome report the command line prints: the whole answer to "what happened to each
//! message", in text or JSON. Everything in it derives from the simulation, and nothing from the
//! wall clock, so the same run always prints the same bytes.

use crate::sim::broker::log::partitioner::{Client, Profile, RdPartitioner};
use crate::sim::config::scenario::ProducerConfig;
use crate::sim::engine::{JourneyView, Simulation, Stats};
use crate::sim::event::JournalKind;
use crate::sim::ids::{ConsumerId, MessageId, PartitionId};
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::kernel::time::SimTime;
use crate::sim::ledger::{LossReason, Outcome, OutcomeCounts};
use crate::sim::metrics::alerts::{enabled, AlertRule};
use crate::sim::narrate::{alert_rule_words, describe};
use crate::sim::patterns::dlq::DeadLetter;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Debug, Serialize)]
pub struct PartitionReport {
    pub partition: PartitionId,
    pub log_start_offset: u64,
    pub log_end_offset: u64,
    pub committed_offset: u64,
    pub lag: u64,
    pub owner: Option<ConsumerId>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LatencyReport {
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// An alert rule switched on in the run, and how many times it fired.
#[derive(Clone, Debug, Serialize)]
pub struct AlertReport {
    pub rule: AlertRule,
    /// The rule with its thresholds in words, e.g. `lag above 500 messages for 5 s`.
    pub when: String,
    pub fired: u64,
}

use crate::sim::explain::EffectWords;
pub mod patterns;
pub mod shop;
mod subscribers;
pub use subscribers::SubscriberReport;

/// The queue broker's state at the end of a run (with publish-subscribe, every queue's together).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct QueueReport {
    /// `basic.qos` prefetch count at the end of the run.
    pub prefetch: usize,
    /// Messages waiting in the queue.
    pub ready: usize,
    /// Deliveries awaiting acknowledgement.
    pub unacked: usize,
    /// Deliveries returned to the queue by consumers whose connection closed.
    pub redelivered: u64,
    /// The most unacknowledged deliveries one consumer held at once.
    pub most_unacked: usize,
    /// Messages expired at the head (`queue.message_ttl_ms`).
    pub expired: u64,
    /// Messages dropped from the head of the full queue (`queue.max_length`), or refused by it
    /// and dead-lettered (`queue.overflow` reject-publish-dlx).
    pub dropped: u64,
    /// Publishes the full queue refused (`queue.overflow` reject-publish).
    pub rejected: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    /// The producer client whose partitioner placed the records: `java` or `librdkafka`.
    pub client: String,
    /// `built_in` (the Java client's), or librdkafka's `consistent_random` or `murmur2_random`.
    pub partitioner: String,
    /// The client's partitioning rules in words.
    pub partitioning: String,
    pub sim_time_us: u64,
    pub events_processed: u64,
    pub trace_hash: String,
    pub produced: u64,
    pub outcomes: OutcomeCounts,
    pub lost_by_reason: BTreeMap<String, u64>,
    pub effects_applied: u64,
    pub extra_effects_from_duplicates: u64,
    pub dead_letter_queue: u64,
    /// Messages taken out of the dead-letter queue by redrives (a message redriven twice counts
    /// twice).
    pub dead_letters_redriven: u64,
    /// The topic's partition count at the end of the run (a partition change may have grown it).
    pub topic_partitions: u32,
    pub partitions: Vec<PartitionReport>,
    /// The queue, when the run's broker is the queue (then the topic and partitions are unused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueReport>,
    /// Each subscriber, with publish-subscribe (`subscribers` in the scenario).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subscribers: Vec<SubscriberReport>,
    /// The exchange in front of the subscribers' queues (`fanout`, `direct`, `topic`), with
    /// publish-subscribe on the queue broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<&'static str>,
    pub stats: Stats,
    /// What the exactly-once stage's transactions did, when it runs them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<crate::sim::client::transactions::TxnStats>,
    /// What the producing service's dual write or outbox did, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox: Option<crate::sim::client::producer::outbox::OutboxStats>,
    /// The event-sourced bank, the shop and the schema registry, each when the run has it.
    #[serde(flatten)]
    pub patterns: patterns::PatternReports,
    /// The alert rules switched on at the end of the run (`alerts.*`), or that fired, with their
    /// firings.
    pub alerts: Vec<AlertReport>,
    pub time_in_system: LatencyReport,
    /// Ids of a few duplicated and lost messages, to look up with the page's journey view.
    pub examples: BTreeMap<String, Vec<String>>,
}

/// Every stage's transaction counts together.
fn txn_stats(sim: &Simulation) -> crate::sim::client::transactions::TxnStats {
    let mut total = crate::sim::client::transactions::TxnStats::default();
    for p in sim.pipelines() {
        total.add(&p.transactions().stats());
    }
    total
}

/// The rules switched on now, or that fired before they were switched off, in rule order.
fn alert_reports(sim: &Simulation) -> Vec<AlertReport> {
    let cfg = &sim.scenario().alerts;
    let stats = sim.alerts().stats();
    let report = |rule| {
        let when = if enabled(rule, cfg) {
            alert_rule_words(rule, Some(cfg))
        } else {
            format!("{} (switched off since)", alert_rule_words(rule, None))
        };
        AlertReport { rule, when, fired: stats.fired(rule) }
    };
    AlertRule::ALL.into_iter().filter(|&r| enabled(r, cfg) || stats.fired(r) > 0).map(report).collect()
}

impl Report {
    pub fn of(sim: &Simulation) -> Report {
        let ledger = sim.ledger();
        let ms = |us: Option<u64>| us.map(|v| v as f64 / 1e3);
        let lat = ledger.latency();
        let examples: BTreeMap<String, Vec<String>> =
            [("duplicated", Outcome::Duplicated), ("lost", Outcome::Lost), ("dead_lettered", Outcome::DeadLettered)]
                .into_iter()
                .filter(|(_, o)| !ledger.examples(*o).is_empty())
                .map(|(label, o)| (label.to_string(), ledger.examples(o).iter().map(MessageId::to_string).collect()))
                .collect();
        let producer = &sim.scenario().producer;
        let profile = Profile { client: producer.client, partitioner: producer.partitioner };
        Report {
            scenario: sim.scenario().name.clone(),
            seed: sim.scenario().seed,
            client: profile.client_name().to_string(),
            partitioner: profile.partitioner_name().to_string(),
            partitioning: partitioning(producer),
            sim_time_us: sim.now().as_us(),
            events_processed: sim.events_processed(),
            trace_hash: sim.trace_hash().hex(),
            produced: ledger.produced(),
            outcomes: ledger.counts(),
            lost_by_reason: ledger
                .lost_by_reason()
                .filter(|(_, n)| *n > 0)
                .map(|(r, n)| (r.slug().to_string(), n))
                .collect(),
            effects_applied: ledger.effects_total(),
            extra_effects_from_duplicates: ledger.extra_effects(),
            dead_letter_queue: sim.pipelines().iter().map(|p| p.dlq().len() as u64).sum(),
            dead_letters_redriven: sim.pipelines().iter().map(|p| p.dlq().redriven()).sum(),
            topic_partitions: sim.scenario().topic.partitions,
            partitions: sim
                .partitions()
                .iter()
                .map(|part| {
                    let p = part.id();
                    PartitionReport {
                        partition: p,
                        log_start_offset: part.log_start(),
                        log_end_offset: part.log_end(),
                        committed_offset: sim.group().committed[p.index()],
                        lag: sim.lag(p),
                        owner: sim.group().owner[p.index()],
                    }
                })
                .collect(),
            queue: QueueReport::total(sim.queues()),
            subscribers: subscribers::subscriber_reports(sim),
            exchange: (!sim.queues().is_empty() && !sim.scenario().subscribers.is_empty())
                .then(|| sim.scenario().queue.exchange.name()),
            stats: sim.stats(),
            transactions: sim.scenario().transactions.enabled.then(|| txn_stats(sim)),
            outbox: (sim.scenario().outbox.mode != crate::sim::scenario::Publish::Direct).then(|| sim.outbox().stats()),
            patterns: patterns::PatternReports::of(sim),
            alerts: alert_reports(sim),
            time_in_system: LatencyReport {
                mean_ms: lat.mean_us().map(|v| v / 1e3),
                p50_ms: ms(lat.quantile_us(0.50)),
                p95_ms: ms(lat.quantile_us(0.95)),
                p99_ms: ms(lat.quantile_us(0.99)),
            },
            examples,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports always serialize")
    }

    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let o = &self.outcomes;
        let pct = |n: u64| if self.produced == 0 { 0.0 } else { 100.0 * n as f64 / self.produced as f64 };
        let _ = writeln!(out, "scenario        {} (seed {})", self.scenario, self.seed);
        self.write_broker(&mut out);
        let _ = writeln!(
            out,
            "sim time        {}.{:03}s   events {}   trace {}",
            self.sim_time_us / 1_000_000,
            (self.sim_time_us / 1_000) % 1_000,
            self.events_processed,
            self.trace_hash
        );
        let _ = writeln!(out, "produced        {}", self.produced);
        for (label, n) in [
            ("in flight", o.in_flight),
            ("applied once", o.exactly_once),
            ("duplicated", o.duplicated),
            ("dead-lettered", o.dead_lettered),
            ("lost", o.lost),
        ] {
            let _ = writeln!(out, "  {label:<14}{n:>10}  {:>6}%", Fixed(pct(n), 2));
        }
        let _ = writeln!(
            out,
            "ledger          {} = {} + {} + {} + {} + {}  ({})",
            self.produced,
            o.in_flight,
            o.exactly_once,
            o.duplicated,
            o.dead_lettered,
            o.lost,
            if o.total() == self.produced { "balanced" } else { "DOES NOT BALANCE" }
        );
        for (reason, n) in &self.lost_by_reason {
            let _ = writeln!(out, "  lost: {reason:<34}{n:>8}");
        }
        let _ = writeln!(
            out,
            "effects         {} applied, {} extra from duplicates, {} absorbed by idempotency",
            self.effects_applied, self.extra_effects_from_duplicates, self.stats.consumer.effects_absorbed
        );
        match self.queue {
            Some(q) if self.queue_only() => self.write_queue_counters(q, &mut out),
            _ => self.write_counters(&mut out),
        }
        self.write_alerts(&mut out);
        self.write_partitions_and_latency(&mut out);
        out
    }

    /// The text report's broker line: which broker, its subscribers, and the producer's client.
    /// The text report's counters for a run on the queue broker: no partitions, offsets or
    /// rebalances, but the queue's depth, redeliveries and prefetch window.
    fn write_queue_counters(&self, q: QueueReport, out: &mut String) {
        let s = &self.stats;
        let _ = writeln!(
            out,
            "retries         {} processing retries, {} failures, {} producer resends, {} duplicates queued by resends",
            s.consumer.retries,
            s.consumer.processing_failures,
            s.producer.producer_retries,
            s.producer.duplicate_appends
        );
        self.write_api_and_breaker(out);
        let _ = writeln!(
            out,
            "consumers       {} crashes, {} dedup skips, DLQ {}",
            s.consumer.crashes, s.consumer.dedup_skips, self.dead_letter_queue
        );
        if self.dead_letters_redriven > 0 {
            let _ = writeln!(out, "redrive         {} dead letters published again", self.dead_letters_redriven);
        }
        let _ = writeln!(
            out,
            "queue           {} ready, {} unacknowledged, {} redelivered after a consumer's connection closed; prefetch {} (most held by one consumer: {})",
            q.ready, q.unacked, q.redelivered, q.prefetch, q.most_unacked
        );
        subscribers::write_subscribers(&self.subscribers, out);
        if q.expired + q.dropped + q.rejected > 0 {
            let _ = writeln!(
                out,
                "                {} expired at the head (TTL), {} dropped from the full queue (max length), {} publishes refused by it (reject-publish)",
                q.expired, q.dropped, q.rejected
            );
        }
    }

    /// The text report's payments API and circuit breaker lines, whichever the broker.
    fn write_api_and_breaker(&self, out: &mut String) {
        let s = &self.stats;
        let d = &s.downstream;
        // With publish-subscribe each subscriber calls an API of its own (email, SMS…).
        let api = if self.subscribers.is_empty() { "payments API   " } else { "their APIs     " };
        let _ = writeln!(
            out,
            "{api} {} calls: {} refused over capacity (429), {} failed while down (503), {} poison (400)",
            d.downstream_calls, d.downstream_overloaded, d.downstream_unavailable, d.downstream_invalid
        );
        let _ = writeln!(
            out,
            "breaker         opened {} times, {} pauses, {} calls refused (fail fast)",
            s.breaker_openings, s.consumer.breaker_pauses, s.consumer.calls_not_permitted
        );
    }

    /// The text report's retry, order, group and offset counters.
    fn write_counters(&self, out: &mut String) {
        let s = &self.stats;
        let _ = writeln!(
            out,
            "retries         {} processing retries, {} failures, {} producer resends, {} duplicate appends ({} dropped by idempotence)",
            s.consumer.retries, s.consumer.processing_failures, s.producer.producer_retries, s.producer.duplicate_appends, s.producer.duplicate_appends_dropped
        );
        self.write_api_and_breaker(out);
        let _ = writeln!(
            out,
            "order           {} order violations (per key), {} refused out of sequence (idempotent producer), {} applied after a later record of their key across a partition change",
            s.producer.order_violations, s.producer.out_of_sequence, s.consumer.key_order_broken
        );
        let _ = writeln!(
            out,
            "group           {} crashes, {} rebalances, {} dedup skips, {} deleted by retention, DLQ {}",
            s.consumer.crashes,
            s.group.rebalances,
            s.consumer.dedup_skips,
            s.log.retention_deleted,
            self.dead_letter_queue
        );
        if let Some(o) = &self.outbox {
            let _ = writeln!(
                out,
                "publishing      outbox: {} rows published ({} again after a relay crash), {} relay crashes; dual write: {} events lost",
                o.published, o.republished, o.relay_crashes, o.dual_write_lost
            );
        }
        if let Some(t) = &self.transactions {
            let _ = writeln!(
                out,
                "transactions    {} committed ({} outputs), {} aborted ({} outputs), {} commits fenced",
                t.committed, t.outputs_committed, t.aborted, t.outputs_aborted, t.fenced
            );
        }
        if self.dead_letters_redriven > 0 {
            let _ = writeln!(out, "redrive         {} dead letters published again", self.dead_letters_redriven);
        }
        subscribers::write_subscribers(&self.subscribers, out);
        self.patterns.write(out);
        let _ = writeln!(
            out,
            "offsets         {} resets (auto.offset.reset), {} records skipped by a reset to the log end, {} consumers stopped by none",
            s.group.offset_resets, s.log.reset_skipped, s.consumer.failed
        );
    }

    /// The text report's alert rules, when any is set: how often each fired.
    fn write_alerts(&self, out: &mut String) {
        for a in &self.alerts {
            let _ = writeln!(out, "alert           {}: fired {} time(s)", a.when, a.fired);
        }
    }

    /// The text report's partition table, time in system and examples.
    fn write_partitions_and_latency(&self, out: &mut String) {
        let partitions: &[PartitionReport] = if self.queue_only() { &[] } else { &self.partitions };
        // With several groups each row also names its group.
        let group = |k: usize| self.subscribers.get(k).map_or("", |s| s.name.as_str());
        if !self.queue_only() {
            let _ = writeln!(out, "topic           {} partitions", self.topic_partitions);
            let header = if self.subscribers.is_empty() { "" } else { "  group" };
            let _ = writeln!(out, "partitions      partition  log-end  committed  lag  owner{header}");
        }
        for p in partitions {
            let owner = p.owner.map_or("-".to_string(), |c| format!("c{c}"));
            let line = format!(
                "                {:>9} {:>8} {:>10} {:>4}  {owner:<5} {}",
                p.partition,
                p.log_end_offset,
                p.committed_offset,
                p.lag,
                group(0)
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if !self.queue_only() {
            subscribers::write_group_partitions(&self.subscribers, out);
        }
        let l = &self.time_in_system;
        let f = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{}ms", Fixed(x, 1)));
        let _ = writeln!(
            out,
            "time in system  mean {}  p50 {}  p95 {}  p99 {}",
            f(l.mean_ms),
            f(l.p50_ms),
            f(l.p95_ms),
            f(l.p99_ms)
        );
        for (label, ids) in &self.examples {
            let _ = writeln!(out, "examples        {label}: {}", ids.join(", "));
        }
    }
}

/// How the producer's client places records, in words.
fn partitioning(p: &ProducerConfig) -> String {
    let keys = match (p.client, p.partitioner) {
        (Client::Java, _) => "murmur2 of the key",
        (Client::Librdkafka, RdPartitioner::ConsistentRandom) => "CRC-32 of the key",
        (Client::Librdkafka, RdPartitioner::Murmur2Random) => "murmur2 of the key",
    };
    let keyless = match p.client {
        Client::Java => format!("sticky for {} bytes (batch.size)", p.batch_size.max(1)),
        Client::Librdkafka if p.sticky_linger_ms == 0 => "a random partition for each message".to_string(),
        Client::Librdkafka => format!("sticky for {} ms (sticky.partitioning.linger.ms)", p.sticky_linger_ms),
    };
    format!("{keys}; without a key, {keyless}")
}

/// One step of a message's journey, for the command line.
#[derive(Clone, Debug, Serialize)]
pub struct StepReport {
    pub time_us: u64,
    /// The step in plain words.
    pub text: String,
    /// The step as the engine records it.
    pub step: JournalKind,
}

/// Everything the run can say about one message: `eda-lab run ... --journey evt_000123`.
#[derive(Clone, Debug, Serialize)]
pub struct JourneyReport {
    pub message: String,
    /// Whether its steps are known (the run recorded them and still keeps the message).
    pub kept: bool,
    pub outcome: Option<Outcome>,
    pub effects: Option<u32>,
    pub deliveries: Option<u32>,
    pub loss_reason: Option<String>,
    /// Why it was charged again, when it was and its journey shows the cause.
    pub duplicate_cause: Option<String>,
    /// What the cause explains: "charged again", or with publish-subscribe "applied again by a
    /// subscriber".
    #[serde(skip)]
    pub duplicate_lead: &'static str,
    /// Its entry in the dead-letter queue, while it is parked there: why, attempts, when.
    pub dead_letter: Option<DeadLetter>,
    pub steps: Vec<StepReport>,
    /// Steps beyond the journey's bound that were not kept.
    pub dropped_steps: u32,
    /// Why there is nothing to show, when there is not.
    pub note: Option<String>,
}

impl JourneyReport {
    pub fn of(sim: &Simulation, msg: MessageId) -> JourneyReport {
        let record = sim.ledger().get(msg);
        let duplicate_cause = match sim.journey(msg) {
            // With publish-subscribe the effect is each subscriber's own, not a card's charge.
            JourneyView::Kept(j) => crate::sim::explain::why_applied_again(
                &j.steps,
                if sim.scenario().subscribers.is_empty() { EffectWords::Charge } else { EffectWords::SubscribersOwn },
            ),
            _ => None,
        };
        let (steps, dropped, note) = match sim.journey(msg) {
            JourneyView::Kept(j) => {
                let steps = j
                    .steps
                    .iter()
                    .map(|e| StepReport { time_us: e.time.as_us(), text: describe(&e.kind, sim), step: e.kind })
                    .collect();
                (steps, j.dropped, None)
            }
            JourneyView::NotKept => (Vec::new(), 0, Some("its journey is not kept: it settled long ago and the run keeps only messages in flight, the newest settled and the newest notable ones".to_string())),
            JourneyView::NeverProduced => (Vec::new(), 0, Some(format!("the run produced {} messages, and not this one", sim.ledger().produced()))),
        };
        let told = told_by_journey(sim, msg);
        JourneyReport {
            message: msg.to_string(),
            kept: note.is_none(),
            outcome: record.map(|m| m.outcome).or(told.outcome),
            effects: record.map(|m| m.effects).or(told.effects),
            deliveries: record.map(|m| m.deliveries).or(told.deliveries),
            loss_reason: record.and_then(|m| m.loss_reason).or(told.loss_reason).map(|r| r.to_string()),
            duplicate_cause,
            duplicate_lead: if sim.scenario().subscribers.is_empty() {
                "charged again"
            } else {
                "applied again by a subscriber"
            },
            dead_letter: sim.dlq().get(msg).copied(),
            steps,
            dropped_steps: dropped,
            note,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("journeys always serialize")
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let outcome = self.outcome.map_or("outcome unknown", Outcome::label);
        let _ = write!(out, "{}  {outcome}", self.message);
        if let (Some(e), Some(d)) = (self.effects, self.deliveries) {
            let _ = write!(out, ", {e} effect(s), {d} deliveries");
        }
        if let Some(r) = &self.loss_reason {
            let _ = write!(out, ", lost: {r}");
        }
        out.push('\n');
        if let Some(why) = &self.duplicate_cause {
            let _ = writeln!(out, "  {} because {why}", self.duplicate_lead);
        }
        if let Some(d) = &self.dead_letter {
            let _ = writeln!(
                out,
                "  in the dead-letter queue since {}: {}, {} attempt(s) failed, the first at {}, the last at {}",
                d.at,
                d.reason.describe(),
                d.attempts,
                d.first_failed_at,
                d.last_failed_at
            );
        }
        for s in &self.steps {
            let _ = writeln!(out, "  {:>12}  {}", SimTime(s.time_us).to_string(), s.text);
        }
        if self.dropped_steps > 0 {
            let _ = writeln!(out, "  ... and {} more steps not kept", self.dropped_steps);
        }
        if let Some(n) = &self.note {
            let _ = writeln!(out, "  ({n})");
        }
        out
    }
}

/// What a complete journey says of a message the ledger has forgotten.
#[derive(Default)]
struct Told {
    outcome: Option<Outcome>,
    effects: Option<u32>,
    deliveries: Option<u32>,
    loss_reason: Option<LossReason>,
}

fn told_by_journey(sim: &Simulation, msg: MessageId) -> Told {
    let JourneyView::Kept(j) = sim.journey(msg) else { return Told::default() };
    if j.dropped > 0 {
        return Told::default();
    }
    let count = |f: fn(&JournalKind) -> bool| Some(j.steps.iter().filter(|e| f(&e.kind)).count() as u32);
    let (outcome, loss_reason) = match j.steps.last().map(|e| e.kind) {
        Some(JournalKind::Settled { outcome, .. }) => (Some(outcome), None),
        Some(JournalKind::Lost { reason, .. }) => (Some(Outcome::Lost), Some(reason)),
        _ => (None, None),
    };
    Told {
        outcome,
        effects: count(|k| matches!(k, JournalKind::EffectApplied { .. })),
        deliveries: count(|k| matches!(k, JournalKind::Received { .. })),
        loss_reason,
    }
}

/// Reads a message id as the page and the report write it (`evt_000123`), or a bare number.
pub fn parse_message_id(text: &str) -> Result<MessageId, String> {
    text.parse()
}
