//! Structure of a body range: runs pulldown-cmark once, records what is
//! hidden (code blocks, code spans, math, raw HTML) and what is a comment
//! (`<!-- -->`, `%% %%`), collects headings, Markdown links, reference
//! definitions and suppression directives from its events, then runs the
//! hand-written scanners (wikilinks, tags, block ids) over the visible text
//! that is left.
//!
//! `%%` comments are found after pulldown-cmark, among the text it did not
//! hide: both `%%` must be outside code, math and HTML (a `%%` in a SQL code
//! block must not end a comment and expose the rest of the block). An
//! unclosed `%%` comments out the rest of the body, as in Obsidian.

use memchr::memmem;
use memchr::{memchr, memchr_iter, memchr3};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::fast;
use super::links::{self, slice};
use super::structure::{Region, Structure};
use super::tags::tags;
use super::{
    BlockId, BodyScan, Directive, DirectiveKind, Heading, LinkKind, ScanOptions, Span, SpanSet,
    starts_token,
};

/// Comments nested in comments (`%% <!-- [[x]] --> %%`) are scanned for
/// links this deep; each level only sees a shorter text.
const MAX_DEPTH: u8 = 3;

/// Cheap check that `body` can hold a link, tag, heading, block id or
/// directive; most of the cost of a scan is pulldown-cmark, so notes
/// without any of these skip it. (`%`, `` ` `` and `$` only ever hide
/// things, so they alone do not need a parse.)
pub(super) fn may_contain_anything(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr3(b'[', b'#', b'^', bytes).is_some()
        || memmem::find(bytes, b"<!--").is_some()
        || has_setext_underline(bytes)
}

/// Whether some line is only `=` or only `-` (after at most 3 spaces), so it
/// may underline a setext heading.
fn has_setext_underline(bytes: &[u8]) -> bool {
    std::iter::once(0)
        .chain(memchr_iter(b'\n', bytes).map(|i| i + 1))
        .any(|start| {
            let line = &bytes[start..];
            let line = &line[..memchr(b'\n', line).unwrap_or(line.len())];
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let rest = &line[indent..];
            indent <= 3
                && rest.first().is_some_and(|&c| {
                    (c == b'=' || c == b'-')
                        && rest.iter().all(|&b| b == c || b.is_ascii_whitespace())
                })
        })
}

/// Index of the region containing `pos` in sorted, disjoint `regions`.
fn region_at(regions: &[Region], pos: usize) -> Option<&Region> {
    let i = regions.partition_point(|r| r.span.end <= pos);
    regions.get(i).filter(|r| r.span.start <= pos)
}

/// Scans `text[range]` into `out`. Depth 0 is the body; deeper levels are
/// comment contents, where only links count (with `in_comment` set).
/// `fast` lets [`fast::structure`] answer for the plain text it can decide
/// exactly; without it pulldown-cmark always runs (the differential tests).
pub(super) fn scan_range(
    text: &str,
    range: Span,
    opts: &ScanOptions,
    depth: u8,
    fast: bool,
    out: &mut BodyScan,
) {
    let in_comment = depth > 0;
    let found = match fast {
        true => fast::structure(text, &range, in_comment),
        false => None,
    };
    let Some(mut found) = found.or_else(|| parse_structure(text, &range, opts, in_comment)) else {
        return;
    };
    for span in found.html {
        let directives = &mut out.directives;
        split_html(text, span, !in_comment, &mut found.hidden, directives);
    }
    found.hidden.sort_by_key(|r| r.span.start);
    let regions = with_percent_comments(text, &range, found.hidden);

    // pulldown-cmark does not know `%%`: drop what it found inside one.
    let outside = |pos: usize| region_at(&regions, pos).is_none();
    out.links
        .extend(found.md_links.into_iter().filter(|l| outside(l.span.start)));
    if !in_comment {
        out.headings
            .extend(found.headings.into_iter().filter(|h| outside(h.span.start)));
        // A directive's own comment is a region; one inside `%%` is not live.
        out.directives.retain(|d| {
            region_at(&regions, d.span.start).is_some_and(|r| r.span.start == d.span.start)
        });
    }

    let visible = visible_segments(&regions, &range);
    let first_wikilink = out.links.len();
    if opts.wikilinks {
        for seg in &visible {
            links::wikilinks(text, seg.clone(), in_comment, &mut out.links);
        }
    }
    if !in_comment {
        // `![[chart.png]]^fig-1`: Obsidian's help vault ids an embed with no space between.
        let embed_ends: Vec<usize> = out.links[first_wikilink..]
            .iter()
            .filter(|l| l.kind == LinkKind::WikiEmbed)
            .map(|l| l.span.end)
            .collect();
        for seg in &visible {
            block_ids(
                text,
                seg.clone(),
                range.start,
                &embed_ends,
                &mut out.block_ids,
            );
        }
        if opts.inline_tags {
            let mut not_tags = found.not_tags;
            not_tags.extend(out.links[first_wikilink..].iter().map(|l| l.span.clone()));
            let not_tags = SpanSet::new(not_tags);
            for seg in &visible {
                tags(text, seg.clone(), range.start, &not_tags, &mut out.tags);
            }
        }
    }

    if opts.in_comments && depth < MAX_DEPTH {
        for inner in regions.iter().filter_map(|r| r.comment.clone()) {
            scan_range(text, inner, opts, depth + 1, fast, out);
        }
    }
}

