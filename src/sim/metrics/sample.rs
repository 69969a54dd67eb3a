//! Chart samples: the counters the page plots, taken at a fixed sim-time interval.

use crate::sim::policy::circuit_breaker::State as BreakerState;
use serde::Serialize;

/// One point of the chart series, taken at a fixed sim-time interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub time_us: u64,
    pub produced: u64,
    pub in_flight: u64,
    pub exactly_once: u64,
    pub duplicated: u64,
    pub dead_lettered: u64,
    pub lost: u64,
    /// Sum of lag over all partitions (log end offset minus committed offset).
    pub lag_total: u64,
    pub dlq_size: u64,
    pub effects: u64,
    /// Processing attempts that failed, and retries scheduled, so far (the page charts their
    /// growth per interval: the error rate and the retry rate).
    pub failures: u64,
    pub retries: u64,
    /// Processing attempts that ended (failed or not) so far: the error rate of an interval is
    /// the growth of `failures` over the growth of `attempts`.
    pub attempts: u64,
    /// Time in system (production to settlement) of the messages settled in this sample's
    /// interval: p50, p95, p99, within 1/256 (0 when none settled, or unless
    /// `Simulation::track_latency_percentiles` asked for them).
    pub latency_p50_us: u64,
    pub latency_p95_us: u64,
    pub latency_p99_us: u64,
    /// Calls made to the payments API so far (the page charts their growth per interval: the
    /// load, against the API's capacity).
    pub downstream_calls: u64,
    /// The circuit breaker's state at the sample (none: no breaker).
    pub breaker: Option<BreakerState>,
    /// Times the breaker opened so far.
    pub breaker_openings: u64,
    /// The alert rules firing as of this sample, one bit each (`metrics::alerts::AlertRule::bit`).
    pub alerts: u8,
}
