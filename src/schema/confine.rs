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

use crate::walk::normalize;

/// Schemas are small; a larger file is refused rather than read into memory.
const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;

/// Why a schema file was not read.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("`{}` is outside the vault root `{}`; notelint never reads outside the vault", .path.display(), .root.display())]
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
    let absolute = |p: &Path| normalize(&std::path::absolute(p).unwrap_or_else(|_| p.into()));
    let (root, path) = (absolute(root), absolute(path));
    match path.strip_prefix(&root) {
        Ok(below) if !below.as_os_str().is_empty() => {
            let below = below.to_path_buf();
            Ok((path, below))
        }
        _ => Err(Refused::Outside { path, root }),
    }
}

/// The folders schema files may be read from: the vault root first, then the folders of
/// the schemas the configuration names (so a shared `schemas/` beside the vault may `$ref`
/// its neighbours).
#[derive(Debug, Clone)]
pub struct Readable {
    roots: Vec<PathBuf>,
}

impl Readable {
    pub fn new(vault_root: &Path) -> Readable {
        Readable {
            roots: vec![vault_root.to_path_buf()],
        }
    }

    /// Allows the folder holding `schema`, a schema the configuration names.
    pub fn allow_folder_of(&mut self, schema: &Path) {
        if self.in_vault(schema) {
            return;
        }
        if let Some(folder) = schema.parent() {
            self.roots.push(folder.to_path_buf());
        }
    }

    /// Whether `path` lies below one of the allowed folders (without touching the disk).
    pub fn allows(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| inside(root, path).is_ok())
    }

    pub fn in_vault(&self, path: &Path) -> bool {
        inside(&self.roots[0], path).is_ok()
    }

    /// Reads the schema at `path` if it is a regular file below one of the allowed folders.
    pub fn read(&self, path: &Path) -> Result<String, Refused> {
        let mut refused = None;
        for root in &self.roots {
            match read(root, path) {
                Err(err @ Refused::Outside { .. }) => refused = refused.or(Some(err)),
                result => return result,
            }
        }
        Err(refused.unwrap_or_else(|| Refused::NotFound(path.to_path_buf())))
    }
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
