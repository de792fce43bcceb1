//! Fast path of the structure pass: decides the [`Structure`] of plain note
//! text line by line, without pulldown-cmark, or declines.
//!
//! Most note bodies are ATX headings, paragraphs, lists, wikilinks, tags and
//! fenced code at the margin. For those the structure is simple: fenced code
//! is the only hidden region, headings are the `#` lines, and every `](` closes
//! a plain `[text](dest)`. This module computes exactly what pulldown-cmark
//! would report there, and returns `None` (the caller then runs pulldown-cmark)
//! as soon as a line holds anything whose meaning needs CommonMark's full rules:
//! code spans, math, HTML, blockquotes, tables, reference or footnote
//! definitions, setext underlines, possible indented code, headings or fences
//! inside containers, escapes or entities near a link, link titles or
//! parentheses in destinations, links next to other brackets. Declining is
//! always correct; `fast_tests.rs` checks the answers against pulldown-cmark.

use memchr::{memchr, memchr3, memchr3_iter};

use super::structure::{Region, Structure};
use super::{Heading, LinkKind, Span, links};

/// The structure of `text[range]`, or `None` when it needs pulldown-cmark.
pub(super) fn structure(text: &str, range: &Span, in_comment: bool) -> Option<Structure> {
    let src = text.get(range.clone())?;
    let bytes = src.as_bytes();
    // A lone `\r` ends a line for CommonMark; NUL is replaced. Leave both alone.
    if memchr(0, bytes).is_some() || memchr_iter_cr_alone(bytes) {
        return None;
    }
    let mut scanner = Scanner {
        text,
        base: range.start,
        in_comment,
        found: Structure::default(),
        prev_paragraph: false,
        prev_open_wikilink: false,
        may_hide: memchr3(b'`', b'$', b'<', bytes).is_some(),
    };
    let mut fence: Option<Fence> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let newline = memchr(b'\n', &bytes[pos..]).map(|i| pos + i);
        let next = newline.map_or(bytes.len(), |n| n + 1);
        let mut end = newline.unwrap_or(bytes.len());
        if end > pos && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &bytes[pos..end];
        match &fence {
            Some(open) => {
                if open.closed_by(line) {
                    scanner.found.hidden.push(Region {
                        span: scanner.base + open.start..scanner.base + end,
                        comment: None,
                    });
                    fence = None;
                    scanner.prev_paragraph = false;
                }
            }
            None => fence = scanner.line(line, pos)?,
        }
        pos = next;
    }
    if let Some(open) = fence {
        scanner.found.hidden.push(Region {
            span: scanner.base + open.start..scanner.base + bytes.len(),
            comment: None,
        });
    }
    Some(scanner.found)
}

/// Whether some `\r` is not followed by `\n`.
fn memchr_iter_cr_alone(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// An open fenced code block at the left margin.
struct Fence {
    /// Offset of the opening line in the scanned text.
    start: usize,
    marker: u8,
    len: usize,
}

impl Fence {
    /// A closing fence: up to three spaces, at least as many markers, then
    /// only spaces or tabs.
    fn closed_by(&self, line: &[u8]) -> bool {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[indent..];
        let run = rest.iter().take_while(|&&b| b == self.marker).count();
        indent <= 3 && run >= self.len && rest[run..].iter().all(|&b| b == b' ' || b == b'\t')
    }
}

struct Scanner<'t> {
    text: &'t str,
    base: usize,
    in_comment: bool,
    found: Structure,
    /// The previous line continued or began a paragraph, so an indented line
    /// now is a continuation, never indented code.
    prev_paragraph: bool,
    /// The previous line left a `[[` open: a link now may sit inside it.
    prev_open_wikilink: bool,
    /// The text holds a `` ` ``, `$` or `<` somewhere (lines outside fenced
    /// code with one are declined); most notes hold none.
    may_hide: bool,
}

