//! Configuration: discovery, errors pointing into the file (exit 2), severities, overrides.

use insta::assert_snapshot;

use crate::support::{Vault, people_vault};

#[test]
fn unknown_key_gets_a_did_you_mean() {
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nexlude = [\"x/**\"]\n")
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn unknown_severity_value() {
    let vault = Vault::new()
        .file("notelint.toml", "[rules]\nschema = \"warn\"\n")
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn unknown_rule_code() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[rules]\n\"frontmatter/sytnax\" = \"off\"\n",
        )
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn invalid_glob() {
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nexclude = [\"a/[b\"]\n")
        .file("a.md", "# A\n");
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid glob"), "{}", run.transcript());
}

#[test]
fn missing_schema_file_points_at_the_entry() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema]\ntypes = { people = \"schemas/peple.json\" }\n",
        )
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn schema_that_is_not_json() {
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file(
            "s.json",
            "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}\n",
        )
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn invalid_schema() {
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file("s.json", r#"{"type": "objekt"}"#)
        .file("a.md", "# A\n");
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("invalid schema"),
        "{}",
        run.transcript()
    );
}

#[test]
fn remote_ref_is_refused_without_network() {
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file(
            "s.json",
            r#"{"properties": {"a": {"$ref": "https://example.com/a.json"}}}"#,
        )
        .file("a.md", "---\na: 1\n---\n");
    let started = std::time::Instant::now();
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("never reaches the network"),
        "{}",
        run.transcript()
    );
    assert!(
        started.elapsed().as_secs() < 20,
        "refused fast, not after a timeout"
    );
}

#[test]
fn remote_dollar_schema_in_a_note_is_refused() {
    let vault = Vault::new().file("a.md", "---\n$schema: https://example.com/s.json\n---\n");
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert_snapshot!(run.transcript());
}

