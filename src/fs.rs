//! The only place notelint writes files: atomically where it can, never changing who owns
//! or can write a note, and never over a newer version.
//!
//! A note is normally replaced: the new content goes to a temporary file in the same folder,
//! is flushed to disk, gets the original's owner, group and permissions, and is renamed over
//! the original, so a reader (or a crash) sees either the whole old file or the whole new
//! one. A rename makes a new inode, though: where the temporary file cannot be given the
//! note's owner or group (someone else's note in a group-shared vault) or the note has other
//! hard links, the note is written in place after a backup copy beside it, as Vim's
//! `backupcopy=yes` does (see [`in_place`]). A note whose mode has no write bit is left
//! alone (judged by the mode, not `access(2)`: root may write anything), and so is a note
//! whose content changed since notelint read it. Errors name the step that failed and the
//! system's reason, never a path: the caller names the note as the user knows it.

#![allow(clippy::disallowed_methods)]

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What became of a write.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// The file already held the new content.
    Unchanged,
    /// Replaced atomically (temporary file and rename).
    Replaced,
    /// Written into the note's own inode after a backup copy, to keep its owner, group or
    /// hard links; the backup is gone again.
    InPlace,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("it changed on disk since notelint read it; run notelint again")]
    ChangedOnDisk,
    #[error("its mode has no write bit, so notelint leaves it alone; make it writable to fix it")]
    ReadOnly,
    #[error(
        "`{0}` beside it is a backup copy left by an interrupted write: if the note is \
         damaged, restore it from that copy; then delete the copy"
    )]
    BackupExists(String),
    #[error(
        "writing it in place failed and its old content could not be put back ({0}); the \
         old content is in `{1}` beside it"
    )]
    Damaged(String, String),
    #[error("{step}: {reason}")]
    Io { step: &'static str, reason: String },
}

impl WriteError {
    /// Whether notelint chose not to write (a warning) rather than failed to (an error).
    pub fn is_skip(&self) -> bool {
        matches!(self, WriteError::ChangedOnDisk | WriteError::ReadOnly)
    }
}

/// Wraps an I/O error with the step it failed in.
fn at(step: &'static str) -> impl FnOnce(io::Error) -> WriteError {
    move |err| WriteError::Io {
        step,
        reason: reason(&err),
    }
}

/// The system's reason for an I/O error, without the path some layers add to it
/// (`tempfile` reports the absolute temporary path, `/./` and all).
fn reason(err: &io::Error) -> String {
    let code = err.raw_os_error().or_else(|| {
        err.get_ref()
            .and_then(|inner| inner.source())
            .and_then(|source| source.downcast_ref::<io::Error>())
            .and_then(io::Error::raw_os_error)
    });
    match (err.kind(), code) {
        (io::ErrorKind::PermissionDenied, _) => "permission denied".to_owned(),
        (_, Some(code)) => io::Error::from_raw_os_error(code).to_string(),
        (kind, None) => io::Error::from(kind).to_string(),
    }
}

/// Replaces `path`'s content `original` (as read earlier) with `new`.
pub fn replace(path: &Path, original: &[u8], new: &[u8]) -> Result<Written, WriteError> {
    if original == new {
        return Ok(Written::Unchanged);
    }
    let metadata = std::fs::symlink_metadata(path).map_err(at("cannot look at it"))?;
    if !metadata.is_file() {
        return Err(WriteError::Io {
            step: "cannot write it",
            reason: "not a regular file".to_owned(),
        });
    }
    if !has_write_bit(&metadata) {
        return Err(WriteError::ReadOnly);
    }
    let backup = backup_path(path);
    // A backup left by a write that was killed is the only sure copy of the old note.
    if std::fs::symlink_metadata(&backup).is_ok() {
        return Err(WriteError::BackupExists(file_name(&backup)));
    }
    if has_other_links(&metadata) {
        return in_place(path, &backup, original, new);
    }
    match replace_atomically(path, &metadata, original, new)? {
        Some(written) => Ok(written),
        None => in_place(path, &backup, original, new),
    }
}

