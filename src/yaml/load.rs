//! Builds the span-carrying tree from `granit-parser` events, without recursion:
//! an explicit stack of open collections, bounded depth and bounded alias expansion.
//!
//! granit-parser's spans are UTF-8 byte ranges for `&str` input, but a few are not
//! where a diagnostic should point, so they are corrected here from the source text:
//! - block collection ends land on the next token (after blank lines and comments),
//!   so a block collection ends where its last child ends;
//! - an indentless block sequence (`key:\n- a`) starts at its first item's content,
//!   and a block scalar (`|`, `>`) at its first content line, so the `-` and the
//!   indicator are looked up in the text before them;
//! - a block scalar's content includes its trailing line breaks, which are trimmed.

use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser, ScanError, options};

use super::{
    Comment, Document, Duplicate, Entry, Limits, LoadError, Node, ScalarStyle, Span, Style, Value,
    scalar,
};

/// Loads one YAML document from `text`. See [`LoadError`] for what can fail.
pub fn load(text: &str, limits: &Limits) -> Result<Document, LoadError> {
    // Most frontmatter is flat `key: scalar` lines, which need no event stream.
    match super::flat::load(text, limits) {
        Some(document) => Ok(document),
        None => load_general(text, limits),
    }
}

/// Loads any document through the parser's event stream (the fast path's reference).
pub(super) fn load_general(text: &str, limits: &Limits) -> Result<Document, LoadError> {
    let parsed = parse(text, limits);
    let mut builder = Builder::new(text, limits, parsed.aliased);
    for (event, span) in parsed.events {
        builder.event(event, span)?;
    }
    // Events before a syntax error are built first, so an earlier bomb or depth
    // error wins over a later syntax error, as if loading were one pass.
    if let Some(error) = parsed.error {
        return Err(error);
    }
    Ok(Document {
        root: builder.root.unwrap_or_else(Node::empty),
        duplicates: builder.duplicates,
        comments: parsed.comments,
    })
}

struct Parsed<'t> {
    events: Vec<(Event<'t>, Span)>,
    comments: Vec<Comment>,
    /// Anchor ids some alias refers to: only those anchored nodes need a kept copy.
    aliased: HashSet<usize>,
    error: Option<LoadError>,
}

/// First pass: the whole event stream up to the first error or second document.
fn parse<'t>(text: &'t str, limits: &Limits) -> Parsed<'t> {
    let options = options! {
        // The parser has its own nesting limits (separate for flow and block); keeping
        // them at ours means it stops early on `[[[[...` instead of reading it all.
        flow_nesting_limit: limits.depth(),
        block_nesting_limit: limits.depth(),
        // Runs of comment lines are common in frontmatter; memory is bounded by the text.
        max_buffered_comment_events: usize::MAX,
    };
    let mut parsed = Parsed {
        events: Vec::new(),
        comments: Vec::new(),
        aliased: HashSet::new(),
        error: None,
    };
    let mut documents = 0;
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = match next {
            Ok((event, span)) => (event, byte_span(text, &span)),
            Err(error) => {
                parsed.error = Some(scan_error(text, &error, limits));
                break;
            }
        };
        match event {
            Event::Comment(comment, _) => parsed.comments.push(Comment {
                text: comment.into_owned(),
                span,
            }),
            event => {
                if let Event::Alias(id) = event {
                    parsed.aliased.insert(id);
                }
                let second_document = matches!(event, Event::DocumentStart(..)) && documents > 0;
                if matches!(event, Event::DocumentStart(..)) {
                    documents += 1;
                }
                parsed.events.push((event, span));
                if second_document {
                    break;
                }
            }
        }
    }
    parsed
}

fn scan_error(text: &str, error: &ScanError, limits: &Limits) -> LoadError {
    let marker = error.marker();
    let offset = marker
        .byte_offset()
        .unwrap_or_else(|| char_to_byte(text, marker.index()));
    let offset = match error.kind() {
        granit_parser::ErrorKind::TabInBlockIndentation
        | granit_parser::ErrorKind::TabNotAllowed => offending_tab(text.as_bytes(), offset),
        _ => offset,
    };
    let span = point_span(text, offset);
    match error.kind() {
        granit_parser::ErrorKind::RecursionLimitExceeded => LoadError::TooDeep {
            span,
            limit: limits.depth(),
        },
        kind => {
            let message = error.info();
            let message = if message.is_empty() {
                format!("{kind:?}")
            } else {
                tidy_quotes(message)
            };
            LoadError::Syntax { message, span }
        }
    }
}

