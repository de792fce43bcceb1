//! `notelint mv OLD NEW`: move or rename a note, attachment or folder inside the vault and
//! rewrite every link to it (SPEC 13). The rewrites are planned and verified first
//! ([`crate::relink`]); a link that cannot be kept refuses the whole move, before anything
//! moves. Then the file moves (`rename(2)`, or `git mv`) and the notes are written through
//! the atomic writer.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{FINDINGS, SUCCESS, output_failed, setup, threads};
use crate::cli::MvArgs;
use crate::config::Config;
use crate::error::FileError;
use crate::fs;
use crate::git;
use crate::interrupt;
use crate::lint;
use crate::note;
use crate::output::escape_controls;
use crate::relink::{self, Move, Plan, Resolver};
use crate::walk::{self, Exclusions, Walk};

pub fn run(args: &MvArgs) -> Result<u8, Vec<FileError>> {
    let config = setup(std::slice::from_ref(&args.old), &args.common)?;
    let usage = |path: &Path, message: String| vec![FileError::new(path, message)];
    let old_rel = vault_relative(&config, &args.old)
        .ok_or_else(|| usage(&args.old, "is outside the vault".to_owned()))?;
    let new_rel = vault_relative(&config, &args.new).ok_or_else(|| {
        usage(
            &args.new,
            "is outside the vault; notelint moves files only inside it".to_owned(),
        )
    })?;
    if old_rel.is_empty() {
        return Err(usage(&args.old, "is the vault itself".to_owned()));
    }
    if new_rel.is_empty() || new_rel == old_rel || is_under(&new_rel, &old_rel) {
        return Err(usage(&args.new, format!("cannot move `{old_rel}` there")));
    }
    let old_abs = config.vault_root.join(&old_rel);
    let new_abs = config.vault_root.join(&new_rel);
    if std::fs::symlink_metadata(&new_abs).is_ok() && !same_file(&old_abs, &new_abs) {
        let error = FileError::new(
            &args.new,
            "already exists; notelint mv never moves over a file",
        )
        .with_help("name a new path, such as `Folder/Note.md` to move a note into `Folder`");
        return Err(vec![error]);
    }
    let walked = walk::walk(
        &config,
        &Exclusions::new(&config),
        args.common.no_ignore,
        threads(&args.common),
        None,
    );
    let moves = moves_of(&walked, &old_rel, &new_rel, old_abs.is_dir());
    let options = lint::parse_options(&config);
    let limit = config.settings.vault.max_note_bytes;
    let read = |file: &walk::VaultFile| note::read::read_text(&file.abs, limit);
    let vault = Resolver::new(walked);
    let plan = match relink::plan(vault.view(), &moves, &options, &read) {
        Ok(plan) => plan,
        Err(conflicts) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(
                stderr,
                "error: `{}` was not moved: {} link{} would not lead where {} now:",
                escape_controls(&old_rel),
                conflicts.len(),
                plural(conflicts.len()),
                if conflicts.len() == 1 {
                    "it leads"
                } else {
                    "they lead"
                }
            );
            for conflict in &conflicts {
                let _ = writeln!(stderr, "  {}", escape_controls(&conflict.to_string()));
            }
            let _ = writeln!(stderr, "nothing was moved or written");
            return Ok(FINDINGS);
        }
    };
    if args.diff || args.dry_run {
        return Ok(preview(args, &old_rel, &new_rel, &plan));
    }

    let moved = if args.git {
        fs::create_parents(&new_abs)
            .map_err(|err| err.to_string())
            .and_then(|()| git::mv(&config.vault_root, &old_abs, &new_abs))
    } else {
        fs::move_path(&old_abs, &new_abs).map_err(|err| err.to_string())
    };
    if let Err(err) = moved {
        return Err(usage(&args.old, format!("cannot be moved: {err}")));
    }
    let guard = interrupt::Guard::catch();
    let mut stderr = std::io::stderr().lock();
    let mut written = Vec::new();
    let mut failed = 0;
    for file in &plan.files {
        if guard.stopped() {
            break;
        }
        // A file that moved is written where it now is.
        let abs = if file.new_rel == file.rel {
            file.abs.clone()
        } else {
            config.vault_root.join(&file.new_rel)
        };
        match fs::replace(&abs, file.original.as_bytes(), file.text.as_bytes()) {
            Ok(_) => written.push(file.new_rel.as_str()),
            Err(err) => {
                failed += 1;
                let _ = writeln!(
                    stderr,
                    "error: {}: links not rewritten: {err}",
                    escape_controls(&file.new_rel)
                );
            }
        }
    }
    if guard.stopped() {
        let left = plan.files.len() - written.len() - failed;
        let _ = writeln!(
            stderr,
            "interrupted after moving `{}`: {} note{} written, {left} left with links to the \
             old path (`notelint fix --follow-renames` repairs them)",
            escape_controls(&old_rel),
            written.len(),
            plural(written.len())
        );
        return Ok(interrupt::INTERRUPTED);
    }
    if !args.quiet {
        let _ = summarise(&mut stderr, "moved", &old_rel, &new_rel, &plan, &written);
    }
    Ok(if failed > 0 { FINDINGS } else { SUCCESS })
}

