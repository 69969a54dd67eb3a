//! Commands: the only way anything outside the engine changes a run. Each accepted command is
//! stamped with the sim time and the number of events processed before it, and recorded, so a run
//! is a pure function of (scenario, seed, command log) and can be replayed to the bit.

use crate::sim::config::choices::{CommitStrategy, CrashPoint, IdempotencyMode};
use crate::sim::config::limits;
use crate::sim::config::settings::{self, Setting};
use crate::sim::errors::CommandError;
use crate::sim::ids::{ConsumerId, MessageId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A choice as the settings' description writes it.
fn json(v: &impl Serialize) -> Value {
    serde_json::to_value(v).expect("choices always serialize")
}

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
    /// Consumer `consumer` processes `factor` times as slowly from now on (1: its own pace again),
    /// as a long garbage-collection pause or a noisy neighbour slows one instance.
    SlowConsumer {
        consumer: ConsumerId,
        factor: u32,
    },
    /// Restart a crashed consumer now; it rejoins the group (a rebalance follows, unless a static
    /// member takes its old place back).
    RestartConsumer {
        consumer: ConsumerId,
    },
    /// A new consumer joins the group (a rebalance follows).
    AddConsumer,
    /// The newest live consumer leaves the group cleanly once its current message is done.
    RemoveConsumer,
    /// Grows the topic to `count` partitions (the new total, more than it has): Kafka's
    /// `kafka-topics.sh --alter --partitions N` (`Admin.createPartitions`). Partitions are never
    /// removed; records already written stay where they are, keys remap and the group rebalances.
    AddPartitions {
        count: u32,
    },
    /// Publishes dead-lettered message `msg` again (absent or null: every parked message, oldest
    /// first), as the fix-the-bug-and-replay step does: the same message, id and key, appended
    /// anew to its key's partition and taken out of the dead-letter queue. Refused, naming `msg`,
    /// for a message that is not parked. `msg` is written as the page shows ids (`"evt_000012"`)
    /// and read from that or a bare number.
    Redrive {
        #[serde(default, with = "message_text")]
        msg: Option<MessageId>,
    },
    /// Rebuilds subscriber `subscriber`'s projection (event sourcing only): its read model is
    /// emptied and every event it had consumed is replayed into it from position 0 of the event
    /// store, once each, with the projection's code as it is now (a bug fixed since is fixed in
    /// the rebuilt view, and events it applied twice count once).
    RebuildProjection {
        subscriber: u8,
    },
    /// Deploys a producer writing the events with schema version `version` (schema registry
    /// only): the registry registers it if the subject's compatibility mode allows, and the
    /// producer writes with it from then on; otherwise the registry refuses it, saying why, and
    /// the producer keeps the version it had.
    DeploySchema {
        version: u32,
    },
    /// The queue broker's node restarts (the queue broker only): every connection closes, so the
    /// consumers' unacknowledged deliveries go back to the queue; a non-durable queue loses every
    /// message, a durable one its transient messages. The consumers reconnect at once.
    RestartBroker,
    /// Broker `broker` of the log's cluster crashes (`replication.brokers` above 1): the partitions
    /// it leads have no leader until the controller notices (`replication.detection_ms`) and elects
    /// one, and its replicas stop copying. Its disk survives.
    CrashBroker {
        broker: u32,
    },
    /// Crashed broker `broker` starts again: each of its replicas drops what the leader does not
    /// have and copies the rest, and is back in sync once it has caught up.
    StartBroker {
        broker: u32,
    },
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
    /// The settings this command changes, each with its new value (empty for an action on the
    /// consumers). A typed command is a shorthand for these, so it is checked by the same limits
    /// (each setting's own, in `settings.rs`) and applied the same way as `Command::Set`.
    pub fn writes(&self) -> Result<Vec<(&'static Setting, Value)>, CommandError> {
        let at = |path: &str| settings::find(path).expect("typed commands write described settings");
        Ok(match self {
            Command::SetCommitStrategy { commit } => vec![(at("consumers.commit"), json(commit))],
            Command::SetIdempotency { mode, dedup_ttl_ms } => vec![
                (at("idempotency.mode"), json(mode)),
                (at("idempotency.dedup_ttl_ms"), dedup_ttl_ms.map_or(Value::Null, Value::from)),
            ],
            Command::SetProducerRate { rate_per_sec } => {
                vec![(at("producer.rate_per_sec"), Value::from(*rate_per_sec))]
            }
            Command::SetProducerIdempotent { enabled } => vec![(at("producer.idempotent"), Value::from(*enabled))],
            Command::SetNetworkLoss { request_loss, ack_loss } => vec![
                (at("network.request_loss"), Value::from(*request_loss)),
                (at("network.ack_loss"), Value::from(*ack_loss)),
            ],
            Command::SetFailureProbability { probability } => {
                vec![(at("processing.failure_probability"), Value::from(*probability))]
            }
            Command::SetCrash { point, probability } => vec![
                (at("consumers.crash.point"), json(point)),
                (at("consumers.crash.probability"), Value::from(*probability)),
            ],
            Command::SetServiceMean { mean_ms } => vec![(at("processing.service.mean_ms"), Value::from(*mean_ms))],
            Command::Set { setting, value } => match settings::find(setting) {
                Some(s) => vec![(s, value.clone())],
                None => {
                    return Err(CommandError::Invalid {
                        field: "setting",
                        message: format!("`{setting}` is not a setting (see eda-lab run --help)"),
                    })
                }
            },
            Command::CrashConsumer { .. }
            | Command::RestartConsumer { .. }
            | Command::SlowConsumer { .. }
            | Command::AddConsumer
            | Command::RemoveConsumer
            | Command::AddPartitions { .. }
            | Command::RestartBroker
            | Command::CrashBroker { .. }
            | Command::StartBroker { .. }
            | Command::Redrive { .. }
            | Command::RebuildProjection { .. }
            | Command::DeploySchema { .. } => Vec::new(),
        })
    }

    /// Checks the command's own fields: every setting it writes against that setting's limits.
    /// The error names the field (the setting's path). Whether the settings it leaves fit
    /// together is the engine's check (`Scenario::with_writes`).
    pub fn validate(&self) -> Result<(), CommandError> {
        if let Command::SlowConsumer { factor, .. } = *self {
            if !(1..=limits::MAX_SLOW_FACTOR).contains(&factor) {
                let message = format!("must be 1 to {} (got {factor})", limits::MAX_SLOW_FACTOR);
                return Err(CommandError::Invalid { field: "factor", message });
            }
        }
        if let Command::CrashConsumer { consumer, .. }
        | Command::RestartConsumer { consumer }
        | Command::SlowConsumer { consumer, .. } = *self
        {
            let subscriber = usize::from(consumer.subscriber());
            if consumer.index() >= limits::MAX_CONSUMERS as usize || subscriber >= limits::MAX_SUBSCRIBERS {
                let shift = 1u32 << ConsumerId::SUBSCRIBER_SHIFT;
                return Err(CommandError::Invalid {
                    field: "consumer",
                    message: format!(
                        "must be a consumer below {} of a subscriber below {} (subscriber k's consumer i is k × {shift} + i; got {})",
                        limits::MAX_CONSUMERS,
                        limits::MAX_SUBSCRIBERS,
                        consumer.0
                    ),
                });
            }
        }
        if let Command::CrashBroker { broker } | Command::StartBroker { broker } = *self {
            if broker >= limits::MAX_BROKERS {
                let message = format!("must be a broker below {} (got {broker})", limits::MAX_BROKERS);
                return Err(CommandError::Invalid { field: "broker", message });
            }
        }
        if let Command::AddPartitions { count } = *self {
            if count == 0 || count > limits::MAX_PARTITIONS {
                return Err(CommandError::Invalid {
                    field: "count",
                    message: format!("must be between 1 and {} (got {count})", limits::MAX_PARTITIONS),
                });
            }
        }
        for (s, value) in self.writes()? {
            if !s.live {
                let message = "can only change in a new run (restart with it)".into();
                return Err(CommandError::Invalid { field: s.path, message });
            }
            s.check(&value).map_err(|message| CommandError::Invalid { field: s.path, message })?;
        }
        Ok(())
    }

    /// A stable 64-bit fingerprint for the trace hash (its canonical JSON, hashed).
    pub fn fingerprint(&self) -> u64 {
        let text = serde_json::to_string(self).expect("commands always serialize");
        // FNV-1a: tiny, and the same on every platform.
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }
}

