//! Rules about reading notes at all, and about `fix` writing them.

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

pub static UNWRITABLE: Rule = Rule {
    code: "io/unwritable",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "`notelint fix` could not write its fixes to the note",
    explanation: "\
## What it finds
A note `notelint fix` meant to change but could not write: its folder does not let notelint \
create a file beside it, the note cannot be opened for writing, the disk is full, or a \
backup copy left beside it by an interrupted write (`.NAME.notelint-backup`) is waiting for \
the user to look at it. Only `fix` reports it; the note keeps its old content.

## Why
A failed write must not pass for a fixed note: the run counts it as an error and exits \
non-zero (1, as for findings; 2 stays for usage, configuration and schema errors), even \
when this code is turned off. A note whose mode has no write bit and a note edited while \
`fix` ran are not failures: they are left alone on purpose, with a warning on stderr.

## Example
`notelint fix` run by a user who may write a note but not its folder: the temporary file \
of the atomic replace cannot be created there, and nor can a backup copy for a write in place.

## Fix
None automatic: make the folder writable for the user running `notelint fix` (or run it as \
the note's owner), or restore the note from the backup copy named in the message and delete \
the copy, then run `notelint fix` again.",
};

pub static RULES: &[&Rule] = &[&UNREADABLE, &UNWRITABLE];
