//! The persistent per-note cache (SPEC 9): what a check learnt from each note — its facts
//! for other notes' links, its links, its own findings and suppressions — kept in the
//! user's cache directory between runs and reused while the file is unchanged.
//!
//! A note's entry is reused only when its size, modification time (ns) and inode are those
//! recorded, and the whole cache only under the same key: the format, notelint's version,
//! the vault, the configuration, the schemas and the Obsidian settings files. An entry
//! whose file was modified within [`RACY_WINDOW_NS`] of the run that recorded it is
//! "racily clean" (git's rule: a change in the same timestamp tick would not show in the
//! stat) and is reused only after its content hash is checked. Findings that depend on
//! the date carry the days they hold for; link findings are never cached (the caller
//! recomputes them from the cached links). A cache that is missing, stale, corrupt or
//! unwritable is ignored: every failure here means "no cache", never an error.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix, KeyChange, Label, Severity};
use crate::note::body::Link;
use crate::rules::links::Pending;
use crate::schema::Schemas;
use crate::suppress::Suppressions;
use crate::vault::NoteFacts;

/// The layout of the file; a cache of another format is ignored, not misread.
const FORMAT: u32 = 1;
const MAGIC: &[u8; 8] = b"notelint";
/// Coarser than any file system's timestamps (FAT: 2 s).
const RACY_WINDOW_NS: i128 = 2_000_000_000;

/// How a file looked (its metadata) when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    mtime_ns: i128,
    inode: u64,
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Option<Stamp> {
        let modified = metadata.modified().ok()?;
        let mtime_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).ok()?,
            Err(before) => -i128::try_from(before.duration().as_nanos()).ok()?,
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: metadata.len(),
            mtime_ns,
            inode,
        })
    }
}

/// The content hash of a note's bytes.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What a check keeps of one note.
pub struct Record {
    pub facts: NoteFacts,
    /// The links the link rules check, with the frontmatter key of each (see
    /// `rules::links::Links::links_of`); empty when `resolved` is given.
    pub links: Vec<(Link, Option<String>)>,
    /// What phase 1 of the link rules made of `links` (findings before severities and
    /// suppressions, and the checks left for phase 2), when the entry was recorded in a
    /// vault whose walk found the same files as this run's: the same links resolve the
    /// same way then (see [`walk_hash`]).
    pub resolved: Option<(Vec<Diagnostic>, Vec<Pending>)>,
    /// The findings of the per-note rules (not the link rules'), before severities and
    /// suppressions are applied.
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Suppressions,
    /// Whether the link findings held an error when `diagnostics` were made
    /// (`review.on_errors` depends on it).
    pub link_errors: bool,
    /// Whether the note's schema association was looked up (see
    /// `rules::schema::associates`), which a reused entry must mark used again.
    pub associated: bool,
}

/// A reusable entry: the record, and the note's text when it had to be read to trust it.
pub struct Hit {
    pub record: Record,
    pub text: Option<String>,
    /// The content hash recorded, to check a text read later against.
    pub hash: u64,
}

/// What a check learnt of one note, as the run holds it, for [`Cache::store`].
pub struct Learnt<'a> {
    pub facts: &'a NoteFacts,
    pub links: &'a [(Link, Option<String>)],
    /// Phase 1 of the link rules: findings before severities and suppressions, and the
    /// checks left for phase 2.
    pub link_findings: &'a [Diagnostic],
    pub pending: &'a [Pending],
    /// The per-note rules' findings, before severities and suppressions.
    pub diagnostics: &'a [Diagnostic],
    pub suppressions: &'a Suppressions,
    pub link_errors: bool,
    pub associated: bool,
}

/// The cache of one vault for one run: what earlier runs left, and what this one adds.
pub struct Cache {
    file: PathBuf,
    key: u64,
    /// `walk_hash` of this run's walk.
    walk_hash: u64,
    /// When this run started: entries recorded now are racy relative to it.
    started_ns: i128,
    loaded: Loaded,
    fresh: Mutex<Vec<Slot>>,
}

/// The cache file as read: one buffer, and where each note's entry lies in it.
#[derive(Default)]
struct Loaded {
    buffer: Vec<u8>,
    slots: FxHashMap<Box<str>, Slot>,
}

