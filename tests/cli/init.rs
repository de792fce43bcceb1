//! `notelint init`: the inferred files for a generated vault of known structure, `check`
//! with them reporting exactly the planted anomalies, determinism, and never overwriting.

use std::collections::BTreeSet;

use super::support::Vault;
use super::vault_gen::{Order, crm_vault};

const TODAY: &str = "2026-06-01";

/// The findings of `check --format json` as (path, code), sorted.
fn findings(vault: &Vault, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--format", "json", "--today", TODAY];
    all.extend_from_slice(args);
    let run = vault.run(&all);
    assert_ne!(run.code, 2, "check failed: {}", run.transcript());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let mut out: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn init_infers_the_structure_of_the_vault() {
    let generated = crm_vault(Order::Forward);
    let run = generated
        .vault
        .run(&["init", "--dry-run", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
    // A dry run writes nothing.
    assert!(!generated.vault.abs("notelint.toml").exists());
    assert!(!generated.vault.abs("schemas").exists());
}

#[test]
fn check_with_the_inferred_files_reports_exactly_the_planted_anomalies() {
    let generated = crm_vault(Order::Forward);
    let before = findings(&generated.vault, &[]);
    let run = generated.vault.run(&["init", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(generated.vault.abs("notelint.toml").is_file());
    let after = findings(&generated.vault, &[]);
    let planted: Vec<(String, String)> = generated
        .planted
        .iter()
        .map(|(path, code)| (path.clone(), (*code).to_owned()))
        .collect();
    assert_eq!(after, planted, "init printed:\n{}", run.stdout);
    // Without the inferred files, most of them go unnoticed.
    assert!(before.len() < planted.len() / 2, "{before:?}");
}

#[test]
fn init_is_deterministic_across_runs_and_file_orders() {
    let forward = crm_vault(Order::Forward);
    let reverse = crm_vault(Order::Reverse);
    let args = ["init", "--dry-run", "--today", TODAY];
    let first = forward.vault.run(&args);
    let again = forward.vault.run(&args);
    let reversed = reverse.vault.run(&args);
    assert_eq!(first.code, 0);
    assert_eq!(first.stdout, again.stdout);
    assert_eq!(first.stdout, reversed.stdout);
    // One worker thread walks and reads in another order again.
    let single = reverse
        .vault
        .run(&["init", "--dry-run", "--today", TODAY, "--jobs", "1"]);
    assert_eq!(first.stdout, single.stdout);
    // Written files are the printed ones, byte for byte.
    assert_eq!(forward.vault.run(&["init", "--today", TODAY]).code, 0);
    assert_eq!(reverse.vault.run(&["init", "--today", TODAY]).code, 0);
    for file in [
        "notelint.toml",
        "schemas/people.schema.json",
        "schemas/common.schema.json",
    ] {
        let a = std::fs::read(forward.vault.abs(file)).expect("written");
        let b = std::fs::read(reverse.vault.abs(file)).expect("written");
        assert_eq!(a, b, "{file} differs between file orders");
        let text = String::from_utf8(a).expect("UTF-8");
        assert!(
            first.stdout.contains(&text),
            "{file} is not what --dry-run printed"
        );
    }
}

#[test]
fn the_config_validates_against_config_schema_and_every_schema_compiles() {
    let generated = crm_vault(Order::Forward);
    let vault = &generated.vault;
    assert_eq!(vault.run(&["init", "--today", TODAY]).code, 0);
    let config_schema: serde_json::Value =
        serde_json::from_str(&vault.run(&["config-schema"]).stdout).expect("config schema");
    let text = std::fs::read_to_string(vault.abs("notelint.toml")).expect("config");
    let config: toml::Value = toml::from_str(&text).expect("TOML");
    let config = serde_json::to_value(config).expect("as JSON");
    let validator = jsonschema::validator_for(&config_schema).expect("config schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&config)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");

    let schemas: Vec<_> = std::fs::read_dir(vault.abs("schemas"))
        .expect("schemas folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(schemas.len(), 4, "{schemas:?}");
    for path in schemas {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(
            jsonschema::meta::is_valid(&schema),
            "{} is not a valid 2020-12 schema",
            path.display()
        );
    }
    // `check` compiles them all (a schema that does not compile exits 2).
    assert_eq!(vault.run(&["check", "--today", TODAY]).code, 1);
}

#[test]
fn init_never_overwrites_without_force() {
    let generated = crm_vault(Order::Forward);
    let vault = generated.vault.file("notelint.toml", "# mine\n");
    let run = vault.run(&["init", "--today", TODAY]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.transcript());
    assert_eq!(
        std::fs::read_to_string(vault.abs("notelint.toml")).expect("kept"),
        "# mine\n"
    );
    assert!(!vault.abs("schemas").exists(), "nothing written");
    // A dry run shows what would be written, whatever exists.
    assert_eq!(vault.run(&["init", "--dry-run", "--today", TODAY]).code, 0);
    let run = vault.run(&["init", "--force", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(vault.abs("notelint.toml")).expect("written");
    assert!(text.starts_with("# notelint.toml, inferred by `notelint init`"));
    // Running again writes the same files: nothing to overwrite.
    assert_eq!(vault.run(&["init", "--today", TODAY]).code, 0);
}

#[test]
fn write_baseline_records_the_findings_so_check_passes() {
    let generated = crm_vault(Order::Forward);
    let vault = &generated.vault;
    let run = vault.run(&[
        "init",
        "--today",
        TODAY,
        "--write-baseline",
        "baseline.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let recorded = format!(
        "recorded {} findings in baseline.json",
        generated.planted.len()
    );
    assert!(run.stdout.contains(&recorded), "{}", run.stdout);
    let check = vault.run(&["check", "--today", TODAY, "--baseline", "baseline.json"]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    // The same file `check --write-baseline` writes.
    let by_check = vault.run(&["check", "--today", TODAY, "--write-baseline", "again.json"]);
    assert_eq!(by_check.code, 0);
    assert_eq!(
        std::fs::read_to_string(vault.abs("baseline.json")).expect("baseline"),
        std::fs::read_to_string(vault.abs("again.json")).expect("baseline")
    );
}

#[test]
fn one_odd_value_neither_makes_a_type_nor_widens_a_property() {
    let generated = crm_vault(Order::Forward);
    let run = generated
        .vault
        .run(&["init", "--dry-run", "--today", TODAY]);
    // `poeple` (one note) is no type; `duration` stays an integer despite "an hour".
    assert!(!run.stdout.contains("poeple.schema.json"));
    assert!(
        run.stdout
            .contains("too rare to be a type: `poeple` (1 note)")
    );
    let meeting = run
        .stdout
        .split("==> schemas/meeting.schema.json <==")
        .nth(1)
        .expect("meeting schema");
    let duration: BTreeSet<&str> = meeting
        .lines()
        .skip_while(|l| !l.contains("\"duration\""))
        .take(3)
        .collect();
    assert!(
        duration.iter().any(|l| l.contains("\"type\": \"integer\"")),
        "{duration:?}"
    );
}

#[test]
fn a_vault_without_types_is_grouped_by_folder() {
    let mut vault = Vault::new();
    for i in 0..4 {
        vault = vault
            .file(
                &format!("Books/Book {i}.md"),
                format!("---\nauthor: Writer {i}\npages: {}\n---\n", 100 + i),
            )
            .file(
                &format!("Films/Film {i}.md"),
                format!("---\ndirector: Director {i}\nyear: {}\n---\n", 1990 + i),
            );
    }
    let run = vault.run(&["init", "--dry-run", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_folder_without_notes_is_an_error() {
    let vault = Vault::new().file("readme.txt", "not a note");
    let run = vault.run(&["init"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no notes found"), "{}", run.stderr);
}

#[test]
fn notes_nothing_groups_share_one_default_schema() {
    let mut vault = Vault::new();
    for i in 0..6 {
        let updated = if i == 4 {
            "soon".to_owned()
        } else {
            format!("{}", 1_640_000_000_000_u64 + i)
        };
        vault = vault.file(
            &format!("note.{i}.md"),
            format!("---\nid: n{i}\ntitle: Note {i}\nupdated: {updated}\n---\n"),
        );
    }
    let run = vault.run(&["init", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let config = std::fs::read_to_string(vault.abs("notelint.toml")).expect("config");
    assert!(
        config.contains("default = \"schemas/note.schema.json\""),
        "{config}"
    );
    // The one text among epoch numbers is the finding; `updated` is no date field.
    assert!(config.contains("fields = []"), "{config}");
    assert_eq!(
        findings(&vault, &[]),
        [("note.4.md".to_owned(), "schema/type".to_owned())]
    );
}
