//! Diagnostics of an open note, pushed (`publishDiagnostics`) or pulled
//! (`textDocument/diagnostic`), and configuration errors shown on the file at fault.

use lsp_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport, Url,
};

use super::Context;
use crate::error::FileError;
use crate::server::convert::{self, Encoding, Lines};

/// The document's findings as the protocol shows them: `check --stdin-filename`'s.
pub fn compute(cx: &Context) -> Vec<lsp_types::Diagnostic> {
    let Some((analysis, doc, path, lines)) = cx.parts() else {
        return Vec::new();
    };
    match analysis.diagnostics(path, &doc.text) {
        Ok(found) => found
            .iter()
            .map(|d| convert::diagnostic(d, &lines, &doc.uri))
            .collect(),
        // A `$schema` that cannot be used: `check` stops with this error; the editor shows
        // it where the note names the schema.
        Err(error) => vec![error_diagnostic(&error, &lines)],
    }
}

pub fn pull(
    cx: &Context,
    _params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult, String> {
    let items = compute(cx);
    Ok(DocumentDiagnosticReportResult::Report(
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        }),
    ))
}

fn error_diagnostic(error: &FileError, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    let span = error.span.clone().unwrap_or(0..0);
    let mut message = error.message.clone();
    if let Some(help) = &error.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: lines.range(&span),
        severity: Some(lsp_types::DiagnosticSeverity::ERROR),
        source: Some("notelint".to_owned()),
        message,
        ..Default::default()
    }
}

/// A configuration or schema error as a diagnostic on its file.
pub fn of_file_error(
    error: &FileError,
    encoding: Encoding,
) -> Option<(Url, lsp_types::Diagnostic)> {
    let path = std::path::absolute(&error.path).ok()?;
    let uri = convert::uri_of(&path)?;
    let text = error.source.as_deref().unwrap_or_default();
    let lines = Lines::new(text, encoding);
    Some((uri, error_diagnostic(error, &lines)))
}
