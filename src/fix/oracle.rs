//! An independent judge of a fix, for the property tests and the `fix` fuzz target: it
//! knows nothing of edits or declared changes, only what the user may expect of the
//! note's values afterwards.
//!
//! - A note whose frontmatter does not load is left as it was.
//! - The result loads; the bytes after the frontmatter are the same.
//! - Every key the fixes have no business with loads to exactly the same value.
//! - The tags (from `tags` and a deprecated `tag`) are the same set of tags (compared as
//!   Obsidian does), plus the review tag where a `require_when` table matches and minus it
//!   where a `forbid_when` table does — or, where the tags' shape cannot be edited, the
//!   tags are exactly as they were.
//! - `aliases`/`alias` and `cssclasses`/`cssclass` hold the same values.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::config::Config;
use crate::lint::parse_options;
use crate::note::{FrontmatterState, Note};

/// The keys the fixes may change under a configuration whose tags field is `tags`.
const TOUCHED: &[&str] = &["tags", "tag", "aliases", "alias", "cssclasses", "cssclass"];

/// How the review tag came out, for callers that know more about the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsOutcome {
    /// The tags were edited to exactly the expected set.
    AsExpected,
    /// The tags (and `tag`) are exactly as before.
    Unchanged,
}

/// What the caller knows of the input beyond its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knowledge {
    /// The review tag's presence is decided by the `require_when` and `forbid_when` tables
    /// alone (not by `on_errors`).
    pub review_known: bool,
    /// The tags are written in a shape the fixer edits (not a block scalar, an anchored
    /// node or an alias): the expected tags must then be reached.
    pub tags_editable: bool,
}

/// Judges `after`, the result of fixing `before` with safe fixes under `config`.
pub fn judge(
    before: &str,
    after: &str,
    config: &Config,
    knowledge: Knowledge,
) -> Result<TagsOutcome, String> {
    let Knowledge {
        review_known,
        tags_editable,
    } = knowledge;
    let options = parse_options(config);
    let old = Note::parse("n.md".into(), before.to_owned(), &options);
    if !matches!(
        old.frontmatter,
        FrontmatterState::Absent | FrontmatterState::Parsed(_)
    ) {
        return if after == before {
            Ok(TagsOutcome::Unchanged)
        } else {
            Err("a note whose frontmatter does not load was changed".into())
        };
    }
    let new = Note::parse("n.md".into(), after.to_owned(), &options);
    if !matches!(
        new.frontmatter,
        FrontmatterState::Absent | FrontmatterState::Parsed(_)
    ) {
        return Err(format!("the fixed note does not load: {after:?}"));
    }
    if before.get(old.body_start..) != after.get(new.body_start..) {
        return Err("bytes after the frontmatter changed".into());
    }
    if before.starts_with('\u{feff}') != after.starts_with('\u{feff}') {
        return Err("the byte order mark changed".into());
    }
    let old_values = values(&old);
    let new_values = values(&new);
    for key in old_values.keys().chain(new_values.keys()) {
        if !TOUCHED.contains(&key.as_str()) && old_values.get(key) != new_values.get(key) {
            return Err(format!(
                "`{key}` changed from {:?} to {:?}",
                old_values.get(key),
                new_values.get(key)
            ));
        }
    }
    for (plural, singular) in [("aliases", "alias"), ("cssclasses", "cssclass")] {
        let strings = |values: &BTreeMap<String, Json>| -> BTreeSet<String> {
            [plural, singular]
                .iter()
                .flat_map(|k| strings_of(values.get(*k)))
                .collect()
        };
        if strings(&old_values) != strings(&new_values) {
            return Err(format!("the values of `{plural}` changed"));
        }
    }

    let review = config.settings.review.tag.get_ref().trim_start_matches('#');
    let key = |tag: &str| crate::note::tag::tag_key(tag, review);
    let tags_of = |values: &BTreeMap<String, Json>| -> BTreeSet<String> {
        ["tags", "tag"]
            .iter()
            .flat_map(|k| tag_strings(values.get(*k)))
            .map(|t| key(&t))
            .collect()
    };
    let unchanged = old_values.get("tags") == new_values.get("tags")
        && old_values.get("tag") == new_values.get("tag");
    let old_tags = tags_of(&old_values);
    if unchanged && !(review_known && tags_editable) {
        return Ok(TagsOutcome::Unchanged);
    }
    let got = tags_of(&new_values);
    let review_key = key(review);
    if !review_known {
        return if got
            .symmetric_difference(&old_tags)
            .all(|t| *t == review_key)
        {
            Ok(TagsOutcome::AsExpected)
        } else {
            Err(format!("tags became {got:?} from {old_tags:?}"))
        };
    }
    let matches = |tables: &[toml::Table]| {
        tables.iter().any(|table| {
            table
                .iter()
                .all(|(k, v)| old_values.get(k) == Some(&toml_to_json(v)))
        })
    };
    let mut want = old_tags;
    if matches(&config.settings.review.forbid_when) {
        want.remove(&review_key);
    } else if matches(&config.settings.review.require_when) {
        want.insert(review_key);
    }
    if got == want {
        Ok(if unchanged {
            TagsOutcome::Unchanged
        } else {
            TagsOutcome::AsExpected
        })
    } else {
        Err(format!("tags became {got:?}, expected {want:?}"))
    }
}

fn values(note: &Note) -> BTreeMap<String, Json> {
    match note.parsed().map(|fm| fm.root().to_json()) {
        Some(Json::Object(object)) => object.into_iter().collect(),
        Some(Json::Null) | None => BTreeMap::new(),
        Some(other) => BTreeMap::from([(String::new(), other)]),
    }
}

/// The strings of a value: itself, or the string items of a list.
fn strings_of(value: Option<&Json>) -> Vec<String> {
    match value {
        Some(Json::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The tags of a tags value: a list's strings, or a string split as Obsidian reads it.
fn tag_strings(value: Option<&Json>) -> Vec<String> {
    match value {
        Some(Json::String(s)) => crate::note::tag_fields::split_tags(s)
            .into_iter()
            .map(|(_, t)| t.to_owned())
            .collect(),
        other => strings_of(other)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
    }
}

fn toml_to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => Json::from(*i),
        toml::Value::Float(f) => Json::from(*f),
        toml::Value::Boolean(b) => Json::Bool(*b),
        other => Json::String(other.to_string()),
    }
}
