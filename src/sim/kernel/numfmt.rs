//! Numbers as text without `core::fmt`'s float machinery, which costs the web build about 12 kB:
//! [`fixed`] writes what `format!("{v:.N}")` writes, [`plain`] what `format!("{v}")` writes and
//! [`debug`] what `format!("{v:?}")` writes, byte for byte (the tests compare them with the standard
//! library's). [`Fixed`] and [`Plain`] wrap them for format strings, padded like a string (`{:>6}`).
//!
//! Exact: `fixed` rounds the double's exact binary value half to even, as the standard library
//! does, and `plain` takes the shortest digits that read back as the same double from serde_json
//! (which the page carries anyway), then writes them without an exponent.

use std::fmt;

/// `format!("{v:.decimals$}")` for `decimals` up to 9.
pub fn fixed(v: f64, decimals: u32) -> String {
    debug_assert!(decimals <= 9);
    let mut out = String::new();
    if v.is_nan() {
        out.push_str("NaN");
        return out;
    }
    if v.is_sign_negative() {
        out.push('-');
    }
    let a = v.abs();
    if a.is_infinite() {
        out.push_str("inf");
        return out;
    }
    out.push_str(&fixed_digits(scaled_digits(a, decimals, false), decimals as usize));
    out
}

/// `digits` with a decimal point before the last `d` of them.
fn fixed_digits(mut digits: String, d: usize) -> String {
    if d > 0 {
        if digits.len() <= d {
            digits.insert_str(0, &"0".repeat(d + 1 - digits.len()));
        }
        digits.insert(digits.len() - d, '.');
    }
    digits
}

/// The decimal digits of a × 10^decimals (a finite and positive) rounded to a whole number, half to
/// even, or half up when `half_up`.
fn scaled_digits(a: f64, decimals: u32, half_up: bool) -> String {
    // a = m × 2^e exactly.
    let bits = a.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
    if e >= 0 {
        // A whole number: the decimals are zeros.
        let mut digits = whole_digits(m, e as u32);
        digits.extend(std::iter::repeat_n('0', decimals as usize));
        return digits;
    }
    // `plain` asks for up to 341 decimals (a number far below 1, in full). Past 27 its two
    // roundings agree (a tie between two shortest digit strings needs a × 2^(decimals + 1) odd,
    // so decimals ≤ 25), and 10^decimals would overflow.
    if decimals > 27 {
        return String::new();
    }
    // a × 10^decimals = m × 5^decimals / 2^(s - decimals): below 2^116 either way.
    let s = (-e) as u32;
    let (scaled, s) = if s > decimals {
        (m as u128 * 5u128.pow(decimals), s - decimals)
    } else {
        (m as u128 * 10u128.pow(decimals), s)
    };
    let q = if s >= 120 {
        0
    } else {
        let q = scaled >> s;
        let r = scaled - (q << s);
        let half = 1u128 << (s - 1);
        if r > half || (r == half && (half_up || q & 1 == 1)) {
            q + 1
        } else {
            q
        }
    };
    q.to_string()
}

