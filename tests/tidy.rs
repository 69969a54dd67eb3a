//! Tidy checks (rust-analyzer's habit): the architecture invariants of ARCHITECTURE.md, enforced as
//! an ordinary test. Each check reads the source tree; a failure names the file and the line.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MAX_FN_LINES: usize = 70;
const MAX_FILE_LINES: usize = 600;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A source file's non-test code, line by line, with `//` comments removed.
struct Source {
    /// Path relative to src/sim, without `.rs` (`client/pipeline`, `ledger/mod`).
    name: String,
    lines: Vec<String>,
}

fn sim_sources() -> Vec<Source> {
    let sim = root().join("src/sim");
    rust_files(&sim)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use anything; they sit at the end of a file behind #[cfg(test)].
            let code = text.split("\n#[cfg(test)]").next().unwrap();
            let lines = code.lines().map(|l| l.split("//").next().unwrap().to_string()).collect();
            let name = path.strip_prefix(&sim).unwrap().with_extension("").to_string_lossy().replace('\\', "/");
            Source { name, lines }
        })
        .collect()
}

/// The `crate::sim::...` paths a file mentions (its imports and qualified uses).
fn sim_paths(src: &Source) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in src.lines.iter().enumerate() {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("crate::sim::") {
            let tail = &rest[at + "crate::sim::".len()..];
            let end = tail.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(tail.len());
            out.push((i + 1, tail[..end].trim_end_matches(':').to_string()));
            rest = &tail[end..];
        }
    }
    out
}

