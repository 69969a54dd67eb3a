//! The log cluster's replication entries in plain words: brokers crashing and starting, leader
//! elections, in-sync replicas, and the writes a missing leader or replica refuses.

use crate::sim::event::JournalKind;

pub(super) fn replication_words(kind: &JournalKind) -> String {
    use JournalKind::*;
    match *kind {
        BrokerCrashed { broker } => format!(
            "broker {broker} crashed: the partitions it leads take no writes and serve no reads until the controller notices and elects new leaders"
        ),
        BrokerStarted { broker } => {
            format!("broker {broker} started again: its replicas drop what their leaders lack and catch up")
        }
        LeaderElected { partition, leader, epoch, unclean: false, truncated: 0 } => {
            format!("partition {partition}: broker {leader} is the new leader (epoch {epoch}), an in-sync replica")
        }
        LeaderElected { partition, leader, epoch, unclean: false, truncated } => format!(
            "partition {partition}: broker {leader} is the new leader (epoch {epoch}), an in-sync replica; {truncated} record(s) above the high watermark it never copied are gone"
        ),
        LeaderElected { partition, leader, epoch, unclean: true, truncated } => format!(
            "partition {partition}: unclean election: broker {leader}, out of sync, is the new leader (epoch {epoch}); {truncated} record(s) it never copied are gone, committed ones too"
        ),
        PartitionOffline { partition } => format!(
            "partition {partition} is offline: no in-sync replica is alive and unclean election is off, so it waits for one to come back"
        ),
        IsrShrunk { partition, broker, isr } => {
            format!("partition {partition}: broker {broker} left the in-sync replicas ({isr} in sync)")
        }
        IsrExpanded { partition, broker, isr } => {
            format!("partition {partition}: broker {broker} caught up and is in sync again ({isr} in sync)")
        }
        Truncated { msg, partition, offset } => {
            format!("{msg} (partition {partition}, offset {offset}) left the log: the new leader never had it")
        }
        NotEnoughReplicas { msg, partition, after_append: false } => format!(
            "partition {partition} refused {msg}: fewer in-sync replicas than min.insync.replicas (NotEnoughReplicas); the producer retries"
        ),
        NotEnoughReplicas { msg, partition, after_append: true } => format!(
            "{msg} reached the high watermark of partition {partition}, but the in-sync replicas fell below min.insync.replicas meanwhile (NOT_ENOUGH_REPLICAS_AFTER_APPEND): the producer resends a record the log has"
        ),
        NoLeader { msg, partition } => {
            format!("{msg} went to partition {partition}, which has no live leader: the write failed")
        }
        _ => unreachable!("replication_words is only called for replication entries"),
    }
}
