//! Link rewriting for moves (SPEC 13): given files that move (old path -> new path),
//! the edits to every link in the vault whose target moved, or whose meaning the move
//! would change (a link in a moved note, a bare name the moved file would capture by
//! Obsidian's tie-break), each written in its own style (see [`write`]).
//!
//! Nothing is trusted before it is checked: the edited text of every file is read again,
//! and each of its links must reach, in the vault as it will be, the file it reached before
//! (under its new path); frontmatter edits go through the YAML edit operations and are
//! verified by value ([`crate::fix::verify`]). Any link that cannot be kept is a
//! [`Conflict`], and then nothing is planned at all. Used by `notelint mv`,
//! `fix --follow-renames` and the language server's file renames: [`plan`] takes the vault
//! as a [`View`] (a walk and its index), the moves, and a way to read a file (the server's
//! open documents), and returns each file's byte-range edits; it writes nothing.

pub mod follow;
pub mod near;
mod resolve;
pub mod sites;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value as Json;

use crate::diagnostic::{Change, Edit, Fix, KeyChange, apply_edits};
use crate::note::body::{self, Link, LinkKind};
use crate::note::{FrontmatterState, Note, ParseOptions};
use crate::walk::VaultFile;
use crate::yaml::{ScalarStyle, Style, edit};

pub use resolve::{Resolver, View};
use sites::{InFrontmatter, Place, Site, Source, Step};

/// One file moving: vault-relative paths, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// The new text of one file whose links change.
#[derive(Debug, Clone)]
pub struct FileEdit {
    /// Its path before the moves.
    pub rel: String,
    /// Its path after them (the same unless it moves too).
    pub new_rel: String,
    /// Where it is read now.
    pub abs: PathBuf,
    pub original: String,
    /// Byte-range edits of `original`, in order.
    pub edits: Vec<Edit>,
    /// `original` with the edits, verified.
    pub text: String,
}

/// What the moves do to the links of the vault.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files whose links are rewritten, by path before the moves.
    pub files: Vec<FileEdit>,
    /// Links that matched nothing and will reach a moved file: (file, link as written,
    /// the file's new path). Not a conflict — a name the user meant, now there — but said.
    pub now_resolved: Vec<(String, String, String)>,
}

impl Plan {
    /// Links rewritten, over all files.
    pub fn links(&self) -> usize {
        self.files.iter().map(|f| f.edits.len()).sum()
    }
}

