//! Common random numbers: two runs that share a seed, a producer and a fault schedule see the
//! same arrivals, keys and event types, however different everything else is (the broker, the
//! topic, the consumers, commits, retries, idempotency, the network). Each concern draws from its
//! own stream (`kernel/rng.rs`), so a compare view's lanes differ only where their settings make
//! them differ. (Random crashes and processing failures draw from each subscriber's streams in
//! the order its consumers meet them: they line up between lanes only while the consumers do the
//! same work; scheduled faults are the same in every lane.)
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::scenario::*;
use eda_lab::sim::{Command, MessageId, SimTime};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[path = "props/scenarios.rs"]
#[allow(dead_code)]
mod scenarios;
use scenarios::*;
#[path = "props/runs.rs"]
mod runs;
use runs::*;

/// Each message produced: when, its key and its event type.
type Arrivals = BTreeMap<MessageId, (SimTime, u32, u8)>;

/// How many messages a run produced, and the arrivals of those the ledger still holds.
fn arrivals(s: &Scenario, commands: &[(u64, Command)]) -> Result<(u64, Arrivals), String> {
    let sim = run_audited(s, commands, 20_000)?;
    // In flight, or among the recent settled ones the ledger keeps.
    let produced = (0..sim.ledger().produced() as u32)
        .map(MessageId)
        .filter_map(|m| sim.ledger().get(m).map(|r| (m, (r.produced_at, r.key, r.event_type))))
        .collect();
    Ok((sim.ledger().produced(), produced))
}

/// The settings two lanes of a comparison share: the seed, the producer and the fault schedule.
/// Commands that change the producer are left out of the live ones (a lane changing its rate is
/// not the same arrivals).
fn same_inputs(a: &Scenario, b: &mut Scenario) {
    b.seed = a.seed;
    b.producer = a.producer.clone();
    b.faults = a.faults.clone();
    b.metrics = a.metrics;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn lanes_sharing_a_seed_see_the_same_arrivals_keys_and_event_types(
        mut a in scenario(),
        mut b in prop_oneof![scenario(), queue_scenario()],
        commands in schedule(20_000),
    ) {
        a.metrics.recent_messages = 100_000;
        // Off in both: the queue broker has no idempotent producer.
        a.producer.idempotent = Some(false);
        same_inputs(&a, &mut b);
        prop_assume!(a.validate().is_ok() && b.validate().is_ok());
        let commands: Vec<_> = commands
            .into_iter()
            .filter(|(_, c)| !matches!(c, Command::SetProducerRate { .. } | Command::SetProducerIdempotent { .. })
                && !matches!(c, Command::Set { setting, .. } if setting.starts_with("producer.")))
            .collect();
        let (na, pa) = arrivals(&a, &commands).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&a, &commands))))?;
        let (nb, pb) = arrivals(&b, &commands).map_err(|e| TestCaseError::fail(format!("{e}\n{}", describe(&b, &commands))))?;
        prop_assert_eq!(na, nb, "produced\n{}\n{}", describe(&a, &commands), describe(&b, &commands));
        let mut compared = 0;
        for (msg, seen) in &pa {
            if let Some(other) = pb.get(msg) {
                prop_assert_eq!(seen, other, "{}\n{}\n{}", msg, describe(&a, &commands), describe(&b, &commands));
                compared += 1;
            }
        }
        prop_assert!(compared > 0 || na == 0);
    }
}
