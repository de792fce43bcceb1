//! `links/*`: Obsidian's resolution rules, tricky valid cases, and every finding.

use insta::assert_snapshot;

use crate::support::Vault;

/// A vault whose links are all valid, in every form Obsidian accepts.
fn valid_vault() -> Vault {
    let nfd_name = "People/Toma\u{301}s Ferreira.md";
    Vault::new()
        .file(
            "Projects/Storage Pilot.md",
            "# Storage Pilot\n\n## Risks and mitigations\n\n### Budget\n\nDecision. ^decision-1\n\nSetext heading\n--------------\n",
        )
        .file("Archive/2024/Storage Pilot.md", "# Old pilot\n")
        .file("Customers/Contoso.md", "---\ntype: customer\n---\n# Contoso\n")
        .file(nfd_name, "# Tomás\n")
        .file("Attachments/org chart.png", [0u8, 1, 2])
        .file("Notes/Sub/Deep.md", "# Deep\n")
        .file(
            "Notes/Index.md",
            "---\ncompany: \"[[Contoso]]\"\nrelated:\n  - \"[[Storage Pilot#Budget]]\"\n---\n\
# Index\n\n\
[[Storage Pilot]] [[storage pilot]] [[Projects/Storage Pilot]] [[Storage Pilot.md]]\n\
[[Storage Pilot#Risks and mitigations]] [[Storage Pilot#risks AND   mitigations]]\n\
[[Storage Pilot#Risks and mitigations#Budget]] [[Storage Pilot#^decision-1]] [[Storage Pilot#Setext heading]]\n\
[[#Index]] [[#Local: part]] [[Tomás Ferreira]] [[TOMÁS FERREIRA|Tomás]]\n\
![[org chart.png|300]] ![[Storage Pilot#Budget]] [[Sub/Deep]] [[./Sub/Deep]] [[../Customers/Contoso]]\n\
[md](../Projects/Storage%20Pilot.md#Budget) [angle](<Sub/Deep.md>) [root](Customers/Contoso.md) [by name](Contoso.md)\n\
[web](https://example.com/#frag) <https://example.com> [mail](mailto:a@b.c) C# and a URL https://x.y/#Heading\n\n\
## Local: part\n\n\
| Who | Where |\n| --- | --- |\n| [[Contoso\\|Contoso Ltd]] | x |\n\n\
`[[Not A Link]]` and\n\n```dataview\nTASK WHERE contains(text, \"[[Not A Link]]\")\n```\n\n    [[Indented Not A Link]]\n\n$$\n[[Math Not A Link]]\n$$\n\n\
<!-- [[Comment Not A Link]] --> %% [[Obsidian Comment Not A Link]] %%\n",
        )
        .file(
            "notelint.toml",
            "[links]\ntargets = { company = \"customer\" }\n",
        )
}

#[test]
fn every_valid_form_resolves() {
    let run = valid_vault().run(&["check", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.stdout.contains("links/"), "{}", run.transcript());
}

#[test]
fn tie_break_prefers_same_folder_then_shortest_path() {
    // From Archive/2024/ `[[Storage Pilot]]` resolves to the note in the same folder, which
    // has no `Budget` heading; from Notes/ (above) to the shorter path, which has one.
    let vault = valid_vault().file("Archive/2024/Links.md", "[[Storage Pilot#Budget]]\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn broken_links_with_did_you_mean() {
    let vault = valid_vault().file(
        "Notes/Broken.md",
        "# Broken\n\nSee [[Contoso Ltd]] and [[Storage Pilot#Risks]] and [[Storage Pilot#^decision-9]].\n\
Also [[]] and [empty]() and [[#Nowhere]] and [up](../../../etc/passwd) and ![[org-chart.png]].\n",
    );
    assert_snapshot!(vault.run(&["check", "Notes/Broken.md"]).transcript());
}

#[test]
fn frontmatter_links_and_wrong_type() {
    let vault = valid_vault().file(
        "Notes/Typed.md",
        "---\ncompany: \"[[Tomás Ferreira]]\"\nowner: \"[[Nobody Here]]\"\n---\n",
    );
    assert_snapshot!(
        vault
            .run(&["check", "Notes/Typed.md", "--format", "concise"])
            .transcript()
    );
}

#[test]
fn ambiguous_only_when_enabled() {
    let vault = valid_vault().file("Notes/Amb.md", "[[Storage Pilot]]\n");
    let off = vault.run(&["check", "Notes/Amb.md", "--format", "concise"]);
    assert_eq!(off.code, 0, "{}", off.transcript());
    let on = vault.run(&[
        "check",
        "Notes/Amb.md",
        "--format",
        "concise",
        "--select",
        "links/ambiguous",
    ]);
    assert_snapshot!(on.transcript());
}

#[test]
fn subset_lint_still_resolves_against_the_whole_vault() {
    let vault = valid_vault();
    let run = vault.run(&["check", "Notes/Index.md", "--format", "concise"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn nested_vaults_resolve_within_themselves() {
    let vault = Vault::new()
        .file("Root Note.md", "[[Inner Note]]\n")
        .file("docs/en/.obsidian/app.json", "{}")
        .file("docs/en/Inner Note.md", "[[Root Note]] [[Other Inner]]\n")
        .file("docs/en/Other Inner.md", "# x\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn wikilinks_off_checks_markdown_links_only() {
    let vault = Vault::new()
        .file("notelint.toml", "[links]\nwikilinks = false\n")
        .file("a.md", "{{< ref [[menus.main]] >}} [gone](missing.md)\n");
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}

#[test]
fn aliases_resolve_only_when_enabled() {
    let vault = Vault::new()
        .file("Dana Whitfield.md", "---\naliases: [Dana W]\n---\n")
        .file("a.md", "[[Dana W]]\n");
    let off = vault.run(&["check", "--format", "concise"]);
    assert_eq!(off.code, 1, "{}", off.transcript());
    let vault = vault.file("notelint.toml", "[links]\naliases = true\n");
    let on = vault.run(&["check", "a.md", "--format", "concise"]);
    assert_eq!(on.code, 0, "{}", on.transcript());
}

#[test]
fn links_in_comments_opt_in() {
    let vault = Vault::new().file("a.md", "<!-- [[Gone]] -->\n\ntext %% [[Gone Too]] %%\n");
    assert_eq!(vault.run(&["check"]).code, 0);
    let vault = vault.file("notelint.toml", "[links]\nin_comments = true\n");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(
        run.stdout.matches("links/broken").count(),
        2,
        "{}",
        run.transcript()
    );
}

#[test]
fn suppressions_in_body_and_frontmatter() {
    let vault = Vault::new().file(
        "a.md",
        "---\nowner: \"[[Gone 1]]\" # notelint-disable-line links/broken\n---\n\
<!-- notelint-disable-next-line links -->\n[[Gone 2]]\n[[Gone 3]]\n\
<!-- notelint-disable -->\n[[Gone 4]]\n<!-- notelint-enable -->\n[[Gone 5]]\n\
<!-- notelint-disable links/broken-heading -->\n[[Gone 6]]\n",
    );
    assert_snapshot!(vault.run(&["check", "--format", "concise"]).transcript());
}
