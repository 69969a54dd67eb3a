//! The random scenarios of the property tests: every setting drawn within the range the rules
//! accept, small enough to audit the whole ledger after every event.

use eda_lab::sim::policy::circuit_breaker::{CircuitBreakerConfig, SlidingWindowType};
use eda_lab::sim::scenario::*;
use proptest::prelude::*;

/// A random valid scenario: small enough to audit the whole ledger after every event.
pub fn scenario() -> impl Strategy<Value = Scenario> {
    let producer = (
        (0.5f64..30.0, prop_oneof![Just(Arrivals::Poisson), Just(Arrivals::Constant)]),
        (0u32..40, 0.0f64..1.0),
        (
            prop_oneof![Just(Client::Java), Just(Client::Librdkafka)],
            prop_oneof![Just(RdPartitioner::ConsistentRandom), Just(RdPartitioner::Murmur2Random)],
            (1u64..2_000, 0u64..20_000, 0u64..2_000),
        ),
        prop_oneof![Just(Acks::Zero), Just(Acks::Leader), Just(Acks::All)],
        (
            0u32..5,
            0u64..300,
            20u64..600,
            prop::option::of(any::<bool>()),
            max_in_flight(),
            prop::option::of(0u64..3_000),
        ),
    )
        .prop_map(
            |(
                (rate, arrivals),
                (keys, hot),
                (client, partitioner, (record_bytes, batch_size, sticky_linger_ms)),
                acks,
                (retries, backoff, timeout, idempotent, max_in_flight, delivery),
            )| {
                let mut p = ProducerConfig {
                    rate_per_sec: rate,
                    arrivals,
                    keys: KeySpace { count: keys, hot_key_share: hot },
                    client,
                    partitioner,
                    record_bytes,
                    batch_size,
                    sticky_linger_ms,
                    acks,
                    retries,
                    retry_backoff_ms: backoff,
                    request_timeout_ms: timeout,
                    delivery_timeout_ms: delivery.map(|d| timeout + d),
                    idempotent,
                    max_in_flight,
                    ..ProducerConfig::default()
                };
                if idempotent == Some(true) {
                    make_idempotent(&mut p);
                }
                p
            },
        );
    let network = (0u64..30, 0.0f64..0.3, 0.0f64..0.3).prop_map(|(latency_ms, request_loss, ack_loss)| NetworkConfig {
        latency_ms,
        request_loss,
        ack_loss,
    });
    // Small segments so that retention deletes something within a run, by age or by size.
    let topic = (
        1u32..6,
        prop::option::of(500u64..20_000),
        prop::option::of(500u64..20_000),
        50u64..2_000,
        200u64..5_000,
        100u64..5_000,
    )
        .prop_map(|(partitions, retention_ms, retention_bytes, retention_check_ms, segment_bytes, segment_ms)| {
            TopicConfig { partitions, retention_ms, retention_bytes, retention_check_ms, segment_bytes, segment_ms }
        });
    let commit = prop_oneof![
        Just(CommitStrategy::BeforeProcessing),
        Just(CommitStrategy::AfterProcessing),
        (50u64..2_000).prop_map(|interval_ms| CommitStrategy::Auto { interval_ms }),
    ];
    let crash = (crash_point(), 0.0f64..0.2, prop::option::of(0u64..3_000))
        .prop_map(|(point, probability, restart_delay_ms)| CrashConfig { point, probability, restart_delay_ms });
    // Short poll intervals put slow consumers out of the group now and then.
    let poll = prop_oneof![Just(300_000u64), 100u64..5_000];
    let assignor = prop_oneof![Just(Assignor::Range), Just(Assignor::RoundRobin), Just(Assignor::CooperativeSticky)];
    let group = (assignor, auto_offset_reset());
    let consumers = (1u32..5, commit, crash, 6_000u64..12_000, 0u64..800, poll, any::<bool>(), group).prop_map(
        |(
            count,
            commit,
            crash,
            session_timeout_ms,
            rebalance_ms,
            max_poll_interval_ms,
            static_membership,
            (assignor, auto_offset_reset),
        )| {
            ConsumerConfig {
                count,
                commit,
                crash,
                session_timeout_ms,
                rebalance_ms,
                max_poll_interval_ms,
                static_membership,
                assignor,
                auto_offset_reset,
            }
        },
    );
    let service = (
        prop_oneof![
            Just(ServiceDistribution::Exponential),
            Just(ServiceDistribution::Constant),
            Just(ServiceDistribution::Uniform)
        ],
        0.0f64..300.0,
    )
        .prop_map(|(distribution, mean_ms)| ServiceTime { distribution, mean_ms });
    let policies = prop_oneof![
        Just(BackoffPolicy::None),
        Just(BackoffPolicy::Immediate),
        Just(BackoffPolicy::Fixed),
        Just(BackoffPolicy::Exponential)
    ];
    let jitters = prop_oneof![Just(Jitter::None), Just(Jitter::Full), Just(Jitter::Equal), Just(Jitter::Decorrelated)];
    let retry = (
        (0u32..4, 0u64..800, 1u32..4, 0u64..3_000),
        (policies, jitters),
        prop_oneof![Just(RetryMode::InPlace), Just(RetryMode::Reappend)],
    )
        .prop_map(|((max_retries, backoff_ms, multiplier, cap), (policy, jitter), mode)| {
            // Decorrelated jitter grows the wait: the exponential policy's only (`rules.rs`).
            let jitter =
                if policy == BackoffPolicy::Fixed && jitter == Jitter::Decorrelated { Jitter::Full } else { jitter };
            let cap_ms = backoff_ms + cap; // never below the base
            RetryPolicy { max_retries, policy, backoff_ms, multiplier, cap_ms, jitter, mode }
        });
    let poison = (
        prop_oneof![2 => Just(0.0f64), 1 => 0.0f64..0.2],
        any::<bool>(),
        prop_oneof![3 => Just(true), 1 => Just(false)],
    );
    let processing = (service, 0.0f64..0.4, retry, poison).prop_map(
        |(service, failure_probability, mut retry, (poison_probability, classify_poison, dead_letter_queue))| {
            if !dead_letter_queue {
                // Without a dead-letter queue the schedule's last wait must not be 0 (`rules.rs`).
                retry.policy = BackoffPolicy::Fixed;
                retry.backoff_ms = retry.backoff_ms.max(1);
                retry.max_retries = retry.max_retries.max(1);
                if retry.jitter == Jitter::Decorrelated {
                    retry.jitter = Jitter::None;
                }
                // Re-appending for ever multiplies copies whenever a commit fails (a rebalance
                // re-reads records already re-appended, and each appends again): real, but its
                // cost grows exponentially, too fast to audit event by event.
                retry.mode = RetryMode::InPlace;
            }
            ProcessingConfig {
                service,
                failure_probability,
                retry,
                poison_probability,
                classify_poison: classify_poison && dead_letter_queue,
                dead_letter_queue,
            }
        },
    );
    let downstream = (
        prop::option::of(1u64..40),
        prop::option::of(1u64..8),
        prop_oneof![4 => Just(false), 1 => Just(true)],
        1u32..4,
    )
        .prop_map(|(capacity_per_sec, burst, outage, slow_factor)| DownstreamConfig {
            capacity_per_sec,
            burst,
            outage,
            slow_factor,
        });
    let breaker = (
        any::<bool>(),
        prop_oneof![Just(WhenOpen::Pause), Just(WhenOpen::FailFast)],
        (1u32..10, 1u32..10, 1u64..2_000, 1u32..4, 0u64..1_500),
        (any::<bool>(), any::<bool>(), 1.0f32..100.0, 1u64..400),
    )
        .prop_map(|(enabled, when_open, (window, min_calls, wait_ms, half_open, half_open_max_ms), more)| {
            let (time_based, automatic, threshold, slow_ms) = more;
            let config = CircuitBreakerConfig {
                failure_rate_threshold: threshold,
                slow_call_duration_threshold_ms: slow_ms,
                sliding_window_type: if time_based {
                    SlidingWindowType::TimeBased
                } else {
                    SlidingWindowType::CountBased
                },
                sliding_window_size: window,
                minimum_number_of_calls: min_calls,
                wait_duration_in_open_state_ms: wait_ms,
                permitted_number_of_calls_in_half_open_state: half_open,
                max_wait_duration_in_half_open_state_ms: half_open_max_ms,
                automatic_transition_from_open_to_half_open_enabled: automatic,
                ..CircuitBreakerConfig::default()
            };
            BreakerSettings { enabled, when_open, config }
        });
    let processing = (processing, downstream, breaker);
    let idempotency = (idempotency_mode(), prop::option::of(100u64..10_000))
        .prop_map(|(mode, dedup_ttl_ms)| IdempotencyConfig { mode, dedup_ttl_ms });
    // Few recent records kept, so runs forget settled messages and move stragglers: the audit
    // then checks the tallies of forgotten records too.
    let recent_messages = prop_oneof![0usize..48, Just(4_096)];
    (any::<u64>(), producer, network, topic, consumers, processing, idempotency, recent_messages, subscribers())
        .prop_map(
            |(
                seed,
                producer,
                network,
                topic,
                mut consumers,
                (processing, downstream, breaker),
                idempotency,
                recent_messages,
                subscribers,
            )| {
                let (mut processing, mut subscribers) = (processing, subscribers);
                // Several consumer groups on the topic: a retry by re-appending is refused (it would
                // reach every group).
                if subscribers.len() > 1 {
                    processing.retry.mode = RetryMode::InPlace;
                    // Both brokers, some runs: the last subscribers read queues of their own.
                    let readers = (seed % subscribers.len() as u64) as usize;
                    let from = subscribers.len() - readers;
                    subscribers[from..].iter_mut().for_each(|sub| sub.broker = Some(BrokerKind::Queue));
                }
                // Without a dedup store there is no mark to crash after: such a crash point is refused.
                if consumers.crash.point == CrashPoint::AfterDedupMark && !idempotency.mode.has_dedup_store() {
                    consumers.crash.point = CrashPoint::AfterEffect;
                }
                Scenario {
                    name: "random".into(),
                    seed,
                    producer,
                    network,
                    topic,
                    consumers,
                    processing,
                    idempotency,
                    downstream,
                    breaker,
                    metrics: MetricsConfig { sample_interval_ms: 500, history: 64, journal: 64, recent_messages },
                    subscribers,
                    ..Scenario::default()
                }
            },
        )
}

