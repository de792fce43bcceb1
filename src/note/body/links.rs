//! Link parsing: Obsidian wikilinks and embeds (hand-written, Obsidian's
//! rules), and turning pulldown-cmark's Markdown links and reference
//! definitions into [`Link`]s with exact target spans.
//!
//! pulldown-cmark tells us *that* `[text](dest)` is a link and gives the
//! unescaped destination, but not where the destination is; the small tail
//! parsers here find it in the source so diagnostics can point at it.

use memchr::memchr;

use super::{Link, LinkKind, Span};

/// Whether a link destination is a URL (`https:`, `mailto:`, `obsidian:`,
/// `//host`) rather than a path. A single letter before `:` is a Windows
/// drive (`C:\notes`), not a scheme.
///
/// A `file:` URL is not external: it names a local file, usually outside the
/// vault (`file:///etc/passwd`), so it is reported (see [`is_file_url`]), never
/// followed.
pub fn is_external(dest: &str) -> bool {
    let dest = dest.trim_start();
    if dest.starts_with("//") {
        return true;
    }
    let bytes = dest.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let scheme_len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    scheme_len >= 2
        && bytes.get(scheme_len) == Some(&b':')
        && !dest[..scheme_len].eq_ignore_ascii_case("file")
}

/// Whether a link target is a `file:` URL (`file:///C:/Users/me/Temp/x.png`): a place on
/// the disk of the computer that wrote it, never a file of the vault.
pub fn is_file_url(target: &str) -> bool {
    target
        .trim_start()
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("file:"))
}

/// Finds `[[...]]` and `![[...]]` in `text[seg]`, appending them to `out`.
///
/// Obsidian's rules: the link must close on the same line; a `[[` before the
/// closing `]]` starts over there; `\[[` is escaped text.
pub(super) fn wikilinks(text: &str, seg: Span, in_comment: bool, out: &mut Vec<Link>) {
    let bytes = text.as_bytes();
    let end = seg.end.min(bytes.len());
    let mut pos = seg.start;
    while pos < end {
        let Some(found) = bytes.get(pos..end).and_then(|b| memchr(b'[', b)) else {
            break;
        };
        let open = pos + found;
        // `[[[b]]` is `[` then `[[b]]`: the innermost `[[` opens the link.
        if open + 1 >= end
            || bytes[open + 1] != b'['
            || bytes.get(open + 2) == Some(&b'[')
            || is_escaped(bytes, open)
        {
            pos = open + 1;
            continue;
        }
        match find_close(bytes, open + 2, end) {
            Close::At(close) => {
                let embed =
                    open > seg.start && bytes[open - 1] == b'!' && !is_escaped(bytes, open - 1);
                let start = if embed { open - 1 } else { open };
                out.push(wikilink(
                    text,
                    start..close + 2,
                    open + 2..close,
                    embed,
                    in_comment,
                ));
                pos = close + 2;
            }
            Close::Reopen(next) => pos = next,
            Close::None => pos = open + 2,
        }
    }
}

enum Close {
    At(usize),
    Reopen(usize),
    None,
}

fn find_close(bytes: &[u8], from: usize, end: usize) -> Close {
    let mut k = from;
    while k < end {
        match bytes[k] {
            b'\n' | b'\r' => return Close::None,
            b']' if k + 1 < end && bytes[k + 1] == b']' => return Close::At(k),
            b'[' if k + 1 < end && bytes[k + 1] == b'[' => return Close::Reopen(k),
            _ => {}
        }
        k += 1;
    }
    Close::None
}

/// An odd number of backslashes before `pos` escapes the byte at `pos`.
fn is_escaped(bytes: &[u8], pos: usize) -> bool {
    let slashes = bytes[..pos]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    slashes % 2 == 1
}

fn wikilink(text: &str, span: Span, content: Span, embed: bool, in_comment: bool) -> Link {
    let bytes = text.as_bytes();
    let raw = &bytes[content.clone()];
    // `\|` is how a table row writes the display separator; the backslash is
    // not part of the target.
    let (left_end, display) = match memchr(b'|', raw) {
        Some(i) => {
            let pipe = content.start + i;
            let left_end = if i > 0 && raw[i - 1] == b'\\' {
                pipe - 1
            } else {
                pipe
            };
            (
                left_end,
                Some(slice(text, pipe + 1..content.end).to_owned()),
            )
        }
        None => (content.end, None),
    };
    let (target_raw, fragment_raw) = match memchr(b'#', &bytes[content.start..left_end]) {
        Some(i) => {
            let hash = content.start + i;
            (content.start..hash, Some(hash + 1..left_end))
        }
        None => (content.start..left_end, None),
    };
    let target_span = trim_span(text, target_raw);
    let fragment_span = fragment_raw
        .map(|f| trim_span(text, f))
        .filter(|f| !f.is_empty());
    Link {
        kind: if embed {
            LinkKind::WikiEmbed
        } else {
            LinkKind::Wiki
        },
        target: slice(text, target_span.clone()).to_owned(),
        fragment: fragment_span.clone().map(|f| slice(text, f).to_owned()),
        display,
        span,
        target_span,
        fragment_span,
        in_comment,
    }
}

