//! Brokers: where produced messages wait to be delivered. Every broker serves the consumer
//! pipeline through the delivery seam (`delivery.rs`); the Kafka-like log is the first kind;
//! the RabbitMQ-like queue broker (`amqp/`, AMQP 0-9-1 as RabbitMQ runs it) the second: its work
//! queue (`amqp/work_queue.rs`) serves the pipeline when a scenario's broker is the queue.
//! `brokers.rs` puts both behind one seam; `routes.rs` is where its exchange sends each event
//! type.

pub mod amqp;
pub mod brokers;
pub mod delivery;
pub mod log;
pub mod routes;
