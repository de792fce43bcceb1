//! The vault-wide index for cross-file checks: every file's name and path (NFC, case-folded)
//! for link resolution with Obsidian's rules, nested vault scopes, and the facts of notes
//! (headings, block ids, type, aliases) gathered once in the parse phase.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::note::tag::is_emoji;
use crate::note::{FrontmatterState, Note};
use crate::walk::Walk;

/// Index of a file in the walk (and in the index).
pub type FileId = usize;

/// A file as the index sees it.
#[derive(Debug)]
struct Entry {
    /// Folded path relative to its scope's root; notes without their `.md`.
    key: String,
    /// Length of the folder part of `key` (0 at the scope root).
    folder_len: usize,
    scope: usize,
    is_note: bool,
    /// Excluded from linting (templates, `vault.exclude`): still a link target, but never
    /// offered as a did-you-mean.
    excluded: bool,
}

impl Entry {
    /// Folded folder of `key` ("" at the scope root).
    fn folder(&self) -> &str {
        &self.key[..self.folder_len]
    }
}

/// Where a link is written: the linking note's folder and vault scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Folded folder relative to the scope root ("" at the root).
    pub folder: String,
    pub scope: usize,
}

/// Where a link led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The file, and how many files the bare target matched (more than 1: ambiguous).
    Found { id: FileId, matches: usize },
    /// No file matches.
    Broken,
    /// The target climbs out of the vault; it is never resolved.
    Escapes,
}

/// What the link checks need to know about a note other than the one being checked.
///
/// Kept for every note of a run, so it is compact: names as written in one string, and
/// normalised forms computed only when a link asks. Serialisable for the cache.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct NoteFacts {
    /// The heading texts, then the block ids, as written, back to back: one allocation
    /// per note instead of one per name (facts live until the end of the run).
    names: Box<str>,
    /// Each heading in document order: its level and where its text ends in `names`.
    headings: Box<[(u8, u32)]>,
    /// Where each block id ends in `names`; block ids compare case-insensitively.
    block_ids: Box<[u32]>,
    /// The `type_field` value.
    pub note_type: Option<Box<str>>,
    /// The note's type cannot be known: its frontmatter does not load (a syntax error,
    /// unclosed, too large, not a mapping) or the note cannot be read. That is the
    /// note's own finding; links to it are not of a wrong type.
    pub type_unknown: bool,
    /// Folded `aliases`.
    pub aliases: Box<[Box<str>]>,
    /// The headings as heading links compare them (`normalize_heading`), back to back,
    /// with where each ends: made on the first heading link to the note, not for every
    /// link (a vault links each note's headings from many notes).
    #[serde(skip)]
    normalized: OnceLock<(Box<str>, Box<[u32]>)>,
}

