//! Link rewriting in the server, through [`crate::relink`] as `notelint mv` does it: the
//! edits a rename of files makes to the links of the vault (`workspace/willRenameFiles`),
//! and the near-match fix of a broken link, which `check_text` cannot offer without the
//! vault's files.

use std::path::{Path, PathBuf};

use super::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Fix};
use crate::note::{self, Note};
use crate::relink::{self, Move, Resolver};
use crate::rules::links::links_of;
use crate::walk::{self, VaultFile};

/// One file's link rewrites: byte-range edits of `original`, which is its open document's
/// text when it is open.
pub struct Rewrite {
    /// Where the file is before the rename.
    pub abs: PathBuf,
    pub original: String,
    pub edits: Vec<crate::diagnostic::Edit>,
}

impl Analysis<'_> {
    /// The rewrites `notelint mv OLD NEW` would make for each `(old, new)` (absolute
    /// paths; a folder moves with every file under it), over the vault walked afresh and
    /// the open documents' texts. Renames of files outside this vault are not its
    /// business. `Err`: why the links cannot be kept (nothing is to be rewritten then).
    pub fn rename(&self, renames: &[(PathBuf, PathBuf)]) -> Result<Vec<Rewrite>, String> {
        let ws = self.ws;
        let root = ws.root();
        let mine: Vec<&(PathBuf, PathBuf)> = renames
            .iter()
            .filter(|(old, _)| old.starts_with(root) && old != root)
            .collect();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        if let Some((old, new)) = mine.iter().find(|(_, new)| !new.starts_with(root)) {
            return Err(format!(
                "`{}` moves to `{}`, outside the vault: its links are not rewritten",
                ws.rel(old),
                new.display()
            ));
        }
        let walked = walk::walk(&ws.config, &ws.exclusions, false, 0, None);
        let mut moves = Vec::new();
        for (old, new) in mine {
            let (old_rel, new_rel) = (ws.rel(old), ws.rel(new));
            if old.is_dir() {
                let folder = format!("{old_rel}/");
                moves.extend(walked.files.iter().filter_map(|file| {
                    let rest = file.rel.strip_prefix(&folder)?;
                    Some(Move {
                        from: file.rel.clone(),
                        to: format!("{new_rel}/{rest}"),
                    })
                }));
            } else {
                moves.push(Move {
                    from: old_rel,
                    to: new_rel,
                });
            }
        }
        let limit = ws.config.settings.vault.max_note_bytes;
        let read = |file: &VaultFile| match self.open.get(&file.abs) {
            Some(text) => Some(text.to_string()),
            None => note::read::read_text(&file.abs, limit),
        };
        let vault = Resolver::new(walked);
        match relink::plan(vault.view(), &moves, &ws.options, &read) {
            Ok(plan) => Ok(plan
                .files
                .into_iter()
                .map(|file| Rewrite {
                    abs: file.abs,
                    original: file.original,
                    edits: file.edits,
                })
                .collect()),
            Err(conflicts) => {
                let what = match moves.as_slice() {
                    [one] => format!("`{}`", one.from),
                    _ => "these files".to_owned(),
                };
                let mut message = format!(
                    "{what} cannot be renamed with its links kept: {} link{} would not lead \
                     where {} now:",
                    conflicts.len(),
                    if conflicts.len() == 1 { "" } else { "s" },
                    if conflicts.len() == 1 {
                        "it leads"
                    } else {
                        "they lead"
                    }
                );
                for conflict in &conflicts {
                    message.push_str(&format!("\n  {conflict}"));
                }
                Err(message)
            }
        }
    }

    /// The unsafe fix of the `links/broken` finding `d` of `note` (at `abs`): the link
    /// retargeted to its one near match, as `check` offers it with the vault walked.
    /// `None` for other findings, or before the index is built.
    pub fn near_match_fix(&self, abs: &Path, note: &Note, d: &Diagnostic) -> Option<Fix> {
        if d.rule.code != "links/broken" || !self.ws.is_lintable(abs) {
            return None;
        }
        let index = self.index.as_deref()?;
        let (link, _) = links_of(note, &self.ws.config)
            .into_iter()
            .find(|(link, _)| link.span == d.span)?;
        let files = index.files(self.ws);
        relink::near::fix(files.view(), note, &link, &self.ws.options)
    }
}
