//! Fast path for the flat frontmatter most notes have: `key: scalar` lines, one-line flow
//! sequences and block sequences of one-line scalars, comments and blank lines.
//!
//! It builds exactly the tree the general loader would (spans, styles, values, comments,
//! duplicates), straight from the text and without an event stream. Anything it is not
//! certain about (anchors, tags, block scalars, multi-line scalars, nested maps, tabs,
//! unusual characters, any error) is answered `None`, and the general loader takes over;
//! a differential property test in `tests.rs` holds the two to the same result.

use std::collections::HashMap;

use super::{Comment, Document, Duplicate, Entry, Limits, Node, ScalarStyle, Span, Style, Value};

/// Implicit keys longer than this are left to the general loader (YAML caps them at 1024
/// characters, and the parser's own check is the authority on that).
const MAX_KEY_BYTES: usize = 1000;

/// Loads `text` if it is flat frontmatter; `None` means "use the general loader", never
/// "invalid".
pub(super) fn load(text: &str, limits: &Limits) -> Option<Document> {
    // The general loader is the authority on nesting limits; a flat document nests
    // two levels (a mapping holding sequences), well under any limit but tiny test ones.
    if limits.depth() < 3 || !ordinary_text(text) {
        return None;
    }
    let mut flat = Flat {
        text,
        bytes: text.as_bytes(),
        entries: Vec::new(),
        comments: Vec::new(),
        duplicates: Vec::new(),
        seen: FirstSpans::default(),
        open: None,
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let newline = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let end = if newline > at && bytes[newline - 1] == b'\r' {
            newline - 1
        } else {
            newline
        };
        flat.line(at, end)?;
        at = newline + 1;
    }
    flat.finish()
}

/// The mapping being read, line by line.
struct Flat<'t> {
    text: &'t str,
    bytes: &'t [u8],
    entries: Vec<Entry>,
    comments: Vec<Comment>,
    duplicates: Vec<Duplicate>,
    seen: FirstSpans<'t>,
    /// A key written without a value: null, unless block sequence items follow.
    open: Option<OpenKey>,
}

struct OpenKey {
    key: Node,
    /// Just after the `:`, where the general loader puts an empty value.
    after_colon: usize,
    items: Vec<Node>,
    /// The first item's indentation and `-` offset.
    dash: Option<(usize, usize)>,
}

