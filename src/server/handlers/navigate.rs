//! `textDocument/definition` (a link of any form to its file, heading or block; a `type`
//! or `$schema` value to the schema file) and `textDocument/references` (the links to a
//! heading, or to the note).

use std::path::Path;

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Range, ReferenceParams};

use super::Context;
use crate::diagnostic::Span;
use crate::note::Note;
use crate::note::body::Link;
use crate::rules::links::links_of;
use crate::server::analysis::Analysis;
use crate::server::convert::{self, Lines};
use crate::vault::normalize_heading;

/// The link (body or frontmatter) under the cursor.
pub fn link_at(analysis: &Analysis<'_>, note: &Note, cursor: usize) -> Option<Link> {
    links_of(note, &analysis.ws.config)
        .into_iter()
        .map(|(link, _)| link)
        .find(|link| link.span.start <= cursor && cursor < link.span.end)
}

/// The top-level frontmatter key under the cursor, with its span.
pub fn key_at(note: &Note, cursor: usize) -> Option<(String, Span)> {
    let fm = note.parsed()?;
    fm.root().as_map()?.iter().find_map(|entry| {
        let span = fm.span(&entry.key.span);
        (span.start <= cursor && cursor <= span.end)
            .then(|| Some((entry.key.as_str()?.to_owned(), span)))
            .flatten()
    })
}

/// The top-level key whose value is under the cursor.
fn value_key_at(note: &Note, cursor: usize) -> Option<String> {
    let fm = note.parsed()?;
    fm.root().as_map()?.iter().find_map(|entry| {
        let span = fm.span(&entry.value.span);
        (span.start <= cursor && cursor <= span.end)
            .then(|| entry.key.as_str().map(str::to_owned))
            .flatten()
    })
}

pub fn definition(
    cx: &Context,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Ok(None);
    };
    let cursor = lines.offset(params.text_document_position_params.position);
    let note = analysis.ws.parse(path, &doc.text);
    if let Some(link) = link_at(&analysis, &note, cursor) {
        let Some(target) = analysis.resolve(path, &link) else {
            return Ok(None);
        };
        let location = match (&link.fragment, target.is_note) {
            (Some(fragment), true) => {
                let text = if target.abs == path {
                    Some(doc.text.to_string())
                } else {
                    analysis.text_of(&target.abs)
                };
                text.and_then(|text| {
                    let target_note = analysis.ws.parse(&target.abs, &text);
                    let span = fragment_span(&target_note, fragment)?;
                    let lines = Lines::new(&text, cx.snap.encoding);
                    Some(Location::new(
                        convert::uri_of(&target.abs)?,
                        lines.range(&span),
                    ))
                })
            }
            _ => None,
        };
        let location = location.or_else(|| file_start(&target.abs));
        return Ok(location.map(GotoDefinitionResponse::Scalar));
    }
    // `type: people` and `$schema: ...` lead to the schema file.
    let Some(key) = value_key_at(&note, cursor) else {
        return Ok(None);
    };
    let ws = analysis.ws;
    if key != ws.config.settings.schema.type_field && key != "$schema" {
        return Ok(None);
    }
    Ok(ws
        .schema_for(path, &note)
        .and_then(|schema| file_start(&std::path::absolute(&schema.path).ok()?))
        .map(GotoDefinitionResponse::Scalar))
}

fn file_start(path: &Path) -> Option<Location> {
    Some(Location::new(convert::uri_of(path)?, Range::default()))
}

/// Where `#Heading`, `#A#B` or `#^block` is in a note.
fn fragment_span(note: &Note, fragment: &str) -> Option<Span> {
    if let Some(block) = fragment.strip_prefix('^') {
        return note
            .body
            .block_ids
            .iter()
            .find(|b| b.id.eq_ignore_ascii_case(block))
            .map(|b| b.span.clone());
    }
    let last = normalize_heading(fragment.rsplit('#').next().unwrap_or(fragment));
    note.body
        .headings
        .iter()
        .find(|h| normalize_heading(&h.text) == last)
        .map(|h| h.span.clone())
}

pub fn references(cx: &Context, params: ReferenceParams) -> Result<Option<Vec<Location>>, String> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Ok(None);
    };
    let cursor = lines.offset(params.text_document_position.position);
    let note = analysis.ws.parse(path, &doc.text);
    // On a heading other than the title: links to that heading; elsewhere: to the note.
    let heading = note
        .body
        .headings
        .iter()
        .enumerate()
        .find(|(_, h)| h.span.start <= cursor && cursor <= h.span.end)
        .filter(|(i, h)| !(*i == 0 && h.level == 1))
        .map(|(_, h)| normalize_heading(&h.text));
    let wanted = |link: &Link| match &heading {
        None => true,
        Some(heading) => link.fragment.as_deref().is_some_and(|f| {
            !f.starts_with('^') && normalize_heading(f.rsplit('#').next().unwrap_or(f)) == *heading
        }),
    };
    let mut sources = analysis.backlinks(path);
    if heading.is_some() {
        sources.push(path.to_path_buf());
    }
    let mut locations = Vec::new();
    for source in sources {
        let text = if source == path {
            Some(doc.text.to_string())
        } else {
            analysis.text_of(&source)
        };
        let Some(text) = text else {
            continue;
        };
        let source_note = analysis.ws.parse(&source, &text);
        let source_lines = Lines::new(&text, cx.snap.encoding);
        let Some(uri) = convert::uri_of(&source) else {
            continue;
        };
        for (link, _) in links_of(&source_note, &analysis.ws.config) {
            let leads_here = analysis
                .resolve(&source, &link)
                .is_some_and(|t| t.abs == path);
            if leads_here && wanted(&link) {
                locations.push(Location::new(uri.clone(), source_lines.range(&link.span)));
            }
        }
    }
    Ok(Some(locations))
}
