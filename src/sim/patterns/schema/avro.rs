//! The parsed Avro schema model and the public parser entry point.
//!
//! Schemas live in an arena (`Vec<Node>`) addressed by [`NodeId`]. Every
//! JSON occurrence of an unnamed schema (primitive, array, map, union) gets
//! its own node, while every reference to a named type (record, enum, fixed)
//! points at the node of its single definition. That is exactly the object
//! identity Java's `Schema.Parser` produces, which matters because Java's
//! `SchemaCompatibility` memoises reader/writer pairs by identity.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use super::parser;

/// Index of a node in a [`Schema`]'s arena.
pub type NodeId = usize;

/// Extra JSON attributes kept verbatim (`logicalType`, `precision`, custom
/// properties). They never influence compatibility, as in Java.
pub type Props = BTreeMap<String, Value>;

/// The fourteen Avro schema types, named as Java's `Schema.Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

impl Kind {
    /// Java's `Type.toString()` (the enum constant name), used verbatim in
    /// compatibility messages such as `reader type: INT not compatible ...`.
    pub fn java_name(self) -> &'static str {
        match self {
            Kind::Null => "NULL",
            Kind::Boolean => "BOOLEAN",
            Kind::Int => "INT",
            Kind::Long => "LONG",
            Kind::Float => "FLOAT",
            Kind::Double => "DOUBLE",
            Kind::Bytes => "BYTES",
            Kind::String => "STRING",
            Kind::Record => "RECORD",
            Kind::Enum => "ENUM",
            Kind::Array => "ARRAY",
            Kind::Map => "MAP",
            Kind::Union => "UNION",
            Kind::Fixed => "FIXED",
        }
    }

    /// The lower-case Avro type name as written in schemas (`"int"`).
    pub fn avro_name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Record => "record",
            Kind::Enum => "enum",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Union => "union",
            Kind::Fixed => "fixed",
        }
    }

    /// The primitive kind spelled `name`, if any.
    pub fn primitive(name: &str) -> Option<Kind> {
        Some(match name {
            "null" => Kind::Null,
            "boolean" => Kind::Boolean,
            "int" => Kind::Int,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "bytes" => Kind::Bytes,
            "string" => Kind::String,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

/// A resolved name: simple name plus optional namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub namespace: Option<String>,
}

impl Name {
    /// The full name, `namespace.name`, or `name` in the null namespace.
    pub fn full(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Attributes shared by records, enums and fixed types.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub name: Name,
    /// Aliases resolved against this type's namespace, as Java's
    /// `NamedSchema.addAlias(alias, null)` does.
    pub aliases: Vec<Name>,
    pub doc: Option<String>,
    pub props: Props,
}

impl Named {
    /// Java's `NamedSchema.getAliases()` strings: an alias in the null
    /// namespace of a namespaced type prints as `.Name`, so it never equals
    /// a writer's full name (a quirk kept for fidelity).
    pub fn java_alias_strings(&self) -> Vec<String> {
        self.aliases
            .iter()
            .map(|a| match (&a.namespace, &self.name.namespace) {
                (None, Some(_)) => format!(".{}", a.name),
                _ => a.full(),
            })
            .collect()
    }
}

/// Field sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Ascending,
    Descending,
    Ignore,
}

/// A record field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub schema: NodeId,
    /// The JSON default, if any (`null` is a present default).
    pub default: Option<Value>,
    /// Field aliases, verbatim and de-duplicated (Java keeps a
    /// `LinkedHashSet`, no namespace applies to fields).
    pub aliases: Vec<String>,
    pub order: Order,
    pub doc: Option<String>,
    pub props: Props,
}

/// One schema node of the arena.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Primitive { kind: Kind, props: Props },
    Array { items: NodeId, props: Props },
    Map { values: NodeId, props: Props },
    Union { branches: Vec<NodeId> },
    Record { named: Named, fields: Vec<Field>, is_error: bool },
    Enum { named: Named, symbols: Vec<String>, default: Option<String> },
    Fixed { named: Named, size: u32 },
}

impl Node {
    /// The node's Avro type.
    pub fn kind(&self) -> Kind {
        match self {
            Node::Primitive { kind, .. } => *kind,
            Node::Array { .. } => Kind::Array,
            Node::Map { .. } => Kind::Map,
            Node::Union { .. } => Kind::Union,
            Node::Record { .. } => Kind::Record,
            Node::Enum { .. } => Kind::Enum,
            Node::Fixed { .. } => Kind::Fixed,
        }
    }

