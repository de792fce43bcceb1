//! `tags/*`: tags from the frontmatter fields in `[tags] fields` and, with `[tags] inline`,
//! `#tags` in the body (SPEC 1.3). This module declares the rules and runs them: empty
//! items, duplicates and canonical form here; validity and the allow-list in `validity`;
//! the `type/` tag that must agree with the note's `type` in `type_tag`; the fixes of a
//! tags field in `fix` (public: the review-tag rules use them too).
//!
//! The tags themselves are collected by `note::tag_fields`; what a valid tag is and how
//! tags compare is `note::tag`.

mod fix;
#[cfg(test)]
mod tests;
mod type_tag;
mod validity;

use rustc_hash::FxHashMap;

use super::{Context, Rule};
use crate::config::TagCase;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::note::Note;
use crate::note::body::InlineTag;
use crate::note::tag::{tag_key, why_invalid};
use crate::note::tag_fields::{ItemKind, Place, TagField, TagItem, tag_fields};

pub use fix::{append_fix, remove_fix, replace_fix};
pub use validity::Allowed;
use validity::{invalid_tag, not_a_tag, not_allowed};

pub static INVALID: Rule = Rule {
    code: "tags/invalid",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "malformed tag: empty, whitespace, all digits, a bad character or an empty segment",
    explanation: "\
## What it finds
A tag that Obsidian does not accept: empty, containing whitespace, made only of digits, \
holding punctuation other than `_`, `-` and `/` (ASCII punctuation and the Unicode \
punctuation blocks U+2000–U+206F and U+2E00–U+2E7F), or with an empty \
segment (`a//b`, `/a`, `a/`). Letters of every script, digits, emoji and other symbols \
are fine (`日本語`, `🌲seedling`). In a tags list, an item that is not a string (a number, \
a mapping, a list) is malformed too. Tags come from the fields in `[tags] fields` and, \
with `[tags] inline = true`, from `#tags` in the body.

## Why
Obsidian silently ignores or splits a malformed tag, so the note does not show up under \
the tag you meant, and searches and Dataview queries miss it.

## Example
```yaml
tags:
  - topic//storage
  - 2025
  - q1 planning
```

## Fix
Write the tag without punctuation other than `_`, `-` and `/`: `topic/storage`, `y2025`, \
`q1-planning`.",
};

pub static NOT_ALLOWED: Rule = Rule {
    code: "tags/not-allowed",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "tag matches no `tags.allowed` pattern",
    explanation: "\
## What it finds
A tag that matches none of the patterns in `[tags] allowed`, when that list is not empty. \
Patterns are globs: `*` matches within one level (`type/*` allows `type/people` but not \
`type/a/b`), `**` crosses levels (`topic/**` allows `topic/a/b`). Tags are compared \
case-insensitively, as Obsidian does, after removing a leading `#`.

## Why
A controlled vocabulary keeps a vault navigable: a typo such as `tpoic/storage` creates a \
new tag with one note in it instead of joining the existing one.

## Example
With `allowed = [\"needs-review\", \"type/*\", \"topic/**\"]`:
```yaml
tags: [topic/storage, tpoic/storage]
```

## Fix
Use the allowed tag the help names, or add a pattern to `[tags] allowed`.",
};

pub static EMPTY: Rule = Rule {
    code: "tags/empty",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "an empty or null item in a tags list",
    explanation: "\
## What it finds
An item of a tags list that is null or an empty string: a bare `- ` left over from a \
template, `- \"\"`, or `~`. It also finds a `#tag` written without quotes where YAML reads \
it as a comment (`- #project`, `tags: #project`), which leaves the item or the field empty.

## Why
Obsidian shows an empty tag pill or drops the item; an unquoted `#tag` is lost entirely, \
which is rarely what the author meant.

## Example
```yaml
tags:
  - project
  - 
```

## Fix
Remove the empty item (the fix removes its line). Write a tag without its `#` \
(`- project`), or quote it (`- \"#project\"`).",
};

