//! `AbstractStickyAssignorTest` as `CooperativeStickyAssignorTest` runs it (first part): the
//! assignment is the cooperative one, and `verify` runs the follow-up rebalances before the
//! assertions that come after it, as the Java test's overridden `verifyValidityAndBalance` does.

use super::*;

/// `subscription(topics, i)`: no owned partitions, no generation.
pub fn fresh(id: &str, topics: Vec<u32>) -> Subscription {
    sub(id, topics, vec![], None)
}

/// `buildSubscriptionV2Above(topics, owned, generation, i)`.
pub fn v2(id: &str, topics: Vec<u32>, owned: Vec<Tp>, generation: i32) -> Subscription {
    sub(id, topics, owned, Some(generation))
}

pub const GENERATION: i32 = 1;

#[test]
fn one_consumer_no_topic() {
    let t = Topics::new(&[]);
    let mut group = Group(vec![fresh("consumer", vec![])]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn one_consumer_nonexistent_topic() {
    let t = Topics::new(&[("topic", 0)]);
    let mut group = Group(vec![fresh("consumer", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn one_consumer_one_topic() {
    let t = Topics::new(&[("topic", 3)]);
    let mut group = Group(vec![fresh("consumer", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer"], [t.tp("topic", 0), t.tp("topic", 1), t.tp("topic", 2)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

/// Kafka's test leaves `other` out of the topics; here it exists, unsubscribed: the leader only
/// assigns subscribed topics, and owned partitions of other topics are ignored.
#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    let t = Topics::new(&[("topic", 2), ("other", 2)]);
    let owned = vec![t.tp("topic", 0), t.tp("topic", 1), t.tp("other", 0), t.tp("other", 1)];
    let mut group = Group(vec![v2("consumer", t.ids(&["topic"]), owned, GENERATION)]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer"], [t.tp("topic", 0), t.tp("topic", 1)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn one_consumer_multiple_topics() {
    let t = Topics::new(&[("topic1", 1), ("topic2", 2)]);
    let mut group = Group(vec![fresh("consumer", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer"], [t.tp("topic1", 0), t.tp("topic2", 0), t.tp("topic2", 1)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn two_consumers_one_topic_one_partition() {
    let t = Topics::new(&[("topic", 1)]);
    let mut group = Group(vec![fresh("consumer1", t.all()), fresh("consumer2", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn two_consumers_one_topic_two_partitions() {
    let t = Topics::new(&[("topic", 2)]);
    let mut group = Group(vec![fresh("consumer1", t.all()), fresh("consumer2", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic", 1)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn two_consumers_two_topics_six_partitions() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 3)]);
    let mut group = Group(vec![fresh("consumer1", t.all()), fresh("consumer2", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0), t.tp("topic1", 2), t.tp("topic2", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 0), t.tp("topic2", 2)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn consumer_owning_min_quota_expected_max_quota() {
    let t = Topics::new(&[("topic1", 2), ("topic2", 3)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic1", 0), t.tp("topic2", 1)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic1", 1), t.tp("topic2", 2)], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0), t.tp("topic2", 1), t.tp("topic2", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 2)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

/// Kafka visits the members in its `HashMap`'s order (consumer2 before consumer1): consumer2 keeps
/// its two partitions, consumer1 gives one up.
#[test]
fn max_quota_consumer_more_than_num_expected_max_capacity_members() {
    let t = Topics::new(&[("topic1", 2), ("topic2", 2)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic1", 0), t.tp("topic2", 0)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic1", 1), t.tp("topic2", 1)], GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(transferring, transfers(&[(t.tp("topic2", 0), "consumer3")]));
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 1)]);
    assert_eq!(a["consumer3"], [t.tp("topic2", 0)]);
    assert!(is_fully_balanced(&a));
}

#[test]
fn all_consumers_are_under_min_quota() {
    let t = Topics::new(&[("topic1", 2), ("topic2", 3)]);
    let mut group = Group::default();
    group.put(v2("consumer1", t.all(), vec![t.tp("topic1", 0)], GENERATION));
    group.put(v2("consumer2", t.all(), vec![t.tp("topic1", 1)], GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!(a["consumer1"], [t.tp("topic1", 0), t.tp("topic2", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic1", 1), t.tp("topic2", 2)]);
    assert_eq!(a["consumer3"], [t.tp("topic2", 0)]);
    assert!(is_fully_balanced(&a));
}

#[test]
fn add_remove_consumer_one_topic() {
    let t = Topics::new(&[("topic", 3)]);
    let mut group = Group(vec![fresh("consumer1", t.all())]);
    let (mut a, _) = coop(&t, &group);
    assert_eq!(a["consumer1"], [t.tp("topic", 0), t.tp("topic", 1), t.tp("topic", 2)]);
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));

    group.put(v2("consumer1", t.all(), a["consumer1"].clone(), GENERATION));
    group.put(v2("consumer2", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(transferring, transfers(&[(t.tp("topic", 2), "consumer2")]));
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!(a["consumer1"], [t.tp("topic", 0), t.tp("topic", 1)]);
    assert_eq!(a["consumer2"], [t.tp("topic", 2)]);
    assert!(is_fully_balanced(&a));

    group.remove("consumer1");
    group.put(v2("consumer2", t.all(), a["consumer2"].clone(), GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(set(&a["consumer2"]), set(&[t.tp("topic", 2), t.tp("topic", 1), t.tp("topic", 0)]));
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

/// How many of each member's partitions belong to `topic`.
fn per_topic(a: &Assignment<Tp>, topic: u32) -> BTreeSet<usize> {
    a.values().map(|tps| tps.iter().filter(|tp| tp.0 == topic).count()).collect()
}

#[test]
fn topic_balance_after_reassignment() {
    let t = Topics::new(&[("topic1", 12), ("topic2", 12)]);
    let (t1, t2) = (t.id("topic1"), t.id("topic2"));
    let mut group = Group(vec![fresh("consumer1", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!((per_topic(&a, t1), per_topic(&a, t2)), ([12].into(), [12].into()));
    assert!(transferring.is_empty());
    assert!(is_fully_balanced(&a));

    group.put(v2("consumer1", t.all(), a["consumer1"].clone(), GENERATION));
    group.put(v2("consumer2", t.all(), vec![], GENERATION));
    let (mut a, _) = coop(&t, &group);
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!((per_topic(&a, t1), per_topic(&a, t2)), ([6].into(), [6].into()));
    assert!(is_fully_balanced(&a));

    for (i, c) in ["consumer1", "consumer2"].iter().enumerate() {
        group.put(v2(c, t.all(), a[*c].clone(), GENERATION));
        group.put(v2(&format!("consumer{}", i + 3), t.all(), vec![], GENERATION));
    }
    let (mut a, _) = coop(&t, &group);
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!((per_topic(&a, t1), per_topic(&a, t2)), ([3].into(), [3].into()));
    assert!(is_fully_balanced(&a));

    group.remove("consumer1");
    group.remove("consumer2");
    for c in ["consumer3", "consumer4"] {
        group.put(v2(c, t.all(), a[c].clone(), GENERATION));
    }
    let (mut a, transferring) = coop(&t, &group);
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!((per_topic(&a, t1), per_topic(&a, t2)), ([6].into(), [6].into()));
    assert!(transferring.is_empty());
    assert!(is_fully_balanced(&a));
}

#[test]
fn add_remove_two_consumers_two_topics() {
    let t = Topics::new(&[("topic1", 3), ("topic2", 4)]);
    let tp = |n: &str, p: u32| t.tp(n, p);
    let mut group = Group(vec![fresh("consumer1", t.all()), fresh("consumer2", t.all())]);
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1), tp("topic2", 3)]);
    assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));

    group.put(v2("consumer1", t.all(), a["consumer1"].clone(), GENERATION));
    group.put(v2("consumer2", t.all(), a["consumer2"].clone(), GENERATION));
    group.put(v2("consumer3", t.all(), vec![], GENERATION));
    group.put(v2("consumer4", t.all(), vec![], GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    let expected =
        transfers(&[(tp("topic1", 2), "consumer3"), (tp("topic2", 3), "consumer3"), (tp("topic2", 2), "consumer4")]);
    assert_eq!(transferring, expected);
    verify_cooperative(&t, &mut group, &mut a);
    assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic2", 1)]);
    assert_eq!(a["consumer2"], [tp("topic2", 0), tp("topic1", 1)]);
    assert_eq!(a["consumer3"], [tp("topic1", 2), tp("topic2", 3)]);
    assert_eq!(a["consumer4"], [tp("topic2", 2)]);
    assert!(is_fully_balanced(&a));

    group.remove("consumer1");
    group.remove("consumer2");
    group.put(v2("consumer3", t.all(), a["consumer3"].clone(), GENERATION));
    group.put(v2("consumer4", t.all(), a["consumer4"].clone(), GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert_eq!(a["consumer3"], [tp("topic1", 2), tp("topic2", 3), tp("topic1", 0), tp("topic2", 1)]);
    assert_eq!(a["consumer4"], [tp("topic2", 2), tp("topic1", 1), tp("topic2", 0)]);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
}

#[test]
fn add_remove_topic_two_consumers() {
    let t = Topics::new(&[("topic", 3), ("topic2", 3)]);
    // The first round only has `topic`; `topic2` has no partitions yet.
    let only = Topics::new(&[("topic", 3), ("topic2", 0)]);
    let topic = t.ids(&["topic"]);
    let mut group = Group(vec![fresh("consumer1", topic.clone()), fresh("consumer2", topic.clone())]);
    let (mut a, transferring) = coop(&only, &group);
    assert!(transferring.is_empty());
    assert!(is_fully_balanced(&a));
    verify_cooperative(&only, &mut group, &mut a);
    let (c1, c2) = (a["consumer1"].clone(), a["consumer2"].clone());
    assert!((c1.len(), c2.len()) == (1, 2) || (c1.len(), c2.len()) == (2, 1));

    group.put(v2("consumer1", t.all(), c1.clone(), GENERATION));
    group.put(v2("consumer2", t.all(), c2.clone(), GENERATION));
    let (mut a, transferring) = coop(&t, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&t, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
    let (d1, d2) = (a["consumer1"].clone(), a["consumer2"].clone());
    assert!(d1.len() == 3 && d2.len() == 3);
    assert!(set(&d1).is_superset(&set(&c1)) && set(&d2).is_superset(&set(&c2)));

    // `topic` is deleted.
    let gone = Topics::new(&[("topic", 0), ("topic2", 3)]);
    group.put(v2("consumer1", t.ids(&["topic2"]), d1.clone(), GENERATION));
    group.put(v2("consumer2", t.ids(&["topic2"]), d2.clone(), GENERATION));
    let (mut a, transferring) = coop(&gone, &group);
    assert!(transferring.is_empty());
    verify_cooperative(&gone, &mut group, &mut a);
    assert!(is_fully_balanced(&a));
    let (e1, e2) = (a["consumer1"].clone(), a["consumer2"].clone());
    assert!((e1.len(), e2.len()) == (1, 2) || (e1.len(), e2.len()) == (2, 1));
    assert!(set(&d1).is_superset(&set(&e1)) && set(&d2).is_superset(&set(&e2)));
}
