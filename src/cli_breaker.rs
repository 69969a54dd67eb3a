//! `eda-lab breaker`: replays a script of calls on one circuit breaker, alone, and prints its
//! state and metrics after every step. The breaker is the engine's
//! (`sim::policy::circuit_breaker`, resilience4j's semantics); this file only reads the script
//! and the config and writes the lines.

use crate::sim::config::json_input;
use crate::sim::policy::circuit_breaker::{CircuitBreaker, CircuitBreakerConfig, State};
use crate::sim::time::parse_duration_us;
use crate::sim::SimTime;
use serde::Serialize;

/// What the script's ops mean, for `breaker --help`.
pub const OPS_HELP: &str = "\
Ops, run in order on one breaker from simulated time 0:
  acquire          ask permission to start a call (prints permitted=true|false)
  release          give back a permission without making the call
  ok[:MS]          a call succeeded after MS milliseconds (default 0), recorded even without acquire
  fail[:MS]        a call failed after MS milliseconds (default 0)
  ignored          a call failed with an error the breaker ignores (releases its permission)
  wait:MS          advance the clock by MS milliseconds (also 2s, 500ms, 1m)
  to:STATE         force a transition: closed, open, half_open, disabled, forced_open, metrics_only
  reset            back to a fresh closed state
The config (--config FILE) is JSON with resilience4j's settings in snake_case, all optional:
  failure_rate_threshold (50), slow_call_rate_threshold (100), slow_call_duration_threshold_ms
  (60000), sliding_window_type (count_based|time_based), sliding_window_size (100),
  minimum_number_of_calls (100), wait_duration_in_open_state_ms (60000), open_wait_multiplier,
  open_wait_max_ms, permitted_number_of_calls_in_half_open_state (10),
  max_wait_duration_in_half_open_state_ms (0: for ever), transition_to_state_after_wait_duration
  (open|closed), automatic_transition_from_open_to_half_open_enabled (false), initial_state.";

/// `eda-lab breaker [--config FILE] [--json] OP...`
#[derive(clap::Args, Debug)]
#[command(after_long_help = OPS_HELP)]
pub struct BreakerArgs {
    /// The breaker's settings: a JSON file (resilience4j's, in snake_case).
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
    /// Print one JSON object per op, one per line.
    #[arg(long)]
    json: bool,
    /// The script: acquire, release, ok[:MS], fail[:MS], ignored, wait:MS, to:STATE, reset.
    #[arg(required = true, value_name = "OP")]
    ops: Vec<String>,
}

/// One step of the script.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Acquire,
    Release,
    Success { duration_us: u64 },
    Failure { duration_us: u64 },
    Ignored,
    Wait { us: u64 },
    To(State),
    Reset,
}

/// One printed line: the op and the breaker after it.
#[derive(Serialize)]
struct Line<'a> {
    op: &'a str,
    state: &'static str,
    permitted: Option<bool>,
    failure_rate: f32,
    slow_call_rate: f32,
    buffered: u32,
    failed: u32,
    successful: u32,
    slow: u32,
    not_permitted: u64,
}

/// A duration in an op: a bare number is milliseconds, or a number with a unit (`2s`).
fn parse_ms(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("missing a number of milliseconds".to_string());
    }
    if text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        parse_duration_us(&format!("{text}ms"))
    } else {
        parse_duration_us(text)
    }
}

fn parse_op(text: &str) -> Result<Op, String> {
    let (name, arg) = match text.split_once(':') {
        Some((n, a)) => (n, Some(a)),
        None => (text, None),
    };
    let duration = || arg.map_or(Ok(0), parse_ms);
    let op = match (name, arg) {
        ("acquire", None) => Op::Acquire,
        ("release", None) => Op::Release,
        ("ignored", None) => Op::Ignored,
        ("reset", None) => Op::Reset,
        ("ok", _) => Op::Success { duration_us: duration()? },
        ("fail", _) => Op::Failure { duration_us: duration()? },
        ("wait", Some(a)) => Op::Wait { us: parse_ms(a)? },
        ("wait", None) => return Err("wait needs a duration: wait:MS".to_string()),
        ("to", Some(a)) => Op::To(State::parse(a).ok_or_else(|| {
            format!("unknown state `{a}` (closed, open, half_open, disabled, forced_open, metrics_only)")
        })?),
        ("acquire" | "release" | "ignored" | "reset", Some(_)) => return Err(format!("{name} takes no argument")),
        _ => return Err("unknown op (acquire, release, ok[:MS], fail[:MS], ignored, wait:MS, to:STATE, reset)".into()),
    };
    Ok(op)
}

