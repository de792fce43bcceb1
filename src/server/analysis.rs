//! The server's only way into the checking machinery: "the findings of this text at this
//! path", "the fixed text", "where does this link lead", "the notes a link may name", "the
//! links to this note", "the vault's tags", "this note's schema". Handlers ask these
//! questions and never reach into `lint`, `vault` or `rules` themselves.
//!
//! Findings come from `lint::check_text` against the vault's [`Index`] (the incremental
//! `VaultIndex`, kept current by the main loop: open documents' facts stand in for the
//! files' while they are open), so they are those of `check --stdin-filename`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLockReadGuard};

use rustc_hash::{FxHashMap, FxHashSet};

pub use super::index::Index;
pub use super::workspace::Workspace;
use crate::diagnostic::{Finding, Severity};
use crate::error::FileError;
use crate::fix;
use crate::lint::{self, Checker};
use crate::note::body::{Link, LinkKind};
use crate::note::{self, Note};
use crate::text::fold;
use crate::vault::{FileId, Origin, Resolution, VaultIndex};

/// A file a link leads to.
#[derive(Debug, Clone)]
pub struct Target {
    pub abs: PathBuf,
    /// Vault-relative.
    pub rel: String,
    pub is_note: bool,
}

/// A note or file that a link being typed may name.
#[derive(Debug, Clone)]
pub struct LinkCandidate {
    /// What to write between `[[` and `]]` so the link resolves to it.
    pub insert: String,
    pub rel: String,
    pub note_type: Option<String>,
}

/// One question-answering session over a vault: its settings, its index once built (read
/// for as long as the session lasts), and the open documents' texts, which count instead
/// of the files on disk.
pub struct Analysis<'a> {
    pub ws: &'a Workspace,
    pub index: Option<RwLockReadGuard<'a, Index>>,
    pub open: &'a FxHashMap<PathBuf, Arc<str>>,
}

