//! The server's state, owned by the main loop: what the client can do, the open documents,
//! and per vault its last good settings (configuration and schemas), the error of the
//! current ones if they do not load, and its index. Work elsewhere gets a [`Snapshot`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockWriteGuard};

use lsp_types::{ClientCapabilities, Url};
use rustc_hash::FxHashMap;

use super::analysis::{Analysis, Index, Workspace};
use super::convert::{self, Encoding};
use super::document::Document;
use super::index::Affected;
use crate::config::Config;
use crate::error::FileError;

/// What the client said it supports, as far as the server's behaviour depends on it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client {
    /// `textDocument/diagnostic`: the client pulls diagnostics, so none are pushed
    /// (an editor that does both would show each finding twice).
    pub pulls_diagnostics: bool,
    /// `workspace/diagnostic/refresh`: the client re-pulls when asked.
    pub refreshes_diagnostics: bool,
    /// `window/workDoneProgress`.
    pub shows_progress: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watches_files: bool,
    /// `CompletionItem.documentation` as Markdown.
    pub markdown: bool,
}

impl Client {
    pub fn of(caps: &ClientCapabilities) -> Client {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        Client {
            pulls_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            refreshes_diagnostics: workspace
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            shows_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            markdown: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.documentation_format.as_ref())
                .is_some_and(|formats| formats.contains(&lsp_types::MarkupKind::Markdown)),
        }
    }
}

/// One vault the server serves.
pub struct Vault {
    pub root: PathBuf,
    /// The last configuration and schemas that loaded; `None` until one does (notes get
    /// no findings then, as `check` gives none with a broken configuration).
    pub workspace: Option<Arc<Workspace>>,
    /// Why the current configuration or a schema does not load, shown on that file.
    pub errors: Vec<FileError>,
    /// Read by running work, changed by the main loop only (file events, open documents).
    pub index: Option<Arc<RwLock<Index>>>,
    /// An index build is running; `stale`: files changed since it started.
    pub indexing: bool,
    pub stale: bool,
}

/// An open document and the vault it belongs to.
pub struct Open {
    pub document: Document,
    pub path: Option<PathBuf>,
    pub vault: Option<usize>,
}

pub struct Session {
    pub encoding: Encoding,
    pub client: Client,
    pub documents: FxHashMap<Url, Open>,
    pub vaults: Vec<Vault>,
    /// The texts of the open documents by path, shared with running work.
    open_texts: Arc<FxHashMap<PathBuf, Arc<str>>>,
    /// Files on which configuration errors are shown, to clear them once fixed.
    pub error_files: Vec<Url>,
}

/// What a piece of work needs, detached from the session: it may run while the session
/// moves on.
#[derive(Clone)]
pub struct Snapshot {
    pub encoding: Encoding,
    pub client: Client,
    pub workspace: Option<Arc<Workspace>>,
    pub index: Option<Arc<RwLock<Index>>>,
    pub open: Arc<FxHashMap<PathBuf, Arc<str>>>,
}

impl Snapshot {
    /// The questions this snapshot can answer; `None` without a good configuration.
    pub fn analysis(&self) -> Option<Analysis<'_>> {
        Some(Analysis {
            ws: self.workspace.as_deref()?,
            // A panic while the index was changed leaves it as the change left it; the
            // next file event or rebuild sets it right.
            index: self
                .index
                .as_deref()
                .map(|index| index.read().unwrap_or_else(PoisonError::into_inner)),
            open: &self.open,
        })
    }
}

impl Session {
    pub fn new(encoding: Encoding, client: Client) -> Session {
        Session {
            encoding,
            client,
            documents: FxHashMap::default(),
            vaults: Vec::new(),
            open_texts: Arc::default(),
            error_files: Vec::new(),
        }
    }

    /// The vault holding `path` (a note or a folder), found as `check` finds it and loaded
    /// on first sight; the bool says it is new (its index is to be built).
    pub fn vault_for(&mut self, start: &Path) -> (usize, bool) {
        let discovered = Config::discover(start, None);
        let root = match &discovered {
            Ok(config) => config.vault_root.clone(),
            // A configuration that does not load lives in the vault's root.
            Err(error) => error
                .path
                .parent()
                .map_or_else(|| start.to_path_buf(), Path::to_path_buf),
        };
        if let Some(at) = self.vaults.iter().position(|v| v.root == root) {
            return (at, false);
        }
        // Schemas are compiled once per vault, not per opened note.
        let loaded = discovered
            .map_err(|error| vec![error])
            .and_then(|config| Workspace::with_config(config).map(Arc::new));
        let (workspace, errors) = match loaded {
            Ok(workspace) => (Some(workspace), Vec::new()),
            Err(errors) => (None, errors),
        };
        self.vaults.push(Vault {
            root,
            workspace,
            errors,
            index: None,
            indexing: false,
            stale: false,
        });
        (self.vaults.len() - 1, true)
    }

