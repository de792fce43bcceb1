//! Keeping the open notes' findings current: building a vault's index, taking in files
//! changed outside the editor, and checking open notes again when what they depend on
//! changed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_types::Url;
use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{Affected, Index};
use super::{Server, Task, convert, handlers, log_message, panic_message, session};

impl Server {
    /// Files created, changed or deleted outside the editor. Settings are reloaded (the
    /// last good ones stay when the new ones do not load) and the index rebuilt with them;
    /// notes and attachments are added to, removed from or replaced in the index, and the
    /// open notes whose link findings that may change are checked again.
    pub(super) fn on_files_changed(&mut self, changes: Vec<lsp_types::FileEvent>) {
        use lsp_types::FileChangeType;
        let mut reload: FxHashSet<usize> = FxHashSet::default();
        let mut affected: FxHashMap<usize, Affected> = FxHashMap::default();
        for change in changes {
            let Some(path) = convert::path_of(&change.uri) else {
                continue;
            };
            let Some(&vault) = self.session.vaults_holding(&path).first() else {
                continue;
            };
            if handlers::watched::is_settings(&path) {
                reload.insert(vault);
                continue;
            }
            let Some(entry) = self.session.vaults.get_mut(vault) else {
                continue;
            };
            // An index being built may have read the file before it changed.
            entry.stale |= entry.indexing;
            let (Some(ws), Some(index)) = (entry.workspace.clone(), entry.index.clone()) else {
                continue;
            };
            let open_text = self.session.open_text(&path);
            let mut index = session::write(&index);
            let found = match change.typ {
                FileChangeType::CREATED => index.created(&ws, &path, open_text.as_deref()),
                FileChangeType::DELETED => index.removed(&ws, &path),
                _ => index.changed(&ws, &path, open_text.as_deref()),
            };
            let into = affected.entry(vault).or_default();
            into.notes.extend(found.notes);
            into.all |= found.all;
        }
        for &vault in &reload {
            self.session.reload(vault);
        }
        self.publish_config_errors();
        for vault in reload {
            affected.remove(&vault);
            self.start_indexing(vault);
            // Settings that changed apply at once; link findings follow with the index.
            self.recheck_vault(vault);
        }
        for (vault, affected) in affected {
            for uri in self.session.open_among(vault, &affected) {
                self.check(&uri);
            }
        }
        self.refresh_pulled();
    }

    /// Builds a vault's index on a thread of its own, with `$/progress` reports.
    pub(super) fn start_indexing(&mut self, vault: usize) {
        let Some(entry) = self.session.vaults.get_mut(vault) else {
            return;
        };
        if entry.indexing {
            entry.stale = true;
            return;
        }
        let Some(workspace) = entry.workspace.clone() else {
            return;
        };
        entry.indexing = true;
        let token = self.progress_token();
        let sender = self.connection.sender.clone();
        let tasks = self.tasks.0.clone();
        let spawned = std::thread::Builder::new()
            .name("notelint-index".to_owned())
            .spawn(move || {
                let progress = handlers::progress::Reporter::new(sender.clone(), token);
                let built = catch_unwind(AssertUnwindSafe(|| {
                    Index::build(&workspace, &|done, total| progress.report(done, total))
                }));
                let index = match built {
                    Ok(index) => Some(Box::new(index)),
                    Err(panic) => {
                        let message = format!(
                            "notelint server: indexing failed: {}",
                            panic_message(&panic)
                        );
                        let _ = sender.send(log_message(&message));
                        None
                    }
                };
                let _ = tasks.send(Task::Indexed {
                    vault,
                    workspace,
                    index,
                    progress,
                });
            });
        if spawned.is_err()
            && let Some(entry) = self.session.vaults.get_mut(vault)
        {
            entry.indexing = false;
        }
    }

    /// Checks an open document on the pool and publishes its findings (when the client
    /// does not pull them).
    pub(super) fn check(&mut self, uri: &Url) {
        if self.session.client.pulls_diagnostics {
            return;
        }
        let Some(open) = self.session.documents.get(uri) else {
            return;
        };
        let version = open.document.version;
        let context = handlers::Context::new(&self.session, Some(uri.clone()));
        let latest = self.latest.clone();
        let tasks = self.tasks.0.clone();
        let sender = self.connection.sender.clone();
        let uri = uri.clone();
        self.pool.spawn(move || {
            let current = latest.lock().is_ok_and(|l| l.get(&uri) == Some(&version));
            if !current {
                return;
            }
            match catch_unwind(AssertUnwindSafe(|| {
                handlers::diagnostics::compute(&context)
            })) {
                Ok(diagnostics) => {
                    let _ = tasks.send(Task::Diagnostics {
                        uri,
                        version,
                        diagnostics,
                    });
                }
                Err(panic) => {
                    let message = format!(
                        "notelint server: internal error checking {uri}: {}",
                        panic_message(&panic)
                    );
                    let _ = sender.send(log_message(&message));
                }
            }
        });
    }

    /// Checks again the open notes of a change's vault whose link findings it may have
    /// changed, other than `except` (checked already).
    pub(super) fn check_affected(&mut self, affected: Option<(usize, Affected)>, except: &Url) {
        let Some((vault, affected)) = affected else {
            return;
        };
        let uris = self.session.open_among(vault, &affected);
        let others: Vec<&Url> = uris.iter().filter(|uri| *uri != except).collect();
        if others.is_empty() {
            return;
        }
        for uri in others {
            self.check(uri);
        }
        self.refresh_pulled();
    }

    pub(super) fn recheck_vault(&mut self, vault: usize) {
        let uris: Vec<Url> = self
            .session
            .documents
            .iter()
            .filter(|(_, open)| open.vault == Some(vault))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in uris {
            self.check(&uri);
        }
        self.refresh_pulled();
    }

    /// Asks a client that pulls diagnostics to pull again.
    pub(super) fn refresh_pulled(&mut self) {
        let client = self.session.client;
        if client.pulls_diagnostics && client.refreshes_diagnostics {
            self.request::<lsp_types::request::WorkspaceDiagnosticRefresh>(());
        }
    }
}
