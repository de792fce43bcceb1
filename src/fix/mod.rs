//! Fixing a note: pick non-overlapping edits of the fixable findings, apply them, re-lint,
//! and repeat until nothing changes (bounded, with cycle detection). Works on text only;
//! writing is `fs`'s job.

use std::hash::{Hash, Hasher};
use std::path::Path;

use rustc_hash::{FxHashSet, FxHasher};

#[cfg(any(test, fuzzing))]
pub mod oracle;
pub mod verify;

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
    /// A round led back to an earlier text: the fixes (`fixes` of them in that round)
    /// disagree, or one does not remove its own finding.
    Cycle { fixes: usize },
    /// Still changing after `MAX_ROUNDS`.
    RoundLimit,
    /// The edited frontmatter did not load to the values the fixes declared: nothing is
    /// written for the note (the text is the original).
    Unverified(verify::Mismatch),
}

/// The result of fixing one note's text.
#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    pub stop: Stop,
}

/// Fixes `text` (the note at vault-relative `rel`, absolute `abs`) until stable. Every
/// round's edits are verified by value (see [`verify`]) before the next round starts.
pub fn fix_text(
    checker: &Checker<'_>,
    options: &ParseOptions,
    rel: &str,
    abs: &Path,
    text: String,
    unsafe_fixes: bool,
) -> Result<Fixed, FileError> {
    let loads = |candidate: String| -> Option<Note> {
        let parsed = Note::parse(rel.to_owned(), candidate, options);
        matches!(
            parsed.frontmatter,
            FrontmatterState::Absent | FrontmatterState::Parsed(_)
        )
        .then_some(parsed)
    };
    let original = text.clone();
    let Some(mut note) = loads(text) else {
        return Ok(Fixed {
            text: original,
            applied: 0,
            stop: Stop::Unparsable,
        });
    };
    let mut applied = 0;
    let mut seen = FxHashSet::default();
    seen.insert(fingerprint(&note.text));
    for _ in 0..MAX_ROUNDS {
        // The checker has already dropped every fix that does not verify on its own.
        let found = checker.finish(&note, checker.check(&note, abs)?);
        let fixes: Vec<&Fix> = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
            .collect();
        let chosen = choose(&note, &fixes);
        if chosen.is_empty() {
            return Ok(Fixed {
                text: note.text,
                applied,
                stop: Stop::Stable,
            });
        }
        // Fixes that do not overlap and whose declared changes combine can still fail
        // together (removing a list's last item while another appends to it): then the
        // first one that verifies alone goes first, and the rest wait for the next round.
        let (next, count) = match verify::apply_verified(&note, &chosen, options) {
            Ok(next) => (next, chosen.len()),
            Err(together) => {
                let alone = chosen
                    .iter()
                    .find_map(|fix| verify::apply_verified(&note, &[fix], options).ok());
                match alone {
                    Some(next) => (next, 1),
                    None => {
                        return Ok(Fixed {
                            text: original,
                            applied: 0,
                            stop: Stop::Unverified(together),
                        });
                    }
                }
            }
        };
        if !seen.insert(fingerprint(&next)) {
            return Ok(Fixed {
                text: note.text,
                applied,
                stop: Stop::Cycle { fixes: count },
            });
        }
        let Some(next) = loads(next) else {
            // Verified edits always load; kept as a guard rather than a panic.
            return Ok(Fixed {
                text: original,
                applied: 0,
                stop: Stop::Unverified(verify::Mismatch(
                    "the edited frontmatter would not load".into(),
                )),
            });
        };
        applied += count;
        note = next;
    }
    Ok(Fixed {
        text: note.text,
        applied,
        stop: Stop::RoundLimit,
    })
}

/// The fixes to apply together this round, in source order: each overlaps no edit of a
/// fix chosen before it, and its declared changes combine with theirs.
fn choose<'a>(note: &Note, fixes: &[&'a Fix]) -> Vec<&'a Fix> {
    let mut chosen: Vec<&Fix> = Vec::new();
    for fix in non_overlapping(fixes) {
        chosen.push(fix);
        if !verify::compatible(note, &chosen) {
            chosen.pop();
        }
    }
    chosen
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
        // One fix's own edits may touch (an insertion where a removed line starts): their
        // order is the fix's own. They must not share bytes.
        let self_clash = fix.edits.iter().enumerate().any(|(i, a)| {
            fix.edits[i + 1..]
                .iter()
                .any(|b| a.span.start < b.span.end && b.span.start < a.span.end)
        });
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
        assert_eq!(crate::diagnostic::apply_edits(text, &[&b, &a]), "aXcd+ef");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let first = Fix {
            applicability: Applicability::Safe,
            changes: Vec::new(),
            edits: vec![edit(0, 3, "")],
        };
        let second = Fix {
            applicability: Applicability::Safe,
            changes: Vec::new(),
            edits: vec![edit(2, 4, "")],
        };
        let third = Fix {
            applicability: Applicability::Safe,
            changes: Vec::new(),
            edits: vec![edit(4, 5, "")],
        };
        let same_point = Fix {
            applicability: Applicability::Safe,
            changes: Vec::new(),
            edits: vec![edit(7, 7, "x")],
        };
        let also_same = Fix {
            applicability: Applicability::Safe,
            changes: Vec::new(),
            edits: vec![edit(7, 7, "y")],
        };
        let chosen = non_overlapping(&[&second, &first, &third, &same_point, &also_same]);
        assert_eq!(chosen.len(), 3);
        assert!(chosen.contains(&&first) && chosen.contains(&&third));
    }
}
