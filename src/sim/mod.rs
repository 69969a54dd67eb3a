//! The deterministic engine. Pure Rust: no web APIs, no wall clock, no unseeded randomness and no
//! hash-ordered iteration. A run is a function of (scenario, seed, command log).

pub mod builtins;
pub mod command;
pub mod consumer;
pub mod dedup;
pub mod dlq;
pub mod engine;
pub mod event;
pub mod group;
pub mod history;
pub mod ledger;
pub mod partition;
pub mod partitioner;
mod processing;
mod producer;
mod rebalance;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod scheduler;
pub mod time;
pub mod trace;

pub use command::{Command, StampedCommand};
pub use engine::{CommandError, RunStatus, Simulation, Stats};
pub use ledger::{LossReason, Outcome};
pub use scenario::{Scenario, ScenarioError};
pub use time::SimTime;
