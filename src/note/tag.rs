//! What Obsidian accepts in a tag (SPEC 1.3): the one definition of a tag character and of
//! a valid tag name, used by the body scanner (where a `#tag` ends), the tags rules (which
//! frontmatter and body tags are `tags/invalid`) and the configuration (a valid review
//! tag), so they never disagree; and the one comparison key of a tag ([`tag_key`]).
//!
//! Obsidian's rule is a blacklist: every character is allowed except whitespace, ASCII
//! punctuation other than `_`, `-` and `/`, and the Unicode punctuation blocks
//! U+2000–U+206F and U+2E00–U+2E7F. Letters of every script, digits, emoji and other
//! symbols are fine (`#日本語`, `#🌲seedling`). The zero-width joiner U+200D lies in the
//! excluded block but holds emoji sequences together (👨‍💻), so it counts inside one.

use unicode_general_category::{GeneralCategory, get_general_category};

use crate::text::fold;

const ZERO_WIDTH_JOINER: char = '\u{200d}';
const EMOJI_PRESENTATION: char = '\u{fe0f}';

/// Why a tag name (without its `#`) is not a valid tag, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagProblem {
    Empty,
    Whitespace,
    /// The first character that cannot be in a tag.
    Char(char),
    /// `a//b`, `/a`, `a/`: each level of a nested tag needs a name.
    EmptySegment,
    /// `2025`: a tag needs at least one character that is not a digit.
    AllDigits,
}

/// What is wrong with `name` (without a leading `#`) as a tag, if anything.
pub fn problem(name: &str) -> Option<TagProblem> {
    if name.is_empty() {
        return Some(TagProblem::Empty);
    }
    if name.contains(char::is_whitespace) {
        return Some(TagProblem::Whitespace);
    }
    if let Some(bad) = name[tag_len(name)..].chars().next() {
        return Some(TagProblem::Char(bad));
    }
    if name.split('/').any(str::is_empty) {
        return Some(TagProblem::EmptySegment);
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Some(TagProblem::AllDigits);
    }
    None
}

/// The one comparison key of a tag name (a leading `#` dropped): NFC and lower case, as
/// Obsidian compares tags, and the review tag's variants (`Needs_Review`, `needs review`)
/// read as the review tag itself.
pub fn tag_key(name: &str, review_tag: &str) -> String {
    let key = fold(name.strip_prefix('#').unwrap_or(name));
    let review = fold(review_tag.strip_prefix('#').unwrap_or(review_tag));
    let variant = |s: &str| s.replace(['_', ' '], "-");
    if key != review && variant(&key) == variant(&review) {
        review
    } else {
        key
    }
}

/// Why a tag name (without its `#`) is malformed: a message tail and a help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Completes "tag `x` ...": `has an empty segment`.
    pub reason: String,
    pub help: &'static str,
}

/// Whether `name` (without a leading `#`) is a valid tag by SPEC 1.3.
pub fn why_invalid(name: &str) -> Option<Invalid> {
    let invalid = |reason: String, help| Some(Invalid { reason, help });
    match problem(name)? {
        TagProblem::Empty => invalid("is empty".into(), "write the tag's name after the `#`"),
        TagProblem::Whitespace => invalid(
            "contains whitespace".into(),
            "a tag cannot hold spaces: join the words with `-` or `_`, or list them as separate tags",
        ),
        TagProblem::Char(bad) => invalid(
            format!("contains {}", shown_char(bad)),
            "a tag cannot hold punctuation other than `_`, `-` and `/`",
        ),
        TagProblem::EmptySegment => invalid(
            "has an empty segment".into(),
            "remove the extra `/`: each level of a nested tag needs a name",
        ),
        TagProblem::AllDigits => invalid(
            "is all digits".into(),
            "a tag needs at least one character that is not a digit, e.g. `y2025`",
        ),
    }
}

