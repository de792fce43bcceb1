//! JSON Schema failures as `schema/*` findings pointing at the exact key or value: the
//! rule and message per keyword; `schema::locate` finds the span.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::note::Frontmatter;
use crate::rules::{Rule, schema as rule};
use crate::schema::CompiledSchema;
use crate::schema::locate::anchor;
use crate::suggest;

/// Validates the frontmatter and returns one diagnostic per failure.
pub fn validate(text: &str, frontmatter: &Frontmatter, schema: &CompiledSchema) -> Vec<Diagnostic> {
    // An empty frontmatter block is an empty mapping, so `required` still applies.
    let instance = match frontmatter.root().to_json() {
        Value::Null => Value::Object(serde_json::Map::new()),
        other => other,
    };
    let mut out = Vec::new();
    for error in schema.validator.iter_errors(&instance) {
        report(text, frontmatter, schema, &error, &mut out);
    }
    out
}

fn report(
    text: &str,
    fm: &Frontmatter,
    schema: &CompiledSchema,
    error: &ValidationError<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let pointer = error.instance_path().as_str();
    let node = fm.root().pointer(pointer);
    let at_value = node.map_or_else(|| anchor(text, fm, ""), |n| fm.span(&n.span));
    let name = readable_path(pointer);
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let rule = if matches!(
                error.kind(),
                ValidationErrorKind::AdditionalProperties { .. }
            ) {
                &rule::ADDITIONAL_PROPERTIES
            } else {
                &rule::UNEVALUATED_PROPERTIES
            };
            let known = property_names(schema, error);
            for key in unexpected {
                let span = node
                    .and_then(|n| n.get(key))
                    .map_or_else(|| at_value.clone(), |entry| fm.span(&entry.key.span));
                let mut diagnostic =
                    Diagnostic::new(rule, span, format!("unexpected property `{key}`"))
                        .with_span_label("not allowed by the schema");
                if let Some(best) = suggest::closest(key, known.iter().map(String::as_str)) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                }
                out.push(diagnostic);
            }
        }
        ValidationErrorKind::Required { property } => {
            let property = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            let diagnostic = Diagnostic::new(
                &rule::REQUIRED,
                anchor(text, fm, pointer),
                format!("missing required property `{property}`{}", in_name(&name)),
            )
            .with_span_label(format!("`{property}` is missing here"));
            out.push(diagnostic);
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = values_list(options);
            let mut diagnostic = Diagnostic::new(
                &rule::ENUM,
                at_value,
                format!(
                    "{name} has value {}, which is not allowed",
                    short(error.instance())
                ),
            );
            let choices: Vec<&str> = options
                .as_array()
                .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect());
            let typo = error
                .instance()
                .as_str()
                .and_then(|v| suggest::closest(v, choices.iter().copied()));
            diagnostic = diagnostic.with_help(match typo {
                Some(best) => format!("did you mean `{best}`? allowed values: {allowed}"),
                None => format!("allowed values: {allowed}"),
            });
            out.push(diagnostic);
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push(
                Diagnostic::new(
                    &rule::CONST,
                    at_value,
                    format!("{name} must be {}", short(expected_value)),
                )
                .with_span_label(format!("found {}", short(error.instance())))
                .with_help(format!(
                    "the only allowed value is {}",
                    short(expected_value)
                )),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(ty) => ty.to_string(),
                TypeKind::Multiple(types) => {
                    let names: Vec<String> = types.iter().map(|t| t.to_string()).collect();
                    names.join(" or ")
                }
            };
            let found = json_type(error.instance());
            out.push(
                Diagnostic::new(
                    &rule::TYPE,
                    at_value,
                    format!(
                        "{name} must be {} {expected}, found {found}",
                        article(&expected)
                    ),
                )
                .with_span_label(format!("this is {} {found}", article(found))),
            );
        }
        ValidationErrorKind::Format { format } => {
            out.push(
                Diagnostic::new(
                    &rule::FORMAT,
                    at_value,
                    format!(
                        "{name} value {} is not a valid {format}",
                        short(error.instance())
                    ),
                )
                .with_span_label(format!("expected format `{format}`")),
            );
        }
        ValidationErrorKind::Pattern { pattern } => {
            out.push(
                Diagnostic::new(
                    &rule::PATTERN,
                    at_value,
                    format!(
                        "{name} value {} does not match the schema's pattern",
                        short(error.instance())
                    ),
                )
                .with_help(format!("expected a match for `{pattern}`")),
            );
        }
        kind => {
            let rule = keyword_rule(kind);
            let message = format!("{name}: {}", error.masked());
            out.push(Diagnostic::new(rule, at_value, message));
        }
    }
}

