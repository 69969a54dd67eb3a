//! MurmurHash2 as Kafka's Java client computes it (`org.apache.kafka.common.utils.Utils.murmur2`),
//! bit for bit, and librdkafka's copy of it (`rd_murmur2` in src/rdmurmur2.c, used by its
//! `murmur2` and `murmur2_random` partitioners), which returns the same bits.
//!
//! The Java client hashes the serialized key with 32-bit MurmurHash2 (seed 0x9747b28c), clears the
//! sign bit (`Utils.toPositive`, i.e. `hash & 0x7fffffff`, not `abs`) and takes the result modulo
//! the partition count (`BuiltInPartitioner.partitionForKey`, Kafka 3.3+; `DefaultPartitioner`
//! before). Because the same key always lands on the same partition, every event of one key is read
//! in order by one consumer — and one hot key makes one hot partition.

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

/// `BuiltInPartitioner.partitionForKey` (Kafka 3.3+): `toPositive(murmur2(key)) % partitions`.
/// librdkafka's `murmur2_random` computes the same: `(rd_murmur2(key) & 0x7fffffff) % partitions`.
pub fn murmur2_partition(key: &[u8], partitions: u32) -> u32 {
    debug_assert!(partitions > 0);
    to_positive(murmur2(key)) % partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors of Kafka's own `UtilsTest.testMurmur2`
    /// (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java).
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

    /// librdkafka's `unittest_murmur2` (src/rdmurmur2.c): its hashes are checked against the Java
    /// client's, with aligned and unaligned starts of the same strings, and the empty key.
    #[test]
    fn matches_librdkafka_unittest_murmur2() {
        let unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: &[(&str, u32)] = &[
            ("kafka", 0xd067_cf64),
            ("giberish123456789", 0x8f55_2b0c),
            ("1234", 0x9fc9_7b14),
            ("234", 0xe7c0_09ca),
            ("34", 0x8739_30da),
            ("4", 0x5a4b_5ca1),
            (unaligned, 0x7842_4f1c),
            (&unaligned[1..], 0x4a62_b377),
            (&unaligned[2..], 0xe0e4_e09e),
            (&unaligned[3..], 0x62b8_b43f),
            ("", 0x106e_08d9),
        ];
        for &(key, expected) in cases {
            assert_eq!(murmur2(key.as_bytes()), expected as i32, "murmur2({key:?})");
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
        assert_eq!(murmur2_partition(b"21", 7), 3);
    }
}
