//! Writing one described setting into a typed scenario. The settings' description (`settings.rs`)
//! says what each setting is and takes; this file only maps its path to the field, so that changing
//! a setting needs no JSON round trip of the whole scenario (which would put a second deserializer of
//! every scenario type into the page's bundle). A unit test in `settings.rs` writes every setting.

use super::scenario::Scenario;
use serde::de::DeserializeOwned;
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

impl Scenario {
    /// Writes `value` (already checked against the setting's description) at `path`.
    pub(super) fn write_setting(&mut self, path: &str, v: &Value) -> Result<(), String> {
        if self.write_client_setting(path, v)? {
            return Ok(());
        }
        let (c, pr) = (&mut self.consumers, &mut self.processing);
        match path {
            "consumers.count" => c.count = int(v)?,
            "consumers.commit" => c.commit = choice(v)?,
            "consumers.commit.interval_ms" => match &mut c.commit {
                super::choices::CommitStrategy::Auto { interval_ms } => *interval_ms = int(v)?,
                _ => return Err("does not apply: the commit strategy is not auto-commit".into()),
            },
            "consumers.crash.point" => c.crash.point = choice(v)?,
            "consumers.crash.probability" => c.crash.probability = num(v)?,
            "consumers.crash.restart_delay_ms" => c.crash.restart_delay_ms = opt(v)?,
            "consumers.session_timeout_ms" => c.session_timeout_ms = int(v)?,
            "consumers.rebalance_ms" => c.rebalance_ms = int(v)?,
            "processing.service.distribution" => pr.service.distribution = choice(v)?,
            "processing.service.mean_ms" => pr.service.mean_ms = num(v)?,
            "processing.failure_probability" => pr.failure_probability = num(v)?,
            "processing.retry.max_retries" => pr.retry.max_retries = int(v)?,
            "processing.retry.backoff_ms" => pr.retry.backoff_ms = int(v)?,
            "processing.retry.multiplier" => pr.retry.multiplier = int(v)?,
            "processing.retry.mode" => pr.retry.mode = choice(v)?,
            "idempotency.mode" => self.idempotency.mode = choice(v)?,
            "idempotency.dedup_ttl_ms" => self.idempotency.dedup_ttl_ms = opt(v)?,
            "metrics.sample_interval_ms" => self.metrics.sample_interval_ms = int(v)?,
            "metrics.history" => self.metrics.history = int(v)?,
            "metrics.journal" => self.metrics.journal = int(v)?,
            "metrics.recent_messages" => self.metrics.recent_messages = int(v)?,
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
            "producer.unkeyed" => p.unkeyed = choice(v)?,
            "producer.acks" => p.acks = choice(v)?,
            "producer.retries" => p.retries = int(v)?,
            "producer.retry_backoff_ms" => p.retry_backoff_ms = int(v)?,
            "producer.request_timeout_ms" => p.request_timeout_ms = int(v)?,
            "producer.idempotent" => p.idempotent = flag(v)?,
            "network.latency_ms" => self.network.latency_ms = int(v)?,
            "network.request_loss" => self.network.request_loss = num(v)?,
            "network.ack_loss" => self.network.ack_loss = num(v)?,
            "topic.partitions" => self.topic.partitions = int(v)?,
            "topic.retention_ms" => self.topic.retention_ms = opt(v)?,
            "topic.retention_check_ms" => self.topic.retention_check_ms = int(v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}
