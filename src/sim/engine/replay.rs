//! Replaying recorded commands: each applied exactly where it was recorded (at its sim time,
//! after as many events as had been processed then), so a replay is the recorded run to the bit.
//! The share links, the command line, the lessons' challenges and the page's time travel all
//! replay through here.

use super::Simulation;
use crate::sim::command::StampedCommand;
use crate::sim::config::scenario::Scenario;
use crate::sim::errors::ReplayError;
use crate::sim::kernel::time::SimTime;

impl Simulation {
    /// Rebuilds a run from its scenario and recorded commands, up to `until`.
    pub fn replay(scenario: &Scenario, commands: &[StampedCommand], until: SimTime) -> Result<Simulation, ReplayError> {
        let mut sim = Simulation::new(scenario).map_err(ReplayError::Scenario)?;
        sim.run_commands(commands, until)?;
        Ok(sim)
    }

    /// Runs to `until`, applying recorded `commands` exactly where they were recorded.
    pub fn run_commands(&mut self, commands: &[StampedCommand], until: SimTime) -> Result<(), ReplayError> {
        self.run_commands_observed(commands, until, u64::MAX, &mut |_| {})
    }

    /// [`Simulation::run_commands`], processing at most `max_events` events (an error names the
    /// budget when it runs out), and calling `observe` every few thousand events and at the end
    /// (the command line drains the journal tap there).
    pub fn run_commands_observed(
        &mut self,
        commands: &[StampedCommand],
        until: SimTime,
        max_events: u64,
        observe: &mut dyn FnMut(&mut Simulation),
    ) -> Result<(), ReplayError> {
        let mut budget = max_events;
        for (index, c) in commands.iter().enumerate() {
            self.apply_recorded_observed(index, c, &mut budget, observe)?;
        }
        while self.scheduler.peek_time().is_some_and(|t| t <= until) {
            self.step_within(&mut budget, observe)?;
        }
        self.advance_clock(until);
        observe(self);
        Ok(())
    }

    /// Runs up to recorded command `c` and applies it, within `budget` events. When the budget
    /// runs out first, the events processed so far stay processed and the command is not applied:
    /// calling again with more budget goes on from there (the page spreads a replay over frames).
    pub fn apply_recorded(&mut self, c: &StampedCommand, budget: &mut u64) -> Result<(), ReplayError> {
        self.apply_recorded_observed(0, c, budget, &mut |_| {})
    }

    fn apply_recorded_observed(
        &mut self,
        index: usize,
        c: &StampedCommand,
        budget: &mut u64,
        observe: &mut dyn FnMut(&mut Simulation),
    ) -> Result<(), ReplayError> {
        let (at_us, after_events) = (c.at_us, c.after_events);
        if at_us < self.now.as_us() || after_events < self.events_processed {
            return Err(ReplayError::OutOfOrder { index, at_us, after_events });
        }
        while self.events_processed < after_events {
            match self.scheduler.peek_time() {
                Some(t) if t.as_us() <= at_us => self.step_within(budget, observe)?,
                _ => return Err(ReplayError::EventsMissing { index, at_us, after_events }),
            }
        }
        self.advance_clock(SimTime(at_us));
        self.handle(c.command.clone()).map_err(|error| ReplayError::Command { index, error })
    }

    /// One step, if the budget allows it and the run is not stuck.
    fn step_within(&mut self, budget: &mut u64, observe: &mut dyn FnMut(&mut Simulation)) -> Result<(), ReplayError> {
        if *budget == 0 {
            observe(self);
            return Err(ReplayError::EventBudget { events: self.events_processed, at_us: self.now.as_us() });
        }
        *budget -= 1;
        if !self.step() {
            observe(self);
            return Err(ReplayError::Stuck(self.stuck().expect("a step with events due fails only when stuck")));
        }
        if self.events_processed.is_multiple_of(4_096) {
            observe(self);
        }
        Ok(())
    }
}
