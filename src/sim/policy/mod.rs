//! Policies applied around a delivery or a call: the dedup store and the circuit breaker.

pub mod circuit_breaker;
pub mod dedup;