/// The decimal digits of m × 2^e.
fn whole_digits(m: u64, e: u32) -> String {
    if e <= 64 {
        return ((m as u128) << e).to_string();
    }
    // Beyond u128: double a little-endian digit list.
    let mut ds: Vec<u8> = m.to_string().bytes().rev().map(|b| b - b'0').collect();
    for _ in 0..e {
        let mut carry = 0;
        for d in ds.iter_mut() {
            let x = *d * 2 + carry;
            *d = x % 10;
            carry = x / 10;
        }
        if carry > 0 {
            ds.push(carry);
        }
    }
    ds.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// `format!("{v}")`: the shortest digits that read back as `v`, never with an exponent.
pub fn plain(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let a = v.abs();
    if a.is_infinite() {
        return format!("{sign}inf");
    }
    if a == a.trunc() && a < 1e16 {
        return format!("{sign}{}", a as u64);
    }
    // serde_json writes e.g. `0.15`, `1.5e-7` or `1e+21`; the same digits, placed without exponent.
    let text = serde_json::to_string(&a).unwrap_or_default();
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, x)) => (m, x.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let point = mantissa.find('.').unwrap_or(mantissa.len()) as i32 + exp;
    let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all[lead..].trim_end_matches('0');
    let point = point - lead as i32;
    // Of two shortest digit strings equally near `a`, the standard library writes the greater
    // (serde_json the even one).
    let decimals = digits.len() as i32 - point;
    if decimals > 0 {
        let up = scaled_digits(a, decimals as u32, true);
        if up != scaled_digits(a, decimals as u32, false) {
            let mut out = String::from(sign);
            out.push_str(&fixed_digits(up, decimals as usize));
            return out;
        }
    }
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-point) as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.push_str(&"0".repeat(point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// `format!("{v:?}")`: like [`plain`] with at least one decimal (`1.0`) from 1e-4 up to 1e16 (and
/// for zero), the same shortest digits with an exponent (`1e16`, `1.5e-7`) beyond.
pub fn debug(v: f64) -> String {
    let a = v.abs();
    if !a.is_finite() || a == 0.0 || (1e-4..1e16).contains(&a) {
        let mut out = plain(v);
        if a.is_finite() && !out.contains('.') {
            out.push_str(".0");
        }
        return out;
    }
    // `plain` writes the shortest digits followed (a ≥ 1e16) or preceded (a < 1e-4) by zeros.
    let text = plain(a);
    let (digits, exp) = match text.strip_prefix("0.") {
        Some(frac) => {
            let d = frac.trim_start_matches('0');
            (d, -((frac.len() - d.len()) as i64) - 1)
        }
        None => (text.trim_end_matches('0'), text.len() as i64 - 1),
    };
    let sign = if v.is_sign_negative() { "-" } else { "" };
    match digits.split_at(1) {
        (first, "") => format!("{sign}{first}e{exp}"),
        (first, rest) => format!("{sign}{first}.{rest}e{exp}"),
    }
}

/// `{:.N}` for format strings: `Fixed(x, 1)` writes what `{x:.1}` writes (padded like a string).
#[derive(Clone, Copy, Debug)]
pub struct Fixed(pub f64, pub u32);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&fixed(self.0, self.1))
    }
}

/// `{}` of an `f64` for format strings (padded like a string).
#[derive(Clone, Copy, Debug)]
pub struct Plain(pub f64);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&plain(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few hundred thousand doubles: random bit patterns, ties, decimals and whole numbers.
    fn samples() -> Vec<f64> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut v = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.125,
            0.375,
            1e21,
            1e22,
            1e-7,
            1.5e-7,
            123456789.125,
            5.0,
            0.15,
            0.1,
            0.2,
            0.3,
            1e16,
            1e15 + 0.5,
            9007199254740993.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
            0.05,
            0.005,
            0.0005,
            99.95,
            99.995,
            999_999.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for _ in 0..100_000 {
            let r = next();
            v.push(f64::from_bits(r));
            v.push((r % 2_000_001) as f64 / 1000.0 - 1000.0);
            v.push((r % 100_001) as f64 / 8.0);
            v.push((r % 1_000_000_000) as f64 / 1e6);
            v.push((r >> 11) as f64 * 1e-3);
        }
        v
    }

    #[test]
    fn fixed_matches_the_standard_library() {
        for v in samples() {
            for d in 0..=4u32 {
                let want = format!("{v:.*}", d as usize);
                assert_eq!(fixed(v, d), want, "{v:e} with {d} decimals");
            }
        }
        assert_eq!(format!("[{:>6}]", Fixed(12.345_6, 2)), "[ 12.35]");
    }

    #[test]
    fn debug_matches_the_standard_library() {
        for v in samples() {
            assert_eq!(debug(v), format!("{v:?}"), "{v:e}");
        }
        for v in [1e16, 1e-4, 9.999e-5, 1.5e-7, 1e21, -2.5e300, 5e-324, 0.1, -0.0, 1.0, 12345.678] {
            assert_eq!(debug(v), format!("{v:?}"), "{v:e}");
        }
    }

    #[test]
    fn plain_matches_the_standard_library() {
        for v in samples() {
            assert_eq!(plain(v), format!("{v}"), "{v:e}");
        }
        assert_eq!(format!("{}-{}", Plain(5.0), Plain(0.15)), "5-0.15");
    }
}