/// `` `.` ``, or `U+200B` for a character that would not show (joiners, direction marks).
fn shown_char(c: char) -> String {
    if c.is_control() || get_general_category(c) == GeneralCategory::Format {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

/// The length in bytes of the run of tag characters that starts `text`: where a body
/// `#tag` ends. A zero-width joiner counts only between an emoji (with its modifiers) and
/// the emoji it joins.
pub fn tag_len(text: &str) -> usize {
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let allowed = if c == ZERO_WIDTH_JOINER {
            previous.is_some_and(ends_emoji)
                && chars.peek().is_some_and(|&(_, next)| is_emoji(next))
        } else {
            !is_excluded(c)
        };
        if !allowed {
            return at;
        }
        previous = Some(c);
    }
    text.len()
}

/// Characters that never belong to a tag (the zero-width joiner is among them unless it
/// joins emoji; [`tag_len`] decides that).
fn is_excluded(c: char) -> bool {
    c.is_whitespace()
        || (c.is_ascii_punctuation() && !matches!(c, '_' | '-' | '/'))
        || ('\u{2000}'..='\u{206f}').contains(&c)
        || ('\u{2e00}'..='\u{2e7f}').contains(&c)
}

/// Whether `c` is an emoji or another pictographic symbol (general category So: 🌲, 🎉,
/// ✅, ©). Tags and heading links keep these where they drop punctuation.
pub fn is_emoji(c: char) -> bool {
    !c.is_ascii() && get_general_category(c) == GeneralCategory::OtherSymbol
}

/// Whether `c` can end an emoji that a zero-width joiner continues: the emoji itself, its
/// emoji-presentation selector (❤️‍🔥) or a skin-tone modifier (👩🏽‍💻).
fn ends_emoji(c: char) -> bool {
    is_emoji(c) || c == EMOJI_PRESENTATION || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_letters_emoji_and_symbols_are_tag_characters() {
        for name in [
            "日本語",
            "🌲seedling",
            "0🌲",
            "emoji🎉",
            "🎉party",
            "café",
            "Cafe\u{301}",
            "a_b-c/d",
            "👨‍💻dev",
            "❤️‍🔥",
            "👩🏽‍💻",
            "y2025",
            "123/456",
        ] {
            assert_eq!(problem(name), None, "{name}");
            assert_eq!(tag_len(name), name.len(), "{name}");
        }
    }

    #[test]
    fn punctuation_whitespace_and_empty_segments_are_not() {
        assert_eq!(problem(""), Some(TagProblem::Empty));
        assert_eq!(problem("a b"), Some(TagProblem::Whitespace));
        assert_eq!(problem("a\u{a0}b"), Some(TagProblem::Whitespace));
        assert_eq!(problem("a.b"), Some(TagProblem::Char('.')));
        assert_eq!(problem("tag’s"), Some(TagProblem::Char('’')));
        assert_eq!(problem("wait…"), Some(TagProblem::Char('…')));
        assert_eq!(problem("a\u{2e2e}"), Some(TagProblem::Char('\u{2e2e}')));
        assert_eq!(problem("a//b"), Some(TagProblem::EmptySegment));
        assert_eq!(problem("/a"), Some(TagProblem::EmptySegment));
        assert_eq!(problem("a/"), Some(TagProblem::EmptySegment));
        assert_eq!(problem("2025"), Some(TagProblem::AllDigits));
    }

    #[test]
    fn a_joiner_counts_only_inside_an_emoji_sequence() {
        assert_eq!(problem("a\u{200d}b"), Some(TagProblem::Char('\u{200d}')));
        assert_eq!(problem("🎉\u{200d}"), Some(TagProblem::Char('\u{200d}')));
        assert_eq!(problem("\u{200d}🎉"), Some(TagProblem::Char('\u{200d}')));
        assert_eq!(tag_len("dev👨\u{200d}x"), "dev👨".len());
    }

    #[test]
    fn a_body_tag_ends_at_the_first_character_that_cannot_be_in_it() {
        assert_eq!(tag_len("party, and"), "party".len());
        assert_eq!(tag_len("日本語。次"), "日本語。次".len());
        assert_eq!(tag_len("tag’s"), "tag".len());
        assert_eq!(tag_len("a.b"), 1);
        assert_eq!(tag_len(""), 0);
    }
}
