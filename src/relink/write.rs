//! Writing a link's new target in the link's own style: a bare name stays bare while it
//! still reaches the file from that note (else it gains just enough path), a path stays a
//! path (the whole path, or as many folders as before, or more), a relative path is
//! recomputed from the note's new folder; `.md` kept or left out as written, the name's
//! case kept when the name did not change. Then the bytes: Markdown percent-encoding and
//! `<...>` as the link had them, JSON escapes in canvases.

use crate::canvas::json;
use crate::note::body::{Link, LinkKind};

use super::resolve::{View, same_name};

/// How a link names its target's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `[[Name]]`: the name alone.
    Bare,
    /// `[[Folder/Name]]`: the last `n` components of the path.
    Suffix(usize),
    /// The whole path from the vault root (`/` in front when written so).
    Full { slash: bool },
    /// `./x`, `../x`, or a Markdown path from the note's folder.
    Relative { dot: bool },
}

/// How a link was written, read from the vault before the move.
#[derive(Debug, Clone)]
pub struct Written {
    pub style: PathStyle,
    /// A note named with its `.md`.
    pub md_ext: bool,
    /// The name as written (its last component), kept when the file keeps its name.
    pub name: String,
}

fn is_md(name: &str) -> bool {
    name.len() > 3
        && name
            .get(name.len() - 3..)
            .is_some_and(|e| e.eq_ignore_ascii_case(".md"))
}

fn strip_md(name: &str) -> &str {
    if is_md(name) {
        &name[..name.len() - 3]
    } else {
        name
    }
}

/// The style of `link`, written in the note at `source`, which reaches the file `target`
/// (both vault-relative) in `before`.
pub fn style_of(before: &View<'_>, source: &str, link: &Link, target: &str) -> Written {
    let written = link.target.trim();
    let name = written.rsplit('/').next().unwrap_or(written).to_owned();
    let md_ext = before.is_note(target) && is_md(&name);
    let style = match link.kind {
        LinkKind::CanvasFile => PathStyle::Full { slash: false },
        _ if written.starts_with("./") || written.starts_with("../") => PathStyle::Relative {
            dot: written.starts_with("./"),
        },
        LinkKind::Markdown | LinkKind::MarkdownImage => {
            let reaches =
                |dest: &str| before.resolve_target(source, link.kind, dest) == Some(target);
            if written.starts_with('/') {
                PathStyle::Full { slash: true }
            } else if reaches(&format!("./{written}")) {
                PathStyle::Relative { dot: false }
            } else if reaches(&format!("/{written}")) {
                PathStyle::Full { slash: false }
            } else {
                wiki_style(before, written, target)
            }
        }
        LinkKind::Wiki | LinkKind::WikiEmbed => wiki_style(before, written, target),
    };
    Written {
        style,
        md_ext,
        name,
    }
}

/// A name or a path, as Obsidian reads wikilinks.
fn wiki_style(before: &View<'_>, written: &str, target: &str) -> PathStyle {
    let slash = written.starts_with('/');
    let path = written.trim_start_matches('/');
    if !path.contains('/') && !slash {
        return PathStyle::Bare;
    }
    let (_, scoped) = before.scoped(target);
    let full = if before.is_note(target) {
        same_name(strip_md(path), strip_md(scoped))
    } else {
        same_name(path, scoped)
    };
    if full {
        PathStyle::Full { slash }
    } else {
        PathStyle::Suffix(path.split('/').count())
    }
}

