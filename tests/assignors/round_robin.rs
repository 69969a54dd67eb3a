//! `RoundRobinAssignorTest`.

use super::range::{by_instance, new_member_ids};
use super::*;

fn round_robin(t: &Topics, members: &[Subscription]) -> Assignment<Tp> {
    Assignor::RoundRobin.assign_topics(&t.counts(), members).unwrap()
}

#[test]
fn one_consumer_no_topic() {
    let a = round_robin(&Topics::new(&[]), &[sub("consumer", vec![], vec![], None)]);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
}

#[test]
fn one_consumer_nonexistent_topic() {
    let t = Topics::new(&[("topic", 0)]);
    let a = round_robin(&t, &[sub("consumer", t.all(), vec![], None)]);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
}

#[test]
fn one_consumer_one_topic() {
    let t = Topics::new(&[("topic", 3)]);
    let a = round_robin(&t, &[sub("consumer", t.all(), vec![], None)]);
    assert_eq!(a["consumer"], [t.tp("topic", 0), t.tp("topic", 1), t.tp("topic", 2)]);
}

#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    let t = Topics::new(&[("topic", 3), ("other", 3)]);
    let a = round_robin(&t, &[sub("consumer", t.ids(&["topic"]), vec![], None)]);
    assert_eq!(a["consumer"], [t.tp("topic", 0), t.tp("topic", 1), t.tp("topic", 2)]);
}

#[test]
fn one_consumer_multiple_topics() {
    let t = Topics::new(&[("topic1", 1), ("topic2", 2)]);
    let a = round_robin(&t, &[sub("consumer", t.all(), vec![], None)]);
    assert_eq!(a["consumer"], [t.tp("topic1", 0), t.tp("topic2", 0), t.tp("topic2", 1)]);
}

#[test]
fn two_consumers_one_topic_one_partition() {
    let t = Topics::new(&[("topic", 1)]);
    let a = round_robin(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    assert_eq!(a["consumer1"], [t.tp("topic", 0)]);
    assert!(a["consumer2"].is_empty());
}

#[test]
fn two_consumers_one_topic_two_partitions() {
    let t = Topics::new(&[("topic", 2)]);
    let a = round_robin(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    assert_eq!(a["consumer1"], [t.tp("topic", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic", 1)]);
}

#[test]
fn multiple_consumers_mixed_topics() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 2)]);
    let a = round_robin(
        &t,
        &[
            sub("consumer1", t.ids(&["topic1"]), vec![], None),
            sub("consumer2", t.ids(&["topic1", "topic2"]), vec![], None),
            sub("consumer3", t.ids(&["topic1"]), vec![], None),
        ],
    );
    assert_eq!(a["consumer1"], [t.tp("topic1", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 1)]);
    assert_eq!(a["consumer3"], [t.tp("topic1", 2)]);
}

#[test]
fn two_dynamic_consumers_two_topics_six_partitions() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let a = round_robin(&t, &[sub("consumer1", t.all(), vec![], None), sub("consumer2", t.all(), vec![], None)]);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0), t.tp("topic1", 2), t.tp("topic2", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 2)]);
}

/// `testTwoStaticConsumersTwoTopicsSixPartitions` and
/// `testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions`.
#[test]
fn static_consumers_two_topics_six_partitions() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let b = static_sub("consumer-b", "instance1", t.all());
    for a_member in [static_sub("consumer-a", "instance2", t.all()), sub("consumer-a", t.all(), vec![], None)] {
        let a = round_robin(&t, &[b.clone(), a_member]);
        assert_eq!(a["consumer-b"], [t.tp("topic1", 0), t.tp("topic1", 2), t.tp("topic2", 1)]);
        assert_eq!(a["consumer-a"], [t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 2)]);
    }
}

#[test]
fn static_member_round_robin_assignment_persistent() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let mut group = Group::default();
    for i in 1..=3 {
        group.put(static_sub(&format!("consumer{i}"), &format!("instance{i}"), t.all()));
    }
    group.put(sub("consumer4", t.all(), vec![], None));
    let mut expected: Assignment<Tp> = BTreeMap::new();
    expected.insert("consumer1".into(), vec![t.tp("topic1", 0), t.tp("topic2", 1)]);
    expected.insert("consumer2".into(), vec![t.tp("topic1", 1), t.tp("topic2", 2)]);
    expected.insert("consumer3".into(), vec![t.tp("topic1", 2)]);
    expected.insert("consumer4".into(), vec![t.tp("topic2", 0)]);
    assert_eq!(expected, round_robin(&t, &group.0));
    group.remove("consumer4");
    group.put(sub("consumer5", t.all(), vec![], None));
    expected.remove("consumer4");
    expected.insert("consumer5".into(), vec![t.tp("topic2", 0)]);
    assert_eq!(expected, round_robin(&t, &group.0));
}

#[test]
fn static_member_round_robin_assignment_persistent_after_member_id_changes() {
    let t = Topics::new(&[("topic1", 5), ("topic2", 5)]);
    let mut group = Group::default();
    for i in 1..=3 {
        group.put(static_sub(&format!("consumer{i}"), &format!("instance{i}"), t.all()));
    }
    let parts = |list: &[(&str, u32)]| list.iter().map(|&(n, p)| t.tp(n, p)).collect::<Vec<_>>();
    let expected: BTreeMap<String, Vec<Tp>> = [
        ("instance1", parts(&[("topic1", 0), ("topic1", 3), ("topic2", 1), ("topic2", 4)])),
        ("instance2", parts(&[("topic1", 1), ("topic1", 4), ("topic2", 2)])),
        ("instance3", parts(&[("topic1", 2), ("topic2", 0), ("topic2", 3)])),
    ]
    .into_iter()
    .map(|(i, tps)| (i.to_string(), tps))
    .collect();
    let before = by_instance(&round_robin(&t, &group.0), &group);
    assert_eq!(expected, before);
    new_member_ids(&mut group);
    assert_eq!(before, by_instance(&round_robin(&t, &group.0), &group));
}
