//! `eda-lab backoff`: the delay before each retry under a backoff policy, as the engine's
//! `sim::policy::backoff` computes it, from the retry stream of `--seed`.
//!
//! Delays print in milliseconds, exactly: the engine counts whole microseconds, so a delay is a
//! whole number of ms (`1000`) or one with up to three decimals (`1234.5`), never rounded and
//! never printed through a float. The plain form reads `retry 1 after 1000 ms`, one line per
//! retry; `--json` prints the same numbers as one JSON array.

use crate::sim::kernel::rng::{Rng, Stream};
use crate::sim::policy::backoff::{Backoff, BackoffPolicy, Jitter};
use clap::{Args, ValueEnum};

/// The arguments of `eda-lab backoff`.
#[derive(Args, Debug)]
pub struct BackoffArgs {
    /// none: no retries; immediate: retry at once; fixed: wait the base each time; exponential:
    /// min(cap, base * multiplier^(n-1)) before retry n.
    #[arg(long, value_enum)]
    policy: CliPolicy,
    /// The first delay (fixed: every delay), in ms (0 to 1 day).
    #[arg(long)]
    base_ms: u64,
    /// The exponential policy's integer growth per retry (1 to 10).
    #[arg(long, default_value_t = 2)]
    multiplier: u32,
    /// No delay is longer, in ms (at least the base, at most 1 day).
    #[arg(long)]
    cap_ms: u64,
    /// Retries after the first attempt (0 to 1000).
    #[arg(long)]
    attempts: u32,
    /// full: uniform below the delay; equal: in its upper half; decorrelated (exponential only):
    /// min(cap, uniform(base, 3 * previous delay)).
    #[arg(long, value_enum, default_value = "none")]
    jitter: CliJitter,
    /// The seed of the retry stream the jitter draws from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print a JSON array of the delays in ms.
    #[arg(long)]
    json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum CliPolicy {
    None,
    Immediate,
    Fixed,
    Exponential,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum CliJitter {
    None,
    Full,
    Equal,
    Decorrelated,
}

/// The schedule's delays as text (plain or JSON), or `<flag>: <reason>` for settings the engine
/// refuses.
pub fn run(args: &BackoffArgs) -> Result<String, String> {
    let backoff = Backoff {
        policy: match args.policy {
            CliPolicy::None => BackoffPolicy::None,
            CliPolicy::Immediate => BackoffPolicy::Immediate,
            CliPolicy::Fixed => BackoffPolicy::Fixed,
            CliPolicy::Exponential => BackoffPolicy::Exponential,
        },
        base_us: args.base_ms.saturating_mul(1_000),
        multiplier: args.multiplier,
        cap_us: args.cap_ms.saturating_mul(1_000),
        max_attempts: args.attempts,
        jitter: match args.jitter {
            CliJitter::None => Jitter::None,
            CliJitter::Full => Jitter::Full,
            CliJitter::Equal => Jitter::Equal,
            CliJitter::Decorrelated => Jitter::Decorrelated,
        },
    };
    backoff.check().map_err(|e| format!("{}: {}", flag(e.field), e.reason))?;
    let mut rng = Rng::for_stream(args.seed, Stream::Retries);
    let mut state = backoff.start();
    let delays: Vec<String> = std::iter::from_fn(|| state.next_us(&backoff, &mut rng)).map(ms).collect();
    Ok(if args.json {
        format!("[{}]\n", delays.join(","))
    } else if delays.is_empty() {
        "no retries\n".to_string()
    } else {
        delays.iter().enumerate().map(|(i, d)| format!("retry {} after {d} ms\n", i + 1)).collect()
    })
}

/// The command-line flag of a [`Backoff`] field.
fn flag(field: &'static str) -> &'static str {
    match field {
        "base_us" => "--base-ms",
        "cap_us" => "--cap-ms",
        "multiplier" => "--multiplier",
        "max_attempts" => "--attempts",
        "jitter" => "--jitter",
        other => other,
    }
}

/// Microseconds as exact milliseconds: `1000`, `1234.5`, `0.001`.
fn ms(us: u64) -> String {
    match us % 1_000 {
        0 => (us / 1_000).to_string(),
        frac => format!("{}.{frac:03}", us / 1_000).trim_end_matches('0').to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::ms;

    #[test]
    fn milliseconds_are_exact() {
        assert_eq!(ms(0), "0");
        assert_eq!(ms(1_000_000), "1000");
        assert_eq!(ms(1_234_500), "1234.5");
        assert_eq!(ms(1), "0.001");
        assert_eq!(ms(10_010), "10.01");
        assert_eq!(ms(u64::MAX), "18446744073709551.615");
    }
}
