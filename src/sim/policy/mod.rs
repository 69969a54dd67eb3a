//! Policies applied around a delivery or a call: the dedup store, the retry backoff schedule and
//! the circuit breaker.

pub mod backoff;
pub mod circuit_breaker;
pub mod dedup;
