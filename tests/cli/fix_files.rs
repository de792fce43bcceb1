//! `notelint fix` and the files it writes: owner, group, mode and hard links are kept,
//! read-only notes are skipped, and a failed write is an error that fails the run.
//!
//! The unprivileged cases run the binary as `nobody` (with `setpriv`, else `runuser`) when
//! the tests run as root, as they do in CI; otherwise they print why they did not run.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use insta::assert_snapshot;

use crate::support::{Run, Vault};

const REVIEW: &str = "[review]\nrequire_when = [{ auto_created = true }]\n";
const OLD: &str = "---\nauto_created: true\ntags: [a]\n---\nbody\n";
const NEW: &str = "---\nauto_created: true\ntags: [a, needs-review]\n---\nbody\n";

fn vault() -> Vault {
    Vault::new().file("notelint.toml", REVIEW)
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn read(vault: &Vault, rel: &str) -> String {
    std::fs::read_to_string(vault.abs(rel)).expect("read note")
}

fn stat(vault: &Vault, rel: &str) -> std::fs::Metadata {
    std::fs::metadata(vault.abs(rel)).expect("stat")
}

/// Nothing but the vault's own files: no temporary file, no backup copy left.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list").filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.contains("notelint-") {
            found.push(name);
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(leftovers(&entry.path()));
        }
    }
    found
}

/// `nobody`'s user and group ids, and how to run a program as them; `None` (said on
/// stderr) when that is not possible: not root, or neither tool installed.
struct Nobody {
    uid: u32,
    gid: u32,
    prefix: Vec<String>,
}

fn nobody() -> Option<Nobody> {
    let probe = tempfile::tempfile().expect("temp file");
    if probe.metadata().expect("stat").uid() != 0 {
        eprintln!("note: not root, so this test cannot run notelint as another user");
        return None;
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "nobody"]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    let (uid, gid) = (id("-u")?, id("-g")?);
    let works = |program: &str| Command::new(program).arg("--version").output().is_ok();
    let prefix: Vec<String> = if works("setpriv") {
        vec![
            "setpriv".into(),
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--clear-groups".into(),
        ]
    } else if works("runuser") {
        vec!["runuser".into(), "-u".into(), "nobody".into(), "--".into()]
    } else {
        eprintln!("note: neither setpriv nor runuser is installed");
        return None;
    };
    Some(Nobody { uid, gid, prefix })
}

impl Nobody {
    /// Runs `notelint ARGS` as `nobody` in the vault's folder (which the test must have
    /// made one `nobody` may enter).
    fn run(&self, vault: &Vault, args: &[&str]) -> Run {
        self.run_in(vault.path(), vault, args)
    }

    fn run_in(&self, cwd: &Path, vault: &Vault, args: &[&str]) -> Run {
        let binary = assert_cmd::cargo::cargo_bin("notelint");
        let output = Command::new(&self.prefix[0])
            .args(&self.prefix[1..])
            .arg(&binary)
            .args(args)
            .current_dir(cwd)
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("NOTELINT_FORMAT")
            .env("COLUMNS", "100")
            .output()
            .expect("runs");
        assert_ne!(
            output.status.code(),
            Some(126),
            "nobody cannot run {}: the tests need a binary others may execute",
            binary.display()
        );
        let root = vault.path().to_string_lossy().into_owned();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[VAULT]");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }

    fn chown(&self, vault: &Vault, rel: &str) {
        std::os::unix::fs::chown(vault.abs(rel), Some(self.uid), Some(self.gid)).expect("chown");
    }
}

/// A root run (a CI container on a mounted checkout) gives the rewritten note back to its
/// owner and group, with its mode.
#[test]
fn a_root_run_keeps_owner_group_and_mode() {
    let Some(nobody) = nobody() else { return };
    let vault = vault().file("a.md", OLD);
    nobody.chown(&vault, "a.md");
    chmod(&vault.abs("a.md"), 0o640);
    let run = vault.run(&["fix"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stderr, "fixed 1 finding in 1 note\n");
    assert_eq!(read(&vault, "a.md"), NEW);
    let meta = stat(&vault, "a.md");
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o7777),
        (nobody.uid, nobody.gid, 0o640)
    );
    assert_eq!(leftovers(vault.path()), Vec::<String>::new());
}

