//! The body scanner (links, tags, headings, block ids, directives) under every option
//! combination: never panics, every span in bounds and on char boundaries, sub-spans inside
//! their link, tags spelled as their span says. Also `wikilinks_in` (frontmatter values).
//!
//! Input: one byte of knobs (3 option bits, and whether to start the body at the split's
//! body start or at an arbitrary offset), then the note's bytes, lossily decoded.

#![no_main]
// `fuzz_target!` writes crash files itself; the crate's one-writer rule is not for it.
#![allow(clippy::disallowed_methods)]

mod common;

use common::in_bounds;
use libfuzzer_sys::fuzz_target;
use notelint::note::body::{self, BodyScan, ScanOptions};
use notelint::note::frontmatter::{Split, split};

type Span = std::ops::Range<usize>;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text: &str = &text;
    let body_start = match knobs >> 3 & 0b11 {
        // Where a note's body starts, as `Note::parse` does it.
        0 | 1 => match split(text) {
            Split::None { body_start } => body_start,
            Split::Unclosed { open } => open.start,
            Split::Closed(block) => block.body_start,
        },
        2 => 0,
        // Arbitrary, possibly past the end or inside a character: an empty scan, no panic.
        _ => usize::from(knobs) * 7 % (text.len() + 3),
    };
    let options = ScanOptions {
        wikilinks: knobs & 1 != 0,
        in_comments: knobs & 2 != 0,
        inline_tags: knobs & 4 != 0,
    };
    let scan = body::scan(text, body_start, &options);
    check(text, body_start, &options, &scan);

    // The same text as a frontmatter string value at an offset.
    let base = usize::from(knobs);
    for link in body::wikilinks_in(text, base) {
        let shifted = |s: &Span| s.start - base..s.end - base;
        in_bounds(text, &shifted(&link.span));
        in_bounds(text, &shifted(&link.target_span));
        if let Some(fragment) = &link.fragment_span {
            in_bounds(text, &shifted(fragment));
        }
    }
});

fn check(text: &str, body_start: usize, options: &ScanOptions, scan: &BodyScan) {
    let in_body = |span: &Span| {
        in_bounds(text, span);
        assert!(
            span.start >= body_start,
            "{span:?} before the body at {body_start}"
        );
    };
    let within = |inner: &Span, outer: &Span| {
        assert!(
            outer.start <= inner.start && inner.end <= outer.end,
            "{inner:?} outside {outer:?}"
        );
    };
    let mut previous = 0;
    for link in &scan.links {
        in_body(&link.span);
        in_bounds(text, &link.target_span);
        within(&link.target_span, &link.span);
        if let Some(fragment) = &link.fragment_span {
            in_bounds(text, fragment);
            within(fragment, &link.span);
        }
        assert!(link.fragment.is_some() || link.fragment_span.is_none());
        assert!(link.span.start >= previous, "links sorted by position");
        previous = link.span.start;
        if !options.wikilinks {
            assert!(
                matches!(
                    link.kind,
                    body::LinkKind::Markdown | body::LinkKind::MarkdownImage
                ),
                "no wikilinks when they are off: {link:?}"
            );
        }
        if link.in_comment {
            assert!(options.in_comments, "comment links only with in_comments");
        }
        let _ = body::is_external(&link.target);
    }
    for tag in &scan.tags {
        in_body(&tag.span);
        assert!(options.inline_tags, "tags only when inline tags are on");
        assert!(!tag.name.is_empty());
        assert_eq!(&text[tag.span.clone()][1..], tag.name.as_str());
    }
    for heading in &scan.headings {
        in_body(&heading.span);
        assert!((1..=6).contains(&heading.level));
    }
    for block in &scan.block_ids {
        in_body(&block.span);
        assert!(!block.id.is_empty());
    }
    for directive in &scan.directives {
        in_body(&directive.span);
    }
}
