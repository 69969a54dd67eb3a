//! The trace hash: a running 64-bit digest of every event the engine processes and every command
//! it accepts. Two runs with the same (scenario, seed, command log) print the same value on every
//! platform; the first divergence anywhere changes it.

/// A running digest. Cheap enough to update on every event (one multiply per word).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash(u64);

impl Default for TraceHash {
    fn default() -> Self {
        TraceHash(0xCBF2_9CE4_8422_2325)
    }
}

impl TraceHash {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    /// Folds one word into the digest.
    #[inline]
    pub fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Self::K);
    }

    /// The digest so far, finalised so that nearby states give far-apart values.
    pub fn value(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        z ^ (z >> 33)
    }

    /// The digest as 16 hex digits, the form the CLI and the page print.
    pub fn hex(self) -> String {
        format!("{:016x}", self.value())
    }
}

/// The two trace words of an event: its tag in the top byte, then two 32-bit fields.
#[inline]
pub fn pack(tag: u64, a: u32, b: u32) -> (u64, u64) {
    (tag << 56 | a as u64, b as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_matters() {
        let mut a = TraceHash::default();
        a.mix(1);
        a.mix(2);
        let mut b = TraceHash::default();
        b.mix(2);
        b.mix(1);
        assert_ne!(a.value(), b.value());
    }
}
