//! `links/*`: every link resolved against the vault index with Obsidian's rules.
//!
//! Phase 1 (per note, in parallel) resolves targets by name and reports broken, empty,
//! escaping and ambiguous links at once, and same-note `#heading` links. Checks that need
//! another note's contents (its headings, block ids or `type`) become `Pending` and are
//! answered in phase 2, once the facts of every target are known.

use super::Rule;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::note::body::{self, Link, LinkKind};
use crate::note::{FrontmatterLink as Found, Note};
use crate::suggest;
use crate::vault::{FileId, NoteFacts, Origin, Resolution, VaultIndex, normalize_heading};

pub static BROKEN: Rule = Rule {
    code: "links/broken",
    default_severity: Some(Severity::Error),
    fix: Some(crate::diagnostic::Applicability::Unsafe),
    summary: "no note or file matches the target; help names the closest matches",
    explanation: "\
## What it finds
A wikilink, embed or Markdown link whose target matches no note or file of the vault, \
resolved as Obsidian does: case-insensitively, after Unicode normalisation, by name, by \
path suffix (`[[Projects/Pilot]]`), relative to the note (`./`, `../`), attachments by file \
name. A Markdown link to a folder (`guide/`, `/topics/python`) opens the folder's \
`index.md`, `_index.md` or `README.md`, and a docs site's page URL with a trailing `/` \
(`/functions/dump/`) also matches `functions/dump.md`. Destinations built by a template or \
shortcode (`{{% eturl rss %}}`) are not checked. A link that climbs out of the vault \
(`../../etc/passwd`) is broken and never followed, and so is a `file:` URL \
(`file:///C:/Users/me/Temp/chart.png`), which names a place on one computer's disk: it \
works for nobody else who opens the vault.

## Why
A broken link is a dead end for the reader and usually a renamed or mistyped note.

## Example
```markdown
See [[Contoso Ltd]] for the account.
```
when the note is called `Contoso`.

## Fix
Correct the target (the help names the closest notes) or create the note. When exactly \
one note or file is a near match — the same name but for case, accents or whitespace, or \
one edit away — and no other name comes close, `notelint fix --unsafe-fixes` writes it, \
in the link's own style. A note renamed outside Obsidian: `notelint fix --follow-renames` \
repairs every link to it (git's renames), and `notelint mv` moves notes without breaking \
links at all.",
};

pub static BROKEN_HEADING: Rule = Rule {
    code: "links/broken-heading",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "target exists, heading does not",
    explanation: "\
## What it finds
A link to `Note#Heading` (or `Note#A#B`, B under A, or `#Heading` in the same note) where \
the note exists but has no such heading. Headings compare as Obsidian compares them: \
case-insensitively, with every character other than letters, digits, `_`, `-` and emoji \
read as a space and whitespace collapsed, so `[[Note#What is X]]` finds `## What is X?` \
and `[[Note#Foo bar]]` finds `## Foo *bar*`. \
A Markdown link may also name the heading by its anchor, as GitHub, VS Code and static \
site generators write it: `[t](Note.md#key-features)` for `## Key Features` (`-1`, `-2` \
for repeated headings), or the `{#id}` written after a heading.

## Why
Obsidian opens the note at its top instead of the section: the link silently lost its point.

## Example
```markdown
[[Storage Pilot#Risks]]
```
when the note's heading is `## Risks and mitigations`.

## Fix
Link to an existing heading (the help lists the closest) or restore the heading.",
};

pub static BROKEN_BLOCK: Rule = Rule {
    code: "links/broken-block",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "target exists, block id does not",
    explanation: "\
## What it finds
A link to `Note#^block-id` where the note exists but no line ends with `^block-id`.

## Why
Block references break when the block is edited or its id removed.

## Example
```markdown
[[Storage Pilot#^decision-2]]
```

## Fix
Point the link at an existing block id, or add the id back to the block.",
};

