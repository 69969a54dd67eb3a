//! Policies applied around a delivery or a call: the dedup store, the version store, the retry
//! backoff schedule and the circuit breaker.

pub mod backoff;
pub mod circuit_breaker;
pub mod dedup;
pub mod versions;