/// One note's entry.
struct Slot {
    path: Box<str>,
    stamp: Stamp,
    hash: u64,
    /// When the run that recorded it started (for the racily-clean rule).
    recorded_ns: i128,
    /// The days "today" may be for the findings to hold, inclusive.
    today: DayRange,
    /// The encoded record: a range of `Loaded::buffer`, or its own bytes when fresh.
    blob: Blob,
}

enum Blob {
    Loaded(Range<usize>),
    Fresh(Vec<u8>),
}

type Day = (i16, i8, i8);
type DayRange = (Option<Day>, Option<Day>);

fn day(date: jiff::civil::Date) -> Day {
    (date.year(), date.month(), date.day())
}

impl Cache {
    /// The cache for this configuration's vault, or `None` when there is no cache folder
    /// or it lies inside the vault. What the folder holds is read here; anything
    /// unreadable, of another format or made under another key counts as empty.
    pub fn open(config: &Config, schemas: &Schemas, walk: &crate::walk::Walk) -> Option<Cache> {
        let root = std::path::absolute(&config.vault_root).ok()?;
        let folder = folder()?;
        if folder.starts_with(&root) {
            // SPEC 9: never inside the vault (a cache folder there would be linted, synced
            // and committed with the notes).
            return None;
        }
        let file = folder.join(format!(
            "vault-{:016x}.cache",
            hash(root.as_os_str().as_encoded_bytes())
        ));
        let key = key(config, schemas, &root);
        let loaded = std::fs::read(&file)
            .ok()
            .and_then(|bytes| Loaded::parse(bytes, key))
            .unwrap_or_default();
        Some(Cache {
            file,
            key,
            walk_hash: walk_hash(walk),
            started_ns: now_ns(),
            loaded,
            fresh: Mutex::new(Vec::new()),
        })
    }

    /// When this run started (for the racily-clean rule of what it records).
    pub fn started_ns(&self) -> i128 {
        self.started_ns
    }

    /// The entry for the note at vault-relative `rel`, if the file at `abs` is as recorded
    /// and the findings hold on `today`. `max_bytes` bounds a racy entry's read.
    pub fn lookup(
        &self,
        rel: &str,
        abs: &Path,
        today: jiff::civil::Date,
        max_bytes: u64,
    ) -> Option<Hit> {
        let slot = self.loaded.slots.get(rel)?;
        let (from, until) = slot.today;
        let today = day(today);
        if from.is_some_and(|from| today < from) || until.is_some_and(|until| today > until) {
            return None;
        }
        let stamp = Stamp::of(&std::fs::metadata(abs).ok()?)?;
        if stamp != slot.stamp {
            return None;
        }
        let text = if slot.stamp.mtime_ns + RACY_WINDOW_NS >= slot.recorded_ns {
            let text = crate::note::read::read_text(abs, max_bytes)?;
            (hash(text.as_bytes()) == slot.hash).then_some(text)?
        } else {
            return self.decode(slot).map(|record| Hit {
                record,
                text: None,
                hash: slot.hash,
            });
        };
        self.decode(slot).map(|record| Hit {
            record,
            text: Some(text),
            hash: slot.hash,
        })
    }

    fn decode(&self, slot: &Slot) -> Option<Record> {
        let bytes = match &slot.blob {
            Blob::Loaded(range) => self.loaded.buffer.get(range.clone())?,
            Blob::Fresh(bytes) => bytes,
        };
        // The links come last, and are decoded only when they must be resolved again.
        let (head, links) = postcard::take_from_bytes::<StoredRecord>(bytes).ok()?;
        let mut record = head.into_record(self.walk_hash)?;
        if record.resolved.is_none() {
            record.links = postcard::from_bytes(links).ok()?;
        }
        Some(record)
    }

