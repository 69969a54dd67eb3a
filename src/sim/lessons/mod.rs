//! Lessons: the simulator as a course. Each lesson is data (`lesson.rs`, JSON files in
//! `lessons/` embedded by `catalogue.rs`): a scenario, what the learner may change, a goal as a
//! checklist over the run's report, guards, hints, a reference solution with its par and
//! counterexamples. `check.rs` replays an attempt and judges it, the same way for the command line
//! (`eda-lab lesson check`), the tests and the page.

pub mod catalogue;
pub mod check;
pub mod lesson;
