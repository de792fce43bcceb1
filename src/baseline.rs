//! Baselines: record the current findings so an existing vault can adopt notelint and fail
//! only on new ones (`--write-baseline FILE`, then `--baseline FILE`).
//!
//! A finding is keyed by its note, its code and the text it points at — not by line, so
//! edits elsewhere in the note do not revive recorded findings. Keys are counted: a note
//! with two recorded broken links to the same target fails when a third appears.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::lint::report::{FileReport, Outcome};

/// The file's format. `version` changes only with an incompatible change of shape.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Recorded>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Recorded {
    path: String,
    code: String,
    /// The text the finding points at.
    text: String,
    /// How many findings share this key.
    count: usize,
}

type Key = (String, String, String);

fn keys(report: &FileReport) -> impl Iterator<Item = Key> + '_ {
    report.diagnostics.iter().map(|d| {
        let text = report
            .source
            .get(d.span.clone())
            .unwrap_or_default()
            .to_owned();
        (report.path.clone(), d.code().to_owned(), text)
    })
}

/// Writes every finding of `outcome` to `path`; returns how many were recorded.
pub fn write(path: &Path, outcome: &Outcome) -> Result<usize, FileError> {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for key in outcome.reports.iter().flat_map(keys) {
        *counts.entry(key).or_default() += 1;
    }
    let total = counts.values().sum();
    let file = BaselineFile {
        version: 1,
        findings: counts
            .into_iter()
            .map(|((path, code, text), count)| Recorded {
                path,
                code,
                text,
                count,
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&file)
        .map_err(|err| FileError::new(path, format!("cannot encode the baseline: {err}")))?;
    json.push('\n');
    crate::fs::write(path, json.as_bytes())
        .map_err(|err| FileError::new(path, format!("cannot write the baseline: {err}")))?;
    Ok(total)
}

/// Removes from `outcome` the findings `path` records; returns how many were removed.
pub fn apply(path: &Path, outcome: &mut Outcome) -> Result<usize, FileError> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| FileError::new(path, format!("cannot read the baseline: {err}")))?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|err| {
        FileError::new(path, format!("not a notelint baseline: {err}"))
            .with_help("write one with `notelint check --write-baseline FILE`")
    })?;
    if file.version != 1 {
        return Err(FileError::new(
            path,
            format!("unsupported baseline version {}", file.version),
        ));
    }
    let mut budget: BTreeMap<Key, usize> = file
        .findings
        .into_iter()
        .map(|r| ((r.path, r.code, r.text), r.count))
        .collect();
    let mut removed = 0;
    for report in &mut outcome.reports {
        let keep: Vec<bool> = keys(report)
            .map(|key| match budget.get_mut(&key) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    false
                }
                _ => true,
            })
            .collect();
        removed += keep.iter().filter(|k| !**k).count();
        let mut keep = keep.into_iter();
        report.diagnostics.retain(|_| keep.next().unwrap_or(true));
    }
    outcome.reports.retain(|r| !r.diagnostics.is_empty());
    Ok(removed)
}
