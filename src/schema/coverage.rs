//! Which top-level properties a schema constrains, so that another rule checking the same
//! value (`properties/type`) stays quiet where the schema already speaks (SPEC 5, 12: one
//! value is reported once).
//!
//! A key counts as constrained when the schema, or a subschema that applies to the whole
//! note (`allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `$ref`), names it in `properties`,
//! matches it with a `patternProperties` pattern, or says something about every other key
//! (`additionalProperties` or `unevaluatedProperties` other than `true`). This is read from
//! the schema's text, not from validation results: a schema that lists a key decides what
//! the key may hold, even where the value happens to pass.

use serde_json::Value;

use super::CompiledSchema;

/// How deep `$ref` and combinators are followed; schemas reference a few levels at most.
const MAX_DEPTH: usize = 16;

impl CompiledSchema {
    /// Whether the schema constrains the top-level property `key` (see the module docs).
    pub fn constrains(&self, key: &str) -> bool {
        constrains(self, &self.document, &self.base_uri, key, 0)
    }
}

fn constrains(schema: &CompiledSchema, node: &Value, base: &str, key: &str, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(object) = node.as_object() else {
        return false;
    };
    if object
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|properties| properties.contains_key(key))
    {
        return true;
    }
    if let Some(patterns) = object.get("patternProperties").and_then(Value::as_object)
        && patterns.keys().any(|pattern| {
            fancy_regex::Regex::new(pattern).is_ok_and(|re| re.is_match(key).unwrap_or(false))
        })
    {
        return true;
    }
    let says_about_the_rest = |name: &str| {
        object
            .get(name)
            .is_some_and(|v| !matches!(v, Value::Bool(true)) && v != &serde_json::json!({}))
    };
    if says_about_the_rest("additionalProperties") || says_about_the_rest("unevaluatedProperties") {
        return true;
    }
    let nested = |value: &Value| constrains(schema, value, base, key, depth + 1);
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(branches) = object.get(combinator).and_then(Value::as_array)
            && branches.iter().any(nested)
        {
            return true;
        }
    }
    if ["if", "then", "else"]
        .iter()
        .filter_map(|name| object.get(*name))
        .any(nested)
    {
        return true;
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str)
        && let Some((uri, target)) = resolve(schema, base, reference)
    {
        return constrains(schema, target, uri, key, depth + 1);
    }
    false
}

/// The schema node a `$ref` points at: a fragment of the current document, or of a file
/// the compiled schema loaded (matched by its path's tail, since both were resolved
/// against the same folder when the schema was compiled).
fn resolve<'s>(
    schema: &'s CompiledSchema,
    base: &str,
    reference: &str,
) -> Option<(&'s str, &'s Value)> {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let (uri, document) = if file.is_empty() {
        let (uri, document) = std::iter::once((schema.base_uri.as_str(), &schema.document))
            .chain(schema.referenced.iter().map(|(u, d)| (u.as_str(), d)))
            .find(|(u, _)| *u == base)?;
        (uri, document)
    } else {
        let tail = file.trim_start_matches("./");
        let (uri, document) = schema
            .referenced
            .iter()
            .map(|(u, d)| (u.as_str(), d))
            .chain(std::iter::once((
                schema.base_uri.as_str(),
                &schema.document,
            )))
            .find(|(u, _)| u.ends_with(&format!("/{tail}")))?;
        (uri, document)
    };
    let target = if fragment.is_empty() {
        document
    } else {
        document.pointer(fragment)?
    };
    Some((uri, target))
}