/// The part of an inline link after its text: returns the destination as
/// written (inside `<...>` when angle-bracketed) for a link spanning `span`
/// whose text ends at or after `content_end`, plus where the `](` tail
/// starts. Tries each `](` in turn until one parses to exactly the end of the
/// link, so a `](` hidden in the link text cannot fool it.
pub(super) fn inline_tail(text: &str, span: &Span, content_end: usize) -> Option<(usize, Span)> {
    let bytes = text.as_bytes();
    let mut k = content_end.max(span.start);
    while k < span.end {
        let bracket = k + memchr(b']', bytes.get(k..span.end)?)?;
        if bytes.get(bracket + 1) == Some(&b'(')
            && let Some(dest) = paren_tail(bytes, bracket + 2, span.end)
        {
            return Some((bracket, dest));
        }
        k = bracket + 1;
    }
    None
}

/// Parses `dest "title")` from `start` and checks it ends at `end`.
fn paren_tail(bytes: &[u8], start: usize, end: usize) -> Option<Span> {
    if end == 0 || bytes.get(end - 1) != Some(&b')') {
        return None;
    }
    let close = end - 1;
    let (dest, after) = destination(bytes, start, close)?;
    let rest_ok = after == close || bytes.get(after).is_some_and(u8::is_ascii_whitespace);
    rest_ok.then_some(dest)
}

/// A link destination starting at or after whitespace from `start`, not
/// beyond `limit`: `<...>` (returned without the brackets) or a run of
/// non-space characters with balanced parentheses. Returns it and the
/// position after it.
fn destination(bytes: &[u8], start: usize, limit: usize) -> Option<(Span, usize)> {
    let mut i = start;
    while i < limit && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if bytes.get(i) == Some(&b'<') && i < limit {
        let s = i + 1;
        let mut j = s;
        while j < limit {
            match bytes[j] {
                b'>' => return Some((s..j, j + 1)),
                b'\n' | b'\r' | b'<' => return None,
                b'\\' if bytes.get(j + 1).is_some_and(u8::is_ascii_punctuation) => j += 2,
                _ => j += 1,
            }
        }
        return None;
    }
    let s = i;
    let mut depth = 0usize;
    while i < limit {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                i += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b if b <= b' ' => break,
            _ => {}
        }
        i += 1;
    }
    let i = i.min(limit);
    Some((s..i, i))
}

/// The destination of a reference definition `[label]: dest "title"`.
pub(super) fn definition_dest(text: &str, span: &Span) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut i = span.start + 1;
    while i < span.end {
        match bytes[i] {
            b'\\' => i += 2,
            b']' => break,
            _ => i += 1,
        }
    }
    if bytes.get(i + 1) != Some(&b':') {
        return None;
    }
    let (dest, _) = destination(bytes, i + 2, span.end)?;
    Some(dest)
}

/// A Markdown link or image with destination `dest` (already unescaped by
/// pulldown-cmark) written at `dest_span` (if found). `None` for external
/// URLs, which are not checked.
pub(super) fn markdown_link(
    text: &str,
    kind: LinkKind,
    dest: &str,
    span: Span,
    dest_span: Option<Span>,
    in_comment: bool,
) -> Option<Link> {
    if is_external(dest) || is_template(dest) {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let (target_span, fragment_span) = match dest_span {
        Some(d) => match memchr(b'#', text.as_bytes().get(d.clone())?) {
            Some(i) => (d.start..d.start + i, Some(d.start + i + 1..d.end)),
            None => (d, None),
        },
        None => (span.clone(), None),
    };
    Some(Link {
        kind,
        target: percent_decode(path),
        fragment: fragment.map(percent_decode),
        display: None,
        fragment_span: fragment_span.filter(|_| fragment.is_some()),
        span,
        target_span,
        in_comment,
    })
}

/// A destination built by a template or shortcode (`{{% eturl rss %}}`,
/// `{{< relref "x" >}}`, `{{date}}`): its target is only known once the site or the
/// template is rendered, so it cannot be checked.
fn is_template(dest: &str) -> bool {
    dest.find("{{")
        .is_some_and(|open| dest[open + 2..].contains("}}"))
}

/// `My%20Note.md` -> `My Note.md`; invalid escapes or non-UTF-8 results keep
/// the text as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).and_then(|&b| hex(b));
            let lo = bytes.get(i + 2).and_then(|&b| hex(b));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// `span` without surrounding whitespace (empty at its end if all blank).
pub(super) fn trim_span(text: &str, span: Span) -> Span {
    let s = slice(text, span.clone());
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    start..end.max(start)
}

/// Slicing that cannot panic; callers pass ASCII-delimited ranges, so the
/// empty fallback is never expected to be hit.
pub(super) fn slice(text: &str, span: Span) -> &str {
    text.get(span).unwrap_or_default()
}
