//! The simulation's read-only views: what the drivers (the page, the command line, the tests)
//! read between steps. None of them changes the run.

use super::{Simulation, Stats};
use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::broker::log::group::ConsumerGroup;
use crate::sim::broker::log::partition::Partition;
use crate::sim::broker::log::replication::Replication;
use crate::sim::client::consumer::Consumer;
use crate::sim::client::pipeline::Pipeline;
use crate::sim::client::producer::key_name;
use crate::sim::client::stats::ConsumerStats;
use crate::sim::command::StampedCommand;
use crate::sim::config::scenario::Scenario;
use crate::sim::downstream::DownstreamStats;
use crate::sim::event::JournalEntry;
use crate::sim::ids::{ConsumerId, PartitionId};
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::time::SimTime;
use crate::sim::kernel::trace::TraceHash;
use crate::sim::ledger::Ledger;
use crate::sim::metrics::sample::Sample;
use crate::sim::patterns::dlq::DeadLetterQueue;
use crate::sim::patterns::redrive;

impl Simulation {
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
    /// Checks the ledger (`Ledger::audit`) and that the dead-letter queue agrees with it
    /// (`patterns::redrive::audit`). Returns the first disagreement. The tests run it after every
    /// event.
    pub fn audit(&self) -> Result<(), String> {
        self.ledger.audit()?;
        redrive::audit(self.pipelines.iter().map(|p| p.dlq()), &self.ledger)
    }
    /// The consumers' counters, every subscriber's together.
    pub fn consumer_stats(&self) -> ConsumerStats {
        let mut total = ConsumerStats::default();
        self.pipelines.iter().for_each(|p| total += p.stats());
        total
    }
    /// Times a circuit breaker opened, every subscriber's together.
    pub fn breaker_openings(&self) -> u64 {
        self.pipelines.iter().map(|p| p.breaker().openings()).sum()
    }
    /// The producing service's outbox (or dual write).
    pub fn outbox(&self) -> &crate::sim::client::producer::outbox::Outbox {
        self.producer.outbox()
    }
    /// The schema registry: versions, deploys and what the consumers can decode.
    pub fn schemas(&self) -> &crate::sim::patterns::schema::deployment::Deployment {
        &self.schemas
    }
    /// The event-sourced bank: its event store, command counters and each subscriber's read
    /// model (empty when event sourcing is off).
    pub fn sourcing(&self) -> &crate::sim::patterns::sourcing::service::BankService {
        &self.sourcing
    }

    /// The shop: its write side's tables and counters, the shoppers' reads and each
    /// subscriber's read model (empty when the shop is off).
    pub fn shop(&self) -> &crate::sim::patterns::shop::service::ShopService {
        &self.shop
    }

    pub fn stats(&self) -> Stats {
        Stats {
            producer: self.producer.stats(),
            consumer: self.consumer_stats(),
            group: self.broker.log.group_stats(),
            log: self.broker.log.log_stats(),
            downstream: {
                let mut total = DownstreamStats::default();
                self.pipelines.iter().for_each(|p| total += p.downstream().stats());
                total
            },
            breaker_openings: self.breaker_openings(),
            alerts: self.alerts.stats(),
        }
    }
    /// The circuit breaker in front of the payments API, and the API (the first subscriber's,
    /// with publish-subscribe: see [`Simulation::pipelines`]).
    pub fn breaker(&self) -> &crate::sim::client::breaker::BreakerGuard {
        self.pipelines[0].breaker()
    }
    pub fn downstream(&self) -> &crate::sim::downstream::Downstream {
        self.pipelines[0].downstream()
    }
    /// Each subscriber's consumers, dead-letter queue, breaker and API (one without
    /// publish-subscribe), in subscriber order.
    pub fn pipelines(&self) -> &[Pipeline] {
        &self.pipelines
    }
    /// The queues the consumers read from, one per subscriber, when the broker is the queue.
    pub fn queues(&self) -> &[WorkQueue] {
        &self.broker.queues
    }
    /// The log's cluster (brokers, leaders, replicas), with more than one broker on the log.
    pub fn replication(&self) -> Option<&Replication> {
        self.broker.log.replication().filter(|_| self.broker.queue(0).is_none())
    }
    pub fn partitions(&self) -> &[Partition] {
        self.broker.log.partitions()
    }
    /// The queue the (first subscriber's) consumers read from, when the broker is the queue (with
    /// both brokers, the first subscriber reads the log).
    pub fn queue(&self) -> Option<&WorkQueue> {
        self.broker.queue(0)
    }
    /// Subscriber `k`'s queue, if it reads one (the queue broker, or a queue reader beside the
    /// log).
    pub fn queue_of(&self, k: u8) -> Option<&WorkQueue> {
        self.broker.queue(k as usize)
    }
    /// The (first subscriber's) consumer group.
    pub fn group(&self) -> &ConsumerGroup {
        self.broker.log.group()
    }
    /// Every consumer group reading the log, by subscriber (one without publish-subscribe).
    pub fn groups(&self) -> &[ConsumerGroup] {
        self.broker.log.groups()
    }
    /// Partitions assigned to consumer `c` at the last completed rebalance.
    pub fn assigned(&self, c: ConsumerId) -> &[PartitionId] {
        self.broker.log.assigned(c)
    }
    /// Whether the group coordinator counts consumer `c` as a member.
    pub fn in_group(&self, c: ConsumerId) -> bool {
        self.broker.log.is_member(c)
    }
    /// Consumer `id`, whichever subscriber it consumes for (`None` if there is no such consumer).
    pub fn consumer(&self, id: ConsumerId) -> Option<&Consumer> {
        self.pipelines.get(id.subscriber() as usize)?.consumers().get(id.index())
    }
    /// Every subscriber's consumers, subscriber by subscriber.
    pub fn all_consumers(&self) -> impl Iterator<Item = &Consumer> {
        self.pipelines.iter().flat_map(|p| p.consumers())
    }
    /// The (first subscriber's) consumers.
    pub fn consumers(&self) -> &[Consumer] {
        self.pipelines[0].consumers()
    }
    /// The (first subscriber's) dead-letter queue: the parked messages, oldest first, with why,
    /// how many attempts failed and when.
    pub fn dlq(&self) -> &DeadLetterQueue {
        self.pipelines[0].dlq()
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
    /// Log end offset minus committed offset: how far the (first subscriber's) group is behind on
    /// partition `p`.
    pub fn lag(&self, p: PartitionId) -> u64 {
        self.broker.log.lag(0, p)
    }
    /// How far subscriber `k`'s group is behind on partition `p`.
    pub fn lag_of(&self, k: u8, p: PartitionId) -> u64 {
        self.broker.log.lag(k, p)
    }
    /// Messages the consumers have not finished with: the sum of the partitions' lags, or on the
    /// queue broker the queues' depths (ready and unacknowledged).
    pub fn lag_total(&self) -> u64 {
        let queued: u64 = self.broker.queues.iter().map(|q| q.depth()).map(|(r, u)| (r + u) as u64).sum();
        if self.broker.is_queue() {
            return queued;
        }
        let groups = 0..self.groups().len() as u8;
        queued + groups.flat_map(|k| self.partitions().iter().map(move |p| self.lag_of(k, p.id()))).sum::<u64>()
    }
    /// The key name of key index `key`, as the producer writes it.
    pub fn key_name(key: u32) -> String {
        key_name(key)
    }
}
