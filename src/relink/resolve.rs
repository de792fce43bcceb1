//! The one adapter between link rewriting and the vault index: which file a link reaches
//! from a note, in the vault as it is and as it will be after the moves. Every resolution
//! `relink` does goes through here, so a change of the index's interface is one change.

use crate::note::body::{Link, LinkKind};
use crate::text::fold;
use crate::vault::{Resolution, VaultIndex};
use crate::walk::{VaultFile, Walk};

/// The files of a vault (as it is, or as a move will leave it) and their name index.
pub struct Resolver {
    walk: Walk,
    index: VaultIndex,
}

impl Resolver {
    pub fn new(walk: Walk) -> Resolver {
        let index = VaultIndex::new(&walk);
        Resolver { walk, index }
    }

    pub fn view(&self) -> View<'_> {
        View {
            walk: &self.walk,
            index: &self.index,
        }
    }
}

/// Resolution over a walk and its index, owned by a [`Resolver`] or borrowed from a run.
#[derive(Clone, Copy)]
pub struct View<'a> {
    walk: &'a Walk,
    index: &'a VaultIndex,
}

impl<'a> View<'a> {
    pub fn new(walk: &'a Walk, index: &'a VaultIndex) -> View<'a> {
        View { walk, index }
    }

    /// The vault after `rename` (vault-relative path -> new path, `None`: stays), the
    /// files still read from where they are now.
    pub fn renamed(&self, rename: impl Fn(&str) -> Option<String>) -> Resolver {
        let files = self
            .walk
            .files
            .iter()
            .map(|file| match rename(&file.rel) {
                Some(rel) => VaultFile {
                    rel,
                    ..file.clone()
                },
                None => file.clone(),
            })
            .collect();
        Resolver::new(Walk::from_files(files, self.walk.nested_roots.clone()))
    }

    pub fn files(&self) -> &[VaultFile] {
        &self.walk.files
    }

    pub fn file(&self, rel: &str) -> Option<&'a VaultFile> {
        self.walk.id_of(rel).map(|id| &self.walk.files[id])
    }

    /// The vault-relative path of the file `link` (written in the file at `source`)
    /// reaches, by Obsidian's rules; `None` when it reaches nothing (or leaves the vault).
    pub fn resolve(&self, source: &str, link: &Link) -> Option<&'a str> {
        self.resolve_target(source, link.kind, &link.target)
    }

    /// Like [`View::resolve`] for a link of `kind` with this target.
    pub fn resolve_target(&self, source: &str, kind: LinkKind, target: &str) -> Option<&'a str> {
        let origin = self.index.origin(source);
        let resolution = match kind {
            // A canvas names files by their path from the vault root.
            LinkKind::CanvasFile => self.index.resolve_markdown(&origin, &format!("/{target}")),
            LinkKind::Markdown | LinkKind::MarkdownImage => {
                self.index.resolve_markdown(&origin, target)
            }
            LinkKind::Wiki | LinkKind::WikiEmbed => self.index.resolve_wikilink(&origin, target),
        };
        match resolution {
            Resolution::Found { id, .. } => Some(self.walk.files[id].rel.as_str()),
            Resolution::Broken | Resolution::Escapes => None,
        }
    }

    /// `rel` split into its vault scope (0: the vault, else a nested vault) and its path
    /// from that scope's root, which is how links name it.
    pub fn scoped<'r>(&self, rel: &'r str) -> (usize, &'r str) {
        self.walk.scope_of_path(rel)
    }

    /// Whether `rel` is a note (a configured note extension), as the index sees it.
    pub fn is_note(&self, rel: &str) -> bool {
        self.file(rel).is_some_and(|f| f.is_note)
    }

    /// Up to three names close to a broken link's `target` (its did-you-mean), each with
    /// the file it reaches from `source` and how many files bear that name there.
    pub fn closest(&self, source: &str, target: &str) -> Vec<(String, &'a str, usize)> {
        let origin = self.index.origin(source);
        let mut names = self.index.closest_names(&origin, target);
        names.dedup();
        names
            .into_iter()
            .filter_map(|name| match self.index.resolve_wikilink(&origin, &name) {
                Resolution::Found { id, matches } => {
                    Some((name, self.walk.files[id].rel.as_str(), matches))
                }
                _ => None,
            })
            .collect()
    }
}

/// Names compare as the index compares them: case-insensitively, after NFC.
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || fold(a) == fold(b)
}

/// The folded form of a name, for sets of names.
pub fn folded(name: &str) -> String {
    fold(name)
}
