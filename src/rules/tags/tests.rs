use proptest::prelude::*;

use serde_spanned::Spanned;

use super::*;
use crate::config::Config;
use crate::rules::testing::{self, fixed};

fn config(edit: impl FnOnce(&mut crate::config::TagsConfig)) -> Config {
    testing::config(|config| edit(&mut config.settings.tags))
}

fn allowed(patterns: &[&str]) -> Vec<Spanned<String>> {
    patterns
        .iter()
        .map(|p| Spanned::new(0..0, (*p).to_owned()))
        .collect()
}

fn run(config: &Config, text: &str) -> Vec<Diagnostic> {
    testing::run(config, text, check)
}

/// `(code, spanned text)` of every finding, in span order.
fn found<'t>(text: &'t str, diagnostics: &[Diagnostic]) -> Vec<(&'static str, &'t str)> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.span.start, d.code(), &text[d.span.clone()]))
        .collect();
    out.sort();
    out.into_iter().map(|(_, code, s)| (code, s)).collect()
}

fn only<'d>(diagnostics: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
    diagnostics.iter().filter(|d| d.code() == code).collect()
}

#[test]
fn valid_tags_in_every_shape_are_quiet() {
    let config = config(|_| {});
    for text in [
        "---\ntags:\n  - a\n  - topic/storage\n---\n",
        "---\ntags: [a, 'b', \"c/d\"]\n---\n",
        "---\ntags: a, b c\n---\n",
        "---\ntags:\n---\nbody #tag\n",
        "---\ntags: []\n---\n",
        "---\ntitle: x\n---\n",
        "no frontmatter #ok\n",
        "---\ntags: [Ünïcode, _x, -y, a-b_c/d2]\n---\n",
    ] {
        assert!(
            run(&config, text).is_empty(),
            "{text}: {:?}",
            run(&config, text)
        );
    }
}

#[test]
fn invalid_tags_say_why() {
    let config = config(|_| {});
    let text =
        "---\ntags:\n  - a//b\n  - /a\n  - a/\n  - 2025\n  - \"q1 plan\"\n  - a.b\n  - x\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/invalid", "a//b"),
            ("tags/invalid", "/a"),
            ("tags/invalid", "a/"),
            ("tags/invalid", "2025"),
            ("tags/invalid", "q1 plan"),
            ("tags/invalid", "a.b"),
        ]
    );
    let messages: Vec<_> = out.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "tag `a//b` has an empty segment",
            "tag `/a` has an empty segment",
            "tag `a/` has an empty segment",
            "tag `2025` is all digits",
            "tag `q1 plan` contains whitespace",
            "tag `a.b` contains `.`",
        ]
    );
}

#[test]
fn non_string_items_are_invalid() {
    let config = config(|_| {});
    let text = "---\ntags: [2025, {a: 1}, [x], true, ok]\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/invalid", "2025"),
            ("tags/invalid", "{a: 1}"),
            ("tags/invalid", "[x]"),
            ("tags/invalid", "true"),
        ]
    );
    assert_eq!(out[0].message, "tag `2025` is all digits");
    assert_eq!(out[1].message, "item of `tags` is a mapping, not a tag");
    assert_eq!(out[3].message, "tag `true` is a boolean, not a string");
    assert_eq!(out[3].help.as_deref(), Some("quote it: `\"true\"`"));
    let text = "---\ntags: {a: 1}\n---\n";
    let out = run(&config, text);
    assert_eq!(out[0].message, "`tags` is a mapping, not a list of tags");
    assert_eq!(&text[out[0].span.clone()], "{a: 1}");
    let text = "---\ntags: 2025\n---\n";
    assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "2025")]);
}

#[test]
fn comma_and_space_strings_have_a_span_per_tag() {
    let config = config(|_| {});
    let text = "---\ntags: good, a//b   c.d,e\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [("tags/invalid", "a//b"), ("tags/invalid", "c.d")]
    );
    // Quoted without escapes: still exact.
    let text = "---\ntags: 'x, a//b'\n---\n";
    assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "a//b")]);
    // An escape: the pieces no longer line up, so the whole value is the span.
    let text = "---\ntags: \"x\\ta//b\"\n---\n";
    assert_eq!(
        found(text, &run(&config, text)),
        [("tags/invalid", "\"x\\ta//b\"")]
    );
    // A plain scalar over two lines still splits exactly.
    let text = "---\ntags: a\n  b//c\n---\n";
    assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "b//c")]);
}

#[test]
fn quoted_tags_point_inside_the_quotes() {
    let config = config(|_| {});
    let text = "---\ntags: ['a//b', \"c d\"]\n---\n";
    assert_eq!(
        found(text, &run(&config, text)),
        [("tags/invalid", "a//b"), ("tags/invalid", "c d")]
    );
}

