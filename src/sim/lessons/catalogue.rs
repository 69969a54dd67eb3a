//! The lessons, embedded from `lessons/*.json` so the page and the command line carry the same
//! catalogue. The tidy test checks that every file there is listed here.

use super::lesson::Lesson;

/// Each lesson's file name (its id) and text.
pub const FILES: &[(&str, &str)] = &[
    ("three-groups-one-crash", include_str!("../../../lessons/three-groups-one-crash.json")),
    ("replay-the-history", include_str!("../../../lessons/replay-the-history.json")),
    ("grow-the-topic", include_str!("../../../lessons/grow-the-topic.json")),
    ("one-busy-partition", include_str!("../../../lessons/one-busy-partition.json")),
    ("wildcards-need-a-topic", include_str!("../../../lessons/wildcards-need-a-topic.json")),
    ("acks-one-loses-writes", include_str!("../../../lessons/acks-one-loses-writes.json")),
    ("charged-twice-no-crash", include_str!("../../../lessons/charged-twice-no-crash.json")),
    ("duplicate-charge", include_str!("../../../lessons/duplicate-charge.json")),
    ("lose-a-message", include_str!("../../../lessons/lose-a-message.json")),
    ("mark-with-the-charge", include_str!("../../../lessons/mark-with-the-charge.json")),
    ("the-gap-before-the-mark", include_str!("../../../lessons/the-gap-before-the-mark.json")),
    ("spread-the-retries", include_str!("../../../lessons/spread-the-retries.json")),
    ("poison-pill-stall", include_str!("../../../lessons/poison-pill-stall.json")),
    ("redrive-after-the-fix", include_str!("../../../lessons/redrive-after-the-fix.json")),
    ("why-dead-lettered", include_str!("../../../lessons/why-dead-lettered.json")),
    ("breaker-that-never-trips", include_str!("../../../lessons/breaker-that-never-trips.json")),
    ("fail-fast-burns-retries", include_str!("../../../lessons/fail-fast-burns-retries.json")),
    ("lag-three-suspects", include_str!("../../../lessons/lag-three-suspects.json")),
    ("quiet-failure-alerts", include_str!("../../../lessons/quiet-failure-alerts.json")),
    ("overdraw-with-stale-reads", include_str!("../../../lessons/overdraw-with-stale-reads.json")),
    ("rebuild-the-balance-view", include_str!("../../../lessons/rebuild-the-balance-view.json")),
    ("catalogue-counts-twice", include_str!("../../../lessons/catalogue-counts-twice.json")),
    ("scale-the-read-side", include_str!("../../../lessons/scale-the-read-side.json")),
    ("refuse-the-breaking-schema", include_str!("../../../lessons/refuse-the-breaking-schema.json")),
];

/// Every lesson, in catalogue order, or the first file that does not parse (named, with serde's
/// message: the field and the line).
pub fn all() -> Result<Vec<Lesson>, String> {
    FILES
        .iter()
        .map(|(id, text)| serde_json::from_str::<Lesson>(text).map_err(|e| format!("lessons/{id}.json: {e}")))
        .collect()
}

/// The lesson `id`, if there is one.
pub fn find(id: &str) -> Option<Lesson> {
    let (_, text) = FILES.iter().find(|(f, _)| *f == id)?;
    serde_json::from_str(text).ok()
}
