//! The server's index of a vault: the incremental [`VaultIndex`] holding every note's facts
//! with their links and tags (for backlinks), kept current one file at a time from file
//! events and open documents, and what completion needs besides (the names a link may be
//! typed as, the vault's tags by frequency).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::workspace::Workspace;
use crate::note::tag::tag_key;
use crate::note::{self, Note, tag_fields};
use crate::relink::Resolver;
use crate::rules::tags::Allowed;
use crate::text::fold;
use crate::vault::{FileId, NoteFacts, VaultIndex};
use crate::walk::{self, VaultFile, Walk, scope_of_path};

/// How a file appears to link completion.
pub struct Listing {
    /// How a link names it (notes without `.md`), folded.
    pub name: Box<str>,
    /// Its vault-relative path, folded.
    pub path: Box<str>,
    pub scope: usize,
    /// Excluded from linting: a link target, never offered.
    pub excluded: bool,
}

/// What the index knows about a vault.
pub struct Index {
    pub vault: VaultIndex,
    nested_roots: Vec<String>,
    /// Per file id; `None` once the file is removed.
    listing: Vec<Option<Listing>>,
    /// `tags.allowed`: only allowed tags are offered (completion must not spread a typo).
    allowed: Option<Allowed>,
    /// Tag key -> (the tag as first written, how many notes carry it).
    tag_counts: FxHashMap<Box<str>, (String, usize)>,
    /// `tag_counts`, most used first.
    tags: Vec<(String, usize)>,
    /// The files as a walk with its own index, for link rewriting (`relink` resolves over
    /// a walk's ids, which this index's do not match); built on first use and dropped
    /// when a file comes or goes.
    files: OnceLock<Resolver>,
}

/// The notes a change may alter the link findings of: the open ones among them are checked
/// again. `all`: any note may be concerned (aliases changed).
#[derive(Debug, Default)]
pub struct Affected {
    /// Vault-relative paths.
    pub notes: FxHashSet<String>,
    pub all: bool,
}

impl Affected {
    fn extend(&mut self, other: Affected) {
        self.notes.extend(other.notes);
        self.all |= other.all;
    }
}

/// A note's facts as the index keeps them, with its tags as written (key, name).
struct Read {
    facts: NoteFacts,
    written: Vec<(String, String)>,
}

impl Index {
    /// Walks the vault and reads every note once (in parallel), reporting the notes read
    /// so far to `progress` now and then.
    pub fn build(ws: &Workspace, progress: &(dyn Fn(usize, usize) + Sync)) -> Index {
        let config = &ws.config;
        let walk = walk::walk(config, &ws.exclusions, false, 0, None);
        let notes: Vec<FileId> = (0..walk.files.len())
            .filter(|&id| walk.files[id].is_note)
            .collect();
        let total = notes.len();
        progress(0, total);
        let done = AtomicUsize::new(0);
        let limit = config.settings.vault.max_note_bytes;
        let read: Vec<(FileId, Read)> = notes
            .par_iter()
            .map(|&id| {
                let file = &walk.files[id];
                let read = match note::read::read_text(&file.abs, limit) {
                    Some(text) => read_note(ws, &ws.parse_rel(&file.rel, text), file.excluded),
                    None => unreadable(),
                };
                let count = done.fetch_add(1, Ordering::Relaxed) + 1;
                if count.is_multiple_of(2000) {
                    progress(count, total);
                }
                (id, read)
            })
            .collect();
        let mut index = Index {
            vault: VaultIndex::new(&walk),
            nested_roots: walk.nested_roots.clone(),
            listing: Vec::with_capacity(walk.files.len()),
            allowed: Allowed::new(config),
            tag_counts: FxHashMap::default(),
            tags: Vec::new(),
            files: OnceLock::new(),
        };
        for (id, file) in walk.files.iter().enumerate() {
            index.list(id, file);
        }
        for (id, read) in read {
            index.count_tags(&read);
            index.vault.replace(id, Arc::new(read.facts));
        }
        index.sort_tags();
        progress(total, total);
        index
    }

    pub fn notes(&self) -> usize {
        (0..self.vault.len())
            .filter(|&id| self.vault.is_note(id))
            .count()
    }

    /// How file `id` appears to link completion, unless it was removed.
    pub fn listing(&self) -> impl Iterator<Item = (FileId, &Listing)> {
        self.listing
            .iter()
            .enumerate()
            .filter_map(|(id, listing)| Some((id, listing.as_ref()?)))
    }

