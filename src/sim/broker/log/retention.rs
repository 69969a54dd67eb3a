//! Retention: the broker deletes records older than `topic.retention_ms`, read or not. A record the
//! group had not consumed yet is lost, with the reason "retention".

use super::LogBroker;
use crate::sim::ctx::Ctx;
use crate::sim::event::{Event, JournalKind, LogEvent};
use crate::sim::ids::PartitionId;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::ledger::LossReason;

impl LogBroker {
    /// Starts the chain of retention checks, if the topic has a retention limit; a chain started
    /// earlier (under other settings) is retired by the token.
    pub fn start(&mut self, ctx: &mut Ctx) {
        if ctx.settings.topic.retention_ms.is_some() {
            self.retention_token = self.retention_token.wrapping_add(u32::from(self.retention_started));
            self.retention_started = true;
            let every = SimDuration::from_ms(ctx.settings.topic.retention_check_ms);
            ctx.after(every, Event::Log(LogEvent::RetentionCheck { token: self.retention_token }));
        }
    }

    pub fn on_event(&mut self, event: LogEvent, ctx: &mut Ctx) {
        match event {
            LogEvent::RetentionCheck { token } if token == self.retention_token => self.on_retention_check(ctx),
            LogEvent::RetentionCheck { .. } => {}
        }
    }

    fn on_retention_check(&mut self, ctx: &mut Ctx) {
        let Some(retention_ms) = ctx.settings.topic.retention_ms else {
            self.retention_started = false; // retention switched off: the chain ends here
            return;
        };
        let retention = SimDuration::from_ms(retention_ms);
        if ctx.now >= SimTime::ZERO + retention {
            let cutoff = ctx.now - retention;
            for p in 0..self.partitions.len() {
                let committed = self.group.committed[p];
                let mut deleted = Vec::new();
                self.partitions[p].expire(cutoff, |offset, rec| {
                    if offset >= committed {
                        deleted.push((offset, rec.msg));
                    }
                });
                for (offset, msg) in deleted {
                    self.log_stats.retention_deleted += 1;
                    ctx.note(JournalKind::RetentionDeleted { msg, partition: PartitionId(p as u32), offset });
                    ctx.release(msg, Some(LossReason::Retention));
                }
            }
        }
        let every = SimDuration::from_ms(ctx.settings.topic.retention_check_ms);
        ctx.after(every, Event::Log(LogEvent::RetentionCheck { token: self.retention_token }));
    }
}
