//! The lint pipeline: walk, then parse and check every note in parallel (phase 1), then
//! vault-wide checks against the index (phase 2). Findings come back sorted and filtered
//! by the configured severities.
//!
//! `checker` runs the per-note rules on one note; `report` turns findings into what a run
//! reports. This module owns the phases and the link checks that need the vault.

mod cached;
mod checker;
pub mod report;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::cache::{self, Cache};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding, Span};
use crate::error::FileError;
use crate::note::body::Link;
use crate::note::read::ReadError;
use crate::note::{self, Note, ParseOptions};
use crate::paths;
use crate::progress::Progress;
use crate::rules;
use crate::rules::links::{Links, Pending, PendingKind};
use crate::rules::selection::Severities;
use crate::schema::Schemas;
use crate::suppress::Suppressions;
use crate::vault::{FileId, NoteFacts, Origin, VaultIndex};
use crate::walk::{self, Exclusions, VaultFile, Walk};

pub use checker::{Checker, parse_options};
pub use report::{FileReport, Outcome};
use report::{finish, settle, sort};

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
        let exclusions = Exclusions::new(config);
        let walk = match &listing {
            Some(listing) => listing.walk(Some(&names)),
            None => walk_vault(config, &exclusions, request, Some(&names)),
        };
        let outcome = lint_walked(
            config,
            schemas,
            request,
            &exclusions,
            &walk,
            None,
            listing.as_ref(),
        )?;
        let broken = outcome
            .reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| std::ptr::eq(d.rule, &rules::links::BROKEN));
        // With a listing, did-you-mean came from the whole vault's names, when they could
        // be read; else it must: from the files the walk passed, or (a listing's walk
        // passes none) from a walk of the whole vault.
        if !broken
            || listing
                .as_ref()
                .is_some_and(|listing| listing.names().holds())
        {
            return Ok(outcome);
        }
        let whole = match listing {
            Some(_) => walk_vault(config, &exclusions, request, None),
            None => walk.widen(config, &exclusions),
        };
        return lint_walked(config, schemas, request, &exclusions, &whole, None, None);
    }
    lint_with(config, schemas, request)
}

fn walk_vault(
    config: &Config,
    exclusions: &Exclusions,
    request: &Request,
    only: Option<&walk::NameFilter>,
) -> Walk {
    walk::walk(config, exclusions, request.no_ignore, request.threads, only)
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
    let rel = paths::display_path(&config.vault_root, path);
    let note = Note::parse(rel, text.to_owned(), &parse_options(config));
    Some(rules::links::target_file_names(&note, config))
}

/// A run over the whole vault or listed files (an editor check's note too, when its
/// links need every note's aliases).
fn lint_with(
    config: &Config,
    schemas: &Schemas,
    request: &Request,
) -> Result<Outcome, Vec<FileError>> {
    let exclusions = Exclusions::new(config);
    // The cache serves whole-vault and listed-file runs (an editor's unsaved text is not
    // a file's); it is read while the vault is walked.
    let use_cache = request.cache && request.stdin.is_none();
    let (walk, cache) = rayon::join(
        || walk_vault(config, &exclusions, request, None),
        || use_cache.then(|| Cache::open(config, schemas)).flatten(),
    );
    let cache = cache.map(|cache| cache.for_walk(&walk));
    lint_walked(config, schemas, request, &exclusions, &walk, cache, None)
}

