//! Reading and writing one described setting of a typed scenario. The settings' description
//! (`settings.rs`) says what each setting is and takes; this file only maps its path to the field,
//! so that no JSON round trip of the whole scenario is needed (which would put a second
//! (de)serializer of every scenario type into the page's bundle). `tests/settings.rs` reads and
//! writes every setting.

use super::choices::CommitStrategy;
use super::scenario::Scenario;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn num(v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("must be a number (got {v})"))
}
fn int<T: TryFrom<u64>>(v: &Value) -> Result<T, String> {
    v.as_u64().and_then(|n| T::try_from(n).ok()).ok_or_else(|| format!("must be a whole number (got {v})"))
}
fn opt(v: &Value) -> Result<Option<u64>, String> {
    if v.is_null() {
        Ok(None)
    } else {
        int(v).map(Some)
    }
}
fn flag(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| format!("must be true or false (got {v})"))
}
fn choice<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| e.to_string())
}

/// The commit strategy, read by hand: serde's reader of an internally tagged enum would bring its
/// whole buffering machinery into the page's bundle for this one value.
fn commit(v: &Value) -> Result<CommitStrategy, String> {
    match v.get("mode").and_then(Value::as_str) {
        Some("before_processing") => Ok(CommitStrategy::BeforeProcessing),
        Some("after_processing") => Ok(CommitStrategy::AfterProcessing),
        Some("auto") => match v.get("interval_ms") {
            Some(ms) => Ok(CommitStrategy::Auto { interval_ms: int(ms)? }),
            None => Err("auto-commit needs interval_ms".into()),
        },
        _ => Err(format!("must name a mode: before_processing, after_processing or auto (got {v})")),
    }
}

