//! The simulation: wires the subsystems together, runs the event loop, accepts commands and offers
//! read-only views.
//!
//! The engine is sans-IO: it never reads a clock or touches the outside world. A driver (the CLI,
//! the page, a test) asks it to run up to a time with an event budget and reads the views. Each
//! subsystem owns its state and gets a borrowed [`Ctx`] for the duration of one call: the
//! producer (`client/producer.rs`), the log broker (`broker/log/`), the consumer pipeline
//! (`client/pipeline.rs`, `client/membership.rs`). The engine routes events and commands to them
//! and keeps what they share: the clock, the scheduler, the ledger, the journal, the settings.

use crate::sim::broker::log::group::ConsumerGroup;
use crate::sim::broker::log::partition::Partition;
use crate::sim::broker::log::LogBroker;
use crate::sim::client::consumer::Consumer;
use crate::sim::client::pipeline::Pipeline;
use crate::sim::client::producer::{key_name, Producer};
use crate::sim::command::{Command, StampedCommand};
use crate::sim::config::knobs::Knobs;
use crate::sim::config::limits;
use crate::sim::config::scenario::{Scenario, ScenarioError};
use crate::sim::config::settings;
use crate::sim::ctx::Ctx;
pub use crate::sim::errors::{CommandError, ReplayError};
use crate::sim::event::{Event, JournalEntry, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId, PartitionId};
use crate::sim::journal::Journal;
use crate::sim::journey::{Journey, JourneyPolicy};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::scheduler::Scheduler;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::kernel::trace::TraceHash;
use crate::sim::ledger::Ledger;
use crate::sim::metrics::sample::Sample;
pub use crate::sim::metrics::stats::Stats;
use crate::sim::patterns::dlq::DeadLetterQueue;

/// What the simulation can say about one message's journey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JourneyView<'a> {
    Kept(&'a Journey),
    /// Produced, but its journey is not kept: not recorded, or settled long enough ago that the
    /// ledger forgot it (it keeps every message in flight, the newest settled and the newest
    /// notable ones).
    NotKept,
    /// No such message yet.
    NeverProduced,
}

/// Whether `run_until` reached its target time or stopped on its event budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Reached,
    BudgetExhausted,
}

/// A running simulation. See the module documentation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The settings as they are now: the scenario with every live command applied.
    settings: Scenario,
    knobs: Knobs,
    now: SimTime,
    events_processed: u64,
    scheduler: Scheduler<Event>,
    trace: TraceHash,
    ledger: Ledger,
    journal: Journal,
    producer: Producer,
    log: LogBroker,
    pipeline: Pipeline,
    history: Ring<Sample>,
    next_sample: SimTime,
    commands: Vec<StampedCommand>,
}

/// Builds a [`Ctx`] from the simulation's shared parts, leaving its subsystems free to borrow.
macro_rules! ctx {
    ($sim:expr) => {
        Ctx {
            now: $sim.now,
            scheduler: &mut $sim.scheduler,
            ledger: &mut $sim.ledger,
            journal: &mut $sim.journal,
            settings: &$sim.settings,
            knobs: &$sim.knobs,
        }
    };
}