#[test]
fn rules_table_sets_severities_and_overrides_win_per_path() {
    let vault = people_vault()
        .file(
            "notelint.toml",
            format!(
                "{}\n[rules]\nschema = \"warning\"\n\"schema/enum\" = \"info\"\n\n[[overrides]]\npaths = [\"Archive/**\"]\nrules = {{ schema = \"off\" }}\n",
                crate::support::PEOPLE_CONFIG
            ),
        )
        .file("Dana.md", "---\ntype: people\ntitle: Dana\ncreated: 2025-01-01\nstatus: gone\nemail: 3\n---\n")
        .file("Archive/Old.md", "---\ntype: people\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "warnings and infos do not fail by default");
    assert_snapshot!(run.transcript());
    let strict = vault.run(&[
        "check",
        "--format",
        "concise",
        "--fail-on",
        "info",
        "--quiet",
    ]);
    assert_eq!(strict.code, 1);
}

#[test]
fn config_is_discovered_upward_and_from_the_path_given() {
    let vault = people_vault().file("People/Dana.md", "---\ntype: people\n---\n");
    let from_subfolder = vault.run_in(&vault.abs("People"), &["check", "--format", "concise"]);
    assert_eq!(from_subfolder.code, 1, "{}", from_subfolder.transcript());
    // Paths are shown relative to where the user is, so an editor or terminal opens them.
    assert!(
        from_subfolder.stdout.starts_with("../People/Dana.md:1:1"),
        "{}",
        from_subfolder.transcript()
    );
    let outside = tempfile::tempdir().expect("temp dir");
    let vault_arg = vault.path().to_string_lossy().into_owned();
    let from_outside = vault.run_in(outside.path(), &["check", &vault_arg, "--format", "json"]);
    let from_root = vault.run(&["check", "--format", "json"]);
    assert_eq!(
        from_outside.stdout, from_root.stdout,
        "JSON paths are vault-relative wherever it runs"
    );
}

#[test]
fn explicit_config_flag() {
    let vault = Vault::new()
        .file("conf/custom.toml", "[frontmatter]\nrequired = true\n")
        .file("conf/a.md", "# no frontmatter\n");
    let run = vault.run(&[
        "check",
        "--config",
        "conf/custom.toml",
        "--format",
        "concise",
    ]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("a.md:1:1: error[frontmatter/missing]"),
        "{}",
        run.transcript()
    );
}

#[test]
fn no_config_uses_obsidian_folder_as_root() {
    let vault = Vault::new()
        .file(
            ".obsidian/app.json",
            r#"{"userIgnoreFilters": ["Archive/"]}"#,
        )
        .file(".obsidian/templates.json", r#"{"folder": "Templates"}"#)
        .file("Templates/t.md", "---\ncreated: {{date}}\n---\n")
        .file("Archive/bad.md", "---\na: [\n---\n")
        .file("Notes/bad.md", "---\na: [\n---\n");
    let run = vault.run_in(&vault.abs("Notes"), &["check", "--format", "concise"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_snapshot!(run.transcript());
}

#[test]
fn exclude_globs_ignore_files_and_hidden_folders() {
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nexclude = [\"Drafts/**\"]\n")
        .file(".ignore", "ignored/\n")
        .file("Drafts/bad.md", "---\na: [\n---\n")
        .file("ignored/bad.md", "---\na: [\n---\n")
        .file(".hidden/bad.md", "---\na: [\n---\n")
        .file("notes.txt", "---\na: [\n---\n")
        .file("ok.md", "# fine\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let explicit = vault.run(&["check", "Drafts/bad.md", "--format", "concise"]);
    assert_eq!(
        explicit.code,
        0,
        "explicitly named excluded files are skipped: {}",
        explicit.transcript()
    );
    let unignored = vault.run(&["check", "--no-ignore", "--format", "concise"]);
    assert_eq!(unignored.code, 1, "{}", unignored.transcript());
    assert!(
        unignored.stdout.contains("ignored/bad.md"),
        "{}",
        unignored.transcript()
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.md"), "---\na: [\n---\n").expect("write");
    let vault = Vault::new().file("ok.md", "# fine\n");
    std::os::unix::fs::symlink(outside.path(), vault.abs("linked")).expect("symlink dir");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), vault.abs("link.md"))
        .expect("symlink file");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

/// A folder named through a symlink is never linted, so the symlink's target must not
/// choose the configuration either: here the target holds a `notelint.toml` naming a
/// "schema" whose text (a secret) would be quoted in a "not valid JSON" error.
#[cfg(unix)]
#[test]
fn config_is_not_discovered_through_a_symlinked_folder() {
    let outside = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file("s.json", "SECRET-TOKEN-1234\n")
        .file("a.md", "# A\n");
    let vault = Vault::new().file("a.md", "# A\n");
    std::os::unix::fs::symlink(outside.path(), vault.abs("evil")).expect("symlink");
    let run = vault.run(&["check", "evil"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.transcript().contains("SECRET"), "{}", run.transcript());
    let run = vault.run(&["check", "evil/a.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.transcript().contains("SECRET"), "{}", run.transcript());
}

/// `max_depth` beyond the ceiling the loader enforces is refused where it is written,
/// rather than silently capped.
#[test]
fn max_depth_above_the_ceiling_is_a_config_error() {
    let vault = Vault::new()
        .file("notelint.toml", "[frontmatter]\nmax_depth = 5000\n")
        .file("a.md", "# A\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

/// A note over `max_note_bytes` is reported, not read; the limit is configurable.
#[test]
fn notes_over_the_size_limit_are_reported_unread() {
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nmax_note_bytes = 64\n")
        .file(
            "big.md",
            format!("---\ntitle: [\n---\n{}\n", "x".repeat(100)),
        )
        .file("small.md", "# Small\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
    let fixed = vault.run(&["fix"]);
    assert_eq!(fixed.code, 1, "{}", fixed.transcript());
    assert!(
        std::fs::read_to_string(vault.abs("big.md"))
            .expect("still there")
            .ends_with("xxx\n")
    );
}