/// The parser quotes a character TeX-style (``unexpected character: `@'``); our messages
/// quote code as Markdown does (``unexpected character `@` ``).
fn tidy_quotes(message: String) -> String {
    match message
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        Some("`") => "unexpected character `` ` ``".to_owned(),
        Some(found) => format!("unexpected character `{found}`"),
        None => message,
    }
}

/// The parser reports a tab in indentation at the token after it; point at the tab.
fn offending_tab(bytes: &[u8], offset: usize) -> usize {
    let offset = offset.min(bytes.len());
    let run = bytes[..offset]
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    bytes[offset - run..offset]
        .iter()
        .position(|&b| b == b'\t')
        .map_or(offset, |at| offset - run + at)
}

/// An anchored node kept for later aliases, with what expanding it costs.
struct Anchored {
    node: Node,
    weight: usize,
    height: usize,
}

/// A finished node on its way into its parent.
struct Built {
    node: Node,
    /// Alias-budget cost of a copy: nodes plus one per started 64 bytes of scalar text.
    weight: usize,
    /// Collection levels inside it (0 for a scalar).
    height: usize,
}

struct Frame {
    start: usize,
    /// End of the last child, which is where a block collection ends.
    content_end: usize,
    style: Style,
    tag: Option<String>,
    anchor: usize,
    weight: usize,
    height: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<Node>,
        /// First span of each key string, to report duplicates.
        seen: HashMap<String, Span>,
    },
}

