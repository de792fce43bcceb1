//! `notelint fix`: apply fixes to every selected note, write through the atomic writer, then
//! report what remains. `--diff` and `--check` write nothing; `--stdin-filename` fixes
//! standard input and prints it.

use std::io::Write;

use rayon::prelude::*;

use super::check::{nothing_listed, prepare, read_stdin, report, warn_empty_folders};
use super::{FINDINGS, SUCCESS, output_failed};
use crate::cli::FixArgs;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::error::FileError;
use crate::fix::{self, Fixed, Stop};
use crate::fs;
use crate::interrupt;
use crate::lint::{self, Checker};
use crate::note;
use crate::output::escape_controls;
use crate::paths;
use crate::relink;
use crate::rules;
use crate::walk::{self, Exclusions};
use rustc_hash::FxHashMap;

/// A note the fixes would change.
struct Change {
    rel: String,
    abs: std::path::PathBuf,
    original: String,
    fixed: Fixed,
}

pub fn run(args: &FixArgs) -> Result<u8, Vec<FileError>> {
    let (config, schemas, mut request) = prepare(&args.report)?;
    let mut checker = Checker::new(&config, &schemas, request.today);
    let options = lint::parse_options(&config);
    if let Some(path) = &args.report.stdin_filename {
        let input = read_stdin()?;
        if !walk::is_lintable_note(&config, path) {
            // A note `fix` over the vault would skip is given back as it came.
            let rel = paths::display_path(&config.vault_root, path);
            return Ok(stdin_result(args, &rel, &input, &input));
        }
        request.stdin = Some(input);
    }
    // Link findings need the whole vault, so a check runs first when they matter: notes
    // with link errors need the review tag too (`review.on_errors`), and broken links may
    // have an unsafe fix.
    let mut link_fixes = FxHashMap::default();
    if config.settings.review.on_errors || args.unsafe_fixes {
        let first = lint::lint(&config, &schemas, &request)?;
        if config.settings.review.on_errors {
            checker = checker.with_link_errors(link_errors(&first));
        }
        if args.unsafe_fixes {
            link_fixes = broken_link_fixes(first);
        }
    }

    if let (Some(path), Some(input)) = (&args.report.stdin_filename, request.stdin.take()) {
        let rel = paths::display_path(&config.vault_root, path);
        let text = match String::from_utf8(input) {
            Ok(text) => text,
            Err(err) => {
                // Like a note on disk that is not UTF-8: reported, never changed.
                let limit = err.utf8_error().valid_up_to();
                let _ = writeln!(
                    std::io::stderr(),
                    "error: {}: io/unreadable: note is not valid UTF-8 (invalid byte at offset {limit}); left unchanged",
                    escape_controls(&rel)
                );
                let input = err.into_bytes();
                let code = stdin_result(args, &rel, &input, &input);
                return Ok(if code == SUCCESS { FINDINGS } else { code });
            }
        };
        let fixed = fix::fix_text(
            &checker,
            &options,
            &rel,
            path,
            text.clone(),
            args.unsafe_fixes,
        )
        .map_err(|e| vec![e])?;
        return Ok(stdin_result(
            args,
            &rel,
            text.as_bytes(),
            fixed.text.as_bytes(),
        ));
    }

    if nothing_listed(&args.report, &request) {
        return Ok(report(lint::Outcome::default(), &args.report));
    }
    let exclusions = Exclusions::new(&config);
    let walked = walk::walk(
        &config,
        &exclusions,
        request.no_ignore,
        request.threads,
        None,
    );
    let selected = walked.select(&config, &exclusions, &request.paths);
    let repairs = match &args.follow_renames {
        Some(rev) => follow_renames(&config, &walked, &options, rev, args.report.quiet)?,
        None => Vec::new(),
    };
    let repairs: FxHashMap<&str, &relink::FileEdit> =
        repairs.iter().map(|r| (r.new_rel.as_str(), r)).collect();
    // Canvases have no fixes of their own (`--follow-renames` repairs them below).
    let notes: Vec<_> = selected
        .iter()
        .filter(|file| !crate::canvas::is_canvas(&file.rel))
        .collect();
    if args.diff || args.check {
        // Otherwise the report after the writes says it.
        warn_empty_folders(&walked.folders_without_notes(&config, &request.paths));
    }
    let results: Vec<Result<Option<Change>, FileError>> = notes
        .par_iter()
        .map(|file| {
            // Unreadable and non-UTF-8 notes are reported by the check below, never touched.
            let limit = config.settings.vault.max_note_bytes;
            let Some(original) = note::read::read_text(&file.abs, limit) else {
                return Ok(None);
            };
            let (start, repaired) =
                link_repairs(&file.rel, &original, &repairs, &link_fixes, &options);
            let mut fixed = fix::fix_text(
                &checker,
                &options,
                &file.rel,
                &file.abs,
                start,
                args.unsafe_fixes,
            )?;
            fixed.applied += repaired;
            Ok(
                (fixed.text != original || fixed.stop != Stop::Stable).then(|| Change {
                    rel: file.rel.clone(),
                    abs: file.abs.clone(),
                    original,
                    fixed,
                }),
            )
        })
        .collect();
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Link repairs in selected files that have no fixes of their own (canvases).
    for file in &selected {
        let wanted = repairs.contains_key(file.rel.as_str()) || link_fixes.contains_key(&file.rel);
        if !wanted || !crate::canvas::is_canvas(&file.rel) {
            continue;
        }
        let limit = config.settings.vault.max_note_bytes;
        let Some(original) = note::read::read_text(&file.abs, limit) else {
            continue;
        };
        let (text, applied) = link_repairs(&file.rel, &original, &repairs, &link_fixes, &options);
        if text != original {
            changes.push(Change {
                rel: file.rel.clone(),
                abs: file.abs.clone(),
                original,
                fixed: Fixed {
                    text,
                    applied,
                    stop: Stop::Stable,
                },
            });
        }
    }
    changes.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut stderr = std::io::stderr().lock();
    for change in &changes {
        let problem = match &change.fixed.stop {
            Stop::Stable | Stop::Unparsable => continue,
            Stop::Cycle { fixes } if *fixes > 1 => {
                "its fixes undo each other; fixed as far as they agree".to_owned()
            }
            Stop::Cycle { .. } => {
                "a fix did not settle its finding; fixed as far as it could".to_owned()
            }
            Stop::RoundLimit => {
                "still changing after the round limit; run `notelint fix` again".to_owned()
            }
            Stop::Unverified(why) => format!("not fixed: {why}"),
        };
        let _ = writeln!(
            stderr,
            "warning: {}: {problem}",
            escape_controls(&change.rel)
        );
    }
    let changes: Vec<&Change> = changes
        .iter()
        .filter(|c| c.fixed.text != c.original)
        .collect();

    if args.diff || args.check {
        let code = if changes.is_empty() {
            SUCCESS
        } else {
            FINDINGS
        };
        if args.diff {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = changes
                .iter()
                .try_for_each(|c| write_diff(&mut out, &c.rel, &c.original, &c.fixed.text))
                .and_then(|()| out.flush());
            if let Err(err) = written {
                return Ok(output_failed(&err, code));
            }
        }
        return Ok(code);
    }

    let guard = interrupt::Guard::catch();
    let mut writes = Writes::default();
    for change in &changes {
        if guard.stopped() {
            break;
        }
        writes.attempted += 1;
        match fs::replace(
            &change.abs,
            change.original.as_bytes(),
            change.fixed.text.as_bytes(),
        ) {
            // Already fixed: through another name of a hard-linked note, or by another run.
            Ok(fs::Written::Unchanged) => {}
            Ok(written) => {
                writes.fixed += change.fixed.applied;
                writes.notes += 1;
                writes.in_place += usize::from(written == fs::Written::InPlace);
            }
            Err(err) if err.is_skip() => {
                let _ = writeln!(
                    stderr,
                    "warning: {}: not fixed: {err}",
                    escape_controls(&change.rel)
                );
            }
            Err(err) => {
                let _ = writeln!(
                    stderr,
                    "error: {}: not written: {err}",
                    escape_controls(&change.rel)
                );
                writes.failed.push((change, err));
            }
        }
    }
    if guard.stopped() {
        let left = changes.len() - writes.attempted;
        let _ = writeln!(
            stderr,
            "interrupted: {} note{} written, {left} left as they were",
            writes.notes,
            plural(writes.notes)
        );
        return Ok(interrupt::INTERRUPTED);
    }
    drop(guard);
    if !args.report.quiet {
        writes.summarise(&mut stderr);
    }
    drop(stderr);
    let mut outcome = lint::lint(&config, &schemas, &request)?;
    add_write_failures(&mut outcome, &config, &writes.failed);
    let code = report(outcome, &args.report);
    // A failed write fails the run even with `io/unwritable` turned off (SPEC 6): exit 1,
    // as for findings; 2 is for usage, configuration and schema errors (SPEC 2).
    Ok(if writes.failed.is_empty() {
        code
    } else {
        code.max(FINDINGS)
    })
}

