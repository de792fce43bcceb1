//! `textDocument/codeAction`: every fix as a quick fix (safe ones preferred, unsafe ones
//! titled so), the did-you-mean of a finding as a quick fix that writes it, "Disable CODE
//! for this line", and `source.fixAll.notelint`: exactly what `fix --stdin-filename`
//! gives.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, Url, WorkspaceEdit,
};

use super::Context;
use crate::diagnostic::{Applicability, Diagnostic, Span};
use crate::note::{FrontmatterState, Note};
use crate::rules::links::links_of;
use crate::server::analysis::Analysis;
use crate::server::convert::{self, Lines};
use crate::suppress::Suppressions;

pub const FIX_ALL: &str = "source.fixAll.notelint";

/// Codes whose help names what the user probably meant, at the finding's span.
const DID_YOU_MEAN: &[&str] = &[
    "links/broken",
    "links/broken-heading",
    "schema/additional-properties",
    "schema/unevaluated-properties",
    "schema/enum",
    "schema/unknown-type",
    "tags/not-allowed",
    "suppression/unknown-code",
];

pub fn handle(
    cx: &Context,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>, String> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Ok(None);
    };
    let wants = |kind: &CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        }),
    };
    let mut actions = Vec::new();
    let text: &str = &doc.text;
    if wants(&CodeActionKind::QUICKFIX) {
        let found = analysis.diagnostics(path, text).unwrap_or_default();
        let wanted = lines.span(params.range);
        let note = analysis.ws.parse(path, text);
        for diagnostic in found.iter().filter(|d| touches(&d.span, &wanted)) {
            let shown = convert::diagnostic(diagnostic, &lines, &doc.uri);
            let mut push = |title: String, edits: Vec<(Span, String)>, preferred: bool| {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![shown.clone()]),
                    edit: Some(edit(&doc.uri, &lines, edits)),
                    is_preferred: preferred.then_some(true),
                    ..Default::default()
                }));
            };
            // `check_text` has no walk of the vault, so a broken link's near match is
            // looked up here.
            let near = match &diagnostic.fix {
                None => analysis.near_match_fix(path, &note, diagnostic),
                Some(_) => None,
            };
            if let Some(fix) = diagnostic
                .fix
                .as_ref()
                .or(near.as_ref())
                .filter(|_| diagnostic.rule.fix.is_some())
            {
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe {
                    format!("Fix: {}", diagnostic.message)
                } else {
                    format!("Fix (unsafe): {}", diagnostic.message)
                };
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| (e.span.clone(), e.replacement.clone()))
                    .collect();
                push(title, edits, safe);
            }
            for (span, replacement) in did_you_mean(&analysis, &note, diagnostic) {
                let title = format!("Replace with `{replacement}`");
                push(title, vec![(span, replacement)], false);
            }
            if let Some((span, insert)) = disable_for_line(&analysis, &note, diagnostic) {
                let title = format!("Disable {} for this line", diagnostic.rule.code);
                push(title, vec![(span, insert)], false);
            }
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL);
    if wants(&fix_all) {
        let fixed = analysis.fix_all(path, text).map_err(|e| e.to_string())?;
        if fixed != text {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe notelint findings".to_owned(),
                kind: Some(fix_all),
                edit: Some(edit(&doc.uri, &lines, vec![smallest_change(text, &fixed)])),
                ..Default::default()
            }));
        }
    }
    Ok(Some(actions))
}

/// Whether a finding at `span` concerns the requested range (a cursor touching it counts).
fn touches(span: &Span, wanted: &Span) -> bool {
    span.start <= wanted.end && wanted.start <= span.end
}

fn edit(uri: &Url, lines: &Lines<'_>, edits: Vec<(Span, String)>) -> WorkspaceEdit {
    let edits = edits
        .into_iter()
        .map(|(span, new_text)| TextEdit::new(lines.range(&span), new_text))
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// The one replacement that turns `old` into `new`: the bytes between their common start
/// and common end (so the cursor and the rest of the buffer stay put).
fn smallest_change(old: &str, new: &str) -> (Span, String) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (
        prefix..old.len() - suffix,
        new[prefix..new.len() - suffix].to_owned(),
    )
}

/// The names a help line offers: "did you mean `a`, `b` or `c`?".
pub fn suggestions(help: &str) -> Vec<String> {
    let Some(at) = help.find("did you mean ") else {
        return Vec::new();
    };
    let mut rest = &help[at + "did you mean ".len()..];
    let mut out = Vec::new();
    while let Some(after) = rest.strip_prefix('`') {
        let Some(end) = after.find('`') else {
            break;
        };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
        rest = rest
            .strip_prefix(", ")
            .or_else(|| rest.strip_prefix(" or "))
            .unwrap_or(rest);
    }
    out
}