/// Requests in flight: one (strict order), up to five (the idempotent producer's most), or more.
pub fn max_in_flight() -> impl Strategy<Value = u32> {
    prop_oneof![Just(1u32), 1u32..=5, 6u32..40]
}

/// The settings the idempotent producer needs, as the clients check them (`config/rules.rs`):
/// acks=all, retries > 0, at most five requests in flight.
pub fn make_idempotent(p: &mut ProducerConfig) {
    p.idempotent = Some(true);
    p.acks = Acks::All;
    p.retries = p.retries.max(1);
    p.max_in_flight = p.max_in_flight.min(5);
}

/// `auto.offset.reset`: mostly the clients' default, latest; none stops consumers, so less often.
pub fn auto_offset_reset() -> impl Strategy<Value = AutoOffsetReset> {
    prop_oneof![2 => Just(AutoOffsetReset::Latest), 2 => Just(AutoOffsetReset::Earliest), 1 => Just(AutoOffsetReset::None)]
}

pub fn crash_point() -> impl Strategy<Value = CrashPoint> {
    prop::sample::select(CrashPoint::ALL.to_vec())
}

pub fn idempotency_mode() -> impl Strategy<Value = IdempotencyMode> {
    prop_oneof![
        Just(IdempotencyMode::None),
        Just(IdempotencyMode::DedupCheckThenAct),
        Just(IdempotencyMode::DedupAtomic),
        Just(IdempotencyMode::Natural),
        Just(IdempotencyMode::UniqueConstraint),
    ]
}

