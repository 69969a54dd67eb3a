//! `RangeAssignorTest` and the member ordering tests of `AbstractPartitionAssignorTest`.

use super::*;
use eda_lab::sim::broker::log::assignor::member_order;

fn range(t: &Topics, members: &[Subscription]) -> Assignment<Tp> {
    Assignor::Range.assign_topics(&t.counts(), members).unwrap()
}

/// Sets, as the Java test's `assertAssignment` compares.
fn assert_assignment(expected: &[Tp], actual: &[Tp]) {
    assert_eq!(set(expected), set(actual));
}

#[test]
fn one_consumer_no_topic() {
    let t = Topics::new(&[]);
    let a = range(&t, &[sub("consumer1", vec![], vec![], None)]);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer1"]);
    assert!(a["consumer1"].is_empty());
}

#[test]
fn one_consumer_nonexistent_topic() {
    let t = Topics::new(&[("topic1", 0)]);
    let a = range(&t, &[sub("consumer1", t.ids(&["topic1"]), vec![], None)]);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer1"]);
    assert!(a["consumer1"].is_empty());
}

#[test]
fn one_consumer_one_topic() {
    let t = Topics::new(&[("topic1", 3)]);
    let a = range(&t, &[sub("consumer1", t.ids(&["topic1"]), vec![], None)]);
    assert_assignment(&[t.tp("topic1", 0), t.tp("topic1", 1), t.tp("topic1", 2)], &a["consumer1"]);
}

#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    let t = Topics::new(&[("topic1", 3), ("other", 3)]);
    let a = range(&t, &[sub("consumer1", t.ids(&["topic1"]), vec![], None)]);
    assert_assignment(&[t.tp("topic1", 0), t.tp("topic1", 1), t.tp("topic1", 2)], &a["consumer1"]);
}

#[test]
fn one_consumer_multiple_topics() {
    let t = Topics::new(&[("topic1", 1), ("topic2", 2)]);
    let a = range(&t, &[sub("consumer1", t.all(), vec![], None)]);
    assert_assignment(&[t.tp("topic1", 0), t.tp("topic2", 0), t.tp("topic2", 1)], &a["consumer1"]);
}

#[test]
fn two_consumers_one_topic_one_partition() {
    let t = Topics::new(&[("topic1", 1)]);
    let a = range(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    assert_assignment(&[t.tp("topic1", 0)], &a["consumer1"]);
    assert_assignment(&[], &a["consumer2"]);
}

#[test]
fn two_consumers_one_topic_two_partitions() {
    let t = Topics::new(&[("topic1", 2)]);
    let a = range(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    assert_assignment(&[t.tp("topic1", 0)], &a["consumer1"]);
    assert_assignment(&[t.tp("topic1", 1)], &a["consumer2"]);
}

#[test]
fn multiple_consumers_mixed_topics() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 2)]);
    let a = range(
        &t,
        &[
            sub("consumer1", t.ids(&["topic1"]), vec![], None),
            sub("consumer2", t.ids(&["topic1", "topic2"]), vec![], None),
            sub("consumer3", t.ids(&["topic1"]), vec![], None),
        ],
    );
    assert_assignment(&[t.tp("topic1", 0)], &a["consumer1"]);
    assert_assignment(&[t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 1)], &a["consumer2"]);
    assert_assignment(&[t.tp("topic1", 2)], &a["consumer3"]);
}

#[test]
fn two_consumers_two_topics_six_partitions() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let a = range(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    let expected = [t.tp("topic1", 0), t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 1)];
    assert_assignment(&expected, &a["consumer1"]);
    assert_assignment(&[t.tp("topic1", 2), t.tp("topic2", 2)], &a["consumer2"]);
}

/// `testTwoStaticConsumersTwoTopicsSixPartitions` and
/// `testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions`: instance ids order static
/// members, and static members come before dynamic ones.
#[test]
fn static_consumers_two_topics_six_partitions() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let low = static_sub("consumer-b", "instance1", t.all());
    for high in [static_sub("consumer-a", "instance2", t.all()), sub("consumer-a", t.all(), vec![], None)] {
        let a = range(&t, &[low.clone(), high]);
        let expected = [t.tp("topic1", 0), t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 1)];
        assert_assignment(&expected, &a["consumer-b"]);
        assert_assignment(&[t.tp("topic1", 2), t.tp("topic2", 2)], &a["consumer-a"]);
    }
}