struct Builder<'t> {
    text: &'t str,
    limits: Limits,
    aliased: HashSet<usize>,
    anchors: HashMap<usize, Anchored>,
    alias_cost: usize,
    stack: Vec<Frame>,
    root: Option<Node>,
    duplicates: Vec<Duplicate>,
    /// End of the previous event: where the search for a `-` or `|` may start.
    last_end: usize,
    documents: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, limits: &Limits, aliased: HashSet<usize>) -> Self {
        Builder {
            text,
            limits: *limits,
            aliased,
            anchors: HashMap::new(),
            alias_cost: 0,
            stack: Vec::new(),
            root: None,
            duplicates: Vec::new(),
            last_end: 0,
            documents: 0,
        }
    }

    fn event(&mut self, event: Event<'t>, span: Span) -> Result<(), LoadError> {
        let lower = self.last_end.min(span.start);
        // An implicit document start spans the first token (`{`, `|`, ...), which must
        // stay searchable.
        if !matches!(event, Event::DocumentStart(false, _)) {
            self.last_end = self.last_end.max(span.end);
        }
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = if span.is_empty() {
                        point_span(self.text, span.start)
                    } else {
                        span
                    };
                    return Err(LoadError::MultipleDocuments { span });
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = self.scalar(&value, style, tag.as_deref(), lower, span);
                // A scalar costs one node per started 64 bytes when aliased.
                let weight = 1 + node.scalar_text().map_or(0, str::len) / 64;
                let built = Built {
                    node,
                    weight,
                    height: 0,
                };
                self.finish_node(built, anchor)?;
            }
            Event::SequenceStart(style, anchor, tag) => {
                let start = match style {
                    granit_parser::StructureStyle::Block => self.dash(lower, span.start),
                    granit_parser::StructureStyle::Flow => span.start,
                };
                self.open(start, style, anchor, tag.map(|t| t.original()), false)?;
            }
            Event::MappingStart(style, anchor, tag) => {
                self.open(span.start, style, anchor, tag.map(|t| t.original()), true)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            Event::Alias(id) => self.alias(id, span)?,
            // Not emitted with our options (unresolved aliases are errors); a defensive
            // reading keeps the tree well-formed anyway.
            Event::UnresolvedAlias(_) => {
                return Err(LoadError::Syntax {
                    message: "unknown anchor".to_owned(),
                    span: point_span(self.text, span.start),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn scalar(
        &self,
        value: &str,
        style: granit_parser::ScalarStyle,
        tag: Option<&granit_parser::Tag>,
        lower: usize,
        span: Span,
    ) -> Node {
        use granit_parser::ScalarStyle as S;
        let (style, span) = match style {
            S::Plain => (ScalarStyle::Plain, span),
            S::SingleQuoted => (ScalarStyle::SingleQuoted, span),
            S::DoubleQuoted => (ScalarStyle::DoubleQuoted, span),
            S::Literal => (ScalarStyle::Literal, self.block_scalar_span(lower, span)),
            S::Folded => (ScalarStyle::Folded, self.block_scalar_span(lower, span)),
        };
        // The parser reports an empty plain scalar (`key:`) as "~", and puts an empty
        // mapping value on its `:`, where it belongs after it.
        let empty = style == ScalarStyle::Plain && span.is_empty() && value == "~";
        let (text, span) = match empty {
            true if self.expects_value() && self.text[span.start..].starts_with(':') => {
                ("", span.start + 1..span.start + 1)
            }
            true => ("", span),
            false => (value, span),
        };
        scalar::node(text, style, span, tag)
    }

    /// Whether the next node is a mapping value (not a key or a sequence item).
    fn expects_value(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Map { key: Some(_), .. },
                ..
            })
        )
    }

    fn open(
        &mut self,
        start: usize,
        style: granit_parser::StructureStyle,
        anchor: usize,
        tag: Option<String>,
        map: bool,
    ) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.depth() {
            return Err(LoadError::TooDeep {
                span: point_span(self.text, start),
                limit: self.limits.depth(),
            });
        }
        let kind = if map {
            FrameKind::Map {
                entries: Vec::new(),
                key: None,
                seen: HashMap::new(),
            }
        } else {
            FrameKind::Seq(Vec::new())
        };
        self.stack.push(Frame {
            start,
            content_end: start,
            style: match style {
                granit_parser::StructureStyle::Block => Style::Block,
                granit_parser::StructureStyle::Flow => Style::Flow,
            },
            tag,
            anchor,
            weight: 1,
            height: 1,
            kind,
        });
        Ok(())
    }

    fn close(&mut self, end_span: Span) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let end = match frame.style {
            Style::Flow => end_span.end,
            _ => frame.content_end,
        };
        let value = match frame.kind {
            FrameKind::Seq(items) => Value::Seq(items),
            FrameKind::Map { entries, .. } => Value::Map(entries),
        };
        let node = Node {
            value,
            span: frame.start..end.max(frame.start),
            style: frame.style,
            tag: frame.tag,
            anchored: false,
            alias: false,
            raw: None,
        };
        let built = Built {
            node,
            weight: frame.weight,
            height: frame.height,
        };
        self.finish_node(built, frame.anchor)
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), LoadError> {
        let Some(anchored) = self.anchors.get(&id) else {
            // The anchor exists (the parser resolved it) but its node is still open.
            return Err(LoadError::Syntax {
                message: "alias refers to a node that contains it (recursive alias)".to_owned(),
                span: span.clone(),
            });
        };
        if self.stack.len() + anchored.height > self.limits.depth() {
            return Err(LoadError::TooDeep {
                span,
                limit: self.limits.depth(),
            });
        }
        charge(&mut self.alias_cost, &self.limits, anchored.weight, &span)?;
        let mut node = anchored.node.clone();
        node.span = span;
        node.alias = true;
        node.anchored = false;
        let built = Built {
            node,
            weight: anchored.weight,
            height: anchored.height,
        };
        self.finish_node(built, 0)
    }

    /// Puts a finished node into its parent (or makes it the root).
    fn finish_node(&mut self, mut built: Built, anchor: usize) -> Result<(), LoadError> {
        built.node.anchored |= anchor != 0;
        if anchor != 0 && self.aliased.contains(&anchor) {
            charge(
                &mut self.alias_cost,
                &self.limits,
                built.weight,
                &built.node.span,
            )?;
            let kept = Anchored {
                node: built.node.clone(),
                weight: built.weight,
                height: built.height,
            };
            self.anchors.insert(anchor, kept);
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
        };
        frame.weight = frame.weight.saturating_add(built.weight);
        frame.height = frame.height.max(built.height + 1);
        frame.content_end = frame.content_end.max(built.node.span.end);
        frame.start = frame.start.min(built.node.span.start);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(built.node),
            FrameKind::Map { entries, key, seen } => match key.take() {
                None => {
                    let key_string = built.node.key_string().into_owned();
                    match seen.get(&key_string) {
                        Some(first) => self.duplicates.push(Duplicate {
                            key: key_string,
                            first: first.clone(),
                            second: built.node.span.clone(),
                        }),
                        None => {
                            seen.insert(key_string, built.node.span.clone());
                        }
                    }
                    *key = Some(built.node);
                }
                Some(k) => entries.push(Entry {
                    key: k,
                    value: built.node,
                }),
            },
        }
        Ok(())
    }

    /// A block scalar runs from its `|`/`>` indicator to the end of its last content
    /// line; the parser's span starts at the content and includes trailing breaks.
    fn block_scalar_span(&self, lower: usize, content: Span) -> Span {
        let bytes = self.text.as_bytes();
        let is_indicator = |at: usize| matches!(bytes.get(at), Some(b'|' | b'>'));
        let Some(indicator) = find_token(bytes, lower, content.start, is_indicator) else {
            return content.start..trim_trailing_blank_lines(bytes, content);
        };
        // Chomping and indentation indicators (`|-`, `>2+`) belong to the header.
        let header_end = indicator
            + 1
            + bytes[indicator + 1..]
                .iter()
                .take(2)
                .take_while(|b| matches!(b, b'-' | b'+' | b'1'..=b'9'))
                .count();
        let end = trim_trailing_blank_lines(bytes, content.clone());
        // Empty content is placed on the next token; the span then ends with the header.
        let end = if end > content.start { end } else { header_end };
        indicator..end
    }

    /// Where a block sequence's first `-` is.
    fn dash(&self, lower: usize, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let is_dash = |at: usize| {
            bytes.get(at) == Some(&b'-') && bytes.get(at + 1).is_none_or(|&b| is_blank(b))
        };
        if is_dash(start) {
            return start;
        }
        find_token(bytes, lower, start, is_dash).unwrap_or(start)
    }
}

