//! `textDocument/hover`: on a frontmatter key, what its schema says (title, description,
//! type, allowed values); on a link, where it leads (or why it leads nowhere), the
//! target's `type` and first heading.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::Context;
use super::context;
use super::navigate::{key_at, link_at};

pub fn handle(cx: &Context, params: HoverParams) -> Result<Option<Hover>, String> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Ok(None);
    };
    let cursor = lines.offset(params.text_document_position_params.position);
    let note = analysis.ws.parse(path, &doc.text);
    let (value, span) = if let Some(link) = link_at(&analysis, &note, cursor) {
        let text = match analysis.resolve(path, &link) {
            Some(target) => {
                let mut text = format!("→ `{}`", target.rel);
                if let Some(ty) = analysis.note_type(&target.rel) {
                    text.push_str(&format!("\n\ntype: `{ty}`"));
                }
                let heading = target
                    .is_note
                    .then(|| analysis.note_at(&target.abs))
                    .flatten()
                    .and_then(|n| n.body.headings.first().map(|h| h.text.clone()));
                if let Some(heading) = heading {
                    text.push_str(&format!("\n\n# {heading}"));
                }
                text
            }
            None => format!("does not resolve: {}", analysis.why_unresolved(path, &link)),
        };
        (text, link.span)
    } else if let Some((key, span)) = key_at(&note, cursor) {
        let Some(schema) = analysis.ws.schema_for(path, &note) else {
            return Ok(None);
        };
        let Some(property) = context::properties(&schema)
            .into_iter()
            .find(|p| p.name == key)
        else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        if let Some(title) = &property.title {
            parts.push(format!("**{title}**"));
        }
        if let Some(description) = &property.description {
            parts.push(description.clone());
        }
        let mut facts = Vec::new();
        if !property.types.is_empty() {
            facts.push(format!("type: `{}`", property.types.join(" | ")));
        }
        if let Some(format) = &property.format {
            facts.push(format!("format: `{format}`"));
        }
        if property.required {
            facts.push("required".to_owned());
        }
        if !property.values.is_empty() {
            let values: Vec<String> = property
                .values
                .iter()
                .map(|v| format!("`{}`", context::yaml_value(v)))
                .collect();
            facts.push(format!("allowed values: {}", values.join(", ")));
        }
        if !facts.is_empty() {
            parts.push(facts.join("  \n"));
        }
        parts.push(format!("schema: `{}`", analysis.ws.rel(&schema.path)));
        (parts.join("\n\n"), span)
    } else {
        return Ok(None);
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(lines.range(&span)),
    }))
}
