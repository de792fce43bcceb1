//! The text miette renders for one report: the lines around its labels, long lines
//! clipped to a window around each label, control characters escaped, labels moved to
//! match, and line numbers and columns still those of the file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::diagnostic::Span;
use crate::note::source::{LineIndex, floor_char_boundary};
use crate::output::{is_unsafe_char, push_escaped};

/// Characters kept on each side of a label on a long line.
pub(super) const CONTEXT: usize = 160;
/// Lines of at most this many characters are shown whole.
pub(super) const LINE_MAX: usize = 2 * CONTEXT;
/// A label longer than this many characters shows only its first and last `SPAN_MAX / 2`.
pub(super) const SPAN_MAX: usize = 2 * CONTEXT;
/// Marks clipped text.
pub(super) const ELLIPSIS: &str = "…";

/// The text miette renders for one report: the lines from one before the first label to
/// two after the last, each clipped and escaped, plus how its offsets relate to the file's.
///
/// miette reads it like a file that starts at line `first_line`, so line numbers (and the
/// header's column, computed from the file's text) stay those of the file.
pub(super) struct Snippet {
    name: String,
    pub(super) text: String,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
    /// The stretches of `text`, in order, each from a stretch of the file.
    pieces: Vec<Piece>,
    /// Where each line of the snippet starts and where its text ends (before `\r\n` or
    /// `\n`) in the file, for header columns.
    pub(super) lines: Vec<(usize, usize)>,
    /// Each label's start in the file and its 0-based column in characters, as every
    /// other format counts it (miette would count bytes), for the headers.
    label_columns: Vec<(usize, usize)>,
}

/// A stretch of the snippet and the stretch of the file it shows: the same bytes
/// (`exact`), or an escaped character or an ellipsis standing for clipped text.
#[derive(Debug, Clone, Copy)]
struct Piece {
    file: usize,
    file_end: usize,
    at: usize,
    end: usize,
    exact: bool,
}

impl Snippet {
    /// The snippet for labels at `spans` (byte ranges of `text`, clamped to it), and the
    /// spans moved onto the snippet, in the same order.
    pub(super) fn new(
        name: &str,
        text: &str,
        index: &LineIndex,
        spans: &[&Span],
    ) -> (Snippet, Vec<SourceSpan>) {
        let spans: Vec<(usize, usize)> = spans
            .iter()
            .map(|span| {
                let start = floor_char_boundary(text, span.start);
                (start, floor_char_boundary(text, span.end).max(start))
            })
            .collect();

        // What to keep of each line, as (line, start, end): around every label's ends.
        let mut keep: Vec<(usize, usize, usize)> = Vec::new();
        // miette shows the line before each label and the line after it, and counts a
        // label that ends inside a `\r\n` as ending on the next line: one more line than it
        // may need costs nothing, as it stops reading where it would in the whole text.
        let (mut top, mut bottom) = (usize::MAX, 0);
        for &(start, end) in &spans {
            top = top.min(index.line_of(start).saturating_sub(1));
            bottom = bottom.max(index.line_of(end) + 2);
            let first = index.line_of(start);
            let last = if end > start {
                index.line_of(end - 1)
            } else {
                first
            };
            let (first_start, first_end, _) = index.line_bounds(text, first);
            let (last_start, last_end, _) = index.line_bounds(text, last);
            let (start, end) = (start.min(first_end), end.clamp(last_start, last_end));
            if first == last && chars_at_most(&text[start.min(end)..end], SPAN_MAX) {
                keep.push((
                    first,
                    back(text, start, CONTEXT, first_start),
                    forward(text, end.max(start), CONTEXT, first_end),
                ));
            } else {
                keep.push((
                    first,
                    back(text, start, CONTEXT, first_start),
                    forward(text, start, SPAN_MAX / 2, first_end),
                ));
                keep.push((
                    last,
                    back(text, end, SPAN_MAX / 2, last_start),
                    forward(text, end, CONTEXT, last_end),
                ));
            }
        }
        keep.sort_unstable();

        let lines = if spans.is_empty() {
            0..=0
        } else {
            top..=bottom.min(index.line_count() - 1)
        };
        let mut snippet = Snippet {
            name: name.to_owned(),
            text: String::new(),
            first_line: *lines.start(),
            pieces: Vec::new(),
            lines: Vec::new(),
            label_columns: spans
                .iter()
                .map(|&(start, _)| {
                    // A label on a line break is at the end of its line's text.
                    let (_, end, _) = index.line_bounds(text, index.line_of(start));
                    (start, index.position(text, start.min(end)).column - 1)
                })
                .collect(),
        };
        let mut kept = keep.iter().peekable();
        for line in lines {
            let (start, end, next) = index.line_bounds(text, line);
            snippet.lines.push((start, end));
            let mut windows: Vec<(usize, usize)> = Vec::new();
            while let Some(&(_, from, to)) = kept.next_if(|k| k.0 == line) {
                windows.push((from, to));
            }
            if chars_at_most(&text[start..end], LINE_MAX) {
                windows = vec![(start, end)];
            } else if windows.is_empty() {
                windows.push((start, forward(text, start, LINE_MAX, end)));
            }
            let mut at = start;
            for (from, to) in windows {
                if to <= at {
                    continue;
                }
                let from = from.max(at);
                if from > at {
                    snippet.push_ellipsis(at, from);
                }
                snippet.push_text(text, from, to);
                at = to;
            }
            if at < end {
                snippet.push_ellipsis(at, end);
            }
            if end < next {
                snippet.push_exact(text, end, next);
            }
        }

        let spans = spans
            .iter()
            .map(|&(start, end)| {
                let at = snippet.to_snippet(start, false);
                let end = snippet.to_snippet(end, true).max(at);
                SourceSpan::new(at.into(), end - at)
            })
            .collect();
        (snippet, spans)
    }