/// Everything after the walk: phase 1 over the selected notes, phase 2, the cache kept.
fn lint_walked(
    config: &Config,
    schemas: &Schemas,
    request: &Request,
    exclusions: &Exclusions,
    walk: &Walk,
    cache: Option<Cache>,
    listing: Option<&cache::Listing>,
) -> Result<Outcome, Vec<FileError>> {
    let selected = match (&request.stdin, request.paths.first()) {
        // Editor mode lints the given text as the note at that path, even if unsaved.
        (Some(_), Some(path)) => vec![walk::Selected::Named(Box::new(VaultFile {
            abs: path.clone(),
            rel: paths::display_path(&config.vault_root, path),
            is_note: true,
            excluded: false,
        }))],
        _ => walk.select(config, exclusions, &request.paths),
    };
    let empty_folders = match request.stdin {
        Some(_) => Vec::new(),
        None => walk.folders_without_notes(config, &request.paths),
    };
    let index = VaultIndex::new(walk);
    if let Some(listing) = listing {
        let names = listing.names();
        index.use_suggestions(Box::new(move || names.read()));
    }
    if cache.is_some()
        && let Some(names) = cache::Listing::names_for(config, schemas, request.no_ignore, walk)
    {
        index.use_suggestions(Box::new(move || names.read()));
    }
    let run = Run {
        config,
        cache: cache.as_ref(),
        stdin: request.stdin.as_ref(),
        walk,
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
        reports.extend(unused_associations(
            config,
            &run.checker.severities,
            schemas,
        ));
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(cache) = cache {
        if listing.is_none() {
            let suggestions = || index.suggestions();
            cache::Listing::save(
                config,
                schemas,
                request.no_ignore,
                walk,
                cache.started_ns(),
                suggestions,
            );
        }
        cache.save(|rel| walk.id_of(rel).is_some_and(|id| walk.files[id].is_note));
    }
    let mut checked: Vec<String> = selected.iter().map(|file| file.rel.clone()).collect();
    checked.sort_unstable();
    Ok(Outcome {
        reports,
        notes_checked: checked.len(),
        checked,
        root: paths::root_shown(&config.vault_root),
        empty_folders,
    })
}

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

/// Phase 1's result for one note: its findings so far, and what phase 2 must answer.
/// Kept for every selected note until phase 2, so it is two pointers besides the file:
/// most notes have no findings, and many nothing left for phase 2.
struct NoteOutcome<'f> {
    file: &'f VaultFile,
    report: Option<Box<FileReport>>,
    later: Option<Box<Later>>,
}

/// What phase 2 must do for one note.
struct Later {
    /// Checks on other notes answered in phase 1 already (their facts were known), for
    /// phase 2 to merge with the rest.
    early: Vec<Diagnostic>,
    pending: Vec<Pending>,
    origin: Origin,
    suppressions: Suppressions,
}

