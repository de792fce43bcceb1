//! One JSON Schema (2020-12) per group: every property seen (a one-off key, or a near
//! miss of a common one, is left out and then reported), its JSON type, `format`-like
//! shapes (date, date & time, wikilink) through shared definitions, an `enum` for
//! low-cardinality values that repeat, and `required` for keys present in at least the
//! threshold's share of the group. Obsidian's property types, where declared, are taken as
//! they are. Every property's `description` records its evidence.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::sample::Vault;
use super::stats::{Kind, MIN_SUPPORT, Shape, outliers, percent, supported};
use super::types::Group;
use crate::config::PropertyType;

/// JSON Schema 2020-12.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The file holding the shared definitions.
pub const COMMON_FILE: &str = "common.schema.json";

/// The fewest notes a group needs for `additionalProperties: false`.
const MIN_CLOSED: usize = 10;
/// The most distinct values an enum may have.
const MAX_ENUM: usize = 12;
/// The longest value an enum member may be.
const MAX_ENUM_VALUE: usize = 64;
/// Distinct string values counted per property; beyond this it is no enum anyway.
const MAX_TRACKED_VALUES: usize = 256;

/// Obsidian's list properties, typed by Obsidian itself whatever `types.json` says.
const OBSIDIAN_LISTS: &[(&str, PropertyType)] = &[
    ("tags", PropertyType::Tags),
    ("aliases", PropertyType::Aliases),
    ("cssclasses", PropertyType::Multitext),
];

/// A shared definition of a string's shape, in `common.schema.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Def {
    Date,
    DateTime,
    DateOrDateTime,
    Wikilink,
}

impl Def {
    pub fn name(self) -> &'static str {
        match self {
            Def::Date => "date",
            Def::DateTime => "datetime",
            Def::DateOrDateTime => "date-or-datetime",
            Def::Wikilink => "wikilink",
        }
    }

    fn reference(self) -> String {
        format!("{COMMON_FILE}#/$defs/{}", self.name())
    }

    /// The definition: a shape for strings only (no `type`), so that a property can allow
    /// `null` (or other kinds) beside it.
    fn schema(self) -> Value {
        match self {
            Def::Date => json!({
                "description": "A real calendar date, YYYY-MM-DD.",
                "format": "date"
            }),
            Def::DateTime => json!({
                "description": "A date and time: Obsidian's YYYY-MM-DDTHH:mm[:ss], or RFC 3339 with an offset.",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
            }),
            Def::DateOrDateTime => json!({
                "description": "A date, YYYY-MM-DD, optionally with a time: THH:mm[:ss] and an offset.",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"
            }),
            Def::Wikilink => json!({
                "description": "One Obsidian wikilink in a quoted string: \"[[Note]]\", \"[[Note|shown]]\".",
                "pattern": "^\\[\\[[^\\[\\]]+\\]\\]$"
            }),
        }
    }
}

/// `common.schema.json` with the definitions in `used`.
pub fn common_schema(used: &BTreeSet<Def>) -> Value {
    let defs: Map<String, Value> = used
        .iter()
        .map(|def| (def.name().to_owned(), def.schema()))
        .collect();
    json!({
        "$schema": DRAFT,
        "title": "Common definitions",
        "description": "Value shapes shared by the note schemas, written by `notelint init`. It validates nothing on its own: the note schemas refer to its $defs.",
        "$defs": defs
    })
}

/// What was seen of one property in a group.
#[derive(Debug, Default)]
struct PropertyStats {
    present: usize,
    kinds: BTreeMap<Kind, usize>,
    /// Shapes of the non-empty strings.
    shapes: BTreeMap<Shape, usize>,
    empty_strings: usize,
    /// Non-empty string values, up to `MAX_TRACKED_VALUES` distinct ones.
    values: BTreeMap<String, usize>,
    too_many_values: bool,
    item_kinds: BTreeMap<Kind, usize>,
    item_shapes: BTreeMap<Shape, usize>,
}

impl PropertyStats {
    fn add(&mut self, value: &Value) {
        self.present += 1;
        *self.kinds.entry(Kind::of(value)).or_default() += 1;
        match value {
            Value::String(s) if s.is_empty() => self.empty_strings += 1,
            Value::String(s) => {
                *self.shapes.entry(Shape::of(s)).or_default() += 1;
                if let Some(count) = self.values.get_mut(s) {
                    *count += 1;
                } else if self.values.len() < MAX_TRACKED_VALUES {
                    self.values.insert(s.clone(), 1);
                } else {
                    self.too_many_values = true;
                }
            }
            Value::Array(items) => {
                for item in items {
                    *self.item_kinds.entry(Kind::of(item)).or_default() += 1;
                    if let Some(s) = item.as_str().filter(|s| !s.is_empty()) {
                        *self.item_shapes.entry(Shape::of(s)).or_default() += 1;
                    }
                }
            }
            _ => {}
        }
    }

