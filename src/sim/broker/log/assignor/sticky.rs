//! `AbstractStickyAssignor` (Kafka 4.0) when all members subscribe to the same topics: its
//! `ConstrainedAssignmentBuilder`, without racks; and `CooperativeStickyAssignor` on top of it.
//! The general-case builder (members subscribing to different topics) is not ported.

use super::{java_cmp, java_hash_order, map_of, set_of, Assignment, Subscription, TopicPartition};
use crate::sim::kernel::sort;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// What the sticky assignor decides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sticky {
    /// The balanced target (`AbstractStickyAssignor.assignPartitions`), each member's list in
    /// Kafka's order: the partitions it keeps, then the new ones.
    pub assignment: Assignment<TopicPartition>,
    /// `partitionsTransferringOwnership`: partitions the target takes from a member that owns them
    /// (or that several members claimed in the same generation), with their new owner.
    pub transferring: BTreeMap<TopicPartition, String>,
}

impl Sticky {
    /// `CooperativeStickyAssignor.assignPartitions`: the target without the partitions changing
    /// owner, which their new owners get in the follow-up rebalance.
    pub fn cooperative(mut self) -> Assignment<TopicPartition> {
        for (tp, member) in &self.transferring {
            self.assignment.get_mut(member).expect("a member").retain(|p| p != tp);
        }
        self.assignment
    }
}

/// The sticky assignment of `members` (in the coordinator's order) to the partitions of the topics
/// they subscribe to; `None` if they subscribe to different topics (Kafka's general-case builder).
pub fn sticky_assign(partitions: &[u32], members: &[Subscription]) -> Option<Sticky> {
    // The topics the leader assigns: subscribed to, with partitions (`AbstractPartitionAssignor`).
    let count = |t: u32| partitions.get(t as usize).copied().unwrap_or(0);
    let topics = set_of(members.iter().flat_map(|m| m.topics.iter().copied()).filter(|&t| count(t) > 0));
    let order = java_hash_order(members.iter().map(|m| m.id.as_str()));
    let claims = claims(members, &order, |(t, p)| topics.contains(&t) && p < count(t));
    if !claims.equal {
        return None;
    }
    if members.is_empty() {
        return Some(Sticky::default());
    }
    let total = topics.iter().map(|&t| count(t) as usize).sum();
    let mut builder = Builder::new(members, total, claims.multi);
    builder.assign_owned(&order, claims.owned);
    let assigned = set_of(builder.assignment.iter().flatten().copied());
    let unassigned =
        topics.iter().flat_map(|&t| (0..count(t)).map(move |p| (t, p))).filter(|tp| !assigned.contains(tp));
    let by_id = |a: &usize, b: &usize| java_cmp(&members[*a].id, &members[*b].id);
    sort::sort_by(&mut builder.under, by_id);
    sort::sort_by(&mut builder.exact, by_id);
    builder.round_robin(unassigned);
    Some(builder.finish())
}

/// Previously owned partitions, as `AbstractStickyAssignor.allSubscriptionsEqual` reads them.
struct Claims {
    /// All members subscribe to the same topics.
    equal: bool,
    /// Each member's valid claims, by member index.
    owned: Vec<Vec<TopicPartition>>,
    /// Partitions claimed by several members of the same generation: nobody keeps them.
    multi: BTreeSet<TopicPartition>,
}

/// Visits members in `order`; of two members claiming a partition, the one of the higher
/// generation keeps it (no generation counts as -1), and if their generations are equal neither.
fn claims(members: &[Subscription], order: &[usize], valid: impl Fn(TopicPartition) -> bool) -> Claims {
    let mut claims = Claims { equal: true, owned: vec![Vec::new(); members.len()], multi: BTreeSet::new() };
    let mut subscribed = BTreeSet::new();
    let mut owner: BTreeMap<TopicPartition, usize> = BTreeMap::new();
    let generation = |i: usize| members[i].generation.unwrap_or(-1);
    for &i in order {
        let topics = set_of(members[i].topics.iter().copied());
        if subscribed.is_empty() {
            subscribed = topics;
        } else if subscribed != topics {
            claims.equal = false;
        }
        for &tp in members[i].owned.iter().filter(|&&tp| valid(tp)) {
            let Some(&other) = owner.get(&tp) else {
                claims.owned[i].push(tp);
                owner.insert(tp, i);
                continue;
            };
            let newer = generation(i).cmp(&generation(other));
            if newer == Ordering::Less {
                continue;
            }
            if let Some(at) = claims.owned[other].iter().position(|&p| p == tp) {
                claims.owned[other].remove(at);
            }
            owner.insert(tp, i);
            if newer == Ordering::Equal {
                claims.multi.insert(tp);
            } else {
                claims.owned[i].push(tp);
            }
        }
    }
    claims
}