/// `--diff` (the rewrites as a unified diff on stdout) or `--dry-run` (the summary alone).
fn preview(args: &MvArgs, old_rel: &str, new_rel: &str, plan: &Plan) -> u8 {
    if !args.quiet {
        let names: Vec<&str> = plan.files.iter().map(|f| f.new_rel.as_str()).collect();
        let _ = summarise(
            &mut std::io::stderr().lock(),
            "would move",
            old_rel,
            new_rel,
            plan,
            &names,
        );
    }
    if !args.diff {
        return SUCCESS;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = plan
        .files
        .iter()
        .try_for_each(|file| {
            write_diff(
                &mut out,
                &file.rel,
                &file.new_rel,
                &file.original,
                &file.text,
            )
        })
        .and_then(|()| out.flush());
    match written {
        Ok(()) => SUCCESS,
        Err(err) => output_failed(&err, SUCCESS),
    }
}

/// `moved A to B; rewrote 3 links in 2 notes: x.md, y.md`, and the links that matched
/// nothing before and reach the moved file now.
fn summarise(
    out: &mut dyn Write,
    verb: &str,
    old_rel: &str,
    new_rel: &str,
    plan: &Plan,
    notes: &[&str],
) -> std::io::Result<()> {
    let links = plan.links();
    let mut line = format!(
        "{verb} `{}` to `{}`",
        escape_controls(old_rel),
        escape_controls(new_rel)
    );
    if links == 0 {
        line.push_str("; no link needed rewriting");
    } else {
        line.push_str(&format!(
            "; {} {links} link{} in {} file{}: {}",
            if verb == "moved" {
                "rewrote"
            } else {
                "would rewrite"
            },
            plural(links),
            notes.len(),
            plural(notes.len()),
            notes
                .iter()
                .map(|n| escape_controls(n))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    writeln!(out, "{line}")?;
    for (file, link, target) in &plan.now_resolved {
        writeln!(
            out,
            "note: {}: `{}` matched nothing and now leads to `{}`",
            escape_controls(file),
            escape_controls(link),
            escape_controls(target)
        )?;
    }
    Ok(())
}

/// A unified diff of one file's rewrites, under its old and new paths.
pub fn write_diff(
    out: &mut dyn Write,
    old_rel: &str,
    new_rel: &str,
    original: &str,
    text: &str,
) -> std::io::Result<()> {
    let diff = similar::TextDiff::from_lines(original, text);
    let old = format!("a/{}", escape_controls(old_rel));
    let new = format!("b/{}", escape_controls(new_rel));
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(&old, &new)
    )
}

/// The moves of every file the walk found: one file, or every file under a folder.
fn moves_of(walked: &Walk, old_rel: &str, new_rel: &str, folder: bool) -> Vec<Move> {
    if !folder {
        return vec![Move {
            from: old_rel.to_owned(),
            to: new_rel.to_owned(),
        }];
    }
    walked
        .files
        .iter()
        .filter_map(|file| {
            let rest = file.rel.strip_prefix(old_rel)?.strip_prefix('/')?;
            Some(Move {
                from: file.rel.clone(),
                to: format!("{new_rel}/{rest}"),
            })
        })
        .collect()
}

/// `path` (from the current directory) as a vault-relative path without `.` or `..`;
/// `None` outside the vault.
fn vault_relative(config: &Config, path: &Path) -> Option<String> {
    let inside = crate::paths::within_root(&config.vault_root, path)?;
    let cwd = std::env::current_dir().ok()?;
    let abs = crate::paths::normalize(&cwd.join(inside));
    let root = crate::paths::normalize(&cwd.join(&config.vault_root));
    let rel: PathBuf = abs.strip_prefix(root).ok()?.to_path_buf();
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn is_under(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether both paths name one file (a change of case on a case-insensitive disk).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
