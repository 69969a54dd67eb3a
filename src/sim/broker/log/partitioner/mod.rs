//! Where a record goes: the partitioners of the two producer clients the simulator names, bit for
//! bit.
//!
//! - The Java client (Kafka 3.3+, `KafkaProducer.partition` and `BuiltInPartitioner`, with no
//!   `partitioner.class` set): a record with a key, even an empty one, goes to
//!   `toPositive(murmur2(key)) % partitions` (`murmur2.rs`); a record without a key goes to the
//!   sticky partition of `sticky::ByBytes`.
//! - librdkafka (`rd_kafka_msg_partitioner` in src/rdkafka_msg.c): its `partitioner` setting hashes
//!   the key, by default `consistent_random` (CRC-32 of the key, `crc32.rs`), or `murmur2_random`
//!   (the Java client's murmur2). A message without a key, and under `consistent_random` one with an
//!   empty key, goes to the sticky partition of `sticky::ByTime`.

mod crc32;
mod murmur2;
pub mod sticky;

pub use crate::sim::config::choices::{Client, RdPartitioner};
pub use crc32::crc32;
pub use murmur2::{murmur2, murmur2_partition, to_positive};

/// A producer client's partitioning rules: the client, and for librdkafka its `partitioner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    pub client: Client,
    /// librdkafka's `partitioner`; the Java client has no such choice and ignores it.
    pub partitioner: RdPartitioner,
}

impl Profile {
    /// The partition the key decides, or `None` where the client leaves the record to its sticky
    /// partitioner: no key (`None`), or librdkafka's `consistent_random` with an empty key.
    pub fn key_partition(self, key: Option<&[u8]>, partitions: u32) -> Option<u32> {
        debug_assert!(partitions > 0);
        self.key_hash(key).map(|h| h % partitions)
    }

    /// The number whose remainder by the partition count is the key's partition (so a topic that
    /// grows moves the key when the two remainders differ), or `None` where the client leaves the
    /// record to its sticky partitioner: no key (`None`), or librdkafka's `consistent_random` with
    /// an empty key.
    pub fn key_hash(self, key: Option<&[u8]>) -> Option<u32> {
        let key = key?;
        match (self.client, self.partitioner) {
            // `KafkaProducer.partition`: `serializedKey != null` is enough, an empty key is hashed;
            // `toPositive(murmur2(key)) % numPartitions`.
            (Client::Java, _) | (Client::Librdkafka, RdPartitioner::Murmur2Random) => Some(to_positive(murmur2(key))),
            // `rd_kafka_msg_partitioner_consistent_random`: `keylen == 0` goes random, which
            // `rd_kafka_msg_partitioner` turns into the sticky partition.
            (Client::Librdkafka, RdPartitioner::ConsistentRandom) if key.is_empty() => None,
            // `rd_kafka_msg_partitioner_consistent`: `rd_crc32(key, keylen) % partition_cnt`, both
            // unsigned.
            (Client::Librdkafka, RdPartitioner::ConsistentRandom) => Some(crc32(key)),
        }
    }

    /// The client's name as the scenario writes it.
    pub fn client_name(self) -> &'static str {
        match self.client {
            Client::Java => "java",
            Client::Librdkafka => "librdkafka",
        }
    }

    /// The partitioner's name: librdkafka's `partitioner` value, or `built_in` for the Java
    /// client's `BuiltInPartitioner`.
    pub fn partitioner_name(self) -> &'static str {
        match (self.client, self.partitioner) {
            (Client::Java, _) => "built_in",
            (Client::Librdkafka, RdPartitioner::ConsistentRandom) => "consistent_random",
            (Client::Librdkafka, RdPartitioner::Murmur2Random) => "murmur2_random",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAVA: Profile = Profile { client: Client::Java, partitioner: RdPartitioner::ConsistentRandom };
    const CONSISTENT_RANDOM: Profile =
        Profile { client: Client::Librdkafka, partitioner: RdPartitioner::ConsistentRandom };
    const MURMUR2_RANDOM: Profile = Profile { client: Client::Librdkafka, partitioner: RdPartitioner::Murmur2Random };

    /// `do_test_partitioners` in librdkafka's tests/0048-partitioner.c: five messages (a NULL key,
    /// an empty key, "23456", a long string, "hejsan") to a topic of 7 partitions (17 outside quick
    /// mode), with the partition each partitioner must put them in; -1 (here `None`) is random.
    #[test]
    fn matches_librdkafka_0048_partitioner_test() {
        let keys: [Option<&[u8]>; 5] = [
            None,
            Some(b""),
            Some(b"23456"),
            Some(b"this is another string with more length to it perhaps"),
            Some(b"hejsan"),
        ];
        for part_cnt in [7u32, 17] {
            let p = |h: u32| Some(h % part_cnt);
            let expected = [
                (CONSISTENT_RANDOM, [None, None, p(0xb1b451d7), p(0xb0150df7), p(0xd077037e)]),
                (MURMUR2_RANDOM, [None, p(0x106e08d9), p(0x058d780f), p(0x4f7703da), p(0x5ec19395)]),
            ];
            for (profile, parts) in expected {
                for (key, want) in keys.iter().zip(parts) {
                    assert_eq!(profile.key_partition(*key, part_cnt), want, "{profile:?} {key:?} of {part_cnt}");
                }
            }
        }
    }

    /// The Java client hashes every non-null key, the empty one included (`KafkaProducer.partition`),
    /// with the same murmur2 as librdkafka's `murmur2_random`; only a null key is sticky.
    #[test]
    fn java_hashes_every_key_it_is_given() {
        assert_eq!(JAVA.key_partition(None, 7), None);
        assert_eq!(JAVA.key_partition(Some(b""), 7), Some(0x106e08d9 % 7));
        // UtilsTest: murmur2("21") = -973932308, toPositive 1173551340, mod 7 = 3.
        assert_eq!(JAVA.key_partition(Some(b"21"), 7), Some(3));
        for key in ["user_0", "user_1", "user_42", "foobar"] {
            let k = Some(key.as_bytes());
            assert_eq!(JAVA.key_partition(k, 12), MURMUR2_RANDOM.key_partition(k, 12), "{key}");
        }
    }

    /// The two default partitioners disagree: the same key can land on different partitions
    /// depending on the client that produced it.
    #[test]
    fn the_clients_defaults_disagree() {
        let differ = (0..100)
            .map(|i| format!("user_{i}"))
            .filter(|k| {
                JAVA.key_partition(Some(k.as_bytes()), 6) != CONSISTENT_RANDOM.key_partition(Some(k.as_bytes()), 6)
            })
            .count();
        assert!(differ > 50, "{differ} of 100 keys differ");
    }
}