    /// A vault-relative path relative to its (nested) vault's root.
    pub fn scope_relative<'a>(&self, rel: &'a str) -> &'a str {
        scope_of_path(&self.nested_roots, rel).1
    }

    /// The vault's tags, most used first.
    pub fn tags(&self) -> &[(String, usize)] {
        &self.tags
    }

    /// The note at `rel` now reads `text` (an open document, or the file on disk): its
    /// facts replace the ones the index had.
    pub fn set_text(&mut self, ws: &Workspace, rel: &str, text: String) -> Affected {
        let Some(id) = self.vault.id_of(rel).filter(|&id| self.vault.is_note(id)) else {
            return Affected::default();
        };
        let excluded = self.is_excluded(id);
        self.set(ws, id, read_note(ws, &ws.parse_rel(rel, text), excluded))
    }

    /// The note at `abs` as it is on disk (after its document closed, or a change outside
    /// the editor).
    pub fn set_from_disk(&mut self, ws: &Workspace, abs: &Path) -> Affected {
        let rel = ws.rel(abs);
        let Some(id) = self.vault.id_of(&rel).filter(|&id| self.vault.is_note(id)) else {
            return Affected::default();
        };
        if !abs.is_file() {
            return self.removed(ws, abs);
        }
        let read = match note::read::read_text(abs, ws.config.settings.vault.max_note_bytes) {
            Some(text) => read_note(ws, &ws.parse_rel(&rel, text), self.is_excluded(id)),
            None => unreadable(),
        };
        self.set(ws, id, read)
    }

    fn set(&mut self, ws: &Workspace, id: FileId, read: Read) -> Affected {
        let old = self.vault.facts(id).cloned();
        let same_tags = old
            .as_ref()
            .is_some_and(|old| old.tags() == read.facts.tags());
        let mut affected = Affected::default();
        match &old {
            Some(old) if old.same_for_links(&read.facts) => {}
            _ => affected.notes.extend(self.rels(self.vault.backlinks(id))),
        }
        affected.all = ws.config.settings.links.aliases
            && old
                .as_ref()
                .is_some_and(|old| old.aliases != read.facts.aliases);
        if !same_tags {
            if let Some(old) = &old {
                self.uncount_tags(old);
            }
            self.count_tags(&read);
        }
        self.vault.replace(id, Arc::new(read.facts));
        if !same_tags {
            self.sort_tags();
        }
        affected
    }

    /// A file (or a folder of files) appeared at `abs`. `open_text`: the text of an open
    /// document at that path, which counts instead of the file's.
    pub fn created(&mut self, ws: &Workspace, abs: &Path, open_text: Option<&str>) -> Affected {
        if abs.is_dir() {
            let mut affected = Affected::default();
            for file in files_under(abs) {
                affected.extend(self.created(ws, &file, None));
            }
            return affected;
        }
        let rel = ws.rel(abs);
        if self.vault.id_of(&rel).is_some() {
            return self.changed(ws, abs, open_text);
        }
        if !abs.starts_with(ws.root()) || is_hidden(&rel) {
            return Affected::default();
        }
        let file = VaultFile {
            abs: abs.to_path_buf(),
            is_note: walk::has_note_extension(abs, &ws.config),
            excluded: ws.is_excluded(&rel),
            rel,
        };
        // Links naming a file of this name, broken or leading elsewhere, may lead here now.
        let mut affected = Affected {
            notes: self.rels(self.vault.linking_to_name(&file.rel)),
            all: false,
        };
        affected.notes.insert(file.rel.clone());
        let id = self.vault.add(&file);
        self.list(id, &file);
        if file.is_note {
            let changed = match open_text {
                Some(text) => self.set_text(ws, &file.rel, text.to_owned()),
                None => self.set_from_disk(ws, abs),
            };
            affected.extend(changed);
        }
        affected
    }

    /// The file (or every file of the folder) at `abs` is gone.
    pub fn removed(&mut self, ws: &Workspace, abs: &Path) -> Affected {
        let rel = ws.rel(abs);
        let ids: Vec<FileId> = match self.vault.id_of(&rel) {
            Some(id) => vec![id],
            None => {
                let folder = format!("{rel}/");
                (0..self.vault.len())
                    .filter(|&id| self.vault.rel(id).is_some_and(|r| r.starts_with(&folder)))
                    .collect()
            }
        };
        let mut affected = Affected::default();
        for id in ids {
            let Some(rel) = self.vault.rel(id).map(str::to_owned) else {
                continue;
            };
            // Links to it break, or lead to another file of the same name.
            affected.notes.extend(self.rels(self.vault.backlinks(id)));
            affected
                .notes
                .extend(self.rels(self.vault.linking_to_name(&rel)));
            if let Some(old) = self.vault.facts(id).cloned() {
                affected.all |= ws.config.settings.links.aliases && !old.aliases.is_empty();
                if !old.tags().is_empty() {
                    self.uncount_tags(&old);
                    self.sort_tags();
                }
            }
            self.vault.remove(&rel);
            self.files = OnceLock::new();
            if let Some(listing) = self.listing.get_mut(id) {
                *listing = None;
            }
        }
        affected
    }

    /// The file at `abs` changed on disk. An open document's text counts instead.
    pub fn changed(&mut self, ws: &Workspace, abs: &Path, open_text: Option<&str>) -> Affected {
        let rel = ws.rel(abs);
        match self.vault.id_of(&rel) {
            None => self.created(ws, abs, open_text),
            Some(id) if !self.vault.is_note(id) || open_text.is_some() => Affected::default(),
            Some(_) => self.set_from_disk(ws, abs),
        }
    }

    fn is_excluded(&self, id: FileId) -> bool {
        self.listing
            .get(id)
            .and_then(Option::as_ref)
            .is_some_and(|l| l.excluded)
    }

    fn rels(&self, ids: Vec<FileId>) -> FxHashSet<String> {
        ids.into_iter()
            .filter_map(|id| self.vault.rel(id).map(str::to_owned))
            .collect()
    }

    /// The vault's files as they are now, for `relink` (near-match fixes).
    pub fn files(&self, ws: &Workspace) -> &Resolver {
        self.files.get_or_init(|| {
            let files = (0..self.vault.len())
                .filter_map(|id| {
                    let rel = self.vault.rel(id)?;
                    Some(VaultFile {
                        abs: ws.root().join(rel),
                        rel: rel.to_owned(),
                        is_note: self.vault.is_note(id),
                        excluded: self.is_excluded(id),
                    })
                })
                .collect();
            Resolver::new(Walk::from_files(files, self.nested_roots.clone()))
        })
    }

    fn list(&mut self, id: FileId, file: &VaultFile) {
        self.files = OnceLock::new();
        if self.listing.len() <= id {
            self.listing.resize_with(id + 1, || None);
        }
        self.listing[id] = Some(Listing {
            name: fold(&crate::vault::display_name(&file.rel, file.is_note)).into_boxed_str(),
            path: fold(&file.rel).into_boxed_str(),
            scope: scope_of_path(&self.nested_roots, &file.rel).0,
            excluded: file.excluded,
        });
    }

    fn count_tags(&mut self, read: &Read) {
        for key in read.facts.tags() {
            if self.allowed.as_ref().is_some_and(|set| !set.allows(key)) {
                continue;
            }
            let written = read.written.iter().find(|(k, _)| **k == **key);
            let entry = self.tag_counts.entry(key.clone()).or_insert_with(|| {
                (
                    written.map_or_else(|| key.to_string(), |(_, name)| name.clone()),
                    0,
                )
            });
            entry.1 += 1;
        }
    }

    fn uncount_tags(&mut self, facts: &NoteFacts) {
        for key in facts.tags() {
            if let Some(entry) = self.tag_counts.get_mut(key) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    self.tag_counts.remove(key);
                }
            }
        }
    }

    fn sort_tags(&mut self) {
        let mut tags: Vec<(String, usize)> = self
            .tag_counts
            .values()
            .filter(|(name, _)| !name.is_empty())
            .cloned()
            .collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.tags = tags;
    }
}

/// What the index keeps of a note: facts with links and tags, except for an excluded note
/// (a template), whose links and tags are not the vault's.
fn read_note(ws: &Workspace, note: &Note, excluded: bool) -> Read {
    let config = &ws.config;
    let type_field = &config.settings.schema.type_field;
    if excluded {
        return Read {
            facts: NoteFacts::of(note, type_field),
            written: Vec::new(),
        };
    }
    let fields = &config.settings.tags.fields;
    let review = config.settings.review.tag.get_ref();
    let mut written: Vec<(String, String)> = tag_fields::frontmatter_tags(note, fields, review)
        .into_iter()
        .map(|item| (item.key, item.name))
        .collect();
    written.extend(
        note.body
            .tags
            .iter()
            .map(|tag| (tag_key(&tag.name, review), tag.name.clone())),
    );
    Read {
        facts: NoteFacts::with_references(note, type_field, fields, review),
        written,
    }
}

fn unreadable() -> Read {
    Read {
        facts: NoteFacts::unreadable(),
        written: Vec::new(),
    }
}

/// A path the walk skips: a hidden file or one in a hidden folder.
fn is_hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// The files under a folder that appeared (a checkout, a moved folder).
fn files_under(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
