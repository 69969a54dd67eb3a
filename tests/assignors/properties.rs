//! Properties of the one-topic assignors over random groups: every partition is assigned exactly
//! once, sizes differ by at most one, and the sticky assignor keeps as many owned partitions as
//! balance allows, under the cooperative protocol in two rounds.

use eda_lab::sim::broker::log::assignor::{
    cooperative_plan, revoked, sticky_assign, Assignment, Assignor, MemberSubscription, Subscription,
};
use eda_lab::sim::broker::log::group::range_assign;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::{BTreeMap, BTreeSet};

/// Distinct member ids in a random (coordinator) order, and a partition count.
fn group() -> impl Strategy<Value = (Vec<String>, u32)> {
    let ids = prop::collection::btree_set("[a-c][a-c0-9-]{0,5}", 1..12)
        .prop_flat_map(|set| Just(set.into_iter().collect::<Vec<_>>()).prop_shuffle());
    (ids, 0u32..48)
}

/// A random previous ownership: each partition owned by one member (by index) or nobody.
fn owners(members: usize, partitions: u32) -> impl Strategy<Value = Vec<Option<usize>>> {
    prop::collection::vec(prop::option::of(0..members), partitions as usize)
}

fn members(ids: &[String], owners: &[Option<usize>], generation: Option<i32>) -> Vec<MemberSubscription> {
    let owned = |i| (0u32..).zip(owners).filter(|(_, o)| **o == Some(i)).map(|(p, _)| p).collect();
    (0..ids.len())
        .map(|i| MemberSubscription { id: ids[i].clone(), instance_id: None, owned: owned(i), generation })
        .collect()
}

/// Every partition assigned once; returns the sizes.
fn check_complete(a: &Assignment<u32>, partitions: u32) -> Vec<usize> {
    let mut all: Vec<u32> = a.values().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..partitions).collect::<Vec<_>>(), "{a:?}");
    a.values().map(Vec::len).collect()
}

fn check_balanced(a: &Assignment<u32>, partitions: u32) {
    let sizes = check_complete(a, partitions);
    assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{a:?}");
}

/// Owned partitions balance lets members keep: each up to `min`, and `partitions % members` of
/// those owning more keep one extra.
fn keepable(members: &[MemberSubscription], partitions: u32) -> usize {
    let (n, total) = (members.len(), partitions as usize);
    let (min, extra) = (total / n, total % n);
    let base: usize = members.iter().map(|m| m.owned.len().min(min)).sum();
    base + extra.min(members.iter().filter(|m| m.owned.len() > min).count())
}

fn kept(members: &[MemberSubscription], a: &Assignment<u32>) -> usize {
    members.iter().map(|m| m.owned.iter().filter(|p| a[&m.id].contains(p)).count()).sum()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/assignors/proptest-regressions.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn range_and_round_robin_are_balanced((ids, n) in group()) {
        let members = members(&ids, &[], None);
        check_balanced(&Assignor::Range.assign(n, &members), n);
        check_balanced(&Assignor::RoundRobin.assign(n, &members), n);
    }

    /// The engine's `range_assign` (numeric ids) is `RangeAssignor` on zero-padded ids.
    #[test]
    fn engine_range_assign_is_kafkas(ids in prop::collection::btree_set(0u32..1000, 0..12), n in 0u32..48) {
        let ids: Vec<u32> = ids.into_iter().collect();
        let names: Vec<String> = ids.iter().map(|i| format!("{i:04}")).collect();
        let kafka = Assignor::Range.assign(n, &members(&names, &[], None));
        let mut owner = vec![None; n as usize];
        for (id, parts) in &kafka {
            for &p in parts {
                owner[p as usize] = Some(id.parse::<u32>().unwrap());
            }
        }
        let ids: Vec<eda_lab::sim::ConsumerId> = ids.into_iter().map(eda_lab::sim::ConsumerId).collect();
        let engine: Vec<Option<u32>> = range_assign(n, &ids).into_iter().map(|o| o.map(|c| c.0)).collect();
        prop_assert_eq!(engine, owner);
    }

    /// The sticky target is balanced and keeps every owned partition balance allows.
    #[test]
    fn sticky_is_balanced_and_sticky(((ids, n), owners) in group().prop_flat_map(|(ids, n)| {
        let k = ids.len();
        (Just((ids, n)), owners(k, n))
    })) {
        let members = members(&ids, &owners, Some(1));
        let subs: Vec<Subscription> = members
            .iter()
            .map(|m| Subscription {
                id: m.id.clone(),
                instance_id: None,
                topics: vec![0],
                owned: m.owned.iter().map(|&p| (0, p)).collect(),
                generation: m.generation,
            })
            .collect();
        let sticky = sticky_assign(&[n], &subs).unwrap();
        let target: Assignment<u32> =
            sticky.assignment.iter().map(|(m, tps)| (m.clone(), tps.iter().map(|tp| tp.1).collect())).collect();
        check_balanced(&target, n);
        prop_assert_eq!(kept(&members, &target), keepable(&members, n));
        // The cooperative first round is the target without the partitions changing owner.
        let owned: Assignment<u32> = members.iter().map(|m| (m.id.clone(), m.owned.clone())).collect();
        let first = Assignor::CooperativeSticky.assign(n, &members);
        prop_assert_eq!(&first, &cooperative_plan(&owned, &target).0);
    }

    /// Under the cooperative protocol nothing is assigned while another member still owns it; one
    /// follow-up rebalance completes the balanced assignment, and a third one changes nothing.
    #[test]
    fn cooperative_sticky_converges_in_two_rounds(((ids, n), owners) in group().prop_flat_map(|(ids, n)| {
        let k = ids.len();
        (Just((ids, n)), owners(k, n))
    })) {
        let mut members = members(&ids, &owners, Some(1));
        let first = Assignor::CooperativeSticky.assign(n, &members);
        let owner: BTreeMap<u32, &String> = members.iter().flat_map(|m| m.owned.iter().map(move |&p| (p, &m.id))).collect();
        for (m, parts) in &first {
            for p in parts {
                prop_assert!(owner.get(p).is_none_or(|o| *o == m), "{} moved to {} in one round", p, m);
            }
        }
        let again = members.iter().any(|m| !revoked(&m.owned, &first[&m.id]).is_empty());
        for m in &mut members {
            m.owned = first[&m.id].clone();
            m.generation = Some(2);
        }
        let second = Assignor::CooperativeSticky.assign(n, &members);
        check_balanced(&second, n);
        prop_assert!(members.iter().all(|m| revoked(&m.owned, &second[&m.id]).is_empty()));
        // A member's list has the partitions it keeps first: compare sets.
        let sets = |a: &Assignment<u32>| a.values().map(|ps| ps.iter().copied().collect::<BTreeSet<u32>>()).collect::<Vec<_>>();
        prop_assert_eq!(again, sets(&first) != sets(&second));
        for m in &mut members {
            m.owned = second[&m.id].clone();
        }
        let third = Assignor::CooperativeSticky.assign(n, &members);
        prop_assert_eq!(sets(&third), sets(&second));
    }
}
