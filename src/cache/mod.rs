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
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use listing::Listing;
use stored::{
    StoredDiagnostic, StoredEntry, StoredFile, StoredRecord, StoredRecordRef, framed, unframed,
};

mod listing;
mod stored;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
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
    /// `walk_hash` of the run that wrote the file.
    walk_hash: u64,
    links: LinksFile,
}

/// The notes' links, in a file beside the cache: two thirds of what is kept, and needed
/// only when a walk finds other files than the run that recorded them (or to write the
/// cache again), so a run over an unchanged vault never reads it.
#[derive(Default)]
struct LinksFile {
    path: PathBuf,
    /// The hash of its bytes, as the cache file names it: anything else is not its.
    hash: u64,
    /// Its bytes, once read (`None`: missing, or not the one named).
    bytes: OnceLock<Option<Vec<u8>>>,
}

impl LinksFile {
    fn bytes(&self) -> Option<&[u8]> {
        self.bytes
            .get_or_init(|| {
                let bytes = std::fs::read(&self.path).ok()?;
                (hash(&bytes) == self.hash).then_some(bytes)
            })
            .as_deref()
    }
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
    /// The encoded links: a range of the links file, or its own bytes when fresh.
    links: Blob,
}

impl Slot {
    /// The encoded links, from `file` when they were read from it.
    fn links<'a>(&'a self, file: &'a LinksFile) -> Option<&'a [u8]> {
        match &self.links {
            Blob::Loaded(range) => file.bytes()?.get(range.clone()),
            Blob::Fresh(bytes) => Some(bytes),
        }
    }
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
    /// Reading takes a while in a large vault: a run does it while it walks, then gives
    /// the walk with [`Cache::for_walk`].
    pub fn open(config: &Config, schemas: &Schemas) -> Option<Cache> {
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
            .and_then(|bytes| Loaded::parse(bytes, key, &file))
            .unwrap_or_default();
        Some(Cache {
            file,
            key,
            walk_hash: 0,
            started_ns: now_ns(),
            loaded,
            fresh: Mutex::new(Vec::new()),
        })
    }

    /// The cache for a run whose walk found `walk`'s files.
    pub fn for_walk(mut self, walk: &crate::walk::Walk) -> Cache {
        self.walk_hash = walk_hash(walk);
        self
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
        // Racily clean: trusted only once its content is the content recorded.
        let racy = slot.stamp.mtime_ns + RACY_WINDOW_NS >= slot.recorded_ns;
        let text = match racy {
            true => {
                let text = crate::note::read::read_text(abs, max_bytes)?;
                Some((hash(text.as_bytes()) == slot.hash).then_some(text)?)
            }
            false => None,
        };
        self.decode(slot).map(|record| Hit {
            record,
            text,
            hash: slot.hash,
        })
    }

    fn decode(&self, slot: &Slot) -> Option<Record> {
        let bytes = match &slot.blob {
            Blob::Loaded(range) => self.loaded.buffer.get(range.clone())?,
            Blob::Fresh(bytes) => bytes,
        };
        let stored: StoredRecord = postcard::from_bytes(bytes).ok()?;
        let mut record = stored.into_record(self.walk_hash)?;
        // The links are decoded only when they must be resolved again.
        if record.resolved.is_none() {
            record.links = postcard::from_bytes(slot.links(&self.loaded.links)?).ok()?;
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
        let (Ok(mut blob), Ok(mut links)) = (
            postcard::to_allocvec(&record),
            postcard::to_allocvec(learnt.links),
        ) else {
            return;
        };
        // Kept until the end of the run, for every note: no spare capacity.
        blob.shrink_to_fit();
        links.shrink_to_fit();
        let slot = Slot {
            path: rel.into(),
            stamp,
            hash,
            recorded_ns: self.started_ns,
            today: (today.0.map(day), today.1.map(day)),
            blob: Blob::Fresh(blob),
            links: Blob::Fresh(links),
        };
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push(slot);
        }
    }

