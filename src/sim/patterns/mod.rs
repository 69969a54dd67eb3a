//! Messaging patterns built on the brokers: the dead-letter queue and its redrive; event sourcing;
//! one event in three wire formats.

pub mod dlq;
pub mod encoding;
pub mod redrive;
pub mod schema;
pub mod shop;
pub mod sourcing;
