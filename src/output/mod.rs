//! Output formats: one file per format, all rendering the same `Outcome`.

mod concise;
mod destination;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::borrow::Cow;
use std::io::{self, Write};

pub use destination::{Destination, destinations};
pub use human::render_file_error;
pub use json::{JsonDiagnostic, JsonOutput, JsonSummary};

use crate::diagnostic::{Finding, Severity};
use crate::lint::report::{FileReport, Outcome};
use crate::note::source::{LineIndex, Position};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

/// How the human format looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Diagnostics only: no summary line.
    pub quiet: bool,
    pub statistics: bool,
}

/// Totals over a run, as printed in the summary and the JSON `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub notes: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Totals {
    pub fn of(outcome: &Outcome) -> Totals {
        let mut totals = Totals {
            notes: outcome.notes_checked,
            ..Totals::default()
        };
        for diagnostic in outcome.reports.iter().flat_map(|r| &r.diagnostics) {
            match diagnostic.severity {
                Severity::Error => totals.errors += 1,
                Severity::Warning => totals.warnings += 1,
                Severity::Info => totals.infos += 1,
            }
            if diagnostic.is_fixable() {
                totals.fixable += 1;
            }
        }
        totals
    }
}

/// Writes the outcome in `format`. A closed pipe is the reader's choice, not an error.
pub fn write(
    outcome: &Outcome,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let result = match format {
        Format::Human => human::write(outcome, style, out),
        Format::Concise => concise::write(outcome, style, out),
        Format::Json => json::write(outcome, out),
        Format::Sarif => sarif::write(outcome, out),
        Format::Github => github::write(outcome, style, out),
        Format::Gitlab => gitlab::write(outcome, out),
        Format::Junit => junit::write(outcome, out),
    };
    match result {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A diagnostic's start and end as 1-based lines and columns.
pub(crate) struct Located<'a> {
    pub diagnostic: &'a Finding,
    pub start: Position,
    pub end: Position,
}

/// Computes positions for every diagnostic of a report (one line index per file).
pub(crate) fn locate(report: &FileReport) -> Vec<Located<'_>> {
    let index = LineIndex::new(&report.source);
    report
        .diagnostics
        .iter()
        .map(|diagnostic| Located {
            diagnostic,
            start: index.position(&report.source, diagnostic.span.start),
            end: index.position(&report.source, diagnostic.span.end),
        })
        .collect()
}

/// Whether `c` must not reach a terminal raw: C0 controls other than tab, DEL, C1 controls,
/// and the bidi controls that reorder what follows them (U+202E shows `txt.exe` as
/// `exe.txt`). Escape sequences retitle a terminal, move its cursor or hide text.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{a}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Pushes `c` as the messages quote control characters (`\u{1b}`, `\u{202e}`, `\n`, `\r`:
/// Rust's `escape_default`), or as is when it is safe to print.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    if is_unsafe_char(c) {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// `text` with every [unsafe character](is_unsafe_char) escaped, newlines included: for
/// paths, labels and one-line formats. Borrows when there is nothing to escape.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`escape_controls`], but keeps `\n` line breaks: for messages and help that
/// a format shows on several lines.
pub(crate) fn escape_controls_multiline(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_unsafe_char(c) && !(keep_newlines && c == '\n');
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// "3 errors, 1 warning in 12 notes (2 fixable with `notelint fix`)".
pub(crate) fn summary_line(totals: &Totals) -> String {
    let mut parts = vec![
        plural(totals.errors, "error"),
        plural(totals.warnings, "warning"),
    ];
    if totals.infos > 0 {
        parts.push(plural(totals.infos, "info"));
    }
    let mut line = format!("{} in {}", parts.join(", "), plural(totals.notes, "note"));
    if totals.fixable > 0 {
        line.push_str(&format!(
            " ({} fixable with `notelint fix`)",
            totals.fixable
        ));
    }
    line
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Counts per rule, most frequent first, for `--statistics`, each with whether `notelint
/// fix` can fix some of its findings.
pub(crate) fn statistics(outcome: &Outcome) -> Vec<(&'static str, usize, bool)> {
    let mut counts: Vec<(&'static str, usize, bool)> = Vec::new();
    for diagnostic in outcome.reports.iter().flat_map(|r| &r.diagnostics) {
        match counts
            .iter_mut()
            .find(|(code, _, _)| *code == diagnostic.code())
        {
            Some(entry) => {
                entry.1 += 1;
                entry.2 |= diagnostic.is_fixable();
            }
            None => counts.push((diagnostic.code(), 1, diagnostic.is_fixable())),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

pub(crate) fn write_statistics(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let rows = statistics(outcome);
    let width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let any_fixable = rows.iter().any(|r| r.2);
    for (code, count, fixable) in rows {
        let mark = if fixable { " [*]" } else { "" };
        writeln!(out, "{count:>width$}  {code}{mark}")?;
    }
    if any_fixable {
        writeln!(out, "[*] fixable with `notelint fix`")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_as_messages_quote_them() {
        assert_eq!(
            escape_controls("[[a\u{1b}]0;pwned\u{7}b]]"),
            "[[a\\u{1b}]0;pwned\\u{7}b]]"
        );
        assert_eq!(
            escape_controls("bidi-\u{202e}dm.txt.md"),
            "bidi-\\u{202e}dm.txt.md"
        );
        assert_eq!(
            escape_controls("a\0b\u{7f}c\u{85}d\u{9f}"),
            "a\\u{0}b\\u{7f}c\\u{85}d\\u{9f}"
        );
        assert_eq!(escape_controls("a\r\nb"), "a\\r\\nb");
        for c in [
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
            '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert_eq!(
                escape_controls(&c.to_string()),
                format!("\\u{{{:x}}}", u32::from(c))
            );
        }
    }

    #[test]
    fn keeps_what_is_safe_and_borrows_when_it_can() {
        for text in [
            "plain",
            "tab\there",
            "é 日本 🎉 \u{200d} \u{a0}",
            "a\\u{1b}",
        ] {
            assert!(
                matches!(escape_controls(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
        assert!(matches!(
            escape_controls_multiline("two\nlines"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_controls_multiline("a\nb\rc\u{1b}"),
            "a\nb\\rc\\u{1b}"
        );
        assert_eq!(escape_controls("a\nb"), "a\\nb");
    }
}
