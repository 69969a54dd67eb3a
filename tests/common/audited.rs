//! Runs a simulation forward in steps, auditing the ledger and the dead-letter queue at each.

use eda_lab::sim::{SimTime, Simulation};

/// Runs to `ms` in steps of 250 ms, checking the ledger and the queue at every step.
pub fn run_audited(sim: &mut Simulation, ms: u64) {
    let mut t = sim.now().as_ms();
    while t < ms {
        t = (t + 250).min(ms);
        sim.run_until(SimTime::from_ms(t), u64::MAX);
        sim.audit().unwrap_or_else(|e| panic!("at {t} ms: {e}"));
    }
}
