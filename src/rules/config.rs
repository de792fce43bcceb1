//! Rules about the configuration file itself that are findings, not fatal errors.

use super::Rule;
use crate::diagnostic::Severity;

pub static UNUSED_ASSOCIATION: Rule = Rule {
    code: "config/unused-association",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "a `schema.paths` glob or `schema.types` entry that matches no note",
    explanation: "\
## What it finds
An entry of `[[schema.paths]]` whose glob matches no note of the vault, or an entry of \
`[schema] types` whose type no note declares.

## Why
Such an entry is usually a typo (`Meetngs/**`, `poeple`) that silently leaves notes \
unchecked. It is only reported when the whole vault is checked.

## Example
```toml
[schema]
types = { poeple = \"schemas/people.schema.json\" }
```

## Fix
Correct the glob or the type name, or remove the entry.",
};

pub static RULES: &[&Rule] = &[&UNUSED_ASSOCIATION];
