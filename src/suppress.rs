//! Inline suppressions: `<!-- notelint-disable/enable/disable-next-line CODE... -->` in the
//! body and `# notelint-disable-line CODE...` comments in the frontmatter.
//!
//! Each becomes a byte range with the codes (or groups) it silences; no code means all.
//! An `enable` with codes ends the ranges opened for exactly those codes; an `enable`
//! without codes ends every open range.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::note::Note;
use crate::note::body::DirectiveKind;
use crate::rules;

const DISABLE_LINE: &str = "notelint-disable-line";

/// The suppressed ranges of one note.
#[derive(Debug, Default, Clone)]
pub struct Suppressions {
    ranges: Vec<(Range<usize>, Vec<String>)>,
}

impl Suppressions {
    pub fn of(note: &Note) -> Suppressions {
        let text = &note.text;
        let mut ranges = Vec::new();
        let mut open: Vec<(usize, Vec<String>)> = Vec::new();
        for directive in &note.body.directives {
            match directive.kind {
                DirectiveKind::Disable => open.push((directive.span.end, directive.codes.clone())),
                DirectiveKind::Enable => {
                    let (closing, still_open): (Vec<_>, Vec<_>) =
                        open.into_iter().partition(|(_, codes)| {
                            directive.codes.is_empty() || *codes == directive.codes
                        });
                    open = still_open;
                    for (start, codes) in closing {
                        ranges.push((start..directive.span.start, codes));
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let next = line_end(text, directive.span.end);
                    let next_start = (next + 1).min(text.len());
                    ranges.push((
                        next_start..line_end(text, next_start),
                        directive.codes.clone(),
                    ));
                }
            }
        }
        for (start, codes) in open {
            ranges.push((start..text.len(), codes));
        }
        if let Some(fm) = note.parsed() {
            for comment in &fm.document.comments {
                let body = comment.text.trim();
                if let Some(rest) = body.strip_prefix(DISABLE_LINE) {
                    let at = fm.span(&comment.span).start;
                    let codes = rest
                        .split([' ', ','])
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                    ranges.push((line_start(text, at)..line_end(text, at), codes));
                }
            }
        }
        Suppressions { ranges }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether `diagnostic` starts inside a range that silences its code.
    pub fn suppresses(&self, diagnostic: &Diagnostic) -> bool {
        let at = diagnostic.span.start;
        self.ranges.iter().any(|(range, codes)| {
            range.start <= at
                && at <= range.end
                && (codes.is_empty()
                    || codes
                        .iter()
                        .any(|c| rules::selector_matches(c, diagnostic.rule)))
        })
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The offset of the `\n` ending the line holding `at` (or the text's end).
fn line_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i)
}
