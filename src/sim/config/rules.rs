//! What the settings' table cannot say about one setting alone: settings that are each in range
//! but cannot run together (a crash point that can never strike, a consumer that would crash and
//! come back at the same instant forever), and a fault schedule that must fit the group it acts
//! on. A scenario is checked when it loads; the live settings after every command.
//! `Scenario::validate_settings` applies the rules, so a scenario file, a live command and the
//! page's controls meet the same sentence.
//!
//! The idempotent producer, as Kafka's Java client checks it: `ProducerConfig.
//! postProcessAndValidateIdempotenceConfigs` (in this form since Kafka 3.2: KAFKA-13598, KAFKA-13673; read
//! at apache/kafka trunk 1eb7644, 4.0.0-SNAPSHOT, with
//! `KafkaProducerTest.testRetriesAndIdempotenceForIdempotentProducers`,
//! `testAcksAndIdempotenceForIdempotentProducers` and
//! `testInflightRequestsAndIdempotenceForIdempotentProducers`). With `enable.idempotence=true` set
//! explicitly it throws a `ConfigException` when `retries` is 0, when `acks` is not `all` (or
//! `-1`), or when `max.in.flight.requests.per.connection` is above 5, checked in that order. Left
//! unset (idempotence is on by default since 3.0), the same conflicts switch idempotence off
//! silently instead; a scenario's `producer.idempotent` is always explicit, so it is refused.
//! librdkafka refuses the same three user-set conflicts (`rd_kafka_conf_finalize`:
//! "`acks` must be set to `all` when `enable.idempotence` is true", and likewise for `retries` >= 1
//! and `max.in.flight` <= 5).

use super::choices::{Client, CommitStrategy, CrashPoint, IdempotencyMode};
use super::downstream::WhenOpen;
use super::limits::{IDEMPOTENT_MAX_IN_FLIGHT, MAX_CONSUMERS, MAX_FAULTS, MAX_LONG_MS};
use super::queue::{BrokerKind, Overflow};
use super::replication::broker_refusal;
use super::scenario::{invalid, Acks, BackoffPolicy, RetryMode, Scenario, ScenarioError};
use super::schema::deploy_refusal;
use super::sourcing::rebuild_refusal;
use crate::sim::command::Command;
use crate::sim::errors::CommandError;
use crate::sim::ids::ConsumerId;
use crate::sim::kernel::rng::Probability;
use crate::sim::kernel::sort;

/// Processing with a mean below this (1 µs, the engine's time step) rounds to no time at all.
const NO_TIME_MS: f64 = 0.001;

/// Why a topic of `now` partitions cannot grow to `count`: Kafka adds partitions, never removes
/// them (`kafka-topics.sh --alter` refuses a count that is not above the current one).
/// (`when` says at what time: "now", or "at that time" for a scheduled command.)
fn partitions_only_grow(now: u32, count: u32, when: &str) -> Option<String> {
    (count <= now).then(|| {
        format!(
            "must be more than the {now} partitions the topic has {when} (got {count}): Kafka adds partitions to a topic, never removes them"
        )
    })
}

impl Scenario {
    /// These settings with the topic grown to `count` partitions, as `Command::AddPartitions`
    /// leaves them; refused (naming the command's field) unless `count` is more than the topic
    /// has. The upper limit is the command's own check.
    pub fn with_partitions(&self, count: u32) -> Result<Scenario, CommandError> {
        if self.broker == BrokerKind::Queue {
            let message = broker_mismatch(&Command::AddPartitions { count });
            return Err(CommandError::Invalid { field: "count", message });
        }
        if let Some(message) = partitions_only_grow(self.topic.partitions, count, "now") {
            return Err(CommandError::Invalid { field: "count", message });
        }
        let mut s = self.clone();
        s.topic.partitions = count;
        Ok(s)
    }

