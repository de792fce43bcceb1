//! The tags of a note's frontmatter: every item of the fields named in `[tags] fields`
//! (block lists, flow lists, strings such as `a, b c`, empty and non-string items), with
//! the exact span of each tag, its place in the field and its comparison key. The tags
//! rules report on them, the review rules and the fixes edit them.

use crate::diagnostic::Span;
use crate::note::tag::{tag_key, why_invalid};
use crate::note::{Frontmatter, Note};
use crate::yaml::{Entry, Node, ScalarStyle, Style, Value};

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

/// Every tags field of the note's frontmatter, in the order of `fields` (`[tags] fields`);
/// empty when the frontmatter is absent or did not load. Keys compare the review tag's
/// variants as `review_tag` itself ([`tag_key`]).
pub fn tag_fields<'n>(note: &'n Note, fields: &[String], review_tag: &str) -> Vec<TagField<'n>> {
    let Some(fm) = note.parsed() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in fields {
        let Some(entry) = fm.root().get(field) else {
            continue;
        };
        let mut items = field_items(note, fm, field, entry);
        for item in &mut items {
            item.key = tag_key(&item.name, review_tag);
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
pub fn frontmatter_tags(note: &Note, fields: &[String], review_tag: &str) -> Vec<TagItem> {
    tag_fields(note, fields, review_tag)
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
    let lines = note.lines();
    let (start, _, _) = lines.line_bounds(&note.text, lines.line_of(at));
    start.max(fm.block.yaml.start)
}

/// The end of `at`'s line (before its line ending), not after the YAML block.
fn line_end(note: &Note, fm: &Frontmatter, at: usize) -> usize {
    let lines = note.lines();
    let (_, end, _) = lines.line_bounds(&note.text, lines.line_of(at));
    end.min(fm.block.yaml.end)
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Config;
    use crate::lint::parse_options;

    #[test]
    fn frontmatter_tags_api_gives_text_name_and_span() {
        let config = Config::defaults(PathBuf::from("."));
        let fields = ["tags".to_owned(), "topics".to_owned()];
        let text = "---\ntags: \"#a, b\"\ntopics:\n  - 'c'\n  - \n---\n";
        let note = Note::parse("a.md".into(), text.into(), &parse_options(&config));
        let tags = frontmatter_tags(&note, &fields, "needs-review");
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
        let fields = tag_fields(&note, &fields, "needs-review");
        assert_eq!(fields[1].items.len(), 2);
        assert!(!fields[1].items[1].is_tag());
    }

    #[test]
    fn split_tags_offsets() {
        assert_eq!(
            split_tags(" a, b\tc,,d "),
            [(1, "a"), (4, "b"), (6, "c"), (9, "d")]
        );
        assert!(split_tags(" ,, ").is_empty());
    }
}
