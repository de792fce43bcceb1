//! `github`: GitHub Actions workflow commands, one annotation per finding, then the totals.
//!
//! GitHub shows only the first 10 errors and 10 warnings of a step inline, so a final
//! `::notice` carries the true totals (unless `--quiet`).

use std::io::{self, Write};

use super::{Style, Totals, escape_controls_multiline, locate, push_escaped, summary_line};
use crate::diagnostic::Severity;
use crate::lint::report::Outcome;

pub fn write(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for report in &outcome.reports {
        let file = file_property(&outcome.shown_path(report));
        for located in locate(report) {
            let d = located.diagnostic;
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            // GitHub rejects an annotation with columns that spans several lines.
            let one_line = located.start.line == located.end.line;
            write!(out, "::{command} file={file},line={}", located.start.line)?;
            if one_line {
                write!(out, ",col={}", located.start.column)?;
            }
            write!(out, ",endLine={}", located.end.line)?;
            if one_line {
                write!(out, ",endColumn={}", located.end.column)?;
            }
            // Control characters are escaped first, then the runner's own escapes apply.
            let mut message = escape_controls_multiline(&d.message).into_owned();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(&escape_controls_multiline(help));
            }
            writeln!(out, ",title={}::{}", property(d.code()), data(&message))?;
        }
    }
    if !style.quiet {
        let totals = summary_line(&Totals::of(outcome));
        writeln!(out, "::notice title=notelint::{}", data(&totals))?;
    }
    Ok(())
}

/// Escapes a command's message, as the Actions runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` would end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The `file=` property: a line break in the name is encoded (`%0A`, `%0D`), which the
/// runner decodes back to the real name; other control characters are quoted as messages
/// quote them.
fn file_property(path: &str) -> String {
    let mut shown = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '\n' | '\r') {
            shown.push(c);
        } else {
            push_escaped(&mut shown, c);
        }
    }
    property(&shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(
            data("50% done:\r\nnext, then"),
            "50%25 done:%0D%0Anext, then"
        );
        assert_eq!(property("a,b:c%.md"), "a%2Cb%3Ac%25.md");
        assert_eq!(property("%0A"), "%250A");
        assert_eq!(file_property("a\nb\r\u{1b}.md"), "a%0Ab%0D\\u{1b}.md");
    }
}
