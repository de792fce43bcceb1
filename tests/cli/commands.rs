//! `rules`, `explain` and `schemas`.

use insta::assert_snapshot;

use crate::support::{Vault, people_vault};

#[test]
fn rules_lists_every_code() {
    let run = Vault::new().run(&["rules"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.stdout);
}

#[test]
fn explain_a_rule() {
    let run = Vault::new().run(&["explain", "frontmatter/duplicate-key"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.stdout);
}

#[test]
fn explain_an_unknown_rule() {
    let run = Vault::new().run(&["explain", "schema/enums"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `schema/enum`?"),
        "{}",
        run.transcript()
    );
}

#[test]
fn schemas_shows_the_association_and_why() {
    let vault = people_vault()
        .file(
            "notelint.toml",
            "[schema]\ndefault = \"schemas/common.schema.json\"\ntypes = { people = \"schemas/people.schema.json\", customer = \"schemas/people.schema.json\" }\n\n[[schema.paths]]\nglob = \"Daily/**\"\nschema = \"schemas/common.schema.json\"\n",
        )
        .file("People/Dana.md", "---\ntype: people\n---\n")
        .file("Daily/2025-01-01.md", "---\ntype: people\n---\n")
        .file("Own.md", "---\n$schema: schemas/people.schema.json\n---\n")
        .file("Plain.md", "# plain\n");
    let run = vault.run(&["schemas"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.stdout);
}

/// The repository's example vault: exactly its documented deliberate problems.
#[test]
fn example_vault_shows_its_deliberate_problems() {
    let output = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary built")
        .args([
            "check",
            "examples/vault",
            "--today",
            "2026-06-01",
            "--format",
            "concise",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("binary runs");
    assert_eq!(output.status.code(), Some(1));
    assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}
