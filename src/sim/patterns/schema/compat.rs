//! Reader/writer compatibility, a line-by-line port of Java's
//! `org.apache.avro.SchemaCompatibility.ReaderWriterCompatibilityChecker`
//! (Avro 1.12). Every incompatibility is collected, as Java's
//! `getCompatibility` does, with Java's messages and JSON-pointer locations.
//!
//! Where the Python port (`avro.compatibility`) differs we follow Java:
//! * a writer union against a non-union reader: Java appends the branch
//!   index to the location (`/fields/0/type/0`); Python restarts at `/`;
//! * messages: Java prints `INT`, Python `int`; Java's missing-union-branch
//!   message has a colon (`lacking writer type: LONG`), Python's not; Java
//!   prints missing enum symbols as a sorted `[B, D]`, Python as a set;
//! * reader type aliases: Java qualifies them with the reader's namespace
//!   (alias `Old` of `ns.New` means `ns.Old`); Python compares them verbatim;
//! * a reader field whose name and aliases match several writer fields:
//!   Java throws `AvroRuntimeException`, which fails the whole check; we
//!   report [`IncompatibilityKind::AmbiguousWriterField`]. Python takes the
//!   direct name match.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use super::avro::{Field, Kind, Node, NodeId, Schema};

/// Why a reader cannot read a writer's data. The first six are Java's
/// `SchemaIncompatibilityType`; the last two are ours (see module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum IncompatibilityKind {
    NameMismatch,
    FixedSizeMismatch,
    MissingEnumSymbols,
    ReaderFieldMissingDefaultValue,
    TypeMismatch,
    MissingUnionBranch,
    /// A reader field matches several writer fields (Java throws).
    AmbiguousWriterField,
    /// The comparison nested deeper than [`MAX_CHECK_DEPTH`]; only
    /// adversarial recursive schemas get here. Reported as incompatible so
    /// that a registry never accepts what it could not verify.
    TooDeep,
}

impl IncompatibilityKind {
    /// Java's constant name, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NameMismatch => "NAME_MISMATCH",
            Self::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            Self::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            Self::ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
            Self::TypeMismatch => "TYPE_MISMATCH",
            Self::MissingUnionBranch => "MISSING_UNION_BRANCH",
            Self::AmbiguousWriterField => "AMBIGUOUS_WRITER_FIELD",
            Self::TooDeep => "TOO_DEEP",
        }
    }
}

impl fmt::Display for IncompatibilityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason for incompatibility.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incompatibility {
    pub kind: IncompatibilityKind,
    /// Java's message, e.g. `reader type: INT not compatible with writer type: STRING`.
    pub message: String,
    /// Java's JSON pointer into the reader schema, e.g. `/fields/0/type`.
    pub location: String,
    /// JSON of the reader sub-schema that failed.
    pub reader_fragment: String,
    /// JSON of the writer sub-schema that failed.
    pub writer_fragment: String,
}

impl fmt::Display for Incompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.kind, self.location, self.message)
    }
}

/// The verdict for one reader/writer pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compatibility {
    pub compatible: bool,
    pub incompatibilities: Vec<Incompatibility>,
}

/// How deep the pairwise walk may go. Parsing caps nesting at 64 levels per
/// schema; only recursive types walked in lock-step with different cycle
/// lengths get further.
pub const MAX_CHECK_DEPTH: usize = 256;

/// Cap on collected incompatibilities. Java copies memoised results into
/// every place a shared named type occurs, which can grow exponentially
/// with nesting; the verdict is unaffected by the cap.
pub const MAX_INCOMPATIBILITIES: usize = 1000;

/// Budget for fragment text in one result. Every incompatibility carries
/// two fragments, and a missing field's fragment is its whole record, so a
/// large schema with many problems could otherwise need gigabytes. Past the
/// budget, fragments name their named types instead of spelling them out.
pub const MAX_FRAGMENT_BYTES: usize = 4 << 20;

