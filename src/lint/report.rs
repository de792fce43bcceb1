//! What a run reports: the findings per file (`FileReport`) and the run's `Outcome`, and
//! how raw findings become reported ones (suppressions, configured severities, order).
//! Output formats and the baseline read these types and nothing else of the pipeline.

use crate::diagnostic::{Diagnostic, Finding};
use crate::paths;
use crate::rules::selection::Severities;
use crate::suppress::Suppressions;

/// The findings in one file (a note, or the config file for config findings).
#[derive(Debug)]
pub struct FileReport {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// The file's text, kept only when there are findings to show in it.
    pub source: String,
    pub diagnostics: Vec<Finding>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Only files with findings, sorted by path; findings sorted by position.
    pub reports: Vec<FileReport>,
    pub notes_checked: usize,
    /// The notes checked (vault-relative, sorted), for formats that list clean notes too.
    pub checked: Vec<String>,
    /// The vault root as the user sees it from the current directory ("" when it is the
    /// current directory), for formats that show paths a terminal or editor opens.
    pub root: String,
    /// The folders linted (the vault root, or folder PATHS as given) that hold no note.
    pub empty_folders: Vec<String>,
}

impl Outcome {
    /// A report's path relative to the current directory (vault-relative when the vault
    /// is the current directory).
    pub fn shown_path(&self, report: &FileReport) -> String {
        paths::shown(&self.root, &report.path)
    }
}

/// Applies suppressions and configured severities, drops what is off, sorts and drops
/// schema echoes: the findings of the note at `path` as they are reported.
pub fn settle(
    severities: &Severities,
    path: &str,
    diagnostics: Vec<Diagnostic>,
    suppressions: Option<&Suppressions>,
) -> Vec<Finding> {
    let mut kept: Vec<Finding> = diagnostics
        .into_iter()
        .filter(|d| !suppressions.is_some_and(|s| s.suppresses(d)))
        .filter_map(|diagnostic| {
            let severity = severities.resolve(diagnostic.rule, path)?;
            Some(Finding {
                severity,
                diagnostic,
            })
        })
        .collect();
    sort(&mut kept);
    drop_schema_echoes(&mut kept);
    kept
}

/// [`settle`]s the findings of one file into its report, keeping the text only when there
/// is something to show in it.
pub fn finish(
    severities: &Severities,
    path: String,
    source: String,
    diagnostics: Vec<Diagnostic>,
    suppressions: Option<&Suppressions>,
) -> Option<FileReport> {
    let diagnostics = settle(severities, &path, diagnostics, suppressions);
    (!diagnostics.is_empty()).then_some(FileReport {
        path,
        source,
        diagnostics,
    })
}

/// A schema failure at exactly the span of a notelint finding says the same thing less
/// precisely (`schema/format` under `dates/invalid`, `schema/type` under `tags/empty`): keep
/// the specific one. Diagnostics must be sorted.
fn drop_schema_echoes(diagnostics: &mut Vec<Finding>) {
    let is_schema = |d: &Finding| d.rule.group() == "schema";
    let echoes: Vec<bool> = diagnostics
        .iter()
        .map(|d| {
            is_schema(d)
                && diagnostics.iter().any(|other| {
                    !is_schema(other) && other.span == d.span && other.severity >= d.severity
                })
        })
        .collect();
    let mut flags = echoes.into_iter();
    diagnostics.retain(|_| !flags.next().unwrap_or(false));
}

pub fn sort(diagnostics: &mut [Finding]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
}