fn load_config(path: Option<&str>) -> Result<CircuitBreakerConfig, String> {
    let Some(path) = path else {
        return Ok(CircuitBreakerConfig::default());
    };
    let bytes = std::fs::read(path).map_err(|e| format!("--config {path}: {e}"))?;
    let text = json_input::utf8(bytes).map_err(|e| format!("--config {path}: {e}"))?;
    CircuitBreakerConfig::from_json(&text)
}

/// Runs `breaker`: the lines to print, or `what: reason` naming the config field or the op
/// (counted from 1) that is wrong. Every op is read before any runs; a transition the breaker
/// refuses stops the script after printing the lines before it.
pub fn run(args: &BreakerArgs) -> Result<String, String> {
    let (json, ops) = (args.json, &args.ops);
    let config = load_config(args.config.as_deref())?;
    let script: Vec<Op> = ops
        .iter()
        .enumerate()
        .map(|(i, text)| parse_op(text).map_err(|e| format!("op {} `{text}`: {e}", i + 1)))
        .collect::<Result<_, _>>()?;
    let mut now = SimTime::ZERO;
    let mut breaker = CircuitBreaker::new(config, now).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for (i, (op, text)) in script.iter().zip(ops).enumerate() {
        let mut permitted = None;
        match *op {
            Op::Acquire => permitted = Some(breaker.try_acquire_permission(now)),
            Op::Release => breaker.release_permission(),
            Op::Success { duration_us } => breaker.on_success(duration_us, now),
            Op::Failure { duration_us } => breaker.on_error(duration_us, now),
            Op::Ignored => breaker.on_ignored_error(),
            Op::Wait { us } => now = now.plus_us(us),
            Op::To(state) => {
                if let Err(e) = breaker.transition_to(state, now) {
                    // The lines before the refused op still tell what led to it.
                    print!("{out}");
                    return Err(format!("op {} `{text}`: {e}", i + 1));
                }
            }
            Op::Reset => breaker.reset(now),
        }
        // The state shown is the state at `now`: timers due by then have fired.
        breaker.advance(now);
        let m = breaker.metrics(now);
        let line = Line {
            op: text,
            state: breaker.state().name(),
            permitted,
            failure_rate: m.failure_rate,
            slow_call_rate: m.slow_call_rate,
            buffered: m.buffered,
            failed: m.failed,
            successful: m.successful,
            slow: m.slow,
            not_permitted: m.not_permitted,
        };
        out.push_str(&if json { json_line(&line)? } else { text_line(&line) });
        out.push('\n');
    }
    Ok(out)
}

fn json_line(line: &Line) -> Result<String, String> {
    serde_json::to_string(line).map_err(|e| e.to_string())
}

fn text_line(l: &Line) -> String {
    let permitted = l.permitted.map_or(String::new(), |p| format!(" permitted={p}"));
    format!(
        "{:<12} state={}{permitted} failure_rate={} slow_call_rate={} buffered={} failed={} successful={} slow={} \
         not_permitted={}",
        l.op, l.state, l.failure_rate, l.slow_call_rate, l.buffered, l.failed, l.successful, l.slow, l.not_permitted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ops() {
        assert_eq!(parse_op("ok"), Ok(Op::Success { duration_us: 0 }));
        assert_eq!(parse_op("fail:5000"), Ok(Op::Failure { duration_us: 5_000_000 }));
        assert_eq!(parse_op("wait:2s"), Ok(Op::Wait { us: 2_000_000 }));
        assert_eq!(parse_op("wait:0.5"), Ok(Op::Wait { us: 500 }));
        assert_eq!(parse_op("to:half_open"), Ok(Op::To(State::HalfOpen)));
        assert!(parse_op("to:ajar").is_err());
        assert!(parse_op("wait").is_err());
        assert!(parse_op("acquire:3").is_err());
        assert!(parse_op("ok:").is_err());
        assert!(parse_op("jump").is_err());
    }
}
