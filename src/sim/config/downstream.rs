//! The downstream service the consumers call (the payments API that charges the card) and the
//! circuit breaker in front of it: settings only. The service's behaviour is in
//! `sim::downstream`, the breaker's in `policy::circuit_breaker`, the wiring in
//! `client/call.rs`.

use crate::sim::policy::circuit_breaker::CircuitBreakerConfig;
use serde::{Deserialize, Serialize};

/// The payments API: how much it serves and the faults it suffers. Each processing attempt is
/// one call to it; the call's time is the processing time (`processing.service`) and a healthy
/// call fails with `processing.failure_probability`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DownstreamConfig {
    /// Calls per second the API accepts (a token-bucket rate limiter, as API gateways throttle:
    /// a steady rate and a burst); a call above it is refused at once with 429 Too Many Requests.
    /// None: unlimited.
    pub capacity_per_sec: Option<u64>,
    /// Calls the rate limiter accepts at once after a quiet spell (the bucket's size). None: a
    /// second's worth (`capacity_per_sec`). A small burst is what a herd of clients retrying at
    /// the same instant runs into.
    pub burst: Option<u64>,
    /// The API is down: every call started meanwhile fails with 503 Service Unavailable after
    /// its usual time. A fault, switched on and off by the fault schedule or a live command.
    pub outage: bool,
    /// Slow mode: every call started meanwhile takes this many times as long (1: normal).
    pub slow_factor: u32,
}

impl Default for DownstreamConfig {
    fn default() -> Self {
        DownstreamConfig { capacity_per_sec: None, burst: None, outage: false, slow_factor: 1 }
    }
}

/// What a consumer does with a delivery while the breaker refuses calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenOpen {
    /// Pause: the consumer keeps the delivery and waits (still polling, so it stays in the
    /// group) until the breaker lets a call through: lag grows, nothing is lost.
    #[default]
    Pause,
    /// Fail fast: the refused call is a failed attempt (resilience4j's
    /// `CallNotPermittedException`), handled by the retry policy and the dead-letter queue.
    FailFast,
}

/// The circuit breaker around the downstream call: off, or resilience4j's breaker with these
/// settings (its defaults), shared by every consumer (one breaker instance from the app's
/// registry, as consumer threads of one service share it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakerSettings {
    pub enabled: bool,
    pub when_open: WhenOpen,
    pub config: CircuitBreakerConfig,
}
