//! `review/*`: the review tag (`needs-review` by default) that marks notes for a human.
//!
//! `[review] require_when` tables say when a note must carry the tag, `forbid_when` when
//! it must not (forbid wins), `on_errors` asks for it on notes with error findings.
//! Variants of the tag (`Needs-Review`, `needs_review`, `#needs-review`) count as the tag
//! (one comparison key, [`crate::note::tag::tag_key`]); the tag rules normalise them. The fixes add
//! or remove the tag without touching any other byte.

use super::tags;
use super::{Context, Rule};
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix, KeyChange, Severity, Span};
use crate::note::tag_fields::{TagField, TagItem, tag_fields};
use crate::note::{Frontmatter, FrontmatterState, Note};
use crate::yaml::edit::{self, NotEditable};
use crate::yaml::{Node, Value};

pub static MISSING_TAG: Rule = Rule {
    code: "review/missing-tag",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "a `require_when` condition holds but the review tag is absent",
    explanation: "\
## What it finds
A note that matches a table of `[review] require_when` (every key/value of the table equals \
the note's property), or has error findings under `on_errors = true`, but does not carry the \
review tag (`[review] tag`, `needs-review` by default).

## Why
Notes created by automations (meeting importers, CRM syncs) need a human look before they \
are trusted; the tag is what puts them on the review list.

## Example
```yaml
auto_created: true
tags:
  - type/people
```
with `require_when = [{ auto_created = true }]`.

## Fix
Safe: `notelint fix` adds the tag in the list's own style (a `- needs-review` line in a block \
list, `, needs-review` in a flow list), adds a `tags` list at the end of the frontmatter when \
there is none, and a frontmatter block when the note has none.",
};

pub static STALE_TAG: Rule = Rule {
    code: "review/stale-tag",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "a `forbid_when` condition holds but the review tag is present",
    explanation: "\
## What it finds
A note that matches a table of `[review] forbid_when` (for example `reviewed: true`) but \
still carries the review tag.

## Why
A reviewed note left on the review list wastes the reviewers' time and hides the notes that \
still need them.

## Example
```yaml
reviewed: true
tags: [type/people, needs-review]
```
with `forbid_when = [{ reviewed = true }]`.

## Fix
Safe: `notelint fix` removes the tag: its line in a block list, the item and its comma in a \
flow list; the last item leaves `tags: []`.",
};

pub static RULES: &[&Rule] = &[&MISSING_TAG, &STALE_TAG];

/// The review findings of one note. `has_errors`: the note has error findings (for
/// `on_errors`).
///
/// Runs after the tag rules and reads the same collected tags: the review tag's variants
/// and duplicates are theirs to report (`tags/non-canonical`, `tags/duplicate`); this
/// rule reports only whether the tag is there when it must or must not be.
pub fn check(note: &Note, cx: &Context<'_>, has_errors: bool) -> Vec<Diagnostic> {
    let review = &cx.config.settings.review;
    let canonical = review.tag.get_ref().trim_start_matches('#');
    let fm = note.parsed();
    if !matches!(
        note.frontmatter,
        FrontmatterState::Absent | FrontmatterState::Parsed(_)
    ) {
        // A frontmatter that does not load is never modified and its conditions are unknown.
        return Vec::new();
    }
    let root = fm.map(Frontmatter::root);
    let matches_any = |tables: &[toml::Table]| tables.iter().any(|t| table_matches(t, root));
    let forbidden = matches_any(&review.forbid_when);
    let required =
        !forbidden && (matches_any(&review.require_when) || (review.on_errors && has_errors));

    let key = crate::note::tag::tag_key(canonical, canonical);
    let settings = &cx.config.settings;
    let fields = tag_fields(note, &settings.tags.fields, settings.review.tag.get_ref());
    let present: Vec<(&TagField<'_>, &TagItem)> = fields
        .iter()
        .flat_map(|f| f.items.iter().map(move |i| (f, i)))
        .filter(|(_, item)| item.is_tag() && item.key == key)
        .collect();

    let mut out = Vec::new();
    if forbidden {
        for (field, item) in &present {
            let d = Diagnostic::new(
                &STALE_TAG,
                item.span.clone(),
                format!(
                    "note is tagged `{}` but a `forbid_when` condition holds",
                    item.text
                ),
            )
            .with_help(format!(
                "remove `{}`: the note is marked as reviewed",
                item.text
            ))
            .with_fix(tags::remove_fix(note, field, item));
            out.push(d);
        }
    } else if required && present.is_empty() {
        let why = if matches_any(&review.require_when) {
            "a `require_when` condition holds"
        } else {
            "it has error findings (`on_errors`)"
        };
        let d = Diagnostic::new(
            &MISSING_TAG,
            anchor(note, fm, &fields),
            format!("note lacks the review tag `{canonical}`: {why}"),
        )
        .with_help(format!("add `{canonical}` to the note's tags"))
        .with_fix(add_fix(note, cx, &fields, canonical));
        out.push(d);
    }
    out
}

/// Every key/value of the table equals the note's property.
fn table_matches(table: &toml::Table, root: Option<&Node>) -> bool {
    let Some(root) = root else {
        return false;
    };
    table.iter().all(|(key, want)| {
        root.get(key)
            .is_some_and(|entry| value_matches(want, &entry.value))
    })
}

/// Scalars compare by value; a TOML array matches a list holding each of its values.
fn value_matches(want: &toml::Value, node: &Node) -> bool {
    match (want, &node.value) {
        (toml::Value::Boolean(a), Value::Bool(b)) => a == b,
        (toml::Value::Integer(a), Value::Int(b)) => a == b,
        (toml::Value::Float(a), Value::Float(b)) => a == b,
        (toml::Value::String(a), Value::String(b)) => a == b,
        (toml::Value::Array(items), Value::Seq(nodes)) => items
            .iter()
            .all(|item| nodes.iter().any(|node| value_matches(item, node))),
        _ => false,
    }
}

/// Where a missing tag is reported: the tags field, else the frontmatter's opening line,
/// else the note's first line.
fn anchor(note: &Note, fm: Option<&Frontmatter>, fields: &[TagField<'_>]) -> Span {
    if let (Some(fm), Some(field)) = (fm, fields.first()) {
        return fm.span(&field.entry.key.span);
    }
    if let Some(fm) = fm {
        return fm.block.open.clone();
    }
    let start = note.body_start;
    let end = note.text[start..]
        .find(['\r', '\n'])
        .map_or(note.text.len(), |i| start + i);
    start..end
}

/// Adds the tag to the first tags field in its own style, or a tags list at the end of
/// the frontmatter, or a frontmatter to a note without one.
fn add_fix(
    note: &Note,
    cx: &Context<'_>,
    fields: &[TagField<'_>],
    tag: &str,
) -> Result<Fix, NotEditable> {
    let field_name = cx
        .config
        .settings
        .tags
        .fields
        .first()
        .map_or("tags", String::as_str);
    let change = || vec![KeyChange::new(field_name, Change::Append(vec![tag.into()]))];
    let Some(fm) = note.parsed() else {
        // No frontmatter: give the note one, after a BOM, in the note's line endings.
        let eol = edit::line_ending_at(&note.text, note.body_start);
        let key = edit::string_source(field_name, false);
        let item = edit::string_source(tag, false);
        let edit = Edit {
            span: note.body_start..note.body_start,
            replacement: format!("---{eol}{key}:{eol}  - {item}{eol}---{eol}"),
        };
        return Ok(Fix::safe(vec![edit], change()));
    };
    match fields.first() {
        Some(field) => tags::append_fix(note, field, tag),
        None => {
            let src = fm.yaml(&note.text);
            let edit = edit::add_list_entry(src, fm.root(), field_name, &[tag])?;
            Ok(Fix::safe(vec![fm.edit(edit)], change()))
        }
    }
}
