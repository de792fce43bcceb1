//! Span-carrying YAML 1.2 loader: every key and value keeps its exact byte range.
//!
//! Self-contained on purpose (it depends on nothing else in the crate), so it could
//! become its own crate. Parsing is done by `granit-parser`'s event stream; `load`
//! builds the tree, `scalar` resolves plain scalars by the YAML 1.2 core schema, and
//! `flat` builds the same tree directly for the flat frontmatter most notes have.

pub mod edit;
mod flat;
#[cfg(test)]
mod flat_tests;
mod load;
mod scalar;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use load::load;

/// Byte offsets into the `&str` given to [`load`].
pub type Span = std::ops::Range<usize>;

/// Resource bounds, so hostile frontmatter is a diagnostic instead of a hang or a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest allowed nesting of collections (aliases included). It also bounds the
    /// recursion of [`Node::to_json`], `Clone` and `Drop` on the tree, and of whatever
    /// walks the JSON (schema validation), so [`load`] never allows more than
    /// [`MAX_DEPTH_CEILING`] whatever is asked.
    pub max_depth: usize,
    /// Budget for nodes created by alias expansion. A scalar costs one node per started
    /// 64 bytes of text, and the one copy kept of each aliased anchor is charged too, so
    /// the budget bounds memory, not just node count.
    pub max_alias_nodes: usize,
}

/// The deepest nesting [`load`] accepts even when [`Limits::max_depth`] asks for more.
///
/// Trees are consumed recursively (conversion to JSON, schema validation, `Drop`), and a
/// worker thread's 2 MiB stack overflowed at about 4,000 levels (2,000 in a debug build),
/// which aborts the process: 1,000 keeps a margin, and no real frontmatter comes near.
pub const MAX_DEPTH_CEILING: usize = 1_000;

impl Limits {
    /// `max_depth` as enforced: at most [`MAX_DEPTH_CEILING`].
    pub fn depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
        }
    }
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
}

/// How a node was written: a scalar style, or flow (`[]`/`{}`) or block collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Scalar(ScalarStyle),
    Flow,
    Block,
}

/// A node's value after core-schema resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    /// Entries in source order, duplicates included (see [`Document::duplicates`]).
    Map(Vec<Entry>),
}

/// A YAML node with its source span.
///
/// The span covers the node's text without anchor or tag properties: a quoted scalar
/// includes its quotes, a block scalar runs from `|`/`>` to the end of its last content
/// line, a block collection from its first key or dash to the end of its last value,
/// a flow collection from `[`/`{` to `]`/`}`. An expanded alias has the alias's span
/// (its children keep the spans of the anchored text).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    pub style: Style,
    /// The explicit tag as written (`!!str`, `!foo`), if any.
    pub tag: Option<String>,
    /// Written with an anchor (`&name`): an alias elsewhere may share this value.
    pub anchored: bool,
    /// An expanded alias (`*name`): its children keep the spans of the anchored text,
    /// so nothing inside it may be edited at those spans.
    pub alias: bool,
    /// The decoded text of a non-string scalar: `Int`/`Float`/`Bool`/`Null` lose how they
    /// were written, but JSON keys, duplicate detection and `.inf` need it.
    raw: Option<Box<str>>,
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// A key that occurs twice in one mapping (compared by [`Node::key_string`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub first: Span,
    pub second: Span,
}

/// A `# ...` comment; `text` is everything after the `#`, the span includes the `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A loaded YAML document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub duplicates: Vec<Duplicate>,
    pub comments: Vec<Comment>,
}

/// Why a document could not be loaded. Every span lies inside the loaded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Invalid YAML; the span is the one character the parser stopped at (empty at a
    /// line break or the end), e.g. the unclosed `[` or `"`.
    #[error("{message}")]
    Syntax { message: String, span: Span },
    /// The first collection (or alias) nested deeper than `limit`.
    #[error("nesting deeper than {limit} levels")]
    TooDeep { span: Span, limit: usize },
    /// The alias whose expansion crossed the budget, or the anchored node whose kept
    /// copy did.
    #[error("alias expansion creates more than {limit} nodes")]
    AliasBomb { span: Span, limit: usize },
    /// The start of the second document (`---`, or its first token after `...`).
    #[error("a second YAML document is not allowed here")]
    MultipleDocuments { span: Span },
}

