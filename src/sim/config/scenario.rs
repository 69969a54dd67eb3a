//! A scenario: everything that defines a run except the live commands. Scenarios are JSON (serde);
//! every field has a default, so a file only states what differs. `validate` names the field and the
//! allowed range of anything out of bounds, so a bad file or link never reaches the engine.

pub use super::alerts::AlertsConfig;
pub use super::chaos::ChaosConfig;
pub use super::choices::{
    Assignor, AutoOffsetReset, Client, CommitStrategy, CrashPoint, IdempotencyMode, RdPartitioner,
};
pub use super::downstream::{BreakerSettings, DownstreamConfig, WhenOpen};
use super::json_input;
pub use super::limits;
pub use super::outbox::{OutboxConfig, Publish};
pub use super::producer::{Acks, Arrivals, KeySpace, ProducerConfig};
pub use super::queue::{BrokerKind, ExchangeKind, Overflow, QueueSettings};
pub use super::replication::ReplicationConfig;
pub use super::schema::SchemaConfig;
use super::settings::{self, Setting};
pub use super::shop::ShopConfig;
pub use super::sourcing::SourcingConfig;
pub use super::subscribers::Subscriber;
pub use super::transactions::{Isolation, TransactionConfig};
use crate::sim::command::Command;
pub use crate::sim::errors::{ScenarioError, SettingError};
pub use crate::sim::patterns::schema::Mode;
pub use crate::sim::policy::backoff::{Backoff, BackoffPolicy, Jitter};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Short identifier, e.g. `at-least-once`.
    pub name: String,
    /// One line on what the scenario shows.
    pub description: String,
    /// The seed every random stream derives from.
    pub seed: u64,
    pub producer: ProducerConfig,
    /// How the producing service publishes: directly, as a dual write, or through an outbox
    /// (`outbox.rs`).
    #[serde(skip_serializing_if = "OutboxConfig::is_default")]
    pub outbox: OutboxConfig,
    /// Event sourcing and CQRS: the service as an event-sourced bank, the subscribers as its
    /// projections (`sourcing.rs`).
    #[serde(skip_serializing_if = "SourcingConfig::is_default")]
    pub sourcing: SourcingConfig,
    /// CQRS for the e-commerce case: the service as a shop, the subscribers as its read models.
    #[serde(skip_serializing_if = "ShopConfig::is_default")]
    pub shop: ShopConfig,
    /// The schema registry: the events' schema versions, the subject's mode, the consumers'
    /// reader version (`schema.rs`).
    #[serde(skip_serializing_if = "SchemaConfig::is_default")]
    pub schema: SchemaConfig,
    pub network: NetworkConfig,
    /// The broker: the Kafka-like log (default) or the RabbitMQ-like queue.
    pub broker: BrokerKind,
    pub topic: TopicConfig,
    /// The log's replication: brokers, copies, in-sync replicas (`replication.rs`).
    #[serde(skip_serializing_if = "ReplicationConfig::is_default")]
    pub replication: ReplicationConfig,
    /// The queue broker's settings.
    pub queue: QueueSettings,
    /// Publish-subscribe on the queue broker: one queue and its consumers per subscriber behind a
    /// fanout exchange (`subscribers.rs`). Empty: one subscriber, the scenario's consumers.
    pub subscribers: Vec<Subscriber>,
    pub consumers: ConsumerConfig,
    pub processing: ProcessingConfig,
    pub idempotency: IdempotencyConfig,
    /// Exactly-once transactions: the consumers as a consume → process → produce stage
    /// (`transactions.rs`).
    #[serde(skip_serializing_if = "TransactionConfig::is_default")]
    pub transactions: TransactionConfig,
    /// The payments API the consumers call.
    pub downstream: DownstreamConfig,
    /// The circuit breaker around that call.
    pub breaker: BreakerSettings,
    /// Commands applied at fixed sim times: the scenario's fault schedule.
    pub faults: Vec<ScheduledCommand>,
    /// Chaos mode: more faults, drawn from the seed (`chaos.rs`).
    #[serde(skip_serializing_if = "ChaosConfig::is_default")]
    pub chaos: ChaosConfig,
    pub metrics: MetricsConfig,
    /// Alert rules (`config/alerts.rs`); all off unless a scenario sets them.
    pub alerts: AlertsConfig,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "custom".into(),
            description: String::new(),
            seed: 1,
            producer: ProducerConfig::default(),
            network: NetworkConfig::default(),
            broker: BrokerKind::Log,
            topic: TopicConfig::default(),
            replication: ReplicationConfig::default(),
            queue: QueueSettings::default(),
            subscribers: Vec::new(),
            consumers: ConsumerConfig::default(),
            processing: ProcessingConfig::default(),
            idempotency: IdempotencyConfig::default(),
            transactions: TransactionConfig::default(),
            outbox: OutboxConfig::default(),
            sourcing: SourcingConfig::default(),
            shop: ShopConfig::default(),
            schema: SchemaConfig::default(),
            downstream: DownstreamConfig::default(),
            breaker: BreakerSettings::default(),
            faults: Vec::new(),
            chaos: ChaosConfig::default(),
            metrics: MetricsConfig::default(),
            alerts: AlertsConfig::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// One-way delay between producer and broker, in milliseconds (0 to 1 day).
    pub latency_ms: u64,
    /// Probability that a produce request is lost on the way (0 to 0.99).
    pub request_loss: f64,
    /// Probability that the broker's acknowledgement is lost on the way back (0 to 0.99).
    pub ack_loss: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig { latency_ms: 5, request_loss: 0.0, ack_loss: 0.0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// Number of partitions (1 to 64).
    pub partitions: u32,
    /// `retention.ms`: a closed segment whose newest record is older than this is deleted
    /// (none: kept forever; Kafka's default is 7 days).
    pub retention_ms: Option<u64>,
    /// `retention.bytes`: oldest segments are deleted while the partition stays at least this big
    /// without them (none: unlimited, Kafka's default).
    pub retention_bytes: Option<u64>,
    /// `log.retention.check.interval.ms`: how often the broker applies retention (Kafka: 5 min).
    pub retention_check_ms: u64,
    /// `segment.bytes`: a segment is closed when the next record would not fit (Kafka: 1 GiB).
    pub segment_bytes: u64,
    /// `segment.ms`: a segment is closed when a record comes this long after its first (Kafka: 7 days).
    pub segment_ms: u64,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            partitions: 3,
            retention_ms: None,
            retention_bytes: None,
            retention_check_ms: 300_000,
            segment_bytes: 1 << 30,
            segment_ms: 604_800_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// Consumers in the group (1 to 32). More consumers than partitions leaves some idle.
    pub count: u32,
    pub commit: CommitStrategy,
    pub crash: CrashConfig,
    /// How long the group coordinator waits before it declares a silent consumer dead
    /// (`session.timeout.ms`; the Java client's default is 45 s, and brokers accept 6 s to 30 min
    /// by default: `group.min.session.timeout.ms` / `group.max.session.timeout.ms`).
    pub session_timeout_ms: u64,
    /// How long a rebalance takes once every member has rejoined (the sync phase: the leader
    /// computes the assignment and the coordinator hands it out).
    pub rebalance_ms: u64,
    /// `max.poll.interval.ms`: a consumer that holds a record longer than this is evicted by its
    /// client's heartbeat thread (it leaves the group); it is also the rebalance timeout, after
    /// which members that have not rejoined are dropped. Java default 5 minutes.
    pub max_poll_interval_ms: u64,
    /// `group.instance.id` set (static membership, KIP-345): a consumer that restarts within its
    /// session timeout takes its old place back without a rebalance.
    pub static_membership: bool,
    /// `partition.assignment.strategy`: range (the Java client's first default), round robin, or
    /// cooperative sticky (incremental rebalancing, KIP-429).
    pub assignor: Assignor,
    /// `auto.offset.reset`: where a consumer starts on a partition without a valid committed
    /// offset. Latest by default, as in both clients.
    pub auto_offset_reset: AutoOffsetReset,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            count: 3,
            commit: CommitStrategy::AfterProcessing,
            crash: CrashConfig::default(),
            session_timeout_ms: 45_000,
            rebalance_ms: 300,
            max_poll_interval_ms: 300_000,
            static_membership: false,
            assignor: Assignor::Range,
            auto_offset_reset: AutoOffsetReset::Latest,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrashConfig {
    /// Where random crashes strike.
    pub point: CrashPoint,
    /// Probability that a consumer crashes each time a message passes `point` (0 to 1).
    pub probability: f64,
    /// How long a crashed consumer stays down before it restarts and rejoins (none: stays down).
    pub restart_delay_ms: Option<u64>,
}

impl Default for CrashConfig {
    fn default() -> Self {
        CrashConfig { point: CrashPoint::AfterEffect, probability: 0.0, restart_delay_ms: Some(1_000) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProcessingConfig {
    pub service: ServiceTime,
    /// Probability that one processing attempt fails with a transient error (0 to 1).
    pub failure_probability: f64,
    pub retry: RetryPolicy,
    /// Share of messages the downstream API always refuses (400 Bad Request: an invalid payload),
    /// drawn per message from the seed (0 to 1): poison messages.
    pub poison_probability: f64,
    /// The handler knows a 400 cannot be helped by retrying: a poison message goes straight to
    /// the dead-letter queue, and the breaker ignores the error. Off: it is retried like any.
    pub classify_poison: bool,
    /// Messages that run out of retries are parked in a dead-letter queue. Off: there is none,
    /// so the consumer tries again and again (in place, its partition stalls for good).
    pub dead_letter_queue: bool,
}

impl Default for ProcessingConfig {
    fn default() -> Self {
        ProcessingConfig {
            service: ServiceTime::default(),
            failure_probability: 0.0,
            retry: RetryPolicy::default(),
            poison_probability: 0.0,
            classify_poison: false,
            dead_letter_queue: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceTime {
    pub distribution: ServiceDistribution,
    /// Mean processing time per attempt in milliseconds (0 to 1 day).
    pub mean_ms: f64,
}

impl Default for ServiceTime {
    fn default() -> Self {
        ServiceTime { distribution: ServiceDistribution::Exponential, mean_ms: 300.0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceDistribution {
    Exponential,
    Constant,
    /// Uniform between 0 and twice the mean.
    Uniform,
}

/// What happens after a failed processing attempt: how many retries, how long to wait before
/// each (a [`Backoff`] schedule), and where the retry happens (`mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    /// Retries after the first attempt before the message is dead-lettered (0 to 1,000).
    pub max_retries: u32,
    /// How the wait grows: none (no retries), immediate, fixed or exponential.
    pub policy: BackoffPolicy,
    /// The base wait (before the first retry, and every retry under `fixed`), in milliseconds.
    pub backoff_ms: u64,
    /// Exponential only: each further retry waits `multiplier` times longer (1 to 10).
    pub multiplier: u32,
    /// Exponential only: no wait is longer than this, in milliseconds.
    pub cap_ms: u64,
    /// How each wait is spread at random: none, full, equal or decorrelated.
    pub jitter: Jitter,
    pub mode: RetryMode,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            policy: BackoffPolicy::Exponential,
            backoff_ms: 500,
            multiplier: 2,
            cap_ms: 30_000,
            jitter: Jitter::None,
            mode: RetryMode::InPlace,
        }
    }
}

impl RetryPolicy {
    /// The schedule, in the backoff module's terms.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            policy: self.policy,
            base_us: self.backoff_ms.saturating_mul(1_000),
            multiplier: self.multiplier,
            cap_us: self.cap_ms.saturating_mul(1_000),
            max_attempts: self.max_retries,
            jitter: self.jitter,
        }
    }

    /// Retries allowed after the first attempt (none under the `none` policy).
    pub fn retries(&self) -> u32 {
        self.backoff().retries()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryMode {
    /// The consumer waits and retries the same record: every partition it owns waits behind it
    /// (head-of-line blocking), lag grows, and past `max.poll.interval.ms` the consumer is evicted.
    InPlace,
    /// The record is committed and re-appended to its partition after the delay (a retry topic in
    /// miniature): the consumer moves on meanwhile, and per-key order breaks. The pending retry
    /// survives a crash of the consumer here; a real client holding it in memory would lose it
    /// (a retry topic must be produced to before the commit).
    Reappend,
    /// The queue broker only: the consumer rejects the failed delivery with requeue
    /// (`basic.nack`, `requeue=true`) and moves on; the queue takes it back at once, with no
    /// backoff (RabbitMQ has none), flagged redelivered: at its place (a classic queue) or first
    /// (a quorum queue, `queue.delivery_limit`, which counts the return).
    Requeue,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdempotencyConfig {
    pub mode: IdempotencyMode,
    /// How long the dedup store remembers a processed id (none: forever). A duplicate that
    /// arrives later slips through.
    pub dedup_ttl_ms: Option<u64>,
}

impl Default for IdempotencyConfig {
    fn default() -> Self {
        IdempotencyConfig { mode: IdempotencyMode::None, dedup_ttl_ms: None }
    }
}

/// A command applied at a fixed time as part of the scenario (a fault schedule).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledCommand {
    pub at_ms: u64,
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Chart sampling interval in sim milliseconds (1 ms to 1 day).
    pub sample_interval_ms: u64,
    /// Samples kept per chart series (1 to 100,000).
    pub history: usize,
    /// Recent engine events kept for the event log (0 to 100,000; 0 switches the log off).
    pub journal: usize,
    /// Settled messages whose records stay inspectable, newest first (0 to 1,000,000); messages in
    /// flight are always kept, and memory grows with neither the run's length nor its rate.
    pub recent_messages: usize,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig { sample_interval_ms: 250, history: 600, journal: 512, recent_messages: 4_096 }
    }
}

pub(super) fn invalid(field: &str, message: String) -> ScenarioError {
    ScenarioError::Invalid { field: field.to_string(), message }
}

impl Scenario {
    /// Parses and validates scenario JSON.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let mut shape = serde_json::to_value(Scenario::default()).expect("scenarios always serialize");
        shape["faults"] = serde_json::json!([{ "at_ms": 0, "command": {} }]);
        let s: Scenario = json_input::parse_object(text, "a scenario", &shape).map_err(ScenarioError::Parse)?;
        s.validate()?;
        Ok(s)
    }

    /// A fingerprint of everything that shapes a run: every setting, the event types and the
    /// fault schedule (not the name or description). The engine folds it into the trace hash, so
    /// two runs of different scenarios never share a hash, even before their first event.
    pub fn fingerprint(&self) -> u64 {
        // FNV-1a over a canonical text: tiny, and the same on every platform.
        let mut text = String::new();
        // Alert rules left at their defaults (off) are left out, so every run recorded before the
        // rules existed keeps its hash; a rule set makes the hash differ like any other setting.
        let default = Scenario::default();
        let is_default_alert = |s: &Setting, v: &serde_json::Value| {
            matches!(
                s.group,
                settings::Group::Alerts
                    | settings::Group::Queue
                    | settings::Group::Replication
                    | settings::Group::Transactions
                    | settings::Group::Outbox
                    | settings::Group::Sourcing
                    | settings::Group::Shop
                    | settings::Group::Schema
                    | settings::Group::Chaos
            ) && default.setting(s).as_ref() == Some(v)
        };
        for setting in settings::SETTINGS {
            if let Some(v) = self.read_setting(setting.path).filter(|v| !is_default_alert(setting, v)) {
                text.push_str(setting.path);
                text.push('=');
                text.push_str(&v.to_string());
                text.push(';');
            }
        }
        text.push_str(&self.producer.event_types.join(","));
        // Left out when there are none, so every earlier run keeps its hash.
        if !self.producer.headers.is_empty() {
            let headers = serde_json::to_string(&self.producer.headers).expect("headers always serialize");
            text.push_str(&format!(";headers:{headers}"));
        }
        for f in &self.faults {
            text.push_str(&format!(";{}:{}", f.at_ms, f.command.fingerprint()));
        }
        // Left out when there are none, so every earlier run keeps its hash.
        for s in &self.subscribers {
            text.push_str(&format!(";sub:{}", serde_json::to_string(s).expect("subscribers always serialize")));
        }
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }

    /// The value of `setting` (`None` where it does not apply, e.g. the auto-commit interval
    /// under another commit strategy).
    pub fn setting(&self, setting: &Setting) -> Option<serde_json::Value> {
        self.read_setting(setting.path)
    }

    /// This scenario with `setting` changed to `value`, or what is wrong with the value.
    pub fn with_setting(&self, setting: &Setting, value: &serde_json::Value) -> Result<Scenario, SettingError> {
        setting.check(value).map_err(SettingError::Value)?;
        let mut s = self.clone();
        s.write_setting(setting.path, value).map_err(SettingError::Value)?;
        // A value may carry nested settings of its own (the auto-commit interval), and settings
        // bind each other (`rules.rs`): check them all.
        s.validate().map_err(SettingError::Scenario)?;
        Ok(s)
    }

    /// This scenario with every `(setting, value)` written, as a command changes the live
    /// settings: each value checked by its setting, then the settings together (but not the fault
    /// schedule, which belongs to the start of the run). The error names the field.
    pub fn with_writes(&self, writes: &[(&Setting, serde_json::Value)]) -> Result<Scenario, ScenarioError> {
        let mut s = self.clone();
        for (setting, value) in writes {
            setting.check(value).map_err(|m| invalid(setting.path, m))?;
            s.write_setting(setting.path, value).map_err(|m| invalid(setting.path, m))?;
        }
        s.validate_settings()?;
        Ok(s)
    }

    /// Pretty JSON of the whole scenario (every field, defaults included).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenarios always serialize")
    }

    /// Checks every field against its allowed range, the settings against each other and the
    /// fault schedule; the error names the first offending field. The ranges are those of the
    /// settings' one description (`settings.rs`); what the table cannot say (lists, combinations,
    /// the fault schedule) is checked here and in `rules.rs`.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.validate_settings()?;
        self.validate_faults()?;
        if self.chaos.enabled {
            // The drawn faults keep the schedule runnable by construction; should one not, the
            // chaos setting is what to change.
            self.with_chaos_expanded().validate_faults().map_err(|e| match e {
                ScenarioError::Invalid { field, message } => {
                    invalid("chaos.enabled", format!("a drawn fault cannot apply ({field}: {message})"))
                }
                other => other,
            })?;
        }
        Ok(())
    }

    /// The scenario with chaos mode's faults added to its schedule (and chaos mode off, so they
    /// are not drawn twice); itself when chaos mode is off.
    pub fn with_chaos_expanded(&self) -> Scenario {
        let mut s = self.clone();
        if s.chaos.enabled {
            s.faults.extend(super::chaos::faults(self));
            s.chaos.enabled = false;
        }
        s
    }

    /// Every setting in range, the lists within bounds, and no combination that cannot run.
    pub(super) fn validate_settings(&self) -> Result<(), ScenarioError> {
        use limits::*;
        settings::check_all(|path| self.read_setting(path)).map_err(|(field, message)| invalid(field, message))?;
        let p = &self.producer;
        if p.event_types.is_empty() || p.event_types.len() > MAX_EVENT_TYPES {
            return Err(invalid(
                "producer.event_types",
                format!("must list 1 to {MAX_EVENT_TYPES} names (got {})", p.event_types.len()),
            ));
        }
        if let Some(bad) = p.event_types.iter().find(|t| t.is_empty() || t.len() > 64) {
            return Err(invalid("producer.event_types", format!("names must be 1 to 64 characters (got {bad:?})")));
        }
        self.producer.check_headers()?;
        self.check_subscribers()?;
        self.check_combinations()
    }

    /// Whether the producer is idempotent: the client's setting ([`ProducerConfig::idempotence`])
    /// on the log broker; never on the queue broker (RabbitMQ has no idempotent publisher).
    pub fn idempotent_producer(&self) -> bool {
        self.broker == BrokerKind::Log && self.producer.idempotence()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let s = Scenario::default();
        s.validate().unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn empty_object_is_the_default_scenario() {
        assert_eq!(Scenario::from_json("{}").unwrap(), Scenario::default());
    }

    #[test]
    fn out_of_range_names_the_field() {
        let err = Scenario::from_json(r#"{"topic":{"partitions":0}}"#).unwrap_err();
        assert_eq!(err.to_string(), "topic.partitions: must be between 1 and 64 (got 0)");
        let err = Scenario::from_json(r#"{"consumers":{"crash":{"probability":1.5}}}"#).unwrap_err();
        assert!(err.to_string().starts_with("consumers.crash.probability"), "{err}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = Scenario::from_json(r#"{"topik":{}}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `topik`"), "{err}");
    }

    #[test]
    fn backoff_sequence() {
        // The benchmark model's schedule: 2, 4, 8 s, then dead-lettered.
        let r = Scenario::bench(1, true).processing.retry;
        let b = r.backoff();
        assert_eq!([1, 2, 3, 4].map(|n| b.ceiling_us(n)), [2_000_000, 4_000_000, 8_000_000, 16_000_000]);
        assert_eq!(r.retries(), 3);
    }
}
