//! The same event in Avro binary (bare and in Confluent's framing), Protobuf and JSON, checked
//! byte for byte against the real libraries (`check.py` regenerates `verified.rs` from them).

mod behaviour;
mod cases;
mod props;
mod verified;
