//! Chaos mode: a fault schedule drawn from the seed's own chaos stream instead of written by hand.
//! Faults come one window at a time, a gap of mean `mean_gap_ms` (exponential) before each, until
//! `until_ms`: a consumer crash, one consumer 5× slower, a broker crash and its start (on a
//! cluster whose own schedule crashes no broker), a stretch of lost
//! produce requests, a payments API outage, or a slow API. Each window ends (the broker starts,
//! the setting goes back) before the next begins, so the schedule always runs.
//!
//! The draws are a function of the seed and the scenario's shape alone (`Stream::Chaos`), so lanes
//! of a comparison on one seed meet the same chaos, whatever else their settings change.

use super::scenario::{BrokerKind, Scenario, ScheduledCommand};
use crate::sim::command::Command;
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::rng::{Rng, Stream};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChaosConfig {
    pub enabled: bool,
    /// Mean wait before each fault window, in milliseconds.
    pub mean_gap_ms: u64,
    /// No fault starts after this.
    pub until_ms: u64,
}

impl Default for ChaosConfig {
    fn default() -> Self {
        ChaosConfig { enabled: false, mean_gap_ms: 8_000, until_ms: 120_000 }
    }
}

impl ChaosConfig {
    /// Whether it is left as it is by default (off): then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == ChaosConfig::default()
    }
}

/// The faults chaos mode adds to `s`, in time order (none when it is off).
pub fn faults(s: &Scenario) -> Vec<ScheduledCommand> {
    let c = &s.chaos;
    if !c.enabled {
        return Vec::new();
    }
    let mut rng = Rng::for_stream(s.seed, Stream::Chaos);
    // Broker crashes only on a cluster whose own schedule leaves its brokers alone (so a drawn
    // crash never meets a broker the schedule took down).
    let own_brokers =
        s.faults.iter().any(|f| matches!(f.command, Command::CrashBroker { .. } | Command::StartBroker { .. }));
    let clustered = s.broker == BrokerKind::Log && s.replication.is_clustered() && !own_brokers;
    let kinds: u32 = if clustered { 6 } else { 5 };
    let consumers = s.consumers_of(0).max(1);
    let set = |at_ms, setting: &str, value: serde_json::Value| ScheduledCommand {
        at_ms,
        command: Command::Set { setting: setting.into(), value },
    };
    let mut out = Vec::new();
    let mut t = 0u64;
    loop {
        t += rng.exponential_us(c.mean_gap_ms.max(1) as f64 * 1_000.0) / 1_000;
        if t > c.until_ms {
            break;
        }
        let d = rng.uniform_us(1_000_000, 6_000_000) / 1_000;
        match rng.below(kinds) {
            0 => {
                let consumer = ConsumerId(rng.below(consumers));
                out.push(ScheduledCommand { at_ms: t, command: Command::CrashConsumer { consumer, at: None } });
                if s.consumers.crash.restart_delay_ms.is_none() {
                    out.push(ScheduledCommand { at_ms: t + d, command: Command::RestartConsumer { consumer } });
                }
            }
            1 => {
                out.push(set(t, "network.request_loss", 0.3.into()));
                out.push(set(t + d, "network.request_loss", s.network.request_loss.into()));
            }
            2 => {
                out.push(set(t, "downstream.outage", true.into()));
                out.push(set(t + d, "downstream.outage", s.downstream.outage.into()));
            }
            3 => {
                out.push(set(t, "downstream.slow_factor", 5.into()));
                out.push(set(t + d, "downstream.slow_factor", s.downstream.slow_factor.into()));
            }
            4 => {
                let consumer = ConsumerId(rng.below(consumers));
                out.push(ScheduledCommand { at_ms: t, command: Command::SlowConsumer { consumer, factor: 5 } });
                out.push(ScheduledCommand { at_ms: t + d, command: Command::SlowConsumer { consumer, factor: 1 } });
            }
            _ => {
                let broker = rng.below(s.replication.brokers);
                out.push(ScheduledCommand { at_ms: t, command: Command::CrashBroker { broker } });
                out.push(ScheduledCommand { at_ms: t + d, command: Command::StartBroker { broker } });
            }
        }
        t += d;
    }
    out
}