/// Publish-subscribe's subscribers: none (one queue or consumer group), or one to three, each with
/// its own consumers, pace and reliability where it sets them.
pub fn subscribers() -> impl Strategy<Value = Vec<Subscriber>> {
    let one = (
        prop::option::of(1u32..4),
        prop::option::of(1.0f64..300.0),
        prop::option::of(0.0f64..0.5),
        prop::option::of(0u64..10_000),
    );
    prop_oneof![
        1 => Just(Vec::new()),
        1 => prop::collection::vec(one, 1..4).prop_map(|subs| {
            subs.into_iter()
                .enumerate()
                .map(|(i, (consumers, mean_ms, failure_probability, starts_at_ms))| Subscriber {
                    name: format!("s{i}"),
                    consumers,
                    mean_ms,
                    failure_probability,
                    // A later start: not the first subscriber's. A late queue gets only what is
                    // produced after it.
                    starts_at_ms: starts_at_ms.filter(|_| i > 0),
                    binding_key: None,
                    binding_arguments: None,
                    alternate: false,
                    broker: None,
                    seek_to_time_ms: None,
                })
                .collect()
        }),
    ]
}

#[allow(dead_code)] // the queue-broker properties only
/// A random valid scenario on the queue broker: one queue (the topic's settings unused) or one
/// per subscriber, a prefetch window of 1 to 5, a TTL and a length limit or not, a dead-letter
/// exchange or not, any overflow, a classic or a quorum queue (a delivery limit), failures retried
/// by requeueing or not, and no idempotent producer (RabbitMQ has none).
pub fn queue_scenario() -> impl Strategy<Value = Scenario> {
    let overflow =
        prop_oneof![Just(Overflow::DropHead), Just(Overflow::RejectPublish), Just(Overflow::RejectPublishDlx)];
    let limits = (prop::option::of(0u64..3_000), prop::option::of(1u64..30), any::<bool>(), overflow);
    let requeue = (any::<bool>(), prop::option::of(0u64..4));
    let exchange = prop_oneof![
        Just(ExchangeKind::Fanout),
        Just(ExchangeKind::Direct),
        Just(ExchangeKind::Topic),
        Just(ExchangeKind::Headers)
    ];
    let routing = (exchange, any::<u64>());
    (scenario(), 1u32..6, limits, subscribers(), requeue, routing).prop_map(
        |(
            mut s,
            prefetch,
            (message_ttl_ms, max_length, dead_letter_exchange, overflow),
            subs,
            (requeue, limit),
            (exchange, pick),
        )| {
            s.broker = BrokerKind::Queue;
            s.subscribers = subs;
            s.queue = QueueSettings {
                prefetch,
                message_ttl_ms,
                max_length,
                overflow,
                dead_letter_exchange,
                ..QueueSettings::default()
            };
            route_by(&mut s, exchange, pick);
            // Some runs: each message with an expiration of its own (per-message TTL).
            s.queue.expiration_ms = (pick % 3 == 0).then_some(pick / 3 % 3_000);
            if s.producer.idempotent == Some(true) {
                s.producer.idempotent = None;
            }
            if requeue {
                use_requeue(&mut s, limit);
            } else if limit.is_some() {
                make_quorum(&mut s, limit);
            }
            s
        },
    )
}

