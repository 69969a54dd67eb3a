//! Kafka's own unit tests of its consumer partition assignors, ported to
//! `eda_lab::sim::broker::log::assignor` (Apache Kafka trunk at 1eb7644, 4.0.0-SNAPSHOT,
//! `clients/src/test/java/org/apache/kafka/clients/consumer/`): each test names the Java test it
//! ports and asserts what it asserts. Parameterised Java tests are ported for the rack-less
//! configurations (no consumer rack, or no broker rack), which are the ones the rack-unaware port
//! reproduces; rack-aware cases are left out. Plus property tests over random groups.
#![cfg(not(target_arch = "wasm32"))]

mod cooperative;
mod kafka_fixture;
mod properties;
mod range;
mod round_robin;
mod sticky;
mod sticky_more;

use eda_lab::sim::broker::log::assignor::{
    java_cmp, sticky_assign, Assignment, Assignor, Subscription, TopicPartition as Tp,
};
use std::collections::{BTreeMap, BTreeSet};

/// A test's topics and their partition counts; a topic's number is its place in name order.
pub struct Topics(Vec<(String, u32)>);

impl Topics {
    pub fn new(list: &[(&str, u32)]) -> Self {
        let mut topics: Vec<(String, u32)> = list.iter().map(|&(t, n)| (t.to_string(), n)).collect();
        topics.sort();
        Topics(topics)
    }
    pub fn id(&self, name: &str) -> u32 {
        self.0.iter().position(|(t, _)| t == name).unwrap_or_else(|| panic!("unknown topic {name}")) as u32
    }
    pub fn ids(&self, names: &[&str]) -> Vec<u32> {
        names.iter().map(|n| self.id(n)).collect()
    }
    pub fn all(&self) -> Vec<u32> {
        (0..self.0.len() as u32).collect()
    }
    pub fn tp(&self, name: &str, p: u32) -> Tp {
        (self.id(name), p)
    }
    pub fn counts(&self) -> Vec<u32> {
        self.0.iter().map(|&(_, n)| n).collect()
    }
    /// `"t1-0, t1-3"` (the rack tests' notation).
    pub fn parse(&self, list: &str) -> Vec<Tp> {
        if list.is_empty() {
            return Vec::new();
        }
        list.split(", ")
            .map(|s| {
                let (t, p) = s.rsplit_once('-').unwrap();
                self.tp(t, p.parse().unwrap())
            })
            .collect()
    }
    /// `toSortedString`: the partitions as `topic-p` strings, sorted as strings.
    pub fn sorted_string(&self, tps: &[Tp]) -> String {
        let mut names: Vec<String> = tps.iter().map(|&(t, p)| format!("{}-{p}", self.0[t as usize].0)).collect();
        names.sort();
        names.join(", ")
    }
}

/// `new Subscription(topics, ...)` with owned partitions and a generation.
pub fn sub(id: &str, topics: Vec<u32>, owned: Vec<Tp>, generation: Option<i32>) -> Subscription {
    Subscription { id: id.to_string(), instance_id: None, topics, owned, generation }
}

/// A static member (`setGroupInstanceId`).
pub fn static_sub(id: &str, instance: &str, topics: Vec<u32>) -> Subscription {
    Subscription { instance_id: Some(instance.to_string()), ..sub(id, topics, vec![], None) }
}

/// The Java tests' `HashMap<String, Subscription>`: entries in insertion order, `put` replaces an
/// entry in place.
#[derive(Clone, Default)]
pub struct Group(pub Vec<Subscription>);

impl Group {
    pub fn put(&mut self, s: Subscription) {
        match self.0.iter_mut().find(|m| m.id == s.id) {
            Some(m) => *m = s,
            None => self.0.push(s),
        }
    }
    pub fn remove(&mut self, id: &str) {
        self.0.retain(|m| m.id != id);
    }
    pub fn get(&self, id: &str) -> &Subscription {
        self.0.iter().find(|m| m.id == id).unwrap()
    }
}

