//! Splits a note into its frontmatter block and body (SPEC 1.1), without parsing YAML.

use std::ops::Range;

/// Where the frontmatter block sits in the note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// No opening `---` line: the whole text (after a BOM) is body.
    None { body_start: usize },
    /// An opening `---` line with no closing line.
    Unclosed { open: Range<usize> },
    /// A complete block.
    Closed(Block),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The opening `---` (without its line ending).
    pub open: Range<usize>,
    /// The YAML between the delimiter lines (includes the last line's line ending).
    pub yaml: Range<usize>,
    /// The closing `---` or `...` (without its line ending).
    pub close: Range<usize>,
    /// Where the body starts: after the closing line and its line ending.
    pub body_start: usize,
}

const BOM: &str = "\u{feff}";

/// Finds the frontmatter block. Never panics; all ranges lie on char boundaries of `text`.
pub fn split(text: &str) -> Split {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = Lines { text, pos: start };
    let Some(first) = lines.next() else {
        return Split::None { body_start: start };
    };
    if !is_delimiter(&text[first.content.clone()], false) {
        return Split::None { body_start: start };
    }
    let open = first.content.start..first.content.start + 3;
    let yaml_start = first.end;
    for line in lines {
        if is_delimiter(&text[line.content.clone()], true) {
            let close_len = 3;
            return Split::Closed(Block {
                open,
                yaml: yaml_start..line.content.start,
                close: line.content.start..line.content.start + close_len,
                body_start: line.end,
            });
        }
    }
    Split::Unclosed { open }
}

/// `---` (or `...` when closing) followed only by spaces or tabs.
fn is_delimiter(line: &str, closing: bool) -> bool {
    let rest = if let Some(rest) = line.strip_prefix("---") {
        rest
    } else if closing && let Some(rest) = line.strip_prefix("...") {
        rest
    } else {
        return false;
    };
    rest.bytes().all(|b| b == b' ' || b == b'\t')
}

struct Line {
    /// The line without its ending (`\n` or `\r\n`).
    content: Range<usize>,
    /// Just past the line ending.
    end: usize,
}

/// Lines split on `\n`, with a trailing `\r` kept out of the content.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text.as_bytes()[self.pos..];
        let (content_len, end) = match memchr::memchr(b'\n', rest) {
            Some(i) => (i, self.pos + i + 1),
            None => (rest.len(), self.text.len()),
        };
        let mut content = self.pos..self.pos + content_len;
        if content_len > 0 && rest[content_len - 1] == b'\r' {
            content.end -= 1;
        }
        self.pos = end;
        Some(Line { content, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn closed(text: &str) -> Block {
        match split(text) {
            Split::Closed(block) => block,
            other => panic!("expected a closed block, got {other:?}"),
        }
    }

    #[test]
    fn lf_block() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let block = closed(text);
        assert_eq!(&text[block.yaml.clone()], "title: A\n");
        assert_eq!(&text[block.body_start..], "# Body\n");
        assert_eq!(&text[block.open], "---");
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}---\r\ntitle: A\r\n...\r\nbody";
        let block = closed(text);
        assert_eq!(&text[block.yaml.clone()], "title: A\r\n");
        assert_eq!(&text[block.close.clone()], "...");
        assert_eq!(&text[block.body_start..], "body");
        assert_eq!(block.open.start, 3);
    }

    #[test]
    fn trailing_spaces_on_delimiters_are_allowed() {
        let block = closed("---  \na: 1\n--- \t\n");
        assert_eq!(block.yaml, 6..11);
    }

    #[test]
    fn empty_frontmatter() {
        let text = "---\n---\nbody";
        let block = closed(text);
        assert!(block.yaml.is_empty());
        assert_eq!(&text[block.body_start..], "body");
    }

    #[test]
    fn closing_at_end_of_file_without_newline() {
        let text = "---\na: 1\n---";
        let block = closed(text);
        assert_eq!(block.body_start, text.len());
    }

    #[test]
    fn not_frontmatter() {
        assert_eq!(split(""), Split::None { body_start: 0 });
        assert_eq!(split("# Title\n---\n"), Split::None { body_start: 0 });
        assert_eq!(split("----\na\n----\n"), Split::None { body_start: 0 });
        assert_eq!(split(" ---\n"), Split::None { body_start: 0 });
        // `...` only closes a block, it never opens one.
        assert_eq!(split("...\na\n...\n"), Split::None { body_start: 0 });
    }

    #[test]
    fn unclosed() {
        assert_eq!(split("---\ntitle: A\n"), Split::Unclosed { open: 0..3 });
        assert_eq!(split("---"), Split::Unclosed { open: 0..3 });
    }

    proptest! {
        #[test]
        fn never_panics_and_ranges_are_in_bounds(text in "(---|\\.\\.\\.|\r\n|\n|\u{feff}|a: b| |\t|é|x){0,40}") {
            check_ranges(&text);
        }

        #[test]
        fn arbitrary_text(text in any::<String>()) {
            check_ranges(&text);
        }
    }

    fn check_ranges(text: &str) {
        let ranges: Vec<Range<usize>> = match split(text) {
            Split::None { body_start } => std::iter::once(body_start..text.len()).collect(),
            Split::Unclosed { open } => std::iter::once(open).collect(),
            Split::Closed(b) => vec![
                b.open.clone(),
                b.yaml.clone(),
                b.close.clone(),
                b.body_start..text.len(),
                b.open.start..b.body_start,
            ],
        };
        for range in ranges {
            assert!(range.start <= range.end && range.end <= text.len());
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
}
