//! What inference reads of a vault: one compact sample per note (its frontmatter as JSON,
//! its tags, the notes its frontmatter links to), read in parallel and sorted by path, so
//! that everything inferred from them is independent of the walk's order.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{Config, PropertyType};
use crate::note::{Note, body};
use crate::vault::{Resolution, VaultIndex};
use crate::walk::{self, Exclusions};

/// One note as inference sees it.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// The frontmatter, when the note has one that loads as a mapping.
    pub frontmatter: Option<serde_json::Map<String, serde_json::Value>>,
    /// Tags of the `tags` field and of the body, without `#`, as written.
    pub tags: Vec<String>,
    /// Frontmatter wikilinks that resolve to a note: (property, index of that note's sample).
    pub links: Vec<(String, usize)>,
}

/// The notes of a vault, sorted by path, and Obsidian's property types.
#[derive(Debug, Default)]
pub struct Vault {
    pub samples: Vec<Sample>,
    /// `.obsidian/types.json`, by property name as written there.
    pub obsidian_types: BTreeMap<String, PropertyType>,
}

impl Vault {
    /// The samples that have a frontmatter mapping.
    pub fn with_frontmatter(&self) -> impl Iterator<Item = (usize, &Sample)> {
        self.samples
            .iter()
            .enumerate()
            .filter(|(_, s)| s.frontmatter.is_some())
    }
}

/// Reads every note of the vault at `root` as `check` would walk it with no
/// configuration (ignore files, hidden files and Obsidian's excluded files and templates
/// folder honoured).
pub fn collect(root: &Path, no_ignore: bool, threads: usize) -> Vault {
    let config = Config::defaults(root.to_path_buf());
    let exclusions = Exclusions::new(&config);
    let walk = walk::walk(&config, &exclusions, no_ignore, threads, None);
    let index = VaultIndex::new(&walk);
    let options = crate::lint::parse_options(&config);
    let limit = config.settings.vault.max_note_bytes;
    let notes: Vec<usize> = (0..walk.files.len())
        .filter(|&id| walk.files[id].is_note && !walk.files[id].excluded)
        .collect();
    // The walk is sorted by path, so sample `i` is the `i`-th note in path order.
    let sample_of: FxHashMap<usize, usize> =
        notes.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let samples: Vec<Sample> = notes
        .par_iter()
        .map(|&id| {
            let file = &walk.files[id];
            let mut sample = Sample {
                path: file.rel.clone(),
                ..Sample::default()
            };
            let Some(text) = crate::note::read::read_text(&file.abs, limit) else {
                return sample;
            };
            let note = Note::parse(file.rel.clone(), text, &options);
            sample.tags = tags(&note, &config);
            if let Some(fm) = note.parsed()
                && let serde_json::Value::Object(map) = fm.root().to_json()
            {
                let origin = index.origin(&file.rel);
                for (key, value) in &map {
                    for target in wikilink_targets(value) {
                        if let Resolution::Found { id, .. } =
                            index.resolve_wikilink(&origin, &target)
                            && let Some(&target) = sample_of.get(&id)
                        {
                            sample.links.push((key.clone(), target));
                        }
                    }
                }
                sample.frontmatter = Some(map);
            }
            sample
        })
        .collect();
    let obsidian_types = crate::rules::properties::obsidian_types(root)
        .into_iter()
        .map(|(name, (ty, _))| (name, ty))
        .collect();
    Vault {
        samples,
        obsidian_types,
    }
}

/// The note's tags: the `tags` field (a string split as Obsidian reads it) and inline tags.
fn tags(note: &Note, config: &Config) -> Vec<String> {
    let tags = &config.settings.tags;
    let review = config.settings.review.tag.get_ref();
    let mut out: Vec<String> =
        crate::note::tag_fields::frontmatter_tags(note, &tags.fields, review)
            .into_iter()
            .map(|item| item.name)
            .filter(|name| !name.is_empty())
            .collect();
    out.extend(note.body.tags.iter().map(|tag| tag.name.clone()));
    out
}

/// The targets of the wikilinks in a frontmatter value (a string or a list of strings).
fn wikilink_targets(value: &serde_json::Value) -> Vec<String> {
    let strings: Vec<&str> = match value {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(items) => items.iter().filter_map(|i| i.as_str()).collect(),
        _ => Vec::new(),
    };
    strings
        .into_iter()
        .filter(|s| s.contains("[["))
        .flat_map(|s| body::wikilinks_in(s, 0))
        .map(|link| link.target)
        .filter(|target| !target.is_empty())
        .collect()
}
