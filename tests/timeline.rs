//! Time travel: a run driven in random steps with random commands, snapshotted as it goes, sought
//! to any instant it passed, is there exactly as a straight replay of its commands up to that
//! instant (the same trace hash, clock and outcome counts). A new future made in the past keeps
//! the past and replaces what came after. Memory stays bounded: the snapshots never exceed their
//! count or the messages they may hold.

use eda_lab::sim::builtins::{builtin, CATALOG};
use eda_lab::sim::command::{Command, StampedCommand};
use eda_lab::sim::timeline::{Timeline, MAX_SNAPSHOTS, MAX_SNAPSHOT_MESSAGES};
use eda_lab::sim::{ConsumerId, Scenario, SimTime, Simulation};
use proptest::prelude::*;
use serde_json::json;

/// A command chosen by `pick` (some may be refused: then nothing is recorded).
fn command(pick: u8) -> Command {
    match pick % 4 {
        0 => Command::CrashConsumer { consumer: ConsumerId(0), at: None },
        1 => Command::RestartConsumer { consumer: ConsumerId(0) },
        2 => Command::Set { setting: "producer.rate_per_sec".into(), value: json!(20.0) },
        _ => Command::AddConsumer,
    }
}

/// Drives `sim` through `steps` (sim ms forward, then maybe a command), snapshotting as it goes.
fn drive(sim: &mut Simulation, timeline: &mut Timeline, steps: &[(u64, Option<u8>)]) {
    for &(ms, pick) in steps {
        let to = sim.now().plus_us(ms * 1_000);
        sim.run_until(to, 2_000_000);
        if let Some(p) = pick {
            // As the page does: what a command sets off at its instant happens at once.
            if sim.handle(command(p)).is_ok() {
                sim.run_until(sim.now(), 2_000_000);
            }
        }
        timeline.record(sim);
    }
}

fn straight(scenario: &Scenario, commands: &[StampedCommand], at: SimTime) -> Simulation {
    let due: Vec<_> = commands.iter().filter(|c| c.at_us <= at.as_us()).cloned().collect();
    Simulation::replay(scenario, &due, at).unwrap()
}

fn same(a: &Simulation, b: &Simulation) -> bool {
    a.trace_hash() == b.trace_hash() && a.now() == b.now() && a.ledger().counts() == b.ledger().counts()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_seek_is_a_straight_replay(
        b in 0..CATALOG.len(),
        seed in any::<u64>(),
        steps in prop::collection::vec((1u64..900, prop::option::weighted(0.2, any::<u8>())), 10..80),
        targets in prop::collection::vec(0.0f64..1.0, 1..6),
    ) {
        let mut s = builtin(CATALOG[b].0).unwrap();
        s.seed = seed;
        let mut sim = Simulation::new(&s).unwrap();
        let mut timeline = Timeline::new(&sim);
        drive(&mut sim, &mut timeline, &steps);
        let commands = sim.commands().to_vec();
        for f in targets {
            let at = SimTime::from_us((sim.now().as_us() as f64 * f) as u64);
            let there = timeline.seek(&commands, at, u64::MAX).unwrap();
            prop_assert!(same(&there, &straight(&s, &commands, at)), "{} at {at}", CATALOG[b].0);
        }
        let now = timeline.seek(&commands, sim.now(), u64::MAX).unwrap();
        prop_assert!(same(&now, &sim), "seeking to the run's own instant gives the run");
    }

    /// Back to an instant, a new command there, on again: the past before it is the old run's,
    /// what follows is the new log's.
    #[test]
    fn a_new_future_keeps_the_past(
        seed in any::<u64>(),
        steps in prop::collection::vec((1u64..900, prop::option::weighted(0.2, any::<u8>())), 10..60),
        back in 0.1f64..0.9,
        pick in any::<u8>(),
    ) {
        let mut s = builtin("at-least-once").unwrap();
        s.seed = seed;
        let mut sim = Simulation::new(&s).unwrap();
        let mut timeline = Timeline::new(&sim);
        drive(&mut sim, &mut timeline, &steps);
        let old = sim.commands().to_vec();
        let at = SimTime::from_us((sim.now().as_us() as f64 * back) as u64);
        let mut past = timeline.seek(&old, at, u64::MAX).unwrap();
        timeline.branch(at);
        if past.handle(command(pick)).is_ok() {
            past.run_until(past.now(), 2_000_000);
        }
        timeline.record(&past);
        drive(&mut past, &mut timeline, &steps[..steps.len() / 2]);
        let new = past.commands().to_vec();
        let before = SimTime::from_us(at.as_us() / 2);
        prop_assert!(same(&timeline.seek(&new, before, u64::MAX).unwrap(), &straight(&s, &old, before)));
        let later = SimTime::from_us(at.as_us() + (past.now().as_us() - at.as_us()) / 2);
        prop_assert!(same(&timeline.seek(&new, later, u64::MAX).unwrap(), &straight(&s, &new, later)));
    }
}

/// A long, busy run keeps at most the bounded snapshots, evenly spread.
#[test]
fn snapshots_stay_bounded() {
    let mut s = builtin("at-least-once").unwrap();
    s.producer.rate_per_sec = 2_000.0;
    let mut sim = Simulation::new(&s).unwrap();
    let mut timeline = Timeline::new(&sim);
    for i in 1..=1_200u64 {
        sim.run_until(SimTime::from_ms(i * 500), u64::MAX);
        timeline.record(&sim);
        let (n, _) = timeline.shape();
        assert!(n <= MAX_SNAPSHOTS, "{n} snapshots");
        assert!(timeline.held_messages() <= MAX_SNAPSHOT_MESSAGES, "{} messages held", timeline.held_messages());
    }
    let (n, spacing) = timeline.shape();
    assert!(n >= 2, "a 10-minute run keeps more than its start");
    // 2,000 msg/s for 600 s: 1.2 M messages; the held messages stay under the bound.
    assert!(spacing > 1_000_000, "the spacing doubled ({spacing} µs)");
}
