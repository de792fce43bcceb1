//! `textDocument/completion`: frontmatter keys of the note's schema not yet present
//! (required first), values (enum, `const`, booleans, `type` values, today's date, tags),
//! and link targets after `[[` (only notes of the wanted type in a `links.targets`
//! field), headings after `#` and block ids after `#^`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, Documentation, MarkupContent, MarkupKind, TextEdit,
};

use super::Context;
use super::context::{self, Place, Property};
use crate::diagnostic::Span;
use crate::server::analysis::Analysis;
use crate::server::convert::Lines;

/// Link targets offered at once; the list says it is incomplete beyond that, so the editor
/// asks again as more is typed.
const MAX_TARGETS: usize = 100;

pub fn handle(
    cx: &Context,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Ok(None);
    };
    let text: &str = &doc.text;
    let cursor = lines.offset(params.text_document_position.position);
    let markdown = cx.snap.client.markdown;
    let mut complete = true;
    let items = match context::place(text, cursor) {
        Place::Link {
            target,
            fragment: None,
            key,
        } => {
            let settings = &analysis.ws.config.settings.links;
            let wanted = key.as_ref().and_then(|k| settings.targets.get(k));
            let (candidates, all) = analysis.link_candidates(
                path,
                &text[target.clone()],
                wanted.map(String::as_str),
                MAX_TARGETS,
            );
            complete = all;
            let closes = !text[cursor..].starts_with("]]");
            candidates
                .into_iter()
                .enumerate()
                .map(|(rank, candidate)| {
                    let detail = match &candidate.note_type {
                        Some(ty) => format!("{} ({ty})", candidate.rel),
                        None => candidate.rel.clone(),
                    };
                    let new_text = if closes {
                        format!("{}]]", candidate.insert)
                    } else {
                        candidate.insert.clone()
                    };
                    CompletionItem {
                        label: candidate.insert.clone(),
                        kind: Some(CompletionItemKind::FILE),
                        detail: Some(detail),
                        sort_text: Some(format!("{rank:04}")),
                        filter_text: Some(candidate.insert),
                        text_edit: Some(edit(&lines, &target, new_text)),
                        ..Default::default()
                    }
                })
                .collect()
        }
        Place::Link {
            target,
            fragment: Some(fragment),
            ..
        } => fragment_items(&analysis, path, text, &target, &fragment, &lines),
        Place::Key { typed } => key_items(&analysis, path, text, &typed, &lines, markdown),
        Place::Value { key, typed } => value_items(&analysis, path, text, &key, &typed, &lines),
        Place::Elsewhere => Vec::new(),
    };
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: !complete,
        items,
    })))
}

fn edit(lines: &Lines<'_>, span: &Span, new_text: String) -> CompletionTextEdit {
    CompletionTextEdit::Edit(TextEdit::new(lines.range(span), new_text))
}

/// Headings (after `#`) or block ids (after `#^`) of the note the link names (this note
/// for `[[#`).
fn fragment_items(
    analysis: &Analysis<'_>,
    path: &std::path::Path,
    text: &str,
    target: &Span,
    fragment: &Span,
    lines: &Lines<'_>,
) -> Vec<CompletionItem> {
    let written = &text[target.clone()];
    let note = if written.trim().is_empty() {
        Some(analysis.ws.parse(path, text))
    } else {
        let link = crate::note::body::Link {
            kind: crate::note::body::LinkKind::Wiki,
            target: written.trim().to_owned(),
            fragment: None,
            display: None,
            span: target.clone(),
            target_span: target.clone(),
            fragment_span: None,
            in_comment: false,
        };
        analysis
            .resolve(path, &link)
            .filter(|t| t.is_note)
            .and_then(|t| analysis.note_at(&t.abs))
    };
    let Some(note) = note else {
        return Vec::new();
    };
    if text[fragment.clone()].starts_with('^') {
        let ids = fragment.start + 1..fragment.end;
        return note
            .body
            .block_ids
            .iter()
            .map(|block| CompletionItem {
                label: format!("^{}", block.id),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(line_of(&note.text, block.span.start)),
                filter_text: Some(block.id.clone()),
                text_edit: Some(edit(lines, &ids, block.id.clone())),
                ..Default::default()
            })
            .collect();
    }
    note.body
        .headings
        .iter()
        .enumerate()
        .map(|(rank, heading)| CompletionItem {
            label: heading.text.clone(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: Some(format!(
                "{} {}",
                "#".repeat(heading.level as usize),
                heading.text
            )),
            sort_text: Some(format!("{rank:04}")),
            text_edit: Some(edit(lines, fragment, heading.text.clone())),
            ..Default::default()
        })
        .collect()
}

fn line_of(text: &str, at: usize) -> String {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..end].trim().to_owned()
}