    /// Records what this run learnt of a note read with `stamp` and content `hash`, whose
    /// findings hold for the days `today` (see `rules::dates::same_findings_between`).
    pub fn store(
        &self,
        rel: &str,
        stamp: Stamp,
        hash: u64,
        today: (Option<jiff::civil::Date>, Option<jiff::civil::Date>),
        learnt: &Learnt<'_>,
    ) {
        let record = StoredRecordRef {
            facts: learnt.facts,
            diagnostics: learnt
                .diagnostics
                .iter()
                .map(StoredDiagnostic::of)
                .collect(),
            suppressions: learnt.suppressions,
            link_errors: learnt.link_errors,
            associated: learnt.associated,
            walk_hash: self.walk_hash,
            link_findings: learnt
                .link_findings
                .iter()
                .map(StoredDiagnostic::of)
                .collect(),
            pending: learnt.pending,
        };
        let Ok(blob) = postcard::to_allocvec(&record) else {
            return;
        };
        let Ok(mut blob) = postcard::to_extend(learnt.links, blob) else {
            return;
        };
        // Kept until the end of the run, for every note: no spare capacity.
        blob.shrink_to_fit();
        let slot = Slot {
            path: rel.into(),
            stamp,
            hash,
            recorded_ns: self.started_ns,
            today: (today.0.map(day), today.1.map(day)),
            blob: Blob::Fresh(blob),
        };
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push(slot);
        }
    }

    /// Writes the cache back: this run's entries, and the earlier ones of notes that
    /// `exists` still. Nothing is written when nothing changed; a failure is ignored.
    pub fn save(self, exists: impl Fn(&str) -> bool) {
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut slots = self.loaded.slots;
        let before = slots.len();
        slots.retain(|path, _| exists(path));
        if fresh.is_empty() && slots.len() == before {
            return;
        }
        for slot in fresh {
            slots.insert(slot.path.clone(), slot);
        }
        let mut entries: Vec<StoredEntry<'_>> = slots
            .values()
            .filter_map(|slot| {
                let blob = match &slot.blob {
                    Blob::Loaded(range) => self.loaded.buffer.get(range.clone())?,
                    Blob::Fresh(bytes) => bytes,
                };
                Some(StoredEntry {
                    path: &slot.path,
                    stamp: slot.stamp,
                    hash: slot.hash,
                    recorded_ns: slot.recorded_ns,
                    today: slot.today,
                    blob,
                })
            })
            .collect();
        // A stable order, so the same vault gives the same file.
        entries.sort_unstable_by(|a, b| a.path.cmp(b.path));
        // One buffer of about the right size: the file is as large as the notes' entries.
        let size: usize = entries
            .iter()
            .map(|e| e.blob.len() + e.path.len() + 64)
            .sum();
        let file = StoredFile {
            key: self.key,
            entries,
        };
        if let Some(bytes) = framed(&file, size) {
            let _ = crate::fs::write_cache(&self.file, &bytes);
        }
    }
}

impl Loaded {
    /// The entries of a cache file made under `key`; `None` for anything else.
    fn parse(buffer: Vec<u8>, key: u64) -> Option<Loaded> {
        let file: StoredFile<'_> = postcard::from_bytes(unframed(&buffer)?).ok()?;
        if file.key != key {
            return None;
        }
        let base = buffer.as_ptr() as usize;
        let slots = file
            .entries
            .into_iter()
            .map(|entry| {
                // Where the entry's bytes lie in the buffer they were borrowed from.
                let start = entry.blob.as_ptr() as usize - base;
                let slot = Slot {
                    path: entry.path.into(),
                    stamp: entry.stamp,
                    hash: entry.hash,
                    recorded_ns: entry.recorded_ns,
                    today: entry.today,
                    blob: Blob::Loaded(start..start + entry.blob.len()),
                };
                (slot.path.clone(), slot)
            })
            .collect();
        Some(Loaded { buffer, slots })
    }
}

/// The folder of notelint's caches: `NOTELINT_CACHE_DIR`, else `$XDG_CACHE_HOME/notelint`,
/// else the platform's cache folder (`~/.cache/notelint` on Linux). Relative settings are
/// ignored, as the XDG specification asks.
fn folder() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if let Some(dir) = absolute("NOTELINT_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(dir) = absolute("XDG_CACHE_HOME") {
        return Some(dir.join("notelint"));
    }
    if cfg!(windows) {
        return absolute("LOCALAPPDATA").map(|dir| dir.join("notelint").join("cache"));
    }
    let home = absolute("HOME")?;
    if cfg!(target_os = "macos") {
        return Some(home.join("Library/Caches/notelint"));
    }
    Some(home.join(".cache/notelint"))
}

