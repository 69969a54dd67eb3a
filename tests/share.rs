//! Share links: every built-in, with settings changed and commands recorded, goes into a link and
//! comes back as the same scenario and command log, and replays to the same trace hash. A link
//! cut short, changed, from a newer build or made up is a named error, never a panic.

use eda_lab::sim::builtins::{builtin, CATALOG};
use eda_lab::sim::command::{Command, StampedCommand};
use eda_lab::sim::config::scenario::Scenario;
use eda_lab::sim::config::settings::SETTINGS;
use eda_lab::sim::share::{base64url, decode, encode, unbase64url, Shared};
use eda_lab::sim::{ConsumerId, SimTime, Simulation};
use proptest::prelude::*;
use serde_json::json;

/// Runs `s` for 5 s, a consumer crash and a setting change on the way: the run and its log.
fn recorded(s: &Scenario) -> (Simulation, Vec<StampedCommand>) {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(SimTime::from_ms(1_000), u64::MAX);
    let _ = sim.handle(Command::CrashConsumer { consumer: ConsumerId(0), at: None });
    sim.run_until(SimTime::from_ms(2_000), u64::MAX);
    let _ = sim.handle(Command::Set { setting: "producer.rate_per_sec".into(), value: json!(7.0) });
    sim.run_until(SimTime::from_ms(5_000), u64::MAX);
    let log = sim.commands().to_vec();
    (sim, log)
}

