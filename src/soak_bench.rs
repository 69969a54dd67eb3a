//! `eda-lab bench --soak`: memory over a long run. The engine keeps only what is in flight (a
//! settled message leaves its share of the counters and histograms, and its record only while it
//! is among the newest or notable ones), so after a warm-up the process's memory should stay flat
//! however many events go by. This runs a SimPy comparison model for `--events` events (10^8 by
//! default), journeys recorded as the page records them, and reports at checkpoints the resident
//! memory now and at its peak so far (Linux's `VmRSS` and `VmHWM` from `/proc/self/status`), with
//! the messages in flight and the speed. A figure, not a test. The messages parked in the
//! dead-letter queue are kept whole (a redrive finds them however old), so with failures memory
//! grows with the queue, as a real DLQ's disk does; `--no-failures` leaves nothing to park.

use crate::sim::journey::JourneyPolicy;
use crate::sim::{Scenario, Simulation};
use std::time::Instant;

/// `VmRSS` and `VmHWM` of this process in kB (None where `/proc` has no such file).
fn rss_kb() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The checkpoints: 10^6, 10^7, then every 10^7 up to `events` (and `events` itself).
fn checkpoints(events: u64) -> Vec<u64> {
    let mut at: Vec<u64> =
        [1_000_000].into_iter().chain((1..).map(|k| k * 10_000_000).take_while(|&e| e < events)).collect();
    at.retain(|&e| e < events);
    at.push(events);
    at
}

/// Runs `scenario` (its message limit lifted) for `events` events and reports memory along the way.
pub fn run(mut scenario: Scenario, events: u64) -> Result<String, String> {
    if events == 0 {
        return Err("--events must be at least 1".into());
    }
    // More messages than the events can produce: the run never runs dry.
    scenario.producer.max_messages = Some(events);
    let mut sim = Simulation::new(&scenario).map_err(|e| e.to_string())?;
    sim.record_journeys(JourneyPolicy::All);
    let mut out = format!(
        "[eda-lab soak: {}, journeys recorded, {events} events]\n{:>12} {:>12} {:>10} {:>9} {:>9} {:>12} {:>10} {:>12}\n",
        scenario.description, "events", "produced", "in_flight", "in_dlq", "wall_s", "events_per_s", "rss_kb", "peak_rss_kb"
    );
    let start = Instant::now();
    let (mut done, mut last_wall, mut last_events) = (0u64, 0.0, 0u64);
    for at in checkpoints(events) {
        while done < at {
            if !sim.step() {
                return Err(format!("the run ran out of events at {done}"));
            }
            done += 1;
        }
        let wall = start.elapsed().as_secs_f64();
        let rate = (done - last_events) as f64 / (wall - last_wall).max(1e-9);
        (last_wall, last_events) = (wall, done);
        let (rss, peak) =
            rss_kb().map_or(("n/a".to_string(), "n/a".to_string()), |(r, p)| (r.to_string(), p.to_string()));
        let c = sim.ledger().counts();
        out.push_str(&format!(
            "{done:>12} {:>12} {:>10} {:>9} {wall:>9.1} {rate:>12.0} {rss:>10} {peak:>12}\n",
            sim.ledger().produced(),
            c.in_flight,
            c.dead_lettered
        ));
    }
    sim.ledger().audit().map_err(|e| format!("the ledger does not balance after the soak: {e}"))?;
    out.push_str(&format!("ledger balanced; trace={}\n", sim.trace_hash().hex()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_end_at_the_run_length() {
        assert_eq!(checkpoints(100_000_000).len(), 11);
        assert_eq!(checkpoints(100_000_000)[..3], [1_000_000, 10_000_000, 20_000_000]);
        assert_eq!(checkpoints(5), vec![5]);
        assert_eq!(checkpoints(15_000_000), vec![1_000_000, 10_000_000, 15_000_000]);
    }

    #[test]
    fn a_short_soak_reports_every_checkpoint_and_balances() {
        let out = run(Scenario::bench(1, true), 1_200_000).unwrap();
        assert!(out.lines().any(|l| l.trim_start().starts_with("1000000 ")), "{out}");
        assert!(out.lines().any(|l| l.trim_start().starts_with("1200000 ")), "{out}");
        assert!(out.contains("ledger balanced"), "{out}");
    }
}
