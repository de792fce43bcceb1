//! The `git` command, for `mv --git` (history follows the move) and `fix --follow-renames`
//! (which files moved since a revision). Running git is simpler and smaller than linking a
//! git library; only read-only queries and `git mv` are run, never anything from a note.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Renames below this similarity of content are not taken for renames (git's default
/// for `-M`, so a plain `mv` is judged as git judges a staged one).
const SIMILARITY: f32 = 0.5;

fn git(dir: &Path, args: &[&str]) -> Result<Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => "git is not installed (or not on PATH)".to_owned(),
            _ => format!("cannot run git: {err}"),
        })
}

fn stdout_of(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = git(dir, args)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr
            .trim()
            .lines()
            .next()
            .unwrap_or("git failed")
            .to_owned())
    }
}

/// The top folder of the git work tree holding `dir`.
pub fn work_tree(dir: &Path) -> Result<PathBuf, String> {
    let output = git(dir, &["rev-parse", "--show-toplevel"])?;
    if !output.status.success() {
        return Err("not inside a git work tree".to_owned());
    }
    let top = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if top.is_empty() {
        // A bare repository or the `.git` folder itself.
        return Err("not inside a git work tree".to_owned());
    }
    Ok(PathBuf::from(top))
}

/// `git mv FROM TO`, run in `dir`.
pub fn mv(dir: &Path, from: &Path, to: &Path) -> Result<(), String> {
    let (Some(from), Some(to)) = (from.to_str(), to.to_str()) else {
        return Err("the path is not valid UTF-8".to_owned());
    };
    stdout_of(dir, &["mv", "--", from, to]).map(|_| ())
}

/// The files moved since `rev` in the work tree at `top` (paths relative to it): the
/// renames git detects between `rev` and the work tree, staged or not, plus files deleted
/// since `rev` whose content stands, the same or nearly (git's rename similarity), in a
/// new file git does not track yet (a plain `mv` in a terminal).
pub fn renames(top: &Path, rev: &str) -> Result<Vec<(String, String)>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let commit = format!("{rev}^{{commit}}");
    stdout_of(top, &["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("`{rev}` is not a commit of this repository"))?;
    let diff = stdout_of(
        top,
        &["diff", "-M", "--name-status", "-z", "--no-color", rev, "--"],
    )?;
    let mut fields = diff
        .split(|&b| b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut moved = Vec::new();
    let mut deleted = Vec::new();
    while let Some(status) = fields.next() {
        match status.chars().next() {
            Some('R') => {
                if let (Some(from), Some(to)) = (fields.next(), fields.next()) {
                    moved.push((from, to));
                }
            }
            Some('C') => {
                fields.next();
                fields.next();
            }
            Some('D') => deleted.extend(fields.next()),
            Some(_) => {
                fields.next();
            }
            None => {}
        }
    }
    if deleted.is_empty() {
        return Ok(moved);
    }
    let untracked = stdout_of(top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let mut fresh: Vec<(String, Vec<u8>)> = untracked
        .split(|&b| b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .filter_map(|path| {
            let bytes = std::fs::read(top.join(&path)).ok()?;
            Some((path, bytes))
        })
        .collect();
    for gone in deleted {
        let Ok(old) = stdout_of(top, &["cat-file", "blob", &format!("{rev}:{gone}")]) else {
            continue;
        };
        let extension = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let scores: Vec<(f32, usize)> = fresh
            .iter()
            .enumerate()
            .filter(|(_, (path, _))| extension(path) == extension(&gone))
            .map(|(i, (_, new))| (similarity(&old, new), i))
            .filter(|(score, _)| *score >= SIMILARITY)
            .collect();
        let best = scores.iter().map(|(s, _)| *s).fold(0.0f32, f32::max);
        let mut at_best = scores.iter().filter(|(s, _)| *s == best);
        // Two new files equally like the old one: which one it became is a guess.
        if let (Some(&(_, i)), None) = (at_best.next(), at_best.next()) {
            let (path, _) = fresh.remove(i);
            moved.push((gone, path));
        }
    }
    Ok(moved)
}

/// How alike two files are, 0 to 1: texts by their lines, other files only when identical.
fn similarity(old: &[u8], new: &[u8]) -> f32 {
    if old == new {
        return 1.0;
    }
    match (std::str::from_utf8(old), std::str::from_utf8(new)) {
        (Ok(old), Ok(new)) => similar::TextDiff::from_lines(old, new).ratio(),
        _ => 0.0,
    }
}
