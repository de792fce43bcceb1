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

/// `notelint.schema.json` (for editors) is what `notelint config-schema` prints.
#[test]
fn config_schema_is_in_sync_and_accepts_the_example_config() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Vault::new().run(&["config-schema"]);
    assert_eq!(run.code, 0);
    let committed =
        std::fs::read_to_string(root.join("notelint.schema.json")).expect("committed schema");
    assert_eq!(
        run.stdout, committed,
        "run `cargo run -- config-schema > notelint.schema.json` after changing the config types"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let example =
        std::fs::read_to_string(root.join("examples/vault/notelint.toml")).expect("example config");
    let example: serde_json::Value = toml::from_str(&example).expect("TOML");
    let errors: Vec<String> = validator
        .iter_errors(&example)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let typo: serde_json::Value = toml::from_str("[vault]\nexlude = []\n").expect("TOML");
    assert!(
        !validator.is_valid(&typo),
        "unknown keys are rejected, as by the config loader"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Vault::new().run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}");
        assert!(run.stdout.contains("notelint"), "{shell}");
        assert!(
            run.stdout.contains("stdin-filename"),
            "{shell} completes flags"
        );
    }
}