impl Analysis<'_> {
    fn index(&self) -> Option<&Index> {
        self.index.as_deref()
    }

    /// The findings `check --stdin-filename PATH` prints for `text` at `abs`. Before the
    /// index is built: the note's own findings only (no link findings).
    ///
    /// `Err`: the note's `$schema` cannot be used (`check` stops with exit 2 there).
    pub fn diagnostics(&self, abs: &Path, text: &str) -> Result<Vec<Finding>, FileError> {
        let ws = self.ws;
        if !ws.is_lintable(abs) {
            return Ok(Vec::new());
        }
        let checker = self.checker();
        let rel = ws.rel(abs);
        let found = match self.index() {
            Some(index) => lint::check_text(&checker, &index.vault, &rel, abs, text.to_owned()),
            None => {
                let note = ws.parse_rel(&rel, text.to_owned());
                checker
                    .check(&note, abs)
                    .map(|found| checker.finish(&note, found))
            }
        };
        // Schemas named by `$schema` that fail to compile stop `check` too.
        if let Some(failure) = ws.schemas.take_failures().into_iter().next() {
            return Err(failure);
        }
        found
    }

    fn checker(&self) -> Checker<'_> {
        Checker::new(&self.ws.config, &self.ws.schemas, today())
    }

    /// What `fix --stdin-filename PATH` prints for `text` at `abs`: the text with every
    /// safe fix applied (unchanged for a path `check` would not lint).
    pub fn fix_all(&self, abs: &Path, text: &str) -> Result<String, FileError> {
        let ws = self.ws;
        if !ws.is_lintable(abs) {
            return Ok(text.to_owned());
        }
        let mut checker = self.checker();
        if ws.config.settings.review.on_errors {
            // As `fix` learns it from a check first: a note with link errors needs the
            // review tag too.
            let found = self.diagnostics(abs, text)?;
            let link_error = found
                .iter()
                .any(|d| d.severity == Severity::Error && d.rule.group() == "links");
            if link_error {
                checker = checker.with_link_errors(FxHashSet::from_iter([ws.rel(abs)]));
            }
        }
        let fixed = fix::fix_text(
            &checker,
            &ws.options,
            &ws.rel(abs),
            abs,
            text.to_owned(),
            false,
        )?;
        Ok(fixed.text)
    }

    /// The file `link` (written in the note at `from`) leads to; `None` when it is broken,
    /// external, or the index is not built yet. A link to the same note (`[[#Heading]]`)
    /// leads to `from`.
    pub fn resolve(&self, from: &Path, link: &Link) -> Option<Target> {
        if link.target.is_empty() {
            return Some(Target {
                abs: from.to_path_buf(),
                rel: self.ws.rel(from),
                is_note: true,
            });
        }
        let index = self.index()?;
        let origin = index.vault.origin(&self.ws.rel(from));
        let id = resolve(&index.vault, &origin, link)?;
        self.target(index, id)
    }

    /// Why `link` does not resolve, in the words of the link checks.
    pub fn why_unresolved(&self, from: &Path, link: &Link) -> String {
        let Some(index) = self.index() else {
            return "the vault is still being indexed".to_owned();
        };
        if crate::note::body::is_file_url(&link.target) {
            return "a `file:` URL names a place outside the vault".to_owned();
        }
        if crate::note::body::is_external(&link.target) {
            return "an external link".to_owned();
        }
        let origin = index.vault.origin(&self.ws.rel(from));
        let resolution = match link.kind {
            LinkKind::Markdown | LinkKind::MarkdownImage => {
                index.vault.resolve_markdown(&origin, &link.target)
            }
            _ => index.vault.resolve_wikilink(&origin, &link.target),
        };
        match resolution {
            Resolution::Escapes => "the target leaves the vault".to_owned(),
            _ => {
                let names = index.vault.closest_names(&origin, &link.target);
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                match names.as_slice() {
                    [] => format!("no note or file matches `{}`", link.target),
                    names => format!(
                        "no note or file matches `{}`; did you mean {}?",
                        link.target,
                        crate::suggest::one_of(names)
                    ),
                }
            }
        }
    }

    fn target(&self, index: &Index, id: FileId) -> Option<Target> {
        let rel = index.vault.rel(id)?;
        Some(Target {
            abs: self.ws.root().join(rel),
            rel: rel.to_owned(),
            is_note: index.vault.is_note(id),
        })
    }

    /// The text of the note at `abs`: its open document, else the file.
    pub fn text_of(&self, abs: &Path) -> Option<String> {
        if let Some(text) = self.open.get(abs) {
            return Some(text.to_string());
        }
        note::read::read_text(abs, self.ws.config.settings.vault.max_note_bytes)
    }

    /// The note at `abs`, parsed, from its open document or the file.
    pub fn note_at(&self, abs: &Path) -> Option<Note> {
        let text = self.text_of(abs)?;
        Some(self.ws.parse(abs, &text))
    }

    /// The `type` of the note a target is, as the index knows it.
    pub fn note_type(&self, rel: &str) -> Option<String> {
        let index = self.index()?;
        let id = index.vault.id_of(rel)?;
        let facts = index.vault.facts(id)?;
        facts.note_type.as_deref().map(str::to_owned)
    }

    /// Notes and files a link being written in the note at `from` may name, whose name
    /// contains `typed` (case-insensitively), at most `limit`; only notes of type
    /// `wanted_type` when given. `insert` is the shortest form that resolves to the file
    /// from `from` and to it alone (the name, else as much of the path as it takes), as
    /// Obsidian writes new links. The flag says whether every match is in the list.
    pub fn link_candidates(
        &self,
        from: &Path,
        typed: &str,
        wanted_type: Option<&str>,
        limit: usize,
    ) -> (Vec<LinkCandidate>, bool) {
        let Some(index) = self.index() else {
            return (Vec::new(), false);
        };
        let vault = &index.vault;
        let rel = self.ws.rel(from);
        let origin = vault.origin(&rel);
        let typed = fold(typed.trim());
        let mut matches: Vec<(usize, FileId)> = Vec::new();
        for (id, listing) in index.listing() {
            if listing.excluded || listing.scope != origin.scope || vault.rel(id) == Some(&rel) {
                continue;
            }
            let (name, path) = (&listing.name, &listing.path);
            let rank = if typed.is_empty() || name.starts_with(typed.as_str()) {
                0
            } else if name.contains(typed.as_str()) || path.contains(typed.as_str()) {
                1
            } else {
                continue;
            };
            if let Some(wanted) = wanted_type {
                let ty = vault.facts(id).and_then(|f| f.note_type.clone());
                if !vault.is_note(id) || !ty.is_some_and(|t| t.eq_ignore_ascii_case(wanted)) {
                    continue;
                }
            }
            matches.push((rank, id));
        }
        let complete = matches.len() <= limit;
        let key = |&(rank, id): &(usize, FileId)| {
            let rel = vault.rel(id).unwrap_or_default();
            (rank, !vault.is_note(id), rel.len(), rel)
        };
        matches.sort_by(|a, b| key(a).cmp(&key(b)));
        matches.truncate(limit);
        let candidates = matches
            .into_iter()
            .filter_map(|(_, id)| {
                Some(LinkCandidate {
                    insert: shortest_form(index, &origin, id)?,
                    rel: vault.rel(id)?.to_owned(),
                    note_type: vault
                        .facts(id)
                        .and_then(|f| f.note_type.as_deref().map(str::to_owned)),
                })
            })
            .collect();
        (candidates, complete)
    }

    /// The notes with a link to the note at `abs`, from the index (which holds the open
    /// documents' links in place of their files').
    pub fn backlinks(&self, abs: &Path) -> Vec<PathBuf> {
        let Some(index) = self.index() else {
            return Vec::new();
        };
        let Some(id) = index.vault.id_of(&self.ws.rel(abs)) else {
            return Vec::new();
        };
        let mut sources: Vec<PathBuf> = index
            .vault
            .backlinks(id)
            .into_iter()
            .filter(|&source| source != id)
            .filter_map(|source| index.vault.rel(source))
            .map(|rel| self.ws.root().join(rel))
            .collect();
        sources.sort();
        sources
    }

    /// The vault's tags, most used first.
    pub fn tags(&self) -> &[(String, usize)] {
        self.index().map_or(&[], Index::tags)
    }
}

