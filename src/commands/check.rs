//! `notelint check`: lint, print in the chosen format, exit 0/1/2.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use super::{FAILURE, FINDINGS, SUCCESS, configure, setup, threads, wants_color};
use crate::baseline;
use crate::cli::CheckArgs;
use crate::config::{self, Config};
use crate::error::FileError;
use crate::lint::{self, Outcome, Request};
use crate::output::{self, Style};
use crate::schema::Schemas;

pub fn run(args: &CheckArgs) -> Result<u8, Vec<FileError>> {
    let (config, schemas, mut request) = prepare(args)?;
    if args.stdin_filename.is_some() {
        request.stdin = Some(read_stdin()?);
    }
    if nothing_listed(args, &request) {
        return Ok(report(Outcome::default(), args));
    }
    let outcome = lint::lint(&config, &schemas, &request)?;
    Ok(report(outcome, args))
}

pub fn read_stdin() -> Result<String, Vec<FileError>> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|err| {
        vec![FileError::new(
            "<stdin>",
            format!("cannot read standard input as UTF-8: {err}"),
        )]
    })?;
    Ok(text)
}

/// The paths to lint: the arguments plus `--files-from`, or the `--stdin-filename` path.
fn paths(args: &CheckArgs) -> Result<Vec<PathBuf>, Vec<FileError>> {
    if let Some(path) = &args.stdin_filename {
        return Ok(vec![path.clone()]);
    }
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        let text = if list.as_os_str() == "-" {
            read_stdin()?
        } else {
            std::fs::read_to_string(list).map_err(|err| {
                vec![FileError::new(
                    list,
                    format!("cannot read the list of files: {err}"),
                )]
            })?
        };
        paths.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from),
        );
    }
    Ok(paths)
}

/// An empty `--files-from` list (a pull request that touches no notes) lints nothing, not
/// the whole vault.
pub fn nothing_listed(args: &CheckArgs, request: &Request) -> bool {
    args.files_from.is_some() && request.paths.is_empty()
}

/// Configuration (with `--select`/`--ignore` applied), compiled schemas and the request.
pub fn prepare(args: &CheckArgs) -> Result<(Config, Schemas, Request), Vec<FileError>> {
    let paths = paths(args)?;
    let mut config = if args.stdin_filename.is_some() {
        configure(&paths, &args.common)?
    } else {
        setup(&paths, &args.common)?
    };
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        config::check_selector(selector).map_err(|(message, help)| {
            vec![FileError::new("--select/--ignore", message).with_optional_help(help)]
        })?;
    }
    config
        .severities
        .set_selection(args.select.clone(), args.ignore.clone());
    let schemas = Schemas::new(&config)?;
    let request = Request {
        paths,
        no_ignore: args.common.no_ignore,
        threads: threads(&args.common),
        today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
        stdin: None,
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
    let outcome = &outcome;
    let stdout = std::io::stdout();
    let style = Style {
        color: wants_color(args.color, stdout.is_terminal()),
        quiet: args.quiet,
        statistics: args.statistics,
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    if output::write(outcome, args.format, style, &mut out)
        .and_then(|()| out.flush())
        .is_err()
    {
        return FAILURE;
    }
    let threshold = args.fail_on.threshold();
    let failing = outcome
        .reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing { FINDINGS } else { SUCCESS }
}
