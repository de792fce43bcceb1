//! The command-line contract: what `--config`, `--files-from`, `--stdin-filename`,
//! `--jobs` and the output streams promise (SPEC 1 and 2), tried as CI jobs, pre-commit
//! hooks and editors use them.

use std::path::Path;
use std::time::Duration;

use insta::assert_snapshot;

use crate::support::{COMMON_SCHEMA, PEOPLE_SCHEMA, Run, Vault};

/// Replaces `dir` (a folder outside the vault) with `[OUTSIDE]` in a transcript.
fn hide(run: &Run, dir: &Path) -> String {
    run.transcript()
        .replace(&*dir.to_string_lossy(), "[OUTSIDE]")
}

// ---- `--config` names settings only (SPEC 1) ----

/// Regression: `cd vault && notelint check --config ~/cfg/x.toml` made the config's folder
/// the vault and linted that instead ("0 errors … in 1 note", exit 0: a silent pass).
/// The vault is still found from the current directory, the named file's settings replace
/// its own `notelint.toml`, schema paths are relative to the named file, globs stay
/// vault-relative.
#[test]
fn config_flag_names_settings_not_the_vault() {
    let cfg = Vault::new()
        .file(
            "x.toml",
            "[vault]\nexclude = [\"Drafts/**\"]\n\n[schema]\ntypes = { people = \"schemas/people.schema.json\", nobody = \"schemas/people.schema.json\" }\n",
        )
        .file("schemas/people.schema.json", PEOPLE_SCHEMA)
        .file("schemas/common.schema.json", COMMON_SCHEMA)
        .file("README.md", "# Settings shared by several vaults\n");
    let vault = Vault::new()
        // The vault's own settings, replaced by the named file's.
        .file("notelint.toml", "[frontmatter]\nrequired = true\n")
        .file("People/Dana.md", "---\ntype: people\ntitle: Dana\n---\n")
        .file("Plain.md", "# no frontmatter: fine under x.toml\n")
        .file("Drafts/Bad.md", "---\ntype: people\n---\n");
    let config = cfg.abs("x.toml");
    let config = config.to_string_lossy();
    let run = vault.run(&["check", "--config", &config, "--format", "concise"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_snapshot!(hide(&run, cfg.path()));

    // From a subfolder of the vault, the root is still the vault's.
    let sub = vault.run_in(
        &vault.abs("People"),
        &["check", "--config", &config, "--format", "json"],
    );
    let root = vault.run(&["check", "--config", &config, "--format", "json"]);
    assert_eq!(sub.code, 1, "{}", sub.transcript());
    assert_eq!(sub.stdout, root.stdout);
    // The named file, outside the vault, is shown where it is.
    let sub = vault.run_in(
        &vault.abs("People"),
        &["check", "--config", &config, "--format", "concise"],
    );
    assert!(
        hide(&sub, cfg.path())
            .lines()
            .any(|l| l.starts_with("[OUTSIDE]/x.toml:5:50: warning[config/unused-association]")),
        "{}",
        sub.transcript()
    );
}

/// A run over a folder that finds no note says so, never a silent "0 notes" success.
#[test]
fn folder_without_notes_says_so() {
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nexclude = [\"Archive/**\"]\n")
        .file("Empty/image.png", "png")
        .file("Archive/old.md", "# old\n");
    let run = vault.run(&["check", "Empty"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "warning: no notes found under Empty\n"),
        "{}",
        run.transcript()
    );
    let run = vault.run(&["check", "Archive", "Empty/"]);
    assert_eq!(
        run.stderr,
        "warning: no notes found under Archive\nwarning: no notes found under Empty/\n"
    );
    let run = vault.run(&["fix", "--check", "Empty"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "warning: no notes found under Empty\n")
    );
    // The vault itself (the default root).
    let run = vault.run_in(&vault.abs("Empty"), &["check"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "warning: no notes found under [VAULT]\n"),
        "{}",
        run.transcript()
    );
    // Explicit files that are all excluded (a pre-commit hook) and an empty list are quiet.
    let run = vault.run(&["check", "Archive/old.md"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let run = vault.run_with_stdin(&["check", "--files-from", "-"], "");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

// ---- `--files-from` and listed paths (SPEC 1) ----

fn repository() -> Vault {
    Vault::new()
        .file("outside.md", "---\ntags: [a, a]\n---\n")
        .file("vault/notelint.toml", "")
        .file("vault/Notes/A.md", "---\ntags: [x, x]\n---\n[[Gone]]\n")
        .file("vault/Notes/B.md", "# B\n")
        .file("vault/image.png", [0x89, b'P', b'N', b'G', 0xff])
}

/// Regression: on a pull request that deletes a note, `git diff --name-only | notelint check
/// --files-from -` exited 2 and linted nothing. Deleted files are skipped; so are listed
/// files that are not notes (an image's bytes are not a note's text).
#[test]
fn files_from_skips_deleted_files() {
    let vault = repository();
    let list = "Notes/A.md\nNotes/Deleted.md\nimage.png\nGone/Folder/Also deleted.md\n";
    let output = vault
        .command(
            &vault.abs("vault"),
            &["check", "--files-from", "-", "--format", "concise"],
        )
        .write_stdin(list)
        .output()
        .expect("runs");
    let run = vault.finish(&output);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_snapshot!(run.transcript());
}

/// Regression (issue 11): `printf '/abs/outside/o.md\n' | notelint fix --files-from -`
/// rewrote a file outside the vault, and `check` read `../x.md` and printed `../` paths.
/// Listed files outside the vault are never read or written; one line says how many;
/// JSON paths stay vault-relative.
#[test]
fn listed_files_outside_the_vault_are_skipped() {
    let vault = repository();
    let outside_abs = vault.abs("outside.md");
    let list = format!(
        "../outside.md\n{}\nNotes/A.md\n./Notes/../../vault/Notes/B.md\n",
        outside_abs.display()
    );
    let in_vault = vault.abs("vault");
    let check = |format: &str| {
        let output = vault
            .command(
                &in_vault,
                &["check", "--files-from", "-", "--format", format],
            )
            .write_stdin(list.clone())
            .output()
            .expect("runs");
        vault.finish(&output)
    };
    let run = check("json");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "warning: skipped 2 paths outside the vault root .\n"
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert_eq!(paths, ["Notes/A.md", "Notes/A.md"]);
    assert_eq!(json["summary"]["notes"], 2);
    let sarif = check("sarif");
    assert!(!sarif.stdout.contains("outside.md"), "{}", sarif.stdout);

    // Positional PATHS too, and `fix`: only the note inside the vault is written.
    let outside_arg = outside_abs.to_string_lossy();
    let run = vault.run_in(
        &in_vault,
        &["fix", "Notes/A.md", &outside_arg, "../outside.md"],
    );
    assert!(
        run.stderr
            .contains("warning: skipped 2 paths outside the vault root .\n"),
        "{}",
        run.transcript()
    );
    let outside = std::fs::read_to_string(&outside_abs).expect("read");
    assert_eq!(outside, "---\ntags: [a, a]\n---\n", "never written");
    let inside = std::fs::read_to_string(vault.abs("vault/Notes/A.md")).expect("read");
    assert_eq!(inside, "---\ntags: [x]\n---\n[[Gone]]\n");

    // Only paths outside: nothing is linted, not the whole vault.
    let output = vault
        .command(&in_vault, &["fix", "--files-from", "-"])
        .write_stdin(format!("{}\n", outside_abs.display()))
        .output()
        .expect("runs");
    let run = vault.finish(&output);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        std::fs::read_to_string(&outside_abs).expect("read"),
        "---\ntags: [a, a]\n---\n"
    );
}

// ---- Editor mode (`--stdin-filename`) ----

fn editor_vault() -> Vault {
    Vault::new()
        .file(
            "notelint.toml",
            "[vault]\nexclude = [\"Archive/**\"]\n\n[tags]\ncase = \"lower\"\n",
        )
        .file(".obsidian/templates.json", r#"{"folder": "Templates"}"#)
        .file("Templates/Meeting.md", "---\ncreated: {{date}}\n---\n")
        .file("Note.md", "# Note\n")
}

/// Regression: editor mode linted a template that `check` skips, rewrote an excluded note
/// and linted a `.txt` file although only `md` is configured.
#[test]
fn editor_mode_honours_exclusions_and_extensions() {
    let vault = editor_vault();
    let template = "---\ncreated: {{date}}\n---\n";
    for path in ["Templates/Meeting.md", "Archive/2020/Old.md", "notes.txt"] {
        let run = vault.run_with_stdin(
            &["check", "--stdin-filename", path, "--format", "concise"],
            template,
        );
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "0 errors, 0 warnings in 0 notes\n"),
            "{path}: {}",
            run.transcript()
        );
    }
    let fixable = "---\ntags: [Project]\n---\n";
    let run = vault.run_with_stdin(&["fix", "--stdin-filename", "Archive/Old.md"], fixable);
    assert_eq!((run.code, run.stdout.as_str()), (0, fixable));
    // The same text at a linted path is fixed, so the skips above are real.
    let run = vault.run_with_stdin(&["fix", "--stdin-filename", "Old.md"], fixable);
    assert_eq!(run.stdout, "---\ntags: [project]\n---\n");
    let run = vault.run_with_stdin(
        &[
            "check",
            "--stdin-filename",
            "Templates/Other.md.txt",
            "--format",
            "concise",
        ],
        template,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let run = vault.run_with_stdin(
        &[
            "check",
            "--stdin-filename",
            "Meeting.md",
            "--format",
            "concise",
        ],
        template,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
}

/// Regression: PATHS and `--files-from` beside `--stdin-filename` were silently ignored.
#[test]
fn editor_mode_with_other_paths_is_a_usage_error() {
    let vault = editor_vault();
    for args in [
        &["check", "--stdin-filename", "Note.md", "Other.md"][..],
        &[
            "check",
            "--stdin-filename",
            "Note.md",
            "--files-from",
            "list.txt",
        ],
        &["fix", "--stdin-filename", "Note.md", "Note.md"],
    ] {
        let run = vault.run_with_stdin(args, "# Note\n");
        assert_eq!(run.code, 2, "{args:?}: {}", run.transcript());
        assert!(
            run.stderr.contains("cannot be used with"),
            "{}",
            run.transcript()
        );
        assert!(run.stdout.is_empty());
    }
}

/// Regression: `fix --stdin-filename` ignored `--check` and `--diff`, printing the fixed
/// note and exiting 0.
#[test]
fn fix_stdin_honours_check_and_diff() {
    let vault = editor_vault();
    let text = "---\ntags: [Project, x]\n---\n# Body\n";
    let check = vault.run_with_stdin(&["fix", "--check", "--stdin-filename", "New.md"], text);
    assert_eq!((check.code, check.stdout.as_str()), (1, ""));
    let diff = vault.run_with_stdin(&["fix", "--diff", "--stdin-filename", "Sub/New.md"], text);
    assert_eq!(diff.code, 1);
    assert_snapshot!(diff.transcript());
    let clean = "---\ntags: [project]\n---\n";
    for flag in ["--check", "--diff"] {
        let run = vault.run_with_stdin(&["fix", flag, "--stdin-filename", "New.md"], clean);
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{flag}");
    }
}

/// Regression: non-UTF-8 standard input in editor mode exited 2 with "cannot read standard
/// input"; it is `io/unreadable` (exit 1), exactly as the same file on disk.
#[test]
fn non_utf8_stdin_is_unreadable_like_the_file_on_disk() {
    let bytes: &[u8] = b"---\ntitle: caf\xe9\n---\n\x00\x01binary";
    let vault = Vault::new().file("Latin1.md", bytes);
    let stdin = vault.run_with_stdin(
        &[
            "check",
            "--stdin-filename",
            "Latin1.md",
            "--format",
            "concise",
        ],
        bytes,
    );
    let disk = vault.run(&["check", "Latin1.md", "--format", "concise"]);
    assert_eq!(stdin.code, 1, "{}", stdin.transcript());
    assert_eq!(stdin.stdout, disk.stdout);
    assert!(
        stdin.stdout.contains("error[io/unreadable]"),
        "{}",
        stdin.transcript()
    );
    // `fix` gives the bytes back unchanged and says why.
    let output = vault
        .command(vault.path(), &["fix", "--stdin-filename", "Latin1.md"])
        .write_stdin(bytes)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, bytes);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: Latin1.md: io/unreadable: note is not valid UTF-8 (invalid byte at offset 14); left unchanged\n"
    );
}

// ---- Output that cannot be written ----

/// Regression: `notelint check > /dev/full` exited 2 without a word.
#[cfg(target_os = "linux")]
#[test]
fn output_write_errors_are_said_in_one_line() {
    let vault = Vault::new().file("a.md", "[[Nowhere]]\n");
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["rules"],
        &["explain", "links/broken"],
        &["config-schema"],
        &["completions", "bash"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("notelint"))
            .args(args)
            .current_dir(vault.path())
            .stdout(full)
            .output()
            .expect("runs");
        let run = vault.finish(&output);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                2,
                "error: cannot write the output: No space left on device (os error 28)\n"
            ),
            "{args:?}"
        );
    }
}

