//! Kafka's consumer partition assignors, as pure functions: `RangeAssignor`, `RoundRobinAssignor`
//! and `CooperativeStickyAssignor`, plus what a consumer does with a cooperative assignment
//! (KIP-429). They follow the Java client of Apache Kafka 4.0 (trunk at 1eb7644, October 2024:
//! `clients/src/main/java/org/apache/kafka/clients/consumer/`), without rack awareness (no
//! `client.rack`), and are checked against Kafka's own unit tests (`tests/assignors/`).
//!
//! Topics are numbered in the order of their names: the assignors only ever compare topic names, so
//! topic `i` stands for the `i`-th name in sorted order. The simulator has one topic (`assign`);
//! `assign_topics` takes several.
//!
//! Orders follow Kafka's. Range and round robin sort members as `AbstractPartitionAssignor.MemberInfo`
//! does: static members (with a `group.instance.id`) first, by instance id, then the others by member
//! id. The sticky assignor visits members in the order a Java `HashMap` keyed by member id iterates
//! them (the leader's `HashMap` of subscriptions): members are therefore given in the order the
//! coordinator listed them in its JoinGroup response, and `java_hash_order` reproduces the rest.
//! Strings compare as Java's `String.compareTo` does (UTF-16 code units).
//!
//! Not ported: rack-aware assignment; the sticky assignor's general-case builder (members
//! subscribing to different topics: `assign_topics` returns `None`); the eager `StickyAssignor`
//! and the user-data encodings of older subscription versions (the generation is given directly,
//! as subscription v2+ carries it). Claims on partitions that do not exist are ignored, where Kafka
//! would throw.

mod range;
mod sticky;

use crate::sim::kernel::sort;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

pub use range::range_split;
pub use sticky::{sticky_assign, Sticky};

/// A partition of a topic: `(topic, partition)`, topics numbered in the order of their names.
pub type TopicPartition = (u32, u32);

/// Partitions by member id.
pub type Assignment<P> = BTreeMap<String, Vec<P>>;

/// A set of what `items` yields. Built by inserting: `collect()` sorts a buffer first, and each
/// item type sorted that way brings several kilobytes of sort code into the page's bundle.
pub(super) fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// A map of the `(key, value)` pairs `items` yields (the last value of a repeated key), built by
/// inserting as [`set_of`] is.
pub(super) fn map_of<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(items);
    map
}

pub use crate::sim::config::choices::Assignor;

/// A member's subscription to the one topic, as the group leader reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberSubscription {
    /// `member.id`, which orders members (e.g. `consumer-0`).
    pub id: String,
    /// `group.instance.id` of a static member.
    pub instance_id: Option<String>,
    /// Partitions the member owns (`ownedPartitions`, only read by the sticky assignor).
    pub owned: Vec<u32>,
    /// Generation in which it owned them (`generationId`, subscription v2; none = -1).
    pub generation: Option<i32>,
}

/// A member's subscription to several topics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub instance_id: Option<String>,
    /// The topics it subscribes to.
    pub topics: Vec<u32>,
    pub owned: Vec<TopicPartition>,
    pub generation: Option<i32>,
}