/// Two names of one note stay one file: it is written in place, and the summary says so.
#[test]
fn a_hard_linked_note_stays_one_file() {
    let vault = vault().file("a.md", OLD).file("b.md", "# unrelated\n");
    std::fs::remove_file(vault.abs("b.md")).expect("remove");
    std::fs::hard_link(vault.abs("a.md"), vault.abs("b.md")).expect("link");
    let inode = stat(&vault, "a.md").ino();
    let run = vault.run(&["fix"]);
    assert_snapshot!(run.transcript(), @r"
    exit: 0
    --- stdout
    0 errors, 0 warnings in 2 notes
    --- stderr
    fixed 1 finding in 1 note (1 written in place after a backup copy, to keep owner, group and hard links)
    ");
    for name in ["a.md", "b.md"] {
        assert_eq!(read(&vault, name), NEW);
        let meta = stat(&vault, name);
        assert_eq!((meta.ino(), meta.nlink()), (inode, 2), "{name}");
    }
    assert_eq!(leftovers(vault.path()), Vec::<String>::new());
}

/// A note nobody may write by its mode stays as it is, even for root, with a warning.
#[test]
fn a_read_only_note_is_skipped_with_a_warning() {
    let vault = vault().file("a.md", OLD).file("b.md", OLD);
    chmod(&vault.abs("a.md"), 0o444);
    let run = vault.run(&["fix", "--format", "concise"]);
    assert_snapshot!(run.transcript(), @r"
    exit: 0
    --- stdout
    a.md:3:1: warning[review/missing-tag] note lacks the review tag `needs-review`: a `require_when` condition holds
    0 errors, 1 warning in 2 notes (1 fixable with `notelint fix`)
    --- stderr
    warning: a.md: not fixed: its mode has no write bit, so notelint leaves it alone; make it writable to fix it
    fixed 1 finding in 1 note
    ");
    assert_eq!(read(&vault, "a.md"), OLD);
    assert_eq!(stat(&vault, "a.md").mode() & 0o7777, 0o444);
    assert_eq!(read(&vault, "b.md"), NEW);
}

/// A user who may write a note but not its folder: the write fails, is counted and named
/// as an error (with a clean vault path, never `/./`), and the run exits 1. The other
/// note is written and counted alone.
#[test]
fn a_failed_write_is_an_error_and_fails_the_run() {
    let Some(nobody) = nobody() else { return };
    let vault = vault().file("locked/a.md", OLD).file("b.md", OLD);
    for rel in ["notelint.toml", "locked/a.md", "b.md"] {
        nobody.chown(&vault, rel);
    }
    // The vault is nobody's; the folder `locked` is root's, and nobody may only enter it.
    std::os::unix::fs::chown(vault.path(), Some(nobody.uid), Some(nobody.gid)).expect("chown");
    chmod(&vault.abs("locked"), 0o755);
    let run = nobody.run(&vault, &["fix", "--format", "concise"]);
    assert_snapshot!(run.transcript(), @r"
    exit: 1
    --- stdout
    locked/a.md:1:1: error[io/unwritable] fixes not written: cannot create a temporary file in its folder: permission denied
    locked/a.md:3:1: warning[review/missing-tag] note lacks the review tag `needs-review`: a `require_when` condition holds
    1 error, 1 warning in 2 notes (1 fixable with `notelint fix`)
    --- stderr
    error: locked/a.md: not written: cannot create a temporary file in its folder: permission denied
    fixed 1 finding in 1 note; 1 note not written
    ");
    assert_eq!(read(&vault, "locked/a.md"), OLD);
    assert_eq!(read(&vault, "b.md"), NEW);

    // JSON counts it and names the note by its vault path, as do runs from elsewhere.
    std::fs::write(vault.abs("b.md"), OLD).expect("reset");
    let json = nobody.run(&vault, &["fix", "--quiet", "--format", "json"]);
    assert_eq!(json.code, 1);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(parsed["summary"]["errors"], 1);
    assert_eq!(parsed["diagnostics"][0]["path"], "locked/a.md");
    assert_eq!(parsed["diagnostics"][0]["code"], "io/unwritable");
    let parent = vault.path().parent().expect("parent");
    let name = vault.path().file_name().expect("name").to_string_lossy();
    let outside = nobody.run_in(parent, &vault, &["fix", "--format", "concise", &name]);
    assert!(
        outside
            .stdout
            .contains(&format!("{name}/locked/a.md:1:1: error[io/unwritable]")),
        "{}",
        outside.transcript()
    );
    for output in [
        &run.stderr,
        &run.stdout,
        &json.stdout,
        &outside.stderr,
        &outside.stdout,
    ] {
        assert!(!output.contains("/./"), "{output}");
        assert!(!output.contains("[VAULT]/."), "{output}");
        assert!(
            !output.contains(".notelint-"),
            "temporary path shown: {output}"
        );
    }
    assert_eq!(outside.code, 1, "{}", outside.transcript());

    // Even with the code turned off, a failed write fails the run.
    let ignored = nobody.run(&vault, &["fix", "--quiet", "--ignore", "io/unwritable"]);
    assert_eq!(ignored.code, 1, "{}", ignored.transcript());
    assert!(ignored.stderr.contains("error: locked/a.md: not written"));
}

/// Someone else's note in a group-shared vault: the rename would give it to the user
/// running `fix`, so it is written in place, and keeps owner, group and mode.
#[test]
fn a_shared_note_is_written_in_place_and_keeps_its_owner() {
    let Some(nobody) = nobody() else { return };
    let vault = vault().file("a.md", OLD);
    std::os::unix::fs::chown(vault.path(), Some(0), Some(nobody.gid)).expect("chown");
    std::os::unix::fs::chown(vault.abs("a.md"), Some(0), Some(nobody.gid)).expect("chown");
    chmod(&vault.abs("a.md"), 0o664);
    chmod(vault.path(), 0o775);
    let run = nobody.run(&vault, &["fix"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("(1 written in place after a backup copy"),
        "{}",
        run.transcript()
    );
    assert_eq!(read(&vault, "a.md"), NEW);
    let meta = stat(&vault, "a.md");
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o7777),
        (0, nobody.gid, 0o664)
    );
    assert_eq!(leftovers(vault.path()), Vec::<String>::new());
}

/// A note the user may not write stays its owner's, even in a folder the user may write:
/// replacing it would hand it over to the user.
#[test]
fn a_note_the_user_may_not_write_is_never_replaced() {
    let Some(nobody) = nobody() else { return };
    let vault = vault().file("a.md", OLD);
    chmod(&vault.abs("a.md"), 0o644);
    chmod(vault.path(), 0o777);
    let run = nobody.run(&vault, &["fix"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "error: a.md: not written: cannot open it to write it in place: permission denied"
        ),
        "{}",
        run.transcript()
    );
    assert_eq!(read(&vault, "a.md"), OLD);
    assert_eq!(stat(&vault, "a.md").uid(), 0);
    assert_eq!(leftovers(vault.path()), Vec::<String>::new());
}

/// A backup copy left beside a note by an interrupted write in place stops every later
/// write to that note until the user has looked at it.
#[test]
fn a_backup_left_by_an_interrupted_write_stops_later_writes() {
    let vault = vault()
        .file("a.md", OLD)
        .file(".a.md.notelint-backup", "old content");
    let run = vault.run(&["fix", "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_snapshot!(run.stderr, @"error: a.md: not written: `.a.md.notelint-backup` beside it is a backup copy left by an interrupted write: if the note is damaged, restore it from that copy; then delete the copy");
    assert_eq!(read(&vault, "a.md"), OLD);
    assert_eq!(
        std::fs::read_to_string(vault.abs(".a.md.notelint-backup")).expect("kept"),
        "old content"
    );
}