/// The rule for the remaining keywords, whose message jsonschema words well enough.
fn keyword_rule(kind: &ValidationErrorKind) -> &'static Rule {
    use ValidationErrorKind as K;
    match kind {
        K::AdditionalItems { .. } => &rule::ADDITIONAL_ITEMS,
        K::UnevaluatedItems { .. } => &rule::UNEVALUATED_ITEMS,
        K::MinItems { .. } => &rule::MIN_ITEMS,
        K::MaxItems { .. } => &rule::MAX_ITEMS,
        K::UniqueItems => &rule::UNIQUE_ITEMS,
        K::Contains => &rule::CONTAINS,
        K::MinLength { .. } => &rule::MIN_LENGTH,
        K::MaxLength { .. } => &rule::MAX_LENGTH,
        K::Minimum { .. } => &rule::MINIMUM,
        K::Maximum { .. } => &rule::MAXIMUM,
        K::ExclusiveMinimum { .. } => &rule::EXCLUSIVE_MINIMUM,
        K::ExclusiveMaximum { .. } => &rule::EXCLUSIVE_MAXIMUM,
        K::MultipleOf { .. } => &rule::MULTIPLE_OF,
        K::MinProperties { .. } => &rule::MIN_PROPERTIES,
        K::MaxProperties { .. } => &rule::MAX_PROPERTIES,
        K::PropertyNames { .. } => &rule::PROPERTY_NAMES,
        K::AnyOf { .. } => &rule::ANY_OF,
        K::OneOfMultipleValid { .. } | K::OneOfNotValid { .. } => &rule::ONE_OF,
        K::Not { .. } => &rule::NOT,
        K::FalseSchema => &rule::FALSE_SCHEMA,
        K::ContentEncoding { .. } | K::ContentMediaType { .. } | K::FromUtf8 { .. } => {
            &rule::CONTENT
        }
        K::Pattern { .. } | K::BacktrackLimitExceeded { .. } | K::RegexEngineFailure { .. } => {
            &rule::PATTERN
        }
        K::Required { .. } => &rule::REQUIRED,
        K::Type { .. } => &rule::TYPE,
        K::Enum { .. } => &rule::ENUM,
        K::Constant { .. } => &rule::CONST,
        K::Format { .. } => &rule::FORMAT,
        K::AdditionalProperties { .. } => &rule::ADDITIONAL_PROPERTIES,
        K::UnevaluatedProperties { .. } => &rule::UNEVALUATED_PROPERTIES,
        // notelint registers no custom keywords, so `Custom` cannot occur; `dependentRequired`
        // arrives as `Required`.
        K::Custom { .. } | K::Referencing(_) => &rule::REF,
    }
}

/// `tags[2]`, `owner.name`, or `frontmatter` for the root, from a JSON pointer.
fn readable_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "frontmatter".to_owned();
    }
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    format!("`{out}`")
}

fn in_name(name: &str) -> String {
    if name == "frontmatter" {
        String::new()
    } else {
        format!(" in {name}")
    }
}

/// The property names a schema object declares, found through the failing keyword's location.
fn property_names(schema: &CompiledSchema, error: &ValidationError<'_>) -> Vec<String> {
    let from_location = error.absolute_keyword_location().and_then(|uri| {
        let (resource, fragment) = uri.as_str().split_once('#').unwrap_or((uri.as_str(), ""));
        let document = schema.document_for(resource)?;
        let parent = fragment.rsplit_once('/').map_or("", |(parent, _)| parent);
        document.pointer(parent)
    });
    let object = from_location.unwrap_or(&schema.document);
    object
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

fn values_list(options: &Value) -> String {
    match options.as_array() {
        Some(values) => values
            .iter()
            .map(|v| format!("`{}`", plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
        None => plain(options),
    }
}

/// A value as a user wrote it: strings without JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value for a message, shortened so a long string does not swamp it.
fn short(value: &Value) -> String {
    let text = plain(value);
    let shortened: String = text.chars().take(60).collect();
    if shortened.len() < text.len() {
        format!("`{shortened}…`")
    } else {
        format!("`{text}`")
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // writes a fixture schema
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Config;
    use crate::lint::parse_options;
    use crate::note::Note;

    const SCHEMA: &str = r#"{
      "type": "object",
      "required": ["title"],
      "additionalProperties": false,
      "properties": {
        "title": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "owner": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "steps": {"type": "array", "items": {"type": "object", "properties": {"at": {"type": "integer"}}}}
      }
    }"#;

    /// Validates `text` and returns (code, offending text) pairs.
    fn findings(text: &str) -> Vec<(&'static str, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.json");
        std::fs::write(&path, SCHEMA).expect("write schema");
        let schema = crate::schema::compile::compile(
            &crate::schema::confine::Readable::new(dir.path()),
            &path,
        )
        .expect("schema compiles");
        let config = Config::defaults(PathBuf::from("."));
        let note = Note::parse("n.md".into(), text.into(), &parse_options(&config));
        let fm = note.parsed().expect("frontmatter parses");
        let mut found = validate(&note.text, fm, &schema);
        found.sort_by_key(|d| d.span.start);
        found
            .into_iter()
            .map(|d| (d.code(), text[d.span].to_owned()))
            .collect()
    }

    #[test]
    fn instance_paths_map_to_values_keys_and_mappings() {
        let text = "---\ntitle: 3\ntagz: x\ntags:\n  - a\n  - [b]\nowner:\n  nick: d\nsteps: [{at: 1}, {at: two}]\n---\n";
        assert_eq!(
            findings(text),
            [
                ("schema/type", "3".to_owned()),
                ("schema/additional-properties", "tagz".to_owned()),
                ("schema/type", "[b]".to_owned()),
                ("schema/required", "owner".to_owned()),
                ("schema/type", "two".to_owned()),
            ]
        );
    }

    #[test]
    fn crlf_and_bom_keep_exact_spans() {
        let text = "\u{feff}---\r\ntitle: 'x'\r\ntags:\r\n  - ok\r\n  - 7\r\n---\r\n";
        assert_eq!(findings(text), [("schema/type", "7".to_owned())]);
        let missing = "\u{feff}---\r\ntags: [a]\r\n---\r\n";
        assert_eq!(findings(missing), [("schema/required", "---".to_owned())]);
    }

    #[test]
    fn multibyte_text_before_a_value() {
        let text = "---\ntags: [\"é🎉\", 5]\ntitle: ok\n---\n";
        assert_eq!(findings(text), [("schema/type", "5".to_owned())]);
    }
}