#[test]
fn leading_hash_is_non_canonical_and_fixable() {
    let config = config(|_| {});
    let text = "---\ntags:\n  - \"#project\"\n  - '#a//b'\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/non-canonical", "#project"),
            ("tags/invalid", "#a//b")
        ]
    );
    assert_eq!(out[0].message, "tag `#project` has a leading `#`");
    assert_eq!(out[0].help.as_deref(), Some("write it as `project`"));
    assert_eq!(out[1].message, "tag `#a//b` has an empty segment");
    let after = fixed(text, &out[0]);
    assert_eq!(after, "---\ntags:\n  - \"project\"\n  - '#a//b'\n---\n");
    assert!(
        run(&config, &after)
            .iter()
            .all(|d| d.code() != "tags/non-canonical")
    );

    let text = "---\ntags: \"#a, #b\"\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [("tags/non-canonical", "#a"), ("tags/non-canonical", "#b")]
    );
    assert_eq!(fixed(text, &out[1]), "---\ntags: \"#a, b\"\n---\n");
}

#[test]
fn lower_case_rule_covers_frontmatter_and_inline_tags() {
    let config = config(|t| t.case = TagCase::Lower);
    let text = "---\ntags: [Topic/Storage, '#Mixed', ok]\n---\nSee #Inline and #fine.\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/non-canonical", "Topic/Storage"),
            ("tags/non-canonical", "#Mixed"),
            ("tags/non-canonical", "#Inline"),
        ]
    );
    assert_eq!(out[0].message, "tag `Topic/Storage` is not lower-case");
    assert_eq!(
        out[1].message,
        "tag `#Mixed` has a leading `#` and is not lower-case"
    );
    assert_eq!(out[2].help.as_deref(), Some("write it as `#inline`"));
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntags: [topic/storage, '#Mixed', ok]\n---\nSee #Inline and #fine.\n"
    );
    assert_eq!(
        fixed(text, &out[1]),
        "---\ntags: [Topic/Storage, 'mixed', ok]\n---\nSee #Inline and #fine.\n"
    );
    assert_eq!(
        fixed(text, &out[2]),
        "---\ntags: [Topic/Storage, '#Mixed', ok]\n---\nSee #inline and #fine.\n"
    );
    // `case = "any"` accepts upper case; the leading `#` is still non-canonical.
    let any = self::config(|_| {});
    assert_eq!(
        found(text, &run(&any, text)),
        [("tags/non-canonical", "#Mixed")]
    );
}

#[test]
fn lower_casing_that_would_change_the_yaml_type_has_no_fix() {
    let config = config(|t| t.case = TagCase::Lower);
    // `0X1F` is a string, `0x1f` a hex number.
    let text = "---\ntags: [0X1F]\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/non-canonical", "0X1F")]);
    assert!(out[0].fix.is_none());
}

#[test]
fn inline_tags_are_checked_only_when_enabled() {
    let on = config(|_| {});
    let text = "---\ntags: [a]\n---\nbody #a//b and #x\n";
    assert_eq!(found(text, &run(&on, text)), [("tags/invalid", "#a//b")]);
    let off = config(|t| t.inline = false);
    assert!(run(&off, text).is_empty());
}

#[test]
fn empty_items_point_at_the_dash_and_are_removed() {
    let config = config(|_| {});
    let text = "---\ntags:\n  - a\n  - \n  - \"\"\n  - b\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [("tags/empty", "-"), ("tags/empty", "\"\"")]
    );
    assert_eq!(out[0].message, "empty item in `tags`");
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntags:\n  - a\n  - \"\"\n  - b\n---\n"
    );
    assert_eq!(
        fixed(text, &out[1]),
        "---\ntags:\n  - a\n  - \n  - b\n---\n"
    );
    // Flow lists: `~` and `''` (an empty flow entry `[a, , b]` is a YAML syntax error).
    let text = "---\ntags: [a, ~, '']\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [("tags/empty", "~"), ("tags/empty", "''")]
    );
    assert_eq!(fixed(text, &out[0]), "---\ntags: [a, '']\n---\n");
    assert_eq!(fixed(text, &out[1]), "---\ntags: [a, ~]\n---\n");
}

#[test]
fn a_lone_empty_item_becomes_an_empty_list() {
    let config = config(|_| {});
    let text = "---\ntitle: x\ntags:\n- \n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/empty", "-")]);
    let after = fixed(text, &out[0]);
    assert_eq!(after, "---\ntitle: x\ntags: []\n---\n");
    assert!(run(&config, &after).is_empty());
    // CRLF lines are removed whole, line ending included.
    let text = "---\r\ntags:\r\n  - a\r\n  -\r\n---\r\n";
    let out = run(&config, text);
    assert_eq!(fixed(text, &out[0]), "---\r\ntags:\r\n  - a\r\n---\r\n");
}

