//! Rules reported by JSON Schema validation: one code per schema keyword, plus
//! `unknown-type`. The one place `schema/*` findings are built (`errors` maps each
//! validation error to its rule, message and span).

use super::Rule;
use crate::diagnostic::Severity;

/// Declares one `schema/<keyword>` rule; they share the explanation of schema validation.
macro_rules! keyword_rule {
    ($name:ident, $code:literal, $keyword:literal, $summary:literal, $example:literal) => {
        pub static $name: Rule = Rule {
            code: $code,
            default_severity: Some(Severity::Error),
            fix: None,
            summary: $summary,
            explanation: concat!(
                "## What it finds\nA frontmatter value that fails the `",
                $keyword,
                "` keyword of the JSON Schema chosen for the note (by `$schema`, a \
                 `[[schema.paths]]` glob, the `type` field or `schema.default`; \
                 `notelint schemas` shows which).\n\n\
                 ## Why\nThe schema is the vault's contract for this kind of note; notes \
                 that break it fall out of queries, templates and automations.\n\n\
                 ## Example\n",
                $example,
                "\n\n## Fix\nNone automatic: correct the value (the help line names the \
                 allowed values or the closest property), or change the schema."
            ),
        };
    };
}

keyword_rule!(
    REQUIRED,
    "schema/required",
    "required",
    "a required property is missing",
    "A `people` note without `created:` when the schema lists it in `required`. The finding points at the mapping that lacks it."
);
keyword_rule!(
    TYPE,
    "schema/type",
    "type",
    "a value has the wrong type",
    "`auto_created: \"yes\"` where the schema wants a boolean."
);
keyword_rule!(
    ENUM,
    "schema/enum",
    "enum",
    "a value is not one of the allowed values",
    "`status: former` where the schema allows `prospect`, `active`, `churned`."
);
keyword_rule!(
    CONST,
    "schema/const",
    "const",
    "a value differs from the one allowed value",
    "`type: person` in a schema that wants `type: people`."
);
keyword_rule!(
    PATTERN,
    "schema/pattern",
    "pattern",
    "a string does not match the schema's pattern",
    "`company: Contoso` where the schema wants a wikilink `\"[[Contoso]]\"`."
);
keyword_rule!(
    FORMAT,
    "schema/format",
    "format",
    "a string is not in the schema's format",
    "`email: dana(at)contoso` where the schema says `format: email`."
);
keyword_rule!(
    ADDITIONAL_PROPERTIES,
    "schema/additional-properties",
    "additionalProperties",
    "a property the schema does not allow",
    "`last_contcat:` in a schema with `additionalProperties: false`; the help names `last_contact`."
);
keyword_rule!(
    UNEVALUATED_PROPERTIES,
    "schema/unevaluated-properties",
    "unevaluatedProperties",
    "a property no subschema evaluated",
    "A key outside every `allOf` branch under `unevaluatedProperties: false`."
);
keyword_rule!(
    ADDITIONAL_ITEMS,
    "schema/additional-items",
    "additionalItems",
    "more list items than the schema allows",
    "A third item in a list whose schema lists two `items` and forbids more."
);
keyword_rule!(
    UNEVALUATED_ITEMS,
    "schema/unevaluated-items",
    "unevaluatedItems",
    "a list item no subschema evaluated",
    "An extra item under `unevaluatedItems: false`."
);
keyword_rule!(
    MIN_ITEMS,
    "schema/min-items",
    "minItems",
    "a list has too few items",
    "`attendees: []` where the schema wants at least one."
);
keyword_rule!(
    MAX_ITEMS,
    "schema/max-items",
    "maxItems",
    "a list has too many items",
    "Six `aliases` where the schema allows five."
);
keyword_rule!(
    UNIQUE_ITEMS,
    "schema/unique-items",
    "uniqueItems",
    "a list repeats an item",
    "`aliases: [Dana, Dana]` under `uniqueItems: true`."
);
keyword_rule!(
    CONTAINS,
    "schema/contains",
    "contains",
    "a list lacks an item the schema requires",
    "`tags` without any `type/...` tag under a `contains` pattern."
);
keyword_rule!(
    MIN_LENGTH,
    "schema/min-length",
    "minLength",
    "a string is too short",
    "`title: \"\"` under `minLength: 1`."
);
keyword_rule!(
    MAX_LENGTH,
    "schema/max-length",
    "maxLength",
    "a string is too long",
    "A 300-character `description` under `maxLength: 200`."
);
keyword_rule!(
    MINIMUM,
    "schema/minimum",
    "minimum",
    "a number is below the minimum",
    "`priority: 0` under `minimum: 1`."
);
keyword_rule!(
    MAXIMUM,
    "schema/maximum",
    "maximum",
    "a number is above the maximum",
    "`priority: 9` under `maximum: 5`."
);
keyword_rule!(
    EXCLUSIVE_MINIMUM,
    "schema/exclusive-minimum",
    "exclusiveMinimum",
    "a number is not above the exclusive minimum",
    "`budget: 0` under `exclusiveMinimum: 0`."
);
keyword_rule!(
    EXCLUSIVE_MAXIMUM,
    "schema/exclusive-maximum",
    "exclusiveMaximum",
    "a number is not below the exclusive maximum",
    "`progress: 100` under `exclusiveMaximum: 100`."
);
keyword_rule!(
    MULTIPLE_OF,
    "schema/multiple-of",
    "multipleOf",
    "a number is not a multiple of the schema's step",
    "`hours: 1.3` under `multipleOf: 0.5`."
);
keyword_rule!(
    MIN_PROPERTIES,
    "schema/min-properties",
    "minProperties",
    "a mapping has too few properties",
    "`links: {}` under `minProperties: 1`."
);
keyword_rule!(
    MAX_PROPERTIES,
    "schema/max-properties",
    "maxProperties",
    "a mapping has too many properties",
    "A `links` mapping with more entries than `maxProperties` allows."
);
keyword_rule!(
    PROPERTY_NAMES,
    "schema/property-names",
    "propertyNames",
    "a property name breaks the schema's `propertyNames`",
    "`Last Contact:` under `propertyNames: {pattern: \"^[a-z_]+$\"}`."
);
keyword_rule!(
    REF,
    "schema/ref",
    "$ref",
    "a `$ref` could not be resolved while validating",
    "A `$ref` to a `$defs` entry that does not exist in the referenced file."
);
keyword_rule!(
    ANY_OF,
    "schema/any-of",
    "anyOf",
    "a value matches none of the `anyOf` alternatives",
    "`due: soon` where `due` must be a date or a datetime."
);
keyword_rule!(
    ONE_OF,
    "schema/one-of",
    "oneOf",
    "a value matches none or several of the `oneOf` alternatives",
    "A value valid under two `oneOf` branches."
);
keyword_rule!(
    NOT,
    "schema/not",
    "not",
    "a value matches a schema it must not match",
    "`status: draft` under `not: {const: draft}`."
);
keyword_rule!(
    FALSE_SCHEMA,
    "schema/false-schema",
    "false",
    "a value where the schema allows nothing",
    "Any value of a property whose schema is `false`."
);
keyword_rule!(
    CONTENT,
    "schema/content",
    "contentEncoding/contentMediaType",
    "a string is not in the declared encoding or media type",
    "`data: \"not base64!\"` under `contentEncoding: base64`."
);

