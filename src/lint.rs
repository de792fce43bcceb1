//! The lint pipeline: walk, then parse and check every note in parallel (phase 1), then
//! vault-wide checks against the index (phase 2). Findings come back sorted and filtered
//! by the configured severities.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::cache::{self, Cache};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::error::FileError;
use crate::note::read::ReadError;
use crate::note::{self, Note, ParseOptions, body};
use crate::progress::Progress;
use crate::rules;
use crate::rules::links::{Links, Pending, PendingKind};
use crate::schema::Schemas;
use crate::suppress::Suppressions;
use crate::vault::{FileId, NoteFacts, Origin, VaultIndex};
use crate::walk::{self, Exclusions, VaultFile, Walk};

/// What the user asked to lint.
#[derive(Debug)]
pub struct Request {
    /// Files or folders; empty means the whole vault.
    pub paths: Vec<PathBuf>,
    pub no_ignore: bool,
    pub threads: usize,
    /// "Today" for `dates/future`.
    pub today: jiff::civil::Date,
    /// Editor mode: the bytes of the one note in `paths`, read from standard input (not
    /// necessarily UTF-8: that is judged like a file's bytes).
    pub stdin: Option<Vec<u8>>,
    /// Show a progress bar on stderr when the run is slow.
    pub progress: bool,
    /// Use the persistent cache (SPEC 9; off with `--no-cache`).
    pub cache: bool,
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
        self.shown(&report.path)
    }

    /// A vault-relative path relative to the current directory.
    pub fn shown(&self, path: &str) -> String {
        // A `--config` file outside the vault is reported at its absolute path.
        if self.root.is_empty() || Path::new(path).is_absolute() {
            path.to_owned()
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), path)
        }
    }
}

/// Runs every check on the requested notes.
pub fn lint(
    config: &Config,
    schemas: &Schemas,
    request: &Request,
) -> Result<Outcome, Vec<FileError>> {
    // Editor mode needs only the files its note can link to: walk for those names, and
    // walk everything only when a link is broken (did-you-mean needs every name). The
    // listing an earlier run kept stands for the walk while it holds.
    if let Some(names) = editor_targets(config, request) {
        let listing = if request.cache {
            cache::Listing::load(config, schemas, request.no_ignore)
        } else {
            None
        };
        let outcome = lint_with(config, schemas, request, Some(&names), listing.as_ref())?;
        if listing.is_some() {
            // Its did-you-mean index covers the whole vault: nothing more to walk.
            return Ok(outcome);
        }
        let broken = outcome
            .reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| std::ptr::eq(d.rule, &rules::links::BROKEN));
        if !broken {
            return Ok(outcome);
        }
        return lint_with(config, schemas, request, None, None);
    }
    lint_with(config, schemas, request, None, None)
}

/// The names the editor-mode note links to; `None` when the whole vault is needed.
fn editor_targets(config: &Config, request: &Request) -> Option<walk::NameFilter> {
    let (Some(text), Some(path)) = (&request.stdin, request.paths.first()) else {
        return None;
    };
    if config.settings.links.aliases {
        // An alias may be in any note's frontmatter.
        return None;
    }
    let Ok(text) = std::str::from_utf8(text) else {
        // Not a note's text: `io/unreadable`, and no link to resolve.
        return Some(walk::NameFilter::default());
    };
    let rel = walk::display_path(&config.vault_root, path);
    let note = Note::parse(rel, text.to_owned(), &parse_options(config));
    Some(rules::links::target_file_names(&note, config))
}

