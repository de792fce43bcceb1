//! `fix --follow-renames`: links repaired after renames git detects and after plain moves,
//! in a repository made for the test; clear errors without git; near-match fixes.

use crate::support::Vault;

fn git(vault: &Vault, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(vault.path())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn read(vault: &Vault, rel: &str) -> String {
    std::fs::read_to_string(vault.abs(rel)).expect("file exists")
}

fn committed_vault() -> Vault {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("People/Dana.md", "# Dana\nLong enough to be recognised after a move.\n")
        .file("Plan.md", "# Plan\nThe plan, line one.\nLine two.\nLine three.\n")
        .file("Image.png", "not really a png")
        .file(
            "Home.md",
            "---\nowner: \"[[Dana]]\"\n---\n[[Dana]] [d](People/Dana.md) [[Plan#Plan]] ![[Image.png]]\n",
        )
        .file(
            "Board.canvas",
            r#"{"nodes":[{"id":"a","type":"file","file":"Plan.md","x":0,"y":0,"width":1,"height":1}],"edges":[]}"#,
        );
    git(&vault, &["init", "-q"]);
    git(&vault, &["add", "-A"]);
    git(&vault, &["commit", "-qm", "init"]);
    vault
}

#[test]
fn renames_staged_or_not_and_plain_moves_are_followed() {
    let vault = committed_vault();
    // A rename git sees (staged), a plain move with an edit (not added), an attachment.
    git(
        &vault,
        &["mv", "People/Dana.md", "People/Dana Whitfield.md"],
    );
    std::fs::rename(vault.abs("Plan.md"), vault.abs("Plans.md")).expect("mv");
    std::fs::write(
        vault.abs("Plans.md"),
        "# Plan\nThe plan, line one.\nLine two.\nLine three, edited.\n",
    )
    .expect("edit");
    std::fs::rename(vault.abs("Image.png"), vault.abs("Picture.png")).expect("mv");
    let diff = vault.run(&["fix", "--follow-renames", "--diff"]);
    assert_eq!(diff.code, 1, "{}", diff.transcript());
    insta::assert_snapshot!(diff.transcript());
    let run = vault.run(&["fix", "--follow-renames"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        read(&vault, "Home.md"),
        "---\nowner: \"[[Dana Whitfield]]\"\n---\n[[Dana Whitfield]] [d](People/Dana%20Whitfield.md) [[Plans#Plan]] ![[Picture.png]]\n"
    );
    assert!(read(&vault, "Board.canvas").contains(r#""file":"Plans.md""#));
    // Nothing left to follow: a second run changes nothing.
    let again = vault.run(&["fix", "--follow-renames", "--check"]);
    assert_eq!(again.code, 0, "{}", again.transcript());
}

#[test]
fn a_revision_can_be_named() {
    let vault = committed_vault();
    git(&vault, &["mv", "Plan.md", "Plans.md"]);
    git(&vault, &["commit", "-qm", "rename", "--no-verify"]);
    // Since HEAD nothing moved; since the first commit the plan did.
    let head = vault.run(&["fix", "--follow-renames", "--check"]);
    assert_eq!(head.code, 0, "nothing to repair: {}", head.transcript());
    assert!(read(&vault, "Home.md").contains("[[Plan#Plan]]"));
    let run = vault.run(&["fix", "--follow-renames=HEAD~1"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(read(&vault, "Home.md").contains("[[Plans#Plan]]"));
    let bad = vault.run(&["fix", "--follow-renames=no-such-rev"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("`no-such-rev` is not a commit"),
        "{}",
        bad.stderr
    );
}

#[test]
fn outside_a_work_tree_is_a_clear_error() {
    let vault = Vault::new().file("a.md", "[[b]]\n");
    let run = vault.run(&["fix", "--follow-renames"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("not inside a git work tree"),
        "{}",
        run.stderr
    );
}

#[test]
fn one_near_match_is_an_unsafe_fix() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("People/Zoë Smith.md", "# Zoë\n")
        .file("Contoso.md", "# Contoso\n")
        .file("Plan A.md", "x\n")
        .file("Plan B.md", "x\n")
        .file(
            "a.md",
            "---\ncompany: \"[[Contosso]]\"\n---\n[[zoe smith]] [[Cotnoso#x]] [x](People/Zoe%20Smith.md) [[Plan C]] [[Nothing]]\n",
        );
    let safe = vault.run(&["fix", "--diff"]);
    assert_eq!(safe.code, 0, "no safe fix: {}", safe.transcript());
    let run = vault.run(&["fix", "--unsafe-fixes", "--diff"]);
    insta::assert_snapshot!(run.transcript());
}
