//! `notelint check`: lint, print in the chosen format, exit 0/1/2.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use super::{
    FAILURE, FINDINGS, SUCCESS, configure, inside_vault, output_failed, setup, threads, wants_color,
};
use crate::baseline;
use crate::cli::CheckArgs;
use crate::config::{self, Config};
use crate::error::FileError;
use crate::fs;
use crate::lint::{self, Outcome, Request};
use crate::output::{self, Destination, Style};
use crate::rules;
use crate::schema::Schemas;
use crate::walk;

pub fn run(args: &CheckArgs) -> Result<u8, Vec<FileError>> {
    let (config, schemas, mut request) = prepare(args)?;
    if let Some(path) = &args.stdin_filename {
        let input = read_stdin()?;
        if !walk::is_lintable_note(&config, path) {
            // What `check` over the vault skips, the editor skips too.
            return Ok(report(Outcome::default(), args));
        }
        request.stdin = Some(input);
    }
    if nothing_listed(args, &request) {
        return Ok(report(Outcome::default(), args));
    }
    let outcome = lint::lint(&config, &schemas, &request)?;
    Ok(report(outcome, args))
}

/// Standard input, whole: a note's bytes in editor mode, or a `--files-from -` list.
pub fn read_stdin() -> Result<Vec<u8>, Vec<FileError>> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|err| {
        vec![FileError::new(
            "<stdin>",
            format!("cannot read standard input: {err}"),
        )]
    })?;
    Ok(bytes)
}

/// The paths to lint: PATHS plus the `--files-from` list, whose entries are relative to the
/// current directory (as `git diff --name-only` prints them from the repository root).
/// A listed file that no longer exists (deleted in the change being checked) or that is
/// not a note (`git diff` lists images too) is skipped; so is any path outside the vault.
fn listed_paths(args: &CheckArgs, config: &Config) -> Result<Vec<PathBuf>, Vec<FileError>> {
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        let bytes = if list.as_os_str() == "-" {
            read_stdin()?
        } else {
            std::fs::read(list).map_err(|err| {
                vec![FileError::new(
                    list,
                    format!("cannot read the list of files: {err}"),
                )]
            })?
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| vec![FileError::new(list, "the list of files is not valid UTF-8")])?;
        paths.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .filter(|path| match std::fs::symlink_metadata(path) {
                    Ok(meta) if meta.is_dir() => true,
                    Ok(_) => walk::has_note_extension(path, config),
                    Err(_) => false,
                }),
        );
    }
    Ok(inside_vault(config, paths))
}

/// Lints nothing when paths were named but none is left to lint (an empty `--files-from`
/// list: a pull request that touches no notes; only files outside the vault), rather than
/// the whole vault.
pub fn nothing_listed(args: &CheckArgs, request: &Request) -> bool {
    (args.files_from.is_some() || !args.paths.is_empty()) && request.paths.is_empty()
}

/// Configuration (with `--select`/`--ignore` applied), compiled schemas and the request.
pub fn prepare(args: &CheckArgs) -> Result<(Config, Schemas, Request), Vec<FileError>> {
    // A usage error is said before any work.
    destinations(args)?;
    let mut config = match &args.stdin_filename {
        Some(path) => configure(std::slice::from_ref(path), &args.common)?,
        // `--files-from` entries do not choose the vault: a list from a monorepo's
        // `git diff` starts with whatever file sorts first.
        None => setup(&args.paths, &args.common)?,
    };
    let paths = match &args.stdin_filename {
        Some(path) => vec![path.clone()],
        None => listed_paths(args, &config)?,
    };
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        rules::selection::check_selector(selector).map_err(|(message, help)| {
            vec![FileError::new("--select/--ignore", message).with_optional_help(help)]
        })?;
    }
    config.selection = config::Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let schemas = Schemas::new(&config)?;
    let request = Request {
        paths,
        no_ignore: args.common.no_ignore,
        threads: threads(&args.common),
        today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
        stdin: None,
        cache: !args.common.no_cache,
        progress: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
    };
    Ok((config, schemas, request))
}

/// Applies `--baseline` / `--write-baseline`, prints the outcome and returns the exit code
/// `--fail-on` asks for.
pub fn report(mut outcome: Outcome, args: &CheckArgs) -> u8 {
    if let Some(path) = &args.write_baseline {
        return match baseline::write(path, &outcome) {
            Ok(count) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "recorded {count} findings in {}",
                    path.display()
                );
                SUCCESS
            }
            Err(error) => {
                let _ = std::io::stderr()
                    .write_all(output::render_file_error(&error, false).as_bytes());
                FAILURE
            }
        };
    }
    if let Some(path) = &args.baseline
        && let Err(error) = baseline::apply(path, &mut outcome)
    {
        let _ = std::io::stderr().write_all(output::render_file_error(&error, false).as_bytes());
        return FAILURE;
    }
    warn_empty_folders(&outcome.empty_folders);
    let destinations = match destinations(args) {
        Ok(destinations) => destinations,
        Err(errors) => {
            let mut stderr = std::io::stderr();
            for error in errors {
                let _ = stderr.write_all(output::render_file_error(&error, false).as_bytes());
            }
            return FAILURE;
        }
    };
    let outcome = &outcome;
    let threshold = args.fail_on.threshold();
    let failing = outcome
        .reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity >= threshold);
    let mut code = if failing { FINDINGS } else { SUCCESS };
    let style = |color| Style {
        color,
        quiet: args.quiet,
        statistics: args.statistics,
    };
    // Files first: a reader that closes standard output early does not cost the reports.
    for destination in &destinations {
        let Some(file) = &destination.file else {
            continue;
        };
        let mut bytes = Vec::new();
        let written = output::write(outcome, destination.format, style(false), &mut bytes)
            .and_then(|()| fs::write(file, &bytes));
        if let Err(err) = written {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write {}: {err}",
                output::escape_controls(&file.to_string_lossy())
            );
            // A report that was not written must not pass as a clean run.
            code = FAILURE;
        }
    }
    let Some(to_stdout) = destinations.iter().find(|d| d.file.is_none()) else {
        return code;
    };
    let stdout = std::io::stdout();
    let color = wants_color(args.color, stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    match output::write(outcome, to_stdout.format, style(color), &mut out)
        .and_then(|()| out.flush())
    {
        Ok(()) => code,
        Err(err) => output_failed(&err, code),
    }
}

/// Where each format goes; a usage error when `--format` and `--output-file` disagree.
fn destinations(args: &CheckArgs) -> Result<Vec<Destination>, Vec<FileError>> {
    output::destinations(&args.format, args.output_file.as_deref())
        .map_err(|message| vec![FileError::new("--format", message)])
}

/// `no notes found under PATH` for each folder linted that holds no note: a run that
/// checked nothing must not read as a clean one.
pub fn warn_empty_folders(folders: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for folder in folders {
        let _ = writeln!(
            stderr,
            "warning: no notes found under {}",
            output::escape_controls(folder)
        );
    }
}