fn lint_with(
    config: &Config,
    schemas: &Schemas,
    request: &Request,
    only: Option<&walk::NameFilter>,
    listing: Option<&cache::Listing>,
) -> Result<Outcome, Vec<FileError>> {
    let exclusions = Exclusions::new(config);
    let walk = match listing {
        Some(listing) => listing.walk(only),
        None => walk::walk(
            config,
            &exclusions,
            request.no_ignore,
            request.threads,
            only,
        ),
    };
    let selected = match (&request.stdin, request.paths.first()) {
        // Editor mode lints the given text as the note at that path, even if unsaved.
        (Some(_), Some(path)) => vec![VaultFile {
            abs: path.clone(),
            rel: walk::display_path(&config.vault_root, path),
            is_note: true,
            excluded: false,
        }],
        _ => walk.select(config, &exclusions, &request.paths),
    };
    let empty_folders = match request.stdin {
        Some(_) => Vec::new(),
        None => walk.folders_without_notes(config, &request.paths),
    };
    let index = VaultIndex::new(&walk);
    if let Some(listing) = listing {
        index.use_suggestions(listing.suggestions());
    }
    // The cache serves whole-vault and listed-file runs; an editor's unsaved text is not
    // a file's.
    let cache = if request.cache && request.stdin.is_none() {
        Cache::open(config, schemas, &walk)
    } else {
        None
    };
    if cache.is_some()
        && let Some(suggestions) =
            cache::Listing::suggestions_for(config, schemas, request.no_ignore, &walk)
    {
        index.use_suggestions(suggestions);
    }
    let run = Run {
        config,
        cache: cache.as_ref(),
        stdin: request.stdin.as_ref(),
        walk: &walk,
        index: &index,
        options: parse_options(config),
        checker: Checker::new(config, schemas, request.today),
        fatal: Mutex::new(Vec::new()),
    };

    // Phase 1: every selected note on its own, in parallel.
    let progress = Progress::new(request.progress, selected.len());
    let outcomes: Vec<NoteOutcome> = selected
        .par_iter()
        .map(|file| {
            let outcome = run.lint_note(file);
            progress.tick();
            outcome
        })
        .collect();
    progress.finish();

    let mut fatal = std::mem::take(&mut *run.fatal.lock().unwrap_or_else(|e| e.into_inner()));
    fatal.extend(schemas.take_failures());
    if !fatal.is_empty() {
        fatal.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(fatal);
    }

    // Phase 2: checks that need other notes' facts.
    let mut reports = run.answer_pending(outcomes);
    if request.paths.is_empty() && request.stdin.is_none() {
        reports.extend(unused_associations(config, schemas));
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(cache) = cache {
        if listing.is_none() {
            let started = cache.started_ns();
            let suggestions = || index.suggestions(&walk).to_bytes();
            cache::Listing::save(
                config,
                schemas,
                request.no_ignore,
                &walk,
                started,
                suggestions,
            );
        }
        cache.save(|rel| walk.id_of(rel).is_some_and(|id| walk.files[id].is_note));
    }
    let mut checked: Vec<String> = selected.into_iter().map(|file| file.rel).collect();
    checked.sort_unstable();
    Ok(Outcome {
        reports,
        notes_checked: checked.len(),
        checked,
        root: root_shown(&config.vault_root),
        empty_folders,
    })
}

/// The per-note rules (everything but links): what `check` runs in phase 1 and what
/// `fix` re-runs on a note's text after each round of edits.
pub struct Checker<'a> {
    config: &'a Config,
    schemas: &'a Schemas,
    cx: rules::Context<'a>,
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
    fn check_with(
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
    fn any_error(
        &self,
        path: &str,
        diagnostics: &[Diagnostic],
        suppressions: &Suppressions,
    ) -> bool {
        diagnostics.iter().any(|d| {
            self.config.severities.resolve(d.rule, path) == Some(crate::diagnostic::Severity::Error)
                && !suppressions.suppresses(d)
        })
    }

    /// The review finding a note gets once link checks that needed other notes found
    /// errors in it (`review.on_errors`), unless it already has one.
    fn late_review(&self, note: &Note, reported: &[Diagnostic]) -> Vec<Diagnostic> {
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
    pub fn finish(&self, note: &Note, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let suppressions = Suppressions::of(note);
        finish(
            self.config,
            note.path.clone(),
            String::new(),
            diagnostics,
            Some(&suppressions),
        )
        .map(|report| report.diagnostics)
        .unwrap_or_default()
    }

    pub fn config(&self) -> &Config {
        self.config
    }
}

/// What the cache records of a file as it was read: its stamp and content hash.
type Stamped = (cache::Stamp, u64);

/// Everything a run shares between notes.
struct Run<'a> {
    config: &'a Config,
    cache: Option<&'a Cache>,
    stdin: Option<&'a Vec<u8>>,
    walk: &'a Walk,
    index: &'a VaultIndex,
    options: ParseOptions,
    checker: Checker<'a>,
    fatal: Mutex<Vec<FileError>>,
}

/// Phase 1's result for one note: findings so far, and what phase 2 must answer.
struct NoteOutcome<'f> {
    file: &'f VaultFile,
    report: Option<FileReport>,
    /// Checks on other notes answered in phase 1 already (their facts were known), for
    /// phase 2 to merge with the rest.
    early: Vec<Diagnostic>,
    pending: Vec<Pending>,
    origin: Origin,
    suppressions: Suppressions,
}

