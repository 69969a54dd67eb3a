//! Commands: the only way anything outside the engine changes a run. Each accepted command is
//! stamped with the sim time and the number of events processed before it, and recorded, so a run
//! is a pure function of (scenario, seed, command log) and can be replayed to the bit.

use crate::sim::config::choices::{CommitStrategy, CrashPoint, IdempotencyMode};
use crate::sim::config::limits;
use crate::sim::config::settings;
use crate::sim::errors::CommandError;
use crate::sim::ids::ConsumerId;
use serde::{Deserialize, Serialize};

/// Everything a user (or a fault schedule) can do to a running simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Crash consumer `consumer` now (`at` absent), or arm it to crash the next time one of its
    /// messages passes step `at`.
    CrashConsumer {
        consumer: ConsumerId,
        #[serde(default)]
        at: Option<CrashPoint>,
    },
    /// Restart a crashed consumer now; it rejoins the group (a rebalance follows).
    RestartConsumer {
        consumer: ConsumerId,
    },
    /// A new consumer joins the group (a rebalance follows).
    AddConsumer,
    /// The newest live consumer leaves the group cleanly once its current message is done.
    RemoveConsumer,
    SetCommitStrategy {
        commit: CommitStrategy,
    },
    SetIdempotency {
        mode: IdempotencyMode,
        #[serde(default)]
        dedup_ttl_ms: Option<u64>,
    },
    SetProducerRate {
        rate_per_sec: f64,
    },
    SetProducerIdempotent {
        enabled: bool,
    },
    SetNetworkLoss {
        request_loss: f64,
        ack_loss: f64,
    },
    SetFailureProbability {
        probability: f64,
    },
    SetCrash {
        point: CrashPoint,
        probability: f64,
    },
    SetServiceMean {
        mean_ms: f64,
    },
    /// Changes any setting a running simulation can change, by its path in the scenario
    /// (`settings.rs` describes each one and the values it takes).
    Set {
        setting: String,
        value: serde_json::Value,
    },
}

impl Command {
    /// Checks the command's own fields against the engine's limits; the error names the field.
    pub fn validate(&self) -> Result<(), CommandError> {
        let invalid = |field: &'static str, message: String| Err(CommandError::Invalid { field, message });
        let fraction = |field: &'static str, v: f64, max: f64| {
            if v.is_finite() && (0.0..=max).contains(&v) {
                Ok(())
            } else {
                invalid(field, format!("must be between 0 and {max} (got {v})"))
            }
        };
        match *self {
            Command::CrashConsumer { consumer, .. } | Command::RestartConsumer { consumer } => {
                if consumer.0 >= limits::MAX_CONSUMERS {
                    return invalid("consumer", format!("must be below {} (got {consumer})", limits::MAX_CONSUMERS));
                }
                Ok(())
            }
            Command::AddConsumer | Command::RemoveConsumer | Command::SetProducerIdempotent { .. } => Ok(()),
            Command::SetCommitStrategy { commit } => match commit {
                CommitStrategy::Auto { interval_ms } if interval_ms == 0 || interval_ms > limits::MAX_DELAY_MS => {
                    invalid(
                        "interval_ms",
                        format!("must be between 1 and {} (got {interval_ms})", limits::MAX_DELAY_MS),
                    )
                }
                _ => Ok(()),
            },
            Command::SetIdempotency { dedup_ttl_ms, .. } => match dedup_ttl_ms {
                Some(0) => invalid("dedup_ttl_ms", "must be at least 1 (omit it for no expiry)".into()),
                _ => Ok(()),
            },
            Command::SetProducerRate { rate_per_sec } => {
                fraction("rate_per_sec", rate_per_sec, limits::MAX_RATE_PER_SEC)
            }
            Command::SetNetworkLoss { request_loss, ack_loss } => {
                fraction("request_loss", request_loss, 0.99)?;
                fraction("ack_loss", ack_loss, 0.99)
            }
            Command::SetFailureProbability { probability } | Command::SetCrash { probability, .. } => {
                fraction("probability", probability, 1.0)
            }
            Command::SetServiceMean { mean_ms } => fraction("mean_ms", mean_ms, limits::MAX_DELAY_MS as f64),
            Command::Set { ref setting, ref value } => {
                let Some(s) = settings::find(setting) else {
                    return invalid("setting", format!("`{setting}` is not a setting (see eda-lab run --help)"));
                };
                if !s.live {
                    return invalid(s.path, "can only change in a new run (restart with it)".into());
                }
                s.check(value).map_err(|message| CommandError::Invalid { field: s.path, message })
            }
        }
    }

    /// A stable 64-bit fingerprint for the trace hash (its canonical JSON, hashed).
    pub fn fingerprint(&self) -> u64 {
        let text = serde_json::to_string(self).expect("commands always serialize");
        // FNV-1a: tiny, and the same on every platform.
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }
}

/// A command as recorded: when it was applied and how many events had been processed before it.
/// The event count makes replay exact even when a frame budget stopped the engine between two
/// events that share a timestamp.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StampedCommand {
    pub at_us: u64,
    pub after_events: u64,
    pub command: Command,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_readable() {
        let c = Command::CrashConsumer { consumer: ConsumerId(1), at: Some(CrashPoint::AfterEffect) };
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, r#"{"type":"crash_consumer","consumer":1,"at":"after_effect"}"#);
        assert_eq!(serde_json::from_str::<Command>(&j).unwrap(), c);
        let c: Command =
            serde_json::from_str(r#"{"type":"set_commit_strategy","commit":{"mode":"auto","interval_ms":5000}}"#)
                .unwrap();
        assert_eq!(c, Command::SetCommitStrategy { commit: CommitStrategy::Auto { interval_ms: 5000 } });
    }

    #[test]
    fn rejects_out_of_range() {
        assert!(Command::SetFailureProbability { probability: 2.0 }.validate().is_err());
        assert!(Command::CrashConsumer { consumer: ConsumerId(99), at: None }.validate().is_err());
    }
}
