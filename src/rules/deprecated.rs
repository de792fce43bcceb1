//! `frontmatter/deprecated-key`: the properties Obsidian deprecated in 1.4 and no longer
//! recognises since 1.9 (`tag`, `alias`, `cssclass`), and the list properties written as a
//! single string.

use super::tags::{loads_as, split_tags};
use super::{Context, Rule};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::note::{Frontmatter, Note};
use crate::yaml::{Entry, Value};

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
        } else if LISTS.contains(&key.as_ref())
            && let Value::String(value) = &entry.value.value
            && !value.trim().is_empty()
        {
            out.push(string_not_list(note, fm, entry, &key, value));
        }
    }
    out
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
            ));
    }
    let mut d = d.with_help(format!("rename to `{plural}`"));
    // Only a key written as `tag`, `'tag'` or `"tag"` is renamed in place.
    let source = note.text.get(span.clone()).unwrap_or_default();
    let quote = usize::from(source.starts_with(['\'', '"']));
    if source.len() == key.len() + 2 * quote && source.get(quote..quote + key.len()) == Some(key) {
        let name = span.start + quote..span.start + quote + key.len();
        d.fix = Some(Fix {
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: name,
                replacement: plural.to_owned(),
            }],
        });
    }
    d
}

fn string_not_list(
    note: &Note,
    fm: &Frontmatter,
    entry: &Entry,
    key: &str,
    value: &str,
) -> Diagnostic {
    let span = fm.span(&entry.value.span);
    let mut d = Diagnostic::new(
        &DEPRECATED_KEY,
        span.clone(),
        format!("`{key}` should be a list, not a string"),
    );
    let source = note.text.get(span.clone()).unwrap_or_default();
    let list = if source.contains(['\n', '\r']) {
        None
    } else if key == "tags" {
        // notelint already reads `a, b c` as three tags: list them as such.
        let tags: Vec<&str> = split_tags(value).into_iter().map(|(_, t)| t).collect();
        let list = format!("[{}]", tags.join(", "));
        list_loads_as(&list, &tags).then_some(list)
    } else {
        loads_as(source, value, true).then(|| format!("[{source}]"))
    };
    match list {
        Some(list) => {
            d = d.with_help(format!("write it as a list: `{key}: {list}`"));
            d.fix = Some(Fix {
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span,
                    replacement: list,
                }],
            });
        }
        None => {
            d = d.with_help(format!(
                "write it as a list: `{key}: [...]`, or one `- item` line per value"
            ));
        }
    }
    d
}

/// Whether the flow list `list` loads as exactly the strings `want`.
fn list_loads_as(list: &str, want: &[&str]) -> bool {
    let text = format!("k: {list}\n");
    crate::yaml::load(&text, &crate::yaml::Limits::default())
        .ok()
        .and_then(|document| document.root.get("k").map(|e| e.value.to_json()))
        == Some(serde_json::json!(want))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;
    use crate::config::Config;
    use crate::lint::parse_options;

    fn run(text: &str) -> Vec<Diagnostic> {
        let config = Config::defaults(PathBuf::from("."));
        let note = Note::parse("a.md".into(), text.to_owned(), &parse_options(&config));
        let cx = Context::new(&config, jiff::civil::date(2026, 1, 1));
        let out = check(&note, &cx);
        let ok = |span: &std::ops::Range<usize>| {
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
        };
        for d in &out {
            assert!(ok(&d.span), "bad span {:?} in {text:?}", d.span);
            assert!(d.labels.iter().all(|l| ok(&l.span)));
            assert!(d.fix.iter().flat_map(|f| &f.edits).all(|e| ok(&e.span)));
            if d.fix.is_some() {
                let after = fixed(text, d);
                let note = Note::parse("a.md".into(), after.clone(), &parse_options(&config));
                let before = Note::parse("a.md".into(), text.to_owned(), &parse_options(&config));
                assert!(
                    before.parsed().is_none() || note.parsed().is_some(),
                    "fix broke the YAML: {after:?}"
                );
            }
        }
        out
    }

    fn fixed(text: &str, d: &Diagnostic) -> String {
        let Some(fix) = &d.fix else {
            panic!("no fix on {}", d.message);
        };
        let mut out = text.to_owned();
        for edit in fix.edits.iter().rev() {
            out.replace_range(edit.span.clone(), &edit.replacement);
        }
        out
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
            "---\ntags: project\nalias: [Dana W]\n'cssclass': [wide]\n---\n"
        );
        assert_eq!(
            fixed(text, &out[2]),
            "---\ntag: project\nalias: [Dana W]\n'cssclasses': [wide]\n---\n"
        );
    }

    #[test]
    fn removed_key_next_to_its_plural_is_not_renamed() {
        let text = "---\ntags: [a]\ntag: b\n---\n";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].span.clone()], "tag");
        assert!(out[0].fix.is_none());
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
    fn strings_that_would_not_survive_as_a_list_have_no_fix() {
        // A comma would split the alias in two; `#` would start a comment.
        let text = "---\naliases: Whitfield, Dana\ntags: '#a'\n---\n";
        let out = run(text);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|d| d.fix.is_none()));
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
