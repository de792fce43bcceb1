//! Fixing a note: pick non-overlapping edits of the fixable findings, apply them, re-lint,
//! and repeat until nothing changes (bounded, with cycle detection). Works on text only;
//! writing is `fs`'s job.

use std::hash::{Hash, Hasher};
use std::path::Path;

use rustc_hash::{FxHashSet, FxHasher};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::error::FileError;
use crate::lint::Checker;
use crate::note::{FrontmatterState, Note, ParseOptions};

/// Rounds of edit-and-relint before giving up.
pub const MAX_ROUNDS: usize = 10;

/// How a note's fixing ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Nothing left to fix.
    Stable,
    /// The frontmatter does not load: such a file is never modified.
    Unparsable,
    /// A round led back to an earlier text; the fixes disagree.
    Cycle,
    /// Still changing after `MAX_ROUNDS`.
    RoundLimit,
}

/// The result of fixing one note's text.
#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    pub stop: Stop,
}

/// Fixes `text` (the note at vault-relative `rel`, absolute `abs`) until stable.
pub fn fix_text(
    checker: &Checker<'_>,
    options: &ParseOptions,
    rel: &str,
    abs: &Path,
    text: String,
    unsafe_fixes: bool,
) -> Result<Fixed, FileError> {
    let loads = |candidate: &str| -> Option<Note> {
        let parsed = Note::parse(rel.to_owned(), candidate.to_owned(), options);
        matches!(
            parsed.frontmatter,
            FrontmatterState::Absent | FrontmatterState::Parsed(_)
        )
        .then_some(parsed)
    };
    let Some(mut note) = loads(&text) else {
        return Ok(Fixed {
            text,
            applied: 0,
            stop: Stop::Unparsable,
        });
    };
    let mut applied = 0;
    let mut seen = FxHashSet::default();
    seen.insert(fingerprint(&note.text));
    for _ in 0..MAX_ROUNDS {
        let found = checker.finish(&note, checker.check(&note, abs)?);
        let fixes: Vec<&Fix> = found
            .iter()
            .filter(|d| d.rule.fix.is_some())
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
            .collect();
        let chosen = non_overlapping(&fixes);
        if chosen.is_empty() {
            return Ok(Fixed {
                text: note.text,
                applied,
                stop: Stop::Stable,
            });
        }
        // Fixes that do not overlap can still disagree about one YAML list (removing its
        // last item while another appends to it): if applying them together breaks the
        // frontmatter, apply the first one that keeps it loading, and go round again.
        let together = apply(&note.text, &edits_of(&chosen));
        let (next, count) = match loads(&together) {
            Some(next) => (next, chosen.len()),
            None => {
                let one = chosen
                    .iter()
                    .find_map(|fix| loads(&apply(&note.text, &edits_of(&[fix]))));
                let Some(one) = one else {
                    return Ok(Fixed {
                        text: note.text,
                        applied,
                        stop: Stop::Cycle,
                    });
                };
                (one, 1)
            }
        };
        if !seen.insert(fingerprint(&next.text)) {
            return Ok(Fixed {
                text: note.text,
                applied,
                stop: Stop::Cycle,
            });
        }
        applied += count;
        note = next;
    }
    Ok(Fixed {
        text: note.text,
        applied,
        stop: Stop::RoundLimit,
    })
}

fn edits_of<'a>(fixes: &[&'a Fix]) -> Vec<&'a Edit> {
    fixes.iter().flat_map(|f| &f.edits).collect()
}

/// The fixes whose edits overlap no edit of a fix chosen before them (in source order).
/// Two insertions at the same offset count as overlapping: their order would be a guess.
fn non_overlapping<'a>(fixes: &[&'a Fix]) -> Vec<&'a Fix> {
    let mut sorted: Vec<&Fix> = fixes.to_vec();
    sorted.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut chosen = Vec::new();
    for fix in sorted {
        let clashes = fix
            .edits
            .iter()
            .any(|edit| taken.iter().any(|t| overlaps(edit, t)));
        let self_clash = fix
            .edits
            .iter()
            .enumerate()
            .any(|(i, a)| fix.edits[i + 1..].iter().any(|b| overlaps(a, b)));
        if !clashes && !self_clash && !fix.edits.is_empty() {
            taken.extend(&fix.edits);
            chosen.push(fix);
        }
    }
    chosen
}

/// Ranges that share bytes overlap; an insertion overlaps a range it touches or falls in,
/// since its place relative to the replaced text would be a guess.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let touches =
        |point: usize, range: &std::ops::Range<usize>| range.start <= point && point <= range.end;
    match (a.span.is_empty(), b.span.is_empty()) {
        (true, _) => touches(a.span.start, &b.span),
        (false, true) => touches(b.span.start, &a.span),
        (false, false) => a.span.start < b.span.end && b.span.start < a.span.end,
    }
}

/// Applies non-overlapping edits; text outside them is copied byte for byte.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in sorted {
        let start = edit.span.start.clamp(at, text.len());
        let end = edit.span.end.clamp(start, text.len());
        if let (Some(before), true) = (text.get(at..start), text.is_char_boundary(end)) {
            out.push_str(before);
            out.push_str(&edit.replacement);
            at = end;
        }
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

fn fingerprint(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        Edit {
            span: start..end,
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn apply_keeps_bytes_outside_edits() {
        let text = "abcdef";
        let a = edit(1, 2, "X");
        let b = edit(4, 4, "+");
        assert_eq!(apply(text, &[&b, &a]), "aXcd+ef");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let first = Fix {
            applicability: Applicability::Safe,
            edits: vec![edit(0, 3, "")],
        };
        let second = Fix {
            applicability: Applicability::Safe,
            edits: vec![edit(2, 4, "")],
        };
        let third = Fix {
            applicability: Applicability::Safe,
            edits: vec![edit(4, 5, "")],
        };
        let same_point = Fix {
            applicability: Applicability::Safe,
            edits: vec![edit(7, 7, "x")],
        };
        let also_same = Fix {
            applicability: Applicability::Safe,
            edits: vec![edit(7, 7, "y")],
        };
        let chosen = non_overlapping(&[&second, &first, &third, &same_point, &also_same]);
        assert_eq!(chosen.len(), 3);
        assert!(chosen.contains(&&first) && chosen.contains(&&third));
    }
}
