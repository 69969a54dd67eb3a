//! A live comparison: the lanes of a preset (`sim::compare`) on the run's scenario, each its own
//! simulation on the same seed and the same fault schedule, following the run above in step:
//! after every frame (or step) each lane runs to the run's sim time, within the frame's event
//! budget. A lane can be changed to another configuration while the others stay: it starts again
//! from time zero and catches up over the next frames.

use crate::sim::compare::{preset, variants, Comparison, Lane, LaneOutcome, PRESETS};
use crate::sim::scenario::Scenario;
use crate::sim::SimTime;

pub struct LiveCompare {
    pub preset: String,
    pub comparison: Comparison,
    /// Each lane's configuration, as a share link carries it.
    pub lanes: Vec<Lane>,
}

impl LiveCompare {
    /// The lanes of preset `name` on `base`, at time zero; or why not, naming the lane.
    pub fn start(name: &str, base: &Scenario) -> Result<LiveCompare, String> {
        let lanes = preset(name, base).ok_or_else(|| format!("no comparison named {name}"))?;
        let comparison = Comparison::new(&lanes)
            .map_err(|e| format!("lane {} ({}): {}", e.lane + 1, lanes[e.lane].label, e.error))?;
        Ok(LiveCompare { preset: name.to_string(), comparison, lanes })
    }

    /// A comparison of these lanes (from a share link) on `base`. Its preset, which a restart
    /// starts again, is the one that makes exactly these lanes, else the first with as many.
    pub fn of_lanes(lanes: Vec<Lane>, base: &Scenario) -> Result<LiveCompare, String> {
        let comparison = Comparison::new(&lanes)
            .map_err(|e| format!("lane {} ({}): {}", e.lane + 1, lanes[e.lane].label, e.error))?;
        let makes = |n: &str| preset(n, base).is_some_and(|l| l == lanes);
        let same_count = |n: &str| preset(n, base).is_some_and(|l| l.len() == lanes.len());
        let name = PRESETS
            .iter()
            .map(|p| p.0)
            .find(|n| makes(n))
            .or_else(|| PRESETS.iter().map(|p| p.0).find(|n| same_count(n)));
        Ok(LiveCompare { preset: name.unwrap_or(PRESETS[0].0).to_string(), comparison, lanes })
    }

    /// Runs every lane up to `now`, each within `budget` events. True when all are there.
    pub fn follow(&mut self, now: SimTime, budget: u64) -> bool {
        self.comparison.run_until(now, budget).is_empty()
    }

    /// Lane `i` becomes configuration `label` (one of [`variants`] on `base`), from time zero.
    pub fn change(&mut self, i: usize, label: &str, base: &Scenario) -> Result<(), String> {
        let lane =
            variants(base).into_iter().find(|l| l.label == label).ok_or_else(|| format!("no lane named {label}"))?;
        self.comparison.replace(i, &lane).map_err(|e| format!("{label}: {}", e.error))?;
        if let Some(slot) = self.lanes.get_mut(i) {
            *slot = lane;
        }
        Ok(())
    }

    /// Each lane's outcomes so far, and its sim time.
    pub fn rows(&self) -> Vec<(LaneOutcome, SimTime)> {
        let times = self.comparison.lanes().map(|(_, sim)| sim.now());
        self.comparison.outcomes().into_iter().zip(times).collect()
    }
}