/// Everything besides a note's own bytes that its cached findings depend on.
fn key(config: &Config, schemas: &Schemas, root: &Path) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut add = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    add(&FORMAT.to_le_bytes());
    add(env!("CARGO_PKG_VERSION").as_bytes());
    add(root.as_os_str().as_encoded_bytes());
    add(format!("{:?}", config.file).as_bytes());
    add(config.source.as_deref().unwrap_or_default().as_bytes());
    // `--select` / `--ignore` and the `[rules]` table (`review.on_errors` counts errors).
    add(format!("{:?}", config.severities).as_bytes());
    add(schemas.fingerprint().as_bytes());
    let obsidian = config.vault_root.join(".obsidian");
    for name in ["app.json", "templates.json", "types.json"] {
        match std::fs::read(obsidian.join(name)) {
            Ok(bytes) => add(&bytes),
            Err(_) => add(b"\0absent"),
        }
    }
    hasher.digest()
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

// ---------------------------------------------------------------- the vault's listing

/// The vault's files as a walk found them, kept beside the cache so that an editor check
/// can skip the walk (SPEC 9). It is trusted only while every folder the walk listed has
/// the modification time recorded (a file created, deleted or renamed in a folder changes
/// the folder's), the ignore files and `.git` folders that steer the walk are as they
/// were, and none of these changed within [`RACY_WINDOW_NS`] of the run that recorded
/// them. A change to the user's global git excludes file is not seen (a full `check`
/// always walks).
pub struct Listing {
    root: PathBuf,
    files: Vec<(String, String, u8)>,
    nested_roots: Vec<String>,
    /// The vault's did-you-mean index, encoded (`vault::Suggestions`).
    suggestions: std::sync::Arc<[u8]>,
}

const IS_NOTE: u8 = 1;
const EXCLUDED: u8 = 2;

/// The listing as stored: its head (what says whether it holds, and the did-you-mean
/// index), then the files, which only an editor check decodes.
#[derive(Serialize, Deserialize)]
struct StoredListing {
    head: ListingHead,
    nested_roots: Vec<String>,
    /// Vault-relative path, folded file name, `IS_NOTE | EXCLUDED` flags.
    files: Vec<(String, String, u8)>,
}

#[derive(Serialize, Deserialize)]
struct ListingHead {
    key: u64,
    started_ns: i128,
    /// Vault-relative folders and their modification times.
    folders: Vec<(String, Option<i128>)>,
    /// Ignore files (absolute) and how they looked; `None`: absent.
    ignore_files: Vec<(String, Option<Stamp>)>,
    /// `.git` entries (absolute) and whether they existed (git's ignore rules apply only
    /// inside a repository).
    git: Vec<(String, bool)>,
    /// `walk_hash` of the walk listed.
    walk_hash: u64,
    suggestions: Vec<u8>,
}

/// A hash of what a walk found (files, their kinds, nested vaults): the did-you-mean index
/// of two walks with the same hash is the same.
fn walk_hash(walk: &crate::walk::Walk) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for root in &walk.nested_roots {
        hasher.update(root.as_bytes());
        hasher.update(b"\0");
    }
    hasher.update(b"\0");
    for file in &walk.files {
        hasher.update(file.rel.as_bytes());
        hasher.update(&[0, u8::from(file.is_note), u8::from(file.excluded)]);
    }
    hasher.digest()
}

impl Listing {
    /// The listing an earlier run kept for this vault, configuration and `--no-ignore`,
    /// if it still holds.
    pub fn load(config: &Config, schemas: &Schemas, no_ignore: bool) -> Option<Listing> {
        let root = std::path::absolute(&config.vault_root).ok()?;
        let path = listing_file(&root)?;
        let bytes = std::fs::read(path).ok()?;
        let stored: StoredListing = postcard::from_bytes(unframed(&bytes)?).ok()?;
        let head = stored.head;
        (head.key == listing_key(config, schemas, &root, no_ignore) && head.holds(&root)).then(
            || Listing {
                root: config.vault_root.clone(),
                files: stored.files,
                nested_roots: stored.nested_roots,
                suggestions: head.suggestions.into(),
            },
        )
    }

    /// The vault's did-you-mean index, encoded.
    pub fn suggestions(&self) -> std::sync::Arc<[u8]> {
        self.suggestions.clone()
    }

