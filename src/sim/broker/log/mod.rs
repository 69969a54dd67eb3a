//! The Kafka-like log broker: partitions (append-only logs with offsets), Kafka's default
//! partitioner, and the consumer group (committed offsets, assignment, rebalancing).

pub mod events;
pub mod group;
pub mod partition;
pub mod partitioner;
mod rebalance;
pub mod stats;
