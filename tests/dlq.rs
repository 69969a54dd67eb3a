//! The dead-letter queue as a user works with it: what is parked, why, after how many attempts and
//! when; looking it up; and redriving it once the cause is fixed, the ledger balanced at every
//! step.

use eda_lab::sim::command_log::CommandLog;
use eda_lab::sim::dlq::{DeadLetter, DeadLetterReason};
use eda_lab::sim::event::{AppendKind, JournalKind};
use eda_lab::sim::ids::{MessageId, PartitionId};
use eda_lab::sim::partitioner::Profile;
use eda_lab::sim::report::{JourneyReport, Report};
use eda_lab::sim::scenario::{RetryMode, ScheduledCommand};
use eda_lab::sim::{Command, CommandError, Outcome, Scenario, Simulation};

#[path = "common/audited.rs"]
mod audited;
use audited::run_audited;

/// Keyed traffic and flaky processing, no crashes: a fifth of the messages or so end parked.
/// Few settled records are kept, so the ledger must keep the parked ones on purpose.
fn flaky(mode: RetryMode) -> Scenario {
    let mut s = Scenario::default();
    s.producer.rate_per_sec = 8.0;
    s.producer.keys.count = 50;
    s.processing.service.mean_ms = 20.0;
    s.processing.failure_probability = 0.65;
    s.processing.retry.mode = mode;
    s.consumers.crash.probability = 0.0;
    s.metrics.recent_messages = 16;
    s.metrics.journal = 100_000;
    s
}

fn set(setting: &str, value: f64) -> Command {
    Command::Set { setting: setting.into(), value: value.into() }
}

fn entries(sim: &Simulation) -> Vec<DeadLetter> {
    sim.dlq().iter().copied().collect()
}

/// The effects applied to `msg`, as the journal tells them (its record may be forgotten once it
/// settled: only the newest settled records are kept).
fn charges(sim: &Simulation, msg: MessageId) -> Vec<u32> {
    sim.journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::EffectApplied { msg: m, effects, .. } if m == msg => Some(effects),
            _ => None,
        })
        .collect()
}

fn refused_field(sim: &mut Simulation, c: Command) -> (&'static str, String) {
    let before = (sim.trace_hash(), sim.commands().len(), sim.ledger().counts(), sim.dlq().len());
    let Err(CommandError::Invalid { field, message }) = sim.handle(c) else { panic!("accepted") };
    assert_eq!(before, (sim.trace_hash(), sim.commands().len(), sim.ledger().counts(), sim.dlq().len()));
    (field, message)
}

