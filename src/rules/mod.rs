//! The rule registry: every rule's code, default severity, fix availability and docs, in one list.
//!
//! Each rule group declares its rules in its own file; `ALL` is the one explicit list that
//! `notelint rules`, `notelint explain`, severity configuration and the docs tests read.

use crate::config::Config;
use crate::diagnostic::{Applicability, Severity};

/// What per-note rules may read besides the note itself.
pub struct Context<'a> {
    pub config: &'a Config,
    /// "Today" for `dates/future`: `--today` or the local date.
    pub today: jiff::civil::Date,
}

pub mod config;
pub mod dates;
pub mod deprecated;
pub mod frontmatter;
pub mod io;
pub mod links;
pub mod schema;
pub mod tags;

/// A rule's declaration. The code is the public identifier (`group/name`).
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    /// `None`: the rule is off unless selected or configured.
    pub default_severity: Option<Severity>,
    pub fix: Option<Applicability>,
    /// One line for `notelint rules`.
    pub summary: &'static str,
    /// What it finds, why it matters, an example (Markdown), for `notelint explain`.
    pub explanation: &'static str,
}

impl Rule {
    /// The part before the `/`, e.g. `links` for `links/broken`.
    pub fn group(&self) -> &'static str {
        self.code
            .split_once('/')
            .map_or(self.code, |(group, _)| group)
    }
}

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
        .chain(config::RULES)
        .copied()
}

/// Looks a rule up by its exact code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.code == code)
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
