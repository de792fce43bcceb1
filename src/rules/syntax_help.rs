//! Help for the YAML syntax errors people make most in frontmatter: a plain value that
//! starts with a character YAML reserves (`@kepano`, `` `code` ``, `*`, `&`, `!`, `|`,
//! `>`), `: ` inside an unquoted value, text after a quoted value, and tab indentation.
//! Each gets the fix spelt out: usually the value, quoted.

use crate::diagnostic::Span;

/// Help for a syntax error with parser message `message` at `span` of the note's `text`.
pub(super) fn help(text: &str, span: &Span, message: &str) -> Option<String> {
    if message.contains("tab") {
        return Some("indent with spaces: YAML does not allow tabs in indentation".to_owned());
    }
    let first = text.get(span.start..)?.chars().next()?;
    if message.contains("mapping values are not allowed") {
        let value = value_of(line_around(text, span.start)?)?;
        return Some(format!(
            "`: ` inside an unquoted value starts a new key: quote the value: {}",
            code(&quoted(value))
        ));
    }
    if message.contains("trailing content after") {
        let value = value_of(line_around(text, span.start)?)?;
        return Some(format!(
            "the quotes close before the value ends: quote the whole value: {}",
            code(&quoted(value))
        ));
    }
    let what = match first {
        '*' => "`*` starts an alias to an anchor".to_owned(),
        '&' => "`&` starts an anchor".to_owned(),
        '!' => "`!` starts a tag".to_owned(),
        '|' | '>' if message.contains("block scalar") => {
            format!("`{first}` starts a block of text on the lines below")
        }
        '@' | '`' | '%' => format!(
            "{} cannot start an unquoted value",
            code(&first.to_string())
        ),
        _ => return None,
    };
    let value = token_at(text, span.start)?;
    Some(format!("{what}: quote the value: {}", code(&quoted(value))))
}

/// The line holding `at`, without its line break.
fn line_around(text: &str, at: usize) -> Option<&str> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    text.get(start..end).map(|line| line.trim_end_matches('\r'))
}

/// The value of a `key: value` or `- value` line, as written.
fn value_of(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix("- ").unwrap_or(rest).trim_start();
    let value = match rest.find(": ") {
        Some(colon) => &rest[colon + 2..],
        None => rest,
    };
    Some(value.trim()).filter(|v| !v.is_empty())
}

/// The plain value that starts at `at`: to the end of its line, or inside `[...]` and
/// `{...}` to the next `,`, `]` or `}`; without a trailing comment.
fn token_at(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?;
    let line_before = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let opened = line_before.matches(['[', '{']).count();
    let in_flow = opened > line_before.matches([']', '}']).count();
    let rest = text.get(at..)?;
    let rest = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let end = if in_flow {
        rest.find([',', ']', '}']).unwrap_or(rest.len())
    } else {
        rest.find(" #").unwrap_or(rest.len())
    };
    Some(rest[..end].trim()).filter(|t| !t.is_empty())
}

/// `text` as inline code, with double backticks when it holds a backtick.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// `value` as a YAML quoted scalar: single quotes, or double quotes when that needs no
/// escaping and single quotes would.
fn quoted(value: &str) -> String {
    if value.contains('\'') && !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_for(text: &str, at: &str, message: &str) -> Option<String> {
        let start = text.find(at).expect("marker in text");
        help(text, &(start..start + 1), message)
    }

    #[test]
    fn reserved_first_characters_get_the_value_quoted() {
        assert_eq!(
            help_for("author: @kepano\n", "@", "unexpected character `@`").as_deref(),
            Some("`@` cannot start an unquoted value: quote the value: `'@kepano'`")
        );
        assert_eq!(
            help_for("a: [b, @c]\n", "@", "unexpected character `@`").as_deref(),
            Some("`@` cannot start an unquoted value: quote the value: `'@c'`")
        );
        assert_eq!(
            help_for("a: {b: @c}\n", "@", "unexpected character `@`").as_deref(),
            Some("`@` cannot start an unquoted value: quote the value: `'@c'`")
        );
        assert_eq!(
            help_for("title: `code` here\n", "`", "unexpected character `` ` ``").as_deref(),
            Some("`` ` `` cannot start an unquoted value: quote the value: `` '`code` here' ``")
        );
        assert_eq!(
            help_for(
                "a: *foo # x\n",
                "*",
                "while parsing node, found unknown anchor"
            )
            .as_deref(),
            Some("`*` starts an alias to an anchor: quote the value: `'*foo'`")
        );
        assert_eq!(
            help_for(
                "a: | it's\n",
                "|",
                "while scanning a block scalar, did not find"
            )
            .as_deref(),
            Some("`|` starts a block of text on the lines below: quote the value: `\"| it's\"`")
        );
    }

    #[test]
    fn colons_quotes_and_tabs() {
        assert_eq!(
            help_for(
                "title: Meeting: notes\n",
                ": notes",
                "mapping values are not allowed in this context"
            )
            .as_deref(),
            Some(
                "`: ` inside an unquoted value starts a new key: quote the value: `'Meeting: notes'`"
            )
        );
        assert_eq!(
            help_for(
                "- a: \"x\" y\n",
                " y",
                "invalid trailing content after double-quoted scalar"
            )
            .as_deref(),
            Some("the quotes close before the value ends: quote the whole value: `'\"x\" y'`")
        );
        assert!(
            help_for("a:\n\t- b\n", "\t", "tabs disallowed within this context")
                .is_some_and(|h| h.starts_with("indent with spaces"))
        );
        assert_eq!(help_for("a: [b\n", "[", "unclosed bracket '['"), None);
    }
}
