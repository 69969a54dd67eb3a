//! The engine's side of the log's cluster: what the producer's requests reach (the brokers, whose
//! appends may wake consumers, and which say when an acks=all write is answered), the consumers a
//! replication event wakes, and whether a broker crash or start applies now.

use crate::sim::broker::brokers::Brokers;
use crate::sim::broker::log::{AckState, Received, Sequence, Woken};
use crate::sim::client::pipeline::Pipeline;
use crate::sim::client::producer::Broker;
use crate::sim::command::Command;
use crate::sim::config::queue::BrokerKind;
use crate::sim::config::replication::broker_refusal;
use crate::sim::config::scenario::Scenario;
use crate::sim::ctx::Ctx;
use crate::sim::errors::CommandError;
use crate::sim::ids::MessageId;

/// The brokers as the producer sees them: an append wakes the consumers that may have work.
pub(super) struct ProducerView<'a> {
    pub brokers: &'a mut Brokers,
    pub pipelines: &'a mut [Pipeline],
}

impl Broker for ProducerView<'_> {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn receive(&mut self, msg: MessageId, seq: Option<Sequence>, ctx: &mut Ctx) -> Received {
        let (received, partition) = self.brokers.receive(msg, seq, ctx);
        for p in self.pipelines.iter_mut() {
            let k = p.subscriber();
            p.wake(self.brokers.woken(k, partition), &mut self.brokers.of(k), ctx);
        }
        received
    }

    fn ack_state(&mut self, msg: MessageId, ctx: &mut Ctx) -> AckState {
        self.brokers.log.ack_state(msg, ctx)
    }
}

/// Wakes the consumers that may have work after a replication event.
pub(super) fn wake(woken: Woken, brokers: &mut Brokers, pipelines: &mut [Pipeline], ctx: &mut Ctx) {
    match woken {
        Woken::Nothing => {}
        Woken::Partition(partition) => {
            for p in pipelines.iter_mut() {
                let k = p.subscriber();
                p.wake(brokers.woken(k, Some(partition)), &mut brokers.of(k), ctx);
            }
        }
        Woken::All => {
            for p in pipelines.iter_mut() {
                p.wake_all(&mut brokers.of(p.subscriber()), ctx);
            }
        }
    }
}

/// A broker crash or start on the log's cluster, or the queue broker's node restart, applied.
pub(super) fn apply(command: &Command, brokers: &mut Brokers, pipelines: &mut [Pipeline], ctx: &mut Ctx) {
    match *command {
        Command::RestartBroker => {
            for q in &mut brokers.queues {
                q.restart(ctx);
            }
            // The consumers reconnect and take what went back.
            wake(Woken::All, brokers, pipelines, ctx)
        }
        Command::CrashBroker { broker } => brokers.log.crash_broker(broker as u8, ctx),
        Command::StartBroker { broker } => {
            let woken = brokers.log.start_broker(broker as u8, ctx);
            wake(woken, brokers, pipelines, ctx)
        }
        _ => {}
    }
}

/// Why a broker crash or start does not apply now, if it does not.
pub(super) fn refusal(command: &Command, s: &Scenario, brokers: &Brokers) -> Result<(), CommandError> {
    let (broker, crash) = match *command {
        Command::CrashBroker { broker } => (broker, true),
        Command::StartBroker { broker } => (broker, false),
        _ => return Ok(()),
    };
    let down = brokers.log.replication().map_or(0, |r| r.down);
    match broker_refusal(&s.replication, s.broker == BrokerKind::Queue, broker, crash, down) {
        Some(message) => Err(CommandError::Invalid { field: "broker", message }),
        None => Ok(()),
    }
}
