//! Where a keyed message goes: Kafka's default partitioner, bit for bit.
//!
//! Kafka's Java client hashes the serialized key with 32-bit MurmurHash2 (seed 0x9747b28c), clears
//! the sign bit (`Utils.toPositive`, i.e. `hash & 0x7fffffff`, not `abs`) and takes the result
//! modulo the partition count. Because the same key always lands on the same partition, every
//! event of one key is read in order by one consumer — and one hot key makes one hot partition.

use crate::sim::ids::PartitionId;

/// Kafka's `Utils.murmur2` over `data`, returned as Java's signed 32-bit int.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    let length = data.len() as u32;
    let mut h: u32 = SEED ^ length;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        // Kafka reads each 4-byte group little-endian.
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    // The fall-through switch of the Java code: the high tail byte first.
    if tail.len() >= 3 {
        h ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        h ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        h ^= tail[0] as u32;
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (so `i32::MIN` maps to 0, unlike `abs`).
pub fn to_positive(x: i32) -> u32 {
    (x as u32) & 0x7fff_ffff
}

/// The partition Kafka's default partitioner picks for `key` among `partitions` partitions.
pub fn partition_for_key(key: &str, partitions: u32) -> PartitionId {
    debug_assert!(partitions > 0);
    PartitionId(to_positive(murmur2(key.as_bytes())) % partitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors of Kafka's own `UtilsTest.testMurmur2`.
    #[test]
    fn matches_kafka_utils_test_vectors() {
        let cases: &[(&str, i32)] = &[
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ];
        for &(key, expected) in cases {
            assert_eq!(murmur2(key.as_bytes()), expected, "murmur2({key:?})");
        }
    }

    /// Values the Kafka client produces for short numeric keys (every tail length 1..=4 and 5).
    #[test]
    fn matches_kafka_for_every_tail_length() {
        let cases: &[(&str, i32)] = &[
            ("1", -1_993_445_489),
            ("12", 126_087_238),
            ("123", -267_702_483),
            ("1234", -1_614_185_708),
            ("12345", -1_188_365_604),
        ];
        for &(key, expected) in cases {
            assert_eq!(murmur2(key.as_bytes()), expected, "murmur2({key:?})");
        }
    }

    #[test]
    fn to_positive_clears_sign_bit() {
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(5), 5);
    }

    #[test]
    fn partition_is_positive_hash_modulo() {
        // -973932308 & 0x7fffffff = 1173551340, and 1173551340 mod 7 = 3
        assert_eq!(to_positive(murmur2(b"21")), 1_173_551_340);
        assert_eq!(partition_for_key("21", 7), PartitionId(3));
    }
}