/// A note's text as a check read it, and the fixes of its broken links.
type LinkFixes = (String, Vec<crate::diagnostic::Fix>);

/// The unsafe fixes of broken links (a near match), by note, from a check of the vault.
fn broken_link_fixes(outcome: lint::Outcome) -> FxHashMap<String, LinkFixes> {
    outcome
        .reports
        .into_iter()
        .filter_map(|report| {
            let fixes: Vec<_> = report
                .diagnostics
                .into_iter()
                .filter(|d| std::ptr::eq(d.rule, &rules::links::BROKEN))
                .filter_map(|d| d.diagnostic.fix)
                .collect();
            (!fixes.is_empty()).then_some((report.path, (report.source, fixes)))
        })
        .collect()
}

/// The text of a note (or canvas) with its links repaired before the per-note fixes run:
/// `--follow-renames`' repairs, else the fixes of its broken links (`--unsafe-fixes`), as
/// long as the file is as it was when they were computed. Also how many links that is.
fn link_repairs(
    rel: &str,
    original: &str,
    repairs: &FxHashMap<&str, &relink::FileEdit>,
    link_fixes: &FxHashMap<String, LinkFixes>,
    options: &note::ParseOptions,
) -> (String, usize) {
    if let Some(repair) = repairs.get(rel).filter(|r| r.original == original) {
        return (repair.text.clone(), repair.edits.len());
    }
    let Some((_, fixes)) = link_fixes.get(rel).filter(|(read, _)| read == original) else {
        return (original.to_owned(), 0);
    };
    let parsed = if crate::canvas::is_canvas(rel) {
        crate::canvas::as_note(rel.to_owned(), original.to_owned(), &options.scan)
    } else {
        note::Note::parse(rel.to_owned(), original.to_owned(), options)
    };
    let fixes: Vec<&crate::diagnostic::Fix> = fixes.iter().collect();
    match fix::verify::apply_verified(&parsed, &fixes, options) {
        Ok(text) => (text, fixes.len()),
        Err(_) => (original.to_owned(), 0),
    }
}

