//! Settings in the integer and ratio forms the hot path uses.

use crate::sim::config::scenario::Scenario;
use crate::sim::kernel::rng::Probability;
use crate::sim::kernel::time::SimDuration;

/// Settings in the integer and ratio forms the hot path uses, derived from the scenario whenever
/// a command changes it. The scenario stays the single source of truth.
#[derive(Clone, Copy, Debug, Default)]
pub struct Knobs {
    /// Mean gap between messages in microseconds (0 = producer stopped).
    pub mean_gap_us: f64,
    pub service_mean_us: f64,
    pub fail_p: Probability,
    /// The share of poison messages.
    pub poison_p: Probability,
    pub crash_p: Probability,
    pub request_loss_p: Probability,
    pub ack_loss_p: Probability,
    pub hot_key_p: Probability,
    /// One-way network delay between producer and broker.
    pub latency: SimDuration,
    /// How long the producer waits for an acknowledgement.
    pub timeout: SimDuration,
    pub dedup_ttl: Option<SimDuration>,
}

impl Knobs {
    pub fn from(s: &Scenario) -> Self {
        let rate = s.producer.rate_per_sec;
        Knobs {
            mean_gap_us: if rate > 0.0 { 1e6 / rate } else { 0.0 },
            service_mean_us: s.processing.service.mean_ms * 1e3,
            fail_p: Probability::from_f64(s.processing.failure_probability),
            poison_p: Probability::from_f64(s.processing.poison_probability),
            crash_p: Probability::from_f64(s.consumers.crash.probability),
            request_loss_p: Probability::from_f64(s.network.request_loss),
            ack_loss_p: Probability::from_f64(s.network.ack_loss),
            hot_key_p: Probability::from_f64(s.producer.keys.hot_key_share),
            latency: SimDuration::from_ms(s.network.latency_ms),
            timeout: SimDuration::from_ms(s.producer.request_timeout_ms),
            dedup_ttl: s.idempotency.dedup_ttl_ms.map(SimDuration::from_ms),
        }
    }
}
