//! `--write-baseline` and `--baseline`: adopt notelint, then fail only on new findings.

use crate::support::Vault;

fn vault() -> Vault {
    Vault::new()
        .file("a.md", "---\nx: [\n---\n")
        .file("b.md", "# B\n\n[[Gone]] and [[Gone]] and [[Elsewhere]]\n")
}

#[test]
fn round_trip_then_exactly_the_new_finding() {
    let vault = vault();
    let write = vault.run(&["check", "--write-baseline", "baseline.json"]);
    assert_eq!(write.code, 0, "{}", write.transcript());
    assert!(
        write.stderr.contains("recorded 4 findings"),
        "{}",
        write.transcript()
    );

    let clean = vault.run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--format",
        "concise",
    ]);
    assert_eq!(clean.code, 0, "{}", clean.transcript());

    // Lines shift above the recorded findings: still recorded. One more `[[Gone]]`: new.
    let vault = vault.file(
        "b.md",
        "# B\n\nNew paragraph.\n\n[[Gone]] and [[Gone]] and [[Elsewhere]] and [[Gone]]\n",
    );
    let run = vault.run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--format",
        "concise",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains("links/broken"))
            .count(),
        1,
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.ends_with("1 error, 0 warnings in 2 notes\n"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_missing_or_bad_baseline_is_exit_2() {
    let vault = vault().file("bad.json", "{\"findings\": 3}");
    assert_eq!(vault.run(&["check", "--baseline", "nope.json"]).code, 2);
    let bad = vault.run(&["check", "--baseline", "bad.json"]);
    assert_eq!(bad.code, 2, "{}", bad.transcript());
    assert!(
        bad.stderr.contains("not a notelint baseline"),
        "{}",
        bad.transcript()
    );
}