impl Run<'_> {
    fn links(&self) -> Links<'_> {
        Links {
            config: self.config,
            index: self.index,
            walk: self.walk,
        }
    }

    /// The note's text: standard input in editor mode, else the file.
    fn read(&self, file: &VaultFile) -> Result<String, (String, Diagnostic)> {
        self.read_stamped(file).map(|(text, _)| text)
    }

    /// Like `read`, with what the cache records of a file read: its stamp and hash.
    fn read_stamped(
        &self,
        file: &VaultFile,
    ) -> Result<(String, Option<Stamped>), (String, Diagnostic)> {
        match &self.stdin {
            Some(bytes) => decode_note(bytes.to_vec()).map(|text| (text, None)),
            None => read_note(&file.abs, self.config.settings.vault.max_note_bytes),
        }
    }

    /// Phase 1 for one note: read, parse, per-note rules, link resolution by name; or,
    /// for a note the cache holds unchanged, link resolution from its cached links.
    fn lint_note<'f>(&self, file: &'f VaultFile) -> NoteOutcome<'f> {
        let origin = self.index.origin(self.walk, &file.rel);
        let max_bytes = self.config.settings.vault.max_note_bytes;
        let today = self.checker.cx.today;
        if let Some(hit) = self
            .cache
            .and_then(|cache| cache.lookup(&file.rel, &file.abs, today, max_bytes))
            && let Some(outcome) = self.reuse(file, origin.clone(), hit)
        {
            return outcome;
        }
        let mut outcome = NoteOutcome {
            file,
            report: None,
            early: Vec::new(),
            pending: Vec::new(),
            origin,
            suppressions: Suppressions::default(),
        };
        let (text, stamped) = match self.read_stamped(file) {
            Ok(read) => read,
            Err((source, diagnostic)) => {
                outcome.report = finish(
                    self.config,
                    file.rel.clone(),
                    source,
                    vec![diagnostic],
                    None,
                );
                return outcome;
            }
        };
        let note = Note::parse(file.rel.clone(), text, &self.options);
        let facts = Arc::new(NoteFacts::of(
            &note,
            &self.config.settings.schema.type_field,
        ));
        if let Some(id) = self.walk.id_of(&file.rel) {
            self.index.set_facts(id, facts.clone());
        }
        let links = self.links().links_of(&note);
        let (link_found, pending) = self.links().check_links(&outcome.origin, &facts, &links);
        outcome.suppressions = Suppressions::of(&note);
        let link_errors = self.config.settings.review.on_errors
            && self
                .checker
                .any_error(&file.rel, &link_found, &outcome.suppressions);
        let mut diagnostics =
            match self
                .checker
                .check_with(&note, &file.abs, link_errors, &outcome.suppressions)
            {
                Ok(found) => {
                    let learnt = cache::Learnt {
                        facts: &facts,
                        links: &links,
                        link_findings: &link_found,
                        pending: &pending,
                        diagnostics: &found,
                        suppressions: &outcome.suppressions,
                        link_errors,
                        associated: rules::schema::associates(&note),
                    };
                    self.remember(file, stamped, &note, &learnt);
                    found
                }
                Err(error) => {
                    if let Ok(mut fatal) = self.fatal.lock() {
                        fatal.push(error);
                    }
                    Vec::new()
                }
            };
        diagnostics.extend(link_found);
        outcome.pending = pending;
        outcome.early = self.answer_known(&outcome.origin, &mut outcome.pending);
        outcome.report = finish(
            self.config,
            file.rel.clone(),
            note.text,
            diagnostics,
            Some(&outcome.suppressions),
        );
        outcome
    }

    /// Records a note's results in the cache. A note with its own `$schema` is not kept:
    /// its findings depend on a schema file outside the cache's key.
    fn remember(
        &self,
        file: &VaultFile,
        stamped: Option<Stamped>,
        note: &Note,
        learnt: &cache::Learnt<'_>,
    ) {
        let (Some(cache), Some((stamp, hash))) = (self.cache, stamped) else {
            return;
        };
        if note.parsed().is_some_and(|fm| fm.get("$schema").is_some()) {
            return;
        }
        let today = rules::dates::same_findings_between(note, &self.checker.cx);
        cache.store(&file.rel, stamp, hash, today, learnt);
    }

    /// Phase 1 for a note the cache holds: its findings are the cached ones plus link
    /// findings recomputed from its cached links. `None` when the cached findings no
    /// longer hold (`review.on_errors` and link errors came or went) or the text to show
    /// them in changed: then the note is checked afresh.
    fn reuse<'f>(
        &self,
        file: &'f VaultFile,
        origin: Origin,
        hit: cache::Hit,
    ) -> Option<NoteOutcome<'f>> {
        let cache::Record {
            facts,
            links,
            resolved,
            diagnostics,
            suppressions,
            link_errors,
            associated,
        } = hit.record;
        let (found, mut pending) =
            resolved.unwrap_or_else(|| self.links().check_links(&origin, &facts, &links));
        let link_errors_now = self.config.settings.review.on_errors
            && self.checker.any_error(&file.rel, &found, &suppressions);
        if link_errors_now != link_errors {
            return None;
        }
        let mut all = diagnostics;
        all.extend(found);
        let report = match finish(
            self.config,
            file.rel.clone(),
            String::new(),
            all,
            Some(&suppressions),
        ) {
            Some(mut report) => {
                report.source = match hit.text {
                    Some(text) => text,
                    None => {
                        let limit = self.config.settings.vault.max_note_bytes;
                        let text = note::read::read_text(&file.abs, limit)?;
                        (cache::hash(text.as_bytes()) == hit.hash).then_some(text)?
                    }
                };
                Some(report)
            }
            None => None,
        };
        if associated {
            self.checker
                .schemas
                .mark_used(&file.rel, facts.note_type.as_deref());
        }
        if let Some(id) = self.walk.id_of(&file.rel) {
            self.index.set_facts(id, Arc::new(facts));
        }
        let early = self.answer_known(&origin, &mut pending);
        Some(NoteOutcome {
            file,
            report,
            early,
            pending,
            origin,
            suppressions,
        })
    }

    /// Answers the checks on other notes whose facts phase 1 has gathered already (on
    /// average half of them), so that only the rest wait for phase 2: each answer depends
    /// on the target's facts alone, and memory holds fewer checks. An alias check waits
    /// for every note's aliases.
    fn answer_known(&self, origin: &Origin, pending: &mut Vec<Pending>) -> Vec<Diagnostic> {
        let links = self.links();
        let mut early = Vec::new();
        pending.retain(|p| {
            if matches!(p.what, PendingKind::Alias { .. }) {
                return true;
            }
            let facts = if self.index.is_note(p.target) {
                match self.index.facts(p.target) {
                    Some(facts) => Some(facts.as_ref()),
                    None => return true,
                }
            } else {
                None
            };
            early.extend(links.answer(p, origin, facts));
            false
        });
        // Kept until every note is parsed: no spare capacity (100k notes x ~5 checks).
        pending.shrink_to_fit();
        early
    }

    /// Phase 2: loads the facts of targets no selected note provided, answers every pending
    /// check, and merges the findings into the notes' reports.
    fn answer_pending(&self, outcomes: Vec<NoteOutcome<'_>>) -> Vec<FileReport> {
        let needs_all = outcomes
            .iter()
            .flat_map(|o| &o.pending)
            .any(|p| matches!(p.what, PendingKind::Alias { .. }));
        // One flag per file rather than a list of every pending target (millions of
        // entries in a large vault, most of them repeats).
        let mut wanted = vec![needs_all; self.walk.files.len()];
        for pending in outcomes.iter().flat_map(|o| &o.pending) {
            wanted[pending.target] = true;
        }
        let missing: Vec<FileId> = (0..wanted.len())
            .filter(|&id| wanted[id] && self.index.is_note(id) && self.index.facts(id).is_none())
            .collect();
        missing.par_iter().for_each(|&id| self.load_facts(id));

        let links = self.links();
        outcomes
            .into_par_iter()
            .filter_map(|outcome| {
                let mut found = outcome.early;
                found.extend(outcome.pending.iter().filter_map(|p| {
                    let facts = self
                        .index
                        .facts(p.target)
                        .filter(|_| self.index.is_note(p.target));
                    links.answer(p, &outcome.origin, facts.map(|f| f.as_ref()))
                }));
                let review_late = self.config.settings.review.on_errors
                    && self
                        .checker
                        .any_error(&outcome.file.rel, &found, &outcome.suppressions);
                let new = finish(
                    self.config,
                    outcome.file.rel.clone(),
                    String::new(),
                    found,
                    Some(&outcome.suppressions),
                );
                // `review_late` implies `new`: it counts only errors that are reported.
                let Some(new) = new else {
                    return outcome.report;
                };
                let mut report = outcome.report.unwrap_or_else(|| FileReport {
                    path: outcome.file.rel.clone(),
                    // The text was dropped after phase 1 (no findings then); read it again
                    // only to show these findings in it.
                    source: self.read(outcome.file).unwrap_or_default(),
                    diagnostics: Vec::new(),
                });
                report.diagnostics.extend(new.diagnostics);
                if review_late {
                    let note =
                        Note::parse(report.path.clone(), report.source.clone(), &self.options);
                    let review = self.checker.late_review(&note, &report.diagnostics);
                    let path = report.path.clone();
                    let late = finish(
                        self.config,
                        path,
                        String::new(),
                        review,
                        Some(&outcome.suppressions),
                    );
                    report
                        .diagnostics
                        .extend(late.map(|r| r.diagnostics).unwrap_or_default());
                }
                sort(&mut report.diagnostics);
                Some(report)
            })
            .collect()
    }

    /// Reads and parses a note only for its facts (a link target outside the selection).
    fn load_facts(&self, id: FileId) {
        let file = &self.walk.files[id];
        let limit = self.config.settings.vault.max_note_bytes;
        let today = self.checker.cx.today;
        if let Some(hit) = self
            .cache
            .and_then(|cache| cache.lookup(&file.rel, &file.abs, today, limit))
        {
            self.index.set_facts(id, Arc::new(hit.record.facts));
            return;
        }
        let facts = match note::read::read_text(&file.abs, limit) {
            Some(text) => {
                let note = Note::parse(file.rel.clone(), text, &self.options);
                NoteFacts::of(&note, &self.config.settings.schema.type_field)
            }
            None => NoteFacts::unreadable(),
        };
        self.index.set_facts(id, Arc::new(facts));
    }
}

