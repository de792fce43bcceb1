//! `human`: miette's graphical reports (file, line:column, snippet, labels, help), then a
//! summary line. Also renders fatal `FileError`s the same way.
//!
//! miette is never handed a file's text. Each report gets a [`Snippet`]: the few lines
//! around its labels, with long lines clipped to a window around each label and control
//! characters escaped, and the labels moved to match. Without it, N findings on one
//! L-byte line printed N x L bytes, and a note could send escape sequences to the terminal.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

mod snippet;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::{
    Style, Totals, escape_controls, escape_controls_multiline, summary_line, write_statistics,
};
use crate::diagnostic::{Finding, Severity, Span};
use crate::error::FileError;
use crate::lint::report::Outcome;
use crate::note::source::LineIndex;
use snippet::Snippet;

pub fn write(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style.color);
    for report in &outcome.reports {
        let shown = outcome.shown_path(report);
        let name = escape_controls(&shown);
        let index = LineIndex::new(&report.source);
        for diagnostic in &report.diagnostics {
            let view = View::of_diagnostic(diagnostic, &name, &report.source, &index);
            write_view(&handler, &view, out)?;
            writeln!(out)?;
        }
    }
    if style.statistics {
        write_statistics(outcome, out)?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary_line(&Totals::of(outcome)))?;
    }
    Ok(())
}

/// Renders a fatal configuration or schema error as a report.
pub fn render_file_error(error: &FileError, color: bool) -> String {
    let shown = crate::paths::display_path(Path::new("."), &error.path);
    let name = escape_controls(&shown);
    let message = escape_controls_multiline(&error.message);
    let (source, labels) = match (&error.source, &error.span) {
        (Some(text), Some(span)) => {
            let (snippet, spans) = Snippet::new(&name, text, &LineIndex::new(text), &[span]);
            let label = LabeledSpan::new_primary_with_span(
                error.label.as_deref().map(label_text),
                spans[0],
            );
            (Some(snippet), vec![label])
        }
        (Some(text), None) => {
            let (snippet, _) = Snippet::new(&name, text, &LineIndex::new(text), &[]);
            (Some(snippet), Vec::new())
        }
        _ => (None, Vec::new()),
    };
    let message = if labels.is_empty() {
        format!("{name}: {message}")
    } else {
        message.into_owned()
    };
    let view = View {
        code: None,
        severity: miette::Severity::Error,
        message,
        help: error.help.as_deref().map(help_text),
        labels,
        source,
    };
    let mut rendered = String::new();
    if handler(color).render_report(&mut rendered, &view).is_err() {
        rendered = format!("error: {}\n", view.message);
    }
    rendered
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

fn write_view(
    handler: &GraphicalReportHandler,
    view: &View,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, view).is_err() {
        rendered = format!("{}\n", view.message);
    }
    out.write_all(rendered.as_bytes())
}

