//! The simulation's read-only views: what the drivers (the page, the command line, the tests)
//! read between steps. None of them changes the run.

use super::{Simulation, Stats};
use crate::sim::broker::amqp::work_queue::WorkQueue;
use crate::sim::broker::log::group::ConsumerGroup;
use crate::sim::broker::log::partition::Partition;
use crate::sim::client::consumer::Consumer;
use crate::sim::client::producer::key_name;
use crate::sim::command::StampedCommand;
use crate::sim::config::scenario::Scenario;
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
        redrive::audit(self.pipeline.dlq(), &self.ledger)
    }
    pub fn stats(&self) -> Stats {
        Stats {
            producer: self.producer.stats(),
            consumer: self.pipeline.stats(),
            group: self.broker.log.group_stats(),
            log: self.broker.log.log_stats(),
            downstream: self.pipeline.downstream().stats(),
            breaker_openings: self.pipeline.breaker().openings(),
            alerts: self.alerts.stats(),
        }
    }
    /// The circuit breaker in front of the payments API, and the API.
    pub fn breaker(&self) -> &crate::sim::client::breaker::BreakerGuard {
        self.pipeline.breaker()
    }
    pub fn downstream(&self) -> &crate::sim::downstream::Downstream {
        self.pipeline.downstream()
    }
    pub fn partitions(&self) -> &[Partition] {
        self.broker.log.partitions()
    }
    /// The queue the consumers read from, when the scenario's broker is the queue.
    pub fn queue(&self) -> Option<&WorkQueue> {
        self.broker.queue.as_ref()
    }
    pub fn group(&self) -> &ConsumerGroup {
        self.broker.log.group()
    }
    /// Partitions assigned to consumer `c` at the last completed rebalance.
    pub fn assigned(&self, c: ConsumerId) -> &[PartitionId] {
        self.broker.log.assigned(c)
    }
    /// Whether the group coordinator counts consumer `c` as a member.
    pub fn in_group(&self, c: ConsumerId) -> bool {
        use crate::sim::broker::delivery::Membership;
        self.broker.log.is_member(c)
    }
    pub fn consumers(&self) -> &[Consumer] {
        self.pipeline.consumers()
    }
    /// The dead-letter queue: the parked messages, oldest first, with why, how many attempts
    /// failed and when.
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
        self.broker.log.lag(p)
    }
    /// Messages the consumers have not finished with: the sum of the partitions' lags, or on the
    /// queue broker the queue's depth (ready and unacknowledged).
    pub fn lag_total(&self) -> u64 {
        if let Some(q) = self.queue() {
            let (ready, unacked) = q.depth();
            return (ready + unacked) as u64;
        }
        self.partitions().iter().map(|p| self.lag(p.id())).sum()
    }
    /// The key name of key index `key`, as the producer writes it.
    pub fn key_name(key: u32) -> String {
        key_name(key)
    }
}
