//! Topic matching exactly as RabbitMQ's topic exchange (`rabbit_db_topic_exchange`): a routing
//! key and a binding key are split into words at every `.`, keeping empty words (`a..b` is
//! `a`, ``, `b`; `.` is two empty words), except that the empty key has no words at all. In the
//! binding key `*` matches exactly one word (an empty one too) and `#` zero or more words.
//!
//! RabbitMQ walks a trie of binding words; for one binding that is the same as this matcher: a
//! table over (binding word, key word) positions, so a pattern with many `#`s costs
//! O(pattern × key) rather than the backtracking's exponential time.

/// The words of a routing or binding key, as RabbitMQ splits them.
pub fn words(key: &str) -> Vec<&str> {
    if key.is_empty() {
        Vec::new()
    } else {
        key.split('.').collect()
    }
}

/// Whether the binding key `pattern` matches the routing key `key`.
pub fn topic_matches(pattern: &str, key: &str) -> bool {
    matches_words(&words(pattern), &words(key))
}

/// Whether the binding words match the key words.
pub fn matches_words(pattern: &[&str], key: &[&str]) -> bool {
    *reach_rows(pattern, key).last().and_then(|row| row.last()).expect("a row of at least one cell")
}

/// The match table row by row: `rows[i][j]` says whether the first `i` binding words can take
/// exactly the first `j` key words. The matcher reads its last cell; the routing explainer walks it
/// back to say which words each binding word took, or where they part.
pub fn reach_rows(pattern: &[&str], key: &[&str]) -> Vec<Vec<bool>> {
    let mut rows = Vec::with_capacity(pattern.len() + 1);
    let mut first = vec![false; key.len() + 1];
    first[0] = true;
    rows.push(first);
    for p in pattern {
        let reach = rows.last().expect("the first row");
        let mut next = vec![false; key.len() + 1];
        for j in 0..=key.len() {
            next[j] = match *p {
                // Zero words (stay at j), or one more word after a match at j - 1 under `#`.
                "#" => reach[j] || (j > 0 && next[j - 1]),
                "*" => j > 0 && reach[j - 1],
                word => j > 0 && reach[j - 1] && key[j - 1] == word,
            };
        }
        rows.push(next);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_empty_ones_but_the_empty_key_has_none() {
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("a..b"), vec!["a", "", "b"]);
        assert_eq!(words("."), vec!["", ""]);
        assert_eq!(words("a."), vec!["a", ""]);
    }

    #[test]
    fn stars_hashes_and_empty_words() {
        assert!(!topic_matches("*", ""), "the empty key has no word for * to take");
        assert!(topic_matches("*", "a"));
        assert!(topic_matches("a.*.b", "a..b"), "* takes an empty word");
        assert!(topic_matches("*.*", "."));
        assert!(topic_matches("#", ""));
        assert!(topic_matches("a.#", "a"));
        assert!(!topic_matches("a.#", "ab"));
        assert!(topic_matches("#.#.#.a", "x.y.a"));
        assert!(!topic_matches("a", "a."));
        assert!(topic_matches("", ""));
        assert!(!topic_matches("", "a"));
    }
}