/// Regression: a reader that stops early (`notelint check | head`, under `pipefail`) made
/// notelint exit 2 without a word. A closed pipe is a quiet, normal end: the exit code is
/// the findings' (1 here), as if everything had been read.
#[test]
fn closed_pipe_is_a_quiet_normal_exit() {
    // Far more output than a pipe buffers, so writing must outlast the reader.
    let note = "[[Nowhere]]\n".repeat(20_000);
    let vault = Vault::new().file("a.md", note);
    for args in [&["check", "--format", "concise"][..], &["check"]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("notelint"))
            .args(args)
            .current_dir(vault.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("runs");
        assert_eq!(
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ),
            (Some(1), "".into()),
            "{args:?}"
        );
    }
}

// ---- `--jobs` ----

/// Regression: `--jobs 10000` hung and `--jobs 100000` aborted ("failed to set up
/// alternative stack guard page"). Values above 4 per core (at most 256) are lowered to it.
#[test]
fn jobs_is_bounded() {
    let vault = Vault::new().file("a.md", "# A\n").file("b.md", "[[a]]\n");
    for jobs in ["100000", "18446744073709551615"] {
        let output = vault
            .command(
                vault.path(),
                &["check", "--jobs", jobs, "--format", "concise"],
            )
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        let run = vault.finish(&output);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "0 errors, 0 warnings in 2 notes\n"),
            "--jobs {jobs}: {}",
            run.transcript()
        );
    }
    let run = vault.run(&["check", "--jobs", "-1"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
}

// ---- Configuration values that can never match ----

/// Regression: `extensions = [".md"]` linted 0 notes and passed; `require_when` with a
/// nested table or a TOML date never held. Each is a configuration error at the value.
#[test]
fn config_values_that_never_match_are_errors() {
    let cases = [
        (
            "extension_with_a_dot",
            "[vault]\nextensions = [\"md\", \".markdown\"]\n",
        ),
        (
            "extension_with_two_parts",
            "[vault]\nextensions = [\"tar.gz\"]\n",
        ),
        ("extension_glob", "[vault]\nextensions = [\"*.md\"]\n"),
        (
            "condition_nested_table",
            "[review]\nrequire_when = [{ auto_created = true, meta = { auto = true } }]\n",
        ),
        (
            "condition_toml_date",
            "[review]\nforbid_when = [{ reviewed = true }, { created = 2025-01-01 }]\n",
        ),
        (
            "condition_date_in_a_list",
            "[review]\nrequire_when = [{ dates = [\"x\", 2025-01-01T10:00:00] }]\n",
        ),
    ];
    let mut transcripts = String::new();
    for (name, config) in cases {
        let vault = Vault::new()
            .file("notelint.toml", config)
            .file("a.md", "# A\n");
        let run = vault.run(&["check"]);
        assert_eq!(run.code, 2, "{name}: {}", run.transcript());
        transcripts.push_str(&format!("=== {name}\n{}", run.transcript()));
    }
    assert_snapshot!(transcripts);
    // What still works: quoted dates, arrays, numbers.
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[vault]\nextensions = [\"md\", \"markdown\"]\n\n[review]\nrequire_when = [{ created = \"2025-01-01\", tags = [\"a\"], n = 1, f = 1.5 }]\n",
        )
        .file("a.markdown", "---\ncreated: 2025-01-01\ntags: [a]\nn: 1\nf: 1.5\n---\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("a.markdown:3:1: warning[review/missing-tag]"),
        "{}",
        run.transcript()
    );
}

// ---- `suppression/unknown-code` ----

/// Regression: a suppression comment with a misspelt code was ignored silently.
#[test]
fn suppression_with_an_unknown_code() {
    let vault = Vault::new().file(
        "a.md",
        "---\nowner: \"[[Nobody]]\" # notelint-disable-line links/brokn, tags\n---\n\
         <!-- notelint-disable-next-line links/brokn -->\n[[Missing]]\n\
         <!-- notelint-disable linkz frontmatter/syntax -->\n\
         `<!-- notelint-disable nothing/here -->` in code is not a directive\n",
    );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_snapshot!("suppression_concise", run.transcript());
    let run = vault.run(&["check", "--select", "suppression"]);
    assert_snapshot!("suppression_human", run.transcript());
    let run = vault.run(&[
        "check",
        "--ignore",
        "suppression/unknown-code",
        "--format",
        "concise",
    ]);
    assert!(!run.stdout.contains("suppression/"), "{}", run.transcript());

    // Declared once, so listed, explained and in the config schema.
    let rules = vault.run(&["rules"]);
    let listed = rules
        .stdout
        .lines()
        .find(|l| l.starts_with("suppression/unknown-code "));
    assert_eq!(
        listed.map(|l| l.split_whitespace().take(3).collect::<Vec<_>>()),
        Some(vec!["suppression/unknown-code", "warning", "-"])
    );
    let explain = vault.run(&["explain", "suppression/unknown-code"]);
    assert_eq!(explain.code, 0);
    assert!(
        explain
            .stdout
            .starts_with("# suppression/unknown-code\n\nDefault severity: warning.")
    );
    let schema = vault.run(&["config-schema"]);
    assert!(schema.stdout.contains("\"suppression/unknown-code\""));
    let configured = Vault::new()
        .file(
            "notelint.toml",
            "[rules]\n\"suppression/unknown-code\" = \"error\"\n",
        )
        .file("a.md", "<!-- notelint-disable links/brokn -->\n");
    let run = configured.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("error[suppression/unknown-code]"));
}

#[test]
fn no_cache_is_accepted_and_changes_nothing() {
    // SPEC 2 lists `--no-cache` among the common flags; scripts pass it.
    let vault = Vault::new().file("a.md", "[[missing]]\n");
    let plain = vault.run(&["check", "--format", "json"]);
    let uncached = vault.run(&["check", "--no-cache", "--format", "json"]);
    assert_eq!(uncached.code, plain.code, "{}", uncached.transcript());
    assert_eq!(uncached.stdout, plain.stdout);
}