/// Counts alias-created nodes before anything is cloned, so a bomb costs nothing.
fn charge(cost: &mut usize, limits: &Limits, weight: usize, span: &Span) -> Result<(), LoadError> {
    *cost = cost.saturating_add(weight);
    if *cost > limits.max_alias_nodes {
        return Err(LoadError::AliasBomb {
            span: span.clone(),
            limit: limits.max_alias_nodes,
        });
    }
    Ok(())
}

/// The first offset in `from..until` that `wanted` accepts and that starts a token
/// (follows whitespace), skipping comments. Anchor and tag names cannot hold
/// whitespace, so `&a|b` or `!x-y` never match.
fn find_token(
    bytes: &[u8],
    from: usize,
    until: usize,
    wanted: impl Fn(usize) -> bool,
) -> Option<usize> {
    let until = until.min(bytes.len());
    let mut at = from;
    while at < until {
        let b = bytes[at];
        let starts_token = at == 0 || is_blank(bytes[at - 1]);
        if b == b'#' && starts_token {
            at += bytes[at..until]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(until - at);
            continue;
        }
        if starts_token && wanted(at) {
            return Some(at);
        }
        at += 1;
    }
    None
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// End of `span` without its trailing line breaks and whitespace-only lines (`span.start`
/// if nothing else is left); trailing spaces on the last content line are content.
fn trim_trailing_blank_lines(bytes: &[u8], span: Span) -> usize {
    let mut end = span.end.min(bytes.len());
    loop {
        while end > span.start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line_start = bytes[span.start..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(span.start, |at| span.start + at + 1);
        let blank = bytes[line_start..end]
            .iter()
            .all(|&b| b == b' ' || b == b'\t');
        if !blank {
            return end;
        }
        if line_start == span.start {
            return span.start;
        }
        end = line_start;
    }
}

/// The byte range of a parser span, clamped onto `text`'s char boundaries.
fn byte_span(text: &str, span: &granit_parser::Span) -> Span {
    let offset = |marker: &granit_parser::Marker| {
        let at = marker
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(text, marker.index()));
        floor_char_boundary(text, at)
    };
    let start = offset(&span.start);
    start..offset(&span.end).max(start)
}

/// A one-character span at `offset` (empty at the end of the text or at a line break).
fn point_span(text: &str, offset: usize) -> Span {
    let start = floor_char_boundary(text, offset);
    match text[start..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => start..start + c.len_utf8(),
        _ => start..start,
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(at, _)| at)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
