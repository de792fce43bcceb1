//! The CI formats, `sarif` and `github`: snapshots on the shared findings, the official SARIF
//! 2.1.0 schema, GitHub's escaping rules, multi-line spans and exit codes.

use insta::assert_snapshot;
use serde_json::Value;

use crate::check_output::shared;
use crate::support::{Run, Vault, people_vault};

/// The official OASIS SARIF 2.1.0 schema (see `tests/fixtures/README.md`).
const SARIF_SCHEMA: &str = include_str!("../fixtures/sarif-2.1.0.schema.json");

/// A vault whose findings stress what the shared one does not: a path with characters a URI
/// or a workflow command must escape, `%` in a message, a span over several lines, and a
/// finding with a secondary label.
fn awkward() -> Vault {
    people_vault()
        .file(
            "a,b:c%.md",
            "---\ntype: people\ntitle: Ada\ncreated: 2025-01-01\nstatus: 50%\n---\n",
        )
        .file(
            "Multi line.md",
            "---\ntype: people\ntitle:\n  first: Ada\n  last: Lovelace\ncreated: 2025-01-01\n---\n",
        )
        .file(
            "dup #1.md",
            "---\ntype: people\ntitle: Ada\ntitle: Bea\ncreated: 2025-01-01\n---\n",
        )
}

/// Stdout with the version number that changes every release replaced.
fn without_version(run: &Run) -> String {
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    run.transcript()
        .replace(&version, "\"version\": \"[VERSION]\"")
}

fn sarif_log(vault: &Vault) -> Value {
    let run = vault.run(&["check", "--format", "sarif"]);
    assert!(run.stderr.is_empty(), "{}", run.transcript());
    serde_json::from_str(&run.stdout).expect("SARIF output is JSON")
}

/// Every schema error in `log`, validated as the schema declares itself (draft-04) and again
/// as draft-07, so that `format: uri-reference` (which draft-04 does not define) is checked.
fn schema_errors(log: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("schema is JSON");
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let declared = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles");
    let draft_7 = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles as draft-07");
    declared
        .iter_errors(log)
        .chain(draft_7.iter_errors(log))
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn sarif() {
    let run = shared().run(&["check", "--format", "sarif"]);
    assert_snapshot!(without_version(&run));
}

#[test]
fn github() {
    assert_snapshot!(shared().run(&["check", "--format", "github"]).transcript());
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let clean = people_vault().file(
        "People/Ada.md",
        "---\ntype: people\ntitle: Ada\ncreated: 2025-01-01\n---\n",
    );
    for vault in [shared(), awkward(), clean] {
        let log = sarif_log(&vault);
        let errors = schema_errors(&log);
        assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    }
    // The validation bites: a bad level and a URI with a raw space are both caught.
    let mut broken = sarif_log(&shared());
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "People/Zoë Brandt.md".into();
    let errors = schema_errors(&broken);
    assert!(errors.iter().any(|e| e.contains("fatal")), "{errors:#?}");
    assert!(
        errors.iter().any(|e| e.contains("uri-reference")),
        "{errors:#?}"
    );
}

#[test]
fn sarif_points_at_rules_and_character_columns() {
    let log = sarif_log(&shared());
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "notelint");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at its rule"
        );
    }
    let enum_result = results
        .iter()
        .find(|r| r["ruleId"] == "schema/enum")
        .expect("enum result");
    assert_eq!(enum_result["level"], "error");
    let location = &enum_result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "People/Zo%C3%AB%20Brandt.md"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    // Columns count characters, not bytes; the end column is exclusive, as in JSON output.
    assert_eq!(
        [
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ],
        [5, 9, 5, 14]
    );
    let unknown = results
        .iter()
        .find(|r| r["ruleId"] == "schema/unknown-type")
        .expect("warning result");
    assert_eq!(unknown["level"], "warning");
    assert_eq!(
        unknown["message"]["text"],
        "no schema for type `poeple`\nhelp: did you mean `people`?"
    );
    let descriptor = rules
        .iter()
        .find(|r| r["id"] == "schema/unknown-type")
        .expect("descriptor");
    assert_eq!(descriptor["defaultConfiguration"]["level"], "warning");
    assert!(
        descriptor["help"]["markdown"]
            .as_str()
            .is_some_and(|help| help.contains("## What it finds")),
        "{descriptor:#}"
    );
}

#[test]
fn sarif_carries_secondary_labels_and_escaped_uris() {
    let log = sarif_log(&awkward());
    let results = log["runs"][0]["results"].as_array().expect("results");
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"a,b%3Ac%25.md"), "{uris:?}");
    assert!(uris.contains(&"dup%20%231.md"), "{uris:?}");
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "frontmatter/duplicate-key")
        .expect("duplicate key");
    let related = duplicate["relatedLocations"].as_array().expect("labels");
    assert!(!related.is_empty(), "{duplicate:#}");
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 3);
}

#[test]
fn github_escapes_properties_and_data() {
    let run = awkward().run(&["check", "--format", "github"]);
    let line = run
        .stdout
        .lines()
        .find(|line| line.contains("title=schema/enum"))
        .unwrap_or_else(|| panic!("{}", run.transcript()));
    assert_eq!(
        line,
        "::error file=a%2Cb%3Ac%25.md,line=5,col=9,endLine=5,endColumn=12,title=schema/enum::\
         `status` has value `50%25`, which is not allowed%0Ahelp: allowed values: `active`, `inactive`"
    );
}

#[test]
fn github_drops_columns_for_multi_line_spans() {
    let run = awkward().run(&["check", "--format", "github"]);
    let line = run
        .stdout
        .lines()
        .find(|line| line.contains("file=Multi line.md") && line.contains("title=schema/type"))
        .unwrap_or_else(|| panic!("{}", run.transcript()));
    assert!(
        line.starts_with("::error file=Multi line.md,line=4,endLine=5,title=schema/type::"),
        "{line}"
    );
    assert!(!line.contains("col="), "{line}");
    assert!(!line.contains("endColumn="), "{line}");
}

#[test]
fn github_totals_count_past_the_inline_limit() {
    let mut vault = Vault::new();
    for i in 0..12 {
        vault = vault.file(&format!("note {i:02}.md"), "---\ntitle: [unclosed\n---\n");
    }
    let run = vault.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        12
    );
    assert_eq!(
        lines.last().copied(),
        Some("::notice title=notelint::12 errors, 0 warnings in 12 notes")
    );
    let quiet = vault.run(&["check", "--format", "github", "--quiet"]);
    assert!(!quiet.stdout.contains("::notice"), "{}", quiet.transcript());
}

#[test]
fn ci_formats_exit_like_the_others() {
    let warnings_only = people_vault().file("a.md", "---\ntype: poeple\n---\n");
    let clean = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    for vault in [shared(), warnings_only, clean] {
        for args in [&["check"][..], &["check", "--fail-on", "warning"]] {
            let expected = vault.run(&[args, &["--format", "json"]].concat()).code;
            for format in ["sarif", "github"] {
                let run = vault.run(&[args, &["--format", format]].concat());
                assert_eq!(
                    run.code,
                    expected,
                    "{format} {args:?}\n{}",
                    run.transcript()
                );
            }
        }
    }
    assert_eq!(shared().run(&["check", "--format", "sarif"]).code, 1);
}
