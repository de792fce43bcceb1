//! `notelint server`: the language server (SPEC 11), a thin protocol layer over the library.
//!
//! The main loop owns the [`session::Session`] and never blocks on long work: checking a
//! note and answering a request run on a small pool with a [`session::Snapshot`], indexing
//! a vault on a thread of its own. Results for a document version that is no longer the
//! latest are dropped; `$/cancelRequest` answers a request at once and its result is
//! dropped when it comes. A panic inside a job is caught, answered as an error and logged
//! (`window/logMessage`); the server goes on. It never writes a file: edits reach the
//! client as `WorkspaceEdit`s.
//!
//! Renaming (`workspace/willRenameFiles`) answers with the link rewrites of `notelint mv`
//! ([`rewrite`]) as a `WorkspaceEdit`; the client moves the files itself.

pub mod analysis;
mod convert;
mod document;
mod handlers;
mod index;
mod refresh;
mod rewrite;
mod session;
#[cfg(test)]
mod tests;
mod workspace;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{InitializeParams, ServerCapabilities, Url};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde::de::DeserializeOwned;

use analysis::Workspace;
use convert::Encoding;
use index::Index;
use session::{Client, Session};

/// Runs the server on stdin/stdout until the client says `exit`. `Ok(true)`: after a
/// `shutdown` request, as the protocol wants (exit code 0); `Ok(false)`: without one.
pub fn run() -> Result<bool, String> {
    let (connection, _io_threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize params: {e}"))?;
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "notelint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the client did not finish initializing: {e}"))?;
    let session = Session::new(encoding, Client::of(&params.capabilities));
    let mut server = Server::new(connection, session);
    server.folders = workspace_folders(&params);
    // The I/O threads are not joined: the client has the answer to `shutdown` before it
    // sends `exit`, and a vault still being indexed would hold the writer open.
    Ok(server.main_loop())
}

/// What the server announces. Diagnostics are pushed, and pulled by clients that pull.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("notelint".to_owned()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(handlers::code_action::FIX_ALL),
            ]),
            ..Default::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["[", "#", "^", ":", " ", "/", "-", "\"", "'"]
                    .map(str::to_owned)
                    .to_vec(),
            ),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: None,
            file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                will_rename: Some(handlers::rename::filters()),
                ..Default::default()
            }),
        }),
        ..Default::default()
    }
}

fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| convert::path_of(&f.uri))
        .collect();
    #[allow(deprecated)] // older clients send only the root URI
    if folders.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(convert::path_of)
    {
        folders.push(root);
    }
    folders
}

/// Work that finished off the main loop.
enum Task {
    /// The findings of a document at a version.
    Diagnostics {
        uri: Url,
        version: i32,
        diagnostics: Vec<lsp_types::Diagnostic>,
    },
    /// A vault's index, built with the settings `workspace`. Its progress report ends
    /// once the index is in use, so a client that saw the end gets full findings.
    Indexed {
        vault: usize,
        workspace: Arc<Workspace>,
        index: Option<Box<Index>>,
        progress: handlers::progress::Reporter,
    },
}

struct Server {
    connection: Connection,
    session: Session,
    pool: rayon::ThreadPool,
    tasks: (Sender<Task>, Receiver<Task>),
    /// Requests being worked on; one that is no longer here was cancelled (and answered).
    in_flight: Arc<Mutex<FxHashSet<RequestId>>>,
    /// The latest version of each open document, so work for an older one is skipped.
    latest: Arc<Mutex<FxHashMap<Url, i32>>>,
    /// Ids of requests the server sends.
    next_id: u64,
    folders: Vec<PathBuf>,
    /// `shutdown` was answered: only `exit` is expected now.
    shut_down: bool,
}

