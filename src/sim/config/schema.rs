//! The schema registry in a run (`schema`): the events' Avro schema versions, the subject's
//! compatibility mode (Confluent Schema Registry's), and the version the consumers read with. The
//! producer writes with version 1 until `Command::DeploySchema` deploys another: the registry
//! registers it if the mode allows, and refuses it otherwise (the producer keeps its version). A
//! message the consumers' reader schema cannot read is a poison message: it fails to decode,
//! every time, and goes to the dead-letter queue. Off by default: then the section is left out
//! of the JSON and out of the fingerprint.

use crate::sim::patterns::schema::{parse_value, Mode};
use serde::{Deserialize, Serialize};

/// The most schema versions a scenario may list.
pub const MAX_VERSIONS: usize = 8;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchemaConfig {
    pub enabled: bool,
    /// The subject's compatibility mode (Confluent's default is BACKWARD).
    pub mode: Mode,
    /// The event's schema versions, oldest first: Avro schemas as JSON. Version 1 is registered
    /// when the run starts and the producer writes with it.
    pub versions: Vec<serde_json::Value>,
    /// The version the consumers decode with (1-based).
    pub reader_version: u32,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        SchemaConfig { enabled: false, mode: Mode::Backward, versions: Vec::new(), reader_version: 1 }
    }
}

impl SchemaConfig {
    /// Whether it is left as it is by default: then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == SchemaConfig::default()
    }
}

/// What is wrong with the section: the field named, and why.
pub fn refusal(s: &SchemaConfig) -> Option<(&'static str, String)> {
    if !s.enabled {
        return None;
    }
    if s.versions.is_empty() || s.versions.len() > MAX_VERSIONS {
        return Some(("schema.versions", format!("list 1 to {MAX_VERSIONS} Avro schemas (got {})", s.versions.len())));
    }
    for (i, v) in s.versions.iter().enumerate() {
        if let Err(e) = parse_value(v) {
            return Some(("schema.versions", format!("version {} is not a valid Avro schema: {e}", i + 1)));
        }
    }
    let n = s.versions.len();
    let r = s.reader_version;
    (r == 0 || r as usize > n)
        .then(|| ("schema.reader_version", format!("must be a listed version, 1 to {n} (got {r})")))
}

/// Why producer schema version `version` cannot be deployed.
pub fn deploy_refusal(s: &SchemaConfig, version: u32) -> Option<String> {
    if !s.enabled {
        return Some("the schema registry is off (schema.enabled): there is no version to deploy".into());
    }
    let n = s.versions.len();
    (version == 0 || version as usize > n).then(|| format!("must be a listed version, 1 to {n} (got {version})"))
}
