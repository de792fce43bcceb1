//! `frontmatter/deprecated-key`: the properties Obsidian deprecated in 1.4 and no longer
//! recognises since 1.9 (`tag`, `alias`, `cssclass`), and the list properties written as a
//! single string.

use super::{Context, Rule};
use crate::diagnostic::{Applicability, Change, Diagnostic, Fix, KeyChange, Severity};
use crate::note::tag_fields::split_tags;
use crate::note::{Frontmatter, Note};
use crate::yaml::edit::{self, NotEditable};
use crate::yaml::{Entry, Node, Value};

pub static DEPRECATED_KEY: Rule = Rule {
    code: "frontmatter/deprecated-key",
    default_severity: Some(Severity::Warning),
    fix: Some(Applicability::Safe),
    summary: "`tag`, `alias`, `cssclass` (deprecated in Obsidian 1.4, no longer recognised since 1.9: use `tags`, `aliases`, `cssclasses`), or a string where Obsidian wants a list",
    explanation: "\
## What it finds
The properties Obsidian deprecated in 1.4 in favour of their plural, list-valued forms, \
and no longer recognises since 1.9: `tag` \
(use `tags`), `alias` (use `aliases`) and `cssclass` (use `cssclasses`). Also a `tags`, \
`aliases` or `cssclasses` property whose value is a single string instead of a list.

## Why
Obsidian 1.9 and later no longer read the singular properties: their tags, aliases and \
CSS classes silently stop working. The plural properties are list properties; a plain \
string is shown as an invalid value in the properties view and may be read differently \
by other tools.

## Example
```yaml
tag: project
aliases: Dana W
```

## Fix
Rename the key to its plural (the fix does this when the plural key is not present \
already) and write the value as a list: `aliases: [Dana W]`.",
};

pub static RULES: &[&Rule] = &[&DEPRECATED_KEY];

/// Deprecated key -> its replacement.
const RENAMED: &[(&str, &str)] = &[
    ("tag", "tags"),
    ("alias", "aliases"),
    ("cssclass", "cssclasses"),
];

/// Properties Obsidian types as lists.
const LISTS: &[&str] = &["tags", "aliases", "cssclasses"];

pub fn check(note: &Note, _cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(fm) = note.parsed() else {
        return out;
    };
    let Some(entries) = fm.root().as_map() else {
        return out;
    };
    for entry in entries {
        let key = entry.key.key_string();
        if let Some(&(_, plural)) = RENAMED.iter().find(|(old, _)| *old == key) {
            out.push(removed_key(note, fm, entry, &key, plural));
        } else if is_string_list(&key, &entry.value) {
            out.push(string_not_list(note, fm, entry, &key));
        }
    }
    out
}

/// Whether this rule reports the top-level property `key` holding `value`, so that
/// `properties/type` leaves it alone (one value is reported once).
pub fn reports(key: &str, value: &Node) -> bool {
    RENAMED.iter().any(|(old, _)| *old == key) || is_string_list(key, value)
}

/// A list property of Obsidian's written as a non-blank string.
fn is_string_list(key: &str, value: &Node) -> bool {
    LISTS.contains(&key) && matches!(&value.value, Value::String(s) if !s.trim().is_empty())
}

fn removed_key(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    plural: &str,
) -> Diagnostic {
    let span = fm.span(&entry.key.span);
    let d = Diagnostic::new(
        &DEPRECATED_KEY,
        span.clone(),
        format!("property `{key}` is deprecated in Obsidian 1.4, no longer recognised since 1.9"),
    );
    if let Some(existing) = fm.root().get(plural) {
        return d
            .with_label(fm.span(&existing.key.span), format!("`{plural}` is here"))
            .with_help(format!(
                "merge its values into `{plural}` and remove `{key}`"
            ))
            .with_fix(merge_fix(note, fm, entry, key, existing));
    }
    d.with_help(format!("rename to `{plural}`"))
        .with_fix(rename_fix(note, fm, entry, key, plural))
}

/// The values a removed key or a string list property stands for: `tag: a b, c` is three
/// tags (as Obsidian reads it), `alias: Dana W` one alias.
fn list_values(key: &str, value: &Node) -> Result<Vec<String>, NotEditable> {
    match &value.value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        Value::String(s) if key.starts_with("tag") => Ok(split_tags(s)
            .into_iter()
            .map(|(_, t)| t.to_owned())
            .collect()),
        // Older Obsidian read `aliases: a, b` as two aliases, YAML as one: which one the
        // user meant is theirs to say.
        Value::String(s) if s.contains(',') => Err(NotEditable::Shape(
            "the string holds a comma: one value or several? Write the list by hand",
        )),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Seq(items) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_owned).ok_or(NotEditable::Shape(
                    "the list holds values that are not strings",
                ))
            })
            .collect(),
        _ => Err(NotEditable::Shape("the value is not a string or a list")),
    }
}