pub static AMBIGUOUS: Rule = Rule {
    code: "links/ambiguous",
    default_severity: None,
    fix: None,
    summary: "bare target matches several files (when enabled)",
    explanation: "\
## What it finds
A link written as a bare name (`[[Plan]]`) that several files match. Obsidian picks one \
(exact path, then the linking note's folder, then the shortest path), and so does \
notelint; this rule, off by default (`links.ambiguous = true` or `--select`), reports it.

## Why
Which note such a link opens depends on where it is written and changes when files move.

## Example
`Projects/Plan.md` and `Archive/Plan.md`, linked as `[[Plan]]`.

## Fix
Write enough of the path to pick one: `[[Projects/Plan]]`.",
};

pub static EMPTY: Rule = Rule {
    code: "links/empty",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "`[[]]` or `[text]()`",
    explanation: "\
## What it finds
A link with no target at all: `[[]]`, `![[]]`, `[text]()` or `[text](#)`. A reference \
definition to `#` or `<>` (`[//]: # (note)`) is Markdown's comment idiom, not a link.

## Why
Usually a placeholder left from a template or an unfinished edit.

## Example
```markdown
Owner: [[]]
```

## Fix
Fill in the target or remove the link.",
};

pub static WRONG_TYPE: Rule = Rule {
    code: "links/wrong-type",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "a `links.targets` field links to a note of another `type`",
    explanation: "\
## What it finds
With `[links] targets = { company = \"customer\" }`, a link in the `company` property that \
leads to a note whose `type` is not `customer` (or to a file that is not a note).

## Why
Typed links are what makes a vault queryable: a person listed as a company breaks every \
roll-up that relies on it.

## Example
```yaml
company: \"[[Dana Whitfield]]\"
```

## Fix
Link to a note of the expected type, or correct the target note's `type`.",
};

pub static RULES: &[&Rule] = &[
    &BROKEN,
    &BROKEN_HEADING,
    &BROKEN_BLOCK,
    &AMBIGUOUS,
    &EMPTY,
    &WRONG_TYPE,
];

/// A check that needs the target note's facts, answered in phase 2.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub target: FileId,
    pub span: Span,
    pub what: PendingKind,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum PendingKind {
    Heading {
        fragment: String,
        span: Span,
        /// Written in a Markdown link, where a heading's slug (`#key-features`) counts too.
        markdown: bool,
    },
    Block {
        id: String,
        span: Span,
    },
    Type {
        field: String,
        expected: String,
    },
    /// With `links.aliases`: not found by name; an alias may still match.
    Alias {
        target: String,
        help: Option<String>,
    },
}

/// What the link rules need besides the note.
pub struct Links<'a> {
    pub config: &'a Config,
    pub index: &'a VaultIndex,
    /// The walk of a whole run: the near-match fix of a broken link needs every file's
    /// path (a one-note check against a session's index goes without it).
    pub walk: Option<&'a crate::walk::Walk>,
}

