//! What the structure pass over a body range reports, whether pulldown-cmark
//! (`blocks.rs`) or the fast path (`fast.rs`) computed it.

use super::{Heading, Link, Span};

/// A part of the body that the visible-text scanners skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Region {
    pub(super) span: Span,
    /// For comments: the text between the delimiters.
    pub(super) comment: Option<Span>,
}

/// What one structure pass over a range yields.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Structure {
    /// Code blocks, code spans and math, in source order.
    pub(super) hidden: Vec<Region>,
    /// Raw HTML (blocks and inline), still to be split into comments.
    pub(super) html: Vec<Span>,
    /// Inline Markdown links and images, and reference definitions.
    pub(super) md_links: Vec<Link>,
    /// Link tails and definitions: a `#` there is not a tag.
    pub(super) not_tags: Vec<Span>,
    pub(super) headings: Vec<Heading>,
}
