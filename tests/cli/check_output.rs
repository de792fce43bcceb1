//! Output formats on one shared set of findings, the JSON contract, and output flags.

use insta::assert_snapshot;
use notelint::output::JsonOutput;

use crate::support::{Vault, people_vault};

/// One vault with an error, a warning and a multi-byte line, shared by every format test.
pub(crate) fn shared() -> Vault {
    people_vault()
        .file(
            "People/Zoë Brandt.md",
            "---\ntype: people\ntitle: Zoë — “Z”\ncreated: 2025-01-01\nstatus: actve\n---\n# Zoë\n",
        )
        .file("People/Dana.md", "---\ntype: poeple\ntitle: Dana\n---\n")
        .file("Broken.md", "---\ntitle: [unclosed\n---\n")
}

#[test]
fn human() {
    assert_snapshot!(shared().run(&["check"]).transcript());
}

#[test]
fn concise() {
    assert_snapshot!(shared().run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn json() {
    assert_snapshot!(shared().run(&["check", "--format", "json"]).transcript());
}

#[test]
fn json_is_the_documented_contract() {
    let run = shared().run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let document: JsonOutput = serde_json::from_str(&run.stdout).expect("JSON output deserialises");
    assert_eq!(document.version, 1);
    assert_eq!(document.summary.notes, 3);
    assert_eq!(document.summary.errors, 2);
    assert_eq!(document.summary.warnings, 1);
    let paths: Vec<&str> = document
        .diagnostics
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "sorted by path");
    let zoe = document
        .diagnostics
        .iter()
        .find(|d| d.code == "schema/enum")
        .expect("enum finding");
    // Columns count characters, not bytes; end columns are exclusive.
    assert_eq!(
        (zoe.line, zoe.column, zoe.end_line, zoe.end_column),
        (5, 9, 5, 14)
    );
    assert_eq!(zoe.byte_end - zoe.byte_start, "actve".len());
    // The exact field names, as SPEC 7 writes them.
    let raw: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let first = raw["diagnostics"][0].as_object().expect("object");
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "path",
            "code",
            "severity",
            "message",
            "line",
            "column",
            "end_line",
            "end_column",
            "byte_start",
            "byte_end",
            "help",
            "fixable"
        ]
    );
}

#[test]
fn statistics_and_quiet() {
    assert_snapshot!(
        shared()
            .run(&["check", "--format", "concise", "--statistics"])
            .transcript()
    );
    let quiet = shared().run(&["check", "--format", "concise", "--quiet"]);
    assert!(
        !quiet.stdout.contains("in 3 notes"),
        "{}",
        quiet.transcript()
    );
}

#[test]
fn select_and_ignore_take_codes_and_groups() {
    let vault = shared();
    let selected = vault.run(&[
        "check",
        "--format",
        "concise",
        "--quiet",
        "--select",
        "frontmatter",
    ]);
    assert_eq!(
        selected.stdout.lines().count(),
        1,
        "{}",
        selected.transcript()
    );
    assert!(selected.stdout.contains("frontmatter/syntax"));
    let ignored = vault.run(&[
        "check",
        "--format",
        "concise",
        "--quiet",
        "--ignore",
        "schema/enum,frontmatter",
    ]);
    assert_eq!(ignored.code, 0, "{}", ignored.transcript());
    assert!(ignored.stdout.contains("schema/unknown-type"));
    let unknown = vault.run(&["check", "--select", "shema"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `schema`?"),
        "{}",
        unknown.transcript()
    );
}

#[test]
fn fail_on_thresholds() {
    let vault = people_vault().file("a.md", "---\ntype: poeple\n---\n");
    assert_eq!(
        vault.run(&["check"]).code,
        0,
        "a warning does not fail by default"
    );
    assert_eq!(vault.run(&["check", "--fail-on", "warning"]).code, 1);
    assert_eq!(vault.run(&["check", "--fail-on", "info"]).code, 1);
}

#[test]
fn color_always_and_never() {
    let vault = shared();
    let colored = vault.run(&["check", "--color", "always"]);
    assert!(
        colored.stdout.contains('\u{1b}'),
        "ANSI escapes with --color always"
    );
    let plain = vault.run(&["check", "--color", "never"]);
    assert!(!plain.stdout.contains('\u{1b}'));
}

#[test]
fn usage_errors_exit_2() {
    let vault = shared();
    assert_eq!(vault.run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(vault.run(&["check", "no/such/path.md"]).code, 2);
}

#[test]
fn explicit_file_is_linted_alone() {
    let run = shared().run(&["check", "Broken.md", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn jobs_flag_gives_identical_output() {
    let vault = shared();
    let one = vault.run(&["check", "--jobs", "1", "--format", "json"]);
    let two = vault.run(&["check", "--jobs", "2", "--format", "json"]);
    assert_eq!(one.stdout, two.stdout);
}

/// Every format counts columns in characters (SPEC 7), the human header included: after
/// multibyte text the byte count would point further right than the finding.
#[test]
fn human_and_concise_agree_on_columns_after_multibyte_text() {
    let vault = Vault::new()
        .file("notelint.toml", "")
        .file("a.md", "# Zoë\n\nCafé 日本 🎉 [[missing]]\n");
    let concise = vault.run(&["check", "--format", "concise"]);
    assert!(
        concise.stdout.starts_with("a.md:3:11: error[links/broken]"),
        "{}",
        concise.transcript()
    );
    let human = vault.run(&["check", "--color", "never"]);
    assert!(
        human.stdout.contains("[a.md:3:11]"),
        "{}",
        human.transcript()
    );
}
