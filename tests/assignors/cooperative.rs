//! The one-topic API, the cooperative protocol's two rounds, and the Java orders.

use eda_lab::sim::broker::log::assignor::{
    cooperative_plan, java_hash, java_hash_order, revoked, Assignment, Assignor, MemberSubscription,
};

fn member(id: &str, owned: &[u32], generation: Option<i32>) -> MemberSubscription {
    MemberSubscription { id: id.to_string(), instance_id: None, owned: owned.to_vec(), generation }
}

fn assignment(list: &[(&str, &[u32])]) -> Assignment<u32> {
    list.iter().map(|&(m, ps)| (m.to_string(), ps.to_vec())).collect()
}

#[test]
fn java_string_hash_codes() {
    assert_eq!(java_hash(""), 0);
    assert_eq!(java_hash("a"), 97);
    assert_eq!(java_hash("consumer1"), 3_873_962_747u32 as i32);
    // A character outside the BMP hashes as its two UTF-16 code units.
    assert_eq!(java_hash("\u{1F600}"), 0xD83D * 31 + 0xDE00);
}

#[test]
fn java_hash_map_order() {
    // Buckets 12, 11, 10 and 9 of 16.
    let ids = ["consumer1", "consumer2", "consumer3", "consumer4"];
    assert_eq!(java_hash_order(ids.into_iter()), [3, 2, 1, 0]);
    // 13 keys need 32 buckets.
    let many: Vec<String> = (0..13).map(|i| format!("c{i:02}")).collect();
    let order = java_hash_order(many.iter().map(String::as_str));
    let bucket = |s: &str| {
        let h = java_hash(s) as u32;
        (h ^ (h >> 16)) & 31
    };
    assert!(order.windows(2).all(|w| bucket(&many[w[0]]) <= bucket(&many[w[1]])));
}

/// Member ids order as strings: `consumer-10` comes before `consumer-2`.
#[test]
fn one_topic_range_and_round_robin() {
    let members: Vec<MemberSubscription> =
        ["consumer-2", "consumer-10", "consumer-1"].iter().map(|id| member(id, &[], None)).collect();
    let expected = assignment(&[("consumer-1", &[0, 1]), ("consumer-10", &[2, 3]), ("consumer-2", &[4])]);
    assert_eq!(Assignor::Range.assign(5, &members), expected);
    let expected = assignment(&[("consumer-1", &[0, 3]), ("consumer-10", &[1, 4]), ("consumer-2", &[2])]);
    assert_eq!(Assignor::RoundRobin.assign(5, &members), expected);
    assert_eq!(
        Assignor::Range.assign(0, &members),
        assignment(&[("consumer-1", &[]), ("consumer-10", &[]), ("consumer-2", &[])])
    );
    assert!(Assignor::Range.assign(3, &[]).is_empty());
}

/// A consumer joins a group of two under the cooperative sticky assignor: the first round only
/// revokes, the second hands the revoked partitions over.
#[test]
fn one_topic_cooperative_sticky_takes_two_rounds() {
    let members = [member("consumer-0", &[0, 1, 2], Some(3)), member("consumer-1", &[3, 4, 5], Some(3))];
    let first = Assignor::CooperativeSticky.assign(6, &members);
    assert_eq!(first, assignment(&[("consumer-0", &[0, 1, 2]), ("consumer-1", &[3, 4, 5])]));
    let mut members = members.to_vec();
    members.push(member("consumer-2", &[], None));
    let first = Assignor::CooperativeSticky.assign(6, &members);
    assert_eq!(first, assignment(&[("consumer-0", &[0, 1]), ("consumer-1", &[3, 4]), ("consumer-2", &[])]));
    assert_eq!(revoked(&members[0].owned, &first["consumer-0"]), [2]);
    for m in &mut members {
        m.owned = first[&m.id].clone();
        m.generation = Some(4);
    }
    let second = Assignor::CooperativeSticky.assign(6, &members);
    assert_eq!(second, assignment(&[("consumer-0", &[0, 1]), ("consumer-1", &[3, 4]), ("consumer-2", &[2, 5])]));
    assert!(members.iter().all(|m| revoked(&m.owned, &second[&m.id]).is_empty()));
}

#[test]
fn revoked_is_owned_minus_assigned_in_order() {
    assert_eq!(revoked(&[5, 1, 3], &[3]), [1, 5]);
    assert!(revoked(&[1], &[1, 2]).is_empty());
}

#[test]
fn cooperative_plan_withholds_moving_partitions() {
    let owned = assignment(&[("a", &[0, 1, 2, 3])]);
    let target = Assignor::Range.assign(4, &[member("a", &[], None), member("b", &[], None)]);
    let (first, again) = cooperative_plan(&owned, &target);
    assert_eq!(first, assignment(&[("a", &[0, 1]), ("b", &[])]));
    assert!(again);
    let (second, again) = cooperative_plan(&first, &target);
    assert_eq!(second, target);
    assert!(!again);
}

/// Partitions of a member that left move at once; a dropped partition still needs a rejoin.
#[test]
fn cooperative_plan_moves_departed_members_partitions_at_once() {
    let owned = assignment(&[("a", &[0]), ("gone", &[1])]);
    let target = assignment(&[("a", &[0]), ("b", &[1])]);
    assert_eq!(cooperative_plan(&owned, &target), (target.clone(), false));
    let shrunk = assignment(&[("a", &[]), ("b", &[1])]);
    assert_eq!(cooperative_plan(&owned, &shrunk), (shrunk.clone(), true));
}

#[test]
fn assignor_names() {
    let all = [Assignor::Range, Assignor::RoundRobin, Assignor::CooperativeSticky];
    let json: Vec<String> = all.iter().map(|a| serde_json::to_string(a).unwrap()).collect();
    assert_eq!(json, ["\"range\"", "\"round_robin\"", "\"cooperative_sticky\""]);
    assert_eq!(serde_json::from_str::<Assignor>("\"cooperative_sticky\"").unwrap(), Assignor::CooperativeSticky);
    let kafka: Vec<&str> = all.iter().map(|a| a.kafka_name()).collect();
    assert_eq!(kafka, ["range", "roundrobin", "cooperative-sticky"]);
    assert_eq!(all.map(Assignor::cooperative), [false, false, true]);
    assert_eq!(Assignor::default(), Assignor::Range);
}
