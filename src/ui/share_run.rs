//! The run as a share link and back, and scenarios imported from JSON. [`share`] captures the run
//! on screen (the scenario it started from, its seed, every command it accepted, the instant it
//! stands at, its lesson and its comparison's lanes); [`open`] rebuilds that run to the bit: a new
//! run of the scenario, the commands replayed exactly where they were recorded, up to the same
//! instant (`sim::share`). A link that cannot be opened changes nothing and says what is wrong;
//! the page then shows its default scenario (`app.rs`).

use super::lessons::session;
use super::live_compare::LiveCompare;
use super::runtime::{new_simulation, Runtime};
use super::state::Notice;
use crate::sim::lessons::catalogue;
use crate::sim::scenario::Scenario;
use crate::sim::share::{decode, encode, Shared};
use std::rc::Rc;

/// Most engine events opening one link may take: about five seconds of the page's work, so a
/// link to an hour of a busy run is refused by name instead of freezing the tab.
pub const OPEN_BUDGET_EVENTS: u64 = 10_000_000;

/// The run on screen as a link carries it.
pub fn share(rt: &Runtime) -> Shared {
    Shared {
        scenario: rt.base.clone(),
        commands: rt.sim.commands().to_vec(),
        lesson: rt.lesson.as_ref().map(|s| s.lesson.id.clone()),
        lanes: rt.compare.as_ref().map(|c| c.lanes.clone()).unwrap_or_default(),
        at_us: rt.sim.now().as_us(),
    }
}

/// The link to the run on screen: this page's address with `#run=` and the run.
pub fn link(rt: &Runtime, page: &str) -> String {
    let page = page.split('#').next().unwrap_or(page);
    format!("{page}#run={}", encode(&share(rt)))
}

/// Opens a share link: its lesson (if any) with its locks, its scenario, its commands replayed up
/// to its instant, its comparison. On any error the run on screen is left as it was.
pub fn open(rt: &mut Runtime, link: &str) -> Notice {
    match decode(link).map_err(|e| e.to_string()).and_then(|shared| try_open(rt, &shared)) {
        Ok(said) => Notice { text: said, error: false },
        Err(e) => Notice { text: format!("This link cannot be opened: {e}."), error: true },
    }
}

fn try_open(rt: &mut Runtime, shared: &Shared) -> Result<String, String> {
    let lesson = match &shared.lesson {
        None => None,
        Some(id) => Some(Rc::new(catalogue::find(id).ok_or_else(|| format!("link lesson: no lesson `{id}`"))?)),
    };
    let compare = match shared.lanes.is_empty() {
        true => None,
        false => Some(
            LiveCompare::of_lanes(shared.lanes.clone(), &shared.scenario).map_err(|e| format!("link lanes: {e}"))?,
        ),
    };
    // Check everything on a copy first: a link that fails halfway leaves the page's run alone.
    let mut sim = new_simulation(&shared.scenario).map_err(|e| format!("link scenario: {e}"))?;
    shared.replay(&mut sim, OPEN_BUDGET_EVENTS).map_err(|e| e.to_string())?;
    let session = match &lesson {
        Some(l) => Some(session::shared(l.clone(), &shared.scenario, &shared.commands)?),
        None => None,
    };
    let said = rt.restart(shared.scenario.clone(), String::new());
    if said.error {
        return Err(said.text);
    }
    rt.sim = sim;
    rt.lesson = session;
    rt.set_compare(compare);
    if let Some(c) = &mut rt.compare {
        c.follow(rt.sim.now(), OPEN_BUDGET_EVENTS);
    }
    let at = rt.sim.now().as_us() as f64 / 1e6;
    let what = match &lesson {
        Some(l) => format!("the lesson “{}”", l.title),
        None => format!("“{}”", shared.scenario.name),
    };
    Ok(format!(
        "Opened a shared run of {what} at {at:.3} s with its {} command(s): trace hash {}, as it was shared. Press Play to go on.",
        shared.commands.len(),
        rt.sim.trace_hash().hex()
    ))
}

/// A scenario imported from JSON becomes the run (at time zero).
pub fn import(rt: &mut Runtime, scenario: Scenario) -> Notice {
    let name = scenario.name.clone();
    rt.restart(scenario, format!("Imported the scenario “{name}”: a new run from time 0. Press Play."))
}
