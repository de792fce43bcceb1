//! Which notes belong together: the type field (`type` when most notes have it, else the
//! key whose few values split the notes into groups), or, with none, folders.
//!
//! A group needs support ([`min_group`] notes): a type value seen in fewer notes (a typo
//! such as `type: poeple`) gets no schema of its own; `check` reports it as an unknown
//! type, with the closest known one as its help.

use std::collections::BTreeMap;

use super::sample::Vault;
use super::stats::{percent, plural};

/// Keys that name a note's kind in common vault conventions, preferred on a tie.
const TYPE_LIKE: &[&str] = &[
    "type",
    "category",
    "kind",
    "class",
    "fileClass",
    "note_type",
    "notetype",
    "layout",
];

/// The most values a key may have to be the type field.
const MAX_TYPES: usize = 16;

/// How the notes are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// By the value of this frontmatter key.
    Field(String),
    /// By folder (`[[schema.paths]]`).
    Folders,
    /// One schema for every note (`[schema] default`).
    All,
}

#[derive(Debug, Clone)]
pub struct Group {
    /// The type value, or the folder's path.
    pub name: String,
    /// For folder groups: the `[[schema.paths]]` glob.
    pub glob: Option<String>,
    /// Indices of the member samples.
    pub members: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Grouping {
    pub by: Option<By>,
    /// Sorted by name.
    pub groups: Vec<Group>,
    /// Why this grouping, for the config comment.
    pub evidence: String,
    /// Notes whose type value has too little support for a group: (sample, value).
    pub outliers: Vec<(usize, String)>,
    /// Notes with frontmatter that are in no group and are not outliers.
    pub ungrouped: usize,
}

/// The fewest notes a group (a type, a folder) needs: 3, or 1 in 1,000 notes of a large
/// vault, so that a typo repeated by a template is not a type either.
pub fn min_group(notes: usize) -> usize {
    (notes / 1000).max(3)
}

/// How well a key groups the notes: a type-like name, the notes its groups hold, fewer
/// groups; higher is better.
type Score = (bool, usize, std::cmp::Reverse<usize>);

/// Chooses how to group the vault's notes.
pub fn choose(vault: &Vault) -> Grouping {
    let with_fm: Vec<usize> = vault.with_frontmatter().map(|(i, _)| i).collect();
    let min = min_group(vault.samples.len());
    if let Some(grouping) = by_field(vault, &with_fm, min) {
        return grouping;
    }
    by_folders(vault, min)
}

/// Per key: the notes holding a non-empty string, by value.
fn string_values(vault: &Vault, notes: &[usize]) -> BTreeMap<String, BTreeMap<String, Vec<usize>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for &i in notes {
        let Some(fm) = &vault.samples[i].frontmatter else {
            continue;
        };
        for (key, value) in fm {
            if let Some(text) = value.as_str().map(str::trim).filter(|t| !t.is_empty()) {
                out.entry(key.clone())
                    .or_default()
                    .entry(text.to_owned())
                    .or_default()
                    .push(i);
            }
        }
    }
    out
}

fn by_field(vault: &Vault, with_fm: &[usize], min: usize) -> Option<Grouping> {
    let total = with_fm.len();
    if total == 0 {
        return None;
    }
    let values = string_values(vault, with_fm);
    let mut best: Option<(Score, &String)> = None;
    for (key, by_value) in &values {
        let present: usize = by_value.values().map(Vec::len).sum();
        let grouped: Vec<usize> = by_value
            .values()
            .map(Vec::len)
            .filter(|&n| n >= min)
            .collect();
        let covered: usize = grouped.iter().sum();
        let is_type = key == "type";
        // `type` on most notes is the type field; another key must split them into a few
        // groups that hold nearly all of the notes carrying it.
        let fits = if is_type {
            present * 2 > total && !grouped.is_empty()
        } else {
            present * 2 > total
                && (2..=MAX_TYPES).contains(&grouped.len())
                && covered * 10 >= present * 9
        };
        if !fits {
            continue;
        }
        let score = (
            is_type || TYPE_LIKE.contains(&key.as_str()),
            covered,
            std::cmp::Reverse(grouped.len()),
        );
        if is_type || best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, key));
            if is_type {
                break;
            }
        }
    }
    let (_, key) = best?;
    let by_value = &values[key];
    let present: usize = by_value.values().map(Vec::len).sum();
    let mut grouping = Grouping {
        by: Some(By::Field(key.clone())),
        evidence: format!(
            "`{key}` is in {present} of {total} notes with frontmatter ({}%)",
            percent(present, total)
        ),
        ..Grouping::default()
    };
    for (value, members) in by_value {
        if members.len() >= min {
            grouping.groups.push(Group {
                name: value.clone(),
                glob: None,
                members: members.clone(),
            });
        } else {
            grouping
                .outliers
                .extend(members.iter().map(|&i| (i, value.clone())));
        }
    }
    grouping.outliers.sort();
    grouping.ungrouped = total - present;
    Some(grouping)
}

