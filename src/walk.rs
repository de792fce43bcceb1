//! The parallel walk of the vault: which files exist (link targets) and which are notes to
//! lint. The one place for exclusion rules: ignore files, hidden files, `vault.exclude`,
//! Obsidian's excluded files and templates folder. Symlinks are never followed.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::config::{self, Config};
use crate::paths::display_path;

/// A file under the vault root.
#[derive(Debug, Clone)]
pub struct VaultFile {
    pub abs: PathBuf,
    /// Vault-relative, `/`-separated.
    pub rel: String,
    /// Has a configured note extension.
    pub is_note: bool,
    /// Matched `vault.exclude` or Obsidian's exclusions: a link target, never linted.
    pub excluded: bool,
}

/// What a walk found, sorted by relative path so output is deterministic.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<VaultFile>,
    /// Roots of nested vaults (vault-relative folders); links resolve within them.
    pub nested_roots: Vec<String>,
    /// Per file: 0 for the vault itself, `i + 1` for `nested_roots[i]`.
    file_scopes: Vec<usize>,
    /// The folders the walk listed (vault-relative, "" for the root), sorted: what the
    /// cache watches to know that a listing it keeps is still the vault's.
    pub folders: Vec<String>,
    /// A walk for some names only: the other files it passed, so that the walk of the
    /// whole vault is at hand without walking again ([`Walk::widen`]).
    passed: Vec<PathBuf>,
}

/// A file a run lints: one of the walk's, or one named that the walk did not list (an
/// editor's note, an ignored file named on the command line). Two words, as a run over a
/// large vault selects every note.
#[derive(Debug, Clone)]
pub enum Selected<'a> {
    Walked(&'a VaultFile),
    Named(Box<VaultFile>),
}

impl std::ops::Deref for Selected<'_> {
    type Target = VaultFile;

    fn deref(&self) -> &VaultFile {
        match self {
            Selected::Walked(file) => file,
            Selected::Named(file) => file,
        }
    }
}

/// Exclusion rules compiled once.
pub struct Exclusions {
    globs: GlobSet,
    /// Vault-relative folder or file prefixes from Obsidian's settings.
    prefixes: Vec<String>,
    /// Obsidian's excluded-files filters written as `/regex/`.
    patterns: Vec<fancy_regex::Regex>,
}

impl Exclusions {
    pub fn new(config: &Config) -> Exclusions {
        let globs = config::glob_set(&config.settings.vault.exclude);
        let (prefixes, patterns) = if config.settings.vault.obsidian_settings {
            obsidian_exclusions(&config.vault_root)
        } else {
            Default::default()
        };
        Exclusions {
            globs,
            prefixes,
            patterns,
        }
    }

    pub fn is_excluded(&self, rel: &str) -> bool {
        self.globs.is_match(rel)
            || self.prefixes.iter().any(|p| is_under(rel, p))
            // A match that exceeds the backtracking bound counts as no match.
            || self.patterns.iter().any(|re| re.is_match(rel).unwrap_or(false))
    }
}

