//! Where a record without a key goes. Both clients keep sending such records to one partition for a
//! while, so that they fill batches, then switch to another chosen at random ("sticky
//! partitioning", KIP-480). They differ in what "a while" is: the Java client counts bytes, librdkafka
//! counts time.
//!
//! Neither type draws randomness itself: the caller passes `next_partition`, a uniform draw over the
//! topic's partitions (the producer's seeded key stream), where Kafka calls `ThreadLocalRandom` and
//! librdkafka `rd_jitter`. Every partition of the simulated topic is available, so neither client's
//! fallback for unavailable partitions applies.

use crate::sim::kernel::time::{SimDuration, SimTime};

/// The Java client's built-in partitioning of records without a key: Kafka 3.3+,
/// `org.apache.kafka.clients.producer.internals.BuiltInPartitioner` (KIP-794), called by
/// `RecordAccumulator.append`. The producer sticks to one partition until `batch.size` bytes were
/// produced to it, then switches to a partition drawn uniformly from all of them (which may be the
/// same one: since 3.3 the draw no longer excludes it, as KIP-480's `StickyPartitionCache` of 2.4
/// to 3.2 did).
///
/// Not modelled: the adaptive part of KIP-794 (with `partitioner.adaptive.partitioning.enable`
/// Kafka weighs the draw by each partition's queue of unsent batches; the simulated producer keeps
/// no batches, so every queue is equal and Kafka itself falls back to the uniform draw), and the
/// deferred switch (Kafka waits while the current partition's last batch is not full, at most up to
/// twice `batch.size`: with no batches in the producer, the switch happens as soon as the bytes are
/// counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByBytes {
    /// `StickyPartitionInfo`: the sticky partition and the bytes produced to it since it was
    /// chosen; none before the first keyless record.
    current: Option<(u32, u64)>,
}

impl ByBytes {
    /// `peekCurrentPartitionInfo`: the sticky partition, chosen by `next_partition` on first use.
    pub fn peek(&mut self, next_partition: impl FnOnce() -> u32) -> u32 {
        self.current.get_or_insert_with(|| (next_partition(), 0)).0
    }

    /// `updatePartitionInfo(appendedBytes, enableSwitch = true)`: counts the bytes appended to the
    /// sticky partition and, once at least `batch_size` were, switches to the next one.
    pub fn update(&mut self, appended_bytes: u64, batch_size: u64, next_partition: impl FnOnce() -> u32) {
        let Some((_, produced)) = &mut self.current else { return };
        *produced += appended_bytes;
        // `KafkaProducer` passes `max(1, batch.size)`: BuiltInPartitioner refuses a size below 1.
        if *produced >= batch_size.max(1) {
            self.current = Some((next_partition(), 0));
        }
    }

    /// The partition of one keyless record of `record_bytes` bytes: peek, append, update.
    pub fn place(&mut self, record_bytes: u64, batch_size: u64, mut next_partition: impl FnMut() -> u32) -> u32 {
        let partition = self.peek(&mut next_partition);
        self.update(record_bytes, batch_size, next_partition);
        partition
    }
}

/// librdkafka's sticky partition for messages without a key (and, under `consistent_random`, with
/// an empty one): librdkafka 1.6.0+, `rd_kafka_msg_sticky_partition` in src/rdkafka_msg.c. The first
/// such message draws a partition (`rd_kafka_msg_partitioner_random`); a later one keeps it unless
/// more than `sticky.partitioning.linger.ms` passed since the draw (`rd_interval`: strictly more),
/// in which case it draws again. With `sticky.partitioning.linger.ms` = 0 librdkafka turns sticky
/// partitioning off (`random_partitioner` in src/rdkafka_topic.c): every message draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByTime {
    /// The sticky partition and when it was drawn (`rkt_sticky_partition`, `rkt_sticky_intvl`).
    current: Option<(u32, SimTime)>,
}

