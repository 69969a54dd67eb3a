//! Replication: each partition's replicas on the cluster's brokers, its leader and leader epoch,
//! its in-sync replicas (ISR), each follower's log end offset and the high watermark, as Kafka's
//! `Partition` and controller keep them (Kafka 3.x, KRaft).
//!
//! - Replicas are placed by Kafka's rack-unaware assignment (`AdminUtils.assignReplicasToBrokers`,
//!   now `StripedReplicaPlacer`) with the start index and replica shift fixed at 0 where Kafka
//!   draws them at random: the first replica of partition p on broker p mod n, the others after it.
//! - The leader takes every write; a follower copies what the leader has, one fetch
//!   (`replication.fetch_ms`) behind. The high watermark is the lowest log end offset among the
//!   in-sync replicas: consumers read below it only, and an acks=all write is answered once it
//!   passes the record (`Partition.checkEnoughReplicasReachOffset`), with
//!   `NOT_ENOUGH_REPLICAS_AFTER_APPEND` if the ISR shrank below `min.insync.replicas` meanwhile.
//! - A follower is in sync again once its log end reaches the high watermark
//!   (`Partition.isFollowerInSync`).
//! - A crashed broker is noticed by the controller after `replication.detection_ms`: it leaves
//!   every ISR (never the last member: the ISR is never empty), and each partition it led gets the
//!   first replica in assignment order that is alive and in sync as leader
//!   (`PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`), or, with unclean
//!   election on, the first alive one; with neither, it stays offline until one comes back.
//! - A new leader's log is the log: every other replica drops what the new leader does not have
//!   (truncation by leader epoch, KIP-101), so records above the high watermark can be lost.

use crate::sim::config::replication::ReplicationConfig;
use crate::sim::ids::MessageId;
use std::collections::VecDeque;

/// A record appended above the high watermark, waiting for the followers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    pub offset: u64,
    pub msg: MessageId,
    /// The idempotent producer's sequence number (`u32::MAX`: not the idempotent producer's).
    pub seq: u32,
    /// The leader epoch it was appended in.
    pub epoch: u32,
}

/// One partition's replicas.
#[derive(Clone, Debug)]
pub struct ReplicaSet {
    /// The brokers with a copy, in assignment order (the preferred leader first).
    pub replicas: Vec<u8>,
    /// The leader's broker; `None` while the partition is offline.
    pub leader: Option<u8>,
    /// Bumped at every leader change.
    pub epoch: u32,
    /// The in-sync replicas, one bit per broker.
    pub isr: u16,
    /// Each replica's log end offset, by its place in `replicas` (the leader's is the log end
    /// while it leads, and what it had when it stopped).
    pub leo: Vec<u64>,
    /// A follower fetch is scheduled, and the token it carries (a leader change retires it).
    pub fetch_pending: bool,
    pub fetch_token: u32,
    /// Records above the high watermark, oldest first.
    pub pending: VecDeque<Pending>,
}

impl ReplicaSet {
    pub fn in_sync(&self, broker: u8) -> bool {
        self.isr & (1 << broker) != 0
    }
    pub fn isr_count(&self) -> u32 {
        self.isr.count_ones()
    }
    /// The place in `replicas` of `broker`'s replica.
    pub fn index_of(&self, broker: u8) -> Option<usize> {
        self.replicas.iter().position(|&b| b == broker)
    }
    /// The high watermark the ISR allows, the leader's log end being `log_end`.
    pub fn high_watermark(&self, log_end: u64) -> u64 {
        let mut hw = log_end;
        for (i, &b) in self.replicas.iter().enumerate() {
            if self.in_sync(b) && Some(b) != self.leader {
                hw = hw.min(self.leo[i]);
            }
        }
        hw
    }
}

