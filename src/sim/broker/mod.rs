//! Brokers: where produced messages wait to be delivered. Every broker serves the consumer
//! pipeline through the delivery seam (`delivery.rs`); the Kafka-like log is the first kind.

pub mod delivery;
pub mod log;