impl NoteFacts {
    pub fn of(note: &Note, type_field: &str) -> NoteFacts {
        let parsed = note.parsed();
        let aliases = parsed
            .and_then(|fm| fm.get("aliases"))
            .map(|node| match node.as_seq() {
                Some(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .map(|a| fold(a).into_boxed_str())
                    .collect(),
                None => node
                    .as_str()
                    .map(|a| fold(a).into_boxed_str())
                    .into_iter()
                    .collect(),
            })
            .unwrap_or_default();
        let mut facts = NoteFacts::with_names(
            note.body
                .headings
                .iter()
                .map(|h| (h.level, h.text.as_str())),
            note.body.block_ids.iter().map(|b| b.id.as_str()),
        );
        facts.note_type = parsed
            .and_then(|fm| fm.get(type_field))
            .and_then(|n| n.as_str())
            .map(Into::into);
        facts.type_unknown = match &note.frontmatter {
            FrontmatterState::Absent => false,
            FrontmatterState::Parsed(fm) => fm.root().as_map().is_none(),
            FrontmatterState::Unclosed { .. }
            | FrontmatterState::TooLarge { .. }
            | FrontmatterState::Invalid { .. } => true,
        };
        facts.aliases = aliases;
        facts
    }

    /// The facts of a note that cannot be read: nothing is known, not even its type.
    pub fn unreadable() -> NoteFacts {
        NoteFacts {
            type_unknown: true,
            ..NoteFacts::default()
        }
    }

    /// Facts with these headings (level, text) and block ids, and nothing else.
    pub fn with_names<'a>(
        headings: impl IntoIterator<Item = (u8, &'a str)>,
        block_ids: impl IntoIterator<Item = &'a str>,
    ) -> NoteFacts {
        let mut names = String::new();
        // Offsets are u32: names beyond 4 GiB (never in a note under `max_note_bytes`)
        // are dropped rather than wrapped.
        let mut end_of = |text: &str| {
            let end = u32::try_from(names.len() + text.len()).ok()?;
            names.push_str(text);
            Some(end)
        };
        let headings: Box<[(u8, u32)]> = headings
            .into_iter()
            .map_while(|(level, text)| Some((level, end_of(text)?)))
            .collect();
        let block_ids: Box<[u32]> = block_ids.into_iter().map_while(&mut end_of).collect();
        NoteFacts {
            names: names.into_boxed_str(),
            headings,
            block_ids,
            ..NoteFacts::default()
        }
    }

    /// The headings in document order: (level, text as written).
    fn headings(&self) -> impl Iterator<Item = (u8, &str)> {
        let starts = std::iter::once(0).chain(self.headings.iter().map(|&(_, end)| end));
        self.headings
            .iter()
            .zip(starts)
            .map(|(&(level, end), start)| (level, &self.names[start as usize..end as usize]))
    }

    /// The headings as written, for did-you-mean help.
    pub fn heading_texts(&self) -> impl Iterator<Item = &str> {
        self.headings().map(|(_, text)| text)
    }

    pub fn has_headings(&self) -> bool {
        !self.headings.is_empty()
    }

    /// The block ids as written.
    fn block_id_texts(&self) -> impl Iterator<Item = &str> {
        let first = self.headings.last().map_or(0, |&(_, end)| end);
        let starts = std::iter::once(first).chain(self.block_ids.iter().copied());
        self.block_ids
            .iter()
            .zip(starts)
            .map(|(&end, start)| &self.names[start as usize..end as usize])
    }

    /// Whether `fragment` (`A`, `A#B` for B under A) names a heading of this note.
    pub fn has_heading(&self, fragment: &str) -> bool {
        let parts: Vec<String> = fragment
            .split('#')
            .map(normalize_heading)
            .filter(|p| !p.is_empty())
            .collect();
        let Some((first, rest)) = parts.split_first() else {
            return true;
        };
        let normalized = self.normalized_headings();
        if rest.is_empty() {
            return normalized.iter().any(|(_, text)| text == first);
        }
        normalized
            .iter()
            .enumerate()
            .filter(|(_, (_, text))| text == first)
            .any(|(i, (level, _))| nested_match(&normalized, i, *level, rest))
    }

    /// The headings in document order: (level, text as heading links compare it).
    fn normalized_headings(&self) -> Vec<(u8, &str)> {
        let (texts, ends) = self.normalized.get_or_init(|| {
            let mut texts = String::new();
            let ends = self
                .headings()
                .map(|(_, text)| {
                    texts.push_str(&normalize_heading(text));
                    u32::try_from(texts.len()).unwrap_or(u32::MAX)
                })
                .collect();
            (texts.into_boxed_str(), ends)
        });
        let starts = std::iter::once(0).chain(ends.iter().copied());
        self.headings
            .iter()
            .zip(ends.iter().zip(starts))
            .map(|(&(level, _), (&end, start))| {
                (
                    level,
                    texts.get(start as usize..end as usize).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Whether `fragment` is one of the heading anchors a docs site or GitHub generates
    /// (`#key-features` for `## Key Features`), for Markdown links.
    pub fn has_anchor(&self, fragment: &str) -> bool {
        let fragment = fragment.trim().to_lowercase();
        self.anchors().contains(&fragment)
    }

    /// The anchors a Markdown link `[t](Note.md#anchor)` may name: each heading's
    /// GitHub-style slug (`-1`, `-2` for repeats) and its explicit `{#id}`, lower-cased.
    /// Computed when asked (only for links with a fragment), not kept per note.
    pub fn anchors(&self) -> Vec<String> {
        heading_anchors(self.heading_texts())
    }

    pub fn has_block(&self, id: &str) -> bool {
        let id = id.to_lowercase();
        self.block_id_texts().any(|b| b.to_lowercase() == id)
    }
}

/// Whether `rest` are found in order, each under the previous, after heading `at`.
fn nested_match(headings: &[(u8, &str)], at: usize, level: u8, rest: &[String]) -> bool {
    let Some((next, rest)) = rest.split_first() else {
        return true;
    };
    headings[at + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, (l, _))| *l > level)
        .filter(|(_, (_, text))| text == next)
        .any(|(offset, (l, _))| nested_match(headings, at + 1 + offset, *l, rest))
}

/// Heading text as Obsidian compares heading links (its `stripHeading`, SPEC 1.2):
/// case-insensitive, every character other than a letter, digit, combining mark, `_`, `-`
/// or emoji read as a space, whitespace collapsed and trimmed. So `#What is X` finds
/// `## What is X?` and `#Foo bar` finds `## Foo *bar*`.
pub fn normalize_heading(text: &str) -> String {
    // Most headings are ASCII: no normal form, marks or emoji to consider, only the runs
    // of kept characters joined by single spaces.
    if text.is_ascii() {
        let mut out = String::with_capacity(text.len());
        let kept = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
        for word in text.split(|c| !kept(c)).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out.make_ascii_lowercase();
        return out;
    }
    fold_heading(text)
}

/// `normalize_heading` for any text.
fn fold_heading(text: &str) -> String {
    let replaced: String = text
        .nfc()
        .map(|c| if kept_in_heading_links(c) { c } else { ' ' })
        .collect();
    replaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The characters `stripHeading` keeps; everything else reads as a space.
fn kept_in_heading_links(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '_' | '-') || is_emoji(c)
}

/// The anchors of headings with texts `texts` (in document order), as GitHub, Hugo,
/// MkDocs and VS Code generate them: the slug of each heading, with `-1`, `-2`, ... added
/// to repeats, plus the explicit id of a heading written `## Text {#id}`.
pub fn heading_anchors<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for text in texts {
        let (text, id) = split_heading_id(text);
        if let Some(id) = id {
            anchors.push(id.to_lowercase());
        }
        let slug = github_slug(text);
        let count = seen.entry(slug.clone()).or_insert(0);
        anchors.push(match *count {
            0 => slug,
            n => format!("{slug}-{n}"),
        });
        *count += 1;
    }
    anchors
}

/// `Text {#id .class}` -> (`Text`, `id`): the attribute block that Hugo, Pandoc,
/// kramdown and MkDocs accept at the end of a heading.
fn split_heading_id(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim_end();
    let Some(open) = trimmed.rfind('{').filter(|_| trimmed.ends_with('}')) else {
        return (text, None);
    };
    let id = trimmed[open + 1..trimmed.len() - 1]
        .split_whitespace()
        .find_map(|attr| attr.strip_prefix('#'))
        .filter(|id| !id.is_empty());
    match id {
        Some(id) => (trimmed[..open].trim_end(), Some(id)),
        None => (text, None),
    }
}

/// GitHub's heading slug: lower-cased, every character other than a letter, digit,
/// combining mark, `-`, `_` or space removed, then each space replaced by `-`
/// (`What's in a Foam?` -> `whats-in-a-foam`, `Smileys & Emotion` -> `smileys--emotion`).
pub fn github_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() || is_combining_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Names compare case-insensitively after NFC normalisation (macOS stores names in NFD).
pub fn fold(text: &str) -> String {
    // Most names are ASCII, which NFC leaves alone: skip the normaliser for them.
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        text.to_lowercase()
    } else {
        text.nfc().collect::<String>().to_lowercase()
    }
}

/// A trigram index of the vault's names for did-you-mean: a broken link is compared only
/// with the names that share its rarest trigrams, never with the whole vault (which made
/// help text quadratic in the vault's size). It holds, for each name, the files that have
/// it, so it answers without the index that built it: the cache keeps it for editor
/// checks, which then need not index every name of the vault.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Suggestions {
    names: Vec<(usize, String)>,
    grams: FxHashMap<u64, Vec<u32>>,
    /// Per name: the files with that name, in walk order (by path): as a link to each
    /// would be written, and whether it is a note.
    files: Vec<Vec<Suggested>>,
}

/// A file did-you-mean may offer (never an excluded one).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Suggested {
    /// Vault-relative path: the tie-break between equally close names.
    rel: Box<str>,
    is_note: bool,
}