/// The new target (as a path, before any encoding) for a link written `written` in the
/// note now at `source`, so that it reaches `target` in `after`: the link's own style
/// first, then with more of the path until it reaches `target` alone.
pub fn new_target(
    after: &View<'_>,
    source: &str,
    kind: LinkKind,
    written: &Written,
    target: &str,
) -> Result<String, String> {
    let (source_scope, source_path) = after.scoped(source);
    let (target_scope, path) = after.scoped(target);
    if source_scope != target_scope {
        return Err("the file would be in another vault than the link".to_owned());
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    let last = parts.pop().unwrap_or_default();
    let mut name = if after.is_note(target) && !written.md_ext {
        strip_md(last).to_owned()
    } else {
        last.to_owned()
    };
    if same_name(&name, &written.name) {
        name.clone_from(&written.name);
    }
    // Path suffixes of 1, 2, ... components, the whole path last.
    let suffix = |n: usize| -> String {
        let folders = &parts[parts.len() - n.min(parts.len())..];
        folders
            .iter()
            .copied()
            .chain(std::iter::once(name.as_str()))
            .collect::<Vec<_>>()
            .join("/")
    };
    let whole = parts.len();
    let candidates: Vec<String> = match written.style {
        PathStyle::Bare => (0..=whole).map(suffix).collect(),
        PathStyle::Suffix(n) => (n.saturating_sub(1).min(whole)..=whole)
            .map(suffix)
            .collect(),
        PathStyle::Full { slash } => {
            vec![format!("{}{}", if slash { "/" } else { "" }, suffix(whole))]
        }
        PathStyle::Relative { dot } => {
            let folder = source_path.rsplit_once('/').map_or("", |(f, _)| f);
            // A wikilink is relative only with `./` or `../` in front.
            let wiki = matches!(kind, LinkKind::Wiki | LinkKind::WikiEmbed);
            vec![relative(folder, &parts, &name, dot || wiki)]
        }
    };
    candidates
        .into_iter()
        .find(|candidate| after.resolve_target(source, kind, candidate) == Some(target))
        .ok_or_else(|| format!("no way to write it that reaches `{target}` after the move"))
}

/// The path from `folder` to `parts`/`name`, with `../` as needed (`./` in front when
/// `dot` and the path does not climb).
fn relative(folder: &str, parts: &[&str], name: &str, dot: bool) -> String {
    let from: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(parts).take_while(|(a, b)| a == b).count();
    let ups = from.len() - common;
    let mut out = "../".repeat(ups);
    if dot && ups == 0 {
        out.push_str("./");
    }
    for part in &parts[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(name);
    out
}

/// The new target as the bytes of a wikilink (body, frontmatter or canvas text), or why
/// a wikilink cannot name it.
pub fn wiki_bytes(target: &str) -> Result<String, String> {
    if target.contains(['|', '#', '\n', '\r', '^'])
        || target.contains("]]")
        || target.contains("[[")
    {
        return Err(format!("a wikilink cannot name `{target}`"));
    }
    Ok(target.to_owned())
}

/// The new target as the bytes of a Markdown destination, encoded as the old one was
/// (`written`: its bytes; `angle`: inside `<...>`): `%20` or a space, non-ASCII encoded
/// when it was, and whatever a destination cannot hold as it is always encoded.
pub fn markdown_bytes(target: &str, written: &str, angle: bool) -> String {
    let encoded_space = written.contains("%20") || !angle;
    let encoded_non_ascii = has_encoded_non_ascii(written);
    let balanced = {
        let mut depth = 0i32;
        target.chars().all(|c| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth >= 0
        }) && depth == 0
    };
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        let encode = match c {
            ' ' => encoded_space,
            '%' | '#' | '<' | '>' | '\\' => true,
            '(' | ')' => !angle && !balanced,
            c if c.is_control() => true,
            c if !c.is_ascii() => encoded_non_ascii,
            _ => false,
        };
        if encode {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a destination percent-encodes non-ASCII (`Caf%C3%A9.md`).
fn has_encoded_non_ascii(written: &str) -> bool {
    written.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(w[1], b'8'..=b'9' | b'A'..=b'F' | b'a'..=b'f')
            && w[2].is_ascii_hexdigit()
    })
}

/// Bytes for inside a canvas's JSON string.
pub fn json_bytes(text: &str) -> String {
    json::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_as_needed() {
        assert_eq!(relative("a/b", &["a", "c"], "N.md", false), "../c/N.md");
        assert_eq!(relative("a", &["a"], "N.md", true), "./N.md");
        assert_eq!(relative("", &["x"], "N", false), "x/N");
        assert_eq!(relative("a/b", &[], "N", true), "../../N");
    }

    #[test]
    fn markdown_destinations_keep_their_encoding() {
        assert_eq!(
            markdown_bytes("My Note.md", "Old%20Note.md", false),
            "My%20Note.md"
        );
        assert_eq!(
            markdown_bytes("My Note.md", "Old Note.md", true),
            "My Note.md"
        );
        assert_eq!(
            markdown_bytes("Café #1.md", "Caf%C3%A9.md", false),
            "Caf%C3%A9%20%231.md"
        );
        assert_eq!(markdown_bytes("Café.md", "Cafe.md", false), "Café.md");
        assert_eq!(markdown_bytes("a (b).md", "x.md", false), "a%20(b).md");
        assert_eq!(markdown_bytes("a (b.md", "x.md", false), "a%20%28b.md");
    }
}