#[test]
fn a_null_field_is_fine_but_a_commented_tag_is_reported() {
    let config = config(|_| {});
    let text = "---\ntags:\n---\n";
    assert!(run(&config, text).is_empty());
    let text = "---\ntags: # to do\n---\n";
    assert!(run(&config, text).is_empty());
    let text = "---\ntags: #project\n---\n";
    let out = run(&config, text);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].code(), "tags/empty");
    assert_eq!(
        out[0].message,
        "`tags` is empty: `#project` is a YAML comment"
    );
    assert!(out[0].fix.is_none());
    let text = "---\ntags:\n  - a\n  - #project\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/empty", "-")]);
    assert_eq!(
        out[0].message,
        "empty item in `tags`: `#project` is a YAML comment"
    );
    // Removing the line would lose what the author meant.
    assert!(out[0].fix.is_none());
}

#[test]
fn duplicates_compare_case_insensitively_after_normalisation() {
    let config = config(|_| {});
    let text = "---\ntags:\n  - storage\n  - Storage\n  - '#storage'\n  - other\n---\n";
    let out = run(&config, text);
    let dups = only(&out, "tags/duplicate");
    assert_eq!(dups.len(), 2);
    assert_eq!(&text[dups[0].span.clone()], "Storage");
    assert_eq!(
        dups[0].message,
        "tag `Storage` is already listed as `storage`"
    );
    assert_eq!(&text[dups[0].labels[0].span.clone()], "storage");
    assert_eq!(
        dups[0].labels[0].span.start,
        text.find("storage").expect("present")
    );
    assert_eq!(&text[dups[1].span.clone()], "#storage");
    assert_eq!(
        fixed(text, dups[0]),
        "---\ntags:\n  - storage\n  - '#storage'\n  - other\n---\n"
    );
    // Across fields and in flow lists too; the last item takes the comma before it.
    let config = self::config(|t| t.fields = vec!["tags".into(), "topics".into()]);
    let text = "---\ntags: [a, b]\ntopics: [c, A]\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/duplicate", "A")]);
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntags: [a, b]\ntopics: [c]\n---\n"
    );
    let text = "---\ntags: [a, a, b]\n---\n";
    let out = run(&config, text);
    assert_eq!(fixed(text, &out[0]), "---\ntags: [a, b]\n---\n");
    // Inside a string: the piece and one separator.
    let text = "---\ntags: a, b a\n---\n";
    let out = run(&config, text);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].span, 15..16);
    assert_eq!(&text[out[0].labels[0].span.clone()], "a");
    assert_eq!(fixed(text, &out[0]), "---\ntags: a, b\n---\n");
}

#[test]
fn inline_tags_are_never_duplicates() {
    let config = config(|_| {});
    let text = "---\ntags: [a]\n---\n#a #a #A\n";
    assert!(run(&config, text).is_empty());
}

#[test]
fn allowed_globs() {
    let config = config(|t| {
        t.allowed = allowed(&["needs-review", "type/*", "company/*", "topic/**"]);
    });
    let text = "---\ntags:\n  - type/people\n  - type/a/b\n  - topic/a/b\n  - Needs-Review\n  - tpoic/storage\n  - zzz\n---\nbody #Company/Contoso #elsewhere\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/not-allowed", "type/a/b"),
            ("tags/non-canonical", "Needs-Review"),
            ("tags/not-allowed", "tpoic/storage"),
            ("tags/not-allowed", "zzz"),
            ("tags/not-allowed", "#elsewhere"),
        ]
    );
    assert_eq!(out[0].message, "tag `type/a/b` is not allowed");
    assert_eq!(
        out[2].help.as_deref(),
        Some("did you mean `topic/storage`?")
    );
    assert_eq!(
        out[3].help.as_deref(),
        Some("allowed: `needs-review`, `type/*`, `company/*` or `topic/**`")
    );
    assert_eq!(&text[out[4].span.clone()], "#elsewhere");
    // A near miss of a literal pattern.
    let text = "---\ntags: [needs-reveiw]\n---\n";
    let out = run(&config, text);
    assert_eq!(out[0].help.as_deref(), Some("did you mean `needs-review`?"));
    // Patterns written in upper case match too.
    let upper = self::config(|t| t.allowed = allowed(&["Topic/*"]));
    assert!(run(&upper, "---\ntags: [topic/a]\n---\n").is_empty());
}

#[test]
fn invalid_tags_are_not_also_judged_by_the_allow_list() {
    let config = config(|t| {
        t.allowed = allowed(&["a"]);
        t.case = TagCase::Lower;
    });
    let text = "---\ntags: [B//C]\n---\n";
    assert_eq!(found(text, &run(&config, text)), [("tags/invalid", "B//C")]);
}