/// `ConstrainedAssignmentBuilder`: every member gets `min` or `max` partitions, `expected_over` of
/// them `max`; members keep what they own up to that.
struct Builder<'a> {
    members: &'a [Subscription],
    min: usize,
    max: usize,
    expected_over: usize,
    over: usize,
    assignment: Vec<Vec<TopicPartition>>,
    /// Members below `min` (`unfilledMembersWithUnderMinQuotaPartitions`).
    under: Vec<usize>,
    /// Members at `min` that may take one more (`unfilledMembersWithExactlyMinQuotaPartitions`).
    exact: Vec<usize>,
    /// Owned partitions their owner does not keep.
    maybe_revoked: BTreeMap<TopicPartition, usize>,
    multi: BTreeSet<TopicPartition>,
    transferring: BTreeMap<TopicPartition, usize>,
}

impl<'a> Builder<'a> {
    fn new(members: &'a [Subscription], total: usize, multi: BTreeSet<TopicPartition>) -> Self {
        let n = members.len();
        Builder {
            members,
            min: total / n,
            max: total.div_ceil(n),
            expected_over: total % n,
            over: 0,
            assignment: vec![Vec::new(); n],
            under: Vec::new(),
            exact: Vec::new(),
            maybe_revoked: BTreeMap::new(),
            multi,
            transferring: BTreeMap::new(),
        }
    }

    /// `assignOwnedPartitions`: each member, in `order`, keeps its owned partitions sorted by
    /// (partition, topic): all of them below `min`, `max` while members at `max` are still
    /// expected, else `min`.
    fn assign_owned(&mut self, order: &[usize], mut owned: Vec<Vec<TopicPartition>>) {
        for &i in order {
            let mut mine = std::mem::take(&mut owned[i]);
            sort::sort_by_key(&mut mine, |&(t, p)| (p, t));
            mine.retain(|tp| !self.multi.contains(tp));
            let keep = if mine.len() < self.min {
                self.under.push(i);
                mine.len()
            } else if mine.len() >= self.max && self.over < self.expected_over {
                self.over += 1;
                if self.over == self.expected_over {
                    self.exact.clear();
                }
                self.max
            } else {
                if self.over < self.expected_over {
                    self.exact.push(i);
                }
                self.min
            };
            for tp in mine.drain(keep..) {
                self.maybe_revoked.insert(tp, i);
            }
            self.assignment[i] = mine;
        }
    }

    /// `assignRoundRobin`: the unassigned partitions, in order, go round the members below `min`
    /// (sorted by id) until they reach it, then one each to the members at `min`, first come first.
    fn round_robin(&mut self, unassigned: impl Iterator<Item = TopicPartition>) {
        let mut next = 0; // the iterator over `under`
        for tp in unassigned {
            let from_under = !self.under.is_empty();
            let member = if next < self.under.len() {
                next += 1;
                self.under[next - 1]
            } else if from_under {
                next = 1;
                self.under[0]
            } else {
                assert!(!self.exact.is_empty(), "no more unfilled consumers to be assigned");
                self.exact.remove(0)
            };
            let count = self.assign_new(tp, member);
            if count == self.min && from_under {
                next -= 1;
                self.under.remove(next);
                self.exact.push(member);
            } else if count == self.max {
                self.over += 1;
            }
        }
    }

    /// `assignNewPartition`: a partition someone else owned changes owner.
    fn assign_new(&mut self, tp: TopicPartition, member: usize) -> usize {
        self.assignment[member].push(tp);
        if self.maybe_revoked.get(&tp).is_some_and(|&o| o != member) || self.multi.contains(&tp) {
            self.transferring.insert(tp, member);
        }
        self.assignment[member].len()
    }

    fn finish(self) -> Sticky {
        let id = |i: usize| self.members[i].id.clone();
        Sticky {
            assignment: map_of(self.assignment.iter().enumerate().map(|(i, tps)| (id(i), tps.clone()))),
            transferring: map_of(self.transferring.iter().map(|(&tp, &i)| (tp, id(i)))),
        }
    }
}
