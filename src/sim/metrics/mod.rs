//! What the engine measures beyond the ledger: chart samples, and the alert rules checked at each.

pub mod alerts;
pub mod sample;
pub mod stats;
