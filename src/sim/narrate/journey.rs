//! The steps only a message's journey records (produced, settled), in plain words.

use super::pubsub;
use crate::sim::config::queue::{BrokerKind, ExchangeKind};
use crate::sim::engine::Simulation;
use crate::sim::event::JournalKind;
use crate::sim::ledger::Outcome;

/// The steps only journeys record, in plain words.
pub(super) fn journey_words(kind: &JournalKind, sim: &Simulation) -> String {
    use JournalKind::*;
    match *kind {
        Produced { msg, key, partition, event_type } => {
            let key = if key == crate::sim::ledger::NO_KEY {
                "no key".to_string()
            } else {
                format!("key {}", Simulation::key_name(key))
            };
            let types = &sim.scenario().producer.event_types;
            let name = types.get(event_type as usize).map_or("event", String::as_str);
            let s = sim.scenario();
            let (n, groups) = (s.subscribers.len(), sim.groups().len());
            if s.both_brokers() {
                return format!(
                    "{msg} {name} produced ({key}), written to partition {partition} of the topic (read by each of \
                     {groups} consumer groups) and published to the fanout exchange (a copy for each queue declared by then)"
                );
            }
            if pubsub(sim) && s.broker == BrokerKind::Queue {
                return match s.queue.exchange {
                    ExchangeKind::Fanout => format!(
                        "{msg} {name} produced ({key}), published to the fanout exchange: a copy for each queue bound to it"
                    ),
                    ExchangeKind::Headers => format!(
                        "{msg} {name} produced ({key}), published to the headers exchange with headers {}",
                        s.producer.headers_text(event_type as usize)
                    ),
                    kind => format!(
                        "{msg} {name} produced ({key}), published to the {} exchange with routing key {name}",
                        kind.name()
                    ),
                };
            }
            if pubsub(sim) {
                return format!(
                    "{msg} {name} produced ({key}), sent to partition {partition}, which each of {n} consumer groups reads"
                );
            }
            if s.broker == BrokerKind::Queue {
                return format!("{msg} {name} produced ({key}), published to the queue");
            }
            format!("{msg} {name} produced ({key}), sent to partition {partition}")
        }
        Settled { msg, outcome } if pubsub(sim) => match outcome {
            Outcome::ExactlyOnce => format!("{msg} settled: every subscriber applied it once"),
            Outcome::Duplicated => format!("{msg} settled: duplicated, a subscriber applied it more than once"),
            Outcome::DeadLettered => {
                format!("{msg} settled: dead-lettered by a subscriber that never applied it (the others may have)")
            }
            Outcome::Lost | Outcome::InFlight => format!("{msg} settled"),
        },
        Settled { msg, outcome } => match outcome {
            Outcome::ExactlyOnce => format!("{msg} settled: its effect applied once"),
            Outcome::Duplicated => format!("{msg} settled: duplicated, its effect applied more than once"),
            Outcome::DeadLettered => format!("{msg} settled: dead-lettered, its effect never applied"),
            Outcome::Lost | Outcome::InFlight => format!("{msg} settled"),
        },
        _ => unreachable!("journey_words is only called for Produced and Settled"),
    }
}
