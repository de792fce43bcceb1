//! The lint pipeline: walk, then parse and check every note in parallel (phase 1), then
//! vault-wide checks against the index (phase 2). Findings come back sorted and filtered
//! by the configured severities.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::error::FileError;
use crate::note::{Note, ParseOptions, body};
use crate::rules;
use crate::schema::Schemas;
use crate::walk::{self, Exclusions, VaultFile};

/// What the user asked to lint.
#[derive(Debug, Default)]
pub struct Request {
    /// Files or folders; empty means the whole vault.
    pub paths: Vec<PathBuf>,
    pub no_ignore: bool,
    pub threads: usize,
}

/// The findings in one file (a note, or the config file for config findings).
#[derive(Debug)]
pub struct FileReport {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// The file's text, kept only when there are findings to show in it.
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Only files with findings, sorted by path; findings sorted by position.
    pub reports: Vec<FileReport>,
    pub notes_checked: usize,
}

/// Runs every check on the requested notes.
pub fn lint(
    config: &Config,
    schemas: &Schemas,
    request: &Request,
) -> Result<Outcome, Vec<FileError>> {
    let exclusions = Exclusions::new(config);
    let walk = walk::walk(config, &exclusions, request.no_ignore, request.threads);
    let selected = walk.select(config, &exclusions, &request.paths);
    let options = parse_options(config);
    let fatal = Mutex::new(Vec::new());

    let mut reports: Vec<FileReport> = selected
        .par_iter()
        .filter_map(|file| {
            let report = lint_file(file, config, schemas, &options);
            match report {
                Ok(report) => report,
                Err(error) => {
                    if let Ok(mut fatal) = fatal.lock() {
                        fatal.push(error);
                    }
                    None
                }
            }
        })
        .collect();

    let mut fatal = fatal.into_inner().unwrap_or_default();
    fatal.extend(schemas.take_failures());
    if !fatal.is_empty() {
        fatal.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(fatal);
    }

    if request.paths.is_empty() {
        reports.extend(unused_associations(config, schemas));
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Outcome {
        reports,
        notes_checked: selected.len(),
    })
}

pub fn parse_options(config: &Config) -> ParseOptions {
    let settings = &config.settings;
    ParseOptions {
        max_bytes: settings.frontmatter.max_bytes,
        limits: crate::yaml::Limits {
            max_depth: settings.frontmatter.max_depth,
            max_alias_nodes: settings.frontmatter.max_alias_nodes,
        },
        scan: body::ScanOptions {
            wikilinks: settings.links.wikilinks,
            in_comments: settings.links.in_comments,
            inline_tags: settings.tags.inline,
        },
    }
}

/// Phase 1 for one file: read, parse, per-note rules.
fn lint_file(
    file: &VaultFile,
    config: &Config,
    schemas: &Schemas,
    options: &ParseOptions,
) -> Result<Option<FileReport>, FileError> {
    let (text, mut diagnostics) = match read_note(&file.abs) {
        Ok(text) => (text, Vec::new()),
        Err((source, diagnostic)) => (source, vec![diagnostic]),
    };
    if diagnostics.is_empty() {
        let note = Note::parse(file.rel.clone(), text, options);
        diagnostics.extend(rules::frontmatter::check(&note, config));
        let schema_findings =
            rules::schema::check(&note, &file.abs, schemas).map_err(|(span, message)| {
                FileError::new(&file.abs, message).at(&note.text, Some(span))
            })?;
        diagnostics.extend(schema_findings);
        return Ok(finish(config, file.rel.clone(), note.text, diagnostics));
    }
    Ok(finish(config, file.rel.clone(), text, diagnostics))
}

/// Applies configured severities, drops what is off, sorts; keeps the text only if needed.
fn finish(
    config: &Config,
    path: String,
    source: String,
    diagnostics: Vec<Diagnostic>,
) -> Option<FileReport> {
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut diagnostic| {
            diagnostic.severity = config.severities.resolve(diagnostic.rule, &path)?;
            Some(diagnostic)
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    kept.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
    Some(FileReport {
        path,
        source,
        diagnostics: kept,
    })
}

/// Reads a note as UTF-8. On failure returns text to show and an `io/unreadable` finding.
fn read_note(path: &Path) -> Result<String, (String, Diagnostic)> {
    let bytes = std::fs::read(path).map_err(|err| {
        let diagnostic = Diagnostic::new(
            &rules::io::UNREADABLE,
            0..0,
            format!("cannot read the note: {}", io_reason(&err)),
        );
        (String::new(), diagnostic)
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        // The lossy text keeps every byte before the first invalid one at the same offset.
        let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
        let span: Span = valid..valid + char::REPLACEMENT_CHARACTER.len_utf8();
        let diagnostic = Diagnostic::new(
            &rules::io::UNREADABLE,
            span.start..span.end.min(text.len()),
            format!("note is not valid UTF-8 (invalid byte at offset {valid})"),
        )
        .with_help("re-save the note as UTF-8; notelint leaves it untouched");
        (text, diagnostic)
    })
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "it vanished during the run".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

/// `config/unused-association`, reported in the config file.
fn unused_associations(config: &Config, schemas: &Schemas) -> Option<FileReport> {
    let (Some(file), Some(source)) = (&config.file, &config.source) else {
        return None;
    };
    let diagnostics = schemas
        .unused()
        .into_iter()
        .map(|(span, message)| Diagnostic::new(&rules::config::UNUSED_ASSOCIATION, span, message))
        .collect();
    let path = walk::display_path(&config.vault_root, file);
    finish(config, path, source.clone(), diagnostics)
}