/// Groups by folder: the first level where at least two folders have enough notes,
/// descending into a folder that holds every group there is (`content/en/` of a docs site);
/// with none, one schema for all notes (`[schema] default`).
fn by_folders(vault: &Vault, min: usize) -> Grouping {
    let notes: Vec<usize> = vault.with_frontmatter().map(|(i, _)| i).collect();
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let mut by_folder: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &notes {
            let Some((dir, _)) = vault.samples[i].path.rsplit_once('/') else {
                continue;
            };
            let parts: Vec<&str> = dir.split('/').collect();
            if parts.len() > prefix.len() && parts.iter().zip(&prefix).all(|(a, b)| a == b) {
                by_folder
                    .entry(parts[..=prefix.len()].join("/"))
                    .or_default()
                    .push(i);
            }
        }
        let groups: Vec<Group> = by_folder
            .into_iter()
            .filter(|(_, members)| members.len() >= min)
            .map(|(name, members)| Group {
                glob: Some(format!("{}/**", glob_escape(&name))),
                name,
                members,
            })
            .collect();
        match groups.len() {
            0 => break,
            1 if prefix.len() < MAX_FOLDER_DEPTH => {
                let Some(only) = groups.first() else { break };
                let last = only.name.rsplit('/').next().unwrap_or_default();
                prefix.push(last.to_owned());
            }
            1 => break,
            _ => {
                let grouped: usize = groups.iter().map(|g| g.members.len()).sum();
                return Grouping {
                    by: Some(By::Folders),
                    evidence: format!(
                        "no key splits the notes into types; {} of {} in {} folders",
                        plural(grouped, "note"),
                        notes.len(),
                        groups.len()
                    ),
                    groups,
                    outliers: Vec::new(),
                    ungrouped: notes.len() - grouped,
                };
            }
        }
    }
    if notes.len() < min {
        return Grouping {
            ungrouped: notes.len(),
            ..Grouping::default()
        };
    }
    Grouping {
        by: Some(By::All),
        evidence: format!(
            "no key or folder splits the notes into types: one schema for all {} notes with frontmatter",
            notes.len()
        ),
        groups: vec![Group {
            name: "note".to_owned(),
            glob: None,
            members: notes,
        }],
        outliers: Vec::new(),
        ungrouped: 0,
    }
}

/// How deep `by_folders` descends into a single folder.
const MAX_FOLDER_DEPTH: usize = 6;

/// A folder name as a literal in a glob.
fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A file name for a group's schema: the name in lower case, characters other than
/// letters, digits, `-` and `_` as `-`; never `common` (the shared definitions).
pub fn schema_file_names(groups: &[Group]) -> Vec<String> {
    let mut taken: Vec<String> = vec!["common".to_owned()];
    groups
        .iter()
        .map(|group| {
            let base: String = group
                .name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c.to_lowercase().next().unwrap_or(c)
                    } else {
                        '-'
                    }
                })
                .collect();
            let base = base.trim_matches('-').to_owned();
            let base = if base.is_empty() {
                "type".to_owned()
            } else {
                base
            };
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            taken.push(name.clone());
            format!("{name}.schema.json")
        })
        .collect()
}
