//! The SimPy comparison models (`../shared/bench/simpy_bench.py`): the scenarios `eda-lab bench`
//! runs, every field stated, so a new setting is a choice here too.

use super::scenario::*;
use crate::sim::config::alerts::AlertsConfig;
use crate::sim::config::choices::Client;

impl Scenario {
    /// The Kafka-style model of `bench/simpy_bench.py --model log`: Poisson arrivals at 0.9/s,
    /// 4 partitions chosen uniformly at random for each message (librdkafka with
    /// `sticky.partitioning.linger.ms=0`, which draws a partition per keyless message), one
    /// consumer each, exponential service with mean
    /// 4 s, 5% failures retried up to 3 times by re-appending after 2^attempt s, then dead-lettered.
    pub fn bench(messages: u64, failures: bool) -> Scenario {
        Scenario {
            name: "bench".into(),
            description: "SimPy comparison model: 4 partitions x M/M/1 with retry and DLQ".into(),
            seed: 42,
            producer: ProducerConfig {
                rate_per_sec: 0.9,
                max_messages: Some(messages),
                keys: KeySpace { count: 0, hot_key_share: 0.0 },
                client: Client::Librdkafka,
                sticky_linger_ms: 0,
                event_types: vec!["OrderPlaced".into()],
                ..ProducerConfig::default()
            },
            network: NetworkConfig { latency_ms: 0, request_loss: 0.0, ack_loss: 0.0 },
            broker: BrokerKind::Log,
            topic: TopicConfig { partitions: 4, ..TopicConfig::default() },
            transactions: TransactionConfig::default(),
            outbox: OutboxConfig::default(),
            sourcing: Default::default(),
            shop: Default::default(),
            schema: Default::default(),
            replication: ReplicationConfig::default(),
            queue: QueueSettings::default(),
            subscribers: Vec::new(),
            consumers: ConsumerConfig {
                count: 4,
                commit: CommitStrategy::AfterProcessing,
                crash: CrashConfig { probability: 0.0, ..CrashConfig::default() },
                ..ConsumerConfig::default()
            },
            processing: ProcessingConfig {
                service: ServiceTime { distribution: ServiceDistribution::Exponential, mean_ms: 4_000.0 },
                failure_probability: if failures { 0.05 } else { 0.0 },
                retry: RetryPolicy {
                    max_retries: 3,
                    policy: BackoffPolicy::Exponential,
                    backoff_ms: 2_000,
                    multiplier: 2,
                    mode: RetryMode::Reappend,
                    ..RetryPolicy::default()
                },
                ..ProcessingConfig::default()
            },
            idempotency: IdempotencyConfig::default(),
            downstream: DownstreamConfig::default(),
            breaker: BreakerSettings::default(),
            faults: Vec::new(),
            chaos: ChaosConfig::default(),
            // A headless batch run keeps no event log, as SimPy keeps none.
            metrics: MetricsConfig { sample_interval_ms: 60_000, history: 600, journal: 0, ..MetricsConfig::default() },
            alerts: AlertsConfig::default(),
        }
    }

    /// The default model of `bench/simpy_bench.py`: the same arrivals, work, failures and retries
    /// as [`Scenario::bench`], but one queue shared by 4 competing consumers (M/M/4 without
    /// failures); a failed message is published again at the tail after 2^attempt s.
    pub fn bench_queue(messages: u64, failures: bool) -> Scenario {
        let mut s = Scenario::bench(messages, failures);
        s.description = "SimPy comparison model: one queue, 4 competing consumers (M/M/4) with retry and DLQ".into();
        s.broker = BrokerKind::Queue;
        s.topic.partitions = 1;
        s
    }
}
