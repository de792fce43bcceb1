//! The server's only way into the checking machinery: "the findings of this text at this
//! path", "the fixed text", "where does this link lead", "the notes a link may name", "the
//! links to this note", "the vault's tags", "this note's schema". Handlers ask these
//! questions and never reach into `lint`, `vault` or `rules` themselves.
//!
//! Today the answers come from a [`VaultIndex`] built once per vault (and rebuilt when
//! files change on disk) plus the per-note checker, put together exactly as `lint` does
//! for `check --stdin-filename`. The incrementally updatable vault index and the
//! one-note checker replace [`Index`] and the body of [`Analysis::diagnostics`] here,
//! behind the same methods, and nothing else in the server changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::error::FileError;
use crate::fix;
use crate::lint::{self, Checker};
use crate::note::body::{Link, LinkKind};
use crate::note::{self, Note, ParseOptions};
use crate::rules::links::{Links, links_of};
use crate::rules::tags::Allowed;
use crate::schema::{CompiledSchema, Schemas};
use crate::suppress::Suppressions;
use crate::text::fold;
use crate::vault::{FileId, NoteFacts, Origin, Resolution, VaultIndex};
use crate::walk::{self, Exclusions, Walk};

/// A vault's settings: the configuration and its compiled schemas, loaded together (a
/// config that loads with schemas that do not is not a good configuration).
pub struct Workspace {
    pub config: Config,
    pub schemas: Schemas,
    exclusions: Exclusions,
    options: ParseOptions,
}

impl Workspace {
    /// The vault around `start` (a folder), found as `check` finds it.
    pub fn discover(start: &Path) -> Result<Workspace, Vec<FileError>> {
        let config = Config::discover(start, None).map_err(|e| vec![e])?;
        Workspace::with_config(config)
    }

    pub fn with_config(config: Config) -> Result<Workspace, Vec<FileError>> {
        let schemas = Schemas::new(&config)?;
        Ok(Workspace {
            exclusions: Exclusions::new(&config),
            options: lint::parse_options(&config),
            config,
            schemas,
        })
    }

    pub fn root(&self) -> &Path {
        &self.config.vault_root
    }

    /// Vault-relative, `/`-separated.
    pub fn rel(&self, abs: &Path) -> String {
        crate::paths::display_path(&self.config.vault_root, abs)
    }

    /// Whether `check` would lint a note at `abs` (`check --stdin-filename` gives nothing
    /// for a path the vault excludes or without a note extension).
    pub fn is_lintable(&self, abs: &Path) -> bool {
        walk::has_note_extension(abs, &self.config) && !self.exclusions.is_excluded(&self.rel(abs))
    }

    pub fn parse(&self, abs: &Path, text: &str) -> Note {
        Note::parse(self.rel(abs), text.to_owned(), &self.options)
    }

    /// What other notes' link findings depend on in a note: its headings, block ids, type
    /// and aliases. When an edit changes this, other open notes are checked again.
    pub fn link_facts(&self, abs: &Path, text: &str) -> String {
        let note = self.parse(abs, text);
        let facts = NoteFacts::of(&note, &self.config.settings.schema.type_field);
        let mut key = String::new();
        for heading in &note.body.headings {
            key.push_str(&format!("{}{}\n", heading.level, heading.text));
        }
        for block in &note.body.block_ids {
            key.push_str(&format!("^{}\n", block.id));
        }
        key.push_str(&format!(
            "{:?}{}{:?}",
            facts.note_type, facts.type_unknown, facts.aliases
        ));
        key
    }

    /// The schema a note gets, if any.
    pub fn schema_for(&self, abs: &Path, note: &Note) -> Option<Arc<CompiledSchema>> {
        let association = self
            .schemas
            .associate(&note.path, abs, note.parsed())
            .ok()?;
        // Failures are reported by `diagnostics`; a lookup for completion must not pile
        // them up.
        let _ = self.schemas.take_failures();
        association.schema
    }
}

/// What the index knows about the vault: every file's name and path, every note's facts,
/// the tags in use and which notes link to which.
pub struct Index {
    walk: Walk,
    vault: VaultIndex,
    /// Tags as written, most used first.
    tags: Vec<(String, usize)>,
    /// (target, source) pairs of resolved links, sorted.
    backlinks: Vec<(u32, u32)>,
    /// Per file: how a link names it and its path, folded, for matching what is typed.
    folded: Vec<(Box<str>, Box<str>)>,
}