impl Assignor {
    /// Kafka's name for it.
    pub fn kafka_name(self) -> &'static str {
        match self {
            Assignor::Range => "range",
            Assignor::RoundRobin => "roundrobin",
            Assignor::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// Whether it rebalances with the cooperative protocol (`RebalanceProtocol.COOPERATIVE`).
    pub fn cooperative(self) -> bool {
        self == Assignor::CooperativeSticky
    }

    /// Assigns the `partitions` partitions of the one topic to `members` (listed in the
    /// coordinator's order), as the group leader does. Every member gets an entry. The
    /// cooperative sticky assignor leaves out partitions that must first be revoked from another
    /// member: they follow in the next rebalance.
    pub fn assign(self, partitions: u32, members: &[MemberSubscription]) -> Assignment<u32> {
        let subscriptions: Vec<Subscription> = members
            .iter()
            .map(|m| Subscription {
                id: m.id.clone(),
                instance_id: m.instance_id.clone(),
                topics: vec![0],
                owned: m.owned.iter().map(|&p| (0, p)).collect(),
                generation: m.generation,
            })
            .collect();
        let assignment = self.assign_topics(&[partitions], &subscriptions).expect("one topic: equal subscriptions");
        map_of(assignment.into_iter().map(|(id, tps)| (id, tps.into_iter().map(|(_, p)| p).collect())))
    }

    /// Assigns the partitions of several topics (`partitions[t]` partitions in topic `t`).
    /// Only topics someone subscribes to are assigned. `None` when the sticky assignor would need
    /// Kafka's general-case builder (members subscribe to different topics), not ported here.
    pub fn assign_topics(self, partitions: &[u32], members: &[Subscription]) -> Option<Assignment<TopicPartition>> {
        match self {
            Assignor::Range => Some(range::range(partitions, members)),
            Assignor::RoundRobin => Some(range::round_robin(partitions, members)),
            Assignor::CooperativeSticky => sticky_assign(partitions, members).map(Sticky::cooperative),
        }
    }
}

/// `String.compareTo`: Java compares UTF-16 code units.
pub fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `String.hashCode`.
pub fn java_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// The order in which a `java.util.HashMap<String, _>`, filled by `put`s of distinct `keys` in the
/// given order, iterates them (Java 8+): by bucket, `(h ^ h >>> 16) & (capacity - 1)` of the key's
/// hash code, the capacity being the least power of two from 16 holding the keys at load factor
/// 0.75; within a bucket, in insertion order. (Buckets of 8+ colliding keys, which Java resizes or
/// turns into trees, are not modelled.)
pub fn java_hash_order<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> Vec<usize> {
    let mut capacity = 16;
    while keys.len() > capacity / 4 * 3 {
        capacity *= 2;
    }
    let mut order: Vec<(usize, usize)> = keys
        .enumerate()
        .map(|(i, k)| {
            let h = java_hash(k) as u32;
            ((h ^ (h >> 16)) as usize & (capacity - 1), i)
        })
        .collect();
    sort::sort_by(&mut order, Ord::cmp);
    order.into_iter().map(|(_, i)| i).collect()
}

/// `AbstractPartitionAssignor.MemberInfo.compareTo`: static members first, by instance id, then
/// dynamic members by member id.
pub fn member_order(a: &Subscription, b: &Subscription) -> Ordering {
    match (&a.instance_id, &b.instance_id) {
        (Some(x), Some(y)) => java_cmp(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => java_cmp(&a.id, &b.id),
    }
}

/// What a member revokes when it receives `assigned` while owning `owned`, under the cooperative
/// protocol: owned − assigned, in order (`ConsumerCoordinator.onJoinComplete`). If any member
/// revokes anything, it rejoins at once, which starts the follow-up rebalance.
pub fn revoked<P: Ord + Copy>(owned: &[P], assigned: &[P]) -> Vec<P> {
    let kept = set_of(assigned.iter().copied());
    let set = set_of(owned.iter().copied().filter(|p| !kept.contains(p)));
    set.into_iter().collect()
}

/// The cooperative protocol (KIP-429) applied to a `target` assignment, given what each member
/// owns: the first round's assignment withholds every partition that moves from one member to
/// another (`CooperativeStickyAssignor.computePartitionsTransferringOwnership` and
/// `adjustAssignment`); its old owner revokes it, and a second rebalance is needed when any member
/// revokes anything (`ConsumerCoordinator.onJoinComplete`). In that second round the partition is
/// free, and the same target assigns it. Partitions of members that left move at once.
pub fn cooperative_plan<P: Ord + Copy>(owned: &Assignment<P>, target: &Assignment<P>) -> (Assignment<P>, bool) {
    let none = Vec::new();
    let owned_by = |m: &String| owned.get(m).unwrap_or(&none);
    let mut added: BTreeMap<P, &String> = BTreeMap::new();
    let mut revoked_somewhere = BTreeSet::new();
    for (m, assigned) in target {
        let own = owned_by(m);
        added.extend(assigned.iter().filter(|p| !own.contains(p)).map(|&p| (p, m)));
        revoked_somewhere.extend(own.iter().filter(|p| !assigned.contains(p)).copied());
    }
    let mut first = target.clone();
    for (p, m) in added.into_iter().filter(|(p, _)| revoked_somewhere.contains(p)) {
        first.get_mut(m).expect("a target member").retain(|q| *q != p);
    }
    let again = first.iter().any(|(m, assigned)| !revoked(owned_by(m), assigned).is_empty());
    (first, again)
}
