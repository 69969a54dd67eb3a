//! The page's bound on a backlog that grows without end. When the consumers fall behind the
//! producer for good (a rate far above what they can process), the messages in flight grow with
//! every simulated second, and at Fast-forward that is millions a minute: each one held in the
//! tab's memory (about 600 bytes with its journey) until the tab runs out and dies. The page
//! stops the run at [`PAGE_MAX_IN_FLIGHT`] messages in flight, the run and the comparison's lanes
//! together, and says why; the command line, on the user's own machine, has no such bound.

use super::runtime::Runtime;
use super::state::Notice;

/// Most messages in flight the page holds, over the run and its comparison's lanes: about 60 MB of
/// the tab's memory (in Chromium about 600 bytes a message with its journey; the time-travel
/// snapshots hold at most `MAX_SNAPSHOT_MESSAGES` more).
pub const PAGE_MAX_IN_FLIGHT: u64 = 100_000;

/// The messages in flight in the run and in each lane of its comparison.
fn in_flight(rt: &Runtime) -> u64 {
    let lanes = rt.compare.iter().flat_map(|c| c.comparison.lanes().map(|(_, sim)| sim.ledger().counts().in_flight));
    rt.sim.ledger().counts().in_flight + lanes.sum::<u64>()
}

/// Whether the run may not go on: the page holds as many messages in flight as it will.
pub fn full(rt: &Runtime) -> bool {
    in_flight(rt) >= PAGE_MAX_IN_FLIGHT
}

/// What to tell the user when the run is full.
pub fn notice(rt: &Runtime) -> Option<Notice> {
    let n = in_flight(rt);
    (n >= PAGE_MAX_IN_FLIGHT).then(|| Notice {
        text: format!(
            "Stopped: {n} messages are in flight, the most this page holds. The consumers fall behind \
             the producer, so the backlog grows for as long as the run goes on (a real broker's \
             disk or retention would give out). Reset the run with fewer messages per second or \
             more consumers; `eda-lab run` on the command line has no such bound."
        ),
        error: true,
    })
}