impl Server {
    fn new(connection: Connection, session: Session) -> Server {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("notelint-server-{i}"))
            .build()
            .unwrap_or_else(|_| {
                // Without its own pool the server shares rayon's global one.
                rayon::ThreadPoolBuilder::new()
                    .build()
                    .unwrap_or_else(|e| panic!("no thread pool: {e}"))
            });
        Server {
            connection,
            session,
            pool,
            tasks: crossbeam_channel::unbounded(),
            in_flight: Arc::default(),
            latest: Arc::default(),
            next_id: 0,
            folders: Vec::new(),
            shut_down: false,
        }
    }

    /// What follows `initialized` (which `initialize_finish` has consumed): file watchers,
    /// and the workspace folders' vaults found and indexed.
    fn initialized(&mut self) {
        self.register_watchers();
        for folder in std::mem::take(&mut self.folders) {
            let (vault, new) = self.session.vault_for(&folder);
            if new {
                self.start_indexing(vault);
            }
        }
        self.publish_config_errors();
    }

    /// Returns whether `exit` came after `shutdown`.
    fn main_loop(&mut self) -> bool {
        self.initialized();
        loop {
            let event = crossbeam_channel::select! {
                recv(self.connection.receiver) -> message => match message {
                    Ok(message) => Event::Message(message),
                    // The client went away without `exit`.
                    Err(_) => return false,
                },
                recv(self.tasks.1) -> task => match task {
                    Ok(task) => Event::Task(task),
                    Err(_) => continue,
                },
            };
            let handled = catch_unwind(AssertUnwindSafe(|| match event {
                Event::Message(Message::Request(request)) => self.on_request(request),
                Event::Message(Message::Notification(notification)) => {
                    self.on_notification(notification)
                }
                // Answers to the server's own requests (progress tokens, registrations).
                Event::Message(Message::Response(_)) => Flow::Continue,
                Event::Task(task) => {
                    self.on_task(task);
                    Flow::Continue
                }
            }));
            match handled {
                Ok(Flow::Continue) => {}
                Ok(Flow::Exit { clean }) => return clean,
                Err(panic) => self.log_error(&format!(
                    "notelint server: internal error: {}",
                    panic_message(&panic)
                )),
            }
        }
    }

    fn on_request(&mut self, request: Request) -> Flow {
        use lsp_types::request::*;
        if self.shut_down {
            let response = Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            );
            self.send(response.into());
            return Flow::Continue;
        }
        // Answered here rather than with `Connection::handle_shutdown`, which takes any
        // message but `exit` after it (an answer to one of the server's own requests
        // still on its way) for a protocol error.
        if request.method == Shutdown::METHOD {
            self.shut_down = true;
            self.send(Response::new_ok(request.id, ()).into());
            return Flow::Continue;
        }
        use handlers::*;
        match request.method.as_str() {
            DocumentDiagnosticRequest::METHOD => {
                self.spawn::<DocumentDiagnosticRequest>(request, diagnostics::pull)
            }
            CodeActionRequest::METHOD => {
                self.spawn::<CodeActionRequest>(request, code_action::handle)
            }
            Completion::METHOD => self.spawn::<Completion>(request, completion::handle),
            HoverRequest::METHOD => self.spawn::<HoverRequest>(request, hover::handle),
            GotoDefinition::METHOD => self.spawn::<GotoDefinition>(request, navigate::definition),
            References::METHOD => self.spawn::<References>(request, navigate::references),
            WillRenameFiles::METHOD => self.spawn::<WillRenameFiles>(request, rename::handle),
            #[cfg(debug_assertions)]
            handlers::testing::Panic::METHOD => {
                self.spawn::<handlers::testing::Panic>(request, handlers::testing::panic)
            }
            #[cfg(debug_assertions)]
            handlers::testing::Sleep::METHOD => {
                self.spawn::<handlers::testing::Sleep>(request, handlers::testing::sleep)
            }
            _ => {
                let response = Response::new_err(
                    request.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("notelint does not handle `{}`", request.method),
                );
                self.send(response.into());
            }
        }
        Flow::Continue
    }

    /// Answers `request` on the pool with `handler`, unless it is cancelled first.
    fn spawn<R>(
        &mut self,
        request: Request,
        handler: fn(&handlers::Context, R::Params) -> Result<R::Result, String>,
    ) where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + Send + 'static,
        R::Result: Serialize,
    {
        // The document a request is about; for a rename, the first file renamed (its vault
        // answers).
        let uri = request
            .params
            .pointer("/textDocument/uri")
            .or_else(|| request.params.pointer("/files/0/oldUri"))
            .and_then(|v| v.as_str())
            .and_then(|s| Url::parse(s).ok());
        let request_id = request.id.clone();
        let (id, params) = match request.extract::<R::Params>(R::METHOD) {
            Ok(extracted) => extracted,
            Err(err) => {
                let message = format!("bad parameters for {}: {err:?}", R::METHOD);
                self.log_error(&message);
                let response =
                    Response::new_err(request_id, ErrorCode::InvalidParams as i32, message);
                self.send(response.into());
                return;
            }
        };
        let context = handlers::Context::new(&self.session, uri);
        if let Ok(mut in_flight) = self.in_flight.lock() {
            in_flight.insert(id.clone());
        }
        let in_flight = self.in_flight.clone();
        let sender = self.connection.sender.clone();
        self.pool.spawn(move || {
            let still_wanted = |id: &RequestId| in_flight.lock().is_ok_and(|f| f.contains(id));
            if !still_wanted(&id) {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| handler(&context, params)));
            let response = match outcome {
                Ok(Ok(result)) => Response::new_ok(id.clone(), result),
                Ok(Err(message)) => {
                    // Said in the log too: a client may not show a failed request (a
                    // refused rename's links go unrewritten).
                    let _ = sender.send(log_message(&format!("{}: {message}", R::METHOD)));
                    Response::new_err(id.clone(), ErrorCode::RequestFailed as i32, message)
                }
                Err(panic) => {
                    let message = format!(
                        "notelint server: internal error in {}: {}",
                        R::METHOD,
                        panic_message(&panic)
                    );
                    let _ = sender.send(log_message(&message));
                    Response::new_err(id.clone(), ErrorCode::InternalError as i32, message)
                }
            };
            // Answered already when it was cancelled meanwhile.
            if in_flight.lock().is_ok_and(|mut f| f.remove(&id)) {
                let _ = sender.send(response.into());
            }
        });
    }

    fn on_notification(&mut self, notification: Notification) -> Flow {
        use lsp_types::notification::*;
        match notification.method.as_str() {
            Exit::METHOD => {
                return Flow::Exit {
                    clean: self.shut_down,
                };
            }
            Cancel::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::CancelParams>(notification.params)
                {
                    let id: RequestId = match params.id {
                        lsp_types::NumberOrString::Number(n) => n.into(),
                        lsp_types::NumberOrString::String(s) => s.into(),
                    };
                    if self.in_flight.lock().is_ok_and(|mut f| f.remove(&id)) {
                        let response = Response::new_err(
                            id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled".to_owned(),
                        );
                        self.send(response.into());
                    }
                }
            }
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let doc = params.text_document;
                    let vaults = self.session.vaults.len();
                    self.session.open(doc.uri.clone(), doc.text, doc.version);
                    for vault in vaults..self.session.vaults.len() {
                        self.start_indexing(vault);
                    }
                    self.publish_config_errors();
                    self.set_latest(&doc.uri, doc.version);
                    let affected = self.session.index_open_text(&doc.uri);
                    self.check(&doc.uri);
                    self.check_affected(affected, &doc.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    let uri = params.text_document.uri;
                    let version = params.text_document.version;
                    let encoding = self.session.encoding;
                    let Some(open) = self.session.documents.get_mut(&uri) else {
                        return Flow::Continue;
                    };
                    open.document
                        .apply(params.content_changes, version, encoding);
                    self.session.refresh_texts();
                    self.set_latest(&uri, version);
                    let affected = self.session.index_open_text(&uri);
                    self.check(&uri);
                    // Other open notes may link to a heading, block or type that changed.
                    self.check_affected(affected, &uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let uri = params.text_document.uri;
                    let affected = self.session.close(&uri);
                    if let Ok(mut latest) = self.latest.lock() {
                        latest.remove(&uri);
                    }
                    if !self.session.client.pulls_diagnostics {
                        self.publish(uri.clone(), Vec::new(), None);
                    }
                    // What the file says may differ from what the document said.
                    self.check_affected(affected, &uri);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = notification.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    DidChangeWatchedFiles::METHOD,
                ) {
                    self.on_files_changed(params.changes);
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    fn on_task(&mut self, task: Task) {
        match task {
            Task::Diagnostics {
                uri,
                version,
                diagnostics,
            } => {
                let current = self.session.documents.get(&uri).map(|o| o.document.version);
                if current == Some(version) {
                    self.publish(uri, diagnostics, Some(version));
                }
            }
            Task::Indexed {
                vault,
                workspace,
                index,
                progress,
            } => {
                let Some(entry) = self.session.vaults.get_mut(vault) else {
                    return;
                };
                entry.indexing = false;
                let current = entry
                    .workspace
                    .as_ref()
                    .is_some_and(|w| Arc::ptr_eq(w, &workspace));
                let again = entry.stale || !current;
                entry.stale = false;
                if current && let Some(index) = index {
                    self.session.install_index(vault, *index);
                }
                // Open notes are checked with the new index before the report ends.
                self.recheck_vault(vault);
                progress.end();
                if again {
                    self.start_indexing(vault);
                }
            }
        }
    }

    /// A fresh progress token, created with the client when it shows progress.
    fn progress_token(&mut self) -> Option<lsp_types::NumberOrString> {
        if !self.session.client.shows_progress {
            return None;
        }
        let token = lsp_types::NumberOrString::String(format!("notelint/index/{}", self.next_id));
        let params = lsp_types::WorkDoneProgressCreateParams {
            token: token.clone(),
        };
        self.request::<lsp_types::request::WorkDoneProgressCreate>(params);
        Some(token)
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("notelint/{}", self.next_id));
        self.send(Request::new(id, R::METHOD.to_owned(), params).into());
    }

    /// Asks the client to tell the server about files changed on disk.
    fn register_watchers(&mut self) {
        if !self.session.client.watches_files {
            return;
        }
        let options = handlers::watched::registration();
        let registration = lsp_types::Registration {
            id: "notelint/watched-files".to_owned(),
            method: lsp_types::notification::DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.request::<lsp_types::request::RegisterCapability>(lsp_types::RegistrationParams {
            registrations: vec![registration],
        });
    }

    fn set_latest(&self, uri: &Url, version: i32) {
        if let Ok(mut latest) = self.latest.lock() {
            latest.insert(uri.clone(), version);
        }
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(
            Notification::new(
                lsp_types::notification::PublishDiagnostics::METHOD.to_owned(),
                params,
            )
            .into(),
        );
    }

    /// Shows each vault's configuration or schema errors on the file at fault, and clears
    /// them from files that are fine again.
    fn publish_config_errors(&mut self) {
        let mut by_file: FxHashMap<Url, Vec<lsp_types::Diagnostic>> = FxHashMap::default();
        for vault in &self.session.vaults {
            for error in &vault.errors {
                if let Some((uri, diagnostic)) =
                    handlers::diagnostics::of_file_error(error, self.session.encoding)
                {
                    by_file.entry(uri).or_default().push(diagnostic);
                }
            }
        }
        let cleared: Vec<Url> = self
            .session
            .error_files
            .iter()
            .filter(|uri| !by_file.contains_key(*uri))
            .cloned()
            .collect();
        for uri in cleared {
            self.publish(uri, Vec::new(), None);
        }
        self.session.error_files = by_file.keys().cloned().collect();
        for (uri, diagnostics) in by_file {
            self.publish(uri, diagnostics, None);
        }
    }

    fn log_error(&self, message: &str) {
        self.send(log_message(message));
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }
}

enum Event {
    Message(Message),
    Task(Task),
}

enum Flow {
    Continue,
    Exit { clean: bool },
}

fn log_message(message: &str) -> Message {
    Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_owned(),
        lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: message.to_owned(),
        },
    )
    .into()
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_owned()
    }
}
