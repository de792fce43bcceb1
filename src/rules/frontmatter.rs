//! Rules about the frontmatter block itself: presence, delimiters, YAML syntax, shape, size.

use super::Rule;
use crate::diagnostic::Severity;

pub static MISSING: Rule = Rule {
    code: "frontmatter/missing",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "no frontmatter, when `frontmatter.required`",
    explanation: "\
## What it finds
A note without a frontmatter block, when `[frontmatter] required = true`.

## Why
Vaults that rely on properties (a `type`, `created`, tags) cannot classify or query a note \
that has none.

## Example
A note that starts directly with `# Title`.

## Fix
Add a frontmatter block delimited by `---` lines at the top of the note.",
};

pub static UNCLOSED: Rule = Rule {
    code: "frontmatter/unclosed",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "opening `---` without a closing line",
    explanation: "\
## What it finds
A note whose first line is `---` but where no later line is exactly `---` or `...`.

## Why
Obsidian then shows the whole note as broken properties, and no property is read.

## Example
```markdown
---
title: Dana
# Dana Whitfield
```

## Fix
Add the closing `---` line after the last property.",
};

pub static SYNTAX: Rule = Rule {
    code: "frontmatter/syntax",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "YAML syntax error, at its exact position",
    explanation: "\
## What it finds
Frontmatter that is not valid YAML 1.2, reported at the position the parser stopped.

## Why
A note whose frontmatter does not parse has no properties at all for Obsidian, Dataview \
or any other tool. notelint never modifies such a file.

## Example
```yaml
title: \"Dana Whitfield
```

## Fix
Correct the YAML at the reported position (often a missing quote or a bad indent).",
};

pub static DUPLICATE_KEY: Rule = Rule {
    code: "frontmatter/duplicate-key",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "a key repeated in one mapping (both spans)",
    explanation: "\
## What it finds
A key that appears twice in the same mapping. Both occurrences are labelled.

## Why
YAML forbids duplicate keys; tools disagree about which value wins, so one of the two \
values is silently lost somewhere.

## Example
```yaml
status: active
status: done
```

## Fix
Keep one of the two entries.",
};

pub static NOT_MAPPING: Rule = Rule {
    code: "frontmatter/not-mapping",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "top level is not a mapping",
    explanation: "\
## What it finds
Frontmatter whose top level is a list or a single value instead of `key: value` pairs.

## Why
Properties are named: a list or a scalar at the top level gives Obsidian nothing to show.

## Example
```yaml
- draft
- storage
```

## Fix
Turn the content into properties, e.g. `tags: [draft, storage]`.",
};

pub static TOO_LARGE: Rule = Rule {
    code: "frontmatter/too-large",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "frontmatter over 1 MiB or alias expansion over the bound",
    explanation: "\
## What it finds
Frontmatter larger than the size bound (1 MiB by default), nested deeper than the depth \
bound, or whose anchors and aliases expand to more nodes than the alias bound (a \
\"billion laughs\" document).

## Why
Such frontmatter is almost always an accident or an attack; notelint refuses it rather \
than spending unbounded time or memory. The bounds are set in `[frontmatter]`.

## Example
```yaml
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
# ... and so on
```

## Fix
Shrink the frontmatter; move large data into the body or another file.",
};

pub static RULES: &[&Rule] = &[
    &MISSING,
    &UNCLOSED,
    &SYNTAX,
    &DUPLICATE_KEY,
    &NOT_MAPPING,
    &TOO_LARGE,
];

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::note::{FrontmatterState, Note};
use crate::yaml::{LoadError, Value};

/// The findings about the frontmatter block of one note.
pub fn check(note: &Note, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match &note.frontmatter {
        FrontmatterState::Absent => {
            if config.settings.frontmatter.required {
                let first_line = note.text[note.body_start..]
                    .find(['\n', '\r'])
                    .unwrap_or(note.text.len() - note.body_start);
                out.push(
                    Diagnostic::new(
                        &MISSING,
                        note.body_start..note.body_start + first_line,
                        "note has no frontmatter",
                    )
                    .with_span_label("expected a `---` line before this")
                    .with_help("`[frontmatter] required = true` asks every note for properties"),
                );
            }
        }
        FrontmatterState::Unclosed { open } => out.push(
            Diagnostic::new(&UNCLOSED, open.clone(), "frontmatter is never closed")
                .with_span_label("opened here")
                .with_help("add a line `---` after the last property"),
        ),
        FrontmatterState::TooLarge { open, bytes, limit } => out.push(
            Diagnostic::new(
                &TOO_LARGE,
                open.clone(),
                format!("frontmatter is {bytes} bytes, over the limit of {limit}"),
            )
            .with_help("raise `[frontmatter] max_bytes` if this is intended"),
        ),
        FrontmatterState::Invalid { error, .. } => out.push(load_error(&note.text, error)),
        FrontmatterState::Parsed(fm) => {
            for duplicate in &fm.document.duplicates {
                out.push(
                    Diagnostic::new(
                        &DUPLICATE_KEY,
                        fm.span(&duplicate.second),
                        format!("key `{}` appears twice", duplicate.key),
                    )
                    .with_span_label("repeated here")
                    .with_label(fm.span(&duplicate.first), "first defined here")
                    .with_help("keep one of the two entries; tools disagree about which one wins"),
                );
            }
            let root = fm.root();
            if !matches!(root.value, Value::Map(_) | Value::Null) {
                let found = match root.value {
                    Value::Seq(_) => "a list",
                    _ => "a single value",
                };
                out.push(
                    Diagnostic::new(
                        &NOT_MAPPING,
                        fm.span(&root.span),
                        format!("frontmatter must be a mapping of properties, found {found}"),
                    )
                    .with_help("write properties as `key: value` lines"),
                );
            }
        }
    }
    out
}

fn load_error(text: &str, error: &LoadError) -> Diagnostic {
    match error {
        LoadError::Syntax { message, span } => {
            let diagnostic = Diagnostic::new(
                &SYNTAX,
                span.clone(),
                format!("invalid YAML: {}", message.trim_end_matches('.')),
            );
            match super::syntax_help::help(text, span, message) {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            }
        }
        LoadError::MultipleDocuments { span } => Diagnostic::new(
            &SYNTAX,
            span.clone(),
            "frontmatter holds more than one YAML document",
        )
        .with_help("remove the `---` or `...` line inside the frontmatter"),
        LoadError::TooDeep { span, limit } => Diagnostic::new(
            &TOO_LARGE,
            span.clone(),
            format!("frontmatter is nested deeper than {limit} levels"),
        )
        .with_help("raise `[frontmatter] max_depth` if this is intended"),
        LoadError::AliasBomb { span, limit } => Diagnostic::new(
            &TOO_LARGE,
            span.clone(),
            format!("aliases expand to more than {limit} nodes"),
        )
        .with_help("raise `[frontmatter] max_alias_nodes` if this is intended"),
    }
}
