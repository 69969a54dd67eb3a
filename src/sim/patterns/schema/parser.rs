//! JSON → [`Schema`] parser, modelled on Java's `Schema.parse(JsonNode, ..)`
//! (Avro 1.12). Deliberate differences, all per the specification:
//!
//! * a name must be defined before it is used and may not be redefined
//!   (Java 1.12 resolves forward references and tolerates an *identical*
//!   redefinition; Python and the specification reject both);
//! * names are checked against the spec's ASCII rule `[A-Za-z_][A-Za-z0-9_]*`
//!   (Java's default validator also admits Unicode letters);
//! * `namespace`, `doc` and an enum `default` must be strings or `null`
//!   (Java treats any non-string as absent; Python rejects most);
//! * type aliases are not name-checked (the spec: "any string is accepted
//!   as an alias"; Java validates their simple-name part).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::avro::{
    split_name, valid_name, Field, Kind, Name, Named, Node, NodeId, Order, Props, Schema, SchemaError,
    SchemaErrorKind as E, MAX_DEPTH,
};
use super::defaults::{check_default, java_double};

/// Attributes Java's parser consumes for non-enum schemas (`SCHEMA_RESERVED`);
/// every other attribute is kept as a property.
const SCHEMA_RESERVED: [&str; 10] =
    ["doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases"];
/// Attributes Java consumes for fields (`FIELD_RESERVED`).
const FIELD_RESERVED: [&str; 6] = ["default", "doc", "name", "order", "type", "aliases"];
/// Java's `SystemLimitException.checkMaxBytesLength` caps fixed sizes here.
const MAX_FIXED_SIZE: i64 = i32::MAX as i64 - 8;

pub(super) fn parse_text(json: &str) -> Result<Schema, SchemaError> {
    let value: Value = serde_json::from_str(json).map_err(|e| SchemaError {
        kind: E::InvalidJson,
        context: String::new(),
        message: format!("invalid JSON: {e}"),
    })?;
    parse_value(&value)
}

/// Parses an already-decoded JSON value.
pub fn parse_value(value: &Value) -> Result<Schema, SchemaError> {
    let mut p = Parser::default();
    let root = p.schema(value, None, 0)?;
    let schema = Schema { nodes: p.nodes, root, names: p.names };
    for pending in &p.defaults {
        check_default(&schema, pending)?;
    }
    Ok(schema)
}

/// A field default to validate once every type it may mention is complete
/// (a recursive record's fields are unknown while its own fields parse).
pub(super) struct PendingDefault {
    pub(super) record: NodeId,
    pub(super) field: usize,
    pub(super) context: String,
    /// Records being defined around the field (its own record included):
    /// Java has not set their fields yet when it validates the default.
    pub(super) enclosing: Vec<NodeId>,
}

#[derive(Default)]
struct Parser {
    nodes: Vec<Node>,
    names: BTreeMap<String, NodeId>,
    /// Breadcrumbs for error messages, outermost first.
    ctx: Vec<String>,
    defaults: Vec<PendingDefault>,
    /// Records whose fields are being parsed, outermost first.
    enclosing: Vec<NodeId>,
}

impl Parser {
    fn context(&self) -> String {
        let parts: Vec<&str> = self.ctx.iter().rev().map(String::as_str).collect();
        parts.join(" of ")
    }

