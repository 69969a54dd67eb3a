//! The command log as it travels (a file for `eda-lab run --commands`, a shared link): a format
//! version and the stamped commands, `{"v": 1, "commands": [...]}`. The version lets a log written
//! today open after the format grows: a reader takes every version up to its own, and names the
//! version it cannot read instead of misreading it. A bare list of commands (the format before
//! versions) reads as version 1.

use crate::sim::command::StampedCommand;
use crate::sim::config::json_input;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The format version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandLog {
    pub v: u32,
    pub commands: Vec<StampedCommand>,
}

/// Why a command log cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandLogError {
    /// The text is not a command log (syntax, a missing or unknown field, a wrong type).
    Parse(String),
    /// Written by a newer build, in a format version this one does not know.
    Version { found: u32 },
}

impl fmt::Display for CommandLogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandLogError::Parse(m) => write!(f, "not a command log: {m}"),
            CommandLogError::Version { found } => write!(
                f,
                "v: command log format {found} is newer than this build reads (1 to {VERSION}); update EDA Lab"
            ),
        }
    }
}

impl std::error::Error for CommandLogError {}

impl CommandLog {
    pub fn new(commands: Vec<StampedCommand>) -> Self {
        CommandLog { v: VERSION, commands }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("command logs always serialize")
    }

    /// Reads a command log of any version up to [`VERSION`], or a bare list (version 1).
    pub fn parse(text: &str) -> Result<CommandLog, CommandLogError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| CommandLogError::Parse(json_input::syntax(&e)))?;
        if value.is_array() {
            let commands: Vec<StampedCommand> =
                json_input::from_value(value.clone()).map_err(CommandLogError::Parse)?;
            let written = serde_json::to_value(&commands).expect("commands always serialize");
            json_input::refuse_unknown_keys(&value, &written, "").map_err(CommandLogError::Parse)?;
            return Ok(CommandLog::new(commands));
        }
        if !value.is_object() {
            return Err(CommandLogError::Parse(
                "expected an object {\"v\": 1, \"commands\": [...]} or a list of commands".into(),
            ));
        }
        match value.get("v").and_then(serde_json::Value::as_u64) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(CommandLogError::Version { found: u32::try_from(v).unwrap_or(u32::MAX) })
            }
            Some(0) | None => return Err(CommandLogError::Parse("v: must be a format version from 1".into())),
            Some(_) => {}
        }
        let log: CommandLog = json_input::from_value(value.clone()).map_err(CommandLogError::Parse)?;
        let written = serde_json::to_value(&log).expect("command logs always serialize");
        json_input::refuse_unknown_keys(&value, &written, "").map_err(CommandLogError::Parse)?;
        Ok(log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Command;

    fn log() -> CommandLog {
        CommandLog::new(vec![StampedCommand { at_us: 5, after_events: 2, command: Command::AddConsumer }])
    }

    #[test]
    fn round_trips_with_its_version() {
        let text = log().to_json();
        assert!(text.starts_with(r#"{"v":1,"commands":["#), "{text}");
        assert_eq!(CommandLog::parse(&text).unwrap(), log());
    }

    #[test]
    fn a_bare_list_is_version_one() {
        assert_eq!(
            CommandLog::parse(r#"[{"at_us":5,"after_events":2,"command":{"type":"add_consumer"}}]"#).unwrap(),
            log()
        );
    }

    #[test]
    fn names_what_it_cannot_read() {
        let newer = CommandLog::parse(r#"{"v":2,"commands":[]}"#).unwrap_err();
        assert_eq!(newer, CommandLogError::Version { found: 2 });
        assert!(newer.to_string().starts_with("v: command log format 2 is newer"), "{newer}");
        let bad = CommandLog::parse(r#"{"v":1,"commands":[{"at_us":"soon"}]}"#).unwrap_err();
        assert!(bad.to_string().contains("at_us") || bad.to_string().contains("invalid type"), "{bad}");
        assert!(CommandLog::parse(r#"{"commands":[]}"#).unwrap_err().to_string().starts_with("not a command log: v:"));
    }
}
