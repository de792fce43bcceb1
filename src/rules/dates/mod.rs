//! The `dates/*` rules: values of `[dates] fields` must be real dates in the configured
//! format, `not_after_today` fields must not be in the future, `order` pairs must not be
//! reversed.
//!
//! How a value is read lives in `note::date`; this module decides what to report.

#[cfg(test)]
mod tests;

use super::{Context, Rule};
use crate::config::DatesConfig;
use crate::diagnostic::{Diagnostic, Severity};
use crate::note::{Frontmatter, Note};
use crate::yaml::{Node, Value};

use crate::note::date::{self as format, Format};

pub static INVALID: Rule = Rule {
    code: "dates/invalid",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "not a real date in the configured format",
    explanation: "\
## What it finds
A value of a field listed in `[dates] fields` that is not a real calendar date in the format \
`[dates] format` names: `date` (`YYYY-MM-DD`), `datetime` (RFC 3339 / ISO 8601 with a time, \
offset optional, so Obsidian's `2025-11-06T14:30` is fine), `date-or-datetime` (the default) \
or a strftime pattern such as `%m/%d/%Y`. Leap years are honoured. Quoted and unquoted values \
are both accepted; an empty value is left to the schema.

## Why
Obsidian, Dataview and other tools silently treat a value they cannot read as text: the note \
drops out of every date sort, filter and timeline without a word.

## Example
```yaml
created: 2025-02-29        # February 2025 has 28 days
updated: 2025-1-6          # month and day need two digits
due: soon
last_contact: 1608589567458
```

## Fix
Write the date in the configured format, e.g. `2025-02-28` or `2025-01-06`, or change \
`[dates] format` to the way the vault writes dates.",
};

pub static FUTURE: Rule = Rule {
    code: "dates/future",
    default_severity: Some(Severity::Warning),
    fix: None,
    summary: "a `not_after_today` field is after today",
    explanation: "\
## What it finds
A field listed in `[dates] not_after_today` whose date is after today. A date-time counts by \
its date. Today is the local date, or the one given with `--today YYYY-MM-DD`.

## Why
A creation date or a last-contact date cannot lie in the future: it is usually a typo in the \
year or a swapped month and day, and it puts the note at the wrong end of every timeline.

## Example
```yaml
created: 2026-03-01   # today is 2025-11-24
```

## Fix
Correct the date. If a field may legitimately lie ahead (a due date), remove it from \
`not_after_today`.",
};

pub static ORDER: Rule = Rule {
    code: "dates/order",
    default_severity: Some(Severity::Error),
    fix: None,
    summary: "an `order` pair is reversed",
    explanation: "\
## What it finds
A pair `[first, second]` of `[dates] order` where both dates are present and valid but the \
first is after the second. A date counts as the start of its day when compared with a \
date-time; two values that both carry an offset are compared as instants.

## Why
A note updated before it was created, or a project ending before it starts, is a typo, and \
it makes every \"recently changed\" view or duration wrong.

## Example
```yaml
created: 2025-02-01
updated: 2025-01-01
```

## Fix
Swap the two dates or correct one of them.",
};

pub static RULES: &[&Rule] = &[&INVALID, &FUTURE, &ORDER];

/// A field's value that reads as a date.
struct Dated<'a> {
    name: &'a str,
    node: &'a Node,
    moment: format::Moment,
}

/// The `dates/*` findings of one note.
pub fn check(note: &Note, cx: &Context<'_>) -> Vec<Diagnostic> {
    let Some(fm) = note.parsed() else {
        return Vec::new();
    };
    let settings = &cx.config.settings.dates;
    // Checked when the configuration loaded: it can read dates.
    let format = &settings.format;
    let names = mentioned_fields(settings);

    let mut out = Vec::new();
    let mut dated: Vec<Dated<'_>> = Vec::new();
    for name in names {
        let Some(node) = present(fm, name) else {
            continue;
        };
        match read(node, format) {
            Ok(moment) => dated.push(Dated { name, node, moment }),
            // Fields named only in `not_after_today` or `order` are compared when they read
            // as dates, but only `fields` promises that they do.
            Err(invalid) if settings.fields.iter().any(|field| field == name) => {
                out.push(invalid.diagnostic(name, fm.span(&node.span), format));
            }
            Err(_) => {}
        }
    }
    let find = |name: &str| dated.iter().find(|d| d.name == name);

    let mut seen: Vec<&str> = Vec::new();
    for name in &settings.not_after_today {
        if seen.contains(&name.as_str()) {
            continue;
        }
        seen.push(name);
        let Some(value) = find(name) else { continue };
        let date = value.moment.date();
        if date > cx.today {
            out.push(
                Diagnostic::new(
                    &FUTURE,
                    fm.span(&value.node.span),
                    format!(
                        "`{name}` is in the future ({date} is after today, {})",
                        cx.today
                    ),
                )
                .with_help(
                    "correct the date; today is the local date unless `--today` sets another",
                ),
            );
        }
    }

    for (first, second) in &settings.order {
        let (Some(a), Some(b)) = (find(first), find(second)) else {
            continue;
        };
        if first == second || !a.moment.is_after(&b.moment) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &ORDER,
                fm.span(&b.node.span),
                format!(
                    "`{second}` ({}) is before `{first}` ({})",
                    shown(b.node),
                    shown(a.node)
                ),
            )
            .with_span_label(format!("before `{first}`"))
            .with_label(fm.span(&a.node.span), format!("`{first}` is later"))
            .with_help(format!(
                "`[dates] order` wants `{first}` on or before `{second}`: swap the two dates \
                 or correct one of them"
            )),
        );
    }
    out
}

