//! `notelint init [PATH]`: infer `notelint.toml` and JSON Schemas from the vault as it is,
//! check the vault with them, and write them (or print them with `--dry-run`).
//!
//! The inferred files are first written to a staging folder outside the vault and loaded
//! from there exactly as `check --config` would load them, so a configuration that does
//! not load or a schema that does not compile is never written into the vault, and the
//! findings shown (and recorded by `--write-baseline`) are those `check` will give.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{SUCCESS, max_jobs, output_failed};
use crate::cli::InitArgs;
use crate::config::{CONFIG_FILE_NAME, Config};
use crate::error::FileError;
use crate::infer::{self, File, Options};
use crate::lint::{self, Outcome, Request};
use crate::output::{self, Format, Style, Totals};
use crate::schema::Schemas;

/// Findings listed in the closing summary; `check` shows them all.
const SHOWN_FINDINGS: usize = 40;

pub fn run(args: &InitArgs) -> Result<u8, Vec<FileError>> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return Err(vec![FileError::new(&root, "not a folder")]);
    }
    let threads = args.jobs.map_or(0, |jobs| jobs.min(max_jobs()));
    if threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let vault = infer::collect(&root, args.no_ignore, threads);
    if vault.samples.is_empty() {
        return Err(vec![
            FileError::new(&root, "no notes found: nothing to infer from").with_help(
                "run `notelint init` in the vault's folder, or name it: `notelint init PATH`",
            ),
        ]);
    }
    let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let mut plan = infer::infer(
        &vault,
        &Options {
            threshold: args.threshold,
            today,
        },
    );
    drop(vault);

    let staging = tempfile::Builder::new()
        .prefix("notelint-init-")
        .tempdir()
        .map_err(|err| {
            vec![FileError::new(
                "<staging>",
                format!("cannot create a temporary folder: {err}"),
            )]
        })?;
    let request = Request {
        paths: Vec::new(),
        no_ignore: args.no_ignore,
        threads,
        today,
        stdin: None,
        progress: false,
        cache: false,
    };
    let mut checked = check_staged(staging.path(), &root, &plan.files, &request)?;
    if let Ok(outcome) = &checked {
        let conventions = conventions(outcome);
        if !conventions.is_empty() {
            if let Some(config) = plan.files.iter_mut().find(|f| f.path == CONFIG_FILE_NAME) {
                config
                    .text
                    .push_str(&infer::write::rules_section(&conventions));
            }
            plan.summary.push(format!(
                "rules off as the vault's convention: {}",
                conventions
                    .iter()
                    .map(|c| c.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            checked = check_staged(staging.path(), &root, &plan.files, &request)?;
        }
    }

    if !args.dry_run && !args.force {
        let existing: Vec<&File> = plan
            .files
            .iter()
            .filter(|file| {
                let path = root.join(&file.path);
                path.exists() && std::fs::read(&path).ok().as_deref() != Some(file.text.as_bytes())
            })
            .collect();
        if let Some(first) = existing.first() {
            let names: Vec<&str> = existing.iter().map(|f| f.path.as_str()).collect();
            return Err(vec![
                FileError::new(
                    root.join(&first.path),
                    format!("would overwrite {}", names.join(", ")),
                )
                .with_help("`--force` overwrites them; `--dry-run` prints what would be written"),
            ]);
        }
    }

    let mut out = std::io::stdout().lock();
    let mut text = String::new();
    if args.dry_run {
        for file in &plan.files {
            text.push_str(&format!("==> {} <==\n{}\n", file.path, file.text));
        }
    } else {
        write_files(&root, &plan.files)?;
    }
    if let (Some(path), Ok(outcome)) = (&args.write_baseline, &checked) {
        let count = crate::baseline::write(path, outcome).map_err(|error| vec![error])?;
        text.push_str(&format!(
            "recorded {count} findings in {}\n",
            path.display()
        ));
    }
    for line in &plan.summary {
        text.push_str(line);
        text.push('\n');
    }
    let names: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    text.push_str(&format!(
        "{} {}\n",
        if args.dry_run { "would write" } else { "wrote" },
        names.join(", ")
    ));
    if let Err(err) = out.write_all(text.as_bytes()) {
        return Ok(output_failed(&err, SUCCESS));
    }
    let outcome = match checked {
        Ok(outcome) => outcome,
        Err(mut errors) => {
            let _ = out.flush();
            errors.insert(
                0,
                FileError::new(
                    &root,
                    "with this configuration `notelint check` stops at these errors",
                )
                .with_help("correct them, then run `notelint check`"),
            );
            return Err(errors);
        }
    };
    Ok(match standing_out(&outcome, &mut out) {
        Ok(()) => SUCCESS,
        Err(err) => output_failed(&err, SUCCESS),
    })
}

/// Writes the files to the staging folder and checks the vault at `root` with them, as
/// `check --config STAGED` would. `Err`: the configuration or a schema does not load (a
/// bug of inference); `Ok(Err)`: a note stops the check.
fn check_staged(
    staging: &Path,
    root: &Path,
    files: &[File],
    request: &Request,
) -> Result<Result<Outcome, Vec<FileError>>, Vec<FileError>> {
    write_files(staging, files)?;
    let config = Config::load_for(&staging.join(CONFIG_FILE_NAME), root.to_path_buf())
        .map_err(|error| vec![error])?;
    let schemas = Schemas::new(&config)?;
    // A note that stops `check` (a `$schema` it cannot read) stops no inference: the files
    // are still shown or written, and the error said after them.
    Ok(lint::lint(&config, &schemas, request).map(|mut outcome| {
        // Findings in the staged configuration itself would name the staging folder; an
        // inferred configuration associates only types and folders that have notes.
        outcome
            .reports
            .retain(|report| !Path::new(&report.path).is_absolute());
        outcome
    }))
}

/// A rule that fires in at least 1 of this many notes (and in a type's worth of them)
/// reports the vault's convention, not its anomalies: `init` turns it off, saying so.
const CONVENTION_SHARE: usize = 5;

/// The rules whose findings are the vault's convention. Schema rules are left alone: the
/// schemas were inferred from the notes, so their findings are outliers by construction.
fn conventions(outcome: &Outcome) -> Vec<infer::config::Evidenced<String>> {
    let mut notes: BTreeMap<&'static str, usize> = BTreeMap::new();
    for report in &outcome.reports {
        let mut codes: Vec<&'static str> = report.diagnostics.iter().map(|d| d.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            *notes.entry(code).or_default() += 1;
        }
    }
    let total = outcome.notes_checked;
    let min = infer::types::min_group(total);
    notes
        .into_iter()
        .filter(|(code, n)| {
            !code.starts_with("schema/") && *n >= min && n * CONVENTION_SHARE >= total
        })
        .map(|(code, n)| infer::config::Evidenced {
            value: code.to_owned(),
            evidence: format!(
                "fires in {n} of {total} notes: the vault's convention rather than an anomaly (delete the line to see them)"
            ),
        })
        .collect()
}

/// Writes `files` under `root`, creating the schema folder.
fn write_files(root: &Path, files: &[File]) -> Result<(), Vec<FileError>> {
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| {
                vec![FileError::new(
                    parent,
                    format!("cannot create the folder: {err}"),
                )]
            })?;
        }
        crate::fs::write(&path, file.text.as_bytes())
            .map_err(|err| vec![FileError::new(&path, format!("cannot write it: {err}"))])?;
    }
    Ok(())
}

