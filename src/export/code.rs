//! The line writer of the export: code and comments at an indentation, each line numbered, and
//! for every line a setting decides, a [`Used`] naming the setting, its line and its value in
//! words. Numbering as the text is written keeps the links right whatever the targets emit.

use super::{Export, Used};
use crate::sim::config::scenario::Scenario;
use crate::sim::config::settings;

/// Comments are wrapped to this many characters, indentation included.
const WIDTH: usize = 100;

pub(crate) struct Code<'a> {
    s: &'a Scenario,
    text: String,
    /// Lines written so far: the next line's number is this plus one.
    lines: usize,
    used: Vec<Used>,
    /// The comment marker: `#` or `//`.
    marker: &'static str,
    /// The indentation unit: four spaces in both languages.
    indent: usize,
}

impl<'a> Code<'a> {
    /// A writer for `s`'s code, commenting with `marker`.
    pub fn new(s: &'a Scenario, marker: &'static str) -> Code<'a> {
        Code { s, text: String::new(), lines: 0, used: Vec::new(), marker, indent: 0 }
    }

    /// One line of code at the current indentation (an empty `text` writes a blank line).
    pub fn line(&mut self, text: &str) {
        if !text.is_empty() {
            self.text.extend(std::iter::repeat_n(' ', self.indent * 4));
        }
        self.text.push_str(text);
        self.text.push('\n');
        self.lines += 1;
    }

    /// Several lines, each at the current indentation plus its own (a leading newline is
    /// skipped, so a block can start on the line after its opening quote).
    pub fn block(&mut self, text: &str) {
        for l in text.strip_prefix('\n').unwrap_or(text).trim_end().lines() {
            self.line(l);
        }
    }

    /// A comment, wrapped at word boundaries.
    pub fn comment(&mut self, text: &str) {
        let room = WIDTH.saturating_sub(self.indent * 4 + self.marker.len() + 1).max(40);
        let mut current = String::new();
        for word in text.split_whitespace() {
            if !current.is_empty() && current.len() + 1 + word.len() > room {
                self.line(&format!("{} {current}", self.marker));
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            self.line(&format!("{} {current}", self.marker));
        }
    }

    /// A line that setting `path` decided, after a comment that names the setting's value and
    /// says why (`why` may be empty): the setting is recorded at the code line.
    pub fn set(&mut self, path: &'static str, why: &str, code: &str) {
        let said = self.describe(path);
        self.comment(&if why.is_empty() { format!("{path}: {said}.") } else { format!("{path}: {said}: {why}") });
        self.record(path, said);
        self.line(code);
    }

    /// A comment about setting `path` with no code of its own (what the library lacks, or what
    /// the setting changes elsewhere): the setting is recorded at the comment's first line.
    pub fn note(&mut self, path: &'static str, why: &str) {
        let said = self.describe(path);
        self.record(path, said.clone());
        self.comment(&format!("{path}: {said}: {why}"));
    }

    /// Records that the next line written comes from setting `path`, without a comment (the
    /// comment of the line just before, which the same setting decided, says why).
    pub fn mark(&mut self, path: &'static str) {
        let said = self.describe(path);
        self.record(path, said);
    }

    /// [`Code::set`] for the head of a block (a class, a function): indents what follows.
    pub fn set_open(&mut self, path: &'static str, why: &str, head: &str) {
        self.set(path, why, head);
        self.indent += 1;
    }

    /// Opens a block: writes `head` and indents what follows.
    pub fn open(&mut self, head: &str) {
        self.line(head);
        self.indent += 1;
    }

    /// Closes a block: unindents, then writes `tail` if it is not empty.
    pub fn close(&mut self, tail: &str) {
        self.indent = self.indent.saturating_sub(1);
        if !tail.is_empty() {
            self.line(tail);
        }
    }

    /// The code and the settings used, in line order.
    pub fn finish(self) -> Export {
        Export { code: self.text, settings: self.used }
    }

    fn record(&mut self, path: &'static str, what: String) {
        self.used.push(Used { path, line: self.lines + 1, what });
    }

    /// The setting's value in words, as the settings panel says it (`Acks all (in-sync replicas)`).
    fn describe(&self, path: &'static str) -> String {
        let Some(setting) = settings::find(path) else {
            debug_assert!(false, "{path} is not a setting");
            return path.to_string();
        };
        let value = self.s.setting(setting).unwrap_or(serde_json::Value::Null);
        setting.describe(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_settings_recorded_at_their_line() {
        let s = Scenario::default();
        let mut c = Code::new(&s, "#");
        c.line("import time");
        c.set("producer.acks", "every in-sync replica has it.", "acks = 'all'");
        c.open("def f():");
        c.line("return 1");
        c.close("");
        let e = c.finish();
        let acks = &e.settings[0];
        assert_eq!(acks.path, "producer.acks");
        assert_eq!(e.code.lines().nth(acks.line - 1), Some("acks = 'all'"));
        assert_eq!(acks.what, "Acks all (in-sync replicas)");
        assert!(e.code.contains("def f():\n    return 1\n"));
    }

    #[test]
    fn comments_wrap_within_the_width() {
        let s = Scenario::default();
        let mut c = Code::new(&s, "//");
        c.comment(&"word ".repeat(60));
        let e = c.finish();
        assert!(e.code.lines().count() > 2);
        assert!(e.code.lines().all(|l| l.len() <= WIDTH && l.starts_with("// ")));
    }
}
