//! Rules about reading notes at all.

use super::Rule;
use crate::diagnostic::Severity;

pub static UNREADABLE: Rule = Rule {
    code: "io/unreadable",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "note cannot be read or is not valid UTF-8",
    explanation: "\
## What it finds
A note that cannot be read (permissions, a file that vanished during the run), that is \
larger than `[vault] max_note_bytes` (default 16 MiB; such a file is not read at all), or \
whose bytes are not valid UTF-8.

## Why
Every other check needs the note's text. notelint never guesses an encoding and never \
rewrites such a file: it reports it and leaves it untouched.

## Example
A note saved as Latin-1 by an old editor, with `caf\\xe9` in its body.

## Fix
None automatic: re-save the note as UTF-8.",
};

pub static RULES: &[&Rule] = &[&UNREADABLE];