#[test]
fn every_builtin_round_trips_and_replays_to_the_same_hash() {
    for (name, _) in CATALOG {
        let s = builtin(name).unwrap();
        let (sim, commands) = recorded(&s);
        let shared = Shared {
            scenario: s.clone(),
            commands: commands.clone(),
            lesson: None,
            lanes: Vec::new(),
            at_us: 5_000_000,
        };
        let link = encode(&shared);
        assert!(link.starts_with("1.") && link.len() < 2_000, "{name}: {} characters", link.len());
        let back = decode(&format!("https://example.org/#run={link}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.scenario, s, "{name}");
        assert_eq!(back.commands, commands, "{name}");
        assert_eq!(back.at_us, 5_000_000, "{name}");
        let mut again = Simulation::new(&back.scenario).unwrap();
        back.replay(&mut again, u64::MAX).unwrap();
        assert_eq!(again.now(), sim.now(), "{name} opens at the instant it was shared");
        assert_eq!(again.trace_hash(), sim.trace_hash(), "{name} replays to the bit");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A built-in with any valid setting changed travels as its name and the change, and comes
    /// back equal; the seed and lesson travel too.
    #[test]
    fn changed_settings_round_trip(b in 0..CATALOG.len(), k in 0..SETTINGS.len(), pick in 0.0f64..1.0, seed in any::<u64>()) {
        let mut s = builtin(CATALOG[b].0).unwrap();
        s.seed = seed;
        let setting = &SETTINGS[k];
        if let Some(v) = candidate(&s, k, pick) {
            if let Ok(changed) = s.with_setting(setting, &v) {
                s = changed;
            }
        }
        let shared = Shared { scenario: s.clone(), commands: Vec::new(), lesson: Some("duplicate-charge".into()), lanes: Vec::new(), at_us: 0 };
        let back = decode(&encode(&shared)).unwrap();
        prop_assert_eq!(back, shared);
    }

    /// A link with any character changed, cut or lengthened is refused by name or opens a valid
    /// run; never a panic.
    #[test]
    fn tampered_links_never_panic(i in any::<prop::sample::Index>(), c in "[A-Za-z0-9_.=#-]", cut in any::<bool>()) {
        let s = builtin("at-least-once").unwrap();
        let (_, commands) = recorded(&s);
        let link = encode(&Shared { scenario: s, commands, lesson: None, lanes: Vec::new(), at_us: 0 });
        let at = i.index(link.len());
        let tampered = if cut { link[..at].to_string() } else { format!("{}{}{}", &link[..at], c, &link[at + 1..]) };
        match decode(&tampered) {
            Ok(shared) => prop_assert!(shared.scenario.validate().is_ok()),
            Err(e) => prop_assert!(!e.part.is_empty() && !e.message.is_empty()),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let _ = decode(&text);
        let _ = decode(&format!("1.{}", base64url(text.as_bytes())));
    }

    #[test]
    fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
    }
}

/// A value for setting `k` to try: from its choices, or within its range.
fn candidate(s: &Scenario, k: usize, pick: f64) -> Option<serde_json::Value> {
    let setting = &SETTINGS[k];
    let now = s.setting(setting)?;
    Some(match now {
        serde_json::Value::Bool(b) => json!(!b),
        serde_json::Value::Number(n) => json!((n.as_f64()? * (0.5 + pick)).round()),
        other => other,
    })
}

#[test]
fn broken_links_name_what_is_wrong() {
    let part = |link: &str| decode(link).unwrap_err().part;
    assert_eq!(part("no dot"), "version");
    assert_eq!(part("2.abc"), "version");
    assert!(decode("2.abc").unwrap_err().to_string().contains("newer than this build"));
    assert_eq!(part("1.@@@"), "payload");
    assert_eq!(part(&format!("1.{}", base64url(b"[1,2]"))), "payload");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"nope"}"#))), "b");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","w":{"topic.partitions":0}}"#))), "w");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","w":{"no.such":1}}"#))), "w.no.such");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","x":1}"#))), "x");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","seed":-1}"#))), "seed");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","c":[{"at_us":1}]}"#))), "c");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"s":{"topic":{"partitions":0}}}"#))), "s");
    assert_eq!(part(&"A".repeat(70_000)), "length");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","t":"soon"}"#))), "t");
    assert_eq!(part(&format!("1.{}", base64url(br#"{"b":"at-least-once","t":100000000000}"#))), "t");
    let w = decode(&format!("1.{}", base64url(br#"{"b":"at-least-once","w":{"topic.partitions":0}}"#))).unwrap_err();
    assert!(w.to_string().contains("topic.partitions"), "{w}");
}

/// A link stands where it was made; one standing before its own last command is refused by name,
/// and a command log that does not fit its scenario is named when it is opened.
#[test]
fn a_link_opens_at_its_instant() {
    let s = builtin("at-least-once").unwrap();
    let (_, commands) = recorded(&s);
    let last = commands.last().unwrap().at_us;
    let early =
        Shared { scenario: s.clone(), commands: commands.clone(), lesson: None, lanes: Vec::new(), at_us: last - 1 };
    assert_eq!(decode(&encode(&early)).unwrap_err().part, "t");
    // Without `t` a link stands at its last command.
    let unstamped = Shared { at_us: 0, ..early.clone() };
    assert_eq!(decode(&encode(&unstamped)).unwrap().at_us, last);
    // Commands recorded on another scenario do not replay on this one: named, not a panic.
    let mut other = builtin("consumer-groups").unwrap();
    other.seed = 99;
    let wrong = Shared { scenario: other, commands, lesson: None, lanes: Vec::new(), at_us: 5_000_000 };
    if let Ok(back) = decode(&encode(&wrong)) {
        let mut sim = Simulation::new(&back.scenario).unwrap();
        if let Err(e) = back.replay(&mut sim, u64::MAX) {
            assert_eq!(e.part, "c", "{e}");
        }
    }
    // A run too long for the budget is named by its instant.
    let mut sim = Simulation::new(&s).unwrap();
    let long = Shared { at_us: 60_000_000, ..unstamped };
    assert_eq!(long.replay(&mut sim, 1_000).unwrap_err().part, "t");
}

/// A scenario edited beyond its settings (its fault schedule here) travels whole.
#[test]
fn an_edited_scenario_travels_whole() {
    let mut s = builtin("at-least-once").unwrap();
    s.faults.clear();
    let link = encode(&Shared { scenario: s.clone(), commands: Vec::new(), lesson: None, lanes: Vec::new(), at_us: 0 });
    let payload = String::from_utf8(unbase64url(&link[2..]).unwrap()).unwrap();
    assert!(payload.starts_with(r#"{"s":"#), "{payload}");
    assert_eq!(decode(&link).unwrap().scenario, s);
    let plain = encode(&Shared {
        scenario: builtin("at-least-once").unwrap(),
        commands: Vec::new(),
        lesson: None,
        lanes: Vec::new(),
        at_us: 0,
    });
    assert!(plain.len() < 80, "an untouched built-in is its name: {plain}");
}

/// A comparison travels with its lanes, each on the run's seed, and comes back equal.
#[test]
fn a_comparison_travels_with_its_lanes() {
    use eda_lab::sim::compare::{preset, PRESETS};
    for (name, _) in PRESETS {
        let mut base = builtin("at-least-once").unwrap();
        base.seed = 42;
        let lanes = preset(name, &base).unwrap();
        let shared = Shared { scenario: base, commands: Vec::new(), lesson: None, lanes, at_us: 0 };
        let link = encode(&shared);
        assert_eq!(decode(&link).unwrap(), shared, "{name}");
    }
    let one = format!("1.{}", base64url(br#"{"b":"at-least-once","lanes":[{"l":"a","b":"at-least-once"}]}"#));
    assert_eq!(decode(&one).unwrap_err().part, "lanes");
    let bad = format!(
        "1.{}",
        base64url(br#"{"b":"at-least-once","lanes":[{"l":"a","b":"at-least-once"},{"l":"b","b":"x"}]}"#)
    );
    assert_eq!(decode(&bad).unwrap_err().part, "lanes[1].b");
}
