//! Messaging patterns built on the brokers: the dead-letter queue.

pub mod dlq;
