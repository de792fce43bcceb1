//! `properties/type`: values checked against Obsidian's property types, with and without a
//! `notelint.toml`; one value reported once.

use super::support::Vault;

const TYPES: &str = r#"{"types": {
  "done": "checkbox", "rating": "number", "due": "date", "at": "datetime",
  "summary": "text", "related": "multitext", "aliases": "aliases", "tags": "tags",
  "nicknames": "aliases", "labels": "tags"
}}"#;

/// A note whose every typed property is wrong, and one whose every value is right.
fn vault() -> Vault {
    Vault::new()
        .file(".obsidian/types.json", TYPES)
        .file(
            "wrong.md",
            "---\ndone: yes\nrating: \"4\"\ndue: 2025-02-30\nat: 2025-01-01\nsummary: [a, b]\n\
             related: Contoso\nnicknames: Dana\nlabels: project\n---\n",
        )
        .file(
            "right.md",
            "---\ndone: true\nrating: 4.5\ndue: 2025-02-28\nat: 2025-01-01T10:30\nsummary: text\n\
             related: [one, two]\nnicknames: [Dana]\nlabels: [project]\naliases: [D]\n\
             tags: [a]\n---\n",
        )
        .file(
            "empty.md",
            "---\ndone:\nrating:\ndue: ''\nat:\nsummary:\nrelated: []\nnicknames:\nlabels:\n---\n",
        )
}

fn concise(vault: &Vault) -> String {
    vault.run(&["check", "--format", "concise"]).transcript()
}

#[test]
fn each_type_is_checked_without_a_config() {
    insta::assert_snapshot!(concise(&vault()));
}

#[test]
fn each_type_is_checked_with_a_config_too() {
    let with = vault().file("notelint.toml", "[tags]\ninline = false\n");
    let without = vault();
    assert_eq!(concise(&with), concise(&without));
}

#[test]
fn findings_point_at_the_value_and_name_the_declared_type() {
    let vault = Vault::new()
        .file(".obsidian/types.json", TYPES)
        .file("a.md", "---\ntitle: x\ndone: yes\n---\n");
    insta::assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn a_lone_string_where_a_list_is_wanted_is_fixed_to_a_one_item_list() {
    let vault = vault();
    let run = vault.run(&["fix", "--diff"]);
    insta::assert_snapshot!(run.transcript());
    let run = vault.run(&["fix", "--format", "concise"]);
    assert!(
        run.transcript().contains("fixed 3 findings in 1 note"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        run.stdout.matches("properties/type").count(),
        5,
        "{}",
        run.stdout
    );
    let fixed = std::fs::read_to_string(vault.abs("wrong.md")).expect("note");
    assert!(fixed.contains("related: [Contoso]\nnicknames: [Dana]\nlabels: [project]\n"));
    // Fixed values are lists now: a second fix changes nothing.
    assert_eq!(
        vault
            .run(&["fix", "--check", "--select", "properties"])
            .code,
        0
    );
}

#[test]
fn tags_aliases_and_cssclasses_strings_stay_deprecated_key_findings() {
    let vault = Vault::new().file(".obsidian/types.json", TYPES).file(
        "a.md",
        "---\ntags: a b, c\naliases: Dana\ncssclasses: wide\n---\n",
    );
    let run = vault.run(&["check", "--format", "concise"]);
    assert!(!run.stdout.contains("properties/type"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("frontmatter/deprecated-key").count(), 3);
    // Their fix splits tags as Obsidian reads them: three tags, not one.
    assert_eq!(vault.run(&["fix"]).code, 0);
    let fixed = std::fs::read_to_string(vault.abs("a.md")).expect("note");
    assert!(fixed.contains("tags: [a, b, c]\n"), "{fixed}");
}

#[test]
fn a_key_the_schema_constrains_is_reported_by_the_schema_only() {
    let schema = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": { "rating": { "type": "integer" } }}"#;
    let vault = Vault::new()
        .file(".obsidian/types.json", TYPES)
        .file(
            "notelint.toml",
            "[schema]\ndefault = \"note.schema.json\"\n",
        )
        .file("note.schema.json", schema)
        .file("a.md", "---\nrating: \"4\"\ndone: yes\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_schema_that_closes_the_object_constrains_every_key() {
    let schema = r##"{"$schema": "https://json-schema.org/draft/2020-12/schema",
      "allOf": [{ "$ref": "#/$defs/base" }],
      "$defs": { "base": { "additionalProperties": false } }}"##;
    let vault = Vault::new()
        .file(".obsidian/types.json", TYPES)
        .file(
            "notelint.toml",
            "[schema]\ndefault = \"note.schema.json\"\n",
        )
        .file("note.schema.json", schema)
        .file("a.md", "---\ndone: yes\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert!(!run.stdout.contains("properties/type"), "{}", run.stdout);
    assert!(run.stdout.contains("schema/"), "{}", run.stdout);
}

#[test]
fn config_types_add_to_and_override_obsidian_types() {
    let vault = Vault::new()
        .file(".obsidian/types.json", TYPES)
        .file(
            "notelint.toml",
            "[properties]\ntypes = { rating = \"text\", priority = \"number\" }\n",
        )
        .file("a.md", "---\nrating: \"4\"\npriority: high\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn config_types_work_without_an_obsidian_folder() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[properties]\ntypes = { done = \"checkbox\" }\n",
        )
        .file("a.md", "---\ndone: \"true\"\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert!(
        run.stdout
            .contains("a.md:2:7: warning[properties/type] `done` is a checkbox property but holds the quoted text `true`"),
        "{}",
        run.stdout
    );
}

#[test]
fn obsidian_types_can_be_switched_off() {
    let vault = vault().file("notelint.toml", "[properties]\nobsidian_types = false\n");
    let run = vault.run(&["check", "--format", "concise", "--select", "properties"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn unknown_property_types_are_a_config_error_with_help() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[properties]\ntypes = { done = \"chekbox\" }\n",
        )
        .file("a.md", "---\ndone: true\n---\n");
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_date_field_that_is_not_a_date_is_reported_once_by_the_dates_rule() {
    // `created` is in the default `[dates] fields`; Obsidian also types it as a date.
    let vault = Vault::new()
        .file(".obsidian/types.json", r#"{"types": {"created": "date"}}"#)
        .file("a.md", "---\ncreated: 2025-02-30\n---\n")
        .file("b.md", "---\ncreated: 2025-02-03T10:00\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    insta::assert_snapshot!(run.transcript());
}
