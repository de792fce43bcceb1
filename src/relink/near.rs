//! The unsafe fix of `links/broken` (SPEC 13): when exactly one file is a near match of a
//! broken link's target — the same name but for case, accents or whitespace, or one edit
//! away — and no other name comes close, the target is rewritten to that file, in the
//! link's own style.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::View;
use super::write::{self, PathStyle, Written};
use crate::diagnostic::Fix;
use crate::note::body::{Link, LinkKind};
use crate::note::{Note, ParseOptions};

/// Names this far apart (in edits, after folding) count as close to each other.
const CLOSE: usize = 2;

/// The fix for the broken `link` of `note`, when one file is a near match.
pub fn fix(view: View<'_>, note: &Note, link: &Link, options: &ParseOptions) -> Option<Fix> {
    let written = link.target.trim();
    let name = written.rsplit('/').next().unwrap_or(written);
    let wanted = skeleton(strip_md(name));
    let candidates = view.closest(&note.path, written);
    let (near, others): (Vec<_>, Vec<_>) = candidates
        .iter()
        .partition(|(candidate, _, _)| is_near(&wanted, &skeleton(strip_md(candidate))));
    let [(_, target, 1)] = near.as_slice() else {
        return None;
    };
    let crowded = others
        .iter()
        .any(|(other, _, _)| distance(&wanted, &skeleton(strip_md(other))) <= CLOSE);
    if crowded {
        return None;
    }
    let style = Written {
        style: shape(link.kind, written),
        md_ext: view.is_note(target) && strip_md(name).len() < name.len(),
        name: name.to_owned(),
    };
    let new = write::new_target(&view, &note.path, link.kind, &style, target).ok()?;
    super::retarget(note, link, &new, options).ok()
}

/// A broken link's style, from its shape alone (it reaches nothing to compare with).
fn shape(kind: LinkKind, written: &str) -> PathStyle {
    let markdown = matches!(kind, LinkKind::Markdown | LinkKind::MarkdownImage);
    if written.starts_with("./") || written.starts_with("../") {
        PathStyle::Relative {
            dot: written.starts_with("./"),
        }
    } else if written.starts_with('/') || kind == LinkKind::CanvasFile {
        PathStyle::Full {
            slash: written.starts_with('/'),
        }
    } else if !written.contains('/') {
        PathStyle::Bare
    } else if markdown {
        PathStyle::Relative { dot: false }
    } else {
        PathStyle::Suffix(written.split('/').count())
    }
}

fn strip_md(name: &str) -> &str {
    match name.len().checked_sub(3) {
        Some(at)
            if name
                .get(at..)
                .is_some_and(|e| e.eq_ignore_ascii_case(".md")) =>
        {
            &name[..at]
        }
        _ => name,
    }
}

/// A name without what a near match may differ in: case, accents, whitespace.
fn skeleton(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c) && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn is_near(a: &str, b: &str) -> bool {
    distance(a, b) <= 1
}

/// Edits (insert, delete, replace, swap neighbours) between two names.
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_means_case_accents_whitespace_or_one_edit() {
        let near = |a: &str, b: &str| is_near(&skeleton(a), &skeleton(b));
        assert!(near("zoe smith", "Zoë Smith"));
        assert!(near("Dana  Whitfield", "DanaWhitfield"));
        assert!(near("Contosso", "Contoso"));
        assert!(near("Cotnoso", "Contoso"));
        assert!(!near("Contoso Ltd", "Contoso"));
        assert!(!near("Plan", "Plant B"));
    }
}
