//! `tags/type-mismatch`: with `[tags] type_prefix`, a note of `type: X` carries exactly one
//! tag `<prefix>X`, in the frontmatter or the body.

use super::TYPE_MISMATCH;
use super::fix::{append_fix, remove_fix, replace_fix};
use crate::config::{Config, TagCase};
use crate::diagnostic::{Diagnostic, Span};
use crate::note::Note;
use crate::note::body::InlineTag;
use crate::note::tag::why_invalid;
use crate::note::tag_fields::{TagField, TagItem};
use crate::yaml::edit::NotEditable;

/// One tag that starts with the type prefix: a frontmatter item or an inline tag.
struct TypeTag<'a> {
    key: String,
    written: String,
    span: Span,
    /// The frontmatter field and item, for fixes.
    item: Option<(&'a TagField<'a>, &'a TagItem)>,
}

pub(super) fn type_mismatch(
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
