//! `eda-lab backoff` as a user runs it: the schedules print as the engine computes them, jitter
//! is reproducible from the seed, and bad settings name their flag.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli_common;
use cli_common::eda_lab;

/// `backoff` with the given flags after the common ones (1 s base, 30 s cap, 8 retries).
fn backoff(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["backoff", "--base-ms", "1000", "--cap-ms", "30000", "--attempts", "8"];
    args.extend_from_slice(extra);
    eda_lab(&args)
}

/// The delays of a `--json` run, which must succeed.
fn delays_ms(extra: &[&str]) -> Vec<f64> {
    let mut args = extra.to_vec();
    args.push("--json");
    let (code, out, err) = backoff(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn exponential_doubles_up_to_the_cap() {
    let (code, out, err) = backoff(&["--policy", "exponential", "--multiplier", "2", "--jitter", "none"]);
    assert_eq!(code, 0, "{err}");
    let expected: String = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
        .iter()
        .enumerate()
        .map(|(i, ms)| format!("retry {} after {ms} ms\n", i + 1))
        .collect();
    assert_eq!(out, expected);
    let (_, json, _) = backoff(&["--policy", "exponential", "--json"]);
    assert_eq!(json, "[1000,2000,4000,8000,16000,30000,30000,30000]\n");
}

#[test]
fn each_policy_without_jitter() {
    assert_eq!(delays_ms(&["--policy", "fixed"]), [1000.0; 8]);
    assert_eq!(delays_ms(&["--policy", "immediate"]), [0.0; 8]);
    assert_eq!(delays_ms(&["--policy", "none"]), [] as [f64; 0]);
    let (code, out, _) = backoff(&["--policy", "none"]);
    assert_eq!((code, out.as_str()), (0, "no retries\n"));
    let (_, out, _) = eda_lab(&["backoff", "--policy", "fixed", "--base-ms", "5", "--cap-ms", "5", "--attempts", "0"]);
    assert_eq!(out, "no retries\n");
}

#[test]
fn jitter_is_reproducible_and_bounded() {
    let full = delays_ms(&["--policy", "exponential", "--jitter", "full", "--seed", "7"]);
    assert_eq!(full, delays_ms(&["--policy", "exponential", "--jitter", "full", "--seed", "7"]));
    assert_ne!(full, delays_ms(&["--policy", "exponential", "--jitter", "full", "--seed", "8"]));
    let ceilings = [1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 30000.0, 30000.0, 30000.0];
    assert!(full.iter().zip(ceilings).all(|(d, c)| (0.0..=c).contains(d)), "{full:?}");
    let equal = delays_ms(&["--policy", "exponential", "--jitter", "equal"]);
    assert!(equal.iter().zip(ceilings).all(|(d, c)| (c / 2.0..=c).contains(d)), "{equal:?}");
    let decorrelated = delays_ms(&["--policy", "exponential", "--jitter", "decorrelated"]);
    let mut prev = 1000.0;
    for d in decorrelated {
        assert!((1000.0..=30000.0f64.min(3.0 * prev)).contains(&d), "{d} after {prev}");
        prev = d;
    }
    // Jittered delays are whole microseconds: at most three decimals of a millisecond.
    let (_, json, _) = backoff(&["--policy", "exponential", "--jitter", "full", "--json"]);
    for n in json.trim().trim_matches(['[', ']']).split(',') {
        assert!(n.split('.').nth(1).is_none_or(|f| f.len() <= 3 && !f.ends_with('0')), "{n} in {json}");
    }
}

#[test]
fn bad_settings_name_their_flag() {
    let refused = |args: &[&str], expected: &str| {
        let (code, out, err) = eda_lab(args);
        assert_ne!(code, 0, "{args:?} was accepted: {out}");
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().next().unwrap_or(""), expected, "{args:?}");
    };
    let base = ["backoff", "--policy", "exponential", "--base-ms", "1000"];
    let with = |extra: &[&'static str]| [&base[..], extra].concat();
    refused(&with(&["--cap-ms", "500", "--attempts", "3"]), "error: --cap-ms: must not be below the base");
    refused(
        &with(&["--cap-ms", "5000", "--attempts", "3", "--multiplier", "0"]),
        "error: --multiplier: must be between 1 and 10 (got 0)",
    );
    refused(&with(&["--cap-ms", "5000", "--attempts", "1001"]), "error: --attempts: must be at most 1000 (got 1001)");
    refused(&with(&["--cap-ms", "86400001", "--attempts", "3"]), "error: --cap-ms: must be at most 1 day");
    refused(
        &[
            "backoff",
            "--policy",
            "fixed",
            "--base-ms",
            "99999999999999999",
            "--cap-ms",
            "99999999999999999",
            "--attempts",
            "1",
        ],
        "error: --base-ms: must be at most 1 day",
    );
    refused(
        &[
            "backoff",
            "--policy",
            "fixed",
            "--base-ms",
            "1",
            "--cap-ms",
            "1",
            "--attempts",
            "1",
            "--jitter",
            "decorrelated",
        ],
        "error: --jitter: decorrelated jitter grows the delay: use it with the exponential policy",
    );
    // What clap refuses (a missing flag, an unknown policy, a negative number) exits 2, no panic.
    for args in [&with(&["--attempts", "3"])[..], &with(&["--cap-ms", "-1", "--attempts", "3"])[..]] {
        let (code, _, err) = eda_lab(args);
        assert_eq!(code, 2, "{err}");
        assert!(err.starts_with("error: ") && !err.contains("panicked"), "{err}");
    }
    let (code, _, err) =
        eda_lab(&["backoff", "--policy", "linear", "--base-ms", "1", "--cap-ms", "1", "--attempts", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--policy"), "{err}");
}