pub static DUPLICATE: Rule = Rule {
    code: "tags/duplicate",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "tag listed twice (after normalisation; tags compare case-insensitively, as in Obsidian)",
    explanation: "\
## What it finds
The same tag twice in the frontmatter tag fields, after removing a leading `#` and \
comparing case-insensitively, as Obsidian does: `Storage`, `storage` and `#storage` are \
one tag. Inline `#tags` in the body that repeat a frontmatter tag are not duplicates.

## Why
A repeated tag adds nothing and hides edits: removing the tag once leaves the note \
still tagged.

## Example
```yaml
tags:
  - storage
  - Storage
```

## Fix
Remove the second occurrence (the fix removes its list item).",
};

pub static NON_CANONICAL: Rule = Rule {
    code: "tags/non-canonical",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "leading `#`, wrong case under `case = \"lower\"`",
    explanation: "\
## What it finds
A frontmatter tag written with a leading `#` (`\"#storage\"`): properties hold tag names \
without it. With `[tags] case = \"lower\"`, also a tag, in the frontmatter or the body, \
that has upper-case letters.

## Why
Obsidian accepts both forms but shows and stores them differently; one spelling per tag \
keeps tag lists, searches and diffs consistent.

## Example
```yaml
tags: [\"#storage\", Topic/Roadmap]
```

## Fix
Write the canonical form: `storage`, `topic/roadmap`.",
};

pub static TYPE_MISMATCH: Rule = Rule {
    code: "tags/type-mismatch",
    default_severity: Some(Severity::Error),
    fix: Some(Applicability::Safe),
    summary: "`type: X` without tag `type/X`, or a different `type/` tag",
    explanation: "\
## What it finds
With `[tags] type_prefix` set (e.g. `\"type/\"`), a note whose type field (`[schema] \
type_field`, default `type`) is `X` must carry exactly one tag starting with the prefix, \
and it must be `type/X` (compared case-insensitively). A missing type tag is reported \
at the type value; a different or an extra type tag at that tag.

## Why
Vaults that mirror the note type in a tag browse by the tag and query by the property; \
when the two disagree, the note is in one list and missing from the other.

## Example
```yaml
type: people
tags:
  - type/customer
```

## Fix
Make the tag agree with the type: `type/people`.",
};

pub static RULES: &[&Rule] = &[
    &INVALID,
    &NOT_ALLOWED,
    &EMPTY,
    &DUPLICATE,
    &NON_CANONICAL,
    &TYPE_MISMATCH,
];

/// All `tags/*` findings for one note.
pub fn check(note: &Note, cx: &Context<'_>) -> Vec<Diagnostic> {
    let settings = &cx.config.settings.tags;
    let allowed = cx.allowed_tags.as_ref();
    let review = cx.config.settings.review.tag.get_ref();
    let fields = tag_fields(note, &settings.fields, review);
    let mut out = Vec::new();
    let mut first_seen: FxHashMap<String, &TagItem> = FxHashMap::default();

    for field in &fields {
        for item in &field.items {
            match &item.kind {
                ItemKind::Empty { comment } => out.push(empty(note, field, item, comment)),
                ItemKind::NotString(what) => out.push(not_a_tag(item, what)),
                ItemKind::Tag => {
                    if let Some(first) = first_seen.get(&item.key) {
                        out.push(duplicate(note, field, first, item));
                    } else {
                        first_seen.insert(item.key.clone(), item);
                    }
                    if let Some(invalid) = why_invalid(&item.name) {
                        out.push(invalid_tag(&item.text, item.span.clone(), invalid));
                        continue;
                    }
                    if let Some(d) = non_canonical(note, field, item, cx) {
                        out.push(d);
                    }
                    if let Some(allowed) = &allowed
                        && let Some(d) = not_allowed(allowed, &item.text, &item.key, &item.span)
                    {
                        out.push(d);
                    }
                }
            }
        }
    }

    let inline: &[InlineTag] = if settings.inline {
        &note.body.tags
    } else {
        &[]
    };
    for tag in inline {
        let written = note.text.get(tag.span.clone()).unwrap_or_default();
        if let Some(invalid) = why_invalid(&tag.name) {
            out.push(invalid_tag(written, tag.span.clone(), invalid));
            continue;
        }
        if settings.case == TagCase::Lower && tag.name.chars().any(char::is_uppercase) {
            let canonical = format!("#{}", tag.name.to_lowercase());
            let mut d = Diagnostic::new(
                &NON_CANONICAL,
                tag.span.clone(),
                format!("tag `{written}` is not lower-case"),
            )
            .with_help(format!("write it as `{canonical}`"));
            if written == format!("#{}", tag.name) {
                // The body is the user's prose: lowering a tag there only with --unsafe-fixes.
                let edit = Edit {
                    span: tag.span.clone(),
                    replacement: canonical,
                };
                d.fix = Some(Fix::unsafe_(vec![edit], Vec::new()));
            }
            out.push(d);
        }
        if let Some(allowed) = &allowed
            && let Some(d) = not_allowed(allowed, written, &tag.name.to_lowercase(), &tag.span)
        {
            out.push(d);
        }
    }

    out.extend(type_tag::type_mismatch(note, cx.config, &fields, inline));
    out
}

