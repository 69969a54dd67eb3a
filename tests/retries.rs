//! Processing retries on the backoff schedule: the waits the consumer actually takes, per policy
//! and jitter mode, and the schedule's settings refused by name.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::event::JournalKind;
use eda_lab::sim::ids::MessageId;
use eda_lab::sim::scenario::{BackoffPolicy, Jitter, RetryMode, ServiceDistribution};
use eda_lab::sim::{Scenario, SimTime, Simulation};

/// One message that always fails, processed in no time, retried in place.
fn always_failing(policy: BackoffPolicy, jitter: Jitter) -> Scenario {
    let mut s = Scenario::default();
    s.producer.max_messages = Some(1);
    s.consumers.count = 1;
    s.topic.partitions = 1;
    s.processing.service.distribution = ServiceDistribution::Constant;
    s.processing.service.mean_ms = 0.0;
    s.processing.failure_probability = 1.0;
    let r = &mut s.processing.retry;
    (r.policy, r.jitter, r.mode) = (policy, jitter, RetryMode::InPlace);
    (r.max_retries, r.backoff_ms, r.multiplier, r.cap_ms) = (8, 1_000, 2, 30_000);
    s.metrics.journal = 10_000;
    s
}

/// The waits between the failed attempts of message 0, in ms, and whether it was dead-lettered.
fn waits(s: &Scenario) -> (Vec<u64>, bool) {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_secs(600), u64::MAX);
    sim.ledger().audit().unwrap();
    let failed: Vec<u64> = sim
        .journal()
        .iter()
        .filter(|e| matches!(e.kind, JournalKind::ProcessingFailed { msg: MessageId(0), .. }))
        .map(|e| e.time.as_us())
        .collect();
    let dead = sim.journal().iter().any(|e| matches!(e.kind, JournalKind::DeadLettered { msg: MessageId(0), .. }));
    (failed.windows(2).map(|w| (w[1] - w[0]) / 1_000).collect(), dead)
}

#[test]
fn exponential_without_jitter_waits_1_2_4_8_16_then_the_cap() {
    let (w, dead) = waits(&always_failing(BackoffPolicy::Exponential, Jitter::None));
    assert_eq!(w, vec![1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    assert!(dead, "dead-lettered after the first attempt and 8 retries");
}

#[test]
fn fixed_immediate_and_none() {
    let (w, _) = waits(&always_failing(BackoffPolicy::Fixed, Jitter::None));
    assert_eq!(w, vec![1_000; 8]);
    let (w, _) = waits(&always_failing(BackoffPolicy::Immediate, Jitter::None));
    assert_eq!(w, vec![0; 8]);
    let (w, dead) = waits(&always_failing(BackoffPolicy::None, Jitter::None));
    assert!(w.is_empty() && dead, "no retries: straight to the dead-letter queue");
}

/// Full jitter draws each wait in [0, the wait without jitter]; equal jitter in its upper half;
/// decorrelated between the base and three times the previous wait, up to the cap. The draws
/// differ from run to run of the schedule, and the same seed gives the same draws.
#[test]
fn jittered_waits_stay_within_their_bounds() {
    let plain = [1_000u64, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];
    let (full, _) = waits(&always_failing(BackoffPolicy::Exponential, Jitter::Full));
    assert!(full.iter().zip(plain).all(|(w, d)| *w <= d), "{full:?}");
    assert_ne!(full, plain.to_vec());
    let (equal, _) = waits(&always_failing(BackoffPolicy::Exponential, Jitter::Equal));
    assert!(equal.iter().zip(plain).all(|(w, d)| *w >= d / 2 && *w <= d), "{equal:?}");
    let (dec, _) = waits(&always_failing(BackoffPolicy::Exponential, Jitter::Decorrelated));
    let mut prev = 1_000;
    for w in &dec {
        // (Whole ms of whole-µs draws: allow the truncation.)
        assert!(*w + 1 >= 1_000 && *w <= (3 * prev).min(30_000), "{dec:?}");
        prev = (*w).max(1_000);
    }
    assert_eq!(waits(&always_failing(BackoffPolicy::Exponential, Jitter::Full)).0, full, "same seed, same draws");
}

#[test]
fn the_schedule_is_refused_by_the_setting_at_fault() {
    let mut s = always_failing(BackoffPolicy::Exponential, Jitter::None);
    s.processing.retry.cap_ms = 500;
    let e = s.validate().unwrap_err().to_string();
    assert!(e.starts_with("processing.retry.cap_ms: must not be below the base"), "{e}");
    // The cap is the exponential policy's only: a fixed wait longer than it is fine.
    s.processing.retry.policy = BackoffPolicy::Fixed;
    s.validate().unwrap();
    s.processing.retry.jitter = Jitter::Decorrelated;
    let e = s.validate().unwrap_err().to_string();
    assert!(e.starts_with("processing.retry.jitter: "), "{e}");
    let json = r#"{"processing": {"retry": {"policy": "sometimes"}}}"#;
    let e = Scenario::from_json(json).unwrap_err().to_string();
    assert!(e.contains("processing.retry.policy"), "{e}");
}