impl<'f> NoteOutcome<'f> {
    fn new(file: &'f VaultFile, report: Option<FileReport>, later: Later) -> NoteOutcome<'f> {
        let needed = !later.early.is_empty() || !later.pending.is_empty();
        NoteOutcome {
            file,
            report: report.map(Box::new),
            later: needed.then(|| Box::new(later)),
        }
    }

    fn pending(&self) -> &[Pending] {
        self.later.as_ref().map_or(&[], |later| &later.pending)
    }
}

impl Run<'_> {
    fn links(&self) -> Links<'_> {
        Links {
            config: self.config,
            index: self.index,
            walk: Some(self.walk),
        }
    }

    /// The note's text: standard input in editor mode, else the file.
    fn read(&self, file: &VaultFile) -> Result<String, (String, Diagnostic)> {
        self.read_stamped(file).map(|(text, _)| text)
    }

    /// Phase 1 for a canvas: its links alone (a canvas has no frontmatter, tags or dates).
    fn lint_canvas<'f>(
        &self,
        file: &'f VaultFile,
        origin: Origin,
        text: String,
    ) -> NoteOutcome<'f> {
        let canvas = crate::canvas::as_note(file.rel.clone(), text, &self.options.scan);
        let (found, pending) = self.links().check(&canvas, &origin, &NoteFacts::default());
        let report = finish(
            &self.checker.severities,
            file.rel.clone(),
            canvas.text,
            found,
            None,
        );
        let later = Later {
            early: Vec::new(),
            pending,
            origin,
            suppressions: Suppressions::default(),
        };
        NoteOutcome::new(file, report, later)
    }

    /// Phase 1 for one note: read, parse, per-note rules, link resolution by name; or,
    /// for a note the cache holds unchanged, link resolution from its cached links.
    fn lint_note<'f>(&self, file: &'f VaultFile) -> NoteOutcome<'f> {
        // A file of the walk, unless an editor's note or a file named outside it.
        let id = self
            .walk
            .id_of_file(file)
            .or_else(|| self.walk.id_of(&file.rel));
        let origin = id
            .and_then(|id| self.index.origin_of(id))
            .unwrap_or_else(|| self.index.origin(&file.rel));
        if let Some(outcome) = self.reuse(file, id, &origin) {
            return outcome;
        }
        let (text, stamped) = match self.read_stamped(file) {
            Ok(read) => read,
            Err((source, diagnostic)) => {
                let report = finish(
                    &self.checker.severities,
                    file.rel.clone(),
                    source,
                    vec![diagnostic],
                    None,
                );
                return NoteOutcome {
                    file,
                    report: report.map(Box::new),
                    later: None,
                };
            }
        };
        if crate::canvas::is_canvas(&file.rel) {
            return self.lint_canvas(file, origin, text);
        }
        let note = Note::parse(file.rel.clone(), text, &self.options);
        let facts = Arc::new(NoteFacts::of(
            &note,
            &self.config.settings.schema.type_field,
        ));
        if let Some(id) = id {
            self.index.set_facts(id, facts.clone());
        }
        let suppressions = Suppressions::of(&note);
        let (diagnostics, mut pending) = match first_pass(
            &self.checker,
            &self.links(),
            &note,
            &file.abs,
            &origin,
            &facts,
            &suppressions,
        ) {
            Ok(first) => {
                self.remember(file, stamped, &note, &facts, &first, &suppressions);
                let mut all = first.diagnostics;
                all.extend(first.link_found);
                (all, first.pending)
            }
            Err(error) => {
                if let Ok(mut fatal) = self.fatal.lock() {
                    fatal.push(error);
                }
                (Vec::new(), Vec::new())
            }
        };
        let early = self.answer_known(&origin, &mut pending);
        let report = finish(
            &self.checker.severities,
            file.rel.clone(),
            note.text,
            diagnostics,
            Some(&suppressions),
        );
        let later = Later {
            early,
            pending,
            origin,
            suppressions,
        };
        NoteOutcome::new(file, report, later)
    }

    /// Phase 2: loads the facts of targets no selected note provided, answers every pending
    /// check, and merges the findings into the notes' reports.
    fn answer_pending(&self, outcomes: Vec<NoteOutcome<'_>>) -> Vec<FileReport> {
        let needs_all = outcomes
            .iter()
            .flat_map(NoteOutcome::pending)
            .any(|p| matches!(p.what, PendingKind::Alias { .. }));
        // One flag per file rather than a list of every pending target (millions of
        // entries in a large vault, most of them repeats).
        let mut wanted = vec![needs_all; self.walk.files.len()];
        for pending in outcomes.iter().flat_map(NoteOutcome::pending) {
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
                let Some(later) = outcome.later else {
                    return outcome.report.map(|report| *report);
                };
                let Later {
                    early,
                    pending,
                    origin,
                    suppressions,
                } = *later;
                let (new, review_late) = second_pass(
                    &self.checker,
                    &links,
                    &outcome.file.rel,
                    early,
                    &pending,
                    &origin,
                    &suppressions,
                );
                // `review_late` implies `new`: it counts only errors that are reported.
                if new.is_empty() {
                    return outcome.report.map(|report| *report);
                }
                let mut report = outcome.report.map_or_else(
                    || FileReport {
                        path: outcome.file.rel.clone(),
                        // The text was dropped after phase 1 (no findings then); read it again
                        // only to show these findings in it.
                        source: self.read(outcome.file).unwrap_or_default(),
                        diagnostics: Vec::new(),
                    },
                    |report| *report,
                );
                report.diagnostics.extend(new);
                if review_late {
                    let note =
                        Note::parse(report.path.clone(), report.source.clone(), &self.options);
                    let late =
                        late_review(&self.checker, &note, &report.diagnostics, &suppressions);
                    report.diagnostics.extend(late);
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
        if let Some(hit) = self
            .cache
            .and_then(|cache| cache.lookup(&file.rel, &file.abs, self.checker.today(), limit))
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

/// Checks one note's text against a vault: every per-note rule and every link rule, with
/// the findings settled as `check` reports them. For a long-lived session whose index
/// knows the facts of the vault's notes (a target without facts gets no heading, block
/// or type check); a run takes the same two passes, with all notes' first passes before
/// any second.
pub fn check_text(
    checker: &Checker<'_>,
    index: &VaultIndex,
    rel: &str,
    abs: &Path,
    text: String,
) -> Result<Vec<Finding>, FileError> {
    let config = checker.config();
    let note = Note::parse(rel.to_owned(), text, &parse_options(config));
    let origin = index.origin(rel);
    let facts = NoteFacts::of(&note, &config.settings.schema.type_field);
    let suppressions = Suppressions::of(&note);
    let links = Links {
        config,
        index,
        walk: None,
    };
    let first = first_pass(checker, &links, &note, abs, &origin, &facts, &suppressions)?;
    let mut found = first.diagnostics;
    found.extend(first.link_found);
    let mut diagnostics = settle(&checker.severities, rel, found, Some(&suppressions));
    let (new, review_late) = second_pass(
        checker,
        &links,
        rel,
        Vec::new(),
        &first.pending,
        &origin,
        &suppressions,
    );
    diagnostics.extend(new);
    if review_late {
        let late = late_review(checker, &note, &diagnostics, &suppressions);
        diagnostics.extend(late);
    }
    sort(&mut diagnostics);
    Ok(diagnostics)
}

/// What the first pass learnt of one note (findings unsettled).
struct FirstPass {
    /// The links the link rules checked, with their frontmatter keys.
    links: Vec<(Link, Option<String>)>,
    /// The link rules' findings by name.
    link_found: Vec<Diagnostic>,
    /// The link checks that need other notes' facts.
    pending: Vec<Pending>,
    /// The per-note rules' findings.
    diagnostics: Vec<Diagnostic>,
    /// Whether `link_found` held an error that will be reported (`review.on_errors`).
    link_errors: bool,
}

/// The first pass over one note: the per-note rules and link resolution by name.
fn first_pass(
    checker: &Checker<'_>,
    links: &Links<'_>,
    note: &Note,
    abs: &Path,
    origin: &Origin,
    own: &NoteFacts,
    suppressions: &Suppressions,
) -> Result<FirstPass, FileError> {
    let checked = links.links_of(note);
    let (link_found, pending) = links.check_links(Some(note), origin, own, &checked);
    let link_errors = checker.config().settings.review.on_errors
        && checker.any_error(&note.path, &link_found, suppressions);
    let diagnostics = checker.check_with(note, abs, link_errors, suppressions)?;
    Ok(FirstPass {
        links: checked,
        link_found,
        pending,
        diagnostics,
        link_errors,
    })
}

/// The second pass over one note: its pending link checks answered from the index's
/// facts, settled; and whether they call for the review finding (`review.on_errors`).
fn second_pass(
    checker: &Checker<'_>,
    links: &Links<'_>,
    rel: &str,
    early: Vec<Diagnostic>,
    pending: &[Pending],
    origin: &Origin,
    suppressions: &Suppressions,
) -> (Vec<Finding>, bool) {
    let mut found = early;
    found.extend(pending.iter().filter_map(|p| {
        let facts = links
            .index
            .facts(p.target)
            .filter(|_| links.index.is_note(p.target));
        links.answer(p, origin, facts.map(|f| f.as_ref()))
    }));
    let review_late =
        checker.config().settings.review.on_errors && checker.any_error(rel, &found, suppressions);
    let new = settle(&checker.severities, rel, found, Some(suppressions));
    (new, review_late)
}

/// The review finding a note gets when its second pass found errors, settled.
fn late_review(
    checker: &Checker<'_>,
    note: &Note,
    reported: &[Finding],
    suppressions: &Suppressions,
) -> Vec<Finding> {
    let review = checker.late_review(note, reported);
    settle(&checker.severities, &note.path, review, Some(suppressions))
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

/// What the cache records of a file as it was read: its stamp and content hash.
type Stamped = (cache::Stamp, u64);

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
fn unused_associations(
    config: &Config,
    severities: &Severities,
    schemas: &Schemas,
) -> Option<FileReport> {
    let (Some(file), Some(source)) = (&config.file, &config.source) else {
        return None;
    };
    let diagnostics = schemas
        .unused()
        .into_iter()
        .map(|(span, message)| Diagnostic::new(&rules::config::UNUSED_ASSOCIATION, span, message))
        .collect();
    let path = paths::display_path(&config.vault_root, file);
    finish(severities, path, source.clone(), diagnostics, None)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // writes a fixture vault
mod tests {
    use super::*;

    /// What a session gets from `check_text` for a note is what a run reports for it.
    #[test]
    fn one_note_against_the_vault_finds_what_a_run_finds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = [
            (
                "notelint.toml",
                "[links]\ntargets = { company = \"customer\" }\n",
            ),
            (
                "People/Dana.md",
                "---\ntype: person\ncompany: \"[[Dana]]\"\ntags: [a, A]\n---\n# Dana\n[[Acme#Pricing]] [[Acme#^nope]] [[Gone]] [[#Dana]]\n",
            ),
            (
                "Acme.md",
                "---\ntype: customer\ncreated: 2025-02-30\n---\n## Prices\n",
            ),
            ("Notes/x.md", "[x](../Acme.md#prices) [[Dana|alias]] #Tag\n"),
        ];
        for (rel, text) in notes {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
        let config = Config::discover(dir.path(), None).expect("config");
        let schemas = Schemas::new(&config).expect("schemas");
        let request = Request {
            paths: Vec::new(),
            no_ignore: false,
            threads: 1,
            today: jiff::civil::date(2026, 1, 1),
            stdin: None,
            progress: false,
            cache: false,
        };
        let outcome = lint(&config, &schemas, &request).expect("a run");
        let shown = |d: &Finding| format!("{} {:?} {}", d.code(), d.span, d.message);

        let walk = walk::walk(&config, &Exclusions::new(&config), false, 1, None);
        let index = VaultIndex::new(&walk);
        let checker = Checker::new(&config, &schemas, request.today);
        for (id, file) in walk.files.iter().enumerate() {
            let text = std::fs::read_to_string(&file.abs).expect("read");
            let note = Note::parse(file.rel.clone(), text, &parse_options(&config));
            index.set_facts(id, Arc::new(NoteFacts::of(&note, "type")));
        }
        let mut compared = 0;
        for (rel, _) in notes.iter().filter(|(rel, _)| rel.ends_with(".md")) {
            let text = std::fs::read_to_string(dir.path().join(rel)).expect("read");
            let found = check_text(&checker, &index, rel, &dir.path().join(rel), text)
                .expect("no fatal error");
            let reported: Vec<String> = outcome
                .reports
                .iter()
                .filter(|r| r.path == *rel)
                .flat_map(|r| r.diagnostics.iter().map(shown))
                .collect();
            assert_eq!(
                found.iter().map(shown).collect::<Vec<_>>(),
                reported,
                "{rel}"
            );
            compared += reported.len();
        }
        assert!(
            compared >= 6,
            "the fixture has findings in every note: {compared}"
        );
    }
}
