//! Loading and compiling one schema file, with `$ref` to local files only (never the network).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Retrieve, Uri, ValidationError, Validator};
use serde_json::Value;

use super::confine::Readable;
use crate::error::FileError;

/// A compiled schema and the documents it was built from (for did-you-mean lookups).
pub struct CompiledSchema {
    pub path: PathBuf,
    pub validator: Validator,
    pub base_uri: String,
    pub document: Value,
    /// Documents reached through `$ref`, by their `file://` URI.
    pub referenced: HashMap<String, Value>,
}

impl CompiledSchema {
    /// The schema document a keyword location URI points into.
    pub fn document_for(&self, uri_without_fragment: &str) -> Option<&Value> {
        if uri_without_fragment == self.base_uri {
            Some(&self.document)
        } else {
            self.referenced.get(uri_without_fragment)
        }
    }
}

/// Reads, parses and compiles the schema at `path`, and every file it `$ref`s, all of which
/// must be `readable`. Errors point into the schema file.
pub fn compile(readable: &Readable, path: &Path) -> Result<CompiledSchema, FileError> {
    let text = readable
        .read(path)
        .map_err(|err| FileError::new(path, format!("cannot read the schema: {err}")))?;
    let document: Value = serde_json::from_str(&text).map_err(|err| {
        let offset = offset_of(&text, err.line(), err.column());
        let error = FileError::new(path, format!("the schema is not valid JSON: {err}"));
        // A file outside the vault is only ever one the configuration names; its text is
        // not quoted, in case the name is `/proc/self/environ` in an untrusted change.
        if readable.in_vault(path) {
            error.at(&text, Some(offset..offset))
        } else {
            error
        }
    })?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base_uri = file_uri(&absolute);
    let retriever = LocalRetriever {
        readable: readable.clone(),
        fetched: Arc::default(),
    };
    let fetched = retriever.fetched.clone();
    let validator = jsonschema::options()
        .with_base_uri(base_uri.clone())
        .should_validate_formats(true)
        .with_retriever(retriever)
        .build(&document)
        .map_err(|err| build_error(readable, path, &text, &document, &err))?;
    let referenced = fetched.lock().map(|docs| docs.clone()).unwrap_or_default();
    Ok(CompiledSchema {
        path: path.to_path_buf(),
        validator,
        base_uri,
        document,
        referenced,
    })
}

/// Why the validator could not be built: a `$ref` it could not resolve (a remote one is
/// refused, a file is missing), or a schema that breaks its draft's own rules
/// (`"type": "objekt"`), shown at the offending value of the schema file.
fn build_error(
    readable: &Readable,
    path: &Path,
    text: &str,
    document: &Value,
    err: &ValidationError<'_>,
) -> FileError {
    let at = err.instance_path().as_str();
    let message = if at.is_empty() {
        format!("invalid schema: {err}")
    } else {
        format!("invalid schema at `{at}`: {err}")
    };
    if matches!(err.kind(), ValidationErrorKind::Referencing(_)) {
        return FileError::new(path, message).at(text, None).with_help(
            "schemas may `$ref` files inside the vault and standard draft meta-schemas; \
             remote references are refused because notelint never reaches the network",
        );
    }
    let error = FileError::new(path, message).with_optional_help(keyword_help(document, at));
    // As for JSON errors: the text of a schema outside the vault is not quoted.
    if readable.in_vault(path) {
        error.at(text, json_span(text, at))
    } else {
        error
    }
}

/// The span of the value at JSON pointer `at` in a JSON text, which the span-carrying YAML
/// loader reads (JSON is YAML 1.2); `None` where it cannot (duplicate keys, say).
fn json_span(text: &str, at: &str) -> Option<std::ops::Range<usize>> {
    let document = crate::yaml::load(text, &crate::yaml::Limits::default()).ok()?;
    let node = document.root.pointer(at)?;
    Some(node.span.clone())
}

/// The JSON types a schema's `type` may name.
const JSON_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Help for a keyword whose value breaks the meta-schema: for `type`, the types there are
/// and the closest one.
fn keyword_help(document: &Value, at: &str) -> Option<String> {
    if at.rsplit('/').next() != Some("type") {
        return None;
    }
    let value = document.pointer(at)?;
    let written: Vec<&str> = match value {
        Value::String(one) => vec![one.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let unknown = written.iter().find(|w| !JSON_TYPES.contains(w));
    let closest = unknown.and_then(|w| crate::suggest::closest(w, JSON_TYPES));
    let types = crate::suggest::one_of(&JSON_TYPES);
    Some(match closest {
        Some(closest) => format!("did you mean `{closest}`? `type` takes {types}"),
        None => format!("`type` takes {types}, or a list of them"),
    })
}

/// Resolves `file://` references inside the vault by reading the file; refuses every other
/// scheme and every file outside the readable folders.
struct LocalRetriever {
    readable: Readable,
    fetched: Arc<Mutex<HashMap<String, Value>>>,
}

impl Retrieve for LocalRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.scheme().as_str() != "file" {
            return Err(format!(
                "remote reference `{}` refused: notelint never reaches the network \
                 (save the schema next to this one and `$ref` it by relative path)",
                uri.as_str()
            )
            .into());
        }
        // `file://host/x` names a file on another machine; only the local one is read.
        if let Some(host) = uri.authority().map(|a| a.host().to_owned())
            && !host.is_empty()
            && host != "localhost"
        {
            return Err(format!(
                "`{}` names a file on host `{host}`; notelint reads local files only",
                uri.as_str()
            )
            .into());
        }
        let path = PathBuf::from(percent_decode(uri.path().as_str()));
        let text = self.readable.read(&path).map_err(|err| err.to_string())?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|err| format!("`{}` is not valid JSON: {err}", path.display()))?;
        let key = uri
            .as_str()
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned();
        if let Ok(mut fetched) = self.fetched.lock() {
            fetched.insert(key, value.clone());
        }
        Ok(value)
    }
}

/// A `file://` URI for an absolute path, percent-encoding what a URI cannot hold.
pub fn file_uri(path: &Path) -> String {
    let raw = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !raw.starts_with('/') {
        out.push('/');
    }
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The byte offset of a 1-based line and column as serde_json reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = text[line_start.min(text.len())..]
        .lines()
        .next()
        .unwrap_or("");
    let in_line: usize = line_text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    (line_start + in_line).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        let uri = file_uri(Path::new("/vault/my schemas/é.json"));
        assert_eq!(uri, "file:///vault/my%20schemas/%C3%A9.json");
        assert_eq!(percent_decode(&uri[7..]), "/vault/my schemas/é.json");
    }

    #[test]
    fn json_error_offsets() {
        let text = "{\n  \"a\": ,\n}";
        assert_eq!(offset_of(text, 2, 8), 9);
    }
}
