//! What defines a run: the scenario (immutable once a run starts), its limits, the closed choices
//! its settings take, and the built-in scenarios.

pub mod alerts;
mod apply;
mod bench_models;
pub mod builtins;
pub mod chaos;
pub mod choices;
pub mod downstream;
pub mod json_input;
pub mod knobs;
pub mod limits;
pub mod outbox;
pub mod pattern_lessons;
pub mod producer;
pub mod queue;
pub mod replication;
pub mod rules;
pub mod scenario;
pub mod schema;
pub mod settings;
pub mod shop;
pub mod sourcing;
pub mod subscribers;
pub mod transactions;