    /// The kinds inferred: the most common kind of value, every other with support, and
    /// null when a note leaves the property empty. Empty values are fine, as Obsidian
    /// (and `properties/type`) has them, and say nothing about the type: a property empty
    /// in most notes and filled in one is of the filled value's kind.
    fn accepted_kinds(&self) -> Vec<Kind> {
        let mut values = self.kinds.clone();
        let nulls = values.remove(&Kind::Null).unwrap_or(0);
        let mut kinds = accepted(&values);
        if nulls > 0 {
            kinds.insert(0, Kind::Null);
        }
        kinds
    }
}

/// The most common key of `counts` (the first on a tie), and every other with support.
fn accepted<K: Copy + Ord>(counts: &BTreeMap<K, usize>) -> Vec<K> {
    let total: usize = counts.values().sum();
    let top = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| *k);
    counts
        .iter()
        .filter(|(k, n)| Some(**k) == top || supported(**n, total))
        .map(|(k, _)| *k)
        .collect()
}

/// The inferred schema of one group, with what the summary reports of it.
#[derive(Debug)]
pub struct GroupSchema {
    pub document: Value,
    pub properties: usize,
    pub required: usize,
    /// `additionalProperties: false`: the group's keys are consistent.
    pub closed: bool,
    pub defs: BTreeSet<Def>,
}

/// What a group's schema is inferred with.
pub struct Inputs<'a> {
    pub vault: &'a Vault,
    /// The type field and this group's value, when grouped by a field.
    pub type_field: Option<&'a str>,
    /// Share of the group's notes a key must be in to be required (0..=1).
    pub threshold: f64,
    /// A noun for the group's notes in evidence: "people notes", "notes in Daily/".
    pub noun: &'a str,
}

/// Infers the schema of `group`.
pub fn infer(group: &Group, inputs: &Inputs<'_>) -> GroupSchema {
    let size = group.members.len();
    let mut stats: BTreeMap<&str, PropertyStats> = BTreeMap::new();
    for &i in &group.members {
        if let Some(fm) = &inputs.vault.samples[i].frontmatter {
            for (key, value) in fm {
                stats.entry(key.as_str()).or_default().add(value);
            }
        }
    }
    let with_fm = group
        .members
        .iter()
        .filter(|&&i| inputs.vault.samples[i].frontmatter.is_some())
        .count();
    // A key in a single note, or a near miss of a key most notes have, is not part of
    // the group's shape: `check` reports it.
    let common: Vec<&str> = stats
        .iter()
        .filter(|(_, s)| s.present * 2 >= with_fm)
        .map(|(k, _)| *k)
        .collect();
    let obsidian_type = |key: &str| {
        OBSIDIAN_LISTS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, ty)| *ty)
            .or_else(|| {
                inputs
                    .vault
                    .obsidian_types
                    .get(&crate::text::fold(key))
                    .copied()
            })
    };
    let kept = |key: &str, s: &PropertyStats| {
        let near_miss =
            s.present * 20 < with_fm && common.iter().any(|c| *c != key && is_near_miss(key, c));
        (s.present >= MIN_SUPPORT || obsidian_type(key).is_some() || Some(key) == inputs.type_field)
            && !near_miss
    };
    let notes_with_dropped = group
        .members
        .iter()
        .filter(|&&i| {
            inputs.vault.samples[i]
                .frontmatter
                .as_ref()
                .is_some_and(|fm| fm.keys().any(|k| !kept(k, &stats[k.as_str()])))
        })
        .count();
    // Closing a schema on a handful of notes would turn every extra property into a
    // finding: only a group large enough to show its shape is closed.
    let closed = with_fm >= MIN_CLOSED && outliers(notes_with_dropped, with_fm);

    let mut order: Vec<(&str, &PropertyStats)> = stats
        .iter()
        .filter(|(k, s)| kept(k, s))
        .map(|(k, s)| (*k, s))
        .collect();
    order.sort_by(|a, b| b.1.present.cmp(&a.1.present).then(a.0.cmp(b.0)));

    let mut defs = BTreeSet::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (key, s) in order {
        let mut values = String::new();
        let mut schema = if Some(key) == inputs.type_field {
            json!({ "const": group.name })
        } else if let Some(ty) = obsidian_type(key) {
            obsidian_schema(key, ty, &mut defs)
        } else {
            data_schema(s, &mut defs, &mut values)
        };
        let mut evidence = format!(
            "In {} of {} {} ({}%)",
            s.present,
            size,
            inputs.noun,
            percent(s.present, size)
        );
        if let Some(ty) = obsidian_type(key).filter(|_| Some(key) != inputs.type_field) {
            evidence.push_str(&format!("; Obsidian type {}", type_name(ty)));
        } else {
            evidence.push_str(&format!("; {}", kinds_evidence(s)));
        }
        evidence.push_str(&values);
        evidence.push('.');
        if let Some(object) = schema.as_object_mut() {
            object.insert("description".to_owned(), Value::String(evidence));
        }
        if s.present as f64 >= inputs.threshold * size as f64 && s.present > 0 {
            required.push(Value::String(key.to_owned()));
        }
        properties.insert(key.to_owned(), schema);
    }

    let mut document = Map::new();
    document.insert("$schema".into(), json!(DRAFT));
    document.insert("title".into(), json!(group.name));
    document.insert(
        "description".into(),
        json!(format!(
            "Inferred by `notelint init` from {size} {}.",
            inputs.noun
        )),
    );
    document.insert("type".into(), json!("object"));
    let count = properties.len();
    document.insert("properties".into(), Value::Object(properties));
    let required_count = required.len();
    if !required.is_empty() {
        document.insert("required".into(), Value::Array(required));
    }
    if closed {
        document.insert("additionalProperties".into(), json!(false));
    }
    GroupSchema {
        document: Value::Object(document),
        properties: count,
        required: required_count,
        closed,
        defs,
    }
}

