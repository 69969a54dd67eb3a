//! Brokers: where produced messages wait to be delivered. The Kafka-like log is the first kind.

pub mod log;