    /// The did-you-mean index (encoded) kept for a vault whose walk found what `walk`
    /// found, for a full check: building it takes a while in a large vault.
    pub fn suggestions_for(
        config: &Config,
        schemas: &Schemas,
        no_ignore: bool,
        walk: &crate::walk::Walk,
    ) -> Option<std::sync::Arc<[u8]>> {
        let root = std::path::absolute(&config.vault_root).ok()?;
        let path = listing_file(&root)?;
        let stored = read_listing(&path, listing_key(config, schemas, &root, no_ignore))?;
        (stored.walk_hash == walk_hash(walk)).then(|| stored.suggestions.into())
    }

    /// The walk this listing stands for, keeping only files named in `only` (folded).
    pub fn walk(&self, only: Option<&crate::walk::NameFilter>) -> crate::walk::Walk {
        let files = self
            .files
            .iter()
            .filter(|(_, name, _)| only.is_none_or(|only| only.contains(name.as_str())))
            .map(|(rel, _, flags)| crate::walk::VaultFile {
                abs: self.root.join(rel),
                rel: rel.clone(),
                is_note: flags & IS_NOTE != 0,
                excluded: flags & EXCLUDED != 0,
            })
            .collect();
        crate::walk::Walk::of_files(files, self.nested_roots.clone())
    }

    /// Records the listing of a walk of the whole vault, with its did-you-mean index
    /// (`suggestions`, encoded), unless the one kept still holds and says the same. A
    /// failure is ignored.
    pub fn save(
        config: &Config,
        schemas: &Schemas,
        no_ignore: bool,
        walk: &crate::walk::Walk,
        started_ns: i128,
        suggestions: impl FnOnce() -> Option<Vec<u8>>,
    ) {
        let Some(root) = std::path::absolute(&config.vault_root).ok() else {
            return;
        };
        let Some(path) = listing_file(&root) else {
            return;
        };
        let key = listing_key(config, schemas, &root, no_ignore);
        let walk_hash = walk_hash(walk);
        if let Some(old) = read_listing(&path, key)
            && old.walk_hash == walk_hash
            && old.folders.iter().map(|(f, _)| f).eq(walk.folders.iter())
            && old.holds(&root)
        {
            return;
        }
        let files: Vec<(String, String, u8)> = walk
            .files
            .iter()
            .map(|file| {
                let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
                let flags = if file.is_note { IS_NOTE } else { 0 }
                    | if file.excluded { EXCLUDED } else { 0 };
                (file.rel.clone(), crate::vault::fold(name), flags)
            })
            .collect();
        let mtime = |path: &Path| {
            std::fs::symlink_metadata(path)
                .ok()
                .and_then(|m| Stamp::of(&m))
                .map(|s| s.mtime_ns)
        };
        let folders = walk
            .folders
            .iter()
            .map(|rel| (rel.clone(), mtime(&root.join(rel))))
            .collect();
        let mut ignore_files = Vec::new();
        let mut git = Vec::new();
        let ancestors = root.ancestors().skip(1).map(Path::to_path_buf);
        let watched = walk
            .folders
            .iter()
            .map(|rel| root.join(rel))
            .chain(ancestors);
        for folder in watched {
            for name in [".gitignore", ".ignore"] {
                let file = folder.join(name);
                let stamp = std::fs::metadata(&file).ok().and_then(|m| Stamp::of(&m));
                ignore_files.push((file.to_string_lossy().into_owned(), stamp));
            }
            let dot_git = folder.join(".git");
            let exclude = dot_git.join("info").join("exclude");
            let stamp = std::fs::metadata(&exclude).ok().and_then(|m| Stamp::of(&m));
            ignore_files.push((exclude.to_string_lossy().into_owned(), stamp));
            git.push((dot_git.to_string_lossy().into_owned(), dot_git.exists()));
        }
        let Some(suggestions) = suggestions() else {
            return;
        };
        let stored = StoredListing {
            head: ListingHead {
                key,
                started_ns,
                folders,
                ignore_files,
                git,
                walk_hash,
                suggestions,
            },
            nested_roots: walk.nested_roots.clone(),
            files,
        };
        if let Some(bytes) = framed(&stored, 0) {
            let _ = crate::fs::write_cache(&path, &bytes);
        }
    }
}

