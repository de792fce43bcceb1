//! The counting every inference shares: what kind of value a property holds, what shape a
//! string has (date, date & time, wikilink), and when a count is support rather than an
//! outlier.
//!
//! Support is the one rule that makes inference robust: a value, type, group or enum
//! member seen once is never enough to be inferred — it is what `check` then reports.

use serde_json::Value;

use crate::note::date::Format;

/// A minority is inferred (rather than reported) when it is seen at least this many times...
pub const MIN_SUPPORT: usize = 2;
/// ...and in at least 1 of this many of the values it is counted among.
pub const SUPPORT_RATIO: usize = 20;

/// Whether `count` of `total` is enough to be part of what is inferred: at least
/// [`MIN_SUPPORT`] and at least 1/[`SUPPORT_RATIO`] of the total. One odd value in any
/// number of notes is never support.
pub fn supported(count: usize, total: usize) -> bool {
    count >= MIN_SUPPORT && count * SUPPORT_RATIO >= total
}

/// Whether `rest` of `total` values are few enough to be outliers of the others.
pub fn outliers(rest: usize, total: usize) -> bool {
    !supported(rest, total)
}

/// The JSON kind of a frontmatter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub fn of(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// The JSON Schema `type` name.
    pub fn json_type(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// What a non-empty string looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// `YYYY-MM-DD`, a real date.
    Date,
    /// A real date with a time of day (Obsidian's zone-less form or RFC 3339).
    DateTime,
    /// Exactly one wikilink: `[[...]]`.
    Wikilink,
    Text,
}

impl Shape {
    pub fn of(text: &str) -> Shape {
        if Format::Date.parse(text).is_ok() {
            Shape::Date
        } else if Format::DateTime.parse(text).is_ok() {
            Shape::DateTime
        } else if is_wikilink(text) {
            Shape::Wikilink
        } else {
            Shape::Text
        }
    }
}

/// `[[...]]` with no other brackets inside.
pub fn is_wikilink(text: &str) -> bool {
    text.strip_prefix("[[")
        .and_then(|rest| rest.strip_suffix("]]"))
        .is_some_and(|inner| !inner.trim().is_empty() && !inner.contains(['[', ']']))
}

/// `n` of `total` as a whole percentage, for evidence ("412 of 415 (99%)").
pub fn percent(n: usize, total: usize) -> usize {
    (n * 100).checked_div(total).unwrap_or(0)
}

/// "1 note" / "2 notes".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