/// A label's text: drawn after the underline, so on one line.
fn label_text(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// Help text: miette lays it out on several lines itself.
fn help_text(text: &str) -> String {
    escape_controls_multiline(text).into_owned()
}

/// One report as miette sees it.
struct View {
    code: Option<&'static str>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<Snippet>,
}

impl View {
    fn of_diagnostic(d: &Finding, name: &str, text: &str, index: &LineIndex) -> View {
        let spans: Vec<&Span> = std::iter::once(&d.span)
            .chain(d.labels.iter().map(|l| &l.span))
            .collect();
        let (snippet, spans) = Snippet::new(name, text, index, &spans);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            d.span_label.as_deref().map(label_text),
            spans[0],
        )];
        labels.extend(
            d.labels
                .iter()
                .zip(&spans[1..])
                .map(|(l, &span)| LabeledSpan::new_with_span(Some(label_text(&l.message)), span)),
        );
        View {
            code: Some(d.code()),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            message: escape_controls_multiline(&d.message).into_owned(),
            help: d.help.as_deref().map(help_text),
            labels,
            source: Some(snippet),
        }
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // Labels' spans, one or more.
mod tests {
    use proptest::prelude::*;

    use miette::SourceSpan;

    use super::snippet::{CONTEXT, LINE_MAX, SPAN_MAX};
    use super::*;
    use crate::note::source::floor_char_boundary;
    use crate::output::{is_unsafe_char, push_escaped};

    /// A report with a primary label at `spans[0]` and secondary ones at the rest.
    fn view(source: Option<Snippet>, spans: &[SourceSpan]) -> View {
        let labels = spans
            .iter()
            .enumerate()
            .map(|(i, &span)| match i {
                0 => LabeledSpan::new_primary_with_span(Some("here".to_owned()), span),
                _ => LabeledSpan::new_with_span(Some(format!("also {i}")), span),
            })
            .collect();
        View {
            code: Some("test/code"),
            severity: miette::Severity::Error,
            message: "message".to_owned(),
            help: None,
            labels,
            source,
        }
    }

    fn snippet(text: &str, spans: &[Span]) -> (Snippet, Vec<SourceSpan>) {
        let spans: Vec<&Span> = spans.iter().collect();
        Snippet::new("n.md", text, &LineIndex::new(text), &spans)
    }

    /// The report as it renders now.
    fn render(text: &str, spans: &[Span]) -> String {
        let (snippet, mapped) = snippet(text, spans);
        let mut out = String::new();
        handler(false)
            .render_report(&mut out, &view(Some(snippet), &mapped))
            .expect("renders");
        out
    }

    /// The report as miette renders it from the whole text, as before snippets, with each
    /// header's column (which miette counts in bytes) in characters, as snippets give it.
    fn render_whole(text: &str, spans: &[Span]) -> String {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut out = String::new();
        let mut rest = render_whole_raw(text, spans);
        while let Some(at) = rest.find("╭─[n.md:") {
            let start = at + "╭─[n.md:".len();
            let end = start + rest[start..].find(']').expect("header end");
            let (line, column) = rest[start..end].split_once(':').expect("line:column");
            let (line, column): (usize, usize) =
                (line.parse().expect("line"), column.parse().expect("column"));
            let text = lines.get(line - 1).copied().unwrap_or_default();
            let chars = text[..floor_char_boundary(text, column - 1)]
                .chars()
                .count()
                + 1;
            out.push_str(&rest[..start]);
            out.push_str(&format!("{line}:{chars}"));
            rest = rest[end..].to_owned();
        }
        out + &rest
    }

    fn render_whole_raw(text: &str, spans: &[Span]) -> String {
        let labels: Vec<SourceSpan> = spans
            .iter()
            .map(|s| SourceSpan::new(s.start.into(), s.end - s.start))
            .collect();
        let mut labelled = view(None, &labels);
        labelled.source = None;
        let source = miette::NamedSource::new("n.md", text.to_owned());
        let report = miette::Report::new(labelled).with_source_code(source);
        let mut out = String::new();
        handler(false)
            .render_report(&mut out, report.as_ref())
            .expect("renders");
        out
    }

    /// The snippet rows of a rendering: `(gutter, text)` of each numbered source line,
    /// with the underline row after it.
    fn row_and_underline(out: &str, line: usize) -> (String, String) {
        let rows: Vec<&str> = out.lines().collect();
        let prefix = format!("{line} │ ");
        let i = rows
            .iter()
            .position(|r| r.trim_start().starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line {line} in\n{out}"));
        let row = rows[i].trim_start()[prefix.len()..].to_owned();
        let underline = rows[i + 1]
            .split_once('·')
            .map(|(_, u)| u.strip_prefix(' ').unwrap_or(u).to_owned())
            .unwrap_or_else(|| panic!("no underline after line {line} in\n{out}"));
        (row, underline)
    }

    /// The text of `row` above the underline's first `─`/`┬` run (by characters).
    fn underlined(row: &str, underline: &str) -> String {
        let marks: Vec<char> = underline.chars().collect();
        let start = marks
            .iter()
            .position(|&c| c == '─' || c == '┬')
            .expect("an underline");
        let len = marks[start..]
            .iter()
            .take_while(|&&c| c == '─' || c == '┬')
            .count();
        row.chars().skip(start).take(len).collect()
    }

    fn header(out: &str) -> &str {
        let start = out.find("╭─[").expect("a header") + "╭─[".len();
        &out[start..start + out[start..].find(']').expect("header end")]
    }

    #[test]
    fn short_lines_render_as_miette_renders_the_whole_text() {
        let text = "---\ntitle: A\ntags: [x, y]\n---\nsee [[b]] and [[c|C]]\r\nlast é line";
        let cases: &[&[Span]] = &[
            &[4..12],
            &[17..23, 4..9],
            &[36..41],
            &[36..41, 48..55],
            &[0..text.len()],
            &[text.len()..text.len()],
            &[13..13],
            &[4..37],
            &[35..56],
        ];
        for spans in cases {
            assert_eq!(render(text, spans), render_whole(text, spans), "{spans:?}");
        }
        // Labels that start or end inside a `\r\n`, where miette reads one more line after
        // and puts the column at the line's end.
        let text = "a [[x]]\r\n\r\nb\r\n\r\n\r\nc\r\nd";
        for span in [4..8, 8..8, 8..9, 9..9, 7..12, 12..13, 11..13] {
            let spans = [span];
            assert_eq!(
                render(text, &spans),
                render_whole(text, &spans),
                "{spans:?}"
            );
        }
    }

    #[test]
    fn a_long_line_is_clipped_around_the_label() {
        let line = format!("{}[[target]]{}", "x ".repeat(10_000), "y ".repeat(10_000));
        let text = format!("# title\n\n{line}\nafter\n");
        let at = text.find("[[target]]").expect("link");
        let out = render(&text, &[at..at + 10]);
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        assert_eq!(header(&out), format!("n.md:3:{}", 20_001));
        let (row, underline) = row_and_underline(&out, 3);
        assert!(row.starts_with('…') && row.ends_with('…'), "{row}");
        assert_eq!(underlined(&row, &underline), "[[target]]");
        assert_eq!(row.chars().count(), 2 + 2 * CONTEXT + 10);
        // The lines around are shown, with their numbers.
        assert!(out.contains("2 │ \n") || out.contains("2 │\n"), "{out}");
        assert!(out.contains("4 │ after"), "{out}");
    }

    #[test]
    fn many_labels_on_one_line_each_get_their_own_window() {
        let text = format!(
            "{}[[a]]{}[[b]]{}",
            "x".repeat(5_000),
            "y".repeat(5_000),
            "z".repeat(5_000)
        );
        let a = text.find("[[a]]").expect("a");
        let b = text.find("[[b]]").expect("b");
        let (snippet, spans) = snippet(&text, &[b..b + 5, a..a + 5]);
        assert_eq!(&snippet.text[spans[0].offset()..][..5], "[[b]]");
        assert_eq!(&snippet.text[spans[1].offset()..][..5], "[[a]]");
        assert_eq!(snippet.text.matches('…').count(), 3, "{}", snippet.text);
        let out = render(&text, &[b..b + 5, a..a + 5]);
        assert_eq!(header(&out), format!("n.md:1:{}", b + 1));
        assert!(out.len() < 3_000, "{} bytes", out.len());
    }

    #[test]
    fn line_numbers_stay_the_files_far_down() {
        let mut text = "short\n".repeat(998);
        text.push_str(&"long ".repeat(2_000));
        text.push_str("[[x]]\nnext\n");
        let at = text.find("[[x]]").expect("link");
        let out = render(&text, &[at..at + 5]);
        assert_eq!(header(&out), "n.md:999:10001");
        let (row, underline) = row_and_underline(&out, 999);
        assert_eq!(underlined(&row, &underline), "[[x]]");
        assert!(out.contains(" 998 │ short"), "{out}");
        assert!(out.contains("1000 │ next"), "{out}");
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let text = format!("{}[[naïve🎉]]{}\n", "é".repeat(3_000), "日本".repeat(3_000));
        let at = text.find("[[").expect("link");
        let end = text.find("]]").expect("link end") + 2;
        let out = render(&text, &[at..end]);
        // The header's column counts characters, as every other format does.
        assert_eq!(header(&out), "n.md:1:3001");
        let (row, _) = row_and_underline(&out, 1);
        assert!(row.starts_with("…é") && row.ends_with("本…"), "{row}");
        assert!(row.contains("[[naïve🎉]]"), "{row}");
        // A span that starts or ends inside a character is moved onto a boundary.
        render(&text, &[at - 1..end + 1]);
        render(&text, &[1..1]);
    }

    #[test]
    fn control_and_bidi_characters_are_escaped_and_labels_follow() {
        let text = "a\u{1b}]0;x\u{7} [[b\u{202e}c]] \u{9b}d\re\tf\r\n";
        let at = text.find("[[").expect("link");
        let end = text.find("]]").expect("end") + 2;
        let out = render(text, &[at..end]);
        assert!(
            !out.contains(|c: char| super::super::is_unsafe_char(c) && c != '\n'),
            "{out:?}"
        );
        let (row, underline) = row_and_underline(&out, 1);
        // (miette shows a tab as spaces.)
        assert_eq!(row, "a\\u{1b}]0;x\\u{7} [[b\\u{202e}c]] \\u{9b}d\\re  f");
        assert_eq!(underlined(&row, &underline), "[[b\\u{202e}c]]");
        // The header's column is the file's, not the escaped text's.
        assert_eq!(header(&out), format!("n.md:1:{}", at + 1));
        // A label on a control character covers its whole escape.
        let (snippet, spans) = snippet(text, &[1..2, 2..2]);
        let span = spans[0];
        assert_eq!(
            &snippet.text[span.offset()..span.offset() + span.len()],
            "\\u{1b}"
        );
        assert_eq!(spans[1].offset(), 7);
        assert_eq!(spans[1].len(), 0);
    }

    #[test]
    fn a_long_label_shows_its_ends() {
        let value = "v".repeat(10_000);
        let text = format!("key: {value} tail\n");
        let out = render(&text, &[5..5 + value.len()]);
        assert!(out.len() < 3_000, "{} bytes", out.len());
        let (row, underline) = row_and_underline(&out, 1);
        let shown = underlined(&row, &underline);
        assert_eq!(
            shown,
            format!("{}…{}", "v".repeat(SPAN_MAX / 2), "v".repeat(SPAN_MAX / 2))
        );
        assert!(row.starts_with("key: v") && row.ends_with(" tail"), "{row}");
    }

    #[test]
    fn a_label_over_several_long_lines_shows_both_ends() {
        let long = "w".repeat(5_000);
        let text = format!("{long}\n{long}\n{long}\n");
        let (start, end) = (4_000, 2 * 5_001 + 1_000);
        let (snippet, spans) = snippet(&text, &[start..end]);
        let shown = &snippet.text[spans[0].offset()..spans[0].offset() + spans[0].len()];
        let rows: Vec<&str> = shown.split('\n').collect();
        assert_eq!(rows.len(), 3, "{shown}");
        assert_eq!(rows[0], format!("{}…", "w".repeat(SPAN_MAX / 2)));
        assert_eq!(rows[1], format!("{}…", "w".repeat(LINE_MAX)));
        assert_eq!(rows[2], format!("…{}", "w".repeat(SPAN_MAX / 2)));
        let out = render(&text, &[start..end]);
        assert!(out.len() < 5_000, "{} bytes", out.len());
        assert_eq!(header(&out), "n.md:1:4001");
    }

    const PIECES: &[&str] = &[
        "a", "bc ", "é", "日本", "🎉", "\n", "\r\n", "\r", "\t", "\u{1b}", "\u{202e}", "\u{85}",
        "[[x]]",
    ];

    const SHORT_PIECES: &[&str] = &["a", "bc ", "é", "日本", "🎉", "\n", "\r\n", "\t", "[[x]]"];

    /// Spans of `text` from (fraction of its length, length in bytes), on char boundaries.
    fn spans_at(text: &str, spans: &[(f64, usize)]) -> Vec<Span> {
        spans
            .iter()
            .map(|&(at, len)| {
                let start = floor_char_boundary(text, (at * text.len() as f64) as usize);
                start..floor_char_boundary(text, start + len)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn short_lines_render_as_before(
            parts in prop::collection::vec((prop::sample::select(SHORT_PIECES), 1..5usize), 0..40),
            spans in prop::collection::vec((0.0..=1.0f64, 0..150usize), 1..4),
        ) {
            let text: String = parts.iter().map(|(p, n)| p.repeat(*n)).collect();
            prop_assume!(text.split('\n').all(|line| line.chars().count() <= LINE_MAX));
            let spans = spans_at(&text, &spans);
            prop_assert_eq!(render(&text, &spans), render_whole(&text, &spans));
        }

        #[test]
        fn snippets_are_bounded_and_keep_short_labels(
            parts in prop::collection::vec((prop::sample::select(PIECES), 1..400usize), 0..30),
            spans in prop::collection::vec((0.0..=1.0f64, 0..60usize), 1..4),
        ) {
            let text: String = parts.iter().map(|(p, n)| p.repeat(*n)).collect();
            let spans = spans_at(&text, &spans);
            let (snippet, mapped) = snippet(&text, &spans);
            let lines = snippet.lines.len();
            let bound = lines * (LINE_MAX + 8) * 8 + spans.len() * (2 * CONTEXT + SPAN_MAX + 8) * 8;
            prop_assert!(snippet.text.len() <= bound, "{} > {bound}", snippet.text.len());
            for (span, mapped) in spans.iter().zip(&mapped) {
                let shown = &snippet.text[mapped.offset()..mapped.offset() + mapped.len()];
                let original = &text[span.clone()];
                if original.chars().count() <= 60 && !original.contains('\n') {
                    let mut escaped = String::new();
                    let mut chars = original.chars().peekable();
                    while let Some(c) = chars.next() {
                        // A `\r` ending the line is the line break, shown as is.
                        if c == '\r' && chars.peek().is_none() && text[span.end..].starts_with('\n') {
                            escaped.push(c);
                        } else {
                            push_escaped(&mut escaped, c);
                        }
                    }
                    prop_assert_eq!(shown, escaped);
                }
            }
            let out = render(&text, &spans);
            prop_assert!(out.len() <= 4 * bound + 2_000);
            prop_assert!(!out.contains(|c: char| is_unsafe_char(c) && c != '\n'));
        }
    }
}
