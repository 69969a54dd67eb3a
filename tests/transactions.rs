//! Exactly-once as Kafka does it (`config/transactions.rs`, `client/transactions.rs`): a consume →
//! process → produce stage whose outputs and input offsets commit in one transaction. Proven over
//! random crashes, zombies and timings: a read_committed reader of the output sees every input's
//! output exactly once; a read_uncommitted one, or an effect outside the transaction, can see
//! it twice.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::{AbortCause, JournalKind};
use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, ConsumerId, SimTime, Simulation};
use proptest::prelude::*;

/// A transactional stage: `consumers` consumers on `partitions` partitions, producing 2 000
/// messages at 100 a second.
fn stage(seed: u64, partitions: u32, consumers: u32) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.producer.rate_per_sec = 100.0;
    s.producer.max_messages = Some(2_000);
    s.topic.partitions = partitions;
    s.consumers.count = consumers;
    s.consumers.auto_offset_reset = AutoOffsetReset::Earliest;
    s.processing.service.mean_ms = 5.0;
    s.processing.dead_letter_queue = false;
    s.transactions.enabled = true;
    s
}

/// Runs `s` with `commands` (at their times, in ms) to `until_ms`, auditing the ledger after every
/// event; returns the run and its journal.
fn run(
    s: &Scenario,
    commands: &[(u64, Command)],
    until_ms: u64,
) -> Result<(Simulation, Vec<(u64, JournalKind)>), String> {
    let mut sim = Simulation::new(s).map_err(|e| e.to_string())?;
    sim.tap_journal();
    let mut journal = Vec::new();
    for (t, c) in commands.iter().chain([&(until_ms, Command::AddConsumer)]) {
        let at = SimTime::from_ms((*t).min(until_ms));
        while sim.next_event_time().is_some_and(|e| e <= at) {
            sim.step();
            sim.audit().map_err(|e| format!("after event {} at {}: {e}", sim.events_processed(), sim.now()))?;
        }
        sim.run_until(at, 0);
        journal.extend(sim.take_tapped().into_iter().map(|e| (e.time.as_ms(), e.kind)));
        if *t >= until_ms {
            break;
        }
        let _ = sim.handle(c.clone());
        sim.audit().map_err(|e| format!("after {c:?}: {e}"))?;
    }
    journal.extend(sim.take_tapped().into_iter().map(|e| (e.time.as_ms(), e.kind)));
    Ok((sim, journal))
}

