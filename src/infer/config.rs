//! The vault-wide settings inferred from the notes: `[tags]` (allowed tags, case, the type
//! prefix), `[dates]` (which fields hold dates, which pairs are always in order, which
//! creation-like fields are never in the future), `[links] targets` (a property whose
//! links point at notes of one type) and `[review] require_when` (a boolean property that
//! always comes with the review tag). Each comes with its evidence; each needs support, so
//! the odd note out is what `check` reports, not what is inferred.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde_json::Value;

use super::sample::Vault;
use super::stats::{MIN_SUPPORT, Shape, outliers, percent, plural};
use super::types::{By, Grouping};
use crate::note::date::{Format, Moment};

/// A prefix needs this many distinct child tags to be written as `prefix/*`.
const MIN_CHILDREN: usize = 3;
/// The review tag `init` looks for (the default of `[review] tag`).
pub const REVIEW_TAG: &str = "needs-review";

/// One inferred value with the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidenced<T> {
    pub value: T,
    pub evidence: String,
}

pub fn evidenced<T>(value: T, evidence: String) -> Evidenced<T> {
    Evidenced { value, evidence }
}

#[derive(Debug, Default)]
pub struct Settings {
    /// `None`: the vault's tags are too varied for an allow-list.
    pub allowed_tags: Option<Vec<Evidenced<String>>>,
    pub lower_case_tags: Option<String>,
    pub type_prefix: Option<Evidenced<String>>,
    pub date_fields: Vec<Evidenced<String>>,
    pub date_order: Vec<Evidenced<(String, String)>>,
    pub not_after_today: Vec<Evidenced<String>>,
    pub link_targets: Vec<Evidenced<(String, String)>>,
    pub review_when: Vec<Evidenced<String>>,
}

/// Infers the vault-wide settings.
pub fn infer(vault: &Vault, grouping: &Grouping, today: Date) -> Settings {
    let type_field = match &grouping.by {
        Some(By::Field(field)) => Some(field.as_str()),
        _ => None,
    };
    let tags = tag_uses(vault);
    let date_fields = date_fields(vault);
    let mut settings = Settings {
        allowed_tags: allowed_tags(&tags),
        lower_case_tags: lower_case(&tags),
        type_prefix: type_field.and_then(|field| type_prefix(vault, grouping, field)),
        date_order: date_order(vault, &date_fields),
        not_after_today: not_after_today(vault, &date_fields, today),
        link_targets: type_field
            .map(|field| link_targets(vault, grouping, field))
            .unwrap_or_default(),
        review_when: review_when(vault),
        ..Settings::default()
    };
    settings.date_fields = date_fields;
    settings
}

// ---- tags ----

/// Per tag (lower-cased): the notes using it, and how often each spelling is used.
struct TagUses {
    notes: BTreeMap<String, usize>,
    spellings: BTreeMap<String, usize>,
}

fn tag_uses(vault: &Vault) -> TagUses {
    let mut uses = TagUses {
        notes: BTreeMap::new(),
        spellings: BTreeMap::new(),
    };
    for sample in &vault.samples {
        let mut seen = BTreeSet::new();
        for tag in &sample.tags {
            *uses.spellings.entry(tag.clone()).or_default() += 1;
            let key = crate::text::fold(tag);
            if seen.insert(key.clone()) {
                *uses.notes.entry(key).or_default() += 1;
            }
        }
    }
    uses
}

/// `lower` when upper-case spellings are outliers.
fn lower_case(tags: &TagUses) -> Option<String> {
    let total: usize = tags.spellings.values().sum();
    let upper: usize = tags
        .spellings
        .iter()
        .filter(|(t, _)| t.to_lowercase() != **t)
        .map(|(_, n)| n)
        .sum();
    if total < MIN_SUPPORT || !outliers(upper, total) {
        return None;
    }
    Some(if upper == 0 {
        format!("all {total} tag uses are lower-case")
    } else {
        format!("{} of {total} tag uses are lower-case", total - upper)
    })
}

