//! Editor mode (`--stdin-filename`) and `--files-from`.

use insta::assert_snapshot;

use crate::support::Vault;

fn run_with_stdin(vault: &Vault, args: &[&str], stdin: &str) -> (i32, String) {
    let output = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary")
        .args(args)
        .current_dir(vault.path())
        .env_remove("NO_COLOR")
        .write_stdin(stdin)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn vault() -> Vault {
    Vault::new()
        .file("Projects/Pilot.md", "# Pilot\n\n## Risks and mitigations\n")
        .file("People/Dana.md", "---\ntitle: [broken on disk\n---\n")
        .file("Other.md", "---\nalso: [broken\n---\n")
}

#[test]
fn stdin_content_is_what_gets_linted() {
    let vault = vault();
    // The file on disk has a syntax error; the editor's buffer does not, but has a bad link.
    let (code, stdout) = run_with_stdin(
        &vault,
        &[
            "check",
            "--stdin-filename",
            "People/Dana.md",
            "--format",
            "concise",
        ],
        "---\ntitle: Dana\n---\n[[Pilot#Risks]] [[Pilot#Risks and mitigations]] [[Nobody]]\n",
    );
    assert_eq!(code, 1);
    assert_snapshot!(stdout);
}

#[test]
fn unsaved_note_in_a_subfolder_finds_the_vault() {
    let vault = vault().file("notelint.toml", "[frontmatter]\nrequired = true\n");
    let (code, stdout) = run_with_stdin(
        &vault,
        &[
            "check",
            "--stdin-filename",
            "People/New/Unsaved.md",
            "--format",
            "concise",
        ],
        "[[Pilot]]\n",
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.starts_with("People/New/Unsaved.md:1:1: error[frontmatter/missing]"),
        "{stdout}"
    );
    assert!(!stdout.contains("links/broken"), "{stdout}");
}

#[test]
fn files_from_lints_only_the_listed_notes() {
    let vault = vault();
    let (code, stdout) = run_with_stdin(
        &vault,
        &["check", "--files-from", "-", "--format", "concise"],
        "Other.md\n\n",
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("Other.md") && !stdout.contains("Dana"),
        "{stdout}"
    );
    let (code, stdout) = run_with_stdin(
        &vault,
        &["check", "--files-from", "-", "--format", "concise"],
        "",
    );
    assert_eq!(
        (code, stdout.as_str()),
        (0, "0 errors, 0 warnings in 0 notes\n"),
        "an empty list lints nothing"
    );
}

/// `fix --stdin-filename` with `review.on_errors` judges the text being edited, not the
/// saved file: a broken link typed but not yet saved makes the note need the tag.
#[test]
fn fix_from_stdin_counts_link_errors_of_the_unsaved_text() {
    let vault = Vault::new()
        .file("notelint.toml", "[review]\non_errors = true\n")
        .file("Dana.md", "---\ntags: [a]\n---\n# Dana\n");
    let (code, stdout) = run_with_stdin(
        &vault,
        &["fix", "--stdin-filename", "Dana.md"],
        "---\ntags: [a]\n---\n# Dana\nSee [[Nowhere]].\n",
    );
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "---\ntags: [a, needs-review]\n---\n# Dana\nSee [[Nowhere]].\n"
    );
}
