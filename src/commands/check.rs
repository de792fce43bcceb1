//! `notelint check`: lint, print in the chosen format, exit 0/1/2.

use std::io::{IsTerminal, Write};

use super::{FAILURE, FINDINGS, SUCCESS, setup, threads, wants_color};
use crate::cli::CheckArgs;
use crate::config::{self, Config};
use crate::error::FileError;
use crate::lint::{self, Outcome, Request};
use crate::output::{self, Style};
use crate::schema::Schemas;

pub fn run(args: &CheckArgs) -> Result<u8, Vec<FileError>> {
    let (config, schemas, request) = prepare(args)?;
    let outcome = lint::lint(&config, &schemas, &request)?;
    Ok(report(&outcome, args))
}

/// Configuration (with `--select`/`--ignore` applied), compiled schemas and the request.
pub fn prepare(args: &CheckArgs) -> Result<(Config, Schemas, Request), Vec<FileError>> {
    let mut config = setup(&args.paths, &args.common)?;
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        config::check_selector(selector).map_err(|(message, help)| {
            vec![FileError::new("--select/--ignore", message).with_optional_help(help)]
        })?;
    }
    config
        .severities
        .set_selection(args.select.clone(), args.ignore.clone());
    let schemas = Schemas::new(&config).map_err(|e| vec![e])?;
    let request = Request {
        paths: args.paths.clone(),
        no_ignore: args.common.no_ignore,
        threads: threads(&args.common),
        today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
    };
    Ok((config, schemas, request))
}

/// Prints the outcome and returns the exit code `--fail-on` asks for.
pub fn report(outcome: &Outcome, args: &CheckArgs) -> u8 {
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
