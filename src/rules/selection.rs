//! Which rules are on, and how severe, in each note: `[rules]`, `[[overrides]]` and
//! `--select`/`--ignore` resolved against the registry. Every selector (a rule code or a
//! group) is checked here, whether written in the config file (reported at its span), on
//! the command line or in a suppression comment (`suppression/unknown-code`).

use std::collections::BTreeMap;
use std::path::Path;

use globset::GlobSet;
use serde_spanned::Spanned;

use super::all;
use crate::config::{self, Config, Level, SpannedError};
use crate::diagnostic::{Rule, Severity};
use crate::error::FileError;
use crate::suggest;

/// Rule severities from `[rules]`, `[[overrides]]` and the command line, resolved per path.
#[derive(Debug, Default)]
pub struct Severities {
    base: Vec<(String, Level)>,
    overrides: Vec<(GlobSet, Vec<(String, Level)>)>,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
}

impl Severities {
    /// The severities `config` sets. Its selectors were checked by [`validate`] when it
    /// was loaded (and `--select`/`--ignore` by [`check_selector`]); any other is ignored.
    pub fn new(config: &Config) -> Severities {
        let settings = &config.settings;
        let table = |table: &BTreeMap<Spanned<String>, Spanned<Level>>| {
            table
                .iter()
                .map(|(selector, level)| (selector.get_ref().clone(), *level.get_ref()))
                .collect()
        };
        Severities {
            base: table(&settings.rules),
            overrides: settings
                .overrides
                .iter()
                .map(|entry| (config::glob_set(&entry.paths), table(&entry.rules)))
                .collect(),
            select: config.selection.select.clone(),
            ignore: config.selection.ignore.clone(),
        }
    }

    /// The severity of `rule` in the note at vault-relative `path`; `None` means off.
    pub fn resolve(&self, rule: &Rule, path: &str) -> Option<Severity> {
        let mut level = rule.default_severity;
        apply(&self.base, rule, &mut level);
        for (globs, table) in &self.overrides {
            if globs.is_match(path) {
                apply(table, rule, &mut level);
            }
        }
        if let Some(select) = &self.select {
            if !select.iter().any(|s| selector_matches(s, rule)) {
                return None;
            }
            // Selecting a rule that is off by default by its exact code turns it on.
            if level.is_none() && select.iter().any(|s| s == rule.code) {
                level = Some(Severity::Warning);
            }
        }
        if self.ignore.iter().any(|s| selector_matches(s, rule)) {
            return None;
        }
        level
    }
}

/// A group entry applies first, an exact code entry after it, so the code wins.
fn apply(table: &[(String, Level)], rule: &Rule, level: &mut Option<Severity>) {
    for exact in [false, true] {
        for (selector, value) in table {
            let hit = if exact {
                selector == rule.code
            } else {
                selector == rule.group() && selector != rule.code
            };
            if hit {
                *level = value.severity();
            }
        }
    }
}

/// Checks every selector of the config file's `[rules]` and `[[overrides]]` tables against
/// the registry; the error points at the first unknown one.
pub fn validate(config: &Config) -> Result<(), FileError> {
    let settings = &config.settings;
    let tables =
        std::iter::once(&settings.rules).chain(settings.overrides.iter().map(|o| &o.rules));
    for selector in tables.flat_map(BTreeMap::keys) {
        if let Err((message, help)) = check_selector(selector.get_ref()) {
            let error = SpannedError {
                span: selector.span(),
                message,
                help,
            };
            let path = config
                .file
                .as_deref()
                .unwrap_or(Path::new(config::CONFIG_FILE_NAME));
            return Err(error.into_file_error(path, config.source.as_deref().unwrap_or_default()));
        }
    }
    Ok(())
}

/// Validates a rule code or group; the error carries a message and a did-you-mean.
pub fn check_selector(selector: &str) -> Result<(), (String, Option<String>)> {
    if is_known_selector(selector) {
        return Ok(());
    }
    let selectors = selectors();
    let help = suggest::closest(selector, selectors.iter().copied())
        .map(|best| format!("did you mean `{best}`?"))
        .or_else(|| Some("`notelint rules` lists every code".to_owned()));
    Err((format!("unknown rule code or group `{selector}`"), help))
}

/// Whether `selector` (a code or a group) names at least one rule.
pub fn is_known_selector(selector: &str) -> bool {
    all().any(|rule| rule.code == selector || rule.group() == selector)
}

/// Whether `selector` (a code or a group) covers `rule`.
pub fn selector_matches(selector: &str, rule: &Rule) -> bool {
    selector == rule.code || selector == rule.group()
}

/// Every valid selector: all codes and all groups, for did-you-mean help.
pub fn selectors() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for rule in all() {
        if !out.contains(&rule.group()) {
            out.push(rule.group());
        }
        out.push(rule.code);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::rules;

    /// A configuration whose file holds `text`.
    fn parse(text: &str) -> Result<Config, FileError> {
        let mut config = Config::defaults(PathBuf::from("."));
        config.settings = toml::from_str(text).expect("valid TOML");
        config.source = Some(text.to_owned());
        validate(&config).map(|()| config)
    }

    #[test]
    fn code_beats_group_and_later_overrides_win() {
        let config = parse(
            r#"
[rules]
"frontmatter/syntax" = "warning"
frontmatter = "off"

[[overrides]]
paths = ["Archive/**"]
rules = { frontmatter = "info" }

[[overrides]]
paths = ["Archive/Old/**"]
rules = { "frontmatter/syntax" = "off" }
"#,
        )
        .expect("valid config");
        let severities = Severities::new(&config);
        let syntax = &rules::frontmatter::SYNTAX;
        let unclosed = &rules::frontmatter::UNCLOSED;
        assert_eq!(severities.resolve(syntax, "a.md"), Some(Severity::Warning));
        assert_eq!(severities.resolve(unclosed, "a.md"), None);
        assert_eq!(
            severities.resolve(unclosed, "Archive/a.md"),
            Some(Severity::Info)
        );
        assert_eq!(severities.resolve(syntax, "Archive/Old/a.md"), None);
    }

    #[test]
    fn unknown_rule_code_is_an_error_with_help() {
        let Err(err) = parse("[rules]\n\"frontmatter/sytax\" = \"off\"\n") else {
            panic!("an unknown code must be rejected");
        };
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `frontmatter/syntax`?")
        );
        assert_eq!(err.span, Some(8..27));
    }

    #[test]
    fn select_and_ignore() {
        let mut config = Config::defaults(PathBuf::from("."));
        config.selection.select = Some(vec!["frontmatter".into()]);
        config.selection.ignore = vec!["frontmatter/syntax".into()];
        let severities = Severities::new(&config);
        assert_eq!(severities.resolve(&rules::io::UNREADABLE, "a.md"), None);
        assert_eq!(
            severities.resolve(&rules::frontmatter::SYNTAX, "a.md"),
            None
        );
        assert_eq!(
            severities.resolve(&rules::frontmatter::UNCLOSED, "a.md"),
            Some(Severity::Error)
        );
    }
}
