//! The GitLab and JUnit reports (snapshots on the shared findings, their shape as GitLab and
//! the JUnit schema define it, stable fingerprints), and several reports from one run
//! (`--format FORMAT=FILE`, `--output-file`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use insta::assert_snapshot;
use serde::Deserialize;

use crate::check_output::shared;
use crate::support::{Run, Vault, people_vault};

/// GitLab's Code Quality issue as its documentation defines it ("Code Quality report
/// format"): written here from the documentation, not from notelint's types, so that the
/// test fails when the output leaves the format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeQualityIssue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: CodeQualitySeverity,
    location: CodeQualityLocation,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum CodeQualitySeverity {
    Info,
    Minor,
    Major,
    Critical,
    Blocker,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeQualityLocation {
    path: String,
    lines: CodeQualityLines,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeQualityLines {
    begin: u64,
    end: Option<u64>,
}

fn gitlab_issues(run: &Run) -> Vec<CodeQualityIssue> {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not a Code Quality report: {err}\n{}", run.transcript()))
}

#[test]
fn gitlab() {
    assert_snapshot!(shared().run(&["check", "--format", "gitlab"]).transcript());
}

#[test]
fn junit() {
    assert_snapshot!(shared().run(&["check", "--format", "junit"]).transcript());
}

#[test]
fn gitlab_is_the_documented_code_quality_format() {
    let run = shared().run(&["check", "--format", "gitlab"]);
    assert_eq!(run.code, 1);
    let issues = gitlab_issues(&run);
    assert_eq!(issues.len(), 3);
    let enum_issue = issues
        .iter()
        .find(|i| i.check_name == "schema/enum")
        .expect("enum finding");
    assert_eq!(enum_issue.severity, CodeQualitySeverity::Major);
    assert_eq!(enum_issue.location.path, "People/Zoë Brandt.md");
    assert_eq!(
        (
            enum_issue.location.lines.begin,
            enum_issue.location.lines.end
        ),
        (5, Some(5))
    );
    assert!(
        enum_issue
            .description
            .starts_with("`status` has value `actve`")
            && enum_issue.description.contains("allowed values"),
        "{enum_issue:?}"
    );
    let warning = issues
        .iter()
        .find(|i| i.check_name == "schema/unknown-type")
        .expect("warning");
    assert_eq!(warning.severity, CodeQualitySeverity::Minor);
    let fingerprints: BTreeSet<&str> = issues.iter().map(|i| i.fingerprint.as_str()).collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // A clean vault is an empty array, not nothing.
    let clean = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    let run = clean.run(&["check", "--format", "gitlab"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

#[test]
fn gitlab_fingerprints_survive_edits_elsewhere_and_tell_repeats_apart() {
    let note = |before: &str| {
        format!(
            "---\ntype: people\n{before}title: Ada\ncreated: 2025-01-01\nstatus: actve\n---\n\
             [[Missing]]\n\nand again [[Missing]]\n"
        )
    };
    let fingerprints = |vault: &Vault| -> BTreeMap<(String, u64), String> {
        let run = vault.run(&["check", "--format", "gitlab"]);
        gitlab_issues(&run)
            .into_iter()
            .map(|i| ((i.check_name, i.location.lines.begin), i.fingerprint))
            .collect()
    };
    let vault = people_vault().file("People/Ada.md", note(""));
    let first = fingerprints(&vault);
    assert_eq!(first.len(), 3, "{first:?}");
    assert_eq!(first, fingerprints(&vault), "stable across runs");
    let unique: BTreeSet<&String> = first.values().collect();
    assert_eq!(unique.len(), 3, "two equal findings get two fingerprints");

    // A key added above moves every finding down a line; no fingerprint changes.
    let edited = people_vault().file("People/Ada.md", note("email: ada@example.com\n"));
    let moved: BTreeMap<(String, u64), String> = first
        .iter()
        .map(|((code, line), f)| ((code.clone(), line + 1), f.clone()))
        .collect();
    assert_eq!(fingerprints(&edited), moved);

    // The same findings in another note are other findings.
    let other = people_vault()
        .file("People/Ada.md", note(""))
        .file("People/Bea.md", note(""));
    let run = other.run(&["check", "--format", "gitlab"]);
    let all: BTreeSet<String> = gitlab_issues(&run)
        .into_iter()
        .map(|i| i.fingerprint)
        .collect();
    assert_eq!(all.len(), 6);
}

#[test]
fn gitlab_and_junit_paths_are_vault_relative_wherever_notelint_runs() {
    // As in `json` and `sarif` (SPEC 1): the same report from the repository root and from
    // the vault's folder.
    let repo = Vault::new()
        .file("docs/notelint.toml", "")
        .file("docs/a.md", "---\ntitle: [oops\n---\n");
    let from_root = repo.run(&["check", "docs", "--format", "gitlab"]);
    let from_vault = repo.run_in(&repo.abs("docs"), &["check", "--format", "gitlab"]);
    let (root_issues, vault_issues) = (gitlab_issues(&from_root), gitlab_issues(&from_vault));
    assert_eq!(root_issues[0].location.path, "a.md");
    assert_eq!(vault_issues[0].location.path, "a.md");
    assert_eq!(root_issues[0].fingerprint, vault_issues[0].fingerprint);
    let junit = repo.run(&["check", "docs", "--format", "junit"]);
    assert!(
        junit.stdout.contains("classname=\"a.md\""),
        "{}",
        junit.transcript()
    );
}

/// One `testcase` as the JUnit reader sees it.
#[derive(Debug)]
struct TestCase {
    classname: String,
    name: String,
    /// `(type, message, text)` of each `failure`.
    failures: Vec<(String, String, String)>,
}

/// The test cases of a JUnit report, after checking the document's frame: one
/// `testsuites` holding one `testsuite`, and counts that match the test cases.
fn junit_cases(xml: &str) -> Vec<TestCase> {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1, "one testsuite");
    let suite = suites[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    let cases: Vec<TestCase> = suite
        .children()
        .filter(|n| n.is_element())
        .map(|case| {
            assert_eq!(case.tag_name().name(), "testcase");
            TestCase {
                classname: case.attribute("classname").expect("classname").to_owned(),
                name: case.attribute("name").expect("name").to_owned(),
                failures: case
                    .children()
                    .filter(|n| n.is_element())
                    .map(|failure| {
                        assert_eq!(failure.tag_name().name(), "failure");
                        (
                            failure.attribute("type").unwrap_or_default().to_owned(),
                            failure.attribute("message").unwrap_or_default().to_owned(),
                            failure.text().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
    for element in [root, suite] {
        assert_eq!(element.attribute("tests"), Some(&*cases.len().to_string()));
        assert_eq!(element.attribute("failures"), Some(&*failures.to_string()));
        assert_eq!(element.attribute("errors"), Some("0"));
    }
    cases
}

#[test]
fn junit_has_a_failing_case_per_finding_and_a_passing_case_per_clean_note() {
    let vault = shared()
        .file(
            "People/Ada.md",
            "---\ntype: people\ntitle: Ada\ncreated: 2025-01-01\n---\n",
        )
        // Two findings with one code at one position: the names must still differ.
        .file("People/Cy.md", "---\ntype: people\n---\n");
    let run = vault.run(&["check", "--format", "junit"]);
    assert_eq!(run.code, 1);
    let cases = junit_cases(&run.stdout);
    let json = vault.run(&["check", "--format", "json"]);
    let document: notelint::output::JsonOutput =
        serde_json::from_str(&json.stdout).expect("JSON report");
    let failing: Vec<&TestCase> = cases.iter().filter(|c| !c.failures.is_empty()).collect();
    assert_eq!(failing.len(), document.diagnostics.len());
    for (case, finding) in failing.iter().zip(&document.diagnostics) {
        assert_eq!(case.classname, finding.path);
        assert!(
            case.name.starts_with(&format!(
                "{} at {}:{}",
                finding.code, finding.line, finding.column
            )),
            "{case:?}"
        );
        assert_eq!(
            case.failures.len(),
            1,
            "one failure per test case: {case:?}"
        );
        let (kind, message, text) = &case.failures[0];
        assert_eq!((kind, message), (&finding.code, &finding.message));
        assert!(
            text.starts_with(&format!("{}: ", finding.severity)),
            "{text}"
        );
    }
    let names: BTreeSet<(&str, &str)> = cases
        .iter()
        .map(|c| (c.classname.as_str(), c.name.as_str()))
        .collect();
    assert_eq!(names.len(), cases.len(), "class and name are unique");
    assert!(
        cases
            .iter()
            .any(|c| c.classname == "People/Cy.md" && c.name.ends_with(" (2)")),
        "{cases:#?}"
    );
    let clean: Vec<&str> = cases
        .iter()
        .filter(|c| c.failures.is_empty())
        .map(|c| c.classname.as_str())
        .collect();
    assert_eq!(clean, ["People/Ada.md"]);
    assert_eq!(document.summary.notes, 5);
}

#[test]
fn junit_carries_markup_and_control_characters_safely() {
    let vault = people_vault().file(
        "a <&> \"q\".md",
        "---\ntype: people\ntitle: Ada\ncreated: 2025-01-01\nstatus: \"<b>&amp;\\u001b]]>\"\n---\n",
    );
    let run = vault.run(&["check", "--format", "junit"]);
    let cases = junit_cases(&run.stdout);
    assert_eq!(cases[0].classname, "a <&> \"q\".md");
    let (_, message, _) = &cases[0].failures[0];
    assert!(message.contains("<b>&amp;"), "{message}");
    assert!(message.contains("\\u{1b}]]>"), "{message}");
}

/// Validates `xml` against the Jenkins/Surefire JUnit schema with `xmllint`. CI installs
/// it (`.ci/run`); elsewhere the check is skipped, with a note, when it is missing.
fn validate_against_xsd(xml: &str) -> Option<Result<(), String>> {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit-10.xsd");
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.xml");
    std::fs::write(&report, xml).expect("write report");
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&report)
        .output();
    match output {
        Ok(output) if output.status.success() => Some(Ok(())),
        Ok(output) => Some(Err(String::from_utf8_lossy(&output.stderr).into_owned())),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("xmllint is missing in CI (.ci/run installs libxml2-utils)")
        }
        Err(_) => {
            eprintln!("note: xmllint not installed; JUnit schema validation skipped");
            None
        }
    }
}

#[test]
fn junit_validates_against_the_junit_schema() {
    let clean = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    let empty = Vault::new().file("notelint.toml", "");
    let markup = people_vault().file(
        "a <&>.md",
        "---\ntype: people\ntitle: Ada\ncreated: 2025-01-01\nstatus: \"<b>\\u001b\"\n---\n",
    );
    for vault in [shared(), clean, empty, markup] {
        let run = vault.run(&["check", "--format", "junit"]);
        if let Some(result) = validate_against_xsd(&run.stdout) {
            result.unwrap_or_else(|errors| panic!("{errors}\n{}", run.stdout));
        }
    }
    // The validation bites: a test case without a name is refused.
    let run = shared().run(&["check", "--format", "junit"]);
    let broken = run
        .stdout
        .replacen(" name=\"schema/", " title=\"schema/", 1);
    if let Some(result) = validate_against_xsd(&broken) {
        assert!(result.is_err(), "{broken}");
    }
}

#[test]
fn several_reports_from_one_run_match_single_runs() {
    let warnings_only = people_vault().file("a.md", "---\ntype: poeple\n---\n");
    let clean = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    for vault in [shared(), warnings_only, clean] {
        for fail_on in ["error", "warning"] {
            let single =
                |format: &str| vault.run(&["check", "--fail-on", fail_on, "--format", format]);
            let run = vault.run(&[
                "check",
                "--fail-on",
                fail_on,
                "--format",
                "github",
                "--format",
                "sarif=out.sarif",
                "--format",
                "json=report.json",
                "--format",
                "junit=report.xml",
            ]);
            let github = single("github");
            assert_eq!(run.stdout, github.stdout);
            assert_eq!(run.code, github.code, "the exit code of one format");
            assert!(run.stderr.is_empty(), "{}", run.transcript());
            for (file, format) in [
                ("out.sarif", "sarif"),
                ("report.json", "json"),
                ("report.xml", "junit"),
            ] {
                let written = std::fs::read_to_string(vault.abs(file)).expect("report written");
                assert_eq!(written, single(format).stdout, "{file}");
            }
        }
    }
}

#[test]
fn output_file_takes_the_single_format_and_replaces_the_old_report() {
    let vault = shared().file("report.txt", "an old report");
    let run = vault.run(&["check", "--output-file", "report.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "nothing on standard output");
    let human = vault.run(&["check", "--color", "always"]);
    let written = std::fs::read_to_string(vault.abs("report.txt")).expect("written");
    assert!(!written.contains('\u{1b}'), "never coloured: {written}");
    assert_eq!(
        written,
        vault.run(&["check", "--color", "never"]).stdout,
        "{}",
        human.stdout
    );
    let json = vault.run(&["check", "--format", "json", "--output-file", "report.txt"]);
    assert_eq!(json.code, 1);
    let written = std::fs::read_to_string(vault.abs("report.txt")).expect("written");
    assert_eq!(written, vault.run(&["check", "--format", "json"]).stdout);
    // Written through a temporary file beside it: nothing is left behind.
    let names: Vec<String> = std::fs::read_dir(vault.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".notelint-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn destination_usage_errors() {
    let vault = shared();
    for (args, message) in [
        (
            &["--format", "github", "--format", "json"][..],
            "at most one format can go to standard output",
        ),
        (
            &["--format", "json=r.json", "--output-file", "x"],
            "--output-file cannot be combined with --format FORMAT=FILE",
        ),
        (
            &[
                "--format",
                "json",
                "--format",
                "sarif",
                "--output-file",
                "x",
            ],
            "--output-file takes a single format",
        ),
        (
            &["--format", "json=r.json", "--format", "sarif=./r.json"],
            "two formats would write to ./r.json",
        ),
        (&["--format", "xml"], "unknown format `xml`"),
        (&["--format", "json="], "`json=` names no file"),
    ] {
        let run = vault.run(&[&["check"][..], args].concat());
        assert_eq!(run.code, 2, "{args:?}\n{}", run.transcript());
        assert!(
            run.stderr.contains(message),
            "{args:?}\n{}",
            run.transcript()
        );
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!vault.abs("r.json").exists() && !vault.abs("x").exists());
    }
    let help = vault.run(&["check", "--help"]);
    let words: Vec<&str> = help.stdout.split_whitespace().collect();
    assert!(
        words
            .join(" ")
            .contains("human, concise, json, sarif, github, gitlab, junit"),
        "{}",
        help.stdout
    );
}

#[test]
fn an_unwritable_report_fails_the_run_but_not_the_others() {
    let vault = shared();
    let run = vault.run(&[
        "check",
        "--format",
        "concise",
        "--format",
        "json=no/such/folder/report.json",
        "--format",
        "sarif=out.sarif",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("error: cannot write no/such/folder/report.json:"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.contains("schema/enum"), "{}", run.transcript());
    assert!(vault.abs("out.sarif").exists());
}

#[test]
fn format_from_the_environment_still_works() {
    let vault = shared();
    let output = vault
        .command(vault.path(), &["check"])
        .env("NOTELINT_FORMAT", "concise")
        .output()
        .expect("runs");
    let run = vault.finish(&output);
    assert_eq!(
        run.stdout,
        vault.run(&["check", "--format", "concise"]).stdout
    );
}