/// `assignor.assignPartitions` of `CooperativeStickyAssignor`, and its
/// `partitionsTransferringOwnership`.
pub fn coop(t: &Topics, group: &Group) -> (Assignment<Tp>, BTreeMap<Tp, String>) {
    let sticky = sticky_assign(&t.counts(), &group.0).expect("equal subscriptions");
    let assignment = sticky.clone().cooperative();
    assert_eq!(Some(&assignment), Assignor::CooperativeSticky.assign_topics(&t.counts(), &group.0).as_ref());
    (assignment, sticky.transferring)
}

pub fn get<'a>(a: &'a Assignment<Tp>, id: &str) -> &'a Vec<Tp> {
    a.get(id).unwrap_or_else(|| panic!("no assignment for {id}"))
}

pub fn set(tps: &[Tp]) -> BTreeSet<Tp> {
    tps.iter().copied().collect()
}

pub fn transfers(list: &[(Tp, &str)]) -> BTreeMap<Tp, String> {
    list.iter().map(|&(tp, m)| (tp, m.to_string())).collect()
}

/// `AbstractStickyAssignorTest.isFullyBalanced`.
pub fn is_fully_balanced(a: &Assignment<Tp>) -> bool {
    let sizes = a.values().map(Vec::len);
    sizes.clone().max().unwrap_or(0) - sizes.min().unwrap_or(0) <= 1
}

/// `AbstractStickyAssignorTest.verifyValidityAndBalance`: members get only partitions of their
/// topics, no partition twice, and two members whose counts differ by 2+ share no topic.
pub fn verify_validity_and_balance(group: &Group, a: &Assignment<Tp>) {
    assert_eq!(group.0.len(), a.len());
    let mut consumers: Vec<&String> = a.keys().collect();
    consumers.sort_by(|x, y| java_cmp(x, y));
    for (i, c) in consumers.iter().enumerate() {
        let mine = &a[*c];
        for tp in mine {
            assert!(group.get(c).topics.contains(&tp.0), "{tp:?} assigned to {c}, not subscribed");
        }
        for other in &consumers[i + 1..] {
            let theirs = &a[*other];
            assert!(set(mine).is_disjoint(&set(theirs)), "{c} and {other} share partitions: {a:?}");
            if mine.len().abs_diff(theirs.len()) <= 1 {
                continue;
            }
            let topics: BTreeSet<u32> = mine.iter().map(|tp| tp.0).collect();
            assert!(theirs.iter().all(|tp| !topics.contains(&tp.0)), "{c} and {other} could be balanced: {a:?}");
        }
    }
}

/// `CooperativeStickyAssignorTest.verifyValidityAndBalance`: no partition is revoked and assigned
/// in the same rebalance; while members revoke partitions, run the follow-up rebalance (owned =
/// the assignment, generation 1), at most 4 times; then check the final assignment. Leaves the
/// group and the assignment in their final state, as the Java test does.
pub fn verify_cooperative(t: &Topics, group: &mut Group, a: &mut Assignment<Tp>) {
    let mut rebalances = 0;
    while revoking(group, a) {
        for m in &mut group.0 {
            m.owned = a[&m.id].clone();
            m.generation = Some(1);
        }
        *a = coop(t, group).0;
        rebalances += 1;
        assert!(rebalances <= 4);
    }
    verify_validity_and_balance(group, a);
}

/// `verifyCooperativeValidity`: whether some member revokes partitions.
fn revoking(group: &Group, a: &Assignment<Tp>) -> bool {
    let (mut added, mut revoked): (BTreeSet<Tp>, BTreeSet<Tp>) = (BTreeSet::new(), BTreeSet::new());
    for (m, assigned) in a {
        let owned = &group.get(m).owned;
        revoked.extend(owned.iter().filter(|p| !assigned.contains(p)).copied());
        added.extend(assigned.iter().filter(|p| !owned.contains(p)).copied());
    }
    assert!(added.is_disjoint(&revoked), "partitions assigned while being revoked: {added:?} {revoked:?}");
    !revoked.is_empty()
}