impl ListingHead {
    /// Whether the folders, ignore files and `.git` entries are as recorded, and were
    /// recorded safely after their last change.
    fn holds(&self, root: &Path) -> bool {
        let settled = |mtime_ns: i128| mtime_ns + RACY_WINDOW_NS < self.started_ns;
        let folders = self.folders.iter().all(|(rel, recorded)| {
            let now = std::fs::symlink_metadata(root.join(rel))
                .ok()
                .and_then(|m| Stamp::of(&m))
                .map(|s| s.mtime_ns);
            now.is_some() && now == *recorded && recorded.is_some_and(settled)
        });
        let ignore_files = self.ignore_files.iter().all(|(path, recorded)| {
            let now = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m));
            now == *recorded && recorded.is_none_or(|s| settled(s.mtime_ns))
        });
        let git = self
            .git
            .iter()
            .all(|(path, existed)| Path::new(path).exists() == *existed);
        folders && ignore_files && git
    }
}

fn listing_file(root: &Path) -> Option<PathBuf> {
    let folder = folder()?;
    if folder.starts_with(root) {
        return None;
    }
    Some(folder.join(format!(
        "vault-{:016x}.listing",
        hash(root.as_os_str().as_encoded_bytes())
    )))
}

fn listing_key(config: &Config, schemas: &Schemas, root: &Path, no_ignore: bool) -> u64 {
    key(config, schemas, root) ^ u64::from(no_ignore)
}

/// The head of the listing at `path`, if it was made under `key`.
fn read_listing(path: &Path, key: u64) -> Option<ListingHead> {
    let bytes = std::fs::read(path).ok()?;
    let (head, _files): (ListingHead, _) = postcard::take_from_bytes(unframed(&bytes)?).ok()?;
    (head.key == key).then_some(head)
}

/// The magic, the format and the body's checksum, then `value` encoded as the body, in
/// one buffer (of `capacity` bytes to start with).
fn framed(value: &impl Serialize, capacity: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity + 20);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    let mut bytes = postcard::to_extend(value, bytes).ok()?;
    let checksum = hash(bytes.get(20..)?).to_le_bytes();
    bytes.get_mut(12..20)?.copy_from_slice(&checksum);
    Some(bytes)
}

/// The body of a framed file of this format whose checksum holds.
fn unframed(bytes: &[u8]) -> Option<&[u8]> {
    let magic = bytes.get(..MAGIC.len())?;
    let format = u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(bytes.get(12..20)?.try_into().ok()?);
    let body = bytes.get(20..)?;
    (magic == MAGIC && format == FORMAT && hash(body) == checksum).then_some(body)
}

// ---------------------------------------------------------------- the stored form

#[derive(Serialize, Deserialize)]
struct StoredFile<'a> {
    key: u64,
    #[serde(borrow)]
    entries: Vec<StoredEntry<'a>>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry<'a> {
    path: &'a str,
    stamp: Stamp,
    hash: u64,
    recorded_ns: i128,
    today: DayRange,
    /// Written as one run of bytes (serde would write a slice byte by byte).
    #[serde(serialize_with = "as_bytes")]
    blob: &'a [u8],
}

fn as_bytes<S: serde::Serializer>(bytes: &&[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(bytes)
}

/// A record as written (borrowing what the run holds) ...
#[derive(Serialize)]
struct StoredRecordRef<'a> {
    facts: &'a NoteFacts,
    diagnostics: Vec<StoredDiagnostic>,
    suppressions: &'a Suppressions,
    link_errors: bool,
    associated: bool,
    walk_hash: u64,
    link_findings: Vec<StoredDiagnostic>,
    pending: &'a [Pending],
}

/// ... and as read back (the same fields in the same order).
#[derive(Deserialize)]
struct StoredRecord {
    facts: NoteFacts,
    diagnostics: Vec<StoredDiagnostic>,
    suppressions: Suppressions,
    link_errors: bool,
    associated: bool,
    walk_hash: u64,
    link_findings: Vec<StoredDiagnostic>,
    pending: Vec<Pending>,
}

impl StoredRecord {
    /// The record, with phase 1's link results when they were made for a walk with hash
    /// `walk_hash` (else without: its links are to be resolved again).
    fn into_record(self, walk_hash: u64) -> Option<Record> {
        let diagnostics = |stored: Vec<StoredDiagnostic>| {
            stored
                .into_iter()
                .map(StoredDiagnostic::into_diagnostic)
                .collect::<Option<Vec<_>>>()
        };
        let resolved = if self.walk_hash == walk_hash {
            Some((diagnostics(self.link_findings)?, self.pending))
        } else {
            None
        };
        Some(Record {
            facts: self.facts,
            links: Vec::new(),
            resolved,
            diagnostics: diagnostics(self.diagnostics)?,
            suppressions: self.suppressions,
            link_errors: self.link_errors,
            associated: self.associated,
        })
    }
}

