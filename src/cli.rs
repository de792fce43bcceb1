//! Command-line definitions (clap derive) and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use crate::diagnostic::Severity;
use crate::output::{Destination, Format};

#[derive(Debug, Parser)]
#[command(
    name = "notelint",
    version,
    about = "A fast, schema-driven linter for Markdown notes with YAML frontmatter",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint notes (default: the whole vault)
    Check(CheckCommand),
    /// Apply safe fixes, then report what remains
    Fix(FixArgs),
    /// List every rule: code, default severity, fixable, summary
    Rules,
    /// Explain one rule in full, with examples
    Explain {
        /// A rule code such as `schema/enum`
        code: String,
    },
    /// Show which schema each note gets and why, and associations that match no note
    Schemas(SchemasArgs),
    /// The language server, on stdin/stdout (for editors: diagnostics as you type, fixes,
    /// completion, hover, go to definition, references)
    Server,
    /// Infer notelint.toml and JSON Schemas from an existing vault
    Init(InitArgs),
    /// Move or rename a note, attachment or folder and rewrite every link to it
    Mv(MvArgs),
    /// Print shell completions
    Completions {
        /// bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of notelint.toml, for editor completion
    ConfigSchema,
}

#[derive(Debug, Args)]
pub struct CheckCommand {
    #[command(flatten)]
    pub args: CheckArgs,

    /// After the first report, print a fresh one whenever a file of the vault changes, until
    /// Ctrl-C (the configuration and schemas are read again each time)
    #[arg(long, conflicts_with_all = ["stdin_filename", "files_from", "write_baseline"])]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Notes or folders to lint (default: the vault root)
    #[arg(value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format (default: human). FORMAT=FILE writes that format to FILE instead of
    /// standard output; repeat the flag for several reports from one run (at most one
    /// without a file)
    #[arg(
        long,
        value_name = "FORMAT[=FILE]",
        value_parser = DestinationParser,
        env = "NOTELINT_FORMAT"
    )]
    pub format: Vec<Destination>,

    /// Write the report to FILE instead of standard output (not with --format FORMAT=FILE)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output_file: Option<PathBuf>,

    /// Exit 1 when a finding has at least this severity
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Only report these rule codes or groups (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub select: Option<Vec<String>>,

    /// Never report these rule codes or groups (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub ignore: Vec<String>,

    /// When to use colour (honours NO_COLOR)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print findings only, no summary
    #[arg(long, short)]
    pub quiet: bool,

    /// Print the number of findings per rule
    #[arg(long)]
    pub statistics: bool,

    /// The date `dates/future` compares against (default: the local date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,

    /// Read the note from standard input as if it were at PATH (editor mode); `fix` prints
    /// the fixed text instead of writing. A path the vault excludes, or without a note
    /// extension, gives no findings (`fix` gives the text back unchanged)
    #[arg(
        long,
        value_name = "PATH",
        value_hint = ValueHint::FilePath,
        conflicts_with_all = ["paths", "files_from"]
    )]
    pub stdin_filename: Option<PathBuf>,

    /// Report only findings not recorded in FILE (see --write-baseline)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE, so later runs with --baseline report only new ones
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Also lint the paths listed in FILE, one per line (`-`: standard input), relative to
    /// the current directory; listed files that no longer exist or are not notes are skipped
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub files_from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub report: CheckArgs,

    /// Print a unified diff of the fixes and write nothing; exit 1 if anything would change
    #[arg(long, conflicts_with = "check")]
    pub diff: bool,

    /// Write nothing, print nothing; exit 1 if anything would change
    #[arg(long)]
    pub check: bool,

    /// Also apply unsafe fixes (those that may change meaning or touch the body)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Also repair the links broken by files renamed or moved since REV (default HEAD), as
    /// git sees them: renames staged or not, and deleted notes that now stand in a new file
    #[arg(
        long,
        value_name = "REV",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "HEAD",
        conflicts_with = "stdin_filename"
    )]
    pub follow_renames: Option<String>,
}

#[derive(Debug, Args)]
pub struct MvArgs {
    /// The note, attachment or folder to move
    #[arg(value_hint = ValueHint::AnyPath)]
    pub old: PathBuf,

    /// Its new path (inside the vault; must not exist; missing folders are created)
    #[arg(value_hint = ValueHint::AnyPath)]
    pub new: PathBuf,

    /// Print what would be moved and rewritten; move and write nothing
    #[arg(long, conflicts_with = "diff")]
    pub dry_run: bool,

    /// Print a unified diff of the link rewrites; move and write nothing
    #[arg(long)]
    pub diff: bool,

    /// Move with `git mv`, so history follows
    #[arg(long)]
    pub git: bool,

    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct SchemasArgs {
    /// Notes or folders to show (default: the vault root)
    #[arg(value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The vault's folder (default: the current directory)
    #[arg(value_hint = ValueHint::DirPath)]
    pub path: Option<PathBuf>,

    /// Print the files that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Overwrite notelint.toml and schema files that exist
    #[arg(long)]
    pub force: bool,

    /// Also record the findings of the new configuration in FILE (see check --baseline)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub write_baseline: Option<PathBuf>,

    /// Share of a type's notes a property must be in to be required (0 to 1)
    #[arg(long, value_name = "SHARE", default_value_t = 0.95, value_parser = parse_share)]
    pub threshold: f64,

    /// The date fields that are never in the future are compared against (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,

    /// Don't honour .gitignore and .ignore files
    #[arg(long)]
    pub no_ignore: bool,

    /// Worker threads (default: one per core)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// A share between 0 and 1 (`0.95`), or a percentage (`95%`).
fn parse_share(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(number) => (number, 100.0),
        None => (text, 1.0),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number such as 0.95 or 95%"))?;
    let share = value / scale;
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!("`{text}` is not between 0 and 1 (or 0% and 100%)"))
    }
}

/// Flags every command that reads the vault shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Use the settings in this file instead of the vault's own notelint.toml (the vault
    /// root is still found from the first path; schema paths are relative to this file)
    #[arg(long, value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Don't honour .gitignore and .ignore files
    #[arg(long)]
    pub no_ignore: bool,

    /// Worker threads (default: one per core; at most 4 per core, and 256)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// Neither read nor write the cache of earlier runs (in the user's cache directory)
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses `--format FORMAT[=FILE]` and tells help and completions the format names.
#[derive(Debug, Clone, Copy)]
struct DestinationParser;

impl clap::builder::TypedValueParser for DestinationParser {
    type Value = Destination;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Destination, clap::Error> {
        let invalid = |message: String| {
            let arg = arg.map_or_else(|| "--format".to_owned(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "invalid value '{}' for '{arg}': {message}\n",
                    value.to_string_lossy()
                ),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| invalid("not valid UTF-8".to_owned()))?;
        text.parse().map_err(invalid)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}