impl Index {
    /// Walks the vault and reads every note once (in parallel), reporting the notes read
    /// so far to `progress` now and then.
    pub fn build(ws: &Workspace, progress: &(dyn Fn(usize, usize) + Sync)) -> Index {
        let config = &ws.config;
        let walk = walk::walk(config, &ws.exclusions, false, 0, None);
        let vault = VaultIndex::new(&walk);
        let notes: Vec<FileId> = (0..walk.files.len())
            .filter(|&id| walk.files[id].is_note)
            .collect();
        let total = notes.len();
        progress(0, total);
        let done = AtomicUsize::new(0);
        let limit = config.settings.vault.max_note_bytes;
        let allowed = Allowed::new(config);
        let per_note: Vec<NoteIndexed> = notes
            .par_iter()
            .map(|&id| {
                let file = &walk.files[id];
                let found = match note::read::read_text(&file.abs, limit) {
                    Some(text) => {
                        let note = Note::parse(file.rel.clone(), text, &ws.options);
                        let facts = NoteFacts::of(&note, &config.settings.schema.type_field);
                        vault.set_facts(id, Arc::new(facts));
                        if file.excluded {
                            (Vec::new(), Vec::new())
                        } else {
                            let origin = vault.origin(&file.rel);
                            let targets = links_of(&note, config)
                                .iter()
                                .filter_map(|(link, _)| resolve(&vault, &origin, link))
                                .map(|target| (to_u32(target), to_u32(id)))
                                .collect();
                            (tags_of(&note, config, allowed.as_ref()), targets)
                        }
                    }
                    None => {
                        vault.set_facts(id, Arc::new(NoteFacts::unreadable()));
                        (Vec::new(), Vec::new())
                    }
                };
                let count = done.fetch_add(1, Ordering::Relaxed) + 1;
                if count.is_multiple_of(2000) {
                    progress(count, total);
                }
                found
            })
            .collect();
        let mut counts: FxHashMap<String, (String, usize)> = FxHashMap::default();
        let mut backlinks = Vec::new();
        for (tags, links) in per_note {
            for tag in tags {
                counts.entry(tag.to_lowercase()).or_insert((tag, 0)).1 += 1;
            }
            backlinks.extend(links);
        }
        backlinks.sort_unstable();
        backlinks.dedup();
        let mut tags: Vec<(String, usize)> = counts.into_values().collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let folded = walk
            .files
            .iter()
            .map(|file| {
                let name = fold(&display_name(&file.rel, file.is_note));
                (name.into_boxed_str(), fold(&file.rel).into_boxed_str())
            })
            .collect();
        progress(total, total);
        Index {
            walk,
            vault,
            tags,
            backlinks,
            folded,
        }
    }

    pub fn notes(&self) -> usize {
        self.walk.files.iter().filter(|f| f.is_note).count()
    }
}

/// What indexing learns from one note: its tags, and its links as (target, source) ids.
type NoteIndexed = (Vec<String>, Vec<(u32, u32)>);

fn to_u32(id: usize) -> u32 {
    u32::try_from(id).unwrap_or(u32::MAX)
}

/// The tags a note carries (frontmatter fields, then inline tags), as written, each once;
/// with `tags.allowed`, only allowed ones (completion must not spread a typo).
fn tags_of(note: &Note, config: &Config, allowed: Option<&Allowed>) -> Vec<String> {
    let review = config.settings.review.tag.get_ref();
    let mut tags: Vec<String> =
        crate::note::tag_fields::frontmatter_tags(note, &config.settings.tags.fields, review)
            .into_iter()
            .map(|item| item.name)
            .collect();
    tags.extend(note.body.tags.iter().map(|t| t.name.clone()));
    let mut seen = FxHashSet::default();
    tags.retain(|tag| {
        let key = crate::note::tag::tag_key(tag, review);
        allowed.is_none_or(|set| set.allows(&key)) && seen.insert(key)
    });
    tags
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
    };
    match resolution {
        Resolution::Found { id, .. } => Some(id),
        Resolution::Broken | Resolution::Escapes => None,
    }
}

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

/// One question-answering session over a vault: its settings, its index once built, and
/// the open documents' texts, which count instead of the files on disk.
pub struct Analysis<'a> {
    pub ws: &'a Workspace,
    pub index: Option<&'a Index>,
    pub open: &'a FxHashMap<PathBuf, Arc<str>>,
}

