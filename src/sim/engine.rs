//! The simulation: wires the subsystems together, runs the event loop, accepts commands and offers
//! read-only views.
//!
//! The engine is sans-IO: it never reads a clock or touches the outside world. A driver (the CLI,
//! the page, a test) asks it to run up to a time with an event budget and reads the views. Each
//! subsystem owns its state and gets a borrowed [`Ctx`] for the duration of one call: the
//! producer (`client/producer.rs`), the log broker (`broker/log/`), the consumer pipeline
//! (`client/pipeline.rs`, `client/membership.rs`). The engine routes events and commands to them
//! and keeps what they share: the clock, the scheduler, the ledger, the journal, the settings.

use crate::sim::broker::amqp::events::QueueEvent;
use crate::sim::broker::brokers::Brokers;
use crate::sim::client::pipeline::Pipeline;
use crate::sim::client::producer::Producer;
use crate::sim::command::{Command, StampedCommand};
use crate::sim::config::knobs::Knobs;
use crate::sim::config::scenario::{Scenario, ScenarioError};
use crate::sim::config::settings;
use crate::sim::config::{limits, rules};
use crate::sim::ctx::Ctx;
pub use crate::sim::errors::{CommandError, ReplayError, Stuck};
use crate::sim::event::{ConsumerEvent, Event, GroupEvent, JournalEntry, JournalKind};
use crate::sim::ids::{ConsumerId, MessageId};
use crate::sim::journal::Journal;
use crate::sim::journey::{Journey, JourneyPolicy};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::scheduler::Scheduler;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::kernel::trace::TraceHash;
use crate::sim::ledger::Ledger;
use crate::sim::metrics::alerts::Alerts;
use crate::sim::metrics::sample::Sample;
pub use crate::sim::metrics::stats::Stats;
use crate::sim::patterns::redrive;
use crate::sim::patterns::schema::deployment::Deployment;
use crate::sim::patterns::shop::service::ShopService;
use crate::sim::patterns::sourcing::service::BankService;

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
    /// Stopped for good: too many events at one instant (see [`Simulation::stuck`]).
    Stuck,
}

/// Most events the engine processes at one instant of simulated time before it stops the run as
/// stuck (a backstop: `Scenario::validate` refuses the settings known to loop at one instant).
pub const MAX_EVENTS_AT_ONE_INSTANT: u64 = 10_000_000;

/// A running simulation. See the module documentation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The settings as they are now: the scenario with every live command applied.
    settings: Scenario,
    knobs: Knobs,
    now: SimTime,
    events_processed: u64,
    /// Events processed at `now` so far, and how many one instant may take.
    at_this_instant: u64,
    instant_limit: u64,
    scheduler: Scheduler<Event>,
    trace: TraceHash,
    ledger: Ledger,
    journal: Journal,
    producer: Producer,
    broker: Brokers,
    /// One consumer pipeline per subscriber (one without publish-subscribe).
    pipelines: Vec<Pipeline>,
    history: Ring<Sample>,
    next_sample: SimTime,
    alerts: Alerts,
    commands: Vec<StampedCommand>,
    sourcing: BankService,
    shop: ShopService,
    schemas: Deployment,
}

mod cluster;
mod patterns;
mod replay;
mod sampling;
mod subscribers;
mod views;
use cluster::ProducerView;
use subscribers::{brokers_of, park_dead_letters, pipeline_of, start_later, subscribers};

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
            sourcing: &mut $sim.sourcing,
            shop: &mut $sim.shop,
            schemas: &mut $sim.schemas,
        }
    };
}