/// Prefixes with many children as `prefix/*` (`/**` when deeper), other tags used in
/// several notes as themselves; `None` when too many tags are used once for a list to be
/// the vault's vocabulary (a personal vault's free tagging).
fn allowed_tags(tags: &TagUses) -> Option<Vec<Evidenced<String>>> {
    if tags.notes.is_empty() {
        return None;
    }
    let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for tag in tags.notes.keys() {
        if let Some((prefix, rest)) = tag.split_once('/') {
            children.entry(prefix).or_default().insert(rest);
        }
    }
    let mut allowed = Vec::new();
    let mut covered_prefixes = BTreeSet::new();
    for (prefix, kids) in &children {
        if kids.len() >= MIN_CHILDREN {
            let deep = kids.iter().any(|k| k.contains('/'));
            let notes: usize = tags
                .notes
                .iter()
                .filter(|(t, _)| t.starts_with(&format!("{prefix}/")))
                .map(|(_, n)| n)
                .sum();
            allowed.push(evidenced(
                format!("{prefix}/{}", if deep { "**" } else { "*" }),
                format!("{} tags under {prefix}/, {} uses", kids.len(), notes),
            ));
            covered_prefixes.insert(*prefix);
        }
    }
    let total: usize = tags.notes.values().sum();
    let mut rare = 0;
    for (tag, &notes) in &tags.notes {
        let prefix = tag.split_once('/').map(|(p, _)| p);
        if prefix.is_some_and(|p| covered_prefixes.contains(p)) {
            continue;
        }
        if notes >= MIN_SUPPORT {
            allowed.push(evidenced(
                tag.clone(),
                format!("in {}", plural(notes, "note")),
            ));
        } else {
            rare += notes;
        }
    }
    if !outliers(rare, total) {
        return None;
    }
    allowed.sort_by(|a, b| a.value.cmp(&b.value));
    Some(allowed)
}

/// The prefix of the tag that names a note's type (`type/` of `type/people`), when
/// nearly every typed note carries it.
fn type_prefix(vault: &Vault, grouping: &Grouping, field: &str) -> Option<Evidenced<String>> {
    let mut prefixes: BTreeMap<String, usize> = BTreeMap::new();
    let mut typed = 0;
    for group in &grouping.groups {
        let suffix = format!("/{}", crate::text::fold(&group.name));
        for &i in &group.members {
            typed += 1;
            let found: BTreeSet<String> = vault.samples[i]
                .tags
                .iter()
                .map(|t| crate::text::fold(t))
                .filter_map(|t| t.strip_suffix(&suffix).map(|p| format!("{p}/")))
                .collect();
            for prefix in found {
                *prefixes.entry(prefix).or_default() += 1;
            }
        }
    }
    let (prefix, count) = prefixes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    (count >= MIN_SUPPORT && outliers(typed - count, typed)).then(|| {
        evidenced(
            prefix.clone(),
            format!("{count} of {typed} typed notes carry the tag {prefix}<{field}>"),
        )
    })
}

// ---- dates ----

fn moment(value: &Value) -> Option<Moment> {
    Format::DateOrDateTime.parse(value.as_str()?).ok()
}

/// Properties (vault-wide) whose values are dates, bar outliers.
fn date_fields(vault: &Vault) -> Vec<Evidenced<String>> {
    // key -> (dated, other non-empty values)
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, sample) in vault.with_frontmatter() {
        for (key, value) in sample.frontmatter.iter().flatten() {
            let entry = counts.entry(key.as_str()).or_default();
            match value {
                Value::Null => {}
                Value::String(s) if s.is_empty() => {}
                Value::String(s) if matches!(Shape::of(s), Shape::Date | Shape::DateTime) => {
                    entry.0 += 1;
                }
                _ => entry.1 += 1,
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (dated, other))| *dated >= MIN_SUPPORT && outliers(*other, dated + other))
        .map(|(key, (dated, other))| {
            evidenced(
                key.to_owned(),
                format!(
                    "{key}: a date in {dated} of {} notes that have it",
                    dated + other
                ),
            )
        })
        .collect()
}