impl Links<'_> {
    /// Phase 1 for one note. `own` are the note's own facts (same-note heading links).
    pub fn check(
        &self,
        note: &Note,
        origin: &Origin,
        own: &NoteFacts,
    ) -> (Vec<Diagnostic>, Vec<Pending>) {
        self.check_links(Some(note), origin, own, &self.links_of(note))
    }

    /// The links these rules check in `note`: the body's, then (with `links.frontmatter`)
    /// the frontmatter's with their top-level key. What the cache keeps of a note's text.
    pub fn links_of(&self, note: &Note) -> Vec<(Link, Option<String>)> {
        let settings = &self.config.settings.links;
        if !settings.enabled {
            return Vec::new();
        }
        let mut found: Vec<(Link, Option<String>)> = note
            .body
            .links
            .iter()
            .cloned()
            .map(|link| (link, None))
            .collect();
        if settings.frontmatter {
            found.extend(
                note.frontmatter_links()
                    .into_iter()
                    .map(|Found { link, field }| (link, field)),
            );
        }
        found
    }

    /// Phase 1 for the links of one note (from [`Links::links_of`]). Without the note's
    /// text (links from the cache) a broken link gets no near-match fix: see
    /// [`Links::wants_text`].
    pub fn check_links(
        &self,
        note: Option<&Note>,
        origin: &Origin,
        own: &NoteFacts,
        links: &[(Link, Option<String>)],
    ) -> (Vec<Diagnostic>, Vec<Pending>) {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        if !self.config.settings.links.enabled {
            return (out, pending);
        }
        for (link, field) in links {
            self.check_link(
                note,
                origin,
                own,
                link,
                field.as_deref(),
                &mut out,
                &mut pending,
            );
        }
        (out, pending)
    }

    /// Whether phase 1's findings `found`, made without the note's text, lack what the
    /// text would give: a near-match fix for a broken link (a run with its walk only).
    pub fn wants_text(&self, found: &[Diagnostic]) -> bool {
        self.walk.is_some() && found.iter().any(|d| std::ptr::eq(d.rule, &BROKEN))
    }

    #[allow(clippy::too_many_arguments)]
    fn check_link(
        &self,
        note: Option<&Note>,
        origin: &Origin,
        own: &NoteFacts,
        link: &Link,
        field: Option<&str>,
        out: &mut Vec<Diagnostic>,
        pending: &mut Vec<Pending>,
    ) {
        let settings = &self.config.settings.links;
        if link.target.is_empty() {
            match &link.fragment {
                None => out.push(Diagnostic::new(
                    &EMPTY,
                    link.span.clone(),
                    "link has no target",
                )),
                Some(fragment) if settings.headings => {
                    let markdown = is_markdown(link.kind);
                    if let Some(d) = fragment_finding(fragment, link, own, "this note", markdown) {
                        out.push(d);
                    }
                }
                Some(_) => {}
            }
            return;
        }
        let markdown = is_markdown(link.kind);
        if body::is_file_url(&link.target) {
            out.push(
                Diagnostic::new(
                    &BROKEN,
                    link.span.clone(),
                    format!(
                        "link target `{}` is a `file:` URL to a place outside the vault",
                        link.target
                    ),
                )
                .with_help(
                    "it opens only on the computer that wrote it: copy the file into the vault \
                     and link to it by its name",
                ),
            );
            return;
        }
        let resolution = if link.kind == LinkKind::CanvasFile {
            // A canvas names files by their path from the vault root.
            self.index
                .resolve_markdown(origin, &format!("/{}", link.target))
        } else if markdown {
            self.index.resolve_markdown(origin, &link.target)
        } else {
            self.index.resolve_wikilink(origin, &link.target)
        };
        let id = match resolution {
            Resolution::Found { id, matches } => {
                if matches > 1 && !link.target.contains('/') {
                    out.push(
                        Diagnostic::new(
                            &AMBIGUOUS,
                            link.span.clone(),
                            format!("link target `{}` matches {matches} files", link.target),
                        )
                        .with_help(format!(
                            "it resolves to `{}`; write more of the path to choose",
                            self.index.rel(id).unwrap_or_default()
                        )),
                    );
                }
                id
            }
            Resolution::Escapes => {
                out.push(
                    Diagnostic::new(
                        &BROKEN,
                        link.span.clone(),
                        format!("link target `{}` leaves the vault", link.target),
                    )
                    .with_help("links resolve only to notes and files inside the vault"),
                );
                return;
            }
            Resolution::Broken => {
                let help = self.swapped_help(origin, link).or_else(|| {
                    let names = self.index.closest_names(origin, &link.target);
                    match names.as_slice() {
                        [] => None,
                        names => {
                            let names: Vec<&str> = names.iter().map(String::as_str).collect();
                            Some(format!("did you mean {}?", suggest::one_of(&names)))
                        }
                    }
                });
                if settings.aliases && !markdown {
                    pending.push(Pending {
                        target: 0,
                        span: link.span.clone(),
                        what: PendingKind::Alias {
                            target: link.target.clone(),
                            help,
                        },
                    });
                } else {
                    let mut diagnostic = broken(link.span.clone(), &link.target, help);
                    diagnostic.fix = self.near_match_fix(note, link);
                    out.push(diagnostic);
                }
                return;
            }
        };
        let is_note = self.index.is_note(id);
        if let (Some(fragment), Some(fragment_span), true, true) = (
            &link.fragment,
            &link.fragment_span,
            settings.headings,
            is_note,
        ) {
            let what = match fragment.strip_prefix('^') {
                Some(block) => PendingKind::Block {
                    id: block.to_owned(),
                    span: fragment_span.clone(),
                },
                None => PendingKind::Heading {
                    fragment: fragment.clone(),
                    span: fragment_span.clone(),
                    markdown,
                },
            };
            pending.push(Pending {
                target: id,
                span: link.span.clone(),
                what,
            });
        }
        if let Some(expected) = field.and_then(|f| settings.targets.get(f)) {
            pending.push(Pending {
                target: id,
                span: link.span.clone(),
                what: PendingKind::Type {
                    field: field.unwrap_or_default().to_owned(),
                    expected: expected.clone(),
                },
            });
        }
    }

    /// Phase 2: answers one pending check given the target's facts (`None`: not a note).
    pub fn answer(
        &self,
        pending: &Pending,
        origin: &Origin,
        facts: Option<&NoteFacts>,
    ) -> Option<Diagnostic> {
        let target_name = self.display_name(pending.target);
        match &pending.what {
            PendingKind::Heading { .. } | PendingKind::Block { .. } => {
                let facts = facts?;
                let (fragment, span, markdown) = match &pending.what {
                    PendingKind::Heading {
                        fragment,
                        span,
                        markdown,
                    } => (fragment.clone(), span, *markdown),
                    PendingKind::Block { id, span } => (format!("^{id}"), span, false),
                    _ => return None,
                };
                let link = Link {
                    kind: LinkKind::Wiki,
                    target: String::new(),
                    fragment: Some(fragment.clone()),
                    display: None,
                    span: pending.span.clone(),
                    target_span: pending.span.clone(),
                    fragment_span: Some(span.clone()),
                    in_comment: false,
                };
                fragment_finding(
                    &fragment,
                    &link,
                    facts,
                    &format!("`{target_name}`"),
                    markdown,
                )
            }
            PendingKind::Type { field, expected } => {
                let actual = facts.and_then(|f| f.note_type.as_deref());
                // A target whose frontmatter does not load has its own finding.
                let unknown = facts.is_some_and(|f| f.type_unknown);
                if unknown || actual.is_some_and(|a| a.eq_ignore_ascii_case(expected)) {
                    return None;
                }
                let what = match (facts, actual) {
                    (None, _) => "is not a note".to_owned(),
                    (Some(_), None) => "has no type".to_owned(),
                    (Some(_), Some(actual)) => format!("is of type `{actual}`"),
                };
                Some(
                    Diagnostic::new(
                        &WRONG_TYPE,
                        pending.span.clone(),
                        format!("`{field}` must link to a note of type `{expected}`, but `{target_name}` {what}"),
                    )
                    .with_span_label(format!("expected a `{expected}` note")),
                )
            }
            PendingKind::Alias { target, help } => {
                if self.index.resolve_alias(origin, target).is_some() {
                    None
                } else {
                    Some(broken(pending.span.clone(), target, help.clone()))
                }
            }
        }
    }

    /// Help for `[[text|Note]]` where `Note` exists: the target and the text are swapped,
    /// as Dendron writes them (Obsidian reads `[[Note|text]]`).
    fn swapped_help(&self, origin: &Origin, link: &Link) -> Option<String> {
        if !matches!(link.kind, LinkKind::Wiki | LinkKind::WikiEmbed) {
            return None;
        }
        let display = link.display.as_deref()?.trim();
        let target = display.split('#').next().unwrap_or_default().trim();
        if target.is_empty() || target.contains(['[', ']', '|']) {
            return None;
        }
        // `[[docs/Setup|Setup]]` names the note by its own name: the folder is what is
        // wrong (did-you-mean finds it), not the order.
        let name = |path: &str| {
            let last = path.rsplit('/').next().unwrap_or(path);
            crate::text::fold(last.strip_suffix(".md").unwrap_or(last))
        };
        if name(&link.target) == name(target) {
            return None;
        }
        match self.index.resolve_wikilink(origin, target) {
            Resolution::Found { .. } => Some(format!(
                "`{target}` is a note: Obsidian reads `[[target|text]]`, so write `[[{display}|{}]]`",
                link.target
            )),
            _ => None,
        }
    }

    /// The unsafe fix of a broken link: its one near match (see `relink::near`).
    fn near_match_fix(&self, note: Option<&Note>, link: &Link) -> Option<crate::diagnostic::Fix> {
        let note = note?;
        let view = crate::relink::View::new(self.walk?, self.index);
        let options = self.config.parse_options();
        crate::relink::near::fix(view, note, link, &options)
    }

    fn display_name(&self, id: FileId) -> String {
        let rel = self.index.rel(id).unwrap_or_default();
        rel.strip_suffix(".md").unwrap_or(rel).to_owned()
    }
}