#[test]
fn static_member_range_assignment_persistent() {
    let t = Topics::new(&[("topic1", 5), ("topic2", 4)]);
    let mut group = Group::default();
    for i in 1..=3 {
        group.put(static_sub(&format!("consumer{i}"), &format!("instance{i}"), t.all()));
    }
    group.put(sub("consumer4", t.all(), vec![], None));
    let mut expected: Assignment<Tp> = BTreeMap::new();
    expected.insert("consumer1".into(), vec![t.tp("topic1", 0), t.tp("topic1", 1), t.tp("topic2", 0)]);
    expected.insert("consumer2".into(), vec![t.tp("topic1", 2), t.tp("topic2", 1)]);
    expected.insert("consumer3".into(), vec![t.tp("topic1", 3), t.tp("topic2", 2)]);
    expected.insert("consumer4".into(), vec![t.tp("topic1", 4), t.tp("topic2", 3)]);
    assert_eq!(expected, range(&t, &group.0));
    // Replace dynamic member 4 with a new dynamic member 5.
    group.remove("consumer4");
    group.put(sub("consumer5", t.all(), vec![], None));
    let four = expected.remove("consumer4").unwrap();
    expected.insert("consumer5".into(), four);
    assert_eq!(expected, range(&t, &group.0));
}

/// `checkStaticAssignment`: the assignment by instance id.
pub fn by_instance(a: &Assignment<Tp>, group: &Group) -> BTreeMap<String, Vec<Tp>> {
    group.0.iter().filter_map(|m| Some((m.instance_id.clone()?, a[&m.id].clone()))).collect()
}

/// Switches the member ids of instances 3 and 2 to `consumer4` and `consumer5`.
pub fn new_member_ids(group: &mut Group) {
    for (old, new) in [("consumer3", "consumer4"), ("consumer2", "consumer5")] {
        let mut m = group.get(old).clone();
        m.id = new.to_string();
        group.put(m);
        group.remove(old);
    }
}

#[test]
fn static_member_range_assignment_persistent_after_member_id_changes() {
    let t = Topics::new(&[("topic1", 5), ("topic2", 5)]);
    let mut group = Group::default();
    for i in 1..=3 {
        group.put(static_sub(&format!("consumer{i}"), &format!("instance{i}"), t.all()));
    }
    let parts = |list: &[(&str, u32)]| list.iter().map(|&(n, p)| t.tp(n, p)).collect::<Vec<_>>();
    let expected: BTreeMap<String, Vec<Tp>> = [
        ("instance1", parts(&[("topic1", 0), ("topic1", 1), ("topic2", 0), ("topic2", 1)])),
        ("instance2", parts(&[("topic1", 2), ("topic1", 3), ("topic2", 2), ("topic2", 3)])),
        ("instance3", parts(&[("topic1", 4), ("topic2", 4)])),
    ]
    .into_iter()
    .map(|(i, tps)| (i.to_string(), tps))
    .collect();
    let before = by_instance(&range(&t, &group.0), &group);
    assert_eq!(expected, before);
    new_member_ids(&mut group);
    assert_eq!(before, by_instance(&range(&t, &group.0), &group));
}

/// `verifyRackAssignment` where rack-aware logic is not used: members `consumer0`, `consumer1`,
/// ... subscribe to `topics[i]`; their assignments as sorted strings.
pub fn verify_non_rack(assignor: Assignor, t: &Topics, topics: &[Vec<&str>], owned: &[&str], expected: &[&str]) {
    let group: Vec<Subscription> = (0..topics.len())
        .map(|i| {
            let owned = owned.get(i).map_or(vec![], |o| t.parse(o));
            sub(&format!("consumer{i}"), t.ids(&topics[i]), owned, None)
        })
        .collect();
    let a = assignor.assign_topics(&t.counts(), &group).unwrap();
    for (i, e) in expected.iter().enumerate() {
        assert_eq!(*e, t.sorted_string(&a[&format!("consumer{i}")]), "consumer{i}");
    }
}

