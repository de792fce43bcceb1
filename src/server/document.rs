//! An open document: its text as the editor has it, kept current by incremental changes.

use lsp_types::TextDocumentContentChangeEvent;

use super::convert::{Encoding, Lines};

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub version: i32,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        Document { text, version }
    }

    /// Applies the changes of one `didChange`, in order: each range is in the text as the
    /// previous change left it; a change without a range replaces the whole text.
    pub fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = Lines::new(&self.text, encoding).span(range);
                    self.text.replace_range(span, &change.text);
                }
                None => self.text = change.text,
            }
        }
        self.version = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn changes_apply_in_order() {
        let mut doc = Document::new("a😀b\ncd\n".to_owned(), 1);
        doc.apply(
            vec![
                change(Some(((0, 3), (0, 4))), "B"),
                change(Some(((1, 0), (1, 0))), "x"),
                change(Some(((0, 0), (1, 0))), ""),
            ],
            2,
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "xcd\n");
        assert_eq!(doc.version, 2);
        doc.apply(vec![change(None, "new")], 3, Encoding::Utf8);
        assert_eq!(doc.text, "new");
    }
}
