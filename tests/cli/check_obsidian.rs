//! Notes read as Obsidian reads them: tag characters, heading links, block ids after
//! embeds, wikilinks with tag-like display text, targets whose type cannot be read, and
//! `file:` URLs.

use insta::assert_snapshot;

use crate::support::Vault;

#[test]
fn unicode_and_emoji_tags_are_valid_in_frontmatter_and_body_alike() {
    let vault = Vault::new()
        .file(
            "Valid.md",
            "---\ntags: [\"0🌲\", \"#🎉party\", emoji🎉, 日本語, 👨‍💻dev, café/🌲seedling]\n---\n\
#🎉party #emoji🎉 #日本語 #👨‍💻dev and #0🌲.\n",
        )
        .file(
            "Invalid.md",
            "---\ntags: [\"tag’s\", \"wait…\", \"a\u{200d}b\", \"x⸮\"]\n---\n\
Body: #tag’s ends at the quote, #wait… at the ellipsis, #a.b at the dot.\n",
        );
    let valid = vault.run(&["check", "Valid.md", "--format", "concise"]);
    // The leading `#` in the frontmatter is only non-canonical.
    assert_snapshot!("unicode_tags_valid", valid.transcript());
    let invalid = vault.run(&["check", "Invalid.md", "--format", "concise"]);
    assert_snapshot!("unicode_tags_invalid", invalid.transcript());
}

#[test]
fn body_tags_run_to_the_first_character_obsidian_stops_at() {
    // The allow-list reports every body tag with its span, which shows where each ends.
    let vault = Vault::new()
        .file("notelint.toml", "[tags]\nallowed = [\"ok\"]\n")
        .file(
            "Note.md",
            "#🎉party, #emoji🎉. #日本語 #👨‍💻dev) #tag’s #a.b\n",
        );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn heading_links_leave_out_punctuation_and_markup_as_in_obsidian() {
    let vault = Vault::new()
        .file(
            "Target.md",
            "# Target\n\n## What is X?\n\n## D&D WOTC\n\n## Foo *bar*\n\n## 1. Step one\n\n## `List`\n\n\
## What is the Obsidian Hub\n\n### Emoji 🌲 grove\n",
        )
        .file(
            "Links.md",
            "[[Target#What is X]] [[Target#D D WOTC]] [[Target#Foo bar]] [[Target#1 Step one]]\n\
[[Target#List]] [[Target#what is x?]] [[Target#Foo *bar*]] ![[Target#What is the Obsidian Hub]]\n\
[[Target#What is the Obsidian Hub#Emoji 🌲 grove]] [[Target#emoji 🌲 grove]]\n",
        )
        .file("Typo.md", "[[Target#Lisst]] [[Target#Fooo bar]] [[Target#D&D WOTK]]\n");
    let quiet = vault.run(&["check", "Links.md", "--format", "concise"]);
    assert_eq!(quiet.code, 0, "{}", quiet.transcript());
    assert_eq!(quiet.stdout, "0 errors, 0 warnings in 1 note\n");
    // Did-you-mean names the heading as it reads, not its Markdown (`` `List` ``).
    let typo = vault.run(&["check", "Typo.md", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&typo.stdout).expect("json output");
    let helps: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["help"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `List`?",
            "did you mean `Foo bar`?",
            "did you mean `D&D WOTC`?"
        ]
    );
}

#[test]
fn a_block_id_right_after_an_embed_names_the_embed() {
    let vault = Vault::new()
        .file("chart.png", [0u8, 1])
        .file(
            "Figures.md",
            "# Figures\n\n![[chart.png]]^fig-1\n\n![[chart.png]] ^fig-2\n",
        )
        .file(
            "Links.md",
            "[[Figures#^fig-1]] [[Figures#^fig-2]] [[Figures#^fig-3]]\n",
        );
    let run = vault.run(&["check", "Links.md", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn wikilinks_with_tag_like_display_text_are_checked() {
    let vault = Vault::new().file("Exists.md", "# Exists\n").file(
        "Links.md",
        "[[Missing|x<y>]] and [[Missing two|<b>bold</b>]] and [[<plugin-id>|<plugin-id>]]\n\
[[Missing three|`code`]] and [[Exists|<b>fine</b>]] and [[Exists|a $x$ b]].\n\
Between HTML tags a link counts: <span>[[Not hidden]]</span>; inside a tag it does not: <a href=\"[[Hidden]]\">x</a>.\n",
    );
    let run = vault.run(&["check", "Links.md", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn a_target_whose_type_cannot_be_read_is_not_a_wrong_type() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[links]\ntargets = { company = \"customer\" }\n",
        )
        .file(
            "Broken YAML.md",
            "---\ntype: customer\nname: [unclosed\n---\n",
        )
        .file("Unclosed.md", "---\ntype: customer\n")
        .file("Untyped.md", "---\ntitle: x\n---\n")
        .file("Person.md", "---\ncompany: \"[[Broken YAML]]\"\n---\n")
        .file(
            "Person 2.md",
            "---\ncompany: [\"[[Unclosed]]\", \"[[Untyped]]\"]\n---\n",
        );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn file_urls_are_reported_as_places_outside_the_vault() {
    let vault = Vault::new().file(
        "Note.md",
        "![shot](file:///C:/Users/me/AppData/Local/Temp/x.png) [doc](FILE:///etc/passwd)\n",
    );
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
    let human = vault.run(&["check"]);
    assert!(
        human.stdout.contains("copy the file into the vault"),
        "{}",
        human.transcript()
    );
}
