//! Confluent Schema Registry compatibility modes, as
//! `io.confluent.kafka.schemaregistry.CompatibilityChecker` wires them:
//!
//! * BACKWARD = `canReadStrategy().validateLatest()`: the new schema, as
//!   reader, reads data written with the latest version
//!   (`newSchema.isBackwardCompatible(latest)`, i.e. Avro's
//!   `checkReaderWriterCompatibility(new, latest)`);
//! * FORWARD = `canBeReadStrategy()`: the latest version, as reader, reads
//!   data written with the new schema;
//! * FULL = `mutualReadStrategy()`: forward, then backward;
//! * `*_TRANSITIVE` = `validateAll()`: the same against every registered
//!   version, newest first, instead of only the latest;
//! * NONE = no check.
//!
//! Confluent's `validateAll` stops at the first failing version; we run all
//! of them so callers can show every problem. The verdict is the same.

use std::fmt;
use std::str::FromStr;

use super::avro::Schema;
use super::compat::{check, Compatibility};

/// A subject's compatibility mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

impl Mode {
    /// All modes, in Confluent's documentation order.
    pub const ALL: [Mode; 7] = [
        Mode::Backward,
        Mode::BackwardTransitive,
        Mode::Forward,
        Mode::ForwardTransitive,
        Mode::Full,
        Mode::FullTransitive,
        Mode::None,
    ];

    /// Confluent's spelling, e.g. `BACKWARD_TRANSITIVE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Backward => "BACKWARD",
            Mode::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Mode::Forward => "FORWARD",
            Mode::ForwardTransitive => "FORWARD_TRANSITIVE",
            Mode::Full => "FULL",
            Mode::FullTransitive => "FULL_TRANSITIVE",
            Mode::None => "NONE",
        }
    }

    /// Whether every registered version is checked, not only the latest.
    pub fn transitive(self) -> bool {
        matches!(self, Mode::BackwardTransitive | Mode::ForwardTransitive | Mode::FullTransitive)
    }

    fn directions(self) -> &'static [Direction] {
        match self {
            Mode::Backward | Mode::BackwardTransitive => &[Direction::Backward],
            Mode::Forward | Mode::ForwardTransitive => &[Direction::Forward],
            // Confluent's mutualReadStrategy checks forward first.
            Mode::Full | Mode::FullTransitive => &[Direction::Forward, Direction::Backward],
            Mode::None => &[],
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unrecognised mode name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMode(pub String);

impl fmt::Display for UnknownMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown compatibility mode {:?}: expected one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE",
            self.0
        )
    }
}

impl std::error::Error for UnknownMode {}

impl FromStr for Mode {
    type Err = UnknownMode;

    /// Case-insensitive; `-` is accepted for `_` (`backward-transitive`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase().replace('-', "_");
        Mode::ALL.into_iter().find(|m| m.as_str() == wanted).ok_or_else(|| UnknownMode(s.to_string()))
    }
}

/// Which way one check reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    /// The new schema is the reader; the registered version wrote the data.
    Backward,
    /// The registered version is the reader; the new schema wrote the data.
    Forward,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Backward => "BACKWARD",
            Direction::Forward => "FORWARD",
        })
    }
}

/// One check: index into the history (0 = first registered), direction,
/// and the reader/writer verdict.
pub type VersionCheck = (usize, Direction, Compatibility);

/// Runs the checks `mode` requires of `new` against `history` (oldest
/// first), newest version first as Confluent does.
pub fn check_against(mode: Mode, history: &[Schema], new: &Schema) -> Vec<VersionCheck> {
    let versions: Vec<usize> = if mode.transitive() {
        (0..history.len()).rev().collect()
    } else {
        history.len().checked_sub(1).into_iter().collect()
    };
    let mut out = Vec::new();
    for index in versions {
        let Some(old) = history.get(index) else {
            continue;
        };
        for direction in mode.directions() {
            let result = match direction {
                Direction::Backward => check(new, old),
                Direction::Forward => check(old, new),
            };
            out.push((index, *direction, result));
        }
    }
    out
}

/// The outcome of checking a candidate schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub checks: Vec<VersionCheck>,
}

/// [`check_against`] plus the overall verdict: allowed iff every check is
/// compatible (trivially so for NONE or an empty history).
pub fn verdict(mode: Mode, history: &[Schema], new: &Schema) -> Verdict {
    let checks = check_against(mode, history, new);
    Verdict { allowed: checks.iter().all(|(_, _, c)| c.compatible), checks }
}

/// A registry subject: a name, a mode and its versions, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    pub name: String,
    pub mode: Mode,
    pub versions: Vec<Schema>,
}

/// Why [`Subject::register`] refused a schema: the failing checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub subject: String,
    pub mode: Mode,
    pub failures: Vec<VersionCheck>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Schema being registered is incompatible with an earlier schema for subject {:?} ({})",
            self.subject, self.mode
        )?;
        for (index, direction, result) in &self.failures {
            for problem in &result.incompatibilities {
                write!(f, "; version {} {direction}: {problem}", index + 1)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

impl Subject {
    pub fn new(name: impl Into<String>, mode: Mode) -> Subject {
        Subject { name: name.into(), mode, versions: Vec::new() }
    }

    /// The latest registered version.
    pub fn latest(&self) -> Option<&Schema> {
        self.versions.last()
    }

    /// Registers `schema` and returns its version number, 1-based as in
    /// Confluent. A schema identical to any registered version (same parsed
    /// form) returns that version without a check, as Confluent does before
    /// it looks at compatibility.
    pub fn register(&mut self, schema: Schema) -> Result<usize, Refusal> {
        if let Some(index) = self.versions.iter().position(|v| *v == schema) {
            return Ok(index + 1);
        }
        let outcome = verdict(self.mode, &self.versions, &schema);
        if !outcome.allowed {
            let failures = outcome.checks.into_iter().filter(|(_, _, c)| !c.compatible).collect();
            return Err(Refusal { subject: self.name.clone(), mode: self.mode, failures });
        }
        self.versions.push(schema);
        Ok(self.versions.len())
    }
}
