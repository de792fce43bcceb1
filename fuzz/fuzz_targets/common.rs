//! Checks shared by the fuzz targets.

use std::ops::Range;

/// `span` lies inside `text` and on char boundaries.
pub fn in_bounds(text: &str, span: &Range<usize>) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} not on char boundaries"
    );
}
