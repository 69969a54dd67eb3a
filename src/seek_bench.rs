//! Time travel's speed, for `eda-lab bench --seek` and the page's `__edaLab.seekBench()` (the
//! clock is the caller's: `Instant` natively, `performance.now()` in the browser). A 10-minute run of a built-in, driven as the page
//! drives it (journeys recorded, 100 ms of simulated time per step, a consumer crashed and
//! restarted every 30 s as commands, a snapshot offered after every step), then sought to 100
//! instants spread over it in a shuffled order: each seek is timed (clone the nearest snapshot,
//! replay from there) and checked against a straight replay's trace hash.

use crate::sim::builtins::builtin;
use crate::sim::command::Command;
use crate::sim::journey::JourneyPolicy;
use crate::sim::timeline::Timeline;
use crate::sim::{ConsumerId, SimTime, Simulation};

const RUN_US: u64 = 600_000_000;
const STEP_US: u64 = 100_000;
const SEEKS: u64 = 100;

/// Times the seeks on `name` at `rate` messages per second (none: the built-in's own rate).
pub fn run(name: &str, rate: Option<f64>, seed: u64, clock_ms: &dyn Fn() -> f64) -> Result<String, String> {
    let mut scenario = builtin(name).ok_or_else(|| format!("no built-in scenario {name}"))?;
    scenario.seed = seed;
    if let Some(r) = rate {
        scenario.producer.rate_per_sec = r;
    }
    let mut sim = Simulation::new(&scenario).map_err(|e| e.to_string())?;
    sim.record_journeys(JourneyPolicy::All);
    let mut timeline = Timeline::new(&sim);
    let started = clock_ms();
    let mut t = 0;
    while t < RUN_US {
        t += STEP_US;
        sim.run_until(SimTime::from_us(t), u64::MAX);
        if t % 30_000_000 == 0 {
            let consumer = ConsumerId(0);
            // As the page does: what a command sets off at its instant happens at once.
            let _ = sim.handle(Command::CrashConsumer { consumer, at: None });
            sim.run_until(sim.now(), u64::MAX);
            let _ = sim.handle(Command::RestartConsumer { consumer });
            sim.run_until(sim.now(), u64::MAX);
        }
        timeline.record(&sim);
    }
    let run_s = (clock_ms() - started) / 1e3;
    let commands = sim.commands().to_vec();
    let mut times = Vec::new();
    for i in 0..SEEKS {
        // A fixed shuffle (a multiplier coprime with SEEKS) so seeks jump back and forth.
        let target = SimTime::from_us((i * 37 % SEEKS) * RUN_US / SEEKS + 12_345);
        let start = clock_ms();
        let there = timeline.seek(&commands, target, u64::MAX).map_err(|e| e.to_string())?;
        times.push(clock_ms() - start);
        let due: Vec<_> = commands.iter().filter(|c| c.at_us <= target.as_us()).cloned().collect();
        let straight = Simulation::replay(&scenario, &due, target).map_err(|e| e.to_string())?;
        if there.trace_hash() != straight.trace_hash() {
            return Err(format!(
                "seek to {target}: trace {} but a straight replay gives {}",
                there.trace_hash().hex(),
                straight.trace_hash().hex()
            ));
        }
    }
    times.sort_by(f64::total_cmp);
    let (n, spacing) = timeline.shape();
    Ok(format!(
        "[eda-lab seek] {name} {:.0} msg/s, 10 min: {} messages, run {run_s:.2} s; {n} snapshots {:.1} s apart; \
         {SEEKS} seeks p50 {:.2} ms p95 {:.2} ms max {:.2} ms (each equal to a straight replay)\n",
        scenario.producer.rate_per_sec,
        sim.ledger().counts().total(),
        spacing as f64 / 1e6,
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1],
    ))
}