/// `--follow-renames[=REV]`: the link repairs for the files git saw renamed or moved since
/// REV. Links that cannot be repaired are said, and then none is (as for `notelint mv`).
fn follow_renames(
    config: &Config,
    walked: &walk::Walk,
    options: &note::ParseOptions,
    rev: &str,
    quiet: bool,
) -> Result<Vec<relink::FileEdit>, Vec<FileError>> {
    let (moves, before) =
        relink::follow::since(&config.vault_root, rev, walked).map_err(|why| {
            let outside = why.starts_with("not inside") || why.starts_with("git is not");
            let error = FileError::new("--follow-renames", why);
            vec![if outside {
                error.with_help("renames are read from git: run it inside a git work tree")
            } else {
                error
            }]
        })?;
    if moves.is_empty() {
        return Ok(Vec::new());
    }
    let limit = config.settings.vault.max_note_bytes;
    let read = |file: &walk::VaultFile| note::read::read_text(&file.abs, limit);
    let mut stderr = std::io::stderr().lock();
    match relink::plan(before.view(), &moves, options, &read) {
        Ok(plan) => {
            if !quiet {
                let _ = writeln!(
                    stderr,
                    "following {} rename{} since {}: {} link{} to repair",
                    moves.len(),
                    plural(moves.len()),
                    escape_controls(rev),
                    plan.links(),
                    plural(plan.links())
                );
            }
            Ok(plan.files)
        }
        Err(conflicts) => {
            for conflict in &conflicts {
                let _ = writeln!(
                    stderr,
                    "warning: links not repaired after renames since {}: {}",
                    escape_controls(rev),
                    escape_controls(&conflict.to_string())
                );
            }
            Ok(Vec::new())
        }
    }
}

