//! Messaging patterns built on the brokers: the dead-letter queue and its redrive; event sourcing.

pub mod dlq;
pub mod redrive;
pub mod sourcing;
