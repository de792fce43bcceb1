//! Rules about suppression comments themselves: a code that names no rule silences nothing.

use super::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::note::Note;
use crate::suggest;

pub static UNKNOWN_CODE: Rule = Rule {
    code: "suppression/unknown-code",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "a `notelint-disable…` comment names a code or group that does not exist",
    explanation: "\
## What it finds
A suppression comment (`<!-- notelint-disable … -->`, `<!-- notelint-enable … -->`, \
`<!-- notelint-disable-next-line … -->`, or `# notelint-disable-line …` in the \
frontmatter) that names a code or group no rule has. The help names the closest code.

## Why
A misspelt code silences nothing, so the finding it was meant to hide is still reported, \
or worse, the comment looks like it documents a decision that is not in force. A code \
that was renamed or removed leaves such comments behind.

## Example
```markdown
<!-- notelint-disable-next-line links/brokn -->
[[Draft that does not exist yet]]
```

## Fix
Correct the code (`notelint rules` lists them all), or remove it from the comment.",
};

pub static RULES: &[&Rule] = &[&UNKNOWN_CODE];

/// One finding per code a suppression comment names that is no rule's code or group.
pub fn check(note: &Note) -> Vec<Diagnostic> {
    crate::suppress::named_codes(note)
        .into_iter()
        .filter(|(_, code)| !super::selection::is_known_selector(code))
        .map(|(span, code)| {
            let help = match suggest::closest(code, super::selection::selectors()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`notelint rules` lists every code".to_owned(),
            };
            Diagnostic::new(
                &UNKNOWN_CODE,
                span,
                format!("unknown rule code or group `{code}` in a suppression comment"),
            )
            .with_help(help)
        })
        .collect()
}
