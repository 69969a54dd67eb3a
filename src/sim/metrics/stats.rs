//! Counters of things that happen, beyond the ledger's outcomes. Each subsystem owns its counters;
//! this struct only gathers them (flattened, so the report lists them side by side).

use crate::sim::broker::log::stats::{GroupStats, LogStats};
use crate::sim::client::stats::{ConsumerStats, ProducerStats};
use crate::sim::downstream::DownstreamStats;
use crate::sim::metrics::alerts::AlertStats;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    #[serde(flatten)]
    pub producer: ProducerStats,
    #[serde(flatten)]
    pub consumer: ConsumerStats,
    #[serde(flatten)]
    pub group: GroupStats,
    #[serde(flatten)]
    pub log: LogStats,
    #[serde(flatten)]
    pub downstream: DownstreamStats,
    /// Times the circuit breaker opened.
    pub breaker_openings: u64,
    pub alerts: AlertStats,
}