impl Analysis<'_> {
    /// The findings `check --stdin-filename PATH` prints for `text` at `abs`. Before the
    /// index is built: the note's own findings only (no link findings).
    ///
    /// `Err`: the note's `$schema` cannot be used (`check` stops with exit 2 there).
    pub fn diagnostics(&self, abs: &Path, text: &str) -> Result<Vec<Finding>, FileError> {
        self.diagnostics_with(abs, text, &self.checker())
    }

    fn checker(&self) -> Checker<'_> {
        Checker::new(&self.ws.config, &self.ws.schemas, today())
    }

    /// Phase 1 and phase 2 of `lint` for one note, in the same order with the same
    /// filtering, so the result is the editor check's.
    fn diagnostics_with(
        &self,
        abs: &Path,
        text: &str,
        checker: &Checker<'_>,
    ) -> Result<Vec<Finding>, FileError> {
        let ws = self.ws;
        let config = &ws.config;
        if !ws.is_lintable(abs) {
            return Ok(Vec::new());
        }
        let note = ws.parse(abs, text);
        let rel = note.path.clone();
        let suppressions = Suppressions::of(&note);
        let own = NoteFacts::of(&note, &config.settings.schema.type_field);
        let (found, pending, links) = match self.index {
            Some(index) => {
                let links = Links {
                    config,
                    index: &index.vault,
                };
                let origin = index.vault.origin(&rel);
                let (found, pending) = links.check(&note, &origin, &own);
                (found, pending, Some((links, origin, index)))
            }
            None => (Vec::new(), Vec::new(), None),
        };
        let on_errors = config.settings.review.on_errors;
        let link_errors = on_errors && checker.any_error(&rel, &found, &suppressions);
        let result = checker.check_with(&note, abs, link_errors, &suppressions);
        // Schemas named by `$schema` that fail to compile stop `check` too.
        if let Some(failure) = ws.schemas.take_failures().into_iter().next() {
            return Err(failure);
        }
        let mut diagnostics = result?;
        diagnostics.extend(found);
        let mut reported = checker.finish(&note, diagnostics);
        let Some((links, origin, index)) = links else {
            return Ok(reported);
        };

        let own_id = index.walk.id_of(&rel);
        let own = Arc::new(own);
        let mut open_facts: FxHashMap<FileId, Arc<NoteFacts>> = FxHashMap::default();
        let answers: Vec<Diagnostic> = pending
            .iter()
            .filter_map(|p| {
                let facts = if !index.vault.is_note(p.target) {
                    None
                } else if Some(p.target) == own_id {
                    Some(own.clone())
                } else {
                    self.facts(index, p.target, &mut open_facts)
                };
                links.answer(p, &origin, facts.as_deref())
            })
            .collect();
        let review_late = on_errors && checker.any_error(&rel, &answers, &suppressions);
        let late = checker.finish(&note, answers);
        if late.is_empty() {
            return Ok(reported);
        }
        reported.extend(late);
        if review_late {
            let review = checker.late_review(&note, &reported);
            reported.extend(checker.finish(&note, review));
        }
        reported.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
        });
        Ok(reported)
    }

    /// A note's facts: from its open document when it is open, else from the index.
    fn facts(
        &self,
        index: &Index,
        id: FileId,
        open_facts: &mut FxHashMap<FileId, Arc<NoteFacts>>,
    ) -> Option<Arc<NoteFacts>> {
        let file = &index.walk.files[id];
        if let Some(text) = self.open.get(&file.abs) {
            let facts = open_facts.entry(id).or_insert_with(|| {
                let note = self.ws.parse(&file.abs, text);
                Arc::new(NoteFacts::of(
                    &note,
                    &self.ws.config.settings.schema.type_field,
                ))
            });
            return Some(facts.clone());
        }
        index.vault.facts(id).cloned()
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
            let found = self.diagnostics_with(abs, text, &checker)?;
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
        let index = self.index?;
        let origin = index.vault.origin(&self.ws.rel(from));
        let id = resolve(&index.vault, &origin, link)?;
        Some(self.target(index, id))
    }

    /// Why `link` does not resolve, in the words of the link checks.
    pub fn why_unresolved(&self, from: &Path, link: &Link) -> String {
        let Some(index) = self.index else {
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

    fn target(&self, index: &Index, id: FileId) -> Target {
        let file = &index.walk.files[id];
        Target {
            abs: file.abs.clone(),
            rel: file.rel.clone(),
            is_note: file.is_note,
        }
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
        let index = self.index?;
        let id = index.walk.id_of(rel)?;
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
        let Some(index) = self.index else {
            return (Vec::new(), false);
        };
        let rel = self.ws.rel(from);
        let origin = index.vault.origin(&rel);
        let typed = fold(typed.trim());
        let mut matches: Vec<(usize, FileId)> = Vec::new();
        for (id, file) in index.walk.files.iter().enumerate() {
            if file.excluded || file.rel == rel || index.walk.scope_of(id) != origin.scope {
                continue;
            }
            let (name, path) = &index.folded[id];
            let rank = if typed.is_empty() || name.starts_with(typed.as_str()) {
                0
            } else if name.contains(typed.as_str()) || path.contains(typed.as_str()) {
                1
            } else {
                continue;
            };
            if let Some(wanted) = wanted_type {
                let ty = index.vault.facts(id).and_then(|f| f.note_type.clone());
                if !file.is_note || !ty.is_some_and(|t| t.eq_ignore_ascii_case(wanted)) {
                    continue;
                }
            }
            matches.push((rank, id));
        }
        let complete = matches.len() <= limit;
        matches.sort_by(|a, b| {
            let (fa, fb) = (&index.walk.files[a.1], &index.walk.files[b.1]);
            (a.0, !fa.is_note, fa.rel.len(), &fa.rel).cmp(&(
                b.0,
                !fb.is_note,
                fb.rel.len(),
                &fb.rel,
            ))
        });
        matches.truncate(limit);
        let candidates = matches
            .into_iter()
            .map(|(_, id)| {
                let file = &index.walk.files[id];
                LinkCandidate {
                    insert: shortest_form(index, &origin, id),
                    rel: file.rel.clone(),
                    note_type: index
                        .vault
                        .facts(id)
                        .and_then(|f| f.note_type.as_deref().map(str::to_owned)),
                }
            })
            .collect();
        (candidates, complete)
    }

    /// The notes with a link to the note at `abs` (from the index: as the files on disk
    /// were when it was built), and the open notes that link to it now.
    pub fn backlinks(&self, abs: &Path) -> Vec<PathBuf> {
        let Some(index) = self.index else {
            return Vec::new();
        };
        let rel = self.ws.rel(abs);
        let mut sources: Vec<PathBuf> = Vec::new();
        if let Some(id) = index.walk.id_of(&rel) {
            let id = to_u32(id);
            let start = index.backlinks.partition_point(|&(t, _)| t < id);
            sources.extend(
                index.backlinks[start..]
                    .iter()
                    .take_while(|&&(t, _)| t == id)
                    .map(|&(_, source)| index.walk.files[source as usize].abs.clone())
                    .filter(|source| !self.open.contains_key(source)),
            );
        }
        for (path, text) in self.open {
            let note = self.ws.parse(path, text);
            let links = links_of(&note, &self.ws.config);
            let leads_here = links
                .iter()
                .any(|(link, _)| self.resolve(path, link).is_some_and(|t| t.abs == abs));
            if leads_here && path != abs {
                sources.push(path.clone());
            }
        }
        sources.sort();
        sources.dedup();
        sources
    }

    /// The vault's tags, most used first.
    pub fn tags(&self) -> &[(String, usize)] {
        self.index.map_or(&[], |index| &index.tags)
    }
}

/// The shortest link target that resolves to `id` from `origin` and matches no other file:
/// its name, else its name with as many parent folders as it takes, else its full path.
fn shortest_form(index: &Index, origin: &Origin, id: FileId) -> String {
    let file = &index.walk.files[id];
    let (_, scoped) = index.walk.scope_of_path(&file.rel);
    let path = if file.is_note {
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
            return candidate;
        }
    }
    path.to_owned()
}

/// How a link names a file: notes without `.md`, the file name only.
fn display_name(rel: &str, is_note: bool) -> String {
    let name = rel.rsplit_once('/').map_or(rel, |(_, n)| n);
    if is_note {
        name.strip_suffix(".md").unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    }
}

/// "Today" for `dates/future`: the local date, as `check` takes it.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
