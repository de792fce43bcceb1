//! `notelint fix` never changes a value it did not mean to change: each shape that once
//! corrupted a note, through the real binary, with the files' bytes checked afterwards.

use insta::assert_snapshot;

use crate::support::Vault;

/// The configuration of the reproductions: review rules, lower-case tags, type tags.
const CONFIG: &str = "[review]\nrequire_when = [{ auto_created = true }]\nforbid_when = [{ reviewed = true }]\n[tags]\ncase = \"lower\"\ntype_prefix = \"type/\"\n";

/// Runs `fix` on one note and returns the note afterwards, the run, and a check run.
fn fix_one(text: &str) -> (String, crate::support::Run, crate::support::Run) {
    let vault = Vault::new()
        .file("notelint.toml", CONFIG)
        .file("n.md", text);
    let run = vault.run(&["fix", "--format", "json"]);
    let after = std::fs::read_to_string(vault.abs("n.md")).expect("note still there");
    let check = vault.run(&["check", "--format", "json"]);
    (after, run, check)
}

fn json(run: &crate::support::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// Every finding the check reports fixable, as (code, fixable, help).
fn findings(run: &crate::support::Run) -> Vec<(String, bool, String)> {
    json(run)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["fixable"].as_bool().unwrap_or_default(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn block_scalar_tags_are_left_alone_and_not_fixable() {
    for header in ["|", "|-", "|+", ">", ">-"] {
        let text = format!("---\nauto_created: true\ntags: {header}\n  a b\n---\nbody\n");
        let (after, _, check) = fix_one(&text);
        assert_eq!(after, text, "{header}: the block scalar is untouched");
        let found = findings(&check);
        let review = found
            .iter()
            .find(|(code, ..)| code == "review/missing-tag")
            .expect("still reported");
        assert!(!review.1, "{header}: not fixable");
        assert!(
            review.2.contains("block scalar"),
            "{header}: says why: {}",
            review.2
        );
        assert_eq!(json(&check)["summary"]["fixable"], 0, "{header}");
    }
}

#[test]
fn a_deprecated_tag_key_is_merged_never_duplicated() {
    let (after, run, check) = fix_one("---\nauto_created: true\ntag: project\n---\n");
    assert_eq!(
        after,
        "---\nauto_created: true\ntags: [project, needs-review]\n---\n"
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(findings(&check).is_empty(), "{}", check.stdout);
    // Beside an existing `tags`, its values move into it.
    let (after, ..) = fix_one("---\nauto_created: true\ntags:\n  - a\ntag: b\n---\n");
    assert_eq!(
        after,
        "---\nauto_created: true\ntags:\n  - a\n  - needs-review\n  - b\n---\n"
    );
}

#[test]
fn null_tags_become_a_list() {
    for (value, want) in [
        ("~", "[needs-review]"),
        ("null", "[needs-review]"),
        ("NULL", "[needs-review]"),
        ("null # c", "[needs-review] # c"),
    ] {
        let (after, ..) = fix_one(&format!("---\nauto_created: true\ntags: {value}\n---\n"));
        assert_eq!(
            after,
            format!("---\nauto_created: true\ntags: {want}\n---\n")
        );
    }
}

#[test]
fn anchored_and_aliased_values_are_never_edited() {
    for text in [
        "---\nauto_created: true\ntags: &t [a, b]\nkeywords: *t\n---\n",
        "---\nauto_created: true\nkeywords: &t [a, b]\ntags: *t\n---\n",
        "---\nreviewed: true\ntags: &t [a, needs-review]\nkeywords: *t\n---\n",
    ] {
        let (after, _, check) = fix_one(text);
        assert_eq!(after, text);
        let found = findings(&check);
        assert!(found.iter().all(|(_, fixable, _)| !fixable), "{found:?}");
        assert!(
            found
                .iter()
                .any(|(_, _, help)| help.contains("anchor") || help.contains("alias")),
            "{found:?}"
        );
    }
}

#[test]
fn inserted_lines_take_the_line_ending_of_the_frontmatter() {
    let (after, ..) = fix_one("---\nauto_created: true\ntags:\n---\r\nbody\r\n");
    assert_eq!(
        after,
        "---\nauto_created: true\ntags:\n  - needs-review\n---\r\nbody\r\n"
    );
    let (after, ..) = fix_one("---\r\nauto_created: true\r\ntags:\r\n---\r\nbody\r\n");
    assert_eq!(
        after,
        "---\r\nauto_created: true\r\ntags:\r\n  - needs-review\r\n---\r\nbody\r\n"
    );
    let (after, ..) = fix_one("---\r\nauto_created: true\r\ntags:\r\n  - a\r\n---\r\n");
    assert_eq!(
        after,
        "---\r\nauto_created: true\r\ntags:\r\n  - a\r\n  - needs-review\r\n---\r\n"
    );
}

#[test]
fn invalid_review_tags_are_configuration_errors() {
    for tag in ["needs review", "it's", "", "123", "a,b", "a//b"] {
        let vault = Vault::new()
            .file("notelint.toml", format!("[review]\ntag = {tag:?}\n"))
            .file("n.md", "---\ntags: [a]\n---\n");
        let run = vault.run(&["check"]);
        assert_eq!(run.code, 2, "{tag:?}: {}", run.transcript());
        assert!(run.stderr.contains("review tag"), "{tag:?}: {}", run.stderr);
    }
    let vault = Vault::new()
        .file("notelint.toml", "[review]\ntag = \"needs review\"\n")
        .file("n.md", "---\ntags: [a]\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn review_variants_are_reported_once_each_by_the_tag_rules() {
    let text = "---\ntags: [needs-review, Needs-Review, needs_review]\n---\n";
    let vault = Vault::new()
        .file("notelint.toml", CONFIG)
        .file("n.md", text);
    let check = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(check.transcript());
    let json_run = vault.run(&["check", "--format", "json"]);
    let found = findings(&json_run);
    // One duplicate finding per extra copy, never two at one place.
    let duplicates = found.iter().filter(|(c, ..)| c == "tags/duplicate").count();
    assert_eq!(duplicates, 2);
    let run = vault.run(&["fix"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let after = std::fs::read_to_string(vault.abs("n.md")).expect("note");
    assert_eq!(after, "---\ntags: [needs-review]\n---\n");
}

#[test]
fn what_the_check_calls_fixable_is_fixed() {
    // A sample of shapes: every finding reported fixable is gone after one `fix`.
    let notes = [
        "---\nauto_created: true\ntags: a, #B\n---\n",
        "---\ntype: people\ntags:\n  - type/person\n  - '#Topic'\n  -\n---\n",
        "---\nreviewed: true\ntags: needs-review other\n---\n",
        "---\nauto_created: true\naliases: Dana\ncssclass: wide\n---\n",
    ];
    for text in notes {
        let vault = Vault::new()
            .file("notelint.toml", CONFIG)
            .file("n.md", text);
        let before = findings(&vault.run(&["check", "--format", "json"]));
        let fixable = before.iter().filter(|(_, f, _)| *f).count();
        assert!(fixable > 0, "{text:?}");
        vault.run(&["fix"]);
        let after = findings(&vault.run(&["check", "--format", "json"]));
        assert!(after.iter().all(|(_, f, _)| !f), "{text:?}: {after:?}");
        let left: Vec<&String> = after.iter().map(|(c, ..)| c).collect();
        let before_codes: Vec<&String> = before
            .iter()
            .filter(|(_, f, _)| !f)
            .map(|(c, ..)| c)
            .collect();
        assert!(
            left.iter().all(|c| before_codes.contains(c)),
            "{text:?}: fix left or created {left:?} (before, unfixable: {before_codes:?})"
        );
    }
}