impl ByTime {
    /// The partition of a keyless message produced at `now`.
    pub fn place(&mut self, now: SimTime, linger: SimDuration, next_partition: impl FnOnce() -> u32) -> u32 {
        if linger == SimDuration::ZERO {
            return next_partition();
        }
        match self.current {
            Some((partition, drawn)) if now <= drawn + linger => partition,
            _ => {
                let partition = next_partition();
                self.current = Some((partition, now));
                partition
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SequentialPartitioner` of Kafka's BuiltInPartitionerTest: the "random" numbers 0, 1, 2, ...
    /// taken modulo the partition count, as `nextPartition` does.
    fn sequential(partitions: u32) -> impl FnMut() -> u32 {
        let mut next = 0;
        move || {
            next += 1;
            (next - 1) % partitions
        }
    }

    /// `BuiltInPartitionerTest.testStickyPartitioning`
    /// (clients/src/test/java/org/apache/kafka/clients/producer/internals/BuiltInPartitionerTest.java):
    /// a sticky batch size of 3, records of 1 byte; the partition holds for three records, then
    /// switches; with one partition the switch always lands on partition 0.
    #[test]
    fn kafka_sticky_partitioning() {
        let mut random = sequential(3);
        let mut a = ByBytes::default();
        let part_a = a.peek(&mut random);
        a.update(1, 3, &mut random);
        assert_eq!(a.peek(&mut random), part_a);
        a.update(1, 3, &mut random);
        assert_eq!(a.peek(&mut random), part_a);
        a.update(1, 3, &mut random);
        assert_ne!(a.peek(&mut random), part_a, "after producing 3 records, partition must've switched");

        let mut random = sequential(1);
        let mut b = ByBytes::default();
        for _ in 0..10 {
            assert_eq!(b.peek(&mut random), 0);
            b.update(1, 1, &mut random);
        }
    }

    /// `BuiltInPartitionerTest.testStickyBatchSizeMoreThatZero` refuses a sticky batch size of 0;
    /// `KafkaProducer` passes `max(1, batch.size)`, so `batch.size=0` switches after every record.
    #[test]
    fn batch_size_zero_acts_as_one() {
        let mut random = sequential(4);
        let mut s = ByBytes::default();
        let placed: Vec<u32> = (0..5).map(|_| s.place(100, 0, &mut random)).collect();
        assert_eq!(placed, [0, 1, 2, 3, 0]);
    }

    /// Kafka's documented default: 16384-byte batches of 100-byte records switch after 164 records
    /// (164 × 100 = 16400 ≥ 16384).
    #[test]
    fn switches_after_batch_size_bytes() {
        let mut random = sequential(6);
        let mut s = ByBytes::default();
        let placed: Vec<u32> = (0..400).map(|_| s.place(100, 16_384, &mut random)).collect();
        assert!(placed[..164].iter().all(|&p| p == 0));
        assert!(placed[164..328].iter().all(|&p| p == 1));
        assert_eq!(placed[328], 2);
    }

    /// librdkafka: the first message draws, messages within `sticky.partitioning.linger.ms` keep
    /// the partition (up to exactly the linger), the first one after it draws again.
    #[test]
    fn librdkafka_sticks_for_the_linger() {
        let mut random = sequential(5);
        let mut s = ByTime::default();
        let linger = SimDuration::from_ms(10);
        let at = |ms: u64| SimTime::from_ms(ms);
        assert_eq!(s.place(at(0), linger, &mut random), 0);
        assert_eq!(s.place(at(7), linger, &mut random), 0);
        assert_eq!(s.place(at(10), linger, &mut random), 0);
        assert_eq!(s.place(SimTime::from_us(10_001), linger, &mut random), 1);
        assert_eq!(s.place(at(20), linger, &mut random), 1);
        assert_eq!(s.place(at(25), linger, &mut random), 2);
    }

    /// librdkafka with `sticky.partitioning.linger.ms=0` (as its tests/0048-partitioner.c sets):
    /// every keyless message draws, even several at the same instant.
    #[test]
    fn librdkafka_linger_zero_draws_every_time() {
        let mut random = sequential(3);
        let mut s = ByTime::default();
        let placed: Vec<u32> = (0..4).map(|_| s.place(SimTime::ZERO, SimDuration::ZERO, &mut random)).collect();
        assert_eq!(placed, [0, 1, 2, 0]);
    }
}
