//! The simulation: owns every entity, runs the event loop, accepts commands, offers read-only views.
//!
//! The engine is sans-IO: it never reads a clock or touches the outside world. A driver (the CLI,
//! the page, a test) asks it to run up to a time with an event budget and reads the views.
//! The rules of the model live in the files named after them: `producer.rs` (sending, acks,
//! retries, idempotence), `processing.rs` (the consumer pipeline, commits, crashes, dedup, retries,
//! dead letters), `rebalance.rs` (membership and assignment).

use crate::sim::broker::log::group::ConsumerGroup;
use crate::sim::broker::log::partition::Partition;
use crate::sim::client::consumer::Consumer;
use crate::sim::command::{Command, StampedCommand};
use crate::sim::config::scenario::{CommitStrategy, Scenario, ScenarioError};
use crate::sim::event::{ConsumerEvent, Event, JournalEntry, JournalKind, LogEvent};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::rng::{Probability, Rng, Stream};
use crate::sim::kernel::scheduler::Scheduler;
use crate::sim::kernel::time::SimTime;
use crate::sim::kernel::trace::TraceHash;
use crate::sim::ledger::{Ledger, LossReason, Outcome};
use crate::sim::metrics::sample::Sample;
pub use crate::sim::metrics::stats::Stats;
use crate::sim::patterns::dlq::DeadLetterQueue;
use crate::sim::policy::dedup::DedupStore;

/// The random streams, one per concern.
#[derive(Clone, Debug)]
pub(super) struct Streams {
    pub arrivals: Rng,
    pub keys: Rng,
    pub service: Rng,
    pub failures: Rng,
    pub faults: Rng,
    pub network: Rng,
}

impl Streams {
    fn new(seed: u64) -> Self {
        Streams {
            arrivals: Rng::for_stream(seed, Stream::Arrivals),
            keys: Rng::for_stream(seed, Stream::Keys),
            service: Rng::for_stream(seed, Stream::Service),
            failures: Rng::for_stream(seed, Stream::Failures),
            faults: Rng::for_stream(seed, Stream::Faults),
            network: Rng::for_stream(seed, Stream::Network),
        }
    }
}

/// Settings in the integer and ratio forms the hot path uses, derived from the scenario whenever
/// a command changes it. The scenario stays the single source of truth.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Knobs {
    /// Mean gap between messages in microseconds (0 = producer stopped).
    pub mean_gap_us: f64,
    pub service_mean_us: f64,
    pub fail_p: Probability,
    pub crash_p: Probability,
    pub request_loss_p: Probability,
    pub ack_loss_p: Probability,
    pub hot_key_p: Probability,
    pub latency_us: u64,
    pub timeout_us: u64,
    pub dedup_ttl_us: Option<u64>,
}

impl Knobs {
    fn from(s: &Scenario) -> Self {
        let rate = s.producer.rate_per_sec;
        Knobs {
            mean_gap_us: if rate > 0.0 { 1e6 / rate } else { 0.0 },
            service_mean_us: s.processing.service.mean_ms * 1e3,
            fail_p: Probability::from_f64(s.processing.failure_probability),
            crash_p: Probability::from_f64(s.consumers.crash.probability),
            request_loss_p: Probability::from_f64(s.network.request_loss),
            ack_loss_p: Probability::from_f64(s.network.ack_loss),
            hot_key_p: Probability::from_f64(s.producer.keys.hot_key_share),
            latency_us: s.network.latency_ms * 1_000,
            timeout_us: s.producer.request_timeout_ms * 1_000,
            dedup_ttl_us: s.idempotency.dedup_ttl_ms.map(|ms| ms * 1_000),
        }
    }
}

/// Producer bookkeeping.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ProducerState {
    pub sent: u64,
    pub round_robin: u32,
    /// Bumped when the rate changes, so the pending arrival of the old rate is ignored.
    pub token: u32,
}

/// Whether `run_until` reached its target time or stopped on its event budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Reached,
    BudgetExhausted,
}

/// Why a command was refused. Nothing is recorded or changed when it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError(pub String);

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}

