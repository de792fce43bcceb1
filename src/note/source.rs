//! Byte offsets to 1-based line and column (columns count Unicode scalar values).

/// The line starts of a text, for turning byte spans into lines and columns when rendering.
///
/// A column is the number of characters from the line's start, so on a long line each
/// position would cost a scan of the line: many findings on one 10 MB line (a minified
/// note, a generated table) made rendering quadratic. Long lines therefore carry
/// checkpoints every [`CHECKPOINT`] bytes, and a position scans at most that much.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, characters from its line's start)` inside lines longer than
    /// [`CHECKPOINT`], in text order; offsets lie on char boundaries.
    checkpoints: Vec<(usize, usize)>,
}

const BOM: &str = "\u{feff}";

/// Bytes between checkpoints on a long line.
const CHECKPOINT: usize = 4096;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let (mut at, mut chars) = (start, 0);
            while end - at > CHECKPOINT {
                // A char is at most 4 bytes, so this stays ahead of `at`.
                let next = floor_char_boundary(text, at + CHECKPOINT);
                chars += text[at..next].chars().count();
                at = next;
                checkpoints.push((at, chars));
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based `line`'s start, the end of its text (before `\n` or `\r\n`), and
    /// where the next line starts.
    pub fn line_bounds(&self, text: &str, line: usize) -> (usize, usize, usize) {
        let start = self.starts[line];
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        let mut end = next;
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        (start, end, next)
    }

    /// The position of byte `offset` (clamped to the text and to a char boundary).
    ///
    /// `text` must be the text the index was built from.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let line_start = self.starts[line];
        let (from, before) = match self.checkpoints.partition_point(|&(at, _)| at <= offset) {
            0 => (line_start, 0),
            i => match self.checkpoints[i - 1] {
                (at, chars) if at >= line_start => (at, chars),
                _ => (line_start, 0),
            },
        };
        let mut column = before + text.get(from..offset).map_or(0, |s| s.chars().count()) + 1;
        // A byte order mark is not a character of the first line: no editor shows it or
        // counts it as a column.
        if line == 0 && offset >= BOM.len() && text.starts_with(BOM) {
            column -= 1;
        }
        Position {
            line: line + 1,
            column,
        }
    }
}

/// `offset` clamped to the text and moved back to a char boundary.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}[[x]]\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 5), Position { line: 1, column: 3 });
        assert_eq!(index.position(text, 9), Position { line: 2, column: 1 });
    }

    #[test]
    fn lines_and_char_columns() {
        let text = "ab\nçé x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        let x = text.find('x').expect("x is there");
        assert_eq!(index.position(text, x), Position { line: 2, column: 4 });
        assert_eq!(
            index.position(text, text.len()),
            Position { line: 3, column: 5 }
        );
        // Inside a multi-byte char: clamps back to its start.
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
    }

    /// The column by counting from the line start, as positions were computed before
    /// checkpoints.
    fn naive(text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: text[..offset].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
        }
    }

    #[test]
    fn long_lines_with_multibyte_chars_match_counting() {
        let long = "aé😀".repeat(5_000);
        let text = format!("x\n{long}\n{}\nend", "b".repeat(3 * CHECKPOINT));
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        for offset in (0..=text.len() + 2)
            .step_by(97)
            .chain([text.len() - 4, text.len()])
        {
            assert_eq!(
                index.position(&text, offset),
                naive(&text, offset),
                "{offset}"
            );
        }
    }

    /// Regression: 100,000 findings on one 1.7 MB line took 13 s to render (each column
    /// counted the characters from the line's start).
    #[test]
    fn many_positions_on_one_long_line_are_fast() {
        let text = "[[missing-note]] ".repeat(200_000);
        let index = LineIndex::new(&text);
        let started = std::time::Instant::now();
        let last = (0..text.len())
            .step_by(17)
            .map(|offset| index.position(&text, offset).column)
            .max();
        assert_eq!(last, Some(text.len() - 16));
        // Counting from the line start would scan ~6.8 * 10^11 bytes here.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    proptest::proptest! {
        #[test]
        fn positions_match_counting(text in "(a|é|😀|\n|\r){0,40}", offsets in proptest::collection::vec(0usize..200, 1..10)) {
            let index = LineIndex::new(&text);
            for offset in offsets {
                proptest::prop_assert_eq!(index.position(&text, offset), naive(&text, offset));
            }
        }
    }
}