/// Whether `rel` is `prefix` itself or lies under it (prefixes name folders or files).
fn is_under(rel: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    !prefix.is_empty()
        && rel.starts_with(prefix)
        && (rel.len() == prefix.len() || rel.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Backtracking steps a `/regex/` filter may take on one path; a vault's settings can come
/// from an untrusted change, and real filters need a few hundred.
const FILTER_BACKTRACK_LIMIT: usize = 100_000;

/// `userIgnoreFilters` of `.obsidian/app.json` and the core Templates plugin's folder: path
/// prefixes, and the filters written as `/regex/`, which Obsidian tests against the
/// vault-relative path as JavaScript regular expressions (one that does not compile is
/// ignored, as it is in Obsidian).
fn obsidian_exclusions(root: &Path) -> (Vec<String>, Vec<fancy_regex::Regex>) {
    let read = |name: &str| -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(root.join(".obsidian").join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    let mut prefixes = Vec::new();
    let mut patterns = Vec::new();
    if let Some(app) = read("app.json")
        && let Some(filters) = app.get("userIgnoreFilters").and_then(|f| f.as_array())
    {
        for filter in filters.iter().filter_map(|f| f.as_str()) {
            match filter
                .strip_prefix('/')
                .and_then(|f| f.strip_suffix('/'))
                .filter(|body| !body.is_empty())
            {
                Some(body) => patterns.extend(
                    fancy_regex::RegexBuilder::new(body)
                        .backtrack_limit(FILTER_BACKTRACK_LIMIT)
                        .build()
                        .ok(),
                ),
                None => prefixes.push(filter.trim_start_matches('/').to_owned()),
            }
        }
    }
    if let Some(templates) = read("templates.json")
        && let Some(folder) = templates.get("folder").and_then(|f| f.as_str())
    {
        prefixes.push(folder.trim_matches('/').to_owned());
    }
    (prefixes, patterns)
}

/// Keeps only files with one of these names (folded), for a walk that needs a few link
/// targets, not the whole vault (editor mode).
pub type NameFilter = rustc_hash::FxHashSet<String>;

/// Walks the whole vault in parallel (keeping only `only`'s names when given).
pub fn walk(
    config: &Config,
    exclusions: &Exclusions,
    no_ignore: bool,
    threads: usize,
    only: Option<&NameFilter>,
) -> Walk {
    let root = &config.vault_root;
    let extensions = &config.settings.vault.extensions;
    let root_globs = config::glob_set(&config.settings.vault.roots);
    let found = Mutex::new(Vec::new());
    let passed = Mutex::new(Vec::new());
    let nested = Mutex::new(Vec::new());
    let folders = Mutex::new(Vec::new());
    WalkBuilder::new(root)
        .hidden(true)
        .follow_links(false)
        .git_ignore(!no_ignore)
        .git_exclude(!no_ignore)
        .git_global(!no_ignore)
        .ignore(!no_ignore)
        .parents(!no_ignore)
        .threads(threads)
        .build_parallel()
        .run(|| {
            // Each worker collects on its own and hands its files over when it finishes.
            let mut local = Collector {
                files: Vec::new(),
                into: &found,
                passed: Vec::new(),
                passed_into: &passed,
            };
            let nested = &nested;
            let folders = &folders;
            let root_globs = &root_globs;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return WalkState::Continue;
                };
                if entry.file_type().is_some_and(|t| t.is_dir()) {
                    let rel = if entry.depth() == 0 {
                        String::new()
                    } else {
                        display_path(root, entry.path())
                    };
                    if let Ok(mut folders) = folders.lock() {
                        folders.push(rel.clone());
                    }
                    if entry.depth() > 0
                        && is_nested_root(entry.path(), &rel, root_globs)
                        && let Ok(mut nested) = nested.lock()
                    {
                        nested.push(rel);
                    }
                    return WalkState::Continue;
                }
                // Symlinks (to files or folders) are neither followed nor indexed.
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                if let Some(only) = only {
                    let name = entry.file_name().to_string_lossy();
                    if !only.contains(&crate::text::fold(&name)) {
                        local.passed.push(entry.into_path());
                        return WalkState::Continue;
                    }
                }
                local
                    .files
                    .push(vault_file(root, entry.into_path(), extensions, exclusions));
                WalkState::Continue
            })
        });
    let files = found.into_inner().unwrap_or_default();
    let mut nested_roots = nested.into_inner().unwrap_or_default();
    nested_roots.sort();
    let mut folders = folders.into_inner().unwrap_or_default();
    folders.sort_unstable();
    let mut walk = Walk::from_files(files, nested_roots);
    walk.folders = folders;
    walk.passed = passed.into_inner().unwrap_or_default();
    walk
}

/// A file the walk found, as a run sees it.
fn vault_file(
    root: &Path,
    abs: PathBuf,
    extensions: &[String],
    exclusions: &Exclusions,
) -> VaultFile {
    let rel = display_path(root, &abs);
    let is_note = has_extension(&abs, extensions);
    let excluded = exclusions.is_excluded(&rel);
    VaultFile {
        abs,
        rel,
        is_note,
        excluded,
    }
}

/// A walker thread's files (and those it passed), moved to the shared lists when the
/// thread is done.
struct Collector<'a> {
    files: Vec<VaultFile>,
    into: &'a Mutex<Vec<VaultFile>>,
    passed: Vec<PathBuf>,
    passed_into: &'a Mutex<Vec<PathBuf>>,
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        if let Ok(mut all) = self.into.lock() {
            all.append(&mut self.files);
        }
        if let Ok(mut all) = self.passed_into.lock() {
            all.append(&mut self.passed);
        }
    }
}

