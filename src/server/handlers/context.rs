//! Where the cursor is in a note, read from the text alone (the frontmatter may not load
//! while it is being typed): in a link being written, at a frontmatter key, or at a
//! frontmatter value; and what a schema says about a note's properties.

use serde_json::Value;

use crate::diagnostic::Span;
use crate::schema::CompiledSchema;

/// What is being written at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub enum Place {
    /// Inside `[[...`: `target` and `fragment` as typed so far, and their spans. `key`: the
    /// frontmatter key when the link is in a frontmatter value.
    Link {
        target: Span,
        fragment: Option<Span>,
        key: Option<String>,
    },
    /// A top-level frontmatter key being typed.
    Key {
        typed: Span,
    },
    /// A value of the top-level frontmatter key `key` (after `key:`, or a list item under it).
    Value {
        key: String,
        typed: Span,
    },
    Elsewhere,
}

/// The frontmatter's lines: from after the opening `---` to the closing line (or the end).
pub fn frontmatter_range(text: &str) -> Option<Span> {
    let start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_end].trim_end() != "---" {
        return None;
    }
    let body_start = (first_end + 1).min(text.len());
    let mut at = body_start;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..end].trim_end();
        if line == "---" || line == "..." {
            return Some(body_start..at);
        }
        at = end + 1;
    }
    Some(body_start..text.len())
}

pub fn place(text: &str, cursor: usize) -> Place {
    let cursor = crate::note::source::floor_char_boundary(text, cursor);
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..cursor];
    let frontmatter = frontmatter_range(text).filter(|r| r.start <= cursor && cursor <= r.end);
    let key = frontmatter
        .as_ref()
        .and_then(|r| key_of_line(text, r.start, line_start));
    if let Some(open) = before.rfind("[[")
        && !before[open..].contains("]]")
        && !before[open..].contains('|')
    {
        let start = line_start + open + 2;
        let typed = &text[start..cursor];
        return match typed.find('#') {
            Some(hash) => Place::Link {
                target: start..start + hash,
                fragment: Some(start + hash + 1..cursor),
                key,
            },
            None => Place::Link {
                target: start..cursor,
                fragment: None,
                key,
            },
        };
    }
    if frontmatter.is_none() {
        return Place::Elsewhere;
    }
    let indented = before.starts_with([' ', '\t']);
    match before.find(':') {
        None if !indented && !before.trim_start().starts_with('-') => {
            return Place::Key {
                typed: line_start..cursor,
            };
        }
        None => {}
        Some(colon) if !indented => {
            let value_start = line_start + colon + 1;
            return Place::Value {
                key: before[..colon].trim().to_owned(),
                typed: token_start(text, value_start, cursor)..cursor,
            };
        }
        Some(_) => return Place::Elsewhere,
    }
    // A list item under a key: `  - valu`.
    let item = before.trim_start();
    if let (Some(rest), Some(key)) = (item.strip_prefix('-'), key) {
        let value_start = cursor - rest.len();
        return Place::Value {
            key,
            typed: token_start(text, value_start, cursor)..cursor,
        };
    }
    Place::Elsewhere
}

/// Where the value being typed starts: after the spaces, an opening quote, or the last
/// `[`/`,` of a flow list.
fn token_start(text: &str, from: usize, cursor: usize) -> usize {
    let typed = &text[from..cursor];
    let after_separator = typed.rfind(['[', ',']).map_or(0, |i| i + 1);
    let rest = &typed[after_separator..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '"', '\'']).len();
    from + after_separator + skipped
}

/// The top-level key of the frontmatter line at `line_start`, or of the nearest line above
/// it that has one (for list items).
fn key_of_line(text: &str, frontmatter_start: usize, line_start: usize) -> Option<String> {
    let mut at = line_start;
    loop {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..end];
        if !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty() {
            return line.split_once(':').map(|(key, _)| key.trim().to_owned());
        }
        if at <= frontmatter_start {
            return None;
        }
        at = text[..at - 1]
            .rfind('\n')
            .map_or(0, |i| i + 1)
            .max(frontmatter_start);
    }
}

/// The top-level keys written in the frontmatter.
pub fn present_keys(text: &str) -> Vec<String> {
    let Some(range) = frontmatter_range(text) else {
        return Vec::new();
    };
    text[range]
        .lines()
        .filter(|line| !line.starts_with([' ', '\t', '-', '#']))
        .filter_map(|line| line.split_once(':').map(|(key, _)| key.trim().to_owned()))
        .collect()
}

/// What a schema says about one property.
#[derive(Debug, Default, Clone)]
pub struct Property {
    pub name: String,
    pub required: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub types: Vec<String>,
    /// `enum` values, the `const`, or an array's items' `enum`.
    pub values: Vec<Value>,
    pub format: Option<String>,
}