impl LoadError {
    pub fn span(&self) -> &Span {
        match self {
            LoadError::Syntax { span, .. }
            | LoadError::TooDeep { span, .. }
            | LoadError::AliasBomb { span, .. }
            | LoadError::MultipleDocuments { span } => span,
        }
    }
}

impl Node {
    /// The root of an empty document: null with an empty span at 0.
    pub fn empty() -> Node {
        Node {
            value: Value::Null,
            span: 0..0,
            style: Style::Scalar(ScalarStyle::Plain),
            tag: None,
            anchored: false,
            alias: false,
            raw: Some("".into()),
        }
    }

    /// The scalar's decoded text (`"0x1F"` for an int written so); `None` for collections.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            Value::Seq(_) | Value::Map(_) => None,
            _ => self.raw.as_deref(),
        }
    }

    /// The string this node stands for as a mapping key: a scalar's decoded text, a
    /// collection's compact JSON. Used for JSON object keys and duplicate detection.
    ///
    /// Keys nested inside a collection key are written as their own key strings, not as
    /// escaped JSON strings: escaping each level's key again doubled the backslashes per
    /// level, so `? [{? [{...` a few dozen levels deep grew to gigabytes (a hang). For
    /// collections without collection keys inside, this is exactly their compact JSON.
    pub fn key_string(&self) -> Cow<'_, str> {
        match self.scalar_text() {
            Some(text) => Cow::Borrowed(text),
            None => {
                let mut out = String::new();
                self.write_key(&mut out);
                Cow::Owned(out)
            }
        }
    }

    fn write_key(&self, out: &mut String) {
        match &self.value {
            Value::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_key(out);
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                let mut seen = std::collections::HashSet::new();
                let mut first = true;
                for entry in entries {
                    // The first occurrence wins, as in `to_json`.
                    let key = entry.key.key_string();
                    if !seen.insert(key.clone()) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    match entry.key.scalar_text() {
                        Some(text) => out.push_str(&serde_json::Value::from(text).to_string()),
                        None => out.push_str(&key),
                    }
                    out.push(':');
                    entry.value.write_key(out);
                }
                out.push('}');
            }
            _ => out.push_str(&self.to_json().to_string()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Mapping lookup by key string; the first occurrence wins, as in [`Node::to_json`].
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.key_string() == key)
    }

    /// The value node at an RFC 6901 JSON pointer (`""` is the node itself).
    pub fn pointer(&self, json_pointer: &str) -> Option<&Node> {
        if json_pointer.is_empty() {
            return Some(self);
        }
        let rest = json_pointer.strip_prefix('/')?;
        let mut node = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(_) => &node.get(&token)?.value,
                Value::Seq(items) => items.get(array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The JSON value for schema validation: mapping -> object (keys by
    /// [`Node::key_string`], first occurrence wins), sequence -> array, scalars by the
    /// core schema; non-finite floats become their text as written.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => J::Number(n),
                None => J::String(
                    self.raw
                        .as_deref()
                        .map_or_else(|| f.to_string(), str::to_owned),
                ),
            },
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut object = serde_json::Map::with_capacity(entries.len());
                for entry in entries {
                    let key = entry.key.key_string();
                    if !object.contains_key(key.as_ref()) {
                        object.insert(key.into_owned(), entry.value.to_json());
                    }
                }
                J::Object(object)
            }
        }
    }
}

/// RFC 6901 array index: digits without leading zeros.
fn array_index(token: &str) -> Option<usize> {
    let well_formed = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    if well_formed {
        token.parse().ok()
    } else {
        None
    }
}