/// The edits that write each suggestion of the finding's help in place of what is there.
fn did_you_mean(analysis: &Analysis<'_>, note: &Note, d: &Diagnostic) -> Vec<(Span, String)> {
    if !DID_YOU_MEAN.contains(&d.rule.code) {
        return Vec::new();
    }
    let Some(help) = &d.help else {
        return Vec::new();
    };
    let names = suggestions(help);
    if d.rule.code == "links/broken" {
        // Only the target changes: display text, heading and size stay.
        let link = links_of(note, &analysis.ws.config)
            .into_iter()
            .map(|(link, _)| link)
            .find(|link| link.span == d.span && !link.target_span.is_empty());
        let Some(link) = link.filter(|l| {
            matches!(
                l.kind,
                crate::note::body::LinkKind::Wiki | crate::note::body::LinkKind::WikiEmbed
            )
        }) else {
            return Vec::new();
        };
        return names
            .into_iter()
            .map(|name| (link.target_span.clone(), name))
            .collect();
    }
    let Some(old) = note.text.get(d.span.clone()).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    names
        .into_iter()
        .map(|name| {
            let name = name.strip_prefix('#').map_or(name.clone(), str::to_owned);
            let quote = old.chars().next().filter(|q| matches!(q, '"' | '\''));
            let written = match quote {
                Some(q) if old.len() >= 2 && old.ends_with(q) && !name.contains(q) => {
                    format!("{q}{name}{q}")
                }
                _ if old.starts_with('#') && d.rule.code == "tags/not-allowed" => {
                    format!("#{name}")
                }
                _ => name,
            };
            (d.span.clone(), written)
        })
        .collect()
}

/// The comment that silences `d` on its line: `# notelint-disable-line CODE` at the end of
/// a frontmatter line (added to one already there), `<!-- notelint-disable-next-line CODE
/// -->` above a body line. Offered only when the note, so edited, really silences it.
fn disable_for_line(
    analysis: &Analysis<'_>,
    note: &Note,
    d: &Diagnostic,
) -> Option<(Span, String)> {
    let text = &note.text;
    let code = d.rule.code;
    let at = d.span.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    let in_frontmatter =
        matches!(&note.frontmatter, FrontmatterState::Parsed(_)) && at < note.body_start;
    let (span, insert, shift) = if in_frontmatter {
        let end = line_start + line_text.len();
        let insert = if line_text.contains("# notelint-disable-line") {
            format!(" {code}")
        } else {
            format!(" # notelint-disable-line {code}")
        };
        (end..end, insert, 0)
    } else {
        let eol =
            if text[line_start..line_end].ends_with('\r') || text[line_end..].starts_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
        let insert = format!("<!-- notelint-disable-next-line {code} -->{eol}");
        let shift = insert.len();
        (line_start..line_start, insert, shift)
    };
    let mut edited = text.clone();
    edited.replace_range(span.clone(), &insert);
    let path = std::path::Path::new(&note.path);
    let abs = analysis.ws.root().join(path);
    let after = analysis.ws.parse(&abs, &edited);
    let loads = !matches!(
        after.frontmatter,
        FrontmatterState::Invalid { .. } | FrontmatterState::Unclosed { .. }
    );
    let mut moved = d.clone();
    moved.span = d.span.start + shift..d.span.end + shift;
    (loads && Suppressions::of(&after).suppresses(&moved)).then_some((span, insert))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_read_from_help() {
        assert_eq!(suggestions("did you mean `a`?"), ["a"]);
        assert_eq!(
            suggestions("did you mean `A b`, `What is X?` or `c`?"),
            ["A b", "What is X?", "c"]
        );
        assert_eq!(
            suggestions("did you mean `active`? allowed values: `active`, `inactive`"),
            ["active"]
        );
        assert!(suggestions("allowed: `a`").is_empty());
    }

    #[test]
    fn the_smallest_change_keeps_common_ends() {
        assert_eq!(smallest_change("abcdef", "abXYef"), (2..4, "XY".to_owned()));
        assert_eq!(smallest_change("aé", "aéb"), (3..3, "b".to_owned()));
        assert_eq!(smallest_change("aaa", "aa"), (2..3, String::new()));
    }
}
