//! What the index knows of a note's contents for other notes' links: its headings (as
//! Obsidian and docs sites match them), block ids, type and aliases (`NoteFacts`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::note::body::{LinkKind, is_external};
use crate::note::tag::{is_emoji, tag_key};
use crate::note::{FrontmatterState, Note, tag_fields};
use crate::text::fold;

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
    /// Built `with_references` only: one pointer in a run's facts, not two empty lists.
    /// A run's facts (the only ones the cache keeps) have none.
    #[serde(skip)]
    references: Option<Box<References>>,
    /// The headings as heading links compare them (`normalize_heading`), back to back,
    /// with where each ends: made on the first heading link to the note, not for every
    /// link (a vault links each note's headings from many notes). Kept in the cache once
    /// made (see [`NoteFacts::normalize`]), so a cached run need not make them again.
    #[serde(with = "made_once")]
    normalized: OnceLock<(Box<str>, Box<[u32]>)>,
}

/// What a long-lived index keeps of a note besides what links to it need.
#[derive(Debug, Default)]
struct References {
    /// The note's links, for backlinks.
    links: Box<[LinkTarget]>,
    /// The note's tag keys (frontmatter and body), sorted.
    tags: Box<[Box<str>]>,
}

/// A link as a note writes it, kept to answer "which notes link to X".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    /// A Markdown link (resolved as a path), else a wikilink.
    pub markdown: bool,
    /// The target without its `#fragment`, as written (percent-decoded).
    pub target: Box<str>,
}

impl LinkTarget {
    /// The folded name of the file the target can lead to: its last path component,
    /// without `.md` (a note's name, or an attachment's file name).
    pub fn name(&self) -> String {
        let target = self.target.trim().trim_end_matches('/');
        let last = target.rsplit('/').next().unwrap_or_default();
        let mut name = fold(last);
        if name.ends_with(".md") {
            name.truncate(name.len() - 3);
        }
        name
    }
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

    /// The facts a long-lived index keeps: those of [`NoteFacts::of`] plus the note's
    /// links (for backlinks) and tag keys. A run does without them: at 100k notes they
    /// would cost more memory than every other fact together.
    pub fn with_references(
        note: &Note,
        type_field: &str,
        tag_fields: &[String],
        review_tag: &str,
    ) -> NoteFacts {
        let mut facts = NoteFacts::of(note, type_field);
        let body = note.body.links.iter();
        let frontmatter = note.frontmatter_links().into_iter().map(|found| found.link);
        let mut links: Vec<LinkTarget> = body
            .cloned()
            .chain(frontmatter)
            .filter(|link| !link.target.is_empty() && !is_external(&link.target))
            .map(|link| LinkTarget {
                markdown: matches!(link.kind, LinkKind::Markdown | LinkKind::MarkdownImage),
                target: link.target.into_boxed_str(),
            })
            .collect();
        links.sort_by(|a, b| (a.markdown, &a.target).cmp(&(b.markdown, &b.target)));
        links.dedup();
        let links = links.into_boxed_slice();
        let frontmatter_tags = tag_fields::frontmatter_tags(note, tag_fields, review_tag);
        let mut tags: Vec<Box<str>> = frontmatter_tags
            .into_iter()
            .map(|item| item.key.into_boxed_str())
            .chain(
                note.body
                    .tags
                    .iter()
                    .map(|tag| tag_key(&tag.name, review_tag).into_boxed_str()),
            )
            .collect();
        tags.sort_unstable();
        tags.dedup();
        facts.references = Some(Box::new(References {
            links,
            tags: tags.into_boxed_slice(),
        }));
        facts
    }

    /// Whether other notes' links see the same in both: headings, block ids, type and
    /// aliases (not the note's own links or tags). When they differ, the notes linking to
    /// this one are to be checked again.
    pub fn same_for_links(&self, other: &NoteFacts) -> bool {
        self.names == other.names
            && self.headings == other.headings
            && self.block_ids == other.block_ids
            && self.note_type == other.note_type
            && self.type_unknown == other.type_unknown
            && self.aliases == other.aliases
    }

    /// The note's links, when the facts were built `with_references`.
    pub fn links(&self) -> impl Iterator<Item = &LinkTarget> {
        self.references.iter().flat_map(|r| r.links.iter())
    }

    /// The note's tag keys, sorted, when the facts were built `with_references`.
    pub fn tags(&self) -> &[Box<str>] {
        self.references.as_ref().map_or(&[], |r| &r.tags)
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
        if rest.is_empty() {
            // The common case, asked once per heading link: no list made.
            return self.normalized_headings().any(|(_, text)| text == first);
        }
        let normalized: Vec<(u8, &str)> = self.normalized_headings().collect();
        normalized
            .iter()
            .enumerate()
            .filter(|(_, (_, text))| text == first)
            .any(|(i, (level, _))| nested_match(&normalized, i, *level, rest))
    }

    /// Makes the normalised headings now (for facts about to be cached).
    pub fn normalize(&self) {
        self.normalized_texts();
    }

    fn normalized_texts(&self) -> &(Box<str>, Box<[u32]>) {
        self.normalized.get_or_init(|| {
            let mut texts = String::new();
            let ends = self
                .headings()
                .map(|(_, text)| {
                    texts.push_str(&normalize_heading(text));
                    u32::try_from(texts.len()).unwrap_or(u32::MAX)
                })
                .collect();
            (texts.into_boxed_str(), ends)
        })
    }

    /// The headings in document order: (level, text as heading links compare it).
    fn normalized_headings(&self) -> impl Iterator<Item = (u8, &str)> {
        let (texts, ends) = self.normalized_texts();
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

/// A `OnceLock` stored as what it holds, if anything.
mod made_once {
    use std::sync::OnceLock;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &OnceLock<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.get().serialize(serializer)
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OnceLock<T>, D::Error> {
        let value: Option<T> = Option::deserialize(deserializer)?;
        Ok(value.map_or_else(OnceLock::new, OnceLock::from))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