impl Simulation {
    /// A simulation of `scenario` at time zero, or the first thing wrong with the scenario.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        // Chaos mode's faults join the schedule here: the run's settings list them all.
        let s = scenario.with_chaos_expanded();
        let mut sim = Simulation {
            knobs: Knobs::from(&s),
            now: SimTime::ZERO,
            events_processed: 0,
            at_this_instant: 0,
            instant_limit: MAX_EVENTS_AT_ONE_INSTANT,
            scheduler: Scheduler::default(),
            trace: TraceHash::default(),
            ledger: Ledger::new(s.metrics.recent_messages),
            journal: Journal::new(s.metrics.journal),
            producer: Producer::new(s.producer.keys.count, s.topic.partitions, s.seed),
            broker: brokers_of(&s),
            pipelines: subscribers(&s).map(|k| pipeline_of(&s, k)).collect(),
            history: Ring::new(s.metrics.history),
            next_sample: SimTime::ZERO,
            alerts: Alerts::default(),
            commands: Vec::new(),
            sourcing: BankService::default(),
            shop: ShopService::default(),
            schemas: Deployment::new(if s.schema.enabled { &s.schema.versions } else { &[] }, s.schema.mode),
            settings: s,
        };
        sim.start_services();
        sim.trace.mix(sim.settings.seed);
        sim.trace.mix(sim.settings.fingerprint());
        let ctx = &mut ctx!(sim);
        sim.producer.schedule_next_arrival(ctx);
        if !sim.broker.is_queue() {
            sim.broker.log.start(ctx);
        }
        for (i, f) in sim.settings.faults.iter().enumerate() {
            ctx.scheduler.schedule(SimTime::from_ms(f.at_ms), Event::Scheduled { index: i as u32 });
        }
        for p in &mut sim.pipelines {
            p.start_autocommit_timers(ctx);
            let k = p.subscriber();
            match sim.settings.starts_at_ms(k) {
                None => p.start(&mut sim.broker.of(k), ctx),
                Some(t) => {
                    ctx.scheduler.schedule(SimTime::from_ms(t), Event::Consumer(ConsumerEvent::Start { subscriber: k }))
                }
            }
        }
        sim.journal.started();
        Ok(sim)
    }

    /// Why the run cannot go on, once it processed [`MAX_EVENTS_AT_ONE_INSTANT`] events at one
    /// instant with more still due then.
    pub fn stuck(&self) -> Option<Stuck> {
        let due_now = self.scheduler.peek_time().is_some_and(|t| t <= self.now);
        (due_now && self.at_this_instant >= self.instant_limit).then(|| Stuck {
            at_us: self.now.as_us(),
            events: self.at_this_instant,
            cause: self.settings.likely_cause_of_no_time_step(),
        })
    }

    /// Lowers (or raises) how many events one instant may take before the run counts as stuck.
    pub fn set_instant_limit(&mut self, events: u64) {
        self.instant_limit = events;
    }

    /// Keeps every journal entry from now on for [`Simulation::take_tapped`] (the command line's
    /// `--journal`), besides the bounded event log; the first tap also gets the entries the start
    /// made (where each consumer starts reading).
    pub fn tap_journal(&mut self) {
        self.journal.set_tap(true);
    }

    /// The journal entries kept since the last call.
    pub fn take_tapped(&mut self) -> Vec<JournalEntry> {
        self.journal.take_tapped()
    }

    /// The owner of each partition after each rebalance completed since the last call, by
    /// generation (kept while the journal is tapped).
    pub fn take_tapped_assignments(&mut self) -> Vec<(u8, u32, Vec<Option<ConsumerId>>)> {
        self.journal.take_tapped_assignments()
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

    /// Processes one event. Returns false when nothing is scheduled, or when the run is stuck
    /// ([`Simulation::stuck`]).
    pub fn step(&mut self) -> bool {
        let Some(time) = self.scheduler.peek_time() else { return false };
        if time > self.now {
            self.at_this_instant = 0;
        } else if self.at_this_instant >= self.instant_limit {
            return false;
        }
        self.at_this_instant += 1;
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
        self.park_queue_dead_letters();
        true
    }

    /// Messages the queue dead-lettered (expired, or dropped from a full queue) go to the
    /// dead-letter queue the pipeline keeps, in the same step, so the two never disagree.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn park_queue_dead_letters(&mut self) {
        for (q, p) in self.broker.queues_with(&mut self.pipelines) {
            if q.has_dead_letters() {
                park_dead_letters(q, p);
            }
        }
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
            if !self.step() {
                return RunStatus::Stuck;
            }
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

    /// Applies a command now, records it, and folds it into the trace hash. A command is refused
    /// (and nothing changes) when a value is out of range or the settings it leaves cannot run
    /// together (`Scenario::validate`); the error names the field.
    pub fn handle(&mut self, command: Command) -> Result<(), CommandError> {
        command.validate()?;
        let settings = self.check_applicable(&command)?;
        let fingerprint = command.fingerprint();
        self.commands.push(StampedCommand {
            at_us: self.now.as_us(),
            after_events: self.events_processed,
            command: command.clone(),
        });
        self.trace.mix(0xC0 << 56);
        self.trace.mix(fingerprint);
        self.journal.note(self.now, JournalKind::Command { fingerprint }, &self.ledger);
        self.apply(command, settings);
        self.park_queue_dead_letters();
        Ok(())
    }

    /// Whether `command` applies now; for a change of settings, the live settings after it.
    fn check_applicable(&self, command: &Command) -> Result<Option<Scenario>, CommandError> {
        let consumers = self.pipelines[0].consumers().len();
        match *command {
            Command::CrashConsumer { consumer, .. }
            | Command::RestartConsumer { consumer }
            | Command::SlowConsumer { consumer, .. } => {
                let of_subscriber = self.pipelines.get(consumer.subscriber() as usize).map(|p| p.consumers().len());
                if of_subscriber.is_none_or(|n| consumer.index() >= n) {
                    return Err(CommandError::NoSuchConsumer { consumer, consumers: of_subscriber.unwrap_or(0) });
                }
                let k = consumer.subscriber();
                if let Some(t) = self.settings.starts_at_ms(k).filter(|_| !self.pipelines[k as usize].started()) {
                    let name = self.settings.subscriber_name(k).unwrap_or_default();
                    let message = format!("subscriber {name} starts at {t} ms: its consumers are not running yet");
                    return Err(CommandError::Invalid { field: "consumer", message });
                }
                if let Command::CrashConsumer { at: Some(point), .. } = *command {
                    if let Some(message) = self.settings.crash_never_strikes(point) {
                        return Err(CommandError::Invalid { field: "at", message });
                    }
                }
            }
            Command::AddConsumer if consumers >= limits::MAX_CONSUMERS as usize => {
                return Err(CommandError::GroupFull { max: limits::MAX_CONSUMERS });
            }
            Command::AddPartitions { count } => return self.settings.with_partitions(count).map(Some),
            Command::RestartBroker if !self.broker.is_queue() => {
                let message = rules::broker_mismatch(command);
                return Err(CommandError::Invalid { field: "type", message });
            }
            Command::CrashBroker { .. } | Command::StartBroker { .. } => {
                cluster::refusal(command, &self.settings, &self.broker)?
            }
            Command::Redrive { .. } if rules::shared_log_redrive(&self.settings).is_some() => {
                let message = rules::shared_log_redrive(&self.settings).unwrap_or_default();
                return Err(CommandError::Invalid { field: "type", message });
            }
            Command::RebuildProjection { .. } | Command::DeploySchema { .. } => self.pattern_refusal(command)?,
            Command::Redrive { msg: Some(msg) } => {
                let parked = self.pipelines.iter().any(|p| p.dlq().contains(msg));
                if let Some(message) = redrive::refusal(parked, &self.ledger, msg) {
                    return Err(CommandError::Invalid { field: "msg", message });
                }
            }
            _ => {}
        }
        let writes = command.writes()?;
        if writes.is_empty() {
            return Ok(None);
        }
        self.settings.with_writes(&writes).map(Some).map_err(|e| match e {
            ScenarioError::Invalid { field, message } => {
                // Name the setting the rule names (a combination may name another than the one
                // written).
                let field = settings::find(&field).map_or(writes[0].0.path, |s| s.path);
                CommandError::Invalid { field, message }
            }
            ScenarioError::Parse(message) => CommandError::Invalid { field: writes[0].0.path, message },
        })
    }

    /// Routes an event to the subsystem that scheduled it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn dispatch(&mut self, event: Event) {
        let (brokers, pipelines) = (&mut self.broker, &mut self.pipelines);
        let ctx = &mut ctx!(self);
        match event {
            Event::Producer(e) => self.producer.on_event(e, &mut ProducerView { brokers, pipelines }, ctx),
            Event::Consumer(e @ ConsumerEvent::Start { subscriber: k }) => {
                // The group may have missed a partition change while it did not exist.
                let grew = brokers.log.groups().get(k as usize).is_some_and(|g| g.owner.iter().any(Option::is_none));
                start_later(&mut pipelines[k as usize], e, &mut brokers.of(k), grew, ctx)
            }
            Event::Consumer(e) => {
                let k = e.subscriber();
                pipelines[k as usize].on_event(e, &mut brokers.of(k), ctx)
            }
            Event::Group(GroupEvent::SessionTimeout { consumer, session }) => {
                let k = consumer.subscriber();
                pipelines[k as usize].on_session_timeout(consumer, session, &mut brokers.of(k), ctx)
            }
            Event::Group(GroupEvent::RebalanceTimeout { generation, group }) => {
                pipelines[group as usize].on_rebalance_timeout(generation, &mut brokers.of(group), ctx)
            }
            Event::Group(GroupEvent::RebalanceDone { generation, group }) => {
                pipelines[group as usize].on_rebalance_done(generation, &mut brokers.of(group), ctx)
            }
            Event::Log(e) => {
                let woken = brokers.log.on_event(e, ctx);
                cluster::wake(woken, brokers, pipelines, ctx)
            }
            Event::Queue(e) => {
                let QueueEvent::Expire { queue, .. } = e;
                if let Some(q) = brokers.queue_mut(queue as usize) {
                    q.on_event(e, ctx);
                }
            }
            Event::Scheduled { index } => {
                // The schedule was checked when the run started; what live commands changed
                // since may leave a fault nothing to act on, or settings that cannot run: skip it.
                let command = self.settings.faults[index as usize].command.clone();
                if let Ok(settings) = self.check_applicable(&command) {
                    self.journal.note(
                        self.now,
                        JournalKind::Command { fingerprint: command.fingerprint() },
                        &self.ledger,
                    );
                    self.apply(command, settings);
                }
            }
        }
    }

    /// Applies a command: the live settings it leaves (checked by `check_applicable`), or an
    /// action on a subsystem.
    fn apply(&mut self, command: Command, settings: Option<Scenario>) {
        let partitions_before = self.settings.topic.partitions;
        let written: Vec<&'static str> = match settings {
            Some(s) => {
                self.settings = s;
                self.knobs = Knobs::from(&self.settings);
                command.writes().expect("applied commands are valid").iter().map(|(s, _)| s.path).collect()
            }
            None => Vec::new(),
        };
        let (brokers, pipelines) = (&mut self.broker, &mut self.pipelines);
        let ctx = &mut ctx!(self);
        match command {
            Command::CrashConsumer { consumer, at } => {
                let (k, p) = (consumer.subscriber(), &mut pipelines[consumer.subscriber() as usize]);
                match at {
                    None => p.crash(consumer, None, &mut brokers.of(k), ctx),
                    Some(point) => p.arm(consumer, point),
                }
            }
            Command::RestartConsumer { consumer } => {
                let k = consumer.subscriber();
                pipelines[k as usize].restart(consumer, &mut brokers.of(k), ctx)
            }
            Command::SlowConsumer { consumer, factor } => {
                pipelines[consumer.subscriber() as usize].slow(consumer, factor)
            }
            Command::AddConsumer => pipelines[0].add_consumer(&mut brokers.of(0), ctx),
            Command::RemoveConsumer => pipelines[0].remove_consumer(&mut brokers.of(0), ctx),
            Command::AddPartitions { count } => {
                let keys_remapped = self.producer.add_partitions(partitions_before, count, ctx);
                brokers.log.add_partitions(count);
                let keys = ctx.settings.producer.keys.count;
                pipelines[0].watch_key_order(&keys_remapped, keys, ctx);
                let remapped = keys_remapped.len() as u32;
                ctx.note(JournalKind::PartitionsAdded {
                    from: partitions_before,
                    to: count,
                    keys_remapped: remapped,
                    keys,
                });
                // Each group's leader sees the topic's new metadata and the group rebalances (a
                // group yet to start learns of it when it starts).
                // The consumer groups learn of the new partitions; a queue reader has none.
                for p in pipelines.iter_mut().filter(|p| p.started()) {
                    if brokers.queue(p.subscriber().into()).is_some() {
                        continue;
                    }
                    p.topic_changed(&mut brokers.of(p.subscriber()), ctx);
                }
            }
            Command::Redrive { msg } => {
                // Every subscriber's dead-letter queue that holds it (or all of each).
                for p in pipelines.iter_mut().filter(|p| msg.is_none_or(|m| p.dlq().contains(m))) {
                    redrive::redrive(msg, p, &mut brokers.of(p.subscriber()), ctx);
                }
            }
            Command::CrashBroker { .. } | Command::StartBroker { .. } | Command::RestartBroker => {
                cluster::apply(&command, brokers, pipelines, ctx)
            }
            Command::RebuildProjection { .. } | Command::DeploySchema { .. } => patterns::apply(&command, ctx),
            _ => {}
        }
        for path in written {
            setting_changed(path, &mut self.producer, brokers, pipelines, ctx);
        }
    }
}

