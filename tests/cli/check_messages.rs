//! What the user reads: columns after a byte order mark, line breaks in GitHub's `file=`,
//! invalid and missing schemas, help for YAML slips, deprecated keys, Obsidian's `/regex/`
//! excluded-files filters, the swapped-link hint, and the `--statistics` legend.

use insta::assert_snapshot;
use serde_json::Value;

use crate::support::Vault;

/// `(message, help)` of every diagnostic in a JSON run.
fn messages_and_helps(stdout: &str) -> Vec<(String, String)> {
    let json: Value = serde_json::from_str(stdout).expect("json output");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (
                format!("{}: {}", text("path"), text("message")),
                text("help"),
            )
        })
        .collect()
}

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let vault = Vault::new().file("bom.md", "\u{feff}[[x]] and [[y]]\n");
    let concise = vault.run(&["check", "--format", "concise"]);
    assert!(
        concise
            .stdout
            .starts_with("bom.md:1:1: error[links/broken] link target `x`")
            && concise
                .stdout
                .contains("bom.md:1:11: error[links/broken] link target `y`"),
        "{}",
        concise.transcript()
    );
    let json: Value =
        serde_json::from_str(&vault.run(&["check", "--format", "json"]).stdout).expect("json");
    let first = &json["diagnostics"][0];
    assert_eq!(
        (first["column"].as_u64(), first["end_column"].as_u64()),
        (Some(1), Some(6))
    );
    let sarif: Value =
        serde_json::from_str(&vault.run(&["check", "--format", "sarif"]).stdout).expect("sarif");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 1, "{region}");
    let human = vault.run(&["check"]);
    assert!(
        human.stdout.contains("[bom.md:1:1]"),
        "{}",
        human.transcript()
    );
}

#[test]
fn github_encodes_line_breaks_in_file_names() {
    let vault = Vault::new().file("two\nlines\r.md", "[[x]]\n");
    let run = vault.run(&["check", "--format", "github"]);
    assert!(
        run.stdout
            .starts_with("::error file=two%0Alines%0D.md,line=1,col=1,"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_schema_that_breaks_its_draft_is_shown_at_the_bad_value() {
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file(
            "s.json",
            "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"n\": { \"type\": \"integr\" }\n  }\n}\n",
        )
        .file("a.md", "# A\n");
    let run = vault.run(&["check", "--color", "never"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn every_missing_schema_file_is_reported() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema]\ndefault = \"schemas/note.json\"\ntypes = { people = \"schemas/peple.json\", customer = \"schemas/customr.json\" }\n",
        )
        .file("a.md", "# A\n");
    let run = vault.run(&["check"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn common_yaml_slips_get_help() {
    let notes = [
        ("at.md", "author: @kepano"),
        ("backtick.md", "title: `code` here"),
        ("alias.md", "title: *important*"),
        ("block.md", "summary: | see below"),
        ("colon.md", "title: Meeting: notes"),
        ("quotes.md", "title: \"Dune\" by Herbert"),
        ("flow.md", "people: [ada, @bea]"),
        ("tab.md", "tags:\n\t- a"),
    ];
    let mut vault = Vault::new();
    for (name, yaml) in notes {
        vault = vault.file(name, format!("---\n{yaml}\n---\n"));
    }
    let run = vault.run(&["check", "--format", "json"]);
    let lines: Vec<String> = messages_and_helps(&run.stdout)
        .into_iter()
        .map(|(message, help)| format!("{message}\n    help: {help}"))
        .collect();
    assert_snapshot!(lines.join("\n"));
}

#[test]
fn obsidian_regex_filters_exclude_files() {
    let vault = Vault::new()
        .file(
            ".obsidian/app.json",
            r#"{"userIgnoreFilters": ["/\\.excalidraw\\.md$/", "/^Drafts?\\//", "/(?<=x)y/", "Archive/"]}"#,
        )
        .file("Drawing.excalidraw.md", "---\na: [\n---\n")
        .file("Draft/one.md", "---\na: [\n---\n")
        .file("Drafts/two.md", "---\na: [\n---\n")
        .file("Archive/old.md", "---\na: [\n---\n")
        .file("xy.md", "---\na: [\n---\n")
        .file("Notes/Drafts/kept.md", "---\na: [\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn the_swapped_link_hint_is_kept_for_swapped_links() {
    let vault = Vault::new().file("guide/Setup.md", "# Setup\n").file(
        "a.md",
        "[[docs/Setup|Setup]] is in another folder; [[the setup|Setup]] is swapped.\n",
    );
    let run = vault.run(&["check", "--format", "json"]);
    assert_eq!(
        messages_and_helps(&run.stdout),
        [
            (
                "a.md: link target `docs/Setup` matches no note".to_owned(),
                "did you mean `Setup`?".to_owned()
            ),
            (
                "a.md: link target `the setup` matches no note".to_owned(),
                "`Setup` is a note: Obsidian reads `[[target|text]]`, so write `[[Setup|the setup]]`"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn statistics_explain_the_fixable_mark() {
    let vault = Vault::new().file("a.md", "---\ntags: [a, a, b//c]\n---\n");
    let run = vault.run(&["check", "--format", "concise", "--statistics"]);
    assert_snapshot!(run.transcript());
}
