//! The schema registry as a run uses it: which version the producer writes each message with,
//! the subject's registered versions, each deploy the registry accepted or refused, and whether
//! the consumers' reader schema can read what each version wrote (Avro schema resolution,
//! `compat.rs`). A message it cannot read fails to decode on every attempt: a poison message.

use super::compat::{check, Compatibility};
use super::registry::{Mode, Subject};
use super::{parse_value, Schema};
use crate::sim::ids::MessageId;

/// One deploy of a producer schema version, as the registry answered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deploy {
    pub at_us: u64,
    pub version: u32,
    pub mode: Mode,
    /// Registered: the producer writes with it from now on. Refused: why, one line per reason.
    pub refused: Vec<String>,
}

/// At most this many deploys are remembered (the newest), so memory stays bounded.
const DEPLOYS_KEPT: usize = 32;

#[derive(Clone, Debug, Default)]
pub struct Deployment {
    schemas: Vec<Schema>,
    subject: Option<Subject>,
    /// `compat[r][w]`: whether version r + 1 reads what version w + 1 wrote, and why not.
    compat: Vec<Vec<Compatibility>>,
    writer: u32,
    /// From which message on each writer version was used, ascending.
    since: Vec<(MessageId, u32)>,
    deploys: Vec<Deploy>,
    /// Decode attempts that failed.
    pub undecodable: u64,
}

impl Deployment {
    /// The registry of a run: version 1 registered under `mode` (nothing when `versions` is
    /// empty: the schema registry is off).
    pub fn new(versions: &[serde_json::Value], mode: Mode) -> Self {
        let schemas: Vec<Schema> = versions.iter().filter_map(|v| parse_value(v).ok()).collect();
        let Some(first) = schemas.first().cloned() else { return Deployment::default() };
        let mut subject = Subject::new("orders-value", mode);
        let _ = subject.register(first); // the first version of a subject is always accepted
        let compat = schemas.iter().map(|r| schemas.iter().map(|w| check(r, w)).collect()).collect();
        Deployment { schemas, subject: Some(subject), compat, writer: 1, ..Deployment::default() }
    }

    /// How many versions the scenario lists.
    pub fn versions(&self) -> u32 {
        self.schemas.len() as u32
    }

    /// The version the producer writes with now.
    pub fn writer(&self) -> u32 {
        self.writer
    }

    /// The versions registered in the subject, oldest first, as scenario version numbers.
    pub fn registered(&self) -> Vec<u32> {
        let Some(subject) = &self.subject else { return Vec::new() };
        subject.versions.iter().filter_map(|v| self.schemas.iter().position(|s| s == v)).map(|i| i as u32 + 1).collect()
    }

    /// Every deploy so far (the newest few), oldest first.
    pub fn deploys(&self) -> &[Deploy] {
        &self.deploys
    }

    /// The producer wrote `msg` with the current version.
    pub fn wrote(&mut self, msg: MessageId) {
        if self.since.last().is_none_or(|&(_, v)| v != self.writer) {
            self.since.push((msg, self.writer));
        }
    }

    /// The version `msg` was written with (1 before any message was).
    pub fn writer_of(&self, msg: MessageId) -> u32 {
        let i = self.since.partition_point(|&(m, _)| m <= msg);
        i.checked_sub(1).and_then(|i| self.since.get(i)).map_or(1, |&(_, v)| v)
    }

    /// Whether reader version `reader` reads what writer version `writer` wrote, and why not.
    pub fn compatibility(&self, reader: u32, writer: u32) -> Option<&Compatibility> {
        let at = |v: u32| (v as usize).checked_sub(1);
        self.compat.get(at(reader)?)?.get(at(writer)?)
    }

    /// A consumer reading with `reader` tries to decode `msg`: true when it cannot.
    pub fn undecodable(&mut self, msg: MessageId, reader: u32) -> bool {
        let writer = self.writer_of(msg);
        let fails = self.compatibility(reader, writer).is_some_and(|c| !c.compatible);
        self.undecodable += u64::from(fails);
        fails
    }

    /// Deploys a producer writing with `version` under the subject's `mode`: the registry
    /// registers it, or refuses it and the producer keeps the version it has.
    pub fn deploy(&mut self, version: u32, mode: Mode, at_us: u64) -> bool {
        let registered = self.registered();
        let Some(subject) = self.subject.as_mut() else { return false };
        let Some(schema) = (version as usize).checked_sub(1).and_then(|i| self.schemas.get(i)) else { return false };
        subject.mode = mode;
        let refused = match subject.register(schema.clone()) {
            Ok(_) => {
                self.writer = version;
                Vec::new()
            }
            Err(refusal) => refusal
                .failures
                .iter()
                .flat_map(|(index, direction, c)| {
                    let v = registered.get(*index).copied().unwrap_or(*index as u32 + 1);
                    c.incompatibilities.iter().map(move |i| format!("{direction} against v{v}: {i}"))
                })
                .collect(),
        };
        if self.deploys.len() == DEPLOYS_KEPT {
            self.deploys.remove(0);
        }
        let accepted = refused.is_empty();
        self.deploys.push(Deploy { at_us, version, mode, refused });
        accepted
    }
}