/// A flow list of `values`, each plain where that loads back as itself.
fn flow_list(values: &[String]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| edit::string_source(v, true))
        .collect();
    format!("[{}]", items.join(", "))
}

/// `tag: a b` becomes `tags: [a, b]`: the key renamed in place (its quotes kept) and a
/// string value written as the list it stands for.
fn rename_fix(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    plural: &str,
) -> Result<Fix, NotEditable> {
    let src = fm.yaml(&note.text);
    let mut edits = vec![fm.edit(edit::rename_key(src, &entry.key, plural)?)];
    let value = match &entry.value.value {
        Value::String(_) => {
            let values = list_values(key, &entry.value)?;
            let list = flow_list(&values);
            edits.push(fm.edit(edit::replace_value(src, &entry.value, &list)?));
            serde_json::json!(values)
        }
        _ => entry.value.to_json(),
    };
    let changes = vec![
        KeyChange::new(key, Change::Remove),
        KeyChange::new(plural, Change::Set(value)),
    ];
    Ok(Fix::safe(edits, changes))
}

/// `tag: b` beside `tags: [a]`: the entry removed and its values not already listed
/// appended to the plural's list.
fn merge_fix(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    plural: &Entry,
) -> Result<Fix, NotEditable> {
    let src = fm.yaml(&note.text);
    let listed = list_values(key, &plural.value)?;
    let same = |a: &str, b: &str| {
        if key == "tag" {
            crate::text::fold(a.trim_start_matches('#'))
                == crate::text::fold(b.trim_start_matches('#'))
        } else {
            a == b
        }
    };
    let mut added: Vec<String> = Vec::new();
    for value in list_values(key, &entry.value)? {
        if !listed.iter().chain(&added).any(|l| same(l, &value)) {
            added.push(value);
        }
    }
    let mut edits = vec![fm.edit(edit::remove_entry(src, fm.root(), entry)?)];
    let mut changes = vec![KeyChange::new(key, Change::Remove)];
    if !added.is_empty() {
        let plural_name = plural.key.key_string();
        if matches!(plural.value.value, Value::String(_)) {
            return Err(NotEditable::Shape(
                "the plural property is a string: make it a list first",
            ));
        }
        let items: Vec<&str> = added.iter().map(String::as_str).collect();
        edits.push(fm.edit(edit::append_items(src, &plural.key, &plural.value, &items)?));
        let values = added.iter().map(|v| serde_json::json!(v)).collect();
        changes.push(KeyChange::new(plural_name.as_ref(), Change::Append(values)));
    }
    Ok(Fix::safe(edits, changes))
}

fn string_not_list(note: &Note, fm: &Frontmatter, entry: &Entry, key: &str) -> Diagnostic {
    let d = Diagnostic::new(
        &DEPRECATED_KEY,
        fm.span(&entry.value.span),
        format!("`{key}` should be a list, not a string"),
    );
    match list_values(key, &entry.value).and_then(|values| list_fix(note, fm, entry, key, &values))
    {
        Ok((list, fix)) => {
            let mut d = d.with_help(format!("write it as a list: `{key}: {list}`"));
            d.fix = Some(fix);
            d
        }
        Err(why) => d
            .with_help(format!(
                "write it as a list: `{key}: [...]`, or one `- item` line per value"
            ))
            .with_fix(Err::<Fix, _>(why)),
    }
}