/// Pairs of date fields whose names say the first comes first (`created`, `updated`),
/// the first (bar outliers) never after the second, and strictly before it in several
/// notes.
fn date_order(vault: &Vault, fields: &[Evidenced<String>]) -> Vec<Evidenced<(String, String)>> {
    let names: Vec<&str> = fields.iter().map(|f| f.value.as_str()).collect();
    let mut out = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            let (mut before, mut after, mut both) = (0, 0, 0);
            for (_, sample) in vault.with_frontmatter() {
                let Some(fm) = &sample.frontmatter else {
                    continue;
                };
                let (Some(x), Some(y)) = (fm.get(*a).and_then(moment), fm.get(*b).and_then(moment))
                else {
                    continue;
                };
                both += 1;
                if y.is_after(&x) {
                    before += 1;
                } else if x.is_after(&y) {
                    after += 1;
                }
            }
            for (first, second, ordered, reversed) in [(a, b, before, after), (b, a, after, before)]
            {
                let plausible = starts(first) && ends(second);
                if plausible && ordered >= MIN_SUPPORT && outliers(reversed, both) {
                    out.push(evidenced(
                        ((*first).to_owned(), (*second).to_owned()),
                        format!(
                            "{first} <= {second} in {} of {both} notes with both",
                            both - reversed
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Whether a date property's name says it starts something (`created`, `start`): the
/// first of an ordered pair. Dates in order by chance are not a rule.
fn starts(name: &str) -> bool {
    let name = name.to_lowercase();
    [
        "created", "creation", "start", "begin", "opened", "from", "born",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Whether a date property's name says it follows a start (`updated`, `due`, `end`).
fn ends(name: &str) -> bool {
    let name = name.to_lowercase();
    [
        "updated",
        "modified",
        "end",
        "due",
        "until",
        "closed",
        "finished",
        "completed",
        "last_",
        "last-",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Whether a property's name says it records something that already happened.
fn creation_like(name: &str) -> bool {
    let name = name.to_lowercase();
    [
        "created", "creation", "updated", "modified", "born", "birth", "last_", "last-",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Creation-like date fields that are (bar outliers) never after today.
fn not_after_today(
    vault: &Vault,
    fields: &[Evidenced<String>],
    today: Date,
) -> Vec<Evidenced<String>> {
    let mut out = Vec::new();
    for field in fields.iter().filter(|f| creation_like(&f.value)) {
        let (mut dated, mut future) = (0, 0);
        for (_, sample) in vault.with_frontmatter() {
            if let Some(m) = sample
                .frontmatter
                .as_ref()
                .and_then(|fm| fm.get(&field.value))
                .and_then(moment)
            {
                dated += 1;
                if m.date() > today {
                    future += 1;
                }
            }
        }
        if dated >= MIN_SUPPORT && outliers(future, dated) {
            out.push(evidenced(
                field.value.clone(),
                format!(
                    "{}: {} of {dated} dates are not after today",
                    field.value,
                    dated - future
                ),
            ));
        }
    }
    out
}

// ---- links ----

/// Properties whose wikilinks (bar outliers) point at notes of one type.
fn link_targets(
    vault: &Vault,
    grouping: &Grouping,
    field: &str,
) -> Vec<Evidenced<(String, String)>> {
    let grouped: BTreeSet<&str> = grouping.groups.iter().map(|g| g.name.as_str()).collect();
    // property -> target type (None: untyped) -> links
    let mut counts: BTreeMap<&str, BTreeMap<Option<&str>, usize>> = BTreeMap::new();
    for sample in &vault.samples {
        for (key, target) in &sample.links {
            if key == field {
                continue;
            }
            let ty = vault.samples[*target]
                .frontmatter
                .as_ref()
                .and_then(|fm| fm.get(field))
                .and_then(Value::as_str);
            *counts
                .entry(key.as_str())
                .or_default()
                .entry(ty)
                .or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (key, by_type) in counts {
        let total: usize = by_type.values().sum();
        let Some((Some(ty), n)) = by_type
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(t, n)| (*t, *n))
        else {
            continue;
        };
        if grouped.contains(ty) && n > MIN_SUPPORT && outliers(total - n, total) {
            out.push(evidenced(
                (key.to_owned(), ty.to_owned()),
                format!(
                    "{key}: {n} of {total} links point at notes with {field} `{ty}` ({}%)",
                    percent(n, total)
                ),
            ));
        }
    }
    out
}

// ---- review ----

/// Boolean properties that, when true, (bar outliers) always come with the review tag.
fn review_when(vault: &Vault) -> Vec<Evidenced<String>> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, sample) in vault.with_frontmatter() {
        let tagged = sample
            .tags
            .iter()
            .any(|t| crate::note::tag::tag_key(t, REVIEW_TAG) == REVIEW_TAG);
        for (key, value) in sample.frontmatter.iter().flatten() {
            if value == &Value::Bool(true) {
                let entry = counts.entry(key.as_str()).or_default();
                entry.0 += 1;
                if tagged {
                    entry.1 += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (on, tagged))| *tagged >= MIN_SUPPORT && outliers(on - tagged, *on))
        .map(|(key, (on, tagged))| {
            evidenced(
                key.to_owned(),
                format!("{tagged} of {on} notes with {key} = true carry {REVIEW_TAG}"),
            )
        })
        .collect()
}
