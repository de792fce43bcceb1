//! `tags/invalid` and `tags/not-allowed`: a tag that is not a tag by Obsidian's rules
//! (`note::tag` says why), and one that `[tags] allowed` does not list.

use globset::GlobSet;
use serde_spanned::Spanned;

use super::{INVALID, NOT_ALLOWED};
use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Span};
use crate::note::tag::{Invalid, why_invalid};
use crate::note::tag_fields::{Place, TagItem};
use crate::suggest;

pub(super) fn invalid_tag(written: &str, span: Span, invalid: Invalid) -> Diagnostic {
    Diagnostic::new(
        &INVALID,
        span,
        format!("tag `{written}` {}", invalid.reason),
    )
    .with_help(invalid.help)
}

pub(super) fn not_a_tag(item: &TagItem, what: &str) -> Diagnostic {
    if !item.text.is_empty() {
        // A number or boolean: judge its text as a tag (`2025` is all digits).
        return match why_invalid(&item.text) {
            Some(invalid) => invalid_tag(&item.text, item.span.clone(), invalid),
            None => Diagnostic::new(
                &INVALID,
                item.span.clone(),
                format!("tag `{}` is {what}, not a string", item.text),
            )
            .with_help(format!("quote it: `\"{}\"`", item.text)),
        };
    }
    let message = if item.place == Place::Value {
        format!("`{}` is {what}, not a list of tags", item.field)
    } else {
        format!("item of `{}` is {what}, not a tag", item.field)
    };
    Diagnostic::new(&INVALID, item.span.clone(), message)
        .with_help("write each tag as a plain string, e.g. `- topic/storage`")
}

pub(super) fn not_allowed(
    allowed: &Allowed,
    written: &str,
    key: &str,
    span: &Span,
) -> Option<Diagnostic> {
    if allowed.allows(key) {
        return None;
    }
    Some(
        Diagnostic::new(
            &NOT_ALLOWED,
            span.clone(),
            format!("tag `{written}` is not allowed"),
        )
        .with_help(allowed.help(key)),
    )
}

/// `[tags] allowed`, lower-cased and compiled once per distinct configuration.
pub struct Allowed {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Allowed {
    /// Compiles `[tags] allowed` once per run; `None` when any tag is allowed.
    pub fn new(config: &Config) -> Option<Allowed> {
        let allowed = &config.settings.tags.allowed;
        if allowed.is_empty() {
            return None;
        }
        let lowered: Vec<Spanned<String>> = allowed
            .iter()
            .map(|p| Spanned::new(p.span(), p.get_ref().to_lowercase()))
            .collect();
        Some(Allowed {
            set: config::glob_set(&lowered),
            patterns: lowered.into_iter().map(Spanned::into_inner).collect(),
        })
    }

    pub fn allows(&self, key: &str) -> bool {
        self.set.is_match(key)
    }

    /// "did you mean `x`?" or the list of patterns.
    fn help(&self, key: &str) -> String {
        let mut candidates: Vec<String> = Vec::new();
        for pattern in &self.patterns {
            if !pattern.contains(['*', '?', '[', '{', '\\']) {
                candidates.push(pattern.clone());
            } else if let Some(prefix) = pattern
                .strip_suffix("/**")
                .or_else(|| pattern.strip_suffix("/*"))
                .filter(|prefix| !prefix.contains(['*', '?', '[', '{', '\\']))
            {
                // `tpoic/storage` against `topic/**`: suggest `topic/storage`.
                if let Some((_, rest)) = key.split_once('/') {
                    let candidate = format!("{prefix}/{rest}");
                    if self.allows(&candidate) {
                        candidates.push(candidate);
                    }
                }
            }
        }
        if let Some(best) = suggest::closest(key, candidates.iter().map(String::as_str)) {
            return format!("did you mean `{best}`?");
        }
        const SHOWN: usize = 8;
        let names: Vec<&str> = self
            .patterns
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        let more = if self.patterns.len() > SHOWN {
            format!(" (and {} more)", self.patterns.len() - SHOWN)
        } else {
            String::new()
        };
        format!("allowed: {}{more}", suggest::one_of(&names))
    }
}
