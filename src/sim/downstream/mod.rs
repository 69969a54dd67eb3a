//! The downstream service the consumers call: the payments API that charges the card. Each
//! processing attempt is one call; this module decides, when a call starts, whether the API
//! takes it and how it will end: refused by its rate limit (429), failing because it is down
//! (503), refusing a poison message's payload (400), or ending as a healthy call does (a transient
//! error with `processing.failure_probability`, drawn by the pipeline, or success). The faults
//! (outage, slow mode) are live settings, so the fault schedule switches them on and off.
//!
//! A call is judged when it starts: a call already running when an outage begins ends as it would
//! have, and one started during the outage fails even if the outage ends first.

pub mod rate_limit;

use crate::sim::config::downstream::DownstreamConfig;
use crate::sim::ids::MessageId;
use crate::sim::kernel::rng::{hash_below, Probability, Stream};
use crate::sim::kernel::time::SimTime;
use rate_limit::RateLimit;
use serde::Serialize;

/// Why a call (one processing attempt) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallError {
    /// A transient error of a healthy API (`processing.failure_probability`): a retry may work.
    Transient,
    /// 503 Service Unavailable: the API is down (an outage).
    Unavailable,
    /// 429 Too Many Requests: above the API's capacity.
    Overloaded,
    /// 400 Bad Request: the payload is invalid (a poison message); every attempt fails the same.
    Invalid,
    /// The consumer could not decode the message: its reader schema cannot read the version it
    /// was written with. Every attempt fails the same, and the API is not called.
    Undecodable,
    /// The circuit breaker refused the call (resilience4j's `CallNotPermittedException`): the
    /// API was not called at all.
    NotPermitted,
}

impl CallError {
    /// The error in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            CallError::Transient => "transient error",
            CallError::Unavailable => "503 API down",
            CallError::Overloaded => "429 over capacity",
            CallError::Invalid => "400 invalid payload (poison)",
            CallError::NotPermitted => "breaker open, not called",
            CallError::Undecodable => "cannot decode: reader schema cannot read it (poison)",
        }
    }
}

/// How a call that started will end, as far as the API decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallPlan {
    /// Fails with this, whatever the transient draw says.
    pub error: Option<CallError>,
    /// Takes this many times its drawn time (slow mode); 0 when it is refused at once.
    pub slow_factor: u32,
}

/// What the API saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DownstreamStats {
    /// Calls made (the breaker's refusals are not calls).
    pub downstream_calls: u64,
    /// Calls refused above capacity (429).
    pub downstream_overloaded: u64,
    /// Calls failed by an outage (503).
    pub downstream_unavailable: u64,
    /// Calls with a poison message's payload (400).
    pub downstream_invalid: u64,
}

impl std::ops::AddAssign for DownstreamStats {
    /// Calls of several subscribers' APIs together.
    fn add_assign(&mut self, o: DownstreamStats) {
        self.downstream_calls += o.downstream_calls;
        self.downstream_overloaded += o.downstream_overloaded;
        self.downstream_unavailable += o.downstream_unavailable;
        self.downstream_invalid += o.downstream_invalid;
    }
}

/// The payments API.
#[derive(Clone, Debug)]
pub struct Downstream {
    seed: u64,
    limit: RateLimit,
    stats: DownstreamStats,
}

impl Downstream {
    pub fn new(seed: u64) -> Self {
        Downstream { seed, limit: RateLimit::default(), stats: DownstreamStats::default() }
    }

    /// Whether `msg` is a poison message at this share: drawn from the seed and the id alone, so
    /// every copy and every attempt of a message agrees, and the poison messages at a smaller
    /// share are among those at a larger one.
    #[inline]
    pub fn is_poison(&self, msg: MessageId, share: Probability) -> bool {
        !share.is_zero() && hash_below(self.seed, Stream::Poison, msg.0 as u64, share)
    }

    /// A call for `msg` starts at `now`: how the API will answer it.
    #[inline]
    pub fn start_call(&mut self, now: SimTime, config: &DownstreamConfig, poison: bool) -> CallPlan {
        self.stats.downstream_calls += 1;
        if let Some(rate) = config.capacity_per_sec {
            if !self.limit.admit(now, rate, config.burst.unwrap_or(rate)) {
                self.stats.downstream_overloaded += 1;
                return CallPlan { error: Some(CallError::Overloaded), slow_factor: 0 };
            }
        }
        let error = if config.outage {
            self.stats.downstream_unavailable += 1;
            Some(CallError::Unavailable)
        } else if poison {
            self.stats.downstream_invalid += 1;
            Some(CallError::Invalid)
        } else {
            None
        };
        CallPlan { error, slow_factor: config.slow_factor.max(1) }
    }

    pub fn stats(&self) -> DownstreamStats {
        self.stats
    }
}