pub static UNKNOWN_TYPE: Rule = Rule {
    code: "schema/unknown-type",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "`type_field` value with no schema and no default",
    explanation: "\
## What it finds
A note whose `type` (the `[schema] type_field`) names a type that `[schema] types` does not \
map to a schema, when there is no `schema.default` to fall back on.

## Why
A typo in the type (`type: poeple`) silently skips all validation of the note.

## Example
```yaml
type: vendor
```
with `types = { people = \"...\", customer = \"...\" }` and no default.

## Fix
Correct the type, or add a schema for it to `[schema] types`; the help names the closest type.",
};

pub static RULES: &[&Rule] = &[
    &REQUIRED,
    &TYPE,
    &ENUM,
    &CONST,
    &PATTERN,
    &FORMAT,
    &ADDITIONAL_PROPERTIES,
    &UNEVALUATED_PROPERTIES,
    &ADDITIONAL_ITEMS,
    &UNEVALUATED_ITEMS,
    &MIN_ITEMS,
    &MAX_ITEMS,
    &UNIQUE_ITEMS,
    &CONTAINS,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &MINIMUM,
    &MAXIMUM,
    &EXCLUSIVE_MINIMUM,
    &EXCLUSIVE_MAXIMUM,
    &MULTIPLE_OF,
    &MIN_PROPERTIES,
    &MAX_PROPERTIES,
    &PROPERTY_NAMES,
    &REF,
    &ANY_OF,
    &ONE_OF,
    &NOT,
    &FALSE_SCHEMA,
    &CONTENT,
    &UNKNOWN_TYPE,
];

mod errors;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::note::Note;
use crate::schema::{Reason, Schemas};
use crate::suggest;
use crate::yaml::Value;

pub use errors::validate;

/// Validates one note against the schema chosen for it.
///
/// `Err` is a problem with the note's own `$schema` key, which stops the run (exit 2).
/// Whether `check` looks up the note's schema (and so marks its association used): not
/// without frontmatter, nor when it is not a mapping (already `frontmatter/not-mapping`;
/// a schema error on top would repeat it).
pub fn associates(note: &Note) -> bool {
    note.parsed()
        .is_some_and(|fm| matches!(fm.root().value, Value::Map(_) | Value::Null))
}

pub fn check(
    note: &Note,
    abs_path: &Path,
    schemas: &Schemas,
) -> Result<Vec<Diagnostic>, (std::ops::Range<usize>, String)> {
    let Some(fm) = note.parsed().filter(|_| associates(note)) else {
        return Ok(Vec::new());
    };
    let association = schemas
        .associate(&note.path, abs_path, Some(fm))
        .map_err(|message| {
            let span = fm
                .get("$schema")
                .map_or_else(|| fm.block.open.clone(), |node| fm.span(&node.span));
            (span, message)
        })?;
    if let Reason::UnknownType(ty) = &association.reason {
        let span = fm
            .get(schemas.type_field())
            .map_or_else(|| fm.block.open.clone(), |node| fm.span(&node.span));
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_TYPE,
            span,
            format!("no schema for {} `{ty}`", schemas.type_field()),
        );
        let help = match suggest::closest(ty, schemas.type_names()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "add it to `[schema] types` or set `[schema] default`".to_owned(),
        };
        diagnostic = diagnostic.with_help(help);
        return Ok(vec![diagnostic]);
    }
    Ok(match &association.schema {
        Some(schema) => errors::validate(&note.text, fm, schema),
        None => Vec::new(),
    })
}
