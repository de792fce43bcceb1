//! `notelint fix`: apply fixes to every selected note, write through the atomic writer, then
//! report what remains. `--diff` and `--check` write nothing; `--stdin-filename` fixes
//! standard input and prints it.

use std::io::Write;

use rayon::prelude::*;

use super::check::{nothing_listed, prepare, read_stdin, report};
use super::{FAILURE, FINDINGS, SUCCESS};
use crate::cli::FixArgs;
use crate::diagnostic::Severity;
use crate::error::FileError;
use crate::fix::{self, Fixed, Stop};
use crate::fs;
use crate::interrupt;
use crate::lint::{self, Checker};
use crate::note;
use crate::output::escape_controls;
use crate::walk::{self, Exclusions};

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
    if args.report.stdin_filename.is_some() {
        request.stdin = Some(read_stdin()?);
    }
    if config.settings.review.on_errors {
        // Link findings need the whole vault, so a check runs first to learn which notes
        // have link errors: those need the review tag too.
        checker = checker.with_link_errors(link_errors(&lint::lint(&config, &schemas, &request)?));
    }

    if let (Some(path), Some(text)) = (&args.report.stdin_filename, request.stdin.take()) {
        let rel = walk::display_path(&config.vault_root, path);
        let fixed = fix::fix_text(&checker, &options, &rel, path, text, args.unsafe_fixes)
            .map_err(|e| vec![e])?;
        let written = std::io::stdout().lock().write_all(fixed.text.as_bytes());
        return Ok(if written.is_ok() { SUCCESS } else { FAILURE });
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
    let notes = walked.select(&config, &exclusions, &request.paths);
    let results: Vec<Result<Option<Change>, FileError>> = notes
        .par_iter()
        .map(|file| {
            // Unreadable and non-UTF-8 notes are reported by the check below, never touched.
            let limit = config.settings.vault.max_note_bytes;
            let Some(original) = note::read::read_text(&file.abs, limit) else {
                return Ok(None);
            };
            let fixed = fix::fix_text(
                &checker,
                &options,
                &file.rel,
                &file.abs,
                original.clone(),
                args.unsafe_fixes,
            )?;
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
        if args.diff {
            let mut out = std::io::stdout().lock();
            for change in &changes {
                if write_diff(&mut out, change).is_err() {
                    break;
                }
            }
        }
        return Ok(if changes.is_empty() {
            SUCCESS
        } else {
            FINDINGS
        });
    }

    let mut fixed = 0;
    let mut written = 0;
    let guard = interrupt::Guard::catch();
    for change in &changes {
        if guard.stopped() {
            break;
        }
        written += 1;
        match fs::replace(
            &change.abs,
            change.original.as_bytes(),
            change.fixed.text.as_bytes(),
        ) {
            Ok(_) => fixed += change.fixed.applied,
            Err(err) => {
                let _ = writeln!(
                    stderr,
                    "warning: {}: not fixed: {err}",
                    escape_controls(&change.rel)
                );
            }
        }
    }
    if guard.stopped() {
        let left = changes.len() - written;
        let _ = writeln!(
            stderr,
            "interrupted: {written} note{} written, {left} left as they were",
            if written == 1 { "" } else { "s" }
        );
        return Ok(interrupt::INTERRUPTED);
    }
    drop(guard);
    if !args.report.quiet && fixed > 0 {
        let notes = changes.len();
        let _ = writeln!(
            stderr,
            "fixed {fixed} finding{} in {notes} note{}",
            if fixed == 1 { "" } else { "s" },
            if notes == 1 { "" } else { "s" }
        );
    }
    drop(stderr);
    let outcome = lint::lint(&config, &schemas, &request)?;
    Ok(report(outcome, &args.report))
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

fn write_diff(out: &mut dyn Write, change: &Change) -> std::io::Result<()> {
    let diff = similar::TextDiff::from_lines(&change.original, &change.fixed.text);
    let old = format!("a/{}", escape_controls(&change.rel));
    let new = format!("b/{}", escape_controls(&change.rel));
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(&old, &new)
    )
}