/// The days that, taken as "today", give this note the same findings as `cx.today`
/// (inclusive; `None`: unbounded), for the cache. A `dates/future` finding names today in
/// its message, so a note with one is valid on that day alone; otherwise from its latest
/// `not_after_today` date on.
pub fn same_findings_between(
    note: &Note,
    cx: &Context<'_>,
) -> (Option<jiff::civil::Date>, Option<jiff::civil::Date>) {
    let settings = &cx.config.settings.dates;
    let format = &settings.format;
    let Some(fm) = note.parsed() else {
        return (None, None);
    };
    let latest = settings
        .not_after_today
        .iter()
        .filter_map(|name| read(present(fm, name)?, format).ok())
        .map(|moment| moment.date())
        .max();
    match latest {
        Some(date) if date > cx.today => (Some(cx.today), Some(cx.today)),
        latest => (latest, None),
    }
}

/// Every field the config mentions, each once: `fields`, then `not_after_today`, then `order`.
fn mentioned_fields(settings: &DatesConfig) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let all = settings
        .fields
        .iter()
        .chain(&settings.not_after_today)
        .chain(settings.order.iter().flat_map(|(a, b)| [a, b]));
    for name in all {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    names
}

/// The field's value, unless it is absent, null or an empty string.
fn present<'a>(fm: &'a Frontmatter, name: &str) -> Option<&'a Node> {
    let node = fm.get(name)?;
    match &node.value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        _ => Some(node),
    }
}

/// Why a value is not a date.
enum Invalid {
    Problem {
        text: String,
        problem: format::Problem,
    },
    /// Not a string: "the number 1608589567458", "a list".
    Kind { found: String, help: Option<String> },
}

fn read(node: &Node, format: &Format) -> Result<format::Moment, Invalid> {
    let text = match &node.value {
        Value::String(s) => s.as_str(),
        // A pattern such as `%Y%m%d` makes YAML read the value as a number.
        Value::Int(_) | Value::Float(_) | Value::Bool(_)
            if matches!(format, Format::Pattern(_)) =>
        {
            let text = node.scalar_text().unwrap_or_default();
            return format.parse(text).map_err(|problem| match problem {
                format::Problem::Range { .. } => Invalid::Problem {
                    text: text.to_owned(),
                    problem,
                },
                format::Problem::Shape { .. } => kind(node, format),
            });
        }
        _ => return Err(kind(node, format)),
    };
    format.parse(text).map_err(|problem| Invalid::Problem {
        text: text.to_owned(),
        problem,
    })
}

fn kind(node: &Node, format: &Format) -> Invalid {
    let raw = node.scalar_text().unwrap_or_default();
    let (found, help) = match &node.value {
        Value::Int(n) => (format!("the number {raw}"), epoch_help(*n, format)),
        Value::Float(_) => (format!("the number {raw}"), None),
        Value::Bool(_) => (format!("the boolean `{raw}`"), None),
        Value::Seq(_) => ("a list".to_owned(), None),
        Value::Map(_) => ("a mapping".to_owned(), None),
        Value::Null | Value::String(_) => (format!("`{}`", show(raw)), None),
    };
    Invalid::Kind { found, help }
}

/// Large integers in a date field are usually Unix times (some plugins write milliseconds).
fn epoch_help(n: i64, format: &Format) -> Option<String> {
    let (unit, instant) = if (100_000_000_000..100_000_000_000_000).contains(&n) {
        ("milliseconds", jiff::Timestamp::from_millisecond(n).ok()?)
    } else if (100_000_000..10_000_000_000).contains(&n) {
        ("seconds", jiff::Timestamp::from_second(n).ok()?)
    } else {
        return None;
    };
    let written = format.render(instant)?;
    Some(format!(
        "if this is a Unix time in {unit}, write it as `{written}` (UTC)"
    ))
}

impl Invalid {
    fn diagnostic(self, name: &str, span: crate::diagnostic::Span, format: &Format) -> Diagnostic {
        match self {
            Invalid::Kind { found, help } => {
                let diagnostic = Diagnostic::new(
                    &INVALID,
                    span,
                    format!("`{name}` must be {}, found {found}", format.expected()),
                );
                match help {
                    Some(help) => diagnostic.with_help(help),
                    None => diagnostic,
                }
            }
            Invalid::Problem {
                text,
                problem: format::Problem::Shape { help },
            } => {
                let diagnostic = Diagnostic::new(
                    &INVALID,
                    span,
                    format!(
                        "`{name}` must be {}, found `{}`",
                        format.expected(),
                        show(&text)
                    ),
                );
                match help {
                    Some(help) => diagnostic.with_help(help),
                    None => diagnostic,
                }
            }
            Invalid::Problem {
                problem: format::Problem::Range { reason, in_time },
                ..
            } => {
                let what = if in_time { "date-time" } else { "date" };
                Diagnostic::new(
                    &INVALID,
                    span,
                    format!("`{name}` is not a real {what}: {reason}"),
                )
            }
        }
    }
}

/// A value as the messages quote it: one line, at most 40 characters.
fn show(text: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A date node's text for the `order` message.
fn shown(node: &Node) -> String {
    show(node.scalar_text().unwrap_or_default())
}