fn typed(edit: impl FnOnce(&mut crate::config::TagsConfig)) -> Config {
    config(|t| {
        t.type_prefix = Some("type/".into());
        edit(t);
    })
}

#[test]
fn type_tag_missing_points_at_the_type_value() {
    let config = typed(|_| {});
    let text = "---\ntype: people\ntags:\n  - company/contoso\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/type-mismatch", "people")]);
    assert_eq!(
        out[0].message,
        "note has type `people` but no tag `type/people`"
    );
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntype: people\ntags:\n  - company/contoso\n  - type/people\n---\n"
    );
    let text = "---\ntype: people\ntags: [a]\n---\n";
    let out = run(&config, text);
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntype: people\ntags: [a, type/people]\n---\n"
    );
    // No list to append to: reported without a fix.
    let text = "---\ntype: people\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/type-mismatch", "people")]);
    assert!(out[0].fix.is_none());
}

#[test]
fn type_tag_matches_case_insensitively_and_inline() {
    let config = typed(|_| {});
    assert!(run(&config, "---\ntype: People\ntags: [Type/people]\n---\n").is_empty());
    assert!(run(&config, "---\ntype: people\n---\nA #type/people note\n").is_empty());
    // No type field, or no prefix configured: nothing to check.
    assert!(run(&config, "---\ntags: [type/x]\n---\n").is_empty());
    let plain = self::config(|_| {});
    assert!(run(&plain, "---\ntype: people\n---\n").is_empty());
}

#[test]
fn a_different_type_tag_is_replaced() {
    let config = typed(|_| {});
    let text = "---\ntype: people\ntags:\n  - type/customer\n---\n";
    let out = run(&config, text);
    assert_eq!(found(text, &out), [("tags/type-mismatch", "type/customer")]);
    assert_eq!(
        out[0].message,
        "tag `type/customer` does not match the note's type `people`"
    );
    assert_eq!(&text[out[0].labels[0].span.clone()], "people");
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntype: people\ntags:\n  - type/people\n---\n"
    );
}

#[test]
fn extra_type_tags_are_each_reported() {
    let config = typed(|_| {});
    let text =
        "---\ntype: people\ntags:\n  - type/people\n  - type/customer\n  - type/project\n---\n";
    let out = run(&config, text);
    assert_eq!(
        found(text, &out),
        [
            ("tags/type-mismatch", "type/customer"),
            ("tags/type-mismatch", "type/project"),
        ]
    );
    assert_eq!(
        out[0].message,
        "tag `type/customer` is a second type tag; the note's type is `people`"
    );
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntype: people\ntags:\n  - type/people\n  - type/project\n---\n"
    );
    // Two wrong ones: the first is corrected, the second removed.
    let text = "---\ntype: people\ntags: [type/a, type/b]\n---\n";
    let out = run(&config, text);
    assert_eq!(
        fixed(text, &out[0]),
        "---\ntype: people\ntags: [type/people, type/b]\n---\n"
    );
    assert_eq!(
        fixed(text, &out[1]),
        "---\ntype: people\ntags: [type/a]\n---\n"
    );
}

// ---- property tests ----

const FRAGMENTS: &[&str] = &[
    "tags:",
    "tags: ",
    "type: people\n",
    "type: ",
    "\n",
    "\r\n",
    "  ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    ", ",
    "'",
    "\"",
    "#",
    " #",
    "a",
    "B",
    "/",
    "//",
    "type/",
    "x",
    "1",
    "é",
    "🎉",
    "~",
    "\\t",
    "\\",
    ": ",
    "|",
    ">",
    "aliases: ",
    "tag: ",
    "&a ",
    "*a",
    "!!str ",
];

fn frontmatter() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
        .prop_map(|parts| format!("---\n{}\n---\nbody #T #a//b\n", parts.concat()))
}

fn every_config() -> Vec<Config> {
    vec![
        config(|_| {}),
        typed(|t| {
            t.case = TagCase::Lower;
            t.allowed = allowed(&["type/*", "a", "topic/**"]);
            t.fields = vec!["tags".into(), "aliases".into()];
        }),
    ]
}

proptest! {
    #[test]
    fn arbitrary_frontmatter_never_panics(text in frontmatter()) {
        for config in every_config() {
            run(&config, &text);
        }
    }

    #[test]
    fn arbitrary_tag_strings_never_panic(tag in any::<String>(), quoted in any::<bool>()) {
        let value = if quoted { format!("'{}'", tag.replace('\'', "''")) } else { tag.clone() };
        for text in [
            format!("---\ntags: {value}\n---\n#{tag}\n"),
            format!("---\ntags:\n  - {value}\n---\n"),
            format!("---\ntype: people\ntags: [{value}]\n---\n"),
        ] {
            for config in every_config() {
                run(&config, &text);
            }
        }
    }
}
