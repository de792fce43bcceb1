//! The vault-wide index for cross-file checks: every file's name and path (NFC, case-folded)
//! for link resolution with Obsidian's rules, nested vault scopes, the facts of notes
//! (`facts`: headings, block ids, type, aliases) and did-you-mean (`suggest`). A run builds
//! it from the walk; a long-lived session keeps it current one file at a time (`add`,
//! `remove`, `replace`) and asks which notes link to a file (`backlinks`).

mod answers;
mod facts;
mod lookup;
mod suggest;

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use crate::text::fold;
use crate::walk::{VaultFile, Walk, scope_of_path};

use answers::Answers;
pub use facts::{LinkTarget, NoteFacts, github_slug, heading_anchors, normalize_heading};
use lookup::{ByKey, ByName};
pub use suggest::Suggestions;

/// Index of a file in the walk (and in the index).
pub type FileId = usize;

/// A file as the index sees it.
#[derive(Debug)]
struct Entry {
    /// Vault-relative path as written.
    rel: Box<str>,
    /// Folded path relative to its scope's root; notes without their `.md`.
    key: Box<str>,
    /// Length of the folder part of `key` (0 at the scope root).
    folder_len: usize,
    scope: usize,
    is_note: bool,
    /// Excluded from linting (templates, `vault.exclude`): still a link target, but never
    /// offered as a did-you-mean.
    excluded: bool,
    /// Removed from the index: its id is not reused, no map leads to it.
    removed: bool,
}

impl Entry {
    /// Folded folder of `key` ("" at the scope root).
    fn folder(&self) -> &str {
        &self.key[..self.folder_len]
    }

