//! `review/*`: the review tag (`needs-review` by default) that marks notes for a human.
//!
//! `[review] require_when` tables say when a note must carry the tag, `forbid_when` when
//! it must not (forbid wins), `on_errors` asks for it on notes with error findings.
//! Variants of the tag (`Needs-Review`, `needs_review`, `#needs-review`) count as the tag
//! and are normalised; the fixes add or remove it without touching any other byte.

use super::tags::{self, Place, TagField, TagItem};
use super::{Context, Rule};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::note::{Frontmatter, FrontmatterState, Note};
use crate::yaml::{Node, Style, Value};

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
pub fn check(note: &Note, cx: &Context<'_>, has_errors: bool) -> Vec<Diagnostic> {
    let review = &cx.config.settings.review;
    let canonical = review.tag.trim_start_matches('#');
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

    let fields = tags::tag_fields(note, cx.config);
    let present: Vec<(&TagField<'_>, &TagItem)> = fields
        .iter()
        .flat_map(|f| f.items.iter().map(move |i| (f, i)))
        .filter(|(_, item)| item.is_tag() && is_variant(&item.name, canonical))
        .collect();

    let mut out = Vec::new();
    if forbidden {
        for (field, item) in &present {
            let mut d = Diagnostic::new(
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
            ));
            d.fix = remove_fix(note, field, item);
            out.push(d);
        }
        return out;
    }
    if required && present.is_empty() {
        let why = if matches_any(&review.require_when) {
            "a `require_when` condition holds"
        } else {
            "it has error findings (`on_errors`)"
        };
        let mut d = Diagnostic::new(
            &MISSING_TAG,
            anchor(note, fm, &fields),
            format!("note lacks the review tag `{canonical}`: {why}"),
        )
        .with_help(format!("add `{canonical}` to the note's tags"));
        d.fix = add_fix(note, &fields, canonical);
        out.push(d);
    }
    // Variants are normalised and never duplicated, whatever the conditions say.
    let mut kept_one = false;
    for (field, item) in &present {
        if kept_one {
            let mut d = Diagnostic::new(
                &tags::DUPLICATE,
                item.span.clone(),
                format!("review tag `{canonical}` is listed more than once"),
            )
            .with_help(format!("remove this `{}`", item.text));
            d.fix = remove_fix(note, field, item);
            out.push(d);
            continue;
        }
        kept_one = true;
        if item.text != canonical && !reported_by_tags(cx, &item.text) {
            let mut d = Diagnostic::new(
                &tags::NON_CANONICAL,
                item.span.clone(),
                format!("review tag written as `{}`", item.text),
            )
            .with_help(format!("write it as `{canonical}`"));
            d.fix = item
                .exact
                .then(|| tags::replace_tag(note, item, canonical))
                .flatten()
                .map(|edit| safe(vec![edit]));
            out.push(d);
        }
    }
    out
}

/// Whether `name` (without `#`) is the review tag written another way.
fn is_variant(name: &str, canonical: &str) -> bool {
    let fold = |s: &str| -> String {
        s.trim_start_matches('#')
            .chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c })
            .collect::<String>()
            .to_lowercase()
    };
    fold(name) == fold(canonical)
}

/// `tags/non-canonical` already reports a leading `#` and, under `case = "lower"`, upper case.
fn reported_by_tags(cx: &Context<'_>, text: &str) -> bool {
    text.starts_with('#')
        || (cx.config.settings.tags.case == crate::config::TagCase::Lower
            && text.chars().any(char::is_uppercase))
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

fn safe(edits: Vec<Edit>) -> Fix {
    Fix {
        applicability: Applicability::Safe,
        edits,
    }
}

fn remove_fix(note: &Note, field: &TagField<'_>, item: &TagItem) -> Option<Fix> {
    if item.place != Place::Value {
        return tags::remove_item_fix(note, field, item);
    }
    // One tag of a string such as `a, needs-review b`: remove it and one separator.
    let text = &note.text;
    let after = text.get(item.span.end..)?;
    let trailing = after.len() - after.trim_start_matches([',', ' ']).len();
    let span = if trailing > 0 && item.span.end + trailing < item.node_span.end {
        item.span.start..item.span.end + trailing
    } else {
        let before = text.get(..item.span.start)?;
        let leading = before.len() - before.trim_end_matches([',', ' ']).len();
        item.span.start - leading..item.span.end
    };
    if span.start <= item.node_span.start && span.end >= item.node_span.end {
        return None;
    }
    Some(safe(vec![Edit {
        span,
        replacement: String::new(),
    }]))
}

/// Adds the tag in the style of the first tags field, or a `tags` list, or a frontmatter.
fn add_fix(note: &Note, fields: &[TagField<'_>], tag: &str) -> Option<Fix> {
    if !tags::loads_as(tag, tag, false) || !tags::loads_as(tag, tag, true) {
        return None;
    }
    let text = &note.text;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let Some(fm) = note.parsed() else {
        // No frontmatter: give the note one, after a BOM.
        return Some(safe(vec![Edit {
            span: note.body_start..note.body_start,
            replacement: format!("---{eol}tags:{eol}  - {tag}{eol}---{eol}"),
        }]));
    };
    let Some(field) = fields.first() else {
        // No tags field: a block list at the end of the frontmatter.
        let at = fm.block.close.start;
        let before = text.get(fm.block.yaml.clone())?;
        let lead = if before.is_empty() || before.ends_with('\n') {
            ""
        } else {
            eol
        };
        return Some(safe(vec![Edit {
            span: at..at,
            replacement: format!("{lead}tags:{eol}  - {tag}{eol}"),
        }]));
    };
    let value = &field.entry.value;
    if let Some(edit) = tags::append_tag_fix(note, field, tag) {
        return Some(safe(vec![edit]));
    }
    match (&value.value, value.style) {
        (Value::Null, _) => {
            // `tags:` with nothing: the list goes on the next line.
            let key_end = fm.span(&field.entry.key.span).end;
            let line_end = text[key_end..]
                .find(['\r', '\n'])
                .map_or(text.len(), |i| key_end + i);
            Some(safe(vec![Edit {
                span: line_end..line_end,
                replacement: format!("{eol}  - {tag}"),
            }]))
        }
        (Value::String(s), Style::Scalar(style)) => {
            let span = fm.span(&value.span);
            let quoted = !matches!(style, crate::yaml::ScalarStyle::Plain);
            let at = if quoted { span.end - 1 } else { span.end };
            let separator = if s.trim().is_empty() { "" } else { ", " };
            Some(safe(vec![Edit {
                span: at..at,
                replacement: format!("{separator}{tag}"),
            }]))
        }
        _ => None,
    }
}