/// The file (module) a `crate::sim::` path lands in: the longest prefix that is a module file.
fn module_of(path: &str, modules: &BTreeMap<String, ()>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    for n in (1..=parts.len()).rev() {
        let p = parts[..n].join("/");
        for candidate in [p.clone(), format!("{p}/mod")] {
            if modules.contains_key(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

#[test]
fn the_engine_is_pure() {
    let banned = [
        "yew::",
        "web_sys",
        "gloo",
        "js_sys",
        "wasm_bindgen",
        "Instant",
        "SystemTime",
        "thread_rng",
        "rand::rng(",
        "SmallRng",
        "StdRng",
        "HashMap",
        "HashSet",
    ];
    let mut found = Vec::new();
    for src in sim_sources() {
        for (i, line) in src.lines.iter().enumerate() {
            for b in banned {
                if line.contains(b) {
                    found.push(format!("src/sim/{}.rs:{}: {b}", src.name, i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "src/sim must stay pure and deterministic:\n{}", found.join("\n"));
}

/// `(layer, what it may import)`: a file whose name starts with the layer may only name
/// `crate::sim::` paths starting with one of the allowed prefixes.
const LAYERS: &[(&str, &[&str])] = &[
    // The kernel knows nothing of messages, brokers or clients.
    ("kernel/", &["kernel"]),
    // The ids (message, consumer, partition) depend on nothing; every layer may name them.
    ("ids", &[]),
    // The ledger knows no broker and no client.
    ("ledger/", &["ids", "kernel", "ledger"]),
    // The typed errors depend on nothing but the ids (and the kernel's number formatting).
    ("errors", &["ids", "kernel::numfmt"]),
    // The settings' description knows its limits, nothing of the scenario type or the engine.
    ("config/settings", &["config::limits", "kernel::numfmt"]),
    ("config/limits", &[]),
    ("config/choices", &[]),
    // The pipeline and its consumers reach brokers only through the delivery seam.
    (
        "client/pipeline",
        &["broker::delivery", "client", "config", "ctx", "downstream", "event", "ids", "kernel", "patterns", "policy"],
    ),
    ("client/membership", &["broker::delivery", "client", "config", "ctx", "event", "ids", "kernel", "ledger"]),
    ("client/dead_letter", &["broker::delivery", "client", "ctx", "event", "ids", "patterns::dlq"]),
    ("client/failures", &["ids", "kernel"]),
    ("client/consumer", &["broker::delivery", "config::choices", "downstream", "ids", "kernel::time"]),
    // The downstream service knows no client and no broker.
    ("downstream/", &["config::downstream", "ids", "kernel"]),
    // Brokers know no client.
    ("broker/", &["broker", "config", "ctx", "event", "ids", "kernel", "ledger"]),
];

#[test]
fn layers_import_only_what_they_may() {
    let mut found = Vec::new();
    for src in sim_sources() {
        for (layer, allowed) in LAYERS {
            if !src.name.starts_with(layer) {
                continue;
            }
            for (line, path) in sim_paths(&src) {
                if !allowed.iter().any(|a| path == *a || path.starts_with(&format!("{a}::"))) {
                    found.push(format!("src/sim/{}.rs:{line}: {layer} may not use crate::sim::{path}", src.name));
                }
            }
        }
    }
    assert!(found.is_empty(), "architecture invariants broken:\n{}", found.join("\n"));
}

#[test]
fn the_pipeline_knows_no_partition_or_offset() {
    let mut found = Vec::new();
    for src in sim_sources().iter().filter(|s| {
        ["client/pipeline", "client/membership", "client/consumer", "client/dead_letter", "client/failures"]
            .contains(&s.name.as_str())
    }) {
        for (i, line) in src.lines.iter().enumerate() {
            let l = line.to_lowercase();
            if l.contains("partition") || l.contains("offset") {
                found.push(format!("src/sim/{}.rs:{}: {}", src.name, i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "the consumer pipeline must stay broker-agnostic:\n{}", found.join("\n"));
}

#[test]
fn no_import_cycles_between_engine_files() {
    let sources = sim_sources();
    let modules: BTreeMap<String, ()> = sources.iter().map(|s| (s.name.clone(), ())).collect();
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for src in &sources {
        let mut to: Vec<String> = sim_paths(src)
            .into_iter()
            .filter_map(|(_, p)| module_of(&p, &modules))
            .filter(|m| *m != src.name)
            .collect();
        to.sort();
        to.dedup();
        edges.insert(src.name.clone(), to);
    }
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|s| s == m).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n.as_str()) {
            if let Some(cycle) = visit(n, &edges, &mut state, &mut Vec::new()) {
                panic!("import cycle between engine files: {}", cycle.join(" -> "));
            }
        }
    }
}

#[test]
fn engine_functions_stay_short() {
    let mut found = Vec::new();
    for src in sim_sources() {
        let mut open: Option<(usize, String, usize)> = None; // (start line, name, indent)
        for (i, line) in src.lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if open.is_none() {
                let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "const fn ", "pub const fn "]
                    .iter()
                    .any(|p| trimmed.starts_with(p))
                    || trimmed.starts_with("pub(in ");
                if is_fn && trimmed.contains("fn ") && !trimmed.trim_end().ends_with(';') {
                    let name = trimmed.split("fn ").nth(1).unwrap().split(['(', '<']).next().unwrap().to_string();
                    open = Some((i, name, indent));
                }
            } else if let Some((start, name, ind)) = &open {
                if indent == *ind && trimmed.starts_with('}') {
                    let n = i - start + 1;
                    if n > MAX_FN_LINES {
                        found.push(format!("src/sim/{}.rs:{}: fn {name} has {n} lines", src.name, start + 1));
                    }
                    open = None;
                }
            }
        }
    }
    assert!(found.is_empty(), "functions over {MAX_FN_LINES} lines:\n{}", found.join("\n"));
}

#[test]
fn source_files_stay_small() {
    let mut found = Vec::new();
    for path in rust_files(&root().join("src")).into_iter().chain(rust_files(&root().join("tests"))) {
        let n = std::fs::read_to_string(&path).unwrap().lines().count();
        if n > MAX_FILE_LINES {
            found.push(format!("{}: {n} lines", path.strip_prefix(root()).unwrap().display()));
        }
    }
    assert!(found.is_empty(), "files over {MAX_FILE_LINES} lines:\n{}", found.join("\n"));
}

#[test]
fn architecture_md_states_the_invariants_it_enforces() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    for needle in [
        "Architecture Invariant:",
        "knows no broker",
        "knows nothing of partitions or offsets",
        "70 lines",
        "600 lines",
        "import cycle",
    ] {
        assert!(doc.contains(needle), "ARCHITECTURE.md does not state `{needle}`");
    }
}