    /// Folded last component of `key`.
    fn name(&self) -> &str {
        self.key.rsplit('/').next().unwrap_or_default()
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

/// The index over every file of the vault: built from a walk for a run, then kept
/// current one file at a time (`add`, `remove`, `replace`) by a long-lived session.
///
/// A file's id stays the same while the index changes; a removed file's id is not reused.
/// Built from a walk, ids are the walk's indices (`new` adds the files in walk order).
pub struct VaultIndex {
    /// Roots of nested vaults (vault-relative folders); scope `i + 1` is `nested_roots[i]`.
    nested_roots: Vec<String>,
    entries: Vec<Entry>,
    /// Folded last component (notes without `.md`) -> files, per scope.
    by_name: ByName,
    /// Folded scope-relative key -> file, per scope.
    by_key: ByKey,
    /// Per file: the facts, once known (set by the parse phase or loaded on demand).
    facts: Vec<OnceLock<Arc<NoteFacts>>>,
    /// (scope, folded target name) -> notes whose facts hold a link to that name: the
    /// notes a change to a file of that name may affect. Filled from facts that carry
    /// their links (`NoteFacts::with_references`); a run's facts do not, and leave it empty.
    linkers: FxHashMap<(usize, String), Vec<FileId>>,
    /// Folded alias -> notes, built on demand when `links.aliases` is on.
    aliases: OnceLock<FxHashMap<(usize, String), Vec<FileId>>>,
    /// (scope, folded name) -> the closest files' names, best first: broken links repeat
    /// their targets (`[[docs|...]]` hundreds of times).
    closest: Mutex<FxHashMap<(usize, String), Vec<String>>>,
    /// Built on the first broken link (or decoded from `preset`).
    suggestions: OnceLock<Suggestions>,
    /// Where to read an encoded did-you-mean index of the whole vault (the cache).
    preset: Mutex<Option<Preset>>,
    /// Wikilink answers that do not depend on where the link is written.
    answers: Answers,
}

/// Reads a did-you-mean index of the whole vault (from the cache).
pub type Preset = Box<dyn FnOnce() -> Option<Suggestions> + Send>;

impl VaultIndex {
    /// An index of no file, for a vault with these nested vault roots.
    pub fn empty(nested_roots: Vec<String>) -> VaultIndex {
        VaultIndex {
            nested_roots,
            entries: Vec::new(),
            by_name: ByName::default(),
            by_key: ByKey::default(),
            facts: Vec::new(),
            linkers: FxHashMap::default(),
            aliases: OnceLock::new(),
            closest: Mutex::default(),
            suggestions: OnceLock::new(),
            preset: Mutex::default(),
            answers: Answers::default(),
        }
    }

    /// Builds the name index from the walk alone, adding its files in order; no file is read.
    pub fn new(walk: &Walk) -> VaultIndex {
        use rayon::prelude::*;
        let mut index = VaultIndex::empty(walk.nested_roots.clone());
        index.entries.reserve(walk.files.len());
        index.facts.reserve(walk.files.len());
        // Folding every path is most of the work: done in parallel, the keys then added
        // in walk order.
        let keys: Vec<String> = walk
            .files
            .par_iter()
            .map(|file| index.key_of(&file.rel, file.is_note))
            .collect();
        for ((id, file), key) in walk.files.iter().enumerate().zip(keys) {
            index.insert_keyed(
                &file.rel,
                key,
                file.is_note,
                file.excluded,
                walk.scope_of(id),
            );
        }
        index
    }

    /// Adds a file (a note or an attachment) by its vault-relative path and returns its
    /// id; a file already indexed keeps its id and facts. A note's facts come with
    /// [`VaultIndex::replace`].
    pub fn add(&mut self, file: &VaultFile) -> FileId {
        if let Some(id) = self.id_of(&file.rel) {
            return id;
        }
        self.forget_derived();
        let (scope, _) = scope_of_path(&self.nested_roots, &file.rel);
        self.insert(&file.rel, file.is_note, file.excluded, scope)
    }

    /// The folded scope-relative key of the file at `rel`: notes without `.md`.
    fn key_of(&self, rel: &str, is_note: bool) -> String {
        let (_, scoped) = scope_of_path(&self.nested_roots, rel);
        let mut key = fold(scoped);
        if is_note {
            strip_md(&mut key);
        }
        key
    }

    fn insert(&mut self, rel: &str, is_note: bool, excluded: bool, scope: usize) -> FileId {
        let key = self.key_of(rel, is_note);
        self.insert_keyed(rel, key, is_note, excluded, scope)
    }

    fn insert_keyed(
        &mut self,
        rel: &str,
        key: String,
        is_note: bool,
        excluded: bool,
        scope: usize,
    ) -> FileId {
        let id = self.entries.len();
        let folder_len = key.rfind('/').unwrap_or(0);
        let holder = self.by_key.get(&self.entries, scope, &key);
        self.entries.push(Entry {
            rel: rel.into(),
            key: key.into_boxed_str(),
            folder_len,
            scope,
            is_note,
            excluded,
            removed: false,
        });
        self.facts.push(OnceLock::new());
        self.by_name.add(&self.entries, id);
        // Of two files with one key (`a.md` and `A.md`, or a note `a.md` and a file `a`),
        // the later path wins, whatever the order they are added in.
        if holder.is_none_or(|other| *self.entries[other].rel < *rel) {
            self.by_key.set(&self.entries, id);
        }
        id
    }

    /// Removes the file at vault-relative `rel`, with its facts and links; returns its id.
    pub fn remove(&mut self, rel: &str) -> Option<FileId> {
        let id = self.id_of(rel)?;
        self.forget_derived();
        self.unlink(id);
        self.entries[id].removed = true;
        self.by_name.remove(&self.entries, id);
        let (scope, key) = (self.entries[id].scope, self.entries[id].key.clone());
        if self.by_key.get(&self.entries, scope, &key) == Some(id) {
            self.by_key.remove(&self.entries, scope, &key);
            // Another file with the same key takes its place, as if added without this one.
            let same_key = |e: &&Entry| (e.scope, &*e.key) == (scope, &*key);
            if let Some(other) = (0..self.entries.len())
                .filter(|&other| self.live(other).filter(same_key).is_some())
                .max_by_key(|&other| &self.entries[other].rel)
            {
                self.by_key.set(&self.entries, other);
            }
        }
        self.facts[id] = OnceLock::new();
        Some(id)
    }

    /// A note's contents changed (or became known): its facts replace the old ones, and
    /// the links they carry replace its old links.
    pub fn replace(&mut self, id: FileId, facts: Arc<NoteFacts>) {
        if self.live(id).is_none() {
            return;
        }
        // Only the aliases come from facts: did-you-mean is built from the names, which a
        // note's new contents leave as they are (an editor replaces an open note's facts
        // on every keystroke, and rebuilding did-you-mean costs a scan of every name).
        self.aliases = OnceLock::new();
        self.unlink(id);
        let scope = self.entries[id].scope;
        let mut names: Vec<String> = facts.links().map(|link| link.name()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            self.linkers.entry((scope, name)).or_default().push(id);
        }
        self.facts[id] = OnceLock::from(facts);
    }

    /// Drops note `id` from the notes that link to each name.
    fn unlink(&mut self, id: FileId) {
        let Some(facts) = self.facts(id).cloned() else {
            return;
        };
        let scope = self.entries[id].scope;
        for link in facts.links() {
            let key = (scope, link.name());
            if let Some(ids) = self.linkers.get_mut(&key) {
                ids.retain(|&other| other != id);
                if ids.is_empty() {
                    self.linkers.remove(&key);
                }
            }
        }
    }

    /// What is computed from all names or facts at once, dropped when a file comes or goes.
    fn forget_derived(&mut self) {
        self.aliases = OnceLock::new();
        self.suggestions = OnceLock::new();
        if let Ok(preset) = self.preset.get_mut() {
            *preset = None;
        }
        if let Ok(closest) = self.closest.get_mut() {
            closest.clear();
        }
        self.answers.clear();
    }

    /// The notes whose links lead to file `target`, in id order: the notes to check again
    /// when the target changes. Only links held in facts `with_references` count.
    pub fn backlinks(&self, target: FileId) -> Vec<FileId> {
        let Some(entry) = self.live(target) else {
            return Vec::new();
        };
        let Some(sources) = self.linkers.get(&(entry.scope, entry.name().to_owned())) else {
            return Vec::new();
        };
        let mut out: Vec<FileId> = sources
            .iter()
            .copied()
            .filter(|&source| {
                let (Some(facts), Some(from)) = (self.facts(source), self.live(source)) else {
                    return false;
                };
                let origin = self.origin(&from.rel);
                facts.links().any(|link| {
                    let resolution = if link.markdown {
                        self.resolve_markdown(&origin, &link.target)
                    } else {
                        self.resolve_wikilink(&origin, &link.target)
                    };
                    matches!(resolution, Resolution::Found { id, .. } if id == target)
                })
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The notes with a link whose target has the name (folded, notes without `.md`) of
    /// the file at `rel`, resolved or not: the notes to check again when a file of that
    /// name appears or disappears.
    pub fn linking_to_name(&self, rel: &str) -> Vec<FileId> {
        let (scope, scoped) = scope_of_path(&self.nested_roots, rel);
        let mut key = fold(scoped);
        strip_md(&mut key);
        let name = key.rsplit('/').next().unwrap_or_default().to_owned();
        self.linkers
            .get(&(scope, name))
            .cloned()
            .unwrap_or_default()
    }

    /// The id of the file at vault-relative `rel`, if it is indexed.
    pub fn id_of(&self, rel: &str) -> Option<FileId> {
        let (scope, scoped) = scope_of_path(&self.nested_roots, rel);
        let folded = fold(scoped);
        let mut note_key = folded.clone();
        strip_md(&mut note_key);
        let hit = |key: &str| {
            self.by_key
                .get(&self.entries, scope, key)
                .filter(|&id| self.live(id).is_some_and(|e| *e.rel == *rel))
        };
        hit(&note_key)
            .or_else(|| hit(&folded))
            // Names that fold alike (`A.md` and `a.md` on a case-sensitive disk) share a key.
            .or_else(|| {
                (0..self.entries.len()).find(|&id| self.live(id).is_some_and(|e| *e.rel == *rel))
            })
    }

    /// The vault-relative path of file `id`, as written.
    pub fn rel(&self, id: FileId) -> Option<&str> {
        self.live(id).map(|entry| &*entry.rel)
    }

    fn live(&self, id: FileId) -> Option<&Entry> {
        self.entries.get(id).filter(|entry| !entry.removed)
    }

    /// The origin of links written in the note at vault-relative `rel`.
    pub fn origin(&self, rel: &str) -> Origin {
        let (scope, scoped) = scope_of_path(&self.nested_roots, rel);
        let folded = fold(scoped);
        let folder = folded
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_owned());
        Origin { folder, scope }
    }

    /// The origin of links written in indexed note `id`: its folder is folded already.
    pub fn origin_of(&self, id: FileId) -> Option<Origin> {
        let entry = self.live(id)?;
        Some(Origin {
            folder: entry.folder().to_owned(),
            scope: entry.scope,
        })
    }

    /// How many ids the index has handed out (removed files included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn is_note(&self, id: FileId) -> bool {
        self.live(id).is_some_and(|e| e.is_note)
    }

    pub fn facts(&self, id: FileId) -> Option<&Arc<NoteFacts>> {
        self.facts.get(id)?.get()
    }

    /// Records a note's facts during a run (first writer wins; every writer computes the
    /// same facts). They carry no links: a run does not keep backlinks.
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
        if let Some(answer) = self.answers.get(source.scope, target) {
            return answer;
        }
        let answer = self.resolve_by_name(source, target);
        self.answers.put(source.scope, target, &answer);
        answer
    }

    /// `resolve_wikilink` for a target that is not relative to the linking note.
    fn resolve_by_name(&self, source: &Origin, target: &str) -> Resolution {
        let folded = fold(target.trim_start_matches('/'));
        let mut note_key = folded.clone();
        strip_md(&mut note_key);

        // A note whose name matches, or an attachment whose full file name matches.
        let mut candidates: Vec<FileId> = Vec::new();
        for (key, want_note) in [(&note_key, true), (&folded, false)] {
            let named = self
                .by_name
                .get(&self.entries, source.scope, last_component(key));
            candidates.extend(named.filter(|&id| {
                let entry = &self.entries[id];
                entry.is_note == want_note && ends_with_path(&entry.key, key)
            }));
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
            .get(&self.entries, scope, &note_key)
            .filter(|&id| self.entries[id].is_note)
            .or_else(|| {
                self.by_key
                    .get(&self.entries, scope, &folded)
                    .filter(|&id| !self.entries[id].is_note)
            })
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
        // Files whose keys fold alike fall back to their paths as written, so the choice
        // does not depend on the order files were added in.
        let rank = |id: FileId| {
            let entry = &self.entries[id];
            let exact = *entry.key == *note_key || *entry.key == *folded;
            let same_folder = entry.folder() == source.folder;
            (
                !exact,
                !same_folder,
                entry.key.chars().count(),
                &*entry.key,
                &*entry.rel,
            )
        };
        ids.sort_by(|&a, &b| rank(a).cmp(&rank(b)));
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
            .and_then(|ids| ids.iter().copied().min_by_key(|&id| &self.entries[id].rel))
    }

    /// Note names (as written) closest to `target`, for did-you-mean help.
    pub fn closest_names(&self, source: &Origin, target: &str) -> Vec<String> {
        let wanted = fold(target.trim());
        let wanted_name = wanted.rsplit_once('/').map_or(wanted.as_str(), |(_, n)| n);
        let key = (source.scope, wanted_name.to_owned());
        let cached = self.closest.lock().ok().and_then(|c| c.get(&key).cloned());
        cached.unwrap_or_else(|| {
            let names = self.suggestions().closest(source.scope, wanted_name);
            if let Ok(mut cache) = self.closest.lock() {
                cache.insert(key, names.clone());
            }
            names
        })
    }

    /// The did-you-mean index: the one given with [`VaultIndex::use_suggestions`], else
    /// built from this index on first use.
    pub fn suggestions(&self) -> &Suggestions {
        self.suggestions.get_or_init(|| {
            let preset = self.preset.lock().ok().and_then(|mut p| p.take());
            preset
                .and_then(|read| read())
                .unwrap_or_else(|| Suggestions::new(self))
        })
    }

    /// Uses the did-you-mean index `read` gives (from the cache: one of the whole vault),
    /// e.g. for an index of only some of the vault's files (an editor check's). Read on
    /// the first broken link.
    pub fn use_suggestions(&self, read: Preset) {
        if let Ok(mut preset) = self.preset.lock() {
            *preset = Some(read);
        }
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
pub fn display_name(rel: &str, is_note: bool) -> String {
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

/// The last `/`-separated component of a key.
fn last_component(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(_, name)| name)
}

/// Whether `key` is `suffix` or ends with `/suffix` (whole path components).
fn ends_with_path(key: &str, suffix: &str) -> bool {
    key == suffix
        || (key.ends_with(suffix)
            && key.as_bytes().get(key.len() - suffix.len() - 1) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::Strategy;

    use super::*;
    use crate::note::Note;

    proptest::proptest! {
        /// The memo of wikilink answers answers as resolution from scratch does, whatever
        /// the order of the questions and wherever the links are written.
        #[test]
        fn remembered_answers_are_the_answers(
            files in proptest::collection::btree_set(
                (0usize..4, 0usize..5, proptest::bool::ANY), 1..12),
            questions in proptest::collection::vec((0usize..4, 0usize..5, 0usize..4), 1..40),
        ) {
            const FOLDERS: [&str; 4] = ["", "a/", "b/", "a/c/"];
            const NAMES: [&str; 5] = ["x", "X", "Zoë", "Zoe\u{308}", "y"];
            let paths: Vec<String> = files
                .iter()
                .map(|&(f, n, note)| {
                    format!("{}{}{}", FOLDERS[f], NAMES[n], if note { ".md" } else { ".png" })
                })
                .collect();
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let index = index_of(&paths);
            for (from, name, form) in questions {
                let origin = index.origin(&format!("{}o.md", FOLDERS[from]));
                let target = match form {
                    0 => NAMES[name].to_owned(),
                    1 => format!("{}.png", NAMES[name]),
                    2 => format!("a/{}", NAMES[name]),
                    _ => format!("../{}", NAMES[name]),
                };
                let general = if target.starts_with("../") {
                    index.resolve_relative(&origin, &origin.folder, &target)
                } else {
                    index.resolve_by_name(&origin, &target)
                };
                proptest::prop_assert_eq!(index.resolve_wikilink(&origin, &target), general);
            }
        }

        /// The origin of an indexed note, from its entry, is the one folded from its path.
        #[test]
        fn origins_of_indexed_notes_are_folded_paths(
            paths in proptest::collection::btree_set("(Sub/|sub/|Zoë/|)(a|B|é|e\u{301})\\.md", 1..8),
        ) {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let index = index_of(&paths);
            for (id, rel) in paths.iter().enumerate() {
                proptest::prop_assert_eq!(index.origin_of(id), Some(index.origin(rel)));
            }
        }
    }

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
        let origin = index.origin("zebra.md");
        let first = index.closest_names(&origin, "Plann");
        assert_eq!(first, ["plan", "plan", "plans"]);
        assert_eq!(index.closest_names(&origin, "plann"), first);
        assert_eq!(index.closest.lock().map(|c| c.len()).ok(), Some(1));
        assert!(index.closest_names(&origin, "qqqq").is_empty());
        // An image is only offered images, not the note with the closest name.
        assert_eq!(index.closest_names(&origin, "planets.png"), ["planet.png"]);
        assert_eq!(index.closest_names(&origin, "plan.gif"), ["planet.png"]);
        // Templates are link targets, not suggestions; one letter suggests nothing.
        let names = index.closest_names(&origin, "Plan Templat");
        assert!(!names.contains(&"Plan Template".to_owned()), "{names:?}");
        assert!(index.closest_names(&origin, "g").is_empty());
        // A dotted note name (Dendron's `a.b.c`) is not an attachment.
        assert!(
            index
                .closest_names(&origin, "plans.x")
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

    fn file(rel: &str) -> VaultFile {
        VaultFile {
            abs: rel.into(),
            rel: rel.to_owned(),
            is_note: rel.ends_with(".md"),
            excluded: rel.starts_with("Templates/"),
        }
    }

    /// The facts of a note with this text, links and tags included.
    fn facts_of(rel: &str, text: &str) -> Arc<NoteFacts> {
        let config = crate::config::Config::defaults(".".into());
        let note = Note::parse(
            rel.to_owned(),
            text.to_owned(),
            &crate::lint::parse_options(&config),
        );
        Arc::new(NoteFacts::with_references(
            &note,
            "type",
            &["tags".to_owned()],
            "needs-review",
        ))
    }

    /// Everything the index answers, by path rather than by id (ids depend on the order
    /// files were added in).
    fn view(index: &VaultIndex) -> Vec<String> {
        let rel = |id: FileId| index.rel(id).unwrap_or("?").to_owned();
        let root = Origin {
            folder: String::new(),
            scope: 0,
        };
        let mut out = Vec::new();
        for id in (0..index.len()).filter(|&id| index.rel(id).is_some()) {
            let entry = &index.entries[id];
            let shown = |resolution: Resolution| match resolution {
                Resolution::Found { id, matches } => format!("{} of {matches}", rel(id)),
                other => format!("{other:?}"),
            };
            let resolved = |target: &str| shown(index.resolve_wikilink(&root, target));
            let exact = shown(index.resolve_markdown(&root, &format!("/{}", entry.key)));
            let mut backlinks: Vec<String> = index.backlinks(id).into_iter().map(rel).collect();
            backlinks.sort();
            out.push(format!(
                "{} key={} scope={} note={} excluded={} facts={:?} backlinks={backlinks:?} \
                 by-name={} by-path={} exact={exact} id_of={:?}",
                entry.rel,
                entry.key,
                entry.scope,
                entry.is_note,
                entry.excluded,
                index.facts(id),
                resolved(entry.name()),
                resolved(&entry.key),
                index.id_of(&entry.rel).map(rel),
            ));
        }
        let mut linkers: Vec<String> = index
            .linkers
            .iter()
            .map(|(key, ids)| {
                let mut rels: Vec<String> = ids.iter().map(|&id| rel(id)).collect();
                rels.sort();
                format!("linkers {key:?} {rels:?}")
            })
            .collect();
        linkers.sort();
        out.extend(linkers);
        out.sort();
        out
    }

    const PATHS: [&str; 7] = [
        "a.md",
        "A.md",
        "b.md",
        "x/a.md",
        "x/c.md",
        "img.png",
        "Templates/t.md",
    ];
    const TEXTS: [&str; 4] = [
        "---\ntype: person\ntags: [p]\n---\n# A\n[[a]] and [[c]]\n",
        "![[img.png]] [t](x/c.md) [[b#A]] #topic\n",
        "# Only a heading ^id\n",
        "[[x/a]] [[missing]] [up](../b.md)\n",
    ];

    #[derive(Debug, Clone)]
    enum Change {
        Add(usize),
        Remove(usize),
        Replace(usize, usize),
    }

    fn apply(index: &mut VaultIndex, change: &Change) {
        match *change {
            Change::Add(p) => {
                index.add(&file(PATHS[p]));
            }
            Change::Remove(p) => {
                index.remove(PATHS[p]);
            }
            Change::Replace(p, t) => {
                if let Some(id) = index.id_of(PATHS[p]).filter(|&id| index.is_note(id)) {
                    index.replace(id, facts_of(PATHS[p], TEXTS[t]));
                }
            }
        }
    }

    proptest::proptest! {
        /// Any sequence of changes leaves the index a fresh build of the result would be.
        #[test]
        fn changes_give_the_index_a_fresh_build_gives(
            start in proptest::collection::vec(proptest::bool::ANY, PATHS.len()),
            changes in proptest::collection::vec(
                proptest::prop_oneof![
                    (0..PATHS.len()).prop_map(Change::Add),
                    (0..PATHS.len()).prop_map(Change::Remove),
                    (0..PATHS.len(), 0..TEXTS.len()).prop_map(|(p, t)| Change::Replace(p, t)),
                ],
                0..12,
            ),
        ) {
            let initial: Vec<&str> = PATHS.iter().zip(&start).filter(|(_, on)| **on).map(|(p, _)| *p).collect();
            let mut changed = VaultIndex::new(&walk_of(&initial));
            // What a fresh build needs to know: which files exist, and each note's text.
            let mut files: std::collections::BTreeMap<&str, Option<usize>> =
                initial.iter().map(|p| (*p, None)).collect();
            for change in &changes {
                apply(&mut changed, change);
                match *change {
                    Change::Add(p) => {
                        files.entry(PATHS[p]).or_insert(None);
                    }
                    Change::Remove(p) => {
                        files.remove(PATHS[p]);
                    }
                    Change::Replace(p, t) => {
                        if let Some(text) = files.get_mut(PATHS[p]).filter(|_| PATHS[p].ends_with(".md")) {
                            *text = Some(t);
                        }
                    }
                }
            }
            let paths: Vec<&str> = files.keys().copied().collect();
            let mut fresh = VaultIndex::new(&walk_of(&paths));
            for (path, text) in &files {
                if let (Some(t), Some(id)) = (text, fresh.id_of(path)) {
                    fresh.replace(id, facts_of(path, TEXTS[*t]));
                }
            }
            proptest::prop_assert_eq!(view(&changed), view(&fresh));
        }
    }

    fn walk_of(paths: &[&str]) -> Walk {
        let mut walk = Walk::of_paths(paths);
        for file in &mut walk.files {
            file.excluded = file.rel.starts_with("Templates/");
        }
        walk
    }

    #[test]
    fn new_contents_of_a_note_keep_did_you_mean() {
        let mut index = VaultIndex::new(&walk_of(&["plan.md", "b.md"]));
        let origin = index.origin("b.md");
        assert_eq!(index.closest_names(&origin, "plann"), ["plan"]);
        let b = index.id_of("b.md").expect("indexed");
        index.replace(b, facts_of("b.md", "# Heading\n[[plann]]\n"));
        assert!(
            index.suggestions.get().is_some(),
            "did-you-mean was built again"
        );
        assert_eq!(index.closest.lock().map(|c| c.len()).ok(), Some(1));
        assert_eq!(index.closest_names(&origin, "plann"), ["plan"]);
        // A new file may be the closest name: that does start over.
        index.add(&file("plann2.md"));
        assert!(index.suggestions.get().is_none());
    }

    #[test]
    fn backlinks_are_the_notes_whose_links_lead_to_a_file() {
        let mut index = VaultIndex::new(&walk_of(&["a.md", "b.md", "x/a.md", "x/c.md", "img.png"]));
        let id = |index: &VaultIndex, rel: &str| index.id_of(rel).expect("indexed");
        let (a, b, xa, xc) = (
            id(&index, "a.md"),
            id(&index, "b.md"),
            id(&index, "x/a.md"),
            id(&index, "x/c.md"),
        );
        index.replace(b, facts_of("b.md", "[[a]] ![[img.png]] [c](x/c.md#Top)\n"));
        index.replace(xc, facts_of("x/c.md", "[[x/a]] and [[b#A]]\n"));
        // `[[a]]` from the root is `a.md` (shortest path), not `x/a.md`.
        assert_eq!(index.backlinks(a), [b]);
        assert_eq!(index.backlinks(xa), [xc]);
        assert_eq!(index.backlinks(xc), [b]);
        assert_eq!(index.backlinks(id(&index, "img.png")), [b]);
        // Both name an `a`: a new `new/a.md` may change where their links lead.
        assert_eq!(index.linking_to_name("new/a.md"), [b, xc]);
        // Removing `a.md` sends `[[a]]` to `x/a.md`; a changed note drops its old links.
        index.remove("a.md");
        assert_eq!(index.backlinks(xa), [b, xc]);
        index.replace(b, facts_of("b.md", "no links\n"));
        assert_eq!(index.backlinks(xa), [xc]);
        assert!(index.backlinks(xc).is_empty());
        assert_eq!(index.id_of("a.md"), None);
        let added = index.add(&file("a.md"));
        assert_ne!(added, a, "a removed file's id is not reused");
        assert_eq!(index.rel(added), Some("a.md"));
    }
}
