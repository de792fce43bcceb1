//! Files changed outside the editor: which ones the server watches, and which of them are
//! settings (configuration, schemas, Obsidian's settings) rather than notes.

use std::path::Path;

use lsp_types::{DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern};

/// Notes, canvases and attachments, `notelint.toml`, JSON (schemas and `.obsidian/`
/// settings).
pub fn registration() -> DidChangeWatchedFilesRegistrationOptions {
    let globs = [
        "**/*.md",
        "**/*.canvas",
        "**/notelint.toml",
        "**/*.json",
        "**/*.{png,jpg,jpeg,gif,svg,webp,avif,bmp,pdf,mp3,mp4,webm,ogg,wav,m4a,flac,mov,mkv}",
    ];
    DidChangeWatchedFilesRegistrationOptions {
        watchers: globs
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect(),
    }
}

/// A file whose change reloads the settings: the configuration, a schema (any JSON file:
/// schemas `$ref` others), or Obsidian's settings.
pub fn is_settings(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name == "notelint.toml"
        || path.extension().is_some_and(|e| e == "json")
        || path.components().any(|c| c.as_os_str() == ".obsidian")
}
