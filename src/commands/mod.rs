//! The subcommands: each turns parsed arguments into work and an exit code.

mod check;
mod fix;
mod init;
mod mv;
mod rules;
mod schemas;
mod server;
mod watch;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{Cli, ColorChoice, Command, CommonArgs};
use crate::config::Config;
use crate::error::FileError;
use crate::output;
use crate::paths;

/// Exit codes (SPEC 2).
pub const SUCCESS: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const FAILURE: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(command) if command.watch => watch::run(&command.args),
        Command::Check(command) => check::run(&command.args),
        Command::Fix(args) => fix::run(&args),
        Command::Rules => rules::list(),
        Command::Explain { code } => rules::explain(&code),
        Command::Schemas(args) => schemas::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Mv(args) => mv::run(&args),
        Command::Server => server::run(),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            // Generated in memory: clap_complete panics when its writer fails.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "notelint", &mut script);
            Ok(print(&script))
        }
        Command::ConfigSchema => {
            let schema = crate::config::json_schema(&crate::rules::selection::selectors());
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            Ok(print(format!("{text}\n").as_bytes()))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(errors) => {
            let color = wants_color(ColorChoice::Auto, std::io::stderr().is_terminal());
            let mut stderr = std::io::stderr().lock();
            for error in errors {
                let _ = stderr.write_all(output::render_file_error(&error, color).as_bytes());
            }
            ExitCode::from(FAILURE)
        }
    }
}

/// Writes `bytes` to standard output; the exit code of a command whose output is all that.
fn print(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => SUCCESS,
        Err(err) => output_failed(&err, SUCCESS),
    }
}

/// The exit code of a run whose output could not be written, which would otherwise have
/// ended with `code`. A closed pipe (`notelint check | head`) is the reader's choice: a
/// quiet end, as in ripgrep, but with the exit code the findings give (ripgrep's 0 means
/// "found"; here it would turn a run with findings into a pass under `pipefail`, for
/// output long enough to outlast the reader). Any other failure (`> /dev/full`) is said in
/// one line and exits 2: a report that was not written must not pass as a clean run.
pub fn output_failed(err: &std::io::Error, code: u8) -> u8 {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        return code;
    }
    let _ = writeln!(std::io::stderr(), "error: cannot write the output: {err}");
    FAILURE
}

/// Whether to colour output going to a stream that is (or is not) a terminal.
pub fn wants_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Loads the configuration for a run over `paths` and sets up the thread pool.
fn setup(paths: &[PathBuf], common: &CommonArgs) -> Result<Config, Vec<FileError>> {
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(vec![FileError::new(path, "no such file or folder")]);
        }
    }
    configure(paths, common)
}

/// Like `setup`, for paths that need not exist (an unsaved note in editor mode).
fn configure(paths: &[PathBuf], common: &CommonArgs) -> Result<Config, Vec<FileError>> {
    let jobs = threads(common);
    if jobs > 0 {
        // Fails only if a pool already exists, which cannot happen in one process run.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let start = discovery_start(paths.first().map(PathBuf::as_path));
    let mut config = Config::discover(&start, common.config.as_deref()).map_err(|e| vec![e])?;
    crate::rules::selection::validate(&config).map_err(|e| vec![e])?;
    config.vault_root = paths::relative_to_cwd(&config.vault_root);
    config.file = config.file.as_deref().map(paths::relative_to_cwd);
    Ok(config)
}

/// The paths that lie inside the vault; the others are never read or written, and one line
/// on stderr says how many were skipped (a monorepo's `git diff --name-only` lists files
/// outside the vault as a matter of course).
fn inside_vault(config: &Config, paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let total = paths.len();
    let inside: Vec<PathBuf> = paths
        .iter()
        .filter_map(|path| crate::paths::within_root(&config.vault_root, path))
        .collect();
    let outside = total - inside.len();
    if outside > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "warning: skipped {outside} path{} outside the vault root {}",
            if outside == 1 { "" } else { "s" },
            output::escape_controls(&config.vault_root.to_string_lossy())
        );
    }
    inside
}

/// Configuration is searched upward from the first path given (its folder for a file),
/// or from the current directory.
fn discovery_start(first: Option<&Path>) -> PathBuf {
    let start = match first {
        // A path that is or goes through a symlink is never linted (the walk skips it), so
        // its target must not choose the configuration either: a symlink to a folder
        // outside the vault holding a `notelint.toml` would pick the schemas to read.
        Some(path) if crate::walk::is_or_through_symlink(path) => PathBuf::from("."),
        Some(path) if path.is_dir() => path.to_path_buf(),
        Some(path) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        None => PathBuf::from("."),
    };
    std::path::absolute(&start).map_or(start, |abs| crate::paths::normalize(&abs))
}

/// The most worker threads `--jobs` gets: 4 per core, at most 256. More only cost a thread
/// (and its stack) each and time to start them, and tens of thousands exhaust the process;
/// a larger value is lowered to this bound rather than refused, so one `--jobs` in a shared
/// hook or CI file works on every machine.
pub fn max_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.saturating_mul(4).min(256)
}

/// `--jobs`, bounded by `max_jobs`; 0 (the default) means one per core.
fn threads(common: &CommonArgs) -> usize {
    common.jobs.map_or(0, |jobs| jobs.min(max_jobs()))
}
