//! The log broker's counters.

use serde::Serialize;

/// What the consumer group's coordinator did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GroupStats {
    pub rebalances: u64,
    /// Times a consumer without a valid committed offset applied `auto.offset.reset`.
    pub offset_resets: u64,
}

/// What the log itself did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogStats {
    /// Unconsumed records deleted by retention.
    pub retention_deleted: u64,
    /// Records the group had not committed that an offset reset to the log end passed over.
    pub reset_skipped: u64,
}
