//! The vault's listing kept beside the cache: the files a walk found and the did-you-mean
//! index, so an editor check can skip the walk while nothing it depends on changed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::stored::{framed, unframed};
use super::{RACY_WINDOW_NS, Stamp, folder, hash, key, walk_hash};
use crate::config::Config;
use crate::schema::Schemas;
use crate::vault::Suggestions;

/// The vault's files as a walk found them, kept beside the cache so that an editor check
/// can skip the walk (SPEC 9). It is trusted only while every folder the walk listed has
/// the modification time recorded (a file created, deleted or renamed in a folder changes
/// the folder's), the ignore files and `.git` folders that steer the walk are as they
/// were, and none of these changed within [`RACY_WINDOW_NS`] of the run that recorded
/// them. A change to the user's global git excludes file is not seen (a full `check`
/// always walks).
pub struct Listing {
    root: PathBuf,
    files: Files,
    nested_roots: Vec<String>,
    /// Where the did-you-mean index of the listed walk is kept.
    names: NamesFile,
}

/// The vault's did-you-mean index (`vault::Suggestions`, encoded), in a file of its own:
/// a check reads it only on its first broken link.
#[derive(Clone)]
pub struct NamesFile {
    path: PathBuf,
    key: u64,
    /// `walk_hash` of the walk whose names it must hold.
    walk_hash: u64,
    /// Whether it held the index of this walk, once known (shared by the clones).
    held: std::sync::Arc<std::sync::OnceLock<bool>>,
}

/// The did-you-mean file as written ...
#[derive(Serialize)]
struct StoredNamesRef<'a> {
    key: u64,
    walk_hash: u64,
    suggestions: &'a Suggestions,
}

/// ... and as read.
#[derive(Deserialize)]
struct StoredNames {
    key: u64,
    walk_hash: u64,
    suggestions: Suggestions,
}

impl NamesFile {
    /// The index, if the file holds the one of this walk.
    pub fn read(&self) -> Option<Suggestions> {
        let read = (|| {
            let bytes = std::fs::read(&self.path).ok()?;
            let stored: StoredNames = postcard::from_bytes(unframed(&bytes)?).ok()?;
            (stored.key == self.key && stored.walk_hash == self.walk_hash)
                .then_some(stored.suggestions)
        })();
        let _ = self.held.set(read.is_some());
        read
    }

    /// Whether the file holds the index of this walk (read for it if no one did yet).
    pub fn holds(&self) -> bool {
        match self.held.get() {
            Some(&held) => held,
            None => self.read().is_some(),
        }
    }
}

const IS_NOTE: u8 = 1;
const EXCLUDED: u8 = 2;

/// The listing as stored: its head (what says whether it holds, and the did-you-mean
/// index), then the files, which only an editor check decodes.
#[derive(Serialize, Deserialize)]
struct StoredListing {
    head: ListingHead,
    nested_roots: Vec<String>,
    files: Files,
}

/// The files in three columns of one run of bytes each, decoded with a copy and a UTF-8
/// check instead of an allocation per file (an editor check reads them all).
#[derive(Serialize, Deserialize)]
struct Files {
    /// Vault-relative paths, each ended by a NUL (which no path holds).
    paths: String,
    /// Folded file names, each ended by a NUL.
    names: String,
    /// `IS_NOTE | EXCLUDED`, one byte per file.
    #[serde(with = "super::stored::byte_buf")]
    flags: Vec<u8>,
}

impl Files {
    /// (path, folded name, flags) of each file.
    fn iter(&self) -> impl Iterator<Item = (&str, &str, u8)> {
        self.paths
            .split_terminator('\0')
            .zip(self.names.split_terminator('\0'))
            .zip(self.flags.iter().copied())
            .map(|((path, name), flags)| (path, name, flags))
    }
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
        let key = listing_key(config, schemas, &root, no_ignore);
        (head.key == key && head.holds(&root)).then(|| Listing {
            files: stored.files,
            nested_roots: stored.nested_roots,
            names: NamesFile {
                path: names_file(&root).unwrap_or_default(),
                key,
                walk_hash: head.walk_hash,
                held: Default::default(),
            },
            root: config.vault_root.clone(),
        })
    }

    /// Where the did-you-mean index of the whole listed vault is.
    pub fn names(&self) -> NamesFile {
        self.names.clone()
    }

    /// Where the did-you-mean index of a vault whose walk found what `walk` found would
    /// be kept, for a full check: building it takes a while in a large vault.
    pub fn names_for(
        config: &Config,
        schemas: &Schemas,
        no_ignore: bool,
        walk: &crate::walk::Walk,
    ) -> Option<NamesFile> {
        let root = std::path::absolute(&config.vault_root).ok()?;
        Some(NamesFile {
            path: names_file(&root)?,
            key: listing_key(config, schemas, &root, no_ignore),
            walk_hash: walk_hash(walk),
            held: Default::default(),
        })
    }

    /// The walk this listing stands for, keeping only files named in `only` (folded).
    pub fn walk(&self, only: Option<&crate::walk::NameFilter>) -> crate::walk::Walk {
        let files = self
            .files
            .iter()
            .filter(|(_, name, _)| only.is_none_or(|only| only.contains(*name)))
            .map(|(rel, _, flags)| crate::walk::VaultFile {
                abs: self.root.join(rel),
                rel: rel.to_owned(),
                is_note: flags & IS_NOTE != 0,
                excluded: flags & EXCLUDED != 0,
            })
            .collect();
        crate::walk::Walk::from_files(files, self.nested_roots.clone())
    }

    /// Records the listing of a walk of the whole vault, with its did-you-mean index
    /// (made by `suggestions` only when written), unless the one kept still holds and
    /// says the same. A failure is ignored.
    pub fn save<'a>(
        config: &Config,
        schemas: &Schemas,
        no_ignore: bool,
        walk: &crate::walk::Walk,
        started_ns: i128,
        suggestions: impl FnOnce() -> &'a Suggestions,
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
        let mut files = Files {
            paths: String::new(),
            names: String::new(),
            flags: Vec::with_capacity(walk.files.len()),
        };
        for file in &walk.files {
            let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
            files.paths.push_str(&file.rel);
            files.paths.push('\0');
            files.names.push_str(&crate::text::fold(name));
            files.names.push('\0');
            files.flags.push(
                if file.is_note { IS_NOTE } else { 0 } | if file.excluded { EXCLUDED } else { 0 },
            );
        }
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
        let Some(names_path) = names_file(&root) else {
            return;
        };
        // The names first: a listing is used only with the names of its own walk.
        let names = StoredNamesRef {
            key,
            walk_hash,
            suggestions: suggestions(),
        };
        let Some(bytes) = framed(&names, 0) else {
            return;
        };
        if crate::fs::write_cache(&names_path, &bytes).is_err() {
            return;
        }
        let stored = StoredListing {
            head: ListingHead {
                key,
                started_ns,
                folders,
                ignore_files,
                git,
                walk_hash,
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

fn names_file(root: &Path) -> Option<PathBuf> {
    listing_file(root).map(|path| path.with_extension("names"))
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
