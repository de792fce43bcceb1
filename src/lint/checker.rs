//! One note checked by the per-note rules: the `Checker` that `check` runs on every note,
//! that `fix` re-runs after each round of edits, and that a language server runs on an
//! open document. Link rules, which need the vault, are the pipeline's (`lint`).

use std::path::Path;

use super::report::settle;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding};
use crate::error::FileError;
use crate::note::{Note, ParseOptions};
use crate::rules;
use crate::rules::selection::Severities;
use crate::schema::Schemas;
use crate::suppress::Suppressions;

/// The per-note rules (everything but links): what `check` runs in phase 1 and what
/// `fix` re-runs on a note's text after each round of edits.
pub struct Checker<'a> {
    config: &'a Config,
    schemas: &'a Schemas,
    cx: rules::Context<'a>,
    pub(super) severities: Severities,
    /// Notes (vault-relative) with error findings from link rules, which need the whole
    /// vault: `fix` learns them from a check first, for `review.on_errors`.
    link_errors: rustc_hash::FxHashSet<String>,
    options: ParseOptions,
}

impl<'a> Checker<'a> {
    pub fn new(config: &'a Config, schemas: &'a Schemas, today: jiff::civil::Date) -> Checker<'a> {
        Checker {
            config,
            schemas,
            cx: rules::Context::new(config, today),
            severities: Severities::new(config),
            link_errors: rustc_hash::FxHashSet::default(),
            options: parse_options(config),
        }
    }

    /// Tells the checker which notes have error findings from link rules.
    pub fn with_link_errors(mut self, notes: rustc_hash::FxHashSet<String>) -> Self {
        self.link_errors = notes;
        self
    }

    /// The note's findings from per-note rules. `Err`: its `$schema` cannot be used.
    pub fn check(&self, note: &Note, abs_path: &Path) -> Result<Vec<Diagnostic>, FileError> {
        // Only `review.on_errors` needs to know what is suppressed before `finish`.
        let suppressions = if self.config.settings.review.on_errors {
            Suppressions::of(note)
        } else {
            Suppressions::default()
        };
        let link_errors = self.link_errors.contains(&note.path);
        self.check_with(note, abs_path, link_errors, &suppressions)
    }

    /// Like `check`, for a note whose link findings (`link_errors`: whether one is an
    /// unsuppressed error) and suppressions are known.
    pub(super) fn check_with(
        &self,
        note: &Note,
        abs_path: &Path,
        link_errors: bool,
        suppressions: &Suppressions,
    ) -> Result<Vec<Diagnostic>, FileError> {
        let cx = &self.cx;
        let mut diagnostics = rules::frontmatter::check(note, self.config);
        diagnostics.extend(rules::deprecated::check(note, cx));
        diagnostics.extend(rules::tags::check(note, cx));
        diagnostics.extend(rules::dates::check(note, cx));
        diagnostics.extend(rules::suppression::check(note));
        let schema =
            rules::schema::check(note, abs_path, self.schemas).map_err(|(span, message)| {
                FileError::new(abs_path, message).at(&note.text, Some(span))
            })?;
        diagnostics.extend(schema);
        diagnostics.extend(rules::properties::check(note, cx, self.schemas, abs_path));
        let has_errors = self.config.settings.review.on_errors
            && (link_errors || self.any_error(&note.path, &diagnostics, suppressions));
        diagnostics.extend(rules::review::check(note, cx, has_errors));
        self.vet_fixes(note, &mut diagnostics);
        Ok(diagnostics)
    }

    /// Keeps only the fixes that verify by value on their own (SPEC 6), so that a
    /// finding is `fixable` exactly when `fix` will fix it; the others say why not.
    fn vet_fixes(&self, note: &Note, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics {
            let Some(fix) = &diagnostic.fix else {
                continue;
            };
            if let Err(why) = crate::fix::verify::apply_verified(note, &[fix], &self.options) {
                diagnostic.refuse_fix(why);
            }
        }
    }

    /// Whether `diagnostics` hold an error that will be reported (for `review.on_errors`,
    /// which counts what the user sees: suppressed findings do not count).
    pub(super) fn any_error(
        &self,
        path: &str,
        diagnostics: &[Diagnostic],
        suppressions: &Suppressions,
    ) -> bool {
        diagnostics.iter().any(|d| {
            self.severities.resolve(d.rule, path) == Some(crate::diagnostic::Severity::Error)
                && !suppressions.suppresses(d)
        })
    }

    /// The review finding a note gets once link checks that needed other notes found
    /// errors in it (`review.on_errors`), unless it already has one.
    pub(super) fn late_review(&self, note: &Note, reported: &[Finding]) -> Vec<Diagnostic> {
        let missing = &rules::review::MISSING_TAG;
        if reported.iter().any(|d| std::ptr::eq(d.rule, missing)) {
            return Vec::new();
        }
        let mut late: Vec<Diagnostic> = rules::review::check(note, &self.cx, true)
            .into_iter()
            .filter(|d| std::ptr::eq(d.rule, missing))
            .collect();
        self.vet_fixes(note, &mut late);
        late
    }

    /// Severities, suppressions and sorting, as `check` reports them.
    pub fn finish(&self, note: &Note, diagnostics: Vec<Diagnostic>) -> Vec<Finding> {
        let suppressions = Suppressions::of(note);
        settle(
            &self.severities,
            &note.path,
            diagnostics,
            Some(&suppressions),
        )
    }

    pub fn config(&self) -> &Config {
        self.config
    }

    /// The "today" of `dates/future`.
    pub(super) fn today(&self) -> jiff::civil::Date {
        self.cx.today
    }

    pub(super) fn context(&self) -> &rules::Context<'a> {
        &self.cx
    }

    pub(super) fn schemas(&self) -> &Schemas {
        self.schemas
    }
}

/// How notes are parsed under `config`.
pub fn parse_options(config: &Config) -> ParseOptions {
    config.parse_options()
}
