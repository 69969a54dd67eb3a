//! EDA Lab: a deterministic simulator of event-driven architecture.
//!
//! `sim` is the engine (pure, deterministic, native and wasm32). `ui` is the Yew web app (wasm32
//! only); `cli` is the native command line, `cli_breaker` its `breaker` subcommand,
//! `cli_sweep` its `sweep` subcommand, `cli_queue` its `amqp` and `route` subcommands, `cli_bench`
//! its `bench` subcommand, `cli_compare` its `compare` subcommand, `cli_lessons` its `lessons` and
//! `lesson check` subcommands, `cli_export` its `export` subcommand. `export` writes a scenario as
//! client code (pure text, on both targets: the page shows it too).

pub mod export;
pub mod seek_bench;
pub mod sim;
#[cfg(not(target_arch = "wasm32"))]
pub mod soak_bench;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_backoff;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_queue;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli_breaker;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_compare;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_export;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_lessons;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_sweep;

#[cfg(target_arch = "wasm32")]
pub mod ui;
