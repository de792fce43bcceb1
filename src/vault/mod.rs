//! The vault-wide index for cross-file checks: every file's name and path (NFC, case-folded)
//! for link resolution with Obsidian's rules, nested vault scopes, and the facts of notes
//! (headings, block ids, type, aliases) gathered once in the parse phase.

mod facts;
mod suggest;

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use crate::text::fold;
use crate::walk::Walk;

pub use facts::{NoteFacts, github_slug, heading_anchors, normalize_heading};
use suggest::Suggestions;

/// Index of a file in the walk (and in the index).
pub type FileId = usize;

/// A file as the index sees it.
#[derive(Debug)]
struct Entry {
    /// Folded path relative to its scope's root; notes without their `.md`.
    key: String,
    /// Length of the folder part of `key` (0 at the scope root).
    folder_len: usize,
    scope: usize,
    is_note: bool,
    /// Excluded from linting (templates, `vault.exclude`): still a link target, but never
    /// offered as a did-you-mean.
    excluded: bool,
}

impl Entry {
    /// Folded folder of `key` ("" at the scope root).
    fn folder(&self) -> &str {
        &self.key[..self.folder_len]
    }
}

/// Where a link is written: the linking note's folder and vault scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Folded folder relative to the scope root ("" at the root).
    pub folder: String,
    pub scope: usize,
}

/// Where a link led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The file, and how many files the bare target matched (more than 1: ambiguous).
    Found { id: FileId, matches: usize },
    /// No file matches.
    Broken,
    /// The target climbs out of the vault; it is never resolved.
    Escapes,
}

/// The index over every file of the walk.
pub struct VaultIndex {
    entries: Vec<Entry>,
    /// Folded last component (notes without `.md`) -> files, per scope.
    by_name: FxHashMap<(usize, String), Vec<FileId>>,
    /// Folded scope-relative key -> file, per scope.
    by_key: FxHashMap<(usize, String), FileId>,
    /// Per file: the facts, once known (set by the parse phase or loaded on demand).
    facts: Vec<OnceLock<Arc<NoteFacts>>>,
    /// Folded alias -> notes, built on demand when `links.aliases` is on.
    aliases: OnceLock<FxHashMap<(usize, String), Vec<FileId>>>,
    /// (scope, folded name) -> the closest files, best first: broken links repeat their
    /// targets (`[[docs|...]]` hundreds of times), and each answer is a scan of all names.
    closest: Mutex<FxHashMap<(usize, String), Vec<FileId>>>,
    /// Built on the first broken link.
    suggestions: OnceLock<Suggestions>,
}

impl VaultIndex {
    /// Builds the name index from the walk alone; no file is read.
    pub fn new(walk: &Walk) -> VaultIndex {
        let mut entries = Vec::with_capacity(walk.files.len());
        let mut by_name: FxHashMap<(usize, String), Vec<FileId>> = FxHashMap::default();
        let mut by_key = FxHashMap::default();
        for (id, file) in walk.files.iter().enumerate() {
            let scope = walk.scope_of(id);
            let scoped = walk.scope_relative(id);
            let mut key = fold(scoped);
            if file.is_note {
                strip_md(&mut key);
            }
            let folder_len = key.rfind('/').unwrap_or(0);
            let name = key[key.rfind('/').map_or(0, |i| i + 1)..].to_owned();
            by_name.entry((scope, name)).or_default().push(id);
            by_key.insert((scope, key.clone()), id);
            entries.push(Entry {
                key,
                folder_len,
                scope,
                is_note: file.is_note,
                excluded: file.excluded,
            });
        }
        let facts = (0..entries.len()).map(|_| OnceLock::new()).collect();
        VaultIndex {
            entries,
            by_name,
            by_key,
            facts,
            aliases: OnceLock::new(),
            closest: Mutex::default(),
            suggestions: OnceLock::new(),
        }
    }

    /// The origin of links written in the note at vault-relative `rel`.
    pub fn origin(&self, walk: &Walk, rel: &str) -> Origin {
        let (scope, scoped) = walk.scope_of_path(rel);
        let folded = fold(scoped);
        let folder = folded
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_owned());
        Origin { folder, scope }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn is_note(&self, id: FileId) -> bool {
        self.entries.get(id).is_some_and(|e| e.is_note)
    }

    pub fn facts(&self, id: FileId) -> Option<&Arc<NoteFacts>> {
        self.facts.get(id)?.get()
    }