/// A link the moves would break or change, with why it cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The file it is in (path before the moves).
    pub rel: String,
    /// 1-based line.
    pub line: usize,
    /// The link as written.
    pub link: String,
    pub reason: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}`: {}",
            self.rel, self.line, self.link, self.reason
        )
    }
}

/// Reads a file of the vault (as it is now); `None`: unreadable or not UTF-8, so its links
/// cannot be read and are left alone.
pub type Read<'a> = dyn Fn(&VaultFile) -> Option<String> + Sync + 'a;

/// The edits that keep every link of the vault `before` reaching its file through `moves`.
/// `Err`: links that cannot be kept; nothing may be written then.
pub fn plan(
    before: View<'_>,
    moves: &[Move],
    options: &ParseOptions,
    read: &Read<'_>,
) -> Result<Plan, Vec<Conflict>> {
    let renames: FxHashMap<&str, &str> = moves
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str()))
        .collect();
    let after = before.renamed(|rel| renames.get(rel).map(|to| (*to).to_owned()));
    let cx = Context {
        before,
        after: after.view(),
        renames,
        names: touched_names(moves),
        options,
    };
    let outcomes: Vec<FileOutcome> = before
        .files()
        .par_iter()
        .filter(|file| file.is_note || crate::canvas::is_canvas(&file.rel))
        .filter_map(|file| {
            let text = read(file)?;
            Some(cx.plan_file(file, text))
        })
        .collect();
    let mut plan = Plan::default();
    let mut conflicts = Vec::new();
    for outcome in outcomes {
        conflicts.extend(outcome.conflicts);
        plan.now_resolved.extend(outcome.now_resolved);
        plan.files.extend(outcome.edit);
    }
    if !conflicts.is_empty() {
        conflicts.sort_by(|a, b| (&a.rel, a.line).cmp(&(&b.rel, b.line)));
        return Err(conflicts);
    }
    plan.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(plan)
}

/// Every folded path component of the moved files, before and after, with names also
/// without their extension: a link whose target shares none of them, in a note that does
/// not move, reaches the same file before and after (its candidates are the same files).
fn touched_names(moves: &[Move]) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    for path in moves.iter().flat_map(|m| [&m.from, &m.to]) {
        for part in path.split('/') {
            let part = resolve::folded(part);
            if let Some((stem, _)) = part.rsplit_once('.') {
                names.insert(stem.to_owned());
            }
            names.insert(part);
        }
    }
    names
}

struct Context<'a> {
    before: View<'a>,
    after: View<'a>,
    renames: FxHashMap<&'a str, &'a str>,
    names: FxHashSet<String>,
    options: &'a ParseOptions,
}

#[derive(Default)]
struct FileOutcome {
    edit: Option<FileEdit>,
    conflicts: Vec<Conflict>,
    now_resolved: Vec<(String, String, String)>,
}

/// One link's rewrite: the edit, and for a frontmatter link the value change it makes.
struct Rewrite<'n> {
    edit: Edit,
    frontmatter: Option<(&'n InFrontmatter<'n>, std::ops::Range<usize>, String)>,
}

impl Context<'_> {
    fn moved<'r>(&'r self, rel: &'r str) -> &'r str {
        self.renames.get(rel).copied().unwrap_or(rel)
    }

    /// Whether the link's target may reach another file after the moves.
    fn may_change(&self, target: &str) -> bool {
        let parts: Vec<&str> = target.trim().split('/').collect();
        let last = parts.last().copied().unwrap_or_default();
        matches!(last, "" | "." | "..")
            || parts.iter().any(|part| {
                let part = resolve::folded(part);
                self.names.contains(&part)
                    || part
                        .strip_suffix(".md")
                        .is_some_and(|stem| self.names.contains(stem))
            })
    }

    fn plan_file(&self, file: &VaultFile, text: String) -> FileOutcome {
        let mut outcome = FileOutcome::default();
        let rel = file.rel.as_str();
        let new_rel = self.moved(rel);
        let moves = new_rel != rel;
        let source = Source::parse(rel, text, self.options);
        let sites = source.sites();
        let mut rewrites: Vec<Rewrite<'_>> = Vec::new();
        for site in &sites {
            let link = &site.link;
            if link.target.trim().is_empty()
                || body::is_file_url(&link.target)
                || !(moves || self.may_change(&link.target))
            {
                continue;
            }
            let Some(was) = self.before.resolve(rel, link) else {
                if let Some(now) = self.after.resolve(new_rel, link) {
                    outcome.now_resolved.push((
                        rel.to_owned(),
                        link_text(source.text(), link),
                        now.to_owned(),
                    ));
                }
                continue;
            };
            let want = self.moved(was);
            if self.after.resolve(new_rel, link) == Some(want) {
                continue;
            }
            match self.rewrite(&source, site, was, want, rel, new_rel) {
                Ok(rewrite) => rewrites.push(rewrite),
                Err(reason) => outcome
                    .conflicts
                    .push(conflict(source.text(), rel, link, reason)),
            }
        }
        if rewrites.is_empty() || !outcome.conflicts.is_empty() {
            return outcome;
        }
        match self.verified(&source, &sites, rewrites, rel, new_rel) {
            Ok((edits, text)) => {
                outcome.edit = Some(FileEdit {
                    rel: rel.to_owned(),
                    new_rel: new_rel.to_owned(),
                    abs: file.abs.clone(),
                    original: source.text().to_owned(),
                    edits,
                    text,
                });
            }
            Err(conflict) => outcome.conflicts.push(conflict),
        }
        outcome
    }

    /// The edit that makes `site` reach `want` (the new path of `was`) from `new_rel`.
    fn rewrite<'n>(
        &self,
        source: &'n Source,
        site: &'n Site<'n>,
        was: &str,
        want: &str,
        rel: &str,
        new_rel: &str,
    ) -> Result<Rewrite<'n>, String> {
        let link = &site.link;
        let written = write::style_of(&self.before, rel, link, was);
        let target = write::new_target(&self.after, new_rel, link.kind, &written, want)?;
        rewrite_site(source.text(), source.note(), site, &target)
    }

    /// Applies the rewrites and checks the result: the frontmatter by value, and every
    /// link of the new text reaching, after the moves, the new path of the file it reached.
    fn verified(
        &self,
        source: &Source,
        sites: &[Site<'_>],
        rewrites: Vec<Rewrite<'_>>,
        rel: &str,
        new_rel: &str,
    ) -> Result<(Vec<Edit>, String), Conflict> {
        let text = source.text();
        let whole = |reason: String| Conflict {
            rel: rel.to_owned(),
            line: 1,
            link: String::new(),
            reason,
        };
        let changes = declared_changes(source.note(), &rewrites);
        let mut edits: Vec<Edit> = rewrites.into_iter().map(|r| r.edit).collect();
        edits.sort_by_key(|e| e.span.start);
        let fix = Fix::safe(edits.clone(), changes);
        let new_text = apply_edits(text, &edits.iter().collect::<Vec<_>>());
        if let Some(note) = source.note() {
            if !matches!(
                note.frontmatter,
                FrontmatterState::Absent | FrontmatterState::Parsed(_)
            ) {
                return Err(whole(
                    "its frontmatter does not load, and notelint never edits such a note; \
                     correct it first"
                        .to_owned(),
                ));
            }
            crate::fix::verify::verify(note, &new_text, &[&fix], self.options).map_err(|why| {
                whole(format!("the edited frontmatter does not check out: {why}"))
            })?;
        }
        let edited = Source::parse(rel, new_text, self.options);
        let new_sites = edited.sites();
        if new_sites.len() != sites.len() {
            return Err(whole(
                "the rewritten links would not read back as the same links".to_owned(),
            ));
        }
        for (old, new) in sites.iter().zip(&new_sites) {
            let Some(was) = self.before.resolve(rel, &old.link) else {
                continue;
            };
            if self.after.resolve(new_rel, &new.link) != Some(self.moved(was)) {
                return Err(conflict(
                    text,
                    rel,
                    &old.link,
                    format!(
                        "rewritten as `{}`, it would not reach `{}`",
                        link_text(edited.text(), &new.link),
                        self.moved(was)
                    ),
                ));
            }
        }
        let text = match edited {
            Source::Note(note) => note.text,
            Source::Canvas { text, .. } => text,
        };
        Ok((edits, text))
    }
}

/// The edit that writes `target` (a path, before encoding) as the target of `site`, in
/// the bytes its place needs.
fn rewrite_site<'n>(
    text: &str,
    note: Option<&Note>,
    site: &'n Site<'n>,
    target: &str,
) -> Result<Rewrite<'n>, String> {
    let link = &site.link;
    let span = link.target_span.clone();
    let markdown = matches!(link.kind, LinkKind::Markdown | LinkKind::MarkdownImage);
    let as_written = text.get(span.clone()).unwrap_or_default();
    let angle = span.start > 0 && text.as_bytes().get(span.start - 1) == Some(&b'<');
    let bytes = |as_written: &str| -> Result<String, String> {
        if markdown {
            Ok(write::markdown_bytes(target, as_written, angle))
        } else {
            write::wiki_bytes(target)
        }
    };
    let replacement = match &site.place {
        Place::Body => bytes(as_written)?,
        Place::CanvasPath => write::json_bytes(target),
        Place::CanvasText => {
            let markdown_written = crate::canvas::json::decode(as_written)
                .map(|(text, _)| text)
                .unwrap_or_default();
            write::json_bytes(&bytes(&markdown_written)?)
        }
        Place::Frontmatter(at) => {
            let note = note.ok_or("not a note")?;
            return frontmatter_rewrite(note, at, link, &bytes(as_written)?);
        }
    };
    Ok(Rewrite {
        edit: Edit { span, replacement },
        frontmatter: None,
    })
}

/// A fix that makes `link` of `note` (a note, or a canvas read as one) name `target` (a
/// path, before encoding), verified by value; for fixes of single links (`links/broken`).
pub fn retarget(
    note: &Note,
    link: &Link,
    target: &str,
    options: &ParseOptions,
) -> Result<Fix, String> {
    let canvas_links;
    let (sites, as_note) = if crate::canvas::is_canvas(&note.path) {
        canvas_links = crate::canvas::links(&note.text, &options.scan);
        (sites::of_canvas(&canvas_links), None)
    } else {
        (sites::of_note(note), Some(note))
    };
    let site = sites
        .iter()
        .find(|s| s.link.span == link.span && s.link.target_span == link.target_span)
        .ok_or("the link is not where it was found")?;
    let rewrite = rewrite_site(&note.text, as_note, site, target)?;
    let changes = declared_changes(as_note, std::slice::from_ref(&rewrite));
    let fix = Fix::unsafe_(vec![rewrite.edit], changes);
    crate::fix::verify::apply_verified(note, &[&fix], options).map_err(|why| why.to_string())?;
    Ok(fix)
}

/// A wikilink in a frontmatter string, rewritten through the YAML edit operations: the
/// new target (`bytes`, as the wikilink's text) quoted as the string is, and checked to
/// load as the intended string.
fn frontmatter_rewrite<'n>(
    note: &Note,
    at: &'n InFrontmatter<'n>,
    link: &Link,
    bytes: &str,
) -> Result<Rewrite<'n>, String> {
    let not_editable =
        |why: edit::NotEditable| format!("its frontmatter value cannot be edited: {why}");
    let fm = note.parsed().ok_or("the frontmatter does not load")?;
    let value = at.node.as_str().ok_or("not a string")?;
    let decoded = body::wikilinks_in(value, 0);
    let same = decoded
        .get(at.nth)
        .filter(|d| d.target == link.target)
        .ok_or("its frontmatter value is written with escapes inside the link; edit it by hand")?;
    let range = same.target_span.clone();
    let want = format!("{}{bytes}{}", &value[..range.start], &value[range.end..]);
    let quoted = match at.node.style {
        Style::Scalar(ScalarStyle::SingleQuoted) => bytes.replace('\'', "''"),
        Style::Scalar(ScalarStyle::DoubleQuoted) => crate::canvas::json::escape(bytes),
        _ => bytes.to_owned(),
    };
    let text_edit = edit::replace_in_scalar(
        fm.yaml(&note.text),
        at.node,
        fm.yaml_span(&link.target_span),
        &quoted,
        &want,
        at.in_flow,
    )
    .map_err(not_editable)?;
    Ok(Rewrite {
        edit: fm.edit(text_edit),
        frontmatter: Some((at, range, bytes.to_owned())),
    })
}

/// A frontmatter link rewritten: where, the target's range in the decoded string, the new
/// target.
type KeyRewrite<'a> = (&'a InFrontmatter<'a>, &'a std::ops::Range<usize>, &'a str);

/// What the frontmatter rewrites do to each top-level key's value: text replaced in a
/// string value, an item of a list replaced, or (deeper) the whole new value.
fn declared_changes(note: Option<&Note>, rewrites: &[Rewrite<'_>]) -> Vec<KeyChange> {
    let Some(root) = note.and_then(Note::parsed).map(|fm| fm.root()) else {
        return Vec::new();
    };
    let mut by_key: BTreeMap<&str, Vec<KeyRewrite<'_>>> = BTreeMap::new();
    for rewrite in rewrites {
        if let Some((at, range, new)) = &rewrite.frontmatter {
            by_key
                .entry(at.key.as_str())
                .or_default()
                .push((at, range, new.as_str()));
        }
    }
    let mut changes = Vec::new();
    for (key, rewrites) in by_key {
        if rewrites.iter().all(|(at, ..)| at.route.is_empty()) {
            changes.extend(rewrites.iter().map(|(_, range, new)| {
                KeyChange::new(
                    key,
                    Change::ReplaceText((*range).clone(), (*new).to_owned()),
                )
            }));
            continue;
        }
        // Each string changed, by its route.
        let mut strings: BTreeMap<&[Step], String> = BTreeMap::new();
        let mut pieces: BTreeMap<&[Step], Vec<(&std::ops::Range<usize>, &str)>> = BTreeMap::new();
        for (at, range, new) in &rewrites {
            pieces.entry(&at.route).or_default().push((range, new));
            strings
                .entry(&at.route)
                .or_insert_with(|| at.node.as_str().unwrap_or_default().to_owned());
        }
        for (route, pieces) in &mut pieces {
            pieces.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
            if let Some(text) = strings.get_mut(route) {
                for (range, new) in pieces.iter() {
                    text.replace_range((*range).clone(), new);
                }
            }
        }
        let single_items = strings.keys().all(|route| matches!(route, [Step::Item(_)]));
        if single_items {
            changes.extend(strings.into_iter().filter_map(|(route, text)| match route {
                [Step::Item(i)] => Some(KeyChange::new(
                    key,
                    Change::ReplaceItem(*i, Json::String(text)),
                )),
                _ => None,
            }));
            continue;
        }
        let Some(entry) = root.get(key) else {
            continue;
        };
        let mut value = entry.value.to_json();
        for (route, text) in strings {
            if let Some(slot) = route_mut(&mut value, route) {
                *slot = Json::String(text);
            }
        }
        changes.push(KeyChange::new(key, Change::Set(value)));
    }
    changes
}

fn route_mut<'j>(value: &'j mut Json, route: &[Step]) -> Option<&'j mut Json> {
    route.iter().try_fold(value, |value, step| match step {
        Step::Item(i) => value.get_mut(*i),
        Step::Key(key) => value.get_mut(key.as_str()),
    })
}

fn link_text(text: &str, link: &Link) -> String {
    text.get(link.span.clone()).unwrap_or_default().to_owned()
}

fn conflict(text: &str, rel: &str, link: &Link, reason: String) -> Conflict {
    let before = text.get(..link.span.start).unwrap_or_default();
    Conflict {
        rel: rel.to_owned(),
        line: before.matches('\n').count() + 1,
        link: link_text(text, link),
        reason,
    }
}

#[cfg(test)]
mod tests;
