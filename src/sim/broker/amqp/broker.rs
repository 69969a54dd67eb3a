//! The queue broker: exchanges, bindings and queues, as one RabbitMQ 3.10 virtual host keeps
//! them. It publishes (routing, mandatory returns, publisher confirms), hands out messages
//! (`basic.get`), settles deliveries, lets time pass (TTL expiry at the heads of queues), and
//! routes every message that dies in a queue to that queue's dead-letter exchange, recording its
//! death in `x-death`.

use super::dead_letter::{is_cycle, record_death, DeathReason, XDeath};
use super::exchange::{route, Binding, Destination, Exchange, ExchangeType};
use super::headers::{valid_x_match, FieldTable};
use super::queue::{Message, Queue, QueueConfig, Settle};
use std::collections::{BTreeMap, VecDeque};

/// What became of a publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The queues that took the message, by index.
    pub queues: Vec<usize>,
    /// Mandatory and routed to no queue: returned to the publisher (`basic.return`).
    pub returned: bool,
    /// The publisher confirm: false (a nack) when a queue refused it over its length limit.
    pub confirmed: bool,
}

/// A message handed out by `basic.get`.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub tag: u64,
    pub id: String,
    pub redelivered: bool,
    pub deaths: Vec<XDeath>,
}

/// A message that died with nowhere to go: its queue has no dead-letter exchange (or one that
/// does not exist), or going there would close an automatic dead-letter cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct Discarded {
    pub id: String,
    pub queue: String,
    pub reason: DeathReason,
}

/// Exchanges, queues and the deliveries awaiting settlement.
#[derive(Clone, Debug)]
pub struct QueueBroker {
    exchanges: Vec<Exchange>,
    exchange_names: BTreeMap<String, usize>,
    queues: Vec<Queue>,
    queue_names: BTreeMap<String, usize>,
    /// Delivery tag to the queue it came from.
    deliveries: BTreeMap<u64, usize>,
    next_tag: u64,
    now_us: u64,
    discarded: Vec<Discarded>,
}

impl Default for QueueBroker {
    fn default() -> Self {
        Self::new()
    }
}

impl QueueBroker {
    pub fn new() -> Self {
        QueueBroker {
            exchanges: Vec::new(),
            exchange_names: BTreeMap::new(),
            queues: Vec::new(),
            queue_names: BTreeMap::new(),
            deliveries: BTreeMap::new(),
            next_tag: 1,
            now_us: 0,
            discarded: Vec::new(),
        }
    }

    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    pub fn queue_index(&self, name: &str) -> Option<usize> {
        self.queue_names.get(name).copied()
    }

    /// Messages that died with nowhere to go, in order.
    pub fn discarded(&self) -> &[Discarded] {
        &self.discarded
    }

    pub fn declare_exchange(&mut self, name: &str, kind: ExchangeType, alternate: Option<&str>) -> Result<(), String> {
        if name.is_empty() || name.starts_with("amq.") {
            return Err(format!("exchange name {name:?}: the default exchange and amq.* cannot be declared"));
        }
        if self.exchange_names.contains_key(name) {
            return Err(format!("exchange {name:?} is declared twice"));
        }
        self.exchange_names.insert(name.to_string(), self.exchanges.len());
        let alternate = alternate.map(str::to_string);
        self.exchanges.push(Exchange { name: name.to_string(), kind, alternate, bindings: Vec::new() });
        Ok(())
    }

    pub fn declare_queue(&mut self, config: QueueConfig) -> Result<(), String> {
        if config.name.is_empty() || config.name.starts_with("amq.") {
            return Err(format!("queue name {:?}: empty and amq.* names are the server's", config.name));
        }
        if self.queue_names.contains_key(&config.name) {
            return Err(format!("queue {:?} is declared twice", config.name));
        }
        if config.delivery_limit.is_some() && config.kind != super::queue::QueueKind::Quorum {
            return Err(format!("queue {:?}: delivery_limit is for quorum queues", config.name));
        }
        self.queue_names.insert(config.name.clone(), self.queues.len());
        self.queues.push(Queue::new(config));
        Ok(())
    }

    fn exchange(&self, name: &str) -> Result<usize, String> {
        self.exchange_names.get(name).copied().ok_or_else(|| format!("no exchange {name:?}"))
    }

    /// Binds `source` to a queue or an exchange (`to_exchange`).
    pub fn bind(
        &mut self,
        source: &str,
        destination: &str,
        to_exchange: bool,
        key: &str,
        arguments: FieldTable,
    ) -> Result<(), String> {
        let x =
            self.exchange(source).map_err(|e| format!("binding source: {e} (the default exchange cannot be bound)"))?;
        let destination = if to_exchange {
            Destination::Exchange(self.exchange(destination).map_err(|e| format!("binding destination: {e}"))?)
        } else {
            Destination::Queue(
                self.queue_index(destination)
                    .ok_or_else(|| format!("binding destination: no queue {destination:?}"))?,
            )
        };
        if self.exchanges[x].kind == ExchangeType::Headers {
            valid_x_match(&arguments).map_err(|e| format!("binding arguments: {e}"))?;
        }
        self.exchanges[x].bind(Binding { destination, key: key.to_string(), arguments });
        Ok(())
    }

