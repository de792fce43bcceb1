//! The vocabulary every layer shares: byte spans, severities, a rule's declaration
//! (`Rule`), edits and fixes, and the `Diagnostic` every rule produces. It depends on
//! nothing else in the crate.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A byte range into a note's (or config file's) text.
pub type Span = Range<usize>;

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// A secondary span with its own message, e.g. the first occurrence of a duplicate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Whether a fix may be applied without asking (`notelint fix`) or only with `--unsafe-fixes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// One replacement of a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A set of edits that together resolve one diagnostic, and what they do to the
/// frontmatter's values: the fixer loads the edited frontmatter again and checks that
/// exactly the declared keys changed, exactly as declared, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// Every top-level frontmatter key the edits change; a key not listed must load to
    /// the same value afterwards. Empty for edits of the body alone.
    pub changes: Vec<KeyChange>,
}

impl Fix {
    /// A fix `notelint fix` applies; its edits are kept in text order.
    pub fn safe(edits: Vec<Edit>, changes: Vec<KeyChange>) -> Fix {
        Fix::new(Applicability::Safe, edits, changes)
    }

    /// A fix applied only with `--unsafe-fixes`.
    pub fn unsafe_(edits: Vec<Edit>, changes: Vec<KeyChange>) -> Fix {
        Fix::new(Applicability::Unsafe, edits, changes)
    }

    fn new(applicability: Applicability, mut edits: Vec<Edit>, changes: Vec<KeyChange>) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            applicability,
            edits,
            changes,
        }
    }
}

/// What a fix does to the value of one top-level frontmatter key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChange {
    pub key: String,
    pub change: Change,
}

impl KeyChange {
    pub fn new(key: impl Into<String>, change: Change) -> KeyChange {
        KeyChange {
            key: key.into(),
            change,
        }
    }
}

/// A change of one value, stated by value (not by bytes), so that it can be checked.
/// Item indices and text ranges refer to the value before the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The key is gone.
    Remove,
    /// The key holds exactly this value.
    Set(serde_json::Value),
    /// Items appended to the list; a null or absent value counts as an empty list.
    Append(Vec<serde_json::Value>),
    /// List item `n` removed.
    RemoveItem(usize),
    /// List item `n` replaced.
    ReplaceItem(usize, serde_json::Value),
    /// Bytes `range` of the string value replaced with the text.
    ReplaceText(Range<usize>, String),
}

/// One finding in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    /// One sentence, no trailing period.
    pub message: String,
    /// The primary span: the exact offending text.
    pub span: Span,
    /// The label shown under the primary span (defaults to nothing).
    pub span_label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            span,
            span_label: None,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_span_label(mut self, label: impl Into<String>) -> Self {
        self.span_label = Some(label.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the fix, or says in the help why there is none.
    pub fn with_fix<E: fmt::Display>(mut self, fix: Result<Fix, E>) -> Self {
        match fix {
            Ok(fix) => self.fix = Some(fix),
            Err(why) => self.refuse_fix(why),
        }
        self
    }

    /// Drops a fix that `notelint fix` would not apply, saying why in the help.
    pub fn refuse_fix(&mut self, why: impl fmt::Display) {
        if self.fix.take().is_some() || self.rule.fix.is_some() {
            let note = format!("not fixable automatically: {why}");
            self.help = Some(match self.help.take() {
                Some(help) => format!("{help} ({note})"),
                None => note,
            });
        }
    }

    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Whether `notelint fix` (without `--unsafe-fixes`) would apply this diagnostic's fix:
    /// it carries a safe one. (Only a rule that declares fixes makes one: the rules' test
    /// harness, `rules::testing`, holds every rule to its declaration.)
    pub fn is_fixable(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }
}

/// A diagnostic as reported: with the severity the configuration gives its rule in the
/// file it is in (a rule that is off reports nothing).
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub diagnostic: Diagnostic,
}

impl std::ops::Deref for Finding {
    type Target = Diagnostic;

    fn deref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

/// Applies non-overlapping edits; text outside them is copied byte for byte.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in sorted {
        let start = edit.span.start.clamp(at, text.len());
        let end = edit.span.end.clamp(start, text.len());
        if let (Some(before), true) = (text.get(at..start), text.is_char_boundary(end)) {
            out.push_str(before);
            out.push_str(&edit.replacement);
            at = end;
        }
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}
