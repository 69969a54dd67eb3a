//! The clients of the broker: the producer, the consumers and the consumer pipeline in which every
//! delivery guarantee is decided.

pub mod breaker;
mod call;
pub mod consumer;
mod dead_letter;
pub mod events;
pub mod failures;
mod membership;
pub mod order;
pub mod pipeline;
pub mod producer;
pub mod retry;
pub mod stats;
pub mod transactions;