/// What the writes of a `fix` run came to.
#[derive(Default)]
struct Writes<'a> {
    attempted: usize,
    /// Findings fixed in the notes written.
    fixed: usize,
    /// Notes written.
    notes: usize,
    /// Of those, written in place after a backup copy (owner, group or hard links).
    in_place: usize,
    failed: Vec<(&'a Change, fs::WriteError)>,
}

impl Writes<'_> {
    /// `fixed 3 findings in 2 notes (1 written in place ...); 1 note not written`.
    fn summarise(&self, out: &mut dyn Write) {
        if self.notes == 0 && self.failed.is_empty() {
            return;
        }
        let mut line = format!(
            "fixed {} finding{} in {} note{}",
            self.fixed,
            plural(self.fixed),
            self.notes,
            plural(self.notes)
        );
        if self.in_place > 0 {
            line.push_str(&format!(
                " ({} written in place after a backup copy, to keep owner, group and hard links)",
                self.in_place
            ));
        }
        if !self.failed.is_empty() {
            line.push_str(&format!(
                "; {} note{} not written",
                self.failed.len(),
                plural(self.failed.len())
            ));
        }
        let _ = writeln!(out, "{line}");
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Reports each failed write as an `io/unwritable` error in its note, among the findings
/// that remain, so every output format counts and names it.
fn add_write_failures(
    outcome: &mut lint::Outcome,
    config: &Config,
    failed: &[(&Change, fs::WriteError)],
) {
    let rule = &rules::io::UNWRITABLE;
    let severities = rules::selection::Severities::new(config);
    for (change, err) in failed {
        let Some(severity) = severities.resolve(rule, &change.rel) else {
            continue;
        };
        let diagnostic = Finding {
            severity,
            diagnostic: Diagnostic::new(rule, 0..0, format!("fixes not written: {err}")),
        };
        let at = outcome
            .reports
            .partition_point(|r| r.path.as_str() < change.rel.as_str());
        match outcome.reports.get_mut(at) {
            Some(report) if report.path == change.rel => {
                // In the order `lint` sorts findings: span, then code.
                let key = |d: &Finding| (d.span.start, d.span.end, d.rule.code);
                let place = report
                    .diagnostics
                    .partition_point(|d| key(d) < key(&diagnostic));
                report.diagnostics.insert(place, diagnostic);
            }
            _ => outcome.reports.insert(
                at,
                lint::FileReport {
                    path: change.rel.clone(),
                    source: change.original.clone(),
                    diagnostics: vec![diagnostic],
                },
            ),
        }
    }
}

/// The notes with error findings from link rules.
fn link_errors(outcome: &lint::Outcome) -> rustc_hash::FxHashSet<String> {
    outcome
        .reports
        .iter()
        .filter(|report| {
            report
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error && d.rule.group() == "links")
        })
        .map(|report| report.path.clone())
        .collect()
}

/// Editor mode's answer: the fixed text (`--diff`: the diff; `--check`: nothing), and exit 1
/// under `--diff`/`--check` when the text would change.
fn stdin_result(args: &FixArgs, rel: &str, original: &[u8], fixed: &[u8]) -> u8 {
    let changed = original != fixed;
    let code = if (args.diff || args.check) && changed {
        FINDINGS
    } else {
        SUCCESS
    };
    let mut out = std::io::stdout().lock();
    let written = if args.check {
        Ok(())
    } else if args.diff {
        // Only a UTF-8 text can differ: non-UTF-8 input is given back unchanged.
        let (original, fixed) = (
            String::from_utf8_lossy(original),
            String::from_utf8_lossy(fixed),
        );
        write_diff(&mut out, rel, &original, &fixed)
    } else {
        out.write_all(fixed)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(err) => output_failed(&err, code),
    }
}

fn write_diff(out: &mut dyn Write, rel: &str, original: &str, fixed: &str) -> std::io::Result<()> {
    if original == fixed {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(original, fixed);
    let old = format!("a/{}", escape_controls(rel));
    let new = format!("b/{}", escape_controls(rel));
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(&old, &new)
    )
}
