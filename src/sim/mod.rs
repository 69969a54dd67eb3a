//! The deterministic engine. Pure Rust: no web APIs, no wall clock, no unseeded randomness and no
//! hash-ordered iteration. A run is a function of (scenario, seed, command log).
//!
//! The tree follows the design's layers: `kernel` (time, scheduling, randomness, tracing) and
//! `ledger` (the ground truth of every message) know nothing of brokers or clients; `ids` names
//! messages, consumers and partitions; `config` describes runs; `broker` holds the Kafka-like log;
//! `client` the producer and the consumer pipeline; `policy` and `patterns` the dedup store and the
//! dead-letter queue; `engine` wires them.

pub mod broker;
pub mod client;
pub mod command;
pub mod command_log;
pub mod compare;
pub mod config;
pub mod ctx;
pub mod downstream;
pub mod engine;
pub mod errors;
pub mod event;
pub mod explain;
pub mod ids;
pub mod journal;
pub mod journey;
pub mod kernel;
pub mod ledger;
pub mod lessons;
pub mod metrics;
pub mod narrate;
pub mod patterns;
pub mod policy;
pub mod report;
pub mod share;
pub mod timeline;

// Short paths for the drivers (the page, the command line, the tests).
pub use broker::log::{group, partition, partitioner};
pub use client::consumer;
pub use command::{Command, StampedCommand};
pub use config::{builtins, scenario};
pub use engine::{JourneyView, RunStatus, Simulation, Stats};
pub use errors::{CommandError, ReplayError, Stuck};
pub use ids::{ConsumerId, MessageId, PartitionId};
pub use kernel::{rng, time, trace};
pub use ledger::{LossReason, Outcome};
pub use patterns::dlq;
pub use policy::dedup;
pub use scenario::{Scenario, ScenarioError};
pub use time::SimTime;