fn crashes() -> impl Strategy<Value = Vec<(u64, Command)>> {
    let point = prop_oneof![
        Just(None),
        Just(Some(CrashPoint::AfterReceive)),
        Just(Some(CrashPoint::AfterEffect)),
        Just(Some(CrashPoint::AfterCommit)),
    ];
    prop::collection::vec((0u64..20_000, 0u32..4, point, any::<bool>()), 0..8).prop_map(|mut v| {
        v.sort_by_key(|c| c.0);
        v.into_iter()
            .map(|(t, k, at, restart)| {
                let consumer = ConsumerId(k);
                (
                    t,
                    if restart {
                        Command::RestartConsumer { consumer }
                    } else {
                        Command::CrashConsumer { consumer, at }
                    },
                )
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever crashes where, whenever consumers come back or not, however slow a consumer is
    /// (past its poll interval it is a zombie, fenced at its next commit), and whatever the
    /// commit interval and timeout: the read_committed reader sees no input's output twice, and
    /// none is lost. Once every consumer is back and the producer has stopped, everything
    /// settles.
    #[test]
    fn a_read_committed_reader_sees_each_output_exactly_once(
        seed in any::<u64>(),
        partitions in 1u32..6,
        consumers in 1u32..4,
        crash_p in 0.0f64..0.05,
        point in prop_oneof![Just(CrashPoint::AfterReceive), Just(CrashPoint::AfterEffect), Just(CrashPoint::AfterCommit)],
        restart in prop_oneof![Just(None), (0u64..3_000).prop_map(Some)],
        interval in 1u64..2_000,
        timeout_extra in 1u64..15_000,
        slow in any::<bool>(),
        static_membership in any::<bool>(),
        cooperative in any::<bool>(),
        schedule in crashes(),
    ) {
        let mut s = stage(seed, partitions, consumers);
        s.consumers.crash = CrashConfig { point, probability: crash_p, restart_delay_ms: restart };
        s.consumers.static_membership = static_membership;
        if cooperative {
            s.consumers.assignor = Assignor::CooperativeSticky;
        }
        s.transactions.commit_interval_ms = interval;
        s.transactions.timeout_ms = interval + timeout_extra;
        if slow {
            // Some records take longer than the poll interval: their consumer becomes a zombie.
            s.processing.service = ServiceTime { distribution: ServiceDistribution::Exponential, mean_ms: 300.0 };
            s.consumers.max_poll_interval_ms = 900;
        }
        let (sim, journal) = run(&s, &schedule, 40_000).map_err(TestCaseError::fail)?;
        let c = sim.ledger().counts();
        prop_assert_eq!(c.duplicated, 0, "{:?}", sim.ledger().examples(eda_lab::sim::Outcome::Duplicated));
        prop_assert_eq!(c.lost, 0, "{:?}", sim.ledger().lost_by_reason().filter(|r| r.1 > 0).collect::<Vec<_>>());
        // The reader saw only outputs of committed transactions: each effect follows the commit
        // of the transaction that wrote it.
        let mut committed_outputs = 0u64;
        let mut seen = 0u64;
        for (_, k) in &journal {
            match k {
                JournalKind::TxnCommitted { outputs, .. } => committed_outputs += u64::from(*outputs),
                JournalKind::EffectApplied { .. } => seen += 1,
                _ => {}
            }
            prop_assert!(seen <= committed_outputs, "an output was seen before its transaction committed");
        }
    }
}

/// The lesson's own run: crashes after writing an output abort transactions, and nothing is
/// duplicated or lost.
#[test]
fn the_exactly_once_pipeline_lesson_aborts_and_redoes_without_duplicates() {
    let s = builtin("exactly-once-pipeline").unwrap();
    let (sim, journal) = run(&s, &[], 60_000).unwrap();
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (0, 0), "{c:?}");
    let aborted = journal.iter().filter(|(_, k)| matches!(k, JournalKind::TxnAborted { outputs: 1.., .. })).count();
    assert!(aborted > 0, "crashes after an output abort its transaction");
    let stats = sim.pipelines()[0].transactions().stats();
    assert!(stats.committed > 0 && stats.outputs_aborted > 0, "{stats:?}");
}

/// A read_uncommitted reader sees aborted outputs, and their redo: duplicates (seed 1 shows it).
/// So does an effect outside the transaction, unless an inbox (atomic dedup) guards it; and the
/// same stage without transactions is at-least-once.
#[test]
fn outside_the_transaction_duplicates_come_back() {
    let mut s = builtin("exactly-once-pipeline").unwrap();
    s.transactions.isolation = Isolation::ReadUncommitted;
    let (sim, _) = run(&s, &[], 60_000).unwrap();
    assert!(sim.ledger().counts().duplicated > 0, "{:?}", sim.ledger().counts());

    let s = builtin("eos-external-effect").unwrap();
    let (sim, _) = run(&s, &[], 60_000).unwrap();
    assert!(sim.ledger().counts().duplicated > 0, "{:?}", sim.ledger().counts());
    let mut inbox = s.clone();
    inbox.idempotency.mode = IdempotencyMode::DedupAtomic;
    let (sim, _) = run(&inbox, &[], 60_000).unwrap();
    assert_eq!(sim.ledger().counts().duplicated, 0, "{:?}", sim.ledger().counts());

    let mut off = builtin("exactly-once-pipeline").unwrap();
    off.transactions.enabled = false;
    let (sim, _) = run(&off, &[], 60_000).unwrap();
    assert!(sim.ledger().counts().duplicated > 0, "{:?}", sim.ledger().counts());
}

/// A consumer that crashes and never comes back leaves its transaction open: the coordinator
/// aborts it at the transaction timeout, and until then the read_committed reader sees nothing
/// past it (the last stable offset), though the other consumers go on committing.
#[test]
fn an_open_transaction_holds_the_reader_back_until_it_times_out() {
    let mut s = stage(3, 3, 3);
    s.transactions.timeout_ms = 5_000;
    s.consumers.crash.restart_delay_ms = None;
    s.consumers.session_timeout_ms = 6_000; // then its partition moves to another consumer
    let crash = Command::CrashConsumer { consumer: ConsumerId(1), at: Some(CrashPoint::AfterEffect) };
    let (sim, journal) = run(&s, &[(2_000, crash)], 30_000).unwrap();
    let crashed_at = journal.iter().find(|(_, k)| matches!(k, JournalKind::Crashed { .. })).expect("crash").0;
    let (aborted_at, _) = journal
        .iter()
        .find(|(_, k)| matches!(k, JournalKind::TxnAborted { cause: AbortCause::TimedOut, .. }))
        .expect("the coordinator aborts the open transaction");
    assert!(*aborted_at >= crashed_at + 4_000 && *aborted_at <= crashed_at + 5_000, "{crashed_at} {aborted_at}");
    let commits_between = journal
        .iter()
        .filter(|(t, k)| *t > crashed_at && *t < *aborted_at && matches!(k, JournalKind::TxnCommitted { .. }))
        .count();
    let seen_between = journal
        .iter()
        // Transactions that began before the crashed one's still commit and show (within their
        // commit interval, 100 ms); none after.
        .filter(|(t, k)| *t > crashed_at + 1_000 && *t < *aborted_at && matches!(k, JournalKind::EffectApplied { .. }))
        .count();
    assert!(commits_between > 0, "the others go on committing");
    assert_eq!(seen_between, 0, "the reader waits behind the open transaction");
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (0, 0), "{c:?}");
    assert!(c.exactly_once > 1_500, "{c:?}");
}

/// A consumer past its poll interval is a zombie: the group moves on, its commit is refused
/// (fenced), and what it wrote is aborted, not duplicated.
#[test]
fn a_zombie_is_fenced() {
    let mut s = stage(5, 2, 2);
    s.processing.service = ServiceTime { distribution: ServiceDistribution::Exponential, mean_ms: 300.0 };
    s.consumers.max_poll_interval_ms = 700;
    let (sim, journal) = run(&s, &[], 60_000).unwrap();
    assert!(journal.iter().any(|(_, k)| matches!(k, JournalKind::TxnAborted { cause: AbortCause::Fenced, .. })));
    assert!(sim.pipelines()[0].transactions().stats().fenced > 0);
    let c = sim.ledger().counts();
    assert_eq!((c.duplicated, c.lost), (0, 0), "{c:?}");
}

/// What a transactional stage cannot run with is refused, naming the field.
#[test]
fn what_cannot_run_with_transactions_names_its_field() {
    let field = |s: &Scenario| match s.validate() {
        Err(ScenarioError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let base = stage(1, 2, 2);
    assert!(base.validate().is_ok());
    let mut s = base.clone();
    s.consumers.commit = CommitStrategy::BeforeProcessing;
    assert_eq!(field(&s), "consumers.commit");
    let mut s = base.clone();
    s.broker = BrokerKind::Queue;
    s.topic.partitions = 1;
    assert_eq!(field(&s), "transactions.enabled");
    let mut s = base.clone();
    s.transactions.commit_interval_ms = s.transactions.timeout_ms;
    assert_eq!(field(&s), "transactions.commit_interval_ms");
    let mut s = base.clone();
    s.idempotency.mode = IdempotencyMode::DedupAtomic;
    assert_eq!(field(&s), "idempotency.mode");
    s.transactions.external_effect = true;
    assert!(s.validate().is_ok());
    let mut s = base.clone();
    s.processing.dead_letter_queue = true;
    assert_eq!(field(&s), "processing.dead_letter_queue");
    // The JSON names it too, and leaves the section out at its default.
    assert!(!Scenario::default().to_json().contains("transactions"));
    let e = Scenario::from_json(r#"{"transactions":{"enabled":true,"isolation":"read_sometimes"}}"#).unwrap_err();
    assert!(e.to_string().contains("transactions.isolation") || e.to_string().contains("read_sometimes"), "{e}");
}
