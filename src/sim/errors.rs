//! Typed errors of the engine's inputs: scenarios, commands and replayed command logs. Each variant
//! says what is wrong in terms a user can act on; `Display` gives the sentence the page and the CLI
//! show. This file depends on nothing else in the engine but the id types.

use crate::sim::ids::ConsumerId;
use crate::sim::kernel::numfmt::Fixed;
use std::fmt;

/// What is wrong with a scenario: the field's path and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is not a scenario: JSON syntax, not an object, an unknown field or a wrong type.
    /// The message names the field's path where there is one.
    Parse(String),
    /// A field holds a value outside its allowed range.
    Invalid { field: String, message: String },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Parse(m) => f.write_str(m),
            ScenarioError::Invalid { field, message } => write!(f, "{field}: {message}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Why a setting cannot take a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingError {
    /// Not a value the setting takes (its range, its choices), or a setting that does not apply.
    Value(String),
    /// The scenario the value would make is invalid: a rule between settings (the idempotent
    /// producer's), or a setting the value carries (the auto-commit interval).
    Scenario(ScenarioError),
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingError::Value(m) => f.write_str(m),
            SettingError::Scenario(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SettingError {}

/// Why a command was refused. Nothing is recorded or changed when it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    /// A field of the command is outside its allowed range.
    Invalid { field: &'static str, message: String },
    /// The command names a consumer the group does not have.
    NoSuchConsumer { consumer: ConsumerId, consumers: usize },
    /// The group already has the largest number of consumers the engine allows.
    GroupFull { max: u32 },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Invalid { field, message } => write!(f, "{field} {message}"),
            CommandError::NoSuchConsumer { consumer, consumers } => {
                write!(f, "there is no consumer {consumer} (the group has {consumers})")
            }
            CommandError::GroupFull { .. } => f.write_str("the group already has the maximum number of consumers"),
        }
    }
}

impl std::error::Error for CommandError {}

/// A run stopped because it processed too many events at one instant of simulated time: something
/// repeats with no time step, and the run would never get past that instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stuck {
    pub at_us: u64,
    /// Events processed at that instant.
    pub events: u64,
    /// The likely cause, in plain words, naming the settings.
    pub cause: String,
}

impl fmt::Display for Stuck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the run is stuck at {} s of simulated time: {} events at that one instant, and time does not advance. \
             Likely cause: {}",
            Fixed(self.at_us as f64 / 1e6, 3),
            self.events,
            self.cause
        )
    }
}

impl std::error::Error for Stuck {}

/// Why a recorded command log cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The scenario itself is invalid.
    Scenario(ScenarioError),
    /// Command `index` is stamped earlier than the one before it.
    OutOfOrder { index: usize, at_us: u64, after_events: u64 },
    /// Command `index` expects more events before its time than the run has.
    EventsMissing { index: usize, at_us: u64, after_events: u64 },
    /// Command `index` was refused.
    Command { index: usize, error: CommandError },
    /// The run used up its event budget before reaching its end time.
    EventBudget { events: u64, at_us: u64 },
    /// The run stopped at one instant it could not get past.
    Stuck(Stuck),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Scenario(e) => write!(f, "{e}"),
            ReplayError::OutOfOrder { index, at_us, after_events } => {
                write!(f, "command {index} is out of order (at {at_us}us after {after_events} events)")
            }
            ReplayError::EventsMissing { index, at_us, after_events } => {
                write!(f, "command {index} expects {after_events} events before {at_us}us")
            }
            ReplayError::Command { index, error } => write!(f, "command {index}: {error}"),
            ReplayError::EventBudget { events, at_us } => write!(
                f,
                "the run stopped at its event budget: {events} events by {} s of simulated time \
                 (raise it with --max-events, or shorten --until)",
                Fixed(*at_us as f64 / 1e6, 3)
            ),
            ReplayError::Stuck(stuck) => stuck.fmt(f),
        }
    }
}

impl std::error::Error for ReplayError {}
