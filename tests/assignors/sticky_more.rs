//! `AbstractStickyAssignorTest` as `CooperativeStickyAssignorTest` runs it (second part), and the
//! tests of `CooperativeStickyAssignorTest` itself.

use super::range::verify_non_rack;
use super::sticky::{fresh, v2, GENERATION};
use super::*;

/// `getCanonicalName`: `prefix` and `i` padded to the digits of `max`.
fn name(prefix: &str, i: usize, max: usize) -> String {
    format!("{prefix}{i:0width$}", width = max.to_string().len())
}

#[test]
fn reassignment_after_one_consumer_added() {
    let t = Topics::new(&[("topic", 20)]);
    let mut group = Group((1..10).map(|i| fresh(&name("c", i, 10), t.all())).collect());
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    group.put(fresh(&name("c", 10, 10), t.all()));
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
}

#[test]
fn same_subscriptions() {
    let names: Vec<String> = (1..15).map(|i| name("t", i, 15)).collect();
    let counts: Vec<(&str, u32)> = names.iter().zip(1..).map(|(n, i)| (n.as_str(), i)).collect();
    let t = Topics::new(&counts);
    let mut group = Group((1..9).map(|i| fresh(&name("c", i, 9), t.all())).collect());
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    for i in 1..9 {
        let c = name("c", i, 9);
        group.put(v2(&c, t.all(), a[&c].clone(), GENERATION));
    }
    group.remove(&name("c", 5, 9));
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
}

/// 500 topics of 2,000 partitions, 2,000 consumers; Kafka gives it 30 seconds.
#[test]
fn large_assignment_and_group_with_uniform_subscription() {
    let names: Vec<String> = (0..500).map(|i| name("t", i, 500)).collect();
    let counts: Vec<(&str, u32)> = names.iter().map(|n| (n.as_str(), 2_000)).collect();
    let t = Topics::new(&counts);
    let mut group = Group((0..2_000).map(|i| fresh(&name("c", i, 2_000), t.all())).collect());
    let (a, _) = coop(&t, &group);
    for i in 1..2_000 {
        let c = name("c", i, 2_000);
        group.put(v2(&c, t.all(), a[&c].clone(), GENERATION));
    }
    let (a, _) = coop(&t, &group);
    assert_eq!(a.values().map(Vec::len).sum::<usize>(), 1_000_000);
}

#[test]
fn stickiness() {
    let t = Topics::new(&[("topic1", 3)]);
    let mut group = Group((1..=4).map(|i| fresh(&format!("consumer{i}"), t.all())).collect());
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(a.values().all(|tps| tps.len() <= 1));
    let before = a.clone();
    // Removing the potential group leader.
    group.remove("consumer1");
    for c in ["consumer2", "consumer3", "consumer4"] {
        group.put(v2(c, t.all(), before[c].clone(), GENERATION));
    }
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    for (c, tps) in &a {
        assert_eq!(tps.len(), 1, "{c} has more partitions than expected");
        assert!(before[c].iter().all(|tp| tps.contains(tp)), "stickiness was not honored for {c}");
    }
}

