//! The alert rules a run watches itself with (the guide's "Monitoring & Alerting": consumer lag,
//! error rate, DLQ size, P99 latency). They are live settings like any other; the rules
//! themselves, checked at each chart sample, are in `metrics/alerts.rs`.

use serde::{Deserialize, Serialize};

/// Thresholds of the alert rules; `None` (and `false`) switch a rule off. All off by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    /// Fires when the group's total lag (messages) stays above this for `lag_for_ms`.
    pub lag_above: Option<u64>,
    /// How long the lag must stay above `lag_above` before the alert fires.
    pub lag_for_ms: u64,
    /// Fires when more than this percentage of the processing attempts that ended in the last
    /// `WINDOW_MS` of sim time failed.
    pub error_rate_above: Option<u64>,
    /// Fires when the time-in-system p99 of the messages settled in one chart interval is above
    /// this many milliseconds.
    pub p99_above_ms: Option<u64>,
    /// Fires when the dead-letter queue grew in each of the last two `WINDOW_MS` of sim time.
    pub dlq_growing: bool,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            lag_above: None,
            lag_for_ms: 5_000,
            error_rate_above: None,
            p99_above_ms: None,
            dlq_growing: false,
        }
    }
}

/// The alerts' window: the error rate is the share of failed attempts among those that ended in
/// the last 5 s of sim time, and the DLQ grows when it grew in each of the last two such spans
/// (measured from the chart samples kept, so a shorter history shortens them). One chart interval
/// of a slow stream holds too few attempts (a single failure reads as 50%), and one poison
/// message is not a growing queue.
pub const WINDOW_MS: u64 = 5_000;
