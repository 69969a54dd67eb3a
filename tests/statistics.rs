//! Reference tests against queueing theory: the engine's timing must be right, not just plausible.
#![cfg(not(target_arch = "wasm32"))]

use eda_lab::sim::{Scenario, Simulation};

/// The benchmark model without failures is four independent M/M/1 queues (λ = 0.9/4 per
/// partition, μ = 0.25): mean time in system 1/(μ − λ/4) = 40 s. At ρ = 0.9 one run of 10^6
/// messages still varies by about 2% from seed to seed, so the check pools four independent
/// seeds (4 × 10^6 messages, about 1% standard error) and asks for 5%.
#[test]
fn partitioned_mm1_mean_time_in_system_matches_theory() {
    let messages = 1_000_000;
    let mut means = Vec::new();
    for seed in 1..=4 {
        let mut scenario = Scenario::bench(messages, false);
        scenario.seed = seed;
        let mut sim = Simulation::new(&scenario).unwrap();
        while sim.step() {}
        let ledger = sim.ledger();
        assert_eq!(ledger.counts().exactly_once, messages, "every message acknowledged once");
        means.push(ledger.latency().mean_us().unwrap() / 1e6);
    }
    let mean_s = means.iter().sum::<f64>() / means.len() as f64;
    let theory_s = 1.0 / (0.25 - 0.9 / 4.0);
    let error = (mean_s - theory_s).abs() / theory_s;
    assert!(
        error < 0.05,
        "mean time in system {mean_s:.2} s (per seed {means:.2?}) vs M/M/1 theory {theory_s:.2} s ({:.1}% off)",
        error * 100.0
    );
}

/// The queue model without failures (`bench --model queue --no-failures`, SimPy's default model)
/// is one FIFO queue served by 4 competing consumers: M/M/4 with λ = 0.9/s and μ = 0.25/s
/// (ρ = 0.9), whose mean time in system Erlang C gives: 11.878 s. One run of 10^6 messages varies
/// by about 3% from seed to seed at this load, so four seeds are pooled, within 3%.
#[test]
fn queue_mm4_mean_time_in_system_matches_erlang_c() {
    let messages = 1_000_000;
    let mut means = Vec::new();
    for seed in 1..=4 {
        let mut scenario = Scenario::bench_queue(messages, false);
        scenario.seed = seed;
        let mut sim = Simulation::new(&scenario).unwrap();
        while sim.step() {}
        assert_eq!(sim.ledger().counts().exactly_once, messages, "every message acknowledged once");
        assert_eq!(sim.queue().unwrap().most_unacked(), 1, "each consumer holds one delivery at a time");
        means.push(sim.ledger().latency().mean_us().unwrap() / 1e6);
    }
    let mean_s = means.iter().sum::<f64>() / means.len() as f64;
    let theory_s = erlang_c_mean_time_in_system(0.9, 0.25, 4);
    assert!((theory_s - 11.878).abs() < 0.001, "Erlang C for M/M/4 at 0.9/0.25: {theory_s}");
    let error = (mean_s - theory_s).abs() / theory_s;
    assert!(
        error < 0.03,
        "mean time in system {mean_s:.2} s (per seed {means:.2?}) vs Erlang C {theory_s:.3} s ({:.1}% off)",
        error * 100.0
    );
}

/// Erlang C's M/M/c mean time in system, written out here apart from the command line's.
fn erlang_c_mean_time_in_system(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let factorial = |n: u32| (1..=n).map(f64::from).product::<f64>();
    let below: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum();
    let top = a.powi(c as i32) / factorial(c) * f64::from(c) / (f64::from(c) - a);
    let p_wait = top / (below + top);
    p_wait / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// With failures the same model retries 5% of attempts with 2, 4, 8 s backoff, then dead-letters:
/// a message is dead-lettered only after four failed attempts, probability 0.05^4.
#[test]
fn retry_and_dead_letter_rates_match_the_model() {
    let messages = 1_000_000;
    let mut sim = Simulation::new(&Scenario::bench(messages, true)).unwrap();
    while sim.step() {}
    let c = sim.ledger().counts();
    assert_eq!(c.exactly_once + c.dead_lettered, messages);
    assert_eq!((c.in_flight, c.lost, c.duplicated), (0, 0, 0));
    // Expected retries per message: p + p^2 + p^3 with p = 0.05.
    let expected_retries = messages as f64 * (0.05 + 0.0025 + 0.000125);
    let retries = sim.stats().consumer.retries as f64;
    assert!((retries - expected_retries).abs() / expected_retries < 0.03, "retries {retries} vs {expected_retries}");
    let expected_dlq = messages as f64 * 0.05f64.powi(4);
    assert!(
        (c.dead_lettered as f64) < expected_dlq * 4.0 + 5.0,
        "dead-lettered {} vs about {expected_dlq}",
        c.dead_lettered
    );
}

/// In a log, a partition is read by exactly one consumer of the group: adding consumers beyond
/// the partition count leaves them idle, so one partition stays an M/M/1 queue (ρ = 0.8, mean
/// time in system 1/(μ − λ) = 20 s) however many consumers there are. (Competing consumers that
/// share one queue — M/M/c, checked against Erlang C — belong to the queue broker.)
#[test]
fn extra_consumers_do_not_speed_up_a_partition() {
    let mut base = Scenario::bench(200_000, false);
    base.topic.partitions = 1;
    base.producer.rate_per_sec = 0.2; // ρ = 0.8 on the single partition: mean 1/(0.25-0.2) = 20 s
    let mut one = base.clone();
    one.consumers.count = 1;
    let mut three = base.clone();
    three.consumers.count = 3;
    let mean = |s: &Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        while sim.step() {}
        sim.ledger().latency().mean_us().unwrap() / 1e6
    };
    let (m1, m3) = (mean(&one), mean(&three));
    assert_eq!(m1, m3, "a partition is read by one consumer of the group, however many there are");
    assert!((m1 - 20.0).abs() / 20.0 < 0.08, "mean {m1:.2} s vs 20 s");
}
