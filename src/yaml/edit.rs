//! Edits of a loaded document for fixes: each is an operation on one node of the
//! span-carrying tree (append items, remove an item, replace scalar text, rename a key,
//! add or remove a top-level entry) that knows every shape the node can take — block
//! list at any indent, flow list on one or several lines, empty, null, plain or quoted
//! string — and refuses the shapes it cannot edit safely (block scalars, anchored nodes,
//! aliases, explicit tags, comments in the way) with a reason, never a guess at bytes.
//!
//! Spans are relative to the YAML text the document was loaded from. Every operation
//! checks its own result where a scalar is written (the new text must load as the
//! intended value); the caller verifies the whole document by value before writing.

use std::fmt;

use super::{Entry, Node, ScalarStyle, Span, Style, Value};

/// One replacement of a byte range of the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

/// Why a node cannot be edited safely. Displayed as the tail of "not fixable: ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotEditable {
    /// A `|` or `>` block scalar.
    BlockScalar,
    /// Written with an anchor (`&a`) that an alias may share.
    Anchored,
    /// An alias (`*a`) of a value written elsewhere.
    Alias,
    /// Carries an explicit YAML tag (`!!str`, `!x`).
    Tagged,
    /// A comment sits where the edit would go, or would be lost.
    Comment,
    /// Any other shape this operation does not edit; says which.
    Shape(&'static str),
    /// The edited text would not load as the intended value.
    WouldNotLoad,
}

impl fmt::Display for NotEditable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotEditable::BlockScalar => "the value is a block scalar (`|` or `>`)",
            NotEditable::Anchored => "the value has an anchor (`&`) that an alias may share",
            NotEditable::Alias => "the value is an alias (`*`) of another value",
            NotEditable::Tagged => "the value has an explicit YAML tag",
            NotEditable::Comment => "a YAML comment is in the way",
            NotEditable::Shape(what) => what,
            NotEditable::WouldNotLoad => "the edited value would not load as intended",
        })
    }
}

pub type EditResult = Result<TextEdit, NotEditable>;

/// Refuses nodes whose text is shared with another value or not where its span says.
fn editable(node: &Node) -> Result<(), NotEditable> {
    if node.alias {
        return Err(NotEditable::Alias);
    }
    if node.anchored {
        return Err(NotEditable::Anchored);
    }
    if let Style::Scalar(ScalarStyle::Literal | ScalarStyle::Folded) = node.style {
        return Err(NotEditable::BlockScalar);
    }
    Ok(())
}

/// Refuses a collection whose items are aliases, anchored, or outside its span.
fn editable_items(list: &Node, items: &[Node]) -> Result<(), NotEditable> {
    editable(list)?;
    for item in items {
        if item.alias {
            return Err(NotEditable::Alias);
        }
        if item.anchored {
            return Err(NotEditable::Anchored);
        }
        if item.span.start < list.span.start || item.span.end > list.span.end {
            return Err(NotEditable::Alias);
        }
    }
    Ok(())
}

/// The YAML source of the string `s` as a list item (`in_flow`: inside `[...]`) or a
/// mapping value: plain when that loads back as exactly `s`, else double-quoted.
pub fn string_source(s: &str, in_flow: bool) -> String {
    if loads_as_string(s, s, in_flow) {
        return s.to_owned();
    }
    // JSON string syntax is valid YAML double-quoted syntax.
    serde_json::Value::from(s).to_string()
}

/// Whether the scalar `source` (as a flow-list item, or a mapping value) loads as the
/// string `want`.
pub fn loads_as_string(source: &str, want: &str, in_flow: bool) -> bool {
    let text = if in_flow {
        format!("k: [{source}]\n")
    } else {
        format!("k: {source}\n")
    };
    let Ok(document) = super::load(&text, &super::Limits::default()) else {
        return false;
    };
    let Some(entry) = document.root.get("k") else {
        return false;
    };
    let node = if in_flow {
        match entry.value.as_seq() {
            Some([only]) => only,
            _ => return false,
        }
    } else {
        &entry.value
    };
    node.as_str() == Some(want) && document.duplicates.is_empty()
}