#[test]
fn assignment_updated_for_deleted_topic() {
    let t = Topics::new(&[("topic1", 1), ("topic2", 0), ("topic3", 100)]);
    let group = Group(vec![fresh("consumer", t.all())]);
    let (a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    assert_eq!(a["consumer"].len(), 101);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(is_fully_balanced(&a));
}

#[test]
fn no_exception_thrown_when_only_subscribed_topic_deleted() {
    let t = Topics::new(&[("topic", 3)]);
    let mut group = Group(vec![fresh("consumer", t.all())]);
    let (a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    group.put(v2("consumer", t.all(), a["consumer"].clone(), GENERATION));
    let (a, transferring) = coop(&Topics::new(&[("topic", 0)]), &group);
    assert!(transferring.is_empty());
    assert_eq!(a.len(), 1);
    assert!(a["consumer"].is_empty());
}

#[test]
fn all_consumers_reach_expected_quota_and_are_considered_filled() {
    let t = Topics::new(&[("topic", 4)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic", 0), t.tp("topic", 1)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic", 2)], GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic", 0), t.tp("topic", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic", 2)]);
    assert_eq!(a["consumer3"], [t.tp("topic", 3)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

/// `testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration` (consumer2 one generation
/// behind) and `...WithNoGeneration` (consumer2 without one).
#[test]
fn owned_partitions_are_invalidated_for_consumer_with_stale_or_no_generation() {
    let t = Topics::new(&[("topic", 3), ("topic2", 3)]);
    let owned = vec![t.tp("topic", 0), t.tp("topic", 2), t.tp("topic2", 1)];
    for stale in [9, -1] {
        let mut group = Group::default();
        group.put(v2("consumer1", t.all(), owned.clone(), 10));
        group.put(v2("consumer2", t.all(), owned.clone(), stale));
        let (mut a, transferring) = coop(&t, &group);
        assert_eq!(set(&a["consumer1"]), set(&owned));
        assert_eq!(set(&a["consumer2"]), set(&[t.tp("topic", 1), t.tp("topic2", 0), t.tp("topic2", 2)]));
        assert!(transferring.is_empty());
        verify_cooperative(&t, &mut group, &mut a);
        assert!(is_fully_balanced(&a));
    }
}

#[test]
fn partitions_transferring_ownership_include_the_partition_claimed_by_multiple_consumers_in_same_generation() {
    let t = Topics::new(&[("topic", 3)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic", 0), t.tp("topic", 1)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic", 0), t.tp("topic", 2)], GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(transferring, transfers(&[(t.tp("topic", 0), "consumer3")]));
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!(a["consumer1"], [t.tp("topic", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic", 2)]);
    assert_eq!(a["consumer3"], [t.tp("topic", 0)]);
    assert!(is_fully_balanced(&a));
}

#[test]
fn ensure_partitions_assigned_to_highest_generation() {
    let t = Topics::new(&[("topic", 3), ("topic2", 3), ("topic3", 3)]);
    let tps = |list: &[(&str, u32)]| list.iter().map(|&(n, p)| t.tp(n, p)).collect::<Vec<_>>();
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), tps(&[("topic", 0), ("topic2", 0), ("topic3", 0)]), 10));
    group.put(v2("consumer2", t.all(), tps(&[("topic", 1), ("topic2", 1), ("topic3", 1)]), 9));
    group.put(v2("consumer3", t.all(), tps(&[("topic2", 1), ("topic3", 0), ("topic3", 2)]), 8));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(set(&a["consumer1"]), set(&tps(&[("topic", 0), ("topic2", 0), ("topic3", 0)])));
    assert_eq!(set(&a["consumer2"]), set(&tps(&[("topic", 1), ("topic2", 1), ("topic3", 1)])));
    assert_eq!(set(&a["consumer3"]), set(&tps(&[("topic", 2), ("topic2", 2), ("topic3", 2)])));
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn no_reassignment_on_current_members() {
    let t = Topics::new(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
    let tps = |list: &[(&str, u32)]| list.iter().map(|&(n, p)| t.tp(n, p)).collect::<Vec<_>>();
    let all = t.ids(&["topic", "topic2", "topic3", "topic1"]);
    let mut group = Group::default();
    group.put(v2("consumer1", all.clone(), vec![], -1));
    group.put(v2("consumer2", all.clone(), tps(&[("topic", 0), ("topic2", 0), ("topic1", 0)]), 9));
    group.put(v2("consumer3", all.clone(), tps(&[("topic3", 2), ("topic2", 2), ("topic1", 1)]), 8));
    group.put(v2("consumer4", all.clone(), tps(&[("topic3", 1), ("topic", 1), ("topic", 2)]), 7));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(set(&a["consumer1"]), set(&tps(&[("topic1", 2), ("topic2", 1), ("topic3", 0)])));
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn owned_partitions_are_invalidated_for_consumer_with_multiple_generation() {
    let t = Topics::new(&[("topic", 3), ("topic2", 3)]);
    let tps = |list: &[(&str, u32)]| list.iter().map(|&(n, p)| t.tp(n, p)).collect::<Vec<_>>();
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), tps(&[("topic", 0), ("topic2", 1), ("topic", 1)]), 10));
    group.put(v2("consumer2", t.all(), tps(&[("topic", 0), ("topic2", 1), ("topic2", 2)]), 8));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(set(&a["consumer1"]), set(&tps(&[("topic", 0), ("topic2", 1), ("topic", 1)])));
    assert_eq!(set(&a["consumer2"]), set(&tps(&[("topic", 2), ("topic2", 2), ("topic2", 0)])));
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

/// `testRackAwareAssignmentWithUniformSubscription`, the cases where rack-aware logic is not used
/// (`verifyUniformSubscription` without broker racks: no owned partitions, then owning them).
#[test]
fn rack_aware_assignment_with_uniform_subscription_without_racks() {
    let t = Topics::new(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let all = vec!["t1", "t2", "t3"];
    let topics = [all.clone(), all.clone(), all];
    let expected = ["t1-0, t1-3, t2-0, t2-3, t2-6", "t1-1, t1-4, t2-1, t2-4, t3-0", "t1-2, t1-5, t2-2, t2-5, t3-1"];
    verify_non_rack(Assignor::CooperativeSticky, &t, &topics, &[], &expected);
    verify_non_rack(Assignor::CooperativeSticky, &t, &topics, &expected, &expected);
}

/// Members subscribing to different topics need Kafka's general-case builder, which is not
/// ported: `testMultipleConsumersMixedTopicSubscriptions`'s group is refused.
#[test]
fn mixed_subscriptions_are_not_supported() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 2)]);
    let group = [
        fresh("consumer1", t.ids(&["topic1"])),
        fresh("consumer2", t.ids(&["topic1", "topic2"])),
        fresh("consumer3", t.ids(&["topic1"])),
    ];
    assert_eq!(None, sticky_assign(&t.counts(), &group));
    assert_eq!(None, Assignor::CooperativeSticky.assign_topics(&t.counts(), &group));
}

