//! Time travel: snapshots of a run, so that any instant it passed can be shown again at once. A
//! snapshot is a whole copy of the simulation (it is self-contained: its random streams, queues
//! and ledger travel with it); going to an instant starts from the latest snapshot at or before
//! it and replays the run's recorded commands from there exactly where they were recorded, so the
//! run shown is the run that was, to the bit (the same trace hash as a straight replay).
//!
//! Memory stays bounded: at most [`MAX_SNAPSHOTS`] are kept, and the message records they hold
//! between them at most [`MAX_SNAPSHOT_MESSAGES`] (a snapshot's size grows with the records its
//! ledger keeps: those in flight, parked, recent or notable, about 300 bytes each with journeys;
//! a settled message leaves only its share of the counters). When either is exceeded every other snapshot goes (never the first, at time zero) and
//! the spacing doubles, so a long run keeps evenly spaced snapshots and a seek replays at most
//! one spacing of simulated time.

use crate::sim::command::StampedCommand;
use crate::sim::engine::Simulation;
use crate::sim::errors::ReplayError;
use crate::sim::kernel::time::SimTime;

/// `base` with the commands of `commands` it has not taken, up to `target`, replayed.
fn replay_from(
    base: &Simulation,
    commands: &[StampedCommand],
    target: SimTime,
    budget: u64,
) -> Result<Simulation, ReplayError> {
    let mut sim = base.clone();
    let done = sim.commands().len().min(commands.len());
    let due: Vec<StampedCommand> = commands[done..].iter().take_while(|c| c.at_us <= target.as_us()).cloned().collect();
    sim.run_commands_observed(&due, target, budget, &mut |_| {})?;
    Ok(sim)
}

/// Most snapshots kept.
pub const MAX_SNAPSHOTS: usize = 48;
/// Most message records (summed over the snapshots) the snapshots may hold: about 150 MB of a
/// browser tab at worst (about 600 bytes a record with its journey, measured in Chromium). A run
/// with a backlog that large keeps fewer snapshots, and its seeks replay further.
pub const MAX_SNAPSHOT_MESSAGES: u64 = 250_000;
/// The first spacing between snapshots, in simulated time.
pub const FIRST_SPACING_US: u64 = 1_000_000;

#[derive(Clone, Debug)]
pub struct Timeline {
    /// In time order; the first is the run at time zero.
    snapshots: Vec<Simulation>,
    spacing_us: u64,
}

impl Timeline {
    /// A timeline of the run `start` (at time zero, before any event).
    pub fn new(start: &Simulation) -> Timeline {
        Timeline { snapshots: vec![start.clone()], spacing_us: FIRST_SPACING_US }
    }

    /// Takes a snapshot of `sim` when it stands a spacing past the last one.
    pub fn record(&mut self, sim: &Simulation) {
        let last = self.snapshots.last().map_or(0, |s| s.now().as_us());
        // A run too big to keep a quarter of the budget in one copy is not copied at all: its
        // seeks replay from the last snapshot that fitted.
        let weight = sim.ledger().records_kept() as u64;
        if sim.now().as_us() < last.saturating_add(self.spacing_us) || weight > MAX_SNAPSHOT_MESSAGES / 4 {
            return;
        }
        self.snapshots.push(sim.clone());
        while self.snapshots.len() > MAX_SNAPSHOTS || self.held_messages() > MAX_SNAPSHOT_MESSAGES {
            self.thin();
        }
    }

    /// Every other snapshot dropped (the first kept), the spacing doubled. Two snapshots, the
    /// first at time zero and holding nothing, always fit: the loop above ends.
    fn thin(&mut self) {
        let mut i = 0;
        self.snapshots.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        self.spacing_us = self.spacing_us.saturating_mul(2);
    }

    /// The message records the snapshots hold between them.
    pub fn held_messages(&self) -> u64 {
        self.snapshots.iter().map(|s| s.ledger().records_kept() as u64).sum()
    }

    /// The run at `target`: the latest snapshot at or before it, with the `commands` recorded
    /// after that snapshot (the whole run's log, this instant's past and future) replayed up to
    /// `target`, within `budget` events.
    pub fn seek(&self, commands: &[StampedCommand], target: SimTime, budget: u64) -> Result<Simulation, ReplayError> {
        let base = self
            .snapshots
            .iter()
            .rev()
            .find(|s| s.now() <= target && commands.get(..s.commands().len()) == Some(s.commands()))
            .unwrap_or(&self.snapshots[0]);
        match replay_from(base, commands, target, budget) {
            // A snapshot taken mid-instant can stand past a command of a new future made at that
            // very instant: time zero always fits.
            Err(ReplayError::OutOfOrder { .. } | ReplayError::EventsMissing { .. }) => {
                replay_from(&self.snapshots[0], commands, target, budget)
            }
            other => other,
        }
    }

    /// A new future from `at`: snapshots after it belong to the old one.
    pub fn branch(&mut self, at: SimTime) {
        self.snapshots.truncate(self.snapshots.iter().take_while(|s| s.now() <= at).count().max(1));
    }

    /// How many snapshots are kept, and their spacing in simulated time.
    pub fn shape(&self) -> (usize, u64) {
        (self.snapshots.len(), self.spacing_us)
    }
}