/// A folder with its own `.obsidian/` or `notelint.toml`, or matching `vault.roots`.
fn is_nested_root(path: &Path, rel: &str, root_globs: &GlobSet) -> bool {
    root_globs.is_match(rel)
        || root_globs.is_match(format!("{rel}/"))
        || path.join(".obsidian").is_dir()
        || path.join(config::CONFIG_FILE_NAME).is_file()
}

/// The deepest nested root holding `rel` (0 for the vault itself).
fn scope_for(rel: &str, nested_roots: &[String]) -> usize {
    nested_roots
        .iter()
        .enumerate()
        .filter(|(_, root)| is_under(rel, root))
        .max_by_key(|(_, root)| root.len())
        .map_or(0, |(i, _)| i + 1)
}

/// The scope of a vault-relative path among these nested vault roots (0 for the vault
/// itself), and the path relative to that scope's root.
pub fn scope_of_path<'a>(nested_roots: &[String], rel: &'a str) -> (usize, &'a str) {
    let scope = scope_for(rel, nested_roots);
    match scope.checked_sub(1).and_then(|i| nested_roots.get(i)) {
        Some(root) => (scope, rel[root.len()..].trim_start_matches('/')),
        None => (0, rel),
    }
}

impl Walk {
    /// A walk of these vault-relative paths (notes end in `.md`), for unit tests.
    #[cfg(test)]
    pub(crate) fn of_paths(paths: &[&str]) -> Walk {
        Walk {
            files: paths
                .iter()
                .map(|rel| VaultFile {
                    abs: PathBuf::from(rel),
                    rel: (*rel).to_owned(),
                    is_note: rel.ends_with(".md"),
                    excluded: false,
                })
                .collect(),
            ..Walk::default()
        }
    }

    /// A walk of these files (any order) with these nested vault roots (sorted): what the
    /// walker found, or the vault as it will be after a move, for resolving links against
    /// it before anything moves.
    pub fn from_files(mut files: Vec<VaultFile>, nested_roots: Vec<String>) -> Walk {
        files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        let file_scopes = files
            .iter()
            .map(|f| scope_for(&f.rel, &nested_roots))
            .collect();
        Walk {
            files,
            nested_roots,
            file_scopes,
            folders: Vec::new(),
            passed: Vec::new(),
        }
    }

    /// The walk of the whole vault, from a walk for some names only: the files it kept
    /// and those it passed, as a walk without names would have found them.
    pub fn widen(self, config: &Config, exclusions: &Exclusions) -> Walk {
        let root = &config.vault_root;
        let extensions = &config.settings.vault.extensions;
        let mut files = self.files;
        files.extend(
            self.passed
                .into_iter()
                .map(|abs| vault_file(root, abs, extensions, exclusions)),
        );
        let mut walk = Walk::from_files(files, self.nested_roots);
        walk.folders = self.folders;
        walk
    }

    /// The vault scope of file `id`: 0 for the vault, else a nested vault.
    pub fn scope_of(&self, id: usize) -> usize {
        self.file_scopes.get(id).copied().unwrap_or(0)
    }