/// Can `reader` decode everything written with `writer`?
pub fn check(reader: &Schema, writer: &Schema) -> Compatibility {
    let mut checker = Checker { r: reader, w: writer, memo: BTreeMap::new(), depth: 0 };
    let found = checker.fresh(reader.root(), writer.root());
    let mut budget = MAX_FRAGMENT_BYTES;
    let incompatibilities: Vec<Incompatibility> = found
        .into_iter()
        .take(MAX_INCOMPATIBILITIES)
        .map(|e| Incompatibility {
            kind: e.kind,
            message: e.message.to_string(),
            location: e.location.to_string(),
            reader_fragment: fragment(&mut budget, reader, e.r),
            writer_fragment: fragment(&mut budget, writer, e.w),
        })
        .collect();
    Compatibility { compatible: incompatibilities.is_empty(), incompatibilities }
}

fn fragment(budget: &mut usize, schema: &Schema, id: NodeId) -> String {
    let full = schema.fragment_json(id);
    if full.len() <= *budget {
        *budget -= full.len();
        return full;
    }
    schema.fragment_json_short(id)
}

/// An incompatibility while the walk runs: cheap to copy, because Java's
/// memo hands the same result to every place a pair recurs, and each level
/// copies its children's results. Fragments are rendered once at the end.
#[derive(Clone)]
struct Entry {
    kind: IncompatibilityKind,
    message: Rc<str>,
    location: Rc<str>,
    r: NodeId,
    w: NodeId,
}

type Found = Vec<Entry>;

/// Java's memo entry: a pair in progress counts as compatible ("compatible
/// unless proven incompatible"), which is what ends recursion.
enum Memo {
    InProgress,
    Done(Found),
}

struct Checker<'a> {
    r: &'a Schema,
    w: &'a Schema,
    memo: BTreeMap<(NodeId, NodeId), Memo>,
    depth: usize,
}

fn merge(into: &mut Found, more: Found) {
    let room = MAX_INCOMPATIBILITIES.saturating_sub(into.len());
    into.extend(more.into_iter().take(room));
}

/// Java's `Incompatibility.getLocation()`: the root token is skipped and the
/// rest is JSON-pointer escaped.
fn pointer(loc: &[String]) -> String {
    let parts: Vec<String> = loc.iter().skip(1).map(|t| t.replace('~', "~0").replace('/', "~1")).collect();
    format!("/{}", parts.join("/"))
}

impl<'a> Checker<'a> {
    /// Java's two-argument `getCompatibility(reader, writer)`: a fresh
    /// location stack rooted at `""`, but the shared memo.
    fn fresh(&mut self, r: NodeId, w: NodeId) -> Found {
        let mut loc = Vec::new();
        self.get("", r, w, &mut loc)
    }

    /// Java's memoising `getCompatibility(referenceToken, reader, writer, location)`.
    fn get(&mut self, token: &str, r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        loc.push(token.to_string());
        let result = match self.memo.get(&(r, w)) {
            Some(Memo::InProgress) => Vec::new(),
            Some(Memo::Done(found)) => found.clone(),
            None if self.depth >= MAX_CHECK_DEPTH => {
                let msg = format!("comparison nests deeper than {MAX_CHECK_DEPTH} levels");
                vec![Self::incompatible(IncompatibilityKind::TooDeep, r, w, msg, loc)]
            }
            None => {
                self.memo.insert((r, w), Memo::InProgress);
                self.depth += 1;
                let found = self.calculate(r, w, loc);
                self.depth -= 1;
                self.memo.insert((r, w), Memo::Done(found.clone()));
                found
            }
        };
        loc.pop();
        result
    }

    fn incompatible(kind: IncompatibilityKind, r: NodeId, w: NodeId, message: String, loc: &[String]) -> Entry {
        Entry { kind, message: Rc::from(message), location: Rc::from(pointer(loc)), r, w }
    }

    fn type_mismatch(&self, r: NodeId, w: NodeId, loc: &[String]) -> Found {
        let message = format!("reader type: {} not compatible with writer type: {}", self.r.kind(r), self.w.kind(w));
        vec![Self::incompatible(IncompatibilityKind::TypeMismatch, r, w, message, loc)]
    }

