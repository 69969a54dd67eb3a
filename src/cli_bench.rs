//! `eda-lab bench`: the engine on the models of `bench/simpy_bench.py`, timed, with the mean time
//! in system beside what queueing theory says it should be when failures are off.

use crate::sim::{Scenario, Simulation};
use clap::{Args, ValueEnum};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Which SimPy model: `log` (4 partitions, one consumer each: 4 x M/M/1) or `queue` (one
    /// queue, 4 competing consumers: M/M/4, the script's default model).
    #[arg(long, value_enum, default_value_t = Model::Log)]
    model: Model,
    #[arg(long, default_value_t = 1_000_000)]
    messages: u64,
    /// Turn processing failures off (pure M/M/1 or M/M/4: theory gives the mean time in system).
    #[arg(long)]
    no_failures: bool,
    #[arg(long, default_value_t = 3)]
    repeats: u32,
    /// The seed of the run (the model's randomness; SimPy's script takes its own --seed).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Time time travel instead: seeks in a 10-minute run of at-least-once, at its own rate and
    /// at 200 msg/s (`seek_bench.rs`).
    #[arg(long)]
    seek: bool,
    /// Measure memory over a long run instead: the model for `--events` events, journeys
    /// recorded, resident memory now and at its peak at checkpoints (`soak_bench.rs`).
    #[arg(long)]
    soak: bool,
    /// The events of a `--soak` run.
    #[arg(long, default_value_t = 100_000_000)]
    events: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Model {
    Log,
    Queue,
}

/// Mean time in system of an M/M/c queue (Erlang C): arrivals `lambda`, `c` servers of rate `mu`.
pub fn erlang_c_mean_time_in_system(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    // The terms a^k / k! for k < c, then a^c / c!.
    let (mut term, mut sum) = (1.0, 0.0);
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let waiting = term / (1.0 - rho);
    let p_wait = waiting / (sum + waiting);
    p_wait / (f64::from(c) * mu - lambda) + 1.0 / mu
}

pub fn run(args: &BenchArgs) -> Result<String, String> {
    if args.seek {
        let t0 = Instant::now();
        let clock = move || t0.elapsed().as_secs_f64() * 1e3;
        let own = crate::seek_bench::run("at-least-once", None, args.seed, &clock)?;
        return Ok(own + &crate::seek_bench::run("at-least-once", Some(200.0), args.seed, &clock)?);
    }
    if args.soak {
        let mut scenario = match args.model {
            Model::Log => Scenario::bench(1, !args.no_failures),
            Model::Queue => Scenario::bench_queue(1, !args.no_failures),
        };
        scenario.seed = args.seed;
        return crate::soak_bench::run(scenario, args.events);
    }
    let (messages, failures, repeats) = (args.messages, !args.no_failures, args.repeats.max(1));
    if messages == 0 {
        return Err("--messages must be at least 1".into());
    }
    let mut scenario = match args.model {
        Model::Log => Scenario::bench(messages, failures),
        Model::Queue => Scenario::bench_queue(messages, failures),
    };
    scenario.seed = args.seed;
    let mut walls = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let mut sim = Simulation::new(&scenario).map_err(|e| e.to_string())?;
        let start = Instant::now();
        while sim.step() {}
        walls.push(start.elapsed().as_secs_f64());
        last = Some(sim);
    }
    let sim = last.expect("at least one repeat");
    walls.sort_by(f64::total_cmp);
    let wall = walls[walls.len() / 2];
    let ledger = sim.ledger();
    let c = ledger.counts();
    let mean_s = ledger.latency().mean_us().unwrap_or(0.0) / 1e6;
    let model = match args.model {
        Model::Log => "log 4 partitions x M/M/1",
        Model::Queue => "queue 1 queue x 4 competing consumers (M/M/4)",
    };
    let mut out = format!(
        "[eda-lab {model}{}] n={messages} walls_s={:?} median_wall_s={wall:.3}\n",
        if failures { "+retry+DLQ" } else { "" },
        walls.iter().map(|w| (w * 1000.0).round() / 1000.0).collect::<Vec<_>>()
    );
    out.push_str(&format!(
        "events={} events_per_msg={:.2} msgs_per_s={:.0} events_per_s={:.0}\n",
        sim.events_processed(),
        sim.events_processed() as f64 / messages as f64,
        messages as f64 / wall,
        sim.events_processed() as f64 / wall
    ));
    out.push_str(&format!(
        "mean_time_in_system_s={mean_s:.3} acked={} dead_lettered={} retries={} lost={} in_flight={} sim_time_s={:.0} trace={}\n",
        c.exactly_once,
        c.dead_lettered,
        sim.stats().consumer.retries,
        c.lost,
        c.in_flight,
        sim.now().as_secs_f64(),
        sim.trace_hash().hex()
    ));
    if !failures {
        let (what, theory) = match args.model {
            Model::Log => ("each partition is M/M/1 with lambda=0.225/s, mu=0.25/s", 40.0),
            Model::Queue => {
                ("M/M/4 (Erlang C) with lambda=0.9/s, mu=0.25/s", erlang_c_mean_time_in_system(0.9, 0.25, 4))
            }
        };
        out.push_str(&format!(
            "theory: {what}: mean {theory:.3} s (measured {mean_s:.2} s, {:+.2}%)\n",
            (mean_s / theory - 1.0) * 100.0
        ));
    }
    out.push_str(&format!("eda-lab msgs_per_s={:.0}\n", messages as f64 / wall));
    Ok(out)
}
