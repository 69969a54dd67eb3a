//! Messaging patterns built on the brokers: the dead-letter queue and its redrive.

pub mod dlq;
pub mod redrive;