/// A direct, topic or headers exchange in front of the subscribers' queues (with
/// publish-subscribe), each bound with a key, pattern or arguments `pick` chooses, over dotted
/// event types with headers of their own; some messages may match no binding (unroutable),
/// unless a queue bound to the alternate exchange takes them.
#[allow(dead_code)] // the queue-broker properties only
pub fn route_by(s: &mut Scenario, exchange: ExchangeKind, pick: u64) {
    if s.subscribers.is_empty() || exchange == ExchangeKind::Fanout {
        return;
    }
    s.queue.exchange = exchange;
    let types = ["order.placed", "order.cancelled", "payment.refunded", "customer.updated"];
    s.producer.event_types = types.map(String::from).to_vec();
    let patterns: &[&str] = match exchange {
        ExchangeKind::Topic => &["order.*", "#", "*.placed", "order.#", "payment.*", "#.updated", "*", "order"],
        _ => &["order.placed", "order.cancelled", "payment.refunded", "nothing"],
    };
    if exchange == ExchangeKind::Headers {
        headers_by(s, pick);
    } else {
        for (i, sub) in s.subscribers.iter_mut().enumerate() {
            let n = (pick >> (8 * i)) as usize % patterns.len();
            sub.binding_key = Some(patterns[n].to_string());
        }
    }
    // Now and then the last queue is bound to the alternate exchange (and maybe to nothing else).
    if pick >> 62 != 0 {
        let last = s.subscribers.last_mut().expect("subscribers");
        last.alternate = true;
        if pick >> 62 == 3 {
            (last.binding_key, last.binding_arguments) = (None, None);
        }
    }
}

