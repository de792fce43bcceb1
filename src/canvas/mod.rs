//! Obsidian canvases (`.canvas`, JSON Canvas 1.0): the links a canvas holds — file nodes
//! (with their `subpath`), group backgrounds, and the links in text nodes' Markdown — each
//! at its exact span in the canvas file, so findings point there and `mv` rewrites there.

pub mod json;

use crate::diagnostic::Span;
use crate::note::Note;
use crate::note::body::{self, BodyScan, Link, LinkKind, ScanOptions};

/// Whether a vault-relative path names a canvas (checked whatever `vault.extensions` says).
pub fn is_canvas(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("canvas"))
}

/// Where in the canvas a link is written, which decides how a new target is written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A file node's `file` or a group's `background`: the whole JSON string is the path.
    Path,
    /// Inside a text node's `text`: Markdown whose bytes are JSON-escaped in the file.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanvasLink {
    pub link: Link,
    pub place: Place,
}

/// Every link of a canvas, in file order; nothing for a file that is not valid JSON.
pub fn links(text: &str, options: &ScanOptions) -> Vec<CanvasLink> {
    let Some(root) = json::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in root
        .get("nodes")
        .and_then(json::Json::as_array)
        .unwrap_or_default()
    {
        let kind = node
            .get("type")
            .and_then(json::Json::as_string)
            .map(|(t, _)| t);
        match kind {
            Some("file") => {
                if let Some(link) = file_link(node) {
                    out.push(CanvasLink {
                        link,
                        place: Place::Path,
                    });
                }
            }
            Some("group") => {
                if let Some((path, span)) = node.get("background").and_then(json::Json::as_string)
                    && !path.is_empty()
                {
                    out.push(CanvasLink {
                        link: path_link(path, span.clone()),
                        place: Place::Path,
                    });
                }
            }
            Some("text") => {
                if let Some((_, span)) = node.get("text").and_then(json::Json::as_string) {
                    out.extend(text_links(text, span, options));
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|l| l.link.span.start);
    out
}

/// A file node: its `file`, with the `subpath` (`#Heading`, `#^block`) as the fragment.
fn file_link(node: &json::Json) -> Option<Link> {
    let (path, span) = node.get("file")?.as_string()?;
    let mut link = path_link(path, span.clone());
    if let Some((subpath, span)) = node.get("subpath").and_then(json::Json::as_string)
        && let Some(fragment) = subpath.strip_prefix('#').filter(|f| !f.is_empty())
        // The fragment's span is exact only when it is written without escapes.
        && span.len() == subpath.len()
    {
        link.fragment = Some(fragment.to_owned());
        link.fragment_span = Some(span.start + 1..span.end);
    }
    Some(link)
}

fn path_link(path: &str, span: Span) -> Link {
    Link {
        kind: LinkKind::CanvasFile,
        target: path.to_owned(),
        fragment: None,
        display: None,
        span: span.clone(),
        target_span: span,
        fragment_span: None,
        in_comment: false,
    }
}

/// The links in a text node's Markdown, their spans moved from the decoded text to the
/// escaped bytes of the file.
fn text_links(text: &str, contents: &Span, options: &ScanOptions) -> Vec<CanvasLink> {
    let Some(raw) = text.get(contents.clone()) else {
        return Vec::new();
    };
    if !raw.contains('[') {
        return Vec::new();
    }
    let Some((markdown, map)) = json::decode(raw) else {
        return Vec::new();
    };
    let to_file = |at: usize| contents.start + map.get(at).copied().unwrap_or(raw.len());
    let span_in_file = |span: &Span| to_file(span.start)..to_file(span.end);
    body::scan(&markdown, 0, options)
        .links
        .into_iter()
        .map(|mut link| {
            link.span = span_in_file(&link.span);
            link.target_span = span_in_file(&link.target_span);
            link.fragment_span = link.fragment_span.as_ref().map(span_in_file);
            CanvasLink {
                link,
                place: Place::Text,
            }
        })
        .collect()
}

/// A canvas as the link rules read a note: no frontmatter, its links as the body's.
pub fn as_note(path: String, text: String, options: &ScanOptions) -> Note {
    let links = links(&text, options).into_iter().map(|l| l.link).collect();
    let body = BodyScan {
        links,
        ..BodyScan::default()
    };
    Note::with_body(path, text, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_nodes_backgrounds_and_text_links_at_their_spans() {
        let text = r##"{"nodes":[
 {"id":"1","type":"file","file":"Notes/A.md","subpath":"#Plan","x":0,"y":0,"width":1,"height":1},
 {"id":"2","type":"group","background":"img/bg.png","label":"G"},
 {"id":"3","type":"text","text":"See \"[[B#^x|b]]\"\nand [c](C%20D.md)"},
 {"id":"4","type":"link","url":"https://example.com"}
],"edges":[]}"##;
        let found = links(text, &ScanOptions::default());
        let shown: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|l| {
                (
                    &text[l.link.target_span.clone()],
                    l.link.target.as_str(),
                    l.link.fragment_span.clone().map(|f| &text[f]),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("Notes/A.md", "Notes/A.md", Some("Plan")),
                ("img/bg.png", "img/bg.png", None),
                ("B", "B", Some("^x")),
                ("C%20D.md", "C D.md", None),
            ]
        );
        assert_eq!(&text[found[2].link.span.clone()], "[[B#^x|b]]");
        assert!(links("{not json", &ScanOptions::default()).is_empty());
    }
}
