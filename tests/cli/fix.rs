//! `notelint fix`: fixes as unified diffs for every list style, and the fix guarantees.

use insta::assert_snapshot;

use crate::support::Vault;

const REVIEW: &str =
    "[review]\nrequire_when = [{ auto_created = true }]\nforbid_when = [{ reviewed = true }]\n";

/// `fix --diff` over notes that need the review tag added (or removed).
fn diff(notes: &[(&str, &str)]) -> String {
    let mut vault = Vault::new().file("notelint.toml", REVIEW);
    for (name, text) in notes {
        vault = vault.file(name, text);
    }
    let run = vault.run(&["fix", "--diff"]);
    assert_eq!(run.code, 1, "changes pending: {}", run.transcript());
    run.stdout
}

#[test]
fn adds_the_tag_in_each_list_style() {
    assert_snapshot!(diff(&[
        (
            "block.md",
            "---\nauto_created: true\ntags:\n  - type/people\n  - company/contoso\n---\n# Body\n"
        ),
        (
            "block-flush.md",
            "---\nauto_created: true\ntags:\n- a\n---\n"
        ),
        ("flow.md", "---\nauto_created: true\ntags: [a, b]\n---\n"),
        ("flow-empty.md", "---\nauto_created: true\ntags: []\n---\n"),
        ("null.md", "---\nauto_created: true\ntags:\ntitle: x\n---\n"),
        ("string.md", "---\nauto_created: true\ntags: a, b\n---\n"),
        (
            "quoted.md",
            "---\nauto_created: true\ntags:\n  - \"a\"\n  - 'b' # keep me\n---\n"
        ),
        (
            "no-tags.md",
            "---\nauto_created: true\ntitle: Dana # the name\n\n---\n"
        ),
    ]));
}

#[test]
fn adds_frontmatter_when_there_is_none() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[review]\non_errors = true\n[frontmatter]\nrequired = true\n",
        )
        .file("plain.md", "# Plain note\n\ntext\n");
    let run = vault.run(&["fix", "--diff"]);
    assert_snapshot!(run.transcript());
}

/// `on_errors` counts link errors too: a broken link (found by name), a broken heading
/// (made an error here) and a wrong-type link (both found against the target's facts,
/// after every note is parsed) make the note need the tag, in `check` and in `fix`;
/// suppressed link errors and fine links do not.
#[test]
fn on_errors_counts_link_errors() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[review]\non_errors = true\n[links]\ntargets = { company = \"customer\" }\n[rules]\n\"links/broken-heading\" = \"error\"\n",
        )
        .file(
            "Contoso.md",
            "---\ntype: customer\n---\n# Contoso\n## Team\n",
        )
        .file("Dana.md", "---\ntype: people\n---\n# Dana\n")
        .file("broken.md", "---\ntags: [a]\n---\nSee [[Nowhere]].\n")
        .file(
            "heading.md",
            "---\ntags: [a]\n---\nSee [[Contoso#Nowhere]].\n",
        )
        .file("typed.md", "---\ntags: [a]\ncompany: \"[[Dana]]\"\n---\n")
        .file(
            "suppressed.md",
            "---\ntags: [a]\n---\n<!-- notelint-disable links -->\n[[Nowhere]] [[Contoso#Nowhere]]\n",
        )
        .file(
            "fine.md",
            "---\ntags: [a]\ncompany: \"[[Contoso]]\"\n---\nSee [[Contoso#Team]].\n",
        );
    let check = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!("on_errors_counts_link_errors_check", check.transcript());
    let diff = vault.run(&["fix", "--diff"]);
    assert_snapshot!("on_errors_counts_link_errors_diff", diff.transcript());
}

