//! One handler per request or notification; each asks the [`Analysis`] its questions and
//! converts the answers with `convert`.

pub mod code_action;
pub mod completion;
pub mod context;
pub mod diagnostics;
pub mod hover;
pub mod navigate;
pub mod progress;
pub mod rename;
#[cfg(debug_assertions)]
pub mod testing;
pub mod watched;

use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::Url;

use super::analysis::Analysis;
use super::convert::{self, Lines};
use super::session::{Session, Snapshot};

/// What a handler works with: a snapshot of the session and the document it is about.
pub struct Context {
    pub snap: Snapshot,
    pub doc: Option<Doc>,
}

/// An open document as it was when the work was handed out.
pub struct Doc {
    pub uri: Url,
    /// `None` for a buffer that is not a file (`untitled:`).
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
}

impl Context {
    pub fn new(session: &Session, uri: Option<Url>) -> Context {
        let doc = uri.clone().and_then(|uri| {
            let open = session.documents.get(&uri)?;
            Some(Doc {
                path: open.path.clone(),
                text: Arc::from(open.document.text.as_str()),
                uri,
            })
        });
        // A file that is not open (one being renamed) is answered by the vault holding it.
        let snap = match (&doc, uri.as_ref().and_then(convert::path_of)) {
            (Some(doc), _) => session.snapshot_for(&doc.uri),
            (None, Some(path)) => session.snapshot(session.vaults_holding(&path).first().copied()),
            (None, None) => session.snapshot(None),
        };
        Context { snap, doc }
    }

    /// The analysis, the document, its path and its lines, when all are there.
    pub fn parts(&self) -> Option<(Analysis<'_>, &Doc, &std::path::Path, Lines<'_>)> {
        let analysis = self.snap.analysis()?;
        let doc = self.doc.as_ref()?;
        let path = doc.path.as_deref()?;
        Some((
            analysis,
            doc,
            path,
            Lines::new(&doc.text, self.snap.encoding),
        ))
    }
}
