//! Fatal errors that stop a run with exit code 2: bad configuration, bad schemas, bad usage.
//!
//! Findings in notes are never errors; they are `Diagnostic`s. A `FileError` points into
//! the configuration or schema file at fault so the user sees exactly what to change.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Span;

/// A problem with a file notelint needs in order to run at all (config, schema).
#[derive(Debug)]
pub struct FileError {
    pub path: PathBuf,
    /// The file's text, when it could be read, for a source snippet.
    pub source: Option<String>,
    pub span: Option<Span>,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl FileError {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            source: None,
            span: None,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    pub fn at(mut self, source: &str, span: Option<Span>) -> Self {
        self.source = Some(source.to_owned());
        self.span = span;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for FileError {}