/// Runs pulldown-cmark over `text[range]`, with spans shifted into `text`.
pub(super) fn parse_structure(
    text: &str,
    range: &Span,
    opts: &ScanOptions,
    in_comment: bool,
) -> Option<Structure> {
    let src = text.get(range.clone())?;
    let base = range.start;
    let shift = |r: Span| r.start + base..r.end + base;
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_MATH
        // Without footnotes `[^1]: note` would be a reference definition.
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH;
    if opts.wikilinks {
        // So `[[a]](b)` and `[[a]]` never become Markdown links, and code
        // or HTML inside `[[...]]` does not hide it (the earlier `[[` wins,
        // as in Obsidian); the wikilinks themselves come from our scanner.
        options |= Options::ENABLE_WIKILINKS;
    }
    let parser = Parser::new_ext(src, options).into_offset_iter();
    let mut found = Structure::default();

    for (_, def) in parser.reference_definitions().iter() {
        let span = trim_line_end(text, shift(def.span.clone()));
        let dest_span = links::definition_dest(text, &span);
        found.not_tags.push(span.clone());
        if is_comment_definition(&def.dest) {
            continue;
        }
        found.md_links.extend(links::markdown_link(
            text,
            LinkKind::Markdown,
            &def.dest,
            span,
            dest_span,
            in_comment,
        ));
    }

    let mut open: Vec<OpenLink<'_>> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    for (event, r) in parser {
        let r = shift(r);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(OpenHeading {
                    level: level as u8,
                    span: r,
                    content: None,
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                found
                    .headings
                    .extend(heading.take().map(|h| finish_heading(text, h)));
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => open.push(OpenLink::new(r.clone(), false, link_type, dest_url)),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => open.push(OpenLink::new(r.clone(), true, link_type, dest_url)),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(link) = open.pop() {
                    link.finish(text, in_comment, &mut found);
                }
            }
            // Inside a wikilink's display text (`[[Note|x<y>]]`, `[[a|`b`]]`) nothing
            // hides: the wikilink wins, as in Obsidian, and hiding part of it would
            // break it in two for the wikilink scanner.
            Event::Code(_) | Event::InlineMath(_) | Event::InlineHtml(_)
                if open.iter().any(|o| o.wiki) => {}
            Event::Start(Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => found.hidden.push(Region {
                span: r.clone(),
                comment: None,
            }),
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => found.html.push(r.clone()),
            _ => {}
        }
        // Everything inside a link or heading is its content; for a link
        // that includes a nested image, so `[![i](a.png)](b.md)` works.
        let depth = open.len().saturating_sub(1);
        for o in open.iter_mut().take(depth) {
            o.content_end = o.content_end.max(r.end);
        }
        if let Some(last) = open.last_mut()
            && last.span != r
        {
            last.content_end = last.content_end.max(r.end);
        }
        if let Some(h) = &mut heading {
            h.content = Some(match h.content.take() {
                Some(c) => c.start.min(r.start)..c.end.max(r.end),
                None => r,
            });
        }
    }
    Some(found)
}

