//! `schema/*`: every failure points at the exact key or value, with specific help.

use insta::assert_snapshot;

use crate::support::{Vault, people_vault};

const GOOD: &str = "type: people\ntitle: Dana\ncreated: 2025-01-03\n";

fn note(extra: &str) -> String {
    format!("---\n{GOOD}{extra}---\n# Dana\n")
}

#[test]
fn unexpected_property_points_at_the_key_with_did_you_mean() {
    let vault = people_vault().file("People/Dana.md", note("last_contcat: 2025-11-06\n"));
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn wrong_type_points_at_the_value() {
    let vault = people_vault().file("Dana.md", note("auto_created: \"yes\"\n"));
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn enum_failure_lists_allowed_values() {
    let vault = people_vault().file("Dana.md", note("status: actve\n"));
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn missing_required_at_top_level_points_at_the_opening_line() {
    let vault = people_vault().file("Dana.md", "---\ntype: people\ntitle: Dana\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn missing_required_in_nested_mapping_points_at_its_key() {
    let vault = people_vault().file("Dana.md", note("address:\n  zip: \"12345\"\n"));
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn missing_required_in_a_list_item_mapping() {
    let vault = people_vault().file(
        "Dana.md",
        note("roles:\n  - name: lead\n  - title: x\n    other: y\n"),
    );
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn nested_list_item_in_flow_collection() {
    let vault = people_vault().file("Dana.md", note("roles: [{name: a}, {name: 3}]\n"));
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn const_pattern_format_min_items() {
    let vault = people_vault().file(
        "Dana.md",
        "---\ntype: people\ntitle: Dana\ncreated: 2025-02-30\nemail: dana(at)contoso\ncompany: Contoso\ntags: []\n---\n",
    )
    .file("Eve.md", "---\ntype: people\ntitle: Eve\ncreated: 2025-01-01\n---\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn const_failure_names_the_only_value() {
    let schema = r#"{"type":"object","properties":{"kind":{"const":"people"}}}"#;
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file("s.json", schema)
        .file("a.md", "---\nkind: person\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn dollar_schema_key_selects_the_schema() {
    let vault = people_vault()
        .file(
            "other.schema.json",
            r#"{"type":"object","required":["owner"]}"#,
        )
        .file(
            "Dana.md",
            "---\n$schema: other.schema.json\ntitle: Dana\n---\n",
        );
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn glob_association_wins_over_type() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema]\ntypes = { people = \"p.json\" }\n\n[[schema.paths]]\nglob = \"Daily/**\"\nschema = \"daily.json\"\n",
        )
        .file("p.json", r#"{"required":["title"]}"#)
        .file("daily.json", r#"{"required":["date"]}"#)
        .file("Daily/2025-01-01.md", "---\ntype: people\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert!(
        run.stdout.contains("missing required property `date`"),
        "{}",
        run.transcript()
    );
    assert!(!run.stdout.contains("`title`"), "{}", run.transcript());
}

#[test]
fn unknown_type_without_default() {
    let vault = people_vault().file("a.md", "---\ntype: poeple\ntitle: A\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn unknown_type_with_a_default_uses_the_default() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema]\ndefault = \"n.json\"\ntypes = { people = \"p.json\" }\n",
        )
        .file("p.json", "{}")
        .file("n.json", r#"{"required":["title"]}"#)
        .file("a.md", "---\ntype: vendor\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert!(
        run.stdout.contains("schema/required"),
        "{}",
        run.transcript()
    );
    assert!(!run.stdout.contains("unknown-type"), "{}", run.transcript());
}

#[test]
fn unused_associations_are_reported_in_the_config() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema]\ntypes = { people = \"p.json\", poeple = \"p.json\" }\n\n[[schema.paths]]\nglob = \"Meetngs/**\"\nschema = \"p.json\"\n",
        )
        .file("p.json", "{}")
        .file("a.md", "---\ntype: people\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
    let only_note = vault.run(&["check", "a.md", "--format", "concise"]);
    assert_eq!(
        only_note.code,
        0,
        "not reported when linting some files: {}",
        only_note.transcript()
    );
}

#[test]
fn draft_7_schema_is_honoured() {
    let schema = r#"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"n":{"type":"integer","exclusiveMaximum":5}}}"#;
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file("s.json", schema)
        .file("a.md", "---\nn: 7\n---\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}