/// The temporary file, renamed over the note. `None`: the temporary file cannot get the
/// note's owner and group, so the rename would change them.
fn replace_atomically(
    path: &Path,
    metadata: &Metadata,
    original: &[u8],
    new: &[u8],
) -> Result<Option<Written>, WriteError> {
    let mut temp = tempfile::Builder::new()
        .prefix(".notelint-")
        .suffix(".tmp")
        .tempfile_in(folder(path))
        .map_err(at("cannot create a temporary file in its folder"))?;
    if !keeps_owner(temp.as_file(), metadata) {
        return Ok(None);
    }
    let step = "cannot write the temporary file";
    temp.write_all(new).map_err(at(step))?;
    // After the chown, which may clear set-id bits.
    temp.as_file()
        .set_permissions(metadata.permissions())
        .map_err(at(step))?;
    temp.as_file().sync_all().map_err(at(step))?;
    // Compare as late as possible: the window for a concurrent edit is the rename alone.
    let current = std::fs::read(path).map_err(at("cannot read it again"))?;
    if current == new {
        return Ok(Some(Written::Unchanged));
    }
    if current != original {
        return Err(WriteError::ChangedOnDisk);
    }
    temp.persist(path)
        .map_err(|err| at("cannot rename the temporary file over it")(err.error))?;
    Ok(Some(Written::Replaced))
}

/// Writes the note into its own inode, which keeps its owner, group, mode and hard links,
/// behind a backup copy so that a crash cannot lose it:
///
/// 1. the note is opened for reading and writing and must hold the content that was fixed;
/// 2. the backup `.NAME.notelint-backup` (created new, mode 0600: it holds a note the
///    others may not read) gets the old content, is flushed, and its folder entry too;
/// 3. the note is read again and must still hold the old content;
/// 4. the new content is written over the note from its start, the rest cut off, and
///    flushed;
/// 5. the backup is deleted.
///
/// Killed before 4, the note is untouched; killed during 4, the backup holds the old
/// content; killed after 4, the note is new and a stale backup may remain. Any backup left
/// beside a note stops later writes to it ([`WriteError::BackupExists`]) until the user has
/// looked. If 4 fails, the old content is written back and the backup deleted; if even
/// that fails, the backup stays and the error says so.
fn in_place(
    path: &Path,
    backup: &Path,
    original: &[u8],
    new: &[u8],
) -> Result<Written, WriteError> {
    in_place_with(path, backup, original, new, overwrite)
}

/// [`in_place`], with the step that writes the new content given (tests make it fail).
fn in_place_with(
    path: &Path,
    backup: &Path,
    original: &[u8],
    new: &[u8],
    write_new: fn(&File, &[u8]) -> io::Result<()>,
) -> Result<Written, WriteError> {
    let note = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(at("cannot open it to write it in place"))?;
    let step = "cannot read it again";
    let current = read_whole(&note).map_err(at(step))?;
    if current == new {
        return Ok(Written::Unchanged);
    }
    if current != original {
        return Err(WriteError::ChangedOnDisk);
    }
    make_backup(backup, original)?;
    // Not flushed: should the deletion be lost in a crash, the note is whole and the backup
    // only asks the user to look.
    let remove_backup = || std::fs::remove_file(backup);
    match read_whole(&note) {
        Ok(current) if current == original => {}
        still => {
            let _ = remove_backup();
            return match still {
                Ok(_) => Err(WriteError::ChangedOnDisk),
                Err(err) => Err(at(step)(err)),
            };
        }
    }
    if let Err(err) = write_new(&note, new) {
        return match overwrite(&note, original) {
            Ok(()) => {
                let _ = remove_backup();
                Err(at("cannot write it in place")(err))
            }
            Err(_) => Err(WriteError::Damaged(reason(&err), file_name(backup))),
        };
    }
    remove_backup().map_err(at(
        "written in place, but its backup copy cannot be deleted",
    ))?;
    Ok(Written::InPlace)
}