/// `[//]: # (text)` and `[comment]: <> (text)`: the Markdown comment idiom, a
/// definition nothing uses whose destination is only `#` or empty. Not a link.
fn is_comment_definition(dest: &str) -> bool {
    matches!(dest.trim(), "" | "#")
}

/// A Markdown link or image whose end event has not been seen yet.
struct OpenLink<'a> {
    span: Span,
    kind: LinkKind,
    /// `Some` for inline links (the unescaped destination), `None` for
    /// reference uses (their definitions are reported), autolinks (always
    /// external) and wikilinks (found by our own scanner).
    dest: Option<CowStr<'a>>,
    /// End of the link text seen so far.
    content_end: usize,
    /// A `[[wikilink]]`: its text is Obsidian's, not Markdown's.
    wiki: bool,
}

impl<'a> OpenLink<'a> {
    fn new(span: Span, image: bool, link_type: LinkType, dest: CowStr<'a>) -> Self {
        Self {
            content_end: span.start + if image { 2 } else { 1 },
            span,
            kind: if image {
                LinkKind::MarkdownImage
            } else {
                LinkKind::Markdown
            },
            dest: (link_type == LinkType::Inline).then_some(dest),
            wiki: matches!(link_type, LinkType::WikiLink { .. }),
        }
    }

    fn finish(self, text: &str, in_comment: bool, found: &mut Structure) {
        let Some(dest) = self.dest else {
            return;
        };
        let tail = links::inline_tail(text, &self.span, self.content_end);
        if let Some((bracket, _)) = &tail {
            found.not_tags.push(*bracket..self.span.end);
        }
        found.md_links.extend(links::markdown_link(
            text,
            self.kind,
            &dest,
            self.span,
            tail.map(|(_, dest_span)| dest_span),
            in_comment,
        ));
    }
}

struct OpenHeading {
    level: u8,
    span: Span,
    content: Option<Span>,
}

/// The heading's source text between its markers, one line.
fn finish_heading(text: &str, h: OpenHeading) -> Heading {
    let raw = h.content.map_or("", |c| slice(text, c));
    let mut plain = String::with_capacity(raw.len());
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !plain.is_empty() {
            plain.push(' ');
        }
        plain.push_str(line);
    }
    Heading {
        level: h.level,
        text: plain,
        span: trim_line_end(text, h.span),
    }
}

