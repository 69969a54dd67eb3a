//! The outcome report the command line prints: the whole answer to "what happened to each
//! message", in text or JSON. Everything in it derives from the simulation, and nothing from the
//! wall clock, so the same run always prints the same bytes.

use crate::sim::engine::{Simulation, Stats};
use crate::sim::ledger::{message_id, Outcome, OutcomeCounts};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Debug, Serialize)]
pub struct PartitionReport {
    pub partition: u32,
    pub log_start_offset: u64,
    pub log_end_offset: u64,
    pub committed_offset: u64,
    pub lag: u64,
    pub owner: Option<u32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LatencyReport {
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub sim_time_us: u64,
    pub events_processed: u64,
    pub trace_hash: String,
    pub produced: u64,
    pub outcomes: OutcomeCounts,
    pub lost_by_reason: BTreeMap<String, u64>,
    pub effects_applied: u64,
    pub extra_effects_from_duplicates: u64,
    pub dead_letter_queue: u64,
    pub partitions: Vec<PartitionReport>,
    pub stats: Stats,
    pub time_in_system: LatencyReport,
    /// Ids of a few duplicated and lost messages, to look up with the page's journey view.
    pub examples: BTreeMap<String, Vec<String>>,
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
                .map(|(label, o)| (label.to_string(), ledger.examples(o).iter().map(|&m| message_id(m)).collect()))
                .collect();
        Report {
            scenario: sim.scenario().name.clone(),
            seed: sim.scenario().seed,
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
            dead_letter_queue: sim.dlq().len() as u64,
            partitions: (0..sim.partitions().len())
                .map(|p| {
                    let part = &sim.partitions()[p];
                    PartitionReport {
                        partition: p as u32,
                        log_start_offset: part.log_start(),
                        log_end_offset: part.log_end(),
                        committed_offset: sim.group().committed[p],
                        lag: sim.lag(p),
                        owner: sim.group().owner[p],
                    }
                })
                .collect(),
            stats: sim.stats(),
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
            ("exactly once", o.exactly_once),
            ("duplicated", o.duplicated),
            ("dead-lettered", o.dead_lettered),
            ("lost", o.lost),
        ] {
            let _ = writeln!(out, "  {label:<14}{n:>10}  {:>6.2}%", pct(n));
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
        let s = &self.stats;
        let _ = writeln!(
            out,
            "retries         {} processing retries, {} failures, {} producer resends, {} duplicate appends ({} dropped by idempotence)",
            s.consumer.retries, s.consumer.processing_failures, s.producer.producer_retries, s.producer.duplicate_appends, s.producer.duplicate_appends_dropped
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
        let _ = writeln!(out, "partitions      partition  log-end  committed  lag  owner");
        for p in &self.partitions {
            let owner = p.owner.map_or("-".to_string(), |c| format!("c{c}"));
            let _ = writeln!(
                out,
                "                {:>9} {:>8} {:>10} {:>4}  {owner}",
                p.partition, p.log_end_offset, p.committed_offset, p.lag
            );
        }
        let l = &self.time_in_system;
        let f = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.1}ms"));
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
        out
    }
}