    /// The scope of any vault-relative path, and the path relative to that scope's root.
    pub fn scope_of_path<'a>(&self, rel: &'a str) -> (usize, &'a str) {
        scope_of_path(&self.nested_roots, rel)
    }

    /// The id of the file at vault-relative `rel`.
    /// The id of `file` when it is one of this walk's own (the selection borrows them):
    /// found by its place in `files`, without comparing paths.
    pub fn id_of_file(&self, file: &VaultFile) -> Option<usize> {
        let offset =
            (file as *const VaultFile as usize).checked_sub(self.files.as_ptr() as usize)?;
        let id = offset / std::mem::size_of::<VaultFile>().max(1);
        self.files
            .get(id)
            .filter(|own| std::ptr::eq(*own, file))
            .map(|_| id)
    }

    pub fn id_of(&self, rel: &str) -> Option<usize> {
        self.files
            .binary_search_by(|f| f.rel.as_str().cmp(rel))
            .ok()
    }

    /// The notes to lint: every non-excluded note, or those under the given paths; the
    /// walk's own files borrowed (a run over a large vault would copy every path).
    ///
    /// An explicitly named file is linted even when the walk skipped it (hidden, ignored),
    /// unless it matches an exclusion, so a pre-commit hook respects the config.
    pub fn select(
        &self,
        config: &Config,
        exclusions: &Exclusions,
        paths: &[PathBuf],
    ) -> Vec<Selected<'_>> {
        if paths.is_empty() {
            return self.notes_under("").map(Selected::Walked).collect();
        }
        let root = &config.vault_root;
        let mut selected: Vec<Selected<'_>> = Vec::new();
        for path in paths {
            let rel = display_path(root, path);
            if named_through_symlink(path, root, &rel) {
                continue;
            }
            let is_dir = path.is_dir();
            if is_dir {
                selected.extend(self.notes_under(&rel).map(Selected::Walked));
            } else if let Some(file) = self.files.iter().find(|f| f.rel == rel) {
                if !file.excluded {
                    selected.push(Selected::Walked(file));
                }
            } else if !exclusions.is_excluded(&rel)
                && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
            {
                selected.push(Selected::Named(Box::new(VaultFile {
                    abs: path.clone(),
                    rel,
                    is_note: true,
                    excluded: false,
                })));
            }
        }
        selected.sort_by(|a, b| a.rel.cmp(&b.rel));
        selected.dedup_by(|a, b| a.rel == b.rel);
        selected
    }

    /// The folders a run lints (the vault root when `paths` is empty, else the folders
    /// among `paths`) under which `select` finds no note, as the user named them: such a
    /// run must not pass silently as "0 notes" (a mistyped folder, a wrong `--config`).
    pub fn folders_without_notes(&self, config: &Config, paths: &[PathBuf]) -> Vec<String> {
        let folders: Vec<PathBuf> = if paths.is_empty() {
            vec![config.vault_root.clone()]
        } else {
            paths.iter().filter(|p| p.is_dir()).cloned().collect()
        };
        let root = &config.vault_root;
        folders
            .into_iter()
            .filter(|folder| {
                let rel = display_path(root, folder);
                named_through_symlink(folder, root, &rel) || self.notes_under(&rel).next().is_none()
            })
            .map(|folder| folder.to_string_lossy().into_owned())
            .collect()
    }

    /// The notes to lint under the vault-relative folder `rel` (`""` or `.`: the vault),
    /// canvases included (SPEC 8: checked whatever `extensions` says).
    fn notes_under<'a, 'r>(&'a self, rel: &'r str) -> impl Iterator<Item = &'a VaultFile> + 'r
    where
        'a: 'r,
    {
        let prefix = rel.trim_end_matches('/');
        self.files.iter().filter(move |f| {
            (f.is_note || crate::canvas::is_canvas(&f.rel))
                && !f.excluded
                && (prefix.is_empty() || prefix == "." || is_under(&f.rel, prefix))
        })
    }
}

/// Whether a note named on its own (editor mode: it may not exist on disk) is one a run
/// over the vault would lint: it has a note extension and no exclusion matches it.
pub fn is_lintable_note(config: &Config, path: &Path) -> bool {
    let rel = display_path(&config.vault_root, path);
    has_extension(path, &config.settings.vault.extensions)
        && !Exclusions::new(config).is_excluded(&rel)
}

/// Whether a path named on the command line is a symlink or lies behind one: the walk
/// never follows one, and naming it (`linked/secret.md`, or a committed symlink handed
/// over by `--files-from`) must not read through it either. A relative path is checked
/// component by component from the current directory (so a symlink that became the vault
/// root during config discovery is caught too); an absolute one below the vault root.
fn named_through_symlink(path: &Path, root: &Path, rel: &str) -> bool {
    is_or_through_symlink(path) || (path.is_absolute() && through_symlinked_folder(root, rel))
}

/// Whether `path` is a symlink or, when relative, goes through one from the current
/// directory. (Absolute paths are checked only at their end: `/tmp` may be a symlink.)
pub fn is_or_through_symlink(path: &Path) -> bool {
    let is_symlink =
        |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if path.is_relative() {
        let mut prefix = PathBuf::new();
        return path.components().any(|component| {
            prefix.push(component);
            matches!(component, std::path::Component::Normal(_)) && is_symlink(&prefix)
        });
    }
    is_symlink(path)
}

