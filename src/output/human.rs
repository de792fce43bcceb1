//! `human`: miette's graphical reports (file, line:column, snippet, labels, help), then a
//! summary line. Also renders fatal `FileError`s the same way.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Style, Totals, summary_line, write_statistics};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::error::FileError;
use crate::lint::Outcome;

pub fn write(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style.color);
    for report in &outcome.reports {
        let shown = outcome.shown_path(report);
        let source = NamedText {
            name: &shown,
            text: &report.source,
        };
        for diagnostic in &report.diagnostics {
            let view = View::of_diagnostic(diagnostic, &source);
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
    let name = crate::walk::display_path(Path::new("."), &error.path);
    let text = error.source.as_deref().unwrap_or("");
    let source = NamedText { name: &name, text };
    let labels = match &error.span {
        Some(span) if error.source.is_some() => vec![LabeledSpan::new_primary_with_span(
            error.label.clone(),
            source_span(span, text),
        )],
        _ => Vec::new(),
    };
    let message = if labels.is_empty() {
        format!("{name}: {}", error.message)
    } else {
        error.message.clone()
    };
    let view = View {
        code: None,
        severity: miette::Severity::Error,
        message,
        help: error.help.clone(),
        labels,
        source: error.source.as_ref().map(|_| &source),
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
    view: &View<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, view).is_err() {
        rendered = format!("{}\n", view.message);
    }
    out.write_all(rendered.as_bytes())
}

/// A miette span, clamped to the text so a stale span can never make rendering fail.
fn source_span(span: &Span, text: &str) -> SourceSpan {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    SourceSpan::new(start.into(), end - start)
}

/// One report as miette sees it, borrowing the diagnostic and the file's text.
struct View<'a> {
    code: Option<&'static str>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<&'a NamedText<'a>>,
}

impl<'a> View<'a> {
    fn of_diagnostic(d: &Diagnostic, source: &'a NamedText<'a>) -> View<'a> {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            d.span_label.clone(),
            source_span(&d.span, source.text),
        )];
        labels.extend(d.labels.iter().map(|l| {
            LabeledSpan::new_with_span(Some(l.message.clone()), source_span(&l.span, source.text))
        }));
        View {
            code: Some(d.code()),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            message: d.message.clone(),
            help: d.help.clone(),
            labels,
            source: Some(source),
        }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
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
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A file's text with its display name, so miette prints `path:line:col` in the header.
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