/// Trigrams consulted per query (the rarest ones) and names scored per query.
const QUERY_GRAMS: usize = 8;
const SCORED_NAMES: usize = 64;

impl Suggestions {
    fn new(index: &VaultIndex, walk: &Walk) -> Suggestions {
        let by_name = &index.by_name;
        let mut names: Vec<(usize, String)> = by_name.keys().cloned().collect();
        names.sort_unstable();
        let files = names
            .iter()
            .map(|key| {
                by_name
                    .get(key)
                    .into_iter()
                    .flatten()
                    .filter(|&&id| !index.entries[id].excluded)
                    .filter_map(|&id| {
                        Some(Suggested {
                            rel: walk.files.get(id)?.rel.as_str().into(),
                            is_note: index.entries[id].is_note,
                        })
                    })
                    .collect()
            })
            .collect();
        let distinct = |name: &str| {
            let mut own = trigrams(name);
            own.sort_unstable();
            own.dedup();
            own
        };
        // Two passes, so every posting list is allocated once at its exact size: growing
        // them by doubling held twice the memory at 100k notes (75 MB at the peak).
        let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
        for (_, name) in &names {
            for gram in distinct(name) {
                *counts.entry(gram).or_default() += 1;
            }
        }
        let mut grams: FxHashMap<u64, Vec<u32>> = counts
            .into_iter()
            .map(|(gram, count)| (gram, Vec::with_capacity(count as usize)))
            .collect();
        for (index, (_, name)) in names.iter().enumerate() {
            for gram in distinct(name) {
                if let Some(posting) = grams.get_mut(&gram) {
                    posting.push(index as u32);
                }
            }
        }
        Suggestions {
            names,
            grams,
            files,
        }
    }

    /// The encoded index, for the cache.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        postcard::to_allocvec(self).ok()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Suggestions> {
        postcard::from_bytes(bytes).ok()
    }

    /// Up to 3 files whose name is closest to `wanted_name` (folded), as links to them
    /// would be written; each distinct name is scored once. A target with an attachment's
    /// extension (`demo.gif`) is only offered attachments; excluded files (templates) are
    /// never offered; names under 3 characters (`g`) get no suggestion, as Jaro-Winkler
    /// finds every short name close to them.
    fn closest(&self, scope: usize, wanted_name: &str) -> Vec<String> {
        if wanted_name.chars().count() < 3 {
            return Vec::new();
        }
        let attachment = wanted_name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ATTACHMENT_EXTENSIONS.contains(&ext));
        let mut scored: Vec<(f64, &Suggested)> = self
            .candidates(scope, wanted_name)
            .into_iter()
            .map(|index| {
                (
                    strsim::jaro_winkler(wanted_name, &self.names[index].1),
                    index,
                )
            })
            .filter(|(score, _)| *score >= 0.8)
            .flat_map(|(score, index)| {
                self.files
                    .get(index)
                    .into_iter()
                    .flatten()
                    .map(move |file| (score, file))
            })
            .filter(|(_, file)| !(attachment && file.is_note))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.rel.cmp(&b.1.rel)));
        scored
            .into_iter()
            .take(3)
            .map(|(_, file)| display_name(&file.rel, file.is_note))
            .collect()
    }

    /// Names (their places in `names`) in `scope` sharing the most of `wanted`'s rarest
    /// trigrams, most shared first.
    fn candidates(&self, scope: usize, wanted: &str) -> Vec<usize> {
        let mut own = trigrams(wanted);
        own.sort_unstable();
        own.dedup();
        let mut postings: Vec<&Vec<u32>> = own.iter().filter_map(|g| self.grams.get(g)).collect();
        postings.sort_by_key(|p| p.len());
        let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
        for posting in postings.into_iter().take(QUERY_GRAMS) {
            for &index in posting {
                *shared.entry(index).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = shared
            .into_iter()
            .filter(|(index, _)| self.names[*index as usize].0 == scope)
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(SCORED_NAMES)
            .map(|(index, _)| index as usize)
            .collect()
    }
}

/// The character trigrams of `text`, padded with a space at both ends.
fn trigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(text.chars())
        .chain(std::iter::once(' '))
        .collect();
    chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect()
}