#[test]
fn crlf_and_bom_are_preserved() {
    let vault = Vault::new().file("notelint.toml", REVIEW).file(
        "crlf.md",
        "\u{feff}---\r\nauto_created: true\r\ntags:\r\n  - a\r\n---\r\nbody\r\n",
    );
    let run = vault.run(&["fix"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let fixed = std::fs::read_to_string(vault.abs("crlf.md")).expect("read");
    assert_eq!(
        fixed,
        "\u{feff}---\r\nauto_created: true\r\ntags:\r\n  - a\r\n  - needs-review\r\n---\r\nbody\r\n"
    );
}

#[test]
fn removes_the_tag_in_each_list_style() {
    assert_snapshot!(diff(&[
        (
            "block.md",
            "---\nreviewed: true\ntags:\n  - a\n  - needs-review\n  - b\n---\n"
        ),
        (
            "only.md",
            "---\nreviewed: true\ntags:\n  - needs-review\n---\n"
        ),
        (
            "flow-middle.md",
            "---\nreviewed: true\ntags: [a, needs-review, b]\n---\n"
        ),
        (
            "flow-last.md",
            "---\nreviewed: true\ntags: [a, needs-review]\n---\n"
        ),
        (
            "flow-only.md",
            "---\nreviewed: true\ntags: [needs-review]\n---\n"
        ),
        (
            "string.md",
            "---\nreviewed: true\ntags: a, needs-review\n---\n"
        ),
    ]));
}

#[test]
fn variants_are_normalised_never_duplicated() {
    assert_snapshot!(diff(&[
        (
            "variant.md",
            "---\nauto_created: true\ntags:\n  - needs_review\n---\n"
        ),
        (
            "twice.md",
            "---\ntags:\n  - needs-review\n  - Needs_Review\n---\n"
        ),
    ]));
}

#[test]
fn tag_fixes() {
    let vault = Vault::new()
        .file("notelint.toml", "[tags]\ncase = \"lower\"\ntype_prefix = \"type/\"\n")
        .file(
            "a.md",
            "---\ntype: people\ntag: x\ntags:\n  - \n  - '#Topic'\n  - topic\n  - type/person\n---\nBody #Loud stays.\n",
        );
    let run = vault.run(&["fix", "--diff"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn fix_writes_then_reports_what_remains_and_is_idempotent() {
    let vault = Vault::new().file("notelint.toml", REVIEW).file(
        "a.md",
        "---\nauto_created: true\ntags: [a]\n---\n[[Missing]]\n",
    );
    let first = vault.run(&["fix", "--format", "concise"]);
    assert_eq!(
        first.code,
        1,
        "the broken link remains: {}",
        first.transcript()
    );
    assert_snapshot!(first.transcript());
    let after_first = std::fs::read_to_string(vault.abs("a.md")).expect("read");
    let second = vault.run(&["fix", "--check"]);
    assert_eq!(
        second.code,
        0,
        "nothing left to change: {}",
        second.transcript()
    );
    assert_eq!(
        std::fs::read_to_string(vault.abs("a.md")).expect("read"),
        after_first
    );
}

#[test]
fn check_and_diff_write_nothing() {
    let text = "---\nauto_created: true\ntags: [a]\n---\n";
    let vault = Vault::new()
        .file("notelint.toml", REVIEW)
        .file("a.md", text);
    let check = vault.run(&["fix", "--check"]);
    assert_eq!((check.code, check.stdout.as_str()), (1, ""));
    let diff = vault.run(&["fix", "--diff"]);
    assert_eq!(diff.code, 1);
    assert_eq!(
        std::fs::read_to_string(vault.abs("a.md")).expect("read"),
        text
    );
}

#[test]
fn syntax_errors_are_never_modified() {
    let text = "---\nauto_created: true\ntags: [a\n---\n";
    let vault = Vault::new()
        .file("notelint.toml", REVIEW)
        .file("a.md", text);
    let run = vault.run(&["fix"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        std::fs::read_to_string(vault.abs("a.md")).expect("read"),
        text
    );
}

#[test]
fn stdin_filename_prints_the_fixed_text() {
    let vault = Vault::new().file("notelint.toml", REVIEW);
    let output = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary")
        .args(["fix", "--stdin-filename", "People/New.md"])
        .current_dir(vault.path())
        .write_stdin("---\nauto_created: true\ntags: [a]\n---\nbody\n")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "---\nauto_created: true\ntags: [a, needs-review]\n---\nbody\n"
    );
    assert!(!vault.abs("People/New.md").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let vault = Vault::new()
        .file("notelint.toml", REVIEW)
        .file("a.md", "---\nauto_created: true\ntags: [a]\n---\n");
    std::fs::set_permissions(vault.abs("a.md"), std::fs::Permissions::from_mode(0o600))
        .expect("chmod");
    assert_eq!(vault.run(&["fix"]).code, 0);
    let mode = std::fs::metadata(vault.abs("a.md"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// A fix run killed at any moment leaves every note wholly old or wholly new.
#[cfg(unix)]
#[test]
fn killed_fix_leaves_every_file_old_or_new() {
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn vault() -> Vault {
        let mut vault = Vault::new().file("notelint.toml", REVIEW);
        for i in 0..300 {
            let body = "Some text about the account.\n".repeat(40);
            vault = vault.file(
                &format!("People/Person {i}.md"),
                format!(
                    "---\nauto_created: true\ntags:\n  - type/people\n---\n# Person {i}\n{body}"
                ),
            );
        }
        vault
    }
    fn notes(vault: &Vault) -> BTreeMap<String, String> {
        (0..300)
            .map(|i| {
                let rel = format!("People/Person {i}.md");
                let text = std::fs::read_to_string(vault.abs(&rel)).expect("note still there");
                (rel, text)
            })
            .collect()
    }

    let reference = vault();
    let old = notes(&reference);
    assert_eq!(reference.run(&["fix", "--quiet"]).code, 0);
    let new = notes(&reference);
    assert!(
        old.iter().all(|(rel, text)| new[rel] != *text),
        "every note changes"
    );

    let binary = assert_cmd::cargo::cargo_bin("notelint");
    for delay_ms in [0u64, 2, 5, 10, 20, 40, 80] {
        let vault = vault();
        let mut child = std::process::Command::new(&binary)
            .args(["fix", "--quiet"])
            .current_dir(vault.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for (rel, text) in notes(&vault) {
            assert!(
                text == old[&rel] || text == new[&rel],
                "{rel} is neither old nor new after a kill at {delay_ms} ms"
            );
        }
        // A second run finishes the job.
        assert_eq!(vault.run(&["fix", "--quiet"]).code, 0);
        assert_eq!(notes(&vault), new);
    }
}

/// Ctrl-C while `fix` writes: the write in flight finishes, the rest are left alone, no
/// temporary file stays behind, and the run says so and exits 130.
#[cfg(unix)]
#[test]
fn interrupted_fix_finishes_the_write_in_flight_and_stops() {
    use std::time::{Duration, Instant};

    let notes = 400;
    let old = |i: usize| format!("---\nauto_created: true\ntags: [t{i}]\n---\nbody {i}\n");
    let new =
        |i: usize| format!("---\nauto_created: true\ntags: [t{i}, needs-review]\n---\nbody {i}\n");
    let mut vault = Vault::new().file("notelint.toml", REVIEW);
    for i in 0..notes {
        vault = vault.file(&format!("n{i:03}.md"), old(i));
    }
    let read = |i: usize| std::fs::read_to_string(vault.abs(&format!("n{i:03}.md")));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("notelint"))
        .args(["fix", "--quiet"])
        .current_dir(vault.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    // Wait until the writes have begun, then interrupt.
    let started = Instant::now();
    while (0..notes).all(|i| read(i).is_ok_and(|t| t == old(i))) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no write began"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let output = child.wait_with_output().expect("waits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let changed = (0..notes)
        .filter(|&i| {
            let text = read(i).expect("note still there");
            assert!(
                text == old(i) || text == new(i),
                "n{i:03}.md is torn: {text:?}"
            );
            text == new(i)
        })
        .count();
    let leftovers: Vec<_> = std::fs::read_dir(vault.path())
        .expect("lists")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".notelint-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    if changed < notes {
        assert_eq!(output.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("interrupted:"), "{stderr}");
    }
}

/// Two fix runs at once over the same vault lose nothing.
#[test]
fn concurrent_fix_runs_lose_nothing() {
    let mut vault = Vault::new().file("notelint.toml", REVIEW);
    for i in 0..200 {
        vault = vault.file(
            &format!("n{i}.md"),
            format!("---\nauto_created: true\ntags: [t{i}]\n---\nbody {i}\n"),
        );
    }
    let binary = assert_cmd::cargo::cargo_bin("notelint");
    let spawn = || {
        std::process::Command::new(&binary)
            .args(["fix", "--quiet"])
            .current_dir(vault.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts")
    };
    let (mut a, mut b) = (spawn(), spawn());
    let _ = (a.wait(), b.wait());
    for i in 0..200 {
        let text = std::fs::read_to_string(vault.abs(&format!("n{i}.md"))).expect("read");
        assert_eq!(
            text,
            format!("---\nauto_created: true\ntags: [t{i}, needs-review]\n---\nbody {i}\n")
        );
    }
}