/// Where a link written at `origin` leads, by the rules the link checks use.
fn resolve(vault: &VaultIndex, origin: &Origin, link: &Link) -> Option<FileId> {
    if link.target.is_empty() || crate::note::body::is_file_url(&link.target) {
        return None;
    }
    let resolution = match link.kind {
        LinkKind::Markdown | LinkKind::MarkdownImage => {
            if crate::note::body::is_external(&link.target) {
                return None;
            }
            vault.resolve_markdown(origin, &link.target)
        }
        LinkKind::Wiki | LinkKind::WikiEmbed => vault.resolve_wikilink(origin, &link.target),
        // A canvas names files by their path from the vault root.
        LinkKind::CanvasFile => vault.resolve_markdown(origin, &format!("/{}", link.target)),
    };
    match resolution {
        Resolution::Found { id, .. } => Some(id),
        Resolution::Broken | Resolution::Escapes => None,
    }
}

/// The shortest link target that resolves to `id` from `origin` and matches no other file:
/// its name, else its name with as many parent folders as it takes, else its full path.
fn shortest_form(index: &Index, origin: &Origin, id: FileId) -> Option<String> {
    let scoped = index.scope_relative(index.vault.rel(id)?);
    let path = if index.vault.is_note(id) {
        scoped.strip_suffix(".md").unwrap_or(scoped)
    } else {
        scoped
    };
    let parts: Vec<&str> = path.split('/').collect();
    for take in 1..parts.len() {
        let candidate = parts[parts.len() - take..].join("/");
        if let Resolution::Found { id: found, matches } =
            index.vault.resolve_wikilink(origin, &candidate)
            && found == id
            && matches == 1
        {
            return Some(candidate);
        }
    }
    Some(path.to_owned())
}

/// "Today" for `dates/future`: the local date, as `check` takes it.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