/// What `check` now reports: totals, counts per rule, and the first findings, one a line.
fn standing_out(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let totals = Totals::of(outcome);
    let findings = totals.errors + totals.warnings + totals.infos;
    if findings == 0 {
        writeln!(
            out,
            "with this configuration `notelint check` finds nothing: no note stands out"
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "with this configuration `notelint check` reports {}; the notes that stand out:",
        output::summary_line(&totals)
    )?;
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in outcome.reports.iter().flat_map(|r| &r.diagnostics) {
        *per_code.entry(diagnostic.code()).or_default() += 1;
    }
    for (code, count) in &per_code {
        writeln!(out, "  {count:>6}  {code}")?;
    }
    let mut shown = Outcome {
        reports: Vec::new(),
        notes_checked: outcome.notes_checked,
        checked: Vec::new(),
        root: outcome.root.clone(),
        empty_folders: Vec::new(),
    };
    let mut left = SHOWN_FINDINGS;
    for report in &outcome.reports {
        if left == 0 {
            break;
        }
        let take = report.diagnostics.len().min(left);
        left -= take;
        shown.reports.push(lint::FileReport {
            path: report.path.clone(),
            source: report.source.clone(),
            diagnostics: report.diagnostics[..take].to_vec(),
        });
    }
    let style = Style {
        color: false,
        quiet: true,
        statistics: false,
    };
    output::write(&shown, Format::Concise, style, out)?;
    if findings > SHOWN_FINDINGS {
        writeln!(
            out,
            "... and {} more: `notelint check` lists them all",
            findings - SHOWN_FINDINGS
        )?;
    }
    Ok(())
}
