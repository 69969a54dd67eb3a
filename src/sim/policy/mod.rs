//! Policies the consumer applies to a delivery: the dedup store.

pub mod dedup;
