//! Threshold alerts, as the guide recommends: consumer lag above X for Y seconds, an error rate
//! above a share, a p99 time in system above a bound, a dead-letter queue that keeps growing.
//!
//! The rules are checked at each chart sample, on the samples' figures and sim time only, so a
//! run's alerts are as deterministic as the run. A rule fires at the first sample at which its
//! condition has held long enough and clears at the first at which it no longer holds (or the
//! rule is switched off). A sample with nothing to judge by (no attempt ended in the error rate's
//! window, nothing settled in the interval for the p99) leaves its rule as it was. Memory is a
//! few words per rule, whatever the run's length.

use crate::sim::config::alerts::AlertsConfig;
use crate::sim::metrics::sample::Sample;
use serde::Serialize;

/// One alert rule. Its bit in `Sample::alerts` is `1 << (rule as u8)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRule {
    /// The group's total lag stayed above `alerts.lag_above` for `alerts.lag_for_ms`.
    Lag = 0,
    /// More than `alerts.error_rate_above` percent of the attempts that ended in the last
    /// `WINDOW_MS` failed.
    ErrorRate = 1,
    /// The interval's time-in-system p99 was above `alerts.p99_above_ms`.
    P99 = 2,
    /// The dead-letter queue grew in each of the last two `WINDOW_MS`.
    DlqGrowing = 3,
}

impl AlertRule {
    pub const ALL: [AlertRule; 4] = [AlertRule::Lag, AlertRule::ErrorRate, AlertRule::P99, AlertRule::DlqGrowing];

    /// This rule's bit in `Sample::alerts`.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// What a rule saw when it fired or cleared, in the rule's own unit: lag in messages, the error
/// rate in hundredths of a percent, the p99 in microseconds, the DLQ's size in messages; and the
/// threshold in the same unit (for the DLQ, its size two windows before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlertChange {
    pub rule: AlertRule,
    pub fired: bool,
    pub value: u64,
    pub threshold: u64,
    /// Fired: how long the lag had been above its threshold (0 for the other rules, which look
    /// at one interval, or a run of them). Cleared: 0.
    pub held_us: u64,
    /// Cleared because the rule was switched off, not because its condition stopped holding.
    pub off: bool,
}

/// How many times each rule fired in the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AlertStats {
    pub alerts_lag: u64,
    pub alerts_error_rate: u64,
    pub alerts_p99: u64,
    pub alerts_dlq_growing: u64,
}

impl AlertStats {
    /// Firings of `rule`.
    pub fn fired(&self, rule: AlertRule) -> u64 {
        match rule {
            AlertRule::Lag => self.alerts_lag,
            AlertRule::ErrorRate => self.alerts_error_rate,
            AlertRule::P99 => self.alerts_p99,
            AlertRule::DlqGrowing => self.alerts_dlq_growing,
        }
    }

    fn count(&mut self, rule: AlertRule) {
        match rule {
            AlertRule::Lag => self.alerts_lag += 1,
            AlertRule::ErrorRate => self.alerts_error_rate += 1,
            AlertRule::P99 => self.alerts_p99 += 1,
            AlertRule::DlqGrowing => self.alerts_dlq_growing += 1,
        }
    }
}

/// The rules' state between samples.
#[derive(Clone, Debug, Default)]
pub struct Alerts {
    /// The rules firing now, one bit each.
    firing: u8,
    /// Sim time (µs) of the first sample of the current run of samples with lag above the
    /// threshold.
    lag_above_since_us: Option<u64>,
    stats: AlertStats,
}

impl Alerts {
    /// The rules firing as of the last sample, one bit each (`AlertRule::bit`).
    pub fn firing(&self) -> u8 {
        self.firing
    }

    pub fn stats(&self) -> AlertStats {
        self.stats
    }

