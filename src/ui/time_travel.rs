//! Time travel on the page: the scrubber seeks the run to any instant it reached
//! (`sim::timeline`: the nearest snapshot, then the recorded commands replayed exactly), and the
//! commands recorded after that instant are kept as the run's future: playing on replays them
//! where they were recorded, so going back and forth never changes the run. Acting in the past (a
//! command accepted there) starts a new future: the old one's later commands and snapshots go.

use super::journal_text::LogBuffer;
use super::live_compare::LiveCompare;
use super::runtime::Runtime;
use super::state::Notice;
use crate::sim::errors::ReplayError;
use crate::sim::kernel::time::SimTime;

/// Most events one seek may replay (the snapshots keep it far below: a few seconds of run).
const SEEK_BUDGET_EVENTS: u64 = 20_000_000;

/// Takes a snapshot when one is due and moves the scrubber's end.
pub fn record(rt: &mut Runtime) {
    rt.timeline.record(&rt.sim);
    rt.reached_us = rt.reached_us.max(rt.sim.now().as_us());
}

/// The run at `us` (at most the furthest instant reached), its later commands kept as its future.
pub fn seek(rt: &mut Runtime, us: u64) -> Notice {
    if rt.lesson.as_ref().is_some_and(|s| s.showing_solution()) {
        return Notice {
            text: "The solution is playing: let it finish (or reset) before going back in time.".into(),
            error: true,
        };
    }
    let target = SimTime::from_us(us.min(rt.reached_us));
    let mut all = rt.sim.commands().to_vec();
    all.append(&mut rt.future);
    match rt.timeline.seek(&all, target, SEEK_BUDGET_EVENTS) {
        Ok(sim) => {
            rt.future = all.split_off(sim.commands().len());
            rt.sim = sim;
            rt.log = LogBuffer::default();
            rt.run += 1;
            if let Some(lanes) = rt.compare.as_ref().map(|c| c.lanes.clone()) {
                // The lanes start again and catch up with the run over the next frames.
                let compare = LiveCompare::of_lanes(lanes, &rt.base).ok();
                rt.set_compare(compare);
            }
            let later = rt.future.len();
            let text = match later {
                0 => format!("At {:.3} s. Play goes on as the run went.", target.as_us() as f64 / 1e6),
                n => format!(
                    "At {:.3} s, {n} later command(s) kept: Play replays them where they were made; a command now starts a new future.",
                    target.as_us() as f64 / 1e6
                ),
            };
            Notice { text, error: false }
        }
        Err(e) => {
            // Nothing changed but the future, put back.
            rt.future = all.split_off(rt.sim.commands().len());
            Notice { text: format!("Could not go to {target}: {e}."), error: true }
        }
    }
}

/// A command accepted in the past starts a new future there.
pub fn branch(rt: &mut Runtime) {
    let now = rt.sim.now();
    if !rt.future.is_empty() || now.as_us() < rt.reached_us {
        rt.future.clear();
        rt.timeline.branch(now);
        rt.reached_us = now.as_us();
    }
}

/// Replays the future's commands due by `target`, within `budget` events. Returns what to say
/// when the old future no longer fits (then it is dropped).
pub fn run_future(rt: &mut Runtime, target: SimTime, budget: &mut u64) -> Option<Notice> {
    while let Some(c) = rt.future.first().filter(|c| c.at_us <= target.as_us()) {
        match rt.sim.apply_recorded(c, budget) {
            Ok(()) => {
                rt.future.remove(0);
            }
            Err(ReplayError::EventBudget { .. }) => return None,
            Err(e) => {
                rt.future.clear();
                return Some(Notice {
                    text: format!("The rest of the run's future could not be replayed: {e}."),
                    error: true,
                });
            }
        }
    }
    None
}

/// For a step: applies the future's next command when no event comes before it.
pub fn step_future(rt: &mut Runtime) -> Option<Notice> {
    let c = rt.future.first()?;
    if rt.sim.events_processed() < c.after_events {
        return None;
    }
    let mut budget = 0;
    let said = crate::sim::narrate::describe_command(&c.command);
    run_future(rt, SimTime::from_us(c.at_us), &mut budget)
        .or_else(|| Some(Notice { text: format!("Replayed from the run's future: {said}."), error: false }))
}
