//! The rule registry: every rule's code, default severity, fix availability and docs, in one list.
//!
//! Each rule group declares its rules in its own file; `all` is the one explicit list that
//! `notelint rules`, `notelint explain`, `selection` (severities and selectors) and the
//! docs tests read. A new rule goes in a group's file (or a new one listed in `all`) and
//! is tested with `testing`, the harness every rule's tests share.

use crate::config::Config;
pub use crate::diagnostic::Rule;

/// What per-note rules may read besides the note itself.
pub struct Context<'a> {
    pub config: &'a Config,
    /// "Today" for `dates/future`: `--today` or the local date.
    pub today: jiff::civil::Date,
    /// `[tags] allowed`, compiled once per run.
    pub allowed_tags: Option<tags::Allowed>,
    /// Obsidian property types (`.obsidian/types.json`, `[properties] types`), read once.
    pub property_types: properties::PropertyTypes,
}

impl<'a> Context<'a> {
    pub fn new(config: &'a Config, today: jiff::civil::Date) -> Context<'a> {
        Context {
            config,
            today,
            allowed_tags: tags::Allowed::new(config),
            property_types: properties::PropertyTypes::load(config),
        }
    }
}

pub mod config;
pub mod dates;
pub mod deprecated;
pub mod frontmatter;
pub mod io;
pub mod links;
pub mod properties;
pub mod review;
pub mod schema;
pub mod selection;
pub mod suppression;
mod syntax_help;
pub mod tags;
#[cfg(test)]
pub(crate) mod testing;

/// Every rule notelint knows, in the order `notelint rules` prints them.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    io::RULES
        .iter()
        .chain(frontmatter::RULES)
        .chain(deprecated::RULES)
        .chain(schema::RULES)
        .chain(tags::RULES)
        .chain(dates::RULES)
        .chain(links::RULES)
        .chain(review::RULES)
        .chain(properties::RULES)
        .chain(config::RULES)
        .chain(suppression::RULES)
        .copied()
}

/// Looks a rule up by its exact code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn every_rule_is_documented() {
        for rule in all() {
            assert!(!rule.summary.is_empty(), "{} has no summary", rule.code);
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summaries have no period",
                rule.code
            );
            for section in ["## What it finds", "## Why", "## Example", "## Fix"] {
                assert!(
                    rule.explanation.contains(section),
                    "{} lacks `{section}` in its explanation",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_group_slash_kebab_case() {
        let codes: Vec<&str> = all().map(|r| r.code).collect();
        for (i, code) in codes.iter().enumerate() {
            assert!(!codes[..i].contains(code), "{code} is declared twice");
            let (group, name) = code.split_once('/').expect("group/name");
            for part in [group, name] {
                assert!(
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{code} is not kebab-case"
                );
            }
        }
    }

    #[test]
    fn spec_codes_are_all_declared() {
        let spec = [
            "io/unreadable",
            "frontmatter/missing",
            "frontmatter/unclosed",
            "frontmatter/syntax",
            "frontmatter/duplicate-key",
            "frontmatter/not-mapping",
            "frontmatter/too-large",
            "frontmatter/deprecated-key",
            "schema/required",
            "schema/type",
            "schema/enum",
            "schema/const",
            "schema/pattern",
            "schema/format",
            "schema/additional-properties",
            "schema/min-items",
            "schema/unknown-type",
            "tags/invalid",
            "tags/not-allowed",
            "tags/empty",
            "tags/duplicate",
            "tags/non-canonical",
            "tags/type-mismatch",
            "dates/invalid",
            "dates/future",
            "dates/order",
            "links/broken",
            "links/broken-heading",
            "links/broken-block",
            "links/ambiguous",
            "links/empty",
            "links/wrong-type",
            "config/unused-association",
            "properties/type",
            "suppression/unknown-code",
        ];
        for code in spec {
            assert!(
                by_code(code).is_some(),
                "{code} from SPEC 5 is not declared"
            );
        }
    }

    #[test]
    fn default_severities_follow_the_spec() {
        let severity = |code: &str| by_code(code).and_then(|r| r.default_severity);
        assert_eq!(severity("links/ambiguous"), None);
        assert_eq!(severity("links/broken"), Some(Severity::Error));
        assert_eq!(severity("links/broken-heading"), Some(Severity::Warning));
        assert_eq!(severity("schema/unknown-type"), Some(Severity::Warning));
        assert_eq!(severity("tags/type-mismatch"), Some(Severity::Error));
        assert_eq!(severity("dates/future"), Some(Severity::Warning));
        assert_eq!(
            severity("suppression/unknown-code"),
            Some(Severity::Warning)
        );
    }
}
