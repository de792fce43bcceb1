//! `dates/*` through the binary: real calendar dates, the future, order, custom formats.

use insta::assert_snapshot;

use crate::support::Vault;

const CONFIG: &str = "[dates]\nfields = [\"created\", \"updated\", \"due\"]\nnot_after_today = [\"created\"]\norder = [[\"created\", \"updated\"]]\n";

#[test]
fn invalid_future_and_reversed_dates() {
    let vault = Vault::new()
        .file("notelint.toml", CONFIG)
        .file("leap.md", "---\ncreated: 2025-02-29\n---\n")
        .file("short.md", "---\ncreated: '2025-1-6'\n---\n")
        .file("future.md", "---\ncreated: 2026-03-01\n---\n")
        .file(
            "order.md",
            "---\ncreated: 2025-02-01\nupdated: \"2025-01-01\"\n---\n",
        )
        .file("epoch.md", "---\ncreated: 1608589567458\n---\n");
    assert_snapshot!(vault.run(&["check", "--today", "2025-11-24"]).transcript());
}

#[test]
fn valid_dates_pass() {
    let vault = Vault::new().file("notelint.toml", CONFIG).file(
        "ok.md",
        "---\ncreated: 2024-02-29\nupdated: 2024-02-29T10:30\ndue: '2025-11-06T14:30:00+02:00'\n---\n",
    );
    let run = vault.run(&["check", "--today", "2025-11-24", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn strftime_format() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[dates]\nformat = \"%m/%d/%Y\"\nfields = [\"date\"]\n",
        )
        .file("ok.md", "---\ndate: 11/06/2025\n---\n")
        .file("bad.md", "---\ndate: 02/30/2025\n---\n")
        .file("iso.md", "---\ndate: 2025-11-06\n---\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn unusable_format_is_a_config_error() {
    let vault = Vault::new()
        .file("notelint.toml", "[dates]\nformat = \"datetme\"\n")
        .file("a.md", "# a\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}