/// The index over every file of the walk.
pub struct VaultIndex {
    entries: Vec<Entry>,
    /// Folded last component (notes without `.md`) -> files, per scope.
    by_name: FxHashMap<(usize, String), Vec<FileId>>,
    /// Folded scope-relative key -> file, per scope.
    by_key: FxHashMap<(usize, String), FileId>,
    /// Per file: the facts, once known (set by the parse phase or loaded on demand).
    facts: Vec<OnceLock<Arc<NoteFacts>>>,
    /// Folded alias -> notes, built on demand when `links.aliases` is on.
    aliases: OnceLock<FxHashMap<(usize, String), Vec<FileId>>>,
    /// (scope, folded name) -> the closest files' names, best first: broken links repeat
    /// their targets (`[[docs|...]]` hundreds of times).
    closest: Mutex<FxHashMap<(usize, String), Vec<String>>>,
    /// Built on the first broken link (or decoded from `preset`).
    suggestions: OnceLock<Suggestions>,
    /// An encoded index of the whole vault's names, from the cache.
    preset: Mutex<Option<std::sync::Arc<[u8]>>>,
    /// Wikilink answers that do not depend on where the link is written.
    answers: Answers,
}

/// A per-run memo of `resolve_wikilink` for `(scope, target)`: a vault links each name
/// from many notes (~25 times on average in a CRM vault), and each resolution folds the
/// target and looks up its candidates. Only answers that do not depend on the linking
/// note's folder are kept: no `./`/`../` target, and at most one candidate (with several,
/// Obsidian's tie-break prefers the linking note's folder). Sharded, so the workers of
/// phase 1 rarely wait for one another.
struct Answers {
    shards: Box<[AnswerShard]>,
}

/// Key hash -> (scope, target, answer).
type AnswerShard = Mutex<FxHashMap<u64, (usize, Box<str>, Resolution)>>;

const ANSWER_SHARDS: usize = 32;