    /// Why a crash at `point` could never strike with these settings, if it could not.
    pub fn crash_never_strikes(&self, point: CrashPoint) -> Option<String> {
        let mode = self.idempotency.mode;
        (point == CrashPoint::AfterDedupMark && !mode.has_dedup_store()).then(|| {
            let mode = serde_json::to_value(mode).expect("choices always serialize");
            format!(
                "after_dedup_mark never strikes with idempotency {}: there is no dedup mark (use dedup_check_then_act \
                 or dedup_atomic)",
                mode.as_str().unwrap_or_default()
            )
        })
    }

    /// Settings that are each valid but cannot run together. The error names one of them.
    pub(super) fn check_combinations(&self) -> Result<(), ScenarioError> {
        check_idempotent_producer(self)?;
        check_delivery_timeout(self)?;
        check_retry_backoff(self)?;
        check_endless_retries(self)?;
        check_breaker(self)?;
        check_queue(self)?;
        check_shared_log(self)?;
        let on_queue = self.broker == BrokerKind::Queue;
        if let Some((field, why)) = super::replication::refusal(&self.replication, on_queue) {
            return Err(invalid(field, why));
        }
        let sourcing = super::sourcing::Needs {
            on_queue,
            keys: self.producer.keys.count,
            outbox_or_transactions: self.outbox.mode != super::outbox::Publish::Direct || self.transactions.enabled,
        };
        let refused = super::outbox::refusal(&self.outbox, self.producer.acks == Acks::Zero)
            .or_else(|| super::sourcing::refusal(&self.sourcing, &sourcing))
            .or_else(|| super::shop::refusal(&self.shop, &sourcing, self.sourcing.enabled))
            .or_else(|| super::schema::refusal(&self.schema));
        if let Some((field, why)) = refused {
            return Err(invalid(field, why));
        }
        let needs = super::transactions::Needs {
            on_queue,
            clustered: self.replication.is_clustered(),
            commit_after: self.consumers.commit == CommitStrategy::AfterProcessing,
            idempotency_none: self.idempotency.mode == IdempotencyMode::None,
            reappend: self.processing.retry.mode == RetryMode::Reappend,
            dead_letter_queue: self.processing.dead_letter_queue,
        };
        if let Some((field, why)) = super::transactions::refusal(&self.transactions, &needs) {
            return Err(invalid(field, why));
        }
        if self.idempotency.mode == IdempotencyMode::Versioning && self.producer.keys.count == 0 {
            let why = "versioning keeps a version per key, and the producer sends no keys (producer.keys.count is 0)";
            return Err(invalid("idempotency.mode", why.into()));
        }
        let crash = &self.consumers.crash;
        if crash.probability > 0.0 {
            if let Some(why) = self.crash_never_strikes(crash.point) {
                return Err(invalid("consumers.crash.point", why));
            }
        }
        if let Some(why) = self.crash_loop_at_one_instant() {
            return Err(invalid("consumers.crash.restart_delay_ms", why));
        }
        Ok(())
    }

    /// A consumer that crashes on every record at a step reached with no time passing, and comes
    /// back at once into its old place (static membership: no rebalance, no session to wait out)
    /// to read the same record again, loops forever at one instant: time could never advance.
    /// (A dynamic member's restart waits for its old session or the rebalance timeout.) Refused
    /// whatever `auto.offset.reset` says: latest skips the record only while nothing on its
    /// partition was committed.
    fn crash_loop_at_one_instant(&self) -> Option<String> {
        let c = &self.consumers;
        let always = Probability::from_f64(c.crash.probability) == Probability::ONE;
        // A queue has no session to wait out: the restarted consumer takes work at once.
        let comes_back_at_once = c.static_membership || self.first_queue() < self.subscriber_count();
        if !comes_back_at_once || c.crash.restart_delay_ms != Some(0) || !always {
            return None;
        }
        let p = &self.processing;
        // After the effect the record comes back unless it was committed before processing or
        // the dedup store marked it with the effect.
        let effect_at_once = p.service.mean_ms < NO_TIME_MS
            && p.failure_probability < 1.0
            && c.commit != CommitStrategy::BeforeProcessing
            && self.idempotency.mode != IdempotencyMode::DedupAtomic;
        let step = match c.crash.point {
            CrashPoint::AfterReceive => "after receiving",
            CrashPoint::AfterEffect if effect_at_once => "after the effect (processing under 0.001 ms)",
            _ => return None,
        };
        let with = if c.static_membership { "static membership" } else { "the queue broker" };
        Some(format!(
            "0 with {with} and crash probability 1 {step} would loop: the consumer crashes, rejoins and \
             crashes on the same record at one instant, forever"
        ))
    }

