//! A live comparison: the lanes of a preset (`sim::compare`) on the run's scenario, each its own
//! simulation on the same seed and the same fault schedule, following the run above in step:
//! after every frame (or step) each lane runs to the run's sim time, within the frame's event
//! budget. A lane can be changed to another configuration while the others stay: it starts again
//! from time zero and catches up over the next frames.

use crate::sim::compare::{preset, variants, Comparison, LaneOutcome};
use crate::sim::scenario::Scenario;
use crate::sim::SimTime;

pub struct LiveCompare {
    pub preset: String,
    pub comparison: Comparison,
}

impl LiveCompare {
    /// The lanes of preset `name` on `base`, at time zero; or why not, naming the lane.
    pub fn start(name: &str, base: &Scenario) -> Result<LiveCompare, String> {
        let lanes = preset(name, base).ok_or_else(|| format!("no comparison named {name}"))?;
        let comparison = Comparison::new(&lanes)
            .map_err(|e| format!("lane {} ({}): {}", e.lane + 1, lanes[e.lane].label, e.error))?;
        Ok(LiveCompare { preset: name.to_string(), comparison })
    }

    /// Runs every lane up to `now`, each within `budget` events. True when all are there.
    pub fn follow(&mut self, now: SimTime, budget: u64) -> bool {
        self.comparison.run_until(now, budget).is_empty()
    }

    /// Lane `i` becomes configuration `label` (one of [`variants`] on `base`), from time zero.
    pub fn change(&mut self, i: usize, label: &str, base: &Scenario) -> Result<(), String> {
        let lane =
            variants(base).into_iter().find(|l| l.label == label).ok_or_else(|| format!("no lane named {label}"))?;
        self.comparison.replace(i, &lane).map_err(|e| format!("{label}: {}", e.error))
    }

    /// Each lane's outcomes so far, and its sim time.
    pub fn rows(&self) -> Vec<(LaneOutcome, SimTime)> {
        let times = self.comparison.lanes().map(|(_, sim)| sim.now());
        self.comparison.outcomes().into_iter().zip(times).collect()
    }
}