    /// Reloads a vault's configuration and schemas; the last good ones stay when the new
    /// ones do not load. Returns whether the settings changed (the index must be rebuilt).
    pub fn reload(&mut self, vault: usize) -> bool {
        let Some(entry) = self.vaults.get_mut(vault) else {
            return false;
        };
        match Workspace::discover(&entry.root) {
            Ok(workspace) if workspace.root() == entry.root => {
                entry.errors.clear();
                entry.workspace = Some(Arc::new(workspace));
                true
            }
            // The root moved (its `notelint.toml` was deleted or one appeared above):
            // documents find their vault again when next opened; this one stays as it was.
            Ok(_) => false,
            Err(errors) => {
                entry.errors = errors;
                false
            }
        }
    }

    pub fn snapshot(&self, vault: Option<usize>) -> Snapshot {
        let entry = vault.and_then(|v| self.vaults.get(v));
        Snapshot {
            encoding: self.encoding,
            client: self.client,
            workspace: entry.and_then(|v| v.workspace.clone()),
            index: entry.and_then(|v| v.index.clone()),
            open: self.open_texts.clone(),
        }
    }

    /// The snapshot for work on the document `uri`.
    pub fn snapshot_for(&self, uri: &Url) -> Snapshot {
        self.snapshot(self.documents.get(uri).and_then(|o| o.vault))
    }

    pub fn open(&mut self, uri: Url, text: String, version: i32) {
        let path = convert::path_of(&uri);
        let vault = path
            .as_deref()
            .and_then(Path::parent)
            .map(|folder| self.vault_for(folder).0);
        self.documents.insert(
            uri,
            Open {
                document: Document::new(text, version),
                path,
                vault,
            },
        );
        self.refresh_texts();
    }

    /// Closes a document; its file's facts come back into the index.
    pub fn close(&mut self, uri: &Url) -> Option<(usize, Affected)> {
        let closed = self.documents.remove(uri);
        self.refresh_texts();
        let closed = closed?;
        let (vault, path) = (closed.vault?, closed.path?);
        let entry = self.vaults.get(vault)?;
        let ws = entry.workspace.as_deref()?;
        let affected = write(entry.index.as_deref()?).set_from_disk(ws, &path);
        Some((vault, affected))
    }

    /// An open document's text stands in the index for its file's (after it opened or
    /// changed). Returns its vault and the notes whose link findings may have changed.
    pub fn index_open_text(&self, uri: &Url) -> Option<(usize, Affected)> {
        let open = self.documents.get(uri)?;
        let (vault, path) = (open.vault?, open.path.as_deref()?);
        let entry = self.vaults.get(vault)?;
        let ws = entry.workspace.as_deref()?;
        let rel = ws.rel(path);
        let affected =
            write(entry.index.as_deref()?).set_text(ws, &rel, open.document.text.clone());
        Some((vault, affected))
    }

    /// Puts a freshly built index in use, with the open documents' texts in place of their
    /// files'.
    pub fn install_index(&mut self, vault: usize, mut index: Index) {
        let Some(entry) = self.vaults.get(vault) else {
            return;
        };
        if let Some(ws) = entry.workspace.as_deref() {
            for open in self.documents.values().filter(|o| o.vault == Some(vault)) {
                if let Some(path) = &open.path {
                    index.set_text(ws, &ws.rel(path), open.document.text.clone());
                }
            }
        }
        if let Some(entry) = self.vaults.get_mut(vault) {
            entry.index = Some(Arc::new(RwLock::new(index)));
        }
    }

    /// The open documents of `vault` among the vault-relative paths of `affected`.
    pub fn open_among(&self, vault: usize, affected: &Affected) -> Vec<Url> {
        let Some(ws) = self.vaults.get(vault).and_then(|v| v.workspace.as_deref()) else {
            return Vec::new();
        };
        self.documents
            .iter()
            .filter(|(_, open)| open.vault == Some(vault))
            .filter(|(_, open)| {
                affected.all
                    || open
                        .path
                        .as_deref()
                        .is_some_and(|path| affected.notes.contains(&ws.rel(path)))
            })
            .map(|(uri, _)| uri.clone())
            .collect()
    }

    /// After any change to an open document's text.
    pub fn refresh_texts(&mut self) {
        let texts = self
            .documents
            .values()
            .filter_map(|open| {
                let path = open.path.clone()?;
                Some((path, Arc::from(open.document.text.as_str())))
            })
            .collect();
        self.open_texts = Arc::new(texts);
    }

    /// The text of the open document at `path`, if one is open.
    pub fn open_text(&self, path: &Path) -> Option<String> {
        self.open_texts.get(path).map(|text| text.to_string())
    }

    /// The vaults holding `path`, innermost first.
    pub fn vaults_holding(&self, path: &Path) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.vaults.len())
            .filter(|&v| path.starts_with(&self.vaults[v].root))
            .collect();
        found.sort_by_key(|&v| std::cmp::Reverse(self.vaults[v].root.components().count()));
        found
    }
}

/// The index, for a change by the main loop.
pub fn write(index: &RwLock<Index>) -> RwLockWriteGuard<'_, Index> {
    index.write().unwrap_or_else(PoisonError::into_inner)
}
