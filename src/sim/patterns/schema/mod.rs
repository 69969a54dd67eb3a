//! Apache Avro schemas for EDA Lab: parsing, reader/writer compatibility
//! exactly as Avro's Java `SchemaCompatibility` decides it, and Confluent
//! Schema Registry compatibility modes.
//!
//! * [`avro`]: the schema model (an arena of nodes) and [`parse`];
//! * [`compat`]: [`check`]`(reader, writer)`, a port of Java's
//!   `ReaderWriterCompatibilityChecker` reporting every incompatibility with
//!   Java's kind, message and JSON-pointer location;
//! * [`registry`]: BACKWARD/FORWARD/FULL (+ `_TRANSITIVE`) and NONE over a
//!   version history, and a small [`Subject`] that registers versions.
//!
//! The reference is Avro 1.12 (Java, and the Python port where Java is
//! silent). Every deliberate deviation is documented where it is made.
//! Everything is deterministic (`BTreeMap`, no hashing) and panic-free on
//! any input: nesting is capped at [`MAX_DEPTH`] levels so untrusted text
//! from the CLI or the browser can never overflow the stack.

pub mod avro;
pub mod compat;
mod defaults;
pub mod deployment;
mod parser;
pub mod registry;
pub mod sample;

pub use avro::{
    parse, Field, Kind, Name, Named, Node, NodeId, Order, Props, Schema, SchemaError, SchemaErrorKind, MAX_DEPTH,
};
pub use compat::{
    check, Compatibility, Incompatibility, IncompatibilityKind, MAX_CHECK_DEPTH, MAX_FRAGMENT_BYTES,
    MAX_INCOMPATIBILITIES,
};
pub use parser::parse_value;
pub use registry::{check_against, verdict, Direction, Mode, Refusal, Subject, UnknownMode, Verdict, VersionCheck};
