//! `RangeAssignor` and `RoundRobinAssignor` (Kafka 4.0, without racks).

use super::{map_of, member_order, Assignment, Subscription, TopicPartition};
use crate::sim::kernel::sort;
use std::ops::Range;

/// The partitions `RangeAssignor` gives the `i`-th of `members` sorted members of a topic of
/// `partitions` partitions: `partitions / members` each, one more for the first
/// `partitions % members`, in partition order.
pub fn range_split(partitions: u32, members: u32, i: u32) -> Range<u32> {
    let per = partitions / members;
    let extra = partitions % members;
    let start = per * i + i.min(extra);
    start..start + per + u32::from(i < extra)
}

fn empty(members: &[Subscription]) -> Assignment<TopicPartition> {
    map_of(members.iter().map(|m| (m.id.clone(), Vec::new())))
}

fn sorted(members: &[Subscription]) -> Vec<&Subscription> {
    let mut sorted: Vec<&Subscription> = members.iter().collect();
    sort::sort_by(&mut sorted, |a, b| member_order(a, b));
    sorted
}

/// `RangeAssignor.assignPartitions`: topic by topic, its subscribers in `MemberInfo` order each
/// take a range. (Kafka visits topics in its `HashMap`'s order, here in name order: only the order
/// of a member's list can differ.)
pub(super) fn range(partitions: &[u32], members: &[Subscription]) -> Assignment<TopicPartition> {
    let mut out = empty(members);
    let sorted = sorted(members);
    for (topic, &n) in (0u32..).zip(partitions) {
        let subscribers: Vec<&str> =
            sorted.iter().filter(|m| m.topics.contains(&topic)).map(|m| m.id.as_str()).collect();
        let k = subscribers.len() as u32;
        for (i, id) in (0u32..).zip(subscribers) {
            let list = out.get_mut(id).expect("a member");
            list.extend(range_split(n, k, i).map(|p| (topic, p)));
        }
    }
    out
}

/// `RoundRobinAssignor.assign`: the partitions of all subscribed topics, in order, dealt to the
/// members in `MemberInfo` order, skipping members not subscribed to a partition's topic.
pub(super) fn round_robin(partitions: &[u32], members: &[Subscription]) -> Assignment<TopicPartition> {
    let mut out = empty(members);
    let sorted = sorted(members);
    let mut next = 0;
    for (topic, &n) in (0u32..).zip(partitions) {
        if !members.iter().any(|m| m.topics.contains(&topic)) {
            continue;
        }
        for p in 0..n {
            while !sorted[next % sorted.len()].topics.contains(&topic) {
                next += 1;
            }
            out.get_mut(&sorted[next % sorted.len()].id).expect("a member").push((topic, p));
            next += 1;
        }
    }
    out
}
