//! `workspace/willRenameFiles`: the `WorkspaceEdit` that keeps every link to the renamed
//! notes, attachments and folders reaching them — exactly the rewrites of `notelint mv`
//! (SPEC 13), on the files as they are before the rename, open documents as the editor
//! holds them. A rename whose links cannot be kept is answered with an error that lists
//! them; the client then renames without rewriting.

use std::collections::HashMap;

use lsp_types::{
    FileOperationFilter, FileOperationPattern, FileOperationPatternKind,
    FileOperationRegistrationOptions, RenameFilesParams, TextEdit, WorkspaceEdit,
};

use super::Context;
use crate::server::convert::{self, Lines};

/// Any file can be a link's target (notes, canvases, attachments), and a folder moves
/// with the files in it.
pub fn filters() -> FileOperationRegistrationOptions {
    let filter = |kind| FileOperationFilter {
        scheme: Some("file".to_owned()),
        pattern: FileOperationPattern {
            glob: "**/*".to_owned(),
            matches: Some(kind),
            options: None,
        },
    };
    FileOperationRegistrationOptions {
        filters: vec![
            filter(FileOperationPatternKind::File),
            filter(FileOperationPatternKind::Folder),
        ],
    }
}

pub fn handle(cx: &Context, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some(analysis) = cx.snap.analysis() else {
        return Ok(None);
    };
    let renames: Vec<_> = params
        .files
        .iter()
        .filter_map(|file| {
            let old = convert::path_of(&lsp_types::Url::parse(&file.old_uri).ok()?)?;
            let new = convert::path_of(&lsp_types::Url::parse(&file.new_uri).ok()?)?;
            Some((old, new))
        })
        .collect();
    let rewrites = analysis.rename(&renames)?;
    if rewrites.is_empty() {
        return Ok(None);
    }
    let mut changes = HashMap::new();
    for rewrite in rewrites {
        let Some(uri) = convert::uri_of(&rewrite.abs) else {
            continue;
        };
        let lines = Lines::new(&rewrite.original, cx.snap.encoding);
        let edits = rewrite
            .edits
            .iter()
            .map(|edit| TextEdit::new(lines.range(&edit.span), edit.replacement.clone()))
            .collect();
        changes.insert(uri, edits);
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }))
}
