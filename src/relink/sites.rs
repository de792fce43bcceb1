//! Every link of a note or canvas with the place it is written in — the body, a frontmatter
//! string (and which one), a canvas path or a canvas text node — which decides how a new
//! target is written there. Links come in a fixed order (frontmatter, then body; a canvas
//! in file order), so the links of an edited text pair up with the original's.

use crate::canvas;
use crate::note::body::{self, Link};
use crate::note::{Note, ParseOptions};
use crate::yaml::{Node, Value};

/// One step from a top-level frontmatter value down to a nested string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Item(usize),
    Key(String),
}

/// A wikilink inside a frontmatter string.
#[derive(Debug, Clone)]
pub struct InFrontmatter<'n> {
    /// The top-level key holding it.
    pub key: String,
    /// From the key's value down to the string (empty: the value is the string).
    pub route: Vec<Step>,
    /// The string node.
    pub node: &'n Node,
    /// The string is an item of a flow list (`[..]`), which changes what may be written.
    pub in_flow: bool,
    /// Which of the string's links this is (0 for the first).
    pub nth: usize,
}

#[derive(Debug, Clone)]
pub enum Place<'n> {
    /// Markdown: the bytes of the file are the link's bytes.
    Body,
    Frontmatter(InFrontmatter<'n>),
    /// A canvas file node's `file` or a group's `background` (a JSON string).
    CanvasPath,
    /// A link in a canvas text node (Markdown inside a JSON string).
    CanvasText,
}

#[derive(Debug, Clone)]
pub struct Site<'n> {
    pub link: Link,
    pub place: Place<'n>,
}

/// A file whose links are read: a parsed note, or a canvas.
pub enum Source {
    Note(Box<Note>),
    Canvas {
        text: String,
        links: Vec<canvas::CanvasLink>,
    },
}

impl Source {
    pub fn parse(rel: &str, text: String, options: &ParseOptions) -> Source {
        if canvas::is_canvas(rel) {
            let links = canvas::links(&text, &options.scan);
            Source::Canvas { text, links }
        } else {
            Source::Note(Box::new(Note::parse(rel.to_owned(), text, options)))
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Source::Note(note) => &note.text,
            Source::Canvas { text, .. } => text,
        }
    }

    pub fn note(&self) -> Option<&Note> {
        match self {
            Source::Note(note) => Some(note),
            Source::Canvas { .. } => None,
        }
    }

    /// Every link, frontmatter first, then the body (a canvas: in file order).
    pub fn sites(&self) -> Vec<Site<'_>> {
        match self {
            Source::Note(note) => of_note(note),
            Source::Canvas { links, .. } => of_canvas(links),
        }
    }
}

/// A note's links: frontmatter first, then the body.
pub fn of_note(note: &Note) -> Vec<Site<'_>> {
    let mut sites = frontmatter_sites(note);
    sites.extend(note.body.links.iter().map(|link| Site {
        link: link.clone(),
        place: Place::Body,
    }));
    sites
}

/// A canvas's links, in file order.
pub fn of_canvas(links: &[canvas::CanvasLink]) -> Vec<Site<'static>> {
    links
        .iter()
        .map(|l| Site {
            link: l.link.clone(),
            place: match l.place {
                canvas::Place::Path => Place::CanvasPath,
                canvas::Place::Text => Place::CanvasText,
            },
        })
        .collect()
}

/// Wikilinks in frontmatter strings, at any depth, in document order.
fn frontmatter_sites(note: &Note) -> Vec<Site<'_>> {
    let Some(fm) = note.parsed() else {
        return Vec::new();
    };
    let Some(entries) = fm.root().as_map() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        let Some(key) = entry.key.as_str() else {
            continue;
        };
        // (node, route, parent is a flow list), depth-first in document order.
        let mut stack: Vec<(&Node, Vec<Step>, bool)> = vec![(&entry.value, Vec::new(), false)];
        while let Some((node, route, in_flow)) = stack.pop() {
            match &node.value {
                Value::String(_) => {
                    let span = fm.span(&node.span);
                    let Some(raw) = note.text.get(span.clone()) else {
                        continue;
                    };
                    if !raw.contains("[[") {
                        continue;
                    }
                    for (nth, link) in body::wikilinks_in(raw, span.start).into_iter().enumerate() {
                        out.push(Site {
                            link,
                            place: Place::Frontmatter(InFrontmatter {
                                key: key.to_owned(),
                                route: route.clone(),
                                node,
                                in_flow,
                                nth,
                            }),
                        });
                    }
                }
                Value::Seq(items) => {
                    let flow = node.style == crate::yaml::Style::Flow;
                    for (i, item) in items.iter().enumerate().rev() {
                        let mut route = route.clone();
                        route.push(Step::Item(i));
                        stack.push((item, route, flow));
                    }
                }
                Value::Map(entries) => {
                    let flow = node.style == crate::yaml::Style::Flow;
                    for entry in entries.iter().rev() {
                        let mut route = route.clone();
                        route.push(Step::Key(entry.key.key_string().into_owned()));
                        stack.push((&entry.value, route, flow));
                    }
                }
                _ => {}
            }
        }
    }
    out
}