/// A heading's text (as stored in [`Heading::text`]) as a reader sees it: Markdown markup
/// such as `*bar*`, `` `code` `` or `<b>` removed, whitespace collapsed. For did-you-mean
/// help, which should name the heading as it reads, not as it is written.
pub fn heading_plain_text(text: &str) -> String {
    // Parsed as an ATX heading so `1. Step` or `- x` stay text instead of becoming lists.
    let source = format!("# {text}");
    let options = Options::ENABLE_MATH | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_WIKILINKS;
    let mut plain = String::with_capacity(text.len());
    for event in Parser::new_ext(&source, options) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `span` without a trailing line break.
fn trim_line_end(text: &str, span: Span) -> Span {
    let s = slice(text, span.clone());
    let trimmed = s.trim_end_matches(['\n', '\r']);
    span.start..span.start + trimmed.len()
}

/// Splits raw HTML into comments (with their directives when `directives`)
/// and the rest, which is hidden.
fn split_html(
    text: &str,
    span: Span,
    directives: bool,
    regions: &mut Vec<Region>,
    out: &mut Vec<Directive>,
) {
    let bytes = text.as_bytes();
    let opener = memmem::Finder::new("<!--");
    let closer = memmem::Finder::new("-->");
    let mut pos = span.start;
    while let Some(found) = bytes.get(pos..span.end).and_then(|b| opener.find(b)) {
        let open = pos + found;
        if open > pos {
            regions.push(Region {
                span: pos..open,
                comment: None,
            });
        }
        // Searching from just after `<!` also accepts `<!-->` and `<!--->`,
        // which CommonMark counts as complete (empty) comments.
        let inner_start = open + 4;
        let close = bytes.get(open + 2..span.end).and_then(|b| closer.find(b));
        let (end, inner_end) = match close {
            Some(c) => (open + 2 + c + 3, (open + 2 + c).max(inner_start)),
            None => (span.end, span.end.max(inner_start)),
        };
        let inner = inner_start.min(end)..inner_end.min(end);
        // An unclosed comment is a typo, not a suppression of everything.
        if directives && close.is_some() {
            out.extend(directive(text, open..end, inner.clone()));
        }
        regions.push(Region {
            span: open..end,
            comment: Some(inner),
        });
        pos = end;
    }
    if pos < span.end {
        regions.push(Region {
            span: pos..span.end,
            comment: None,
        });
    }
}

/// `notelint-disable`, `notelint-enable` or `notelint-disable-next-line`,
/// then codes separated by spaces or commas.
fn directive(text: &str, span: Span, inner: Span) -> Option<Directive> {
    let mut words = slice(text, inner)
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let kind = match words.next()? {
        "notelint-disable" => DirectiveKind::Disable,
        "notelint-enable" => DirectiveKind::Enable,
        "notelint-disable-next-line" => DirectiveKind::DisableNextLine,
        _ => return None,
    };
    Some(Directive {
        kind,
        codes: words.map(str::to_owned).collect(),
        span,
    })
}

/// Adds Obsidian `%% %%` comments to the sorted, disjoint `regions`; regions
/// inside a `%%` comment are absorbed by it.
fn with_percent_comments(text: &str, range: &Span, regions: Vec<Region>) -> Vec<Region> {
    let bytes = text.as_bytes();
    let finder = memmem::Finder::new("%%");
    let mut comments = Vec::new();
    let mut opened: Option<usize> = None;
    let mut pos = range.start;
    while let Some(found) = bytes.get(pos..range.end).and_then(|b| finder.find(b)) {
        let at = pos + found;
        if let Some(r) = region_at(&regions, at) {
            pos = r.span.end;
            continue;
        }
        match opened.take() {
            None => opened = Some(at),
            Some(open) => comments.push(Region {
                span: open..at + 2,
                comment: Some(open + 2..at),
            }),
        }
        pos = at + 2;
    }
    if let Some(open) = opened {
        comments.push(Region {
            span: open..range.end,
            comment: Some((open + 2).min(range.end)..range.end),
        });
    }
    if comments.is_empty() {
        return regions;
    }
    let mut merged = Vec::with_capacity(regions.len() + comments.len());
    let mut rest = regions.into_iter().peekable();
    for c in comments {
        while let Some(r) = rest.next_if(|r| r.span.start < c.span.start) {
            merged.push(r);
        }
        while rest.next_if(|r| r.span.start < c.span.end).is_some() {}
        merged.push(c);
    }
    merged.extend(rest);
    merged
}

/// The parts of `range` outside every region.
fn visible_segments(regions: &[Region], range: &Span) -> Vec<Span> {
    let mut segs = Vec::with_capacity(regions.len() + 1);
    let mut pos = range.start;
    for r in regions {
        if r.span.start > pos {
            segs.push(pos..r.span.start);
        }
        pos = pos.max(r.span.end);
    }
    if pos < range.end {
        segs.push(pos..range.end);
    }
    segs
}

/// `^block-id` (ASCII letters, digits, `-`) at the end of a line, after
/// whitespace, alone on its line, or right after an embed (`embed_ends`, sorted).
fn block_ids(
    text: &str,
    seg: Span,
    line_floor: usize,
    embed_ends: &[usize],
    out: &mut Vec<BlockId>,
) {
    let bytes = text.as_bytes();
    let Some(haystack) = bytes.get(seg.clone()) else {
        return;
    };
    for i in memchr_iter(b'^', haystack) {
        let caret = seg.start + i;
        if !starts_token(text, caret, line_floor) && embed_ends.binary_search(&caret).is_err() {
            continue;
        }
        let id_len = bytes[caret + 1..seg.end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        let id_end = caret + 1 + id_len;
        let after = bytes[id_end..].iter().find(|&&b| b != b' ' && b != b'\t');
        if id_len > 0 && matches!(after, None | Some(b'\n' | b'\r')) {
            out.push(BlockId {
                id: slice(text, caret + 1..id_end).to_owned(),
                span: caret..id_end,
            });
        }
    }
}
