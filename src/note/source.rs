//! Byte offsets to 1-based line and column (columns count Unicode scalar values).

/// The line starts of a text, for turning byte spans into lines and columns when rendering.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

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
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text and to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.starts[line];
        let column = text[line_start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
