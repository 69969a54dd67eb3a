//! Decimal text to `f64` without `core`'s `dec2flt`, whose tables and code cost the web build about
//! 12 kB brotli: [`parse_finite`] reads what `str::parse::<f64>` reads and gives the same double,
//! bit for bit, whenever that is finite (the tests compare them with the standard library's).
//!
//! Exact: the value is a fraction of two big integers, divided to 56 bits and rounded half to even
//! (subnormals included), as the standard library rounds. Slow for long inputs (quadratic in the
//! digits), which is fine for a number typed into a field.

/// `text.parse::<f64>()` when that gives a finite number; `None` when it fails or gives an infinity
/// or NaN (`inf`, `nan`, `1e400`).
pub fn parse_finite(text: &str) -> Option<f64> {
    let (negative, digits, exp10) = scan(text.as_bytes())?;
    let v = if digits.is_empty() { Some(0.0) } else { nearest(&digits, exp10) }?;
    Some(if negative { -v } else { v })
}

/// The sign, the significant digits (no leading or trailing zeros, empty for zero) and the power
/// of ten they are scaled by; `None` for text that is not a decimal number.
fn scan(b: &[u8]) -> Option<(bool, Vec<u8>, i64)> {
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    let mut i = 0;
    let mut point = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c - b'0');
                }
                if point {
                    exp10 -= 1;
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        i += 1;
        let (exp_negative, start) = match b.get(i) {
            Some(b'-') => (true, i + 1),
            Some(b'+') => (false, i + 1),
            _ => (false, i),
        };
        let e = &b[start..];
        if e.is_empty() || !e.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Saturated far beyond any length of text, so the sum with `exp10` cannot overflow.
        let mut x: i64 = 0;
        for &c in e {
            x = (x * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        exp10 += if exp_negative { -x } else { x };
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    Some((negative, digits, exp10))
}

/// The double nearest digits × 10^exp10 (ties to even); `None` when that is infinite.
fn nearest(digits: &[u8], exp10: i64) -> Option<f64> {
    // The value lies in [10^(magnitude - 1), 10^magnitude).
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 310 {
        return None;
    }
    if magnitude < -324 {
        // Below half the least subnormal (about 2.47e-324): rounds to zero.
        return Some(0.0);
    }
    let mut num = Big::from_digits(digits);
    let mut den = Big(vec![1]);
    if exp10 >= 0 {
        num.mul_pow10(exp10 as u32);
    } else {
        den.mul_pow10((-exp10) as u32);
    }
    // Scale by 2^s so that the quotient has 55 or 56 bits.
    let s = 55 + den.bits() as i64 - num.bits() as i64;
    if s >= 0 {
        num.shl(s as u32);
    } else {
        den.shl((-s) as u32);
    }
    let mut q: u64 = 0;
    let mut shifted = den.clone();
    shifted.shl(58);
    for bit in (0..=57).rev() {
        shifted.shr1();
        if num.ge(&shifted) {
            num.sub(&shifted);
            q |= 1 << bit;
        }
    }
    round(q, s, !num.is_zero())
}

/// (q + a fraction, nonzero when `sticky`) × 2^-s as the nearest double, ties to even; `None` when
/// that is infinite. `q` has 55 or 56 bits.
fn round(q: u64, s: i64, sticky: bool) -> Option<f64> {
    let len = 64 - i64::from(q.leading_zeros());
    let top = len - 1 - s; // the value is in [2^top, 2^(top + 1))
    if top >= 1024 {
        return None;
    }
    let e = (top - 52).max(-1074); // the exponent of the result's last bit
    let shift = e + s;
    if shift > 56 {
        return Some(0.0);
    }
    let shift = shift as u32;
    let mut m = q >> shift;
    let rem = q & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    if rem > half || (rem == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let pow2 = if e >= -1022 { f64::from_bits(((e + 1023) as u64) << 52) } else { f64::from_bits(1u64 << (e + 1074)) };
    let v = m as f64 * pow2;
    v.is_finite().then_some(v)
}

/// A natural number, little-endian base 2^32.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(vec![0]);
        for &d in digits {
            n.mul_add(10, u32::from(d));
        }
        n
    }

    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in self.0.iter_mut() {
            let x = u64::from(*limb) * u64::from(m) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(9);
            self.mul_add(10u32.pow(step), 0);
            k -= step;
        }
    }

    fn trim(&mut self) {
        while self.0.len() > 1 && self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bits(&self) -> u32 {
        let top = *self.0.last().unwrap_or(&0);
        (self.0.len() as u32 - 1) * 32 + (32 - top.leading_zeros())
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    fn shl(&mut self, n: u32) {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in self.0.iter_mut() {
                let x = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = x;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 {
            let mut v = vec![0; limbs];
            v.append(&mut self.0);
            self.0 = v;
        }
        self.trim();
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.0.iter_mut().rev() {
            let x = (*limb >> 1) | carry;
            carry = *limb << 31;
            *limb = x;
        }
        self.trim();
    }

    /// self ≥ other (both trimmed).
    fn ge(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() > other.0.len();
        }
        for (a, b) in self.0.iter().rev().zip(other.0.iter().rev()) {
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// self -= other (self ≥ other).
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = i64::from(*limb) - i64::from(*other.0.get(i).unwrap_or(&0)) - borrow;
            borrow = i64::from(x < 0);
            *limb = x.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str) {
        let want = text.parse::<f64>().ok().filter(|v| v.is_finite());
        let got = parse_finite(text);
        assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{text:?}: {got:?} vs {want:?}");
    }

    #[test]
    fn matches_the_standard_library_on_edge_cases() {
        for t in [
            "",
            "+",
            "-",
            ".",
            "e",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "1.",
            ".5",
            "+.5",
            "-.5",
            "1.e3",
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            "-0.000",
            "1",
            "12",
            "1_0",
            " 1",
            "1 ",
            "1..2",
            "1.2.3",
            "1e5.5",
            "1ee5",
            "1e+5",
            "1E-5",
            "inf",
            "-inf",
            "infinity",
            "NaN",
            "nan",
            "0x10",
            "1e400",
            "-1e400",
            "1e-400",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1.797693134862315807e308",
            "2.2250738585072014e-308",
            "2.2250738585072011e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272e-324",
            "5e-324",
            "3e-324",
            "7e-324",
            "1e-323",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000000001",
            "0.1",
            "0.2",
            "0.3",
            "123456789012345678901234567890",
            "1e22",
            "1e23",
            "8.5",
            "0.000001",
            "1e-99999999999999999999999",
            "1e99999999999999999999999",
            "0.0000000000000000000000000000000000000000000000000000000000000000001e60",
            "100000000000000000000000e-20",
        ] {
            check(t);
        }
    }

    /// The exact decimal of (a + b) / 2, as `d.ddd…e±x`; `None` when a and b print with different
    /// exponents.
    fn midpoint(a: f64, b: f64) -> Option<String> {
        let (da, ea) = format!("{a:.800e}").split_once('e').map(|(m, e)| (m.replace('.', ""), e.to_string()))?;
        let (db, eb) = format!("{b:.800e}").split_once('e').map(|(m, e)| (m.replace('.', ""), e.to_string()))?;
        if ea != eb {
            return None;
        }
        // Sum the digit strings, then halve.
        let mut sum: Vec<u8> = Vec::new();
        let mut carry = 0;
        for (x, y) in da.bytes().rev().zip(db.bytes().rev()) {
            let t = (x - b'0') + (y - b'0') + carry;
            sum.push(t % 10);
            carry = t / 10;
        }
        sum.push(carry);
        sum.reverse();
        sum.push(0);
        let mut half = Vec::new();
        let mut rem = 0;
        for d in sum {
            let t = rem * 10 + d;
            half.push(b'0' + t / 2);
            rem = t % 2;
        }
        // `sum` had one extra leading digit (the carry) and one trailing zero.
        let digits = String::from_utf8(half).unwrap();
        let e: i64 = ea.parse().unwrap();
        Some(format!("0.{digits}e{}", e + 1))
    }

    #[test]
    fn matches_the_standard_library_on_random_doubles() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..30_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if v.is_finite() {
                check(&format!("{v:e}"));
                check(&format!("{v}"));
                check(&format!("{v:.3e}"));
                check(&format!("{:.20e}", v));
            }
            // Exactly halfway between two neighbouring doubles (a tie: to even), and just above it.
            let w = f64::from_bits(x >> 2);
            let next = f64::from_bits((x >> 2) + 1);
            if next.is_finite() {
                if let Some(mid) = midpoint(w, next) {
                    check(&mid);
                    let (m, e) = mid.split_once('e').unwrap();
                    check(&format!("{m}000001e{e}"));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn matches_the_standard_library_on_any_text(text in "[-+]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][-+]?[0-9]{1,4})?") {
            check(&text);
        }

        #[test]
        fn matches_the_standard_library_on_noise(text in "[-+0-9.eE]{0,12}") {
            check(&text);
        }
    }
}
