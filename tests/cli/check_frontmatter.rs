//! `frontmatter/*` and `io/unreadable`, one snapshot per rule through the binary.

use insta::assert_snapshot;

use crate::support::Vault;

#[test]
fn syntax_error_points_at_the_position() {
    let vault = Vault::new().file("a.md", "---\ntitle: \"Dana\nrole: x\n---\nbody\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn syntax_error_in_a_crlf_note_with_bom() {
    let vault = Vault::new().file("a.md", "\u{feff}---\r\ntitle: [a, b\r\n---\r\nbody\r\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn duplicate_key_labels_both_occurrences() {
    let vault = Vault::new().file("a.md", "---\ntitle: A\nstatus: x\ntitle: B\n---\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn duplicate_key_in_a_nested_mapping() {
    let vault = Vault::new().file("a.md", "---\naddress:\n  city: A\n  city: B\n---\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn unclosed_frontmatter() {
    let vault = Vault::new().file("a.md", "---\ntitle: A\n\n# Heading\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn not_a_mapping() {
    let vault = Vault::new()
        .file("list.md", "---\n- a\n- b\n---\n")
        .file("scalar.md", "---\njust text\n---\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn missing_only_when_required() {
    let vault = Vault::new().file("a.md", "# No frontmatter\n");
    let relaxed = vault.run(&["check", "--format", "concise"]);
    assert_eq!(relaxed.code, 0, "{}", relaxed.transcript());
    let vault = vault.file("notelint.toml", "[frontmatter]\nrequired = true\n");
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn too_large_by_size() {
    let big = format!("---\nblob: \"{}\"\n---\n", "x".repeat(2000));
    let vault = Vault::new()
        .file("notelint.toml", "[frontmatter]\nmax_bytes = 1000\n")
        .file("a.md", big);
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn alias_bomb_is_bounded() {
    let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut previous = "a";
    for name in names {
        let refs = vec![format!("*{previous}"); 10].join(", ");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    let vault = Vault::new().file("bomb.md", format!("---\n{yaml}---\n"));
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("frontmatter/too-large"),
        "{}",
        run.transcript()
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let yaml = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let vault = Vault::new().file("deep.md", format!("---\n{yaml}---\n"));
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("frontmatter/too-large"),
        "{}",
        run.transcript()
    );
}

#[test]
fn invalid_utf8_is_unreadable_and_untouched() {
    let bytes = b"---\ntitle: caf\xe9\n---\n".to_vec();
    let vault = Vault::new().file("latin1.md", &bytes);
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
    assert_eq!(
        std::fs::read(vault.abs("latin1.md")).expect("still there"),
        bytes
    );
}

#[test]
fn yaml_1_2_core_schema_keeps_no_and_dates_as_strings() {
    let schema = r#"{"type":"object","properties":{"answer":{"type":"string"},"created":{"type":"string"},"flag":{"type":"boolean"},"count":{"type":"integer"},"empty":{"type":"null"}}}"#;
    let vault = Vault::new()
        .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
        .file("s.json", schema)
        .file(
            "a.md",
            "---\nanswer: no\ncreated: 2025-11-06\nflag: true\ncount: 0x1F\nempty: ~\n---\n",
        );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn clean_notes_pass() {
    let vault = Vault::new()
        .file("a.md", "---\ntitle: A\ntags: [x, y]\n---\n# A\n")
        .file("empty.md", "")
        .file("bom.md", "\u{feff}")
        .file("dashes.md", "---\n---\n")
        .file("hr.md", "# Title\n\n---\n\ntext\n");
    let run = vault.run(&["check"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.transcript());
}