/// The line ending of the line holding `at`: that of the line itself, else (the last
/// line without one) of the line before, else `\n`.
pub fn line_ending_at(src: &str, at: usize) -> &'static str {
    let bytes = src.as_bytes();
    let at = at.min(bytes.len());
    let ending_after = memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i);
    let ending_before = memchr::memrchr(b'\n', &bytes[..at]);
    match ending_after.or(ending_before) {
        Some(newline) if newline > 0 && bytes[newline - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The start of the line holding `at`.
fn line_start(src: &str, at: usize) -> usize {
    memchr::memrchr(b'\n', &src.as_bytes()[..at.min(src.len())]).map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its line ending.
fn line_end(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    let end = memchr::memchr(b'\n', &src.as_bytes()[at..]).map_or(src.len(), |i| at + i);
    if end > at && src.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Just past the line ending of the line holding `at`, or the end of the text.
fn next_line(src: &str, at: usize) -> Option<usize> {
    let at = at.min(src.len());
    memchr::memchr(b'\n', &src.as_bytes()[at..]).map(|i| at + i + 1)
}

/// After `at`, the rest of its line holds only blanks or a comment.
fn rest_is_blank_or_comment(src: &str, at: usize) -> bool {
    let rest = &src[at.min(src.len())..line_end(src, at)];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The `-` of a block-list item: the first non-blank of the item's line, followed by
/// blanks up to the item (for an empty item, whose span ends its line, a comment may
/// stand between).
fn dash_of(src: &str, item: &Node) -> Option<usize> {
    let start = line_start(src, item.span.start);
    let line = &src[start..item.span.start];
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let after = line[indent..].strip_prefix('-')?;
    let gap = after.trim_start_matches([' ', '\t']);
    let empty_item = item.span.is_empty() && gap.starts_with('#');
    let dash_ok = (gap.is_empty() || empty_item) && (after.is_empty() || after.len() > gap.len());
    dash_ok.then_some(start + indent)
}

/// Appends string items to a list value in its own style: `- item` lines after the last
/// item of a block list (its indentation and line ending), `, item` after the last item
/// of a flow list (or inside an empty `[]`). A null value (`key:`, `~`, `null`) becomes
/// a list: a block list under an empty value, `[item]` in place of a written null.
pub fn append_items(src: &str, key: &Node, value: &Node, items: &[&str]) -> EditResult {
    if items.is_empty() {
        return Err(NotEditable::Shape("nothing to add"));
    }
    editable(value)?;
    if value.tag.is_some() && !matches!(value.value, Value::Seq(_)) {
        return Err(NotEditable::Tagged);
    }
    match &value.value {
        Value::Seq(list) => {
            editable_items(value, list)?;
            match value.style {
                Style::Block => append_block(src, value, list, items),
                Style::Flow => append_flow(src, value, list, items),
                Style::Scalar(_) => Err(NotEditable::Shape("the list is not a block or flow list")),
            }
        }
        Value::Null => {
            editable(value)?;
            append_to_null(src, key, value, items)
        }
        Value::String(_) => Err(NotEditable::Shape("the value is a string, not a list")),
        Value::Map(_) => Err(NotEditable::Shape("the value is a mapping, not a list")),
        _ => Err(NotEditable::Shape("the value is not a list")),
    }
}

fn append_block(src: &str, list: &Node, items: &[Node], new: &[&str]) -> EditResult {
    let first = items
        .first()
        .ok_or(NotEditable::Shape("an empty block list"))?;
    let last = items
        .last()
        .ok_or(NotEditable::Shape("an empty block list"))?;
    if let Style::Scalar(ScalarStyle::Literal | ScalarStyle::Folded) = last.style {
        return Err(NotEditable::BlockScalar);
    }
    let dash = dash_of(src, first).ok_or(NotEditable::Shape(
        "the list's items do not start their own lines",
    ))?;
    let indent = &src[line_start(src, dash)..dash];
    let end = list.span.end.max(last.span.end);
    if !rest_is_blank_or_comment(src, end) {
        return Err(NotEditable::Shape(
            "the list's last line holds more than its item",
        ));
    }
    let eol = line_ending_at(src, end);
    let mut text = String::new();
    let at = match next_line(src, end) {
        Some(at) => at,
        None => {
            text.push_str(eol);
            src.len()
        }
    };
    for item in new {
        text.push_str(&format!("{indent}- {}{eol}", string_source(item, false)));
    }
    Ok(TextEdit { span: at..at, text })
}

fn append_flow(src: &str, list: &Node, items: &[Node], new: &[&str]) -> EditResult {
    let sources: Vec<String> = new.iter().map(|item| string_source(item, true)).collect();
    match items.last() {
        Some(last) => Ok(TextEdit {
            span: last.span.end..last.span.end,
            text: sources.iter().map(|s| format!(", {s}")).collect(),
        }),
        None => {
            if src.as_bytes().get(list.span.start) != Some(&b'[') {
                return Err(NotEditable::Shape("an empty list not written as `[]`"));
            }
            let inside = src.get(list.span.start + 1..list.span.end.saturating_sub(1));
            if inside.is_none_or(|inside| inside.contains('#')) {
                return Err(NotEditable::Comment);
            }
            let at = list.span.start + 1;
            Ok(TextEdit {
                span: at..at,
                text: sources.join(", "),
            })
        }
    }
}

fn append_to_null(src: &str, key: &Node, value: &Node, new: &[&str]) -> EditResult {
    if !value.span.is_empty() {
        // `~`, `null`, `NULL` written out: the list takes its place.
        let written = &src[value.span.clone()];
        if written.contains(['\n', '\r']) {
            return Err(NotEditable::Shape("a null written over several lines"));
        }
        let sources: Vec<String> = new.iter().map(|item| string_source(item, true)).collect();
        return Ok(TextEdit {
            span: value.span.clone(),
            text: format!("[{}]", sources.join(", ")),
        });
    }
    // `key:` with nothing after it (or only a comment): a block list on the next lines.
    if !rest_is_blank_or_comment(src, value.span.start) {
        return Err(NotEditable::Shape("an empty value followed by more text"));
    }
    let key_line = line_start(src, key.span.start);
    let key_indent = &src[key_line..key.span.start];
    if !key_indent.bytes().all(|b| b == b' ') {
        return Err(NotEditable::Shape("a key that does not start its line"));
    }
    let eol = line_ending_at(src, value.span.start);
    let at = line_end(src, value.span.start);
    let text: String = new
        .iter()
        .map(|item| format!("{eol}{key_indent}  - {}", string_source(item, false)))
        .collect();
    Ok(TextEdit { span: at..at, text })
}

/// Removes item `index` of a list value: its lines in a block list (a lone item leaves
/// `key: []`), the item and one comma in a flow list.
pub fn remove_item(src: &str, entry: &Entry, index: usize) -> EditResult {
    let value = &entry.value;
    let list = value
        .as_seq()
        .ok_or(NotEditable::Shape("the value is not a list"))?;
    editable_items(value, list)?;
    let item = list.get(index).ok_or(NotEditable::Shape("no such item"))?;
    match value.style {
        Style::Block => remove_block_item(src, &entry.key, list, item),
        Style::Flow => remove_flow_item(src, value, list, index),
        Style::Scalar(_) => Err(NotEditable::Shape("the list is not a block or flow list")),
    }
}

fn remove_block_item(src: &str, key: &Node, list: &[Node], item: &Node) -> EditResult {
    let dash =
        dash_of(src, item).ok_or(NotEditable::Shape("the item does not start its own line"))?;
    if !rest_is_blank_or_comment(src, item.span.end) {
        return Err(NotEditable::Shape(
            "the item's line holds more than the item",
        ));
    }
    if list.len() == 1 {
        // The lone item: `key: []`, keeping whatever comment followed the item.
        let gap = src
            .get(key.span.end..dash)
            .ok_or(NotEditable::Shape("the key is not before its list"))?;
        if gap.trim() != ":" {
            return Err(NotEditable::Comment);
        }
        return Ok(TextEdit {
            span: key.span.end..item.span.end,
            text: ": []".to_owned(),
        });
    }
    let start = line_start(src, dash);
    let end = next_line(src, item.span.end).unwrap_or(src.len());
    if end == src.len() && !src.ends_with('\n') {
        // The last line has no line ending: take the one before it instead.
        let start = start
            .checked_sub(1)
            .ok_or(NotEditable::Shape("a list on one line"))?;
        let start = if src[..start].ends_with('\r') {
            start - 1
        } else {
            start
        };
        return Ok(TextEdit {
            span: start..end,
            text: String::new(),
        });
    }
    Ok(TextEdit {
        span: start..end,
        text: String::new(),
    })
}

fn remove_flow_item(src: &str, value: &Node, list: &[Node], index: usize) -> EditResult {
    let span_of = |i: usize| list.get(i).map(|n| n.span.clone());
    let node = span_of(index).ok_or(NotEditable::Shape("no such item"))?;
    let comma_gap = |gap: Span| {
        src.get(gap)
            .is_some_and(|g| g.trim() == "," && !g.contains('#'))
    };
    let span = if let Some(next) = span_of(index + 1) {
        if !comma_gap(node.end..next.start) {
            return Err(NotEditable::Comment);
        }
        node.start..next.start
    } else if let Some(previous) = index.checked_sub(1).and_then(span_of) {
        if !comma_gap(previous.end..node.start) {
            return Err(NotEditable::Comment);
        }
        previous.end..node.end
    } else {
        // The only item, with the trailing comma it may have (`[a,]` becomes `[]`).
        let closing = value.span.end.saturating_sub(1).max(node.end);
        match src.get(node.end..closing) {
            Some(gap) if gap.trim() == "," => node.start..closing,
            Some(gap) if gap.trim().is_empty() => node,
            _ => return Err(NotEditable::Comment),
        }
    };
    Ok(TextEdit {
        span,
        text: String::new(),
    })
}

/// Replaces `range` of a one-line plain or quoted scalar's source with `replacement`,
/// when the result loads as the string `want` (as a flow-list item when `in_flow`).
pub fn replace_in_scalar(
    src: &str,
    node: &Node,
    range: Span,
    replacement: &str,
    want: &str,
    in_flow: bool,
) -> EditResult {
    editable(node)?;
    if node.tag.is_some() {
        return Err(NotEditable::Tagged);
    }
    let source = src
        .get(node.span.clone())
        .ok_or(NotEditable::Shape("a value outside the text"))?;
    if source.contains(['\n', '\r']) {
        return Err(NotEditable::Shape("the value spans several lines"));
    }
    if range.start < node.span.start || range.end > node.span.end || range.start > range.end {
        return Err(NotEditable::Shape(
            "the text to replace is not inside the value",
        ));
    }
    let new_source = format!(
        "{}{replacement}{}",
        &src[node.span.start..range.start],
        &src[range.end..node.span.end]
    );
    if !loads_as_string(&new_source, want, in_flow) {
        return Err(NotEditable::WouldNotLoad);
    }
    Ok(TextEdit {
        span: range,
        text: replacement.to_owned(),
    })
}

/// Renames a one-line plain or quoted key, keeping its quotes.
pub fn rename_key(src: &str, key: &Node, new: &str) -> EditResult {
    let old = key
        .as_str()
        .ok_or(NotEditable::Shape("the key is not a string"))?;
    let source = src
        .get(key.span.clone())
        .ok_or(NotEditable::Shape("a key outside the text"))?;
    let quoted = matches!(
        key.style,
        Style::Scalar(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
    );
    let inner = if quoted {
        key.span.start + 1..key.span.end - 1
    } else {
        key.span.clone()
    };
    if src.get(inner.clone()) != Some(old) || source.contains(['\n', '\r']) {
        return Err(NotEditable::Shape("the key is written with escapes"));
    }
    replace_in_scalar(src, key, inner, new, new, false)
}

/// Replaces a one-line value (a scalar, or a null written or left empty) with `source`,
/// YAML the caller has built (a flow list).
pub fn replace_value(src: &str, value: &Node, source: &str) -> EditResult {
    editable(value)?;
    if value.tag.is_some() {
        return Err(NotEditable::Tagged);
    }
    if !matches!(value.style, Style::Scalar(_)) {
        return Err(NotEditable::Shape("the value is a collection"));
    }
    let written = &src[value.span.clone()];
    if written.contains(['\n', '\r']) {
        return Err(NotEditable::Shape("the value spans several lines"));
    }
    let text = if value.span.is_empty() {
        format!(" {source}")
    } else {
        source.to_owned()
    };
    Ok(TextEdit {
        span: value.span.clone(),
        text,
    })
}

/// Adds `key:` with a block list of `items` at the end of the top-level mapping `root`
/// (or of an empty document).
pub fn add_list_entry(src: &str, root: &Node, key: &str, items: &[&str]) -> EditResult {
    match (&root.value, root.style) {
        (Value::Map(entries), Style::Block) => {
            editable(root)?;
            let column = entries
                .first()
                .map_or(0, |e| e.key.span.start - line_start(src, e.key.span.start));
            if column != 0 {
                return Err(NotEditable::Shape("the mapping is indented"));
            }
        }
        (Value::Null, _) if root.tag.is_none() => {}
        _ => return Err(NotEditable::Shape("the frontmatter is not a block mapping")),
    }
    let eol = line_ending_at(src, src.len());
    let lead = if src.is_empty() || src.ends_with('\n') {
        ""
    } else {
        eol
    };
    let mut text = format!("{lead}{}:{eol}", string_source(key, false));
    for item in items {
        text.push_str(&format!("  - {}{eol}", string_source(item, false)));
    }
    Ok(TextEdit {
        span: src.len()..src.len(),
        text,
    })
}

/// Removes a top-level entry: the lines from its key to the end of its value.
pub fn remove_entry(src: &str, root: &Node, entry: &Entry) -> EditResult {
    if root.style != Style::Block {
        return Err(NotEditable::Shape("the frontmatter is not a block mapping"));
    }
    editable(&entry.value)?;
    if contains_anchor(&entry.value) {
        return Err(NotEditable::Anchored);
    }
    let start = line_start(src, entry.key.span.start);
    if start != entry.key.span.start {
        return Err(NotEditable::Shape("the key does not start its line"));
    }
    let end_of_value = entry.value.span.end.max(entry.key.span.end);
    if !rest_is_blank_or_comment(src, end_of_value) {
        return Err(NotEditable::Shape(
            "the entry's last line holds more than its value",
        ));
    }
    let end = next_line(src, end_of_value).unwrap_or(src.len());
    Ok(TextEdit {
        span: start..end,
        text: String::new(),
    })
}

fn contains_anchor(node: &Node) -> bool {
    node.anchored
        || match &node.value {
            Value::Seq(items) => items.iter().any(contains_anchor),
            Value::Map(entries) => entries
                .iter()
                .any(|e| contains_anchor(&e.key) || contains_anchor(&e.value)),
            _ => false,
        }
}

#[cfg(test)]
mod tests;
