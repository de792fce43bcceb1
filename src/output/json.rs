//! `json`: one stable, versioned document (SPEC 7). The field names are a public contract.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{Totals, locate};
use crate::lint::report::Outcome;

/// The whole document. `version` changes only with an incompatible change of shape.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonOutput {
    pub version: u32,
    pub summary: JsonSummary,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonSummary {
    pub notes: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonDiagnostic {
    pub path: String,
    pub code: String,
    pub severity: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub help: Option<String>,
    pub fixable: bool,
}

pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let totals = Totals::of(outcome);
    let diagnostics = outcome
        .reports
        .iter()
        .flat_map(|report| {
            locate(report).into_iter().map(move |located| {
                let d = located.diagnostic;
                JsonDiagnostic {
                    path: report.path.clone(),
                    code: d.code().to_owned(),
                    severity: d.severity.as_str().to_owned(),
                    message: d.message.clone(),
                    line: located.start.line,
                    column: located.start.column,
                    end_line: located.end.line,
                    end_column: located.end.column,
                    byte_start: d.span.start,
                    byte_end: d.span.end,
                    help: d.help.clone(),
                    fixable: d.is_fixable(),
                }
            })
        })
        .collect();
    let document = JsonOutput {
        version: 1,
        summary: JsonSummary {
            notes: totals.notes,
            errors: totals.errors,
            warnings: totals.warnings,
            infos: totals.infos,
            fixable: totals.fixable,
        },
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
