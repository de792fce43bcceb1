//! `tags/*`: tags from the frontmatter fields in `[tags] fields` and, with `[tags] inline`,
//! `#tags` in the body (SPEC 1.3): validity, the allow-list, empty items, duplicates,
//! canonical form and the `type/` tag that must agree with the note's `type`.
//!
//! The collection step ([`tag_fields`], [`frontmatter_tags`]), the one comparison key
//! of a tag ([`tag_key`]) and the fixes of a tags field ([`append_fix`], [`remove_fix`],
//! [`replace_fix`]) are public because the review-tag rules use them too.

use globset::GlobSet;
use rustc_hash::FxHashMap;
use serde_spanned::Spanned;

use super::{Context, Rule};
use crate::config::{self, Config, TagCase};
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix, KeyChange, Severity, Span};
use crate::note::body::InlineTag;
use crate::note::tag::{Invalid, tag_key, why_invalid};
use crate::note::{Frontmatter, Note};
use crate::suggest;
use crate::yaml::edit::{self, NotEditable};
use crate::yaml::{self, Entry, Node, ScalarStyle, Style, Value};

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

// ---- collection ----

/// Where a frontmatter tag sits in its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Item `n` of a block list (`- tag` lines).
    Block(usize),
    /// Item `n` of a flow list (`[a, b]`).
    Flow(usize),
    /// The field's value itself: one of the tags of a string such as `a, b c`, or a
    /// value that is not a list or a string.
    Value,
}

impl Place {
    pub fn index(self) -> Option<usize> {
        match self {
            Place::Block(index) | Place::Flow(index) => Some(index),
            Place::Value => None,
        }
    }
}

/// What a collected item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// A string: a tag (valid or not).
    Tag,
    /// A null or empty-string list item; `comment` is an unquoted `#tag` YAML read as a
    /// comment on the item's line (also reported for a null field, `tags: #a`).
    Empty { comment: Option<String> },
    /// Not a string: what it is (`a number`, `a mapping`, ...).
    NotString(&'static str),
}

/// One item of a frontmatter tags field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagItem {
    /// The frontmatter field it comes from.
    pub field: String,
    pub place: Place,
    pub kind: ItemKind,
    /// As written, YAML-decoded (`#Storage`); for a non-string scalar its text.
    pub text: String,
    /// Normalised: `text` without one leading `#`.
    pub name: String,
    /// What tags compare by: [`tag_key`] of the name.
    pub key: String,
    /// The tag itself in the note (inside any quotes) when `exact`; otherwise the YAML
    /// node's span. A bare `- ` item points at its dash.
    pub span: Span,
    /// The YAML node holding the tag: the list item (with its quotes) or the whole value.
    pub node_span: Span,
    /// `note.text[span] == text`, so an edit inside `span` edits the tag exactly.
    pub exact: bool,
}

impl TagItem {
    pub fn is_tag(&self) -> bool {
        self.kind == ItemKind::Tag
    }
}

/// One frontmatter field named in `[tags] fields`, with its items in source order.
#[derive(Debug)]
pub struct TagField<'n> {
    pub name: String,
    /// Key and value nodes; their spans are YAML-relative (convert with
    /// [`Frontmatter::span`]).
    pub entry: &'n Entry,
    pub items: Vec<TagItem>,
}

/// Every tags field of the note's frontmatter, in `[tags] fields` order; empty when
/// the frontmatter is absent or did not load.
pub fn tag_fields<'n>(note: &'n Note, config: &Config) -> Vec<TagField<'n>> {
    let Some(fm) = note.parsed() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in &config.settings.tags.fields {
        let Some(entry) = fm.root().get(field) else {
            continue;
        };
        let mut items = field_items(note, fm, field, entry);
        for item in &mut items {
            item.key = tag_key(&item.name, config.settings.review.tag.get_ref());
        }
        out.push(TagField {
            name: field.clone(),
            entry,
            items,
        });
    }
    out
}

/// The string tags of the frontmatter tags fields, in order; empty and non-string items
/// left out.
pub fn frontmatter_tags(note: &Note, config: &Config) -> Vec<TagItem> {
    tag_fields(note, config)
        .into_iter()
        .flat_map(|field| field.items)
        .filter(TagItem::is_tag)
        .collect()
}

fn field_items(note: &Note, fm: &Frontmatter, field: &str, entry: &Entry) -> Vec<TagItem> {
    let value = &entry.value;
    let node_span = fm.span(&value.span);
    match &value.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let place = if value.style == Style::Flow {
                    Place::Flow(index)
                } else {
                    Place::Block(index)
                };
                list_item(note, fm, field, place, item)
            })
            .collect(),
        Value::String(s) => string_tags(note, field, value, s, node_span),
        Value::Null => match same_line_comment(note, fm, node_span.start) {
            Some(comment) => vec![TagItem {
                field: field.to_owned(),
                place: Place::Value,
                kind: ItemKind::Empty {
                    comment: Some(comment),
                },
                text: String::new(),
                name: String::new(),
                key: String::new(),
                span: node_span.clone(),
                node_span,
                exact: false,
            }],
            None => Vec::new(),
        },
        _ => vec![not_string(field, Place::Value, value, node_span)],
    }
}

fn list_item(note: &Note, fm: &Frontmatter, field: &str, place: Place, item: &Node) -> TagItem {
    let node_span = fm.span(&item.span);
    match &item.value {
        Value::String(s) if !s.is_empty() => {
            let (span, exact) = match inner_span(note, item, &node_span) {
                Some(inner) if note.text.get(inner.clone()) == Some(s.as_str()) => (inner, true),
                _ => (node_span.clone(), false),
            };
            tag_item(field, place, s, span, node_span, exact)
        }
        Value::String(_) | Value::Null => {
            let mut span = node_span.clone();
            let mut comment = None;
            if item.value == Value::Null && node_span.is_empty() {
                if let (Place::Block(_), Some(dash)) = (place, dash_before(note, fm, &node_span)) {
                    span = dash..dash + 1;
                }
                comment = same_line_comment(note, fm, span.start);
            }
            TagItem {
                field: field.to_owned(),
                place,
                kind: ItemKind::Empty { comment },
                text: String::new(),
                name: String::new(),
                key: String::new(),
                span,
                node_span,
                exact: false,
            }
        }
        _ => not_string(field, place, item, node_span),
    }
}