impl Simulation {
    /// A simulation of `scenario` at time zero, or the first thing wrong with the scenario.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let s = scenario.clone();
        let mut sim = Simulation {
            knobs: Knobs::from(&s),
            now: SimTime::ZERO,
            events_processed: 0,
            scheduler: Scheduler::default(),
            trace: TraceHash::default(),
            ledger: Ledger::new(s.metrics.recent_messages),
            journal: Journal::new(s.metrics.journal),
            producer: Producer::new(s.producer.keys.count, s.seed),
            log: LogBroker::new(s.topic.partitions, s.consumers.count),
            pipeline: Pipeline::new(s.consumers.count, s.seed),
            history: Ring::new(s.metrics.history),
            next_sample: SimTime::ZERO,
            commands: Vec::new(),
            settings: s,
        };
        sim.trace.mix(sim.settings.seed);
        sim.trace.mix(sim.settings.fingerprint());
        let ctx = &mut ctx!(sim);
        sim.producer.schedule_next_arrival(ctx);
        sim.log.start(ctx);
        for (i, f) in sim.settings.faults.iter().enumerate() {
            ctx.scheduler.schedule(SimTime::from_ms(f.at_ms), Event::Scheduled { index: i as u32 });
        }
        sim.pipeline.start_autocommit_timers(ctx);
        Ok(sim)
    }

    /// Rebuilds a run from its scenario and recorded commands, up to `until`.
    pub fn replay(scenario: &Scenario, commands: &[StampedCommand], until: SimTime) -> Result<Simulation, ReplayError> {
        let mut sim = Simulation::new(scenario).map_err(ReplayError::Scenario)?;
        sim.run_commands(commands, until)?;
        Ok(sim)
    }

    /// Runs to `until`, applying recorded `commands` exactly where they were recorded.
    pub fn run_commands(&mut self, commands: &[StampedCommand], until: SimTime) -> Result<(), ReplayError> {
        self.run_commands_observed(commands, until, u64::MAX, &mut |_| {})
    }

    /// [`Simulation::run_commands`], processing at most `max_events` events (an error names the
    /// budget when it runs out), and calling `observe` every few thousand events and at the end
    /// (the command line drains the journal tap there).
    pub fn run_commands_observed(
        &mut self,
        commands: &[StampedCommand],
        until: SimTime,
        max_events: u64,
        observe: &mut dyn FnMut(&mut Simulation),
    ) -> Result<(), ReplayError> {
        let sim = self;
        let mut budget = max_events;
        for (index, c) in commands.iter().enumerate() {
            let (at_us, after_events) = (c.at_us, c.after_events);
            if at_us < sim.now.as_us() || after_events < sim.events_processed {
                return Err(ReplayError::OutOfOrder { index, at_us, after_events });
            }
            while sim.events_processed < after_events {
                match sim.scheduler.peek_time() {
                    Some(t) if t.as_us() <= at_us => sim.step_within(&mut budget, observe)?,
                    _ => return Err(ReplayError::EventsMissing { index, at_us, after_events }),
                }
            }
            sim.advance_clock(SimTime(at_us));
            sim.handle(c.command.clone()).map_err(|error| ReplayError::Command { index, error })?;
        }
        while sim.scheduler.peek_time().is_some_and(|t| t <= until) {
            sim.step_within(&mut budget, observe)?;
        }
        sim.advance_clock(until);
        observe(sim);
        Ok(())
    }

    /// One step, if the budget allows it.
    fn step_within(&mut self, budget: &mut u64, observe: &mut dyn FnMut(&mut Simulation)) -> Result<(), ReplayError> {
        if *budget == 0 {
            observe(self);
            return Err(ReplayError::EventBudget { events: self.events_processed, at_us: self.now.as_us() });
        }
        *budget -= 1;
        self.step();
        if self.events_processed.is_multiple_of(4_096) {
            observe(self);
        }
        Ok(())
    }

    /// Keeps every journal entry from now on for [`Simulation::take_tapped`] (the command line's
    /// `--journal`), besides the bounded event log.
    pub fn tap_journal(&mut self) {
        self.journal.set_tap(true);
    }

    /// The journal entries kept since the last call.
    pub fn take_tapped(&mut self) -> Vec<JournalEntry> {
        self.journal.take_tapped()
    }

    /// Which messages' journeys to record from now on (none by default).
    pub fn record_journeys(&mut self, policy: JourneyPolicy) {
        self.journal.set_journeys(policy);
    }

    /// What is known of message `msg`'s journey.
    pub fn journey(&self, msg: MessageId) -> JourneyView<'_> {
        match self.journal.journey(msg) {
            _ if u64::from(msg.0) >= self.ledger.produced() => JourneyView::NeverProduced,
            Some(j) => JourneyView::Kept(j),
            None => JourneyView::NotKept,
        }
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
        self.sample_before(t + SimDuration::from_us(1));
        self.now = t;
    }

    /// Applies a command now, records it, and folds it into the trace hash.
    pub fn handle(&mut self, command: Command) -> Result<(), CommandError> {
        command.validate()?;
        self.check_applicable(&command)?;
        let fingerprint = command.fingerprint();
        self.commands.push(StampedCommand {
            at_us: self.now.as_us(),
            after_events: self.events_processed,
            command: command.clone(),
        });
        self.trace.mix(0xC0 << 56);
        self.trace.mix(fingerprint);
        self.journal.note(self.now, JournalKind::Command { fingerprint }, &self.ledger);
        self.apply(command);
        Ok(())
    }

    fn check_applicable(&self, command: &Command) -> Result<(), CommandError> {
        let consumers = self.pipeline.consumers().len();
        match *command {
            Command::CrashConsumer { consumer, .. } | Command::RestartConsumer { consumer }
                if consumer.index() >= consumers =>
            {
                Err(CommandError::NoSuchConsumer { consumer, consumers })
            }
            Command::AddConsumer if consumers >= limits::MAX_CONSUMERS as usize => {
                Err(CommandError::GroupFull { max: limits::MAX_CONSUMERS })
            }
            // Some settings exist only under others (the auto-commit interval under auto-commit).
            Command::Set { ref setting, ref value } => match settings::find(setting) {
                Some(s) => self
                    .settings
                    .with_setting(s, value)
                    .map(drop)
                    .map_err(|message| CommandError::Invalid { field: s.path, message }),
                None => Ok(()), // `validate` refused it already
            },
            _ => Ok(()),
        }
    }

    /// Routes an event to the subsystem that scheduled it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn dispatch(&mut self, event: Event) {
        let (log, pipeline) = (&mut self.log, &mut self.pipeline);
        let ctx = &mut ctx!(self);
        match event {
            Event::Producer(e) => {
                let mut broker = |msg: MessageId, ctx: &mut Ctx| {
                    let (received, owner) = log.receive(msg, ctx.settings.producer.idempotent, ctx);
                    pipeline.wake(owner, log, ctx);
                    received
                };
                self.producer.on_event(e, &mut broker, ctx);
            }
            Event::Consumer(e) => pipeline.on_event(e, log, ctx),
            Event::Group(crate::sim::event::GroupEvent::SessionTimeout { consumer, session }) => {
                pipeline.on_session_timeout(consumer, session, log, ctx)
            }
            Event::Group(crate::sim::event::GroupEvent::RebalanceTimeout { generation }) => {
                pipeline.on_rebalance_timeout(generation, log, ctx)
            }
            Event::Group(crate::sim::event::GroupEvent::RebalanceDone { generation }) => {
                pipeline.on_rebalance_done(generation, log, ctx)
            }
            Event::Log(e) => log.on_event(e, ctx),
            Event::Scheduled { index } => {
                let command = self.settings.faults[index as usize].command.clone();
                if self.check_applicable(&command).is_ok() {
                    self.journal.note(
                        self.now,
                        JournalKind::Command { fingerprint: command.fingerprint() },
                        &self.ledger,
                    );
                    self.apply(command);
                }
            }
        }
    }

    /// Applies a command: a live change of the settings, or an action on a subsystem.
    fn apply(&mut self, command: Command) {
        let s = &mut self.settings;
        match command {
            Command::SetCommitStrategy { commit } => s.consumers.commit = commit,
            Command::SetIdempotency { mode, dedup_ttl_ms } => {
                s.idempotency.mode = mode;
                s.idempotency.dedup_ttl_ms = dedup_ttl_ms;
            }
            Command::SetProducerRate { rate_per_sec } => s.producer.rate_per_sec = rate_per_sec,
            Command::SetProducerIdempotent { enabled } => s.producer.idempotent = enabled,
            Command::SetNetworkLoss { request_loss, ack_loss } => {
                s.network.request_loss = request_loss;
                s.network.ack_loss = ack_loss;
            }
            Command::SetFailureProbability { probability } => s.processing.failure_probability = probability,
            Command::SetCrash { point, probability } => {
                s.consumers.crash.point = point;
                s.consumers.crash.probability = probability;
            }
            Command::SetServiceMean { mean_ms } => s.processing.service.mean_ms = mean_ms,
            Command::Set { ref setting, ref value } => {
                let described = settings::find(setting).expect("validated commands name a setting");
                *s = s.with_setting(described, value).expect("validated commands hold a valid value");
            }
            _ => {}
        }
        self.knobs = Knobs::from(&self.settings);
        let (log, pipeline) = (&mut self.log, &mut self.pipeline);
        let ctx = &mut ctx!(self);
        match command {
            Command::CrashConsumer { consumer, at: None } => pipeline.crash(consumer, None, log, ctx),
            Command::CrashConsumer { consumer, at: Some(point) } => pipeline.arm(consumer, point),
            Command::RestartConsumer { consumer } => pipeline.restart(consumer, log, ctx),
            Command::AddConsumer => pipeline.add_consumer(log, ctx),
            Command::RemoveConsumer => pipeline.remove_consumer(log, ctx),
            Command::SetCommitStrategy { .. } => pipeline.start_autocommit_timers(ctx),
            Command::SetProducerRate { .. } => self.producer.restart_arrivals(ctx),
            // A setting some subsystem acts on at once, not only when it next reads it.
            Command::Set { ref setting, .. } => match setting.as_str() {
                "consumers.commit" | "consumers.commit.interval_ms" => pipeline.start_autocommit_timers(ctx),
                "producer.rate_per_sec" => self.producer.restart_arrivals(ctx),
                "topic.retention_ms" | "topic.retention_bytes" | "topic.retention_check_ms" => log.start(ctx),
                _ => {}
            },
            _ => {}
        }
    }

    /// Takes chart samples for every boundary strictly before `t`.
    fn sample_before(&mut self, t: SimTime) {
        let interval = SimDuration::from_ms(self.settings.metrics.sample_interval_ms);
        // After a long quiet gap only the last `capacity` samples can survive: skip the rest.
        let span = interval.times(self.history.capacity() as u64);
        if t > self.next_sample + span {
            let skip = (t.as_us() - self.next_sample.as_us() - span.as_us()) / interval.as_us();
            self.next_sample = self.next_sample + interval.times(skip);
        }
        while self.next_sample < t {
            let sample = self.sample_at(self.next_sample);
            self.history.push(sample);
            self.next_sample = self.next_sample + interval;
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
            dlq_size: self.pipeline.dlq().len() as u64,
            effects: self.ledger.effects_total(),
        }
    }

    // ----- read-only views -----

    pub fn now(&self) -> SimTime {
        self.now
    }
    /// The settings as they are now (the starting scenario with every live command applied).
    pub fn scenario(&self) -> &Scenario {
        &self.settings
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
        Stats {
            producer: self.producer.stats(),
            consumer: self.pipeline.stats(),
            group: self.log.group_stats(),
            log: self.log.log_stats(),
        }
    }
    pub fn partitions(&self) -> &[Partition] {
        self.log.partitions()
    }
    pub fn group(&self) -> &ConsumerGroup {
        self.log.group()
    }
    /// Partitions assigned to consumer `c` at the last completed rebalance.
    pub fn assigned(&self, c: ConsumerId) -> &[PartitionId] {
        self.log.assigned(c)
    }
    /// Whether the group coordinator counts consumer `c` as a member.
    pub fn in_group(&self, c: ConsumerId) -> bool {
        use crate::sim::broker::delivery::Membership;
        self.log.is_member(c)
    }
    pub fn consumers(&self) -> &[Consumer] {
        self.pipeline.consumers()
    }
    pub fn dlq(&self) -> &DeadLetterQueue {
        self.pipeline.dlq()
    }
    pub fn history(&self) -> &Ring<Sample> {
        &self.history
    }
    pub fn journal(&self) -> &Ring<JournalEntry> {
        self.journal.entries()
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
    pub fn lag(&self, p: PartitionId) -> u64 {
        self.log.lag(p)
    }
    pub fn lag_total(&self) -> u64 {
        self.partitions().iter().map(|p| self.lag(p.id())).sum()
    }
    /// The key name of key index `key`, as the producer writes it.
    pub fn key_name(key: u32) -> String {
        key_name(key)
    }
}