/// The safe fix that writes the value of `key` as the flow list of `values` (in place of
/// a one-line scalar), and that list's text for the help line. One value keeps the way it
/// was written (`'wide'` becomes `['wide']`).
pub(super) fn list_fix(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    values: &[String],
) -> Result<(String, Fix), NotEditable> {
    let source = note
        .text
        .get(fm.span(&entry.value.span))
        .unwrap_or_default();
    let list = match values {
        [one] if !source.contains(['\n', '\r']) && edit::loads_as_string(source, one, true) => {
            format!("[{source}]")
        }
        _ => flow_list(values),
    };
    let edit = edit::replace_value(fm.yaml(&note.text), &entry.value, &list)?;
    let change = KeyChange::new(key, Change::Set(serde_json::json!(values)));
    Ok((list, Fix::safe(vec![fm.edit(edit)], vec![change])))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rules::testing::{self, fixed};

    fn run(text: &str) -> Vec<Diagnostic> {
        testing::run(&testing::config(|_| {}), text, check)
    }

    #[test]
    fn removed_keys_are_renamed() {
        let text = "---\ntag: project\nalias: [Dana W]\n'cssclass': [wide]\n---\n";
        let out = run(text);
        let spans: Vec<_> = out.iter().map(|d| &text[d.span.clone()]).collect();
        assert_eq!(spans, ["tag", "alias", "'cssclass'"]);
        assert_eq!(
            out[0].message,
            "property `tag` is deprecated in Obsidian 1.4, no longer recognised since 1.9"
        );
        assert_eq!(out[0].help.as_deref(), Some("rename to `tags`"));
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntags: [project]\nalias: [Dana W]\n'cssclass': [wide]\n---\n"
        );
        assert_eq!(
            fixed(text, &out[2]),
            "---\ntag: project\nalias: [Dana W]\n'cssclasses': [wide]\n---\n"
        );
    }

    #[test]
    fn removed_key_next_to_its_plural_is_merged_into_it() {
        let text = "---\ntags: [a]\ntag: b\n---\n";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].span.clone()], "tag");
        assert_eq!(fixed(text, &out[0]), "---\ntags: [a, b]\n---\n");
        let text = "---\ntags:\n  - a\ntag: A, c\nx: 1\n---\n";
        let out = run(text);
        assert_eq!(
            fixed(text, &out[0]),
            "---\ntags:\n  - a\n  - c\nx: 1\n---\n"
        );
        assert_eq!(&text[out[0].labels[0].span.clone()], "tags");
        assert_eq!(
            out[0].help.as_deref(),
            Some("merge its values into `tags` and remove `tag`")
        );
    }

    #[test]
    fn strings_where_lists_belong() {
        let text = "---\naliases: Dana W\ncssclasses: 'wide'\ntags: a, b c\n---\n";
        let out = run(text);
        let spans: Vec<_> = out.iter().map(|d| &text[d.span.clone()]).collect();
        assert_eq!(spans, ["Dana W", "'wide'", "a, b c"]);
        assert_eq!(out[0].message, "`aliases` should be a list, not a string");
        assert_eq!(
            out[0].help.as_deref(),
            Some("write it as a list: `aliases: [Dana W]`")
        );
        assert_eq!(
            fixed(text, &out[0]),
            "---\naliases: [Dana W]\ncssclasses: 'wide'\ntags: a, b c\n---\n"
        );
        assert_eq!(
            fixed(text, &out[1]),
            "---\naliases: Dana W\ncssclasses: ['wide']\ntags: a, b c\n---\n"
        );
        assert_eq!(
            fixed(text, &out[2]),
            "---\naliases: Dana W\ncssclasses: 'wide'\ntags: [a, b, c]\n---\n"
        );
    }

    #[test]
    fn strings_that_would_not_survive_plain_are_quoted_or_left_to_the_user() {
        // A comma would split the alias in two; `#` would start a comment.
        let text = "---\naliases: Whitfield, Dana\ntags: '#a'\n---\n";
        let out = run(text);
        assert_eq!(out.len(), 2);
        assert!(out[0].fix.is_none(), "one alias or two is the user's call");
        assert!(out[0].help.as_deref().is_some_and(|h| h.contains("comma")));
        assert_eq!(
            fixed(text, &out[1]),
            "---\naliases: Whitfield, Dana\ntags: ['#a']\n---\n"
        );
        // A block scalar is not edited, and says why.
        let out = run("---\naliases: |\n  Dana\n---\n");
        assert!(out[0].fix.is_none());
        assert!(
            out[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("block scalar")),
            "{:?}",
            out[0].help
        );
        // Lists, empty values and other keys are fine.
        assert!(run("---\naliases: [a]\ntags:\n  - b\ncssclasses:\nalias_of: x\n---\n").is_empty());
        assert!(run("---\naliases: ''\n---\n").is_empty());
        assert!(run("no frontmatter\n").is_empty());
    }

    const FRAGMENTS: &[&str] = &[
        "tag",
        "tags",
        "alias",
        "aliases",
        "cssclass",
        "cssclasses",
        ": ",
        ":",
        "'",
        "\"",
        "\n",
        "\r\n",
        "  ",
        "- ",
        "[",
        "]",
        ",",
        "#",
        " #",
        "a",
        "é",
        "🎉",
        "\\",
        "|",
        ">",
        "~",
    ];

    proptest! {
        #[test]
        fn arbitrary_frontmatter_never_panics(
            parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
        ) {
            run(&format!("---\n{}\n---\n", parts.concat()));
        }
    }
}