/// The non-rack-aware expectations of `testRackAwareAssignmentWithUniformSubscription`,
/// `...WithNonEqualSubscription`, `...WithUniformPartitions` and
/// `...WithUniformPartitionsNonEqualSubscription`.
#[test]
fn rack_tests_without_rack_awareness() {
    let all = vec!["t1", "t2", "t3"];
    let some = vec!["t1", "t3"];
    let t = Topics::new(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let uniform = [all.clone(), all.clone(), all.clone()];
    let expected = ["t1-0, t1-1, t2-0, t2-1, t2-2, t3-0", "t1-2, t1-3, t2-3, t2-4, t3-1", "t1-4, t1-5, t2-5, t2-6"];
    verify_non_rack(Assignor::Range, &t, &uniform, &[], &expected);
    let unequal = [all.clone(), all.clone(), some.clone()];
    let expected = ["t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0", "t1-2, t1-3, t2-4, t2-5, t2-6, t3-1", "t1-4, t1-5"];
    verify_non_rack(Assignor::Range, &t, &unequal, &[], &expected);
    let t = Topics::new(&[("t1", 5), ("t2", 5), ("t3", 5)]);
    let expected = ["t1-0, t1-1, t2-0, t2-1, t3-0, t3-1", "t1-2, t1-3, t2-2, t2-3, t3-2, t3-3", "t1-4, t2-4, t3-4"];
    verify_non_rack(Assignor::Range, &t, &uniform, &[], &expected);
    let expected = ["t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1", "t1-2, t1-3, t2-3, t2-4, t3-2, t3-3", "t1-4, t3-4"];
    verify_non_rack(Assignor::Range, &t, &unequal, &[], &expected);
}

/// `testRackAwareAssignmentWithCoPartitioning`, the cases where rack-aware logic is not used.
#[test]
fn co_partitioning_without_rack_awareness() {
    let t = Topics::new(&[("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2)]);
    let (a, b) = (vec!["t1", "t2"], vec!["t3", "t4"]);
    let expected =
        ["t1-0, t1-1, t1-2, t2-0, t2-1, t2-2", "t1-3, t1-4, t1-5, t2-3, t2-4, t2-5", "t3-0, t4-0", "t3-1, t4-1"];
    verify_non_rack(Assignor::Range, &t, &[a.clone(), a, b.clone(), b], &[], &expected);
    let all = vec!["t1", "t2", "t3", "t4"];
    let expected =
        ["t1-0, t1-1, t2-0, t2-1, t3-0, t4-0", "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1", "t1-4, t2-4", "t1-5, t2-5"];
    verify_non_rack(Assignor::Range, &t, &[all.clone(), all.clone(), all.clone(), all], &[], &expected);
}

/// `testCoPartitionedAssignmentWithSameSubscription`, without broker racks.
#[test]
fn co_partitioned_assignment_with_same_subscription() {
    let counts = [("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2), ("t5", 4), ("t6", 4), ("t7", 0), ("t8", 0), ("t9", 0)];
    let t = Topics::new(&counts);
    let all = vec!["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
    let expected = [
        "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1",
        "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2",
        "t1-4, t1-5, t2-4, t2-5, t5-3, t6-3",
    ];
    verify_non_rack(Assignor::Range, &t, &[all.clone(), all.clone(), all], &[], &expected);
}

fn member(id: &str, instance: Option<&str>) -> Subscription {
    Subscription { instance_id: instance.map(str::to_string), ..sub(id, vec![], vec![], None) }
}

fn sorted(mut list: Vec<Subscription>) -> Vec<String> {
    list.sort_by(member_order);
    list.into_iter().map(|m| m.id).collect()
}

/// `AbstractPartitionAssignorTest.testMemberInfoSortingWithoutGroupInstanceId`,
/// `...WithAllGroupInstanceId` and `...SomeGroupInstanceId`.
#[test]
fn member_info_sorting() {
    assert_eq!(sorted(vec![member("a", None), member("b", None), member("c", None)]), ["a", "b", "c"]);
    assert_eq!(sorted(vec![member("a", Some("y")), member("b", Some("z")), member("c", Some("x"))]), ["c", "a", "b"]);
    assert_eq!(sorted(vec![member("a", None), member("b", Some("y")), member("c", Some("x"))]), ["c", "b", "a"]);
}

/// `AbstractPartitionAssignorTest.testMergeSortManyMemberInfo`, with a fixed pseudo-random choice
/// of static members and a fixed shuffle.
#[test]
fn merge_sort_many_member_info() {
    let ids: Vec<String> = (100..200).map(|i: u32| i.to_string()).collect();
    let is_static = |i: usize| (i * 7919 + 13) % 11 < 5;
    let members: Vec<Subscription> =
        (0..100).map(|i| member(&ids[i], is_static(i).then_some(ids[i].as_str()))).collect();
    let expected: Vec<String> =
        (0..100).filter(|&i| is_static(i)).chain((0..100).filter(|&i| !is_static(i))).map(|i| ids[i].clone()).collect();
    let shuffled: Vec<Subscription> = (0..100).map(|i| members[i * 37 % 100].clone()).collect();
    assert_eq!(expected, sorted(shuffled));
}
