//! Reading schema files without leaving the vault: no path outside the allowed folders, no
//! symlinks.
//!
//! Notes choose schemas (`$schema`) and schemas choose more schemas (`$ref`), and both may
//! come from an untrusted pull request. Reading only regular files below the vault root
//! (or the folders of the schemas the configuration names, which may sit beside the vault),
//! through no symbolic link, keeps `$schema: /proc/self/environ` or `../../.ssh/id_rsa`
//! from ever being opened, let alone quoted in an error snippet.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::paths::normalize;

/// Schemas are small; a larger file is refused rather than read into memory.
const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;

/// Why a schema file was not read.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("`{}` is outside `{}`; notelint reads schemas only inside the vault and the folders of the schemas its configuration names", .path.display(), .root.display())]
    Outside { path: PathBuf, root: PathBuf },
    #[error("`{}` is reached through a symbolic link; notelint does not follow symlinks", .0.display())]
    Symlink(PathBuf),
    #[error("`{}` is not a regular file", .0.display())]
    NotAFile(PathBuf),
    #[error("`{}` is larger than {} MiB", .0.display(), MAX_SCHEMA_BYTES >> 20)]
    TooLarge(PathBuf),
    #[error("`{}` not found", .0.display())]
    NotFound(PathBuf),
    #[error("cannot read `{}`: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// `path` (absolute, or relative to the current directory) folded lexically, if it stays
/// below `root`; the part below the root is returned too.
pub fn inside(root: &Path, path: &Path) -> Result<(PathBuf, PathBuf), Refused> {
    let (root, path) = (absolute(root), absolute(path));
    match path.strip_prefix(&root) {
        Ok(below) if !below.as_os_str().is_empty() => {
            let below = below.to_path_buf();
            Ok((path, below))
        }
        _ => Err(Refused::Outside { path, root }),
    }
}

/// What schema files may be read: below the vault root; below the folders of the schemas
/// the configuration names (so a shared `schemas/` beside the vault may `$ref` its
/// neighbours); and those configured files themselves. A configured schema in a folder
/// that holds the vault (`default = "../shared.json"`) opens only that file, never the
/// folder: that would open everything around the vault.
#[derive(Debug, Clone)]
pub struct Readable {
    vault_root: PathBuf,
    /// Folders of configured schemas, beside the vault.
    folders: Vec<PathBuf>,
    /// Configured schemas in folders that hold the vault, absolute and folded.
    files: Vec<PathBuf>,
}

impl Readable {
    pub fn new(vault_root: &Path) -> Readable {
        Readable {
            vault_root: vault_root.to_path_buf(),
            folders: Vec::new(),
            files: Vec::new(),
        }
    }

    /// Allows `schema`, a schema the configuration names, and its folder unless that
    /// folder holds the vault.
    pub fn allow_configured(&mut self, schema: &Path) {
        if self.in_vault(schema) {
            return;
        }
        let Some(folder) = schema.parent() else {
            return;
        };
        if inside(folder, &self.vault_root).is_ok()
            || absolute(folder) == absolute(&self.vault_root)
        {
            self.files.push(absolute(schema));
        } else {
            self.folders.push(folder.to_path_buf());
        }
    }

    /// Whether `path` may be read (without touching the disk).
    pub fn allows(&self, path: &Path) -> bool {
        self.in_vault(path)
            || self.folders.iter().any(|root| inside(root, path).is_ok())
            || self.files.contains(&absolute(path))
    }

    pub fn in_vault(&self, path: &Path) -> bool {
        inside(&self.vault_root, path).is_ok()
    }

    /// Reads the schema at `path` if it may be read, through no symlink below the folder
    /// that allows it.
    pub fn read(&self, path: &Path) -> Result<String, Refused> {
        let exact = absolute(path);
        if self.files.contains(&exact) {
            let folder = exact.parent().unwrap_or(&exact);
            return read(folder, &exact);
        }
        let mut refused = None;
        for root in std::iter::once(&self.vault_root).chain(&self.folders) {
            match read(root, path) {
                Err(err @ Refused::Outside { .. }) => refused = refused.or(Some(err)),
                result => return result,
            }
        }
        Err(refused.unwrap_or_else(|| Refused::NotFound(path.to_path_buf())))
    }
}

/// `path` made absolute (against the current directory) and folded lexically.
fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.into()))
}

/// Reads the schema at `path` if it is a regular file below `root`, reached through no
/// symbolic link on the way down from the root.
pub fn read(root: &Path, path: &Path) -> Result<String, Refused> {
    let (path, below) = inside(root, path)?;
    let mut walked = path.clone();
    for _ in below.components() {
        match std::fs::symlink_metadata(&walked) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(Refused::Symlink(path)),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(Refused::NotFound(path));
            }
            Err(error) => return Err(Refused::Io { path, error }),
        }
        walked.pop();
    }
    let io = |error| Refused::Io {
        path: path.clone(),
        error,
    };
    let file = std::fs::File::open(&path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(path));
    }
    if meta.len() > MAX_SCHEMA_BYTES {
        return Err(Refused::TooLarge(path));
    }
    let mut text = String::new();
    file.take(MAX_SCHEMA_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_below_the_root() {
        let root = Path::new("/vault");
        assert!(inside(root, Path::new("/vault/schemas/a.json")).is_ok());
        assert!(inside(root, Path::new("/vault/x/../a.json")).is_ok());
        for outside in [
            "/vault/../etc/passwd",
            "/etc/passwd",
            "/vault",
            "/vaultx/a.json",
        ] {
            assert!(
                matches!(
                    inside(root, Path::new(outside)),
                    Err(Refused::Outside { .. })
                ),
                "{outside}"
            );
        }
    }

    #[test]
    fn configured_schemas_open_their_folder_unless_it_holds_the_vault() {
        let mut readable = Readable::new(Path::new("/repo/docs/vault"));
        readable.allow_configured(Path::new("/repo/schemas/person.json"));
        readable.allow_configured(Path::new("/repo/docs/shared.json"));
        assert!(readable.allows(Path::new("/repo/docs/vault/s.json")));
        assert!(readable.allows(Path::new("/repo/schemas/common.json")));
        assert!(readable.allows(Path::new("/repo/docs/shared.json")));
        assert!(!readable.allows(Path::new("/repo/docs/other.json")));
        assert!(!readable.allows(Path::new("/repo/secret.json")));
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::disallowed_methods)] // writes a fixture schema
    fn symlinks_and_special_files_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("vault");
        std::fs::create_dir_all(root.join("real")).expect("mkdir");
        std::fs::write(root.join("real/a.json"), "{}").expect("write");
        std::os::unix::fs::symlink(root.join("real"), root.join("linked")).expect("symlink");
        std::os::unix::fs::symlink(root.join("real/a.json"), root.join("b.json")).expect("symlink");
        assert_eq!(read(&root, &root.join("real/a.json")).expect("reads"), "{}");
        assert!(matches!(
            read(&root, &root.join("linked/a.json")),
            Err(Refused::Symlink(_))
        ));
        assert!(matches!(
            read(&root, &root.join("b.json")),
            Err(Refused::Symlink(_))
        ));
        assert!(matches!(
            read(&root, &root.join("real")),
            Err(Refused::NotAFile(_))
        ));
        assert!(matches!(
            read(&root, &root.join("none.json")),
            Err(Refused::NotFound(_))
        ));
    }
}