impl Answers {
    fn new() -> Answers {
        Answers {
            shards: (0..ANSWER_SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    fn key(scope: usize, target: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        scope.hash(&mut hasher);
        target.hash(&mut hasher);
        hasher.finish()
    }

    fn shard(&self, key: u64) -> Option<&AnswerShard> {
        // The high bits: the map itself hashes the low ones.
        self.shards.get((key >> 58) as usize % ANSWER_SHARDS)
    }

    fn get(&self, scope: usize, target: &str) -> Option<Resolution> {
        let key = Answers::key(scope, target);
        let shard = self.shard(key)?.lock().ok()?;
        let (s, t, answer) = shard.get(&key)?;
        (*s == scope && **t == *target).then(|| answer.clone())
    }

    fn put(&self, scope: usize, target: &str, answer: &Resolution) {
        let key = Answers::key(scope, target);
        if let Some(Ok(mut shard)) = self.shard(key).map(|s| s.lock()) {
            // On a hash collision the first answer stays; the other target is computed
            // each time.
            shard
                .entry(key)
                .or_insert_with(|| (scope, target.into(), answer.clone()));
        }
    }
}

impl VaultIndex {
    /// Builds the name index from the walk alone; no file is read.
    pub fn new(walk: &Walk) -> VaultIndex {
        let mut entries = Vec::with_capacity(walk.files.len());
        let mut by_name: FxHashMap<(usize, String), Vec<FileId>> = FxHashMap::default();
        let mut by_key = FxHashMap::default();
        for (id, file) in walk.files.iter().enumerate() {
            let scope = walk.scope_of(id);
            let scoped = walk.scope_relative(id);
            let mut key = fold(scoped);
            if file.is_note {
                strip_md(&mut key);
            }
            let folder_len = key.rfind('/').unwrap_or(0);
            let name = key[key.rfind('/').map_or(0, |i| i + 1)..].to_owned();
            by_name.entry((scope, name)).or_default().push(id);
            by_key.insert((scope, key.clone()), id);
            entries.push(Entry {
                key,
                folder_len,
                scope,
                is_note: file.is_note,
                excluded: file.excluded,
            });
        }
        let facts = (0..entries.len()).map(|_| OnceLock::new()).collect();
        VaultIndex {
            entries,
            by_name,
            by_key,
            facts,
            aliases: OnceLock::new(),
            closest: Mutex::default(),
            suggestions: OnceLock::new(),
            preset: Mutex::default(),
            answers: Answers::new(),
        }
    }

    /// The origin of links written in the note at vault-relative `rel`.
    pub fn origin(&self, walk: &Walk, rel: &str) -> Origin {
        // A file of the walk has its folder folded already.
        if let Some(entry) = walk.id_of(rel).and_then(|id| self.entries.get(id)) {
            return Origin {
                folder: entry.folder().to_owned(),
                scope: entry.scope,
            };
        }
        let (scope, scoped) = walk.scope_of_path(rel);
        let folded = fold(scoped);
        let folder = folded
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_owned());
        Origin { folder, scope }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn is_note(&self, id: FileId) -> bool {
        self.entries.get(id).is_some_and(|e| e.is_note)
    }

    pub fn facts(&self, id: FileId) -> Option<&Arc<NoteFacts>> {
        self.facts.get(id)?.get()
    }

    /// Records a note's facts (first writer wins; every writer computes the same facts).
    pub fn set_facts(&self, id: FileId, facts: Arc<NoteFacts>) {
        if let Some(slot) = self.facts.get(id) {
            let _ = slot.set(facts);
        }
    }

    /// Resolves a wikilink target as Obsidian does, from the note `from`.
    pub fn resolve_wikilink(&self, source: &Origin, target: &str) -> Resolution {
        let target = target.trim();
        if target.starts_with("./") || target.starts_with("../") {
            return self.resolve_relative(source, &source.folder, target);
        }
        if let Some(answer) = self.answers.get(source.scope, target) {
            return answer;
        }
        let answer = self.resolve_by_name(source, target);
        if matches!(
            answer,
            Resolution::Broken | Resolution::Found { matches: 1, .. }
        ) {
            self.answers.put(source.scope, target, &answer);
        }
        answer
    }

    /// `resolve_wikilink` for a target that is not relative to the linking note.
    fn resolve_by_name(&self, source: &Origin, target: &str) -> Resolution {
        let folded = fold(target.trim_start_matches('/'));
        let mut note_key = folded.clone();
        strip_md(&mut note_key);
        let name = |key: &str| {
            key.rsplit_once('/')
                .map_or(key.to_owned(), |(_, n)| n.to_owned())
        };

        // A note whose name matches, or an attachment whose full file name matches.
        let mut candidates: Vec<FileId> = Vec::new();
        for (key, want_note) in [(&note_key, true), (&folded, false)] {
            if let Some(ids) = self.by_name.get(&(source.scope, name(key))) {
                candidates.extend(ids.iter().copied().filter(|&id| {
                    let entry = &self.entries[id];
                    entry.is_note == want_note && ends_with_path(&entry.key, key)
                }));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.pick(source, &note_key, &folded, candidates)
    }

    /// Resolves a Markdown link destination (percent-decoded): relative to the note's folder,
    /// then from the vault root, then by name as Obsidian does.
    ///
    /// A destination that names a folder (`guide/`, `/topics/python`) resolves to the
    /// folder's index note (`index.md`, `_index.md` or `README.md`), as GitHub and static
    /// site generators serve it; with a trailing `/`, a note `guide.md` also counts (a
    /// docs site's page URL such as `/functions/dump/`).
    pub fn resolve_markdown(&self, source: &Origin, dest: &str) -> Resolution {
        let dest = dest.trim();
        match self.resolve_markdown_path(source, dest) {
            Resolution::Broken => {}
            other => return other,
        }
        let base = dest.trim_end_matches('/');
        let prefix = if base.is_empty() {
            dest.to_owned()
        } else {
            format!("{base}/")
        };
        let last = base.rsplit('/').next().unwrap_or_default();
        let page =
            (dest.ends_with('/') && !matches!(last, "" | "." | "..")).then(|| base.to_owned());
        let indexes = INDEX_NOTES.iter().map(|index| format!("{prefix}{index}"));
        for candidate in page.into_iter().chain(indexes) {
            match self.resolve_markdown_path(source, &candidate) {
                Resolution::Broken => {}
                other => return other,
            }
        }
        Resolution::Broken
    }

    fn resolve_markdown_path(&self, source: &Origin, dest: &str) -> Resolution {
        if let Some(rooted) = dest.strip_prefix('/') {
            return self
                .lookup_exact(source.scope, rooted)
                .map_or(Resolution::Broken, found);
        }
        match self.resolve_relative(source, &source.folder, dest) {
            Resolution::Broken => {}
            other => return other,
        }
        if let Some(id) = self.lookup_exact(source.scope, dest) {
            return found(id);
        }
        if dest.starts_with("../") {
            return Resolution::Broken;
        }
        self.resolve_wikilink(source, dest)
    }

    /// `./x`, `../x` (and plain relative paths) against `folder`; never above the scope root.
    fn resolve_relative(&self, source: &Origin, folder: &str, target: &str) -> Resolution {
        let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        let folded = fold(target);
        for part in folded.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Resolution::Escapes;
                    }
                }
                other => parts.push(other),
            }
        }
        let path = parts.join("/");
        self.lookup_exact(source.scope, &path)
            .map_or(Resolution::Broken, found)
    }

    /// An exact scope-relative path, with or without `.md`.
    fn lookup_exact(&self, scope: usize, path: &str) -> Option<FileId> {
        let folded = fold(path);
        let mut note_key = folded.clone();
        strip_md(&mut note_key);
        self.by_key
            .get(&(scope, note_key))
            .filter(|&&id| self.entries[id].is_note)
            .or_else(|| {
                self.by_key
                    .get(&(scope, folded))
                    .filter(|&&id| !self.entries[id].is_note)
            })
            .copied()
    }

    /// Obsidian's tie-break: exact path, then the linking note's folder, then shortest path.
    fn pick(
        &self,
        source: &Origin,
        note_key: &str,
        folded: &str,
        mut ids: Vec<FileId>,
    ) -> Resolution {
        if ids.is_empty() {
            return Resolution::Broken;
        }
        let matches = ids.len();
        ids.sort_by_key(|&id| {
            let entry = &self.entries[id];
            let exact = entry.key == note_key || entry.key == folded;
            let same_folder = entry.folder() == source.folder;
            (
                !exact,
                !same_folder,
                entry.key.chars().count(),
                entry.key.clone(),
            )
        });
        Resolution::Found {
            id: ids[0],
            matches,
        }
    }

    /// Notes whose `aliases` contain `target` (folded), in the source's scope.
    pub fn resolve_alias(&self, source: &Origin, target: &str) -> Option<FileId> {
        let scope = source.scope;
        let aliases = self.aliases.get_or_init(|| {
            let mut map: FxHashMap<(usize, String), Vec<FileId>> = FxHashMap::default();
            for (id, slot) in self.facts.iter().enumerate() {
                if let Some(facts) = slot.get() {
                    for alias in &facts.aliases {
                        map.entry((self.entries[id].scope, alias.to_string()))
                            .or_default()
                            .push(id);
                    }
                }
            }
            map
        });
        aliases
            .get(&(scope, fold(target.trim())))
            .and_then(|ids| ids.first().copied())
    }

    /// Note names (as written in the walk) closest to `target`, for did-you-mean help.
    pub fn closest_names(&self, source: &Origin, target: &str, walk: &Walk) -> Vec<String> {
        let wanted = fold(target.trim());
        let wanted_name = wanted.rsplit_once('/').map_or(wanted.as_str(), |(_, n)| n);
        let key = (source.scope, wanted_name.to_owned());
        let cached = self.closest.lock().ok().and_then(|c| c.get(&key).cloned());
        cached.unwrap_or_else(|| {
            let names = self.suggestions(walk).closest(source.scope, wanted_name);
            if let Ok(mut cache) = self.closest.lock() {
                cache.insert(key, names.clone());
            }
            names
        })
    }

    /// The did-you-mean index: the one given with [`VaultIndex::use_suggestions`], else
    /// built from this index on first use.
    pub fn suggestions(&self, walk: &Walk) -> &Suggestions {
        self.suggestions.get_or_init(|| {
            let preset = self.preset.lock().ok().and_then(|mut p| p.take());
            preset
                .and_then(|bytes| Suggestions::from_bytes(&bytes))
                .unwrap_or_else(|| Suggestions::new(self, walk))
        })
    }

    /// Uses `suggestions` (encoded; from the cache: an index of the whole vault) for
    /// did-you-mean, for an index of only some of the vault's files (an editor check's).
    /// Decoded on the first broken link.
    pub fn use_suggestions(&self, suggestions: std::sync::Arc<[u8]>) {
        if let Ok(mut preset) = self.preset.lock() {
            *preset = Some(suggestions);
        }
    }
}

/// The file types Obsidian opens and embeds as attachments (images, audio, video, PDF).
const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "flac", "m4a", "mp3", "ogg", "wav",
    "3gp", "mkv", "mov", "mp4", "ogv", "webm", "pdf",
];