fn broken(span: Span, target: &str, help: Option<String>) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        &BROKEN,
        span,
        format!("link target `{target}` matches no note"),
    );
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

fn is_markdown(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::Markdown | LinkKind::MarkdownImage)
}

/// `#Heading` / `#A#B` / `#^block` checked against a note's facts. A Markdown link may
/// also name a heading by its anchor (`#key-features`), as GitHub and docs sites do.
fn fragment_finding(
    fragment: &str,
    link: &Link,
    facts: &NoteFacts,
    whose: &str,
    markdown: bool,
) -> Option<Diagnostic> {
    let span = link
        .fragment_span
        .clone()
        .unwrap_or_else(|| link.span.clone());
    if let Some(block) = fragment.strip_prefix('^') {
        if facts.has_block(block) {
            return None;
        }
        return Some(Diagnostic::new(
            &BROKEN_BLOCK,
            span,
            format!("block `^{block}` not found in {whose}"),
        ));
    }
    if facts.has_heading(fragment) || (markdown && facts.has_anchor(fragment)) {
        return None;
    }
    let last = fragment.rsplit('#').next().unwrap_or(fragment);
    // A Markdown link written as an anchor (`#key-feature`) gets anchors back.
    let as_anchor = markdown && !last.contains(char::is_whitespace);
    let closest: Vec<String> = if as_anchor {
        let anchors = facts.anchors();
        suggest::closest_n(last, anchors.iter().map(String::as_str), 3)
            .into_iter()
            .map(|a| format!("#{a}"))
            .collect()
    } else {
        let shown: Vec<String> = facts.heading_texts().map(heading_as_suggested).collect();
        suggest::closest_n(last, shown.iter().map(String::as_str), 3)
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    let mut diagnostic = Diagnostic::new(
        &BROKEN_HEADING,
        span,
        format!("heading `{fragment}` not found in {whose}"),
    );
    if !closest.is_empty() {
        let closest: Vec<&str> = closest.iter().map(String::as_str).collect();
        diagnostic = diagnostic.with_help(format!("did you mean {}?", suggest::one_of(&closest)));
    } else if !facts.has_headings() {
        diagnostic = diagnostic.with_help(format!("{whose} has no headings"));
    }
    Some(diagnostic)
}

/// A heading as did-you-mean names it: as it reads, without Markdown markup (`List` for
/// ``## `List` ``), when a link written so still finds it; else as written.
fn heading_as_suggested(text: &str) -> String {
    if !text.contains(|c: char| c.is_ascii_punctuation()) {
        return text.to_owned();
    }
    let plain = body::heading_plain_text(text);
    if !plain.is_empty() && normalize_heading(&plain) == normalize_heading(text) {
        plain
    } else {
        text.to_owned()
    }
}

/// Every link the link rules check in `note` (the body's, then with `links.frontmatter`
/// the frontmatter's), each with the top-level frontmatter key holding it: what the
/// language server resolves for navigation and backlinks.
pub fn links_of(note: &Note, config: &Config) -> Vec<(Link, Option<String>)> {
    let mut links: Vec<(Link, Option<String>)> = note
        .body
        .links
        .iter()
        .cloned()
        .map(|link| (link, None))
        .collect();
    if config.settings.links.frontmatter {
        links.extend(
            note.frontmatter_links()
                .into_iter()
                .map(|found| (found.link, found.field)),
        );
    }
    links
}

/// The file names (folded) the links of `note` can resolve to: what editor mode needs
/// from the vault's walk instead of every name.
pub fn target_file_names(note: &Note, config: &Config) -> crate::walk::NameFilter {
    let mut names = crate::walk::NameFilter::default();
    let extensions = &config.settings.vault.extensions;
    let add_note = |stem: &str, names: &mut crate::walk::NameFilter| {
        for extension in extensions {
            names.insert(crate::text::fold(&format!("{stem}.{extension}")));
        }
    };
    // A folder link opens the folder's index note.
    for index in ["index", "_index", "readme"] {
        add_note(index, &mut names);
    }
    let mut links: Vec<Link> = note.body.links.clone();
    if config.settings.links.frontmatter {
        links.extend(note.frontmatter_links().into_iter().map(|found| found.link));
    }
    for link in &links {
        // The display text of a wikilink too: a broken link's help checks whether it
        // names a note (`swapped_help`).
        let display = match link.kind {
            LinkKind::Wiki | LinkKind::WikiEmbed => link.display.as_deref(),
            _ => None,
        }
        .map(|display| display.split('#').next().unwrap_or_default());
        for target in std::iter::once(link.target.as_str()).chain(display) {
            let target = target.trim().trim_end_matches('/');
            let Some(name) = target.rsplit('/').next().filter(|n| !n.is_empty()) else {
                continue;
            };
            // `Note`, `Note.md`, `image.png`, or a note whose name has a dot (`v1.2 notes`).
            names.insert(crate::text::fold(name));
            add_note(name, &mut names);
        }
    }
    if let Some(own) = note.path.rsplit('/').next() {
        names.insert(crate::text::fold(own));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::Walk;

    fn link(kind: LinkKind, fragment: &str) -> Link {
        Link {
            kind,
            target: String::new(),
            fragment: Some(fragment.to_owned()),
            display: None,
            span: 0..1,
            target_span: 0..0,
            fragment_span: Some(1..2),
            in_comment: false,
        }
    }

    #[test]
    fn markdown_links_may_name_a_heading_by_its_anchor() {
        let texts = ["What's in a Foam?", "Key Features", "Options", "Options"];
        let facts = NoteFacts::with_names(texts.iter().map(|t| (2, *t)), []);
        let md =
            |f: &str| fragment_finding(f, &link(LinkKind::Markdown, f), &facts, "this note", true);
        let wiki =
            |f: &str| fragment_finding(f, &link(LinkKind::Wiki, f), &facts, "this note", false);
        // `[t](#whats-in-a-foam)` as GitHub, VS Code and docs sites write it.
        assert!(md("whats-in-a-foam").is_none());
        assert!(md("options-1").is_none());
        // Obsidian's own form still works in both.
        assert!(md("Key Features").is_none());
        assert!(wiki("key features").is_none());
        // A slug is not a heading in a wikilink (Obsidian does not read it so).
        let d = wiki("key-features").expect("slug in a wikilink");
        assert_eq!(d.code(), "links/broken-heading");
        // A stale anchor is still reported, with anchors as the did-you-mean.
        let d = md("publish-your-site").expect("stale anchor");
        assert_eq!(
            d.message,
            "heading `publish-your-site` not found in this note"
        );
        let d = md("key-feature").expect("typo");
        assert_eq!(d.help.as_deref(), Some("did you mean `#key-features`?"));
        let d = md("Key Feature").expect("typo");
        assert_eq!(d.help.as_deref(), Some("did you mean `Key Features`?"));
    }

    fn walk_of(paths: &[&str]) -> Walk {
        Walk::of_paths(paths)
    }

    #[test]
    fn swapped_target_and_text_get_a_specific_help() {
        let config = Config::defaults(std::path::PathBuf::from("."));
        let walk = walk_of(&["dendron.topic.lookup.md", "a.md"]);
        let index = VaultIndex::new(&walk);
        let links = Links {
            config: &config,
            index: &index,
            walk: Some(&walk),
        };
        let text = "[[docs|dendron.topic.lookup#modifiers]] [[docs|nothing]] [[dendron.topic.lookup|docs]]\n";
        let options = config.parse_options();
        let note = Note::parse("a.md".into(), text.to_owned(), &options);
        let origin = index.origin("a.md");
        let (found, _) = links.check(&note, &origin, &NoteFacts::default());
        let helps: Vec<_> = found.iter().map(|d| d.help.as_deref()).collect();
        assert_eq!(
            helps,
            [
                Some(
                    "`dendron.topic.lookup` is a note: Obsidian reads `[[target|text]]`, \
                     so write `[[dendron.topic.lookup#modifiers|docs]]`"
                ),
                None,
            ]
        );
    }
}
