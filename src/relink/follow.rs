//! `fix --follow-renames`: the files git saw renamed or moved since a revision, inside this
//! vault, and the vault as it was before them, so [`super::plan`] can repair the links
//! those renames broke. The notes are read where they are now.

use std::path::Path;

use super::{Move, Resolver};
use crate::git;
use crate::walk::{VaultFile, Walk};

/// The moves since `rev` of files now in `walked` (vault-relative), and the vault before
/// them. A rename whose old path is taken again by a file of today is left out: links to
/// that path reach that file now, and rightly.
pub fn since(root: &Path, rev: &str, walked: &Walk) -> Result<(Vec<Move>, Resolver), String> {
    let top = git::work_tree(root)?;
    let renames = git::renames(&top, rev)?;
    let real = |path: &Path| std::fs::canonicalize(path).map_err(|err| err.to_string());
    let vault_in_repo = real(root)?
        .strip_prefix(real(&top)?)
        .map_err(|_| "the vault is not inside its git work tree".to_owned())?
        .to_string_lossy()
        .replace('\\', "/");
    let in_vault = |path: &str| -> Option<String> {
        if vault_in_repo.is_empty() {
            return Some(path.to_owned());
        }
        path.strip_prefix(vault_in_repo.as_str())?
            .strip_prefix('/')
            .map(str::to_owned)
    };
    let moves: Vec<Move> = renames
        .iter()
        .filter_map(|(from, to)| {
            Some(Move {
                from: in_vault(from)?,
                to: in_vault(to)?,
            })
        })
        .filter(|m| walked.id_of(&m.to).is_some() && walked.id_of(&m.from).is_none())
        .collect();
    let back: rustc_hash::FxHashMap<&str, &str> = moves
        .iter()
        .map(|m| (m.to.as_str(), m.from.as_str()))
        .collect();
    let files: Vec<VaultFile> = walked
        .files
        .iter()
        .map(|file| match back.get(file.rel.as_str()) {
            Some(from) => VaultFile {
                rel: (*from).to_owned(),
                ..file.clone()
            },
            None => file.clone(),
        })
        .collect();
    let before = Resolver::new(Walk::from_files(files, walked.nested_roots.clone()));
    Ok((moves, before))
}