fn empty(
    note: &Note,
    field: &TagField<'_>,
    item: &TagItem,
    comment: &Option<String>,
) -> Diagnostic {
    if let Some(comment) = comment {
        let message = if item.place == Place::Value {
            format!("`{}` is empty: `{comment}` is a YAML comment", item.field)
        } else {
            format!(
                "empty item in `{}`: `{comment}` is a YAML comment",
                item.field
            )
        };
        let name = comment.trim_start_matches('#');
        return Diagnostic::new(&EMPTY, item.span.clone(), message).with_help(format!(
            "a `#` after a space starts a comment in YAML: write `{name}`, or quote it as `\"{comment}\"`"
        ));
    }
    Diagnostic::new(
        &EMPTY,
        item.span.clone(),
        format!("empty item in `{}`", item.field),
    )
    .with_help("remove the empty item")
    .with_fix(remove_fix(note, field, item))
}

fn duplicate(note: &Note, field: &TagField<'_>, first: &TagItem, item: &TagItem) -> Diagnostic {
    let message = if first.text == item.text {
        format!("tag `{}` is listed twice", item.text)
    } else {
        format!("tag `{}` is already listed as `{}`", item.text, first.text)
    };
    Diagnostic::new(&DUPLICATE, item.span.clone(), message)
        .with_span_label("listed again here")
        .with_label(first.span.clone(), "first listed here")
        .with_help("remove the second occurrence; Obsidian compares tags case-insensitively")
        .with_fix(remove_fix(note, field, item))
}

/// A leading `#`, upper case under `case = "lower"`, or the review tag written another
/// way (`Needs_Review` for `needs-review`).
fn non_canonical(
    note: &Note,
    field: &TagField<'_>,
    item: &TagItem,
    cx: &Context<'_>,
) -> Option<Diagnostic> {
    let review = cx
        .config
        .settings
        .review
        .tag
        .get_ref()
        .trim_start_matches('#');
    let is_review = item.key == tag_key(review, review);
    let hash = item.text.starts_with('#');
    let lower = cx.config.settings.tags.case == TagCase::Lower;
    let upper = lower && item.name.chars().any(char::is_uppercase);
    let canonical = if is_review {
        review.to_owned()
    } else if upper {
        item.name.to_lowercase()
    } else {
        item.name.clone()
    };
    let problem = match (hash, upper) {
        _ if canonical == item.name && !hash => return None,
        (true, false) if canonical == item.name => "has a leading `#`",
        (false, true) => "is not lower-case",
        (true, true) => "has a leading `#` and is not lower-case",
        _ => "is the review tag written another way",
    };
    Some(
        Diagnostic::new(
            &NON_CANONICAL,
            item.span.clone(),
            format!("tag `{}` {problem}", item.text),
        )
        .with_help(format!("write it as `{canonical}`"))
        .with_fix(replace_fix(note, field, item, &canonical)),
    )
}
