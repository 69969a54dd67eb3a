//! Chart samples: the counters the page plots, taken at a fixed sim-time interval.

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
}