fn tag_item(
    field: &str,
    place: Place,
    text: &str,
    span: Span,
    node_span: Span,
    exact: bool,
) -> TagItem {
    TagItem {
        field: field.to_owned(),
        place,
        kind: ItemKind::Tag,
        text: text.to_owned(),
        name: text.strip_prefix('#').unwrap_or(text).to_owned(),
        key: String::new(),
        span,
        node_span,
        exact,
    }
}

fn not_string(field: &str, place: Place, node: &Node, node_span: Span) -> TagItem {
    let what = match node.value {
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Null | Value::String(_) => "a string",
    };
    let text = node.scalar_text().unwrap_or_default().to_owned();
    TagItem {
        field: field.to_owned(),
        place,
        kind: ItemKind::NotString(what),
        name: text.clone(),
        key: String::new(),
        text,
        span: node_span.clone(),
        node_span,
        exact: false,
    }
}

/// The tags of a string value `a, b c`: split at commas and whitespace. Each tag gets its
/// own span when the source text splits into the same pieces as the decoded value;
/// otherwise (escapes, `''`) every tag points at the whole value.
fn string_tags(
    note: &Note,
    field: &str,
    node: &Node,
    value: &str,
    node_span: Span,
) -> Vec<TagItem> {
    let decoded = split_tags(value);
    let source = inner_span(note, node, &node_span)
        .and_then(|inner| Some((inner.start, note.text.get(inner)?)))
        .map(|(start, text)| (start, split_tags(text)));
    let exact = source.as_ref().is_some_and(|(_, pieces)| {
        pieces.len() == decoded.len() && pieces.iter().zip(&decoded).all(|(a, b)| a.1 == b.1)
    });
    decoded
        .iter()
        .enumerate()
        .map(|(i, &(_, text))| {
            let span = match &source {
                Some((start, pieces)) if exact => {
                    let at = start + pieces[i].0;
                    at..at + text.len()
                }
                _ => node_span.clone(),
            };
            tag_item(field, Place::Value, text, span, node_span.clone(), exact)
        })
        .collect()
}

