//! `tags/*` and `frontmatter/deprecated-key` through the binary.

use insta::assert_snapshot;

use crate::support::Vault;

const CONFIG: &str = "[tags]\nallowed = [\"needs-review\", \"type/*\", \"topic/**\"]\ncase = \"lower\"\ntype_prefix = \"type/\"\n";

#[test]
fn every_tag_finding_points_at_the_tag() {
    let vault = Vault::new().file("notelint.toml", CONFIG).file(
        "People/Dana.md",
        "---\ntype: people\ntags:\n  - type/people\n  - topic/a//b\n  - \n  - Topic/Storage\n  - topic/storage\n  - '#needs-review'\n  - projcet/x\n---\n# Dana\n\nInline #topic/ok and #Topic/Loud, not C# or #123 or https://x.y/#frag.\n",
    );
    assert_snapshot!(vault.run(&["check"]).transcript());
}

#[test]
fn type_tag_must_match_the_type() {
    let vault = Vault::new()
        .file("notelint.toml", CONFIG)
        .file("missing.md", "---\ntype: people\ntags: [topic/x]\n---\n")
        .file(
            "wrong.md",
            "---\ntype: people\ntags: [type/customer]\n---\n",
        )
        .file(
            "right.md",
            "---\ntype: people\ntags: type/people, topic/x\n---\n",
        );
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn valid_tags_pass_with_defaults() {
    let vault = Vault::new().file(
        "a.md",
        "---\ntags: [Project/Alpha, needs-review, 'y2025']\n---\nText #inline/tag and #ÜberTag, `#code`, C#, #123.\n",
    );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn deprecated_keys_and_string_lists() {
    let vault = Vault::new().file(
        "a.md",
        "---\ntag: draft\nalias: Dana W\ncssclass: wide\naliases: Dana Whitfield\n---\n",
    );
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}