/// The properties a schema declares at its top level (following `$ref` and `allOf`), in
/// declaration order.
pub fn properties(schema: &CompiledSchema) -> Vec<Property> {
    let mut out: Vec<Property> = Vec::new();
    let mut required: Vec<String> = Vec::new();
    collect(
        schema,
        &schema.document,
        &schema.base_uri,
        &mut out,
        &mut required,
        0,
    );
    for property in &mut out {
        property.required = required.contains(&property.name);
    }
    out
}

fn collect(
    schema: &CompiledSchema,
    node: &Value,
    base: &str,
    out: &mut Vec<Property>,
    required: &mut Vec<String>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let (node, base) = follow(schema, node, base);
    if let Some(names) = node.get("required").and_then(Value::as_array) {
        required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, value) in props {
            if out.iter().any(|p| &p.name == name) {
                continue;
            }
            out.push(describe(schema, name, value, &base));
        }
    }
    for all in node
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect(schema, all, &base, out, required, depth + 1);
    }
}

fn describe(schema: &CompiledSchema, name: &str, value: &Value, base: &str) -> Property {
    let (value, base) = follow(schema, value, base);
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let types = match value.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let items = value
        .get("items")
        .map(|items| follow(schema, items, &base).0);
    let values = value
        .get("enum")
        .and_then(Value::as_array)
        .cloned()
        .or_else(|| value.get("const").map(|c| vec![c.clone()]))
        .or_else(|| {
            items
                .and_then(|i| i.get("enum"))
                .and_then(Value::as_array)
                .cloned()
        })
        .unwrap_or_default();
    Property {
        name: name.to_owned(),
        required: false,
        title: text("title"),
        description: text("description"),
        types,
        values,
        format: text("format").or_else(|| {
            items
                .and_then(|i| i.get("format"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        }),
    }
}

/// A node with its `$ref` followed (once per level, to local documents only), and the
/// base URI the result is in.
fn follow<'s>(schema: &'s CompiledSchema, node: &'s Value, base: &str) -> (&'s Value, String) {
    let mut node = node;
    let mut base = base.to_owned();
    for _ in 0..8 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let uri = if file.is_empty() {
            base.clone()
        } else {
            match lsp_types::Url::parse(&base).and_then(|b| b.join(file)) {
                Ok(uri) => uri.to_string(),
                Err(_) => break,
            }
        };
        let Some(document) = schema.document_for(&uri) else {
            break;
        };
        let Some(target) = document.pointer(pointer) else {
            break;
        };
        node = target;
        base = uri;
    }
    (node, base)
}

/// A schema value as YAML would have it.
pub fn yaml_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, usize) {
        let cursor = text.find('|').expect("cursor");
        (text.replacen('|', "", 1), cursor)
    }

    fn slice(text: &str, span: &Span) -> String {
        text[span.clone()].to_owned()
    }

    #[test]
    fn links_keys_and_values_are_told_apart() {
        let (text, cursor) = at("---\ntitle: x\nsta|\n---\nbody\n");
        assert!(
            matches!(place(&text, cursor), Place::Key { typed } if slice(&text, &typed) == "sta")
        );
        let (text, cursor) = at("---\nstatus: \"act|\n---\n");
        assert!(
            matches!(place(&text, cursor), Place::Value { key, typed } if key == "status" && slice(&text, &typed) == "act")
        );
        let (text, cursor) = at("---\ntags:\n  - ne|\n---\n");
        assert!(
            matches!(place(&text, cursor), Place::Value { key, typed } if key == "tags" && slice(&text, &typed) == "ne")
        );
        let (text, cursor) = at("---\ntags: [a, b|\n---\n");
        assert!(
            matches!(place(&text, cursor), Place::Value { key, typed } if key == "tags" && slice(&text, &typed) == "b")
        );
        let (text, cursor) = at("---\ncompany: \"[[Con|\n---\n");
        match place(&text, cursor) {
            Place::Link {
                target,
                fragment,
                key,
            } => {
                assert_eq!(slice(&text, &target), "Con");
                assert_eq!(fragment, None);
                assert_eq!(key.as_deref(), Some("company"));
            }
            other => panic!("{other:?}"),
        }
        let (text, cursor) = at("# T\n\nSee [[Dana#Con| and\n");
        match place(&text, cursor) {
            Place::Link {
                target,
                fragment: Some(fragment),
                key: None,
            } => {
                assert_eq!(slice(&text, &target), "Dana");
                assert_eq!(slice(&text, &fragment), "Con");
            }
            other => panic!("{other:?}"),
        }
        let (text, cursor) = at("See [[Dana]] and |\n");
        assert_eq!(place(&text, cursor), Place::Elsewhere);
    }

    #[test]
    fn present_keys_are_top_level_ones() {
        let text = "---\ntitle: x\ntags:\n  - a\naddress:\n  city: y\n---\nkey: not\n";
        assert_eq!(present_keys(text), ["title", "tags", "address"]);
    }
}
