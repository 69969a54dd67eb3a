//! The log's replication: how many brokers the cluster has, how many copies each partition keeps
//! (`replication.factor`), how many of them must be in sync for an acks=all write
//! (`min.insync.replicas`), whether an out-of-sync replica may become leader
//! (`unclean.leader.election.enable`), how long a follower takes to copy new records, and how long
//! the controller takes to notice a dead broker. One broker and one copy (the defaults) is the log
//! without replication: every append is committed at once.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplicationConfig {
    /// Brokers in the cluster (1 to 9), numbered from 0.
    pub brokers: u32,
    /// Copies of each partition, on that many brokers (Kafka's `replication.factor`).
    pub factor: u32,
    /// `min.insync.replicas`: an acks=all write is refused (`NotEnoughReplicas`) while fewer
    /// replicas than this are in sync (Kafka's default is 1).
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable`: when no in-sync replica is alive, a replica that is not in
    /// sync may become leader, losing what it had not copied (Kafka's default is off).
    pub unclean_leader_election: bool,
    /// How long a follower's fetch takes to copy the leader's new records, in milliseconds.
    pub fetch_ms: u64,
    /// How long the controller takes to notice a crashed broker (KRaft's
    /// `broker.session.timeout.ms`, 9 s by default), in milliseconds: only then are its
    /// partitions given new leaders and its replicas taken out of the in-sync set.
    pub detection_ms: u64,
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        ReplicationConfig {
            brokers: 1,
            factor: 1,
            min_insync_replicas: 1,
            unclean_leader_election: false,
            fetch_ms: 5,
            detection_ms: 9_000,
        }
    }
}

impl ReplicationConfig {
    /// Whether the cluster is more than one broker: brokers can crash, partitions have leaders.
    pub fn is_clustered(&self) -> bool {
        self.brokers > 1
    }
    /// Whether it is left as it is by default (one broker): then the scenario's JSON leaves it out.
    pub fn is_default(&self) -> bool {
        *self == ReplicationConfig::default()
    }
}

/// What cannot run: more copies than brokers, or more in-sync replicas required than copies
/// (every acks=all write would be refused). The field named, and why. (The queue broker, one
/// RabbitMQ node, ignores the log's cluster.)
pub fn refusal(r: &ReplicationConfig, on_queue: bool) -> Option<(&'static str, String)> {
    if r.factor > r.brokers {
        let why = format!("{} copies need {} brokers (replication.brokers is {})", r.factor, r.factor, r.brokers);
        return Some(("replication.factor", why));
    }
    if r.min_insync_replicas > r.factor {
        let why = format!(
            "{} in-sync replicas can never be reached with {} copies (replication.factor): every acks=all write would be refused",
            r.min_insync_replicas, r.factor
        );
        return Some(("replication.min_insync_replicas", why));
    }
    let _ = on_queue; // the queue broker is one RabbitMQ node: it ignores the log's cluster
    None
}

/// Why a broker crash (`crash`) or start of `broker` cannot apply, with broker bits `down` down:
/// no such broker, the queue broker, or a broker already in that state.
pub fn broker_refusal(r: &ReplicationConfig, on_queue: bool, broker: u32, crash: bool, down: u32) -> Option<String> {
    if on_queue {
        return Some(
            "broker crashes apply to the log's cluster; the queue broker's node restarts with restart_broker".into(),
        );
    }
    if !r.is_clustered() {
        return Some(
            "the log runs on one broker here: crashing and starting brokers needs replication.brokers above 1".into(),
        );
    }
    if broker >= r.brokers {
        return Some(format!("there is no broker {broker}: the cluster has {} (replication.brokers)", r.brokers));
    }
    let is_down = down & (1 << broker) != 0;
    match (crash, is_down) {
        (true, true) => Some(format!("broker {broker} is down already")),
        (false, false) => Some(format!("broker {broker} is running")),
        _ => None,
    }
}
