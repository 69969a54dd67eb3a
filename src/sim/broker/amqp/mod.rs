//! The queue broker (RabbitMQ-like, following RabbitMQ 3.10): exchanges of the four types and
//! their routing (`exchange.rs`, `topic.rs`, `headers.rs`), queues with TTL, length limits and
//! delivery limits (`queue.rs`), dead-lettering with `x-death` (`dead_letter.rs`), the broker
//! that holds them (`broker.rs`), and deterministic scripts that drive it step by step
//! (`script.rs`), the same scripts a differential test runs on a real RabbitMQ server; the work
//! queue the running scenarios use (`work_queue.rs`, its events in `events.rs`).

pub mod broker;
pub mod dead_letter;
pub mod events;
pub mod exchange;
pub mod explain;
pub mod headers;
pub mod queue;
pub mod script;
pub mod topic;
pub mod work_queue;