#[test]
fn failures_fill_the_queue_with_why_how_often_and_when() {
    for mode in [RetryMode::InPlace, RetryMode::Reappend] {
        let mut sim = Simulation::new(&flaky(mode)).unwrap();
        run_audited(&mut sim, 30_000);
        let max_retries = sim.scenario().processing.retry.retries();
        let parked = entries(&sim);
        assert!(parked.len() >= 10, "{mode:?}: {} parked", parked.len());
        let c = sim.ledger().counts();
        assert_eq!((c.dead_lettered, sim.ledger().parked()), (parked.len() as u64, parked.len() as u64));
        for d in &parked {
            assert_eq!(d.reason, DeadLetterReason::RetriesExhausted);
            assert_eq!(d.attempts, max_retries + 1, "{mode:?} {d:?}: the first attempt and every retry");
            assert!(d.first_failed_at < d.last_failed_at && d.last_failed_at == d.at, "{d:?}");
            assert_eq!(sim.dlq().get(d.msg), Some(d));
            // Long forgotten by the window of recent records, still kept while parked.
            assert_eq!(sim.ledger().get(d.msg).map(|m| m.outcome), Some(Outcome::DeadLettered));
        }
        assert!(parked.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
        let journey = JourneyReport::of(&sim, parked[0].msg);
        assert_eq!(journey.dead_letter.as_ref(), parked.first());
        let line = format!(
            "in the dead-letter queue since {}: retries exhausted, {} attempt(s) failed",
            parked[0].at,
            max_retries + 1
        );
        assert!(journey.to_text().contains(&line), "{}", journey.to_text());
        assert_eq!(sim.dlq().newest(), parked.last());
        assert_eq!(sim.dlq().get(MessageId(u32::MAX)), None);
    }
}

#[test]
fn redrive_one_then_all_and_each_is_applied_once() {
    let mut sim = Simulation::new(&flaky(RetryMode::InPlace)).unwrap();
    run_audited(&mut sim, 20_000);
    // The bug is fixed: processing stops failing, then the parked messages are replayed.
    sim.handle(set("processing.failure_probability", 0.0)).unwrap();
    let parked: Vec<MessageId> = entries(&sim).iter().map(|d| d.msg).collect();
    assert!(parked.len() >= 5, "{} parked", parked.len());
    let (first, before) = (parked[0], sim.ledger().counts());
    sim.handle(Command::Redrive { msg: Some(first) }).unwrap();
    sim.audit().unwrap();
    let after = sim.ledger().counts();
    assert_eq!((after.dead_lettered, after.in_flight), (before.dead_lettered - 1, before.in_flight + 1));
    assert_eq!((sim.dlq().len(), sim.dlq().get(first)), (parked.len() - 1, None));
    let record = sim.ledger().get(first).unwrap();
    let redriven_to =
        Profile { client: sim.scenario().producer.client, partitioner: sim.scenario().producer.partitioner }
            .key_partition(Some(Simulation::key_name(record.key).as_bytes()), sim.scenario().topic.partitions)
            .unwrap();
    let appended: Vec<_> = sim
        .journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::Appended { msg, partition, append: AppendKind::Redrive, .. } if msg == first => {
                Some(partition)
            }
            _ => None,
        })
        .collect();
    assert_eq!(appended, [PartitionId(redriven_to)], "a new append to its key's partition");
    assert!(sim.journal().iter().any(|e| e.kind == JournalKind::Redriven { msg: first }));
    let exactly_once = sim.ledger().counts().exactly_once;
    run_audited(&mut sim, 25_000);
    assert_eq!(charges(&sim, first), [1], "lag {}", sim.lag_total());
    assert!(sim.ledger().counts().exactly_once > exactly_once);

    // Not parked, or never produced: refused, naming `msg`, and nothing changes.
    let (field, message) = refused_field(&mut sim, Command::Redrive { msg: Some(first) });
    assert_eq!(field, "msg");
    assert_eq!(message, format!("{first} is not in the dead-letter queue"), "its record is forgotten by now");
    let newest = MessageId(sim.ledger().produced() as u32 - 1);
    let outcome = sim.ledger().get(newest).unwrap().outcome.label();
    let (_, message) = refused_field(&mut sim, Command::Redrive { msg: Some(newest) });
    assert_eq!(message, format!("{newest} is not in the dead-letter queue (it is {outcome})"));
    let (field, message) = refused_field(&mut sim, Command::Redrive { msg: Some(MessageId(1_000_000)) });
    assert_eq!(field, "msg");
    assert!(message.starts_with("evt_1000000 was never produced ("), "{message}");

    sim.handle(set("producer.rate_per_sec", 0.0)).unwrap();
    let rest: Vec<MessageId> = entries(&sim).iter().map(|d| d.msg).collect();
    sim.handle(Command::Redrive { msg: None }).unwrap();
    sim.audit().unwrap();
    assert!(sim.dlq().is_empty());
    run_audited(&mut sim, 40_000);
    // Every message produced, the redriven ones included, ended applied once.
    let c = sim.ledger().counts();
    assert_eq!((c.in_flight, c.dead_lettered, c.duplicated, c.lost), (0, 0, 0, 0));
    assert_eq!(c.exactly_once, sim.ledger().produced());
    for msg in parked.iter().chain(&rest) {
        assert_eq!(charges(&sim, *msg), [1], "{msg}");
    }
    let report = Report::of(&sim);
    assert_eq!((report.dead_letter_queue, report.dead_letters_redriven), (0, parked.len() as u64));
    assert!(report.to_text().contains(&format!("redrive         {} dead letters published again", parked.len())));

    // The command log replays to the same run.
    let log = CommandLog::parse(&CommandLog::new(sim.commands().to_vec()).to_json()).unwrap();
    assert!(CommandLog::new(sim.commands().to_vec()).to_json().contains(&format!(r#""msg":"{first}""#)));
    let replayed = Simulation::replay(&flaky(RetryMode::InPlace), &log.commands, sim.now()).unwrap();
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
}

#[test]
fn a_redriven_message_goes_to_its_keys_partition_on_the_grown_topic() {
    let mut sim = Simulation::new(&flaky(RetryMode::InPlace)).unwrap();
    run_audited(&mut sim, 20_000);
    sim.handle(Command::AddPartitions { count: 7 }).unwrap();
    let profile = Profile { client: sim.scenario().producer.client, partitioner: sim.scenario().producer.partitioner };
    let moved = entries(&sim).into_iter().find(|d| {
        let key = sim.ledger().get(d.msg).unwrap().key;
        profile.key_partition(Some(Simulation::key_name(key).as_bytes()), 7) != Some(d.lane)
    });
    let d = moved.expect("some parked key moved");
    sim.handle(Command::Redrive { msg: Some(d.msg) }).unwrap();
    let key = sim.ledger().get(d.msg).unwrap().key;
    let want = profile.key_partition(Some(Simulation::key_name(key).as_bytes()), 7).unwrap();
    // The ledger's route stays where the producer addressed it: a producer still resending the
    // message (its acknowledgement lost) goes on sending there, in its sequence for that
    // partition. (Moving it once made the idempotent broker refuse a partition's records forever.)
    assert_eq!(sim.ledger().get(d.msg).unwrap().route, d.lane);
    let last = sim.journal().iter().rev().find(|e| matches!(e.kind, JournalKind::Appended { .. })).unwrap();
    assert!(matches!(last.kind, JournalKind::Appended { msg, partition, .. } if msg == d.msg && partition.0 == want));
    sim.audit().unwrap();
}

#[test]
fn a_fault_schedule_redrives_all_but_never_one_by_id() {
    let mut s = flaky(RetryMode::InPlace);
    let at = |at_ms, command| ScheduledCommand { at_ms, command };
    s.faults = vec![at(10_000, Command::Redrive { msg: Some(MessageId(3)) })];
    let e = Simulation::new(&s).unwrap_err().to_string();
    assert!(e.starts_with("faults[0].command.msg: a schedule cannot know which messages"), "{e}");
    s.faults = vec![at(15_000, set("processing.failure_probability", 0.0)), at(15_000, Command::Redrive { msg: None })];
    let mut sim = Simulation::new(&s).unwrap();
    run_audited(&mut sim, 14_999);
    let parked = entries(&sim);
    assert!(!parked.is_empty());
    run_audited(&mut sim, 15_000);
    assert!(sim.dlq().is_empty() && sim.dlq().redriven() == parked.len() as u64);
    // An empty queue redriven is no error.
    sim.handle(Command::Redrive { msg: None }).unwrap();
    sim.handle(set("producer.rate_per_sec", 0.0)).unwrap();
    run_audited(&mut sim, 25_000);
    let c = sim.ledger().counts();
    assert_eq!((c.exactly_once, c.dead_lettered), (sim.ledger().produced(), 0));
    for d in parked {
        assert_eq!(charges(&sim, d.msg), [1], "{}", d.msg);
    }
}