/// Step 2 of [`in_place`]: the old content, on disk, beside the note.
fn make_backup(backup: &Path, original: &[u8]) -> Result<(), WriteError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut copy = options.open(backup).map_err(|err| {
        if err.kind() == io::ErrorKind::AlreadyExists {
            WriteError::BackupExists(file_name(backup))
        } else {
            at("cannot make a backup copy beside it")(err)
        }
    })?;
    let made = copy
        .write_all(original)
        .and_then(|()| copy.sync_all())
        .and_then(|()| sync_folder(backup));
    if let Err(err) = made {
        let _ = std::fs::remove_file(backup);
        return Err(at("cannot make a backup copy beside it")(err));
    }
    Ok(())
}

/// Writes `content` over the file from its start, cuts off what is left and flushes.
fn overwrite(mut file: &File, content: &[u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(content)?;
    file.set_len(content.len() as u64)?;
    file.sync_all()
}

fn read_whole(mut file: &File) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Flushes the folder holding `path`, so that a file just created in it is still there
/// after a crash.
fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(folder(path))?.sync_all()?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Where the backup of an in-place write goes: hidden, beside the note, named after it.
pub fn backup_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    folder(path).join(format!(".{name}.notelint-backup"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether anyone may write the file by its mode (a `0444` note is meant to stay as it is,
/// even for root, who `access(2)` would say can write it).
fn has_write_bit(metadata: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o222 != 0
    }
    #[cfg(not(unix))]
    {
        !metadata.permissions().readonly()
    }
}

/// Whether the file has other names, which a rename would split off into another file.
fn has_other_links(metadata: &Metadata) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(metadata) > 1
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// Gives the temporary file the note's owner and group where they differ (a root run on a
/// user's note; a folder's set-group-id). False when that is not allowed: an unprivileged
/// user cannot give a file away, nor a group they are not in.
fn keeps_owner(temp: &File, note: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(ours) = temp.metadata() else {
            return false;
        };
        let uid = (ours.uid() != note.uid()).then_some(note.uid());
        let gid = (ours.gid() != note.gid()).then_some(note.gid());
        uid.is_none() && gid.is_none() || std::os::unix::fs::fchown(temp, uid, gid).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = (temp, note);
        true
    }
}

/// Moves a note, attachment or folder to `to` with `rename(2)` (`notelint mv`), creating
/// the folders `to` needs; never over an existing file or folder (except the same file,
/// for a change of case on a case-insensitive disk). Both lie in one vault, so on one
/// file system as a rule; a rename across file systems fails and moves nothing.
pub fn move_path(from: &Path, to: &Path) -> io::Result<()> {
    if let Ok(existing) = std::fs::symlink_metadata(to)
        && !same_file(&existing, from)
    {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    create_parents(to)?;
    std::fs::rename(from, to)
}

/// Creates the folders `path` needs (for `git mv`, which does not).
pub fn create_parents(path: &Path) -> io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

fn same_file(existing: &Metadata, other: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(other)
            .is_ok_and(|m| m.dev() == existing.dev() && m.ino() == existing.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (existing, other);
        false
    }
}

/// Writes a cache file (SPEC 9): atomically, creating its folder, but without waiting for
/// the disk (a cache lost in a crash is rebuilt; a torn one fails its checksum).
pub fn write_cache(path: &Path, content: &[u8]) -> io::Result<()> {
    write_cache_with(path, |out| out.write_all(content))
}

/// Like [`write_cache`], for content written piece by piece by `write` (a large cache
/// file need not be held in memory whole).
pub fn write_cache_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    std::fs::create_dir_all(folder(path))?;
    let temp = tempfile::Builder::new()
        .prefix(".notelint-")
        .suffix(".tmp")
        .tempfile_in(folder(path))?;
    let mut out = io::BufWriter::with_capacity(1 << 16, temp);
    write(&mut out)?;
    let temp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Writes a file notelint owns (a baseline), replacing any previous version atomically.
pub fn write(path: &Path, content: &[u8]) -> io::Result<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(".notelint-")
        .suffix(".tmp")
        .tempfile_in(folder(path))?;
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

    #[test]
    fn a_file_already_holding_the_new_content_is_left_as_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "new").expect("write");
        assert_eq!(
            replace(&path, b"old", b"new").expect("ok"),
            Written::Unchanged
        );
    }

    #[cfg(unix)]
    #[test]
    fn read_only_modes_are_not_written() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        assert!(matches!(
            replace(&path, b"old", b"new"),
            Err(WriteError::ReadOnly)
        ));
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
    }

    /// A folder with `a.md` and a second name `b.md` for the same file.
    #[cfg(unix)]
    fn linked(content: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        std::fs::write(&a, content).expect("write");
        std::fs::hard_link(&a, &b).expect("link");
        (dir, a, b)
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn hard_linked_files_are_written_in_place() {
        use std::os::unix::fs::MetadataExt;
        let (dir, a, b) = linked("old");
        let inode = std::fs::metadata(&a).expect("meta").ino();
        assert_eq!(
            replace(&a, b"old", b"new text").expect("writes"),
            Written::InPlace
        );
        assert_eq!(std::fs::read(&b).expect("read"), b"new text");
        assert_eq!(std::fs::metadata(&a).expect("meta").ino(), inode);
        assert_eq!(std::fs::metadata(&b).expect("meta").ino(), inode);
        assert_eq!(names_in(dir.path()), ["a.md", "b.md"], "backup deleted");
        // Shorter content cuts off the rest.
        assert_eq!(
            replace(&a, b"new text", b"x").expect("writes"),
            Written::InPlace
        );
        assert_eq!(std::fs::read(&b).expect("read"), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn in_place_never_overwrites_a_newer_version() {
        let (_dir, a, b) = linked("edited meanwhile");
        assert!(matches!(
            replace(&a, b"old", b"new"),
            Err(WriteError::ChangedOnDisk)
        ));
        assert_eq!(std::fs::read(&b).expect("read"), b"edited meanwhile");
    }

    /// Killed while the new content is half written: the backup holds the old content,
    /// and no later write touches the note until the backup is gone.
    #[cfg(unix)]
    #[test]
    fn a_write_killed_in_place_leaves_the_backup() {
        let (dir, a, _b) = linked("old content");
        let backup = backup_path(&a);
        let killed = std::panic::catch_unwind(|| {
            in_place_with(&a, &backup, b"old content", b"NEW CONTENT", |file, new| {
                overwrite(file, &new[..4])?;
                panic!("killed mid-write");
            })
        });
        assert!(killed.is_err());
        assert_eq!(std::fs::read(&a).expect("read"), b"NEW ");
        assert_eq!(std::fs::read(&backup).expect("backup"), b"old content");
        assert_eq!(
            names_in(dir.path()),
            [".a.md.notelint-backup", "a.md", "b.md"]
        );
        match replace(&a, b"NEW ", b"other") {
            Err(err @ WriteError::BackupExists(_)) => {
                assert!(!err.is_skip());
                assert!(err.to_string().contains("`.a.md.notelint-backup`"), "{err}");
            }
            other => panic!("wrote over a note with a backup beside it: {other:?}"),
        }
        assert_eq!(std::fs::read(&a).expect("read"), b"NEW ");
    }

    /// A failed in-place write puts the old content back and deletes the backup.
    #[cfg(unix)]
    #[test]
    fn a_failed_in_place_write_puts_the_old_content_back() {
        let (dir, a, _b) = linked("old content");
        let backup = backup_path(&a);
        let failed = in_place_with(&a, &backup, b"old content", b"NEW CONTENT", |file, new| {
            overwrite(file, &new[..4])?;
            Err(io::Error::from_raw_os_error(28))
        });
        let err = failed.expect_err("fails");
        assert_eq!(
            err.to_string(),
            "cannot write it in place: No space left on device (os error 28)"
        );
        assert_eq!(std::fs::read(&a).expect("read"), b"old content");
        assert_eq!(names_in(dir.path()), ["a.md", "b.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_backup_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let backup = dir.path().join(".a.md.notelint-backup");
        make_backup(&backup, b"secret").expect("made");
        let mode = std::fs::metadata(&backup)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn errors_carry_no_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("gone").join("a.md");
        let err = tempfile::Builder::new()
            .tempfile_in(missing.parent().expect("parent"))
            .expect_err("no such folder");
        assert!(err.to_string().contains("gone"), "tempfile names the path");
        let text = at("cannot create a temporary file in its folder")(err).to_string();
        assert!(!text.contains("gone"), "{text}");
        assert!(text.starts_with("cannot create a temporary file in its folder: "));
    }
}