/// The pieces of `s` between commas and whitespace, with their byte offsets.
pub fn split_tags(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let separator = c == ',' || c.is_whitespace();
        match (separator, start) {
            (true, Some(from)) => {
                out.push((from, &s[from..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(from) = start {
        out.push((from, &s[from..]));
    }
    out
}

/// A scalar's content in the note: without quotes, or after a block scalar's header line.
fn inner_span(note: &Note, node: &Node, node_span: &Span) -> Option<Span> {
    let source = note.text.get(node_span.clone())?;
    match node.style {
        Style::Scalar(ScalarStyle::Plain) => Some(node_span.clone()),
        Style::Scalar(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => {
            (source.len() >= 2).then(|| node_span.start + 1..node_span.end - 1)
        }
        Style::Scalar(ScalarStyle::Literal | ScalarStyle::Folded) => {
            let body = source.find('\n')? + 1;
            Some(node_span.start + body..node_span.end)
        }
        Style::Flow | Style::Block => None,
    }
}

/// The start of `at`'s line, not before the YAML block.
fn line_start(note: &Note, fm: &Frontmatter, at: usize) -> usize {
    let floor = fm.block.yaml.start;
    note.text
        .get(floor..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(floor, |i| floor + i + 1)
}

/// The end of `at`'s line (before `\n`), not after the YAML block.
fn line_end(note: &Note, fm: &Frontmatter, at: usize) -> usize {
    let ceiling = fm.block.yaml.end;
    note.text
        .get(at..ceiling)
        .and_then(|after| after.find('\n'))
        .map_or(ceiling, |i| at + i)
}

/// The `-` of the block-list item whose (empty) node starts at `span.start`: the first
/// character after the line's indentation.
fn dash_before(note: &Note, fm: &Frontmatter, span: &Span) -> Option<usize> {
    let start = line_start(note, fm, span.start);
    let line = note.text.get(start..span.start)?;
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    (line.as_bytes().get(indent) == Some(&b'-')).then_some(start + indent)
}

/// A YAML comment on `at`'s line that looks like an unquoted tag (`#project`).
fn same_line_comment(note: &Note, fm: &Frontmatter, at: usize) -> Option<String> {
    let start = line_start(note, fm, at);
    let end = line_end(note, fm, at);
    fm.document
        .comments
        .iter()
        .map(|comment| (fm.span(&comment.span), comment))
        .find(|(span, _)| span.start >= start && span.start < end)
        .and_then(|(_, comment)| {
            let tag = comment.text.split_whitespace().next()?;
            let looks_like_tag =
                !comment.text.starts_with(char::is_whitespace) && why_invalid(tag).is_none();
            looks_like_tag.then(|| format!("#{tag}"))
        })
}

// ---- the allow-list ----

/// `[tags] allowed`, lower-cased and compiled once per distinct configuration.
pub struct Allowed {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Allowed {
    /// Compiles `[tags] allowed` once per run; `None` when any tag is allowed.
    pub fn new(config: &Config) -> Option<Allowed> {
        let allowed = &config.settings.tags.allowed;
        if allowed.is_empty() {
            return None;
        }
        let lowered: Vec<Spanned<String>> = allowed
            .iter()
            .map(|p| Spanned::new(p.span(), p.get_ref().to_lowercase()))
            .collect();
        Some(Allowed {
            set: config::glob_set(&lowered),
            patterns: lowered.into_iter().map(Spanned::into_inner).collect(),
        })
    }

    fn allows(&self, key: &str) -> bool {
        self.set.is_match(key)
    }

    /// "did you mean `x`?" or the list of patterns.
    fn help(&self, key: &str) -> String {
        let mut candidates: Vec<String> = Vec::new();
        for pattern in &self.patterns {
            if !pattern.contains(['*', '?', '[', '{', '\\']) {
                candidates.push(pattern.clone());
            } else if let Some(prefix) = pattern
                .strip_suffix("/**")
                .or_else(|| pattern.strip_suffix("/*"))
                .filter(|prefix| !prefix.contains(['*', '?', '[', '{', '\\']))
            {
                // `tpoic/storage` against `topic/**`: suggest `topic/storage`.
                if let Some((_, rest)) = key.split_once('/') {
                    let candidate = format!("{prefix}/{rest}");
                    if self.allows(&candidate) {
                        candidates.push(candidate);
                    }
                }
            }
        }
        if let Some(best) = suggest::closest(key, candidates.iter().map(String::as_str)) {
            return format!("did you mean `{best}`?");
        }
        const SHOWN: usize = 8;
        let names: Vec<&str> = self
            .patterns
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        let more = if self.patterns.len() > SHOWN {
            format!(" (and {} more)", self.patterns.len() - SHOWN)
        } else {
            String::new()
        };
        format!("allowed: {}{more}", suggest::one_of(&names))
    }
}

// ---- the check ----

/// All `tags/*` findings for one note.
pub fn check(note: &Note, cx: &Context<'_>) -> Vec<Diagnostic> {
    let settings = &cx.config.settings.tags;
    let allowed = cx.allowed_tags.as_ref();
    let fields = tag_fields(note, cx.config);
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

    out.extend(type_mismatch(note, cx.config, &fields, inline));
    out
}

fn invalid_tag(written: &str, span: Span, invalid: Invalid) -> Diagnostic {
    Diagnostic::new(
        &INVALID,
        span,
        format!("tag `{written}` {}", invalid.reason),
    )
    .with_help(invalid.help)
}

fn not_a_tag(item: &TagItem, what: &str) -> Diagnostic {
    if !item.text.is_empty() {
        // A number or boolean: judge its text as a tag (`2025` is all digits).
        return match why_invalid(&item.text) {
            Some(invalid) => invalid_tag(&item.text, item.span.clone(), invalid),
            None => Diagnostic::new(
                &INVALID,
                item.span.clone(),
                format!("tag `{}` is {what}, not a string", item.text),
            )
            .with_help(format!("quote it: `\"{}\"`", item.text)),
        };
    }
    let message = if item.place == Place::Value {
        format!("`{}` is {what}, not a list of tags", item.field)
    } else {
        format!("item of `{}` is {what}, not a tag", item.field)
    };
    Diagnostic::new(&INVALID, item.span.clone(), message)
        .with_help("write each tag as a plain string, e.g. `- topic/storage`")
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

fn not_allowed(allowed: &Allowed, written: &str, key: &str, span: &Span) -> Option<Diagnostic> {
    if allowed.allows(key) {
        return None;
    }
    Some(
        Diagnostic::new(
            &NOT_ALLOWED,
            span.clone(),
            format!("tag `{written}` is not allowed"),
        )
        .with_help(allowed.help(key)),
    )
}

/// One tag that starts with the type prefix: a frontmatter item or an inline tag.
struct TypeTag<'a> {
    key: String,
    written: String,
    span: Span,
    /// The frontmatter field and item, for fixes.
    item: Option<(&'a TagField<'a>, &'a TagItem)>,
}

fn type_mismatch(
    note: &Note,
    config: &Config,
    fields: &[TagField<'_>],
    inline: &[InlineTag],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let settings = &config.settings;
    let (Some(prefix), Some(fm)) = (&settings.tags.type_prefix, note.parsed()) else {
        return out;
    };
    let Some(type_node) = fm.get(&settings.schema.type_field) else {
        return out;
    };
    let Some(type_value) = type_node.as_str().filter(|t| !t.trim().is_empty()) else {
        return out;
    };
    let type_span = fm.span(&type_node.span);
    let prefix_key = prefix.to_lowercase();
    let expected = format!("{prefix}{type_value}");
    let expected = if settings.tags.case == TagCase::Lower {
        expected.to_lowercase()
    } else {
        expected
    };
    let expected_key = expected.to_lowercase();

    let mut tags: Vec<TypeTag<'_>> = Vec::new();
    for field in fields {
        for item in field.items.iter().filter(|i| i.is_tag()) {
            if item.key.starts_with(&prefix_key) && why_invalid(&item.name).is_none() {
                tags.push(TypeTag {
                    key: item.key.clone(),
                    written: item.text.clone(),
                    span: item.span.clone(),
                    item: Some((field, item)),
                });
            }
        }
    }
    for tag in inline {
        let key = tag.name.to_lowercase();
        if key.starts_with(&prefix_key) && why_invalid(&tag.name).is_none() {
            tags.push(TypeTag {
                key,
                written: note
                    .text
                    .get(tag.span.clone())
                    .unwrap_or_default()
                    .to_owned(),
                span: tag.span.clone(),
                item: None,
            });
        }
    }

    if tags.is_empty() {
        let mut d = Diagnostic::new(
            &TYPE_MISMATCH,
            type_span,
            format!("note has type `{type_value}` but no tag `{expected}`"),
        );
        let target = fields
            .iter()
            .find(|f| f.entry.value.as_seq().is_some())
            .or(fields.first());
        let where_to = target.map_or("tags", |f| f.name.as_str());
        d = d.with_help(format!("add `{expected}` to `{where_to}`"));
        if why_invalid(&expected).is_none() {
            let fix = target
                .ok_or(NotEditable::Shape("the note has no tags list"))
                .and_then(|field| append_fix(note, field, &expected));
            d = d.with_fix(fix);
        }
        out.push(d);
        return out;
    }

    let has_expected = tags.iter().any(|t| t.key == expected_key);
    // Without the right tag, the first wrong one is the one to correct; others are extra.
    let replaceable = (!has_expected).then(|| tags[0].key.clone());
    for tag in tags.iter().filter(|t| t.key != expected_key) {
        let mut d = if Some(&tag.key) == replaceable.as_ref() {
            let mut d = Diagnostic::new(
                &TYPE_MISMATCH,
                tag.span.clone(),
                format!(
                    "tag `{}` does not match the note's type `{type_value}`",
                    tag.written
                ),
            )
            .with_help(format!("replace it with `{expected}`"));
            if let Some((field, item)) = tag.item
                && why_invalid(&expected).is_none()
            {
                d = d.with_fix(replace_fix(note, field, item, &expected));
            }
            d
        } else {
            let mut d = Diagnostic::new(
                &TYPE_MISMATCH,
                tag.span.clone(),
                format!(
                    "tag `{}` is a second type tag; the note's type is `{type_value}`",
                    tag.written
                ),
            )
            .with_help(format!(
                "a note carries exactly one type tag, `{expected}`: remove this one"
            ));
            if let Some((field, item)) = tag.item {
                d = d.with_fix(remove_fix(note, field, item));
            }
            d
        };
        d = d.with_label(type_span.clone(), "type set here");
        out.push(d);
    }
    out
}

// ---- fixes ----
//
// The edits themselves are operations of `yaml::edit`; this glue finds the node a tag
// item stands in and states each fix's change by value, for the fixer to verify.

/// The content of a one-line plain or quoted string value, when it is written exactly as
/// it decodes (no escapes), so offsets in the decoded string are offsets in the note.
fn string_content(note: &Note, fm: &Frontmatter, node: &Node) -> Result<Span, NotEditable> {
    let Value::String(decoded) = &node.value else {
        return Err(NotEditable::Shape("the value is not a string"));
    };
    let span = fm.span(&node.span);
    let inner = match node.style {
        Style::Scalar(ScalarStyle::Plain) => span,
        Style::Scalar(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => {
            span.start + 1..span.end.saturating_sub(1).max(span.start + 1)
        }
        Style::Scalar(ScalarStyle::Literal | ScalarStyle::Folded) => {
            return Err(NotEditable::BlockScalar);
        }
        Style::Flow | Style::Block => return Err(NotEditable::Shape("the value is a list")),
    };
    if note.text.get(inner.clone()) != Some(decoded.as_str()) {
        return Err(NotEditable::Shape(
            "the string is written with escapes or on several lines",
        ));
    }
    Ok(inner)
}

/// A fix of one tags field.
fn field_fix(fm: &Frontmatter, field: &str, edit: yaml::edit::TextEdit, change: Change) -> Fix {
    Fix::safe(vec![fm.edit(edit)], vec![KeyChange::new(field, change)])
}

/// Replaces a frontmatter tag's text with `replacement`: the whole list item, or the tag's
/// piece of a string value.
pub fn replace_fix(
    note: &Note,
    field: &TagField<'_>,
    item: &TagItem,
    replacement: &str,
) -> Result<Fix, NotEditable> {
    let fm = note.parsed().ok_or(NotEditable::Shape("no frontmatter"))?;
    let src = fm.yaml(&note.text);
    if !item.exact {
        return Err(NotEditable::Shape("the tag is written with escapes"));
    }
    let range = fm.yaml_span(&item.span);
    let value = &field.entry.value;
    match item.place {
        Place::Block(index) | Place::Flow(index) => {
            let node = value
                .as_seq()
                .and_then(|list| list.get(index))
                .ok_or(NotEditable::Shape("no such item"))?;
            let in_flow = matches!(item.place, Place::Flow(_));
            let edit =
                edit::replace_in_scalar(src, node, range, replacement, replacement, in_flow)?;
            let change = Change::ReplaceItem(index, replacement.into());
            Ok(field_fix(fm, &field.name, edit, change))
        }
        Place::Value => {
            let content = string_content(note, fm, value)?;
            let old = value.as_str().unwrap_or_default();
            let piece = item.span.start - content.start..item.span.end - content.start;
            let new = format!("{}{replacement}{}", &old[..piece.start], &old[piece.end..]);
            let edit = edit::replace_in_scalar(src, value, range, replacement, &new, false)?;
            let change = Change::ReplaceText(piece, replacement.to_owned());
            Ok(field_fix(fm, &field.name, edit, change))
        }
    }
}

/// Removes `item` from its field: its list item, or its piece of a string such as
/// `a, needs-review b` with one separator.
pub fn remove_fix(note: &Note, field: &TagField<'_>, item: &TagItem) -> Result<Fix, NotEditable> {
    let fm = note.parsed().ok_or(NotEditable::Shape("no frontmatter"))?;
    let src = fm.yaml(&note.text);
    let index = match item.place {
        Place::Block(index) | Place::Flow(index) => index,
        Place::Value => return remove_from_string(note, fm, field, item),
    };
    let edit = edit::remove_item(src, field.entry, index)?;
    Ok(field_fix(fm, &field.name, edit, Change::RemoveItem(index)))
}

fn remove_from_string(
    note: &Note,
    fm: &Frontmatter,
    field: &TagField<'_>,
    item: &TagItem,
) -> Result<Fix, NotEditable> {
    let value = &field.entry.value;
    if !item.exact {
        return Err(NotEditable::Shape("the tag is written with escapes"));
    }
    let content = string_content(note, fm, value)?;
    let old = value.as_str().unwrap_or_default();
    let tag = item.span.start - content.start..item.span.end - content.start;
    let separator = |c: char| c == ',' || c == ' ';
    let trailing = old[tag.end..].len() - old[tag.end..].trim_start_matches(separator).len();
    let piece = if trailing > 0 && tag.end + trailing < old.len() {
        tag.start..tag.end + trailing
    } else {
        let leading = old[..tag.start].len() - old[..tag.start].trim_end_matches(separator).len();
        tag.start - leading..tag.end
    };
    if old[..piece.start].trim().is_empty() && old[piece.end..].trim().is_empty() {
        return Err(NotEditable::Shape("the string holds only this tag"));
    }
    let new = format!("{}{}", &old[..piece.start], &old[piece.end..]);
    let at = fm.yaml_span(&(content.start + piece.start..content.start + piece.end));
    let edit = edit::replace_in_scalar(fm.yaml(&note.text), value, at, "", &new, false)?;
    Ok(field_fix(
        fm,
        &field.name,
        edit,
        Change::ReplaceText(piece, String::new()),
    ))
}

/// Appends `tag` to a tags field in its own style: a `- tag` line in a block list, `, tag`
/// in a flow list or a string of tags, a list in place of a null.
pub fn append_fix(note: &Note, field: &TagField<'_>, tag: &str) -> Result<Fix, NotEditable> {
    let fm = note.parsed().ok_or(NotEditable::Shape("no frontmatter"))?;
    let src = fm.yaml(&note.text);
    let value = &field.entry.value;
    if let Value::String(old) = &value.value {
        let content = string_content(note, fm, value)?;
        let separator = if old.trim().is_empty() { "" } else { ", " };
        let added = format!("{separator}{tag}");
        let at = fm.yaml_span(&(content.end..content.end));
        let new = format!("{old}{added}");
        let edit = edit::replace_in_scalar(src, value, at, &added, &new, false)?;
        let change = Change::ReplaceText(old.len()..old.len(), added);
        return Ok(field_fix(fm, &field.name, edit, change));
    }
    let edit = edit::append_items(src, &field.entry.key, value, &[tag])?;
    let change = Change::Append(vec![tag.into()]);
    Ok(field_fix(fm, &field.name, edit, change))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;
    use crate::lint::parse_options;

    fn config(edit: impl FnOnce(&mut crate::config::TagsConfig)) -> Config {
        let mut config = Config::defaults(PathBuf::from("."));
        edit(&mut config.settings.tags);
        config
    }

    fn allowed(patterns: &[&str]) -> Vec<Spanned<String>> {
        patterns
            .iter()
            .map(|p| Spanned::new(0..0, (*p).to_owned()))
            .collect()
    }

    fn run(config: &Config, text: &str) -> Vec<Diagnostic> {
        let note = Note::parse("a.md".into(), text.to_owned(), &parse_options(config));
        let cx = Context::new(config, jiff::civil::date(2026, 1, 1));
        let out = check(&note, &cx);
        for d in &out {
            assert_spans_ok(text, d);
            if d.fix.is_some() {
                let after = fixed(text, d);
                let note = Note::parse("a.md".into(), after.clone(), &parse_options(config));
                let before = Note::parse("a.md".into(), text.to_owned(), &parse_options(config));
                assert!(
                    before.parsed().is_none() || note.parsed().is_some(),
                    "fix broke the YAML: {after:?}"
                );
            }
        }
        out
    }

    fn assert_spans_ok(text: &str, d: &Diagnostic) {
        let ok = |span: &Span| {
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
        };
        assert!(ok(&d.span), "bad span {:?} in {text:?}", d.span);
        for label in &d.labels {
            assert!(ok(&label.span), "bad label {:?} in {text:?}", label.span);
        }
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(ok(&edit.span), "bad edit {:?} in {text:?}", edit.span);
        }
    }

    /// `(code, spanned text)` of every finding, in span order.
    fn found<'t>(text: &'t str, diagnostics: &[Diagnostic]) -> Vec<(&'static str, &'t str)> {
        let mut out: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.span.start, d.code(), &text[d.span.clone()]))
            .collect();
        out.sort();
        out.into_iter().map(|(_, code, s)| (code, s)).collect()
    }

    fn only<'d>(diagnostics: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
        diagnostics.iter().filter(|d| d.code() == code).collect()
    }

    /// Applies one diagnostic's fix to `text`.
    fn fixed(text: &str, d: &Diagnostic) -> String {
        let Some(fix) = &d.fix else {
            panic!("no fix on {}: {}", d.code(), d.message);
        };
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_owned();
        for edit in edits {
            out.replace_range(edit.span, &edit.replacement);
        }
        out
    }

    #[test]
    fn valid_tags_in_every_shape_are_quiet() {
        let config = config(|_| {});
        for text in [
            "---\ntags:\n  - a\n  - topic/storage\n---\n",
            "---\ntags: [a, 'b', \"c/d\"]\n---\n",
            "---\ntags: a, b c\n---\n",
            "---\ntags:\n---\nbody #tag\n",
            "---\ntags: []\n---\n",
            "---\ntitle: x\n---\n",
            "no frontmatter #ok\n",
            "---\ntags: [Ünïcode, _x, -y, a-b_c/d2]\n---\n",
        ] {
            assert!(
                run(&config, text).is_empty(),
                "{text}: {:?}",
                run(&config, text)
            );
        }
    }

    #[test]
    fn frontmatter_tags_api_gives_text_name_and_span() {
        let config = config(|t| t.fields = vec!["tags".into(), "topics".into()]);
        let text = "---\ntags: \"#a, b\"\ntopics:\n  - 'c'\n  - \n---\n";
        let note = Note::parse("a.md".into(), text.into(), &parse_options(&config));
        let tags = frontmatter_tags(&note, &config);
        let got: Vec<_> = tags
            .iter()
            .map(|t| {
                (
                    t.field.as_str(),
                    t.text.as_str(),
                    t.name.as_str(),
                    &text[t.span.clone()],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("tags", "#a", "a", "#a"),
                ("tags", "b", "b", "b"),
                ("topics", "c", "c", "c")
            ]
        );
        assert!(tags.iter().all(|t| t.exact));
        assert_eq!(tags[2].place, Place::Block(0));
        assert_eq!(&text[tags[2].node_span.clone()], "'c'");
        let fields = tag_fields(&note, &config);
        assert_eq!(fields[1].items.len(), 2);
        assert!(!fields[1].items[1].is_tag());
    }

    #[test]
    fn invalid_tags_say_why() {
        let config = config(|_| {});
        let text = "---\ntags:\n  - a//b\n  - /a\n  - a/\n  - 2025\n  - \"q1 plan\"\n  - a.b\n  - x\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/invalid", "a//b"),
                ("tags/invalid", "/a"),
                ("tags/invalid", "a/"),
                ("tags/invalid", "2025"),
                ("tags/invalid", "q1 plan"),
                ("tags/invalid", "a.b"),
            ]
        );
        let messages: Vec<_> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "tag `a//b` has an empty segment",
                "tag `/a` has an empty segment",
                "tag `a/` has an empty segment",
                "tag `2025` is all digits",
                "tag `q1 plan` contains whitespace",
                "tag `a.b` contains `.`",
            ]
        );
    }

    #[test]
    fn non_string_items_are_invalid() {
        let config = config(|_| {});
        let text = "---\ntags: [2025, {a: 1}, [x], true, ok]\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/invalid", "2025"),
                ("tags/invalid", "{a: 1}"),
                ("tags/invalid", "[x]"),
                ("tags/invalid", "true"),
            ]
        );
        assert_eq!(out[0].message, "tag `2025` is all digits");
        assert_eq!(out[1].message, "item of `tags` is a mapping, not a tag");
        assert_eq!(out[3].message, "tag `true` is a boolean, not a string");
        assert_eq!(out[3].help.as_deref(), Some("quote it: `\"true\"`"));
        let text = "---\ntags: {a: 1}\n---\n";
        let out = run(&config, text);
        assert_eq!(out[0].message, "`tags` is a mapping, not a list of tags");
        assert_eq!(&text[out[0].span.clone()], "{a: 1}");
        let text = "---\ntags: 2025\n---\n";
        assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "2025")]);
    }

    #[test]
    fn comma_and_space_strings_have_a_span_per_tag() {
        let config = config(|_| {});
        let text = "---\ntags: good, a//b   c.d,e\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [("tags/invalid", "a//b"), ("tags/invalid", "c.d")]
        );
        // Quoted without escapes: still exact.
        let text = "---\ntags: 'x, a//b'\n---\n";
        assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "a//b")]);
        // An escape: the pieces no longer line up, so the whole value is the span.
        let text = "---\ntags: \"x\\ta//b\"\n---\n";
        assert_eq!(
            found(text, &run(&config, text)),
            [("tags/invalid", "\"x\\ta//b\"")]
        );
        // A plain scalar over two lines still splits exactly.
        let text = "---\ntags: a\n  b//c\n---\n";
        assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "b//c")]);
    }

    #[test]
    fn quoted_tags_point_inside_the_quotes() {
        let config = config(|_| {});
        let text = "---\ntags: ['a//b', \"c d\"]\n---\n";
        assert_eq!(
            found(text, &run(&config, text)),
            [("tags/invalid", "a//b"), ("tags/invalid", "c d")]
        );
    }

    #[test]
    fn leading_hash_is_non_canonical_and_fixable() {
        let config = config(|_| {});
        let text = "---\ntags:\n  - \"#project\"\n  - '#a//b'\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/non-canonical", "#project"),
                ("tags/invalid", "#a//b")
            ]
        );
        assert_eq!(out[0].message, "tag `#project` has a leading `#`");
        assert_eq!(out[0].help.as_deref(), Some("write it as `project`"));
        assert_eq!(out[1].message, "tag `#a//b` has an empty segment");
        let after = fixed(text, &out[0]);
        assert_eq!(after, "---\ntags:\n  - \"project\"\n  - '#a//b'\n---\n");
        assert!(
            run(&config, &after)
                .iter()
                .all(|d| d.code() != "tags/non-canonical")
        );

        let text = "---\ntags: \"#a, #b\"\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [("tags/non-canonical", "#a"), ("tags/non-canonical", "#b")]
        );
        assert_eq!(fixed(text, &out[1]), "---\ntags: \"#a, b\"\n---\n");
    }

    #[test]
    fn lower_case_rule_covers_frontmatter_and_inline_tags() {
        let config = config(|t| t.case = TagCase::Lower);
        let text = "---\ntags: [Topic/Storage, '#Mixed', ok]\n---\nSee #Inline and #fine.\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/non-canonical", "Topic/Storage"),
                ("tags/non-canonical", "#Mixed"),
                ("tags/non-canonical", "#Inline"),
            ]
        );
        assert_eq!(out[0].message, "tag `Topic/Storage` is not lower-case");
        assert_eq!(
            out[1].message,
            "tag `#Mixed` has a leading `#` and is not lower-case"
        );
        assert_eq!(out[2].help.as_deref(), Some("write it as `#inline`"));
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntags: [topic/storage, '#Mixed', ok]\n---\nSee #Inline and #fine.\n"
        );
        assert_eq!(
            fixed(text, &out[1]),
            "---\ntags: [Topic/Storage, 'mixed', ok]\n---\nSee #Inline and #fine.\n"
        );
        assert_eq!(
            fixed(text, &out[2]),
            "---\ntags: [Topic/Storage, '#Mixed', ok]\n---\nSee #inline and #fine.\n"
        );
        // `case = "any"` accepts upper case; the leading `#` is still non-canonical.
        let any = self::config(|_| {});
        assert_eq!(
            found(text, &run(&any, text)),
            [("tags/non-canonical", "#Mixed")]
        );
    }

    #[test]
    fn lower_casing_that_would_change_the_yaml_type_has_no_fix() {
        let config = config(|t| t.case = TagCase::Lower);
        // `0X1F` is a string, `0x1f` a hex number.
        let text = "---\ntags: [0X1F]\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/non-canonical", "0X1F")]);
        assert!(out[0].fix.is_none());
    }

    #[test]
    fn inline_tags_are_checked_only_when_enabled() {
        let on = config(|_| {});
        let text = "---\ntags: [a]\n---\nbody #a//b and #x\n";
        assert_eq!(found(text, &run(&on, text)), [("tags/invalid", "#a//b")]);
        let off = config(|t| t.inline = false);
        assert!(run(&off, text).is_empty());
    }

    #[test]
    fn empty_items_point_at_the_dash_and_are_removed() {
        let config = config(|_| {});
        let text = "---\ntags:\n  - a\n  - \n  - \"\"\n  - b\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [("tags/empty", "-"), ("tags/empty", "\"\"")]
        );
        assert_eq!(out[0].message, "empty item in `tags`");
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntags:\n  - a\n  - \"\"\n  - b\n---\n"
        );
        assert_eq!(
            fixed(text, &out[1]),
            "---\ntags:\n  - a\n  - \n  - b\n---\n"
        );
        // Flow lists: `~` and `''` (an empty flow entry `[a, , b]` is a YAML syntax error).
        let text = "---\ntags: [a, ~, '']\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [("tags/empty", "~"), ("tags/empty", "''")]
        );
        assert_eq!(fixed(text, &out[0]), "---\ntags: [a, '']\n---\n");
        assert_eq!(fixed(text, &out[1]), "---\ntags: [a, ~]\n---\n");
    }

    #[test]
    fn a_lone_empty_item_becomes_an_empty_list() {
        let config = config(|_| {});
        let text = "---\ntitle: x\ntags:\n- \n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/empty", "-")]);
        let after = fixed(text, &out[0]);
        assert_eq!(after, "---\ntitle: x\ntags: []\n---\n");
        assert!(run(&config, &after).is_empty());
        // CRLF lines are removed whole, line ending included.
        let text = "---\r\ntags:\r\n  - a\r\n  -\r\n---\r\n";
        let out = run(&config, text);
        assert_eq!(fixed(text, &out[0]), "---\r\ntags:\r\n  - a\r\n---\r\n");
    }

    #[test]
    fn a_null_field_is_fine_but_a_commented_tag_is_reported() {
        let config = config(|_| {});
        let text = "---\ntags:\n---\n";
        assert!(run(&config, text).is_empty());
        let text = "---\ntags: # to do\n---\n";
        assert!(run(&config, text).is_empty());
        let text = "---\ntags: #project\n---\n";
        let out = run(&config, text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code(), "tags/empty");
        assert_eq!(
            out[0].message,
            "`tags` is empty: `#project` is a YAML comment"
        );
        assert!(out[0].fix.is_none());
        let text = "---\ntags:\n  - a\n  - #project\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/empty", "-")]);
        assert_eq!(
            out[0].message,
            "empty item in `tags`: `#project` is a YAML comment"
        );
        // Removing the line would lose what the author meant.
        assert!(out[0].fix.is_none());
    }

    #[test]
    fn duplicates_compare_case_insensitively_after_normalisation() {
        let config = config(|_| {});
        let text = "---\ntags:\n  - storage\n  - Storage\n  - '#storage'\n  - other\n---\n";
        let out = run(&config, text);
        let dups = only(&out, "tags/duplicate");
        assert_eq!(dups.len(), 2);
        assert_eq!(&text[dups[0].span.clone()], "Storage");
        assert_eq!(
            dups[0].message,
            "tag `Storage` is already listed as `storage`"
        );
        assert_eq!(&text[dups[0].labels[0].span.clone()], "storage");
        assert_eq!(
            dups[0].labels[0].span.start,
            text.find("storage").expect("present")
        );
        assert_eq!(&text[dups[1].span.clone()], "#storage");
        assert_eq!(
            fixed(text, dups[0]),
            "---\ntags:\n  - storage\n  - '#storage'\n  - other\n---\n"
        );
        // Across fields and in flow lists too; the last item takes the comma before it.
        let config = self::config(|t| t.fields = vec!["tags".into(), "topics".into()]);
        let text = "---\ntags: [a, b]\ntopics: [c, A]\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/duplicate", "A")]);
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntags: [a, b]\ntopics: [c]\n---\n"
        );
        let text = "---\ntags: [a, a, b]\n---\n";
        let out = run(&config, text);
        assert_eq!(fixed(text, &out[0]), "---\ntags: [a, b]\n---\n");
        // Inside a string: the piece and one separator.
        let text = "---\ntags: a, b a\n---\n";
        let out = run(&config, text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span, 15..16);
        assert_eq!(&text[out[0].labels[0].span.clone()], "a");
        assert_eq!(fixed(text, &out[0]), "---\ntags: a, b\n---\n");
    }

    #[test]
    fn inline_tags_are_never_duplicates() {
        let config = config(|_| {});
        let text = "---\ntags: [a]\n---\n#a #a #A\n";
        assert!(run(&config, text).is_empty());
    }

    #[test]
    fn allowed_globs() {
        let config = config(|t| {
            t.allowed = allowed(&["needs-review", "type/*", "company/*", "topic/**"]);
        });
        let text = "---\ntags:\n  - type/people\n  - type/a/b\n  - topic/a/b\n  - Needs-Review\n  - tpoic/storage\n  - zzz\n---\nbody #Company/Contoso #elsewhere\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/not-allowed", "type/a/b"),
                ("tags/non-canonical", "Needs-Review"),
                ("tags/not-allowed", "tpoic/storage"),
                ("tags/not-allowed", "zzz"),
                ("tags/not-allowed", "#elsewhere"),
            ]
        );
        assert_eq!(out[0].message, "tag `type/a/b` is not allowed");
        assert_eq!(
            out[2].help.as_deref(),
            Some("did you mean `topic/storage`?")
        );
        assert_eq!(
            out[3].help.as_deref(),
            Some("allowed: `needs-review`, `type/*`, `company/*` or `topic/**`")
        );
        assert_eq!(&text[out[4].span.clone()], "#elsewhere");
        // A near miss of a literal pattern.
        let text = "---\ntags: [needs-reveiw]\n---\n";
        let out = run(&config, text);
        assert_eq!(out[0].help.as_deref(), Some("did you mean `needs-review`?"));
        // Patterns written in upper case match too.
        let upper = self::config(|t| t.allowed = allowed(&["Topic/*"]));
        assert!(run(&upper, "---\ntags: [topic/a]\n---\n").is_empty());
    }

    #[test]
    fn invalid_tags_are_not_also_judged_by_the_allow_list() {
        let config = config(|t| {
            t.allowed = allowed(&["a"]);
            t.case = TagCase::Lower;
        });
        let text = "---\ntags: [B//C]\n---\n";
        assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "B//C")]);
    }

    fn typed(edit: impl FnOnce(&mut crate::config::TagsConfig)) -> Config {
        config(|t| {
            t.type_prefix = Some("type/".into());
            edit(t);
        })
    }

    #[test]
    fn type_tag_missing_points_at_the_type_value() {
        let config = typed(|_| {});
        let text = "---\ntype: people\ntags:\n  - company/contoso\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/type-mismatch", "people")]);
        assert_eq!(
            out[0].message,
            "note has type `people` but no tag `type/people`"
        );
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntype: people\ntags:\n  - company/contoso\n  - type/people\n---\n"
        );
        let text = "---\ntype: people\ntags: [a]\n---\n";
        let out = run(&config, text);
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntype: people\ntags: [a, type/people]\n---\n"
        );
        // No list to append to: reported without a fix.
        let text = "---\ntype: people\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/type-mismatch", "people")]);
        assert!(out[0].fix.is_none());
    }

    #[test]
    fn type_tag_matches_case_insensitively_and_inline() {
        let config = typed(|_| {});
        assert!(run(&config, "---\ntype: People\ntags: [Type/people]\n---\n").is_empty());
        assert!(run(&config, "---\ntype: people\n---\nA #type/people note\n").is_empty());
        // No type field, or no prefix configured: nothing to check.
        assert!(run(&config, "---\ntags: [type/x]\n---\n").is_empty());
        let plain = self::config(|_| {});
        assert!(run(&plain, "---\ntype: people\n---\n").is_empty());
    }

    #[test]
    fn a_different_type_tag_is_replaced() {
        let config = typed(|_| {});
        let text = "---\ntype: people\ntags:\n  - type/customer\n---\n";
        let out = run(&config, text);
        assert_eq!(found(text, &out), [("tags/type-mismatch", "type/customer")]);
        assert_eq!(
            out[0].message,
            "tag `type/customer` does not match the note's type `people`"
        );
        assert_eq!(&text[out[0].labels[0].span.clone()], "people");
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntype: people\ntags:\n  - type/people\n---\n"
        );
    }

    #[test]
    fn extra_type_tags_are_each_reported() {
        let config = typed(|_| {});
        let text =
            "---\ntype: people\ntags:\n  - type/people\n  - type/customer\n  - type/project\n---\n";
        let out = run(&config, text);
        assert_eq!(
            found(text, &out),
            [
                ("tags/type-mismatch", "type/customer"),
                ("tags/type-mismatch", "type/project"),
            ]
        );
        assert_eq!(
            out[0].message,
            "tag `type/customer` is a second type tag; the note's type is `people`"
        );
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntype: people\ntags:\n  - type/people\n  - type/project\n---\n"
        );
        // Two wrong ones: the first is corrected, the second removed.
        let text = "---\ntype: people\ntags: [type/a, type/b]\n---\n";
        let out = run(&config, text);
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntype: people\ntags: [type/people, type/b]\n---\n"
        );
        assert_eq!(
            fixed(text, &out[1]),
            "---\ntype: people\ntags: [type/a]\n---\n"
        );
    }

    #[test]
    fn split_tags_offsets() {
        assert_eq!(
            split_tags(" a, b\tc,,d "),
            [(1, "a"), (4, "b"), (6, "c"), (9, "d")]
        );
        assert!(split_tags(" ,, ").is_empty());
    }

    // ---- property tests ----

    const FRAGMENTS: &[&str] = &[
        "tags:",
        "tags: ",
        "type: people\n",
        "type: ",
        "\n",
        "\r\n",
        "  ",
        "- ",
        "-",
        "[",
        "]",
        "{",
        "}",
        ",",
        ", ",
        "'",
        "\"",
        "#",
        " #",
        "a",
        "B",
        "/",
        "//",
        "type/",
        "x",
        "1",
        "é",
        "🎉",
        "~",
        "\\t",
        "\\",
        ": ",
        "|",
        ">",
        "aliases: ",
        "tag: ",
        "&a ",
        "*a",
        "!!str ",
    ];

    fn frontmatter() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
            .prop_map(|parts| format!("---\n{}\n---\nbody #T #a//b\n", parts.concat()))
    }

    fn every_config() -> Vec<Config> {
        vec![
            config(|_| {}),
            typed(|t| {
                t.case = TagCase::Lower;
                t.allowed = allowed(&["type/*", "a", "topic/**"]);
                t.fields = vec!["tags".into(), "aliases".into()];
            }),
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_frontmatter_never_panics(text in frontmatter()) {
            for config in every_config() {
                run(&config, &text);
            }
        }

        #[test]
        fn arbitrary_tag_strings_never_panic(tag in any::<String>(), quoted in any::<bool>()) {
            let value = if quoted { format!("'{}'", tag.replace('\'', "''")) } else { tag.clone() };
            for text in [
                format!("---\ntags: {value}\n---\n#{tag}\n"),
                format!("---\ntags:\n  - {value}\n---\n"),
                format!("---\ntype: people\ntags: [{value}]\n---\n"),
            ] {
                for config in every_config() {
                    run(&config, &text);
                }
            }
        }
    }
}
