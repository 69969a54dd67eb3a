//! What the engine measures beyond the ledger: chart samples.

pub mod sample;
pub mod stats;
