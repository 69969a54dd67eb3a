//! Publishing from a service (`config/outbox.rs`, `client/producer/outbox.rs`): a dual write loses
//! the event a crash cuts off, exactly those; a transactional outbox loses nothing whatever the
//! relay's crashes and the network do, and its republished copies are duplicates that only an
//! inbox (the dedup store marked in the effect's transaction) absorbs.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ledger::LossReason;
use eda_lab::sim::scenario::*;
use eda_lab::sim::{SimTime, Simulation};
use proptest::prelude::*;

fn service(seed: u64, mode: Publish, crash: f64, relay_ms: u64) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.producer.rate_per_sec = 100.0;
    s.producer.max_messages = Some(1_500);
    s.processing.service.mean_ms = 5.0;
    // A lost request is noticed after 500 ms (30 s by default), so a lossy run ends within minutes.
    s.producer.request_timeout_ms = 500;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.outbox = OutboxConfig { mode, crash_probability: crash, relay_interval_ms: relay_ms };
    s
}

/// Runs to `ms`, auditing the ledger after every event; returns the journal.
fn run(sim: &mut Simulation, ms: u64) -> Result<Vec<JournalKind>, String> {
    sim.tap_journal();
    let until = SimTime::from_ms(ms);
    let mut journal = Vec::new();
    while sim.next_event_time().is_some_and(|t| t <= until) {
        sim.step();
        sim.audit().map_err(|e| format!("after event {} at {}: {e}", sim.events_processed(), sim.now()))?;
        journal.extend(sim.take_tapped().into_iter().map(|e| e.kind));
    }
    Ok(journal)
}

fn lost(sim: &Simulation, reason: LossReason) -> u64 {
    sim.ledger().lost_by_reason().find(|(r, _)| *r == reason).map_or(0, |(_, n)| n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever the relay's crash rate and pace, and however lossy the network (with a producer
    /// that gives up early), the outbox loses nothing: a row stays until the broker acknowledged
    /// its publish and the relay marked it. With an inbox nothing is applied twice; everything
    /// settles once the service stops (a crash-prone relay republishing a backlog through a lossy
    /// network can keep the log filling with copies for a long time: up to 30% here, and the
    /// last straggler of 1,500 messages may settle after 300 s: the saved regression case takes
    /// 400 s, so the run goes to 900 s).
    #[test]
    fn the_outbox_loses_nothing_and_the_inbox_absorbs_its_copies(
        seed in any::<u64>(),
        crash in 0.0f64..0.3,
        relay_ms in 1u64..500,
        request_loss in 0.0f64..0.3,
        ack_loss in 0.0f64..0.3,
        retries in 0u32..3,
        inbox in any::<bool>(),
    ) {
        let mut s = service(seed, Publish::Outbox, crash, relay_ms);
        s.network.request_loss = request_loss;
        s.network.ack_loss = ack_loss;
        s.producer.retries = retries;
        if inbox {
            s.idempotency.mode = IdempotencyMode::DedupAtomic;
        }
        let mut sim = Simulation::new(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        run(&mut sim, 900_000).map_err(TestCaseError::fail)?;
        let c = sim.ledger().counts();
        prop_assert_eq!(c.lost, 0, "{:?}", sim.ledger().lost_by_reason().filter(|r| r.1 > 0).collect::<Vec<_>>());
        prop_assert_eq!(c.in_flight, 0, "everything settles");
        if inbox {
            prop_assert_eq!(c.duplicated, 0);
        }
    }

    /// A dual write loses exactly the events whose service crashed between its commit and its
    /// publish, each journaled, and nothing else.
    #[test]
    fn a_dual_write_loses_exactly_what_its_crashes_cut_off(seed in any::<u64>(), crash in 0.0f64..0.5) {
        let s = service(seed, Publish::DualWrite, crash, 100);
        let mut sim = Simulation::new(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let journal = run(&mut sim, 60_000).map_err(TestCaseError::fail)?;
        let cut = journal.iter().filter(|k| matches!(k, JournalKind::DualWriteLost { .. })).count() as u64;
        prop_assert_eq!(sim.outbox().stats().dual_write_lost, cut);
        prop_assert_eq!(lost(&sim, LossReason::DualWrite), cut);
        prop_assert_eq!(sim.ledger().counts().lost, cut);
    }
}

/// The lesson: relay crashes republish rows (second copies in the log, appended again), the inbox
/// absorbs them; without it they are charged twice; a dual write on the same arrivals loses.
#[test]
fn the_outbox_lesson_republishes_and_the_inbox_absorbs() {
    let s = builtin("outbox").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    let journal = run(&mut sim, 60_000).unwrap();
    let o = sim.outbox().stats();
    assert!(o.relay_crashes > 0 && o.republished > 0, "{o:?}");
    assert!(sim.stats().producer.duplicate_appends > 0, "the idempotent producer does not recognise a republish");
    assert!(journal.iter().any(|k| matches!(k, JournalKind::DedupSkipped { .. })));
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (0, 0), "{c:?}");

    let mut none = s.clone();
    none.idempotency.mode = IdempotencyMode::None;
    let mut sim = Simulation::new(&none).unwrap();
    run(&mut sim, 60_000).unwrap();
    assert!(sim.ledger().counts().duplicated > 0);

    let mut dual = s.clone();
    dual.outbox.mode = Publish::DualWrite;
    let mut sim = Simulation::new(&dual).unwrap();
    run(&mut sim, 60_000).unwrap();
    assert!(lost(&sim, LossReason::DualWrite) > 0);
    assert_eq!(sim.ledger().counts().duplicated, 0);
}

#[test]
fn an_outbox_relay_needs_acknowledgements() {
    let mut s = service(1, Publish::Outbox, 0.1, 100);
    s.producer.acks = Acks::Zero;
    match s.validate() {
        Err(ScenarioError::Invalid { field, .. }) => assert_eq!(field, "producer.acks"),
        other => panic!("{other:?}"),
    }
    assert!(!Scenario::default().to_json().contains("outbox"), "left out at its default");
}