impl<'t> Flat<'t> {
    /// One line, `start..end` without its line break.
    fn line(&mut self, start: usize, end: usize) -> Option<()> {
        let line = &self.bytes[start..end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let content = start + indent;
        match line.get(indent) {
            None => Some(()),
            Some(b'#') => {
                self.comment(content, end);
                Some(())
            }
            Some(b'-') if content + 1 == end || self.bytes[content + 1] == b' ' => {
                self.item(indent, content, end)
            }
            Some(_) if indent == 0 => self.entry(start, end),
            // An indented line that is not an item continues a scalar or nests a mapping.
            Some(_) => None,
        }
    }

    /// A `key: value` or `key:` line at indentation 0.
    fn entry(&mut self, start: usize, end: usize) -> Option<()> {
        let bytes = self.bytes;
        // Document markers (`---`, `...`) and directives are never keys here.
        if bytes[start..end].starts_with(b"---") || bytes[start..end].starts_with(b"...") {
            return None;
        }
        self.close_open();
        if !plain_start(bytes, start) {
            return None;
        }
        let mut colon = None;
        for at in start..end {
            match bytes[at] {
                b':' if at + 1 == end || bytes[at + 1] == b' ' => {
                    colon = Some(at);
                    break;
                }
                b'#' if bytes[at - 1] == b' ' => return None,
                _ => {}
            }
        }
        let colon = colon?;
        if bytes[colon - 1] == b' ' || colon - start > MAX_KEY_BYTES {
            return None;
        }
        let key_text = &self.text[start..colon];
        let key = node(key_text, ScalarStyle::Plain, start..colon);
        if let Some(first) = self.seen.first_or_insert(key_text, &key.span) {
            self.duplicates.push(Duplicate {
                key: key_text.to_owned(),
                first,
                second: key.span.clone(),
            });
        }
        let at = skip_spaces(bytes, colon + 1, end);
        if at == end || bytes[at] == b'#' {
            if at < end {
                self.comment(at, end);
            }
            self.open = Some(OpenKey {
                key,
                after_colon: colon + 1,
                items: Vec::new(),
                dash: None,
            });
            return Some(());
        }
        let (value, after) = match bytes[at] {
            b'[' => self.flow_sequence(at, end)?,
            _ => self.scalar(at, end)?,
        };
        self.trailing(after, end)?;
        self.entries.push(Entry { key, value });
        Some(())
    }

    /// A `- item` line: an item of the sequence under the open key.
    fn item(&mut self, indent: usize, dash: usize, end: usize) -> Option<()> {
        let open = self.open.as_mut()?;
        match open.dash {
            None => open.dash = Some((indent, dash)),
            Some((first, _)) if first == indent => {}
            Some(_) => return None,
        }
        let at = skip_spaces(self.bytes, dash + 1, end);
        if at == end || self.bytes[at] == b'#' {
            // An empty item is null, placed where the parser puts it: at the line end,
            // after any spaces and comment.
            open.items.push(node("", ScalarStyle::Plain, end..end));
            if at < end {
                self.comment(at, end);
            }
            return Some(());
        }
        let (item, after) = self.scalar(at, end)?;
        self.trailing(after, end)?;
        if let Some(open) = self.open.as_mut() {
            open.items.push(item);
        }
        Some(())
    }

    /// Ends the open key's value: its block sequence, or null.
    fn close_open(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        let value = match open.dash {
            Some((_, dash)) => {
                let end = open.items.last().map_or(dash, |item| item.span.end);
                collection(Value::Seq(open.items), dash..end, Style::Block)
            }
            None => node("", ScalarStyle::Plain, open.after_colon..open.after_colon),
        };
        self.entries.push(Entry {
            key: open.key,
            value,
        });
    }

    fn finish(mut self) -> Option<Document> {
        self.close_open();
        let first = self.entries.first()?;
        let start = first.key.span.start;
        let end = self
            .entries
            .iter()
            .map(|entry| entry.key.span.end.max(entry.value.span.end))
            .max()
            .unwrap_or(start);
        Some(Document {
            root: collection(Value::Map(self.entries), start..end, Style::Block),
            duplicates: self.duplicates,
            comments: self.comments,
        })
    }

    /// A one-line scalar in block context starting at `at`: the node and where it ends.
    fn scalar(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        match self.bytes[at] {
            b'\'' => self.single_quoted(at, end),
            b'"' => self.double_quoted(at, end),
            _ => self.plain(at, end, false),
        }
    }

    /// A plain scalar; in a flow sequence it also ends at `,` and `]`. It ends at a
    /// comment or the line end, without trailing spaces.
    fn plain(&self, at: usize, end: usize, flow: bool) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        if !plain_start(bytes, at) {
            return None;
        }
        let mut stop = end;
        for i in at..end {
            match bytes[i] {
                // `key: a: b` or `[a: b]` is a mapping, or an error.
                b':' if !flow && (i + 1 == end || bytes[i + 1] == b' ') => return None,
                b':' | b'[' | b'{' | b'}' if flow => return None,
                b',' | b']' if flow => {
                    stop = i;
                    break;
                }
                b'#' if bytes[i - 1] == b' ' => {
                    if flow {
                        return None;
                    }
                    stop = i;
                    break;
                }
                _ => {}
            }
        }
        let value_end = at + self.bytes[at..stop].trim_ascii_end().len();
        let text = &self.text[at..value_end];
        Some((node(text, ScalarStyle::Plain, at..value_end), stop))
    }

    fn single_quoted(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        let mut value = String::new();
        let mut from = at + 1;
        let mut i = at + 1;
        while i < end {
            if bytes[i] == b'\'' {
                value.push_str(&self.text[from..i]);
                if bytes.get(i + 1) == Some(&b'\'') && i + 1 < end {
                    value.push('\'');
                    i += 2;
                    from = i;
                    continue;
                }
                let span = at..i + 1;
                return Some((node(&value, ScalarStyle::SingleQuoted, span), i + 1));
            }
            i += 1;
        }
        None
    }

