//! Prints the Rust encodings for diff/check.py to compare.
//!
//! `dump cases`: one `case<TAB>format<TAB>text` line per case and format.
//! `dump floats N`: the JSON of N pseudo-random doubles, one per line (the
//! same sequence as `sweep_doubles` in check.py).

#[path = "../tests/encoding/cases.rs"]
mod cases;

use eda_lab::sim::patterns::encoding::{compare, json, Value};

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn sweep(n: usize) {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for i in 0..n {
        let r = xorshift(&mut state);
        let x = match i % 4 {
            0 => f64::from_bits(r),
            1 => {
                let exp = 1023 + (r >> 52) % 88 - 25;
                f64::from_bits((r & (1 << 63)) | (exp << 52) | (r & ((1 << 52) - 1)))
            }
            2 => (r % 10_000_000) as f64 / 10f64.powi((r >> 60) as i32),
            // Exact binary fractions of 16-17 digit numbers: decimal ties.
            _ => (r >> 11) as f64 / 2f64.powi((r % 12) as i32),
        };
        println!("float\tjson\t{}", json(&Value::Double(x)));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("floats") => sweep(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000)),
        _ => {
            for (name, value) in cases::all() {
                for encoded in compare(&value) {
                    println!("{name}\t{}\t{}", encoded.format, encoded.text);
                }
            }
        }
    }
}