/// Headers for the event types and binding arguments for the subscribers, as `pick` chooses:
/// x-match all, any and their with-x forms, values that are text, integers, floats equal to them
/// and presence checks, and an `x-` header only the with-x forms compare.
fn headers_by(s: &mut Scenario, pick: u64) {
    use eda_lab::sim::broker::amqp::headers::{FieldTable, FieldValue};
    let values = [
        FieldValue::Str("eu".into()),
        FieldValue::Str("us".into()),
        FieldValue::Int(1),
        FieldValue::Float(1.0),
        FieldValue::Void,
    ];
    let names = ["region", "priority", "x-origin"];
    // Each table: for each name, left out or one of the values, from 2 bits and more of `bits`.
    let table = |bits: u64, void_ok: bool| -> FieldTable {
        names
            .iter()
            .enumerate()
            .filter_map(|(j, name)| {
                let v = (bits >> (3 * j)) as usize % (values.len() + 1);
                let value = values.get(v).filter(|v| void_ok || **v != FieldValue::Void)?;
                Some((name.to_string(), value.clone()))
            })
            .collect()
    };
    s.producer.headers =
        (0..s.producer.event_types.len()).map(|t| table(pick.rotate_left(9 * t as u32), false)).collect();
    // Sometimes a type carries no headers at all.
    if pick.is_multiple_of(5) {
        s.producer.headers.pop();
    }
    let x_match = ["all", "any", "all-with-x", "any-with-x"];
    for (i, sub) in s.subscribers.iter_mut().enumerate() {
        let bits = pick.rotate_right(7 * i as u32 + 3);
        let mut args = table(bits, true);
        args.insert("x-match".into(), FieldValue::Str(x_match[(bits >> 20) as usize % 4].into()));
        sub.binding_arguments = Some(args);
    }
}

/// A quorum queue with delivery limit `limit`: durable, and without reject-publish-dlx (which
/// RabbitMQ 3.10's quorum queues do not offer).
#[allow(dead_code)] // the queue-broker properties only
pub fn make_quorum(s: &mut Scenario, limit: Option<u64>) {
    s.queue.delivery_limit = limit;
    if limit.is_some() {
        s.queue.durable = true;
        if s.queue.overflow == Overflow::RejectPublishDlx {
            s.queue.overflow = Overflow::RejectPublish;
        }
    }
}

/// Failures retried by requeueing (`basic.nack`): acknowledged after processing, and with a
/// delivery limit wherever a failure could take no time (a breaker failing fast, a handler with
/// no processing time), which the rules require.
#[allow(dead_code)] // the queue-broker properties only
pub fn use_requeue(s: &mut Scenario, limit: Option<u64>) {
    s.processing.retry.mode = RetryMode::Requeue;
    s.consumers.commit = CommitStrategy::AfterProcessing;
    // A poison message requeued to a classic queue comes back for ever, as fast as the handler
    // fails it: a handler of at least 20 ms keeps such a hot loop small enough to audit.
    s.processing.service.mean_ms = s.processing.service.mean_ms.max(20.0);
    s.subscribers.iter_mut().for_each(|sub| sub.mean_ms = sub.mean_ms.map(|m| m.max(20.0)));
    let at_once = (s.breaker.enabled && s.breaker.when_open == WhenOpen::FailFast)
        || s.downstream.capacity_per_sec.is_some()
        || s.processing.service.mean_ms < 0.001;
    make_quorum(s, if at_once { Some(limit.unwrap_or(3)) } else { limit });
}