    fn fail<T>(&self, kind: E, message: impl Into<String>) -> Result<T, SchemaError> {
        Err(SchemaError { kind, context: self.context(), message: message.into() })
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn schema(&mut self, v: &Value, ns: Option<&str>, depth: usize) -> Result<NodeId, SchemaError> {
        if depth > MAX_DEPTH {
            return self.fail(E::TooDeep, format!("schema nests deeper than {MAX_DEPTH} levels"));
        }
        match v {
            Value::String(s) => self.reference(s, ns),
            Value::Object(o) => self.object(o, ns, depth),
            Value::Array(a) => self.union(a, ns, depth),
            other => self.fail(
                E::NotASchema,
                format!("expected a type name, an object or a union array, found {}", brief(other)),
            ),
        }
    }

    /// A type given by name: a primitive, or a named type defined earlier
    /// (or enclosing). Lookup as Java's `ParseContext.find`: first the name
    /// qualified by the enclosing namespace, then the name as written.
    fn reference(&mut self, s: &str, ns: Option<&str>) -> Result<NodeId, SchemaError> {
        if let Some(kind) = Kind::primitive(s) {
            return Ok(self.push(Node::Primitive { kind, props: Props::new() }));
        }
        let qualified = match ns {
            Some(space) if !s.contains('.') => format!("{space}.{s}"),
            _ => s.to_string(),
        };
        match self.names.get(&qualified).or_else(|| self.names.get(s)) {
            Some(id) => Ok(*id),
            None => self.fail(E::UnknownType, format!("unknown type {}", quote(s))),
        }
    }

    fn object(&mut self, o: &Map<String, Value>, ns: Option<&str>, depth: usize) -> Result<NodeId, SchemaError> {
        let t = match o.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                let msg = format!("\"type\" must be a string, found {}", brief(other));
                return self.fail(E::InvalidAttribute, msg);
            }
            None => return self.fail(E::MissingAttribute, "missing \"type\""),
        };
        if let Some(kind) = Kind::primitive(t) {
            let props = props(o, &SCHEMA_RESERVED);
            return Ok(self.push(Node::Primitive { kind, props }));
        }
        match t {
            "record" | "error" => self.record(o, ns, depth, t == "error"),
            "enum" => self.enumeration(o, ns),
            "fixed" => self.fixed(o, ns),
            "array" | "map" => self.container(o, t == "array", ns, depth),
            _ => self.fail(
                E::UnknownType,
                format!(
                    "unknown type {}: \"type\" must be a primitive or one of record, error, \
                     enum, array, map, fixed",
                    quote(t)
                ),
            ),
        }
    }

    fn container(
        &mut self,
        o: &Map<String, Value>,
        is_array: bool,
        ns: Option<&str>,
        depth: usize,
    ) -> Result<NodeId, SchemaError> {
        let (attr, frame) = if is_array { ("items", "array items") } else { ("values", "map values") };
        let Some(inner) = o.get(attr) else {
            return self.fail(E::MissingAttribute, format!("missing \"{attr}\""));
        };
        self.ctx.push(frame.to_string());
        let child = self.schema(inner, ns, depth + 1)?;
        self.ctx.pop();
        let props = props(o, &SCHEMA_RESERVED);
        Ok(self.push(if is_array { Node::Array { items: child, props } } else { Node::Map { values: child, props } }))
    }

    fn union(&mut self, a: &[Value], ns: Option<&str>, depth: usize) -> Result<NodeId, SchemaError> {
        let mut branches = Vec::with_capacity(a.len());
        let mut seen = BTreeSet::new();
        for (i, b) in a.iter().enumerate() {
            self.ctx.push(format!("union branch {i}"));
            let id = self.schema(b, ns, depth + 1)?;
            let Some(node) = self.nodes.get(id) else {
                return self.fail(E::NotASchema, "internal: dangling node");
            };
            if node.kind() == Kind::Union {
                return self.fail(E::NestedUnion, "a union may not directly contain a union");
            }
            // Java's UnionSchema keys branches by getFullName(): the type name
            // for unnamed types, the full name for named ones.
            let full = node.java_full_name();
            if !seen.insert(full.clone()) {
                return self.fail(E::DuplicateUnionBranch, format!("duplicate union branch {}", quote(&full)));
            }
            self.ctx.pop();
            branches.push(id);
        }
        Ok(self.push(Node::Union { branches }))
    }

    fn record(
        &mut self,
        o: &Map<String, Value>,
        ns: Option<&str>,
        depth: usize,
        is_error: bool,
    ) -> Result<NodeId, SchemaError> {
        let named = self.named(o, ns, &["doc", "fields", "aliases"])?;
        let full = named.name.full();
        let space = named.name.namespace.clone();
        // Defined before its fields are parsed so that fields may refer to
        // the record itself (linked lists, trees).
        let id = self.define(Node::Record { named, fields: Vec::new(), is_error })?;
        self.ctx.push(format!("record {}", quote(&full)));
        let Some(Value::Array(list)) = o.get("fields") else {
            return self.fail(E::MissingAttribute, "missing \"fields\" array");
        };
        self.enclosing.push(id);
        let mut fields = Vec::with_capacity(list.len());
        let mut seen = BTreeSet::new();
        for (index, f) in list.iter().enumerate() {
            let field = self.field(f, index, id, space.as_deref(), depth)?;
            if !seen.insert(field.name.clone()) {
                let msg = format!("duplicate field {}", quote(&field.name));
                return self.fail(E::DuplicateField, msg);
            }
            fields.push(field);
        }
        if let Some(Node::Record { fields: slot, .. }) = self.nodes.get_mut(id) {
            *slot = fields;
        }
        self.enclosing.pop();
        self.ctx.pop();
        Ok(id)
    }

    fn field(
        &mut self,
        f: &Value,
        index: usize,
        record: NodeId,
        ns: Option<&str>,
        depth: usize,
    ) -> Result<Field, SchemaError> {
        let Value::Object(o) = f else {
            return self.fail(E::InvalidAttribute, format!("field {index} is not an object"));
        };
        let name = match o.get("name") {
            Some(Value::String(n)) => n.clone(),
            Some(_) => {
                return self.fail(E::InvalidAttribute, format!("field {index}: \"name\" must be a string"));
            }
            None => {
                return self.fail(E::MissingAttribute, format!("field {index} has no \"name\""));
            }
        };
        if let Err(why) = valid_name(&name) {
            return self.fail(E::InvalidName, format!("invalid field name {}: {why}", quote(&name)));
        }
        self.ctx.push(format!("field {}", quote(&name)));
        let Some(type_json) = o.get("type") else {
            return self.fail(E::MissingAttribute, "missing \"type\"");
        };
        let schema = self.schema(type_json, ns, depth + 1)?;
        let order = self.order(o.get("order"))?;
        let doc = self.opt_string(o, "doc")?;
        let aliases = self.field_aliases(o.get("aliases"))?;
        let default = self.field_default(o.get("default"), schema)?;
        if default.is_some() {
            let pending =
                PendingDefault { record, field: index, context: self.context(), enclosing: self.enclosing.clone() };
            self.defaults.push(pending);
        }
        self.ctx.pop();
        let props = props(o, &FIELD_RESERVED);
        Ok(Field { name, schema, default, aliases, order, doc, props })
    }

    /// Java turns a textual default of a float/double field into a number
    /// (`Double.parseDouble`), which is how `"NaN"` and `"Infinity"` are
    /// written. Non-finite values stay textual since JSON numbers cannot
    /// hold them; such a default is accepted without further checks.
    fn field_default(&self, d: Option<&Value>, schema: NodeId) -> Result<Option<Value>, SchemaError> {
        let kind = self.nodes.get(schema).map(Node::kind);
        let (Some(Value::String(text)), Some(Kind::Float | Kind::Double)) = (d, kind) else {
            return Ok(d.cloned());
        };
        match java_double(text) {
            Some(x) => {
                Ok(Some(serde_json::Number::from_f64(x).map_or_else(|| Value::String(text.clone()), Value::Number)))
            }
            None => self.fail(E::InvalidDefault, format!("default {} is not a number", quote(text))),
        }
    }

    fn order(&self, v: Option<&Value>) -> Result<Order, SchemaError> {
        // Java upper-cases before `Order.valueOf`, so any letter case works.
        match v.map(|v| v.as_str().map(str::to_ascii_lowercase)) {
            None => Ok(Order::Ascending),
            Some(Some(s)) if s == "ascending" => Ok(Order::Ascending),
            Some(Some(s)) if s == "descending" => Ok(Order::Descending),
            Some(Some(s)) if s == "ignore" => Ok(Order::Ignore),
            Some(_) => self.fail(E::InvalidAttribute, "\"order\" must be \"ascending\", \"descending\" or \"ignore\""),
        }
    }

    fn field_aliases(&self, v: Option<&Value>) -> Result<Vec<String>, SchemaError> {
        let mut out: Vec<String> = Vec::new();
        for alias in self.string_list(v, "aliases")? {
            if !out.contains(&alias) {
                out.push(alias);
            }
        }
        Ok(out)
    }

    fn string_list(&self, v: Option<&Value>, what: &str) -> Result<Vec<String>, SchemaError> {
        let items = match v {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return self.fail(E::InvalidAttribute, format!("\"{what}\" must be an array of strings"));
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => {
                    let msg = format!("\"{what}\" must contain strings, found {}", brief(other));
                    return self.fail(E::InvalidAttribute, msg);
                }
            }
        }
        Ok(out)
    }

    /// An optional string attribute. JSON `null` counts as absent, as both
    /// Java (`textValue()` of a null node) and Python read it.
    fn opt_string(&self, o: &Map<String, Value>, key: &str) -> Result<Option<String>, SchemaError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                self.fail(E::InvalidAttribute, format!("\"{key}\" must be a string, found {}", brief(other)))
            }
        }
    }

    fn enumeration(&mut self, o: &Map<String, Value>, ns: Option<&str>) -> Result<NodeId, SchemaError> {
        let named = self.named(o, ns, &["doc", "symbols", "aliases", "default"])?;
        self.ctx.push(format!("enum {}", quote(&named.name.full())));
        if !matches!(o.get("symbols"), Some(Value::Array(_))) {
            return self.fail(E::MissingAttribute, "missing \"symbols\" array");
        }
        let symbols = self.string_list(o.get("symbols"), "symbols")?;
        let mut seen = BTreeSet::new();
        for s in &symbols {
            if let Err(why) = valid_name(s) {
                return self.fail(E::InvalidName, format!("invalid symbol {}: {why}", quote(s)));
            }
            if !seen.insert(s.as_str()) {
                return self.fail(E::DuplicateSymbol, format!("duplicate symbol {}", quote(s)));
            }
        }
        // `null` is no default, as in Java.
        let default = match o.get("default") {
            None | Some(Value::Null) => None,
            Some(Value::String(d)) if seen.contains(d.as_str()) => Some(d.clone()),
            Some(other) => {
                let msg = format!("default {other} is not one of the symbols");
                return self.fail(E::InvalidEnumDefault, msg);
            }
        };
        self.ctx.pop();
        self.define(Node::Enum { named, symbols, default })
    }

    fn fixed(&mut self, o: &Map<String, Value>, ns: Option<&str>) -> Result<NodeId, SchemaError> {
        let named = self.named(o, ns, &["doc", "size", "aliases"])?;
        self.ctx.push(format!("fixed {}", quote(&named.name.full())));
        let size = match o.get("size").and_then(Value::as_i64) {
            Some(n) if (0..=MAX_FIXED_SIZE).contains(&n) => u32::try_from(n).ok(),
            _ => None,
        };
        let Some(size) = size else {
            let found = o.get("size").map_or_else(|| "nothing".to_string(), brief);
            let msg = format!("\"size\" must be an integer from 0 to {MAX_FIXED_SIZE}, found {found}");
            return self.fail(E::InvalidFixedSize, msg);
        };
        self.ctx.pop();
        self.define(Node::Fixed { named, size })
    }

    /// Reads name, namespace, doc, aliases and properties of a named type.
    /// `reserved` lists the type-specific attributes not kept as properties.
    fn named(&self, o: &Map<String, Value>, ns: Option<&str>, reserved: &[&str]) -> Result<Named, SchemaError> {
        let written = match o.get("name") {
            Some(Value::String(n)) => n.as_str(),
            Some(other) => {
                return self.fail(E::InvalidAttribute, format!("\"name\" must be a string, found {}", brief(other)));
            }
            None => return self.fail(E::MissingAttribute, "missing \"name\""),
        };
        let explicit = self.opt_string(o, "namespace")?;
        let name = split_name(written, explicit.as_deref().or(ns));
        if let Err(why) = valid_name(&name.name) {
            return self.fail(E::InvalidName, format!("invalid name {}: {why}", quote(written)));
        }
        for part in name.namespace.iter().flat_map(|s| s.split('.')) {
            if let Err(why) = valid_name(part) {
                let msg = format!("invalid namespace in {}: {why}", quote(&name.full()));
                return self.fail(E::InvalidName, msg);
            }
        }
        if name.namespace.is_none() && Kind::primitive(&name.name).is_some() {
            let msg = format!("a named type may not be called {}", quote(&name.name));
            return self.fail(E::InvalidName, msg);
        }
        let mut aliases: Vec<Name> = Vec::new();
        for a in self.string_list(o.get("aliases"), "aliases")? {
            let alias = split_name(&a, name.namespace.as_deref());
            if !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
        let doc = self.opt_string(o, "doc")?;
        let mut skip: Vec<&str> = SCHEMA_RESERVED.to_vec();
        skip.extend_from_slice(reserved);
        Ok(Named { name, aliases, doc, props: props(o, &skip) })
    }

    fn define(&mut self, node: Node) -> Result<NodeId, SchemaError> {
        let full = node.java_full_name();
        if self.names.contains_key(&full) {
            return self.fail(E::Redefinition, format!("{} is already defined", quote(&full)));
        }
        let id = self.push(node);
        self.names.insert(full, id);
        Ok(id)
    }
}

fn props(o: &Map<String, Value>, reserved: &[&str]) -> Props {
    o.iter().filter(|(k, _)| !reserved.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// A short rendering of a JSON value for messages.
pub(super) fn brief(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}