/// A running simulation. See the module documentation.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub(super) scenario: Scenario,
    pub(super) knobs: Knobs,
    pub(super) now: SimTime,
    pub(super) events_processed: u64,
    pub(super) scheduler: Scheduler<Event>,
    pub(super) rng: Streams,
    pub(super) trace: TraceHash,
    pub(super) ledger: Ledger,
    pub(super) partitions: Vec<Partition>,
    pub(super) group: ConsumerGroup,
    pub(super) consumers: Vec<Consumer>,
    pub(super) producer: ProducerState,
    pub(super) dedup: DedupStore,
    pub(super) dlq: DeadLetterQueue,
    /// Partition of each key index, computed on first use (`u32::MAX` = not yet).
    pub(super) key_partition: Vec<u32>,
    pub(super) history: Ring<Sample>,
    pub(super) next_sample: SimTime,
    pub(super) journal: Ring<JournalEntry>,
    pub(super) commands: Vec<StampedCommand>,
    pub(super) stats: Stats,
    pub(super) autocommit_token: u32,
}

impl Simulation {
    /// A simulation of `scenario` at time zero, or the first thing wrong with the scenario.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let s = scenario.clone();
        let members: Vec<u32> = (0..s.consumers.count).collect();
        let group = ConsumerGroup::new(s.topic.partitions, &members);
        let mut consumers: Vec<Consumer> = members.iter().map(|&i| Consumer::new(i)).collect();
        for c in &mut consumers {
            c.assigned = group.assigned_to(c.id).collect();
        }
        let mut sim = Simulation {
            knobs: Knobs::from(&s),
            now: SimTime::ZERO,
            events_processed: 0,
            scheduler: Scheduler::default(),
            rng: Streams::new(s.seed),
            trace: TraceHash::default(),
            ledger: Ledger::new(s.metrics.recent_messages),
            partitions: (0..s.topic.partitions).map(Partition::new).collect(),
            group,
            consumers,
            producer: ProducerState::default(),
            dedup: DedupStore::default(),
            dlq: DeadLetterQueue::default(),
            key_partition: vec![u32::MAX; s.producer.keys.count as usize],
            history: Ring::new(s.metrics.history),
            next_sample: SimTime::ZERO,
            journal: Ring::new(s.metrics.journal),
            commands: Vec::new(),
            stats: Stats::default(),
            autocommit_token: 0,
            scenario: s,
        };
        sim.trace.mix(sim.scenario.seed);
        sim.schedule_next_arrival();
        if sim.scenario.topic.retention_ms.is_some() {
            let every = sim.scenario.topic.retention_check_ms;
            sim.scheduler.schedule(SimTime::from_ms(every), Event::Log(LogEvent::RetentionCheck));
        }
        for (i, f) in sim.scenario.faults.iter().enumerate() {
            sim.scheduler.schedule(SimTime::from_ms(f.at_ms), Event::Scheduled { index: i as u32 });
        }
        sim.start_autocommit_timers();
        Ok(sim)
    }

    /// Rebuilds a run from its scenario and recorded commands, up to `until`.
    pub fn replay(scenario: &Scenario, commands: &[StampedCommand], until: SimTime) -> Result<Simulation, String> {
        let mut sim = Simulation::new(scenario).map_err(|e| e.to_string())?;
        for (i, c) in commands.iter().enumerate() {
            if c.at_us < sim.now.as_us() || c.after_events < sim.events_processed {
                return Err(format!("command {i} is out of order (at {}us after {} events)", c.at_us, c.after_events));
            }
            while sim.events_processed < c.after_events {
                match sim.scheduler.peek_time() {
                    Some(t) if t.as_us() <= c.at_us => {
                        sim.step();
                    }
                    _ => return Err(format!("command {i} expects {} events before {}us", c.after_events, c.at_us)),
                }
            }
            sim.advance_clock(SimTime(c.at_us));
            sim.handle(c.command.clone()).map_err(|e| format!("command {i}: {e}"))?;
        }
        sim.run_until(until, u64::MAX);
        Ok(sim)
    }

    // ----- driving -----

    /// Processes one event. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let Some((time, event)) = self.scheduler.pop() else { return false };
        if time > self.next_sample {
            self.sample_before(time);
        }
        self.now = time;
        self.events_processed += 1;
        let (a, b) = event.words();
        self.trace.mix(time.as_us());
        self.trace.mix(a);
        self.trace.mix(b);
        self.dispatch(event);
        true
    }

    /// Processes every event up to and including `until`, or stops after `max_events` events.
    /// When the target is reached the clock stands at `until`.
    pub fn run_until(&mut self, until: SimTime, max_events: u64) -> RunStatus {
        let mut budget = max_events;
        while let Some(t) = self.scheduler.peek_time() {
            if t > until {
                break;
            }
            if budget == 0 {
                return RunStatus::BudgetExhausted;
            }
            budget -= 1;
            self.step();
        }
        self.advance_clock(until);
        RunStatus::Reached
    }

    /// Moves the clock forward to `t` (no events are due before it), taking chart samples.
    fn advance_clock(&mut self, t: SimTime) {
        if t <= self.now {
            return;
        }
        self.sample_before(t.plus_us(1));
        self.now = t;
    }

    /// Applies a command now, records it, and folds it into the trace hash.
    pub fn handle(&mut self, command: Command) -> Result<(), CommandError> {
        command.validate().map_err(CommandError)?;
        self.check_applicable(&command)?;
        let fingerprint = command.fingerprint();
        self.commands.push(StampedCommand {
            at_us: self.now.as_us(),
            after_events: self.events_processed,
            command: command.clone(),
        });
        self.trace.mix(0xC0 << 56);
        self.trace.mix(fingerprint);
        self.note(JournalKind::Command { fingerprint });
        self.apply(command);
        Ok(())
    }

    fn check_applicable(&self, command: &Command) -> Result<(), CommandError> {
        match *command {
            Command::CrashConsumer { consumer, .. } | Command::RestartConsumer { consumer }
                if consumer as usize >= self.consumers.len() =>
            {
                Err(CommandError(format!("there is no consumer {consumer} (the group has {})", self.consumers.len())))
            }
            Command::AddConsumer if self.consumers.len() >= crate::sim::config::limits::MAX_CONSUMERS as usize => {
                Err(CommandError("the group already has the maximum number of consumers".into()))
            }
            _ => Ok(()),
        }
    }

    /// Routes an event to the subsystem that scheduled it.
    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Producer(e) => self.on_producer_event(e),
            Event::Consumer(e) => self.on_consumer_event(e),
            Event::Group(e) => self.on_group_event(e),
            Event::Log(LogEvent::RetentionCheck) => self.on_retention_check(),
            Event::Scheduled { index } => {
                let command = self.scenario.faults[index as usize].command.clone();
                if self.check_applicable(&command).is_ok() {
                    self.note(JournalKind::Command { fingerprint: command.fingerprint() });
                    self.apply(command);
                }
            }
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::CrashConsumer { consumer, at: None } => self.crash(consumer, None),
            Command::CrashConsumer { consumer, at: Some(point) } => {
                let c = &mut self.consumers[consumer as usize];
                if c.is_alive() {
                    c.armed = Some(point);
                }
            }
            Command::RestartConsumer { consumer } => self.restart(consumer),
            Command::AddConsumer => self.add_consumer(),
            Command::RemoveConsumer => self.remove_consumer(),
            Command::SetCommitStrategy { commit } => {
                self.scenario.consumers.commit = commit;
                self.start_autocommit_timers();
            }
            Command::SetIdempotency { mode, dedup_ttl_ms } => {
                self.scenario.idempotency.mode = mode;
                self.scenario.idempotency.dedup_ttl_ms = dedup_ttl_ms;
            }
            Command::SetProducerRate { rate_per_sec } => {
                self.scenario.producer.rate_per_sec = rate_per_sec;
                self.knobs = Knobs::from(&self.scenario);
                self.producer.token += 1;
                self.schedule_next_arrival();
            }
            Command::SetProducerIdempotent { enabled } => self.scenario.producer.idempotent = enabled,
            Command::SetNetworkLoss { request_loss, ack_loss } => {
                self.scenario.network.request_loss = request_loss;
                self.scenario.network.ack_loss = ack_loss;
            }
            Command::SetFailureProbability { probability } => {
                self.scenario.processing.failure_probability = probability
            }
            Command::SetCrash { point, probability } => {
                self.scenario.consumers.crash.point = point;
                self.scenario.consumers.crash.probability = probability;
            }
            Command::SetServiceMean { mean_ms } => self.scenario.processing.service.mean_ms = mean_ms,
        }
        self.knobs = Knobs::from(&self.scenario);
    }

    /// Starts one auto-commit timer per live consumer when the strategy is auto-commit; the
    /// token retires the timers of any earlier setting.
    fn start_autocommit_timers(&mut self) {
        self.autocommit_token += 1;
        if let CommitStrategy::Auto { interval_ms } = self.scenario.consumers.commit {
            for c in 0..self.consumers.len() {
                if self.consumers[c].is_alive() {
                    self.schedule_autocommit(c as u32, interval_ms);
                }
            }
        }
    }

    pub(super) fn schedule_autocommit(&mut self, consumer: u32, interval_ms: u64) {
        let epoch = self.consumers[consumer as usize].epoch;
        let at = self.now.plus_ms(interval_ms);
        self.scheduler
            .schedule(at, Event::Consumer(ConsumerEvent::AutoCommit { consumer, epoch, token: self.autocommit_token }));
    }

    fn on_retention_check(&mut self) {
        let Some(retention_ms) = self.scenario.topic.retention_ms else { return };
        let cutoff = SimTime(self.now.as_us().saturating_sub(retention_ms * 1_000));
        if self.now.as_us() >= retention_ms * 1_000 {
            for p in 0..self.partitions.len() {
                let committed = self.group.committed[p];
                let mut deleted = Vec::new();
                self.partitions[p].expire(cutoff, |offset, rec| {
                    if offset >= committed {
                        deleted.push((offset, rec.msg));
                    }
                });
                for (offset, msg) in deleted {
                    self.stats.log.retention_deleted += 1;
                    self.note(JournalKind::RetentionDeleted { msg, partition: p as u32, offset });
                    self.release(msg, Some(LossReason::Retention));
                }
            }
        }
        let every = self.scenario.topic.retention_check_ms;
        self.scheduler.schedule(self.now.plus_ms(every), Event::Log(LogEvent::RetentionCheck));
    }

    // ----- shared helpers -----

    /// Records a journal entry at the current time.
    #[inline]
    pub(super) fn note(&mut self, kind: JournalKind) {
        self.journal.push(JournalEntry { time: self.now, kind });
    }

    /// Releases one holder of `msg`, journaling a loss if that settled it as lost.
    #[inline]
    pub(super) fn release(&mut self, msg: u32, reason: Option<LossReason>) {
        match self.ledger.release(msg, reason, self.now) {
            None => {}
            Some(outcome) => {
                self.dedup.forget(msg);
                if outcome == Outcome::Lost {
                    let reason = reason.or_else(|| self.ledger.get(msg).and_then(|m| m.loss_reason));
                    self.note(JournalKind::Lost { msg, reason: reason.expect("lost messages have a reason") });
                }
            }
        }
    }

    /// Takes chart samples for every boundary strictly before `t`.
    fn sample_before(&mut self, t: SimTime) {
        let interval = self.scenario.metrics.sample_interval_ms * 1_000;
        // After a long quiet gap only the last `capacity` samples can survive: skip the rest.
        let span = (self.history.capacity() as u64).saturating_mul(interval);
        if t.as_us() > self.next_sample.as_us().saturating_add(span) {
            let skip = (t.as_us() - self.next_sample.as_us() - span) / interval;
            self.next_sample = self.next_sample.plus_us(skip * interval);
        }
        while self.next_sample < t {
            let sample = self.sample_at(self.next_sample);
            self.history.push(sample);
            self.next_sample = self.next_sample.plus_us(interval);
        }
    }

    fn sample_at(&self, time: SimTime) -> Sample {
        let c = self.ledger.counts();
        Sample {
            time_us: time.as_us(),
            produced: self.ledger.produced(),
            in_flight: c.in_flight,
            exactly_once: c.exactly_once,
            duplicated: c.duplicated,
            dead_lettered: c.dead_lettered,
            lost: c.lost,
            lag_total: self.lag_total(),
            dlq_size: self.dlq.len() as u64,
            effects: self.ledger.effects_total(),
        }
    }

    // ----- read-only views -----

    pub fn now(&self) -> SimTime {
        self.now
    }
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// The trace hash so far.
    pub fn trace_hash(&self) -> TraceHash {
        self.trace
    }
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn stats(&self) -> Stats {
        self.stats
    }
    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }
    pub fn group(&self) -> &ConsumerGroup {
        &self.group
    }
    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }
    pub fn dlq(&self) -> &DeadLetterQueue {
        &self.dlq
    }
    pub fn history(&self) -> &Ring<Sample> {
        &self.history
    }
    pub fn journal(&self) -> &Ring<JournalEntry> {
        &self.journal
    }
    /// Every accepted command, in order, with its stamp.
    pub fn commands(&self) -> &[StampedCommand] {
        &self.commands
    }
    /// Time of the next pending event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.scheduler.peek_time()
    }
    /// Log end offset minus committed offset: how far the group is behind on partition `p`.
    pub fn lag(&self, p: usize) -> u64 {
        self.partitions[p].log_end().saturating_sub(self.group.committed[p])
    }
    pub fn lag_total(&self) -> u64 {
        (0..self.partitions.len()).map(|p| self.lag(p)).sum()
    }
    /// The key name of key index `key`, as the producer writes it.
    pub fn key_name(key: u32) -> String {
        format!("user_{key}")
    }
}