/// `CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedBy
/// MultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer` (3 partitions) and
/// `...WithUnequalPartitionsPerConsumer` (4): topic-0 is withheld until both have revoked it.
#[test]
fn owned_partition_claimed_by_multiple_consumers_in_same_generation() {
    for (n, expected1) in [(3, vec![1]), (4, vec![1, 3])] {
        let t = Topics::new(&[("topic", n)]);
        let mut group = Group::default();
        group.put(v2("consumer1", t.all(), vec![t.tp("topic", 0), t.tp("topic", 1)], GENERATION));
        group.put(v2("consumer2", t.all(), vec![t.tp("topic", 0), t.tp("topic", 2)], GENERATION));
        group.put(v2("consumer3", t.all(), vec![], GENERATION));
        let (mut a, _) = coop(&t, &group);
        assert_eq!(a["consumer1"], expected1.iter().map(|&p| t.tp("topic", p)).collect::<Vec<_>>());
        assert_eq!(a["consumer2"], [t.tp("topic", 2)]);
        assert!(a["consumer3"].is_empty());
        verify_cooperative(&t, &mut group, &mut a);
        assert!(is_fully_balanced(&a));
    }
}

/// `CooperativeStickyAssignorTest.testAssignorWithOldVersionSubscriptions`: consumers 1 and 2
/// send subscription v1 (generation in the user data), which reads as owned partitions of
/// generation 1.
#[test]
fn assignor_with_old_version_subscriptions() {
    let t = Topics::new(&[("topic1", 3)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic1", 0)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic1", 1)], GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    let (mut a, _) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1)]);
    assert_eq!(a["consumer3"], [t.tp("topic1", 2)]);
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}