    /// Writes the cache back: this run's entries, and the earlier ones of notes that
    /// `exists` still. Nothing is written when nothing changed; a failure is ignored.
    pub fn save(self, exists: impl Fn(&str) -> bool) {
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        if fresh.is_empty() && self.loaded.walk_hash == self.walk_hash {
            // The same files, nothing learnt: no entry to add or drop.
            return;
        }
        let mut slots = self.loaded.slots;
        let before = slots.len();
        slots.retain(|path, _| exists(path));
        if fresh.is_empty() && slots.len() == before {
            return;
        }
        for slot in fresh {
            slots.insert(slot.path.clone(), slot);
        }
        // A stable order, so the same vault gives the same files.
        let mut slots: Vec<&Slot> = slots.values().collect();
        slots.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        // An entry whose links cannot be read (its links file is gone) is dropped.
        let mut at = 0u64;
        let kept: Vec<(&Slot, &[u8], &[u8])> = slots
            .into_iter()
            .filter_map(|slot| {
                let blob = match &slot.blob {
                    Blob::Loaded(range) => self.loaded.buffer.get(range.clone())?,
                    Blob::Fresh(bytes) => bytes,
                };
                Some((slot, blob, slot.links(&self.loaded.links)?))
            })
            .collect();
        let entries: Vec<StoredEntry<'_>> = kept
            .iter()
            .map(|&(slot, blob, links)| {
                let len = links.len() as u64;
                at += len;
                StoredEntry {
                    path: &slot.path,
                    stamp: slot.stamp,
                    hash: slot.hash,
                    recorded_ns: slot.recorded_ns,
                    today: slot.today,
                    blob,
                    links: (at - len, len),
                }
            })
            .collect();
        // The links first, written as they are hashed: the cache file names the links
        // file it goes with.
        let mut links_hash = xxhash_rust::xxh3::Xxh3::new();
        let written = crate::fs::write_cache_with(&links_path(&self.file), |out| {
            for (_, _, links) in &kept {
                links_hash.update(links);
                out.write_all(links)?;
            }
            Ok(())
        });
        if written.is_err() {
            return;
        }
        // One buffer of about the right size: the file is as large as the notes' entries.
        let size: usize = entries
            .iter()
            .map(|e| e.blob.len() + e.path.len() + 64)
            .sum();
        let file = StoredFile {
            key: self.key,
            walk_hash: self.walk_hash,
            links_hash: links_hash.digest(),
            entries,
        };
        if let Some(bytes) = framed(&file, size) {
            let _ = crate::fs::write_cache(&self.file, &bytes);
        }
    }
}

impl Loaded {
    /// The entries of a cache file made under `key`; `None` for anything else.
    fn parse(buffer: Vec<u8>, key: u64, file_path: &Path) -> Option<Loaded> {
        let file: StoredFile<'_> = postcard::from_bytes(unframed(&buffer)?).ok()?;
        if file.key != key {
            return None;
        }
        let walk_hash = file.walk_hash;
        let links_hash = file.links_hash;
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
                    links: Blob::Loaded(span(entry.links)),
                };
                (slot.path.clone(), slot)
            })
            .collect();
        Some(Loaded {
            buffer,
            slots,
            walk_hash,
            links: LinksFile {
                path: links_path(file_path),
                hash: links_hash,
                bytes: OnceLock::new(),
            },
        })
    }
}

/// A range of the links file, from where it starts and how long it is (empty when it
/// does not fit in memory's addresses: such an entry's links do not decode).
fn span((at, len): (u64, u64)) -> Range<usize> {
    match (usize::try_from(at), usize::try_from(len)) {
        (Ok(at), Ok(len)) => at..at.saturating_add(len),
        _ => 0..0,
    }
}

/// The links file beside a cache file.
fn links_path(cache_file: &Path) -> PathBuf {
    cache_file.with_extension("links")
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
    // The build itself: two builds of one version (a development build, an upgrade in
    // place) may check or encode differently, and a cache is cheap to rebuild.
    let build = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|m| Stamp::of(&m));
    add(format!("{build:?}").as_bytes());
    add(root.as_os_str().as_encoded_bytes());
    add(format!("{:?}", config.file).as_bytes());
    add(config.source.as_deref().unwrap_or_default().as_bytes());
    // `--select` / `--ignore` (`review.on_errors` counts errors; the `[rules]` table is
    // in the config's text).
    add(format!("{:?}", config.selection).as_bytes());
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