/// Whether a folder between `root` and the vault-relative `rel` is a symlink. Paths outside
/// the root (`../x.md`) are the user's own choice.
fn through_symlinked_folder(root: &Path, rel: &str) -> bool {
    let mut folder = root.to_path_buf();
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    let mut depth = 0usize;
    for part in parts {
        match part {
            "" | "." => continue,
            ".." => {
                let Some(up) = depth.checked_sub(1) else {
                    return false;
                };
                depth = up;
                folder.pop();
                continue;
            }
            _ => {}
        }
        folder.push(part);
        depth += 1;
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

/// Whether `path` has one of the configured note extensions.
pub fn has_note_extension(path: &Path, config: &Config) -> bool {
    has_extension(path, &config.settings.vault.extensions)
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // writes a fixture vault
    fn a_walk_for_some_names_widens_to_the_walk_of_the_vault() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            "a.md",
            "B.md",
            "sub/a.md",
            "sub/c.png",
            "Templates/t.md",
            ".hidden/h.md",
            "ignored/i.md",
            "inner/.obsidian/app.json",
            "inner/n.md",
        ];
        for rel in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
            std::fs::write(&path, "x").expect("write");
        }
        std::fs::write(dir.path().join(".ignore"), "ignored/\n").expect("write");
        std::fs::write(
            dir.path().join("notelint.toml"),
            "[vault]\nexclude = [\"Templates/**\"]\nroots = [\"inner\"]\n",
        )
        .expect("write");
        let config = Config::discover(dir.path(), None).expect("config");
        let exclusions = Exclusions::new(&config);
        let shown = |walk: &Walk| {
            let files: Vec<String> = walk
                .files
                .iter()
                .enumerate()
                .map(|(id, f)| {
                    format!(
                        "{} {} {} {} {}",
                        f.rel,
                        f.abs.display(),
                        f.is_note,
                        f.excluded,
                        walk.scope_of(id)
                    )
                })
                .collect();
            (files, walk.nested_roots.clone(), walk.folders.clone())
        };
        let whole = walk(&config, &exclusions, false, 2, None);
        let only: NameFilter = ["a.md".to_owned(), "c.png".to_owned()]
            .into_iter()
            .collect();
        let some = walk(&config, &exclusions, false, 2, Some(&only));
        assert_eq!(some.files.len(), 3, "a.md twice and c.png");
        assert!(some.files.len() < whole.files.len());
        assert_eq!(shown(&some.widen(&config, &exclusions)), shown(&whole));
    }

    #[test]
    fn a_file_of_the_walk_is_found_by_its_place() {
        let walk = Walk::of_paths(&["a.md", "b/c.md", "d.png"]);
        for (id, file) in walk.files.iter().enumerate() {
            assert_eq!(walk.id_of_file(file), Some(id));
        }
        // A copy is not the walk's own file, whatever its path.
        let copy = walk.files[1].clone();
        assert_eq!(walk.id_of_file(&copy), None);
    }

    #[test]
    fn prefixes_match_whole_components() {
        assert!(is_under("Templates/a.md", "Templates"));
        assert!(is_under("Templates/a.md", "Templates/"));
        assert!(is_under("Templates", "Templates"));
        assert!(!is_under("TemplatesOld/a.md", "Templates"));
        assert!(!is_under("a.md", ""));
    }

    /// Regression: `check linked/secret.md`, where `linked` is a symlink to a folder outside
    /// the vault, read the file through the symlink.
    #[cfg(unix)]
    #[test]
    #[allow(clippy::disallowed_methods)] // fixtures are written directly
    fn named_files_behind_a_symlinked_folder_are_not_selected() {
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("secret.md"), "secret").expect("write");
        let vault = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(vault.path().join("real")).expect("mkdir");
        std::fs::write(vault.path().join("real/.hidden.md"), "x").expect("write");
        std::os::unix::fs::symlink(outside.path(), vault.path().join("linked")).expect("link");
        let config = Config::defaults(vault.path().to_path_buf());
        let exclusions = Exclusions::new(&config);
        let walk = walk(&config, &exclusions, false, 1, None);
        let select = |rel: &str| walk.select(&config, &exclusions, &[vault.path().join(rel)]);
        assert!(select("linked/secret.md").is_empty());
        // A file the walk skipped for another reason (hidden) is still linted when named.
        assert_eq!(select("real/.hidden.md").len(), 1);
        assert!(select("linked").is_empty());
        assert!(through_symlinked_folder(vault.path(), "linked/secret.md"));
        assert!(!through_symlinked_folder(vault.path(), "real/.hidden.md"));
        assert!(through_symlinked_folder(
            vault.path(),
            "real/../linked/secret.md"
        ));
        assert!(!through_symlinked_folder(vault.path(), "../elsewhere/x.md"));
    }
}
