//! The only place notelint writes files: atomically, and never over a newer version.
//!
//! The new content goes to a temporary file in the same folder, is flushed to disk, gets
//! the original's permissions, and is renamed over the original, so a reader (or a crash)
//! sees either the whole old file or the whole new one. A file whose content changed since
//! notelint read it is left alone and reported.

#![allow(clippy::disallowed_methods)]

use std::io::{self, Write};
use std::path::Path;

/// What became of a write.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// The content was already the new content.
    Unchanged,
    Replaced,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("it changed on disk since notelint read it; run notelint again")]
    ChangedOnDisk,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Replaces `path`'s content `original` (as read earlier) with `new`, atomically.
pub fn replace(path: &Path, original: &[u8], new: &[u8]) -> Result<Written, WriteError> {
    if original == new {
        return Ok(Written::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_file() {
        return Err(io::Error::other("not a regular file").into());
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".notelint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(new)?;
    temp.as_file().sync_all()?;
    std::fs::set_permissions(temp.path(), metadata.permissions())?;
    // Compare as late as possible: the window for a concurrent edit is the rename alone.
    if std::fs::read(path)? != original {
        return Err(WriteError::ChangedOnDisk);
    }
    temp.persist(path)
        .map_err(|err| WriteError::Io(err.error))?;
    Ok(Written::Replaced)
}

/// Writes a file notelint owns (a baseline), replacing any previous version atomically.
pub fn write(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".notelint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(content)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        assert_eq!(
            replace(&path, b"old", b"new").expect("writes"),
            Written::Replaced
        );
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn never_overwrites_a_newer_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "edited meanwhile").expect("write");
        assert!(matches!(
            replace(&path, b"old", b"new"),
            Err(WriteError::ChangedOnDisk)
        ));
        assert_eq!(std::fs::read(&path).expect("read"), b"edited meanwhile");
    }

    #[test]
    fn unchanged_content_is_not_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "same").expect("write");
        assert_eq!(
            replace(&path, b"same", b"same").expect("ok"),
            Written::Unchanged
        );
    }
}