    /// Checks every rule at `now`, the newest sample, given the samples one and two `WINDOW_MS`
    /// before it (`windows`: the newest kept at or before those times, or the oldest kept);
    /// `now.alerts` is left for the caller to set from `firing()`. Returns what fired and what
    /// cleared, in rule order.
    pub fn check(&mut self, cfg: &AlertsConfig, windows: [Option<&Sample>; 2], now: &Sample) -> Vec<AlertChange> {
        let seen = [self.lag(cfg, now), error_rate(cfg, windows[0], now), p99(cfg, now), dlq(cfg, windows, now)];
        let mut changes = Vec::new();
        for (rule, seen) in AlertRule::ALL.into_iter().zip(seen) {
            let was = self.firing & rule.bit() != 0;
            let (is, value, threshold) = match seen {
                Seen::Holds(value, threshold) => (true, value, threshold),
                Seen::Not(value) => (false, value, 0),
                // No figure this time (nothing ended or settled): the rule stays as it was.
                Seen::NoData if enabled(rule, cfg) => continue,
                Seen::NoData => (false, 0, 0),
            };
            if is != was {
                self.firing ^= rule.bit();
                if is {
                    self.stats.count(rule);
                }
                let held_us = match (is, rule, self.lag_above_since_us) {
                    (true, AlertRule::Lag, Some(since)) => now.time_us - since,
                    _ => 0,
                };
                let off = !is && !enabled(rule, cfg);
                changes.push(AlertChange { rule, fired: is, value, threshold, held_us, off });
            }
        }
        changes
    }

    /// Lag above the threshold at every sample for at least `lag_for_ms`: (lag, threshold).
    fn lag(&mut self, cfg: &AlertsConfig, now: &Sample) -> Seen {
        let Some(above) = cfg.lag_above.filter(|&x| now.lag_total > x) else {
            self.lag_above_since_us = None;
            return Seen::Not(now.lag_total);
        };
        let since = *self.lag_above_since_us.get_or_insert(now.time_us);
        if now.time_us - since >= cfg.lag_for_ms.saturating_mul(1_000) {
            Seen::Holds(now.lag_total, above)
        } else {
            Seen::Not(now.lag_total)
        }
    }
}

/// What a rule saw at a sample: its condition holds (value, threshold), does not (value), or
/// there is nothing to judge by.
enum Seen {
    Holds(u64, u64),
    Not(u64),
    NoData,
}

/// The queue grew over each of the two windows: (size, size two windows before).
fn dlq(cfg: &AlertsConfig, windows: [Option<&Sample>; 2], now: &Sample) -> Seen {
    let (Some(one), Some(two)) = (windows[0], windows[1]) else { return Seen::Not(now.dlq_size) };
    let spans = two.time_us < one.time_us && one.time_us < now.time_us;
    if cfg.dlq_growing && spans && now.dlq_size > one.dlq_size && one.dlq_size > two.dlq_size {
        Seen::Holds(now.dlq_size, two.dlq_size)
    } else {
        Seen::Not(now.dlq_size)
    }
}

/// Failed attempts over attempts that ended since `window` (the run's start if none), in
/// hundredths of a percent. No attempt ended: no rate.
fn error_rate(cfg: &AlertsConfig, window: Option<&Sample>, now: &Sample) -> Seen {
    let (attempts, failures) = window.map_or((0, 0), |p| (p.attempts, p.failures));
    let ended = now.attempts - attempts;
    match cfg.error_rate_above {
        _ if ended == 0 => Seen::NoData,
        None => Seen::NoData,
        Some(above) => {
            let rate = (now.failures - failures) * 10_000 / ended;
            if rate > above * 100 {
                Seen::Holds(rate, above * 100)
            } else {
                Seen::Not(rate)
            }
        }
    }
}

/// The interval's p99 above the bound: (p99, bound), in µs. An interval in which nothing settled
/// has no p99.
fn p99(cfg: &AlertsConfig, now: &Sample) -> Seen {
    match cfg.p99_above_ms.map(|ms| ms.saturating_mul(1_000)) {
        _ if now.latency_p99_us == 0 => Seen::NoData,
        None => Seen::NoData,
        Some(above) if now.latency_p99_us > above => Seen::Holds(now.latency_p99_us, above),
        Some(_) => Seen::Not(now.latency_p99_us),
    }
}

/// Whether a rule is switched on.
pub fn enabled(rule: AlertRule, cfg: &AlertsConfig) -> bool {
    match rule {
        AlertRule::Lag => cfg.lag_above.is_some(),
        AlertRule::ErrorRate => cfg.error_rate_above.is_some(),
        AlertRule::P99 => cfg.p99_above_ms.is_some(),
        AlertRule::DlqGrowing => cfg.dlq_growing,
    }
}