    fn push_exact(&mut self, text: &str, from: usize, to: usize) {
        let at = self.text.len();
        self.text.push_str(&text[from..to]);
        match self.pieces.last_mut() {
            Some(last) if last.exact && last.file_end == from => {
                last.file_end = to;
                last.end = self.text.len();
            }
            _ => self.pieces.push(Piece {
                file: from,
                file_end: to,
                at,
                end: self.text.len(),
                exact: true,
            }),
        }
    }

    fn push_ellipsis(&mut self, from: usize, to: usize) {
        let at = self.text.len();
        self.text.push_str(ELLIPSIS);
        self.pieces.push(Piece {
            file: from,
            file_end: to,
            at,
            end: self.text.len(),
            exact: false,
        });
    }

    /// `text[from..to]` with unsafe characters escaped.
    fn push_text(&mut self, text: &str, from: usize, to: usize) {
        let mut run = from;
        for (i, c) in text[from..to].char_indices() {
            if is_unsafe_char(c) {
                let i = from + i;
                if run < i {
                    self.push_exact(text, run, i);
                }
                let at = self.text.len();
                push_escaped(&mut self.text, c);
                run = i + c.len_utf8();
                self.pieces.push(Piece {
                    file: i,
                    file_end: run,
                    at,
                    end: self.text.len(),
                    exact: false,
                });
            }
        }
        if run < to {
            self.push_exact(text, run, to);
        }
    }

    /// The snippet offset showing file offset `offset`. A label's start lands at the start
    /// of an escape or ellipsis, its end (`is_end`) after one.
    fn to_snippet(&self, offset: usize, is_end: bool) -> usize {
        let i = if is_end {
            self.pieces.partition_point(|p| p.file < offset)
        } else {
            self.pieces.partition_point(|p| p.file <= offset)
        };
        let Some(piece) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        if offset >= piece.file_end {
            piece.end
        } else if piece.exact {
            piece.at + (offset - piece.file)
        } else if is_end {
            piece.end
        } else {
            piece.at
        }
    }

    /// The file offset shown at snippet offset `at`.
    fn to_file(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.at <= at);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some(piece) if piece.exact => {
                piece.file + (at - piece.at).min(piece.file_end - piece.file)
            }
            Some(piece) => piece.file,
            None => self.lines.first().map_or(0, |line| line.0),
        }
    }
}

impl SourceCode for Snippet {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // Only a read without lines before starts mid-line (the header's position); its
        // column is the file's: in characters at a label's start, else in bytes as miette
        // counts them (a line break is at the end of its line's text).
        let column = if context_lines_before == 0 {
            let offset = self.to_file(inner.span().offset());
            match self.label_columns.iter().find(|&&(at, _)| at == offset) {
                Some(&(_, column)) => column,
                None => {
                    let line = self.lines.partition_point(|&(s, _)| s <= offset).max(1) - 1;
                    let (start, end) = self.lines.get(line).copied().unwrap_or_default();
                    offset.min(end).saturating_sub(start)
                }
            }
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count() + self.first_line,
        )))
    }
}

/// Whether `text` has at most `max` characters, looking at no more than it must.
pub(super) fn chars_at_most(text: &str, max: usize) -> bool {
    text.len() <= max || text.chars().nth(max).is_none()
}

/// The offset `count` characters before `at`, but not before `floor`.
pub(super) fn back(text: &str, at: usize, count: usize, floor: usize) -> usize {
    text[floor..at]
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(at, |(i, _)| floor + i)
}

/// The offset `count` characters after `at`, but not after `ceiling`.
pub(super) fn forward(text: &str, at: usize, count: usize, ceiling: usize) -> usize {
    text[at..ceiling]
        .char_indices()
        .nth(count)
        .map_or(ceiling, |(i, _)| at + i)
}
