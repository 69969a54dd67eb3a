//! Simulated time. Time is an integer count of microseconds so that no run ever accumulates
//! floating-point error and every platform agrees on the order of events.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in simulated time, in microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const NEVER: SimTime = SimTime(u64::MAX);

    pub const fn from_us(us: u64) -> Self {
        SimTime(us)
    }
    pub const fn from_ms(ms: u64) -> Self {
        SimTime(ms.saturating_mul(1_000))
    }
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s.saturating_mul(1_000_000))
    }
    pub const fn as_us(self) -> u64 {
        self.0
    }
    /// Whole milliseconds (truncated).
    pub const fn as_ms(self) -> u64 {
        self.0 / 1_000
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }
    /// `self + us`, saturating at [`SimTime::NEVER`] so that "never" stays never.
    pub const fn plus_us(self, us: u64) -> Self {
        SimTime(self.0.saturating_add(us))
    }
    pub const fn plus_ms(self, ms: u64) -> Self {
        self.plus_us(ms.saturating_mul(1_000))
    }
    pub const fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
    /// The time elapsed since `earlier` (zero if `earlier` is later).
    pub const fn elapsed_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

/// A span of simulated time, in microseconds. Every setting given in milliseconds becomes one
/// through [`SimDuration::from_ms`], which saturates instead of overflowing, so no input can wrap
/// time around.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimDuration(pub u64);

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub const fn from_us(us: u64) -> Self {
        SimDuration(us)
    }
    /// `ms` milliseconds, saturating at the largest duration.
    pub const fn from_ms(ms: u64) -> Self {
        SimDuration(ms.saturating_mul(1_000))
    }
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(1_000_000))
    }
    /// `ms` fractional milliseconds, rounded to the nearest microsecond (negative and NaN give
    /// zero, too large saturates).
    pub fn from_ms_f64(ms: f64) -> Self {
        SimDuration((ms * 1e3 + 0.5) as u64)
    }
    pub const fn as_us(self) -> u64 {
        self.0
    }
    /// `self × factor`, saturating.
    pub const fn times(self, factor: u64) -> Self {
        SimDuration(self.0.saturating_mul(factor))
    }
}

impl std::ops::Add<SimDuration> for SimTime {
    type Output = SimTime;
    /// Saturates at [`SimTime::NEVER`], so "never" stays never.
    #[inline]
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl std::ops::Sub<SimDuration> for SimTime {
    type Output = SimTime;
    /// Saturates at time zero.
    #[inline]
    fn sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl fmt::Display for SimTime {
    /// Seconds with millisecond precision, e.g. `12.345s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == SimTime::NEVER {
            return f.write_str("never");
        }
        write!(f, "{}.{:03}s", self.0 / 1_000_000, (self.0 / 1_000) % 1_000)
    }
}

/// Parses a human duration such as `60s`, `500ms`, `2m`, `1h`, `250us` or a bare number of seconds.
/// Returns the duration in microseconds, or a message naming what is wrong.
pub fn parse_duration_us(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| format!("`{text}` is not a duration (try 60s, 500ms, 2m or 1h)"))?;
    let scale = match unit.trim() {
        "" | "s" => 1e6,
        "ms" => 1e3,
        "us" | "µs" => 1.0,
        "m" | "min" => 60e6,
        "h" => 3600e6,
        other => return Err(format!("unknown unit `{other}` in `{text}` (use us, ms, s, m or h)")),
    };
    let us = value * scale;
    if !us.is_finite() || !(0.0..=1e15).contains(&us) {
        return Err(format!("duration `{text}` is out of range (0 to about 30 years)"));
    }
    Ok(us.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration_us("60s"), Ok(60_000_000));
        assert_eq!(parse_duration_us("500ms"), Ok(500_000));
        assert_eq!(parse_duration_us("2m"), Ok(120_000_000));
        assert_eq!(parse_duration_us("1.5"), Ok(1_500_000));
        assert!(parse_duration_us("soon").is_err());
        assert!(parse_duration_us("5 parsecs").is_err());
    }

    #[test]
    fn durations_saturate() {
        assert_eq!(SimTime::from_ms(5) + SimDuration::from_ms(2), SimTime::from_ms(7));
        assert_eq!(SimTime::from_ms(5) + SimDuration::from_ms(u64::MAX), SimTime::NEVER);
        assert_eq!(SimTime::from_ms(5) - SimDuration::from_secs(1), SimTime::ZERO);
        assert_eq!(SimDuration::from_ms(3).times(u64::MAX).as_us(), u64::MAX);
        assert_eq!(SimDuration::from_ms_f64(0.0004).as_us(), 0);
        assert_eq!(SimDuration::from_ms_f64(1.2345).as_us(), 1_235);
    }

    #[test]
    fn displays_seconds_with_millis() {
        assert_eq!(SimTime::from_ms(12_345).to_string(), "12.345s");
        assert_eq!(SimTime::NEVER.to_string(), "never");
    }
}
