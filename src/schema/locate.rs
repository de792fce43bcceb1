//! Where a JSON Schema instance path points in a note: the YAML node it names, or for a
//! missing property the key or opening line of the mapping that lacks it.

use crate::diagnostic::Span;
use crate::note::Frontmatter;
use crate::yaml::Node;

/// Where a mapping that lacks a property is shown: the key that holds it, or for the
/// top-level mapping the opening `---`; never line 0.
pub fn anchor(text: &str, fm: &Frontmatter, pointer: &str) -> Span {
    if pointer.is_empty() {
        return fm.block.open.clone();
    }
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent_node = fm.root().pointer(parent);
    if let Some(entry) = parent_node.and_then(|p| p.get(&last)) {
        return fm.span(&entry.key.span);
    }
    match fm.root().pointer(pointer) {
        Some(node) => first_line(text, fm, node),
        None => fm.block.open.clone(),
    }
}

/// The first line of a node's span, so a list item mapping is not underlined whole.
fn first_line(text: &str, fm: &Frontmatter, node: &Node) -> Span {
    let span = fm.span(&node.span);
    let line_len = text
        .get(span.clone())
        .and_then(|s| s.find(['\n', '\r']))
        .unwrap_or(span.len());
    span.start..span.start + line_len
}
