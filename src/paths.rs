//! Paths as notelint names them, in one place: vault-relative paths of notes (`/`-separated,
//! the key of every report and index), paths shown to the user (relative to the current
//! directory), the test of whether a named path lies inside the vault, and lexical
//! normalisation. Nothing here follows a symlink except [`within_root`], which must.

use std::path::{Path, PathBuf};

/// `path` relative to `root` with `/` separators (or as given when outside the root).
pub fn display_path(root: &Path, path: &Path) -> String {
    // The walk's paths start with the root as given: a byte prefix check avoids
    // component-wise parsing for each of a large vault's files.
    if let (Some(root), Some(path)) = (root.to_str(), path.to_str())
        && let Some(rest) = path
            .strip_prefix(root.trim_end_matches(std::path::MAIN_SEPARATOR))
            .and_then(|r| r.strip_prefix(std::path::MAIN_SEPARATOR))
        && !rest.is_empty()
        && !rest.starts_with(std::path::MAIN_SEPARATOR)
    {
        return if std::path::MAIN_SEPARATOR == '/' {
            rest.to_owned()
        } else {
            rest.replace('\\', "/")
        };
    }
    let relative = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => relative_via_cwd(root, path).unwrap_or_else(|| path.to_path_buf()),
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// For a root and a path where one is absolute and the other relative to the current directory.
fn relative_via_cwd(root: &Path, path: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let abs_root = normalize(&cwd.join(root));
    let abs_path = normalize(&cwd.join(path));
    abs_path.strip_prefix(&abs_root).ok().map(Path::to_path_buf)
}

/// Removes `.` components and folds `..` lexically (no filesystem access, no symlinks).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The vault root as seen from the current directory: "" for the current directory, a
/// relative path (`sub/vault`, `..`) when there is one, else absolute; `/`-separated.
pub fn root_shown(root: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let root = normalize(&cwd.join(root));
            relative_path(&cwd, &root)
        })
        .unwrap_or_else(|| root.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    if text == "." { String::new() } else { text }
}

/// `target` relative to `base` (both absolute and normalised), with `..` where needed.
fn relative_path(base: &Path, target: &Path) -> Option<PathBuf> {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = target.components().collect();
    if base.first() != target.first() {
        return None;
    }
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &target[common..] {
        out.push(component.as_os_str());
    }
    Some(out)
}

/// Keeps discovered roots relative when they are under the current directory, so reported
/// paths stay short; absolute otherwise.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    let abs = normalize(&cwd.join(path));
    match abs.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => abs,
    }
}

/// `path` (as named on the command line or in `--files-from`, relative to the current
/// directory) when it lies inside the vault `root`, else `None`: files outside the vault
/// are never read or written. Decided on the normalised path; when that says outside, on
/// the real paths (a root or path reached through a symlinked folder such as macOS's
/// `/tmp`), and then the path is rebuilt under `root` so it is shown vault-relative.
pub fn within_root(root: &Path, path: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    if normalize(&cwd.join(path)).starts_with(normalize(&cwd.join(root))) {
        return Some(path.to_path_buf());
    }
    let real_root = std::fs::canonicalize(root).ok()?;
    let rel = real_path(&cwd.join(path))?
        .strip_prefix(&real_root)
        .ok()?
        .to_path_buf();
    Some(root.join(rel))
}

/// The real path of `path`, which need not exist: its nearest existing ancestor resolved,
/// then the rest as written.
fn real_path(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return Some(normalize(&out));
        }
        rest.push(existing.file_name()?);
        existing = existing.parent().filter(|p| !p.as_os_str().is_empty())?;
    }
}

/// A report's path as the user sees it: under `root` (the vault root as shown, "" for the
/// current directory), or as it is when absolute (a `--config` file outside the vault).
pub fn shown(root: &str, path: &str) -> String {
    if root.is_empty() || Path::new(path).is_absolute() {
        path.to_owned()
    } else {
        format!("{}/{}", root.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path reached through a symlinked folder above the vault (macOS's `/tmp`) is inside
    /// and comes back under the root as given, so it is shown vault-relative; a path
    /// outside is refused, whether or not it exists.
    #[cfg(unix)]
    #[test]
    #[allow(clippy::disallowed_methods)] // fixtures are written directly
    fn within_root_by_path_then_by_real_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = std::fs::canonicalize(dir.path()).expect("real path");
        std::fs::create_dir_all(real.join("real/vault/Notes")).expect("mkdir");
        std::fs::write(real.join("real/vault/Notes/a.md"), "x").expect("write");
        std::fs::write(real.join("real/outside.md"), "x").expect("write");
        std::os::unix::fs::symlink(real.join("real"), real.join("link")).expect("link");
        let root = real.join("real/vault");
        assert_eq!(
            within_root(&root, &real.join("real/vault/Notes/../Notes/a.md")),
            Some(real.join("real/vault/Notes/../Notes/a.md"))
        );
        let linked = within_root(&root, &real.join("link/vault/Notes/a.md"));
        assert_eq!(linked, Some(root.join("Notes/a.md")));
        assert_eq!(
            display_path(&root, &linked.unwrap_or_default()),
            "Notes/a.md"
        );
        // Deleted since: its folder decides.
        assert_eq!(
            within_root(&root, &real.join("link/vault/Notes/gone.md")),
            Some(root.join("Notes/gone.md"))
        );
        assert_eq!(within_root(&root, &real.join("link/outside.md")), None);
        assert_eq!(
            within_root(&root, &real.join("real/vault/../outside.md")),
            None
        );
        assert_eq!(within_root(&root, &real.join("real/vault-2/x.md")), None);
    }

    #[test]
    fn display_paths_use_slashes_and_no_dot() {
        assert_eq!(
            display_path(Path::new("."), Path::new("./a/b.md")),
            "a/b.md"
        );
        assert_eq!(display_path(Path::new("v"), Path::new("v/a.md")), "a.md");
    }
}
