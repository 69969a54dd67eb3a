//! Retention: every `log.retention.check.interval.ms` the broker deletes whole segments that
//! retention allows (`segment.rs`), read or not. A deleted record a group had not committed past
//! stops being held by the log for it; if that group never processed it, it is lost with the
//! reason "retention".

use super::segment::RetentionPolicy;
use super::{LogBroker, Woken};
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, LogEvent};
use crate::sim::ids::PartitionId;
use crate::sim::kernel::time::SimDuration;
use crate::sim::ledger::LossReason;

impl LogBroker {
    /// Starts the chain of retention checks, if the topic has a retention limit; a chain started
    /// earlier (under other settings) is retired by the token.
    pub fn start(&mut self, ctx: &mut Ctx) {
        if ctx.settings.topic.retention_ms.is_some() || ctx.settings.topic.retention_bytes.is_some() {
            self.retention_token = self.retention_token.wrapping_add(u32::from(self.retention_started));
            self.retention_started = true;
            let every = SimDuration::from_ms(ctx.settings.topic.retention_check_ms);
            ctx.after(every, Event::Log(LogEvent::RetentionCheck { token: self.retention_token }));
        }
    }

    /// The log's own events; says which consumers may have work after them.
    pub fn on_event(&mut self, event: LogEvent, ctx: &mut Ctx) -> Woken {
        match event {
            LogEvent::RetentionCheck { token } if token == self.retention_token => self.on_retention_check(ctx),
            LogEvent::RetentionCheck { .. } => {}
            LogEvent::Fetch { partition, token, upto } => return self.on_fetch(partition as usize, token, upto, ctx),
            LogEvent::BrokerNoticed { broker, incarnation } => return self.broker_noticed(broker, incarnation, ctx),
        }
        Woken::Nothing
    }

    fn on_retention_check(&mut self, ctx: &mut Ctx) {
        let topic = &ctx.settings.topic;
        if topic.retention_ms.is_none() && topic.retention_bytes.is_none() {
            self.retention_started = false; // retention switched off: the chain ends here
            return;
        }
        let policy = RetentionPolicy { ms: topic.retention_ms, bytes: topic.retention_bytes };
        for p in 0..self.partitions.len() {
            let partition = PartitionId(p as u32);
            // What each group still holds: past its commits and what an offset reset passed over.
            let groups = &self.groups;
            let mut deleted = Vec::new();
            let range = self.partitions[p].apply_retention(ctx.now, policy, |offset, rec| {
                let holders = groups.iter().filter(|g| offset >= g.held_from(p)).count();
                if holders > 0 {
                    deleted.push((offset, rec.msg, holders));
                }
            });
            let Some((from, to)) = range else { continue };
            ctx.note(JournalKind::SegmentsDeleted { partition, from, to });
            for (offset, msg, holders) in deleted {
                let read = ctx.ledger.get(msg).is_some_and(|m| m.deliveries > 0);
                self.log_stats.retention_deleted += 1;
                ctx.note(JournalKind::RetentionDeleted { msg, partition, offset, read });
                // The reason counts only if the message ends lost: a group never processed it.
                for _ in 0..holders {
                    ctx.release(msg, Some(LossReason::Retention));
                }
            }
        }
        let every = SimDuration::from_ms(ctx.settings.topic.retention_check_ms);
        ctx.after(every, Event::Log(LogEvent::RetentionCheck { token: self.retention_token }));
    }
}