    fn calculate(&mut self, r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        // Copy the `&'a Schema`s out so node borrows do not pin `self`.
        let (rs, ws): (&'a Schema, &'a Schema) = (self.r, self.w);
        let (Some(rn), Some(wn)) = (rs.node(r), ws.node(w)) else {
            return Vec::new();
        };
        if rn.kind() == wn.kind() {
            return self.same_kind(rn, wn, r, w, loc);
        }
        // A reader compatible with every branch of a writer union is compatible.
        if let Node::Union { branches } = wn {
            let mut found = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                merge(&mut found, self.get(&i.to_string(), r, *branch, loc));
            }
            return found;
        }
        let promotable = match rn.kind() {
            Kind::Long => wn.kind() == Kind::Int,
            Kind::Float => matches!(wn.kind(), Kind::Int | Kind::Long),
            Kind::Double => matches!(wn.kind(), Kind::Int | Kind::Long | Kind::Float),
            Kind::Bytes => wn.kind() == Kind::String,
            Kind::String => wn.kind() == Kind::Bytes,
            _ => false,
        };
        if promotable {
            return Vec::new();
        }
        if let Node::Union { branches } = rn {
            for branch in branches {
                if self.fresh(*branch, w).is_empty() {
                    return Vec::new();
                }
            }
            // No reader branch can read the writer schema.
            let message = format!("reader union lacking writer type: {}", wn.kind());
            return vec![Self::incompatible(IncompatibilityKind::MissingUnionBranch, r, w, message, loc)];
        }
        self.type_mismatch(r, w, loc)
    }

    fn same_kind(&mut self, rn: &'a Node, wn: &'a Node, r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        match (rn, wn) {
            (Node::Array { items: ri, .. }, Node::Array { items: wi, .. }) => self.get("items", *ri, *wi, loc),
            (Node::Map { values: rv, .. }, Node::Map { values: wv, .. }) => self.get("values", *rv, *wv, loc),
            (Node::Fixed { size: rs, .. }, Node::Fixed { size: ws, .. }) => {
                let mut found = self.names(rn, wn, r, w, loc);
                if rs != ws {
                    loc.push("size".into());
                    let message = format!("expected: {ws}, found: {rs}");
                    found.push(Self::incompatible(IncompatibilityKind::FixedSizeMismatch, r, w, message, loc));
                    loc.pop();
                }
                found
            }
            (Node::Enum { symbols: rs, default, .. }, Node::Enum { symbols: ws, .. }) => {
                let mut found = self.names(rn, wn, r, w, loc);
                merge(&mut found, self.enum_symbols(rs, default.as_deref(), ws, r, w, loc));
                found
            }
            (Node::Record { fields: rf, .. }, Node::Record { fields: wf, .. }) => {
                let mut found = self.names(rn, wn, r, w, loc);
                merge(&mut found, self.fields(rf, wf, r, w, loc));
                found
            }
            (Node::Union { .. }, Node::Union { branches }) => self.union_union(branches, r, w, loc),
            // Same primitive type.
            _ => Vec::new(),
        }
    }

    /// Every branch of the writer union must be readable by the reader union.
    fn union_union(&mut self, writer_branches: &[NodeId], r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        let mut found = Vec::new();
        for (i, branch) in writer_branches.iter().enumerate() {
            loc.push(i.to_string());
            if !self.fresh(r, *branch).is_empty() {
                let message = format!("reader union lacking writer type: {}", self.w.kind(*branch));
                found.push(Self::incompatible(IncompatibilityKind::MissingUnionBranch, r, w, message, loc));
            }
            loc.pop();
        }
        found
    }

    /// Java's `schemaNameEquals`: equal *unqualified* names, or the writer's
    /// full name among the reader's (namespace-qualified) aliases.
    fn names(&self, rn: &Node, wn: &Node, r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        let (Some(rname), Some(wname)) = (rn.named(), wn.named()) else {
            return Vec::new();
        };
        let writer_full = wname.name.full();
        if rname.name.name == wname.name.name || rname.java_alias_strings().contains(&writer_full) {
            return Vec::new();
        }
        loc.push("name".into());
        let message = format!("expected: {writer_full}");
        let found = vec![Self::incompatible(IncompatibilityKind::NameMismatch, r, w, message, loc)];
        loc.pop();
        found
    }

    /// Writer symbols the reader lacks are fine only if the reader enum has
    /// a default (Avro 1.9+, AVRO-1340).
    fn enum_symbols(
        &self,
        rs: &[String],
        default: Option<&str>,
        ws: &[String],
        r: NodeId,
        w: NodeId,
        loc: &mut Vec<String>,
    ) -> Found {
        let missing: BTreeSet<&str> = ws.iter().map(String::as_str).filter(|s| !rs.iter().any(|x| x == s)).collect();
        if missing.is_empty() || default.is_some_and(|d| rs.iter().any(|x| x == d)) {
            return Vec::new();
        }
        loc.push("symbols".into());
        // Java prints the TreeSet: sorted, "[B, D]".
        let message = format!("[{}]", missing.into_iter().collect::<Vec<_>>().join(", "));
        let found = vec![Self::incompatible(IncompatibilityKind::MissingEnumSymbols, r, w, message, loc)];
        loc.pop();
        found
    }

    fn fields(
        &mut self,
        reader_fields: &[Field],
        writer_fields: &[Field],
        r: NodeId,
        w: NodeId,
        loc: &mut Vec<String>,
    ) -> Found {
        let mut found = Vec::new();
        loc.push("fields".into());
        for (pos, rf) in reader_fields.iter().enumerate() {
            loc.push(pos.to_string());
            match lookup_writer_field(writer_fields, rf) {
                Lookup::One(wf) => merge(&mut found, self.get("type", rf.schema, wf.schema, loc)),
                Lookup::None if rf.default.is_some() => {}
                Lookup::None => merge(&mut found, self.missing_field(rf, r, w, loc)),
                Lookup::Many => {
                    let message = format!(
                        "Reader record field {} matches multiple fields in writer record schema {}",
                        rf.name,
                        self.w.node(w).map_or_else(String::new, Node::java_full_name)
                    );
                    found.push(Self::incompatible(IncompatibilityKind::AmbiguousWriterField, r, w, message, loc));
                }
            }
            loc.pop();
        }
        loc.pop();
        found
    }

    /// A reader field absent from the writer and without a default. Java
    /// special-cases an enum type that has an enum default by comparing that
    /// enum with the *writer record* itself, which always yields
    /// `reader type: ENUM not compatible with writer type: RECORD` at
    /// `.../type`; kept for fidelity.
    fn missing_field(&mut self, rf: &Field, r: NodeId, w: NodeId, loc: &mut Vec<String>) -> Found {
        if let Some(Node::Enum { default: Some(_), .. }) = self.r.node(rf.schema) {
            return self.get("type", rf.schema, w, loc);
        }
        let kind = IncompatibilityKind::ReaderFieldMissingDefaultValue;
        vec![Self::incompatible(kind, r, w, rf.name.clone(), loc)]
    }
}

enum Lookup<'a> {
    None,
    One(&'a Field),
    Many,
}

/// Java's `lookupWriterField`: the reader field's name plus each of its
/// aliases; more than one hit (even the same writer field twice, when an
/// alias repeats the name) makes Java throw.
fn lookup_writer_field<'a>(writer_fields: &'a [Field], rf: &Field) -> Lookup<'a> {
    let by_name = |n: &str| writer_fields.iter().find(|f| f.name == n);
    let mut hits = by_name(&rf.name).into_iter().chain(rf.aliases.iter().filter_map(|a| by_name(a)));
    match (hits.next(), hits.next()) {
        (None, _) => Lookup::None,
        (Some(f), None) => Lookup::One(f),
        (Some(_), Some(_)) => Lookup::Many,
    }
}