/// The notes a folder link opens, folded and without `.md`.
const INDEX_NOTES: &[&str] = &["index", "_index", "readme"];

fn found(id: FileId) -> Resolution {
    Resolution::Found { id, matches: 1 }
}

/// How a link to the file would be written: notes without `.md`, the file name only.
fn display_name(rel: &str, is_note: bool) -> String {
    let name = rel.rsplit_once('/').map_or(rel, |(_, n)| n);
    if is_note {
        name.strip_suffix(".md").unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    }
}

fn strip_md(key: &mut String) {
    if key.ends_with(".md") {
        key.truncate(key.len() - 3);
    }
}

/// Whether `key` is `suffix` or ends with `/suffix` (whole path components).
fn ends_with_path(key: &str, suffix: &str) -> bool {
    key == suffix
        || (key.ends_with(suffix)
            && key.as_bytes().get(key.len() - suffix.len() - 1) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_normalise_like_obsidian_links() {
        assert_eq!(normalize_heading("Q1 $2.5M: plan"), "q1 2 5m plan");
        assert_eq!(normalize_heading("  Recent   Context "), "recent context");
        assert_eq!(normalize_heading("A [draft] #1"), "a draft 1");
        assert_eq!(
            normalize_heading("What is X?"),
            normalize_heading("What is X")
        );
        assert_eq!(normalize_heading("D&D WOTC"), normalize_heading("D D WOTC"));
        assert_eq!(normalize_heading("Foo *bar*"), "foo bar");
        assert_eq!(normalize_heading("1. Step one"), "1 step one");
        assert_eq!(normalize_heading("`List`"), "list");
        assert_eq!(
            normalize_heading("snake_case and-dash"),
            "snake_case and-dash"
        );
        assert_eq!(normalize_heading("Ideas 🌲 Zoë’s"), "ideas 🌲 zoë s");
    }

    proptest::proptest! {
        /// The ASCII path folds exactly as the general one.
        #[test]
        fn plain_headings_fold_as_any_text(text in "[ -~\t\x0b\u{e9}]{0,24}") {
            proptest::prop_assert_eq!(normalize_heading(&text), fold_heading(&text));
        }
    }

    #[test]
    fn facts_keep_headings_and_block_ids_as_written() {
        let facts = NoteFacts::with_names([(1, "Zoë"), (2, ""), (3, "Q1 plan")], ["b1", "", "Id"]);
        let headings: Vec<(u8, &str)> = facts.headings().collect();
        assert_eq!(headings, [(1, "Zoë"), (2, ""), (3, "Q1 plan")]);
        assert_eq!(facts.block_id_texts().collect::<Vec<_>>(), ["b1", "", "Id"]);
        assert!(facts.has_block("id") && facts.has_block("B1") && !facts.has_block("b2"));
        let empty = NoteFacts::with_names([], ["x"]);
        assert!(!empty.has_headings());
        assert_eq!(empty.block_id_texts().collect::<Vec<_>>(), ["x"]);
    }

    /// `has_heading` as it was before the normalised headings were kept: every heading
    /// normalised for every question.
    fn has_heading_afresh(facts: &NoteFacts, fragment: &str) -> bool {
        let parts: Vec<String> = fragment
            .split('#')
            .map(normalize_heading)
            .filter(|p| !p.is_empty())
            .collect();
        let Some((first, rest)) = parts.split_first() else {
            return true;
        };
        let normalized: Vec<(u8, String)> = facts
            .headings()
            .map(|(level, text)| (level, normalize_heading(text)))
            .collect();
        let borrowed: Vec<(u8, &str)> = normalized.iter().map(|(l, t)| (*l, t.as_str())).collect();
        borrowed
            .iter()
            .enumerate()
            .filter(|(_, (_, text))| text == first)
            .any(|(i, (level, _))| nested_match(&borrowed, i, *level, rest))
    }

    proptest::proptest! {
        /// Heading links answer the same from the kept normalised headings, question
        /// after question.
        #[test]
        fn kept_normalised_headings_answer_as_afresh(
            headings in proptest::collection::vec((1u8..4, "[aZ é?*#]{0,6}"), 0..6),
            fragments in proptest::collection::vec("[aZ é?#]{0,8}", 1..8),
        ) {
            let facts = NoteFacts::with_names(headings.iter().map(|(l, t)| (*l, t.as_str())), []);
            for fragment in &fragments {
                proptest::prop_assert_eq!(facts.has_heading(fragment), has_heading_afresh(&facts, fragment));
            }
        }
    }

    #[test]
    fn nested_headings_require_nesting() {
        let facts = NoteFacts::with_names([(1, "a"), (2, "b"), (1, "c"), (2, "d")], []);
        assert!(facts.has_heading("A#B"));
        assert!(facts.has_heading("C#D"));
        assert!(!facts.has_heading("A#D"));
        assert!(facts.has_heading("d"));
    }

    #[test]
    fn heading_anchors_are_github_slugs() {
        assert_eq!(github_slug("What's in a Foam?"), "whats-in-a-foam");
        assert_eq!(github_slug("Smileys & Emotion"), "smileys--emotion");
        assert_eq!(
            github_slug("Links/Graphs/BackLinks don't work. How do I enable them?"),
            "linksgraphsbacklinks-dont-work-how-do-i-enable-them"
        );
        assert_eq!(
            github_slug("The `where` function_2"),
            "the-where-function_2"
        );
        assert_eq!(github_slug("Überblick: Straße"), "überblick-straße");
        let anchors = heading_anchors([
            "Options",
            "Usage",
            "Options",
            "Settings {#settings-asciidoc}",
            "Options",
            "Plain {.class}",
        ]);
        assert_eq!(
            anchors,
            [
                "options",
                "usage",
                "options-1",
                "settings-asciidoc",
                "settings",
                "options-2",
                "plain-class"
            ]
        );
    }

    #[test]
    fn markdown_fragments_may_name_anchors() {
        let facts = NoteFacts::with_names([(2, "Key Features"), (2, "Why Choose Foam?")], []);
        assert!(facts.has_anchor("key-features"));
        assert!(facts.has_anchor("Why-Choose-Foam"));
        assert!(!facts.has_anchor("key features"));
        assert!(!facts.has_anchor("features"));
    }

    fn index_of(paths: &[&str]) -> VaultIndex {
        let walk = Walk::of_paths(paths);
        VaultIndex::new(&walk)
    }

    #[test]
    fn markdown_links_to_folders_and_page_urls() {
        let paths = [
            "functions/debug/dump.md",
            "functions/_index.md",
            "topics/python/index.md",
            "docs/README.md",
            "docs/guide.md",
            "assets/logo.png",
            "index.md",
        ];
        let index = index_of(&paths);
        let root = Origin {
            folder: String::new(),
            scope: 0,
        };
        let docs = Origin {
            folder: "docs".into(),
            scope: 0,
        };
        let to = |origin: &Origin, dest: &str| match index.resolve_markdown(origin, dest) {
            Resolution::Found { id, .. } => Some(paths[id]),
            _ => None,
        };
        // A docs site's page URL: `/a/b/` is `a/b.md`, `a/b/index.md` or `a/b/_index.md`.
        assert_eq!(to(&docs, "/functions/debug/dump/"), Some(paths[0]));
        assert_eq!(to(&docs, "/functions/"), Some(paths[1]));
        assert_eq!(to(&root, "functions"), Some(paths[1]));
        // A folder link opens the folder's index or README, as on GitHub.
        assert_eq!(to(&root, "/topics/python"), Some(paths[2]));
        assert_eq!(to(&root, "topics/python/"), Some(paths[2]));
        assert_eq!(to(&docs, "./"), Some(paths[3]));
        assert_eq!(to(&docs, "../docs/"), Some(paths[3]));
        assert_eq!(to(&docs, "../"), Some(paths[6]));
        assert_eq!(to(&docs, "/"), Some(paths[6]));
        // As before, a path without `.md` names the note; missing folders stay broken.
        assert_eq!(to(&root, "/functions/debug/dump"), Some(paths[0]));
        assert_eq!(to(&root, "/topics/ruby/"), None);
        assert_eq!(to(&root, "assets/"), None);
        assert_eq!(to(&docs, "guide/"), Some(paths[4]));
        assert!(matches!(
            index.resolve_markdown(&docs, "../../"),
            Resolution::Escapes
        ));
    }

    #[test]
    fn closest_names_score_each_name_once_and_are_remembered() {
        let paths = [
            "a/plan.md",
            "b/plan.md",
            "plans.md",
            "planet.png",
            "zebra.md",
            "Templates/Plan Template.md",
            "ge.md",
        ];
        let mut walk = Walk::of_paths(&paths);
        for file in &mut walk.files {
            file.excluded = file.rel.starts_with("Templates/");
        }
        let index = VaultIndex::new(&walk);
        let origin = index.origin(&walk, "zebra.md");
        let first = index.closest_names(&origin, "Plann", &walk);
        assert_eq!(first, ["plan", "plan", "plans"]);
        assert_eq!(index.closest_names(&origin, "plann", &walk), first);
        assert_eq!(index.closest.lock().map(|c| c.len()).ok(), Some(1));
        assert!(index.closest_names(&origin, "qqqq", &walk).is_empty());
        // An image is only offered images, not the note with the closest name.
        assert_eq!(
            index.closest_names(&origin, "planets.png", &walk),
            ["planet.png"]
        );
        assert_eq!(
            index.closest_names(&origin, "plan.gif", &walk),
            ["planet.png"]
        );
        // Templates are link targets, not suggestions; one letter suggests nothing.
        let names = index.closest_names(&origin, "Plan Templat", &walk);
        assert!(!names.contains(&"Plan Template".to_owned()), "{names:?}");
        assert!(index.closest_names(&origin, "g", &walk).is_empty());
        // A dotted note name (Dendron's `a.b.c`) is not an attachment.
        assert!(
            index
                .closest_names(&origin, "plans.x", &walk)
                .contains(&"plans".to_owned())
        );
    }

    proptest::proptest! {
        /// The memo of wikilink answers answers as resolution from scratch does, whatever
        /// the order of the questions and wherever the links are written.
        #[test]
        fn remembered_answers_are_the_answers(
            files in proptest::collection::btree_set(
                (0usize..4, 0usize..5, proptest::bool::ANY), 1..12),
            questions in proptest::collection::vec((0usize..4, 0usize..5, 0usize..4), 1..40),
        ) {
            const FOLDERS: [&str; 4] = ["", "a/", "b/", "a/c/"];
            const NAMES: [&str; 5] = ["x", "X", "Zoë", "Zoe\u{308}", "y"];
            let paths: Vec<String> = files
                .iter()
                .map(|&(f, n, note)| {
                    format!("{}{}{}", FOLDERS[f], NAMES[n], if note { ".md" } else { ".png" })
                })
                .collect();
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let index = index_of(&paths);
            for (from, name, form) in questions {
                let origin = index.origin(&Walk::of_paths(&paths), &format!("{}o.md", FOLDERS[from]));
                let target = match form {
                    0 => NAMES[name].to_owned(),
                    1 => format!("{}.png", NAMES[name]),
                    2 => format!("a/{}", NAMES[name]),
                    _ => format!("../{}", NAMES[name]),
                };
                let general = if target.starts_with("../") {
                    index.resolve_relative(&origin, &origin.folder, &target)
                } else {
                    index.resolve_by_name(&origin, &target)
                };
                proptest::prop_assert_eq!(index.resolve_wikilink(&origin, &target), general);
            }
        }
    }

    proptest::proptest! {
        /// The origin of a note of the walk, from its index entry, is the one folded from
        /// its path.
        #[test]
        fn origins_of_indexed_notes_are_folded_paths(
            paths in proptest::collection::btree_set("(Sub/|sub/|Zoë/|)(a|B|é|e\u{301})\\.md", 1..8),
        ) {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let walk = Walk::of_paths(&paths);
            let index = VaultIndex::new(&walk);
            let empty = VaultIndex::new(&Walk::default());
            for rel in &paths {
                proptest::prop_assert_eq!(index.origin(&walk, rel), empty.origin(&walk, rel));
            }
        }
    }

    #[test]
    fn fold_is_nfc_and_case_insensitive() {
        assert_eq!(fold("Tome\u{301}s"), fold("TOMÉS"));
    }

    #[test]
    fn path_suffixes_are_whole_components() {
        assert!(ends_with_path("projects/storage pilot", "storage pilot"));
        assert!(ends_with_path(
            "projects/storage pilot",
            "projects/storage pilot"
        ));
        assert!(!ends_with_path(
            "projects/big storage pilot",
            "storage pilot"
        ));
    }
}
