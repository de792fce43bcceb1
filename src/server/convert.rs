//! The one place where the protocol's types meet the library's: LSP positions in the
//! negotiated encoding <-> byte offsets, our diagnostics -> LSP diagnostics, URIs <-> paths.
//!
//! Everything else in the server works on byte spans of a note's text, as the library does.

use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
    Position, PositionEncodingKind, Range, Url,
};

use crate::diagnostic::{Finding, Severity, Span};

/// How a position's `character` counts: UTF-16 code units (the protocol's default) or
/// bytes (UTF-8, when the client offers it: no conversion at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it among its `general.positionEncodings`, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The line starts of a text, for converting positions. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as the protocol counts them.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str, encoding: Encoding) -> Lines<'t> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Lines {
            text,
            starts,
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = crate::note::source::floor_char_boundary(self.text, offset);
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let character = match self.encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, span: &Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`: a line past the end is the end of the text, a
    /// character past the line's end is the line's end, and a position inside a character
    /// (half a surrogate pair, a byte inside a UTF-8 sequence) is that character's start.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.line_end(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in self.text[start..end].char_indices() {
            let width = self.encoding.width(c);
            if units + width > wanted {
                return start + at;
            }
            units += width;
        }
        end
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        start..end
    }

    /// Where `line`'s text ends, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > self.starts[line] && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > self.starts[line] && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One of our findings as the protocol shows it: the same code, range, message and
/// severity as `check` prints; the help on a line of its own under the message (every
/// editor shows the message, few show related information); secondary labels (the first
/// occurrence of a duplicate key) as related information.
pub fn diagnostic(found: &Finding, lines: &Lines<'_>, uri: &Url) -> lsp_types::Diagnostic {
    let mut message = found.message.clone();
    if let Some(help) = &found.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = found
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(&label.span)),
            message: label.message.clone(),
        })
        .collect();
    let deprecated = found.rule.code == "frontmatter/deprecated-key";
    lsp_types::Diagnostic {
        range: lines.range(&found.span),
        severity: Some(severity(found.severity)),
        code: Some(NumberOrString::String(found.rule.code.to_owned())),
        code_description: None,
        source: Some("notelint".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: deprecated.then(|| vec![DiagnosticTag::DEPRECATED]),
        data: None,
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The file a `file:` URI names; `None` for other schemes (an untitled buffer).
pub fn path_of(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    uri.to_file_path().ok()
}

pub fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "a😀é\nx";
        let utf16 = Lines::new(text, Encoding::Utf16);
        // `é` starts after `a` (1 unit) and the emoji (2 units).
        assert_eq!(utf16.position(5), Position::new(0, 3));
        assert_eq!(utf16.offset(Position::new(0, 3)), 5);
        // Half a surrogate pair is the emoji's start.
        assert_eq!(utf16.offset(Position::new(0, 2)), 1);
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(5), Position::new(0, 5));
        assert_eq!(utf8.offset(Position::new(0, 5)), 5);
        assert_eq!(utf8.offset(Position::new(1, 0)), 8);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(Position::new(0, 99)), 2);
        assert_eq!(lines.offset(Position::new(1, 1)), 5);
        assert_eq!(lines.offset(Position::new(7, 0)), text.len());
        assert_eq!(lines.position(text.len()), Position::new(1, 2));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a\rb\nc";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.position(2), Position::new(1, 0));
        assert_eq!(lines.position(4), Position::new(2, 0));
    }

    proptest::proptest! {
        /// Every char boundary survives offset -> position -> offset in both encodings.
        #[test]
        fn offsets_round_trip(text in "(a|é|😀|\n|\r\n|\r|\t){0,40}") {
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let lines = Lines::new(&text, encoding);
                for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    // A position inside `\r\n` is not one a client sends.
                    if offset > 0 && text.as_bytes()[offset - 1] == b'\r'
                        && text.as_bytes().get(offset) == Some(&b'\n') {
                        continue;
                    }
                    proptest::prop_assert_eq!(lines.offset(lines.position(offset)), offset);
                }
            }
        }
    }
}
