//! Whether the run's scenario differs from its built-in as it ships: a setting changed (live or
//! for a new run), another seed, another fault schedule. The top bar then marks the scenario
//! "modified" and offers to restore it.

use super::runtime::Runtime;
use crate::sim::builtins::builtin;
use crate::sim::config::settings::SETTINGS;

/// The run differs from its built-in (a scenario that is not a built-in never does).
pub fn modified(rt: &Runtime) -> bool {
    let Some(shipped) = builtin(&rt.base.name) else { return false };
    if rt.base.seed != shipped.seed || rt.base.faults != shipped.faults {
        return true;
    }
    // The values the settings panel shows, against the built-in's own.
    let values = rt.setting_values();
    SETTINGS.iter().zip(values.iter()).any(|(s, v)| *v != shipped.setting(s))
}