/// Two property names one slip apart (`last_contcat`, `last_contact`).
fn is_near_miss(a: &str, b: &str) -> bool {
    let distance = strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase());
    let longest = a.chars().count().max(b.chars().count());
    distance <= if longest > 6 { 2 } else { 1 }
}

/// "string 410, null 2 (not inferred: number 1)".
fn kinds_evidence(s: &PropertyStats) -> String {
    let accepted = s.accepted_kinds();
    let list = |pick: bool| {
        s.kinds
            .iter()
            .filter(|(k, _)| accepted.contains(k) == pick)
            .map(|(k, n)| format!("{} {n}", k.json_type()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rest = list(false);
    if rest.is_empty() {
        list(true)
    } else {
        format!("{} (too rare to infer: {rest})", list(true))
    }
}

pub fn type_name(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::Text => "text",
        PropertyType::Multitext => "multitext",
        PropertyType::Number => "number",
        PropertyType::Checkbox => "checkbox",
        PropertyType::Date => "date",
        PropertyType::Datetime => "datetime",
        PropertyType::Aliases => "aliases",
        PropertyType::Tags => "tags",
    }
}

/// The schema of a property Obsidian types: its type, empty values allowed. A list
/// property written as a string is `frontmatter/deprecated-key`'s (for `tags`, `aliases`,
/// `cssclasses`) or `properties/type`'s finding, so strings pass here: one value, one
/// finding.
fn obsidian_schema(key: &str, ty: PropertyType, defs: &mut BTreeSet<Def>) -> Value {
    let with_def = |def: Def, defs: &mut BTreeSet<Def>| {
        defs.insert(def);
        json!({ "type": ["string", "null"], "$ref": def.reference() })
    };
    match ty {
        PropertyType::Checkbox => json!({ "type": ["boolean", "null"] }),
        PropertyType::Number => json!({ "type": ["number", "null"] }),
        PropertyType::Date => with_def(Def::Date, defs),
        PropertyType::Datetime => with_def(Def::DateTime, defs),
        PropertyType::Text => json!({ "type": ["string", "null"] }),
        PropertyType::Tags => json!({
            "type": ["array", "string", "null"],
            "items": { "type": ["string", "null"] }
        }),
        PropertyType::Multitext | PropertyType::Aliases => {
            let string = if OBSIDIAN_LISTS.iter().any(|(name, _)| *name == key) {
                json!(["array", "string", "null"])
            } else {
                json!(["array", "null"])
            };
            json!({ "type": string, "items": { "type": "string" } })
        }
    }
}

/// The schema the values themselves show: the accepted kinds as `type`, refined for
/// strings (a shared shape or an enum) and for lists (their items).
fn data_schema(s: &PropertyStats, defs: &mut BTreeSet<Def>, evidence: &mut String) -> Value {
    let mut kinds = s.accepted_kinds();
    // An integer is a number: a property that holds both is a number.
    if kinds.contains(&Kind::Integer) && kinds.contains(&Kind::Number) {
        kinds.retain(|k| *k != Kind::Integer);
    }
    let mut schema = Map::new();
    let types: Vec<&str> = kinds.iter().map(|k| k.json_type()).collect();
    schema.insert(
        "type".into(),
        match types.as_slice() {
            [one] => json!(one),
            _ => json!(types),
        },
    );
    if kinds.contains(&Kind::String) {
        refine_strings(s, &kinds, &mut schema, defs, evidence);
    }
    if kinds.contains(&Kind::Array)
        && let Some(items) = items_schema(s, defs)
    {
        schema.insert("items".into(), items);
    }
    Value::Object(schema)
}

/// A shared shape when (nearly) every string has it, else an enum when few values repeat.
fn refine_strings(
    s: &PropertyStats,
    kinds: &[Kind],
    schema: &mut Map<String, Value>,
    defs: &mut BTreeSet<Def>,
    evidence: &mut String,
) {
    // Empty strings in several notes are part of the field's shape: no shape then.
    if supported(s.empty_strings, s.present) {
        return;
    }
    if let Some(def) = shape_def(&s.shapes) {
        defs.insert(def);
        schema.insert("$ref".into(), json!(def.reference()));
        let strings: usize = s.shapes.values().sum();
        let fitting = match def {
            Def::Date => s.shapes.get(&Shape::Date).copied().unwrap_or(0),
            Def::DateTime => s.shapes.get(&Shape::DateTime).copied().unwrap_or(0),
            Def::DateOrDateTime => {
                s.shapes.get(&Shape::Date).copied().unwrap_or(0)
                    + s.shapes.get(&Shape::DateTime).copied().unwrap_or(0)
            }
            Def::Wikilink => s.shapes.get(&Shape::Wikilink).copied().unwrap_or(0),
        };
        evidence.push_str(&format!(
            "; {} of {strings} texts are a {}",
            fitting,
            def.name()
        ));
        return;
    }
    let strings: usize = s.shapes.values().sum();
    if s.too_many_values || strings < 5 {
        return;
    }
    let members: Vec<&String> = s
        .values
        .iter()
        .filter(|(v, n)| **n >= MIN_SUPPORT && v.chars().count() <= MAX_ENUM_VALUE)
        .map(|(v, _)| v)
        .collect();
    let in_members: usize = members.iter().map(|m| s.values[*m]).sum();
    let few = !members.is_empty() && members.len() <= MAX_ENUM && members.len() * 3 <= strings;
    if few && outliers(strings - in_members, strings) {
        let listed = |pick: bool| {
            s.values
                .iter()
                .filter(|(v, _)| members.contains(v) == pick)
                .map(|(v, n)| format!("{v} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        evidence.push_str(&format!("; values {}", listed(true)));
        let rare = listed(false);
        if !rare.is_empty() {
            evidence.push_str(&format!(" (too rare to allow: {rare})"));
        }
        let mut values: Vec<Value> = members.iter().map(|m| json!(m)).collect();
        if kinds.contains(&Kind::Null) {
            values.push(Value::Null);
        }
        schema.insert("enum".into(), Value::Array(values));
    }
}

/// The shared shape (nearly) all of these strings have.
fn shape_def(shapes: &BTreeMap<Shape, usize>) -> Option<Def> {
    let total: usize = shapes.values().sum();
    let count = |shape| shapes.get(&shape).copied().unwrap_or(0);
    let (dates, times, links) = (
        count(Shape::Date),
        count(Shape::DateTime),
        count(Shape::Wikilink),
    );
    if dates + times >= MIN_SUPPORT && outliers(total - dates - times, total) {
        return Some(if outliers(times, total) {
            Def::Date
        } else if outliers(dates, total) {
            Def::DateTime
        } else {
            Def::DateOrDateTime
        });
    }
    (links >= MIN_SUPPORT && outliers(total - links, total)).then_some(Def::Wikilink)
}

/// The items of a list property, when they agree.
fn items_schema(s: &PropertyStats, defs: &mut BTreeSet<Def>) -> Option<Value> {
    if s.item_kinds.is_empty() {
        return None;
    }
    let kinds = accepted(&s.item_kinds);
    let types: Vec<&str> = kinds.iter().map(|k| k.json_type()).collect();
    let mut items = Map::new();
    items.insert(
        "type".into(),
        match types.as_slice() {
            [one] => json!(one),
            _ => json!(types),
        },
    );
    if kinds.contains(&Kind::String)
        && let Some(def) = shape_def(&s.item_shapes)
    {
        defs.insert(def);
        items.insert("$ref".into(), json!(def.reference()));
    }
    Some(Value::Object(items))
}