/// `Command::Redrive`'s message: written as the page shows ids, read from that or a bare number.
mod message_text {
    use crate::sim::ids::MessageId;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(msg: &Option<MessageId>, s: S) -> Result<S::Ok, S::Error> {
        match msg {
            Some(m) => s.serialize_str(&m.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MessageId>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(u32),
            Text(String),
        }
        match Option::<Written>::deserialize(d)? {
            None => Ok(None),
            Some(Written::Number(n)) => Ok(Some(MessageId(n))),
            Some(Written::Text(t)) => t.parse().map(Some).map_err(D::Error::custom),
        }
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
    fn redrive_names_its_message_as_the_page_does() {
        let c = Command::Redrive { msg: Some(MessageId(12)) };
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, r#"{"type":"redrive","msg":"evt_000012"}"#);
        assert_eq!(serde_json::from_str::<Command>(&j).unwrap(), c);
        assert_eq!(serde_json::from_str::<Command>(r#"{"type":"redrive","msg":12}"#).unwrap(), c);
        let all = Command::Redrive { msg: None };
        assert_eq!(serde_json::to_string(&all).unwrap(), r#"{"type":"redrive","msg":null}"#);
        assert_eq!(serde_json::from_str::<Command>(r#"{"type":"redrive"}"#).unwrap(), all);
        assert!(serde_json::from_str::<Command>(r#"{"type":"redrive","msg":"order-7"}"#).is_err());
        assert!(all.writes().unwrap().is_empty());
    }

    #[test]
    fn rejects_out_of_range() {
        assert!(Command::SetFailureProbability { probability: 2.0 }.validate().is_err());
        assert!(Command::CrashConsumer { consumer: ConsumerId(99), at: None }.validate().is_err());
    }
}