    /// Records a note's facts (first writer wins; every writer computes the same facts).
    pub fn set_facts(&self, id: FileId, facts: Arc<NoteFacts>) {
        if let Some(slot) = self.facts.get(id) {
            let _ = slot.set(facts);
        }
    }

    /// Resolves a wikilink target as Obsidian does, from the note `from`.
    pub fn resolve_wikilink(&self, source: &Origin, target: &str) -> Resolution {
        let target = target.trim();
        if target.starts_with("./") || target.starts_with("../") {
            return self.resolve_relative(source, &source.folder, target);
        }
        let folded = fold(target.trim_start_matches('/'));
        let mut note_key = folded.clone();
        strip_md(&mut note_key);
        let name = |key: &str| {
            key.rsplit_once('/')
                .map_or(key.to_owned(), |(_, n)| n.to_owned())
        };

        // A note whose name matches, or an attachment whose full file name matches.
        let mut candidates: Vec<FileId> = Vec::new();
        for (key, want_note) in [(&note_key, true), (&folded, false)] {
            if let Some(ids) = self.by_name.get(&(source.scope, name(key))) {
                candidates.extend(ids.iter().copied().filter(|&id| {
                    let entry = &self.entries[id];
                    entry.is_note == want_note && ends_with_path(&entry.key, key)
                }));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.pick(source, &note_key, &folded, candidates)
    }

    /// Resolves a Markdown link destination (percent-decoded): relative to the note's folder,
    /// then from the vault root, then by name as Obsidian does.
    ///
    /// A destination that names a folder (`guide/`, `/topics/python`) resolves to the
    /// folder's index note (`index.md`, `_index.md` or `README.md`), as GitHub and static
    /// site generators serve it; with a trailing `/`, a note `guide.md` also counts (a
    /// docs site's page URL such as `/functions/dump/`).
    pub fn resolve_markdown(&self, source: &Origin, dest: &str) -> Resolution {
        let dest = dest.trim();
        match self.resolve_markdown_path(source, dest) {
            Resolution::Broken => {}
            other => return other,
        }
        let base = dest.trim_end_matches('/');
        let prefix = if base.is_empty() {
            dest.to_owned()
        } else {
            format!("{base}/")
        };
        let last = base.rsplit('/').next().unwrap_or_default();
        let page =
            (dest.ends_with('/') && !matches!(last, "" | "." | "..")).then(|| base.to_owned());
        let indexes = INDEX_NOTES.iter().map(|index| format!("{prefix}{index}"));
        for candidate in page.into_iter().chain(indexes) {
            match self.resolve_markdown_path(source, &candidate) {
                Resolution::Broken => {}
                other => return other,
            }
        }
        Resolution::Broken
    }

    fn resolve_markdown_path(&self, source: &Origin, dest: &str) -> Resolution {
        if let Some(rooted) = dest.strip_prefix('/') {
            return self
                .lookup_exact(source.scope, rooted)
                .map_or(Resolution::Broken, found);
        }
        match self.resolve_relative(source, &source.folder, dest) {
            Resolution::Broken => {}
            other => return other,
        }
        if let Some(id) = self.lookup_exact(source.scope, dest) {
            return found(id);
        }
        if dest.starts_with("../") {
            return Resolution::Broken;
        }
        self.resolve_wikilink(source, dest)
    }

    /// `./x`, `../x` (and plain relative paths) against `folder`; never above the scope root.
    fn resolve_relative(&self, source: &Origin, folder: &str, target: &str) -> Resolution {
        let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        let folded = fold(target);
        for part in folded.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Resolution::Escapes;
                    }
                }
                other => parts.push(other),
            }
        }
        let path = parts.join("/");
        self.lookup_exact(source.scope, &path)
            .map_or(Resolution::Broken, found)
    }

    /// An exact scope-relative path, with or without `.md`.
    fn lookup_exact(&self, scope: usize, path: &str) -> Option<FileId> {
        let folded = fold(path);
        let mut note_key = folded.clone();
        strip_md(&mut note_key);
        self.by_key
            .get(&(scope, note_key))
            .filter(|&&id| self.entries[id].is_note)
            .or_else(|| {
                self.by_key
                    .get(&(scope, folded))
                    .filter(|&&id| !self.entries[id].is_note)
            })
            .copied()
    }

    /// Obsidian's tie-break: exact path, then the linking note's folder, then shortest path.
    fn pick(
        &self,
        source: &Origin,
        note_key: &str,
        folded: &str,
        mut ids: Vec<FileId>,
    ) -> Resolution {
        if ids.is_empty() {
            return Resolution::Broken;
        }
        let matches = ids.len();
        ids.sort_by_key(|&id| {
            let entry = &self.entries[id];
            let exact = entry.key == note_key || entry.key == folded;
            let same_folder = entry.folder() == source.folder;
            (
                !exact,
                !same_folder,
                entry.key.chars().count(),
                entry.key.clone(),
            )
        });
        Resolution::Found {
            id: ids[0],
            matches,
        }
    }

    /// Notes whose `aliases` contain `target` (folded), in the source's scope.
    pub fn resolve_alias(&self, source: &Origin, target: &str) -> Option<FileId> {
        let scope = source.scope;
        let aliases = self.aliases.get_or_init(|| {
            let mut map: FxHashMap<(usize, String), Vec<FileId>> = FxHashMap::default();
            for (id, slot) in self.facts.iter().enumerate() {
                if let Some(facts) = slot.get() {
                    for alias in &facts.aliases {
                        map.entry((self.entries[id].scope, alias.to_string()))
                            .or_default()
                            .push(id);
                    }
                }
            }
            map
        });
        aliases
            .get(&(scope, fold(target.trim())))
            .and_then(|ids| ids.first().copied())
    }

    /// Note names (as written in the walk) closest to `target`, for did-you-mean help.
    pub fn closest_names(&self, source: &Origin, target: &str, walk: &Walk) -> Vec<String> {
        let wanted = fold(target.trim());
        let wanted_name = wanted.rsplit_once('/').map_or(wanted.as_str(), |(_, n)| n);
        let key = (source.scope, wanted_name.to_owned());
        let cached = self.closest.lock().ok().and_then(|c| c.get(&key).cloned());
        let ids = cached.unwrap_or_else(|| {
            let ids = self.closest_ids(source.scope, wanted_name);
            if let Ok(mut cache) = self.closest.lock() {
                cache.insert(key, ids.clone());
            }
            ids
        });
        ids.into_iter()
            .map(|id| display_name(&walk.files[id].rel, self.entries[id].is_note))
            .collect()
    }

    /// Up to 3 files whose name is closest to `wanted_name`; each distinct name is scored once.
    /// A target with an attachment's extension (`demo.gif`) is only offered attachments;
    /// excluded files (templates) are never offered; names under 3 characters (`g`) get no
    /// suggestion, as Jaro-Winkler finds every short name close to them.
    fn closest_ids(&self, scope: usize, wanted_name: &str) -> Vec<FileId> {
        if wanted_name.chars().count() < 3 {
            return Vec::new();
        }
        let attachment = wanted_name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ATTACHMENT_EXTENSIONS.contains(&ext));
        let suggestions = self
            .suggestions
            .get_or_init(|| Suggestions::new(&self.by_name));
        let mut scored: Vec<(f64, FileId)> = suggestions
            .candidates(scope, wanted_name)
            .into_iter()
            .map(|name| (strsim::jaro_winkler(wanted_name, name), name))
            .filter(|(score, _)| *score >= 0.8)
            .filter_map(|(score, name)| {
                let ids = self.by_name.get(&(scope, name.to_owned()))?;
                Some(ids.iter().map(move |&id| (score, id)))
            })
            .flatten()
            .filter(|&(_, id)| {
                let entry = &self.entries[id];
                let wrong_kind = attachment && entry.is_note;
                !entry.excluded && !wrong_kind
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|(_, id)| id).collect()
    }
}