/// The vault root as seen from the current directory: "" for the current directory, a
/// relative path (`sub/vault`, `..`) when there is one, else absolute; `/`-separated.
fn root_shown(root: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let root = walk::normalize(&cwd.join(root));
            relative_path(&cwd, &root)
        })
        .unwrap_or_else(|| root.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    if text == "." { String::new() } else { text }
}

/// `target` relative to `base` (both absolute and normalised), with `..` where needed.
fn relative_path(base: &Path, target: &Path) -> Option<PathBuf> {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = target.components().collect();
    if base.first() != target.first() {
        return None;
    }
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &target[common..] {
        out.push(component.as_os_str());
    }
    Some(out)
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

/// Applies suppressions and configured severities, drops what is off, sorts; keeps the
/// text only when there is something to show in it.
fn finish(
    config: &Config,
    path: String,
    source: String,
    diagnostics: Vec<Diagnostic>,
    suppressions: Option<&Suppressions>,
) -> Option<FileReport> {
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| !suppressions.is_some_and(|s| s.suppresses(d)))
        .filter_map(|mut diagnostic| {
            diagnostic.severity = config.severities.resolve(diagnostic.rule, &path)?;
            Some(diagnostic)
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    sort(&mut kept);
    drop_schema_echoes(&mut kept);
    Some(FileReport {
        path,
        source,
        diagnostics: kept,
    })
}

/// A schema failure at exactly the span of a notelint finding says the same thing less
/// precisely (`schema/format` under `dates/invalid`, `schema/type` under `tags/empty`): keep
/// the specific one. Diagnostics must be sorted.
fn drop_schema_echoes(diagnostics: &mut Vec<Diagnostic>) {
    let is_schema = |d: &Diagnostic| d.rule.group() == "schema";
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

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
}

/// Reads a note as UTF-8, with the stamp and hash the cache records of it. On failure
/// returns text to show and an `io/unreadable` finding.
fn read_note(
    path: &Path,
    max_bytes: u64,
) -> Result<(String, Option<Stamped>), (String, Diagnostic)> {
    let (bytes, metadata) =
        note::read::read_bounded_with_metadata(path, max_bytes).map_err(|err| {
            let diagnostic = match err {
                ReadError::Io(err) => Diagnostic::new(
                    &rules::io::UNREADABLE,
                    0..0,
                    format!("cannot read the note: {}", io_reason(&err)),
                ),
                too_large @ ReadError::TooLarge { .. } => Diagnostic::new(
                    &rules::io::UNREADABLE,
                    0..0,
                    too_large.to_string(),
                )
                .with_help(
                    "raise `[vault] max_note_bytes`, or exclude the file with `[vault] exclude`",
                ),
            };
            (String::new(), diagnostic)
        })?;
    let stamped = cache::Stamp::of(&metadata).map(|stamp| (stamp, cache::hash(&bytes)));
    decode_note(bytes).map(|text| (text, stamped))
}

/// A note's bytes as text, or the lossy text to show and an `io/unreadable` finding when
/// they are not UTF-8 (a file on disk and an editor's buffer alike).
pub fn decode_note(bytes: Vec<u8>) -> Result<String, (String, Diagnostic)> {
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
    finish(config, path, source.clone(), diagnostics, None)
}
