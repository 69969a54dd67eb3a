//! Lessons on the page: the simulator as a course (the lessons themselves are data, judged by
//! `sim::lessons`).
//!
//! - `session.rs`: the lesson being taken, held with the run (`Runtime::lesson`): it refuses what
//!   the lesson locks, restarts from the lesson's start, plays the solution's commands at their
//!   times, and lists the learner's commands for a challenge.
//! - `view.rs`: what the page shows of the lessons (the map, hints revealed, the last result, the
//!   lessons passed, the catalogue), a reducer.
//! - `progress.rs`: the lessons passed, in local storage.
//! - `map.rs`: the lesson map (tracks and lessons, ✓ when passed) and a lesson's intro.
//! - `panel.rs`: the lesson panel (live checklist, controls, hints, challenge, solution, reset,
//!   leave); `checklist.rs` draws the checklist, `controls.rs` what the lesson unlocks.

mod checklist;
mod controls;
mod map;
mod panel;
pub mod progress;
pub mod session;
pub mod view;

pub use map::LessonMap;
pub use panel::LessonPanel;
pub use session::LessonAction;
