//! Dead-lettering as RabbitMQ 3.10 records it: the `x-death` header, one entry per (queue,
//! reason), newest first. A message dead-lettered again from the same queue for the same reason
//! has that entry's count raised and moved to the front; its exchange and routing keys stay those
//! of the first time. A message that would come back to a queue it was dead-lettered from, with
//! no rejection anywhere on the way (a fully automatic cycle, such as a queue whose expired
//! messages go back into it), is dropped instead; a cycle with a rejection in it is allowed.

use serde::Serialize;

/// Why a message was dead-lettered (the x-death `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeathReason {
    /// Rejected or nacked without requeue.
    Rejected,
    /// Its TTL (the queue's or its own) ran out.
    Expired,
    /// A length limit pushed it out (drop-head) or refused it (reject-publish-dlx).
    Maxlen,
    /// A quorum queue's delivery limit was reached.
    DeliveryLimit,
}

impl DeathReason {
    pub fn slug(self) -> &'static str {
        match self {
            DeathReason::Rejected => "rejected",
            DeathReason::Expired => "expired",
            DeathReason::Maxlen => "maxlen",
            DeathReason::DeliveryLimit => "delivery_limit",
        }
    }
}

/// One entry of the x-death header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct XDeath {
    pub queue: String,
    pub reason: DeathReason,
    pub count: u64,
    /// The exchange the message had been published to when it first died here.
    pub exchange: String,
    /// Its routing keys then.
    pub routing_keys: Vec<String>,
}

/// Records one more death in `deaths` (newest first).
pub fn record_death(deaths: &mut Vec<XDeath>, queue: &str, reason: DeathReason, exchange: &str, keys: &[String]) {
    match deaths.iter().position(|d| d.queue == queue && d.reason == reason) {
        Some(i) => {
            let mut d = deaths.remove(i);
            d.count += 1;
            deaths.insert(0, d);
        }
        None => deaths.insert(
            0,
            XDeath {
                queue: queue.to_string(),
                reason,
                count: 1,
                exchange: exchange.to_string(),
                routing_keys: keys.to_vec(),
            },
        ),
    }
}

/// Whether delivering a message with these deaths (the newest already recorded) to `queue` closes
/// a fully automatic cycle: it died in `queue` before, and no death since then, that one
/// included, was a rejection. A rejection now never counts as a cycle.
pub fn is_cycle(deaths: &[XDeath], queue: &str, reason: DeathReason) -> bool {
    if reason == DeathReason::Rejected {
        return false;
    }
    match deaths.iter().position(|d| d.queue == queue) {
        None => false,
        Some(i) => deaths[..=i].iter().all(|d| d.reason != DeathReason::Rejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_death_in_the_same_queue_for_the_same_reason_counts_up_and_moves_first() {
        let mut d = Vec::new();
        record_death(&mut d, "q1", DeathReason::Rejected, "x", &["k".into()]);
        record_death(&mut d, "q2", DeathReason::Expired, "dlx", &["k2".into()]);
        record_death(&mut d, "q1", DeathReason::Rejected, "other", &["z".into()]);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].queue.as_str(), d[0].count, d[0].exchange.as_str()), ("q1", 2, "x"));
        assert_eq!(d[1].queue, "q2");
    }

    #[test]
    fn automatic_cycles_are_caught_and_rejections_break_them() {
        let mut d = Vec::new();
        record_death(&mut d, "q", DeathReason::Expired, "", &[]);
        assert!(is_cycle(&d, "q", DeathReason::Expired));
        assert!(!is_cycle(&d, "other", DeathReason::Expired));
        record_death(&mut d, "r", DeathReason::Rejected, "", &[]);
        assert!(!is_cycle(&d, "q", DeathReason::Expired), "a rejection on the way");
        assert!(!is_cycle(&d, "r", DeathReason::Rejected));
    }
}
