//! `properties/type`: values checked against Obsidian's property types — those of
//! `.obsidian/types.json` (with `[properties] obsidian_types`, the default, even without a
//! `notelint.toml`) and of `[properties] types` — with Obsidian's meaning of each type.
//!
//! One value is reported once: what `frontmatter/deprecated-key` reports (`tags`,
//! `aliases`, `cssclasses` as a string; `tag`, `alias`, `cssclass`) is left to it, and a
//! key that the note's JSON Schema constrains ([`CompiledSchema::constrains`]) is left to
//! the schema.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Context, Rule};
use crate::config::{Config, PropertyType};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::note::date::Format;
use crate::note::{Frontmatter, Note};
use crate::schema::{CompiledSchema, Schemas};
use crate::yaml::{Entry, Node, ScalarStyle, Style, Value};

pub static TYPE: Rule = Rule {
    code: "properties/type",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "a value that does not fit its Obsidian property type (`.obsidian/types.json`, `[properties] types`)",
    explanation: "\
## What it finds
A frontmatter value that does not fit the type Obsidian gives the property in \
`.obsidian/types.json` (or `[properties] types` in `notelint.toml`), read as Obsidian reads \
it: a checkbox holds `true` or `false` (`yes` is text under YAML 1.2), a number is written \
unquoted, a date is `YYYY-MM-DD` (a real date), a date & time `YYYY-MM-DDTHH:mm` with \
optional seconds, text is one string, and list, aliases and tags properties hold a list. \
Empty values are fine. `tags`, `aliases` and `cssclasses` written as a string are \
`frontmatter/deprecated-key` findings instead, and a property the note's JSON Schema \
constrains is left to the schema, so one value is reported once.

## Why
Obsidian shows a value of the wrong type as invalid in its Properties view, and its \
searches, sorting and Bases skip it: a quoted `\"4\"` is not the number 4, `done: yes` is \
not ticked.

## Example
```yaml
rating: \"4\"        # number property
done: yes          # checkbox property
related: Contoso   # list property
```

## Fix
Safe where a list is wanted and a single string is given: `related: Contoso` becomes \
`related: [Contoso]`. Other values are left to you: the help names the type.",
};

pub static RULES: &[&Rule] = &[&TYPE];

/// Where a property's type was declared, for help lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    ObsidianTypes,
    Config,
}

impl Declared {
    fn source(self) -> &'static str {
        match self {
            Declared::ObsidianTypes => "`.obsidian/types.json`",
            Declared::Config => "`[properties] types`",
        }
    }
}

/// The property types of a run, by folded property name (Obsidian compares property
/// names case-insensitively).
#[derive(Debug, Default)]
pub struct PropertyTypes {
    types: BTreeMap<String, (PropertyType, Declared)>,
}

impl PropertyTypes {
    /// `.obsidian/types.json` of the vault root (when `[properties] obsidian_types`), then
    /// `[properties] types` over it. An unreadable or malformed `types.json` declares
    /// nothing, as Obsidian then starts afresh; types it does not know are skipped.
    pub fn load(config: &Config) -> PropertyTypes {
        let settings = &config.settings.properties;
        let mut types = if settings.obsidian_types {
            obsidian_types(&config.vault_root)
        } else {
            BTreeMap::new()
        };
        for (name, ty) in &settings.types {
            types.insert(fold(name), (*ty, Declared::Config));
        }
        PropertyTypes { types }
    }

    pub fn get(&self, name: &str) -> Option<(PropertyType, Declared)> {
        self.types.get(&fold(name)).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Every declared type by folded name, for `init`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, PropertyType)> {
        self.types
            .iter()
            .map(|(name, (ty, _))| (name.as_str(), *ty))
    }
}

fn fold(name: &str) -> String {
    crate::text::fold(name)
}

/// The `types` object of `.obsidian/types.json` under `root`.
pub fn obsidian_types(root: &Path) -> BTreeMap<String, (PropertyType, Declared)> {
    let path = root.join(".obsidian").join("types.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return BTreeMap::new();
    };
    let Some(types) = json.get("types").and_then(|t| t.as_object()) else {
        return BTreeMap::new();
    };
    types
        .iter()
        .filter_map(|(name, ty)| {
            let ty = serde_json::from_value::<PropertyType>(ty.clone()).ok()?;
            Some((fold(name), (ty, Declared::ObsidianTypes)))
        })
        .collect()
}

/// The `properties/type` findings of one note.
pub fn check(note: &Note, cx: &Context<'_>, schemas: &Schemas, abs_path: &Path) -> Vec<Diagnostic> {
    let types = &cx.property_types;
    if types.is_empty() {
        return Vec::new();
    }
    let Some(fm) = note.parsed() else {
        return Vec::new();
    };
    let Some(entries) = fm.root().as_map() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The note's schema, looked up only when a value is wrong (most notes have none).
    let mut schema: Option<Option<std::sync::Arc<CompiledSchema>>> = None;
    for entry in entries {
        let key = entry.key.key_string();
        let Some((ty, declared)) = types.get(&key) else {
            continue;
        };
        if super::deprecated::reports(&key, &entry.value)
            || owned_by_other_rules(cx, &key, &entry.value)
        {
            continue;
        }
        let Some(mismatch) = mismatch(ty, &entry.value) else {
            continue;
        };
        let schema = schema.get_or_insert_with(|| {
            schemas
                .associate(&note.path, abs_path, Some(fm))
                .ok()
                .and_then(|association| association.schema)
        });
        if schema.as_ref().is_some_and(|s| s.constrains(&key)) {
            continue;
        }
        out.push(diagnostic(note, fm, entry, &key, ty, declared, &mismatch));
    }
    out
}