/// The file types Obsidian opens and embeds as attachments (images, audio, video, PDF).
const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "flac", "m4a", "mp3", "ogg", "wav",
    "3gp", "mkv", "mov", "mp4", "ogv", "webm", "pdf",
];

/// The notes a folder link opens, folded and without `.md`.
const INDEX_NOTES: &[&str] = &["index", "_index", "readme"];

fn found(id: FileId) -> Resolution {
    Resolution::Found { id, matches: 1 }
}

/// How a link to the file would be written: notes without `.md`, the file name only.
fn display_name(rel: &str, is_note: bool) -> String {
    let name = rel.rsplit_once('/').map_or(rel, |(_, n)| n);
    if is_note {
        name.strip_suffix(".md").unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    }
}

fn strip_md(key: &mut String) {
    if key.ends_with(".md") {
        key.truncate(key.len() - 3);
    }
}

/// Whether `key` is `suffix` or ends with `/suffix` (whole path components).
fn ends_with_path(key: &str, suffix: &str) -> bool {
    key == suffix
        || (key.ends_with(suffix)
            && key.as_bytes().get(key.len() - suffix.len() - 1) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(paths: &[&str]) -> VaultIndex {
        let walk = Walk::of_paths(paths);
        VaultIndex::new(&walk)
    }

    #[test]
    fn markdown_links_to_folders_and_page_urls() {
        let paths = [
            "functions/debug/dump.md",
            "functions/_index.md",
            "topics/python/index.md",
            "docs/README.md",
            "docs/guide.md",
            "assets/logo.png",
            "index.md",
        ];
        let index = index_of(&paths);
        let root = Origin {
            folder: String::new(),
            scope: 0,
        };
        let docs = Origin {
            folder: "docs".into(),
            scope: 0,
        };
        let to = |origin: &Origin, dest: &str| match index.resolve_markdown(origin, dest) {
            Resolution::Found { id, .. } => Some(paths[id]),
            _ => None,
        };
        // A docs site's page URL: `/a/b/` is `a/b.md`, `a/b/index.md` or `a/b/_index.md`.
        assert_eq!(to(&docs, "/functions/debug/dump/"), Some(paths[0]));
        assert_eq!(to(&docs, "/functions/"), Some(paths[1]));
        assert_eq!(to(&root, "functions"), Some(paths[1]));
        // A folder link opens the folder's index or README, as on GitHub.
        assert_eq!(to(&root, "/topics/python"), Some(paths[2]));
        assert_eq!(to(&root, "topics/python/"), Some(paths[2]));
        assert_eq!(to(&docs, "./"), Some(paths[3]));
        assert_eq!(to(&docs, "../docs/"), Some(paths[3]));
        assert_eq!(to(&docs, "../"), Some(paths[6]));
        assert_eq!(to(&docs, "/"), Some(paths[6]));
        // As before, a path without `.md` names the note; missing folders stay broken.
        assert_eq!(to(&root, "/functions/debug/dump"), Some(paths[0]));
        assert_eq!(to(&root, "/topics/ruby/"), None);
        assert_eq!(to(&root, "assets/"), None);
        assert_eq!(to(&docs, "guide/"), Some(paths[4]));
        assert!(matches!(
            index.resolve_markdown(&docs, "../../"),
            Resolution::Escapes
        ));
    }

    #[test]
    fn closest_names_score_each_name_once_and_are_remembered() {
        let paths = [
            "a/plan.md",
            "b/plan.md",
            "plans.md",
            "planet.png",
            "zebra.md",
            "Templates/Plan Template.md",
            "ge.md",
        ];
        let mut walk = Walk::of_paths(&paths);
        for file in &mut walk.files {
            file.excluded = file.rel.starts_with("Templates/");
        }
        let index = VaultIndex::new(&walk);
        let origin = index.origin(&walk, "zebra.md");
        let first = index.closest_names(&origin, "Plann", &walk);
        assert_eq!(first, ["plan", "plan", "plans"]);
        assert_eq!(index.closest_names(&origin, "plann", &walk), first);
        assert_eq!(index.closest.lock().map(|c| c.len()).ok(), Some(1));
        assert!(index.closest_names(&origin, "qqqq", &walk).is_empty());
        // An image is only offered images, not the note with the closest name.
        assert_eq!(
            index.closest_names(&origin, "planets.png", &walk),
            ["planet.png"]
        );
        assert_eq!(
            index.closest_names(&origin, "plan.gif", &walk),
            ["planet.png"]
        );
        // Templates are link targets, not suggestions; one letter suggests nothing.
        let names = index.closest_names(&origin, "Plan Templat", &walk);
        assert!(!names.contains(&"Plan Template".to_owned()), "{names:?}");
        assert!(index.closest_names(&origin, "g", &walk).is_empty());
        // A dotted note name (Dendron's `a.b.c`) is not an attachment.
        assert!(
            index
                .closest_names(&origin, "plans.x", &walk)
                .contains(&"plans".to_owned())
        );
    }

    #[test]
    fn path_suffixes_are_whole_components() {
        assert!(ends_with_path("projects/storage pilot", "storage pilot"));
        assert!(ends_with_path(
            "projects/storage pilot",
            "projects/storage pilot"
        ));
        assert!(!ends_with_path(
            "projects/big storage pilot",
            "storage pilot"
        ));
    }
}
