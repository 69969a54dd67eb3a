//! Largest values the engine accepts; they keep memory and per-event work bounded.

pub const MAX_PARTITIONS: u32 = 64;
/// Most brokers of the log's cluster (`replication.brokers`).
pub const MAX_BROKERS: u32 = 9;
/// Most unacknowledged deliveries a queue consumer may hold (`queue.prefetch`).
pub const MAX_PREFETCH: u64 = 1_000;
pub const MAX_CONSUMERS: u32 = 32;
/// Most subscribers of one run (publish-subscribe; the ledger keeps which subscribers' dead-letter
/// queues hold a message in a byte).
pub const MAX_SUBSCRIBERS: usize = 8;
pub const MAX_KEYS: u32 = 1_000_000;
pub const MAX_RATE_PER_SEC: f64 = 1_000_000.0;
pub const MAX_EVENT_TYPES: usize = 16;
/// Most headers a message (or binding arguments) carries in a scenario.
pub const MAX_HEADERS: usize = 16;
pub const MAX_RETRIES: u32 = 1_000;
/// The producer's `retries` is a Java `int`; both clients default to its largest value.
pub const MAX_PRODUCER_RETRIES: u32 = i32::MAX as u32;
/// The Java client's `delivery.timeout.ms` default.
pub const JAVA_DELIVERY_TIMEOUT_MS: u64 = 120_000;
/// librdkafka's `message.timeout.ms` default.
pub const LIBRDKAFKA_MESSAGE_TIMEOUT_MS: u64 = 300_000;
pub const MAX_DELAY_MS: u64 = 86_400_000;
/// The largest time a "kept forever unless" duration (retention, dedup TTL) or a fault's time may
/// take: four thousand of them still fit in a `u64` of microseconds.
pub const MAX_LONG_MS: u64 = u64::MAX / 4_000;
pub const MAX_FAULTS: usize = 1_000;
pub const MAX_HISTORY: usize = 100_000;
pub const MAX_JOURNAL: usize = 100_000;
pub const MAX_RECENT_MESSAGES: usize = 1_000_000;
/// The Java client's `max.request.size` default: it refuses a larger record.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;
/// The Java client's `batch.size` is a Java `int`.
pub const MAX_BATCH_SIZE: u64 = i32::MAX as u64;
/// librdkafka's range for `sticky.partitioning.linger.ms`.
pub const MAX_STICKY_LINGER_MS: u64 = 900_000;
/// `max.in.flight.requests.per.connection` is a Java `int` of at least 1 (librdkafka: 1 to 10^6).
pub const MAX_IN_FLIGHT: u64 = i32::MAX as u64;
/// The most requests in flight the idempotent producer keeps order with (both clients refuse more).
pub const IDEMPOTENT_MAX_IN_FLIGHT: u32 = 5;
/// The payments API's capacity, in calls per second.
pub const MAX_CAPACITY_PER_SEC: u64 = 1_000_000;
/// The breaker's window (calls or seconds), minimum calls and half-open test calls: the window
/// keeps one slot per call or second.
pub const MAX_BREAKER_WINDOW: u32 = 10_000;

/// The most a command slows one consumer's processing (`Command::SlowConsumer`).
pub const MAX_SLOW_FACTOR: u32 = 100;