fn json<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("settings always serialize")
}
fn opt_json(v: Option<u64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

impl Scenario {
    /// The value at `path`, or `None` where it does not apply (the auto-commit interval under
    /// another commit strategy) or is no setting.
    pub(super) fn read_setting(&self, path: &str) -> Option<Value> {
        let v = self.read_client_setting(path).or_else(|| self.read_downstream_setting(path));
        if let Some(v) = v.or_else(|| self.read_pattern_setting(path)) {
            return Some(v);
        }
        let (c, pr) = (&self.consumers, &self.processing);
        Some(match path {
            "consumers.count" => c.count.into(),
            "consumers.commit" => json(c.commit),
            "consumers.commit.interval_ms" => match c.commit {
                CommitStrategy::Auto { interval_ms } => interval_ms.into(),
                _ => return None,
            },
            "consumers.crash.point" => json(c.crash.point),
            "consumers.crash.probability" => c.crash.probability.into(),
            "consumers.crash.restart_delay_ms" => opt_json(c.crash.restart_delay_ms),
            "consumers.session_timeout_ms" => c.session_timeout_ms.into(),
            "consumers.rebalance_ms" => c.rebalance_ms.into(),
            "consumers.max_poll_interval_ms" => c.max_poll_interval_ms.into(),
            "consumers.static_membership" => c.static_membership.into(),
            "consumers.assignor" => json(c.assignor),
            "consumers.auto_offset_reset" => json(c.auto_offset_reset),
            "processing.service.distribution" => json(pr.service.distribution),
            "processing.service.mean_ms" => pr.service.mean_ms.into(),
            "processing.failure_probability" => pr.failure_probability.into(),
            "processing.retry.max_retries" => pr.retry.max_retries.into(),
            "processing.retry.backoff_ms" => pr.retry.backoff_ms.into(),
            "processing.retry.multiplier" => pr.retry.multiplier.into(),
            "processing.retry.policy" => json(pr.retry.policy),
            "processing.retry.cap_ms" => pr.retry.cap_ms.into(),
            "processing.retry.jitter" => json(pr.retry.jitter),
            "processing.retry.mode" => json(pr.retry.mode),
            "processing.poison_probability" => pr.poison_probability.into(),
            "processing.classify_poison" => pr.classify_poison.into(),
            "processing.dead_letter_queue" => pr.dead_letter_queue.into(),
            "idempotency.mode" => json(self.idempotency.mode),
            "idempotency.dedup_ttl_ms" => opt_json(self.idempotency.dedup_ttl_ms),
            "metrics.sample_interval_ms" => self.metrics.sample_interval_ms.into(),
            "metrics.history" => self.metrics.history.into(),
            "metrics.journal" => self.metrics.journal.into(),
            "metrics.recent_messages" => self.metrics.recent_messages.into(),
            "broker" => json(self.broker),
            "queue.prefetch" => self.queue.prefetch.into(),
            "queue.message_ttl_ms" => opt_json(self.queue.message_ttl_ms),
            "queue.expiration_ms" => opt_json(self.queue.expiration_ms),
            "queue.max_length" => opt_json(self.queue.max_length),
            "queue.overflow" => json(self.queue.overflow),
            "queue.exchange" => json(self.queue.exchange),
            "queue.delivery_limit" => opt_json(self.queue.delivery_limit),
            "queue.dead_letter_exchange" => self.queue.dead_letter_exchange.into(),
            "queue.durable" => self.queue.durable.into(),
            "queue.persistent" => self.queue.persistent.into(),
            "queue.mandatory" => self.queue.mandatory.into(),
            "alerts.lag_above" => opt_json(self.alerts.lag_above),
            "alerts.lag_for_ms" => self.alerts.lag_for_ms.into(),
            "alerts.error_rate_above" => opt_json(self.alerts.error_rate_above),
            "alerts.p99_above_ms" => opt_json(self.alerts.p99_above_ms),
            "alerts.dlq_growing" => self.alerts.dlq_growing.into(),
            _ => return None,
        })
    }

    fn read_client_setting(&self, path: &str) -> Option<Value> {
        let p = &self.producer;
        Some(match path {
            "producer.rate_per_sec" => p.rate_per_sec.into(),
            "producer.arrivals" => json(p.arrivals),
            "producer.max_messages" => opt_json(p.max_messages),
            "producer.keys.count" => p.keys.count.into(),
            "producer.keys.hot_key_share" => p.keys.hot_key_share.into(),
            "producer.client" => json(p.client),
            "producer.partitioner" => json(p.partitioner),
            "producer.record_bytes" => p.record_bytes.into(),
            "producer.batch_size" => p.batch_size.into(),
            "producer.sticky_linger_ms" => p.sticky_linger_ms.into(),
            "producer.acks" => json(p.acks),
            "producer.retries" => p.retries.into(),
            "producer.retry_backoff_ms" => p.retry_backoff_ms.into(),
            "producer.request_timeout_ms" => p.request_timeout_ms.into(),
            "producer.delivery_timeout_ms" => opt_json(p.delivery_timeout_ms),
            "producer.idempotent" => p.idempotent.map_or(Value::Null, Value::from),
            "producer.max_in_flight" => p.max_in_flight.into(),
            "network.latency_ms" => self.network.latency_ms.into(),
            "network.request_loss" => self.network.request_loss.into(),
            "network.ack_loss" => self.network.ack_loss.into(),
            "topic.partitions" => self.topic.partitions.into(),
            "topic.retention_ms" => opt_json(self.topic.retention_ms),
            "topic.retention_check_ms" => self.topic.retention_check_ms.into(),
            "topic.retention_bytes" => opt_json(self.topic.retention_bytes),
            "topic.segment_bytes" => self.topic.segment_bytes.into(),
            "topic.segment_ms" => self.topic.segment_ms.into(),
            "replication.brokers" => self.replication.brokers.into(),
            "replication.factor" => self.replication.factor.into(),
            "replication.min_insync_replicas" => self.replication.min_insync_replicas.into(),
            "replication.unclean_leader_election" => self.replication.unclean_leader_election.into(),
            "replication.fetch_ms" => self.replication.fetch_ms.into(),
            "replication.detection_ms" => self.replication.detection_ms.into(),
            "transactions.enabled" => self.transactions.enabled.into(),
            "outbox.mode" => json(self.outbox.mode),
            "chaos.enabled" => self.chaos.enabled.into(),
            "chaos.mean_gap_ms" => self.chaos.mean_gap_ms.into(),
            "chaos.until_ms" => self.chaos.until_ms.into(),
            "outbox.crash_probability" => self.outbox.crash_probability.into(),
            "outbox.relay_interval_ms" => self.outbox.relay_interval_ms.into(),
            "transactions.commit_interval_ms" => self.transactions.commit_interval_ms.into(),
            "transactions.timeout_ms" => self.transactions.timeout_ms.into(),
            "transactions.isolation" => json(self.transactions.isolation),
            "transactions.external_effect" => self.transactions.external_effect.into(),
            _ => return None,
        })
    }

    /// Writes `value` (already checked against the setting's description) at `path`.
    pub(super) fn write_setting(&mut self, path: &str, v: &Value) -> Result<(), String> {
        if self.write_client_setting(path, v)?
            || self.write_downstream_setting(path, v)?
            || self.write_pattern_setting(path, v)?
        {
            return Ok(());
        }
        let (c, pr) = (&mut self.consumers, &mut self.processing);
        match path {
            "consumers.count" => c.count = int(v)?,
            "consumers.commit" => c.commit = commit(v)?,
            "consumers.commit.interval_ms" => match &mut c.commit {
                CommitStrategy::Auto { interval_ms } => *interval_ms = int(v)?,
                _ => return Err("does not apply: the commit strategy is not auto-commit".into()),
            },
            "consumers.crash.point" => c.crash.point = choice(v)?,
            "consumers.crash.probability" => c.crash.probability = num(v)?,
            "consumers.crash.restart_delay_ms" => c.crash.restart_delay_ms = opt(v)?,
            "consumers.session_timeout_ms" => c.session_timeout_ms = int(v)?,
            "consumers.rebalance_ms" => c.rebalance_ms = int(v)?,
            "consumers.max_poll_interval_ms" => c.max_poll_interval_ms = int(v)?,
            "consumers.static_membership" => c.static_membership = flag(v)?,
            "consumers.assignor" => c.assignor = choice(v)?,
            "consumers.auto_offset_reset" => c.auto_offset_reset = choice(v)?,
            "processing.service.distribution" => pr.service.distribution = choice(v)?,
            "processing.service.mean_ms" => pr.service.mean_ms = num(v)?,
            "processing.failure_probability" => pr.failure_probability = num(v)?,
            "processing.retry.max_retries" => pr.retry.max_retries = int(v)?,
            "processing.retry.backoff_ms" => pr.retry.backoff_ms = int(v)?,
            "processing.retry.multiplier" => pr.retry.multiplier = int(v)?,
            "processing.retry.policy" => pr.retry.policy = choice(v)?,
            "processing.retry.cap_ms" => pr.retry.cap_ms = int(v)?,
            "processing.retry.jitter" => pr.retry.jitter = choice(v)?,
            "processing.retry.mode" => pr.retry.mode = choice(v)?,
            "processing.poison_probability" => pr.poison_probability = num(v)?,
            "processing.classify_poison" => pr.classify_poison = flag(v)?,
            "processing.dead_letter_queue" => pr.dead_letter_queue = flag(v)?,
            "idempotency.mode" => self.idempotency.mode = choice(v)?,
            "idempotency.dedup_ttl_ms" => self.idempotency.dedup_ttl_ms = opt(v)?,
            "metrics.sample_interval_ms" => self.metrics.sample_interval_ms = int(v)?,
            "metrics.history" => self.metrics.history = int(v)?,
            "metrics.journal" => self.metrics.journal = int(v)?,
            "metrics.recent_messages" => self.metrics.recent_messages = int(v)?,
            "alerts.lag_above" => self.alerts.lag_above = opt(v)?,
            "alerts.lag_for_ms" => self.alerts.lag_for_ms = int(v)?,
            "alerts.error_rate_above" => self.alerts.error_rate_above = opt(v)?,
            "alerts.p99_above_ms" => self.alerts.p99_above_ms = opt(v)?,
            "alerts.dlq_growing" => self.alerts.dlq_growing = flag(v)?,
            other => return Err(format!("`{other}` is not a setting")),
        }
        Ok(())
    }

    /// The producer's, the network's and the topic's settings; false for any other path.
    fn write_client_setting(&mut self, path: &str, v: &Value) -> Result<bool, String> {
        let p = &mut self.producer;
        match path {
            "producer.rate_per_sec" => p.rate_per_sec = num(v)?,
            "producer.arrivals" => p.arrivals = choice(v)?,
            "producer.max_messages" => p.max_messages = opt(v)?,
            "producer.keys.count" => p.keys.count = int(v)?,
            "producer.keys.hot_key_share" => p.keys.hot_key_share = num(v)?,
            "producer.client" => p.client = choice(v)?,
            "producer.partitioner" => p.partitioner = choice(v)?,
            "producer.record_bytes" => p.record_bytes = int(v)?,
            "producer.batch_size" => p.batch_size = int(v)?,
            "producer.sticky_linger_ms" => p.sticky_linger_ms = int(v)?,
            "producer.acks" => p.acks = choice(v)?,
            "producer.retries" => p.retries = int(v)?,
            "producer.retry_backoff_ms" => p.retry_backoff_ms = int(v)?,
            "producer.request_timeout_ms" => p.request_timeout_ms = int(v)?,
            "producer.delivery_timeout_ms" => p.delivery_timeout_ms = opt(v)?,
            "producer.idempotent" => p.idempotent = if v.is_null() { None } else { Some(flag(v)?) },
            "producer.max_in_flight" => p.max_in_flight = int(v)?,
            "network.latency_ms" => self.network.latency_ms = int(v)?,
            "network.request_loss" => self.network.request_loss = num(v)?,
            "network.ack_loss" => self.network.ack_loss = num(v)?,
            "broker" => self.broker = choice(v)?,
            "queue.prefetch" => self.queue.prefetch = int(v)?,
            "queue.message_ttl_ms" => self.queue.message_ttl_ms = opt(v)?,
            "queue.expiration_ms" => self.queue.expiration_ms = opt(v)?,
            "queue.max_length" => self.queue.max_length = opt(v)?,
            "queue.overflow" => self.queue.overflow = choice(v)?,
            "queue.exchange" => self.queue.exchange = choice(v)?,
            "queue.delivery_limit" => self.queue.delivery_limit = opt(v)?,
            "queue.dead_letter_exchange" => self.queue.dead_letter_exchange = flag(v)?,
            "queue.durable" => self.queue.durable = flag(v)?,
            "queue.persistent" => self.queue.persistent = flag(v)?,
            "queue.mandatory" => self.queue.mandatory = flag(v)?,
            "topic.partitions" => self.topic.partitions = int(v)?,
            "topic.retention_ms" => self.topic.retention_ms = opt(v)?,
            "topic.retention_check_ms" => self.topic.retention_check_ms = int(v)?,
            "topic.retention_bytes" => self.topic.retention_bytes = opt(v)?,
            "topic.segment_bytes" => self.topic.segment_bytes = int(v)?,
            "topic.segment_ms" => self.topic.segment_ms = int(v)?,
            "replication.brokers" => self.replication.brokers = int(v)?,
            "replication.factor" => self.replication.factor = int(v)?,
            "replication.min_insync_replicas" => self.replication.min_insync_replicas = int(v)?,
            "replication.unclean_leader_election" => self.replication.unclean_leader_election = flag(v)?,
            "replication.fetch_ms" => self.replication.fetch_ms = int(v)?,
            "replication.detection_ms" => self.replication.detection_ms = int(v)?,
            "transactions.enabled" => self.transactions.enabled = flag(v)?,
            "outbox.mode" => self.outbox.mode = choice(v)?,
            "chaos.enabled" => self.chaos.enabled = flag(v)?,
            "chaos.mean_gap_ms" => self.chaos.mean_gap_ms = int(v)?,
            "chaos.until_ms" => self.chaos.until_ms = int(v)?,
            "outbox.crash_probability" => self.outbox.crash_probability = num(v)?,
            "outbox.relay_interval_ms" => self.outbox.relay_interval_ms = int(v)?,
            "transactions.commit_interval_ms" => self.transactions.commit_interval_ms = int(v)?,
            "transactions.timeout_ms" => self.transactions.timeout_ms = int(v)?,
            "transactions.isolation" => self.transactions.isolation = choice(v)?,
            "transactions.external_effect" => self.transactions.external_effect = flag(v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The patterns' settings: the event-sourced bank, the shop, the schema registry.
    fn read_pattern_setting(&self, path: &str) -> Option<Value> {
        Some(match path {
            "sourcing.enabled" => self.sourcing.enabled.into(),
            "shop.enabled" => self.shop.enabled.into(),
            "shop.reads_per_write" => self.shop.reads_per_write.into(),
            "shop.stock" => self.shop.stock.into(),
            "shop.customers" => self.shop.customers.into(),
            "schema.enabled" => self.schema.enabled.into(),
            "schema.mode" => json(self.schema.mode),
            "schema.reader_version" => self.schema.reader_version.into(),
            "sourcing.snapshot_every" => self.sourcing.snapshot_every.into(),
            "sourcing.v1_until_ms" => self.sourcing.v1_until_ms.into(),
            "sourcing.projection_bug" => self.sourcing.projection_bug.into(),
            "sourcing.resend_probability" => self.sourcing.resend_probability.into(),
            "sourcing.handle_ms" => self.sourcing.handle_ms.into(),
            "sourcing.version_check" => self.sourcing.version_check.into(),
            _ => return None,
        })
    }

    /// The patterns' settings; false for any other path.
    fn write_pattern_setting(&mut self, path: &str, v: &Value) -> Result<bool, String> {
        match path {
            "sourcing.enabled" => self.sourcing.enabled = flag(v)?,
            "shop.enabled" => self.shop.enabled = flag(v)?,
            "shop.reads_per_write" => self.shop.reads_per_write = int(v)?,
            "shop.stock" => self.shop.stock = int(v)?,
            "shop.customers" => self.shop.customers = int(v)?,
            "schema.enabled" => self.schema.enabled = flag(v)?,
            "schema.mode" => self.schema.mode = choice(v)?,
            "schema.reader_version" => self.schema.reader_version = int(v)?,
            "sourcing.snapshot_every" => self.sourcing.snapshot_every = int(v)?,
            "sourcing.v1_until_ms" => self.sourcing.v1_until_ms = int(v)?,
            "sourcing.projection_bug" => self.sourcing.projection_bug = flag(v)?,
            "sourcing.resend_probability" => self.sourcing.resend_probability = num(v)?,
            "sourcing.handle_ms" => self.sourcing.handle_ms = int(v)?,
            "sourcing.version_check" => self.sourcing.version_check = flag(v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The payments API's and the circuit breaker's settings.
    fn read_downstream_setting(&self, path: &str) -> Option<Value> {
        let (d, b) = (&self.downstream, &self.breaker.config);
        Some(match path {
            "downstream.capacity_per_sec" => opt_json(d.capacity_per_sec),
            "downstream.burst" => opt_json(d.burst),
            "downstream.outage" => d.outage.into(),
            "downstream.slow_factor" => d.slow_factor.into(),
            "breaker.enabled" => self.breaker.enabled.into(),
            "breaker.when_open" => json(self.breaker.when_open),
            "breaker.config.failure_rate_threshold" => f64::from(b.failure_rate_threshold).into(),
            "breaker.config.slow_call_rate_threshold" => f64::from(b.slow_call_rate_threshold).into(),
            "breaker.config.slow_call_duration_threshold_ms" => b.slow_call_duration_threshold_ms.into(),
            "breaker.config.sliding_window_type" => json(b.sliding_window_type),
            "breaker.config.sliding_window_size" => b.sliding_window_size.into(),
            "breaker.config.minimum_number_of_calls" => b.minimum_number_of_calls.into(),
            "breaker.config.wait_duration_in_open_state_ms" => b.wait_duration_in_open_state_ms.into(),
            "breaker.config.permitted_number_of_calls_in_half_open_state" => {
                b.permitted_number_of_calls_in_half_open_state.into()
            }
            "breaker.config.max_wait_duration_in_half_open_state_ms" => {
                b.max_wait_duration_in_half_open_state_ms.into()
            }
            "breaker.config.automatic_transition_from_open_to_half_open_enabled" => {
                b.automatic_transition_from_open_to_half_open_enabled.into()
            }
            _ => return None,
        })
    }

    fn write_downstream_setting(&mut self, path: &str, v: &Value) -> Result<bool, String> {
        let (d, b) = (&mut self.downstream, &mut self.breaker.config);
        match path {
            "downstream.capacity_per_sec" => d.capacity_per_sec = opt(v)?,
            "downstream.burst" => d.burst = opt(v)?,
            "downstream.outage" => d.outage = flag(v)?,
            "downstream.slow_factor" => d.slow_factor = int(v)?,
            "breaker.enabled" => self.breaker.enabled = flag(v)?,
            "breaker.when_open" => self.breaker.when_open = choice(v)?,
            "breaker.config.failure_rate_threshold" => b.failure_rate_threshold = num(v)? as f32,
            "breaker.config.slow_call_rate_threshold" => b.slow_call_rate_threshold = num(v)? as f32,
            "breaker.config.slow_call_duration_threshold_ms" => b.slow_call_duration_threshold_ms = int(v)?,
            "breaker.config.sliding_window_type" => b.sliding_window_type = choice(v)?,
            "breaker.config.sliding_window_size" => b.sliding_window_size = int(v)?,
            "breaker.config.minimum_number_of_calls" => b.minimum_number_of_calls = int(v)?,
            "breaker.config.wait_duration_in_open_state_ms" => b.wait_duration_in_open_state_ms = int(v)?,
            "breaker.config.permitted_number_of_calls_in_half_open_state" => {
                b.permitted_number_of_calls_in_half_open_state = int(v)?
            }
            "breaker.config.max_wait_duration_in_half_open_state_ms" => {
                b.max_wait_duration_in_half_open_state_ms = int(v)?
            }
            "breaker.config.automatic_transition_from_open_to_half_open_enabled" => {
                b.automatic_transition_from_open_to_half_open_enabled = flag(v)?
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