/// A live setting changed: the subsystems that act on it at once, not only when they next read
/// it, do so now.
fn setting_changed(
    path: &str,
    producer: &mut Producer,
    brokers: &mut Brokers,
    pipelines: &mut [Pipeline],
    ctx: &mut Ctx,
) {
    match path {
        "consumers.commit" | "consumers.commit.interval_ms" => {
            pipelines.iter_mut().for_each(|p| p.start_autocommit_timers(ctx))
        }
        "producer.rate_per_sec" => producer.restart_arrivals(ctx),
        // Records held back may go now (idempotence off lets a retry pass an earlier record).
        "producer.max_in_flight" | "producer.acks" | "producer.idempotent" => producer.wake_sender(ctx),
        "topic.retention_ms" | "topic.retention_bytes" | "topic.retention_check_ms" if !brokers.is_queue() => {
            brokers.log.start(ctx)
        }
        queue if queue.starts_with("queue.") => queue_setting_changed(queue, brokers, pipelines, ctx),
        breaker if breaker.starts_with("breaker.") => pipelines.iter_mut().for_each(|p| p.configure_breaker(ctx)),
        _ => {}
    }
}

/// A setting of the queue broker changed: a policy (TTL, length limit) applies at once, and a
/// wider prefetch window lets every consumer take more now.
fn queue_setting_changed(path: &str, brokers: &mut Brokers, pipelines: &mut [Pipeline], ctx: &mut Ctx) {
    match path {
        "queue.message_ttl_ms" | "queue.max_length" | "queue.delivery_limit" => {
            brokers.queues.iter_mut().for_each(|q| q.policy_changed(ctx))
        }
        "queue.prefetch" => {
            for q in &mut brokers.queues {
                q.set_prefetch(ctx.settings.queue.prefetch);
            }
            for p in pipelines.iter_mut() {
                p.wake_all(&mut brokers.of(p.subscriber()), ctx);
            }
        }
        _ => {}
    }
}