    /// Name attributes of a named type.
    pub fn named(&self) -> Option<&Named> {
        match self {
            Node::Record { named, .. } | Node::Enum { named, .. } | Node::Fixed { named, .. } => Some(named),
            _ => None,
        }
    }

    /// Java's `getFullName()`: the full name of a named type, the type
    /// name otherwise. Unions use it to reject duplicate branches.
    pub fn java_full_name(&self) -> String {
        match self.named() {
            Some(n) => n.name.full(),
            None => self.kind().avro_name().to_string(),
        }
    }
}

/// A parsed schema: an arena of nodes, the root, and named types by full
/// name. Two schemas compare equal when their parsed form is identical
/// (same structure, names, defaults, aliases, docs and properties).
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub(super) nodes: Vec<Node>,
    pub(super) root: NodeId,
    pub(super) names: BTreeMap<String, NodeId>,
}

impl Schema {
    /// The root node id.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The node with id `id`, if it exists.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// The kind of node `id` (`Null` for an unknown id, which the API never
    /// hands out, so no caller can observe it).
    pub fn kind(&self, id: NodeId) -> Kind {
        self.node(id).map_or(Kind::Null, Node::kind)
    }

    /// All nodes, in definition order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The named type with this full name.
    pub fn lookup(&self, full_name: &str) -> Option<NodeId> {
        self.names.get(full_name).copied()
    }

    /// JSON text of the sub-schema at `id`: named types are spelled out on
    /// first occurrence and referenced by full name afterwards, like Java's
    /// `Schema.toString()`. Keys are sorted, so the text is deterministic,
    /// and parsing the text of the root gives back an equal schema.
    pub fn fragment_json(&self, id: NodeId) -> String {
        let mut seen = BTreeSet::new();
        self.render(id, &mut seen, None).to_string()
    }

    /// Like [`Schema::fragment_json`] but every named type is written as
    /// its full name, so the text stays small.
    pub fn fragment_json_short(&self, id: NodeId) -> String {
        let mut seen: BTreeSet<NodeId> = self.names.values().copied().collect();
        self.render(id, &mut seen, None).to_string()
    }

    /// JSON text of the whole schema.
    pub fn to_json(&self) -> String {
        self.fragment_json(self.root)
    }

    /// `ns` is the namespace a parser would apply at this position.
    fn render(&self, id: NodeId, seen: &mut BTreeSet<NodeId>, ns: Option<&str>) -> Value {
        let Some(node) = self.node(id) else {
            return Value::Null;
        };
        if node.named().is_some() && !seen.insert(id) {
            return Value::String(node.java_full_name());
        }
        let mut obj = Map::new();
        let props = match node {
            Node::Primitive { kind, props } if props.is_empty() => {
                return Value::String(kind.avro_name().to_string());
            }
            Node::Primitive { props, .. } => props,
            Node::Union { branches } => {
                return Value::Array(branches.iter().map(|b| self.render(*b, seen, ns)).collect());
            }
            Node::Array { items, props } => {
                obj.insert("items".into(), self.render(*items, seen, ns));
                props
            }
            Node::Map { values, props } => {
                obj.insert("values".into(), self.render(*values, seen, ns));
                props
            }
            Node::Record { named, fields, .. } => {
                let inner = named.name.namespace.as_deref();
                let list = fields.iter().map(|f| self.render_field(f, seen, inner)).collect();
                obj.insert("fields".into(), Value::Array(list));
                render_named(named, ns, &mut obj)
            }
            Node::Enum { named, symbols, default } => {
                let list = symbols.iter().map(|s| Value::String(s.clone())).collect();
                obj.insert("symbols".into(), Value::Array(list));
                if let Some(d) = default {
                    obj.insert("default".into(), Value::String(d.clone()));
                }
                render_named(named, ns, &mut obj)
            }
            Node::Fixed { named, size } => {
                obj.insert("size".into(), Value::from(*size));
                render_named(named, ns, &mut obj)
            }
        };
        let type_name = match node {
            Node::Record { is_error: true, .. } => "error",
            _ => node.kind().avro_name(),
        };
        obj.insert("type".into(), Value::String(type_name.into()));
        for (k, v) in props {
            obj.insert(k.clone(), v.clone());
        }
        Value::Object(obj)
    }