/// What replication did, for the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplicationStats {
    pub leader_elections: u64,
    pub unclean_elections: u64,
    /// Records a new leader did not have, taken out of the log.
    pub records_truncated: u64,
    /// acks=all writes refused with too few in-sync replicas (before or after the append).
    pub not_enough_replicas: u64,
    /// Writes that found no live leader.
    pub no_leader: u64,
    pub isr_shrinks: u64,
    pub isr_expands: u64,
}

/// The cluster: which brokers are up, and every partition's replicas.
#[derive(Clone, Debug)]
pub struct Replication {
    pub sets: Vec<ReplicaSet>,
    brokers: u32,
    factor: u32,
    /// Brokers down, one bit each.
    pub down: u32,
    /// Brokers down that the controller has not noticed yet.
    pub unnoticed: u32,
    /// Each broker's crash count: a detection scheduled for an earlier crash is ignored.
    pub incarnation: Vec<u32>,
    pub stats: ReplicationStats,
}

impl Replication {
    pub fn new(cfg: &ReplicationConfig, partitions: u32) -> Self {
        let mut r = Replication {
            sets: Vec::new(),
            brokers: cfg.brokers,
            factor: cfg.factor,
            down: 0,
            unnoticed: 0,
            incarnation: vec![0; cfg.brokers as usize],
            stats: ReplicationStats::default(),
        };
        r.grow(partitions);
        r
    }

    /// The topic grew to `partitions`: each new one placed as Kafka places a new partition.
    pub fn grow(&mut self, partitions: u32) {
        for p in self.sets.len() as u32..partitions {
            let replicas = assign(p, self.brokers, self.factor);
            let isr = replicas.iter().fold(0u16, |a, &b| a | 1 << b);
            let n = replicas.len();
            self.sets.push(ReplicaSet {
                leader: Some(replicas[0]),
                replicas,
                epoch: 0,
                isr,
                leo: vec![0; n],
                fetch_pending: false,
                fetch_token: 0,
                pending: VecDeque::new(),
            });
        }
    }

    pub fn is_down(&self, broker: u8) -> bool {
        self.down & (1 << broker) != 0
    }
    /// Whether partition `p` has a live leader.
    pub fn leader_up(&self, p: usize) -> bool {
        self.sets[p].leader.is_some_and(|b| !self.is_down(b))
    }
    pub fn brokers(&self) -> u32 {
        self.brokers
    }
}

/// The replicas of partition `p`: Kafka's rack-unaware assignment with start index and shift 0.
pub fn assign(p: u32, brokers: u32, factor: u32) -> Vec<u8> {
    let first = p % brokers;
    // Kafka bumps the shift after every full round of first replicas.
    let shift = p / brokers;
    let mut replicas = vec![first as u8];
    for j in 0..factor.saturating_sub(1) {
        let step = 1 + (shift + j) % (brokers - 1);
        replicas.push(((first + step) % brokers) as u8);
    }
    replicas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_follows_kafkas_rack_unaware_placement() {
        // Kafka's AdminUtils test `testReplicaAssignmentWithoutRack`-style layout with start index
        // 0: 5 brokers, 10 partitions, 3 copies.
        let got: Vec<Vec<u8>> = (0..10).map(|p| assign(p, 5, 3)).collect();
        let want: Vec<Vec<u8>> = vec![
            vec![0, 1, 2],
            vec![1, 2, 3],
            vec![2, 3, 4],
            vec![3, 4, 0],
            vec![4, 0, 1],
            vec![0, 2, 3],
            vec![1, 3, 4],
            vec![2, 4, 0],
            vec![3, 0, 1],
            vec![4, 1, 2],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn replicas_are_on_distinct_brokers() {
        for brokers in 2..=9 {
            for factor in 1..=brokers {
                for p in 0..64 {
                    let r = assign(p, brokers, factor);
                    let mut seen = 0u32;
                    for &b in &r {
                        assert!(u32::from(b) < brokers && seen & (1 << b) == 0, "{r:?}");
                        seen |= 1 << b;
                    }
                    assert_eq!(r.len(), factor as usize);
                }
            }
        }
    }
}