    /// The likeliest reason a run does too much at one instant, naming the settings: for the
    /// engine's backstop message.
    pub fn likely_cause_of_no_time_step(&self) -> String {
        let (c, p) = (&self.consumers, &self.processing);
        if c.crash.restart_delay_ms == Some(0) && c.crash.probability > 0.0 {
            "consumers crash and restart at once (consumers.crash.restart_delay_ms 0, consumers.crash.probability above 0); \
             set a restart delay"
                .into()
        } else if p.service.mean_ms < NO_TIME_MS {
            "processing takes no time (processing.service.mean_ms under 0.001), so every record waiting is handled at one \
             instant; set a processing time"
                .into()
        } else if p.failure_probability > 0.0 && p.retry.backoff_ms == 0 {
            "failed records are retried with no wait (processing.retry.backoff_ms 0); set a backoff".into()
        } else {
            "something repeats with no time step; a delay set to 0 is the usual suspect".into()
        }
    }

    /// The fault schedule, in the order the engine applies it (by time, then by position): each
    /// command valid, aimed at a consumer the group has by then (counting those added by earlier
    /// faults), leaving settings that run, and redriving all parked messages or none (which ones
    /// are parked depends on the run).
    /// Why `consumer` names no consumer at `at_ms` into the run, when the first subscriber has
    /// `first` consumers then (each other subscriber keeps the number it starts with, from when
    /// it starts).
    fn no_such_consumer(&self, consumer: ConsumerId, first: u32, at_ms: u64) -> Option<String> {
        let k = consumer.subscriber();
        if usize::from(k) >= self.subscriber_count() {
            return Some(format!("there is no subscriber {k} (the run has {})", self.subscriber_count()));
        }
        if let Some(t) = self.starts_at_ms(k).filter(|&t| t > at_ms) {
            let name = self.subscriber_name(k).unwrap_or_default();
            return Some(format!("subscriber {name} starts at {t} ms: its consumers are not running yet"));
        }
        let n = if k == 0 { first } else { self.consumers_of(k) };
        let whose = self.subscriber_name(k).map_or("the group".to_string(), |name| format!("subscriber {name}"));
        (consumer.index() >= n as usize)
            .then(|| format!("there is no consumer {consumer} ({whose} has {n} at that time)"))
    }

    pub(super) fn validate_faults(&self) -> Result<(), ScenarioError> {
        if self.faults.len() > MAX_FAULTS {
            let message = format!("at most {MAX_FAULTS} scheduled commands (got {})", self.faults.len());
            return Err(invalid("faults", message));
        }
        let mut order: Vec<usize> = (0..self.faults.len()).collect();
        sort::sort_by_key(&mut order, |&i| self.faults[i].at_ms);
        let mut live = Scenario { faults: Vec::new(), ..self.clone() };
        let mut consumers = self.consumers.count;
        let mut brokers_down = 0u32;
        for i in order {
            let f = &self.faults[i];
            let field = |rest: &str| format!("faults[{i}].{rest}");
            if f.at_ms > MAX_LONG_MS {
                let message = format!("must be at most {MAX_LONG_MS} (got {})", f.at_ms);
                return Err(invalid(&field("at_ms"), message));
            }
            let command = &f.command;
            command.validate().map_err(|e| invalid(&field("command"), e.to_string()))?;
            let state = (&mut consumers, &mut brokers_down);
            self.check_fault(&mut live, command, f.at_ms, state).map_err(|(rest, why)| invalid(&field(rest), why))?;
            let writes = command.writes().map_err(|e| invalid(&field("command"), e.to_string()))?;
            if !writes.is_empty() {
                live = live.with_writes(&writes).map_err(|e| match e {
                    ScenarioError::Invalid { field: f, message } => {
                        invalid(&field("command"), format!("{f} {message}"))
                    }
                    other => other,
                })?;
            }
        }
        Ok(())
    }