    fn render_field(&self, field: &Field, seen: &mut BTreeSet<NodeId>, ns: Option<&str>) -> Value {
        let mut obj = Map::new();
        obj.insert("name".into(), Value::String(field.name.clone()));
        obj.insert("type".into(), self.render(field.schema, seen, ns));
        if let Some(d) = &field.default {
            obj.insert("default".into(), d.clone());
        }
        if let Some(doc) = &field.doc {
            obj.insert("doc".into(), Value::String(doc.clone()));
        }
        let order = match field.order {
            Order::Ascending => None,
            Order::Descending => Some("descending"),
            Order::Ignore => Some("ignore"),
        };
        if let Some(o) = order {
            obj.insert("order".into(), Value::String(o.into()));
        }
        if !field.aliases.is_empty() {
            let list = field.aliases.iter().map(|a| Value::String(a.clone())).collect();
            obj.insert("aliases".into(), Value::Array(list));
        }
        for (k, v) in &field.props {
            obj.insert(k.clone(), v.clone());
        }
        Value::Object(obj)
    }
}

/// Adds name, doc and aliases to `obj`; returns the props still to add.
/// The name is written in full; a type in the null namespace inside a
/// namespaced one gets `"namespace": ""` (as Java writes it), and an alias
/// in the null namespace of a namespaced type is written `.Name`, so the
/// text parses back to the same names.
fn render_named<'a>(named: &'a Named, ns: Option<&str>, obj: &mut Map<String, Value>) -> &'a Props {
    obj.insert("name".into(), Value::String(named.name.full()));
    if named.name.namespace.is_none() && ns.is_some() {
        obj.insert("namespace".into(), Value::String(String::new()));
    }
    if let Some(doc) = &named.doc {
        obj.insert("doc".into(), Value::String(doc.clone()));
    }
    if !named.aliases.is_empty() {
        let list = named.java_alias_strings().into_iter().map(Value::String).collect();
        obj.insert("aliases".into(), Value::Array(list));
    }
    &named.props
}

/// Java's `Name(name, space)`: a dotted name carries its own namespace, and
/// the empty namespace means the null namespace.
pub(super) fn split_name(written: &str, space: Option<&str>) -> Name {
    let (space, simple) = match written.rfind('.') {
        Some(dot) => (written.get(..dot), written.get(dot + 1..).unwrap_or_default()),
        None => (space, written),
    };
    Name { name: simple.to_string(), namespace: space.filter(|s| !s.is_empty()).map(str::to_string) }
}

/// The specification's name rule: `[A-Za-z_][A-Za-z0-9_]*`.
pub(super) fn valid_name(s: &str) -> Result<(), &'static str> {
    let mut chars = s.chars();
    match chars.next() {
        None => Err("empty name"),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => Err("must start with a letter or '_'"),
        _ if chars.any(|c| !(c.is_ascii_alphanumeric() || c == '_')) => Err("only letters, digits and '_' are allowed"),
        _ => Ok(()),
    }
}

/// What went wrong while parsing a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaErrorKind {
    /// The text is not JSON (or nests deeper than serde_json allows).
    InvalidJson,
    /// A JSON value that is not a schema (number, bool, null, bad object).
    NotASchema,
    /// A type name that is neither primitive nor a defined named type.
    UnknownType,
    /// A required attribute is missing.
    MissingAttribute,
    /// An attribute has the wrong JSON type or value.
    InvalidAttribute,
    /// A name, namespace, field name or enum symbol breaks
    /// `[A-Za-z_][A-Za-z0-9_]*`, or a named type is called like a primitive.
    InvalidName,
    /// A full name is defined twice.
    Redefinition,
    DuplicateField,
    DuplicateSymbol,
    /// The enum default is not one of the symbols.
    InvalidEnumDefault,
    InvalidFixedSize,
    /// A union directly inside a union.
    NestedUnion,
    /// Two union branches with the same (full) type name.
    DuplicateUnionBranch,
    /// A field default does not match the field's type.
    InvalidDefault,
    /// More than [`MAX_DEPTH`] nested levels.
    TooDeep,
}

/// Maximum schema nesting (and default-value nesting) the parser accepts.
/// Bounding it keeps every recursive walk far away from a stack overflow,
/// including in a browser's small wasm stack.
pub const MAX_DEPTH: usize = 64;

/// A schema parse error: `context` says where (innermost first, e.g.
/// `field "amount" of record "Deposited"`), `message` says what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub kind: SchemaErrorKind,
    pub context: String,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.context.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.context, self.message)
        }
    }
}

impl std::error::Error for SchemaError {}

/// Parses Avro schema JSON text.
///
/// Follows Java's `Schema.Parser` (Avro 1.12) except where noted in
/// `parser.rs`: names must be defined before use and may not be redefined,
/// as the specification requires.
pub fn parse(json: &str) -> Result<Schema, SchemaError> {
    parser::parse_text(json)
}
