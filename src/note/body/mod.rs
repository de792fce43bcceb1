//! Body scan: links, inline tags, headings, block ids and suppression comments.
//!
//! Design: a hybrid of pulldown-cmark and small hand-written scanners.
//!
//! - **pulldown-cmark** (offset iterator) decides the block and inline
//!   structure that is hard to get right by hand: fenced code (any fence
//!   length, inside lists and blockquotes), indented code (which depends on
//!   paragraph continuation and list indentation), code spans, `$`/`$$` math,
//!   raw HTML, headings (ATX and setext, versus thematic breaks) and Markdown
//!   links with their bracket, escape, title and `<...>` rules, plus reference
//!   definitions.
//! - **Hand-written scanners** handle what CommonMark does not know or what
//!   Obsidian does differently: `%%` comments, HTML comment boundaries inside
//!   raw HTML, wikilinks (`\|` in tables, `|300` embed sizes, `#A#B`, a line
//!   break ends the link), inline tags and `^block-ids`. They run only over
//!   the *visible* text: the body minus the hidden regions (code, math, raw
//!   HTML) and comments found by the first step.
//! - Links inside comments (`in_comments`) come from a nested scan of each
//!   comment's inner text with the same machinery, so a code span inside a
//!   comment still hides its links.
//!
//! A `memchr` pre-filter skips pulldown entirely for text that cannot contain
//! anything we report, and the fast path (`fast.rs`) decides the structure of
//! plain note text (ATX headings, paragraphs, lists, fenced code at the margin,
//! simple `[text](dest)` links) without it, declining to pulldown-cmark for
//! anything else; `fast_tests.rs` checks it against pulldown-cmark. Property tests in `tests.rs` check that every span is
//! in bounds and on char boundaries for arbitrary input.
//!
//! Known limits, all rare in real vaults and all erring towards reporting
//! less: an unclosed code fence inside a `%%` comment hides the rest of the
//! note; `$$` math containing a blank line is not math (pulldown-cmark treats
//! `$$` as inline); inside comments a line indented 4 spaces after a blank
//! line counts as code; of two reference definitions with the same label
//! only the first is reported.

mod blocks;
mod fast;
#[cfg(test)]
mod fast_tests;
mod links;
mod structure;
mod tags;
#[cfg(test)]
mod tests;

pub use blocks::heading_plain_text;
pub use links::{is_external, is_file_url};

/// Byte offsets into the whole file text.
pub type Span = std::ops::Range<usize>;

/// What the scan reports; mirrors the `[links]` and `[tags]` config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Recognise `[[...]]` wikilinks and `![[...]]` embeds.
    pub wikilinks: bool,
    /// Also report links inside `<!-- -->` and `%% %%` comments.
    pub in_comments: bool,
    /// Report `#tag` in the body.
    pub inline_tags: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            wikilinks: true,
            in_comments: false,
            inline_tags: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LinkKind {
    /// `[[target]]`
    Wiki,
    /// `![[target]]`
    WikiEmbed,
    /// `[text](dest)` or a reference definition `[ref]: dest`
    Markdown,
    /// `![alt](dest)`
    MarkdownImage,
    /// A canvas file node's `file` or a group's `background`: a path from the vault root.
    CanvasFile,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The path part: wikilinks as written (trimmed) before `|`/`#`; Markdown
    /// links percent-decoded with `<...>` unwrapped; empty for `[[]]`,
    /// `[[#Heading]]` and `[t](#frag)`.
    pub target: String,
    /// After the first `#`: `Heading`, `A#B`, `^block-id`; `None` when absent
    /// or empty.
    pub fragment: Option<String>,
    /// Wikilink text after `|` (or `\|` in tables); an embed's `300` size too.
    pub display: Option<String>,
    /// The whole link as written.
    pub span: Span,
    /// The target text as written (empty span where the target is empty).
    pub target_span: Span,
    /// The fragment text as written, after the `#`.
    pub fragment_span: Option<Span>,
    /// Inside `<!-- -->` or `%% %%`; only reported with `in_comments`.
    pub in_comment: bool,
}

/// An ATX or setext heading. `text` is the heading's source text between the
/// markers (trimmed, closing `#`s removed, line breaks as spaces), which is
/// what Obsidian stores and what `[[Note#...]]` links are written against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub span: Span,
}

/// `^id` at the end of a line; `id` without the caret, `span` with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockId {
    pub id: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineTag {
    /// Without the `#`.
    pub name: String,
    /// Including the `#`.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
}

/// A `<!-- notelint-disable CODE... -->` style suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Codes or groups as written; empty means all.
    pub codes: Vec<String>,
    /// The whole comment.
    pub span: Span,
}

/// Everything found in a note's body, each list in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyScan {
    pub links: Vec<Link>,
    pub tags: Vec<InlineTag>,
    pub headings: Vec<Heading>,
    pub block_ids: Vec<BlockId>,
    pub directives: Vec<Directive>,
}

/// Scan `text[body_start..]`; all spans index into `text`.
///
/// A `body_start` past the end or inside a UTF-8 character gives an empty
/// scan rather than a panic.
pub fn scan(text: &str, body_start: usize, opts: &ScanOptions) -> BodyScan {
    scan_with(text, body_start, opts, true)
}

/// [`scan`], with `fast` off always taking the general (pulldown-cmark) path.
fn scan_with(text: &str, body_start: usize, opts: &ScanOptions, fast: bool) -> BodyScan {
    let mut out = BodyScan::default();
    let Some(body) = text.get(body_start..) else {
        return out;
    };
    if !blocks::may_contain_anything(body) {
        return out;
    }
    blocks::scan_range(text, body_start..text.len(), opts, 0, fast, &mut out);
    out.links.sort_by_key(|l| l.span.start);
    out
}

/// Wikilinks and embeds inside a frontmatter string value such as
/// `"[[Contoso]]"`; spans are offset by `base` (the value's offset in the
/// file). Nothing is hidden here: YAML has no code spans.
pub fn wikilinks_in(value: &str, base: usize) -> Vec<Link> {
    let mut out = Vec::new();
    links::wikilinks(value, 0..value.len(), false, &mut out);
    for link in &mut out {
        link.span = link.span.start + base..link.span.end + base;
        link.target_span = link.target_span.start + base..link.target_span.end + base;
        if let Some(f) = &mut link.fragment_span {
            *f = f.start + base..f.end + base;
        }
    }
    out
}

/// Sorted, disjoint spans with a fast membership test (the scanners share it).
#[derive(Debug, Default)]
struct SpanSet(Vec<Span>);

impl SpanSet {
    fn new(mut spans: Vec<Span>) -> Self {
        spans.sort_by_key(|s| s.start);
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        Self(merged)
    }

    fn contains(&self, pos: usize) -> bool {
        let i = self.0.partition_point(|s| s.end <= pos);
        self.0.get(i).is_some_and(|s| s.start <= pos)
    }
}

/// Whether a token may start at `pos`: the start of the scanned text or
/// after whitespace (which includes line breaks).
fn starts_token(text: &str, pos: usize, line_floor: usize) -> bool {
    pos == line_floor
        || text
            .get(..pos)
            .and_then(|s| s.chars().next_back())
            .is_some_and(char::is_whitespace)
}