    /// Whether scheduled `command` (at `at_ms`) applies to the run as the schedule leaves it
    /// (`live`, with its consumer count and brokers down): the field under `command` at fault,
    /// and why not.
    fn check_fault(
        &self,
        live: &mut Scenario,
        command: &Command,
        at_ms: u64,
        (consumers, brokers_down): (&mut u32, &mut u32),
    ) -> Result<(), (&'static str, String)> {
        match *command {
            Command::CrashConsumer { consumer, .. }
            | Command::RestartConsumer { consumer }
            | Command::SlowConsumer { consumer, .. }
                if self.no_such_consumer(consumer, *consumers, at_ms).is_some() =>
            {
                let message = self.no_such_consumer(consumer, *consumers, at_ms).unwrap_or_default();
                return Err(("command.consumer", message));
            }
            Command::CrashConsumer { at: Some(point), .. } => {
                if let Some(why) = live.crash_never_strikes(point) {
                    return Err(("command.at", why));
                }
            }
            Command::AddConsumer if *consumers >= MAX_CONSUMERS => {
                let message = format!("the group already has {MAX_CONSUMERS} consumers, the most it can have");
                return Err(("command", message));
            }
            Command::AddConsumer => *consumers += 1,
            Command::Redrive { .. } if shared_log_redrive(live).is_some() => {
                let message = shared_log_redrive(live).unwrap_or_default();
                return Err(("command", message));
            }
            Command::Redrive { msg: Some(_) } => {
                let message = "a schedule cannot know which messages the dead-letter queue holds at that time; \
                               leave msg out to redrive them all"
                    .to_string();
                return Err(("command.msg", message));
            }
            Command::RebuildProjection { subscriber } => {
                if let Some(message) = rebuild_refusal(&live.sourcing, subscriber, live.subscribers.len().max(1)) {
                    return Err(("command.subscriber", message));
                }
            }
            Command::DeploySchema { version } => {
                if let Some(message) = deploy_refusal(&live.schema, version) {
                    return Err(("command.version", message));
                }
            }
            Command::AddPartitions { .. } | Command::RestartBroker
                if (live.broker == BrokerKind::Queue) != (*command == Command::RestartBroker) =>
            {
                return Err(("command", broker_mismatch(command)));
            }
            Command::CrashBroker { broker } | Command::StartBroker { broker } => {
                let (crash, on_queue) =
                    (matches!(command, Command::CrashBroker { .. }), live.broker == BrokerKind::Queue);
                if let Some(message) = broker_refusal(&live.replication, on_queue, broker, crash, *brokers_down) {
                    return Err(("command.broker", message));
                }
                *brokers_down ^= 1 << broker;
            }
            Command::AddPartitions { count } => {
                if let Some(message) = partitions_only_grow(live.topic.partitions, count, "at that time") {
                    return Err(("command.count", message));
                }
                live.topic.partitions = count;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Why `command` does not apply to the run's broker: partitions are the log's, a node restart
/// the queue broker's.
pub fn broker_mismatch(command: &Command) -> String {
    match command {
        Command::RestartBroker => "a broker restart applies to the queue broker only".into(),
        _ => "the queue broker has one queue and no partitions".into(),
    }
}

/// The first rule `s` breaks, named by the setting that carries it (`producer.idempotent`).
pub(super) fn check_idempotent_producer(s: &Scenario) -> Result<(), ScenarioError> {
    let p = &s.producer;
    if p.idempotent == Some(true) && s.broker == BrokerKind::Queue {
        return Err(ScenarioError::Invalid {
            field: "producer.idempotent".into(),
            message: "applies to the log broker only: RabbitMQ has no idempotent publisher, a resent message is \
                      queued again (leave it unset or off)"
                .into(),
        });
    }
    if p.idempotent != Some(true) {
        return Ok(()); // unset, the Java client switches idempotence off instead (`idempotence`)
    }
    let (needs, has) = if p.retries == 0 {
        ("retries > 0", "retries=0".to_string())
    } else if p.acks != Acks::All {
        ("acks=all", format!("acks={}", p.acks.name()))
    } else if p.max_in_flight > IDEMPOTENT_MAX_IN_FLIGHT {
        ("max_in_flight at most 5", format!("max.in.flight.requests.per.connection={}", p.max_in_flight))
    } else {
        return Ok(());
    };
    let (client, how) = match p.client {
        Client::Java => ("Kafka's Java client", ": ConfigException"),
        Client::Librdkafka => ("librdkafka", ""),
    };
    Err(ScenarioError::Invalid {
        field: "producer.idempotent".into(),
        message: format!("requires {needs} ({client} refuses enable.idempotence=true with {has}{how})"),
    })
}

/// The retry schedule as the backoff module checks it (a cap below the base, decorrelated jitter
/// on a fixed wait), named by the retry setting at fault. The cap applies to the exponential
/// policy only, so only there may it not be below the base.
fn check_retry_backoff(s: &Scenario) -> Result<(), ScenarioError> {
    let mut backoff = s.processing.retry.backoff();
    if backoff.policy != BackoffPolicy::Exponential {
        backoff.cap_us = backoff.cap_us.max(backoff.base_us);
    }
    backoff.check().map_err(|e| {
        let field = match e.field {
            "base_us" => "backoff_ms",
            "cap_us" => "cap_ms",
            "max_attempts" => "max_retries",
            other => other,
        };
        invalid(&format!("processing.retry.{field}"), e.reason)
    })
}

/// Without a dead-letter queue a failing message is tried again and again, each time after the
/// schedule's last wait: a wait of 0 would let a message that fails at once (refused by the API's
/// rate limit or an open breaker) loop at one instant, so it must be at least 1 ms.
fn check_endless_retries(s: &Scenario) -> Result<(), ScenarioError> {
    let p = &s.processing;
    if p.classify_poison && !p.dead_letter_queue {
        return Err(invalid(
            "processing.classify_poison",
            "needs the dead-letter queue: a message no retry can help must be parked somewhere".into(),
        ));
    }
    let backoff = p.retry.backoff();
    if p.dead_letter_queue || backoff.ceiling_us(backoff.retries().max(1)) >= 1_000 && backoff.retries() > 0 {
        return Ok(());
    }
    Err(invalid(
        "processing.dead_letter_queue",
        "cannot be off with this retry schedule: without a dead-letter queue a failing message is \
         tried again after the schedule's last wait, so it needs one of at least 1 ms (policy fixed \
         or exponential, backoff at least 1 ms)"
            .into(),
    ))
}

/// The queue broker's combinations: requeueing is a queue's (`basic.nack`); a quorum queue
/// (`queue.delivery_limit`) is always durable and, in RabbitMQ 3.10, has no reject-publish-dlx;
/// and a nack that comes straight back to a failure that takes no time (a breaker failing fast, a
/// handler with no processing time) would loop at one instant unless a delivery limit ends it.
fn check_queue(s: &Scenario) -> Result<(), ScenarioError> {
    let (q, requeue) = (&s.queue, s.processing.retry.mode == RetryMode::Requeue);
    if requeue && s.broker != BrokerKind::Queue {
        let message = "requeue is the queue broker's (basic.nack with requeue): a log re-reads a record only by \
                       seeking back to it; use in_place or reappend"
            .into();
        return Err(invalid("processing.retry.mode", message));
    }
    if q.quorum() && !q.durable {
        let message =
            "must be on with queue.delivery_limit set: that makes it a quorum queue, which is always durable".into();
        return Err(invalid("queue.durable", message));
    }
    if q.quorum() && q.overflow == Overflow::RejectPublishDlx {
        let message =
            "reject_publish_dlx is not offered by RabbitMQ 3.10's quorum queues (queue.delivery_limit is set): \
                       use drop_head or reject_publish"
                .into();
        return Err(invalid("queue.overflow", message));
    }
    if requeue && s.consumers.commit != CommitStrategy::AfterProcessing {
        let message = "requeue needs the delivery unacknowledged when processing fails (consumers.commit \
                       after_processing): an early or automatic ack leaves nothing to reject"
            .into();
        return Err(invalid("processing.retry.mode", message));
    }
    let fails_at_once = (s.breaker.enabled && s.breaker.when_open == WhenOpen::FailFast)
        || s.downstream.capacity_per_sec.is_some()
        || s.processing.service.mean_ms < NO_TIME_MS;
    if requeue && q.delivery_limit.is_none() && fails_at_once {
        let message = "requeue with no delivery limit loops with no time passing here: a call refused at once (by \
                       the breaker failing fast, or by the API over its capacity, 429), or a handler that takes no time, \
                       fails, and the nacked message comes straight back; set queue.delivery_limit, or give the handler \
                       time, the breaker pause and the API no capacity limit"
            .into();
        return Err(invalid("processing.retry.mode", message));
    }
    Ok(())
}

/// Several consumer groups on one topic: a retry that appends the failed record to the topic again
/// would reach every group, which would process it a second time.
fn check_shared_log(s: &Scenario) -> Result<(), ScenarioError> {
    if s.shared_log() && s.processing.retry.mode == RetryMode::Reappend {
        let message = "reappend with several consumer groups on the topic: the retry copy would reach every group, \
                       and the others would process the message again (real setups give each group a retry topic \
                       of its own, which is not modelled); use in_place"
            .into();
        return Err(invalid("processing.retry.mode", message));
    }
    Ok(())
}

/// Why a redrive cannot run on a topic several consumer groups read: it appends the message again,
/// so every group would read it again.
pub fn shared_log_redrive(s: &Scenario) -> Option<String> {
    s.shared_log().then(|| {
        "several consumer groups read the topic: a redrive appends the message again, and every group would read \
         it again (real setups redrive to a topic of the group's own, which is not modelled)"
            .into()
    })
}

/// The breaker's settings as resilience4j's builder checks them, named by their path.
fn check_breaker(s: &Scenario) -> Result<(), ScenarioError> {
    s.breaker.config.validate().map_err(|e| invalid(&format!("breaker.config.{}", e.field), e.reason.into()))
}

/// A delivery timeout set shorter than the request timeout: the Java client refuses it
/// (`KafkaProducer.configureDeliveryTimeout`: "delivery.timeout.ms should be equal to or larger than
/// linger.ms + request.timeout.ms"; the sim does not linger). librdkafka would accept it and time the
/// message out while its request is in flight, which the sim does not model: it gives up on a
/// record in flight only when its request times out.
pub(super) fn check_delivery_timeout(s: &Scenario) -> Result<(), ScenarioError> {
    let p = &s.producer;
    match p.delivery_timeout_ms {
        Some(ms) if ms < p.request_timeout_ms => Err(ScenarioError::Invalid {
            field: "producer.delivery_timeout_ms".into(),
            message: format!(
                "must be at least the request timeout ({ms} ms < {} ms): {}",
                p.request_timeout_ms,
                match p.client {
                    Client::Java => "Kafka's Java client refuses it (ConfigException)",
                    Client::Librdkafka =>
                        "a record would time out while its request is in flight, which the sim does not model",
                }
            ),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idempotent() -> Scenario {
        let mut s = Scenario::default();
        s.producer.idempotent = Some(true);
        s
    }

    fn refusal(s: &Scenario) -> String {
        check_idempotent_producer(s).unwrap_err().to_string()
    }

    /// KafkaProducerTest's cases, one by one: explicitly idempotent with a conflict throws; the
    /// same conflict without idempotence is a valid producer.
    #[test]
    fn the_java_clients_cases() {
        check_idempotent_producer(&idempotent()).unwrap();
        let mut s = idempotent();
        s.producer.acks = Acks::Leader;
        assert_eq!(
            refusal(&s),
            "producer.idempotent: requires acks=all \
             (Kafka's Java client refuses enable.idempotence=true with acks=1: ConfigException)"
        );
        s.producer.acks = Acks::Zero;
        assert!(refusal(&s).ends_with("with acks=0: ConfigException)"), "{}", refusal(&s));
        let mut s = idempotent();
        s.producer.retries = 0;
        assert!(refusal(&s).contains("requires retries > 0 (Kafka's Java client refuses"), "{}", refusal(&s));
        let mut s = idempotent();
        s.producer.max_in_flight = 6;
        assert!(refusal(&s).contains("with max.in.flight.requests.per.connection=6:"), "{}", refusal(&s));
        s.producer.max_in_flight = 5;
        check_idempotent_producer(&s).unwrap();
        for mut s in [Scenario::default(), idempotent()] {
            s.producer.idempotent = Some(false);
            (s.producer.acks, s.producer.retries, s.producer.max_in_flight) = (Acks::Zero, 0, 6);
            check_idempotent_producer(&s).unwrap();
        }
    }

    /// Retries are checked first, then acks, then the requests in flight, as the Java client does.
    #[test]
    fn the_first_broken_rule_is_named() {
        let mut s = idempotent();
        (s.producer.acks, s.producer.retries, s.producer.max_in_flight) = (Acks::Leader, 0, 9);
        assert!(refusal(&s).contains("retries > 0"));
        s.producer.retries = 1;
        assert!(refusal(&s).contains("acks=all"));
        s.producer.acks = Acks::All;
        assert!(refusal(&s).contains("at most 5"));
    }

    /// Unset, the Java client's idempotence gives way to each conflict (KafkaProducerTest's
    /// `testDefaultIdempotence...` cases); librdkafka's is off.
    #[test]
    fn unset_idempotence_is_the_clients_default() {
        let mut s = Scenario::default();
        assert_eq!(s.producer.idempotent, None);
        assert!(s.producer.idempotence(), "on by default in the Java client");
        let conflicts: [fn(&mut Scenario); 4] = [
            |s| s.producer.retries = 0,
            |s| s.producer.acks = Acks::Leader,
            |s| s.producer.acks = Acks::Zero,
            |s| s.producer.max_in_flight = 6,
        ];
        for conflict in conflicts {
            let mut c = s.clone();
            conflict(&mut c);
            check_idempotent_producer(&c).unwrap();
            assert!(!c.producer.idempotence(), "silently off");
        }
        s.producer.client = Client::Librdkafka;
        assert!(!s.producer.idempotence());
    }

    #[test]
    fn a_delivery_timeout_below_the_request_timeout_is_refused() {
        let mut s = Scenario::default();
        s.producer.request_timeout_ms = 30_000;
        s.producer.delivery_timeout_ms = Some(29_999);
        let e = check_delivery_timeout(&s).unwrap_err().to_string();
        assert!(e.starts_with("producer.delivery_timeout_ms: must be at least the request timeout"), "{e}");
        s.producer.delivery_timeout_ms = Some(30_000);
        check_delivery_timeout(&s).unwrap();
        // Unset, the Java client raises its default to the request timeout instead.
        s.producer.delivery_timeout_ms = None;
        s.producer.request_timeout_ms = 200_000;
        assert_eq!(s.producer.delivery_timeout_ms(), 200_000);
        s.producer.client = Client::Librdkafka;
        assert_eq!(s.producer.delivery_timeout_ms(), 300_000);
    }

    #[test]
    fn librdkafka_refuses_the_same() {
        let mut s = idempotent();
        s.producer.client = Client::Librdkafka;
        s.producer.acks = Acks::Leader;
        assert!(refusal(&s).ends_with("(librdkafka refuses enable.idempotence=true with acks=1)"), "{}", refusal(&s));
    }
}