    /// The queues a message reaches from `exchange` ("" is the default exchange: the queue named
    /// by the routing key), over all its routing keys.
    fn route_from(&self, exchange: &str, keys: &[String], headers: &FieldTable) -> Result<Vec<usize>, String> {
        let mut queues = Vec::new();
        for key in keys {
            if exchange.is_empty() {
                queues.extend(self.queue_index(key));
            } else {
                let x = self.exchange(exchange)?;
                queues.extend(route(&self.exchanges, &self.exchange_names, x, key, headers));
            }
        }
        queues.sort_unstable();
        queues.dedup();
        Ok(queues)
    }

    /// Publishes `msg` to `exchange`.
    pub fn publish(&mut self, exchange: &str, msg: Message, mandatory: bool) -> Result<Published, String> {
        let queues = self.route_from(exchange, &msg.routing_keys, &msg.headers)?;
        let mut out = Published { queues: Vec::new(), returned: mandatory && queues.is_empty(), confirmed: true };
        let mut dead = VecDeque::new();
        for q in queues {
            let (taken, died) = self.queues[q].enqueue(msg.clone(), self.now_us);
            if taken {
                out.queues.push(q);
            } else {
                out.confirmed = false;
            }
            dead.extend(died.into_iter().map(|(m, r)| (q, m, r)));
        }
        self.dead_letter(dead);
        Ok(out)
    }

    /// `basic.get` on a queue: its head message, awaiting settlement, or None when it is empty.
    pub fn get(&mut self, queue: &str) -> Result<Option<Delivery>, String> {
        let q = self.queue_index(queue).ok_or_else(|| format!("no queue {queue:?}"))?;
        let tag = self.next_tag;
        let (entry, died) = self.queues[q].get(tag, self.now_us);
        let delivery = entry.map(|e| Delivery {
            tag,
            id: e.msg.id.clone(),
            redelivered: e.redelivered,
            deaths: e.msg.deaths.clone(),
        });
        if delivery.is_some() {
            self.deliveries.insert(tag, q);
            self.next_tag += 1;
        }
        self.dead_letter(died.into_iter().map(|(m, r)| (q, m, r)).collect());
        Ok(delivery)
    }

    /// Acks, discards or requeues the delivery `tag`.
    pub fn settle(&mut self, tag: u64, how: Settle) -> Result<(), String> {
        let q = self.deliveries.remove(&tag).ok_or_else(|| format!("no delivery with tag {tag}"))?;
        let died = self.queues[q].settle(tag, how, self.now_us).expect("the queue holds its deliveries");
        self.dead_letter(died.into_iter().map(|(m, r)| (q, m, r)).collect());
        Ok(())
    }

    /// Time passes to `now_us`: expired messages leave the heads of the queues, each at its own
    /// instant, so a message dead-lettered into a queue with a TTL expires there in turn.
    pub fn advance(&mut self, now_us: u64) {
        loop {
            let next = (0..self.queues.len())
                .filter_map(|q| self.queues[q].head_expiry_us().map(|t| (t, q)))
                .filter(|&(t, _)| t <= now_us)
                .min();
            let Some((t, q)) = next else { break };
            self.now_us = self.now_us.max(t);
            let died = self.queues[q].expire(self.now_us);
            self.dead_letter(died.into_iter().map(|(m, r)| (q, m, r)).collect());
        }
        self.now_us = self.now_us.max(now_us);
    }

    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// Routes each dead message to its queue's dead-letter exchange, in the order they died; the
    /// queues they reach may drop or expire more, which follow.
    fn dead_letter(&mut self, mut work: VecDeque<(usize, Message, DeathReason)>) {
        while let Some((from, mut msg, reason)) = work.pop_front() {
            let config = &self.queues[from].config;
            let (queue, dlx, key) =
                (config.name.clone(), config.dead_letter_exchange.clone(), config.dead_letter_routing_key.clone());
            let Some(dlx) = dlx.filter(|x| x.is_empty() || self.exchange_names.contains_key(x)) else {
                self.discarded.push(Discarded { id: msg.id, queue, reason });
                continue;
            };
            record_death(&mut msg.deaths, &queue, reason, &msg.exchange, &msg.routing_keys);
            if let Some(key) = key {
                msg.routing_keys = vec![key];
            }
            (msg.exchange, msg.expiration_ms) = (dlx.clone(), None);
            let targets = self.route_from(&dlx, &msg.routing_keys, &msg.headers).expect("the exchange exists");
            let targets: Vec<usize> =
                targets.into_iter().filter(|&t| !is_cycle(&msg.deaths, &self.queues[t].config.name, reason)).collect();
            if targets.is_empty() {
                self.discarded.push(Discarded { id: msg.id, queue, reason });
                continue;
            }
            for t in targets {
                let (_, died) = self.queues[t].enqueue(msg.clone(), self.now_us);
                work.extend(died.into_iter().map(|(m, r)| (t, m, r)));
            }
        }
    }
}
