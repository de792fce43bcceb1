//! The fixes of a tags field: replace, remove or append one tag. The edits themselves are
//! operations of `yaml::edit`; this glue finds the node a tag item stands in and states
//! each fix's change by value, for the fixer to verify.

use crate::diagnostic::{Change, Fix, KeyChange, Span};
use crate::note::tag_fields::{Place, TagField, TagItem};
use crate::note::{Frontmatter, Note};
use crate::yaml::edit::{self, NotEditable};
use crate::yaml::{self, Node, ScalarStyle, Style, Value};

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
