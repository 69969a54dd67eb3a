//! Queue scripts: a topology and steps (publish, get, settle, wait), run on the queue broker to
//! a list of observations, the same a differential test records on a real RabbitMQ server (see
//! `tests/rabbitmq/FORMAT.md`). Deterministic: the clock moves only by `wait` steps.

use super::broker::QueueBroker;
use super::dead_letter::XDeath;
use super::exchange::ExchangeType;
use super::headers::FieldTable;
use super::queue::{Message, QueueConfig, Settle};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExchangeDecl {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ExchangeType,
    pub alternate_exchange: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BindingDecl {
    pub source: String,
    pub queue: Option<String>,
    pub exchange: Option<String>,
    pub key: String,
    pub arguments: FieldTable,
}

/// How a step settles a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Then {
    Ack,
    Nack,
    NackRequeue,
    Reject,
    RejectRequeue,
    /// Leave it unacknowledged until a `settle` step or the end.
    Keep,
}

impl Then {
    /// basic.nack and basic.reject of one delivery do the same.
    fn settle(self) -> Option<Settle> {
        match self {
            Then::Ack => Some(Settle::Ack),
            Then::Nack | Then::Reject => Some(Settle::Discard),
            Then::NackRequeue | Then::RejectRequeue => Some(Settle::Requeue),
            Then::Keep => None,
        }
    }
}

fn ten() -> u64 {
    10
}

/// The largest body RabbitMQ takes at all (`max_message_size` may not exceed 512 MiB): a script
/// publishing more is refused, which also keeps a queue's byte count far from overflowing.
const MAX_BODY_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    Publish {
        id: String,
        #[serde(default)]
        exchange: String,
        #[serde(default)]
        routing_key: String,
        #[serde(default)]
        headers: FieldTable,
        #[serde(default)]
        mandatory: bool,
        #[serde(default)]
        expiration_ms: Option<u64>,
        #[serde(default = "ten")]
        body_bytes: u64,
    },
    Get {
        queue: String,
        then: Then,
    },
    Settle {
        id: String,
        then: Then,
    },
    Wait {
        ms: u64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Script {
    pub name: String,
    pub description: String,
    pub exchanges: Vec<ExchangeDecl>,
    pub queues: Vec<QueueConfig>,
    pub bindings: Vec<BindingDecl>,
    pub steps: Vec<Step>,
}

/// The step an observation belongs to: its index, or "end" for the final drain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StepRef {
    Index(usize),
    End(&'static str),
}

/// What a client would see at one step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Observation {
    Publish { step: StepRef, id: String, returned: bool, confirm: &'static str },
    Get { step: StepRef, queue: String, id: Option<String>, redelivered: bool, x_death: Vec<XDeath> },
    Settle { step: StepRef, id: String },
}

impl Script {
    pub fn from_json(text: &str) -> Result<Script, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Declares the topology on a new broker.
    pub fn topology(&self) -> Result<QueueBroker, String> {
        let mut broker = QueueBroker::new();
        for (i, x) in self.exchanges.iter().enumerate() {
            broker
                .declare_exchange(&x.name, x.kind, x.alternate_exchange.as_deref())
                .map_err(|e| format!("exchanges[{i}]: {e}"))?;
        }
        for (i, q) in self.queues.iter().enumerate() {
            let q = q.resolved().map_err(|e| format!("queues[{i}].{e}"))?;
            broker.declare_queue(q).map_err(|e| format!("queues[{i}]: {e}"))?;
        }
        for (i, b) in self.bindings.iter().enumerate() {
            let (dest, to_exchange) = match (&b.queue, &b.exchange) {
                (Some(q), None) => (q, false),
                (None, Some(x)) => (x, true),
                _ => return Err(format!("bindings[{i}]: give exactly one of queue and exchange")),
            };
            broker
                .bind(&b.source, dest, to_exchange, &b.key, b.arguments.clone())
                .map_err(|e| format!("bindings[{i}]: {e}"))?;
        }
        Ok(broker)
    }

    /// Runs the script: every observation, in order.
    pub fn run(&self) -> Result<Vec<Observation>, String> {
        let mut run = Run { broker: self.topology()?, kept: Vec::new(), out: Vec::new() };
        for (i, step) in self.steps.iter().enumerate() {
            run.step(i, step).map_err(|e| format!("steps[{i}]: {e}"))?;
        }
        run.finish(self)?;
        Ok(run.out)
    }
}

/// A script's run in progress.
struct Run {
    broker: QueueBroker,
    /// Deliveries kept unacknowledged: (message id, tag), in the order kept.
    kept: Vec<(String, u64)>,
    out: Vec<Observation>,
}

impl Run {
    fn step(&mut self, i: usize, step: &Step) -> Result<(), String> {
        match step {
            Step::Publish { id, exchange, routing_key, headers, mandatory, expiration_ms, body_bytes } => {
                if *body_bytes > MAX_BODY_BYTES {
                    return Err(format!("body_bytes: at most {MAX_BODY_BYTES} (got {body_bytes})"));
                }
                let msg = Message {
                    id: id.clone(),
                    exchange: exchange.clone(),
                    routing_keys: vec![routing_key.clone()],
                    headers: headers.clone(),
                    expiration_ms: *expiration_ms,
                    body_bytes: *body_bytes,
                    deaths: Vec::new(),
                };
                let p = self.broker.publish(exchange, msg, *mandatory)?;
                let confirm = if p.confirmed { "ack" } else { "nack" };
                self.out.push(Observation::Publish {
                    step: StepRef::Index(i),
                    id: id.clone(),
                    returned: p.returned,
                    confirm,
                });
            }
            Step::Get { queue, then } => self.get(StepRef::Index(i), queue, *then)?,
            Step::Settle { id, then } => {
                let at =
                    self.kept.iter().position(|(k, _)| k == id).ok_or_else(|| format!("no kept delivery of {id:?}"))?;
                let how = then.settle().ok_or("settle needs ack, nack, reject or a requeue, not keep")?;
                let (_, tag) = self.kept.remove(at);
                self.broker.settle(tag, how)?;
                self.out.push(Observation::Settle { step: StepRef::Index(i), id: id.clone() });
            }
            Step::Wait { ms } => self.broker.advance(self.broker.now_us().saturating_add(ms.saturating_mul(1_000))),
        }
        Ok(())
    }

    fn get(&mut self, step: StepRef, queue: &str, then: Then) -> Result<(), String> {
        let d = self.broker.get(queue)?;
        let obs = Observation::Get {
            step,
            queue: queue.to_string(),
            id: d.as_ref().map(|d| d.id.clone()),
            redelivered: d.as_ref().is_some_and(|d| d.redelivered),
            x_death: d.as_ref().map(|d| d.deaths.clone()).unwrap_or_default(),
        };
        self.out.push(obs);
        if let Some(d) = d {
            match then.settle() {
                Some(how) => self.broker.settle(d.tag, how)?,
                None => self.kept.push((d.id, d.tag)),
            }
        }
        Ok(())
    }

    /// Kept deliveries go back (requeued, in the order kept); then every queue is drained.
    fn finish(&mut self, script: &Script) -> Result<(), String> {
        for (_, tag) in std::mem::take(&mut self.kept) {
            self.broker.settle(tag, Settle::Requeue)?;
        }
        for q in &script.queues {
            loop {
                let before = self.out.len();
                self.get(StepRef::End("end"), &q.name, Then::Ack)?;
                if matches!(self.out.last(), Some(Observation::Get { id: None, .. })) {
                    // The empty answer ends the drain and is not an observation.
                    self.out.truncate(before);
                    break;
                }
            }
        }
        Ok(())
    }
}