/// Whether another rule already judges this value: the tags rules read every field of
/// `[tags] fields`, and the dates rule reports a `[dates] fields` value that is not a date
/// in its format (one that is, but not of the Obsidian type, is still this rule's).
fn owned_by_other_rules(cx: &Context<'_>, key: &str, value: &Node) -> bool {
    let settings = &cx.config.settings;
    if settings.tags.fields.iter().any(|field| field == key) {
        return true;
    }
    let dated = settings.dates.fields.iter().any(|field| field == key);
    let empty = matches!(&value.value, Value::Null) || value.as_str() == Some("");
    dated
        && !empty
        && value
            .as_str()
            .is_none_or(|text| settings.dates.format.parse(text).is_err())
}

/// What is wrong with a value of a property of type `ty`; `None` when it fits.
fn mismatch(ty: PropertyType, value: &Node) -> Option<String> {
    let holds = holds(value);
    match (&value.value, ty) {
        // Empty values are fine whatever the type.
        (Value::Null, _) => None,
        (Value::String(s), _) if s.is_empty() => None,
        (Value::Seq(items), _) if items.is_empty() => None,
        (Value::Bool(_), PropertyType::Checkbox) => None,
        (Value::Int(_) | Value::Float(_), PropertyType::Number) => None,
        (Value::String(s), PropertyType::Date) if Format::Date.parse(s).is_ok() => None,
        (Value::String(s), PropertyType::Datetime) if is_datetime(s) => None,
        (Value::String(_), PropertyType::Text) => None,
        (Value::Seq(_), PropertyType::Multitext | PropertyType::Aliases | PropertyType::Tags) => {
            None
        }
        _ => Some(holds),
    }
}

/// `YYYY-MM-DDTHH:mm[:ss]`, Obsidian's zone-less date & time (a real one).
fn is_datetime(text: &str) -> bool {
    Format::DateTime
        .parse(text)
        .is_ok_and(|moment| moment.instant.is_none())
}

/// What a value is, for messages: "the text `yes`", "a list".
fn holds(value: &Node) -> String {
    let quoted = matches!(
        value.style,
        Style::Scalar(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
    );
    match &value.value {
        Value::Null => "nothing".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Int(_) | Value::Float(_) => {
            format!("the number `{}`", value.scalar_text().unwrap_or_default())
        }
        Value::String(s) if quoted => format!("the quoted text `{}`", short(s)),
        Value::String(s) => format!("the text `{}`", short(s)),
        Value::Seq(_) => "a list".to_owned(),
        Value::Map(_) => "a mapping".to_owned(),
    }
}

fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    let head = head.replace(['\n', '\r'], " ");
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn type_name(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::Text => "text",
        PropertyType::Multitext => "list",
        PropertyType::Number => "number",
        PropertyType::Checkbox => "checkbox",
        PropertyType::Date => "date",
        PropertyType::Datetime => "date & time",
        PropertyType::Aliases => "aliases",
        PropertyType::Tags => "tags",
    }
}

fn diagnostic(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    ty: PropertyType,
    declared: Declared,
    holds: &str,
) -> Diagnostic {
    let span = fm.span(&entry.value.span);
    let name = type_name(ty);
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let d = Diagnostic::new(
        &TYPE,
        span,
        format!("`{key}` is {article} {name} property but holds {holds}"),
    );
    let declared_by = format!(
        "{} declares `{key}` {article} {name} property",
        declared.source()
    );
    let value = &entry.value;
    match (ty, &value.value) {
        (
            PropertyType::Multitext | PropertyType::Aliases | PropertyType::Tags,
            Value::String(s),
        ) => {
            let fix = super::deprecated::list_fix(note, fm, entry, key, std::slice::from_ref(s));
            match fix {
                Ok((list, fix)) => d
                    .with_help(format!(
                        "{declared_by}: write it as a list, `{key}: {list}`"
                    ))
                    .with_fix(Ok::<_, crate::yaml::edit::NotEditable>(fix)),
                Err(why) => d
                    .with_help(format!("{declared_by}: write it as a list"))
                    .with_fix(Err::<crate::diagnostic::Fix, _>(why)),
            }
        }
        _ => d.with_help(format!("{declared_by}: {}", how_to_write(ty, value))),
    }
}

/// How a value of the type is written, tailored to the value when that helps.
fn how_to_write(ty: PropertyType, value: &Node) -> String {
    let text = value.as_str().unwrap_or_default();
    match ty {
        PropertyType::Checkbox => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => "write `true`, unquoted".to_owned(),
            "false" | "no" | "off" => "write `false`, unquoted".to_owned(),
            _ => "write `true` or `false`".to_owned(),
        },
        PropertyType::Number if !text.is_empty() && text.trim().parse::<f64>().is_ok() => {
            format!("write the number without quotes: `{}`", text.trim())
        }
        PropertyType::Number => "write a number, unquoted, such as `4` or `2.5`".to_owned(),
        PropertyType::Date => match Format::Date.parse(text) {
            Err(crate::note::date::Problem::Range { reason, .. }) => {
                format!("`{text}` is not a real date: {reason}")
            }
            _ => "write a date like `2025-11-06`".to_owned(),
        },
        PropertyType::Datetime => "write a date and time like `2025-11-06T14:30`".to_owned(),
        PropertyType::Text => match &value.value {
            Value::Seq(_) | Value::Map(_) => "write one line of text".to_owned(),
            _ => "write it as quoted text, such as `\"1.0\"`".to_owned(),
        },
        PropertyType::Multitext | PropertyType::Aliases | PropertyType::Tags => {
            "write it as a list, such as `[a, b]`".to_owned()
        }
    }
}