/// A diagnostic with its rule by code and JSON values as text (the binary format cannot
/// read self-describing values).
#[derive(Serialize, Deserialize)]
struct StoredDiagnostic {
    code: String,
    severity: Severity,
    message: String,
    span: Range<usize>,
    span_label: Option<String>,
    labels: Vec<(Range<usize>, String)>,
    help: Option<String>,
    fix: Option<StoredFix>,
}

#[derive(Serialize, Deserialize)]
struct StoredFix {
    safe: bool,
    edits: Vec<(Range<usize>, String)>,
    changes: Vec<(String, StoredChange)>,
}

#[derive(Serialize, Deserialize)]
enum StoredChange {
    Remove,
    Set(String),
    Append(Vec<String>),
    RemoveItem(usize),
    ReplaceItem(usize, String),
    ReplaceText(Range<usize>, String),
}

impl StoredDiagnostic {
    fn of(d: &Diagnostic) -> StoredDiagnostic {
        StoredDiagnostic {
            code: d.rule.code.to_owned(),
            severity: d.severity,
            message: d.message.clone(),
            span: d.span.clone(),
            span_label: d.span_label.clone(),
            labels: d
                .labels
                .iter()
                .map(|l| (l.span.clone(), l.message.clone()))
                .collect(),
            help: d.help.clone(),
            fix: d.fix.as_ref().map(|fix| StoredFix {
                safe: fix.applicability == Applicability::Safe,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| (e.span.clone(), e.replacement.clone()))
                    .collect(),
                changes: fix
                    .changes
                    .iter()
                    .map(|c| (c.key.clone(), StoredChange::of(&c.change)))
                    .collect(),
            }),
        }
    }

    fn into_diagnostic(self) -> Option<Diagnostic> {
        let fix = match self.fix {
            Some(fix) => Some(Fix {
                applicability: if fix.safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                // Stored in the order `Fix::new` sorted them into.
                edits: fix
                    .edits
                    .into_iter()
                    .map(|(span, replacement)| Edit { span, replacement })
                    .collect(),
                changes: fix
                    .changes
                    .into_iter()
                    .map(|(key, change)| Some(KeyChange::new(key, change.into_change()?)))
                    .collect::<Option<_>>()?,
            }),
            None => None,
        };
        Some(Diagnostic {
            rule: crate::rules::by_code(&self.code)?,
            severity: self.severity,
            message: self.message,
            span: self.span,
            span_label: self.span_label,
            labels: self
                .labels
                .into_iter()
                .map(|(span, message)| Label { span, message })
                .collect(),
            help: self.help,
            fix,
        })
    }
}

impl StoredChange {
    fn of(change: &Change) -> StoredChange {
        let json = |value: &serde_json::Value| value.to_string();
        match change {
            Change::Remove => StoredChange::Remove,
            Change::Set(value) => StoredChange::Set(json(value)),
            Change::Append(values) => StoredChange::Append(values.iter().map(json).collect()),
            Change::RemoveItem(n) => StoredChange::RemoveItem(*n),
            Change::ReplaceItem(n, value) => StoredChange::ReplaceItem(*n, json(value)),
            Change::ReplaceText(range, text) => {
                StoredChange::ReplaceText(range.clone(), text.clone())
            }
        }
    }

    fn into_change(self) -> Option<Change> {
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
        Some(match self {
            StoredChange::Remove => Change::Remove,
            StoredChange::Set(text) => Change::Set(value(&text)?),
            StoredChange::Append(texts) => {
                Change::Append(texts.iter().map(|t| value(t)).collect::<Option<Vec<_>>>()?)
            }
            StoredChange::RemoveItem(n) => Change::RemoveItem(n),
            StoredChange::ReplaceItem(n, text) => Change::ReplaceItem(n, value(&text)?),
            StoredChange::ReplaceText(range, text) => Change::ReplaceText(range, text),
        })
    }
}
