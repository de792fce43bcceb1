//! Reading a note from disk, bounded in size so one huge file cannot exhaust memory.

use std::io::Read;
use std::path::Path;

/// Why a note was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the note is {size} bytes, over the limit of {limit} (`[vault] max_note_bytes`)")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The note's bytes, if it holds at most `limit` of them. The size is checked before
/// reading and enforced while reading (the file may grow in between).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// Like [`read_bounded`], with the file's metadata taken from the open file before it is
/// read (what the cache records: a later change shows in a later stat).
pub fn read_bounded_with_metadata(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let size = metadata.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(ReadError::TooLarge { size: read, limit });
    }
    Ok((bytes, metadata))
}

/// Like [`read_bounded`], for callers that only need a note they can use as text.
pub fn read_text(path: &Path, limit: u64) -> Option<String> {
    String::from_utf8(read_bounded(path, limit).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // writes a fixture note
    fn notes_over_the_limit_are_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "0123456789").expect("write");
        assert_eq!(read_bounded(&path, 10).expect("fits"), b"0123456789");
        assert!(matches!(
            read_bounded(&path, 9),
            Err(ReadError::TooLarge { size: 10, limit: 9 })
        ));
        assert_eq!(read_text(&path, 10).as_deref(), Some("0123456789"));
        assert_eq!(read_text(&path, 9), None);
        assert!(matches!(
            read_bounded(&dir.path().join("none.md"), 9),
            Err(ReadError::Io(_))
        ));
    }
}