impl Scanner<'_> {
    /// Handles one line outside fenced code (at `pos` in the scanned text);
    /// returns the fence it opens, or `None` (the outer `None`) to decline.
    #[allow(clippy::option_option)]
    fn line(&mut self, line: &[u8], pos: usize) -> Option<Option<Fence>> {
        let ws = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let rest = &line[ws..];
        if rest.is_empty() {
            self.prev_paragraph = false;
            self.prev_open_wikilink = false;
            return Some(None);
        }
        let tab_in_indent = line[..ws].contains(&b'\t');
        if (ws >= 4 || tab_in_indent) && !self.prev_paragraph {
            return None;
        }
        if let Some(marker @ (b'`' | b'~')) = rest.first().copied() {
            let len = rest.iter().take_while(|&&b| b == marker).count();
            if len >= 3 {
                // Fences inside containers or indented: pulldown-cmark decides.
                if ws > 0 || (marker == b'`' && rest[len..].contains(&b'`')) {
                    return None;
                }
                self.prev_paragraph = false;
                return Some(Some(Fence {
                    start: pos,
                    marker,
                    len,
                }));
            }
        }
        let backslash = self.inline(line, pos)?;
        if matches!(rest[0], b'|' | b'-' | b':') && is_table_delimiter(rest) {
            return None;
        }
        if is_setext_underline(rest) {
            if self.prev_paragraph || ws > 0 {
                return None;
            }
            if rest[0] == b'=' {
                // `===` after a blank line is paragraph text.
                self.prev_paragraph = true;
                return Some(None);
            }
        }
        if is_thematic_break(rest) {
            if self.prev_paragraph || ws > 0 {
                return None;
            }
            self.prev_paragraph = false;
            return Some(None);
        }
        let (content, markers) = strip_list_markers(rest)?;
        if markers > 0 && (content.is_empty() || is_rule_like(content)) {
            // `- ---`, or an empty item: leave to pulldown-cmark when it matters.
            if content.is_empty() {
                self.prev_paragraph = false;
                self.prev_open_wikilink = false;
                return Some(None);
            }
            return None;
        }
        if content.first() == Some(&b'>') {
            return None;
        }
        let heading = atx_level(content);
        if heading.is_some() && (markers > 0 || ws > 0) {
            return None;
        }
        if content.starts_with(b"~~~") {
            return None;
        }
        // An escape in a heading is not part of its text; pulldown-cmark decides.
        if heading.is_some() && backslash {
            return None;
        }
        match heading {
            Some(level) => {
                self.heading(line, pos, level);
                self.prev_paragraph = false;
            }
            None => self.prev_paragraph = true,
        }
        Some(None)
    }

    /// One pass over the line's bytes: declines on code spans, math, HTML
    /// and definitions, tracks `[[` to `]]`, and has every `](` close a plain
    /// `[text](dest)`. Returns whether the line holds a backslash.
    fn inline(&mut self, line: &[u8], pos: usize) -> Option<bool> {
        if self.may_hide && memchr3(b'`', b'$', b'<', line).is_some() {
            return None;
        }
        let mut backslash = false;
        let mut open_wikilink = false;
        for i in memchr3_iter(b'[', b']', b'\\', line) {
            let next = line.get(i + 1).copied();
            match (line[i], next) {
                (b']', Some(b':')) => return None,
                (b'\\', _) => backslash = true,
                (b'[', Some(b'[')) => open_wikilink = true,
                (b']', Some(b']')) => open_wikilink = false,
                (b']', Some(b'(')) => {
                    if self.prev_open_wikilink || open_wikilink {
                        return None;
                    }
                    self.link(line, pos, i)?;
                }
                _ => {}
            }
        }
        self.prev_open_wikilink = open_wikilink;
        Some(backslash)
    }

    /// The plain `[text](dest)` whose `](` is at `bracket`, or `None`.
    fn link(&mut self, line: &[u8], pos: usize, bracket: usize) -> Option<()> {
        let open = line[..bracket]
            .iter()
            .rposition(|&b| b == b'[' || b == b']')?;
        if line[open] != b'[' {
            return None;
        }
        let label = &line[open + 1..bracket];
        // `[ ]`/`[x]` may be a task marker, `[^1]` a footnote, `\` an escape.
        if matches!(label, b" " | b"x" | b"X")
            || label.first() == Some(&b'^')
            || label.contains(&b'\\')
        {
            return None;
        }
        let before = open.checked_sub(1).map(|i| line[i]);
        if matches!(before, Some(b'[' | b']' | b'\\')) {
            return None;
        }
        let image = before == Some(b'!');
        if image && open >= 2 && line[open - 2] == b'\\' {
            return None;
        }
        let dest_start = bracket + 2;
        let dest_len = line[dest_start..]
            .iter()
            .take_while(|&&b| b > b' ' && !b"()<>[]\\&".contains(&b))
            .count();
        let close = dest_start + dest_len;
        if dest_len == 0 || line.get(close) != Some(&b')') {
            return None;
        }
        let start = self.base + pos + if image { open - 1 } else { open };
        let span = start..self.base + pos + close + 1;
        let dest = links::slice(
            self.text,
            self.base + pos + dest_start..self.base + pos + close,
        );
        let kind = match image {
            true => LinkKind::MarkdownImage,
            false => LinkKind::Markdown,
        };
        let tail = links::inline_tail(self.text, &span, span.start + if image { 2 } else { 1 });
        if let Some((bracket, _)) = &tail {
            self.found.not_tags.push(*bracket..span.end);
        }
        self.found.md_links.extend(links::markdown_link(
            self.text,
            kind,
            dest,
            span,
            tail.map(|(_, dest_span)| dest_span),
            self.in_comment,
        ));
        Some(())
    }

    /// An ATX heading at the left margin: its text is what lies between the
    /// opening `#`s and an optional closing run of `#`s.
    fn heading(&mut self, line: &[u8], pos: usize, level: usize) {
        let mut start = level;
        while line.get(start).is_some_and(|&b| b == b' ' || b == b'\t') {
            start += 1;
        }
        let mut end = line.len();
        while end > start && matches!(line[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let hashes = line[start..end]
            .iter()
            .rev()
            .take_while(|&&b| b == b'#')
            .count();
        if hashes == end - start {
            end = start;
        } else if hashes > 0 && matches!(line[end - hashes - 1], b' ' | b'\t') {
            end -= hashes;
        }
        let at = self.base + pos;
        let raw = links::slice(self.text, at + start..at + end);
        self.found.headings.push(Heading {
            level: u8::try_from(level).unwrap_or(6),
            text: raw.trim().to_owned(),
            span: at..at + line.len(),
        });
    }
}

/// `#` to `######` followed by a space, a tab or the line end.
fn atx_level(content: &[u8]) -> Option<usize> {
    let level = content.iter().take_while(|&&b| b == b'#').count();
    let after = content.get(level);
    ((1..=6).contains(&level) && matches!(after, None | Some(b' ' | b'\t'))).then_some(level)
}

/// Only `=`, `-`, `*`, `_`, spaces and tabs: a possible setext underline or
/// thematic break.
fn is_rule_like(line: &[u8]) -> bool {
    line.iter()
        .find(|&&b| b != b' ' && b != b'\t')
        .is_some_and(|b| matches!(b, b'=' | b'-' | b'*' | b'_'))
        && line
            .iter()
            .all(|b| matches!(b, b'=' | b'-' | b'*' | b'_' | b' ' | b'\t'))
}

/// A run of `=` or of `-`, then only spaces or tabs.
fn is_setext_underline(line: &[u8]) -> bool {
    let Some(&first @ (b'=' | b'-')) = line.first() else {
        return false;
    };
    let run = line.iter().take_while(|&&b| b == first).count();
    line[run..].iter().all(|&b| b == b' ' || b == b'\t')
}

/// Three or more of one of `-`, `*`, `_`, with only spaces or tabs between.
fn is_thematic_break(line: &[u8]) -> bool {
    let Some(&first @ (b'-' | b'*' | b'_')) = line.first() else {
        return false;
    };
    let marks = line.iter().filter(|&&b| b == first).count();
    marks >= 3 && line.iter().all(|&b| b == first || b == b' ' || b == b'\t')
}

/// A GFM table delimiter row such as `|---|:--:|`.
fn is_table_delimiter(line: &[u8]) -> bool {
    line.contains(&b'|')
        && line.contains(&b'-')
        && line
            .iter()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The line's content after any list markers (`- `, `* `, `+ `, `1. `, `1) `)
/// and the count of markers; `None` when a marker is followed by a tab or by
/// five or more spaces (the item would start with indented code).
fn strip_list_markers(mut content: &[u8]) -> Option<(&[u8], usize)> {
    let mut markers = 0;
    loop {
        let digits = content.iter().take_while(|b| b.is_ascii_digit()).count();
        let marker_len = match content.first() {
            Some(b'-' | b'*' | b'+') => 1,
            Some(b'0'..=b'9')
                if digits <= 9 && matches!(content.get(digits), Some(b'.' | b')')) =>
            {
                digits + 1
            }
            _ => return Some((content, markers)),
        };
        match content.get(marker_len) {
            None => return Some((&[], markers + 1)),
            Some(b' ') => {}
            Some(b'\t') => return None,
            Some(_) => return Some((content, markers)),
        }
        let after = &content[marker_len..];
        let spaces = after.iter().take_while(|&&b| b == b' ').count();
        if spaces >= 5 || after.get(spaces) == Some(&b'\t') {
            return None;
        }
        content = &after[spaces..];
        markers += 1;
    }
}