    fn double_quoted(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        let mut value = String::new();
        let mut from = at + 1;
        let mut i = at + 1;
        while i < end {
            match bytes[i] {
                b'"' => {
                    value.push_str(&self.text[from..i]);
                    let span = at..i + 1;
                    return Some((node(&value, ScalarStyle::DoubleQuoted, span), i + 1));
                }
                b'\\' => {
                    value.push_str(&self.text[from..i]);
                    let (decoded, len) = escape(&bytes[i + 1..end])?;
                    value.push(decoded);
                    i += 1 + len;
                    from = i;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// `[a, "b", c]` on one line, of scalars only.
    fn flow_sequence(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        let mut items = Vec::new();
        let mut i = skip_spaces(bytes, at + 1, end);
        if i < end && bytes[i] == b']' {
            return Some((collection(Value::Seq(items), at..i + 1, Style::Flow), i + 1));
        }
        loop {
            if i >= end {
                return None;
            }
            let (item, after) = match bytes[i] {
                b'\'' => self.single_quoted(i, end)?,
                b'"' => self.double_quoted(i, end)?,
                _ => self.plain(i, end, true)?,
            };
            items.push(item);
            i = skip_spaces(bytes, after, end);
            match bytes.get(i) {
                Some(b',') if i < end => {
                    i = skip_spaces(bytes, i + 1, end);
                    // A trailing comma, or an item on the next line.
                    if i >= end || bytes[i] == b']' {
                        return None;
                    }
                }
                Some(b']') if i < end => {
                    let span = at..i + 1;
                    return Some((collection(Value::Seq(items), span, Style::Flow), i + 1));
                }
                _ => return None,
            }
        }
    }

    /// What may follow a value on its line: spaces, then a comment or nothing.
    fn trailing(&mut self, at: usize, end: usize) -> Option<()> {
        let i = skip_spaces(self.bytes, at, end);
        if i == end {
            return Some(());
        }
        if self.bytes[i] == b'#' && i > 0 && self.bytes[i - 1] == b' ' {
            self.comment(i, end);
            return Some(());
        }
        None
    }

    /// A comment from its `#` to the line end (trailing spaces included, as the parser
    /// reports them).
    fn comment(&mut self, hash: usize, end: usize) {
        self.comments.push(Comment {
            text: self.text[hash + 1..end].to_owned(),
            span: hash..end,
        });
    }
}

/// The first span of each key, by its text (for a plain key, its key string). A
/// frontmatter has a handful of keys, which a linear scan finds faster than hashing;
/// past [`FirstSpans::LINEAR`] keys an index keeps long mappings linear in time.
#[derive(Default)]
struct FirstSpans<'t> {
    keys: Vec<(&'t str, Span)>,
    index: HashMap<&'t str, usize>,
}

impl<'t> FirstSpans<'t> {
    const LINEAR: usize = 32;

    /// The first span of `key` if it was seen before; otherwise records `span` as it.
    fn first_or_insert(&mut self, key: &'t str, span: &Span) -> Option<Span> {
        let found = if self.keys.len() <= Self::LINEAR {
            self.keys.iter().position(|(seen, _)| *seen == key)
        } else {
            if self.index.is_empty() {
                for (at, (seen, _)) in self.keys.iter().enumerate() {
                    self.index.insert(seen, at);
                }
            }
            self.index.get(key).copied()
        };
        if let Some(at) = found {
            return Some(self.keys[at].1.clone());
        }
        if !self.index.is_empty() {
            self.index.insert(key, self.keys.len());
        }
        self.keys.push((key, span.clone()));
        None
    }
}

/// A scalar node resolved by the core schema, as the general loader builds it.
fn node(text: &str, style: ScalarStyle, span: Span) -> Node {
    super::scalar::node(text, style, span, None)
}

fn collection(value: Value, span: Span, style: Style) -> Node {
    Node {
        value,
        span,
        style,
        tag: None,
        anchored: false,
        alias: false,
        raw: None,
    }
}

/// Whether a plain scalar may start at `at`: not an indicator, nor `-` unless a letter
/// digit or dot follows (`-5`, `-x`, `-.5`; `- x` is an item, `-:` and `--` are left alone).
fn plain_start(bytes: &[u8], at: usize) -> bool {
    match bytes[at] {
        b'-' => bytes
            .get(at + 1)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.'),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' => false,
        _ => true,
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes[at] == b' ' {
        at += 1;
    }
    at
}

/// A double-quoted escape after its `\`: the character and how many bytes it took.
/// An escaped line break (a multi-line scalar) or anything unknown is `None`.
fn escape(after: &[u8]) -> Option<(char, usize)> {
    let simple = match after.first()? {
        b'\\' => '\\',
        b'"' => '"',
        b'/' => '/',
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b'e' => '\u{1b}',
        b'f' => '\u{c}',
        b'v' => '\u{b}',
        b' ' => ' ',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex_escape(after, 2),
        b'u' => return hex_escape(after, 4),
        b'U' => return hex_escape(after, 8),
        _ => return None,
    };
    Some((simple, 1))
}

fn hex_escape(after: &[u8], digits: usize) -> Option<(char, usize)> {
    let hex = after.get(1..1 + digits)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    Some((char::from_u32(code)?, 1 + digits))
}

/// Only printable text with LF or CRLF line breaks: no tabs, no lone CR, no control,
/// byte-order-mark or Unicode line-separator characters, whose handling is the
/// parser's business.
fn ordinary_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The common case, ASCII with LF breaks, in one tight pass.
    if bytes.iter().all(|&b| matches!(b, b' '..=b'~' | b'\n')) {
        return true;
    }
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            let printable = matches!(b, b' '..=b'~' | b'\n')
                || (b == b'\r' && bytes.get(at + 1) == Some(&b'\n'));
            if !printable {
                return false;
            }
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            return false;
        };
        if matches!(
            c,
            '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ) {
            return false;
        }
        at += c.len_utf8();
    }
    true
}
