//! Keeping the open notes' findings current: building a vault's index, taking in files
//! changed outside the editor, and checking open notes again when what they depend on
//! changed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use lsp_types::Url;
use rustc_hash::FxHashSet;

use super::analysis::Index;
use super::{Server, Task, convert, handlers, log_message, panic_message};

impl Server {
    /// Files created, changed or deleted outside the editor: settings are reloaded (the
    /// last good ones stay when the new ones do not load) and indexes rebuilt.
    pub(super) fn on_files_changed(&mut self, changes: Vec<lsp_types::FileEvent>) {
        let mut reload: FxHashSet<usize> = FxHashSet::default();
        let mut reindex: FxHashSet<usize> = FxHashSet::default();
        for change in changes {
            let Some(path) = convert::path_of(&change.uri) else {
                continue;
            };
            let Some(&vault) = self.session.vaults_holding(&path).first() else {
                continue;
            };
            if handlers::watched::is_settings(&path) {
                reload.insert(vault);
            } else {
                reindex.insert(vault);
            }
        }
        for vault in reload {
            self.session.reload(vault);
            reindex.insert(vault);
        }
        self.publish_config_errors();
        for vault in reindex {
            self.start_indexing(vault);
            // Settings that changed apply at once; link findings follow with the index.
            self.recheck_vault(vault);
        }
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
                    Ok(index) => Some(Arc::new(index)),
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

    /// Re-checks the open documents of `vault` other than `except`.
    pub(super) fn check_others(&mut self, vault: Option<usize>, except: &Url) {
        let others: Vec<Url> = self
            .session
            .documents
            .iter()
            .filter(|(uri, open)| *uri != except && open.vault == vault)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in others {
            self.check(&uri);
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