fn schema_properties(analysis: &Analysis<'_>, path: &std::path::Path, text: &str) -> Vec<Property> {
    let note = analysis.ws.parse(path, text);
    analysis
        .ws
        .schema_for(path, &note)
        .map(|schema| context::properties(&schema))
        .unwrap_or_default()
}

/// The schema's properties the frontmatter does not have yet, required ones first.
fn key_items(
    analysis: &Analysis<'_>,
    path: &std::path::Path,
    text: &str,
    typed: &Span,
    lines: &Lines<'_>,
    markdown: bool,
) -> Vec<CompletionItem> {
    let present = context::present_keys(text);
    // The line being typed (`sta`) does not load as YAML; the rest of the frontmatter
    // says which schema the note gets.
    let line_end = text[typed.end..]
        .find('\n')
        .map_or(text.len(), |i| typed.end + i + 1);
    let without = format!("{}{}", &text[..typed.start], &text[line_end..]);
    let mut properties = schema_properties(analysis, path, &without);
    properties.retain(|p| !present.contains(&p.name));
    // Stable: declaration order within each group.
    properties.sort_by_key(|p| !p.required);
    properties
        .into_iter()
        .enumerate()
        .map(|(rank, property)| {
            let mut detail = property.types.join(" | ");
            if property.required {
                detail = format!("required {detail}").trim_end().to_owned();
            }
            let documentation = [property.title.clone(), property.description.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n");
            CompletionItem {
                label: property.name.clone(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: (!detail.is_empty()).then_some(detail),
                documentation: (!documentation.is_empty()).then_some({
                    Documentation::MarkupContent(MarkupContent {
                        kind: if markdown {
                            MarkupKind::Markdown
                        } else {
                            MarkupKind::PlainText
                        },
                        value: documentation,
                    })
                }),
                sort_text: Some(format!("{rank:04}")),
                filter_text: Some(property.name.clone()),
                text_edit: Some(edit(lines, typed, format!("{}: ", property.name))),
                ..Default::default()
            }
        })
        .collect()
}

/// Values for `key`: tags, `type` values, today's date, and what the schema allows.
fn value_items(
    analysis: &Analysis<'_>,
    path: &std::path::Path,
    text: &str,
    key: &str,
    typed: &Span,
    lines: &Lines<'_>,
) -> Vec<CompletionItem> {
    let settings = &analysis.ws.config.settings;
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    if settings.tags.fields.iter().any(|f| f == key) {
        for pattern in &settings.tags.allowed {
            let pattern = pattern.get_ref();
            if !pattern.contains(['*', '?', '[', '{', '\\']) {
                values.push((pattern.clone(), Some("allowed tag".to_owned())));
            }
        }
        for (tag, count) in analysis.tags() {
            values.push((tag.clone(), Some(format!("used {count}×"))));
        }
    }
    if key == settings.schema.type_field {
        for ty in settings.schema.types.keys() {
            values.push((ty.get_ref().clone(), Some("type".to_owned())));
        }
    }
    let property = schema_properties(analysis, path, text)
        .into_iter()
        .find(|p| p.name == key);
    if let Some(property) = &property {
        for value in &property.values {
            values.push((context::yaml_value(value), Some("allowed value".to_owned())));
        }
        if property.types.iter().any(|t| t == "boolean") {
            values.push(("true".to_owned(), None));
            values.push(("false".to_owned(), None));
        }
    }
    let is_date = settings.dates.fields.iter().any(|f| f == key)
        || property
            .as_ref()
            .and_then(|p| p.format.as_deref())
            .is_some_and(|f| f == "date" || f == "date-time");
    if is_date {
        values.push((
            jiff::Zoned::now().date().to_string(),
            Some("today".to_owned()),
        ));
    }
    let mut seen = rustc_hash::FxHashSet::default();
    values.retain(|(value, _)| seen.insert(value.to_lowercase()));
    values
        .into_iter()
        .enumerate()
        .map(|(rank, (value, detail))| CompletionItem {
            label: value.clone(),
            kind: Some(CompletionItemKind::VALUE),
            detail,
            sort_text: Some(format!("{rank:04}")),
            filter_text: Some(value.clone()),
            text_edit: Some(edit(lines, typed, value)),
            ..Default::default()
        })
        .collect()
}
