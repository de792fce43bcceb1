//! Inline `#tags` in visible body text, by Obsidian's rule: a tag starts at a
//! `#` at the start of a line or after whitespace (so `C#`, `#` in URLs and
//! `[[Note#Heading]]` are not tags) and runs until the first character that
//! cannot be in a tag ([`crate::note::tag`], shared with the frontmatter rules).
//!
//! Malformed tags that still start like one (`#a//b`, `#-x`) are kept so the
//! tags rules can report them; only empty names (`# Heading`) and all-digit
//! names (`#123`, issue numbers) are dropped, as Obsidian drops them.

use memchr::memchr_iter;

use super::{InlineTag, Span, SpanSet, starts_token};
use crate::note::tag::tag_len;

/// Tags in `text[seg]`, skipping `#`s inside `excluded` (link targets);
/// `line_floor` is the start of the scanned text, which counts as a line
/// start.
pub(super) fn tags(
    text: &str,
    seg: Span,
    line_floor: usize,
    excluded: &SpanSet,
    out: &mut Vec<InlineTag>,
) {
    let Some(haystack) = text.as_bytes().get(seg.clone()) else {
        return;
    };
    for i in memchr_iter(b'#', haystack) {
        let hash = seg.start + i;
        if !starts_token(text, hash, line_floor) || excluded.contains(hash) {
            continue;
        }
        let Some(rest) = text.get(hash + 1..seg.end) else {
            continue;
        };
        let len = tag_len(rest);
        let name = &rest[..len];
        if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        out.push(InlineTag {
            name: name.to_owned(),
            span: hash..hash + 1 + len,
        });
    }
}
