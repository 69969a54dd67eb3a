//! Retention as Kafka's log applies it: whole segments, on a check interval, only once a
//! segment's newest record is older than retention.ms (or the log is over retention.bytes).

use eda_lab::sim::builtins::builtin;
use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ids::{MessageId, PartitionId};
use eda_lab::sim::{LossReason, SimTime, Simulation};

#[test]
fn with_kafkas_default_segments_short_retention_deletes_nothing() {
    let mut s = builtin("retention").unwrap();
    // One 1 GiB segment, rolled after 7 days: it is the active segment, and its newest record is
    // always recent, so nothing qualifies.
    s.topic.segment_ms = 604_800_000;
    s.topic.segment_bytes = 1 << 30;
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    assert_eq!(sim.stats().log.retention_deleted, 0);
    assert_eq!(sim.ledger().counts().lost, 0);
    assert!(sim.lag_total() > 50, "the slow consumer is far behind, yet nothing is deleted");
}

#[test]
fn whole_segments_go_and_only_unprocessed_records_are_lost_to_retention() {
    let mut s = builtin("retention").unwrap();
    s.metrics.journal = 100_000;
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(60), u64::MAX);
    let deletions: Vec<_> = sim
        .journal()
        .iter()
        .filter_map(|e| match e.kind {
            JournalKind::SegmentsDeleted { partition, from, to } => Some((e.time, partition, from, to)),
            _ => None,
        })
        .collect();
    assert!(!deletions.is_empty());
    for &(time, partition, _, to) in &deletions {
        // The log start moves to a segment boundary: the first offset of a later segment, or the
        // log end when everything went.
        let p = &sim.partitions()[partition.index()];
        let bases: Vec<u64> = p.segments().iter().map(|g| g.base).collect();
        assert!(to <= p.log_end() && (bases.contains(&to) || to < bases[0]), "{time}: {to} {bases:?}");
        // Checks run every 500 ms.
        assert_eq!(time.as_us() % 500_000, 0);
    }
    let lost = sim.ledger().counts().lost;
    let reasons: Vec<_> = sim.ledger().lost_by_reason().filter(|(_, n)| *n > 0).collect();
    assert!(lost > 0);
    assert_eq!(reasons, vec![(LossReason::Retention, lost)]);
    // Every message lost to retention was never processed by anyone.
    let produced = sim.ledger().produced() as u32;
    for (id, record) in (0..produced).filter_map(|i| sim.ledger().get(MessageId(i)).map(|r| (i, r))) {
        if record.loss_reason == Some(LossReason::Retention) && record.outcome == eda_lab::sim::Outcome::Lost {
            assert_eq!(record.effects, 0, "{id}");
        }
    }
    assert!(sim.partitions()[PartitionId(0).index()].log_start() > 0);
    sim.ledger().audit().unwrap();
}
